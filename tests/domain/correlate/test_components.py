"""Clusters are the connected components of the report↔indicator incidence."""

from collections import defaultdict

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dontpay.domain.correlate import components, linked_reports, pairwise_rows, pairwise_table


def _reference_components(rows: list[tuple[int, int]]) -> dict[int, int]:
    """Breadth-first search: the obvious way, to check the vectorised one against."""
    by_report: dict[int, set[int]] = defaultdict(set)
    by_indicator: dict[int, set[int]] = defaultdict(set)
    for report, indicator in rows:
        by_report[report].add(indicator)
        by_indicator[indicator].add(report)
    cluster: dict[int, int] = {}
    for start in sorted(by_report):
        if start in cluster:
            continue
        seen, frontier = {start}, [start]
        while frontier:
            report = frontier.pop()
            for indicator in by_report[report]:
                for other in by_indicator[indicator] - seen:
                    seen.add(other)
                    frontier.append(other)
        for report in seen:
            cluster[report] = min(seen)
    return cluster


def _array(values: list[int]) -> np.ndarray:
    return np.array(values, dtype=np.int64)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 40), st.integers(1, 30)), max_size=120))
def test_components_agree_with_breadth_first_search(rows: list[tuple[int, int]]) -> None:
    labels = components(_array([r for r, _ in rows]), _array([i for _, i in rows]))
    expected = _reference_components(rows)
    assert [int(label) for label in labels] == [expected[r] for r, _ in rows]


@settings(max_examples=50, deadline=None)
@given(st.randoms(use_true_random=False))
def test_planted_rings_are_recovered_exactly_in_any_order(random) -> None:  # type: ignore[no-untyped-def]
    rows = []
    rings = {}
    report = 1
    for ring, size in enumerate((5, 12, 20)):
        members = list(range(report, report + size))
        report += size
        rings[ring] = set(members)
        # A chain: member j mentions ring values j and j+1, so the ring is linked end to end.
        for j, member in enumerate(members):
            rows += [(member, 1000 + ring * 100 + j), (member, 1000 + ring * 100 + j + 1)]
    noise = list(range(report, report + 50))
    rows += [(member, 5000 + member) for member in noise]
    random.shuffle(rows)
    reports, clusters = linked_reports(_array([r for r, _ in rows]), _array([i for _, i in rows]))
    found: dict[int, set[int]] = defaultdict(set)
    for member, cluster in zip(reports.tolist(), clusters.tolist(), strict=True):
        found[cluster].add(member)
    assert sorted(found.values(), key=min) == [rings[0], rings[1], rings[2]]
    assert set(found) == {min(ring) for ring in rings.values()}


def test_a_report_linked_to_nothing_is_in_no_cluster() -> None:
    reports, clusters = linked_reports(_array([1, 2, 3]), _array([10, 10, 11]))
    assert reports.tolist() == [1, 2]
    assert clusters.tolist() == [1, 1]


def test_the_pairwise_table_holds_k_times_k_minus_one_rows_per_shared_value() -> None:
    reports = _array([1, 2, 3, 1, 4, 5])
    indicators = _array([7, 7, 7, 8, 8, 9])
    first, second = pairwise_table(reports, indicators)
    assert pairwise_rows(indicators) == 3 * 2 + 2 * 1 == len(first)
    assert set(zip(first.tolist(), second.tolist(), strict=True)) == {
        (1, 2), (1, 3), (2, 1), (2, 3), (3, 1), (3, 2), (1, 4), (4, 1),
    }  # fmt: skip
