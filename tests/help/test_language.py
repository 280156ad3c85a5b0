"""Choosing a language on the victim side: the same page comes back in it with the answers kept,
pages say which language and direction they are in, staff pages stay English, and Exit forgets
the choice with everything else."""

import re

import pytest
from django.test import Client

from dontpay.cases.models import Report
from dontpay.help.templatetags.plan_tags import paragraphs

from .test_report_views import leave_idle

pytestmark = pytest.mark.django_db


def _answered(client: Client) -> None:
    client.post("/questions/where/", {"answer": "GB"})
    client.post("/questions/when/", {"answer": "recent"})


def _choose(client: Client, language: str, next_url: str) -> str:
    response = client.post("/language/", {"language": language, "next": next_url})
    assert response.status_code == 302
    return str(response["Location"])


def test_choosing_a_language_returns_to_the_same_page_with_the_answers_kept() -> None:
    client = Client()
    _answered(client)
    assert _choose(client, "cy", "/questions/age/?change=1") == "/questions/age/?change=1"
    page = client.get("/plan/").content.decode()
    assert '<html lang="cy" dir="ltr"' in page
    assert "Eich cynllun" in page  # "Your plan"
    assert "Digwyddodd yn ddiweddar" in page  # the "recent" answer, kept and in Welsh


def test_urdu_pages_are_right_to_left() -> None:
    client = Client()
    _choose(client, "ur", "/")
    page = client.get("/").content.decode()
    assert '<html lang="ur" dir="rtl"' in page
    assert "یہ صفحہ چھوڑیں" in page  # "Exit this page"


@pytest.mark.parametrize("number", ["13 11 14", "131 444", "1800 55 1800"])
def test_a_phone_number_in_groups_reads_left_to_right_in_an_urdu_plan(number: str) -> None:
    """Laid out right to left, "13 11 14" would read "14 11 13": every use, in the steps' words
    as in their contacts, is kept left to right."""
    client = Client()
    _choose(client, "ur", "/")
    client.post("/questions/where/", {"answer": "AU"})
    page = client.get("/plan/").content.decode()
    # Sources' titles are English, each laid out left to right as a whole.
    page = re.sub(r'<span lang="en" dir="ltr">[^<]*</span>', "", page)
    assert page.count(number) >= 2
    assert page.count(number) == page.count(f'<span dir="ltr">{number}</span>')


def test_a_steps_words_are_escaped_and_only_grouped_numbers_are_wrapped() -> None:
    html = paragraphs("Call <b>1-800-CALL-FBI</b>\n\nor 13 11 14, aged 18 to 25, with 2-step")
    assert html == (
        '<p class="govuk-body">Call &lt;b&gt;<span dir="ltr">1-800-CALL-FBI</span>&lt;/b&gt;</p>'
        '<p class="govuk-body">or <span dir="ltr">13 11 14</span>, aged 18 to 25, with 2-step</p>'
    )


def test_english_is_one_button_away_on_every_victim_page() -> None:
    client = Client()
    _choose(client, "hi", "/")
    for url in ("/", "/questions/where/", "/staying-safe/", "/no-such-page/"):
        page = client.get(url).content.decode()
        assert 'name="language" value="en-gb" lang="en-gb" dir="ltr">English</button>' in page
        assert f'name="next" value="{url}"' in page


def test_the_browsers_language_is_used_until_the_person_chooses() -> None:
    page = Client(headers={"accept-language": "es-MX,es;q=0.9"}).get("/").content.decode()
    assert '<html lang="es"' in page
    assert "Salir de esta página" in page


def test_a_foreign_next_address_or_an_unknown_language_goes_nowhere_harmful() -> None:
    client = Client()
    assert _choose(client, "cy", "https://evil.example/") == "/"
    assert _choose(client, "cy", "//evil.example/") == "/"
    assert _choose(client, "cy", "/staff/") == "/"
    assert _choose(client, "cy", "/%73taff/login/") == "/"
    _choose(client, "klingon", "/")
    assert '<html lang="cy"' in client.get("/").content.decode()  # unchanged
    assert client.get("/language/").status_code == 405


def test_the_apps_question_gives_somewhere_else_in_the_chosen_language() -> None:
    """The apps are listed from platforms.yaml: names stay names, but "Somewhere else" is words."""
    client = Client()
    _choose(client, "es", "/")
    _answered(client)
    page = client.get("/questions/apps/").content.decode()
    assert "En otra parte" in page
    assert "Instagram" in page
    assert "Somewhere else" not in page


