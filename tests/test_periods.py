"""as_of periods: bounds and midpoints, one at a time and vectorised."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from powcount.periods import PeriodError, period_bounds, period_midpoint, period_midpoints

DAYS = st.dates(min_value=date(1000, 1, 1), max_value=date(2999, 12, 31))


@st.composite
def as_of_texts(draw: st.DrawFn) -> str:
    """A year, a month, a day, or a period between two of them."""
    def one(day: date) -> str:
        form = draw(st.sampled_from(("year", "month", "day")))
        return {"year": f"{day.year:04d}", "month": f"{day.year:04d}-{day.month:02d}",
                "day": day.isoformat()}[form]

    first = draw(DAYS)
    if draw(st.booleans()):
        return one(first)
    last = draw(st.dates(min_value=first, max_value=date(2999, 12, 31)))
    return f"{one(first)}/{one(last)}"


def test_bounds_of_each_form() -> None:
    assert period_bounds("1951") == (date(1951, 1, 1), date(1951, 12, 31))
    assert period_bounds("2016-02") == (date(2016, 2, 1), date(2016, 2, 29))
    assert period_bounds("1953-04/1953-05") == (date(1953, 4, 1), date(1953, 5, 31))
    assert period_midpoint("1954/2015-10") == pytest.approx((1954 + 2015 + 303 / 365
                                                             + 1 / 365) / 2)


def test_bad_period_is_refused() -> None:
    with pytest.raises(PeriodError, match="ends before it starts"):
        period_bounds("1995/1990")


@given(st.lists(as_of_texts(), min_size=1, max_size=20))
def test_vectorised_midpoints_equal_one_at_a_time(texts: list[str]) -> None:
    """The same float, bit for bit: series rates must not depend on the code path."""
    bounds = [period_bounds(text) for text in texts]
    starts = np.array([first for first, _ in bounds], dtype="datetime64[s]")
    ends = np.array([last for _, last in bounds], dtype="datetime64[s]")
    expected = [period_midpoint(text) for text in texts]
    assert period_midpoints(starts, ends).tolist() == expected
