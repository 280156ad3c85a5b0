"""Flood protection: a bank entry that matches far more uploads than expected is quarantined.

A hash that matches everything (a forged one, or a picture so common that its hash is shared
by unrelated images) would make platforms block what they should not. Every match answered is
counted per entry in fixed windows in Django's cache (Redis when configured, so counts are
shared by every process); the request whose matches carry an entry's count over
``DONTPAY_FLOOD_MATCHES`` within ``DONTPAY_FLOOD_WINDOW`` seconds quarantines it. Quarantine is
a bank change like a withdrawal: the entry stops being live and a `SignalChange` is logged, so
every process's index drops it at its next request and platforms following the feed stop
blocking it. An administrator sees it on the bank pages and may release it.

The hot path writes nothing to the database: a request without matches touches nothing here,
and matches are added to `EntryMatchCount` only in steps (`COUNT_STEP` matches, or the first
match of an entry in `COUNT_SECONDS`), besides the single write that quarantines.
"""

import contextlib
import time
from collections import Counter
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import BankEntry, EntryMatchCount, EntryQuarantine, SignalChange, Submission
from .submissions import lock_bank

#: Matches kept in the cache before they are added to the database, and the longest an
#: entry's first match goes unrecorded.
COUNT_STEP = 100
COUNT_SECONDS = 60
#: How long matches not yet added are kept in the cache.
_PENDING_SECONDS = 7 * 24 * 60 * 60


def screen_matches[Match](
    results: Sequence[Sequence[Match]], entry_of: Callable[[Match], int]
) -> list[list[Match]]:
    """Count the matches of one answer and drop any entry this answer has quarantined, so it
    stops matching at once, in this answer too."""
    counts = Counter(entry_of(match) for matches in results for match in matches)
    if not counts:
        return [list(matches) for matches in results]
    quarantined = count_matches(counts)
    return [[m for m in matches if entry_of(m) not in quarantined] for matches in results]


def count_matches(counts: Counter[int]) -> set[int]:
    """Add matches per entry to this window's counts; quarantine the entries they carry over
    the limit, and return those."""
    limit = settings.DONTPAY_FLOOD_MATCHES
    window_seconds = settings.DONTPAY_FLOOD_WINDOW
    window = int(time.time() // window_seconds)
    crossed = {}
    for entry, added in counts.items():
        total = _add(f"dontpay:flood:{entry}:{window}", added, 2 * window_seconds)
        if total - added <= limit < total:
            crossed[entry] = total
        _keep_count(entry, added)
    return {
        entry for entry, total in crossed.items() if quarantine_entry(entry, total, window_seconds)
    }


def quarantine_entry(entry_id: int, matches: int, window_seconds: int) -> bool:
    """Take the entry out of matching, for every process at its next request and for platforms
    following the feed; False if it was quarantined before (or released by an administrator,
    who judged its matches real)."""
    if EntryQuarantine.objects.filter(entry_id=entry_id).exists():
        return False
    try:
        with transaction.atomic():
            lock_bank()
            EntryQuarantine.objects.create(
                entry_id=entry_id, matches=matches, window_seconds=window_seconds
            )
            if BankEntry.objects.filter(pk=entry_id, live=True).update(live=False):
                SignalChange.objects.create(entry_id=entry_id, change=SignalChange.WITHDRAWN)
    except IntegrityError:
        return False  # quarantined by another process a moment ago
    return True


def release_entry(entry_id: int, released_by: str) -> bool:
    """End an entry's quarantine: matched again at every process's next request if a
    submission not withdrawn still holds it. False if it was not in quarantine."""
    with transaction.atomic():
        lock_bank()
        released = EntryQuarantine.objects.filter(
            entry_id=entry_id, released_at__isnull=True
        ).update(released_at=timezone.now(), released_by=released_by)
        if not released:
            return False
        held = Submission.objects.filter(entries=entry_id, withdrawn_at__isnull=True).exists()
        if held and BankEntry.objects.filter(pk=entry_id, live=False).update(live=True):
            SignalChange.objects.create(entry_id=entry_id, change=SignalChange.ADDED)
    return True


def match_counts(entry_ids: Sequence[int]) -> dict[int, int]:
    """Matches per entry so far: those added to the database and those still in the cache."""
    stored = dict(
        EntryMatchCount.objects.filter(entry_id__in=entry_ids).values_list("entry_id", "matches")
    )
    pending = cache.get_many([_pending_key(entry) for entry in entry_ids])
    return {
        entry: stored.get(entry, 0) + int(pending.get(_pending_key(entry), 0))
        for entry in entry_ids
    }


def _keep_count(entry: int, added: int) -> None:
    """Add matches to the entry's count in the cache, and move them to the database once
    there are `COUNT_STEP` of them or the entry has not been written for `COUNT_SECONDS`."""
    key = _pending_key(entry)
    pending = _add(key, added, _PENDING_SECONDS)
    due = cache.add(f"dontpay:match-count-written:{entry}", 1, timeout=COUNT_SECONDS)
    if pending < COUNT_STEP and not due:
        return
    with contextlib.suppress(ValueError):  # evicted meanwhile: these are written once, now
        cache.decr(key, pending)
    now = timezone.now()
    if not EntryMatchCount.objects.filter(entry_id=entry).update(
        matches=F("matches") + pending, last_matched_at=now
    ):
        try:
            with transaction.atomic():
                EntryMatchCount.objects.create(entry_id=entry, matches=pending, last_matched_at=now)
        except IntegrityError:  # made by another process meanwhile
            EntryMatchCount.objects.filter(entry_id=entry).update(
                matches=F("matches") + pending, last_matched_at=now
            )


def _add(key: str, amount: int, timeout: int) -> int:
    """Add to a count in the cache and return the new total (atomic in Redis and memory)."""
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key, amount))
    except ValueError:  # expired between add and incr
        cache.add(key, amount, timeout=timeout)
        return amount


def _pending_key(entry: int) -> str:
    return f"dontpay:match-count-pending:{entry}"
