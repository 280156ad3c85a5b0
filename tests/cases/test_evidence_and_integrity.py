"""Evidence in the vault: stored byte-for-byte and encrypted, and any tampering is found."""

import hashlib
from pathlib import Path

import pytest
from django.db import connection

from dontpay.cases.custody import custody_problems
from dontpay.cases.evidence import add_evidence, evidence_name, read_evidence, sweep_orphans
from dontpay.cases.integrity import integrity_problems
from dontpay.cases.models import CustodyEvent, EvidenceItem, Report
from dontpay.cases.reports import create_report, save_section
from dontpay.cases.vault import data_key, vault
from dontpay.domain.evidence import (
    CameraPhoto,
    EvidenceTooLarge,
    NotAScreenshot,
    UnsupportedType,
)
from dontpay.domain.reports import section

from .factories import camera_photo, held, screenshot, sent_report

pytestmark = pytest.mark.django_db

MARKER = "UNIQUE-PLAINTEXT-MARKER-7f3k9qx2"


def test_an_upload_is_kept_byte_for_byte_with_a_thumbnail() -> None:
    original = screenshot()
    with held(create_report(under_18=False)) as report:
        item = add_evidence(report, "../../etc/threat 1.png", original)
        assert read_evidence(item) == original
        assert read_evidence(item, thumbnail=True)[:3] == b"\xff\xd8\xff"  # a JPEG
        assert evidence_name(item) == "threat 1.png"
    assert item.sha256 == hashlib.sha256(original).hexdigest()
    assert (item.kind, item.media_type, item.width) == ("screenshot", "image/png", 360)
    assert [e.kind for e in report.custody.all()] == ["created", "item-added"]


def test_chat_exports_and_pdfs_are_accepted_for_adults_but_not_for_children() -> None:
    with held(create_report(under_18=False)) as adult:
        item = add_evidence(adult, "chat.txt", b"them: pay or else\n")
    assert (item.kind, item.thumbnail_blob_id) == ("chat-export", "")
    with held(create_report(under_18=True)) as child:
        with pytest.raises(NotAScreenshot):
            add_evidence(child, "chat.txt", b"them: pay or else\n")
        assert add_evidence(child, "shot.png", screenshot()).kind == "screenshot"


def test_a_camera_photo_is_refused_on_a_childs_record_and_kept_on_an_adults() -> None:
    photo = camera_photo()
    with held(create_report(under_18=True)) as child:
        with pytest.raises(CameraPhoto) as refused:
            add_evidence(child, "IMG_0001.jpg", photo)
        assert "camera" in refused.value.reason
        assert child.evidence.count() == 0
    with held(create_report(under_18=None)) as not_said, pytest.raises(CameraPhoto):
        add_evidence(not_said, "IMG_0001.jpg", photo)
    with held(create_report(under_18=False)) as adult:
        assert add_evidence(adult, "IMG_0001.jpg", photo).kind == "screenshot"


def test_the_type_comes_from_the_content_not_the_name() -> None:
    with held(create_report(under_18=False)) as report:
        with pytest.raises(UnsupportedType):
            add_evidence(report, "screenshot.png", b"MZ\x90\x00" + b"\x00" * 200)
        assert add_evidence(report, "notes.exe", screenshot()).media_type == "image/png"


