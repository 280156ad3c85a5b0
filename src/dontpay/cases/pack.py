"""The report pack: a signed ZIP a person can hand to the police or a helpline."""

import base64
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from dontpay.domain.custody import build_pack, event_as_json
from dontpay.domain.guidance import LANGUAGE_NAMES
from dontpay.domain.reports import SECTIONS, summarise, timeline

from .custody import chain_of, record_event
from .evidence import evidence_name, read_evidence
from .models import Report
from .pdf import render_pdf
from .reports import read_record
from .vault import organisation_keys

PACK_FORMAT = "dontpay-report/1"


def report_pack(report: Report, actor: str = "person", *, sent_only: bool = False) -> bytes:
    """Assemble, sign and return the report's pack; the export is recorded in its chain (and
    the record of it rolled back if the pack cannot be built). With `sent_only` (a pack made
    by staff), it holds only the sections and files the person sent."""
    with transaction.atomic():
        record_event(report, "exported", actor)
        return _build(report, sent_only)


def _build(report: Report, sent_only: bool) -> bytes:
    full = read_record(report)
    shown = set(report.shared_sections) if sent_only else {s.slug for s in SECTIONS}
    # The triage answers (kept for risk flags) are not part of what a pack reports.
    record = {
        s.slug: full[s.slug] if s.slug in shown else ([] if s.repeatable else {}) for s in SECTIONS
    }
    items = list(report.evidence.filter(shared=True) if sent_only else report.evidence.all())
    evidence = []
    members: dict[str, bytes] = {}
    for number, item in enumerate(items, start=1):
        original = read_evidence(item)
        name = evidence_name(item)
        stem = name.rsplit(".", 1)[0] if "." in name else name
        member = f"evidence/{number:02d}-{stem}{item.extension}"
        members[member] = original
        evidence.append(
            {
                "file": member,
                "name": name,
                "kind": item.kind,
                "media_type": item.media_type,
                "size": item.size,
                "sha256": item.sha256,
                "width": item.width,
                "height": item.height,
                "uploaded_at": item.created_at.isoformat(),
                "thumbnail": read_evidence(item, thumbnail=True)
                if item.thumbnail_blob_id
                else None,
            }
        )
    chain = chain_of(report)
    document = {
        "format": PACK_FORMAT,
        "reference": report.reference,
        "created_at": report.created_at.isoformat(),
        "exported_at": timezone.now().isoformat(),
        "jurisdiction": report.jurisdiction or None,
        "language": report.language,
        "under_18": report.under_18,
        "record": record,
        "evidence": [{k: v for k, v in e.items() if k != "thumbnail"} for e in evidence],
        "custody_head": {"sequence": chain[-1].sequence, "hash": chain[-1].hash},
        "public_key_fingerprint": organisation_keys().public_key_fingerprint(),
    }
    members["report.json"] = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()
    members["report.pdf"] = _pdf(document, evidence, record)
    members["custody.jsonl"] = "".join(event_as_json(e) + "\n" for e in chain).encode()
    return build_pack(members, organisation_keys())


def _pdf(document: dict[str, Any], evidence: list[dict[str, Any]], record: dict[str, Any]) -> bytes:
    """The human-readable report, from a Django template (thumbnails embedded as data: URIs)."""
    sections = [
        {
            "section": section,
            "items": record[section.slug]
            if section.repeatable
            else ([record[section.slug]] if record[section.slug] else []),
        }
        for section in SECTIONS
    ]
    for item in evidence:
        if item["thumbnail"]:
            item["thumbnail_uri"] = "data:image/jpeg;base64," + base64.b64encode(
                item["thumbnail"]
            ).decode("ascii")
    return render_pdf(
        "cases/report_pdf.html",
        {
            "report": document,
            "summary": summarise(record),
            "timeline": timeline(record),
            "sections": sections,
            "evidence": evidence,
            "language_name": LANGUAGE_NAMES.get(document["language"], ("English",))[0],
        },
    )
