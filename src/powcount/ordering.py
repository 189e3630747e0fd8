"""Sorting frames by integer keys: text turned into codes, codes folded into one int64.

Sorting a million rows by several text columns compares strings at every step; the
same order comes from numbering each column's distinct values in sorted order and
sorting the numbers, one integer sort when they fit in one int64 together.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from powcount.models import Source

_Kept = TypeVar("_Kept")


def sorted_codes(values: pd.Series) -> tuple[np.ndarray, Any]:
    """Codes numbering the distinct values in sorted order (-1: missing), and those values."""
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    return codes.astype(np.int64, copy=False), uniques


def ranks(values: pd.Series) -> np.ndarray:
    """Each value's place in sorted order (ties by position), for text such as ids.

    pyarrow ranks a million strings in a twentieth of the time a sorted factorize
    takes; UTF-8 byte order is code point order, so the order is Python's.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not len(values):
        return np.zeros(0, dtype=np.int64)
    storage = values.array
    array = (storage.__arrow_array__() if hasattr(storage, "__arrow_array__")
             else pa.array(values.to_numpy(object), type=pa.string()))
    placed = pc.rank(array, sort_keys="ascending", tiebreaker="first")
    return np.asarray(placed, dtype=np.int64) - 1


def combined(keys: list[tuple[np.ndarray, int]]) -> np.ndarray | None:
    """One int64 that orders like the keys in sequence (most significant first).

    ``keys`` are (codes from 0, number of codes); None when the product of the sizes
    does not fit in 62 bits.
    """
    width = 1
    for _, size in keys:
        width *= max(size, 1)
    if width >= 2**62 or not keys:
        return None
    folded = np.zeros(len(keys[0][0]), dtype=np.int64)
    for codes, size in keys:
        folded *= max(size, 1)
        folded += codes
    return folded


def order_of(keys: list[tuple[np.ndarray, int]]) -> np.ndarray:
    """Positions that sort the rows by the keys (most significant first), stably."""
    folded = combined(keys)
    if folded is not None:
        return np.argsort(folded, kind="stable")
    return np.lexsort([codes for codes, _ in reversed(keys)])


#: Columns whose values repeat, which the engine and the checks sort, group and carry.
INDEXED_COLUMNS = ("source", "conflict", "nation", "quantity", "unit", "as_of", "as_of_start",
                   "qualifier", "claimant", "attributed_to", "value_text")


def _small(codes: np.ndarray, size: int) -> np.ndarray:
    """Codes in the smallest signed integer type that holds them (cheaper to take)."""
    for dtype in (np.int8, np.int16, np.int32):
        if size < np.iinfo(dtype).max:
            return codes.astype(dtype)
    return codes.astype(np.int64, copy=False)


