"""Compiled loops of the PDQ match index (numba): probing, verifying and finding entries.

A hash is four uint64 words, and bit `i` of the hash is bit `i % 64` of word `i // 64`; a chunk
is a run of these bits, read as an integer key. Any bijection of a chunk's bits would do, as long
as the index is built and probed with the same one, because flipping a bit of the chunk flips
exactly one bit of its key.

Functions are compiled on first use (a few seconds); the compiled code is cached beside this file
when its `__pycache__` can be written, and compiled afresh in memory when it cannot.
"""

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import numba
import numpy as np
import numpy.typing as npt
from llvmlite import ir  # type: ignore[import-untyped]
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

CODE_BYTES = np.uintp(32)
#: How many candidates ahead the search loop asks for a code to be fetched.
PREFETCH_AHEAD = 16


def _cache_is_writable() -> bool:
    """Cache compiled code only under our own `__pycache__`, never in a user-wide folder."""
    folder = Path(__file__).resolve().parent / "__pycache__"
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


_CACHE = _cache_is_writable()


def _compiled[Function: Callable[..., Any]](function: Function) -> Function:
    return cast(Function, numba.njit(cache=_CACHE, nogil=True, boundscheck=False)(function))


def _popcount_definition(typingctx: Any, value: Any) -> Any:
    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.ctpop(args[0])

    return types.uint64(types.uint64), codegen


_popcount: Any = intrinsic(_popcount_definition)


def _prefetch_definition(typingctx: Any, address: Any) -> Any:
    """Ask the processor to start loading the cache line at `address` (a hint, never a fault)."""

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        byte_pointer = ir.IntType(8).as_pointer()
        int32 = ir.IntType(32)
        prefetch = cgutils.get_or_insert_function(  # type: ignore[no-untyped-call]
            builder.module,
            ir.FunctionType(ir.VoidType(), [byte_pointer, int32, int32, int32]),
            "llvm.prefetch.p0",
        )
        # read, keep in all cache levels, data cache
        builder.call(
            prefetch, [builder.inttoptr(args[0], byte_pointer), int32(0), int32(3), int32(1)]
        )
        return context.get_dummy_value()

    return types.void(types.uintp), codegen


_prefetch: Any = intrinsic(_prefetch_definition)


@_compiled
def search_tables(
    queries: npt.NDArray[np.uint64],
    chunk_radius: npt.NDArray[np.int64],
    threshold: int,
    starts: npt.NDArray[np.int64],
    widths: npt.NDArray[np.int64],
    bases: npt.NDArray[np.int64],
    codes: npt.NDArray[np.uint64],
    offsets: npt.NDArray[np.uint32],
    postings: npt.NDArray[np.uint8],
    dead: npt.NDArray[np.uint8],
    out_slots: npt.NDArray[np.int64],
    out_distances: npt.NDArray[np.int64],
    counts: npt.NDArray[np.int64],
) -> None:
    """Multi-index hashing: every entry within `threshold` of a query, each reported once.

    Entries within the threshold agree with the query to within `chunk_radius[c]` bits on at
    least one chunk `c` (pigeonhole), so probing the keys within that radius in each chunk's table
    finds them all; a radius of -1 skips the chunk. Chunk `c` is `widths[c]` bits from bit
    `starts[c]`, and its table starts at `bases[c]` in `offsets`. Codes are stored in chunk 0's
    order, so chunk 0's table needs no postings; a posting is a slot in `postings.shape[2]`
    little-endian bytes (3 up to 2**24 entries). The table entries and postings of every probe
    are asked for first, then the candidates are gathered and checked while the codes of the ones
    `PREFETCH_AHEAD` places on are already being fetched: memory latency, not arithmetic, is
    what limits this loop. Writes up to `out_slots.shape[1]` matches per query and the full
    count of matches into `counts`.
    """
    capacity = out_slots.shape[1]
    code_address = codes.ctypes.data
    offset_address = offsets.ctypes.data
    posting_address = postings.ctypes.data
    posting_bytes = postings.shape[2]
    size = codes.shape[0]
    candidates = np.empty(4096, dtype=np.int64)
    near = np.empty(64, dtype=np.int64)
    most_probes = 0
    for chunk in range(widths.shape[0]):
        most_probes += 1 + widths[chunk] + widths[chunk] * (widths[chunk] - 1) // 2
    probe_chunks = np.empty(most_probes, dtype=np.int64)
    probe_keys = np.empty(most_probes, dtype=np.int64)
    for row in range(queries.shape[0]):
        query = queries[row]
        probes = _probe_keys(query, chunk_radius, starts, widths, bases, probe_chunks, probe_keys)
        for probe in range(probes):
            _prefetch(offset_address + np.uintp(probe_keys[probe]) * np.uintp(4))
        total = PREFETCH_AHEAD
        for probe in range(probes):
            key = probe_keys[probe]
            start = int(offsets[key])
            total += int(offsets[key + 1]) - start
            chunk = probe_chunks[probe]
            if chunk:
                _prefetch(
                    posting_address + np.uintp((chunk - 1) * size + start) * np.uintp(posting_bytes)
                )
        if total > candidates.shape[0]:
            candidates = np.empty(2 * total, dtype=np.int64)
        gathered = 0
        for probe in range(probes):
            chunk = probe_chunks[probe]
            key = probe_keys[probe]
            start = int(offsets[key])
            end = int(offsets[key + 1])
            if chunk == 0:
                for position in range(start, end):
                    candidates[gathered] = position
                    gathered += 1
            else:
                for position in range(start, end):
                    candidates[gathered] = posting_at(postings, chunk - 1, position)
                    gathered += 1
        candidates[gathered : gathered + PREFETCH_AHEAD] = 0
        close = 0
        for index in range(gathered):
            _prefetch(code_address + np.uintp(candidates[index + PREFETCH_AHEAD]) * CODE_BYTES)
            slot = candidates[index]
            if _distance(codes[slot], query) <= threshold:
                if close == near.shape[0]:
                    near = np.concatenate((near, near))
                near[close] = slot
                close += 1
        # A match close on several chunks was gathered once for each of them.
        matches = np.sort(near[:close])
        found = 0
        for index in range(close):
            slot = matches[index]
            if (index and slot == matches[index - 1]) or (dead[slot >> 3] >> (slot & 7)) & 1:
                continue
            if found < capacity:
                out_slots[row, found] = slot
                out_distances[row, found] = _distance(codes[slot], query)
            found += 1
        counts[row] = found


