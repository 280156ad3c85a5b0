"""Each request that used to be a server error is now a clear 4xx, fixed where it arose."""

import time

import pytest
from django.test import Client

from dontpay.domain.reports.record import MAX_LONG_TEXT
from dontpay.help.uploads import max_request_bytes

from ..help.test_protect import adult_client
from ..help.test_report_views import start

pytestmark = pytest.mark.django_db

DEEP = 5000


def test_signals_nested_thousands_deep_get_the_form_error() -> None:
    deep = "[" * DEEP + "]" * DEEP
    response = adult_client().post("/protect/choose/", {"signals": deep})
    assert response.status_code == 400
    assert "The fingerprints could not be read" in response.text


@pytest.mark.parametrize("index", ["²", "٣", "1²", "0" * 19, "", "-1"])
def test_a_remove_button_with_other_digits_is_not_found(client: Client, index: str) -> None:
    start(client)
    client.post("/report/record/who/", {"platform": "instagram", "username": "x", "action": "add"})
    assert client.post("/report/record/who/", {"action": f"remove-{index}"}).status_code == 404
    evidence = client.post("/report/evidence/", {"action": f"remove-{index}"})
    assert evidence.status_code == 302  # nothing to change: back to the list


def test_a_body_larger_than_any_upload_gets_413_and_the_documented_message(
    client: Client,
) -> None:
    start(client)
    too_large = str(max_request_bytes() + 1)
    response = client.post(
        "/report/evidence/",
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=too_large,
    )
    assert response.status_code == 413
    assert "That is too much at once: upload up to 10 files of 20 MB." in response.text
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("fragment", ["$a ", "ig @a ", "a@b.co ", "http://a)"])
def test_saving_the_longest_hostile_messages_costs_under_a_second_of_cpu(
    client: Client, django_capture_on_commit_callbacks, fragment: str
) -> None:  # type: ignore[no-untyped-def]
    start(client)
    text = (fragment * (MAX_LONG_TEXT // len(fragment)))[:MAX_LONG_TEXT]
    started = time.process_time()
    with django_capture_on_commit_callbacks(execute=True):  # the indexing after the save
        response = client.post("/report/record/messages/", {"text": text, "action": "continue"})
    assert response.status_code == 302
    assert time.process_time() - started < 1.0


def test_messages_longer_than_the_limit_get_a_form_error(client: Client) -> None:
    start(client)
    response = client.post(
        "/report/record/messages/", {"text": "$a " * 20_000, "action": "continue"}
    )
    assert response.status_code == 400
    assert "This must be 50,000 characters or fewer" in response.text
