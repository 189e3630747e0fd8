"""Interval arithmetic: exact cases and properties that hold for every interval."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from powcount.intervals import Interval, interval_text, total

counts = st.integers(min_value=-10**12, max_value=10**12)


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    a, b = sorted((draw(counts), draw(counts)))
    low = None if draw(st.booleans()) and draw(st.booleans()) else a
    high = None if draw(st.booleans()) and draw(st.booleans()) else b
    return Interval(low=low, high=high)


@st.composite
def sub_interval(draw: st.DrawFn, outer: Interval) -> Interval:
    """An interval inside ``outer``."""
    spread = st.integers(min_value=0, max_value=10**12)
    anchor = outer.high if outer.high is not None else 0
    low = outer.low if outer.low is not None else anchor - draw(spread)
    high = outer.high if outer.high is not None else low + draw(spread)
    a = draw(st.integers(min_value=low, max_value=high))
    b = draw(st.integers(min_value=a, max_value=high))
    return Interval(low=a, high=b)


def test_exact_figure_interval_is_its_value() -> None:
    assert Interval.exact(3198) == Interval(low=3198, high=3198)
    assert Interval.exact(3198).is_exact
    assert Interval.exact(3198).text() == "3,198"


def test_worked_examples() -> None:
    assert Interval.exact(25_000) - Interval.exact(4_165) == Interval.exact(20_835)
    located = total([Interval.exact(5300), Interval(low=950, high=950), Interval(low=1, high=19)])
    assert located == Interval(low=6251, high=6269)
    assert Interval(low=7801, high=None) - located == Interval(low=1532, high=None)
    assert Interval(low=7801, high=None).intersect(Interval.exact(7500)) is None
    assert Interval(low=7801, high=None).gap_to(Interval.exact(7500)) == 301


def test_open_sides_are_none_in_text_and_json() -> None:
    open_top = Interval(low=7801, high=None)
    assert open_top.text() == "7,801..open"
    assert interval_text(None, 5) == "open..5"
    assert open_top.model_dump(mode="json") == {"low": 7801, "high": None}


def test_reversed_interval_is_refused() -> None:
    with pytest.raises(ValidationError, match="above high"):
        Interval(low=5, high=4)


@given(st.integers(min_value=0, max_value=10**12))
def test_exact_interval_holds_only_its_value(value: int) -> None:
    exact = Interval.exact(value)
    assert exact.contains(value)
    assert not exact.contains(value + 1) and not exact.contains(value - 1)
    assert exact + Interval.exact(0) == exact


@given(intervals(), intervals())
def test_open_sides_stay_none_never_inf(a: Interval, b: Interval) -> None:
    for result in (a + b, a - b, -a, a.intersect(b)):
        if result is None:
            continue
        for side in (result.low, result.high):
            assert side is None or isinstance(side, int)
    assert ((a + b).high is None) == (a.high is None or b.high is None)
    assert ((a - b).low is None) == (a.low is None or b.high is None)


@given(st.data(), intervals(), intervals())
def test_add_and_sub_are_inclusion_monotone(data: st.DataObject, a: Interval, b: Interval) -> None:
    small_a = data.draw(sub_interval(a))
    small_b = data.draw(sub_interval(b))
    assert (a + b).contains_interval(small_a + small_b)
    assert (a - b).contains_interval(small_a - small_b)


@given(st.data(), intervals(), intervals())
def test_sums_of_members_are_members(data: st.DataObject, a: Interval, b: Interval) -> None:
    x = data.draw(sub_interval(a)).low
    y = data.draw(sub_interval(b)).low
    assert x is not None and y is not None
    assert (a + b).contains(x + y)
    assert (a - b).contains(x - y)


@given(intervals(), intervals())
def test_intersection_is_inside_both_and_symmetric(a: Interval, b: Interval) -> None:
    common = a.intersect(b)
    assert common == b.intersect(a)
    assert a.overlaps(b) == (common is not None)
    assert (a.gap_to(b) == 0) == (common is not None)
    if common is not None:
        assert a.contains_interval(common) and b.contains_interval(common)
