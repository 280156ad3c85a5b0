"""Saving a report through the web: start, passphrase once, record pages, uploads, pack, delete."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dontpay.cases.models import EvidenceItem, Report
from dontpay.domain.custody import verify_pack
from dontpay.domain.reports import SECTIONS
from dontpay.help.record_session import IDLE_SECONDS

from ..cases.factories import camera_photo, screenshot

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def start(client: Client, under_18: str = "no") -> tuple[str, str]:
    response = client.post("/report/", {"under_18": under_18})
    assert response["Location"] == "/report/saved/"
    page = client.get("/report/saved/").content.decode()
    reference = re.search(r'data-testid="reference">([^<]+)<', page)[1]  # type: ignore[index]
    passphrase = re.search(r'data-testid="passphrase">([^<]+)<', page)[1]  # type: ignore[index]
    return reference, passphrase


def leave_idle(client: Client) -> None:
    """As if the browser had made no request for a minute longer than an open record lasts."""
    session = client.session
    session["report_seen"] -= IDLE_SECONDS + 60
    session.save()


def test_the_passphrase_is_shown_until_the_person_moves_on_and_kept_nowhere(
    client: Client,
) -> None:
    reference, passphrase = start(client)
    assert passphrase in client.get("/report/saved/").content.decode()  # a reload shows it
    assert passphrase not in str(dict(client.session))
    assert passphrase not in client.get("/report/record/").content.decode()
    again = client.get("/report/saved/").content.decode()
    assert passphrase not in again
    assert reference in again
    assert Report.objects.get(reference=reference)
    assert Client().get("/report/").status_code == 200


def test_reloading_or_resending_the_start_makes_no_second_record(client: Client) -> None:
    reference, passphrase = start(client)
    assert client.post("/report/", {"under_18": "no"})["Location"] == "/report/saved/"
    assert client.post("/report/", {"under_18": "yes"})["Location"] == "/report/saved/"
    assert passphrase in client.get("/report/saved/").content.decode()
    assert list(Report.objects.values_list("reference", flat=True)) == [reference]


def test_typing_lost_to_the_idle_timeout_comes_back_after_the_passphrase(client: Client) -> None:
    reference, passphrase = start(client)
    client.post("/report/saved/")
    leave_idle(client)
    typed = {"text": "He said he would send it to my mum at 9pm", "action": "continue"}
    response = client.post("/report/record/your-account/", typed)
    assert response["Location"] == "/report/sign-in/?closed=kept"
    assert "only this browser can get it back" in client.get(response["Location"]).content.decode()
    assert typed["text"] not in str(dict(client.session))  # sealed, not in clear
    back = client.post("/report/sign-in/", {"reference": reference, "passphrase": passphrase})
    assert back["Location"] == "/report/record/your-account/"
    page = client.get(back["Location"]).content.decode()
    assert typed["text"] in page
    assert "we kept what you typed" in page
    assert typed["text"] not in client.get("/report/record/your-account/").content.decode()


def test_typing_too_long_to_save_is_not_kept_when_the_record_closes(client: Client) -> None:
    """An answer over the record's limit could never be saved: the record closing for
    inactivity does not seal it into the session (it would grow the session row by megabytes)."""
    start(client)
    client.post("/report/saved/")
    leave_idle(client)
    too_long = "\u202e\U0001f600" * 25_001
    response = client.post("/report/record/your-account/", {"text": too_long, "action": "continue"})
    assert response["Location"] == "/report/sign-in/?closed=idle"
    assert "report_draft" not in client.session


def test_typing_lost_to_the_timeout_is_not_given_to_another_browser(client: Client) -> None:
    reference, passphrase = start(client)
    leave_idle(client)
    client.post("/report/record/your-account/", {"text": "private words", "action": "continue"})
    other = Client()
    other.cookies["session"] = client.cookies["session"].value  # the session, not the device
    other.post("/report/sign-in/", {"reference": reference, "passphrase": passphrase})
    assert "private words" not in other.get("/report/record/your-account/").content.decode()


def test_starting_needs_an_age_answer(client: Client) -> None:
    response = client.post("/report/", {})
    assert response.status_code == 400
    assert 'href="#under_18"' in response.content.decode()
    assert Report.objects.count() == 0


def test_an_open_record_closes_after_20_idle_minutes_and_keeps_what_was_saved(
    client: Client,
) -> None:
    reference, passphrase = start(client)
    client.post("/report/record/who/", {"username": "@kept.after.idle", "action": "continue"})
    leave_idle(client)
    assert client.get("/report/record/")["Location"] == "/report/sign-in/?closed=idle"
    client.post("/report/sign-in/", {"reference": reference, "passphrase": passphrase})
    assert "@kept.after.idle" in client.get("/report/record/who/").text


def test_closing_the_record_really_ends_access(client: Client) -> None:
    start(client)
    copied = client.cookies["session"].value
    client.post("/report/sign-out/")
    other = Client()
    other.cookies["session"] = copied
    assert other.get("/report/record/")["Location"] == "/report/sign-in/"


def test_pages_need_the_report_open_in_this_session(client: Client) -> None:
    start(client)
    other = Client()
    for url in ("/report/record/", "/report/record/who/", "/report/evidence/"):
        assert other.get(url)["Location"] == "/report/sign-in/", url
    assert other.post("/report/download/")["Location"] == "/report/sign-in/"


def test_coming_back_with_the_passphrase(client: Client) -> None:
    reference, passphrase = start(client)
    other = Client()
    wrong = other.post("/report/sign-in/", {"reference": reference, "passphrase": "nope"})
    assert wrong.status_code == 400
    assert "The reference or passphrase is not right" in wrong.content.decode()
    assert "nope" not in wrong.content.decode()
    right = other.post(
        "/report/sign-in/", {"reference": reference.lower(), "passphrase": passphrase}
    )
    assert right["Location"] == "/report/record/"
    assert reference in other.get("/report/record/").content.decode()


def test_empty_sign_in_shows_both_errors(client: Client) -> None:
    body = client.post("/report/sign-in/", {}).content.decode()
    assert 'href="#reference"' in body
    assert 'href="#passphrase"' in body


def test_every_section_saves_and_moves_on(client: Client) -> None:
    start(client)
    for index, current in enumerate(SECTIONS):
        response = client.post(f"/report/record/{current.slug}/", {"action": "continue"})
        expected = (
            f"/report/record/{SECTIONS[index + 1].slug}/"
            if index + 1 < len(SECTIONS)
            else "/report/evidence/"
        )
        assert response["Location"] == expected


def test_a_bad_answer_is_shown_again_with_what_was_typed(client: Client) -> None:
    start(client)
    response = client.post(
        "/report/record/demands/",
        {"amount": "five hundred", "method": "gift cards", "action": "continue"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#amount">Enter an amount as a number' in body
    assert 'value="gift cards"' in body
    assert 'value="five hundred"' in body


def test_remove_is_only_for_lists_and_needs_a_number(client: Client) -> None:
    start(client)
    client.post("/report/record/when/", {"started_on": "2026-11-01", "action": "continue"})
    assert client.post("/report/record/when/", {"action": "remove-0"}).status_code == 404
    assert client.post("/report/record/who/", {"action": "remove-x"}).status_code == 404
    assert client.post("/report/evidence/", {"action": "remove-abc"}).status_code == 302
    assert client.post("/report/download/").status_code == 200


def test_repeatable_sections_add_and_remove_items(client: Client) -> None:
    start(client)
    client.post("/report/record/who/", {"username": "@first", "action": "add"})
    client.post("/report/record/who/", {"username": "@second", "action": "add"})
    body = client.get("/report/record/who/").content.decode()
    assert "Account 2" in body
    client.post("/report/record/who/", {"action": "remove-0"})
    body = client.get("/report/record/who/").content.decode()
    assert "@second" in body
    assert "@first" not in body


def test_text_is_escaped_in_pages_and_pack(client: Client) -> None:
    start(client)
    for current in SECTIONS:
        values = {f.name: SCRIPT for f in current.fields if f.kind in ("text", "long-text")}
        client.post(f"/report/record/{current.slug}/", {**values, "action": "continue"})
    for current in SECTIONS:
        body = client.get(f"/report/record/{current.slug}/").content.decode()
        assert "<script>alert" not in body, current.slug
        assert "onerror=alert(1)>" not in body, current.slug
    pack = client.post("/report/download/").content
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        from pypdf import PdfReader

        text = "".join(
            p.extract_text() for p in PdfReader(io.BytesIO(archive.read("report.pdf"))).pages
        )
    assert '<script>alert("x")</script>' in text  # shown as text, not run or dropped


def test_uploads_report_each_file_on_its_own(client: Client) -> None:
    start(client)
    files = [
        SimpleUploadedFile("../../threat.png", screenshot(), "image/png"),
        SimpleUploadedFile("virus.png", b"MZ" + b"\x00" * 100, "image/png"),
        SimpleUploadedFile("cut.png", screenshot()[:200], "image/png"),
    ]
    response = client.post("/report/evidence/", {"files": files, "action": "upload"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Some files were not added" in body
    assert "<bdi>virus.png</bdi>: We can only accept" in body
    assert "<bdi>cut.png</bdi>:" in body
    assert "Added: <bdi>threat.png</bdi>" in body
    item = EvidenceItem.objects.get()
    assert item.media_type == "image/png"
    thumbnail = client.get(f"/report/evidence/{item.pk}/thumbnail/")
    assert thumbnail["Content-Type"] == "image/jpeg"
    assert Client().get(f"/report/evidence/{item.pk}/thumbnail/").status_code == 302


def test_the_pack_downloads_and_verifies(client: Client) -> None:
    reference, _ = start(client)
    client.post("/report/record/who/", {"username": "@offender", "action": "continue"})
    client.post("/report/evidence/", {"files": [SimpleUploadedFile("a.png", screenshot())]})
    response = client.post("/report/download/")
    assert response["Content-Type"] == "application/zip"
    assert reference in response["Content-Disposition"]
    result = verify_pack(response.content)
    assert result.valid, result.problem
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = set(archive.namelist())
    assert {"report.pdf", "report.json", "custody.jsonl", "manifest.json", "manifest.sig"} <= names
    assert "evidence/01-a.png" in names


def test_too_many_files_and_too_large_files_are_refused_with_reasons(
    client: Client, settings, data_dir
) -> None:  # type: ignore[no-untyped-def]
    settings.DONTPAY_EVIDENCE_MAX_FILE_MB = 1
    start(client)
    big = SimpleUploadedFile("big.txt", b"a" * (2**20 + 10))
    small = SimpleUploadedFile("small.txt", b"pay up or else")
    body = client.post("/report/evidence/", {"files": [big, small]}).content.decode()
    assert "<bdi>big.txt</bdi>: This file is larger than 1 MB." in body
    assert "Added: <bdi>small.txt</bdi>" in body
    many = [SimpleUploadedFile(f"{n}.txt", b"hello") for n in range(11)]
    body = client.post("/report/evidence/", {"files": many}).content.decode()
    assert "Upload up to 10 files at a time" in body
    assert EvidenceItem.objects.count() == 1


def test_under_18s_are_told_not_to_upload_images_of_themselves(client: Client) -> None:
    client.post("/questions/where/", {"answer": "GB"})
    client.post("/questions/age/", {"answer": "yes"})
    start(client, under_18="yes")
    body = client.get("/report/evidence/").content.decode()
    assert "Do not upload any sexual image of yourself" in body
    assert 'accept="image/png' in body
    response = client.post(
        "/report/evidence/", {"files": [SimpleUploadedFile("chat.txt", b"pay up")]}
    )
    assert "only accept screenshots of messages and profiles" in response.content.decode()
    photo = client.post(
        "/report/evidence/", {"files": [SimpleUploadedFile("IMG_0001.jpg", camera_photo())]}
    )
    assert photo.status_code == 400
    assert "looks like a photo taken with a camera" in photo.content.decode()
    assert EvidenceItem.objects.count() == 0


def test_deleting_the_report(client: Client) -> None:
    reference, passphrase = start(client)
    client.post("/report/evidence/", {"files": [SimpleUploadedFile("a.png", screenshot())]})
    assert "Delete everything" in client.get("/report/delete/").content.decode()
    client.post("/report/delete/")
    assert EvidenceItem.objects.count() == 0
    assert client.get("/report/record/")["Location"] == "/report/sign-in/"
    again = Client().post("/report/sign-in/", {"reference": reference, "passphrase": passphrase})
    assert again.status_code == 400


def test_six_wrong_passphrases_from_one_device_never_stop_the_owner_on_another(
    client: Client,
) -> None:
    reference, passphrase = start(client)
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [
        guesser.post(
            "/report/sign-in/", {"reference": reference, "passphrase": "WRONG"}
        ).status_code
        for _ in range(6)
    ]
    assert statuses == [400] * 5 + [429]
    waiting = guesser.post("/report/sign-in/", {"reference": reference, "passphrase": passphrase})
    assert waiting.status_code == 429
    assert "wait 1 minute" in waiting.text
    owner = Client(REMOTE_ADDR="198.51.100.7")
    opened = owner.post("/report/sign-in/", {"reference": reference, "passphrase": passphrase})
    assert opened["Location"] == "/report/record/"


def test_saving_a_record_page_unchanged_keeps_its_dates(client: Client) -> None:
    from dontpay.cases.reports import open_report, read_record

    from ..cases.factories import held
    from ..forms import submitted_unchanged

    reference, passphrase = start(client)

    def record() -> dict[str, object]:
        opened = open_report(reference, passphrase, "test")
        assert opened is not None
        with held(opened) as report:
            return read_record(report)

    when = {"started_on": "2026-10-02", "threats_on": "2026-10-03"}
    assert client.post("/report/record/when/", when).status_code == 302
    page = client.get("/report/record/when/").content.decode()
    resaved = client.post("/report/record/when/", submitted_unchanged(page, "started_on"))
    assert resaved.status_code == 302
    assert record()["when"] == when
    demand = {"amount": "500", "currency": "GBP", "deadline": "2026-10-04T21:30"}
    assert client.post("/report/record/demands/", demand | {"action": "add"}).status_code == 302
    assert record()["demands"] == [demand | {"amount": "500.00"}]


def test_removing_a_file_asks_first_and_then_confirms(client: Client) -> None:
    start(client)
    upload = SimpleUploadedFile("threat.png", screenshot(), content_type="image/png")
    uploaded = client.post("/report/evidence/", {"files": [upload]}, follow=True)
    assert "govuk-notification-banner--success" in uploaded.text
    assert "1 file uploaded" in uploaded.text
    item = EvidenceItem.objects.get()
    asked = client.post("/report/evidence/", {"action": f"remove-{item.pk}"})
    assert asked.status_code == 200
    assert "Remove this file?" in asked.text
    assert f'value="confirm-remove-{item.pk}"' in asked.text
    assert EvidenceItem.objects.filter(pk=item.pk).exists()
    removed = client.post("/report/evidence/", {"action": f"confirm-remove-{item.pk}"}, follow=True)
    assert not EvidenceItem.objects.filter(pk=item.pk).exists()
    assert "File removed" in removed.text


def test_the_profile_picture_button_and_remove_are_separate_controls(client: Client) -> None:
    start(client)
    upload = SimpleUploadedFile("profile.png", screenshot(), content_type="image/png")
    page = client.post("/report/evidence/", {"files": [upload]}, follow=True).text
    actions = page[page.index('class="dp-evidence__actions"') :]
    actions = actions[: actions.index("</div>")]
    assert 'class="govuk-button govuk-button--secondary"' in actions
    assert 'class="dp-link-button"' in actions


def test_closing_the_record_says_it_is_closed(client: Client) -> None:
    start(client)
    closed = client.post("/report/sign-out/", follow=True)
    assert "Your record is closed" in closed.text
