"""The columns of a case CSV: how each value is written, read and checked against the others.

Values are read strictly (dates as YYYY-MM-DD, yes/no, amounts like 250.00) because a value a
person meant differently from how we read it would change a published count without anyone
noticing. Words (offence, age band, yes/no) are read case-insensitively, since spreadsheets
capitalise them.
"""

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from .outcomes import OUTCOMES, outcome_contradicts_suspect
from .records import AGE_BANDS, OFFENCES, CaseRecord

#: The columns of a case CSV, in order; the header must be exactly these.
HEADER: tuple[str, ...] = (
    "reference",
    "recorded_on",
    "offence",
    "payment_made",
    "amount_paid",
    "currency",
    "suspect_identified",
    "outcome_code",
    "outcome_date",
    "victim_age_band",
    "platforms",
)
MAX_REFERENCE_LENGTH = 40
#: Digits before the decimal point of an amount (a database column holds 12 digits, 2 after it).
MAX_AMOUNT_DIGITS = 10

# ASCII only: \d would otherwise accept digits from other scripts, which Decimal and int read.
_REFERENCE = re.compile(r"[A-Za-z0-9/_-]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_AMOUNT = re.compile(r"(\d+)(?:\.(\d{1,2}))?", re.ASCII)
_TOO_PRECISE = re.compile(r"\d+\.\d{3,}", re.ASCII)
_CURRENCY = re.compile(r"[A-Z]{3}")
_OUTCOME_CODE = re.compile(r"\d{1,2}", re.ASCII)


class BadValue(ValueError):
    """One value that cannot be read; the message is the reason, without the column name."""


class InvalidColumns(ValueError):
    """A row's values that cannot be read or contradict each other: reason by column."""

    def __init__(self, reasons: dict[str, str]) -> None:
        self.reasons = reasons
        super().__init__("; ".join(f"{column}: {why}" for column, why in reasons.items()))


def shown(value: str, limit: int = 40) -> str:
    """A value quoted for a message, cut short so one bad cell cannot flood the report."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def record_from_columns(cells: Mapping[str, str]) -> CaseRecord:
    """Read one row (column name to stripped text) as a record.

    Raises `InvalidColumns` with every problem in the row, so a person fixes a row once.
    """
    # Most rows are good, so read straight through; only a bad row is read again, column by
    # column, to collect every reason.
    try:
        reference = parse_reference(cells["reference"])
        recorded_on = parse_date(cells["recorded_on"])
        offence = parse_offence(cells["offence"])
        payment_made = parse_yes_no(cells["payment_made"])
        amount_paid = parse_amount(cells["amount_paid"])
        currency = parse_currency(cells["currency"])
        suspect_identified = parse_yes_no(cells["suspect_identified"])
        outcome_code = parse_outcome_code(cells["outcome_code"])
        outcome_date = parse_optional_date(cells["outcome_date"])
        victim_age_band = parse_age_band(cells["victim_age_band"])
        platforms = parse_platforms(cells["platforms"])
    except BadValue:
        raise InvalidColumns(_every_reason(cells)) from None
    contradictions = _contradictions(
        cells,
        recorded_on,
        payment_made,
        amount_paid,
        suspect_identified,
        outcome_code,
        outcome_date,
    )
    if contradictions:
        raise InvalidColumns(contradictions)
    return CaseRecord(
        reference=reference,
        recorded_on=recorded_on,
        offence=offence,
        payment_made=payment_made,
        amount_paid=amount_paid if payment_made else None,
        currency=currency,
        suspect_identified=suspect_identified,
        outcome_code=outcome_code,
        outcome_date=outcome_date,
        victim_age_band=victim_age_band,
        platforms=platforms,
    )


def _every_reason(cells: Mapping[str, str]) -> dict[str, str]:
    """Every problem in a row, by column in header order: bad values, then contradictions."""
    reasons: dict[str, str] = {}
    parsed: dict[str, Any] = {}
    for column, parse in PARSERS.items():
        try:
            parsed[column] = parse(cells[column])
        except BadValue as bad:
            reasons[column] = str(bad)
    contradictions = _contradictions(
        cells,
        parsed.get("recorded_on"),
        parsed.get("payment_made"),
        parsed.get("amount_paid"),
        parsed.get("suspect_identified"),
        parsed.get("outcome_code"),
        parsed.get("outcome_date"),
    )
    for column, reason in contradictions.items():
        reasons.setdefault(column, reason)
    return {column: reasons[column] for column in HEADER if column in reasons}


def _contradictions(
    cells: Mapping[str, str],
    recorded_on: date | None,
    payment_made: bool | None,
    amount_paid: Decimal | None,
    suspect_identified: bool | None,
    outcome_code: int | None,
    outcome_date: date | None,
) -> dict[str, str]:
    """Values that are each fine but cannot go together (None: that value could not be read)."""
    reasons: dict[str, str] = {}
    if payment_made is False and amount_paid:
        reasons["amount_paid"] = "must be empty or 0 when payment_made is no"
    if outcome_code is not None and outcome_code != 0 and cells["outcome_date"] == "":
        reasons["outcome_date"] = f"is required when outcome_code is {outcome_code} (not 0)"
    if outcome_date is not None and recorded_on is not None and outcome_date < recorded_on:
        reasons["outcome_date"] = f"{outcome_date} is before recorded_on ({recorded_on})"
    if outcome_code is not None and suspect_identified is not None:
        contradiction = outcome_contradicts_suspect(outcome_code, suspect_identified)
        if contradiction:
            reasons["suspect_identified"] = contradiction
    return {column: reasons[column] for column in HEADER if column in reasons}


def parse_reference(value: str) -> str:
    """A reference: up to 40 letters, digits, '-', '_' or '/' (crime numbers have slashes)."""
    if not value:
        raise BadValue("is required")
    if len(value) > MAX_REFERENCE_LENGTH:
        raise BadValue(f"{shown(value)} is longer than {MAX_REFERENCE_LENGTH} characters")
    if not _REFERENCE.fullmatch(value):
        raise BadValue(f"{shown(value)} may hold only letters, digits, '-', '_' and '/'")
    return value


def parse_date(value: str) -> date:
    """A date written YYYY-MM-DD, the one form no spreadsheet locale reads two ways."""
    if not value:
        raise BadValue("is required (YYYY-MM-DD)")
    if not _DATE.fullmatch(value):
        raise BadValue(f"{shown(value)} is not a date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadValue(f"{shown(value)} is not a real date (YYYY-MM-DD)") from None


def parse_optional_date(value: str) -> date | None:
    """A date (YYYY-MM-DD) or nothing."""
    return parse_date(value) if value else None


def parse_offence(value: str) -> str:
    """One of `OFFENCES`, in any case."""
    return _one_of(value, OFFENCES)


def parse_age_band(value: str) -> str:
    """One of `AGE_BANDS`, in any case; empty means "unknown"."""
    return _one_of(value, AGE_BANDS) if value else "unknown"


def parse_yes_no(value: str) -> bool:
    """yes or no, in any case."""
    answer = value.lower()
    if answer in ("yes", "no"):
        return answer == "yes"
    raise BadValue(f"{shown(value)} is not yes or no" if value else "is required (yes or no)")


def parse_amount(value: str) -> Decimal | None:
    """Nothing, or an amount like 250 or 250.00: no sign, separators, symbols or exponents."""
    if not value:
        return None
    match = _AMOUNT.fullmatch(value)
    if match is None:
        if value.startswith("-"):
            raise BadValue(f"{shown(value)} is negative")
        if _TOO_PRECISE.fullmatch(value):
            raise BadValue(f"{shown(value)} has more than 2 decimal places")
        raise BadValue(f"{shown(value)} is not an amount like 250 or 250.00")
    if len(match[1].lstrip("0")) > MAX_AMOUNT_DIGITS:
        raise BadValue(f"{shown(value)} is too large")
    return Decimal(value)


def parse_currency(value: str) -> str:
    """Nothing, or an ISO 4217 currency code in capitals (GBP, USD, EUR)."""
    if value and not _CURRENCY.fullmatch(value):
        raise BadValue(f"{shown(value)} is not a three-letter currency code in capitals, like GBP")
    return value


def parse_outcome_code(value: str) -> int:
    """A Home Office outcome type, 0 to 22 (0 while none is assigned)."""
    if not value:
        raise BadValue("is required (0 to 22; 0 if not yet assigned)")
    if _OUTCOME_CODE.fullmatch(value) and int(value) in OUTCOMES:
        return int(value)
    hint = "; write 1A, 2A and 3A as 1, 2 and 3" if re.fullmatch(r"[123][aA]", value) else ""
    raise BadValue(f"{shown(value)} is not a Home Office outcome type from 0 to 22{hint}")


def parse_platforms(value: str) -> tuple[str, ...]:
    """Platform names separated by semicolons, lower-cased, each once; empty means none."""
    if not value:
        return ()
    names = [name.strip().lower() for name in value.split(";")]
    if not all(names):
        raise BadValue(f"{shown(value)} has an empty name between semicolons")
    return tuple(dict.fromkeys(names))


def _one_of(value: str, allowed: tuple[str, ...]) -> str:
    if value.lower() in allowed:
        return value.lower()
    problem = f"{shown(value)} is not one of" if value else "is required, one of"
    raise BadValue(f"{problem}: {'; '.join(allowed)}")


#: How each column is read, in header order.
PARSERS: dict[str, Callable[[str], Any]] = {
    "reference": parse_reference,
    "recorded_on": parse_date,
    "offence": parse_offence,
    "payment_made": parse_yes_no,
    "amount_paid": parse_amount,
    "currency": parse_currency,
    "suspect_identified": parse_yes_no,
    "outcome_code": parse_outcome_code,
    "outcome_date": parse_optional_date,
    "victim_age_band": parse_age_band,
    "platforms": parse_platforms,
}
assert tuple(PARSERS) == HEADER
