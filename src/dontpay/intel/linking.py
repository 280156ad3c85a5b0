"""The report↔indicator index, and clusters kept current as reports are indexed.

`index_report` makes a report's indicators from one source (its record, pasted messages, or
screenshot text) current, then relinks it. Relinking a new report is incremental and
set-based: one query for the reports sharing any of its indicators, one for their clusters, one
update renaming the clusters it merges. Only when a report may have lost indicators is its old
cluster recomputed, since it may have split. `recluster_all` recomputes every cluster from the
index on demand (`dontpay recluster`).
"""

import hashlib
import hmac
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from dontpay.cases.models import Report
from dontpay.domain.correlate import (
    NEAR_DUPLICATE,
    PROFILE_PHOTO,
    SAME_PHOTO_DISTANCE,
    SCRIPT,
    FuzzyLink,
    band_buckets,
    linked_reports,
    minhash,
    pdq_bits,
    pdq_distances,
    similarity,
)
from dontpay.domain.correlate.scripts import from_bytes, to_bytes

from .models import (
    ClusterMembership,
    Indicator,
    ProfilePhoto,
    ReportIndicator,
    ScriptBand,
    ScriptSignature,
)
from .warninglist import current_warninglist

#: Values shared by at least this many reports are flagged for an analyst to check.
DEFAULT_COMMON_INDICATOR_REPORTS = 25
#: The advisory lock that serialises changes to clusters on PostgreSQL ("dplink").
_LINKING_LOCK = 0x64_70_6C_69_6E_6B
#: Payment accounts a person is told about ("reported before"): where the money goes.
PAYMENT_TYPES = ("crypto_address", "iban", "bank_account")
PAYMENT_PLATFORMS = ("paypal", "cashapp", "venmo", "revolut")


