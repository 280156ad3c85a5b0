"""Checking everything the vault holds: every custody chain and every stored file."""

import hashlib
from collections.abc import Iterator

from dontpay.domain.custody import DecryptionFailed, MissingBlob

from .custody import custody_problems
from .evidence import referenced_blob_ids
from .models import EvidenceItem, Report
from .reports import read_record
from .vault import data_key, vault


def integrity_problems() -> Iterator[str]:
    """One line per problem found, naming the report and what is wrong."""
    for report in Report.objects.order_by("pk"):
        for problem in custody_problems(report):
            yield f"{report.reference}: custody chain: {problem}"
        if report.deleted_at:
            continue
        try:
            key = data_key(report)
            read_record(report)
        except DecryptionFailed:
            yield f"{report.reference}: record or data key cannot be decrypted"
            continue
        for item in report.evidence.all():
            yield from _item_problems(report, item, key)
    referenced = referenced_blob_ids()
    for blob_id in vault().blob_ids():
        if blob_id not in referenced:
            yield f"vault: blob {blob_id} belongs to no evidence item (run `dontpay sweep`)"


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
