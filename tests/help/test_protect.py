"""Stop the spread: the age question, the under-18 route, sending fingerprints, and coming back
with the case number and PIN to check or withdraw."""

import json
import secrets

import pytest
from django.test import Client

from dontpay.bank.models import BankEntry, Submission

pytestmark = pytest.mark.django_db


def adult_client() -> Client:
    client = Client()
    response = client.post("/protect/", {"age": "adult"})
    assert response.status_code == 302
    assert response["Location"] == "/protect/choose/"
    return client


def fingerprints(count: int, quality: int = 90) -> str:
    return json.dumps(
        [{"type": "pdq", "value": secrets.token_hex(32), "quality": quality} for _ in range(count)]
    )


def test_the_age_question_must_be_answered() -> None:
    response = Client().post("/protect/", {})
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "Select how old you were" in response.text


@pytest.mark.parametrize("age", ["under-18", "not-sure"])
def test_under_18s_and_the_unsure_are_sent_to_report_remove_and_take_it_down(age: str) -> None:
    client = Client()
    response = client.post("/protect/", {"age": age}, follow=True)
    assert response.redirect_chain[-1][0] == "/protect/under-18/"
    page = response.text
    assert "Report Remove" in page
    assert "takeitdown.ncmec.org" in page
    assert "We do not take fingerprints of images of anyone under 18" in page
    assert "checked 27 November 2026" in page  # every instruction shows its source
    # and they cannot reach the page that sends fingerprints
    assert client.get("/protect/choose/")["Location"] == "/protect/"


def test_choosing_files_needs_the_adult_answer_first() -> None:
    response = Client().get("/protect/choose/")
    assert response.status_code == 302
    assert response["Location"] == "/protect/"


def test_the_file_input_can_never_be_sent() -> None:
    page = adult_client().get("/protect/choose/").text
    file_input = page[page.index('id="files"') - 80 : page.index('id="files"') + 120]
    assert "name=" not in file_input
    assert page.index('id="files"') < page.index('id="protect-form"')
    assert 'enctype="multipart/form-data"' not in page


def test_sending_fingerprints_shows_the_case_number_and_pin_once() -> None:
    client = adult_client()
    sent = client.post("/protect/choose/", {"signals": fingerprints(3)})
    assert sent.status_code == 302
    response = client.get(sent["Location"])
    case_number = _testid(response.text, "case-number")
    pin = _testid(response.text, "pin")
    submission = Submission.objects.get(case_number=case_number)
    assert submission.entries.count() == 3
    assert pin not in submission.pin_hash
    assert "Fingerprints sent: 3. Platforms that check with us can now match them." in response.text
    # Refreshing neither shows the PIN again nor sends the fingerprints twice.
    assert client.get(sent["Location"])["Location"] == "/protect/"
    assert Submission.objects.count() == 1


def test_bad_fingerprints_re_render_with_an_error_and_store_nothing() -> None:
    client = adult_client()
    for signals, message in [
        ("not json", "could not be read"),
        ("[]", "Choose at least one image or video"),
        (json.dumps([{"type": "pdq", "value": "abc", "quality": 90}]), "File 1:"),
        (fingerprints(1, quality=20), "File 1:"),
        (json.dumps([{"type": "pdq", "value": "0" * 64, "quality": 100}]), "0 of 256 bits set"),
        (json.dumps([{"type": "pdq", "value": secrets.token_hex(32), "quality": True}]), "read"),
    ]:
        response = client.post("/protect/choose/", {"signals": signals})
        assert response.status_code == 400, signals
        assert "There is a problem" in response.text
        assert message in response.text
    assert not Submission.objects.exists()
    assert not BankEntry.objects.exists()


def test_a_refused_batch_keeps_the_fingerprints_on_the_page() -> None:
    client = adult_client()
    good = json.loads(fingerprints(1))
    bad = json.loads(fingerprints(1, quality=10))
    response = client.post("/protect/choose/", {"signals": json.dumps(good + bad)})
    assert response.status_code == 400
    assert good[0]["value"][:40] in response.text


def test_check_and_withdraw_with_the_case_number_and_pin() -> None:
    client = adult_client()
    sent = client.post("/protect/choose/", {"signals": fingerprints(2)}, follow=True)
    case_number, pin = _testid(sent.text, "case-number"), _testid(sent.text, "pin")

    wrong = Client().post("/protect/check/", {"case_number": case_number, "pin": "00000000"})
    assert wrong.status_code == 400
    assert "The case number or PIN is not right" in wrong.text

    visitor = Client()
    status = visitor.post("/protect/check/", {"case_number": case_number, "pin": pin})
    assert status.status_code == 200
    assert "Active" in _testid(status.text, "status")
    asked = visitor.post("/protect/withdraw/")
    assert asked.status_code == 200
    assert f'Withdraw case <span dir="ltr">{case_number}</span>?' in asked.text
    assert Submission.objects.get(case_number=case_number).withdrawn_at is None
    kept = visitor.get("/protect/withdraw/")
    assert "Active" in _testid(kept.text, "status")
    withdrawn = visitor.post("/protect/withdraw/", {"confirm": "yes"})
    assert withdrawn.status_code == 200
    assert "Case withdrawn" in withdrawn.text
    assert Submission.objects.get(case_number=case_number).withdrawn_at is not None
    # the withdrawal needs a fresh check: the opened case is forgotten
    assert visitor.post("/protect/withdraw/", {"confirm": "yes"})["Location"] == "/protect/check/"


def test_check_asks_for_both_fields() -> None:
    response = Client().post("/protect/check/", {"case_number": "", "pin": ""})
    assert response.status_code == 400
    assert "Enter your case number" in response.text
    assert "Enter your PIN" in response.text


def _testid(page: str, name: str) -> str:
    marker = f'data-testid="{name}">'
    start = page.index(marker) + len(marker)
    return page[start : page.index("<", start)]


def test_a_video_is_sent_as_vpdq_feature_lines_as_the_page_writes_them() -> None:
    frames = "\n".join(
        f"{n},{90 + n},{secrets.token_hex(32)},{float(n):.3f}" for n in range(4)
    )  # the format protect.js writes: frame_number,quality,hash,timestamp
    video = json.dumps([{"type": "vpdq", "value": frames, "quality": 91}])
    response = adult_client().post("/protect/choose/", {"signals": video})
    assert response.status_code == 302, response.text
    entry = Submission.objects.get().entries.get()
    assert entry.signal_type == "vpdq"


def test_one_client_cannot_fill_the_bank() -> None:
    client = adult_client()
    for _ in range(10):
        assert client.post("/protect/choose/", {"signals": fingerprints(1)}).status_code == 302
    refused = client.post("/protect/choose/", {"signals": fingerprints(1)})
    assert refused.status_code == 400
    assert "wait an hour" in refused.text
    assert Submission.objects.count() == 10
