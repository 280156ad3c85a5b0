"""Submissions: a person asks for their images to be blocked, checks on it, and withdraws it.

These are the services the "stop the spread" pages and the `bank` command call. The hashes
were computed on the person's own device; only hashes reach us.
"""

import hashlib
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dontpay.cases.models import Report
from dontpay.cases.throttle import Throttle
from dontpay.domain.signals import (
    SIGNAL_TYPES,
    InvalidSignal,
    VideoLimits,
    check_real_image_pdq,
    features_from_lines,
)

from .bulk_insert import insert_rows, now_for_database
from .case_numbers import new_case_number, new_pin, normalise_case_number, normalise_pin
from .models import BankEntry, EntryQuarantine, PinAttempt, SignalChange, Submission

#: Hashes at most this many in one submission: a person's images, not a collection.
MAX_SIGNALS_PER_SUBMISSION = 100
#: Below this PDQ quality an image is so plain that its hash would match unrelated images.
MIN_QUALITY = 50
#: One frame a second for the longest video the hashers accept.
MAX_VIDEO_FRAMES = int(VideoLimits().max_seconds)
#: Failed PINs allowed within 15 minutes, per case and per client.
MAX_FAILURES_PER_CASE = 5
PIN_GUESSES = Throttle(PinAttempt, "case_number", per_target=MAX_FAILURES_PER_CASE, per_client=20)
#: An arbitrary constant naming the PostgreSQL advisory lock that orders bank changes.
_BANK_LOCK = 0x64_6F_6E_74_62_61_6E_6B
#: Signals stored, or entries withdrawn, per round of queries: bounds memory and keeps every
#: query well under SQLite's limit on parameters, whatever the size of a file.
BULK_CHUNK = 10_000
#: Values per `IN (…)` list.
_QUERY_PARAMETERS = 2_000
_Holding = Submission.entries.through

Signal = tuple[str, str, int | None]


@dataclass(frozen=True)
class SignalProblem:
    """Why one signal of a submission was refused; `index` counts from 0."""

    index: int
    reason: str


@dataclass
class SubmissionRefused(Exception):
    """Nothing was stored: the submission as a whole, or some of its signals, cannot be used."""

    reason: str
    problems: Sequence[SignalProblem] = field(default_factory=tuple)

    def __str__(self) -> str:
        details = "; ".join(f"signal {p.index + 1}: {p.reason}" for p in self.problems)
        return f"{self.reason}: {details}" if details else self.reason


@dataclass(frozen=True)
class NewSubmission:
    """A stored submission and the PIN to show the person, once."""

    case_number: str
    pin: str


def submit_signals(
    signals: Sequence[tuple[str, str, int]], source: str, report: Report | None = None
) -> NewSubmission:
    """Store a person's hashes, matchable by every process at its next request. Made from
    inside their record (`report`), the submission is kept in it, so the record's reference
    and passphrase reach it too.

    Each signal is (type, value, quality), type "pdq" or "vpdq". Raises `SubmissionRefused`
    naming each bad signal: unknown type, malformed value, or too little detail to match safely.
    """
    if not signals:
        raise SubmissionRefused("There are no hashes to add")
    if len(signals) > MAX_SIGNALS_PER_SUBMISSION:
        raise SubmissionRefused(
            f"A submission holds at most {MAX_SIGNALS_PER_SUBMISSION} hashes, "
            f"not {len(signals)}: please send them in several parts"
        )
    canonical: list[Signal] = []
    problems = []
    for index, (kind, value, quality) in enumerate(signals):
        try:
            canonical.append(_checked_signal(kind, value, quality))
        except InvalidSignal as problem:
            problems.append(SignalProblem(index, str(problem)))
    if problems:
        raise SubmissionRefused("Some hashes cannot be used", tuple(problems))
    return store_signals(canonical, source, report)


def store_signals(
    signals: Sequence[Signal], source: str, report: Report | None = None
) -> NewSubmission:
    """Store canonical signals as one new submission, making new entries live.

    Callers have validated the values; the quality floor and size limit meant for one person's
    images are `submit_signals`'s.
    """
    return store_signal_stream(signals, source, report)


