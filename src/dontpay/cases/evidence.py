"""Evidence items: checked, encrypted and stored byte-for-byte, then recorded and chained."""

import hashlib
from collections.abc import Sequence
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Sum

from dontpay.domain.custody import decrypt, encrypt
from dontpay.domain.evidence import (
    CheckedEvidence,
    EvidenceLimits,
    EvidenceRejected,
    check_evidence,
    make_thumbnail,
    safe_file_name,
)
from dontpay.domain.evidence.checked import SCREENSHOT

from .custody import record_event
from .models import EvidenceItem, Report
from .vault import data_key, vault


class EvidenceCorrupted(Exception):
    """A stored file no longer matches the hash recorded when it was uploaded."""


def evidence_limits() -> EvidenceLimits:
    """The limits in force, from settings."""
    return EvidenceLimits(
        max_file_bytes=settings.DONTPAY_EVIDENCE_MAX_FILE_MB * 2**20,
        max_report_bytes=settings.DONTPAY_EVIDENCE_MAX_REPORT_MB * 2**20,
    )


def stored_bytes(report: Report) -> int:
    """How much evidence the report already holds."""
    return int(report.evidence.aggregate(total=Sum("size"))["total"] or 0)


def add_evidence(report: Report, name: str, data: bytes, actor: str = "person") -> EvidenceItem:
    """Add one file (see `add_evidence_many`); raises `EvidenceRejected` if it is refused."""
    (result,) = add_evidence_many(report, [(name, data)], actor)
    if isinstance(result, EvidenceRejected):
        raise result
    return result


def add_evidence_many(
    report: Report, uploads: Sequence[tuple[str, bytes]], actor: str = "person"
) -> list[EvidenceItem | EvidenceRejected]:
    """Check files, store the accepted ones encrypted (with thumbnails for screenshots), then
    record them; one result per upload, in order: the new item, or why it was refused.

    Nothing is stored for a refused file. Files are durable before their rows are written, so
    an item that exists is always whole; a crash in between leaves only unreferenced blobs,
    which `sweep_orphans` removes. The accepted files are stored concurrently.
    """
    limits, stored = evidence_limits(), stored_bytes(report)
    results: list[CheckedEvidence | EvidenceRejected] = []
    thumbnails: dict[int, bytes] = {}
    for index, (_, data) in enumerate(uploads):
        try:
            checked = check_evidence(
                data,
                limits=limits,
                already_stored_bytes=stored,
                screenshots_only=report.screenshots_only,
            )
            if checked.kind == "screenshot":
                thumbnails[index] = make_thumbnail(data)
        except EvidenceRejected as refused:
            results.append(refused)
            continue
        stored += len(data)
        results.append(checked)
    accepted = [i for i, result in enumerate(results) if isinstance(result, CheckedEvidence)]
    key = data_key(report)
    blobs = vault().store_many(
        key,
        [uploads[i][1] for i in accepted] + [thumbnails[i] for i in accepted if i in thumbnails],
    )
    originals = dict(zip(accepted, blobs[: len(accepted)], strict=True))
    previews = dict(
        zip([i for i in accepted if i in thumbnails], blobs[len(accepted) :], strict=True)
    )
    items: list[EvidenceItem | EvidenceRejected] = []
    for index, result in enumerate(results):
        if isinstance(result, EvidenceRejected):
            items.append(result)
            continue
        blob, preview = originals[index], previews.get(index)
        name = safe_file_name(uploads[index][0], fallback_stem=f"evidence{result.extension}")
        with transaction.atomic():  # the row and its custody event stand or fall together
            item = EvidenceItem.objects.create(
                report=report,
                blob_id=blob.blob_id,
                thumbnail_blob_id=preview.blob_id if preview else "",
                kind=result.kind,
                media_type=result.media_type,
                extension=result.extension,
                size=blob.size,
                sha256=blob.sha256,
                name=encrypt(key, name.encode(), blob.blob_id.encode()),
                width=result.width,
                height=result.height,
            )
            record_event(
                report,
                "item-added",
                actor,
                {
                    "item": item.pk,
                    "sha256": blob.sha256,
                    "size": blob.size,
                    "type": result.media_type,
                },
            )
        items.append(item)
    return items


def _index_text_again(report_id: int) -> None:
    from dontpay.intel.scanning import scan_remaining_screenshot_texts  # intel builds on cases

    scan_remaining_screenshot_texts(report_id)


def read_evidence(item: EvidenceItem, *, thumbnail: bool = False) -> bytes:
    """The original file (or its thumbnail), decrypted and checked against its recorded hash."""
    key = data_key(item.report)
    if thumbnail:
        return vault().open(key, item.thumbnail_blob_id)
    data = vault().open(key, item.blob_id)
    if hashlib.sha256(data).hexdigest() != item.sha256:
        raise EvidenceCorrupted(item.pk)
    return data


def evidence_name(item: EvidenceItem) -> str:
    """The item's file name as uploaded (made safe)."""
    return decrypt(data_key(item.report), bytes(item.name), item.blob_id.encode()).decode()


def remove_evidence(item: EvidenceItem, actor: str = "person") -> None:
    """Delete an item and its files, recording that it was removed."""
    report = item.report
    blob_ids = [b for b in (item.blob_id, item.thumbnail_blob_id) if b]
    detail: dict[str, str | int] = {"item": item.pk, "sha256": item.sha256}
    with transaction.atomic():
        had_text = item.kind == SCREENSHOT
        item.delete()
        record_event(report, "item-removed", actor, detail)
        if had_text:  # what was read from it must stop linking the report
            transaction.on_commit(partial(_index_text_again, report.pk))
    for blob_id in blob_ids:
        vault().remove(blob_id)


def referenced_blob_ids() -> set[str]:
    """Every blob some evidence row points at, and the referral packs waiting for download."""
    from dontpay.intel.prepared_referrals import prepared_blob_ids  # intel builds on cases

    rows = EvidenceItem.objects.values_list("blob_id", "thumbnail_blob_id")
    return {blob for pair in rows for blob in pair if blob} | prepared_blob_ids()


def sweep_orphans(grace_seconds: float = 3600.0) -> int:
    """Remove blobs no row points at (left by a crash between file and row), and temp files.

    Only blobs older than `grace_seconds` are touched, so an upload whose file is written but
    whose row is not yet committed is never swept away. Returns how many files were removed.
    """
    store = vault()
    referenced = referenced_blob_ids()
    orphans = [b for b in store.blob_ids(older_than=grace_seconds) if b not in referenced]
    for blob_id in orphans:
        store.remove(blob_id)
    return len(orphans) + store.remove_temporaries(older_than=grace_seconds)
