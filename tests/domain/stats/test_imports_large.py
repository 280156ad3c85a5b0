"""A 100,000-row file is checked and read in one pass each, in bounded memory."""

import csv
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from dontpay.domain.stats import (
    HEADER,
    MAX_LISTED_PROBLEMS,
    FoiTables,
    ImportCheck,
    check_case_csv,
    foi_tables,
    read_case_csv,
)

ROWS = 100_000
MB = 1024 * 1024
#: The file is about 7 MB; holding its rows as records would take several times that, while the
#: references kept to find duplicates take about 12 MB.
PEAK_LIMIT = 30 * MB


def _write_cases(path: Path, rows: int, bad_every: int = 0) -> None:
    """A plausible file: dates over ten years, one payment in five, outcome 18 or 0."""
    start = date(2014, 4, 1)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for n in range(rows):
            recorded = start + timedelta(days=n % 3650)
            paid = n % 5 == 0
            outcome = 18 if n % 3 else 0
            writer.writerow(
                [
                    f"GEN-{n:07d}",
                    "2019-02-30" if bad_every and n % bad_every == 0 else recorded.isoformat(),
                    "blackmail",
                    "yes" if paid else "no",
                    f"{100 + n % 900}.00" if paid else "",
                    "GBP" if paid else "",
                    "no",
                    outcome,
                    (recorded + timedelta(days=30)).isoformat() if outcome else "",
                    ("18-24", "25-34", "unknown")[n % 3],
                    "skype;facebook" if n % 2 else "instagram",
                ]
            )


def _peak[T](work: Callable[[], T]) -> tuple[T, int]:
    tracemalloc.start()
    try:
        return work(), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _check(path: Path) -> ImportCheck:
    with path.open(newline="", encoding="utf-8-sig") as stream:
        return check_case_csv(stream)


def _read_and_count(path: Path) -> FoiTables:
    with path.open(newline="", encoding="utf-8-sig") as stream:
        return foi_tables(read_case_csv(stream))


def test_a_100k_row_file_is_checked_and_read_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    _write_cases(path, ROWS)

    check, check_peak = _peak(lambda: _check(path))
    tables, read_peak = _peak(lambda: _read_and_count(path))

    assert check == ImportCheck(rows=ROWS, errors=[], error_count=0)
    assert tables.total.reports == ROWS
    assert tables.total.payment_made == ROWS // 5
    assert check_peak < PEAK_LIMIT, f"check peaked at {check_peak / MB:.1f} MB"
    assert read_peak < PEAK_LIMIT, f"read peaked at {read_peak / MB:.1f} MB"


def test_problems_beyond_the_cap_are_counted_not_kept(tmp_path: Path) -> None:
    """A file of bad rows takes no more memory to check than a file of good ones."""
    rows = 20_000
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    _write_cases(good, rows)
    _write_cases(bad, rows, bad_every=1)

    _, good_peak = _peak(lambda: _check(good))
    check, bad_peak = _peak(lambda: _check(bad))

    assert check.rows == rows
    assert check.error_count == rows
    assert len(check.errors) == MAX_LISTED_PROBLEMS
    assert [problem.row for problem in check.errors[:2]] == [2, 3]
    # Keeping all 20,000 problems would take several MB; the 1,000 listed take a few hundred KB.
    assert bad_peak - good_peak < 1 * MB, f"{good_peak / MB:.1f} MB vs {bad_peak / MB:.1f} MB"
