"""The pairwise correlation table that MISP-style tools store, kept for comparison only.

Such tools store one row per ordered pair of records sharing a value: k reports sharing a value
cost k·(k-1) rows, so one common value shared by 10,000 reports costs about 100 million rows.
`benchmarks/correlate.py` builds it to show what clustering from the incidence avoids.
"""

import numpy as np
import numpy.typing as npt

IdArray = npt.NDArray[np.int64]


def pairwise_rows(indicator_ids: IdArray) -> int:
    """How many rows the table would hold: Σ k·(k-1) over indicators shared by k reports."""
    counts = np.unique(indicator_ids, return_counts=True)[1].astype(np.int64)
    return int((counts * (counts - 1)).sum())


def pairwise_table(report_ids: IdArray, indicator_ids: IdArray) -> tuple[IdArray, IdArray]:
    """Every ordered pair (report, other report) sharing an indicator, one row per indicator
    shared (as a correlation table stores them). Each row of the input is a distinct
    (report, indicator)."""
    order = np.lexsort((report_ids, indicator_ids))
    reports, indicators = report_ids[order], indicator_ids[order]
    starts = np.flatnonzero(np.r_[True, indicators[1:] != indicators[:-1]])
    sizes = np.diff(np.r_[starts, indicators.size])
    first: list[IdArray] = []
    second: list[IdArray] = []
    for size in np.unique(sizes[sizes > 1]).tolist():
        # All groups of one size at once: a (groups by size) block, paired with itself.
        group_starts = starts[sizes == size]
        block = reports[group_starts[:, None] + np.arange(size)]
        left, right = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
        keep = left != right
        first.append(block[:, left[keep]].ravel())
        second.append(block[:, right[keep]].ravel())
    if not first:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(first), np.concatenate(second)