class FoundIndicator(Protocol):
    """An indicator as `dontpay.domain.indicators` finds it."""

    @property
    def type(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def platform(self) -> str | None: ...
    @property
    def network(self) -> str | None: ...
    @property
    def key(self) -> str: ...


@dataclass(frozen=True)
class ClusteringSummary:
    """What a full recompute found and changed."""

    reports_indexed: int
    linked_reports: int
    clusters: int
    reports_moved: int
    seconds: float


def index_report(report: Report, source: str, indicators: Iterable[FoundIndicator]) -> None:
    """Make `indicators` the report's complete set for `source` (ReportIndicator.RECORD,
    MESSAGES or OCR), keep report counts and flags current, and relink the report.

    Warninglisted values are indexed but never link, so removing an entry links them again.
    For MESSAGES, the script signature of the pasted messages is refreshed as well.
    """
    if source not in dict(ReportIndicator.SOURCES):
        raise ValueError(f"source must be one of {', '.join(dict(ReportIndicator.SOURCES))}")
    found = {indicator.key: indicator for indicator in indicators}
    with transaction.atomic():
        wanted = set(_indicator_ids(found.values()).values())
        held = set(
            ReportIndicator.objects.filter(report=report, source=source).values_list(
                "indicator_id", flat=True
            )
        )
        gone, new = held - wanted, wanted - held
        if gone:
            ReportIndicator.objects.filter(
                report=report, source=source, indicator_id__in=gone
            ).delete()
        ReportIndicator.objects.bulk_create(
            ReportIndicator(report=report, indicator_id=i, source=source) for i in new
        )
        _recount(gone | new)
    if source == ReportIndicator.MESSAGES:
        # Imported here: saving a record (in cases.reports) is what calls index_report.
        from dontpay.cases.reports import read_record

        index_script(report, str(read_record(report)["messages"].get("text", "")))
    if gone or new:
        link_report(report.pk, may_split=bool(gone))


def unindex_report(report: Report) -> None:
    """Take a deleted report out of the index, its clusters and its counts; values that no
    other report mentions are deleted with it, since they came from the person's record."""
    with transaction.atomic():
        held = set(
            ReportIndicator.objects.filter(report=report).values_list("indicator_id", flat=True)
        )
        ReportIndicator.objects.filter(report=report).delete()
        ScriptBand.objects.filter(report=report).delete()
        ScriptSignature.objects.filter(report=report).delete()
        Indicator.objects.filter(pk__in=held, report_links__isnull=True).delete()
        _recount(held)
        link_report(report.pk)


def _indicator_ids(found: Iterable[FoundIndicator]) -> dict[str, int]:
    """The row id of each indicator, creating rows for values never seen before."""
    by_key = {indicator.key: indicator for indicator in found}
    if not by_key:
        return {}
    ids = dict(Indicator.objects.filter(key__in=by_key).values_list("key", "id"))
    missing = [indicator for key, indicator in by_key.items() if key not in ids]
    if missing:
        warninglist = current_warninglist()
        Indicator.objects.bulk_create(
            [
                Indicator(
                    type=i.type,
                    qualifier=i.platform or i.network or "",
                    value=i.value,
                    key=i.key,
                    warninglisted=warninglist.matches(i.type, i.value, i.platform or ""),
                )
                for i in missing
            ],
            ignore_conflicts=True,
        )
        ids.update(
            Indicator.objects.filter(key__in=[i.key for i in missing]).values_list("key", "id")
        )
    return ids


def _recount(indicator_ids: set[int]) -> None:
    """Recount the live reports mentioning each indicator, and flag the unusually common."""
    if not indicator_ids:
        return
    reports = (
        ReportIndicator.objects.filter(indicator=OuterRef("pk"))
        .values("indicator")
        .annotate(reports=Count("report", distinct=True))
        .values("reports")
    )
    Indicator.objects.filter(pk__in=indicator_ids).update(
        report_count=Coalesce(Subquery(reports), 0)
    )
    threshold = getattr(
        settings, "DONTPAY_COMMON_INDICATOR_REPORTS", DEFAULT_COMMON_INDICATOR_REPORTS
    )
    Indicator.objects.filter(
        pk__in=indicator_ids, report_count__gte=threshold, flagged_at__isnull=True
    ).update(flagged_at=timezone.now())


def link_report(report_id: int, *, may_split: bool = True) -> int | None:
    """Relink one report: its cluster id (the smallest report id in it), or None if it shares
    no indicator with another report.

    Pass `may_split=False` when the report only gained indicators: then clusters can only
    merge, and the work is a few set-based queries whatever the size of the index.
    """
    with transaction.atomic():
        _serialise_linking()
        linkable = ReportIndicator.objects.filter(
            report_id=report_id, indicator__warninglisted=False
        ).values("indicator_id")
        neighbours = set(
            ReportIndicator.objects.filter(indicator_id__in=Subquery(linkable))
            .exclude(report_id=report_id)
            .values_list("report_id", flat=True)
            .distinct()
        )
        memberships = dict(
            ClusterMembership.objects.select_for_update()
            .filter(report_id__in=[report_id, *neighbours])
            .values_list("report_id", "cluster")
        )
        if may_split and report_id in memberships:
            return _recompute(report_id, {*memberships.values()}, neighbours)
        if not neighbours:
            return memberships.get(report_id)
        clusters = set(memberships.values())
        target = min(report_id, *neighbours, *clusters)
        if clusters - {target}:
            ClusterMembership.objects.filter(cluster__in=clusters - {target}).update(cluster=target)
        ClusterMembership.objects.bulk_create(
            ClusterMembership(report_id=member, cluster=target)
            for member in {report_id, *neighbours} - memberships.keys()
        )
        return target


def _serialise_linking() -> None:
    """Let one transaction at a time change clusters, so two reports linked at the same moment
    can neither rename a cluster under each other nor insert the same membership twice.

    PostgreSQL: a transaction-scoped advisory lock. SQLite needs nothing: its transactions
    begin by taking the database's single write lock (settings: IMMEDIATE).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LINKING_LOCK])


def _recompute(report_id: int, clusters: set[int], neighbours: set[int]) -> int | None:
    """Recompute the components of these clusters and reports, which may have split: only the
    report changed, so together they are closed under linking."""
    members = set(
        ClusterMembership.objects.filter(cluster__in=clusters).values_list("report_id", flat=True)
    )
    region = members | neighbours | {report_id}
    rows = np.array(
        ReportIndicator.objects.filter(report_id__in=region, indicator__warninglisted=False)
        .values_list("report_id", "indicator_id")
        .distinct(),
        dtype=np.int64,
    ).reshape(-1, 2)
    reports, labels = linked_reports(rows[:, 0], rows[:, 1])
    ClusterMembership.objects.filter(report_id__in=region).delete()
    ClusterMembership.objects.bulk_create(
        ClusterMembership(report_id=r, cluster=c)
        for r, c in zip(reports.tolist(), labels.tolist(), strict=True)
    )
    placed = dict(zip(reports.tolist(), labels.tolist(), strict=True))
    return placed.get(report_id)


def recluster_all() -> ClusteringSummary:
    """Recompute every cluster from the index: connected components of the live reports'
    linkable indicators."""
    started = time.perf_counter()
    with transaction.atomic():
        _serialise_linking()
        rows = ReportIndicator.objects.filter(
            indicator__warninglisted=False, report__deleted_at__isnull=True
        ).values_list("report_id", "indicator_id")
        flat = np.fromiter(
            (value for row in rows.iterator(chunk_size=20_000) for value in row), dtype=np.int64
        ).reshape(-1, 2)
        reports, labels = linked_reports(flat[:, 0], flat[:, 1])
        before = dict(ClusterMembership.objects.values_list("report_id", "cluster"))
        after = dict(zip(reports.tolist(), labels.tolist(), strict=True))
        moved = sum(1 for r in before.keys() | after.keys() if before.get(r) != after.get(r))
        ClusterMembership.objects.all().delete()
        ClusterMembership.objects.bulk_create(
            (ClusterMembership(report_id=r, cluster=c) for r, c in after.items()),
            batch_size=5_000,
        )
    return ClusteringSummary(
        reports_indexed=int(np.unique(flat[:, 0]).size),
        linked_reports=len(after),
        clusters=len(set(after.values())),
        reports_moved=moved,
        seconds=time.perf_counter() - started,
    )


def times_reported_before(
    report: Report, keys: Iterable[str] = (), *, indexed: bool = True
) -> list[tuple[Indicator, int]]:
    """For each payment account in this report, how many other live reports mention it.

    The accounts are the canonical `keys` found in its record now, looked up and never stored,
    and, if `indexed` (the author agreed to linking), the report's own indexed ones. Only a
    count, never which reports: this is shown to the person who made the report.
    """
    payment = Q(type__in=PAYMENT_TYPES) | Q(type="handle", qualifier__in=PAYMENT_PLATFORMS)
    wanted = Q(key__in=list(keys))
    if indexed:
        wanted |= Q(pk__in=ReportIndicator.objects.filter(report=report).values("indicator_id"))
    candidates = Indicator.objects.filter(wanted)
    indicators = list(candidates.filter(payment, warninglisted=False).order_by("id"))
    others = dict(
        ReportIndicator.objects.filter(indicator__in=indicators, report__deleted_at__isnull=True)
        .exclude(report=report)
        .values("indicator_id")
        .annotate(reports=Count("report", distinct=True))
        .values_list("indicator_id", "reports")
    )
    counted = [(indicator, others.get(indicator.pk, 0)) for indicator in indicators]
    return sorted(counted, key=lambda pair: -pair[1])


def script_key() -> bytes:
    """The key script shingles are hashed with, derived from the secret key: if the secret key
    changes, signatures made before no longer match new ones until they are made again."""
    return hmac.new(
        settings.SECRET_KEY.encode(), b"dontpay script minhash", hashlib.sha256
    ).digest()


def index_script(report: Report, text: str) -> None:
    """Keep the MinHash signature and LSH bands of the report's pasted messages current."""
    signature = minhash(text, script_key())
    with transaction.atomic():
        ScriptBand.objects.filter(report=report).delete()
        if signature is None:
            ScriptSignature.objects.filter(report=report).delete()
            return
        ScriptSignature.objects.update_or_create(
            report=report, defaults={"minhash": to_bytes(signature)}
        )
        ScriptBand.objects.bulk_create(
            ScriptBand(report=report, band=band, bucket=bucket)
            for band, bucket in enumerate(band_buckets(signature))
        )


def fuzzy_links(report_id: int) -> list[FuzzyLink]:
    """Other reports with the same profile photo or a near-duplicate script, best first.

    Scored separately and never merged into clusters: a look-alike is a lead, not a link.
    """
    links = _photo_links(report_id) + _script_links(report_id)
    return sorted(links, key=lambda link: (-link.similarity, link.report_id, link.kind))


def _photo_links(report_id: int) -> list[FuzzyLink]:
    # Only reports whose authors agreed to linking are compared, on both sides.
    consenting = ProfilePhoto.objects.filter(report__link_consent_at__isnull=False)
    mine = list(consenting.filter(report_id=report_id).values_list("pdq", flat=True))
    if not mine:
        return []
    others = list(consenting.exclude(report_id=report_id).values_list("report_id", "pdq"))
    if not others:
        return []
    owners = np.array([owner for owner, _ in others], dtype=np.int64)
    hashes = pdq_bits([pdq for _, pdq in others])
    nearest = np.min([pdq_distances(pdq, hashes) for pdq in mine], axis=0)
    best: dict[int, int] = {}
    for owner, distance in zip(owners.tolist(), nearest.tolist(), strict=True):
        if distance <= SAME_PHOTO_DISTANCE and distance < best.get(owner, 257):
            best[owner] = distance
    return [
        FuzzyLink(owner, PROFILE_PHOTO, 1 - distance / 256, distance)
        for owner, distance in best.items()
    ]


def _script_links(report_id: int) -> list[FuzzyLink]:
    signature = ScriptSignature.objects.filter(report_id=report_id).first()
    if signature is None:
        return []
    buckets = ScriptBand.objects.filter(report_id=report_id).values_list("band", "bucket")
    same_bucket = Q()
    for band, bucket in buckets:
        same_bucket |= Q(band=band, bucket=bucket)
    candidates = (
        ScriptBand.objects.filter(same_bucket).exclude(report_id=report_id).values("report_id")
    )
    mine = from_bytes(bytes(signature.minhash))
    links = []
    for other, stored in ScriptSignature.objects.filter(
        report_id__in=Subquery(candidates)
    ).values_list("report_id", "minhash"):
        score = similarity(mine, from_bytes(bytes(stored)))
        if score >= NEAR_DUPLICATE:
            links.append(FuzzyLink(other, SCRIPT, score))
    return links
