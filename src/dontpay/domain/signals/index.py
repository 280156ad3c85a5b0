"""The in-memory PDQ match index: every bank entry within a Hamming distance of a query, exactly.

Hashes are held as packed bytes in numpy arrays, never as one Python object per hash. Search is
multi-index hashing: the 256 bits are cut into m chunks, with one table per chunk listing the
entries by that chunk's value. Give chunk c a radius r_c (-1, 0, 1 or 2). If a hash differed from
the query by more than r_c bits on every chunk, it would differ by at least sum(r_c + 1) bits in
all; so when sum(r_c + 1) >= threshold + 1, every hash within the threshold agrees with the
query to within r_c bits on some chunk c (pigeonhole), and probing each chunk's table at the keys
within r_c bits of the query's finds them all, exactly. Candidates are then checked with XOR and
popcount. The radii are chosen per threshold, greedily by the expected cost of the probes.

The chunk layout is chosen from the number of entries (`LAYOUTS`), so that buckets stay small as
the bank grows: 16 chunks of 16 bits for small banks (radius 1 on each at threshold 31: 16 x 2 =
32 >= 31 + 1, so 17 probes a chunk), 14 chunks of 18 or 19 bits from 500,000 entries (radius 2 on
four: 4 x 3 + 10 x 2 = 32), and 12 chunks of 21 or 22 bits from 4,000,000 (radius 2 on eight:
8 x 3 + 4 x 2 = 32), where 16-bit buckets would hold hundreds of entries each. With at most
radius 2 per chunk, any layout of m chunks is exact up to threshold 3m - 1, which is at least 31
for all of these. The compiled loops live in `_index_kernels`.

The bank changes while platforms query it, so changes take effect without a rebuild: new entries
go to a small segment that is searched by brute force, and withdrawn entries are marked in a
bitmap that search checks. When the segment grows, a background thread builds new tables from a
snapshot and swaps them in; additions made meanwhile stay in the segment, and withdrawals made
meanwhile are marked in the new tables. Every change replaces an immutable snapshot under a lock,
so a search sees one consistent state without taking the lock, and neither a search nor an
addition ever waits for a merge.
"""

import itertools
import math
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from dontpay.domain.signals import _index_kernels as kernels

PDQ_BYTES = 32
#: The largest threshold the index searches exactly (radius 2 at most per chunk).
MAX_THRESHOLD = 31
#: Recent additions are searched by brute force until there are this many, or 1/64 of the tables
#: up to `MAX_MERGE_SIZE`, and then merged into new tables in the background.
MIN_MERGE_SIZE = 8192
MAX_MERGE_SIZE = 65_536
#: Chunk widths by the number of entries they suit from (measured at 1M and 10M random hashes):
#: wider chunks mean fewer candidates per probe, more probes and larger offset tables.
LAYOUTS: tuple[tuple[int, tuple[int, ...]], ...] = (
    (0, (16,) * 16),
    (500_000, (19,) * 4 + (18,) * 10),
    (4_000_000, (22,) * 4 + (21,) * 8),
)
#: Matches kept per query in the first pass; queries with more are searched again with room.
_FIRST_PASS_CAPACITY = 8
#: Batches at least this large are split across threads (the kernels release the GIL).
_PARALLEL_BATCH = 64

Codes = npt.NDArray[np.uint8]
Ids = npt.NDArray[np.int64]
_Words = npt.NDArray[np.uint64]
_Index = npt.NDArray[np.int64]
_SearchResult = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]


