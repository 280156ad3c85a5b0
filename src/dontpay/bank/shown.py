"""Which bank entries each platform was given, so that only a platform that had an entry can
confirm a match of it.

A platform is given an entry in two ways, and both are recorded:

* a match answers one of its tokens with the entry (`/match`, `/match/dihedral`,
  `/match/video`): one `EntryShown` row per token and entry, written the first time;
* a page of the signal feed lists the entry's addition: one `FeedRangeShown` row per run of
  pages a token followed in order. A platform that matches against its own copy of the bank
  never calls the match API, and may still confirm what it found.

The bank export does not count: its lines carry no entry numbers, so nothing in it can be
named in feedback.

Tokens made for one platform name are one platform, as in the count the person sees: a
platform may match with one token and give feedback with another, and what a revoked token
was given stays given to its platform (a platform that replaces a token keeps its matches).

Most match answers carry no hit and write nothing here. An answer with hits writes nothing if
this process stored all its pairs before, else one ``INSERT`` of the new pairs (one per 1,000
of them), conflicts ignored, since several processes may store the same pair. Which pairs a
process stored is kept in its own memory, not in Django's cache: that saves a round trip to
Redis on every hit, and keeps these markers from crowding out of the per-process cache (300
keys by default) the counts that flood protection and the API rate rely on. The database row
is the truth; the memory only saves writes.
"""

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence

from django.db.models import Exists, OuterRef

from .bulk_insert import insert_rows, now_for_database
from .models import EntryShown, FeedRangeShown, PlatformToken, SignalChange

#: (token, entry) pairs each process remembers having stored, the most recently matched kept.
REMEMBERED_PAIRS = 20_000


class _StoredPairs:
    """The (token digest, entry) pairs this process stored or found stored, newest last."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._pairs: OrderedDict[tuple[str, int], None] = OrderedDict()
        self._lock = threading.Lock()

    def not_stored(self, pairs: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
        """Those of the pairs not known to be stored; those known are marked recently used."""
        missing = []
        with self._lock:
            for pair in pairs:
                if pair in self._pairs:
                    self._pairs.move_to_end(pair)
                else:
                    missing.append(pair)
        return missing

    def remember(self, pairs: Iterable[tuple[str, int]]) -> None:
        with self._lock:
            self._pairs.update(dict.fromkeys(pairs))
            while len(self._pairs) > self._size:
                self._pairs.popitem(last=False)


_stored = _StoredPairs(REMEMBERED_PAIRS)


def note_answer_shown[Match](
    token: PlatformToken, results: Sequence[Sequence[Match]], entry_of: Callable[[Match], int]
) -> None:
    """Record that a match answered this token with the entries of `results`."""
    entries = {entry_of(match) for matches in results for match in matches}
    if not entries:
        return
    # Keyed by the token's digest rather than its id, which a fresh database may hand out again;
    # interned, so that the pairs remembered share one copy of it. In entry order, so that two
    # processes storing the same pairs at once lock their rows in the same order.
    digest = sys.intern(token.digest)
    new = _stored.not_stored((digest, entry) for entry in sorted(entries))
    if not new:
        return
    at = now_for_database()
    insert_rows(
        EntryShown._meta.db_table,
        ("token_id", "entry_id", "first_shown_at"),
        [(token.pk, entry, at) for _, entry in new],
        ignore_conflicts=True,
    )
    _stored.remember(new)


def note_feed_page_shown(token: PlatformToken, after: int, through: int) -> None:
    """Record that a feed page gave this token every change after `after` up to `through`.

    A page that follows on from a range this token was given extends it; a page inside one
    (a platform starting again from the beginning) writes nothing.
    """
    if through <= after:
        return
    touching = FeedRangeShown.objects.filter(token=token, after__lte=after, through__gte=after)
    if touching.filter(through__gte=through).exists():
        return
    if not touching.update(through=through):
        FeedRangeShown.objects.create(token=token, after=after, through=through)


def platform_was_shown(token: PlatformToken, entry_id: int) -> bool:
    """Whether a match answered a token of this token's platform with the entry, or a feed
    page gave one its addition; tokens since revoked count."""
    platform = PlatformToken.objects.filter(name=token.name)
    if EntryShown.objects.filter(entry_id=entry_id, token__in=platform).exists():
        return True
    addition = SignalChange.objects.filter(
        entry_id=entry_id,
        change=SignalChange.ADDED,
        id__gt=OuterRef("after"),
        id__lte=OuterRef("through"),
    )
    return FeedRangeShown.objects.filter(token__in=platform).filter(Exists(addition)).exists()