def test_the_per_report_limit_counts_what_is_already_stored(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DONTPAY_EVIDENCE_MAX_REPORT_MB = 1
    with held(create_report(under_18=False)) as report:
        add_evidence(report, "a.txt", b"x" * 700_000)
        with pytest.raises(EvidenceTooLarge, match="report"):
            add_evidence(report, "b.txt", b"y" * 400_000)
    assert report.evidence.count() == 1


def test_unless_the_person_said_they_are_an_adult_only_screenshots_are_accepted() -> None:
    for under_18 in (True, None):
        with held(create_report(under_18=under_18)) as report, pytest.raises(NotAScreenshot):
            add_evidence(report, "chat.txt", b"pay up")


def test_the_plaintext_of_an_upload_never_appears_under_the_data_dir(data_dir: Path) -> None:
    text = f"{MARKER}\nthem: pay 500 or everyone sees it\n".encode()
    with held(create_report(under_18=False)) as report:
        add_evidence(report, f"{MARKER}.txt", text)
        add_evidence(report, "shot.png", screenshot(MARKER))
        save_section(report, section("messages"), {"text": MARKER})
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert len(files) >= 4  # master key, blobs and a thumbnail
    for path in files:
        content = path.read_bytes()
        assert MARKER.encode() not in content, path
        assert screenshot(MARKER) not in content, path
    assert_not_in_database(MARKER)


def assert_not_in_database(marker: str) -> None:
    """No row of any table holds the marker, in clear, in any column."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    raw = (
                        bytes(value)
                        if isinstance(value, bytes | memoryview)
                        else str(value).encode()
                    )
                    assert marker.encode() not in raw, table


def test_the_plaintext_of_a_web_upload_is_nowhere_on_disk_or_in_the_database(
    client, data_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/report/", {"under_18": "no"})
    assert response.status_code == 302
    client.post("/report/record/messages/", {"text": MARKER, "action": "continue"})
    text = f"{MARKER}\n".encode() * 400_000  # 13 MB: Django would normally spool this to disk
    client.post("/report/evidence/", {"files": [SimpleUploadedFile(f"{MARKER}.txt", text)]})
    assert EvidenceItem.objects.count() == 1
    for path in (p for p in data_dir.rglob("*") if p.is_file()):
        assert MARKER.encode() not in path.read_bytes(), path
    assert_not_in_database(MARKER)


def _flip_one_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset % len(data)] ^= 0x01
    path.write_bytes(bytes(data))


def _blob_path(data_dir: Path, blob_id: str) -> Path:
    return next(p for p in (data_dir / "vault").rglob(f"*{blob_id}*") if p.is_file())


@pytest.mark.parametrize("offset", [0, 1, 13, 40, -1])
@pytest.mark.parametrize("which", ["file", "thumbnail"])
def test_a_flipped_byte_in_any_stored_file_is_found(
    data_dir: Path, which: str, offset: int
) -> None:
    report = sent_report(under_18=False, fill=lambda r: add_evidence(r, "shot.png", screenshot()))
    item = report.evidence.get()
    assert list(integrity_problems()) == []
    blob_id = item.blob_id if which == "file" else item.thumbnail_blob_id
    _flip_one_byte(_blob_path(data_dir, blob_id), offset)
    problems = list(integrity_problems())
    assert problems == [
        f"{report.reference}: evidence item {item.pk}: "
        f"{which} has been altered or damaged (decryption failed)"
    ]


def test_a_missing_file_and_an_orphan_are_found_and_orphans_swept(data_dir: Path) -> None:
    report = sent_report(under_18=False, fill=lambda r: add_evidence(r, "shot.png", screenshot()))
    item = report.evidence.get()
    _blob_path(data_dir, item.blob_id).unlink()
    orphan = vault().store(data_key(report), b"left by a crash")
    problems = list(integrity_problems())
    assert (
        f"{report.reference}: evidence item {item.pk}: file is missing from the vault" in problems
    )
    assert any(orphan.blob_id in p for p in problems)
    assert sweep_orphans(grace_seconds=0) == 1
    assert orphan.blob_id not in set(vault().blob_ids())
    assert item.thumbnail_blob_id in set(vault().blob_ids())


@pytest.mark.parametrize("field", ["kind", "actor", "at", "detail", "previous_hash", "hash"])
def test_any_change_to_the_custody_log_is_found(field: str) -> None:
    report = sent_report(under_18=False, fill=lambda r: add_evidence(r, "shot.png", screenshot()))
    event = CustodyEvent.objects.get(report=report, sequence=report.custody.last().sequence)
    value = getattr(event, field)
    changed = (
        {"item": 999} if field == "detail" else (value[:-1] + ("0" if value[-1] != "0" else "1"))
    )
    CustodyEvent.objects.filter(pk=event.pk).update(**{field: changed})
    assert custody_problems(report) != []
    assert any("custody chain" in p for p in integrity_problems())


def test_a_removed_custody_event_is_found() -> None:
    with held(create_report(under_18=False)) as report:
        save_section(report, section("when"), {"started_on": "2026-11-01"})
        save_section(report, section("when"), {"started_on": "2026-11-02"})
    report.custody.filter(sequence=report.custody.first().sequence + 1).delete()
    assert custody_problems(report) != []


def test_an_older_copy_of_the_record_put_back_is_found() -> None:
    with held(create_report()) as report:
        save_section(report, section("when"), {"started_on": "2026-11-01"})
        old = bytes(Report.objects.get(pk=report.pk).record)
        save_section(report, section("when"), {"started_on": "2026-11-02"})
    Report.objects.filter(pk=report.pk).update(record=old)
    assert list(integrity_problems()) == [
        f"{report.reference}: record is not the one last recorded in the custody chain"
    ]


def test_an_evidence_row_deleted_behind_the_chains_back_is_found() -> None:
    with held(create_report(under_18=False)) as report:
        item = add_evidence(report, "shot.png", screenshot())
    EvidenceItem.objects.filter(pk=item.pk).delete()
    problems = list(integrity_problems())
    assert (
        f"{report.reference}: evidence item {item.pk} is in the custody chain but missing"
        in problems
    )


def test_a_changed_record_is_found() -> None:
    report = sent_report(
        under_18=False,
        fill=lambda r: save_section(r, section("when"), {"started_on": "2026-11-01"}),
    )
    record = bytearray(bytes(report.record))
    record[-1] ^= 1
    Report.objects.filter(pk=report.pk).update(record=bytes(record))
    assert list(integrity_problems()) == [
        f"{report.reference}: record or data key cannot be decrypted"
    ]


def test_a_private_record_is_checked_without_its_key_and_a_missing_file_is_still_found(
    data_dir: Path,
) -> None:
    with held(create_report(under_18=False)) as report:
        item = add_evidence(report, "shot.png", screenshot())
        save_section(report, section("when"), {"started_on": "2026-11-01"})
    assert list(integrity_problems()) == []
    _blob_path(data_dir, item.blob_id).unlink()
    assert list(integrity_problems()) == [
        f"{report.reference}: evidence item {item.pk}: file is missing from the vault"
    ]
