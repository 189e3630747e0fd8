"""Which figures describe the same thing: the matching rule by period.

Figures of one conflict, nation, quantity and unit are compared when their periods
overlap (events, targets) or when they were measured within the stock window of
settings.yaml (stocks, cumulative counts, estimates). The reconciliation groups
figures by this rule and the accounting checks combine terms by it.
"""

from __future__ import annotations

import numpy as np

#: Kinds of quantity measured at a date: compared within the stock window.
WINDOW_KINDS = frozenset({"stock", "cumulative", "estimate"})

MATCHING_RULE = (
    "matching: figures of one conflict, nation, quantity and unit are compared when they "
    "describe the same thing: events and targets when their periods overlap; stocks, "
    "cumulative counts and estimates when measured at most the stock window apart. Groups "
    "are made by one sweep in order of start date: a figure joins the open group when its "
    "period starts on or before the earliest end (plus the window, for a count at a date) "
    "among the group's figures, otherwise it opens the next group; so every two figures of "
    "a group are comparable, and each figure is in one group. date gap: days between the "
    "earliest-ending and the latest-starting period of the group (0 when all overlap)"
)


def period_clusters(series: list[int], starts: list[int], ends: list[int],
                    allowance: list[int]) -> list[int]:
    """Sort-and-sweep grouping of runs already in (series, start) order: a cluster id each.

    A run joins the open cluster when it is in the same series and starts on or before
    the earliest (end + allowance) among the cluster's runs; so every two runs of a
    cluster are within the allowance of each other (intervals on a line that all reach
    one point pairwise meet). One pass over the runs of equal as_of, not the figures:
    a plain loop over lists (the recurrence resets, which numpy cannot scan), a few
    hundred thousand runs at the 1e6-figure benchmark (benchmarks/run.py, reconcile all).
    """
    cluster: list[int] = []
    current = -1
    previous_series = -1
    reach = 0
    for key, start, end, extra in zip(series, starts, ends, allowance, strict=True):
        if key != previous_series or start > reach:
            current += 1
            previous_series = key
            reach = end + extra
        elif end + extra < reach:
            reach = end + extra
        cluster.append(current)
    return cluster


def pair_comparable(start_a: np.ndarray, end_a: np.ndarray, start_b: np.ndarray,
                    end_b: np.ndarray, window_days: int | None) -> np.ndarray:
    """Whether two periods (days since the epoch) describe the same thing, row by row.

    ``window_days`` None: they must overlap (an event or a target is one of the two);
    otherwise the days strictly between them may be at most window_days.
    """
    if window_days is None:
        return (start_a <= end_b) & (start_b <= end_a)
    return np.maximum(start_a, start_b) - np.minimum(end_a, end_b) - 1 <= window_days


def date_gap_days(starts: list[np.ndarray], ends: list[np.ndarray]) -> np.ndarray:
    """Days between the earliest-ending and the latest-starting period, 0 when all overlap."""
    latest_start = np.maximum.reduce(starts)
    earliest_end = np.minimum.reduce(ends)
    return np.maximum(latest_start - earliest_end - 1, 0)
