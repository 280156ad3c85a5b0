"""Feedback is taken only on an entry the platform was given: by a match's answer, or by the
signal feed. A platform can no longer add to the count a person sees for an entry it never had;
recording what was given costs a write the first time a token is answered with an entry, and
none after."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dontpay.bank.feed import encode_cursor
from dontpay.bank.feedback import platforms_confirming
from dontpay.bank.models import (
    BankEntry,
    EntryShown,
    FeedRangeShown,
    MatchFeedback,
    SignalChange,
    Submission,
)
from dontpay.bank.submissions import check_submission, submit_signals, withdraw_submission
from dontpay.bank.tokens import create_token, revoke_token

from .conftest import OTHER, PHOTO, ApiClient, flip_bits
from .test_feedback_and_flood import put

pytestmark = pytest.mark.django_db

VIDEO = "\n".join(f"{n},100,{OTHER},{n}.000" for n in range(3))
VIDEO_QUERY = [
    {"frame_number": n, "quality": 100, "hash": OTHER, "timestamp": float(n)} for n in range(3)
]


def platform(name: str, *scopes: str) -> ApiClient:
    return ApiClient(create_token(name, list(scopes)).secret)


def entry(value: str) -> int:
    return BankEntry.objects.get(value=value).pk


def refused(response, number: int) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 404, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == (
        f"Entry {number} was never given to this platform: give feedback on the entries that a "
        "match answered, or the signal feed listed, to a token of this platform"
    )


def inserts_into(table: str, queries: CaptureQueriesContext) -> int:
    return sum(q["sql"].startswith(f'INSERT INTO "{table}"') for q in queries.captured_queries)


MATCHES: dict[str, Callable[[ApiClient], object]] = {
    "match": lambda client: client.match(flip_bits(PHOTO, 5)),
    "dihedral": lambda client: client.post(
        "/api/v1/match/dihedral",
        {"signals": [{"type": "pdq", "dihedral": [flip_bits(PHOTO, 128)] * 7 + [PHOTO]}]},
    ),
}


@pytest.mark.parametrize("endpoint", MATCHES)
def test_a_token_confirms_an_entry_a_match_answered_it_with(endpoint: str) -> None:
    submit_signals([("pdq", PHOTO, 100), ("pdq", OTHER, 100)], "web")
    photo = entry(PHOTO)
    client = platform("Example Platform", "match", "feedback")
    refused(put(client, photo, "confirmed"), photo)  # before any match

    answered = MATCHES[endpoint](client)
    assert answered.status_code == 200  # type: ignore[attr-defined]
    given = put(client, photo, "confirmed")
    assert given.status_code == 200, given.content
    # A retry changes nothing; a change of mind is taken.
    assert put(client, photo, "confirmed").json() == given.json()
    assert put(client, photo, "false_positive").json()["verdict"] == "false_positive"
    assert put(client, photo, "confirmed").json()["verdict"] == "confirmed"
    # Only the entry it was answered with: the other stays out of its reach.
    refused(put(client, entry(OTHER), "confirmed"), entry(OTHER))
    assert list(MatchFeedback.objects.values_list("entry_id", "verdict")) == [(photo, "confirmed")]


def test_a_token_confirms_a_video_a_match_answered_it_with() -> None:
    submit_signals([("vpdq", VIDEO, 0), ("pdq", PHOTO, 100)], "web")
    video = entry(VIDEO)
    client = platform("Example Platform", "match", "feedback")
    refused(put(client, video, "confirmed"), video)
    assert client.post("/api/v1/match/video", {"features": VIDEO_QUERY}).json()["matches"]
    assert put(client, video, "confirmed").status_code == 200
    refused(put(client, entry(PHOTO), "confirmed"), entry(PHOTO))


def test_a_platform_never_given_an_entry_cannot_confirm_it_nor_learn_that_it_exists() -> None:
    submission = submit_signals([("pdq", PHOTO, 100)], "web")
    photo = entry(PHOTO)
    matcher = platform("Example Platform", "match", "feedback")
    assert matcher.match(PHOTO).json()["results"][0]["matches"]
    stranger = platform("Other Platform", "match", "feedback")
    assert not stranger.match(OTHER).json()["results"][0]["matches"]  # asked, found nothing

    refused(put(stranger, photo, "confirmed"), photo)
    refused(put(stranger, photo, "false_positive"), photo)
    # An entry that does not exist is answered alike: nothing tells the two apart.
    refused(put(stranger, photo + 1000, "confirmed"), photo + 1000)
    assert not MatchFeedback.objects.exists()
    assert put(matcher, photo, "confirmed").status_code == 200
    assert platforms_confirming(Submission.objects.get(case_number=submission.case_number)) == 1


def test_another_token_of_the_same_platform_may_give_feedback_even_after_a_revocation() -> None:
    submission = submit_signals([("pdq", PHOTO, 100)], "web")
    photo = entry(PHOTO)
    matching = create_token("Example Platform", ["match"])
    ApiClient(matching.secret).match(PHOTO)
    # The platform's moderators hold a token that may give feedback and not match.
    moderators = platform("Example Platform", "feedback")
    assert put(moderators, photo, "confirmed").status_code == 200
    # The matching token is replaced: what it was given stays given to its platform.
    revoke_token(matching.token.prefix)
    replacement = platform("Example Platform", "feedback")
    assert put(replacement, photo, "confirmed").status_code == 200
    # Two tokens confirmed, one platform: the person's count is 1. Another name is another
    # platform, which was given nothing.
    assert platforms_confirming(Submission.objects.get(case_number=submission.case_number)) == 1
    refused(put(platform("Other Platform", "feedback"), photo, "confirmed"), photo)


def test_a_platform_matching_its_own_copy_may_confirm_what_the_feed_gave_it() -> None:
    submit_signals([("pdq", PHOTO, 100)], "web")
    submit_signals([("pdq", OTHER, 100)], "web")
    photo, other = entry(PHOTO), entry(OTHER)
    follower = platform("Example Platform", "signals", "feedback")

    first = follower.get("/api/v1/signals", limit=1).json()
    assert [change["entry"] for change in first["changes"]] == [photo]
    assert put(follower, photo, "confirmed").status_code == 200
    refused(put(follower, other, "confirmed"), other)  # not given yet
    second = follower.get("/api/v1/signals", since=first["next"], limit=1).json()
    assert [change["entry"] for change in second["changes"]] == [other]
    assert put(follower, other, "confirmed").status_code == 200
    # Pages followed in order are one range; starting again from the beginning writes nothing.
    assert list(FeedRangeShown.objects.values_list("after", "through")) == [(0, second_id())]
    follower.get("/api/v1/signals")
    assert FeedRangeShown.objects.count() == 1
    # A token that did not follow the feed was given nothing by it.
    refused(put(platform("Other Platform", "feedback"), photo, "confirmed"), photo)


def second_id() -> int:
    return SignalChange.objects.order_by("id")[1].pk


def test_a_feed_page_that_gave_only_the_withdrawal_of_an_entry_does_not_count() -> None:
    new = submit_signals([("pdq", PHOTO, 100)], "web")
    photo = entry(PHOTO)
    added = SignalChange.objects.get(entry_id=photo).pk
    submission = check_submission(new.case_number, new.pin, "client")
    assert submission is not None
    withdraw_submission(submission)
    late = platform("Example Platform", "signals", "feedback")
    page = late.get("/api/v1/signals", since=encode_cursor(added)).json()
    assert [(c["entry"], c["change"]) for c in page["changes"]] == [(photo, "withdrawn")]
    refused(put(late, photo, "confirmed"), photo)


def test_a_hit_is_recorded_once_however_many_times_it_matches() -> None:
    submit_signals([("pdq", PHOTO, 100), ("pdq", OTHER, 100)], "web")
    client = platform("Example Platform", "match")
    client.match(flip_bits(PHOTO, 200))  # loads the index and notes the token's use; no hit
    assert not EntryShown.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        for bits in range(20):
            assert client.match(flip_bits(PHOTO, bits)).json()["results"][0]["matches"]
    assert inserts_into("bank_entryshown", queries) == 1
    # An answer with a new hit beside a known one stores only the new pair, in one statement.
    with CaptureQueriesContext(connection) as queries:
        client.match(PHOTO, OTHER, PHOTO)
        client.match(OTHER, PHOTO)
    assert inserts_into("bank_entryshown", queries) == 1
    assert sorted(EntryShown.objects.values_list("entry_id", flat=True)) == sorted(
        [entry(PHOTO), entry(OTHER)]
    )
    # Another token is another row.
    platform("Example Platform", "match").match(PHOTO)
    assert EntryShown.objects.filter(entry_id=entry(PHOTO)).count() == 2
