"""Three complete journeys through the flow in chromium, asserting the plan each one gets."""

import re

import pytest
from playwright.sync_api import Page, expect

from .journeys import answer, plan_step_ids

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_adult_happening_now(page: Page) -> None:
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    answer(
        page,
        "United Kingdom",
        "Yes, it is happening now",
        "No",  # under 18
        "No",  # thoughts of self-harm
        "No",  # paid
        "Yes",  # still in contact
        ["Instagram", "Skype"],
        "Yes, and they are threatening to share them",
    )
    expect(page).to_have_url(re.compile(r"/plan/$"))
    ids = plan_step_ids(page)
    assert ids[:4] == ["call-emergency", "do-not-pay", "stop-communicating", "preserve-evidence"]
    assert ids.count("report-to-platform") == 2
    assert "child-protection" not in ids
    assert "already-paid" not in ids
    expect(page.locator("#call-emergency")).to_contain_text("Call 999 now")
    expect(page.locator('[id="report-to-platform:skype"]')).to_contain_text(
        "Skype closed on 5 May 2025"
    )


def test_adult_recent_who_paid(page: Page) -> None:
    page.goto("/questions/where/")
    answer(
        page,
        "United Kingdom",
        "It happened recently, in the last few days",
        "No",
        "No",
        "Yes",  # paid
        "No",  # no longer in contact
        ["Facebook"],
        "They have already shared or posted something",
    )
    ids = plan_step_ids(page)
    assert "call-emergency" not in ids
    assert ids[0] == "do-not-pay"
    assert "already-paid" in ids
    expect(page.locator("#do-not-pay h2")).to_contain_text("Do not pay anything more")
    expect(page.locator("#already-paid")).to_contain_text("Money Transfer Control Number")
    expect(page.locator("#stop-the-spread")).to_contain_text("StopNCII")
    # Tick a step off without JavaScript's help: a plain form post.
    page.locator("#do-not-pay").get_by_role("button", name="Mark as done").click()
    expect(page.locator("#do-not-pay")).to_contain_text("Done")
    expect(page.locator("#status-do-not-pay")).to_have_text("Done")


def test_under_18_with_thoughts_of_self_harm(page: Page) -> None:
    page.goto("/questions/where/")
    answer(
        page,
        "United Kingdom",
        "It happened longer ago",
        "Yes",  # under 18
        "Yes",  # thoughts of self-harm
        "I'd rather not say",  # paid
        "I'm not sure",  # in contact
        ["Snapchat"],
        "Yes, and they are threatening to share them",
    )
    ids = plan_step_ids(page)
    assert ids[:2] == ["call-emergency", "crisis-support"]
    assert "child-protection" in ids
    crisis = page.locator("#crisis-support")
    expect(crisis).to_contain_text("116 123")
    expect(page.locator("#child-protection")).to_contain_text("CEOP")
    expect(page.locator("#child-protection")).to_contain_text(
        "You do not need to send us, the police"
    )
    expect(page.locator("#stop-the-spread")).to_contain_text("Report Remove")
    expect(page.locator("#stop-the-spread")).not_to_contain_text("StopNCII")
    expect(page.locator("#preserve-evidence")).to_contain_text("Do not screenshot, save or forward")
