"""Platforms tell the bank back: feedback on matches, per token and idempotent; and an entry
that matches far more uploads than expected is quarantined, stops matching at once, and waits
for an administrator."""

import random
import time
import uuid
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dontpay.bank.feed import changes_since
from dontpay.bank.flood import match_counts, release_entry
from dontpay.bank.index import BankIndex
from dontpay.bank.models import BankEntry, EntryQuarantine, MatchFeedback
from dontpay.bank.submissions import submit_signals

from ..processes import REDIS_URL
from .conftest import OTHER, PHOTO, ApiClient

pytestmark = pytest.mark.django_db

UPLOADS = 10_000
BATCH = 1000


def near_copies(value: str, count: int, seed: int = 7) -> list[str]:
    """`count` random uploads, each within 20 bits of `value`: distinct pictures that all match."""
    rng = random.Random(seed)
    bits = int(value, 16)
    copies = []
    for _ in range(count):
        mask = sum(1 << bit for bit in rng.sample(range(256), rng.randint(1, 20)))
        copies.append(f"{bits ^ mask:064x}")
    return copies


def random_uploads(count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.getrandbits(256):064x}" for _ in range(count)]


def matched(response) -> int:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return sum(bool(result["matches"]) for result in response.json()["results"])


@pytest.fixture(params=["memory", "redis"])
def counted_in(request: pytest.FixtureRequest, settings) -> str:  # type: ignore[no-untyped-def]
    """Counts in each process's memory (the default), or in Redis (DONTPAY_REDIS_URL), where
    they are sent in batches by other code."""
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"flood-test-{uuid.uuid4().hex}",
            }
        }
    return str(request.param)


def writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].split()[0] in {"INSERT", "UPDATE"}
    ]


# Flood protection


def test_an_entry_matching_10000_uploads_within_a_minute_is_quarantined_and_stops_matching(
    api: ApiClient, settings, counted_in: str
) -> None:  # type: ignore[no-untyped-def]
    settings.DONTPAY_FLOOD_MATCHES = 2500
    settings.DONTPAY_FLOOD_WINDOW = 60
    submit_signals([("pdq", PHOTO, 100), ("pdq", OTHER, 100)], "web")
    photo = BankEntry.objects.get(value=PHOTO)
    another_process = BankIndex()  # an index loaded before the flood, as another process holds
    assert another_process.match_images([PHOTO]) == [[(photo.pk, 0)]]
    uploads = near_copies(PHOTO, UPLOADS)
    started = time.monotonic()
    answered = []
    for start in range(0, UPLOADS, BATCH):
        answered.append(matched(api.match(*uploads[start : start + BATCH])))
    assert time.monotonic() - started < 60
    # Two batches within the limit are answered; the third carries the entry over it, and from
    # that answer on nothing matches it.
    assert answered == [BATCH, BATCH] + [0] * 8
    quarantine = EntryQuarantine.objects.get(entry=photo)
    assert quarantine.active
    assert quarantine.matches == 3 * BATCH
    assert quarantine.window_seconds == 60
    photo.refresh_from_db()
    assert not photo.live
    assert match_counts([photo.pk]) == {photo.pk: 3 * BATCH}
    # Every process stops matching it at its next match; the feed tells platforms to stop.
    assert another_process.match_images([PHOTO]) == [[]]
    assert [(c.entry_id, c.change) for c in changes_since("").changes][-1] == (
        photo.pk,
        "withdrawn",
    )
    assert PHOTO not in api.get("/api/v1/bank/export").getvalue().decode()
    # Other entries go on matching; a new submission of the hash does not bring it back.
    assert matched(api.match(OTHER, PHOTO)) == 1
    submit_signals([("pdq", PHOTO, 100)], "web")
    assert matched(api.match(PHOTO)) == 0

    # Released by an administrator, it matches again, and is not quarantined again.
    assert release_entry(photo.pk, "admin-1")
    assert another_process.match_images([PHOTO]) == [[(photo.pk, 0)]]
    assert changes_since("").changes[-1].change == "added"
    for start in range(0, 3 * BATCH, BATCH):
        assert matched(api.match(*uploads[start : start + BATCH])) == BATCH
    assert not release_entry(photo.pk, "admin-1")


