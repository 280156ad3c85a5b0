"""Flood protection: a bank entry that matches far more uploads than expected is quarantined.

A hash that matches everything (a forged one, or a picture so common that its hash is shared
by unrelated images) would make platforms block what they should not. Every match answered is
counted per entry in fixed windows in Django's cache (Redis when configured, so counts are
shared by every process); the request whose matches carry an entry's count over
``DONTPAY_FLOOD_MATCHES`` within ``DONTPAY_FLOOD_WINDOW`` seconds quarantines it. Quarantine is
a bank change like a withdrawal: the entry stops being live and a `SignalChange` is logged, so
every process's index drops it at its next request and platforms following the feed stop
blocking it. An administrator sees it on the bank pages and may release it.

The hot path writes little to the database: a request without matches touches nothing here,
and matches are added to `EntryMatchCount` only in steps (`COUNT_STEP` matches, or the first
match of an entry in `COUNT_SECONDS`), all of one answer's in one statement, besides the single
write that quarantines.
"""

import contextlib
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .bulk_insert import now_for_database
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
    totals, due = _count_in_cache(counts, window, window_seconds)
    _store_counts(due)
    crossed = {
        entry: total for entry, total in totals.items() if total - counts[entry] <= limit < total
    }
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


def _count_in_cache(
    counts: Counter[int], window: int, window_seconds: int
) -> tuple[dict[int, int], dict[int, int]]:
    """Add each entry's matches to its count in this window and to its count not yet stored;
    return the window totals, and the counts due to be stored (taken out of the cache): those
    that reached `COUNT_STEP`, or whose entry has not been written for `COUNT_SECONDS`.

    In Redis all of one answer's counts go in one round trip (and those due in a second); an
    answer may carry a hundred entries, and a round trip per count made matching with hits
    fifty times slower than matching without.
    """
    keys = {entry: _count_keys(entry, window) for entry in counts}
    if isinstance(shared := caches["default"], RedisCache):
        return _count_in_redis(shared, counts, keys, window_seconds)
    totals, due = {}, {}
    for entry, added in counts.items():
        in_window, pending, written = keys[entry]
        totals[entry] = _add(in_window, added, 2 * window_seconds)
        now_pending = _add(pending, added, _PENDING_SECONDS)
        if now_pending >= COUNT_STEP or cache.add(written, 1, timeout=COUNT_SECONDS):
            with contextlib.suppress(ValueError):  # evicted meanwhile: written once, now
                cache.decr(pending, now_pending)
            due[entry] = now_pending
    return totals, due


def _count_in_redis(
    redis_cache: RedisCache,
    counts: Counter[int],
    keys: dict[int, tuple[str, str, str]],
    window_seconds: int,
) -> tuple[dict[int, int], dict[int, int]]:
    """`_count_in_cache` with Redis's own commands, pipelined. The counts are plain integers,
    as Django's Redis cache stores them, so `cache.get` reads them as ever."""
    full = {entry: [redis_cache.make_and_validate_key(k) for k in ks] for entry, ks in keys.items()}
    client = redis_cache._cache.get_client(write=True)
    counting = client.pipeline(transaction=False)
    for entry, added in counts.items():
        in_window, pending, written = full[entry]
        counting.set(in_window, 0, ex=2 * window_seconds, nx=True)
        counting.incrby(in_window, added)
        counting.set(pending, 0, ex=_PENDING_SECONDS, nx=True)
        counting.incrby(pending, added)
        counting.set(written, 1, ex=COUNT_SECONDS, nx=True)
    replies = iter(counting.execute())
    totals, due = {}, {}
    for entry in counts:
        _, total, _, pending, first_write = (next(replies) for _ in range(5))
        totals[entry] = int(total)
        if int(pending) >= COUNT_STEP or first_write:
            due[entry] = int(pending)
    if due:
        taking = client.pipeline(transaction=False)
        for entry, stored in due.items():
            taking.decrby(full[entry][1], stored)
            taking.expire(full[entry][1], _PENDING_SECONDS)  # in case it was evicted meanwhile
        taking.execute()
    return totals, due


def _count_keys(entry: int, window: int) -> tuple[str, str, str]:
    """The cache keys of an entry's matches in this window, of its matches not yet stored, and
    of the mark that says they were stored lately."""
    return (
        f"dontpay:flood:{entry}:{window}",
        _pending_key(entry),
        f"dontpay:match-count-written:{entry}",
    )


def _store_counts(due: dict[int, int]) -> None:
    """Add matches to the entries' counts in the database: one statement for all of them (an
    answer may carry a hundred entries), in entry order so that processes storing at once lock
    rows in the same order."""
    if not due:
        return
    table = connection.ops.quote_name(EntryMatchCount._meta.db_table)
    rows = sorted(due.items())
    values = ", ".join(["(%s, %s, %s)"] * len(rows))
    now = now_for_database()
    parameters: list[Any] = [value for entry, pending in rows for value in (entry, pending, now)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (entry_id, matches, last_matched_at) VALUES {values} "  # noqa: S608 - our table's name, values as parameters
            f"ON CONFLICT (entry_id) DO UPDATE SET matches = {table}.matches + excluded.matches, "
            "last_matched_at = excluded.last_matched_at",
            parameters,
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
