"""Checking everything the vault holds: every custody chain and every stored file.

A record that was never sent (or was withdrawn) can be decrypted by its owner only, so for it
the check is of what needs no key: its chain, that its rows match the chain, and that its files
are present. Whether their bytes are intact shows when the owner next opens them.
"""

import hashlib
from collections.abc import Iterator

from dontpay.domain.custody import DecryptionFailed, MissingBlob

from .custody import chain_of, custody_problems
from .evidence import referenced_blob_ids
from .models import EvidenceItem, Report
from .reports import read_record, record_hash
from .vault import can_read, data_key, vault


def integrity_problems() -> Iterator[str]:
    """One line per problem found, naming the report and what is wrong."""
    for report in Report.objects.order_by("pk"):
        for problem in custody_problems(report):
            yield f"{report.reference}: custody chain: {problem}"
        if report.deleted_at:
            continue
        if not can_read(report):
            yield from _chain_matches_rows(report)
            yield from _files_present(report)
            continue
        try:
            key = data_key(report)
            read_record(report)
        except DecryptionFailed:
            yield f"{report.reference}: record or data key cannot be decrypted"
            continue
        yield from _chain_matches_rows(report)
        for item in report.evidence.all():
            yield from _item_problems(report, item, key)
    referenced = referenced_blob_ids()
    for blob_id in vault().blob_ids():
        if blob_id not in referenced:
            yield (
                f"vault: blob {blob_id} belongs to no evidence item or referral pack "
                "(run `dontpay sweep`)"
            )


def _chain_matches_rows(report: Report) -> Iterator[str]:
    """The chain says which record and which files the report should hold: check the rows."""
    events = chain_of(report)
    recorded = [e.detail["record"] for e in events if "record" in e.detail]
    if recorded and recorded[-1] != record_hash(report):
        yield f"{report.reference}: record is not the one last recorded in the custody chain"
    expected: dict[int, str] = {}
    for event in events:
        if event.kind == "item-added":
            expected[int(event.detail["item"])] = str(event.detail["sha256"])
        elif event.kind == "item-removed":
            expected.pop(int(event.detail["item"]), None)
    present = {item.pk: item.sha256 for item in report.evidence.all()}
    for pk in sorted(expected.keys() - present.keys()):
        yield f"{report.reference}: evidence item {pk} is in the custody chain but missing"
    for pk in sorted(present.keys() - expected.keys()):
        yield f"{report.reference}: evidence item {pk} is not in the custody chain"
    for pk in sorted(expected.keys() & present.keys()):
        if expected[pk] != present[pk]:
            yield f"{report.reference}: evidence item {pk} does not match its custody record"


def _files_present(report: Report) -> Iterator[str]:
    stored = set(vault().blob_ids())
    for item in report.evidence.all():
        for blob_id, what in ((item.blob_id, "file"), (item.thumbnail_blob_id, "thumbnail")):
            if blob_id and blob_id not in stored:
                where = f"{report.reference}: evidence item {item.pk}"
                yield f"{where}: {what} is missing from the vault"


def _item_problems(report: Report, item: EvidenceItem, key: bytes) -> Iterator[str]:
    where = f"{report.reference}: evidence item {item.pk}"
    for blob_id, what in ((item.blob_id, "file"), (item.thumbnail_blob_id, "thumbnail")):
        if not blob_id:
            continue
        try:
            data = vault().open(key, blob_id)
        except MissingBlob:
            yield f"{where}: {what} is missing from the vault"
            continue
        except DecryptionFailed:
            yield f"{where}: {what} has been altered or damaged (decryption failed)"
            continue
        if what == "file" and hashlib.sha256(data).hexdigest() != item.sha256:
            yield f"{where}: file does not match its recorded SHA-256"
