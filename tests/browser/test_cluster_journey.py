"""An analyst signs in, finds the cluster of two reports that share a wallet written two ways,
sees why they are linked and the network graph, downloads the STIX export, and has the referral
pack prepared and downloads it, in chromium."""

import io
import re
from pathlib import Path

import pytest
import stix2
from PIL import Image
from playwright.sync_api import Browser, ConsoleMessage, expect
from pytest_django.live_server_helper import LiveServer

from dontpay.accounts.enrolment import create_staff
from dontpay.domain.custody import verify_pack

from ..accounts.staff import PASSWORD, current_code
from ..intel.test_views import WALLET, seed_cluster
from ..processes import run_dontpay

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots")


def test_an_analyst_opens_a_cluster_sees_its_graph_and_exports_it(
    browser: Browser,
    live_server: LiveServer,
) -> None:
    seeded = seed_cluster()
    create_staff("ana", "analyst", password=PASSWORD)
    SHOTS.mkdir(exist_ok=True)

    context = browser.new_context(
        base_url=live_server.url, accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    requested: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("pageerror", lambda error: problems.append(str(error)))

    def console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            problems.append(message.text)

    page.on("console", console)

    page.goto("/staff/login/")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(current_code("ana"))
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Linked reports").click()

    expect(page.get_by_role("heading", name="Linked reports")).to_be_visible()
    rows = page.locator("#clusters tbody tr[data-cluster]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("2")
    page.screenshot(path=str(SHOTS / "cluster-list.png"), full_page=True)

    rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", name="2 linked reports")).to_be_visible()
    expect(page.locator("#why")).to_contain_text(WALLET)
    graph = page.locator("#cluster-graph")
    expect(graph).to_have_attribute("role", "img")
    expect(graph).to_have_attribute("data-rendered-nodes", "3")
    assert graph.get_attribute("data-node-count") == "3"
    assert graph.locator("canvas").count() > 0
    # Something was drawn: the graph's box is not a blank white area.
    drawn = Image.open(io.BytesIO(graph.screenshot())).convert("L")
    assert drawn.point(lambda value: 255 if value < 200 else 0).histogram()[255] > 200
    expect(page.locator("#reports")).to_contain_text(seeded.first.reference)
    expect(page.locator("#reports")).to_contain_text(seeded.second.reference)
    expect(page.locator("#reports")).not_to_contain_text(seeded.unrelated.reference)
    expect(page.locator("#links [data-facts]")).to_contain_text("Network: Bitcoin")
    page.screenshot(path=str(SHOTS / "cluster-page.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="STIX 2.1").click()
    bundle = stix2.parse(Path(download.value.path()).read_text(), allow_custom=False)
    logins = {o.account_login for o in bundle.objects if o.type == "user-account"}
    assert WALLET in logins
    # The pack is prepared by a worker; its page checks again by itself, without JavaScript.
    page.get_by_role("button", name="Prepare the referral pack").click()
    expect(page.get_by_role("heading", name="Preparing the referral pack")).to_be_visible()
    worker = run_dontpay("worker", "--batch")
    assert worker.returncode == 0, worker.stderr
    expect(page.get_by_role("heading", name="The referral pack is ready")).to_be_visible(
        timeout=15_000
    )
    page.screenshot(path=str(SHOTS / "referral-ready.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the referral pack").click()
    assert download.value.suggested_filename == (
        f"dontpay-cluster-{seeded.cluster_id}-referral.zip"
    )
    assert verify_pack(Path(download.value.path()).read_bytes()).valid

    page.get_by_role("link", name=f"Back to cluster {seeded.cluster_id}").click()
    page.get_by_role("link", name="Back to linked reports").click()
    page.get_by_label("Search for an indicator").fill("07911 123456")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results")).to_contain_text("+447911123456")
    expect(page.locator("#results [data-facts]")).to_contain_text("Kind: mobile")
    page.screenshot(path=str(SHOTS / "indicator-search.png"), full_page=True)

    assert problems == [], problems  # no CSP violation, no script error
    origin = re.escape(live_server.url)
    assert all(re.match(origin, url) for url in requested), requested
    context.close()


def test_an_administrator_manages_the_warninglist(
    browser: Browser,
    live_server: LiveServer,
) -> None:
    create_staff("adam", "admin", password=PASSWORD)
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/staff/login/")
    page.get_by_label("Username").fill("adam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(current_code("adam"))
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Warninglist").click()

    page.get_by_label("Type").select_option("email")
    page.get_by_label("Value", exact=True).fill("alerts@shared.example")
    page.get_by_role("button", name="Add entry").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why")
    expect(page.get_by_label("Value", exact=True)).to_have_value("alerts@shared.example")
    page.screenshot(path=str(SHOTS / "warninglist-error.png"), full_page=True)
    page.get_by_label("Why it must not link reports").fill("A shared alert sender")
    page.get_by_role("button", name="Add entry").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Entry added")
    row = page.locator("#entries tr", has_text="alerts@shared.example")
    row.get_by_role("link", name="Remove").click()
    page.get_by_role("button", name="Remove entry").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Entry removed")
    expect(page.locator("#entries")).not_to_contain_text("alerts@shared.example")
    context.close()
