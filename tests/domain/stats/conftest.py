"""The West Midlands fixture and a helper to build case CSVs row by row."""

import io
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from dontpay.domain.stats import HEADER, CaseRecord, read_case_csv

FIXTURE = Path(__file__).parents[2] / "fixtures" / "west_midlands_foi.csv"

#: A row every column of which is valid; tests change one value at a time.
GOOD_ROW: dict[str, str] = {
    "reference": "WMP-2019-0001",
    "recorded_on": "2019-05-02",
    "offence": "blackmail",
    "payment_made": "yes",
    "amount_paid": "250.00",
    "currency": "GBP",
    "suspect_identified": "no",
    "outcome_code": "18",
    "outcome_date": "2019-06-01",
    "victim_age_band": "18-24",
    "platforms": "skype;facebook",
}


def case_csv(rows: Iterable[Mapping[str, str]], header: str = ",".join(HEADER)) -> io.StringIO:
    """A CSV file in memory: the header, then each row (GOOD_ROW with the given changes)."""
    lines = [header]
    for changes in rows:
        row = {**GOOD_ROW, **changes}
        lines.append(",".join(_quoted(row[column]) for column in HEADER))
    return io.StringIO("\r\n".join(lines) + "\r\n", newline="")


def _quoted(value: str) -> str:
    return f'"{value}"' if any(c in value for c in ',"\n') else value


@pytest.fixture
def west_midlands() -> list[CaseRecord]:
    """The 29 records of the West Midlands Police webcam-blackmail FOI fixture."""
    with FIXTURE.open(newline="", encoding="utf-8-sig") as stream:
        return list(read_case_csv(stream))
