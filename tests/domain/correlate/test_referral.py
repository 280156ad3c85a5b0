"""A cluster referral from plain values: the document, its timeline, and the GraphML graph."""

import io
from datetime import UTC, datetime

import networkx as nx

from dontpay.domain.correlate import ClusterExplanation, ClusterReport, IndicatorRow, explain
from dontpay.domain.correlate.graphml import cluster_graphml
from dontpay.domain.correlate.referral import (
    ReferralIndicator,
    ReferredReport,
    referable_indicators,
    referral_document,
)

DAY = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
SENT, PRIVATE = "DP-AAAA-AAAA", "unsent-0123456789"


def _cluster() -> tuple[ClusterExplanation, list[ReferralIndicator], list[ReferredReport]]:
    explanation = explain(
        7,
        [ClusterReport(1, SENT, DAY, "GB"), ClusterReport(2, PRIVATE, DAY, "FR", has_case=False)],
        [
            IndicatorRow(1, "k", "phone", "+447911123456"),
            IndicatorRow(2, "k", "phone", "+447911123456"),
        ],
    )
    phone = ReferralIndicator(
        "phone",
        "+447911123456",
        "",
        False,
        DAY,
        {SENT: DAY, PRIVATE: DAY.replace(day=3)},
        details={"line type": "mobile", "carrier": "Bad\x07Carrier \ufffe"},
    )
    sent = ReferredReport(
        SENT,
        sent=True,
        reported_at=DAY,
        sent_at=DAY.replace(day=2),
        jurisdiction="GB",
        record={"when": {"threats_on": "2026-10-30"}},
        custody_head=(4, "ab" * 32),
    )
    return explanation, [phone], [sent, ReferredReport.linked_only(PRIVATE)]


def test_an_indicator_carries_its_details_into_the_document() -> None:
    explanation, indicators, reports = _cluster()
    document = referral_document(
        explanation,
        indicators,
        reports,
        organisation="Example Helpline",
        exported_at=DAY,
        public_key_fingerprint="f" * 64,
    )
    (phone,) = document["indicators"]
    assert phone["details"] == {"line type": "mobile", "carrier": "Bad\x07Carrier \ufffe"}
    assert document["reports"][1] == {"reference": PRIVATE, "sent": False}
    assert document["reports"][0]["custody"] == f"reports/{SENT}/custody.jsonl"
    assert [(e["when"], e["report"], e["what"]) for e in document["timeline"]] == [
        ("2026-10-30", SENT, "Threats started"),
        ("2026-11-01T09:30:00+00:00", SENT, "Report started"),
        (
            "2026-11-01T09:30:00+00:00",
            SENT,
            "First mention of phone +447911123456, later in 1 more report",
        ),
        ("2026-11-02T09:30:00+00:00", SENT, "Report sent to the organisation"),
    ]


def test_graphml_parses_back_with_details_even_when_they_hold_what_xml_cannot() -> None:
    explanation, indicators, _ = _cluster()
    graph = nx.read_graphml(io.BytesIO(cluster_graphml(explanation, indicators)))
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (3, 2)
    phone = graph.nodes["i1"]
    assert phone["details.line type"] == "mobile"
    assert phone["details.carrier"] == "Bad\ufffdCarrier \ufffd"
    assert graph.nodes["r2"] == {"label": PRIVATE, "kind": "report", "sent": False}
    assert graph.nodes["r1"]["jurisdiction"] == "GB"
    assert graph.edges["r1", "i1"]["kind"] == "mentions"
    assert graph.graph["cluster"] == 7


def test_a_value_only_an_unsent_report_mentions_is_not_referred() -> None:
    _, (phone,), _ = _cluster()
    own = ReferralIndicator("handle", "only.theirs", "snapchat", False, DAY, {PRIVATE: DAY})
    sent_only = ReferralIndicator("handle", "sent.only", "kik", False, DAY, {SENT: DAY})
    assert referable_indicators([phone, own, sent_only], [SENT]) == [phone, sent_only]
