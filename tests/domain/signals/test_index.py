"""The PDQ match index: exactly the entries within the threshold (checked against brute force),
with additions and withdrawals that take effect at once, also while other threads search."""

import os
import subprocess
import sys
import threading
import time
from unittest import mock

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dontpay.domain.signals import index as index_module
from dontpay.domain.signals.index import PdqIndex, codes_from_hex, hex_from_codes

Codes = npt.NDArray[np.uint8]


def random_codes(rng: np.random.Generator, count: int) -> Codes:
    return rng.integers(0, 256, (count, 32), dtype=np.uint8)


def flip_bits(rng: np.random.Generator, codes: Codes, bits: int) -> Codes:
    flipped = codes.copy()
    for row in flipped:
        for bit in rng.choice(256, bits, replace=False):
            row[bit >> 3] ^= np.uint8(0x80 >> (bit & 7))
    return flipped


def brute_force(
    bank: dict[int, Codes], queries: Codes, threshold: int
) -> list[list[tuple[int, int]]]:
    if not bank:
        return [[] for _ in queries]
    ids = np.array(sorted(bank))
    codes = np.stack([bank[id] for id in ids])
    distances = np.bitwise_count(queries[:, None, :] ^ codes[None, :, :]).sum(axis=2)
    results = []
    for row in distances:
        close = np.flatnonzero(row <= threshold)
        results.append(sorted((int(row[at]), int(ids[at])) for at in close))
    return [[(id, distance) for distance, id in found] for found in results]


operations = st.lists(
    st.tuples(st.sampled_from(["add", "remove", "readd"]), st.integers(1, 600)),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    steps=operations,
    threshold=st.integers(0, 31),
    merge_early=st.booleans(),
    layout=st.integers(0, 2),
    settle=st.booleans(),
    slot_bytes=st.sampled_from([3, 4]),
)
def test_search_finds_exactly_what_brute_force_finds(
    seed: int,
    steps: list[tuple[str, int]],
    threshold: int,
    merge_early: bool,
    layout: int,
    settle: bool,
    slot_bytes: int,
) -> None:
    """Also while merges run in the background (unless `settle` waits for them), with each
    chunk layout that large banks use, and with postings of 3 bytes and of the 4 that banks of
    more than 2**24 entries use."""
    rng = np.random.default_rng(seed)
    index = PdqIndex()
    bank: dict[int, Codes] = {}
    ever: dict[int, Codes] = {}
    next_id = 0
    merge_size = 64 if merge_early else index_module.MIN_MERGE_SIZE
    with (
        mock.patch.object(index_module, "MIN_MERGE_SIZE", merge_size),
        mock.patch.object(index_module, "LAYOUTS", ((0, index_module.LAYOUTS[layout][1]),)),
        mock.patch.object(index_module, "slot_width", return_value=slot_bytes),
    ):
        for operation, count in steps:
            if operation == "add":
                ids = np.arange(next_id, next_id + count) * 7 - 1000  # negative ids too
                next_id += count
                codes = random_codes(rng, count)
            else:
                known = np.array(sorted(ever) or [0])
                ids = rng.choice(known, min(count, len(known)), replace=False)
                codes = random_codes(rng, len(ids))
            if operation == "remove":
                index.remove(ids)
                for id in ids.tolist():
                    bank.pop(id, None)
            else:
                index.add(ids, codes)
                for id, code in zip(ids.tolist(), codes, strict=True):
                    bank[id] = ever[id] = code
            assert len(index) == len(bank)
        if settle:
            index.wait_for_merge()

    sources = np.stack(list(ever.values())) if ever else random_codes(rng, 1)
    picked = sources[rng.integers(0, len(sources), 60)]
    queries = np.concatenate(
        [flip_bits(rng, picked[at : at + 1], int(bits)) for at, bits in enumerate(
            rng.integers(0, 41, 60)
        )]
        + [random_codes(rng, 5)]
    )  # fmt: skip
    expected = brute_force(bank, queries, threshold)
    assert index.search(queries, threshold) == expected
    rows, ids, distances = index.search_arrays(queries, threshold)
    flat = [(row, id, d) for row, found in enumerate(expected) for id, d in found]
    assert list(zip(rows.tolist(), ids.tolist(), distances.tolist(), strict=True)) == flat
    for id in ever:
        assert (id in index) == (id in bank)
    index.wait_for_merge()
    assert index.search(queries, threshold) == expected
    assert len(index) == len(bank)


