"""`dontpay plan` as a person runs it: real process, real exit codes, no tracebacks."""

import json
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dontpay.site.cli", "plan", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_plan_json_from_a_file(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"jurisdiction": "GB", "timing": "now", "under_18": True}))
    result = run("--answers", str(answers), "--json")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["jurisdiction"] == "GB"
    ids = [step["id"] for step in plan["steps"]]
    assert ids[0] == "call-emergency"
    assert "child-protection" in ids
    assert plan["steps"][0]["contacts"][0] == {
        "name": "Police emergency",
        "phone": "999",
        "url": None,
        "language": "en",
    }
    assert plan["language"] == "en"
    assert {step["language"] for step in plan["steps"]} == {"en"}


def test_plan_in_another_language_labels_the_language_of_each_text() -> None:
    result = run("--answers", "-", "--json", stdin='{"jurisdiction": "US", "language": "fr"}')
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["language"] == "fr"
    # Steps the US pack has in French are labelled "fr"; none is left unlabelled.
    assert {step["language"] for step in plan["steps"]} <= {"fr", "en"}
    assert all(contact["language"] for step in plan["steps"] for contact in step["contacts"])


def test_plan_refuses_a_language_it_does_not_have() -> None:
    result = run("--answers", "-", stdin='{"jurisdiction": "GB", "language": "xx"}')
    assert result.returncode == 2
    assert result.stderr == (
        "dontpay plan: language: 'xx' is not allowed; allowed: en, cy, es, fr, hi, ur, null\n"
    )


def test_plan_text_from_stdin() -> None:
    result = run("--answers", "-", stdin='{"jurisdiction": "US", "paid": true}')
    assert result.returncode == 0, result.stderr
    assert "Do not pay anything more" in result.stdout


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        (
            '{"jurisdiction": "FR"}',
            "dontpay plan: jurisdiction: 'FR' has no guidance; allowed: AU, CA, GB, IE, IN, US",
        ),
        (
            '{"jurisdiction": "GB", "timing": "soon"}',
            "dontpay plan: timing: 'soon' is not allowed; allowed: now, recent, earlier, null",
        ),
        ('{"jurisdiction": ', "dontpay plan: answers: not valid JSON (line 1, column 18"),
    ],
)
def test_bad_input_exits_2_with_one_line(stdin: str, message: str) -> None:
    result = run("--answers", "-", "--json", stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_missing_file_exits_2() -> None:
    result = run("--answers", "/nonexistent/answers.json")
    assert result.returncode == 2
    assert result.stderr == (
        "dontpay plan: answers: cannot read /nonexistent/answers.json: No such file or directory\n"
    )
