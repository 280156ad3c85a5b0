"""FOI tables as JSON, with small numbers suppressed: the form `dontpay stats foi --json` prints."""

from typing import Any

from .foi import Cell, FoiTables, YearCounts


def suppressed(count: int, below: int) -> Cell:
    """`count` as published: "<5" for 1 to 4 when `below` is 5; zero and larger counts as is.

    Zero stays 0 because "none" identifies nobody, and FOI answers conventionally show it.
    """
    if below > 1 and 0 < count < below:
        return f"<{below}"
    return count


def counts_as_json(counts: YearCounts, below: int = 0) -> dict[str, Any]:
    """One period's counts as a JSON object, with counts under `below` suppressed."""
    return {
        "reports": suppressed(counts.reports, below),
        "payment_made": suppressed(counts.payment_made, below),
        "suspect_identified": suppressed(counts.suspect_identified, below),
        "outcomes": {code: suppressed(n, below) for code, n in counts.outcomes.items()},
        "outcome_groups": {
            group: suppressed(n, below) for group, n in counts.outcome_groups.items()
        },
    }


def as_json(tables: FoiTables) -> dict[str, Any]:
    """The tables as a JSON-ready dict, years sorted, counts suppressed as the tables ask."""
    below = tables.suppress_below
    return {
        "basis": tables.basis,
        "suppressed_below": below or None,
        "by_financial_year": {
            year: counts_as_json(tables.by_financial_year[year], below)
            for year in sorted(tables.by_financial_year)
        },
        "by_calendar_year": {
            year: counts_as_json(tables.by_calendar_year[year], below)
            for year in sorted(tables.by_calendar_year)
        },
        "total": counts_as_json(tables.total, below),
    }
