"""Reports: starting one, opening it again, keeping its record, and deleting it."""

import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from dontpay.domain.reports import (
    Section,
    clean_section,
    empty_record,
    new_passphrase,
    new_reference,
    normalise_reference,
)
from dontpay.domain.reports.references import normalise_passphrase

from .casefiles import refresh_risk
from .custody import record_event
from .models import PassphraseAttempt, Report
from .throttle import Throttle
from .vault import data_key, open_json, seal_json, vault, wrapped_new_data_key

#: Failed passphrases allowed within 15 minutes, per report and per client.
MAX_FAILURES_PER_REFERENCE = 5
PASSPHRASE_GUESSES = Throttle(
    PassphraseAttempt, "reference", per_target=MAX_FAILURES_PER_REFERENCE, per_client=20
)


@dataclass(frozen=True)
class NewReport:
    """A new report and the passphrase to show its author, once."""

    report: Report
    passphrase: str


def create_report(
    jurisdiction: str = "",
    under_18: bool | None = None,
    actor: str = "person",
    answers: Mapping[str, Any] | None = None,
) -> NewReport:
    """Start an empty report with a fresh reference, passphrase and data key, and open its
    case with risk flags from the person's triage `answers` (self-harm, images shared, paid)."""
    passphrase = new_passphrase()
    for _ in range(5):
        reference = new_reference()
        key, wrapped = wrapped_new_data_key(reference)
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    reference=reference,
                    passphrase_hash=make_password(normalise_passphrase(passphrase)),
                    wrapped_key=wrapped,
                    record=seal_json(key, reference, empty_record()),
                    jurisdiction=jurisdiction,
                    under_18=under_18,
                )
                record_event(report, "created", actor, {"record": record_hash(report)})
                refresh_risk(report, empty_record(), answers or {})
        except IntegrityError:
            continue
        return NewReport(report, passphrase)
    raise RuntimeError("could not find an unused reference")  # 40 random bits: never in practice


def client_fingerprint(address: str) -> str:
    """A keyed hash of a client address, so attempts can be counted without storing it."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def open_report(reference_text: str, passphrase: str, client: str) -> Report | None:
    """The live report for this reference and passphrase, or None; throttles guessing.

    Raises `TooManyAttempts` once a reference or a client has failed too often recently.
    """
    reference = normalise_reference(reference_text)
    attempt = PASSPHRASE_GUESSES.count(reference, client)
    report = Report.objects.filter(reference=reference, deleted_at__isnull=True).first()
    # Hash even when there is no such report, so timing does not reveal which references exist.
    stored = report.passphrase_hash if report else make_password("no such report")
    if check_password(normalise_passphrase(passphrase), stored) and report:
        attempt.delete()
        return report
    return None


def read_record(report: Report) -> dict[str, Any]:
    """The report's structured record, decrypted."""
    record: dict[str, Any] = open_json(data_key(report), report.reference, bytes(report.record))
    return {**empty_record(), **record}


def record_hash(report: Report) -> str:
    """SHA-256 of the stored (encrypted) record: chained, so an old copy put back is noticed."""
    return hashlib.sha256(bytes(report.record)).hexdigest()


def _change_record(
    report: Report, section: Section, actor: str, change: Callable[[Any], Any]
) -> bool:
    """Apply `change` to one section under a row lock, so concurrent saves never lose each
    other's work; the new record and its custody event are committed together."""
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        record = read_record(locked)
        before = record[section.slug]
        after = change(before)
        if after == before:
            return False
        record[section.slug] = after
        locked.record = seal_json(data_key(locked), locked.reference, record)
        locked.save(update_fields=["record", "updated_at"])
        record_event(
            locked, "field-changed", actor, {"section": section.slug, "record": record_hash(locked)}
        )
        refresh_risk(locked, record, {})
        # Indexed only once the record is committed, so indexing can never cost the person it.
        transaction.on_commit(partial(_index_record, locked.pk))
    report.refresh_from_db()
    return True


def _index_record(report_id: int) -> None:
    from dontpay.intel.scanning import scan_saved_record  # intel builds on cases, not back

    scan_saved_record(report_id)


def save_section(
    report: Report, section: Section, raw: dict[str, str], actor: str = "person"
) -> None:
    """Check and save a single section's answers (raises `InvalidRecord`)."""
    if section.repeatable:
        raise ValueError(f"{section.slug} holds a list of items: use add_item")
    cleaned = clean_section(section, raw)
    _change_record(report, section, actor, lambda _: cleaned)


def add_item(report: Report, section: Section, raw: dict[str, str], actor: str = "person") -> bool:
    """Add one item to a repeatable section; False if every answer was empty."""
    if not section.repeatable:
        raise ValueError(f"{section.slug} is not a list of items")
    cleaned = clean_section(section, raw)
    if not cleaned:
        return False
    return _change_record(report, section, actor, lambda items: [*items, cleaned])


def remove_item(report: Report, section: Section, index: int, actor: str = "person") -> None:
    """Remove the item at `index` from a repeatable section, if there is one."""
    if not section.repeatable:
        raise ValueError(f"{section.slug} is not a list of items")
    _change_record(
        report, section, actor, lambda items: [it for n, it in enumerate(items) if n != index]
    )


def delete_report(report: Report, actor: str = "person") -> None:
    """Destroy everything the person gave: data key, record, files, and the custody events that
    described them (hashes of deleted files must not outlive the files). What remains is a
    tombstone: the reference, and a new chain of one signed "deleted" event."""
    blob_ids = [
        blob
        for item in report.evidence.all()
        for blob in (item.blob_id, item.thumbnail_blob_id)
        if blob
    ]
    with transaction.atomic():
        report.evidence.all().delete()
        erased = report.custody.count()
        report.custody.all().delete()
        report.wrapped_key = b""
        report.record = b""
        report.passphrase_hash = ""
        report.jurisdiction = ""
        report.under_18 = None
        report.deleted_at = timezone.now()
        report.save()
        record_event(report, "deleted", actor, {"events_erased": erased})
        from dontpay.intel.linking import unindex_report  # intel builds on cases, not back

        unindex_report(report)
    store = vault()
    for blob_id in blob_ids:
        store.remove(blob_id)
