"""A cluster referral: one cluster as police can act on it, from plain values.

The referral pack's ``referral.json``, its PDF and its GraphML are all made from the values
here, so they say the same thing. What each report contributes is decided before it arrives:
a report its author sent carries the sections they sent and nothing else; a report they let
link but never sent is its opaque label alone (`ReferredReport.linked_only`), so nothing of its
record can come out, because nothing of it goes in.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..reports import timeline
from .explanation import ClusterExplanation

#: The layout of ``referral.json``; a change to it gets a new number.
REFERRAL_FORMAT = "dontpay-cluster-referral/1"


@dataclass(frozen=True)
class ReferralIndicator:
    """One offender indicator of the cluster, and when each report (by label) first mentioned it.

    `details` is free-form (name: text) for what is known of the value beyond itself, such as a
    phone number's type and carrier, a wallet's network or an IBAN's bank. The pack prints
    whatever it holds, so enrichment fills it without a change of format.
    """

    type: str
    value: str
    qualifier: str
    flagged: bool
    first_seen: datetime
    seen_in: Mapping[str, datetime]
    details: Mapping[str, str] = field(default_factory=dict)

    @property
    def references(self) -> tuple[str, ...]:
        return tuple(sorted(self.seen_in))


@dataclass(frozen=True)
class EvidenceDescription:
    """A file its author sent, described but not included: the file itself leaves only in the
    report's own pack, which a caseworker makes."""

    kind: str
    media_type: str
    size: int
    sha256: str
    uploaded_at: datetime


@dataclass(frozen=True)
class ReferredReport:
    """One report of the cluster as the referral shows it.

    `record` holds only the sections its author sent (by slug); `custody_head` is the sequence
    and hash of the last event of its chain, which the pack carries beside it.
    """

    reference: str
    sent: bool
    reported_at: datetime | None = None
    sent_at: datetime | None = None
    jurisdiction: str = ""
    under_18: bool | None = None
    record: Mapping[str, Any] = field(default_factory=dict)
    evidence: tuple[EvidenceDescription, ...] = ()
    custody_head: tuple[int, str] | None = None

    @classmethod
    def linked_only(cls, label: str) -> "ReferredReport":
        """A report whose author agreed to linking but did not send it: its label, no more."""
        return cls(reference=label, sent=False)

    @property
    def custody_file(self) -> str | None:
        """Where the pack keeps the report's custody chain (sent reports only)."""
        return custody_member(self.reference) if self.custody_head else None


@dataclass(frozen=True)
class ReferralTimelineEntry:
    """Something that happened, when (a date, a time as typed, or a UTC moment), and in which
    report; an empty `reference` is an event of the cluster as a whole."""

    when: str
    reference: str
    what: str


def referable_indicators(
    indicators: Iterable[ReferralIndicator], sent_references: Iterable[str]
) -> list[ReferralIndicator]:
    """The indicators a referral may hold: those a sent report mentions, and those that link two
    or more reports. A value only an unsent report mentions stays out: its author agreed to
    linking, not to sending, so the pack shows their offender details only where they link."""
    sent = set(sent_references)
    return [
        indicator
        for indicator in indicators
        if len(indicator.seen_in) > 1 or sent.intersection(indicator.seen_in)
    ]


def custody_member(reference: str) -> str:
    """The pack member that holds one report's custody chain."""
    return f"reports/{reference}/custody.jsonl"


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


def referral_timeline(
    reports: Iterable[ReferredReport], indicators: Iterable[ReferralIndicator]
) -> list[ReferralTimelineEntry]:
    """Every dated fact of the sent reports, and when each linking indicator was first
    mentioned, oldest first."""
    entries: list[ReferralTimelineEntry] = []
    for report in reports:
        if not report.sent:
            continue
        if report.reported_at:
            entries.append(
                ReferralTimelineEntry(
                    _moment(report.reported_at), report.reference, "Report started"
                )
            )
        if report.sent_at:
            entries.append(
                ReferralTimelineEntry(
                    _moment(report.sent_at), report.reference, "Report sent to the organisation"
                )
            )
        entries += [
            ReferralTimelineEntry(entry.when, report.reference, entry.what)
            for entry in timeline(report.record)
        ]
    for indicator in indicators:
        later = len(indicator.seen_in) - 1
        if later < 1:
            continue
        first = min(indicator.references, key=indicator.seen_in.__getitem__)
        value = indicator.value
        label = f"{indicator.qualifier} {value}" if indicator.qualifier else value
        what = indicator.type.replace("_", " ")
        entries.append(
            ReferralTimelineEntry(
                _moment(indicator.seen_in[first]),
                first,
                f"First mention of {what} {label}, later in {later} more "
                f"report{'s' if later > 1 else ''}",
            )
        )
    # Stable: within a moment and a report, a report starts before it is sent.
    return sorted(entries, key=lambda entry: (entry.when, entry.reference))


