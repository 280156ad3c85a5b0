"""This process's in-memory match index over the bank, kept current from the change log.

Each process loads the live entries once, on first use, then before every match applies the
`SignalChange` rows added since (one query on the primary key), so a submission or withdrawal
made by any process is matched, or no longer matched, at the next request. The index is never
rebuilt; `PdqIndex` takes additions and withdrawals in place.

Videos are found through their frames: every distinct frame hash of good enough quality of
every live vPDQ entry is in a second `PdqIndex`, under an id that names the entry, so a query
video's frames point to candidate videos, which are then compared by vPDQ's rule.
"""

import itertools
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db.models import Max, QuerySet

from dontpay.domain.signals import (
    VpdqFeature,
    features_from_lines,
    match_video,
)
from dontpay.domain.signals.index import Codes, PdqIndex, codes_from_hex
from dontpay.domain.signals.vpdq import VPDQ_QUALITY_THRESHOLD

from .compiled_query import CompiledQuery
from .models import BankEntry, SignalChange

#: A frame's id in the frame index is its entry's id shifted left this far, plus its position.
_FRAME_BITS = 20
MAX_VIDEO_FRAMES = 1 << _FRAME_BITS
#: Entries read, or changes applied, per query: bounds memory after a large import.
CATCH_UP_PAGE = 20_000


@dataclass(frozen=True)
class VideoMatchResult:
    """A bank video matching a query video, with how much of each was found in the other."""

    entry: int
    query_share: float
    bank_share: float


@dataclass(frozen=True)
class _Change:
    id: int
    change: str
    entry: int
    signal_type: str
    value: str


