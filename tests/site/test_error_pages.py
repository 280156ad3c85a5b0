"""Error pages look like the rest of the service and say what to do next; victims keep Exit
this page and the crisis contacts on every one of them."""

import pytest
from django.template.loader import render_to_string
from django.test import Client

from dontpay.domain.guidance import available_jurisdictions, load_pack

from ..accounts.staff import signed_in

pytestmark = pytest.mark.django_db

EXIT = "Exit this page"
CRISIS = "dp-crisis-banner"
STYLED = "govuk-frontend.min.css"


@pytest.fixture
def failing_urls(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ROOT_URLCONF = "tests.site.error_urls"


@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/no-such-page/", 404, "Page not found"),
        ("/failing/", 500, "Sorry, there is a problem with the service"),
        ("/malformed/", 400, "Sorry, there is a problem with the service"),
    ],
)
def test_victims_get_styled_error_pages_with_exit_and_crisis_support(
    failing_urls: None, url: str, status: int, heading: str
) -> None:
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == status
    body = response.content.decode()
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in body
    assert EXIT in body
    assert CRISIS in body
    assert STYLED in body
    assert 'href="tel:999"' in body
    assert "Traceback" not in body
    assert "a bug" not in body


def test_error_pages_give_every_countrys_emergency_number(failing_urls: None) -> None:
    """An error page cannot know where the person is, so it names every pack's number."""
    pages = {
        "victim 404": Client().get("/no-such-page/").content.decode(),
        "fallback 500": render_to_string("500.html"),
    }
    for code in available_jurisdictions():
        call = load_pack(code).step_text("call-emergency", "happening-now").contacts[0]
        for name, body in pages.items():
            assert f'href="tel:{call.phone}">{call.phone}</a>' in body, (name, code)


@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/staff/no-such-page/", 404, "Page not found"),
        ("/staff/failing/", 500, "Sorry, there is a problem with the service"),
        ("/staff/malformed/", 400, "Sorry, there is a problem with the service"),
    ],
)
def test_staff_get_styled_error_pages(
    failing_urls: None, url: str, status: int, heading: str
) -> None:
    client = signed_in("caseworker")
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == status
    body = response.content.decode()
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in body
    assert STYLED in body
    assert "dontpay staff" in body
    assert "Sign out caseworker-1" in body
    assert EXIT not in body


def test_an_analyst_opening_the_queue_is_told_who_it_is_for() -> None:
    client = signed_in("analyst")
    response = client.get("/staff/")
    assert response.status_code == 403
    body = response.content.decode()
    assert STYLED in body
    assert "You do not have access to this page" in body
    assert "You are signed in as analyst-1, an analyst." in body
    assert "This page is for administrators and caseworkers only." in body
    assert 'href="/staff/statistics/">Go to your start page' in body


def test_the_staff_header_takes_each_role_to_its_own_start_page() -> None:
    body = signed_in("analyst").get("/staff/statistics/").content.decode()
    assert 'href="/staff/statistics/" class="govuk-generic-header__homepage-link"' in body
