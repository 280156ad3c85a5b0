"""Financial and calendar years, written the way police forces and the Home Office write them.

The police and Home Office year runs from 1 April to 31 March and is written "2019/20"; FOI
answers often use calendar years instead. Both are labels (strings) so they can key JSON tables
and sort correctly as text.
"""

import re
from datetime import date

_FINANCIAL_YEAR = re.compile(r"(\d{4})/(\d{2})")


class InvalidPeriod(ValueError):
    """A financial-year label that is not written like "2019/20" or names no real year."""


def financial_year(day: date) -> str:
    """The financial year holding `day`: "2019/20" for 1 April 2019 to 31 March 2020.

    The second part is the last two digits of the year it ends in, so 1999/00 follows 1998/99.
    """
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start:04d}/{(start + 1) % 100:02d}"


def calendar_year(day: date) -> str:
    """The calendar year holding `day`, as text ("2019"), to key tables like financial years."""
    return f"{day.year:04d}"


def financial_year_bounds(label: str) -> tuple[date, date]:
    """The first and last day (1 April, 31 March) of a financial year written like "2019/20".

    Raises `InvalidPeriod` if the label is malformed, its two years are not consecutive
    ("2019/21"), or the year cannot be represented as dates.
    """
    match = _FINANCIAL_YEAR.fullmatch(label) if isinstance(label, str) else None
    if match is None:
        raise InvalidPeriod(f"{label!r} is not a financial year written like 2019/20")
    start = int(match[1])
    if int(match[2]) != (start + 1) % 100:
        raise InvalidPeriod(f"{label!r}: a financial year ends the year after it starts")
    try:
        return date(start, 4, 1), date(start + 1, 3, 31)
    except ValueError:
        raise InvalidPeriod(f"{label!r} is outside the years we can count") from None
