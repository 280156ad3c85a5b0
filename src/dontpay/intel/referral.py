"""The cluster referral pack: one cluster, signed, for police to act on.

The same signed bundle as a report pack (`build_pack`, docs/report-pack.md), holding
``referral.json`` (the cluster explained, its indicators, the timeline and each report),
``referral.pdf`` (the same, to read), ``cluster.graphml`` and, per sent report, its custody
chain under ``reports/<reference>/``. Per report it holds only what the author sent: the sections
they ticked, described files (never the files), and for a report linked but not sent, its
opaque label alone. Making one is recorded in the chain of every sent report it holds.
"""

import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dontpay.cases.custody import chain_of, record_event
from dontpay.cases.models import Report
from dontpay.cases.pdf import render_pdf
from dontpay.cases.vault import organisation_keys
from dontpay.domain.correlate import ClusterExplanation
from dontpay.domain.correlate.graphml import cluster_graphml
from dontpay.domain.correlate.referral import (
    EvidenceDescription,
    ReferralIndicator,
    ReferredReport,
    custody_member,
    referable_indicators,
    referral_document,
    referral_timeline,
)
from dontpay.domain.custody import build_pack, event_as_json
from dontpay.domain.reports import SECTIONS

from .clusters import explain_cluster
from .exports import ExportedIndicator, cluster_indicators, organisation_name
from .forms import TYPE_NAMES

#: The kind of export recorded in each sent report's custody chain.
EXPORTED_AS = "cluster-referral"


@dataclass(frozen=True)
class ReferralPack:
    """A built pack, the references of the sent reports whose content it holds, and the ids of
    all the reports it holds (sent or linked only)."""

    data: bytes
    sent_references: tuple[str, ...]
    report_ids: tuple[int, ...]


def referral_indicators(indicators: list[ExportedIndicator]) -> list[ReferralIndicator]:
    """The cluster's exported indicators as the referral and its graph show them, each with
    what it is (`enrichment`: type of number, network, bank, domain…) as its details."""
    return [
        ReferralIndicator(
            type=i.type,
            value=i.value,
            qualifier=i.qualifier,
            flagged=i.flagged,
            first_seen=i.first_seen,
            seen_in=i.seen_in,
            details=i.enrichment,
        )
        for i in indicators
    ]


def graphml_export(explanation: ClusterExplanation) -> bytes:
    """The cluster graph as GraphML: its reports and exported indicators."""
    return cluster_graphml(explanation, referral_indicators(cluster_indicators(explanation)))


def referral_pack(cluster_id: int, actor: str) -> ReferralPack:
    """Build and sign the cluster's referral pack; raises `EmptyCluster` if there is none.

    The export is chained in every sent report it holds before their chains are copied in, and
    rolled back with them if the pack cannot be built.
    """
    with transaction.atomic():
        explanation = explain_cluster(cluster_id)
        by_id = Report.objects.in_bulk([report.id for report in explanation.reports])
        referred = []
        chains: dict[str, bytes] = {}
        for member in explanation.reports:
            report = by_id[member.id]
            if not report.is_sent:
                referred.append(ReferredReport.linked_only(member.reference))
                continue
            record_event(report, "exported", actor, {"as": EXPORTED_AS, "cluster": cluster_id})
            chain = chain_of(report)
            referred.append(_sent(report, (chain[-1].sequence, chain[-1].hash)))
            chains[custody_member(report.reference)] = "".join(
                event_as_json(event) + "\n" for event in chain
            ).encode()
        return ReferralPack(
            data=_pack(explanation, referred, chains),
            sent_references=tuple(report.reference for report in referred if report.sent),
            report_ids=tuple(report.id for report in explanation.reports),
        )


def _sent(report: Report, custody_head: tuple[int, str]) -> ReferredReport:
    # Imported here: cases.reports indexes records, so it imports the intel app.
    from dontpay.cases.reports import shared_record

    shared = shared_record(report)
    sent_sections = set(report.shared_sections)
    return ReferredReport(
        reference=report.reference,
        sent=True,
        reported_at=report.created_at,
        sent_at=report.sent_at,
        jurisdiction=report.jurisdiction,
        under_18=report.under_18,
        record={s.slug: shared[s.slug] for s in SECTIONS if s.slug in sent_sections},
        evidence=tuple(
            EvidenceDescription(i.kind, i.media_type, i.size, i.sha256, i.created_at)
            for i in report.evidence.filter(shared=True)
        ),
        custody_head=custody_head,
    )


def _pack(
    explanation: ClusterExplanation, referred: list[ReferredReport], chains: dict[str, bytes]
) -> bytes:
    keys = organisation_keys()
    indicators = referable_indicators(
        referral_indicators(cluster_indicators(explanation)),
        (report.reference for report in referred if report.sent),
    )
    document = referral_document(
        explanation,
        indicators,
        referred,
        organisation=organisation_name(),
        exported_at=timezone.now(),
        public_key_fingerprint=keys.public_key_fingerprint(),
    )
    members = {
        **chains,
        "referral.json": (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode(),
        "cluster.graphml": cluster_graphml(explanation, indicators),
        "referral.pdf": render_pdf(
            "intel/referral_pdf.html",
            {
                "referral": document,
                "cluster": explanation,
                "indicators": indicators,
                "timeline": referral_timeline(referred, indicators),
                "reports": [_shown(report) for report in referred],
                "type_names": TYPE_NAMES,
            },
        ),
    }
    return build_pack(members, keys)


def _shown(report: ReferredReport) -> dict[str, object]:
    """A report for the PDF: its sent sections with their fields' labels, in record order."""
    sections = []
    for section in SECTIONS:
        if section.slug not in report.record:
            continue
        answers = report.record[section.slug]
        items = answers if section.repeatable else ([answers] if answers else [])
        sections.append({"section": section, "items": items})
    return {"report": report, "sections": sections}
