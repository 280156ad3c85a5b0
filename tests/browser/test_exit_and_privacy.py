"""Exit this page, same-origin requests only, accessibility and small screens, in chromium."""

import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .journeys import answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXIT_URL = "https://www.bbc.co.uk/weather"
VICTIM_PAGES = ["/", "/questions/where/", "/staying-safe/"]


def visit_every_page(page: Page) -> list[str]:
    """Walk every victim page, including each question, the plan and an error; return the URLs."""
    seen = []
    for url in VICTIM_PAGES:
        page.goto(url)
        seen.append(page.url)
    page.goto("/questions/where/")
    page.get_by_role("button", name="Continue").click()  # error summary
    seen.append(page.url + "#error")
    answer(page, "United Kingdom")
    while "/questions/" in page.url:
        seen.append(page.url)
        page.locator("input").last.check()
        page.get_by_role("button", name="Continue").click()
    seen.append(page.url)  # the plan
    return seen


def leaving_for_the_exit_site(page: Page) -> Any:
    """Wait for the browser to head for the exit site (which a test machine cannot reach)."""
    page.route(
        f"{EXIT_URL}**",
        lambda route: route.fulfill(content_type="text/html", body="<title>Weather</title>"),
    )
    return page.expect_request(lambda request: request.url.startswith(EXIT_URL))


def test_exit_this_page_by_click_leaves_and_forgets(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    page.goto("/questions/where/")
    answer(page, "United Kingdom")
    with leaving_for_the_exit_site(page) as leaving:
        page.get_by_role("button", name="Exit this page").click()
    assert leaving.value.redirected_from.url.endswith("/exit/")  # type: ignore[union-attr]
    page.goto(f"{live_server.url}/plan/")
    expect(page).to_have_url(re.compile(r"/questions/where/$"))  # the answers are gone


def test_exit_this_page_by_pressing_shift_three_times(page: Page) -> None:
    page.goto("/")
    expect(page.locator("body.govuk-frontend-supported")).to_have_count(1)
    with leaving_for_the_exit_site(page) as leaving:
        for _ in range(3):
            page.keyboard.press("Shift")
    assert leaving.value.redirected_from.url.endswith("/exit/")  # type: ignore[union-attr]


def test_exit_link_is_also_in_the_footer_for_assistive_technology(page: Page) -> None:
    page.goto("/staying-safe/")
    with leaving_for_the_exit_site(page) as leaving:
        page.get_by_role("contentinfo").get_by_role("link", name="Exit this page").click()
    assert leaving.value.redirected_from.url.endswith("/exit/")  # type: ignore[union-attr]


def test_every_request_of_every_page_goes_to_the_same_origin(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    visit_every_page(page)
    assert page.requested_urls  # type: ignore[attr-defined]
    foreign = [u for u in page.requested_urls if not u.startswith(live_server.url)]  # type: ignore[attr-defined]
    assert foreign == []


def test_the_flow_works_without_javascript(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/questions/where/")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select where you live")
    answer(page, "United States", "Yes, it is happening now")
    page.get_by_role("link", name="Skip the rest and see your plan").click()
    expect(page.locator("#call-emergency")).to_contain_text("911")
    page.locator("#do-not-pay").get_by_role("button", name="Mark as done").click()
    expect(page.locator("#status-do-not-pay")).to_have_text("Done")
    context.close()


def test_axe_finds_no_serious_or_critical_violation(page: Page) -> None:
    axe = Axe()
    problems = {}
    for url in visit_every_page(page):
        page.goto(url.removesuffix("#error"))
        if url.endswith("#error"):
            page.get_by_role("button", name="Continue").click()
        results = axe.run(page)
        serious = [
            v["id"]
            for v in results.response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        if serious:
            problems[url] = serious
    assert problems == {}


@pytest.mark.parametrize("page", [320], indirect=True)
def test_320px_wide_pages_do_not_scroll_sideways(page: Page, tmp_path: Path) -> None:
    for number, url in enumerate(visit_every_page(page)):
        page.goto(url.removesuffix("#error"))
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=tmp_path / f"{number}.png", full_page=True)
        assert width <= 320, url
        font_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert font_size >= 16, url


def test_record_pages_pass_axe_and_stay_on_this_site(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    """The same checks for the pages of a saved record, including its error states."""
    axe = Axe()
    problems = {}

    def check(name: str) -> None:
        violations = axe.run(page).response["violations"]
        serious = [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]
        if serious:
            problems[name] = serious
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name

    page.goto("/report/")
    check("start")
    page.get_by_role("button", name="Start a record").click()
    check("start with error")
    page.get_by_label("I'd rather not say").check()
    page.get_by_role("button", name="Start a record").click()
    check("reference and passphrase")
    page.goto("/report/record/")
    check("overview")
    page.goto("/report/record/demands/")
    page.get_by_label("Amount").fill("lots")
    page.get_by_role("button", name="Save and continue").click()
    check("section with error")
    page.goto("/report/evidence/")
    check("evidence")
    page.goto("/report/delete/")
    check("delete")
    page.goto("/report/sign-in/")
    page.get_by_role("button", name="Open record").click()
    check("sign in with errors")
    assert problems == {}
    foreign = [u for u in page.requested_urls if not u.startswith(live_server.url)]  # type: ignore[attr-defined]
    assert foreign == []


def test_following_a_link_from_another_site_keeps_the_persons_place(
    page: Page,
    live_server,  # type: ignore[no-untyped-def]
) -> None:
    """A link from a helpline's page or a search result arrives from another site. Were the
    cookie withheld from it (``SameSite=Strict``), the page's form would start a new session
    whose cookie replaces the person's, wiping their answers and signing them out of their
    record."""
    page.goto("/questions/where/")
    page.locator("input[value=GB]").check()
    page.locator("form .govuk-button").click()
    page.goto(f"data:text/html,<a id=away href='{live_server.url}/questions/when/'>help</a>")
    page.locator("#away").click()
    page.wait_for_url(f"{live_server.url}/questions/**")
    assert page.url.endswith("/questions/when/"), page.url  # not sent back to the first one
    page.goto("/plan/")
    assert page.url.endswith("/plan/"), page.url
