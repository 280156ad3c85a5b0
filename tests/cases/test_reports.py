"""Reports through the service layer: creation, passphrases, throttling, record, deletion."""

import pytest

from dontpay.cases.custody import custody_problems
from dontpay.cases.evidence import add_evidence
from dontpay.cases.models import Report
from dontpay.cases.reports import (
    MAX_FAILURES_PER_REFERENCE,
    add_item,
    create_report,
    delete_report,
    open_report,
    read_record,
    remove_item,
    save_section,
)
from dontpay.cases.throttle import TooManyAttempts
from dontpay.cases.vault import data_key, vault
from dontpay.domain.custody import DecryptionFailed
from dontpay.domain.reports import InvalidRecord, section

from .factories import screenshot

pytestmark = pytest.mark.django_db


def test_a_new_report_has_a_readable_reference_and_a_hashed_passphrase() -> None:
    created = create_report("GB")
    report = created.report
    assert report.reference.startswith("DP-")
    assert len(report.reference) == 12
    assert created.passphrase not in report.passphrase_hash
    assert report.passphrase_hash.startswith("argon2")
    assert [e.kind for e in report.custody.all()] == ["created"]


def test_the_passphrase_opens_the_report_however_it_is_typed() -> None:
    created = create_report()
    typed = created.passphrase.lower().replace("-", " ")
    reference = created.report.reference.lower().replace("-", "")
    assert open_report(reference, typed, "client") == created.report


def test_a_wrong_passphrase_does_not_open_it() -> None:
    created = create_report()
    assert open_report(created.report.reference, "AAAA-BBBB-CCCC-DDDD", "client") is None
    assert open_report("DP-0000-0000", created.passphrase, "client") is None


def test_guessing_is_throttled_per_reference() -> None:
    created = create_report()
    for number in range(MAX_FAILURES_PER_REFERENCE):
        open_report(created.report.reference, "wrong", f"client-{number}")
    with pytest.raises(TooManyAttempts):
        open_report(created.report.reference, created.passphrase, "another-client")


def test_guessing_is_throttled_per_client() -> None:
    reports = [create_report().report for _ in range(4)]
    for number in range(20):
        open_report(reports[number % 4].reference, "wrong", "same-client")
    with pytest.raises(TooManyAttempts):
        open_report(create_report().report.reference, "wrong", "same-client")


def test_the_record_is_saved_encrypted_and_chained() -> None:
    report = create_report().report
    save_section(report, section("when"), {"started_on": "2026-11-01"})
    add_item(report, section("who"), {"username": "@offender_one"})
    add_item(report, section("who"), {"username": "@offender_two"})
    remove_item(report, section("who"), 0)
    record = read_record(Report.objects.get(pk=report.pk))
    assert record["when"] == {"started_on": "2026-11-01"}
    assert record["who"] == [{"username": "@offender_two"}]
    assert b"offender" not in bytes(Report.objects.get(pk=report.pk).record)
    kinds = [e.kind for e in report.custody.all()]
    assert kinds == ["created"] + ["field-changed"] * 4
    assert all("offender" not in str(e.detail) for e in report.custody.all())
    assert custody_problems(report) == []


def test_an_empty_item_is_not_added_and_a_bad_one_is_refused() -> None:
    report = create_report().report
    assert add_item(report, section("demands"), {"amount": " "}) is False
    with pytest.raises(InvalidRecord) as caught:
        add_item(report, section("demands"), {"amount": "lots", "deadline": "soon"})
    assert set(caught.value.errors) == {"amount", "deadline"}
    assert read_record(report)["demands"] == []


def test_deleting_a_report_destroys_its_key_and_files_and_keeps_its_chain() -> None:
    report = create_report().report
    item = add_evidence(report, "threat.png", screenshot())
    blob_ids = {item.blob_id, item.thumbnail_blob_id}
    delete_report(report)
    report.refresh_from_db()
    assert bytes(report.wrapped_key) == b""
    assert report.evidence.count() == 0
    assert blob_ids.isdisjoint(set(vault().blob_ids()))
    with pytest.raises(DecryptionFailed):
        data_key(report)
    assert [e.kind for e in report.custody.all()][-1] == "deleted"
    assert custody_problems(report) == []
    assert open_report(report.reference, "anything", "client") is None


def test_deleting_leaves_no_trace_of_what_was_in_the_report() -> None:
    report = create_report(jurisdiction="GB", under_18=True).report
    item = add_evidence(report, "threat.png", screenshot())
    add_item(report, section("payments"), {"amount": "50"})
    delete_report(report)
    report.refresh_from_db()
    details = [e.detail for e in report.custody.all()]
    assert [e.kind for e in report.custody.all()] == ["deleted"]
    assert item.sha256 not in str(details)
    assert "payments" not in str(details)
    assert (report.passphrase_hash, report.jurisdiction, report.under_18) == ("", "", None)