def test_many_matches_of_one_query_are_all_returned_sorted() -> None:
    rng = np.random.default_rng(1)
    code = random_codes(rng, 1)
    copies = np.repeat(code, 40, axis=0)
    copies[20:] = flip_bits(rng, copies[20:], 3)
    index = PdqIndex()
    index.add(np.arange(40)[::-1], copies)
    found = index.search(code)[0]
    assert len(found) == 40
    assert found == sorted(found, key=lambda match: (match[1], match[0]))
    assert [id for id, distance in found if distance == 0] == list(range(20, 40))


def test_withdrawal_removes_a_match_at_once() -> None:
    rng = np.random.default_rng(2)
    codes = random_codes(rng, 5000)
    index = PdqIndex()
    index.add(np.arange(5000), codes)
    query = flip_bits(rng, codes[1234:1235], 12)
    assert index.search(query) == [[(1234, 12)]]

    index.remove([1234, 999_999])
    assert index.search(query) == [[]]
    assert 1234 not in index
    assert len(index) == 4999


def test_adding_an_existing_id_replaces_its_hash() -> None:
    rng = np.random.default_rng(3)
    old, new = random_codes(rng, 2)
    index = PdqIndex()
    index.add([7], old[None])
    index.add([7], new[None])
    assert index.search(np.stack([old, new])) == [[], [(7, 0)]]
    assert len(index) == 1


