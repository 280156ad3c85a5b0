"""FOI tables: how many reports, payments, identified suspects and outcomes, per year.

Every count is by the date the crime was recorded (`recorded_on`), the basis FOI answers most
often use; the tables say so in `basis`, because counts by outcome date differ. A report whose
outcome is still 0 counts under outcome "0" but in no outcome group.

Numbers stay whole numbers here. Suppression of small numbers (FOI s.40, personal data) happens
only when a table is written out (`as_json`, and the CSV/XLSX/SVG exports), so nothing that
computes with the tables is handed text where it expects a count. Only primary suppression is
done: a total and all but one of its parts can still give the hidden part away by subtraction.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from .outcomes import OUTCOME_GROUPS, OUTCOMES
from .periods import calendar_year, financial_year
from .records import CaseRecord

Basis = Literal["recorded_on"]
PeriodType = Literal["financial_year", "calendar_year"]
PERIOD_TYPES: tuple[PeriodType, ...] = ("financial_year", "calendar_year")
Cell = int | str


@dataclass(frozen=True)
class YearCounts:
    """The counts for one period (or for all of them).

    `outcomes` is keyed by outcome number as text ("18"), holding only outcomes that occur, in
    numeric order; `outcome_groups` holds only groups that occur, in `OUTCOME_GROUPS` order.
    """

    reports: int = 0
    payment_made: int = 0
    suspect_identified: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    outcome_groups: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class FoiTables:
    """Counts by financial year, by calendar year and in total, with how they were made.

    Years are sorted; a year with no reports between the first and last year that has some is
    shown with zeros, so a gap reads as "none" and not as "not asked". `suppress_below` is 0 when
    nothing is suppressed.
    """

    by_financial_year: dict[str, YearCounts]
    by_calendar_year: dict[str, YearCounts]
    total: YearCounts
    suppress_below: int = 0
    start: date | None = None
    end: date | None = None
    basis: Basis = "recorded_on"

    def periods(self, by: PeriodType) -> dict[str, YearCounts]:
        """The table for one kind of year; raises ValueError for any other kind."""
        if by == "financial_year":
            return self.by_financial_year
        if by == "calendar_year":
            return self.by_calendar_year
        raise ValueError(f"{by!r}: tables are by financial_year or calendar_year")


class _Tally:
    """Running counts for one period, turned into a `YearCounts` at the end."""

    def __init__(self) -> None:
        self.reports = 0
        self.payment_made = 0
        self.suspect_identified = 0
        self.outcomes: Counter[int] = Counter()

    def add(self, record: CaseRecord) -> None:
        self.reports += 1
        self.payment_made += record.payment_made
        self.suspect_identified += record.suspect_identified
        self.outcomes[record.outcome_code] += 1

    def counts(self) -> YearCounts:
        groups: Counter[str] = Counter()
        for code, count in self.outcomes.items():
            if OUTCOMES[code].assigned:
                groups[OUTCOMES[code].group] += count
        return YearCounts(
            reports=self.reports,
            payment_made=self.payment_made,
            suspect_identified=self.suspect_identified,
            outcomes={str(code): self.outcomes[code] for code in sorted(self.outcomes)},
            outcome_groups={group: groups[group] for group in OUTCOME_GROUPS if group in groups},
        )


def foi_tables(
    records: Iterable[CaseRecord],
    *,
    start: date | None = None,
    end: date | None = None,
    suppress_below: int = 0,
) -> FoiTables:
    """Count `records` recorded from `start` to `end` (both inclusive; None = no limit).

    `suppress_below` = 5 writes counts of 1 to 4 as "<5" in the exported forms; 0 (or 1)
    suppresses nothing. Raises ValueError for a negative threshold, an `end` before `start`, or
    a record whose outcome code is not 0-22.
    """
    if suppress_below < 0:
        raise ValueError(f"suppress_below must be 0 or more, not {suppress_below}")
    if start is not None and end is not None and end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    tallies: dict[PeriodType, dict[str, _Tally]] = {kind: {} for kind in PERIOD_TYPES}
    label: dict[PeriodType, Callable[[date], str]] = {
        "financial_year": financial_year,
        "calendar_year": calendar_year,
    }
    total = _Tally()
    first: date | None = None
    last: date | None = None
    for record in records:
        day = record.recorded_on
        if (start is not None and day < start) or (end is not None and day > end):
            continue
        if record.outcome_code not in OUTCOMES:
            raise ValueError(f"{record.reference}: outcome {record.outcome_code!r} is not 0-22")
        total.add(record)
        for kind in PERIOD_TYPES:
            tallies[kind].setdefault(label[kind](day), _Tally()).add(record)
        first = day if first is None or day < first else first
        last = day if last is None or day > last else last

    def table(kind: PeriodType) -> dict[str, YearCounts]:
        if first is None or last is None:
            return {}
        labels = _labels_between(first, last, label[kind])
        return {name: tallies[kind].get(name, _Tally()).counts() for name in labels}

    return FoiTables(
        by_financial_year=table("financial_year"),
        by_calendar_year=table("calendar_year"),
        total=total.counts(),
        suppress_below=suppress_below if suppress_below > 1 else 0,
        start=start,
        end=end,
    )


def _labels_between(first: date, last: date, label: Callable[[date], str]) -> list[str]:
    """Every year label from the one holding `first` to the one holding `last`, in order."""
    # Labels sort as text, and 1 June lies inside both kinds of year, so one day a year finds
    # every label in between.
    low, high = label(first), label(last)
    years = range(max(first.year - 1, 1), last.year + 1)
    between = {label(date(year, 6, 1)) for year in years} | {low, high}
    return sorted(name for name in between if low <= name <= high)
