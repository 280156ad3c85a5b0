"""Importing and withdrawing files of any size: chunked, in bounded memory, all or nothing.

The chunk sizes are made small here so that a file of a few thousand lines runs through many
chunks; `benchmarks/bank_import.py` imports a million lines with the real sizes.
"""

import gc
import random
import tracemalloc
from collections.abc import Iterator

import pytest
from django.db import connection

from dontpay.bank import bulk_insert, index, submissions
from dontpay.bank.compiled_query import CompiledQuery
from dontpay.bank.index import bank_index, changes_after, forget_bank_index
from dontpay.bank.models import BankEntry, SignalChange, Submission
from dontpay.bank.submissions import check_submission, submit_signals, withdraw_submission
from dontpay.bank.threatexchange import InvalidSignalFile, import_signal_file

from .conftest import OTHER, PHOTO, flip_bits

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(submissions, "BULK_CHUNK", 7)
    monkeypatch.setattr(bulk_insert, "ROWS_PER_STATEMENT", 3)
    monkeypatch.setattr(index, "CATCH_UP_PAGE", 5)
    monkeypatch.setattr(index, "_CHANGES_AFTER", CompiledQuery(index.changes_after, 1))


def random_hashes(count: int, seed: int = 1) -> list[str]:
    generator = random.Random(seed)
    return [f"{generator.getrandbits(256):064x}" for _ in range(count)]


def test_an_import_across_many_chunks_stores_each_hash_once_and_logs_each_change_once() -> None:
    bank_index().catch_up()  # loaded while the bank is empty: the import reaches it as changes
    withdrawn = submit_signals([("pdq", PHOTO, 90)], "web")
    kept = submit_signals([("pdq", OTHER, 90)], "web")
    withdraw_submission(Submission.objects.get(case_number=withdrawn.case_number))
    hashes = random_hashes(40)
    # Repeats within a chunk and across chunks; an entry no longer live; one that is.
    lines = [f"pdq {value}" for value in hashes + hashes[:10] + [PHOTO, OTHER]]
    lines.insert(20, "md5 d41d8cd98f00b204e9800998ecf8427e")

    imported = import_signal_file(iter(lines))

    assert (imported.imported, imported.skipped) == (52, {"md5": 1})
    submission = Submission.objects.get(case_number=imported.submission.case_number)
    assert sorted(submission.entries.values_list("value", flat=True)) == sorted(
        [*hashes, PHOTO, OTHER]
    )
    assert BankEntry.objects.count() == 42
    assert BankEntry.objects.filter(live=True).count() == 42
    added = SignalChange.objects.filter(change="added").values_list("entry__value", flat=True)
    assert sorted(added) == sorted([PHOTO, OTHER, PHOTO, *hashes])  # PHOTO: added, withdrawn, added
    # Every process's index catches up with the import a page at a time, and so does a new one.
    found = bank_index().match_images([flip_bits(value, 9) for value in hashes])
    assert all(len(matches) == 1 for matches in found)
    assert bank_index().applied == SignalChange.objects.latest("id").pk
    forget_bank_index()
    assert len(bank_index().match_images([OTHER])[0]) == 1

    # Withdrawn across many chunks: only the entries no other live submission holds.
    pin_checked = check_submission(imported.submission.case_number, imported.submission.pin, "c")
    assert pin_checked is not None
    withdraw_submission(pin_checked)
    assert list(BankEntry.objects.filter(live=True).values_list("value", flat=True)) == [OTHER]
    gone = SignalChange.objects.filter(change="withdrawn").values_list("entry__value", flat=True)
    assert sorted(gone) == sorted([PHOTO, PHOTO, *hashes])
    assert bank_index().match_images([hashes[0], OTHER]) == [
        [],
        [(BankEntry.objects.get(value=OTHER).pk, 0)],
    ]
    assert Submission.objects.get(case_number=kept.case_number).withdrawn_at is None


def test_a_bad_line_at_the_end_of_a_file_stores_nothing() -> None:
    lines = [f"pdq {value}" for value in random_hashes(60)] + ["pdq 12345"]

    with pytest.raises(InvalidSignalFile) as refused:
        import_signal_file(iter(lines))

    assert refused.value.problems == ["line 61: PDQ hash has 5 characters; expected 64 hex digits"]
    assert not Submission.objects.exists()
    assert not BankEntry.objects.exists()
    assert not SignalChange.objects.exists()


def test_bad_lines_are_named_up_to_a_hundred_then_counted() -> None:
    lines = [f"pdq {PHOTO}"] + [f"pdq {n}" for n in range(130)]

    with pytest.raises(InvalidSignalFile) as refused:
        import_signal_file(iter(lines))

    assert len(refused.value.problems) == 101
    assert refused.value.problems[0].startswith("line 2: PDQ hash has 1 characters")
    assert refused.value.problems[-1] == "and 30 more line(s)"
    assert str(refused.value).startswith("130 line(s) cannot be read: line 2:")
    assert not BankEntry.objects.exists()


def lazy_lines(count: int, pulled: list[int]) -> Iterator[str]:
    """`count` lines made as they are read, noting in `pulled` how many have been."""
    generator = random.Random(count)
    for number in range(1, count + 1):
        pulled[0] = number
        yield f"pdq {generator.getrandbits(256):064x}"


def test_an_import_reads_the_file_as_it_stores_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each chunk is stored before the next is read, and memory stays flat however many
    lines have gone by: holding each line read would grow it by about 200 bytes a line."""
    monkeypatch.setattr(submissions, "BULK_CHUNK", 50)
    pulled = [0]
    read_when_storing = []
    memory_when_storing = []
    store_chunk = submissions._store_chunk

    def noting(submission: Submission, signals: list[tuple[str, str, int | None]]) -> None:
        read_when_storing.append(pulled[0])
        if len(read_when_storing) in (10, 60):
            gc.collect()  # count what is held, not garbage waiting for the collector
            memory_when_storing.append(tracemalloc.get_traced_memory()[0])
        store_chunk(submission, signals)

    monkeypatch.setattr(submissions, "_store_chunk", noting)
    tracemalloc.start()
    try:
        import_signal_file(lazy_lines(3_010, pulled))
    finally:
        tracemalloc.stop()

    assert read_when_storing == [*range(50, 3_001, 50), 3_010]
    after_500, after_3000 = memory_when_storing
    assert after_3000 - after_500 < 50_000, memory_when_storing


def test_an_import_leaves_the_planner_knowing_the_size_of_the_bank(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each match reads the changes after the last one applied. After a bulk load PostgreSQL
    must know how big the bank's tables are, or it plans for empty tables and scans them; SQLite
    reads the log by its primary key whatever it knows."""
    monkeypatch.setattr(submissions, "BULK_CHUNK", 2_000)
    monkeypatch.setattr(bulk_insert, "ROWS_PER_STATEMENT", 1_000)
    import_signal_file(iter([f"pdq {value}" for value in random_hashes(3_000)]))

    if connection.vendor == "postgresql":
        tables = ["bank_bankentry", "bank_signalchange", "bank_submission_entries"]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [tables]
            )
            assert dict(cursor.fetchall()) == dict.fromkeys(tables, 3_000)
    else:
        plan = changes_after(SignalChange.objects.latest("id").pk).explain()
        assert "USING INTEGER PRIMARY KEY" in plan, plan
