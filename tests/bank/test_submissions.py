"""Submitting, checking and withdrawing hashes: the services the "stop the spread" pages call."""

import re

import pytest

from dontpay.bank.models import BankEntry, SignalChange, Submission
from dontpay.bank.submissions import (
    MAX_FAILURES_PER_CASE,
    SubmissionRefused,
    check_submission,
    submit_signals,
    withdraw_submission,
)
from dontpay.cases.throttle import TooManyAttempts

from .conftest import OTHER, PHOTO

pytestmark = pytest.mark.django_db


def changes() -> list[tuple[str, str]]:
    return [(c.entry.value, c.change) for c in SignalChange.objects.select_related("entry")]


def test_a_submission_gets_a_readable_case_number_and_an_8_digit_pin() -> None:
    new = submit_signals([("pdq", PHOTO.upper(), 90)], "web")
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", new.case_number)
    assert re.fullmatch(r"\d{8}", new.pin)
    submission = Submission.objects.get(case_number=new.case_number)
    assert new.pin not in submission.pin_hash
    assert [entry.value for entry in submission.entries.all()] == [PHOTO]  # canonical: lowercase


def test_pins_are_stored_as_argon2_hashes(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    new = submit_signals([("pdq", PHOTO, 90)], "web")
    assert Submission.objects.get().pin_hash.startswith("argon2")
    assert check_submission(new.case_number, new.pin, "client") is not None


def test_low_quality_images_are_refused_with_a_reason() -> None:
    with pytest.raises(SubmissionRefused) as refused:
        submit_signals([("pdq", PHOTO, 90), ("pdq", OTHER, 49)], "web")
    [problem] = refused.value.problems
    assert problem.index == 1
    assert problem.reason.startswith("This image has too little detail to be matched reliably")
    assert not BankEntry.objects.exists()
    assert not Submission.objects.exists()


def test_a_video_with_no_good_frame_is_refused() -> None:
    lines = f"0,10,{PHOTO},0.000\n1,49,{OTHER},1.000"
    with pytest.raises(SubmissionRefused, match="This video has too little detail"):
        submit_signals([("vpdq", lines, 0)], "web")


@pytest.mark.parametrize(
    ("signals", "message"),
    [
        ([], "There are no hashes to add"),
        ([("pdq", PHOTO, 90)] * 101, "at most 100 hashes, not 101"),
        ([("md5", PHOTO, 90)], "signal 1: unknown hash type 'md5'; expected pdq or vpdq"),
        ([("pdq", PHOTO[:-1], 90)], "signal 1: PDQ hash has 63 characters"),
        ([("pdq", PHOTO, 101)], "signal 1: PDQ quality must be a whole number from 0 to 100"),
        ([("vpdq", "0,100,zz,0", 0)], "signal 1: vPDQ line 1: PDQ hash has 2 characters"),
    ],
)
def test_bad_submissions_are_refused(signals: list[tuple[str, str, int]], message: str) -> None:
    with pytest.raises(SubmissionRefused, match=re.escape(message)):
        submit_signals(signals, "web")


def test_one_entry_per_hash_live_while_any_submission_holds_it() -> None:
    first = submit_signals([("pdq", PHOTO, 90), ("pdq", PHOTO, 90)], "web")
    second = submit_signals([("pdq", PHOTO, 95), ("pdq", OTHER, 80)], "cli")
    assert BankEntry.objects.count() == 2
    assert changes() == [(PHOTO, "added"), (OTHER, "added")]

    withdraw_submission(Submission.objects.get(case_number=first.case_number))
    assert BankEntry.objects.get(value=PHOTO).live
    assert changes() == [(PHOTO, "added"), (OTHER, "added")]

    submission = Submission.objects.get(case_number=second.case_number)
    withdraw_submission(submission)
    withdraw_submission(submission)  # twice is harmless
    assert submission.withdrawn
    assert not BankEntry.objects.filter(live=True).exists()
    assert changes() == [
        (PHOTO, "added"),
        (OTHER, "added"),
        (PHOTO, "withdrawn"),
        (OTHER, "withdrawn"),
    ]


def test_check_submission_accepts_the_case_number_as_people_type_it() -> None:
    new = submit_signals([("pdq", PHOTO, 90)], "web")
    typed = new.case_number.lower().replace("-", " ").replace("0", "o")
    found = check_submission(typed, f" {new.pin[:4]} {new.pin[4:]} ", "client")
    assert found is not None
    assert found.case_number == new.case_number
    assert check_submission(new.case_number, "00000000", "client") is None
    assert check_submission("not a case", new.pin, "client") is None


def test_guessing_pins_is_throttled_per_case_and_a_right_pin_costs_nothing() -> None:
    new = submit_signals([("pdq", PHOTO, 90)], "web")
    for _ in range(3):
        assert check_submission(new.case_number, new.pin, "client") is not None
    for number in range(MAX_FAILURES_PER_CASE):
        assert check_submission(new.case_number, f"{number:08d}", f"client {number}") is None
    with pytest.raises(TooManyAttempts):
        check_submission(new.case_number, new.pin, "another client")