def store_signal_stream(
    signals: Iterable[Signal], source: str, report: Report | None = None
) -> NewSubmission:
    """Store signals as one new submission in one transaction, `BULK_CHUNK` at a time.

    Memory is bounded by the chunk, whatever the total: each chunk is stored before the next
    is read. An exception raised by the iterable (a malformed line found late in a file) rolls
    back everything, so a file is stored whole or not at all.
    """
    pin = new_pin()
    pin_hash = make_password(pin)  # slow by design, so done before the bank is locked
    with transaction.atomic():
        lock_bank()
        # On SQLite this insert, the transaction's first statement, takes the write lock.
        submission = _new_submission(pin_hash, source, report)
        for chunk in itertools.batched(signals, BULK_CHUNK):
            _store_chunk(submission, chunk)
    return NewSubmission(submission.case_number, pin)


def check_submission(case_number: str, pin: str, client: str) -> Submission | None:
    """The submission with this case number and PIN, or None; throttles guessing.

    `client` is a keyed hash of the client's address (`cases.reports.client_fingerprint`).
    Raises `TooManyAttempts` once a case number or a client has failed too often recently.
    """
    number = normalise_case_number(case_number)
    attempt = PIN_GUESSES.count(number, client)
    submission = Submission.objects.filter(case_number=number).first() if number else None
    # Hash even when there is no such case, so timing does not reveal which ones exist.
    stored = submission.pin_hash if submission else make_password("no such case")
    if check_password(normalise_pin(pin), stored) and submission:
        attempt.delete()
        return submission
    return None


