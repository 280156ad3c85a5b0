"""Clusters as connected components of the report↔indicator incidence.

Two reports are linked when they share an indicator, and a cluster is everything reachable
through such links. Pairs are never materialised: the graph is the incidence itself (one edge
per report mentioning an indicator), so a value shared by k reports costs k edges, not k².
"""

import numpy as np
import numpy.typing as npt

IdArray = npt.NDArray[np.int64]


def components(report_ids: IdArray, indicator_ids: IdArray) -> IdArray:
    """The cluster of each incidence row's report: the smallest report id in its component.

    `report_ids[i]` mentions `indicator_ids[i]`.
    """
    _, clusters, report_node = _components(report_ids, indicator_ids)
    return clusters[report_node]


def linked_reports(report_ids: IdArray, indicator_ids: IdArray) -> tuple[IdArray, IdArray]:
    """Each report that shares an indicator with another, and its cluster, sorted by report.

    A report linked to nothing is in no cluster, so it is left out.
    """
    reports, clusters, _ = _components(report_ids, indicator_ids)
    names, sizes = np.unique(clusters, return_counts=True)
    linked = np.isin(clusters, names[sizes > 1])
    return reports[linked], clusters[linked]


def _components(
    report_ids: IdArray, indicator_ids: IdArray
) -> tuple[IdArray, IdArray, npt.NDArray[np.intp]]:
    """Distinct reports, the cluster of each, and each row's index into them.

    Vectorised hook-and-compress: every round, each component's root is hooked under the
    smallest root it shares an edge with, then all pointers are shortened to roots; rounds stop
    when no edge crosses two components. Pointers only ever go to smaller nodes, so there are
    no cycles and a component's root is its smallest node; reports are numbered first, in
    sorted order, so that is its smallest report.
    """
    if report_ids.shape != indicator_ids.shape:
        raise ValueError("report_ids and indicator_ids must be the same length")
    reports, report_node = np.unique(report_ids, return_inverse=True)
    indicators, indicator_node = np.unique(indicator_ids, return_inverse=True)
    parent = np.arange(reports.size + indicators.size, dtype=np.int64)
    left = report_node.astype(np.int64)
    right = indicator_node.astype(np.int64) + reports.size
    while left.size:
        left_root, right_root = parent[left], parent[right]
        crossing = left_root != right_root
        # Edges inside one component stay inside it: only crossing edges are kept.
        left, right = left[crossing], right[crossing]
        left_root, right_root = left_root[crossing], right_root[crossing]
        np.minimum.at(parent, np.maximum(left_root, right_root), np.minimum(left_root, right_root))
        _compress(parent)
    return reports, reports[parent[: reports.size]], report_node


def _compress(parent: IdArray) -> None:
    """Point every node straight at its root (pointer jumping)."""
    while True:
        grandparent = parent[parent]
        if np.array_equal(grandparent, parent):
            return
        parent[:] = grandparent