class BankIndex:
    """The live bank entries of this process, searchable by PDQ and by vPDQ; thread-safe."""

    def __init__(self) -> None:
        self._images = PdqIndex(settings.DONTPAY_PDQ_DISTANCE)
        self._frames = PdqIndex(settings.DONTPAY_VPDQ_DISTANCE)
        self._videos: dict[int, list[VpdqFeature]] = {}
        self._load_lock = threading.Lock()
        self._apply_lock = threading.Lock()
        self._loaded = False
        self._applied = 0

    @property
    def applied(self) -> int:
        """The id of the last change applied."""
        return self._applied

    def catch_up(self) -> None:
        """Load the bank on first use, then apply every change made since, by any process.

        Changes are read and applied `CATCH_UP_PAGE` at a time, so catching up with a large
        import holds one page in memory, not the whole log since.
        """
        if not self._loaded:
            self._load()
        while True:
            changes = [_Change(*row) for row in _CHANGES_AFTER.rows(self._applied)]
            if changes:
                with self._apply_lock:
                    self._apply([change for change in changes if change.id > self._applied])
            if len(changes) < CATCH_UP_PAGE:
                return

    def match_images(self, hashes: Sequence[str]) -> list[list[tuple[int, int]]]:
        """For each canonical PDQ hash, the live entries within 31 bits as (entry, distance)."""
        self.catch_up()
        if not hashes:
            return []
        return self._images.search(codes_from_hex(hashes))

    def match_image_arrays(
        self, hashes: Sequence[str]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """`match_images` as flat arrays (query row, entry, distance), sorted in that order."""
        self.catch_up()
        return self._images.search_arrays(codes_from_hex(hashes))

    def match_video(self, query: Sequence[VpdqFeature]) -> list[VideoMatchResult]:
        """Live vPDQ entries matching a video by vPDQ's rule, best first.

        Thresholds come from the settings ``DONTPAY_VPDQ_DISTANCE`` (bits, default 31),
        ``DONTPAY_VPDQ_QUERY_SHARE`` and ``DONTPAY_VPDQ_BANK_SHARE`` (default 0.8 each).
        """
        self.catch_up()
        distance = settings.DONTPAY_VPDQ_DISTANCE
        query_share = settings.DONTPAY_VPDQ_QUERY_SHARE
        bank_share = settings.DONTPAY_VPDQ_BANK_SHARE
        hashes = _distinct_good_hashes(query)
        if not hashes:
            return []
        _, frame_ids, _ = self._frames.search_arrays(codes_from_hex(hashes), distance)
        results = []
        for entry in np.unique(frame_ids >> _FRAME_BITS).tolist():
            bank_features = self._videos.get(entry)
            if bank_features is None:
                continue
            found = match_video(
                list(query),
                bank_features,
                distance=distance,
                query_share=query_share,
                bank_share=bank_share,
            )
            if found.matched:
                results.append(VideoMatchResult(entry, found.query_share, found.bank_share))
        results.sort(key=lambda r: (-min(r.query_share, r.bank_share), r.entry))
        return results

    def _load(self) -> None:
        with self._load_lock:
            if self._loaded:
                return
            # The cursor is read first: changes after it are applied again on top of the entries
            # read next, which is harmless, since applying a change twice changes nothing.
            cursor = SignalChange.objects.aggregate(last=Max("id"))["last"] or 0
            live = BankEntry.objects.filter(live=True).values_list("id", "signal_type", "value")
            rows = live.iterator(chunk_size=CATCH_UP_PAGE)
            with self._apply_lock:
                # Hashes are packed page by page (32 bytes each), never held as one string each.
                image_ids, image_codes = [], []
                for page in itertools.batched(rows, CATCH_UP_PAGE):
                    ids, codes = self._add_videos_and_pack_images(page)
                    image_ids.append(ids)
                    image_codes.append(codes)
                if image_ids:
                    self._images.add(np.concatenate(image_ids), np.concatenate(image_codes))
                self._applied = max(self._applied, cursor)
            self._loaded = True

    def _apply(self, changes: list[_Change]) -> None:
        """Apply changes in order: an entry ends as its last change says."""
        if not changes:
            return
        last = {change.entry: change for change in changes}
        withdrawn = [entry for entry, change in last.items() if change.change != "added"]
        self._remove(withdrawn)
        self._add(
            (entry, change.signal_type, change.value)
            for entry, change in last.items()
            if change.change == "added"
        )
        self._applied = changes[-1].id

    def _add(self, entries: Iterable[tuple[int, str, str]]) -> None:
        ids, codes = self._add_videos_and_pack_images(entries)
        if len(ids):
            self._images.add(ids, codes)

    def _add_videos_and_pack_images(
        self, entries: Iterable[tuple[int, str, str]]
    ) -> tuple[npt.NDArray[np.int64], Codes]:
        """Add the videos among these entries; the ids and packed hashes of the images."""
        image_ids, image_hashes = [], []
        for entry, kind, value in entries:
            if kind == BankEntry.PDQ:
                image_ids.append(entry)
                image_hashes.append(value)
            elif kind == BankEntry.VPDQ:
                self._add_video(entry, features_from_lines(value.splitlines()))
        return np.array(image_ids, dtype=np.int64), codes_from_hex(image_hashes)

    def _add_video(self, entry: int, features: list[VpdqFeature]) -> None:
        hashes = _distinct_good_hashes(features)[:MAX_VIDEO_FRAMES]
        self._remove([entry])
        self._videos[entry] = features
        if hashes:
            ids = (entry << _FRAME_BITS) + np.arange(len(hashes), dtype=np.int64)
            self._frames.add(ids, codes_from_hex(hashes))

    def _remove(self, entries: list[int]) -> None:
        if not entries:
            return
        self._images.remove(entries)
        frame_ids = []
        for entry in entries:
            features = self._videos.pop(entry, None)
            if features is not None:
                count = min(len(_distinct_good_hashes(features)), MAX_VIDEO_FRAMES)
                frame_ids.append((entry << _FRAME_BITS) + np.arange(count, dtype=np.int64))
        if frame_ids:
            self._frames.remove(np.concatenate(frame_ids))


def changes_after(change: int) -> "QuerySet[SignalChange, tuple[int, str, int, str, str]]":
    """The next `CATCH_UP_PAGE` changes after this one, with their entries' values."""
    return (
        SignalChange.objects.filter(id__gt=change)
        .order_by("id")
        .values_list("id", "change", "entry_id", "entry__signal_type", "entry__value")[
            :CATCH_UP_PAGE
        ]
    )


#: Run before every match: compiled once, as compiling it each time cost more than running it.
_CHANGES_AFTER = CompiledQuery(changes_after, 123_456_789)


def _distinct_good_hashes(features: Iterable[VpdqFeature]) -> list[str]:
    return list(dict.fromkeys(f.hash for f in features if f.quality >= VPDQ_QUALITY_THRESHOLD))


_index = BankIndex()
_index_lock = threading.Lock()


def bank_index() -> BankIndex:
    """This process's index."""
    return _index


def forget_bank_index() -> None:
    """Drop this process's index, to be loaded afresh at next use: after the database was
    restored from a backup (whose change ids may repeat), and between tests."""
    global _index
    with _index_lock:
        _index = BankIndex()
