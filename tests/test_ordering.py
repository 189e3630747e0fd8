"""Integer sort keys: the same order as sorting the values themselves."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from powcount.ordering import combined, order_of, ranks, sorted_codes

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6)


@given(st.lists(st.tuples(TEXT, st.integers(-5, 5), TEXT), max_size=40))
def test_order_of_codes_is_the_order_of_the_values(rows: list[tuple[str, int, str]]) -> None:
    frame = pd.DataFrame(rows, columns=["a", "b", "c"]).astype({"a": "str", "c": "str"})
    keys = []
    for column in ("a", "b", "c"):
        codes, values = sorted_codes(frame[column])
        keys.append((codes, len(values)))
    order = order_of(keys)
    expected = sorted(range(len(rows)), key=lambda i: (rows[i], i))
    assert order.tolist() == expected


@given(st.lists(TEXT, max_size=40))
def test_ranks_follow_python_string_order(values: list[str]) -> None:
    placed = ranks(pd.Series(values, dtype="str"))
    expected = sorted(range(len(values)), key=lambda i: (values[i], i))
    assert np.argsort(placed, kind="stable").tolist() == expected


def test_keys_too_wide_for_one_integer_sort_one_after_another() -> None:
    size = 2**31
    keys = [(np.array([1, 0, 1, 0]), size), (np.array([0, 5, 0, 2]), size),
            (np.array([3, 1, 2, 1]), 4)]
    assert combined(keys) is None
    assert order_of(keys).tolist() == [3, 1, 2, 0]
