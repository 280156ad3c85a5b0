"""A person keeps a record over several visits and downloads the pack, in chromium."""

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from dontpay.domain.custody import verify_pack

from ..cases.factories import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_leave_return_upload_and_download(
    browser: Browser, live_server, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    first = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = first.new_page()
    page.goto("/report/")
    page.get_by_role("button", name="Start a record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select whether you are under 18")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Start a record").click()
    reference = page.get_by_test_id("reference").inner_text()
    passphrase = page.get_by_test_id("passphrase").inner_text()
    page.reload()  # a reload shows the same record and passphrase, never a second record
    assert page.get_by_test_id("reference").inner_text() == reference
    assert page.get_by_test_id("passphrase").inner_text() == passphrase
    page.get_by_role("button", name="I have written them down").click()

    page.get_by_role("link", name="When it happened").click()
    page.get_by_label("When did the threats start?").fill("2026-11-02")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Who contacted you")).to_be_visible()
    page.get_by_label("App or site").select_option("instagram")
    page.get_by_label("Username").fill("@bad_actor_99")
    page.get_by_label("Link to their profile").fill("instagram.com/bad_actor_99")
    page.get_by_role("button", name="Save and add another").click()
    expect(page.locator("dt", has_text="Account 1")).to_be_visible()
    page.get_by_role("button", name="Save and continue").click()
    page.goto("/report/record/demands/")
    page.get_by_label("Amount").fill("five hundred")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter an amount as a number")
    page.get_by_label("Amount").fill("500")
    page.get_by_label("Currency").select_option("GBP")
    page.get_by_role("button", name="Save and continue").click()
    first.close()  # leaves: the browser session is gone

    second = browser.new_context(base_url=live_server.url, accept_downloads=True)
    page = second.new_page()
    page.goto("/report/sign-in/")
    page.get_by_label("Reference").fill(reference)
    page.get_by_label("Passphrase").fill(passphrase)
    page.get_by_role("button", name="Open record").click()
    expect(page.locator("#status-who")).to_have_text(re.compile("Saved"))

    shots = []
    for number in (1, 2):
        path = tmp_path / f"screenshot-{number}.png"
        path.write_bytes(screenshot(f"Pay or I send it, message {number}"))
        shots.append(path)
    page.get_by_role("link", name="Screenshots and files").click()
    page.get_by_label("Upload files").set_input_files(shots)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".dp-evidence")).to_have_count(2)
    expect(page.locator(".dp-evidence__thumbnail").first).to_have_js_property("complete", True)
    assert page.locator(".dp-evidence__thumbnail").first.evaluate("img => img.naturalWidth") > 0

    page.get_by_role("link", name="Back to your record").first.click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download report pack").click()
    pack = Path(download.value.path()).read_bytes()
    second.close()

    assert verify_pack(pack).valid
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        names = archive.namelist()
        pdf = PdfReader(io.BytesIO(archive.read("report.pdf")))
    assert "evidence/01-screenshot-1.png" in names
    assert "evidence/02-screenshot-2.png" in names
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert f"Report {reference}" in text
    assert "Timeline" in text
    assert "2 November 2026" in text  # threats started, in the timeline
    assert "@bad_actor_99" in text
    assert "500.00" in text
    assert len(pdf.pages[1].images) + len(pdf.pages[0].images) >= 1  # thumbnails embedded

    first_page = render_first_page(pdf_bytes(pack), tmp_path)
    assert first_page.getbbox() is not None  # something is drawn
    dark = first_page.convert("L").point(lambda value: 255 if value < 128 else 0).histogram()[255]
    assert dark > 2_000, "the first page is nearly blank"


def pdf_bytes(pack: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        return archive.read("report.pdf")


def render_first_page(pdf: bytes, folder: Path) -> Image.Image:
    """The PDF's first page as poppler draws it (the same PNG a person can look at)."""
    if not shutil.which("pdftoppm"):
        if os.environ.get("CI"):
            pytest.fail("pdftoppm (poppler-utils) is not installed, and CI must render the PDF")
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    (folder / "report.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(folder / "report.pdf"),
            str(folder / "page"),
        ],
        check=True,
        timeout=60,
    )
    return Image.open(next(folder.glob("page*.png")))
