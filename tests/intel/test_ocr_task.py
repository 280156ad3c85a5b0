"""Reading screenshots in the background: real OCR, run by the real database task worker."""

import io
import logging

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from PIL import Image, ImageDraw, ImageFont

from dontpay.cases.evidence import add_evidence, remove_evidence
from dontpay.cases.models import EvidenceItem
from dontpay.cases.reports import create_report, delete_report
from dontpay.cases.sharing import consent_to_linking
from dontpay.intel.models import EvidenceText, ReportIndicator
from dontpay.intel.scanning import screenshot_texts
from dontpay.intel.tasks import read_screenshot

from ..cases.factories import held, sent_report

WALLET = "bc1qygeveepctc2fs4w3w3tpevazqkytarc2388l77"


def chat_screenshot(*lines: str) -> bytes:
    """A PNG like a phone screenshot: one white message bubble on a chat background."""
    image = Image.new("RGB", (720, 360), (236, 229, 221))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((16, 40, 704, 60 + 50 * len(lines)), 16, fill=(255, 255, 255))
    font = ImageFont.load_default(size=22)
    for number, line in enumerate(lines):
        draw.text((32, 60 + 50 * number), line, fill=(0, 0, 0), font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")


@pytest.mark.django_db(transaction=True)
def test_a_screenshot_is_read_in_the_background_and_its_text_indexed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    png = chat_screenshot(f"pay to {WALLET}", "or call me on 07911 123456")
    report = sent_report(
        jurisdiction="GB", under_18=True, fill=lambda r: add_evidence(r, "chat.png", png)
    )
    item = report.evidence.get()
    assert DBTaskResult.objects.count() == 1  # queued once it was sent, with consent to link

    with caplog.at_level(logging.DEBUG):
        run_worker()

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    stored = bytes(EvidenceText.objects.get(evidence=item).text)
    assert WALLET.encode() not in stored
    assert b"07911" not in stored
    (text,) = screenshot_texts(report)
    assert WALLET in text
    found = set(
        ReportIndicator.objects.filter(report=report, source=ReportIndicator.OCR).values_list(
            "indicator__key", flat=True
        )
    )
    assert found == {f"crypto_address:btc:{WALLET}", "phone::+447911123456"}
    assert WALLET not in caplog.text
    assert "07911" not in caplog.text

    remove_evidence(item)
    assert not ReportIndicator.objects.filter(report=report, source=ReportIndicator.OCR).exists()


@pytest.mark.django_db(transaction=True)
def test_screenshots_are_not_read_without_consent_or_unless_sent() -> None:
    png = chat_screenshot(f"pay to {WALLET}")
    sent_unlinked = sent_report(linked=False, fill=lambda r: add_evidence(r, "a.png", png))
    with held(create_report("GB", under_18=False)) as private:
        add_evidence(private, "b.png", png)
        consent_to_linking(private)
    assert DBTaskResult.objects.count() == 0
    for item in EvidenceItem.objects.all():
        read_screenshot.call(item.pk)  # even if asked, the worker reads neither
    assert not EvidenceText.objects.exists()
    assert sent_unlinked.evidence.count() == 1


@pytest.mark.django_db
def test_reading_does_nothing_once_the_report_is_deleted() -> None:
    report = sent_report(jurisdiction="GB")
    item = add_evidence(report, "chat.png", chat_screenshot(f"pay to {WALLET}"))
    delete_report(report)
    read_screenshot.call(item.pk)
    assert not EvidenceText.objects.exists()
    assert not ReportIndicator.objects.exists()


@pytest.mark.django_db
def test_only_screenshots_are_read() -> None:
    report = sent_report(jurisdiction="GB", under_18=False)
    item = add_evidence(report, "chat.txt", f"pay to {WALLET}\n".encode())
    read_screenshot.call(item.pk)
    assert not EvidenceText.objects.exists()
