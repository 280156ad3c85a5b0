"""Why a cluster is a cluster: which indicators join which reports, and what it adds up to.

Built from plain rows so that the analyst pages and the STIX/MISP exports explain a cluster the
same way, whatever database the rows came from.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

PROFILE_PHOTO, SCRIPT = "profile-photo", "script"


@dataclass(frozen=True)
class FuzzyLink:
    """Another report that looks related without sharing an indicator; scored, never merged.

    `similarity` is the estimated Jaccard similarity of the pasted messages for a script link,
    and 1 - distance/256 for a profile photo link, whose PDQ `distance` is also given.
    """

    report_id: int
    kind: str
    similarity: float
    distance: int | None = None


@dataclass(frozen=True)
class ClusterReport:
    """A report in the cluster, as the analyst sees it in the list."""

    id: int
    reference: str
    created_at: datetime
    jurisdiction: str
    #: Whether the report was sent, so staff have a case to open; otherwise it is only linked.
    has_case: bool = True


@dataclass(frozen=True)
class IndicatorRow:
    """One report mentions one indicator (its canonical key, type, value, platform or network)."""

    report_id: int
    key: str
    type: str
    value: str
    qualifier: str = ""
    flagged: bool = False


@dataclass(frozen=True)
class MoneyRow:
    """An amount a report says was demanded or paid."""

    report_id: int
    kind: str  # "demanded" or "paid"
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class SharedIndicator:
    """An indicator that joins two or more reports of the cluster."""

    key: str
    type: str
    value: str
    qualifier: str
    flagged: bool
    report_ids: tuple[int, ...]
    references: tuple[str, ...]


@dataclass(frozen=True)
class RelatedReport:
    """A fuzzy link from a member of the cluster to another report."""

    member_id: int
    link: FuzzyLink


@dataclass(frozen=True)
class ClusterExplanation:
    """Everything that explains one cluster."""

    cluster_id: int
    reports: tuple[ClusterReport, ...]
    shared_indicators: tuple[SharedIndicator, ...]
    indicator_count: int
    first_seen: datetime
    last_seen: datetime
    demanded: dict[str, Decimal]
    paid: dict[str, Decimal]
    platforms: tuple[str, ...]
    jurisdictions: tuple[str, ...]
    fuzzy_links: tuple[RelatedReport, ...]

    @property
    def flagged(self) -> bool:
        """Whether a joining value is shared by so many reports that it needs checking."""
        return any(shared.flagged for shared in self.shared_indicators)


class EmptyCluster(ValueError):
    """A cluster needs at least one report to be explained."""


def explain(
    cluster_id: int,
    reports: Iterable[ClusterReport],
    indicators: Iterable[IndicatorRow],
    money: Iterable[MoneyRow] = (),
    platforms: Iterable[str] = (),
    fuzzy_links: Iterable[RelatedReport] = (),
) -> ClusterExplanation:
    """Explain a cluster from its members and their rows."""
    members = sorted(reports, key=lambda report: (report.created_at, report.id))
    if not members:
        raise EmptyCluster(f"cluster {cluster_id} has no reports")
    reference = {report.id: report.reference for report in members}
    mentioned_by: dict[str, set[int]] = defaultdict(set)
    described: dict[str, IndicatorRow] = {}
    for row in indicators:
        mentioned_by[row.key].add(row.report_id)
        described[row.key] = row
    shared = []
    for key, report_ids in mentioned_by.items():
        if len(report_ids) < 2:
            continue
        row = described[key]
        ordered = tuple(sorted(report_ids))
        shared.append(
            SharedIndicator(
                key,
                row.type,
                row.value,
                row.qualifier,
                row.flagged,
                ordered,
                tuple(reference.get(i, "") for i in ordered),
            )
        )
    shared.sort(key=lambda item: (-len(item.report_ids), item.key))
    totals: dict[str, dict[str, Decimal]] = {"demanded": {}, "paid": {}}
    for amount in money:
        by_currency = totals[amount.kind]
        by_currency[amount.currency] = by_currency.get(amount.currency, Decimal(0)) + amount.amount
    qualifiers = {row.qualifier for row in described.values() if row.type == "handle"}
    return ClusterExplanation(
        cluster_id=cluster_id,
        reports=tuple(members),
        shared_indicators=tuple(shared),
        indicator_count=len(mentioned_by),
        first_seen=members[0].created_at,
        last_seen=members[-1].created_at,
        demanded=dict(sorted(totals["demanded"].items())),
        paid=dict(sorted(totals["paid"].items())),
        platforms=tuple(sorted({*platforms, *qualifiers} - {""})),
        jurisdictions=tuple(sorted({r.jurisdiction for r in members} - {""})),
        fuzzy_links=tuple(fuzzy_links),
    )