def withdraw_submission(submission: Submission) -> None:
    """Withdraw a submission at once: entries no other live submission holds stop matching
    at every process's next request, and the feed tells platforms. Withdrawing twice is a no-op.

    The entries are walked in chunks of `BULK_CHUNK`, so an imported file of any size withdraws
    in bounded memory and within the database's limit on query parameters.
    """
    with transaction.atomic():
        lock_bank()
        withdrawn = Submission.objects.filter(pk=submission.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
        if withdrawn:
            for entries in _entry_chunks(submission):
                held = set(
                    _Holding.objects.filter(
                        bankentry_id__in=entries, submission__withdrawn_at__isnull=True
                    ).values_list("bankentry_id", flat=True)
                )
                live = BankEntry.objects.filter(pk__in=entries, live=True).values_list(
                    "pk", flat=True
                )
                _set_live([entry for entry in live if entry not in held], live=False)
    submission.refresh_from_db(fields=["withdrawn_at"])


def lock_bank() -> None:
    """Serialise changes to the bank until the transaction ends, so `SignalChange` ids are
    handed out in commit order and concurrent submissions of one hash make one entry.

    SQLite needs nothing: its single writer holds the database from first write to commit.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_BANK_LOCK])


def analyse_bank() -> None:
    """Refresh the planner's statistics of the bank's tables after a bulk change.

    Without them PostgreSQL plans for the tables as they were: after a million-line import,
    each match's change-log query scanned the whole log instead of reading its index. SQLite
    reads the log by primary key whatever it knows, so there is nothing to refresh.
    """
    if connection.vendor == "postgresql":
        tables = [BankEntry._meta.db_table, SignalChange._meta.db_table, _Holding._meta.db_table]
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(tables)}")


def value_digest(value: str) -> str:
    """The key that makes an entry unique: vPDQ values are too long to index directly."""
    return hashlib.sha256(value.encode()).hexdigest()


def _checked_signal(kind: str, value: str, quality: int | None) -> Signal:
    if kind not in SIGNAL_TYPES:
        known = " or ".join(sorted(SIGNAL_TYPES))
        raise InvalidSignal(f"unknown hash type {kind!r}; expected {known}")
    canonical = SIGNAL_TYPES[kind].validate(value)
    if kind == BankEntry.VPDQ:
        frames = [feature.quality for feature in features_from_lines(canonical.splitlines())]
        if len(frames) > MAX_VIDEO_FRAMES:
            raise InvalidSignal(
                f"A video fingerprint holds at most {MAX_VIDEO_FRAMES:,} frames (one a second "
                f"for three hours), not {len(frames):,}"
            )
        if max(frames) < MIN_QUALITY:
            raise InvalidSignal(
                "This video has too little detail to be matched reliably: no frame reaches "
                f"quality {MIN_QUALITY}. The original video, rather than a copy, may work."
            )
        return kind, canonical, round(sum(frames) / len(frames))
    check_real_image_pdq(canonical)
    if quality is None or not 0 <= quality <= 100:
        raise InvalidSignal(f"PDQ quality must be a whole number from 0 to 100, not {quality}")
    if quality < MIN_QUALITY:
        raise InvalidSignal(
            "This image has too little detail to be matched reliably "
            f"(quality {quality} of 100; at least {MIN_QUALITY} is needed), so blocking it "
            "could block unrelated images. The original photo, rather than a thumbnail or a "
            "cropped copy, may work."
        )
    return kind, canonical, quality


def _new_submission(pin_hash: str, source: str, report: Report | None) -> Submission:
    """A submission under a new case number (50 random bits, so a clash never happens in
    practice; each try is a savepoint, so a clash would not spoil the transaction)."""
    for _ in range(5):
        try:
            with transaction.atomic():
                return Submission.objects.create(
                    case_number=new_case_number(), pin_hash=pin_hash, source=source, report=report
                )
        except IntegrityError:
            continue
    raise RuntimeError("could not find an unused case number")


def _store_chunk(submission: Submission, signals: Sequence[Signal]) -> None:
    """Add these signals to the submission: new entries are created live, entries no longer
    live become live again, and each that becomes live is logged. Called under the bank lock."""
    wanted = {
        (kind, value_digest(value)): (kind, value, quality) for kind, value, quality in signals
    }
    found: dict[tuple[str, str], tuple[int, bool]] = {}
    for kind in {kind for kind, _ in wanted}:
        digests = [digest for k, digest in wanted if k == kind]
        for start in range(0, len(digests), _QUERY_PARAMETERS):
            rows = BankEntry.objects.filter(
                signal_type=kind, value_digest__in=digests[start : start + _QUERY_PARAMETERS]
            ).values_list("value_digest", "pk", "live")
            for digest, pk, live in rows:
                found[kind, digest] = (pk, live)
    revived = _not_quarantined([pk for pk, live in found.values() if not live])
    now = now_for_database()
    created = insert_rows(
        BankEntry._meta.db_table,
        ("signal_type", "value", "value_digest", "quality", "live", "created_at"),
        [
            (kind, value, digest, quality, True, now)
            for (kind, digest), (_, value, quality) in wanted.items()
            if (kind, digest) not in found
        ],
        returning=("id",),
    )
    created_ids = [pk for (pk,) in created]
    # An entry met in an earlier chunk of the same file is already held: ignore the clash.
    insert_rows(
        _Holding._meta.db_table,
        ("submission_id", "bankentry_id"),
        [(submission.pk, pk) for pk in [pk for pk, _ in found.values()] + created_ids],
        ignore_conflicts=True,
    )
    if revived:
        BankEntry.objects.filter(pk__in=revived).update(live=True)
    _log_changes(sorted(revived + created_ids), SignalChange.ADDED)


def _not_quarantined(entries: list[int]) -> list[int]:
    """Entries a new submission may make live again: a quarantined one stays out of matching
    until an administrator releases it (see `flood.py`)."""
    if not entries:
        return entries
    held = set(
        EntryQuarantine.objects.filter(entry__in=entries, released_at__isnull=True).values_list(
            "entry_id", flat=True
        )
    )
    return [entry for entry in entries if entry not in held]


def _entry_chunks(submission: Submission) -> Iterator[list[int]]:
    """The ids of a submission's entries, in order, `BULK_CHUNK` at a time."""
    last = 0
    while True:
        chunk = list(
            _Holding.objects.filter(submission=submission, bankentry_id__gt=last)
            .order_by("bankentry_id")
            .values_list("bankentry_id", flat=True)[:BULK_CHUNK]
        )
        if not chunk:
            return
        yield chunk
        last = chunk[-1]


def _set_live(entries: Sequence[int], *, live: bool) -> None:
    if entries:
        BankEntry.objects.filter(pk__in=entries).update(live=live)
        _log_changes(sorted(entries), SignalChange.ADDED if live else SignalChange.WITHDRAWN)


def _log_changes(entries: Sequence[int], change: str) -> None:
    now = now_for_database()
    insert_rows(
        SignalChange._meta.db_table,
        ("entry_id", "change", "at"),
        [(entry, change, now) for entry in entries],
    )
