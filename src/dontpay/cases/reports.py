"""Reports: starting one, opening it again, keeping its record, and deleting it."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta
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

from .custody import record_event
from .models import PassphraseAttempt, Report
from .vault import data_key, open_json, seal_json, vault, wrapped_new_data_key

#: Failed passphrases allowed within `THROTTLE_WINDOW`, per report and per client.
MAX_FAILURES_PER_REFERENCE = 5
MAX_FAILURES_PER_CLIENT = 20
THROTTLE_WINDOW = timedelta(minutes=15)


class TooManyAttempts(Exception):
    """Opening reports is paused for this reference or this client."""


@dataclass(frozen=True)
class NewReport:
    """A new report and the passphrase to show its author, once."""

    report: Report
    passphrase: str


def create_report(
    jurisdiction: str = "", under_18: bool | None = None, actor: str = "person"
) -> NewReport:
    """Start an empty report with a fresh reference, passphrase and data key."""
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
                record_event(report, "created", actor)
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
    since = timezone.now() - THROTTLE_WINDOW
    recent = PassphraseAttempt.objects.filter(at__gte=since)
    if (
        recent.filter(reference=reference).count() >= MAX_FAILURES_PER_REFERENCE
        or recent.filter(client=client).count() >= MAX_FAILURES_PER_CLIENT
    ):
        raise TooManyAttempts
    report = Report.objects.filter(reference=reference, deleted_at__isnull=True).first()
    # Hash even when there is no such report, so timing does not reveal which references exist.
    stored = report.passphrase_hash if report else make_password("no such report")
    if check_password(normalise_passphrase(passphrase), stored) and report:
        return report
    PassphraseAttempt.objects.create(reference=reference, client=client)
    return None


def read_record(report: Report) -> dict[str, Any]:
    """The report's structured record, decrypted."""
    record: dict[str, Any] = open_json(data_key(report), report.reference, bytes(report.record))
    return {**empty_record(), **record}


def _write_record(report: Report, record: dict[str, Any], section_slug: str, actor: str) -> None:
    report.record = seal_json(data_key(report), report.reference, record)
    with transaction.atomic():
        report.save(update_fields=["record", "updated_at"])
        record_event(report, "field-changed", actor, {"section": section_slug})


def save_section(
    report: Report, section: Section, raw: dict[str, str], actor: str = "person"
) -> None:
    """Check and save a single section's answers (raises `InvalidRecord`)."""
    cleaned = clean_section(section, raw)
    record = read_record(report)
    if record.get(section.slug) != cleaned:
        record[section.slug] = cleaned
        _write_record(report, record, section.slug, actor)


def add_item(report: Report, section: Section, raw: dict[str, str], actor: str = "person") -> bool:
    """Add one item to a repeatable section; False if every answer was empty."""
    cleaned = clean_section(section, raw)
    if not cleaned:
        return False
    record = read_record(report)
    record[section.slug] = [*record.get(section.slug, []), cleaned]
    _write_record(report, record, section.slug, actor)
    return True


def remove_item(report: Report, section: Section, index: int, actor: str = "person") -> None:
    """Remove the item at `index` from a repeatable section, if there is one."""
    record = read_record(report)
    items = list(record.get(section.slug, []))
    if 0 <= index < len(items):
        del items[index]
        record[section.slug] = items
        _write_record(report, record, section.slug, actor)


def delete_report(report: Report, actor: str = "person") -> None:
    """Destroy the report's data key and files; its custody chain stays, as a tombstone."""
    blob_ids = [
        blob
        for item in report.evidence.all()
        for blob in (item.blob_id, item.thumbnail_blob_id)
        if blob
    ]
    with transaction.atomic():
        report.evidence.all().delete()
        report.wrapped_key = b""
        report.record = b""
        report.deleted_at = timezone.now()
        report.save(update_fields=["wrapped_key", "record", "deleted_at", "updated_at"])
        record_event(report, "deleted", actor)
    store = vault()
    for blob_id in blob_ids:
        store.remove(blob_id)