def test_staff_pages_stay_in_english_whatever_the_session_chose() -> None:
    client = Client(headers={"accept-language": "fr"})
    _choose(client, "fr", "/")
    page = client.get("/staff/login/").content.decode()
    assert '<html lang="en"' in page
    assert "Quitter" not in page


def test_exit_forgets_the_language_with_the_answers() -> None:
    client = Client()
    _answered(client)
    _choose(client, "es", "/")
    client.get("/exit/")
    assert '<html lang="en-gb"' in client.get("/").content.decode()


def test_a_question_answered_in_another_language_saves_the_same_answer() -> None:
    client = Client()
    _choose(client, "ur", "/")
    _answered(client)
    client.post("/questions/age/", {"answer": "yes"})
    assert client.session["answers"] == {"jurisdiction": "GB", "timing": "recent", "under_18": True}


def test_an_error_on_a_question_is_given_in_the_chosen_language() -> None:
    client = Client()
    _choose(client, "fr", "/")
    response = client.post("/questions/where/", {})
    assert response.status_code == 400
    assert "Sélectionnez où vous habitez" in response.content.decode()


def test_a_record_remembers_the_language_it_was_started_in() -> None:
    client = Client()
    _choose(client, "hi", "/")
    client.post("/report/", {"under_18": "no"})
    assert Report.objects.get().language == "hi"


def test_the_record_pages_speak_the_chosen_language_errors_included() -> None:
    client = Client()
    _choose(client, "cy", "/")
    page = client.get("/report/").content.decode()
    assert '<main class="govuk-main-wrapper" id="main-content">' in page  # no lang="en" part
    assert "Cadwch gofnod diogel o'r hyn a ddigwyddodd" in page
    refused = client.post("/report/", {}).content.decode()
    assert "Mae problem" in refused  # "There is a problem"
    assert "Dewiswch a ydych chi o dan 18" in refused
    client.post("/report/", {"under_18": "no"})
    section = client.post("/report/record/who/", {"profile_url": "not a link", "action": "add"})
    assert section.status_code == 400
    page = section.content.decode()
    assert "Pwy gysylltodd â chi" in page  # the section's title, from the domain
    assert "Rhowch gyfeiriad gwe, fel https://example.com/name" in page  # the domain's error
    assert 'value="not a link"' in page  # what was typed, as typed


def test_what_a_person_typed_is_never_translated() -> None:
    """Only marked words are translated: an answer that happens to read like one of ours
    ("Yes", "Email") is shown exactly as it was typed."""
    client = Client()
    _choose(client, "cy", "/")
    client.post("/report/", {"under_18": "no"})
    client.post(
        "/report/record/who/",
        {"platform": "email", "username": "Yes", "display_name": "Email", "action": "add"},
    )
    page = client.get("/report/record/who/").content.decode()
    assert "Ap neu wefan: <bdi>E-bost</bdi>" in page  # the chosen option is ours: translated
    assert "Enw defnyddiwr: <bdi>Yes</bdi>" in page
    assert "Yr enw sydd ar y proffil: <bdi>Email</bdi>" in page


def test_a_first_visit_starts_no_session() -> None:
    """The chooser on every page needs no session: a visit that has done nothing leaves no
    row in the database and no cookie."""
    client = Client()
    client.get("/")
    client.get("/staying-safe/")
    assert "session" not in client.cookies


@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
        {"origin": "https://evil.example"},
    ],
)
def test_a_post_from_another_site_neither_sets_a_language_nor_replaces_the_session(
    headers: dict[str, str],
) -> None:
    """A page elsewhere that posts to the chooser arrives without the person's cookie: were it
    to write the session, the fresh session's cookie would replace theirs and wipe their place."""
    forged = Client(headers=headers)
    response = forged.post("/language/", {"language": "ur", "next": "/plan/"})
    assert response.status_code == 302
    assert "session" not in response.cookies
    own = Client(headers={"sec-fetch-site": "same-origin"})
    _answered(own)
    own.post("/language/", {"language": "ur", "next": "/plan/"})
    assert '<html lang="ur"' in own.get("/").content.decode()
    assert own.get("/plan/").status_code == 200  # answers kept: without them, a redirect