def referral_document(
    explanation: ClusterExplanation,
    indicators: Iterable[ReferralIndicator],
    reports: Iterable[ReferredReport],
    *,
    organisation: str,
    exported_at: datetime,
    public_key_fingerprint: str,
) -> dict[str, Any]:
    """``referral.json``: the cluster explained, its indicators, the timeline and its reports."""
    indicators = list(indicators)
    reports = list(reports)
    return {
        "format": REFERRAL_FORMAT,
        "cluster": explanation.cluster_id,
        "organisation": organisation,
        "exported_at": _moment(exported_at),
        "public_key_fingerprint": public_key_fingerprint,
        "summary": {
            "reports": len(explanation.reports),
            "reports_sent": sum(report.sent for report in reports),
            "first_seen": _moment(explanation.first_seen),
            "last_seen": _moment(explanation.last_seen),
            "demanded": {
                currency: str(amount) for currency, amount in explanation.demanded.items()
            },
            "paid": {currency: str(amount) for currency, amount in explanation.paid.items()},
            "platforms": _platforms(indicators, reports),
            "jurisdictions": list(explanation.jurisdictions),
            "indicator_count": explanation.indicator_count,
        },
        "links": [
            {
                "type": shared.type,
                "value": shared.value,
                "platform_or_network": shared.qualifier,
                "common_value": shared.flagged,
                "reports": list(shared.references),
            }
            for shared in explanation.shared_indicators
        ],
        "indicators": [
            {
                "type": indicator.type,
                "value": indicator.value,
                "platform_or_network": indicator.qualifier,
                "common_value": indicator.flagged,
                "first_seen": _moment(indicator.first_seen),
                "seen_in": {
                    reference: _moment(indicator.seen_in[reference])
                    for reference in indicator.references
                },
                "details": dict(indicator.details),
            }
            for indicator in indicators
        ],
        "timeline": [
            {"when": entry.when, "report": entry.reference, "what": entry.what}
            for entry in referral_timeline(reports, indicators)
        ],
        "reports": [_report_entry(report) for report in reports],
    }


def _platforms(
    indicators: Iterable[ReferralIndicator], reports: Iterable[ReferredReport]
) -> list[str]:
    """The platforms of the offender accounts the pack holds: named in a sent report's record,
    or as the platform of a handle it refers (not of one only an unsent report mentions)."""
    named = {
        str(account["platform"])
        for report in reports
        for account in report.record.get("who", ())
        if account.get("platform")
    }
    handles = {indicator.qualifier for indicator in indicators if indicator.type == "handle"}
    return sorted((named | handles) - {""})


def _report_entry(report: ReferredReport) -> dict[str, Any]:
    if not report.sent:
        return {"reference": report.reference, "sent": False}
    return {
        "reference": report.reference,
        "sent": True,
        "reported_at": _moment(report.reported_at) if report.reported_at else None,
        "sent_at": _moment(report.sent_at) if report.sent_at else None,
        "jurisdiction": report.jurisdiction or None,
        "under_18": report.under_18,
        "sections_sent": list(report.record),
        "record": dict(report.record),
        "evidence": [
            {
                "kind": item.kind,
                "media_type": item.media_type,
                "size": item.size,
                "sha256": item.sha256,
                "uploaded_at": _moment(item.uploaded_at),
            }
            for item in report.evidence
        ],
        "custody": report.custody_file,
        "custody_head": {"sequence": report.custody_head[0], "hash": report.custody_head[1]}
        if report.custody_head
        else None,
    }