def test_matches_under_the_limit_quarantine_nothing(api: ApiClient, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DONTPAY_FLOOD_MATCHES = 2500
    submit_signals([("pdq", PHOTO, 100)], "web")
    uploads = near_copies(PHOTO, 2499)
    for start in range(0, len(uploads), BATCH):
        matched(api.match(*uploads[start : start + BATCH]))
    assert not EntryQuarantine.objects.exists()
    assert matched(api.match(PHOTO)) == 1
    assert matched(api.match(PHOTO)) == 0  # the 2,501st match is more than the limit


def test_counting_writes_nothing_for_uploads_that_match_nothing(api: ApiClient) -> None:
    submit_signals([("pdq", PHOTO, 100)], "web")
    matched(api.match(OTHER))  # loads the index and notes the token's use
    with CaptureQueriesContext(connection) as queries:
        assert matched(api.match(*random_uploads(BATCH))) == 0
    assert writes(queries) == []
    # Matches are added to the database in steps, not one write per match; that the token was
    # answered with the entry is written once.
    with CaptureQueriesContext(connection) as queries:
        for start in range(0, 500, 50):
            assert matched(api.match(*near_copies(PHOTO, 500)[start : start + 50])) == 50
    shown = [sql for sql in writes(queries) if "bank_entryshown" in sql]
    assert len(shown) == 1
    assert len(writes(queries)) - len(shown) <= 6


def test_an_answer_matching_many_entries_stores_their_counts_in_one_statement(
    api: ApiClient, counted_in: str
) -> None:
    entries = random_uploads(100, seed=5)
    submit_signals([("pdq", value, 100) for value in entries], "web")
    matched(api.match(OTHER))  # loads the index
    with CaptureQueriesContext(connection) as queries:
        assert matched(api.match(*entries)) == 100
    counted = [sql for sql in writes(queries) if "bank_entrymatchcount" in sql]
    assert len(counted) == 1
    # Counts add up, in the same statement, when entries are due again.
    ids = [BankEntry.objects.get(value=value).pk for value in entries]
    cache.delete_many([f"dontpay:match-count-written:{pk}" for pk in ids])
    assert matched(api.match(*entries[:60])) == 60
    assert match_counts(ids[:61]) == {pk: 2 if i < 60 else 1 for i, pk in enumerate(ids[:61])}


def test_dihedral_and_video_matches_count_towards_the_flood_too(api: ApiClient, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DONTPAY_FLOOD_MATCHES = 2
    video = "\n".join(f"{n},100,{OTHER},{n}.000" for n in range(3))
    submit_signals([("pdq", PHOTO, 100), ("vpdq", video, 0)], "web")
    upload = {"type": "pdq", "dihedral": [OTHER] * 7 + [PHOTO]}
    answers = [
        api.post("/api/v1/match/dihedral", {"signals": [upload]}).json()["results"][0]["matches"]
        for _ in range(4)
    ]
    assert [len(matches) for matches in answers] == [1, 1, 0, 0]
    query = [
        {"frame_number": n, "quality": 100, "hash": OTHER, "timestamp": float(n)} for n in range(3)
    ]
    videos = [api.post("/api/v1/match/video", {"features": query}).json() for _ in range(3)]
    assert [len(found["matches"]) for found in videos] == [1, 1, 0]
    assert EntryQuarantine.objects.count() == 2


# Feedback


def put(client: ApiClient, entry: int | str, verdict: object):  # type: ignore[no-untyped-def]
    return client.client.put(
        f"/api/v1/feedback/{entry}",
        {"verdict": verdict},
        content_type="application/json",
        headers=client.headers(),
    )


@pytest.fixture
def platforms(token: Callable[..., str]) -> tuple[ApiClient, ApiClient]:
    return ApiClient(token("match", "feedback")), ApiClient(token("match", "feedback"))


def test_feedback_is_idempotent_and_each_token_sees_only_its_own(
    platforms: tuple[ApiClient, ApiClient], token: Callable[..., str]
) -> None:
    first, second = platforms
    submit_signals([("pdq", PHOTO, 100)], "web")
    entry = BankEntry.objects.get(value=PHOTO).pk
    assert matched(first.match(PHOTO)) == 1  # its platform's tokens may now give feedback on it

    given = put(first, entry, "confirmed")
    assert given.status_code == 200, given.content
    assert given.json()["verdict"] == "confirmed"
    again = put(first, entry, "confirmed")
    assert again.json() == given.json()  # nothing changed, not even the times
    assert MatchFeedback.objects.count() == 1

    # Another token's verdict is its own: it neither sees nor changes the first one's.
    assert first.get(f"/api/v1/feedback/{entry}").json()["verdict"] == "confirmed"
    unseen = second.get(f"/api/v1/feedback/{entry}")
    assert unseen.status_code == 404
    assert unseen["Content-Type"] == "application/problem+json"
    assert put(second, entry, "false_positive").json()["verdict"] == "false_positive"
    assert first.get(f"/api/v1/feedback/{entry}").json()["verdict"] == "confirmed"
    assert MatchFeedback.objects.count() == 2

    # A token may change its mind: the verdict and its time change, the first time does not.
    changed = put(first, entry, "false_positive").json()
    assert changed["verdict"] == "false_positive"
    assert changed["given_at"] == given.json()["given_at"]
    assert changed["changed_at"] >= given.json()["changed_at"]
    assert set(MatchFeedback.objects.values_list("verdict", flat=True)) == {"false_positive"}


def test_feedback_errors_are_problems(
    platforms: tuple[ApiClient, ApiClient], token: Callable[..., str]
) -> None:
    first, _ = platforms
    submit_signals([("pdq", PHOTO, 100)], "web")
    entry = BankEntry.objects.get(value=PHOTO).pk
    assert matched(first.match(PHOTO)) == 1
    cases = [
        (
            put(first, entry + 1000, "confirmed"),
            404,
            f"Entry {entry + 1000} was never given to this platform: give feedback on the "
            "entries that a match answered, or the signal feed listed, to a token of this "
            "platform",
        ),
        (put(first, entry, "maybe"), 422, None),
        (put(first, entry, ["confirmed"]), 422, None),
        (put(first, 0, "confirmed"), 422, None),
        (
            put(first, "+1", "confirmed"),
            422,
            "entry: must be a whole number written in the digits 0-9",
        ),
        (put(first, "1.0", "confirmed"), 422, None),
        (put(first, "\u0661", "confirmed"), 422, None),
        (put(first, 2**63, "confirmed"), 422, None),
        (put(ApiClient(token("match")), entry, "confirmed"), 403, None),
        (put(ApiClient(None), entry, "confirmed"), 401, None),
    ]
    for response, status, detail in cases:
        assert response.status_code == status, response.content
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == status
        if detail:
            assert response.json()["detail"] == detail
    assert put(first, entry, "maybe").json()["errors"] == [
        "verdict: Input should be 'confirmed' or 'false_positive'"
    ]
    assert not MatchFeedback.objects.exists()
