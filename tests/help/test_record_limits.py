"""A record holds a bounded amount, and saving it does bounded work: a full list refuses one more
item with a clear error and keeps everything saved; a sent record is indexed again by the
worker, not in the person's request."""

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from dontpay.cases.reports import add_item, create_report, read_record, save_section
from dontpay.cases.sharing import consent_to_linking
from dontpay.domain.reports import section
from dontpay.domain.reports.record import MAX_ITEMS
from dontpay.intel.models import ReportIndicator

from ..cases.factories import held, sent_report
from .test_report_views import start

WALLET = "bc1qygeveepctc2fs4w3w3tpevazqkytarc2388l77"


def indexed(report, source: str) -> set[str]:  # type: ignore[no-untyped-def]
    rows = ReportIndicator.objects.filter(report=report, source=source)
    return set(rows.values_list("indicator__key", flat=True))


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")


@pytest.mark.django_db
def test_a_full_list_refuses_one_more_item_with_a_clear_error_and_loses_nothing(
    client: Client,
) -> None:
    start(client)
    for number in range(MAX_ITEMS):
        saved = client.post(
            "/report/record/payment-details/",
            {"kind": "gift-card", "value": f"CARD-{number:04}", "action": "add"},
        )
        assert saved.status_code == 302
    refused = client.post(
        "/report/record/payment-details/",
        {"kind": "paypal", "value": "paypal.me/one-too-many", "action": "add"},
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "There is a problem" in page
    assert (
        f"This part of your record already holds {MAX_ITEMS} items, the most it can hold. "
        "Remove one you do not need to add another"
    ) in page
    assert 'value="paypal.me/one-too-many"' in page  # what was typed is shown again
    assert f"Payment detail {MAX_ITEMS}" in page
    assert f"CARD-{MAX_ITEMS - 1:04}" in page
    # Removing one makes room again.
    client.post("/report/record/payment-details/", {"action": "remove-0"})
    again = client.post(
        "/report/record/payment-details/",
        {"kind": "paypal", "value": "paypal.me/one-too-many", "action": "add"},
    )
    assert again.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_sent_record_is_indexed_again_by_the_worker_not_in_the_request() -> None:
    report = sent_report("GB")
    add_item(report, section("payment-details"), {"kind": "crypto-wallet", "value": WALLET})
    assert indexed(report, ReportIndicator.RECORD) == set()
    queued = DBTaskResult.objects.filter(task_path="dontpay.intel.tasks.rescan_record")
    assert queued.count() == 1
    run_worker()
    assert indexed(report, ReportIndicator.RECORD) == {f"crypto_address:btc:{WALLET}"}
    # A section that feeds no indicators queues nothing.
    save_section(report, section("your-account"), {"text": f"I paid {WALLET}"})
    assert queued.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_linked_record_not_sent_reindexes_only_the_source_saved_in_the_request() -> None:
    created = create_report("GB")
    with held(created) as report:
        consent_to_linking(report)
        save_section(report, section("messages"), {"text": "call 07911 123456"})
        assert indexed(report, ReportIndicator.MESSAGES) == {"phone::+447911123456"}
        add_item(report, section("payment-details"), {"kind": "crypto-wallet", "value": WALLET})
        assert indexed(report, ReportIndicator.RECORD) == {f"crypto_address:btc:{WALLET}"}
        assert read_record(report)["messages"] == {"text": "call 07911 123456"}
    assert not DBTaskResult.objects.exists()  # the worker could not read it anyway