@_compiled
def posting_at(postings: npt.NDArray[np.uint8], table: int, position: int) -> int:
    """The slot stored at `position` of a posting table, in little-endian bytes."""
    value = 0
    for byte in range(postings.shape[2]):
        value |= int(postings[table, position, byte]) << (8 * byte)
    return value


@_compiled
def _probe_keys(
    query: npt.NDArray[np.uint64],
    chunk_radius: npt.NDArray[np.int64],
    starts: npt.NDArray[np.int64],
    widths: npt.NDArray[np.int64],
    bases: npt.NDArray[np.int64],
    probe_chunks: npt.NDArray[np.int64],
    probe_keys: npt.NDArray[np.int64],
) -> int:
    """Where in `offsets` each key within its chunk's radius (0, 1 or 2 bits) of the query is."""
    probes = 0
    for chunk in range(widths.shape[0]):
        radius = chunk_radius[chunk]
        if radius < 0:
            continue
        width = widths[chunk]
        base = bases[chunk]
        key = chunk_key(query, starts[chunk], width)
        probe_chunks[probes] = chunk
        probe_keys[probes] = base + key
        probes += 1
        for first in range(width if radius >= 1 else 0):
            once = key ^ (1 << first)
            probe_chunks[probes] = chunk
            probe_keys[probes] = base + once
            probes += 1
            for second in range(first + 1, width if radius >= 2 else 0):
                probe_chunks[probes] = chunk
                probe_keys[probes] = base + (once ^ (1 << second))
                probes += 1
    return probes


@_compiled
def chunk_key(code: npt.NDArray[np.uint64], start: int, width: int) -> int:
    """The `width` bits of a hash from bit `start` on (bit i is bit i % 64 of word i // 64)."""
    word = start >> 6
    shift = start & 63
    value = code[word] >> np.uint64(shift)
    if shift + width > 64:
        value |= code[word + 1] << np.uint64(64 - shift)
    return int(value & np.uint64((1 << width) - 1))


@_compiled
def sort_by_chunk(
    codes: npt.NDArray[np.uint64],
    start: int,
    width: int,
    offsets: npt.NDArray[np.uint32],
    order: npt.NDArray[np.uint32],
) -> None:
    """A stable counting sort of the codes by one chunk: `order` lists the rows by key, and
    `offsets` (2**width + 1 zeros on entry) says where each key starts in it."""
    keys = np.empty(codes.shape[0], dtype=np.uint32)
    for row in range(codes.shape[0]):
        key = chunk_key(codes[row], start, width)
        keys[row] = key
        offsets[key + 1] += 1
    for key in range(1 << width):
        offsets[key + 1] += offsets[key]
    cursor = offsets[:-1].copy()
    for row in range(codes.shape[0]):
        key = keys[row]
        order[cursor[key]] = row
        cursor[key] += 1


@_compiled
def _distance(code: npt.NDArray[np.uint64], query: npt.NDArray[np.uint64]) -> int:
    return int(
        _popcount(code[0] ^ query[0])
        + _popcount(code[1] ^ query[1])
        + _popcount(code[2] ^ query[2])
        + _popcount(code[3] ^ query[3])
    )


@_compiled
def search_all(
    queries: npt.NDArray[np.uint64],
    threshold: int,
    codes: npt.NDArray[np.uint64],
    out_slots: npt.NDArray[np.int64],
    out_distances: npt.NDArray[np.int64],
    counts: npt.NDArray[np.int64],
) -> None:
    """Compare each query with every code: the recent additions not yet in the tables."""
    capacity = out_slots.shape[1]
    for row in range(queries.shape[0]):
        query = queries[row]
        found = 0
        for slot in range(codes.shape[0]):
            distance = _distance(codes[slot], query)
            if distance <= threshold:
                if found < capacity:
                    out_slots[row, found] = slot
                    out_distances[row, found] = distance
                found += 1
        counts[row] = found


@_compiled
def find_slots(
    ids_by_slot: npt.NDArray[np.integer],
    slots_by_id: npt.NDArray[np.uint32],
    wanted: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    """The slot of each wanted id (binary search through the id order), or -1 if absent."""
    found = np.full(wanted.shape[0], -1, dtype=np.int64)
    size = slots_by_id.shape[0]
    for row in range(wanted.shape[0]):
        target = wanted[row]
        low = 0
        high = size
        while low < high:
            middle = (low + high) >> 1
            if ids_by_slot[slots_by_id[middle]] < target:
                low = middle + 1
            else:
                high = middle
        if low < size and ids_by_slot[slots_by_id[low]] == target:
            found[row] = slots_by_id[low]
    return found
