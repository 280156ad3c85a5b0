"""A caseworker signs in with a TOTP code, triages the queue, records an outcome and exports
the FOI table, in chromium."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from dontpay.accounts.enrolment import create_staff
from dontpay.cases.evidence import add_evidence
from dontpay.cases.models import Report
from dontpay.cases.reports import add_item
from dontpay.domain.reports import section

from ..accounts.staff import PASSWORD, current_code
from ..cases.factories import screenshot, sent_report
from .test_report_journey import render_first_page

#: An image has arrived and decoded (its width is known), however long the server took.
LOADED = "selector => document.querySelector(selector)?.naturalWidth > 0"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "west_midlands_foi.csv"


def test_caseworker_triages_records_an_outcome_and_exports(
    browser: Browser,
    live_server,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    calm = sent_report("GB", under_18=False)

    def urgent_record(report: Report) -> None:
        add_item(report, section("who"), {"platform": "snapchat", "username": "jess.x"})
        add_evidence(report, "threat.png", screenshot())

    urgent = sent_report("GB", under_18=True, answers={"self_harm": True}, fill=urgent_record)
    call_command("import", "cases", str(FIXTURE))
    create_staff("casey", "caseworker", password=PASSWORD)

    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.goto("/staff/")
    expect(page).to_have_url(re.compile(r"/staff/login/"))
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("not right")
    page.wait_for_timeout(1500)  # django-otp refuses codes for a moment after a wrong one
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(current_code("casey"))
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Triage queue")).to_be_visible()
    rows = page.locator("tbody tr[data-reference]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-reference", urgent.reference)
    expect(rows.first).to_contain_text("Self-harm")
    expect(rows.nth(1)).to_have_attribute("data-reference", calm.reference)

    rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", name=f"Case {urgent.reference}")).to_be_visible()
    expect(page.get_by_text("jess.x")).to_be_visible()
    page.wait_for_function(LOADED, arg=".dp-evidence__thumbnail")
    page.get_by_label("Status").select_option("closed")
    page.get_by_label("Date recorded").fill("2026-11-20")
    page.get_by_label("Home Office outcome type").select_option("18")
    page.get_by_role("button", name="Save case").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date the outcome")
    page.get_by_label("Outcome date").fill("2026-11-25")
    page.get_by_role("button", name="Save case").click()
    expect(page.locator(".govuk-caption-l")).to_contain_text("Closed")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Case saved")
    expect(page.get_by_text("Status: New \N{RIGHTWARDS ARROW} Closed")).to_be_visible()
    expect(
        page.get_by_text("Outcome date: none \N{RIGHTWARDS ARROW} 25 November 2026")
    ).to_be_visible()

    page.get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", name="FOI statistics")).to_be_visible()
    page.wait_for_function(LOADED, arg="img.dp-chart")
    expect(page.locator("table").first).to_contain_text("2026/27")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    csv = Path(download.value.path()).read_text()
    assert "2026/27" in csv
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "2014/15" in text
    assert "30" in text  # 29 imported and the case just recorded
    first_page = render_first_page(pdf, tmp_path)
    dark = first_page.convert("L").point(lambda value: 255 if value < 128 else 0).histogram()[255]
    assert dark > 2_000
    context.close()