class FigureIndex:
    """Sort keys of a figures frame, made once per dataset (at load, kept in the cache).

    For each of INDEXED_COLUMNS, codes numbering its distinct values in sorted order
    (-1: missing) and those values; for the ids, each one's place in sorted order.
    Every reconciliation sorts by these keys; making them once saves each command a
    sorted factorize of every text column. The index belongs to one frame object
    (``figures``): a catalog whose frame is replaced makes a new one.
    """

    def __init__(self, figures: pd.DataFrame,
                 columns: dict[str, tuple[np.ndarray, Any]] | None = None,
                 id_ranks: np.ndarray | None = None):
        self.figures = figures
        if columns is None:
            columns = {}
            for column in INDEXED_COLUMNS:
                codes, values = sorted_codes(figures[column])
                columns[column] = (_small(codes, len(values)), values)
        self.columns = columns
        self.id_ranks = ranks(figures["id"]) if id_ranks is None else id_ranks
        self._kept: dict[Hashable, Any] = {}

    def kept(self, key: Hashable, make: Callable[[], _Kept]) -> _Kept:
        """What ``make`` derives from this index, made once per key and kept beside it.

        Arrays a reader derives from the sort keys (the engine's group order) outlive one
        run of that reader without the index knowing what they are; the key names
        everything else they depend on. They belong to the frame as the index does.
        """
        if key not in self._kept:
            self._kept[key] = make()
        return cast(_Kept, self._kept[key])

    def __getstate__(self) -> dict[str, Any]:
        # Kept arrays are remade on demand: a catalog cache written at load holds none,
        # and one pickled later should not grow by them.
        return {**self.__dict__, "_kept": {}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update({"_kept": {}, **state})

    def taken(self, rows: np.ndarray, figures: pd.DataFrame) -> FigureIndex:
        """The index of ``figures``, which holds this index's rows in the order given."""
        return FigureIndex(figures, {column: (codes[rows], values) for column, (codes, values)
                                     in self.columns.items()}, self.id_ranks[rows])

    def codes(self, column: str, rows: np.ndarray | None = None) -> tuple[np.ndarray, Any]:
        """A column's codes (of the given rows, else of all) and its sorted distinct values."""
        codes, values = self.columns[column]
        return (codes if rows is None else codes[rows]), values

    def code_of(self, column: str, value: object) -> int:
        """The code of one value; -1 (matching no row) when no figure has it."""
        values = self.columns[column][1]
        place = int(values.searchsorted(value)) if len(values) else 0
        return place if place < len(values) and values[place] == value else -1


_GRADE_RANK = {grade: rank for rank, grade in enumerate("ABCDEF")}


def source_places(sources: dict[str, Source], source_ids: Any) -> np.ndarray:
    """Per source id, its place in the preference order (best grade, most recent)."""
    from powcount.periods import period_bounds

    rank, recency = [], []
    for sid in source_ids:
        source = sources.get(str(sid))
        rank.append(_GRADE_RANK[source.reliability.value] if source else len(_GRADE_RANK))
        # Recent first; undated sources after dated ones.
        day = period_bounds(source.published)[0].toordinal() if source and source.published else 0
        recency.append(-day if day else 1)
    # Sources of the same grade and date share a place: the next keys decide.
    pairs = np.stack([np.asarray(rank, dtype=np.int64), np.asarray(recency, dtype=np.int64)],
                     axis=1)
    _, place = np.unique(pairs, axis=0, return_inverse=True)
    return place.reshape(-1).astype(np.int64)


@dataclass(frozen=True)
class GroupOrder:
    """The rows in group order, and the group key of each row in that order."""

    order: np.ndarray  # positions of the rows, sorted
    sorted_keys: list[np.ndarray]  # the group key in that order: runs of equal keys are groups

    def is_identity(self) -> bool:
        return bool(np.array_equal(self.order, np.arange(len(self.order))))


def group_order(index: FigureIndex, sources: dict[str, Source],
                rows: np.ndarray | None = None) -> GroupOrder:
    """The order of groups and of the figures inside a group (of the rows given, else all).

    Groups sort by conflict, nation, quantity, unit, then as_of by its start and then its
    text (a period after the day it starts on); inside a group the figures sort by
    preference: source grade, source recency, credibility, id. The keys are folded into
    one int64 where they fit, so one integer sort does the work of a ten-column sort.
    """
    as_of_codes, as_of_values = index.codes("as_of", rows)
    starts = np.zeros(len(as_of_values), dtype=np.int64)
    starts[as_of_codes] = index.codes("as_of_start", rows)[0]
    as_of_place = np.empty(len(as_of_values), dtype=np.int64)
    as_of_place[np.lexsort((np.arange(len(as_of_values)), starts))] = np.arange(len(as_of_values))
    group_keys = [(codes, len(values)) for codes, values in (
        index.codes(column, rows) for column in ("conflict", "nation", "quantity", "unit"))]
    group_keys.append((as_of_place[as_of_codes], len(as_of_values)))
    source_codes, source_ids = index.codes("source", rows)
    credibility = index.figures["credibility"].to_numpy(np.int64, na_value=9)
    if rows is not None:
        credibility = credibility[rows]
    preference = [
        (source_places(sources, source_ids)[source_codes], len(source_ids)),
        (np.clip(credibility, 0, 9), 10),
        (index.id_ranks if rows is None else index.id_ranks[rows], len(index.id_ranks)),
    ]
    group_key = combined(group_keys)
    if group_key is None:
        order = order_of(group_keys + preference)
        return GroupOrder(order, [codes[order] for codes, _ in group_keys])
    width = int(np.prod([max(size, 1) for _, size in group_keys], dtype=object))
    order = order_of([(group_key, width), *preference])
    return GroupOrder(order, [group_key[order]])
