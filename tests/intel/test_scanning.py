"""Turning a saved record into indicators: each field to the right type, spellings to one key,
and indexing that can never cost the person their saved record."""

import logging

import pytest
from django.core.management import call_command

from dontpay.cases.reports import (
    add_item,
    read_record,
    remove_item,
    save_section,
)
from dontpay.domain.reports import section
from dontpay.intel import scanning
from dontpay.intel.models import ReportIndicator
from dontpay.intel.scanning import scan_record

from ..cases.factories import sent_report

WALLET = "bc1qygeveepctc2fs4w3w3tpevazqkytarc2388l77"

RECORD = {
    "who": [
        {
            "platform": "instagram",
            "username": "@Sophie.Loves.You",
            "display_name": "Sophie",
            "profile_url": "https://www.instagram.com/other.profile/",
        },
        {"platform": "whatsapp", "username": "+44 7911 123456"},
        {"platform": "snapchat", "username": "not a snapchat name!"},
        {"platform": "other", "username": "reach me at Second.Mail@Example.org"},
    ],
    "contact-details": {
        "phone_numbers": "020 7946 0018\nnot a number",
        "emails": "Scam.Mail@Example.com",
    },
    "payment-details": [
        {"kind": "crypto-wallet", "value": WALLET.upper(), "note": "Name: Pat"},
        {"kind": "iban", "value": "gb82 west 1234 5698 7654 32"},
        {"kind": "bank-account", "value": "20-00-00 55779911"},
        {"kind": "cashapp", "value": "$Cash_Me"},
        {"kind": "paypal", "value": "paypal.me/Someone"},
        {"kind": "other-handle", "value": "venmo @some-one"},
        {"kind": "gift-card", "value": "ABCD-1234-EFGH"},
        {"kind": "crypto-wallet", "value": "bc1q this is not a wallet"},
    ],
    "demands": [{"amount": "300", "method": "gift cards or paypal.me/DemandPay99"}],
    "payments": [{"amount": "100.00", "reference": "sent to 07911 654321"}],
    "posted": {"links": "https://leaks.example.net/u/123"},
    "contact": {"how": "email", "email": "me@victim.example.org", "phone": "07911 000111"},
    "reports-made": {"police_reference": "07911 222333"},
    "messages": {"text": "Pay GB82WEST12345698765432 now. add me on snap: john_doe"},
    "your-account": {"text": "He said to email other.guy@example.net"},
}


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")


def keys(report, source: str) -> set[str]:  # type: ignore[no-untyped-def]
    return set(
        ReportIndicator.objects.filter(report=report, source=source).values_list(
            "indicator__key", flat=True
        )
    )


@pytest.mark.django_db
def test_each_record_field_becomes_the_right_indicator() -> None:
    report = sent_report(jurisdiction="GB")
    scan_record(report, RECORD)
    assert keys(report, ReportIndicator.RECORD) == {
        "handle:instagram:sophie.loves.you",
        "handle:instagram:other.profile",
        "phone::+447911123456",
        "email::second.mail@example.org",
        "phone::+442079460018",
        "email::scam.mail@example.com",
        f"crypto_address:btc:{WALLET}",
        "iban::GB82WEST12345698765432",
        "bank_account::200000-55779911",
        "handle:cashapp:cash_me",
        "handle:paypal:someone",
        "handle:venmo:some-one",
        "handle:paypal:demandpay99",
        "url::https://leaks.example.net/u/123",
    }
    assert keys(report, ReportIndicator.MESSAGES) == {
        "iban::GB82WEST12345698765432",
        "handle:snapchat:john_doe",
    }  # the person's own account ("your-account") is theirs, so it is not searched


@pytest.mark.django_db
def test_the_persons_own_details_and_references_are_never_indicators() -> None:
    report = sent_report(jurisdiction="GB")
    scan_record(report, RECORD)
    everything = " ".join(
        ReportIndicator.objects.filter(report=report).values_list("indicator__key", flat=True)
    )
    for own in ("+447911654321", "+447911000111", "+447911222333", "victim", "ABCD"):
        assert own not in everything


@pytest.mark.django_db
def test_phone_numbers_without_a_country_code_are_read_in_the_reports_country() -> None:
    text = {"contact-details": {"phone_numbers": "(202) 555-0143"}}
    american = sent_report(jurisdiction="US")
    scan_record(american, text)
    assert keys(american, ReportIndicator.RECORD) == {"phone::+12025550143"}


@pytest.mark.django_db
def test_spellings_of_one_value_canonicalise_to_one_key_across_reports() -> None:
    first = sent_report(jurisdiction="GB")
    second = sent_report(jurisdiction="GB")
    scan_record(
        first,
        {
            "payment-details": [{"kind": "crypto-wallet", "value": WALLET}],
            "contact-details": {"phone_numbers": "07911 123456"},
        },
    )
    scan_record(
        second,
        {
            "payment-details": [{"kind": "crypto-wallet", "value": f"  {WALLET.upper()} "}],
            "contact-details": {"phone_numbers": "+44 (0)7911-123-456"},
        },
    )
    shared = keys(first, ReportIndicator.RECORD) & keys(second, ReportIndicator.RECORD)
    assert shared == {f"crypto_address:btc:{WALLET}", "phone::+447911123456"}


@pytest.mark.django_db(transaction=True)
def test_saving_the_record_indexes_it_and_a_removed_value_stops_linking() -> None:
    report = sent_report(jurisdiction="GB")
    payment_details = section("payment-details")
    add_item(report, payment_details, {"kind": "crypto-wallet", "value": WALLET})
    run_worker()  # a sent record is read again by the worker
    assert keys(report, ReportIndicator.RECORD) == {f"crypto_address:btc:{WALLET}"}
    save_section(report, section("messages"), {"text": "call 07911 123456"})
    run_worker()
    assert keys(report, ReportIndicator.MESSAGES) == {"phone::+447911123456"}
    remove_item(report, payment_details, 0)
    run_worker()
    assert keys(report, ReportIndicator.RECORD) == set()


@pytest.mark.django_db(transaction=True)
def test_a_failure_while_indexing_never_loses_the_saved_record(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    report = sent_report(jurisdiction="GB")

    def broken_index(*args: object) -> None:
        raise RuntimeError(f"cannot index {WALLET}")

    monkeypatch.setattr(scanning, "index_report", broken_index)
    with caplog.at_level(logging.ERROR, logger="dontpay.intel.scanning"):
        add_item(report, section("payment-details"), {"kind": "crypto-wallet", "value": WALLET})
        run_worker()
    report.refresh_from_db()
    assert read_record(report)["payment-details"] == [{"kind": "crypto-wallet", "value": WALLET}]
    assert f"Indexing report {report.pk} failed: RuntimeError" in caplog.text
    assert WALLET not in caplog.text
    assert not ReportIndicator.objects.filter(report=report).exists()
