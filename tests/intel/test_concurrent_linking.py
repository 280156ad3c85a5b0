"""Reports linked at the same moment, from several threads with their own database
connections, end in exactly the clusters a full recompute finds."""

import threading

import pytest
from django.db import close_old_connections, connection

from dontpay.domain.indicators import canonical_indicator
from dontpay.intel.linking import index_report, recluster_all
from dontpay.intel.models import ClusterMembership, ReportIndicator

from ..cases.factories import sent_report

WALLETS = [
    "bc1qygeveepctc2fs4w3w3tpevazqkytarc2388l77",
    "0x52908400098527886e0f7030069857d2e4169ee7",
]


@pytest.mark.django_db(transaction=True)
def test_reports_linked_at_once_from_many_threads_form_the_right_clusters() -> None:
    wallets = [canonical_indicator("crypto_address", value) for value in WALLETS]
    reports = [sent_report(jurisdiction="GB") for _ in range(16)]
    problems: list[BaseException] = []
    start = threading.Barrier(len(reports))

    def link(position: int) -> None:
        try:
            start.wait()
            index_report(reports[position], ReportIndicator.RECORD, [wallets[position % 2]])
        except BaseException as problem:
            problems.append(problem)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=link, args=(n,)) for n in range(len(reports))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not problems
    incremental = dict(ClusterMembership.objects.values_list("report_id", "cluster"))
    recluster_all()
    assert dict(ClusterMembership.objects.values_list("report_id", "cluster")) == incremental
    expected = {
        report.pk: min(r.pk for r in reports[position % 2 :: 2])
        for position, report in enumerate(reports)
    }
    assert incremental == expected