@dataclass(frozen=True)
class _Tables:
    """Entries sorted by chunk 0, with one CSR table per chunk; never changed once built."""

    codes: _Words  # (n, 4), in order of chunk 0
    ids: npt.NDArray[np.integer]  # bank entry id of each slot (uint32 when every id fits)
    slots_by_id: npt.NDArray[np.uint32]  # slots in order of id, to find an id's slot
    starts: _Index  # first bit of each chunk
    widths: _Index  # bits of each chunk
    bases: _Index  # where each chunk's table starts in `offsets`
    offsets: npt.NDArray[np.uint32]  # each chunk's 2**width + 1 starts, one after another
    postings: npt.NDArray[np.uint8]  # (chunks - 1, n, 3 or 4): slots in order of chunks 1 on
    radius: _Index  # (MAX_THRESHOLD + 1, chunks): the radius of each chunk at each threshold

    @property
    def size(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class _Segment:
    """Additions searched by brute force until they are merged into the tables."""

    ids: Ids
    codes: _Words  # (m, 4)

    def without(self, ids: Ids) -> "_Segment":
        keep = ~np.isin(self.ids, ids)
        return _Segment(self.ids[keep], self.codes[keep]) if not keep.all() else self


_EMPTY_SEGMENT = _Segment(np.empty(0, dtype=np.int64), np.empty((0, 4), dtype=np.uint64))


@dataclass(frozen=True)
class _Snapshot:
    tables: _Tables
    dead: npt.NDArray[np.uint8]  # bitmap over table slots: withdrawn or replaced
    live_in_tables: int
    merging: _Segment  # additions being merged into new tables by the background thread
    recent: _Segment  # additions since

    @property
    def segments(self) -> tuple[_Segment, _Segment]:
        return self.merging, self.recent


class PdqIndex:
    """Exact PDQ search with cheap additions and withdrawals; safe to share between threads."""

    def __init__(self, threshold: int = MAX_THRESHOLD) -> None:
        if not 0 <= threshold <= MAX_THRESHOLD:
            raise ValueError(f"threshold must be between 0 and {MAX_THRESHOLD}, not {threshold}")
        self.threshold = threshold
        self._lock = threading.Lock()
        self._merge_done = threading.Condition(self._lock)
        self._merging = False
        self._merge_error: BaseException | None = None
        self._withdrawn_while_merging: list[Ids] = []
        self._snapshot = _Snapshot(
            tables=_build_tables(np.empty(0, dtype=np.int64), np.empty((0, 4), dtype=np.uint64)),
            dead=np.zeros(0, dtype=np.uint8),
            live_in_tables=0,
            merging=_EMPTY_SEGMENT,
            recent=_EMPTY_SEGMENT,
        )

    def __len__(self) -> int:
        snapshot = self._snapshot
        return snapshot.live_in_tables + sum(len(part.ids) for part in snapshot.segments)

    def __contains__(self, id: object) -> bool:
        if not isinstance(id, int | np.integer):
            return False
        snapshot = self._snapshot
        wanted = np.array([id], dtype=np.int64)
        return bool(_live_slots(snapshot.tables, snapshot.dead, wanted)[0] >= 0) or any(
            bool(np.any(part.ids == wanted[0])) for part in snapshot.segments
        )

    @property
    def nbytes(self) -> int:
        """Bytes held in the arrays of the current state (tables, bitmap and segments)."""
        snapshot = self._snapshot
        tables = snapshot.tables
        arrays = [tables.codes, tables.ids, tables.slots_by_id, tables.offsets, tables.postings]
        arrays += [snapshot.dead] + [
            a for part in snapshot.segments for a in (part.ids, part.codes)
        ]
        return sum(array.nbytes for array in arrays)

    def add(self, ids: Sequence[int] | npt.NDArray[np.integer], codes: Codes) -> None:
        """Add entries, searchable as soon as this returns; an id already present is replaced.

        The first load of an empty index builds its tables at once; later additions never wait
        for tables to be built.
        """
        new_ids = _as_ids(ids)
        new_codes = _as_words(codes)
        if len(new_ids) != len(new_codes):
            raise ValueError(f"{len(new_ids)} ids but {len(new_codes)} codes")
        if len(np.unique(new_ids)) != len(new_ids):
            raise ValueError("ids must be unique within one call")
        with self._lock:
            snapshot = self._without(new_ids)
            if len(new_ids) > MIN_MERGE_SIZE and not self._merging and snapshot.tables.size == 0:
                self._snapshot = _loaded(snapshot, new_ids, new_codes)
                return
            recent = _Segment(
                np.concatenate([snapshot.recent.ids, new_ids]),
                np.concatenate([snapshot.recent.codes, new_codes]),
            )
            self._snapshot = replace(snapshot, recent=recent)
            if not self._merging and len(recent.ids) > _merge_size(snapshot.tables):
                self._start_merge()

    def remove(self, ids: Sequence[int] | npt.NDArray[np.integer]) -> None:
        """Withdraw entries at once; ids not in the index are ignored."""
        gone = _as_ids(ids)
        with self._lock:
            self._snapshot = self._without(gone)

    def wait_for_merge(self) -> None:
        """Return once no merge is running, raising what made the last one fail, if anything.

        Search never needs this; it gives measurements and tests a settled index.
        """
        with self._merge_done:
            self._merge_done.wait_for(lambda: not self._merging)
            error, self._merge_error = self._merge_error, None
        if error is not None:
            raise error

    def search(self, codes: Codes, threshold: int | None = None) -> list[list[tuple[int, int]]]:
        """For each query row, its matches as (id, distance), nearest first, then by id."""
        queries, ids, distances = self.search_arrays(codes, threshold)
        results: list[list[tuple[int, int]]] = [[] for _ in range(len(codes))]
        for query, id, distance in zip(
            queries.tolist(), ids.tolist(), distances.tolist(), strict=True
        ):
            results[query].append((id, distance))
        return results

    def search_arrays(self, codes: Codes, threshold: int | None = None) -> _SearchResult:
        """All matches as flat arrays (query row, id, distance), sorted in that order."""
        if threshold is None:
            threshold = self.threshold
        if not 0 <= threshold <= self.threshold:
            raise ValueError(f"threshold must be between 0 and {self.threshold}, not {threshold}")
        queries = _as_words(codes)
        snapshot = self._snapshot
        threads = _thread_count(len(queries))
        if threads == 1:
            return _sorted_matches(_search_snapshot(snapshot, queries, threshold))
        bounds = np.linspace(0, len(queries), threads + 1).astype(int)
        parts = [(int(start), int(stop)) for start, stop in itertools.pairwise(bounds)]
        found = _pool().map(
            lambda part: _search_snapshot(snapshot, queries[part[0] : part[1]], threshold, part[0]),
            parts,
        )
        return _sorted_matches([piece for pieces in found for piece in pieces])

    def _without(self, ids: Ids) -> _Snapshot:
        """The snapshot with these ids withdrawn: marked dead in the tables, dropped from the
        segments, and remembered for the tables being built. Called under the lock."""
        snapshot = self._snapshot
        if len(ids) == 0:
            return snapshot
        if self._merging:
            self._withdrawn_while_merging.append(ids)
        dead, killed = _marked_dead(snapshot.tables, snapshot.dead, ids)
        return _Snapshot(
            tables=snapshot.tables,
            dead=dead,
            live_in_tables=snapshot.live_in_tables - killed,
            merging=snapshot.merging.without(ids),
            recent=snapshot.recent.without(ids),
        )

    def _start_merge(self) -> None:
        """Hand the recent additions to a new background merge. Called under the lock."""
        self._seal()
        self._merging = True
        threading.Thread(target=self._merge, name="pdq-index-merge", daemon=True).start()

    def _seal(self) -> None:
        """Move the recent additions to the segment being merged, and start remembering
        withdrawals from then on. Called under the lock."""
        snapshot = self._snapshot
        merging = _Segment(
            np.concatenate([snapshot.merging.ids, snapshot.recent.ids]),
            np.concatenate([snapshot.merging.codes, snapshot.recent.codes]),
        )
        self._snapshot = replace(snapshot, merging=merging, recent=_EMPTY_SEGMENT)
        self._withdrawn_while_merging = []

    def _merge(self) -> None:
        """Build tables of every live entry off the lock, then swap them in; again while the
        additions made meanwhile are already too many."""
        try:
            with self._lock:
                snapshot = self._snapshot
            while True:
                tables = _build_tables(*_live_entries(snapshot))
                with self._lock:
                    withdrawn = self._withdrawn_while_merging
                    self._withdrawn_while_merging = []
                    dead = np.zeros((tables.size + 7) // 8, dtype=np.uint8)
                    killed = 0
                    if withdrawn:
                        dead, killed = _marked_dead(tables, dead, np.concatenate(withdrawn))
                    self._snapshot = _Snapshot(
                        tables=tables,
                        dead=dead,
                        live_in_tables=tables.size - killed,
                        merging=_EMPTY_SEGMENT,
                        recent=self._snapshot.recent,
                    )
                    if len(self._snapshot.recent.ids) <= _merge_size(tables):
                        self._merging = False
                        self._merge_done.notify_all()
                        return
                    self._seal()
                    snapshot = self._snapshot
        except BaseException as error:
            with self._lock:
                self._merge_error = error
                self._merging = False
                self._merge_done.notify_all()
            raise


def codes_from_hex(hexes: Sequence[str]) -> Codes:
    """PDQ hashes as 64 hex digits each (MSB first) into an (n, 32) uint8 array."""
    if all(isinstance(text, str) and len(text) == 2 * PDQ_BYTES for text in hexes):
        try:
            packed = bytes.fromhex("".join(hexes))
        except ValueError:
            packed = b""
        if len(packed) == PDQ_BYTES * len(hexes):  # else spaces within: find the bad one below
            return np.frombuffer(packed, dtype=np.uint8).reshape(-1, PDQ_BYTES).copy()
    codes = np.empty((len(hexes), PDQ_BYTES), dtype=np.uint8)
    for row, text in enumerate(hexes):
        try:
            value = bytes.fromhex(text)
        except (TypeError, ValueError):
            value = b""
        if len(value) != PDQ_BYTES or len(text) != 2 * PDQ_BYTES:
            raise ValueError(f"hash {row} is not 64 hex digits: {str(text)[:80]!r}")
        codes[row] = np.frombuffer(value, dtype=np.uint8)
    return codes


def hex_from_codes(codes: Codes) -> list[str]:
    """The 64 lowercase hex digits of each row of an (n, 32) uint8 array."""
    rows = _as_words(codes).view(np.uint8)
    return [row.tobytes().hex() for row in rows]


def _merge_size(tables: _Tables) -> int:
    return max(MIN_MERGE_SIZE, min(MAX_MERGE_SIZE, tables.size // 64))


def _chunk_radius(widths: Sequence[int], size: int) -> _Index:
    """Per threshold, the radius of each chunk: the cheapest that make the search exact.

    Exact needs sum(radius + 1) >= threshold + 1 (see the module docstring). Starting from
    every chunk skipped (-1), each step widens the chunk whose next ring of keys costs least:
    the number of keys, each an offset lookup plus the entries expected in its bucket.
    """
    radius = np.full((MAX_THRESHOLD + 1, len(widths)), -1, dtype=np.int64)
    current = [-1] * len(widths)
    for threshold in range(MAX_THRESHOLD + 1):
        while sum(current) + len(widths) < threshold + 1:
            costs = [
                math.comb(width, now + 1) * (1 + size / 2**width) if now < 2 else math.inf
                for width, now in zip(widths, current, strict=True)
            ]
            if min(costs) == math.inf:
                raise ValueError(f"{len(widths)} chunks cannot search {threshold} bits exactly")
            current[int(np.argmin(costs))] += 1
        radius[threshold] = current
    return radius


def _search_snapshot(
    snapshot: _Snapshot, queries: _Words, threshold: int, first_row: int = 0
) -> list[_SearchResult]:
    """Matches in the tables and among the segments, as (query row, id, distance) pieces."""
    tables = snapshot.tables
    pieces: list[_SearchResult] = []
    if tables.size:
        radius = tables.radius[threshold]
        found = _collect(
            lambda rows, slots, distances, counts: kernels.search_tables(
                rows, radius, threshold, tables.starts, tables.widths, tables.bases,
                tables.codes, tables.offsets, tables.postings, snapshot.dead,
                slots, distances, counts,
            ),
            queries,
        )  # fmt: skip
        if found is not None:
            rows, slots, distances = found
            pieces.append((rows + first_row, tables.ids[slots].astype(np.int64), distances))
    for segment in snapshot.segments:
        if not len(segment.ids):
            continue
        found = _collect(_brute_force(segment.codes, threshold), queries)
        if found is not None:
            rows, slots, distances = found
            pieces.append((rows + first_row, segment.ids[slots], distances))
    return pieces


_Kernel = Callable[
    [_Words, npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]], None
]


def _brute_force(codes: _Words, threshold: int) -> _Kernel:
    return lambda rows, slots, distances, counts: kernels.search_all(
        rows, threshold, codes, slots, distances, counts
    )


def _collect(kernel: _Kernel, queries: _Words) -> _SearchResult | None:
    """Run a kernel with room for a few matches a query, then again for queries with more."""
    rows = len(queries)
    slots = np.empty((rows, _FIRST_PASS_CAPACITY), dtype=np.int64)
    distances = np.empty((rows, _FIRST_PASS_CAPACITY), dtype=np.int64)
    counts = np.empty(rows, dtype=np.int64)
    kernel(queries, slots, distances, counts)
    if not counts.any():
        return None
    if rows == 1 and counts[0] <= _FIRST_PASS_CAPACITY:  # one query: the platforms' usual call
        found_here = int(counts[0])
        return (
            np.zeros(found_here, dtype=np.int64),
            slots[0, :found_here],
            distances[0, :found_here],
        )
    crowded = np.flatnonzero(counts > _FIRST_PASS_CAPACITY)
    kept = np.minimum(counts, _FIRST_PASS_CAPACITY)
    filled = np.arange(_FIRST_PASS_CAPACITY) < kept[:, None]
    found_rows = np.repeat(np.arange(rows), kept)
    found: list[_SearchResult] = [(found_rows, slots[filled], distances[filled])]
    if len(crowded):
        room = int(counts[crowded].max())
        more_slots = np.empty((len(crowded), room), dtype=np.int64)
        more_distances = np.empty((len(crowded), room), dtype=np.int64)
        more_counts = np.empty(len(crowded), dtype=np.int64)
        kernel(np.ascontiguousarray(queries[crowded]), more_slots, more_distances, more_counts)
        filled = np.arange(room) < more_counts[:, None]
        found_rows[np.isin(found_rows, crowded)] = -1
        found.append((np.repeat(crowded, more_counts), more_slots[filled], more_distances[filled]))
    rows_found = np.concatenate([part[0] for part in found])
    keep = rows_found >= 0
    return (
        rows_found[keep],
        np.concatenate([part[1] for part in found])[keep],
        np.concatenate([part[2] for part in found])[keep],
    )


def _sorted_matches(pieces: list[_SearchResult]) -> _SearchResult:
    if not pieces:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty.copy(), empty.copy()
    if len(pieces) == 1 and len(pieces[0][0]) <= 1:
        return pieces[0]
    rows, ids, distances = (np.concatenate([piece[part] for piece in pieces]) for part in range(3))
    order = np.lexsort((ids, distances, rows))
    return rows[order], ids[order], distances[order]


_CPUS = os.cpu_count() or 1


def _thread_count(queries: int) -> int:
    return min(_CPUS, max(1, queries // _PARALLEL_BATCH))


_POOL_LOCK = threading.Lock()
_POOL: list[ThreadPoolExecutor] = []


def _pool() -> ThreadPoolExecutor:
    with _POOL_LOCK:
        if not _POOL:
            _POOL.append(ThreadPoolExecutor(max_workers=os.cpu_count() or 1))
        return _POOL[0]


def _as_ids(ids: Sequence[int] | npt.NDArray[np.integer]) -> Ids:
    array = np.asarray(ids)
    if array.size == 0:
        return np.empty(0, dtype=np.int64)
    if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
        raise ValueError("ids must be a flat sequence of integers")
    return array.astype(np.int64, copy=False)


def _as_words(codes: Codes) -> _Words:
    """(n, 32) uint8 hashes as (n, 4) native uint64 words, the form the kernels compare."""
    array = np.asarray(codes)
    if array.dtype != np.uint8 or array.ndim != 2 or array.shape[1] != PDQ_BYTES:
        raise ValueError(f"codes must be a uint8 array of shape (n, {PDQ_BYTES})")
    return np.ascontiguousarray(array).view(np.uint64)


def _build_tables(ids: Ids, codes: _Words) -> _Tables:
    """Tables of these entries, with the chunk layout that suits their number."""
    size = len(ids)
    widths = np.array([layout for least, layout in LAYOUTS if size >= least][-1])
    starts = np.concatenate([[0], np.cumsum(widths)[:-1]])
    lengths = (1 << widths) + 1
    bases = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    offsets = np.zeros(int(lengths.sum()), dtype=np.uint32)
    slot_bytes = slot_width(size)
    postings = np.empty((len(widths) - 1, size, slot_bytes), dtype=np.uint8)
    order = np.empty(size, dtype=np.uint32)
    by_first_chunk = np.empty(size, dtype=np.uint32)
    kernels.sort_by_chunk(
        codes, starts[0], widths[0], offsets[bases[0] : bases[0] + lengths[0]], by_first_chunk
    )
    sorted_codes = codes[by_first_chunk]
    sorted_ids = ids[by_first_chunk]
    del by_first_chunk
    for chunk in range(1, len(widths)):
        table = offsets[bases[chunk] : bases[chunk] + lengths[chunk]]
        kernels.sort_by_chunk(sorted_codes, starts[chunk], widths[chunk], table, order)
        little_endian = order.astype("<u4", copy=False).view(np.uint8).reshape(size, 4)
        postings[chunk - 1] = little_endian[:, :slot_bytes]
    fits = size == 0 or (sorted_ids.min() >= 0 and sorted_ids.max() <= np.iinfo(np.uint32).max)
    return _Tables(
        codes=sorted_codes,
        ids=sorted_ids.astype(np.uint32) if fits else sorted_ids,
        slots_by_id=np.argsort(sorted_ids, kind="stable").astype(np.uint32),
        starts=starts,
        widths=widths,
        bases=bases,
        offsets=offsets,
        postings=postings,
        radius=_chunk_radius(widths.tolist(), size),
    )


def slot_width(size: int) -> int:
    """Bytes a posting needs to name any of `size` slots: 3 below 16,777,216 entries."""
    return 3 if size <= 1 << 24 else 4


def _loaded(snapshot: _Snapshot, ids: Ids, codes: _Words) -> _Snapshot:
    """A first load into empty tables, built at once."""
    tables = _build_tables(ids, codes)
    return _Snapshot(
        tables=tables,
        dead=np.zeros((tables.size + 7) // 8, dtype=np.uint8),
        live_in_tables=tables.size,
        merging=snapshot.merging,
        recent=snapshot.recent,
    )


def _live_entries(snapshot: _Snapshot) -> tuple[Ids, _Words]:
    """Ids and codes of every live entry in the tables and in the segment being merged."""
    tables = snapshot.tables
    alive = ~np.unpackbits(snapshot.dead, count=tables.size, bitorder="little").astype(bool)
    ids = np.concatenate([tables.ids[alive].astype(np.int64), snapshot.merging.ids])
    codes = np.concatenate([tables.codes[alive], snapshot.merging.codes])
    return ids, codes


def _live_slots(tables: _Tables, dead: npt.NDArray[np.uint8], ids: Ids) -> npt.NDArray[np.int64]:
    slots = kernels.find_slots(tables.ids, tables.slots_by_id, ids)
    found = slots >= 0
    is_dead = (dead[slots[found] >> 3] >> (slots[found] & 7)) & 1
    slots[np.flatnonzero(found)[is_dead.astype(bool)]] = -1
    return slots


def _marked_dead(
    tables: _Tables, dead: npt.NDArray[np.uint8], ids: Ids
) -> tuple[npt.NDArray[np.uint8], int]:
    """The bitmap with the live slots of these ids marked, and how many there were."""
    slots = np.unique(_live_slots(tables, dead, ids))
    slots = slots[slots >= 0]
    if len(slots):
        dead = dead.copy()
        np.bitwise_or.at(dead, slots >> 3, (1 << (slots & 7)).astype(np.uint8))
    return dead, len(slots)
