"""The GOV.UK timeout warning on an open record, in chromium with a fake clock: two minutes
before the record closes a dialog offers to keep it open; if nobody answers, the page sends
what was typed, so it is kept."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dontpay.help.record_session import IDLE_SECONDS, WARNING_SECONDS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def start_record(page: Page) -> None:
    page.clock.install()
    page.goto("/report/")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Start a record").click()
    page.get_by_role("button", name="I have written them down").click()


def test_the_warning_comes_two_minutes_before_and_keeps_the_record_open(page: Page) -> None:
    start_record(page)
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_hidden()
    page.clock.run_for((IDLE_SECONDS - WARNING_SECONDS - 5) * 1000)
    expect(dialog).to_be_hidden()
    page.clock.run_for(10_000)
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Your record will close soon")
    expect(dialog).to_contain_text(" 2 minutes")
    expect(dialog.get_by_role("button", name="Exit this page")).to_have_attribute("href", "/exit/")
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / "timeout-warning-390.png"))
    with page.expect_response("**/report/keep-open/") as kept:
        dialog.get_by_role("button", name="Keep my record open").click()
    assert kept.value.status == 204
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("heading", name="Your record")).to_be_visible()


def test_if_nobody_answers_what_was_typed_is_sent_not_lost(page: Page) -> None:
    start_record(page)
    page.get_by_role("link", name="What happened, in your words").click()
    words = "He said he would post it tonight unless I paid"
    page.get_by_role("textbox").first.fill(words)
    with page.expect_navigation():
        page.clock.run_for((IDLE_SECONDS + 6) * 1000)
    # The server had not closed the record yet, so the page's own send saved it.
    page.goto("/report/record/your-account/")
    expect(page.get_by_role("textbox").first).to_have_value(words)


def test_the_countdown_speaks_welsh_where_the_browser_knows_no_welsh(page: Page) -> None:
    """Chromium has no Welsh words for units of time, so the countdown uses the page's own."""
    page.clock.install()
    page.goto("/report/")
    page.locator("button[name=language][value=cy]").click()
    page.locator("input[value=no]").check()
    page.locator("form .govuk-button").click()
    page.locator(".govuk-grid-row form .govuk-button").first.click()  # written them down
    countdown = page.locator("[data-dp-countdown]")
    page.clock.run_for((IDLE_SECONDS - WARNING_SECONDS + 1) * 1000)
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(countdown).to_have_text("2 munud")
    page.clock.run_for(70_000)
    expect(countdown).to_have_text("1 munud")
    page.clock.run_for(45_000)
    expect(countdown).to_have_text("1 munud")  # never "5 seconds"
