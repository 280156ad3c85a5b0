"""Reports: starting one, opening it again, keeping its record, and deleting it."""

import hashlib
import hmac
import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from dontpay.domain.custody import WrongPassphrase, new_data_key, unwrap_for_owner, wrap_for_owner
from dontpay.domain.reports import (
    SECTIONS,
    Section,
    check_room_for_item,
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
from .vault import data_key, open_json, seal_json, vault

#: Passphrases are 80 random bits, so guessing is slowed per client only: five free failures a
#: day, then each guess waits twice as long as the last (30 s up to an hour). A per-record
#: limit would let anyone who knows a reference lock its owner out (see docs/threat-model.md).
PASSPHRASE_GUESSES = Throttle(
    PassphraseAttempt,
    "reference",
    per_target=None,
    per_client=5,
    window=timedelta(days=1),
    first_delay=timedelta(seconds=30),
)
#: The risk-relevant triage answers, kept (encrypted) in the record for the case it may become.
TRIAGE_FLAGS = ("self_harm", "images", "paid")


@dataclass(frozen=True)
class NewReport:
    """A new report, its data key (for this request), and the passphrase to show, once."""

    report: Report
    passphrase: str
    key: bytes = field(repr=False)


@dataclass(frozen=True)
class OpenedReport:
    """A report opened with its passphrase, and its data key (for this request only)."""

    report: Report
    key: bytes = field(repr=False)


def create_report(
    jurisdiction: str = "",
    under_18: bool | None = None,
    actor: str = "person",
    answers: Mapping[str, Any] | None = None,
    language: str = "en",
) -> NewReport:
    """Start an empty, private report with a fresh reference, passphrase and data key.

    The data key is wrapped by the passphrase only, so nobody else can read the record until
    the person sends it. The triage `answers` that make a case urgent (self-harm, images
    shared, paid) are kept in the encrypted record, for the case it becomes if it is sent.
    """
    passphrase = new_passphrase()
    triage = {name: (answers or {})[name] for name in TRIAGE_FLAGS if name in (answers or {})}
    key = new_data_key()
    for _ in range(5):
        reference = new_reference()
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    reference=reference,
                    owner_wrapped_key=wrap_for_owner(
                        key, normalise_passphrase(passphrase), reference
                    ),
                    record=seal_json(key, reference, {**empty_record(), TRIAGE: triage}),
                    jurisdiction=jurisdiction,
                    language=language,
                    under_18=under_18,
                )
                record_event(report, "created", actor, {"record": record_hash(report)})
        except IntegrityError:
            continue
        return NewReport(report, passphrase, key)
    raise RuntimeError("could not find an unused reference")  # 40 random bits: never in practice


def client_fingerprint(address: str) -> str:
    """A keyed hash of a client address, so attempts can be counted without storing it. An
    IPv6 address counts by its /64, the block one household or phone is given, so a guesser
    cannot step through its own block for a fresh allowance."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        parsed = None
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is None:
        address = str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def open_report(reference_text: str, passphrase: str, client: str) -> OpenedReport | None:
    """The live report for this reference and passphrase, with its data key, or None.

    Raises `TooManyAttempts` while this client must wait before guessing again; a wrong guess
    from elsewhere never stops the owner.
    """
    reference = normalise_reference(reference_text)
    attempt = PASSPHRASE_GUESSES.count(reference, client)
    typed = normalise_passphrase(passphrase)
    report = Report.objects.filter(reference=reference, deleted_at__isnull=True).first()
    key = _unwrap(report, typed, reference)
    if report is None or key is None:
        return None
    attempt.delete()
    return OpenedReport(report, key)


def _unwrap(report: Report | None, passphrase: str, reference: str) -> bytes | None:
    """The data key if `passphrase` is right. Spends one slow derivation whatever happens, so
    timing does not reveal which references exist."""
    if report is not None and not report.owner_wrapped_key and report.passphrase_hash:
        return _upgrade_legacy(report, passphrase)
    wrapped = bytes(report.owner_wrapped_key) if report else b""
    try:
        return unwrap_for_owner(wrapped, passphrase, reference)
    except WrongPassphrase:
        return None


def _upgrade_legacy(report: Report, passphrase: str) -> bytes | None:
    """A record made before passphrase wrapping (and so already sent): check its hash, then
    give it the owner's wrapping, so the passphrase alone opens it from now on."""
    if not check_password(passphrase, report.passphrase_hash):
        return None
    key = data_key(report)
    report.owner_wrapped_key = wrap_for_owner(key, passphrase, report.reference)
    report.passphrase_hash = ""
    report.save(update_fields=["owner_wrapped_key", "passphrase_hash"])
    return key


#: Where the record keeps the triage answers that flag risk (not a section of its own).
TRIAGE = "triage"


def read_record(report: Report) -> dict[str, Any]:
    """The report's structured record, decrypted (raises `RecordNotShared` without its key)."""
    record: dict[str, Any] = open_json(data_key(report), report.reference, bytes(report.record))
    return {**empty_record(), **record}


def shared_record(report: Report) -> dict[str, Any]:
    """What the organisation may read of the record: the sections the person sent (the rest
    empty) and the triage answers the send page says go with them; nothing while it is private."""
    if not report.is_sent:
        return empty_record()
    return only_shared(report, read_record(report))


def only_shared(report: Report, record: Mapping[str, Any]) -> dict[str, Any]:
    """`record` (decrypted) with every section the person did not send emptied."""
    sent = set(report.shared_sections)
    kept = {
        s.slug: record[s.slug] if s.slug in sent else ([] if s.repeatable else {}) for s in SECTIONS
    }
    return {**kept, TRIAGE: record.get(TRIAGE) or {}}


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
        if locked.is_sent:
            refresh_risk(locked, only_shared(locked, record))
        if locked.link_consent_at:
            # Indexed only once the record is committed, so indexing can never cost the person
            # it; and only with their consent to link.
            transaction.on_commit(partial(_index_section, locked.pk, section.slug))
    report.refresh_from_db()
    return True


def _index_section(report_id: int, slug: str) -> None:
    from dontpay.intel.scanning import scan_saved_section  # intel builds on cases, not back

    scan_saved_section(report_id, slug)


def save_section(
    report: Report, section: Section, raw: dict[str, str], actor: str = "person"
) -> None:
    """Check and save a single section's answers (raises `InvalidRecord`)."""
    if section.repeatable:
        raise ValueError(f"{section.slug} holds a list of items: use add_item")
    cleaned = clean_section(section, raw)
    _change_record(report, section, actor, lambda _: cleaned)


def add_item(report: Report, section: Section, raw: dict[str, str], actor: str = "person") -> bool:
    """Add one item to a repeatable section; False if every answer was empty. Raises
    `InvalidRecord` if the section is full or an answer cannot be used."""
    if not section.repeatable:
        raise ValueError(f"{section.slug} is not a list of items")
    cleaned = clean_section(section, raw)
    if not cleaned:
        return False

    def added(items: list[Any]) -> list[Any]:
        check_room_for_item(section, items)
        return [*items, cleaned]

    return _change_record(report, section, actor, added)


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
        report.owner_wrapped_key = b""
        report.record = b""
        report.passphrase_hash = ""
        report.sent_at = None
        report.link_consent_at = None
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
