"""A cluster explained from plain rows."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from dontpay.domain.correlate import (
    ClusterReport,
    EmptyCluster,
    IndicatorRow,
    MoneyRow,
    explain,
)


def _report(number: int, day: int, jurisdiction: str = "GB") -> ClusterReport:
    return ClusterReport(number, f"DP-{number}", datetime(2026, 1, day, tzinfo=UTC), jurisdiction)


def test_explanation_names_the_joining_indicators_and_adds_up_money_per_currency() -> None:
    wallet = "crypto_address:btc:bc1qexample"
    explanation = explain(
        3,
        [_report(5, 9, "US"), _report(3, 2), _report(4, 5)],
        [
            IndicatorRow(3, wallet, "crypto_address", "bc1qexample", "btc"),
            IndicatorRow(4, wallet, "crypto_address", "bc1qexample", "btc"),
            IndicatorRow(4, "handle:instagram:x", "handle", "x", "instagram", flagged=True),
            IndicatorRow(5, "handle:instagram:x", "handle", "x", "instagram", flagged=True),
            IndicatorRow(5, "phone::+447700900000", "phone", "+447700900000"),
        ],
        [
            MoneyRow(3, "demanded", Decimal("500.00"), "GBP"),
            MoneyRow(4, "demanded", Decimal("250.50"), "GBP"),
            MoneyRow(5, "demanded", Decimal("300"), "USD"),
            MoneyRow(4, "paid", Decimal("100"), "GBP"),
        ],
        ["snapchat"],
    )
    assert [r.id for r in explanation.reports] == [3, 4, 5]
    assert (explanation.first_seen.day, explanation.last_seen.day) == (2, 9)
    assert [(s.key, s.report_ids) for s in explanation.shared_indicators] == [
        (wallet, (3, 4)),
        ("handle:instagram:x", (4, 5)),
    ]
    assert explanation.shared_indicators[0].references == ("DP-3", "DP-4")
    assert explanation.indicator_count == 3
    assert explanation.demanded == {"GBP": Decimal("750.50"), "USD": Decimal("300")}
    assert explanation.paid == {"GBP": Decimal("100")}
    assert explanation.platforms == ("instagram", "snapchat")
    assert explanation.jurisdictions == ("GB", "US")
    assert explanation.flagged


def test_a_cluster_without_reports_cannot_be_explained() -> None:
    with pytest.raises(EmptyCluster):
        explain(1, [], [])
