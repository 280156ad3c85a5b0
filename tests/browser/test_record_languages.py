"""The record in each language, at phone width in chromium: starting it, a section with a
mistake in it (the error summary in the language), the evidence page and the send page, with
nothing left in English but names and addresses, no sideways scrolling, no serious
accessibility problem, Urdu laid out right to left, and what was typed kept across a switch of
language."""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .test_languages import WALKS, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", WALKS)
def test_the_record_speaks_the_chosen_language(page: Page, language: str, tmp_path: Path) -> None:
    problems: dict[str, object] = {}
    axe = Axe()

    def look(name: str) -> None:
        check_page(page, language, problems)
        violations = axe.run(page).response["violations"]
        if serious := [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]:
            problems[f"{name} axe"] = serious
        page.screenshot(path=tmp_path / f"record-{name}-{language}.png", full_page=True)

    page.goto("/report/")
    page.locator(f"button[name=language][value={language}]").click()
    expect(page).to_have_url(re.compile(r"/report/$"))
    page.locator("form .govuk-button").click()  # no answer: an error in the language
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    look("start")
    page.locator("input[value=no]").check()
    page.locator("form .govuk-button").click()
    expect(page.get_by_test_id("passphrase")).to_be_visible()
    look("saved")
    page.locator(".govuk-grid-row form .govuk-button").first.click()
    expect(page).to_have_url(re.compile("/report/record/$"))
    look("overview")

    page.goto("/report/record/who/")
    page.locator("#platform").select_option("instagram")
    page.locator("#username").fill("@bad_actor_99")
    # Switching language half way through keeps what was typed, without any script.
    page.locator("button[name=language][value=en-gb]").click()
    expect(page.locator("h1")).to_have_text("Who contacted you")
    expect(page.locator("#username")).to_have_value("@bad_actor_99")
    page.locator(f"button[name=language][value={language}]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#platform")).to_have_value("instagram")
    page.locator("#profile_url").fill("not a link")
    page.locator(".govuk-button[value=add]").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert "https://example.com/name" in summary.inner_text()
    expect(page.locator("#profile_url")).to_have_value("not a link")  # kept as typed
    look("section-error")
    page.locator("#profile_url").fill("instagram.com/bad_actor_99")
    page.locator(".govuk-button[value=add]").click()
    expect(page.locator(".govuk-summary-list__key")).to_have_count(1)
    look("section-item")

    page.goto("/report/evidence/")
    page.locator("button[value=upload]").click()  # nothing chosen: an error in the language
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    look("evidence")
    if language == "ur":
        back = page.locator(".govuk-back-link").bounding_box()
        heading = page.locator("h1").bounding_box()
        assert back
        assert heading
        assert back["x"] + back["width"] > heading["x"] + heading["width"] - 40, "back on the right"

    page.goto("/report/send/")
    look("send")
    if language == "ur":
        box = page.locator(".govuk-checkboxes__input").first.bounding_box()
        label = page.locator(".govuk-checkboxes__label").first.bounding_box()
        assert box
        assert label
        assert box["x"] > label["x"], "checkboxes sit on the right of their labels"
    page.locator(".govuk-grid-row form .govuk-button").first.click()
    expect(page.get_by_test_id("done")).to_be_visible()
    look("sent")
    assert problems == {}


def test_enter_in_a_field_saves_rather_than_switching_language(page: Page) -> None:
    """The language buttons also send a section's form, and come first in the page: Enter (a
    phone keyboard's Go) must still press the form's own first button, as it always did."""
    page.goto("/report/")
    page.locator("button[name=language][value=ur]").click()
    page.locator("input[value=no]").check()
    page.locator("form .govuk-button").click()
    page.goto("/report/record/who/")
    page.locator("#username").fill("@bad_actor_99")
    page.locator("#username").press("Enter")
    expect(page.locator(".govuk-summary-list__key")).to_have_count(1)  # saved, and added
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    page.goto("/report/record/contact/")
    page.locator("#phone").fill("07700 900123")
    page.locator("#phone").press("Enter")
    expect(page).to_have_url(re.compile("/report/evidence/$"))  # saved, and on to the next part
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    page.goto("/report/record/contact/")
    expect(page.locator("#phone")).to_have_value("07700 900123")
