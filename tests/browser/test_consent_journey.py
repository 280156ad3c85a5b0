"""The record stays the person's until they send it, in chromium: on a phone they start a
record, fill it and upload screenshots, and leave without sending; a caseworker signed in with
TOTP finds nothing of it anywhere. Once they send it, the case shows exactly what they chose;
once they withdraw it, its content is gone from the staff side."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from dontpay.accounts.enrolment import create_staff

from ..accounts.staff import PASSWORD, current_code
from ..cases.factories import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HANDLE = "@night.rider_77"
OWN_WORDS = "We matched on a dating app and moved to video the same evening"
PHONE = {"width": 390, "height": 844}
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def look(page: Page, name: str) -> None:
    """Keep a full-page screenshot to look at, where the run asks for them."""
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def person_starts_and_fills_a_record(page: Page, tmp_path: Path) -> tuple[str, str]:
    page.goto("/report/")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Start a record").click()
    reference = page.get_by_test_id("reference").inner_text()
    passphrase = page.get_by_test_id("passphrase").inner_text()
    page.get_by_role("button", name="I have written them down").click()
    expect(page.get_by_test_id("sharing-status")).to_contain_text("Only you can open this record")
    look(page, "record-private-390")
    page.get_by_role("link", name="Who contacted you").click()
    page.get_by_label("App or site").select_option("instagram")
    page.get_by_label("Username").fill(HANDLE)
    page.get_by_role("button", name="Save and continue").click()
    page.goto("/report/record/your-account/")
    page.get_by_role("textbox").first.fill(OWN_WORDS)
    page.get_by_role("button", name="Save and continue").click()
    files = []
    for name in ("threat", "profile"):
        path = tmp_path / f"{name}.png"
        path.write_bytes(screenshot(f"{name} message"))
        files.append(path)
    page.goto("/report/evidence/")
    page.get_by_label("Upload files").set_input_files(files)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".dp-evidence")).to_have_count(2)
    return reference, passphrase


def caseworker(browser: Browser, base_url: str) -> Page:
    create_staff("casey", "caseworker", password=PASSWORD)
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/staff/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(current_code("casey"))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Triage queue")).to_be_visible()
    return page


def open_again(context: BrowserContext, reference: str, passphrase: str) -> Page:
    page = context.new_page()
    page.goto("/report/sign-in/")
    page.get_by_label("Reference").fill(reference)
    page.get_by_label("Passphrase").fill(passphrase)
    page.get_by_role("button", name="Open record").click()
    expect(page.get_by_role("heading", name="Your record")).to_be_visible()
    return page


def test_a_record_is_private_until_sent_and_gone_from_staff_once_withdrawn(
    browser: Browser, live_server, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    visit = browser.new_context(base_url=live_server.url, viewport=PHONE)
    reference, passphrase = person_starts_and_fills_a_record(visit.new_page(), tmp_path)
    visit.close()  # leaves without sending

    staff = caseworker(browser, live_server.url)
    expect(staff.locator("body")).not_to_contain_text(reference)
    for url in ("/staff/?status=withdrawn", "/staff/statistics/"):
        staff.goto(url)
        expect(staff.locator("body")).not_to_contain_text(reference)
    response = staff.goto(f"/staff/cases/{reference}/")
    assert response is not None
    assert response.status == 404

    person_context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    person = open_again(person_context, reference, passphrase)
    person.get_by_role("link", name="Choose what to send").click()
    look(person, "send-390")
    person.get_by_label("What happened, in your words").uncheck()
    person.get_by_label("profile.png").uncheck()
    person.get_by_role("button", name="Send to the helpline").click()
    expect(person.get_by_test_id("done")).to_contain_text("Your record has been sent")
    expect(person.get_by_test_id("sharing-status")).to_contain_text("Sent")

    staff.goto("/staff/")
    staff.get_by_role("link", name=reference).click()
    expect(staff.get_by_text(HANDLE)).to_be_visible()
    expect(staff.locator("main")).not_to_contain_text(OWN_WORDS)
    expect(staff.locator(".dp-evidence")).to_have_count(1)
    expect(staff.locator(".dp-evidence")).to_contain_text("threat.png")
    look(staff, "case-sent-1280")

    person.get_by_role("link", name="Withdraw your record").click()
    person.get_by_role("button", name="Withdraw my record").click()
    expect(person.get_by_test_id("done")).to_contain_text("withdrawn")
    person_context.close()

    staff.reload()
    expect(staff.get_by_test_id("withdrawn")).to_be_visible()
    expect(staff.locator("main")).not_to_contain_text(HANDLE)
    expect(staff.locator(".dp-evidence")).to_have_count(0)
    staff.goto("/staff/")
    expect(staff.locator("body")).not_to_contain_text(reference)
    assert re.search(r"Withdrawn", staff.goto(f"/staff/cases/{reference}/").text())
    staff.context.close()