def test_a_countrys_translated_pack_gives_its_plan_in_that_language_with_its_own_numbers() -> None:
    """Ireland in Welsh: the steps are the pack's Welsh words, the call buttons the same
    numbers as in English, and none of the English advice is left on the page."""
    client = Client()
    _choose(client, "cy", "/")
    for slug, value in [("where", "IE"), ("when", "now"), ("age", "no"), ("money", "yes")]:
        assert client.post(f"/questions/{slug}/", {"answer": value}).status_code == 302
    page = client.get("/plan/").content.decode()
    assert "Os ydych chi mewn perygl, ffoniwch 112 neu 999" in page
    assert "Does dim rhif Garda ar wahân" in page  # "There is no separate ... Garda number"
    assert {'href="tel:112"', 'href="tel:999"', 'href="tel:116123"'} <= set(
        re.findall(r'href="tel:\d+"', page)
    )
    assert "If you are in danger" not in page
    assert "There is no separate non-emergency Garda number" not in page


def test_switching_language_on_a_record_page_keeps_what_was_typed_unsaved() -> None:
    """The chooser's buttons on a section page send that page's form: no script is needed for
    the words typed so far to come back, in the new language, without being saved yet."""
    client = Client()
    client.post("/report/", {"under_18": "no"})
    page = client.get("/report/record/your-account/").content.decode()
    assert 'value="ur" lang="ur" dir="rtl" form="record-section"' in page
    assert 'formaction="/report/record/your-account/"' in page
    assert (
        '<form method="post" novalidate autocomplete="off" data-dp-draft id="record-section">'
        in (page)
    )
    typed = "They found me on a game chat and would not stop"
    switched = client.post("/report/record/your-account/", {"text": typed, "language": "ur"})
    assert switched.status_code == 302
    assert switched["Location"] == "/report/record/your-account/"
    overview = client.get("/report/record/").content.decode()
    assert 'id="status-your-account"><strong class="govuk-tag govuk-tag--blue">' in overview
    page = client.get("/report/record/your-account/").content.decode()
    assert '<html lang="ur" dir="rtl"' in page
    assert typed in page
    assert "ریکارڈ بند ہو گیا" not in page  # not told that the record closed: it did not
    assert typed not in client.get("/report/record/your-account/").content.decode()  # once only


def test_the_page_refusing_a_wrong_host_speaks_the_browsers_language() -> None:
    """A browser sends no session cookie to a host that is not ours, so the 400 for a wrong Host
    header cannot know a chosen language: it follows the browser's, like a first visit."""
    response = Client(headers={"accept-language": "ur"}).get("/", headers={"host": "bad.example"})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="ur" dir="rtl"' in page
    assert "معذرت، سروس میں کوئی مسئلہ ہے" in page  # "Sorry, there is a problem with the service"


def test_switching_language_as_the_record_closes_still_switches_it() -> None:
    """The record closed while the page was open: what was typed is kept as ever, and the
    sign-in page comes in the language the person pressed, not the one they left."""
    client = Client()
    client.post("/report/", {"under_18": "no"})
    leave_idle(client)
    typed = {"text": "He said he would post it tonight", "language": "cy"}
    closed = client.post("/report/record/your-account/", typed)
    assert closed["Location"] == "/report/sign-in/?closed=kept"
    assert '<html lang="cy" dir="ltr"' in client.get(closed["Location"]).content.decode()


def test_switching_language_keeps_only_what_could_be_saved() -> None:
    """A switch of language seals what was typed into the session only if the record could
    hold it: a longer answer (odd Unicode and all) comes back at once, with the reason in the
    new language, and nothing is kept; an answer that fits is kept, compactly."""
    client = Client()
    client.post("/report/", {"under_18": "no"})
    odd = "\u202e\u0301\U0001f600\u0645"
    too_long = odd * (50_000 // len(odd) + 1)
    shown = client.post("/report/record/your-account/", {"text": too_long, "language": "cy"})
    assert shown.status_code == 400
    assert shown["Content-Language"] == "cy"
    page = shown.content.decode()
    assert '<html lang="cy" dir="ltr"' in page
    assert "Rhaid i hyn fod yn 50,000 nod neu lai" in page
    assert too_long in page  # shown again as typed
    assert "report_draft" not in client.session
    fits = odd * (50_000 // len(odd))
    kept = client.post("/report/record/your-account/", {"text": fits, "language": "ur"})
    assert kept.status_code == 302
    assert len(client.session["report_draft"]) < 2 * len(fits.encode())
    assert fits in client.get("/report/record/your-account/").content.decode()
