"""Import of historic case records from CSV: every row is checked, and all go in or none do.

A force's or helpline's own spreadsheet is the usual source, so problems are reported the way a
spreadsheet numbers its rows: the header is row 1 and the first record row 2. The file is read
twice, one row at a time, so its size is bounded by the disk and not by memory:

1. `check_case_csv` reads it to the end and lists every problem (up to `MAX_LISTED_PROBLEMS`,
   then only counts them), so one pass tells the person everything to fix;
2. only if it found none does the caller read it again with `read_case_csv` and insert the
   records in batches inside one database transaction.

The one thing kept for the whole file is the set of references seen, to find duplicates.
"""

import csv
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TextIO

from .columns import HEADER, InvalidColumns, record_from_columns, shown
from .records import CaseRecord

#: How many problems a check lists before it only counts the rest.
MAX_LISTED_PROBLEMS = 1000
#: How many references `check_case_csv` hands `already_imported` at a time.
REFERENCE_BATCH = 1000

#: Given some references, those the database already holds.
AlreadyImported = Callable[[Sequence[str]], Collection[str]]


@dataclass(frozen=True)
class RowProblem:
    """Why one row (or the whole file) cannot be imported.

    `row` counts as a spreadsheet does: the header is row 1, so the first record is row 2;
    0 means the file as a whole (empty, or not readable as CSV text). `column` is "" when the
    problem is with the row rather than one of its values.
    """

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        return (
            f"{where}, {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"
        )


@dataclass(frozen=True)
class ImportCheck:
    """What a check of a whole file found: data rows read and the problems (listed and counted)."""

    rows: int
    errors: list[RowProblem]
    error_count: int

    @property
    def ok(self) -> bool:
        """True when every row can be imported."""
        return self.error_count == 0

    def raise_if_refused(self) -> None:
        """Raise `ImportRefused` with every listed problem unless the file can be imported."""
        if not self.ok:
            raise ImportRefused(self.errors, self.error_count)


class ImportRefused(Exception):
    """The file has problems, so nothing in it was imported."""

    def __init__(self, errors: Sequence[RowProblem], error_count: int | None = None) -> None:
        self.errors = list(errors)
        self.error_count = len(self.errors) if error_count is None else error_count
        super().__init__(self.message())

    def message(self) -> str:
        """Every listed problem on its own line, then how many more were found but not listed."""
        noun = "problem" if self.error_count == 1 else "problems"
        lines = [f"Nothing was imported: the file has {self.error_count} {noun}."]
        lines.extend(str(problem) for problem in self.errors)
        if self.error_count > len(self.errors):
            lines.append(f"… and {self.error_count - len(self.errors)} more")
        return "\n".join(lines)


def check_case_csv(
    stream: TextIO, *, already_imported: AlreadyImported | None = None
) -> ImportCheck:
    """Read the whole file once and find every problem, keeping only references in memory.

    Open the file with ``newline=""`` and ``encoding="utf-8-sig"`` (a BOM is tolerated anyway).
    `already_imported`, if given, is asked about references in batches, so a re-import is
    refused row by row rather than failing on the database's unique constraint.
    """
    rows = 0
    listed: list[RowProblem] = []
    count = 0
    pending: list[tuple[str, int]] = []

    def found(problems: Sequence[RowProblem]) -> None:
        nonlocal count
        count += len(problems)
        listed.extend(problems[: max(MAX_LISTED_PROBLEMS - len(listed), 0)])

    def ask_database() -> None:
        if already_imported is not None and pending:
            known = set(already_imported([reference for reference, _ in pending]))
            found(
                [
                    RowProblem(number, "reference", f"{shown(reference)} was imported before")
                    for reference, number in pending
                    if reference in known
                ]
            )
        pending.clear()

    for row in _rows(stream):
        rows += row.is_data
        if row.problems:
            found(row.problems)
        if row.record is not None and already_imported is not None:
            pending.append((row.record.reference, row.number))
            if len(pending) >= REFERENCE_BATCH:
                ask_database()
    ask_database()
    listed.sort(key=lambda problem: problem.row)
    return ImportCheck(rows=rows, errors=listed, error_count=count)