def test_a_stream_of_additions_is_matchable_at_once_and_never_waits_for_a_merge() -> None:
    rng = np.random.default_rng(4)
    index = PdqIndex()
    index.add(np.arange(300_000), random_codes(rng, 300_000))
    index.search(random_codes(rng, 1))  # compiled before timing
    merge_every = max(index_module.MIN_MERGE_SIZE, 300_000 // 64)
    added = random_codes(rng, merge_every + 200)

    took = []
    for offset, code in enumerate(added):
        started = time.perf_counter()
        index.add([10_000_000 + offset], code[None])
        took.append(time.perf_counter() - started)
        if offset % 50 == 0 or offset >= merge_every - 5:
            near = flip_bits(rng, code[None], 31)
            assert (10_000_000 + offset, 31) in index.search(near)[0]
    # A loaded machine can pause any call for tens of milliseconds; a merge would take longer.
    assert np.percentile(took, 99) < 0.05
    assert max(took) < 1.0
    index.wait_for_merge()
    assert index._snapshot.tables.size > 300_000  # the merge happened
    found = index.search(added)
    assert all((10_000_000 + row, 0) in matches for row, matches in enumerate(found))
    assert len(index) == 300_000 + len(added)


def test_additions_searches_and_withdrawals_go_on_while_a_merge_is_held_up() -> None:
    rng = np.random.default_rng(8)
    codes = random_codes(rng, 20_000)
    index = PdqIndex()
    index.add(np.arange(20_000), codes)
    release = threading.Event()
    build = index_module._build_tables

    def slow_build(ids: npt.NDArray[np.int64], words: npt.NDArray[np.uint64]) -> object:
        assert release.wait(timeout=60)
        return build(ids, words)

    with (
        mock.patch.object(index_module, "MIN_MERGE_SIZE", 10),
        mock.patch.object(index_module, "_build_tables", slow_build),
    ):
        index.add(np.arange(100_000, 100_400), random_codes(rng, 400))  # starts a merge
        started = time.perf_counter()
        for row in range(100):
            index.add([30_000 + row], codes[row : row + 1] ^ np.uint8(3))
            assert (30_000 + row, 0) in index.search(codes[row : row + 1] ^ np.uint8(3))[0]
        index.remove([0, 100_000, 30_000])
        assert index.search(codes[:1]) == [[]]
        assert time.perf_counter() - started < 30
        release.set()
        index.wait_for_merge()
    assert index.search(codes[:2]) == [[], [(1, 0)]]
    assert 100_000 not in index
    assert 100_001 in index
    assert len(index) == 20_000 + 400 + 100 - 3


def test_withdrawals_and_replacements_during_a_merge_carry_over_to_the_new_tables() -> None:
    rng = np.random.default_rng(7)
    codes = random_codes(rng, 20_000)
    index = PdqIndex()
    index.add(np.arange(20_000), codes)
    replacement = random_codes(rng, 1)
    with mock.patch.object(index_module, "MIN_MERGE_SIZE", 100):
        index.add(np.arange(50_000, 50_400), random_codes(rng, 400))  # starts a merge
        index.remove([5, 50_001])
        index.add([6], replacement)
        index.wait_for_merge()
    assert index.search(codes[[5, 6, 7]]) == [[], [], [(7, 0)]]
    assert index.search(replacement) == [[(6, 0)]]
    assert 5 not in index
    assert 50_001 not in index
    assert 50_002 in index
    assert len(index) == 20_000 + 400 - 2


def test_threshold_must_be_within_what_the_index_can_search_exactly() -> None:
    for threshold in (-1, 32):
        with pytest.raises(ValueError, match="threshold must be between 0 and 31"):
            PdqIndex(threshold)
    index = PdqIndex(threshold=20)
    with pytest.raises(ValueError, match="between 0 and 20"):
        index.search(np.zeros((1, 32), dtype=np.uint8), threshold=21)


def test_search_uses_the_index_threshold_unless_given_a_lower_one() -> None:
    rng = np.random.default_rng(5)
    code = random_codes(rng, 1)
    index = PdqIndex(threshold=20)
    index.add([1], code)
    assert index.search(flip_bits(rng, code, 20)) == [[(1, 20)]]
    assert index.search(flip_bits(rng, code, 21)) == [[]]
    assert index.search(flip_bits(rng, code, 20), threshold=19) == [[]]


def test_empty_index_and_empty_queries() -> None:
    index = PdqIndex()
    assert index.search(np.zeros((2, 32), dtype=np.uint8)) == [[], []]
    rows, ids, distances = index.search_arrays(np.zeros((0, 32), dtype=np.uint8))
    assert len(rows) == len(ids) == len(distances) == 0
    assert len(index) == 0
    assert 0 not in index


def test_codes_must_be_rows_of_32_bytes_and_ids_must_be_unique() -> None:
    index = PdqIndex()
    with pytest.raises(ValueError, match=r"shape \(n, 32\)"):
        index.add([1], np.zeros((1, 31), dtype=np.uint8))
    with pytest.raises(ValueError, match="uint8"):
        index.search(np.zeros((1, 32), dtype=np.int64))
    with pytest.raises(ValueError, match="2 ids but 1 codes"):
        index.add([1, 2], np.zeros((1, 32), dtype=np.uint8))
    with pytest.raises(ValueError, match="unique"):
        index.add([1, 1], np.zeros((2, 32), dtype=np.uint8))


def test_hex_is_read_most_significant_bit_first() -> None:
    codes = codes_from_hex(["80" + "00" * 31, "ab" * 32])
    assert codes[0, 0] == 0x80
    assert codes[1].tolist() == [0xAB] * 32
    assert hex_from_codes(codes) == ["80" + "00" * 31, "ab" * 32]
    index = PdqIndex()
    index.add([1], codes[:1])
    assert index.search(codes_from_hex(["00" * 32])) == [[(1, 1)]]


@pytest.mark.parametrize(
    "bad", ["ab" * 31, "ab" * 33, "zz" + "ab" * 31, "ab" * 31 + " a", "", "AB" * 31 + "+0"]
)
def test_codes_from_hex_names_the_first_bad_hash(bad: str) -> None:
    with pytest.raises(ValueError, match=r"hash 1 is not 64 hex digits"):
        codes_from_hex(["ab" * 32, bad, "also bad"])


def test_searches_while_another_thread_adds_and_removes_see_a_consistent_state() -> None:
    rng = np.random.default_rng(6)
    stable = random_codes(rng, 20_000)
    toggled = random_codes(rng, 2_000)
    index = PdqIndex()
    index.add(np.arange(20_000), stable)
    queries = np.concatenate([flip_bits(rng, stable[:100], 15), flip_bits(rng, toggled[:100], 15)])
    stop = threading.Event()
    failures: list[str] = []

    def change() -> None:
        toggled_ids = np.arange(100_000, 102_000)
        while not stop.is_set():
            index.add(toggled_ids, toggled)
            index.remove(toggled_ids[::2])
            index.remove(toggled_ids)

    def search() -> None:
        for _ in range(30):
            found = index.search(queries)
            for row in range(100):
                if (row, 15) not in found[row]:
                    failures.append(f"stable entry {row} missed")
            for row in range(100, 200):
                if found[row] not in ([], [(100_000 + row - 100, 15)]):
                    failures.append(f"toggled query {row} found {found[row]}")

    changer = threading.Thread(target=change)
    searchers = [threading.Thread(target=search) for _ in range(3)]
    changer.start()
    for thread in searchers:
        thread.start()
    for thread in searchers:
        thread.join()
    stop.set()
    changer.join()
    assert failures == []
    assert len(index) == 20_000


def test_search_works_where_compiled_code_cannot_be_cached() -> None:
    script = (
        "import os\n"
        "os.access = lambda *args, **kwargs: False\n"
        "import numpy as np\n"
        "from dontpay.domain.signals import _index_kernels\n"
        "from dontpay.domain.signals.index import PdqIndex\n"
        "assert not _index_kernels._CACHE\n"
        "index = PdqIndex()\n"
        "index.add([5], np.full((1, 32), 7, dtype=np.uint8))\n"
        "print(index.search(np.full((1, 32), 7, dtype=np.uint8)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NUMBA_CACHE_DIR": ""},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[[(5, 0)]]"
