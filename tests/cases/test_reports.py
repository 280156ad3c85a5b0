"""Reports through the service layer: creation, passphrases, throttling, record, deletion."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dontpay.cases.custody import custody_problems
from dontpay.cases.evidence import add_evidence
from dontpay.cases.models import PassphraseAttempt, Report
from dontpay.cases.reports import (
    PASSPHRASE_GUESSES,
    add_item,
    client_fingerprint,
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

from .factories import held, screenshot

pytestmark = pytest.mark.django_db


def test_a_new_report_has_a_readable_reference_and_no_stored_passphrase() -> None:
    created = create_report("GB")
    report = created.report
    assert report.reference.startswith("DP-")
    assert len(report.reference) == 12
    assert report.passphrase_hash == ""
    assert created.passphrase.encode() not in bytes(report.owner_wrapped_key)
    assert [e.kind for e in report.custody.all()] == ["created"]


def test_the_passphrase_opens_the_report_however_it_is_typed() -> None:
    created = create_report()
    typed = created.passphrase.lower().replace("-", " ")
    reference = created.report.reference.lower().replace("-", "")
    opened = open_report(reference, typed, "client")
    assert opened is not None
    assert opened.report == created.report
    assert opened.key == created.key


def test_a_wrong_passphrase_does_not_open_it() -> None:
    created = create_report()
    assert open_report(created.report.reference, "AAAA-BBBB-CCCC-DDDD", "client") is None
    assert open_report("DP-0000-0000", created.passphrase, "client") is None


def test_wrong_guesses_from_elsewhere_never_lock_the_owner_out() -> None:
    created = create_report()
    for number in range(6):
        open_report(created.report.reference, "wrong", f"client-{number}")
    for _ in range(PASSPHRASE_GUESSES.per_client):
        open_report(created.report.reference, "wrong", "one-guesser")
    with pytest.raises(TooManyAttempts):
        open_report(created.report.reference, "wrong", "one-guesser")
    assert open_report(created.report.reference, created.passphrase, "owner") is not None


def test_a_guessing_client_waits_longer_after_each_failure() -> None:
    reports = [create_report().report for _ in range(3)]
    for number in range(PASSPHRASE_GUESSES.per_client):
        open_report(reports[number % 3].reference, "wrong", "same-client")
    with pytest.raises(TooManyAttempts) as caught:
        open_report(reports[0].reference, "wrong", "same-client")
    assert caught.value.retry_after <= timedelta(seconds=30)
    # Once the wait has passed, one more guess is allowed, and the next wait is twice as long.
    PassphraseAttempt.objects.update(at=timezone.now() - timedelta(seconds=31))
    assert open_report(reports[0].reference, "wrong", "same-client") is None
    with pytest.raises(TooManyAttempts) as caught:
        open_report(reports[1].reference, "wrong", "same-client")
    assert timedelta(seconds=50) < caught.value.retry_after <= timedelta(seconds=60)


def test_a_waiting_client_is_refused_even_the_right_passphrase_but_only_until_it_waited() -> None:
    created = create_report()
    for _ in range(PASSPHRASE_GUESSES.per_client):
        open_report(created.report.reference, "wrong", "shared-wifi")
    with pytest.raises(TooManyAttempts):
        open_report(created.report.reference, created.passphrase, "shared-wifi")
    PassphraseAttempt.objects.update(at=timezone.now() - timedelta(minutes=1))
    assert open_report(created.report.reference, created.passphrase, "shared-wifi") is not None


def test_the_record_is_saved_encrypted_and_chained() -> None:
    created = create_report()
    with held(created) as report:
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
    with held(create_report()) as report:
        assert add_item(report, section("demands"), {"amount": " "}) is False
        with pytest.raises(InvalidRecord) as caught:
            add_item(report, section("demands"), {"amount": "lots", "deadline": "soon"})
        assert set(caught.value.errors) == {"amount", "deadline"}
        assert read_record(report)["demands"] == []


def test_deleting_a_report_destroys_its_keys_and_files_and_keeps_its_chain() -> None:
    created = create_report()
    with held(created) as report:
        item = add_evidence(report, "threat.png", screenshot())
        blob_ids = {item.blob_id, item.thumbnail_blob_id}
        delete_report(report)
    report.refresh_from_db()
    assert bytes(report.wrapped_key) == b""
    assert bytes(report.owner_wrapped_key) == b""
    assert report.evidence.count() == 0
    assert blob_ids.isdisjoint(set(vault().blob_ids()))
    with pytest.raises(DecryptionFailed):
        data_key(report)
    assert [e.kind for e in report.custody.all()][-1] == "deleted"
    assert custody_problems(report) == []
    assert open_report(report.reference, created.passphrase, "client") is None


def test_deleting_leaves_no_trace_of_what_was_in_the_report() -> None:
    with held(create_report(jurisdiction="GB", under_18=True)) as report:
        item = add_evidence(report, "threat.png", screenshot())
        add_item(report, section("payments"), {"amount": "50"})
        delete_report(report)
    report.refresh_from_db()
    details = [e.detail for e in report.custody.all()]
    assert [e.kind for e in report.custody.all()] == ["deleted"]
    assert item.sha256 not in str(details)
    assert "payments" not in str(details)
    assert (report.passphrase_hash, report.jurisdiction, report.under_18) == ("", "", None)


def test_an_ipv6_client_counts_as_its_whole_block() -> None:
    same = client_fingerprint("2001:db8:1:2::1")
    assert client_fingerprint("2001:db8:1:2:ffff::9") == same
    assert client_fingerprint("2001:db8:1:3::1") != same
    assert client_fingerprint("203.0.113.9") != client_fingerprint("203.0.113.10")
