"""The vectorised sweep of matching.period_clusters equals the plain sweep on every input."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from powcount.matching import SWEEP_PASSES, period_clusters


def plain_sweep(series: list[int], starts: list[int], ends: list[int],
                allowance: list[int]) -> list[int]:
    """The rule as MATCHING_RULE states it, one run at a time: the reference."""
    cluster, current, previous, reach = [], -1, None, 0
    for key, start, end, extra in zip(series, starts, ends, allowance, strict=True):
        if key != previous or start > reach:
            current, previous, reach = current + 1, key, end + extra
        else:
            reach = min(reach, end + extra)
        cluster.append(current)
    return cluster


@st.composite
def runs(draw, days: int = 60) -> tuple[list[int], list[int], list[int], list[int]]:
    """Runs in (series, start) order, as the engine hands them over."""
    rows = draw(st.lists(st.tuples(st.integers(0, 3), st.integers(-days, days),
                                   st.integers(0, days), st.sampled_from([0, 1, 8])),
                         max_size=80))
    rows.sort(key=lambda row: (row[0], row[1]))
    return ([r[0] for r in rows], [r[1] for r in rows], [r[1] + r[2] for r in rows],
            [r[3] for r in rows])


def _vectorised(series, starts, ends, allowance) -> list[int]:
    return period_clusters(np.asarray(series, dtype=np.int64), np.asarray(starts, dtype=np.int64),
                           np.asarray(ends, dtype=np.int64),
                           np.asarray(allowance, dtype=np.int64)).tolist()


@settings(max_examples=400, deadline=None)
@given(runs())
def test_the_vectorised_sweep_equals_the_plain_sweep(data) -> None:
    assert _vectorised(*data) == plain_sweep(*data)


@settings(max_examples=100, deadline=None)
@given(runs(days=3_000_000))
def test_the_sweep_holds_over_any_span_of_days(data) -> None:
    assert _vectorised(*data) == plain_sweep(*data)


def test_a_chain_longer_than_the_passes_is_swept_to_the_end() -> None:
    # One long period, then short ones that each start after the previous one ends:
    # every short one opens a cluster, but only the running minimum shows it.
    length = SWEEP_PASSES * 3
    starts = [0, *range(1, length)]
    ends = [1_000, *range(1, length)]
    series = [0] * length
    allowance = [0] * length
    assert _vectorised(series, starts, ends, allowance) == [0, 0, *range(1, length - 1)]
    assert plain_sweep(series, starts, ends, allowance) == [0, 0, *range(1, length - 1)]


def test_no_runs_make_no_clusters() -> None:
    assert _vectorised([], [], [], []) == []


def test_a_new_series_always_opens_a_cluster() -> None:
    assert _vectorised([0, 1, 1, 2], [5, 5, 5, 5], [9, 9, 9, 9], [0, 0, 0, 0]) == [0, 1, 1, 2]
