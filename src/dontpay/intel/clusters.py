"""Clusters as analysts see them: the list, one cluster explained, and indicator search."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Max, Min

from dontpay.cases.models import Case, Report
from dontpay.domain.correlate import (
    ClusterExplanation,
    ClusterReport,
    EmptyCluster,
    IndicatorRow,
    MoneyRow,
    RelatedReport,
    explain,
)
from dontpay.domain.indicators.explain import read_query

from .linking import fuzzy_links
from .models import ClusterMembership, Indicator, ReportIndicator

#: Most indicators a search lists.
SEARCH_LIMIT = 100


@dataclass(frozen=True)
class ClusterSummary:
    """One row of the cluster list."""

    id: int
    size: int
    first_seen: datetime
    last_seen: datetime
    indicator_count: int
    platforms: tuple[str, ...]
    flagged: bool


@dataclass(frozen=True)
class IndicatorHit:
    """A stored indicator that matches a search, with the clusters it is in."""

    key: str
    type: str
    value: str
    qualifier: str
    report_count: int
    flagged_at: datetime | None
    warninglisted: bool
    cluster_ids: tuple[int, ...]


def cluster_list(limit: int = 100, offset: int = 0) -> list[ClusterSummary]:
    """Clusters of two or more reports, largest first, then most recently seen."""
    rows = list(
        ClusterMembership.objects.values("cluster")
        .annotate(
            size=Count("report"),
            first_seen=Min("report__created_at"),
            last_seen=Max("report__created_at"),
        )
        .filter(size__gte=2)
        .order_by("-size", "-last_seen", "cluster")[offset : offset + limit]
    )
    ids = [row["cluster"] for row in rows]
    mentions = ReportIndicator.objects.filter(
        report__cluster_membership__cluster__in=ids, indicator__warninglisted=False
    )
    counts = dict(
        mentions.values("report__cluster_membership__cluster")
        .annotate(indicators=Count("indicator", distinct=True))
        .values_list("report__cluster_membership__cluster", "indicators")
    )
    flagged = set(
        mentions.filter(indicator__flagged_at__isnull=False).values_list(
            "report__cluster_membership__cluster", flat=True
        )
    )
    platforms: dict[int, set[str]] = {cluster: set() for cluster in ids}
    for cluster, platform in (
        mentions.filter(indicator__type="handle")
        .values_list("report__cluster_membership__cluster", "indicator__qualifier")
        .distinct()
    ):
        platforms[cluster].add(platform)
    return [
        ClusterSummary(
            id=row["cluster"],
            size=row["size"],
            first_seen=row["first_seen"],
            last_seen=row["last_seen"],
            indicator_count=counts.get(row["cluster"], 0),
            platforms=tuple(sorted(platforms[row["cluster"]])),
            flagged=row["cluster"] in flagged,
        )
        for row in rows
    ]


def explain_cluster(cluster_id: int) -> ClusterExplanation:
    """Which indicators join which reports of the cluster, and what the reports add up to.

    Decrypts what each member's author sent of their record, for amounts and platforms (a
    member that is linked but not sent adds its indicators only); raises `EmptyCluster` if
    there is no such cluster.
    """
    # Imported here: cases.reports indexes records, so it imports the intel app.
    from dontpay.cases.reports import shared_record

    members = list(
        Report.objects.filter(cluster_membership__cluster=cluster_id, deleted_at__isnull=True)
    )
    if not members:
        raise EmptyCluster(f"there is no cluster {cluster_id}")
    indicators = [
        IndicatorRow(
            report_id=row["report_id"],
            key=row["indicator__key"],
            type=row["indicator__type"],
            value=row["indicator__value"],
            qualifier=row["indicator__qualifier"],
            flagged=row["indicator__flagged_at"] is not None,
        )
        for row in ReportIndicator.objects.filter(
            report__in=members, indicator__warninglisted=False
        ).values(
            "report_id",
            "indicator__key",
            "indicator__type",
            "indicator__value",
            "indicator__qualifier",
            "indicator__flagged_at",
        )
    ]
    imported_paid = {
        case.report_id: case
        for case in Case.objects.filter(report__in=members, amount_paid__isnull=False)
    }
    money: list[MoneyRow] = []
    platforms: set[str] = set()
    for report in members:
        record = shared_record(report)  # only what was sent; nothing of a linked private one
        demanded = _money(report.pk, "demanded", record["demands"])
        paid = _money(report.pk, "paid", record["payments"])
        case = imported_paid.get(report.pk)
        if not paid and case is not None and case.amount_paid is not None:
            paid = [MoneyRow(report.pk, "paid", case.amount_paid, case.currency or "GBP")]
        money += demanded + paid
        platforms |= {str(item["platform"]) for item in record["who"] if item.get("platform")}
    member_ids = {report.pk for report in members}
    related = [
        RelatedReport(member, link)
        for member in sorted(member_ids)
        for link in fuzzy_links(member)
        if link.report_id not in member_ids
    ]
    return explain(
        cluster_id,
        [
            ClusterReport(r.pk, r.staff_label, r.created_at, r.jurisdiction, r.is_sent)
            for r in members
        ],
        indicators,
        money,
        platforms,
        related,
    )


def _money(report_id: int, kind: str, items: list[dict[str, str]]) -> list[MoneyRow]:
    rows = []
    for item in items:
        try:
            amount = Decimal(item.get("amount", ""))
        except InvalidOperation:
            continue
        rows.append(MoneyRow(report_id, kind, amount, item.get("currency") or "unknown"))
    return rows


def search_indicators(query: str, region: str = "GB") -> list[IndicatorHit]:
    """Stored indicators matching `query`: canonicalised as reports are when it reads as an
    indicator (any spelling of a phone number finds it), otherwise by part of the value."""
    # A bare name could be a handle on any platform: it is found by part of the value below.
    keys = {indicator.key for indicator in read_query(query, region).indicators}
    matching = Indicator.objects.filter(key__in=keys)
    if not matching.exists() and query.strip():
        matching = Indicator.objects.filter(value__icontains=query.strip().lstrip("@$"))
    found = list(matching.order_by("-report_count", "key")[:SEARCH_LIMIT])
    clusters: dict[int, set[int]] = {indicator.pk: set() for indicator in found}
    for indicator_id, cluster in (
        ReportIndicator.objects.filter(
            indicator__in=found, report__cluster_membership__isnull=False
        )
        .values_list("indicator_id", "report__cluster_membership__cluster")
        .distinct()
    ):
        clusters[indicator_id].add(cluster)
    return [
        IndicatorHit(
            key=i.key,
            type=i.type,
            value=i.value,
            qualifier=i.qualifier,
            report_count=i.report_count,
            flagged_at=i.flagged_at,
            warninglisted=i.warninglisted,
            cluster_ids=tuple(sorted(clusters[i.pk])),
        )
        for i in found
    ]
