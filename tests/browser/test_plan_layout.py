"""The plan on a phone: the call that cannot wait is on the first screen, and the urgency tags
read as one line each."""

import pytest
from playwright.sync_api import Page

from .journeys import answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HAPPENING_NOW_AT_RISK = (
    "United Kingdom",
    "Yes, it is happening now",
    "No",  # under 18
    "Yes",  # thoughts of self-harm
    "No",  # paid
    "Yes",  # still in contact
    ["Instagram", "Skype"],
    "Yes, and they are threatening to share them",
)


@pytest.mark.parametrize("page", [390, 1280], indirect=True)
def test_the_emergency_call_is_on_the_first_screen(page: Page) -> None:
    page.goto("/questions/where/")
    answer(page, *HAPPENING_NOW_AT_RISK)
    call = page.get_by_test_id("emergency-call")
    assert call.get_attribute("href") == "tel:999"
    box = call.bounding_box()
    viewport = page.viewport_size
    assert box is not None
    assert viewport is not None
    assert box["y"] >= 0, box
    assert box["y"] + box["height"] <= viewport["height"], box
    assert box["height"] >= 44  # a target a thumb can hit
    column = page.locator("h1").bounding_box()  # the width of the text column
    assert column is not None
    assert box["width"] >= column["width"] - 1
    first_step = page.locator(".dp-first-steps a").first.bounding_box()
    assert first_step is not None
    assert first_step["y"] + first_step["height"] <= viewport["height"]


def test_urgency_tags_do_not_wrap(page: Page) -> None:
    page.goto("/questions/where/")
    answer(page, *HAPPENING_NOW_AT_RISK)
    heights = page.locator(".govuk-task-list__status .govuk-tag").evaluate_all(
        "tags => tags.map(t => [t.textContent.trim(), t.getClientRects().length,"
        " t.getBoundingClientRect().height])"
    )
    assert any(text == "Do this first" for text, _, _ in heights)
    one_line = min(height for _, _, height in heights)
    for text, rects, height in heights:
        assert rects == 1, text
        assert height <= one_line + 1, (text, height, one_line)


def test_urgency_tags_fit_their_colour_and_the_phone_in_every_language(page: Page) -> None:
    """A translated tag may be wider than GOV.UK's 160px cap on tags: it must widen its tag
    rather than spill out of it and push the page sideways (Welsh "Gwnewch hyn gyntaf")."""
    page.goto("/questions/where/")
    answer(page, *HAPPENING_NOW_AT_RISK)
    for language in ("en-gb", "cy", "es", "fr", "hi", "ur"):
        if page.locator("html").get_attribute("lang") != language:
            page.locator(f"button[name=language][value={language}]").click()
        assert page.locator("html").get_attribute("lang") == language
        spilling = page.locator(".govuk-task-list__status .govuk-tag").evaluate_all(
            "tags => tags.filter(t => t.scrollWidth > t.clientWidth).map(t => t.textContent)"
        )
        assert spilling == [], language
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, language
