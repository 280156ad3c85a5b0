"""A cluster as GraphML, for graph tools (Gephi, yEd, i2-style link charts).

Reports and offender indicators are nodes; an edge says a report mentions an indicator. Every
node has a `label` (what Gephi and yEd show) and a `kind`; the other attributes are typed
columns the tools filter and colour by. A report that was linked but never sent is its opaque
label only, as everywhere an analyst sees it. Written with networkx, whose reader is the one
the tests parse it back with.
"""

import io
import re
from collections.abc import Iterable

import networkx as nx

from .explanation import ClusterExplanation
from .referral import ReferralIndicator

#: Characters XML 1.0 cannot hold at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(value: str) -> str:
    """`value` with any character XML cannot hold replaced by U+FFFD, so the file always parses."""
    return _NOT_XML.sub("\ufffd", value)


def cluster_graph(
    explanation: ClusterExplanation, indicators: Iterable[ReferralIndicator]
) -> "nx.Graph[str]":
    """The graph: a node per report (``r1``…) and per indicator (``i1``…), an edge per mention."""
    graph: nx.Graph[str] = nx.Graph(
        name=f"dontpay cluster {explanation.cluster_id}",
        cluster=explanation.cluster_id,
        tlp="TLP:AMBER",
    )
    node_of: dict[str, str] = {}
    for number, report in enumerate(explanation.reports, start=1):
        node = f"r{number}"
        node_of[report.reference] = node
        attributes: dict[str, object] = {"label": report.reference, "kind": "report"}
        attributes["sent"] = report.has_case
        if report.has_case:
            attributes["reported"] = report.created_at.date().isoformat()
            attributes["jurisdiction"] = report.jurisdiction
        graph.add_node(node, **attributes)
    for number, indicator in enumerate(indicators, start=1):
        node = f"i{number}"
        mentions = [reference for reference in indicator.references if reference in node_of]
        graph.add_node(
            node,
            label=_xml_text(
                f"{indicator.qualifier} {indicator.value}"
                if indicator.qualifier
                else indicator.value
            ),
            kind="indicator",
            indicator_type=indicator.type,
            value=_xml_text(indicator.value),
            platform_or_network=_xml_text(indicator.qualifier),
            common_value=indicator.flagged,
            first_seen=indicator.first_seen.isoformat(),
            report_count=len(mentions),
            **{
                f"details.{_xml_text(name)}": _xml_text(text)
                for name, text in indicator.details.items()
            },
        )
        for reference in mentions:
            graph.add_edge(
                node_of[reference],
                node,
                kind="mentions",
                label="mentions",
                weight=1.0,
                first_seen=indicator.seen_in[reference].isoformat(),
            )
    return graph


def cluster_graphml(
    explanation: ClusterExplanation, indicators: Iterable[ReferralIndicator]
) -> bytes:
    """The cluster graph as a GraphML document (UTF-8)."""
    out = io.BytesIO()
    nx.write_graphml_xml(
        cluster_graph(explanation, indicators), out, encoding="utf-8", prettyprint=True
    )
    return out.getvalue()