def read_case_csv(stream: TextIO) -> Iterator[CaseRecord]:
    """The file's records, one at a time; raises `ImportRefused` at the first bad row.

    Run `check_case_csv` first: this exists to read a file already checked, and refuses (rather
    than skips) a bad row in case the file changed in between, so a transaction around the
    inserts rolls back.
    """
    for row in _rows(stream):
        if row.problems:
            raise ImportRefused(row.problems)
        if row.record is not None:
            yield row.record


class _Row(NamedTuple):
    number: int
    record: CaseRecord | None
    problems: list[RowProblem]
    is_data: bool


def _rows(stream: TextIO) -> Iterator[_Row]:
    """The header's problems, then every non-blank data row, then any problem with the file.

    Blank rows (trailing newlines, rows of empty cells) are skipped but still numbered, as a
    spreadsheet would show them. Reading stops at a wrong header: no row below it can be read
    by column name, and one problem says all there is to say.
    """
    number = 0
    header: list[RowProblem] | None = None
    data_rows = 0
    seen: dict[str, int] = {}
    try:
        for cells in csv.reader(stream):
            number += 1
            values = [cell.strip() for cell in cells]
            if not any(values):
                continue
            if header is None:
                header = _header_problems(number, values)
                yield _Row(number, None, header, is_data=False)
                if header:
                    return
                continue
            data_rows += 1
            record, problems = _record(number, values)
            if len(values) == len(HEADER) and all(p.column != "reference" for p in problems):
                # Checked even when other values are bad, so fixing those reveals nothing new.
                first = seen.setdefault(values[0], number)
                if first != number:
                    problems.insert(0, RowProblem(number, "reference", f"duplicate of row {first}"))
                    record = None
            yield _Row(number, record, problems, is_data=True)
    except csv.Error as error:
        reason = f"cannot be read as CSV at row {number + 1}: {error}"
        yield _Row(0, None, [RowProblem(0, "", reason)], is_data=False)
        return
    except UnicodeDecodeError:
        reason = 'is not UTF-8 text; save it as "CSV UTF-8"'
        yield _Row(0, None, [RowProblem(0, "", reason)], is_data=False)
        return
    if header is None:
        yield _Row(0, None, [RowProblem(0, "", "the file is empty")], is_data=False)
    elif data_rows == 0:
        yield _Row(0, None, [RowProblem(0, "", "the file has no rows")], is_data=False)


def _header_problems(number: int, values: list[str]) -> list[RowProblem]:
    """One problem naming the expected header, unless the header is exactly it."""
    if values:
        values = [values[0].removeprefix("\ufeff").strip(), *values[1:]]
    if tuple(values) == HEADER:
        return []
    missing = [name for name in HEADER if name not in values]
    extra = [name for name in values if name not in HEADER]
    details = []
    if missing:
        details.append(f"missing {', '.join(missing)}")
    if extra:
        details.append(f"unexpected {', '.join(shown(name) for name in extra)}")
    if not details:
        details.append("columns out of order or repeated")
    return [
        RowProblem(
            number, "", f"the header must be exactly {','.join(HEADER)} ({'; '.join(details)})"
        )
    ]


def _record(number: int, values: list[str]) -> tuple[CaseRecord | None, list[RowProblem]]:
    """The row as a record, or None and every problem found in it."""
    if len(values) != len(HEADER):
        reason = f"has {len(values)} columns; the header has {len(HEADER)}"
        return None, [RowProblem(number, "", reason)]
    try:
        return record_from_columns(dict(zip(HEADER, values, strict=True))), []
    except InvalidColumns as invalid:
        return None, [RowProblem(number, column, why) for column, why in invalid.reasons.items()]
