"""Integer sort keys: the same order as sorting the values themselves."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from powcount.ordering import FigureIndex, combined, order_of, ranks, sorted_codes

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


def _figures(rows: list[dict[str, object]]) -> pd.DataFrame:
    columns = {name: [row.get(name) for row in rows] for name in (
        "id", "source", "conflict", "nation", "quantity", "unit", "as_of", "qualifier",
        "claimant", "attributed_to", "value_text")}
    frame = pd.DataFrame(columns).astype("str")
    frame["attributed_to"] = frame["attributed_to"].where(frame["attributed_to"] != "None")
    frame["as_of_start"] = pd.to_datetime(frame["as_of"].str[:4] + "-01-01").astype(
        "datetime64[s]")
    return frame


ROWS = [
    {"id": "b", "source": "s2", "conflict": "korea", "nation": "US", "quantity": "held",
     "unit": "persons", "as_of": "1953", "qualifier": "exact", "claimant": "s2",
     "value_text": "3,198"},
    {"id": "a", "source": "s1", "conflict": "korea", "nation": "US", "quantity": "held",
     "unit": "persons", "as_of": "1954", "qualifier": "over", "claimant": "s3",
     "attributed_to": "s3", "value_text": "over 3,000"},
    {"id": "c", "source": "s1", "conflict": "wwii", "nation": "UK", "quantity": "missing",
     "unit": "persons", "as_of": "1945", "qualifier": "exact", "claimant": "s1",
     "value_text": "3,198"},
]


def test_figure_index_codes_number_the_values_in_sorted_order() -> None:
    index = FigureIndex(_figures(ROWS))
    codes, values = index.codes("conflict")
    assert codes.tolist() == [0, 0, 1] and list(values) == ["korea", "wwii"]
    codes, values = index.codes("value_text", np.array([1, 2]))
    assert codes.tolist() == [1, 0] and list(values) == ["3,198", "over 3,000"]
    # A missing value has no code; ids are ranked, not coded.
    assert index.codes("attributed_to")[0].tolist() == [-1, 0, -1]
    assert index.id_ranks.tolist() == [1, 0, 2]
    assert index.code_of("nation", "UK") == 0
    assert index.code_of("nation", "FR") == -1 and index.code_of("nation", "ZZ") == -1
    assert index.codes("source")[0].dtype == np.int8


def test_figure_index_of_no_figures() -> None:
    index = FigureIndex(_figures([]))
    assert index.codes("conflict")[0].tolist() == [] and index.code_of("conflict", "x") == -1
    assert index.id_ranks.tolist() == []
