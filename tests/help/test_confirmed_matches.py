"""The person who sent fingerprints sees, under their case number and in their record, how
many platforms have confirmed finding a copy: a count, and nothing else."""

import json
import secrets

import pytest
from django.test import Client

from dontpay.bank.feedback import give_feedback
from dontpay.bank.models import Submission
from dontpay.bank.shown import note_answer_shown
from dontpay.bank.tokens import create_token

from ..cases.test_consent import start_record
from .test_protect import _testid, adult_client, fingerprints

pytestmark = pytest.mark.django_db


def feedback(platform: str, submission: Submission, verdict: str) -> None:
    """A new token of the platform is answered with the submission's entries by a match, and
    gives its verdict on each."""
    token = create_token(platform, ["match", "feedback"]).token
    entries = list(submission.entries.values_list("pk", flat=True))
    note_answer_shown(token, [entries], lambda entry: entry)
    for entry in entries:
        give_feedback(token, entry, verdict)


def test_the_case_page_counts_platforms_that_confirmed_a_match() -> None:
    client = adult_client()
    sent = client.post("/protect/choose/", {"signals": fingerprints(2)}, follow=True)
    case_number, pin = _testid(sent.text, "case-number"), _testid(sent.text, "pin")
    submission = Submission.objects.get(case_number=case_number)

    def confirmed() -> str:
        page = Client().post("/protect/check/", {"case_number": case_number, "pin": pin})
        assert page.status_code == 200
        return _testid(page.text, "confirmed")

    assert confirmed() == "None yet"
    feedback("Example Platform", submission, "confirmed")
    feedback("Example Platform", submission, "confirmed")  # its second token: one platform
    feedback("Other Platform", submission, "false_positive")
    assert confirmed() == "1"
    feedback("Third Platform", submission, "confirmed")
    page = Client().post("/protect/check/", {"case_number": case_number, "pin": pin}).text
    assert _testid(page, "confirmed") == "2"
    # A count only: no platform's name reaches the page.
    for name in ("Example Platform", "Other Platform", "Third Platform"):
        assert name not in page


def test_the_record_lists_the_count_under_each_set_of_fingerprints() -> None:
    person = Client()
    start_record(person)
    person.post("/protect/", {"age": "adult"})
    signals = json.dumps([{"type": "pdq", "value": secrets.token_hex(32), "quality": 90}])
    person.post("/protect/choose/", {"signals": signals})
    submission = Submission.objects.get()
    overview = person.get("/report/record/").text
    assert _testid(overview, "confirmed") == "No platform has confirmed finding a copy yet"
    feedback("Example Platform", submission, "confirmed")
    overview = person.get("/report/record/").text
    assert _testid(overview, "confirmed") == "1 platform confirmed finding a copy"
    assert "Example Platform" not in overview
