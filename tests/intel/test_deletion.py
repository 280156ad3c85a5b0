"""Deleting a report takes it out of the index: its links, its clusters, and the values that
only it mentioned."""

import pytest

from dontpay.cases.reports import add_item, delete_report, save_section
from dontpay.domain.reports import section
from dontpay.intel.linking import times_reported_before
from dontpay.intel.models import ClusterMembership, Indicator, ReportIndicator

from ..cases.factories import sent_report

pytestmark = pytest.mark.django_db

SHARED = "bc1qygeveepctc2fs4w3w3tpevazqkytarc2388l77"


def _report_paying(wallet: str, phone: str):  # type: ignore[no-untyped-def]
    def fill(report):  # type: ignore[no-untyped-def]
        add_item(report, section("payment-details"), {"kind": "crypto-wallet", "value": wallet})
        save_section(report, section("contact-details"), {"phone_numbers": phone})

    return sent_report(jurisdiction="GB", under_18=False, answers={}, fill=fill)


def test_deleting_a_report_unlinks_it_and_forgets_values_only_it_mentioned() -> None:
    kept = _report_paying(SHARED, "07911 123456")
    deleted = _report_paying(SHARED.upper(), "07400 123456")
    assert ClusterMembership.objects.filter(report=kept).exists()
    assert Indicator.objects.filter(value="+447400123456").exists()

    delete_report(deleted)

    assert not ReportIndicator.objects.filter(report=deleted).exists()
    assert not Indicator.objects.filter(value="+447400123456").exists()
    assert Indicator.objects.get(value=SHARED).report_count == 1
    assert not ClusterMembership.objects.filter(report__in=[kept, deleted]).exists()
    assert all(times == 0 for _, times in times_reported_before(kept))
