"""powcount.columns: a frame column's values as the outputs read them."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from powcount.columns import floats, ints, objects

maybe_ints = st.lists(st.one_of(st.none(), st.integers(-(2**62), 2**62)), max_size=30)


def test_objects_gives_none_for_missing_in_every_kind_of_text_column():
    for dtype in ("object", "str", "category", "string"):
        column = pd.Series(["a", None, "b"], dtype=dtype)
        assert objects(column).tolist() == ["a", None, "b"], dtype


def test_ints_are_python_ints_with_none_for_missing():
    values = ints(pd.Series([3198, None, 0], dtype="Int64"))
    assert values == [3198, None, 0]
    assert [type(v) for v in values] == [int, type(None), int]


def test_ints_read_whole_floats_and_numpy_integers():
    assert ints(pd.Series([1.0, np.nan, 7.0])) == [1, None, 7]
    assert ints(pd.Series(np.array([5, 6], dtype=np.int32))) == [5, 6]


@given(maybe_ints)
def test_ints_round_trip_every_nullable_integer_column(values):
    assert ints(pd.Series(values, dtype="Int64")) == values


def test_floats_are_float64_with_nan_for_missing():
    result = floats(pd.Series([1, None, 3], dtype="Int64"))
    assert result.dtype == np.float64
    assert result[0] == 1.0 and math.isnan(result[1]) and result[2] == 3.0
