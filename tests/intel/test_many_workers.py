"""Several `dontpay worker` processes on one database drain one queue: every task runs exactly
once, and the clusters they build together equal a full recompute."""

import random
import time
from collections import defaultdict

import pytest
from django_tasks_db.models import DBTaskResult

from dontpay.cases.models import Report
from dontpay.intel.linking import recluster_all
from dontpay.intel.models import ClusterMembership, Indicator, ReportIndicator
from dontpay.intel.tasks import relink_report
from tests.processes import dontpay

pytestmark = pytest.mark.django_db(transaction=True)

REPORTS, WORKERS = 300, 3


def planted_reports() -> dict[int, set[int]]:
    """300 indexed but unlinked reports, each mentioning one or two of 120 wallets."""
    chooser = random.Random(13)
    indicators = Indicator.objects.bulk_create(
        Indicator(type="crypto_address", qualifier="btc", value=f"w{n}", key=f"wallet:{n}")
        for n in range(120)
    )
    reports = Report.objects.bulk_create(
        Report(reference=f"DP-W{n:08d}", passphrase_hash="-", wrapped_key=b"", record=b"")
        for n in range(REPORTS)
    )
    mentions = {
        report.pk: set(chooser.sample([i.pk for i in indicators], chooser.choice((1, 1, 2))))
        for report in reports
    }
    ReportIndicator.objects.bulk_create(
        ReportIndicator(report_id=r, indicator_id=i, source=ReportIndicator.RECORD)
        for r, held in mentions.items()
        for i in held
    )
    return mentions


def components(mentions: dict[int, set[int]]) -> set[frozenset[int]]:
    """Reports joined by shared indicators, worked out here independently of the product."""
    parent = {r: r for r in mentions}

    def root(r: int) -> int:
        while parent[r] != r:
            parent[r] = parent[parent[r]]
            r = parent[r]
        return r

    by_indicator: dict[int, list[int]] = defaultdict(list)
    for report, held in mentions.items():
        for indicator in held:
            by_indicator[indicator].append(report)
    for sharing in by_indicator.values():
        for other in sharing[1:]:
            parent[root(other)] = root(sharing[0])
    groups: dict[int, set[int]] = defaultdict(set)
    for report in mentions:
        groups[root(report)].add(report)
    return {frozenset(group) for group in groups.values() if len(group) > 1}


def clusters() -> set[frozenset[int]]:
    groups: dict[int, set[int]] = defaultdict(set)
    for report, cluster in ClusterMembership.objects.values_list("report_id", "cluster"):
        groups[cluster].add(report)
    return {frozenset(group) for group in groups.values()}


def test_three_workers_run_every_task_once_and_cluster_as_a_full_recompute() -> None:
    mentions = planted_reports()
    for report_id in mentions:
        relink_report.enqueue(report_id)
    assert DBTaskResult.objects.filter(status="READY").count() == REPORTS
    assert ClusterMembership.objects.count() == 0

    started = time.monotonic()
    workers = [dontpay("worker", "--batch", "--interval", "0.05") for _ in range(WORKERS)]
    try:
        assert [worker.wait(timeout=600) for worker in workers] == [0] * WORKERS
    finally:
        for worker in workers:
            worker.kill()
    elapsed = time.monotonic() - started

    results = list(DBTaskResult.objects.all())
    assert len(results) == REPORTS
    assert {result.status for result in results} == {"SUCCESSFUL"}
    assert all(len(result.worker_ids) == 1 for result in results), "a task ran twice"
    assert len({result.worker_ids[0] for result in results}) >= 2, "one worker did everything"

    built_by_workers = clusters()
    assert built_by_workers == components(mentions)
    recluster_all()
    assert clusters() == built_by_workers
    print(f"{REPORTS} tasks on {WORKERS} workers in {elapsed:.1f} s")
