"""The guided flow through the real Django client: pages, errors, plan, tick-off and exit."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ADULT_NOW = [
    ("where", "GB"),
    ("when", "now"),
    ("age", "no"),
    ("feelings", "no"),
    ("money", "no"),
    ("contact", "yes"),
    ("apps", ["instagram", "snapchat"]),
    ("images", "threatened"),
]


def answer_all(client: Client, answers: list[tuple[str, object]]) -> None:
    for slug, value in answers:
        response = client.post(f"/questions/{slug}/", {"answer": value})
        assert response.status_code == 302, (slug, response.content[:500])


def test_start_page_is_kind_and_private(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b"This is not your fault, and you are not alone." in response.content
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp
    assert b'data-module="govuk-exit-this-page"' in response.content
    assert b"116 123" in response.content  # crisis support in the same place on every page


@pytest.mark.parametrize("url", ["/", "/questions/where/", "/staying-safe/"])
def test_victim_pages_have_neutral_titles(client: Client, url: str) -> None:
    title = client.get(url).content.split(b"<title>")[1].split(b"</title>")[0].lower()
    for word in (b"sextortion", b"blackmail", b"sexual", b"nude"):
        assert word not in title


def test_no_persistent_cookie_is_set(client: Client) -> None:
    client.get("/questions/where/")
    client.post("/questions/where/", {"answer": "GB"})
    for cookie in client.cookies.values():
        assert not cookie["expires"], cookie.key
        assert not cookie["max-age"], cookie.key
    assert "csrftoken" not in client.cookies


def test_missing_answer_rerenders_with_error_summary(client: Client) -> None:
    response = client.post("/questions/where/", {})
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert b'href="#id_answer">Select where you live</a>' in response.content
    assert response.content.count(b"Error:") >= 1


def test_invalid_choice_rerenders_with_error(client: Client) -> None:
    client.post("/questions/where/", {"answer": "GB"})
    response = client.post("/questions/when/", {"answer": "tomorrow"})
    assert response.status_code == 400
    assert b"govuk-error-summary" in response.content


def test_later_questions_need_a_jurisdiction_first(client: Client) -> None:
    assert client.get("/questions/money/")["Location"] == "/questions/where/"
    assert client.get("/plan/")["Location"] == "/questions/where/"


def test_unknown_question_is_404(client: Client) -> None:
    assert client.get("/questions/nope/").status_code == 404


def test_each_question_links_back_to_the_previous_one(client: Client) -> None:
    client.post("/questions/where/", {"answer": "GB"})
    assert (
        b'href="/questions/where/" class="govuk-back-link"'
        in client.get("/questions/when/").content
    )
    assert b'href="/" class="govuk-back-link"' in client.get("/questions/where/").content


def test_full_flow_ends_in_a_plan_in_urgency_order(client: Client) -> None:
    answer_all(client, ADULT_NOW)
    response = client.get("/plan/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index('data-step="call-emergency"') < body.index('data-step="do-not-pay"')
    assert 'data-platform="instagram"' in body
    assert 'data-platform="snapchat"' in body
    assert 'href="tel:999"' in body
    assert "Police will not judge you" in body


def test_saved_answer_is_shown_again(client: Client) -> None:
    answer_all(client, ADULT_NOW[:3])
    assert b'value="now" checked' in client.get("/questions/when/").content


def test_not_sure_leaves_the_answer_open_and_the_plan_covers_both_cases(client: Client) -> None:
    answer_all(client, [("where", "GB"), ("age", "not-sure")])
    body = client.get("/plan/").content.decode()
    assert "If you are under 18, report to CEOP" in body


def test_skipping_straight_to_the_plan_works_after_jurisdiction(client: Client) -> None:
    answer_all(client, [("where", "US")])
    body = client.get("/plan/").content.decode()
    assert "911" in body
    assert "999" not in body


def test_change_link_returns_to_the_plan(client: Client) -> None:
    answer_all(client, ADULT_NOW)
    response = client.post("/questions/money/?change=1", {"answer": "yes"})
    assert response["Location"] == "/plan/"
    assert b'data-step="already-paid"' in client.get("/plan/").content


def test_changing_jurisdiction_keeps_the_apps(client: Client) -> None:
    answer_all(client, ADULT_NOW)
    client.post("/questions/where/?change=1", {"answer": "US"})
    body = client.get("/plan/").content.decode()
    assert 'data-platform="instagram"' in body
    assert "911" in body


def test_apps_page_starts_with_nothing_ticked(client: Client) -> None:
    answer_all(client, [("where", "GB")])
    assert b"checked" not in client.get("/questions/apps/").content


def test_not_sure_ticked_with_apps_is_asked_again_not_dropped(client: Client) -> None:
    answer_all(client, [("where", "GB")])
    response = client.post("/questions/apps/", {"answer": ["instagram", "not-sure"]})
    assert response.status_code == 400
    assert "not both" in response.content.decode()
    assert "platforms" not in client.session["answers"]


def test_unanswered_questions_say_so_in_the_summary(client: Client) -> None:
    answer_all(client, [("where", "GB"), ("age", "not-sure")])
    body = client.get("/plan/").content.decode()
    assert body.count("Not answered") == 6
    assert "I&#x27;d rather not say" in body


def test_a_stale_session_is_repaired_not_a_500(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    """A session from before a pack was withdrawn, or with a value that no longer parses."""
    session = client.session
    session["answers"] = {"jurisdiction": "FR", "timing": "now"}
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    for url in ("/", "/staying-safe/", "/questions/where/", "/nope/"):
        assert client.get(url).status_code in (200, 404), url
    assert client.get("/plan/")["Location"] == "/questions/where/"
    session = client.session
    session["answers"] = {"jurisdiction": "GB", "timing": "someday", "paid": True}
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    body = client.get("/plan/").content.decode()
    assert 'data-step="already-paid"' in body


def test_a_tick_is_undone_when_a_changed_answer_changes_the_step(client: Client) -> None:
    answer_all(client, ADULT_NOW)
    client.post("/plan/", {"step": "report-to-police", "done": "1"})
    assert (
        'id="status-report-to-police">\n          <strong class="govuk-tag govuk-tag--green">Done'
        in (client.get("/plan/").content.decode())
    )
    client.post("/questions/where/?change=1", {"answer": "US"})
    assert "govuk-tag--green" not in client.get("/plan/").content.decode()


def test_an_expired_form_gets_a_page_with_exit_and_support() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/questions/where/", {"answer": "GB"}, HTTP_ORIGIN="null")
    assert response.status_code == 403
    body = response.content.decode()
    assert "This page has expired" in body
    assert "Exit this page" in body
    assert "116 123" in body


def test_ticking_off_a_step_is_kept_in_the_session(client: Client) -> None:
    answer_all(client, ADULT_NOW)
    response = client.post("/plan/", {"step": "do-not-pay", "done": "1"})
    assert response["Location"] == "/plan/#do-not-pay"
    assert client.session["done"] == ["do-not-pay|Do not pay"]
    body = client.get("/plan/").content.decode()
    assert 'class="dp-step dp-step--done" id="do-not-pay"' in body
    client.post("/plan/", {"step": "do-not-pay", "done": "0"})
    assert client.session["done"] == []


def test_ticking_an_unknown_step_changes_nothing(client: Client) -> None:
    answer_all(client, ADULT_NOW)
    client.post("/plan/", {"step": "not-a-step", "done": "1"})
    assert client.session.get("done", []) == []


def test_exit_forgets_everything_and_leaves(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    answer_all(client, ADULT_NOW)
    response = client.get("/exit/")
    assert response.status_code == 302
    assert response["Location"] == settings.DONTPAY_EXIT_URL
    assert "answers" not in client.session
    assert client.get("/plan/")["Location"] == "/questions/where/"


def test_form_posts_with_a_null_origin_are_accepted_with_a_token() -> None:
    """Browsers send Origin: null under Referrer-Policy: no-referrer."""
    client = Client(enforce_csrf_checks=True)
    page = client.get("/questions/where/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(
        "/questions/where/", {"answer": "GB", "csrfmiddlewaretoken": token}, HTTP_ORIGIN="null"
    )
    assert response.status_code == 302


def test_form_posts_without_a_token_or_from_another_origin_are_refused() -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/questions/where/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    no_token = client.post("/questions/where/", {"answer": "GB"}, HTTP_ORIGIN="null")
    assert no_token.status_code == 403
    foreign = client.post(
        "/questions/where/",
        {"answer": "GB", "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="https://evil.example",
    )
    assert foreign.status_code == 403


def test_the_plan_starts_with_the_emergency_call_and_what_to_do_now(client: Client) -> None:
    answer_all(client, ADULT_NOW)
    body = client.get("/plan/").content.decode()
    button = body.index('class="govuk-button dp-call-button" href="tel:999"')
    assert button < body.index('id="do-these-now"') < body.index('id="task-list"')
    summary = body[body.index('id="do-these-now"') : body.index('id="task-list"')]
    assert 'href="#call-emergency"' in summary
    assert 'href="#do-not-pay"' in summary
    assert 'href="#report-to-police"' not in summary  # "today", not "now"
    assert 'href="sms:85258?body=SHOUT"' in body
    evidence = body[body.index('id="preserve-evidence"') :]
    assert 'href="/report/">Start a safe record' in evidence[: evidence.index("</li>")]


def test_without_an_emergency_the_plan_has_no_call_button(client: Client) -> None:
    answer_all(client, [("where", "GB"), ("when", "earlier"), ("feelings", "no")])
    body = client.get("/plan/").content.decode()
    assert "dp-call-button" not in body
    assert 'id="do-these-now"' in body


def test_text_services_are_sms_links_in_the_us_too(client: Client) -> None:
    answer_all(client, [("where", "US"), ("when", "now"), ("feelings", "yes")])
    assert 'href="sms:988"' in client.get("/plan/").content.decode()


def test_where_do_you_live_offers_every_country_by_name(client: Client) -> None:
    body = client.get("/questions/where/").content.decode()
    names = ["Australia", "Canada", "India", "Ireland", "United Kingdom", "United States"]
    positions = [body.index(f"{name}</label>") for name in names]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("code", "emergency", "in_words"),
    [
        ("CA", "911", "Canada has no single non-emergency police number"),
        ("IE", "112", "There is no separate non-emergency Garda number"),
    ],
)
def test_a_country_without_a_police_number_still_reads_right(
    client: Client, code: str, emergency: str, in_words: str
) -> None:
    """Where police are reached locally, no empty or made-up number appears on the plan."""
    answer_all(client, [("where", code), ("when", "now"), ("age", "no"), ("money", "yes")])
    body = client.get("/plan/").content.decode()
    assert f'class="govuk-button dp-call-button" href="tel:{emergency}"' in body
    assert 'href="tel:"' not in body
    assert ">Call </a>" not in body
    police = body.split('id="report-to-police"')[1].split('<li class="dp-step')[0]
    assert in_words in police
    assert f'href="tel:{emergency}"' in police
