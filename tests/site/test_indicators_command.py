"""`dontpay indicators`: through call_command, and once as a person runs it."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

TEXT = "add me on insta @Some.Name or call 07911 123456, pay GB82 WEST 1234 5698 7654 32\n"


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


def test_json_from_a_file(tmp_path: Path) -> None:
    message = tmp_path / "message.txt"
    message.write_text(TEXT + "again: +44 7911 123456\n", encoding="utf-8")
    shape = json.loads(run_command(str(message), "--json"))
    assert shape == {
        "indicators": [
            {"type": "handle", "value": "some.name", "platform": "instagram", "span": [16, 26]},
            {"type": "phone", "value": "+447911123456", "span": [35, 47]},
            {"type": "iban", "value": "GB82WEST12345698765432", "span": [53, 80]},
        ]
    }


def test_table_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(TEXT))
    lines = run_command().splitlines()
    assert lines[0].split() == ["TYPE", "PLATFORM/NETWORK", "VALUE", "AT"]
    assert lines[1].split() == ["handle", "instagram", "some.name", "16-26"]
    assert lines[2].split() == ["phone", "+447911123456", "35-47"]


def test_region_reads_national_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("ring (202) 555-0143"))
    shape = json.loads(run_command("-", "--region", "US", "--json"))
    assert [entry["value"] for entry in shape["indicators"]] == ["+12025550143"]


def test_nothing_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("pay £500 by 12/03/2024"))
    assert run_command().strip() == "No indicators found."


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dontpay.site.cli", "indicators", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_stdin_json_as_a_person_runs_it() -> None:
    result = run("-", "--json", stdin="https://wa.me/447911123456 and Jo@Example.com")
    assert result.returncode == 0, result.stderr
    assert [
        (entry["type"], entry["value"]) for entry in json.loads(result.stdout)["indicators"]
    ] == [
        ("handle", "+447911123456"),
        ("email", "jo@example.com"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--region", "XX"),
            "dontpay indicators: region: 'XX' is not an ISO 3166 alpha-2 region we know\n",
        ),
        (
            ("/nonexistent/message.txt",),
            "dontpay indicators: cannot read /nonexistent/message.txt: No such file or directory\n",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(args: tuple[str, ...], message: str) -> None:
    result = run(*args, stdin="07911123456")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == message


def test_file_that_is_not_text_exits_2(tmp_path: Path) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\xff")
    result = run(str(binary))
    assert result.returncode == 2
    assert result.stderr == f"dontpay indicators: cannot read {binary}: not UTF-8 text\n"
