"""Cases as statistics: FOI tables from the case records, and importing historic records."""

from collections.abc import Collection, Iterator, Sequence
from datetime import date
from itertools import islice
from pathlib import Path

from django.db import transaction

from dontpay.domain.stats import CaseRecord, FoiTables, check_case_csv, foi_tables, read_case_csv

from .models import Case

IMPORT_BATCH = 2_000


def case_records() -> Iterator[CaseRecord]:
    """Every case with a recorded date, as the statistics see it (no victim data involved)."""
    for case in Case.objects.exclude(recorded_on=None).order_by("pk").iterator(chunk_size=2_000):
        assert case.recorded_on is not None
        yield CaseRecord(
            reference=case.reference,
            recorded_on=case.recorded_on,
            offence=case.offence or "blackmail",
            payment_made=bool(case.payment_made),
            amount_paid=case.amount_paid,
            currency=case.currency,
            suspect_identified=bool(case.suspect_identified),
            outcome_code=case.outcome_code,
            outcome_date=case.outcome_date,
            victim_age_band=case.victim_age_band or "unknown",
            platforms=tuple(case.platforms),
        )


def statistics(
    start: date | None = None, end: date | None = None, suppress_below: int = 0
) -> FoiTables:
    """FOI tables over every recorded case, counted by recorded date."""
    return foi_tables(case_records(), start=start, end=end, suppress_below=suppress_below)


def _already_imported(references: Sequence[str]) -> Collection[str]:
    return set(Case.objects.filter(reference__in=references).values_list("reference", flat=True))


def import_cases(path: Path) -> int:
    """Import historic case records from CSV: all rows or none (raises `ImportRefused`).

    The file is read twice, streaming: once to find every problem, once to insert in batches
    inside one transaction, so memory stays flat however long the file is.
    """
    with path.open(newline="", encoding="utf-8-sig") as stream:
        check_case_csv(stream, already_imported=_already_imported).raise_if_refused()
    imported = 0
    with transaction.atomic(), path.open(newline="", encoding="utf-8-sig") as stream:
        records = read_case_csv(stream)
        while batch := list(islice(records, IMPORT_BATCH)):
            Case.objects.bulk_create(_case(record) for record in batch)
            imported += len(batch)
    return imported


def _case(record: CaseRecord) -> Case:
    return Case(
        reference=record.reference,
        status=Case.CLOSED if record.outcome_code else Case.IN_PROGRESS,
        offence=record.offence,
        recorded_on=record.recorded_on,
        outcome_code=record.outcome_code,
        outcome_date=record.outcome_date,
        payment_made=record.payment_made,
        amount_paid=record.amount_paid,
        currency=record.currency,
        suspect_identified=record.suspect_identified,
        victim_age_band=record.victim_age_band,
        platforms=list(record.platforms),
        imported=True,
    )
