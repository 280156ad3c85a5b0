"""Reading screenshots in the background: real OCR, run by the real database task worker."""

import io
import logging

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from PIL import Image, ImageDraw, ImageFont

from dontpay.cases.evidence import add_evidence, remove_evidence
from dontpay.cases.reports import create_report, delete_report
from dontpay.intel.models import EvidenceText, ReportIndicator
from dontpay.intel.scanning import screenshot_texts
from dontpay.intel.tasks import read_screenshot

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
    report = create_report(jurisdiction="GB", under_18=True).report
    png = chat_screenshot(f"pay to {WALLET}", "or call me on 07911 123456")
    item = add_evidence(report, "chat.png", png)
    assert DBTaskResult.objects.count() == 1  # queued once the item was committed

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


@pytest.mark.django_db
def test_reading_does_nothing_once_the_report_is_deleted() -> None:
    report = create_report(jurisdiction="GB").report
    item = add_evidence(report, "chat.png", chat_screenshot(f"pay to {WALLET}"))
    delete_report(report)
    read_screenshot.call(item.pk)
    assert not EvidenceText.objects.exists()
    assert not ReportIndicator.objects.exists()


@pytest.mark.django_db
def test_only_screenshots_are_read() -> None:
    report = create_report(jurisdiction="GB", under_18=False).report
    item = add_evidence(report, "chat.txt", f"pay to {WALLET}\n".encode())
    read_screenshot.call(item.pk)
    assert not EvidenceText.objects.exists()
