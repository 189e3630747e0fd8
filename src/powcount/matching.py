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


#: Numpy passes of period_clusters before the runs still undecided go to the plain sweep.
SWEEP_PASSES = 4


def period_clusters(series: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                    allowance: np.ndarray) -> np.ndarray:
    """Sort-and-sweep grouping of runs already in (series, start) order: a cluster id each.

    A run joins the open cluster when it is in the same series and starts on or before
    the earliest (end + allowance) among the cluster's runs; so every two runs of a
    cluster are within the allowance of each other (intervals on a line that all reach
    one point pairwise meet).

    The speed trick (benchmarks/run.py, ``reconcile all``): the recurrence resets, which
    no numpy scan does, so the sweep is decided in passes over whole arrays. A run opens
    a cluster for certain at a new series, or when it starts beyond every earlier reach
    of its series (a running maximum). Between two certain openings, the first run that
    starts beyond the running minimum of the reaches since the last opening is the next
    opening, for certain too; each pass adds those. What a few passes leave undecided
    (long chains of short periods under a long one) goes to ``_plain_sweep``.
    """
    series = np.asarray(series, dtype=np.int64)
    starts = np.asarray(starts, dtype=np.int64)
    reach = np.asarray(ends, dtype=np.int64) + np.asarray(allowance, dtype=np.int64)
    n = len(starts)
    if not n:
        return np.zeros(0, dtype=np.int64)
    opens = np.ones(n, dtype=bool)
    opens[1:] = series[1:] != series[:-1]
    # Offsets per segment make one accumulate reset at each segment: a stride wider
    # than every value keeps the segments apart.
    low = int(min(reach.min(), starts.min()))
    stride = int(max(reach.max(), starts.max())) - low + 1
    if stride * (n + 1) >= 2**62:
        return _plain_sweep(series, starts, reach)
    reach = reach - low
    starts = starts - low
    segment = np.cumsum(opens) - 1
    running_max = np.maximum.accumulate(reach + segment * stride) - segment * stride
    opens[1:] |= starts[1:] > running_max[:-1]
    for done in range(SWEEP_PASSES + 1):
        segment = np.cumsum(opens) - 1
        running_min = np.minimum.accumulate(reach - segment * stride) + segment * stride
        beyond = np.zeros(n, dtype=bool)
        beyond[1:] = ~opens[1:] & (starts[1:] > running_min[:-1])
        at = np.flatnonzero(beyond)
        if not len(at):
            break
        if done == SWEEP_PASSES:
            # Each segment opens for certain: the ones with openings left to find are
            # swept one run at a time.
            rows = np.flatnonzero(np.isin(segment, segment[at]))
            rest = _plain_sweep(segment[rows], starts[rows], reach[rows])
            opens[rows] = np.diff(rest, prepend=-1) != 0
            break
        first = np.ones(len(at), dtype=bool)
        first[1:] = segment[at[1:]] != segment[at[:-1]]
        opens[at[first]] = True
    return np.cumsum(opens) - 1


def _plain_sweep(series: np.ndarray, starts: np.ndarray, reach: np.ndarray) -> np.ndarray:
    """The sweep of period_clusters one run at a time, over starts and reaches (end plus
    allowance)."""
    cluster: list[int] = []
    current = -1
    previous_series = -1
    open_reach = 0
    for key, start, run_reach in zip(series.tolist(), starts.tolist(), reach.tolist(),
                                     strict=True):
        if key != previous_series or start > open_reach:
            current += 1
            previous_series = key
            open_reach = run_reach
        elif run_reach < open_reach:
            open_reach = run_reach
        cluster.append(current)
    return np.asarray(cluster, dtype=np.int64)


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
