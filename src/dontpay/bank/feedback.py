"""Match feedback: platforms tell the bank whether its matches were right.

A platform that matched an upload to a bank entry says whether the upload was the person's
image (confirmed) or not (a false positive). It may do so only on an entry it was given, by a
match's answer or by the signal feed (see `shown.py`): no platform adds to the count of an
entry it never had. Each platform token holds one verdict per entry, which it may give again
(nothing changes) or change; no token sees or changes another's. The person who submitted the
hashes sees, under their case number, only how many platforms have confirmed a match.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from .models import MatchFeedback, PlatformToken, Submission
from .shown import platform_was_shown


class EntryNotShown(LookupError):
    """No match or feed page gave the token's platform this entry (or there is no such entry)."""


@dataclass(frozen=True)
class FeedbackCounts:
    """Verdicts given on one entry, by all platforms together."""

    confirmed: int = 0
    false_positive: int = 0


def give_feedback(token: PlatformToken, entry_id: int, verdict: str) -> MatchFeedback:
    """Set this token's verdict on an entry; giving the same verdict again changes nothing.

    Raises `EntryNotShown` unless the token's platform was given the entry, and `ValueError`
    for an unknown verdict.
    """
    if verdict not in dict(MatchFeedback.VERDICTS):
        raise ValueError(f"unknown verdict {verdict!r}")
    if not platform_was_shown(token, entry_id):
        raise EntryNotShown(entry_id)
    for _ in range(2):
        existing = MatchFeedback.objects.filter(entry_id=entry_id, token=token).first()
        if existing is not None:
            if existing.verdict != verdict:
                existing.verdict = verdict
                existing.save(update_fields=["verdict", "changed_at"])
            return existing
        try:
            with transaction.atomic():
                return MatchFeedback.objects.create(entry_id=entry_id, token=token, verdict=verdict)
        except IntegrityError:
            continue  # the same token's verdict arrived twice at once: read the one stored
    raise RuntimeError("feedback could be neither read nor stored")


def feedback_of(token: PlatformToken, entry_id: int) -> MatchFeedback | None:
    """This token's verdict on an entry, if it gave one."""
    return MatchFeedback.objects.filter(entry_id=entry_id, token=token).first()


def feedback_counts(entry_ids: Sequence[int]) -> dict[int, FeedbackCounts]:
    """Verdicts per entry, for the administrators' bank pages."""
    rows = (
        MatchFeedback.objects.filter(entry_id__in=entry_ids)
        .values("entry_id")
        .annotate(
            confirmed=Count("id", filter=Q(verdict=MatchFeedback.CONFIRMED)),
            false_positive=Count("id", filter=Q(verdict=MatchFeedback.FALSE_POSITIVE)),
        )
    )
    return {
        row["entry_id"]: FeedbackCounts(row["confirmed"], row["false_positive"]) for row in rows
    }


def platforms_confirming(submission: Submission) -> int:
    """How many platforms have confirmed a match of any of the submission's hashes: tokens
    are counted by the platform name they were made for, so one platform counts once."""
    return (
        MatchFeedback.objects.filter(entry__submissions=submission, verdict=MatchFeedback.CONFIRMED)
        .values("token__name")
        .distinct()
        .count()
    )
