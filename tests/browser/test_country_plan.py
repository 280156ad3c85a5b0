"""A plan for a country without one police non-emergency number, on a phone: the emergency call
comes first, the police step reads right with no empty phone link, nothing scrolls sideways."""

import pytest
from playwright.sync_api import Page, expect

from .journeys import answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CANADA_NOW_PAID = (
    "Canada",
    "Yes, it is happening now",
    "No",  # under 18
    "No",  # thoughts of self-harm
    "Yes",  # paid
    "Yes",  # still in contact
    ["Snapchat"],
    "Yes, and they are threatening to share them",
)


def test_a_canadian_plan_on_a_phone(page: Page) -> None:
    page.goto("/questions/where/")
    answer(page, *CANADA_NOW_PAID)
    call = page.get_by_test_id("emergency-call")
    assert call.get_attribute("href") == "tel:911"
    expect(page.locator("#report-to-police")).to_contain_text(
        "Canada has no single non-emergency police number"
    )
    expect(page.locator("#already-paid")).to_contain_text("Canadian Anti-Fraud Centre")
    expect(page.locator(".dp-crisis-banner")).to_contain_text("988")
    phone_links = page.locator('a[href^="tel:"]').evaluate_all(
        "links => links.map(a => [a.getAttribute('href'), a.textContent.trim()])"
    )
    for href, text in phone_links:
        assert href != "tel:", text
        assert text not in ("", "Call"), href
    assert "tel:101" not in {href for href, _ in phone_links}
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
