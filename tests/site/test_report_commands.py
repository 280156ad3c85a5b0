"""`dontpay report new|pack`, `dontpay pack verify`, `dontpay verify` and `dontpay sweep`."""

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from dontpay.cases.models import Report

from ..cases.factories import screenshot

pytestmark = pytest.mark.django_db


def run(*args: str, stdin: str | None = None) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    given = {} if stdin is None else {"stdin": io.StringIO(stdin)}
    try:
        call_command(*args, stdout=out, stderr=err, **given)
        code = 0
    except SystemExit as stop:
        code = int(stop.code or 0)
    return out.getvalue(), err.getvalue(), code


def verify_pack_file(path: Path) -> subprocess.CompletedProcess[str]:
    """`dontpay pack verify`, run the way a recipient would: its own process, no database."""
    return subprocess.run(
        [sys.executable, "-m", "dontpay.site.cli", "pack", "verify", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def report_file(tmp_path: Path, record: object) -> str:
    path = tmp_path / "report.json"
    path.write_text(json.dumps({"jurisdiction": "GB", "under_18": False, "record": record}))
    return str(path)


def test_report_new_then_pack_then_verify(tmp_path: Path) -> None:
    shot = tmp_path / "threat.png"
    shot.write_bytes(screenshot())
    record = {
        "who": [{"platform": "snapchat", "username": "bad.actor"}],
        "when": {"threats_on": "2026-11-02"},
    }
    out, _, code = run(
        "report", "new", report_file(tmp_path, record), "--evidence", str(shot), "--json"
    )
    assert code == 0
    created = json.loads(out)
    assert set(created) == {"reference", "passphrase"}
    report = Report.objects.get(reference=created["reference"])
    assert report.evidence.count() == 1
    pack = tmp_path / "out.zip"
    assert run("report", "pack", created["reference"], "-o", str(pack))[2] == 2  # private
    out, _, code = run(
        "report",
        "pack",
        created["reference"],
        "-o",
        str(pack),
        "--passphrase-stdin",
        stdin=created["passphrase"] + "\n",
    )
    assert code == 0
    result = verify_pack_file(pack)
    assert (result.returncode, result.stdout) == (0, "valid: 4 items\n"), result.stderr
    with zipfile.ZipFile(pack) as archive:
        document = json.loads(archive.read("report.json"))
    assert document["record"]["who"] == [{"platform": "snapchat", "username": "bad.actor"}]
    assert document["evidence"][0]["file"] == "evidence/01-threat.png"
    assert run("verify")[0].startswith("ok: 1 reports, 1 files")


def test_a_pack_that_cannot_be_written_records_no_export_and_keeps_an_older_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _, _ = run("report", "new", report_file(tmp_path, {}), "--json")
    created = json.loads(out)
    report = Report.objects.get(reference=created["reference"])
    events = report.custody.count()
    nowhere = tmp_path / "no" / "such" / "pack.zip"
    _, _, code = run(
        "report",
        "pack",
        created["reference"],
        "-o",
        str(nowhere),
        "--passphrase-stdin",
        stdin=created["passphrase"] + "\n",
    )
    assert (code, "--output: cannot write" in capsys.readouterr().err) == (2, True)
    older = tmp_path / "pack.zip"
    older.write_bytes(b"an older pack")
    _, _, code = run(
        "report",
        "pack",
        created["reference"],
        "-o",
        str(older),
        "--passphrase-stdin",
        stdin="not the passphrase\n",
    )
    assert (code, "not the passphrase" in capsys.readouterr().err) == (2, True)
    assert older.read_bytes() == b"an older pack"
    assert not list(tmp_path.glob(".*partial"))
    assert report.custody.count() == events  # no export claimed


def test_pack_verify_names_the_first_discrepancy(tmp_path: Path) -> None:
    created = json.loads(run("report", "new", report_file(tmp_path, {}), "--json")[0])
    pack = tmp_path / "out.zip"
    run(
        "report",
        "pack",
        created["reference"],
        "-o",
        str(pack),
        "--passphrase-stdin",
        stdin=created["passphrase"],
    )
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(pack) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data.replace(b"dontpay-report/1", b"dontpay-report/2"))
    result = verify_pack_file(tampered)
    assert result.returncode == 1
    assert result.stderr.startswith("invalid: report.json")


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"nope": {}}, "dontpay report: record.nope: not a section"),
        (
            {"demands": [{"amount": "lots"}]},
            "dontpay report: record.demands[0].amount: Enter an amount",
        ),
        ({"who": {"username": "x"}}, "dontpay report: record.who: must be a list of objects"),
        ({"when": {"colour": "red"}}, "dontpay report: record.when.colour: not a field"),
    ],
)
def test_report_new_refuses_bad_records_and_keeps_nothing(
    tmp_path: Path, record: object, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        call_command("report", "new", report_file(tmp_path, record))
    assert stop.value.code == 2
    assert capsys.readouterr().err.startswith(message)
    assert Report.objects.count() == 0


def test_report_new_refuses_bad_evidence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "fake.png"
    bad.write_bytes(b"GIF89a" + b"\x00" * 50)
    with pytest.raises(SystemExit):
        call_command("report", "new", report_file(tmp_path, {}), "--evidence", str(bad))
    assert "--evidence fake.png: We can only accept" in capsys.readouterr().err
    assert Report.objects.count() == 0


def test_verify_exits_1_and_says_what_is_wrong(tmp_path: Path) -> None:
    created = json.loads(run("report", "new", report_file(tmp_path, {}), "--json")[0])
    Report.objects.filter(reference=created["reference"]).update(head_signature=b"\x00" * 64)
    out, _, code = run("verify")
    assert code == 1
    assert f"{created['reference']}: custody chain: event 1: head signature does not match" in out


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"jurisdiction": "United Kingdom"},
            "dontpay report: jurisdiction: 'United Kingdom' has no guidance",
        ),
        ({"under_18": "yes"}, "dontpay report: under_18: 'yes' is not true, false or null"),
        (
            {"record": {"messages": {"text": None}}},
            "dontpay report: record.messages.text: must be text",
        ),
    ],
)
def test_report_new_checks_every_value(
    tmp_path: Path, document: dict[str, object], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(document))
    with pytest.raises(SystemExit) as stop:
        call_command("report", "new", str(path))
    assert stop.value.code == 2
    assert capsys.readouterr().err.startswith(message)
    assert Report.objects.count() == 0
