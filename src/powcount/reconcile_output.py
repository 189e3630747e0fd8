"""The reconcile command's output, written from the engine's frames a slice at a time.

The tables and the JSON payload are formatted from the frames (``ReconciledFrames``:
the engine, ``series_frame``, ``check_frame``) a slice of rows at a time and streamed
to the output; models are built only for the few top-level facts (tolerances,
findings, a series' rate targets). CSV is export's encoder: a table has the columns of
export's file of that name.

JSON is written as ``json.dumps(payload, indent=2, ensure_ascii=False)`` writes it:
keys in model field order, two spaces per level, strings through the json module's
own encoder, numbers as ``repr``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from powcount.checks import CHECK_FIELDS, CHECK_INTERVALS, CHECK_RULE
from powcount.columns import floats, ints, objects
from powcount.intervals import Interval
from powcount.matching import MATCHING_RULE
from powcount.provenance import DEPENDENCE_RULE
from powcount.reconcile import (
    CHECK_BRIEF,
    CHECK_COLUMNS,
    EVIDENCE_COLUMNS,
    GROUP_BRIEF,
    GROUP_COLUMNS,
    PREFERRED_RULE,
    SERIES_BRIEF,
    SERIES_COLUMNS,
    STATUS_RULE,
    Engine,
    Findings,
    covered_conflicts,
    tolerance_note,
    tolerances,
)
from powcount.reconciled import ReconciledFrames
from powcount.render.base import Cell
from powcount.series import TREND_RULE

if TYPE_CHECKING:
    from powcount.catalog import Catalog
    from powcount.render.layout import View

#: Figures (or rows) formatted at a time: bounds the memory the text needs.
SLICE_ROWS = 50_000

_TEXT_FORMATS = ("csv", "json", "markdown", "table")


# --- JSON text, as json.dumps(indent=2, ensure_ascii=False) writes it ---------------------


def _pad(level: int) -> str:
    return "  " * level


def _json_float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _json_value(value: Any, level: int) -> str:
    """Any JSON-ready value (a dumped model) at this nesting level."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _json_float(value)
    inner = _pad(level + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        return ("{\n" + ",\n".join(f"{inner}{encode_basestring(k)}: {_json_value(v, level + 1)}"
                                   for k, v in value.items()) + "\n" + _pad(level) + "}")
    if not value:
        return "[]"
    return ("[\n" + ",\n".join(inner + _json_value(v, level + 1) for v in value)
            + "\n" + _pad(level) + "]")


def _json_strs(values: Iterable[Any]) -> list[str]:
    return ["null" if v is None else encode_basestring(v) for v in values]


def _json_ints(values: Iterable[int | None]) -> list[str]:
    return ["null" if v is None else str(v) for v in values]


def _json_floats(values: np.ndarray) -> list[str]:
    return ["null" if v != v else float.__repr__(v) for v in values.tolist()]


def _json_objects(fields: Sequence[tuple[str, Any]], level: int) -> list[str]:
    """Objects from columns of JSON texts (each already written for level + 1)."""
    inner = _pad(level + 1)
    template = ("{\n" + ",\n".join(f"{inner}{encode_basestring(name)}: %s" for name, _ in fields)
                + "\n" + _pad(level) + "}")
    return [template % row for row in zip(*(values for _, values in fields), strict=True)]


def _json_run(fields: Sequence[tuple[str, Any]], level: int) -> list[str]:
    """Consecutive fields of objects at ``level``: from the first field's value to the
    last field's, as _json_objects writes them (a piece it takes as one value)."""
    inner = _pad(level + 1)
    template = "%s" + "".join(f",\n{inner}{encode_basestring(name)}: %s"
                              for name, _ in fields[1:])
    return [template % row for row in zip(*(values for _, values in fields), strict=True)]


def _stated_values(figures: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per figure, a code for its stated value (value_text, qualifier, low, best, high);
    and per code, a figure stating it.

    A phrase and its qualifier give the interval, so the pair is the key, unless some
    figure's interval differs from another's with the same words (an override): then the
    five columns are the key.
    """
    words = (figures["value_text"].cat.codes.to_numpy(np.int64)
             * (len(figures["qualifier"].cat.categories) + 1)
             + figures["qualifier"].cat.codes.to_numpy(np.int64) + 1)
    _, first, codes = np.unique(words, return_index=True, return_inverse=True)
    codes = codes.reshape(-1)
    for column in ("low", "best", "high"):
        values = figures[column]
        filled = values.to_numpy(np.int64, na_value=-1)
        missing = values.isna().to_numpy(bool)
        at_first = first[codes]
        if (filled[at_first] != filled).any() or (missing[at_first] != missing).any():
            key = figures[["value_text", "qualifier", "low", "best", "high"]]
            codes = key.groupby(list(key.columns), sort=False, dropna=False, observed=True
                                ).ngroup().to_numpy(np.int64)
            first = np.flatnonzero(~key.duplicated().to_numpy(bool))
            break
    return codes, first


def _json_split_objects(fields: Sequence[tuple[str, Sequence[str] | None]], level: int
                        ) -> tuple[list[str], list[str]]:
    """Objects as in _json_objects, split where the one field without values goes.

    Returns each object's text up to that field's value, and from after it.
    """
    names = [name for name, _ in fields]
    cut = next(index for index, (_, values) in enumerate(fields) if values is None)
    before = _json_objects([(n, v) for n, v in fields[:cut] if v is not None], level)
    after = _json_objects([(n, v) for n, v in fields[cut + 1:] if v is not None], level)
    inner = _pad(level + 1)
    key = f"{inner}{encode_basestring(names[cut])}: "
    # An object's text ends "\n<pad>}" and starts "{\n": cut those and join the halves.
    end = len(_pad(level)) + 2
    return ([text[:-end] + ",\n" + key for text in before],
            [",\n" + text[2:] for text in after])


def _json_nest(heads: list[str], items: list[str], starts: np.ndarray, tails: list[str],
               level: int) -> str:
    """Objects, joined as an array's items, each holding an array of its slice of items.

    Object i is ``heads[i]``, then items[starts[i]:starts[i+1]] as an array at
    ``level``, then ``tails[i]``; every slice holds at least one item.
    """
    n, m = len(heads), len(items)
    sizes = np.diff(np.append(starts, m))
    pieces = np.empty(2 * n + 2 * m, dtype=object)
    head_at = 2 * np.arange(n) + 2 * starts
    pieces[head_at] = heads
    owner = np.repeat(np.arange(n), sizes)
    item_at = 2 * owner + 2 * np.arange(m) + 1
    opens = np.zeros(m, dtype=bool)
    opens[starts] = True
    pieces[item_at] = np.where(opens, "[\n" + _pad(level + 1), ",\n" + _pad(level + 1))
    pieces[item_at + 1] = items
    pieces[head_at + 1 + 2 * sizes] = ["\n" + _pad(level) + "]" + tail for tail in tails]
    # Objects are separated as _json_array_parts separates items.
    pieces[head_at[1:]] = [",\n" + _pad(level - 1) + head for head in heads[1:]]
    return "".join(pieces.tolist())


def _json_arrays(items: Sequence[str], starts: np.ndarray, stops: np.ndarray,
                 level: int) -> list[str]:
    """Per slice of ``items`` (JSON texts written for level + 1), the slice as an array."""
    head, sep, tail = "[\n" + _pad(level + 1), ",\n" + _pad(level + 1), "\n" + _pad(level) + "]"
    return [head + sep.join(items[a:b]) + tail if b > a else "[]"
            for a, b in zip(starts.tolist(), stops.tolist(), strict=True)]


def _json_str_lists(lists: Iterable[list[str]], level: int) -> list[str]:
    """Lists of text as arrays at this level."""
    head, sep, tail = "[\n" + _pad(level + 1), ",\n" + _pad(level + 1), "\n" + _pad(level) + "]"
    return [head + sep.join(map(encode_basestring, items)) + tail if items else "[]"
            for items in lists]


def _json_array_parts(slices: Iterable[list[str]], level: int) -> Iterator[str]:
    """One array whose items (written for level + 1) come a slice at a time."""
    sep = ",\n" + _pad(level + 1)
    started = False
    for items in slices:
        if items:
            yield (sep if started else "[\n" + _pad(level + 1)) + sep.join(items)
            started = True
    yield "\n" + _pad(level) + "]" if started else "[]"


def _json_object_parts(fields: Sequence[tuple[str, Iterable[str]]], level: int) -> Iterator[str]:
    """One object whose values are given as pieces of text (written for level + 1)."""
    inner = _pad(level + 1)
    yield "{\n"
    for index, (name, parts) in enumerate(fields):
        yield f"{inner}{encode_basestring(name)}: "
        yield from parts
        yield ",\n" if index < len(fields) - 1 else "\n"
    yield _pad(level) + "}"


# --- frames -------------------------------------------------------------------------------


def _text(values: Any) -> pd.Series:
    """Text cells as an object column (not converted to pandas' string type)."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object, copy=False)


def _json_column(column: pd.Series) -> list[str]:
    """A column's values as JSON texts: numbers as repr, text encoded, missing as null."""
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        # Each distinct value is encoded once; of many categories, only those used here.
        codes = column.cat.codes.to_numpy(np.int64)
        categories = dtype.categories
        if len(categories) > len(codes):
            used, codes = np.unique(codes, return_inverse=True)
            categories = categories.take(np.maximum(used, 0))
            codes = np.where(used[codes.reshape(-1)] < 0, -1, codes.reshape(-1))
        known = np.asarray(_json_strs(objects(pd.Series(categories))) + ["null"], dtype=object)
        coded: list[str] = known[codes].tolist()  # -1 (missing): the last, null
        return coded
    if pd.api.types.is_float_dtype(dtype):
        return _json_floats(floats(column))
    if pd.api.types.is_integer_dtype(dtype):
        values = column.to_numpy(np.int64, na_value=0)
        texts = list(map(str, values.tolist()))
        missing = np.flatnonzero(column.isna().to_numpy(bool)).tolist()
        for index in missing:
            texts[index] = "null"
        return texts
    return _json_strs(objects(column))


def _sorted_ranges(rank: np.ndarray, owners: np.ndarray, begins: np.ndarray,
                   ends: np.ndarray, n_owners: int, unique: bool = False
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions in ranges [begin, end), gathered per owner and sorted by rank within it.

    ``owners`` (one per range, ascending) say whose list a range joins. Returns the
    positions and each owner's slice of them; ``unique`` drops repeated ranks.
    """
    lengths = (ends - begins).astype(np.int64)
    total = int(lengths.sum())
    offsets = np.cumsum(lengths) - lengths
    positions = np.arange(total, dtype=np.int64) - np.repeat(offsets - begins, lengths)
    owner = np.repeat(np.asarray(owners, dtype=np.int64), lengths)
    # One integer key (owner, then rank) sorts faster than two. Ranks need not be
    # dense (a conflict's figures keep the catalog's ranks of their ids).
    width = int(rank.max(initial=0)) + 1
    order = np.argsort(owner * width + rank[positions], kind="stable")
    positions, owner = positions[order], owner[order]
    if unique and total:
        ranked = rank[positions]
        keep = np.ones(total, dtype=bool)
        keep[1:] = (owner[1:] != owner[:-1]) | (ranked[1:] != ranked[:-1])
        positions, owner = positions[keep], owner[keep]
    starts = np.searchsorted(owner, np.arange(n_owners), side="left")
    stops = np.searchsorted(owner, np.arange(n_owners), side="right")
    return positions, starts, stops


def _slices(bounds: np.ndarray, limit: int) -> Iterator[tuple[int, int]]:
    """Runs of consecutive items (item i spans bounds[i]..bounds[i+1]) of about ``limit``."""
    n = len(bounds) - 1
    first = 0
    while first < n:
        last = int(np.searchsorted(bounds, bounds[first] + limit, side="left"))
        last = max(first + 1, min(n, last, first + limit))
        yield first, last
        first = last


#: A slice of a table's rows: column name -> values (index ignored).
_Columns = dict[str, "pd.Series[Any]"]


@dataclass(frozen=True)
class _Series:
    """One series' own facts; its points are rows of the series frame."""

    first: int  # first and last + 1 row of the series frame
    stop: int
    key: str
    conflict: str
    nation: str
    quantity: str
    unit: str
    direction: str | None
    flags: list[str]
    change: int
    change_interval: Interval
    years: float
    trend: str
    rate_per_year: float | None
    rate_target: str | None
    targets: list[dict[str, Any]]
    summary: str


class FrameReconciliation:
    """The engine's frames for one reconcile run, and its tables and JSON from them."""

    def __init__(self, catalog: Catalog, conflict: str | None, verbose: bool = False,
                 slice_rows: int = SLICE_ROWS) -> None:
        self.frames = ReconciledFrames(catalog, conflict)
        self.catalog = catalog
        self.slice_rows = slice_rows
        self.conflict = self.frames.conflict
        self.verbose = verbose
        self.engine: Engine = self.frames.engine
        figures = self.engine.figures
        # Ids sort by the catalog's ranks of them, made at load.
        self.id_rank = catalog.figure_index().id_ranks[self.engine.rows]
        self.sources = objects(figures["source"])
        groups = self.engine.groups
        self.starts = groups["start"].to_numpy(np.int64)
        self.stops = groups["stop"].to_numpy(np.int64)

    # -- facts ------------------------------------------------------------------------

    @cached_property
    def ids(self) -> np.ndarray:
        """The figures' ids, in the engine's order."""
        return objects(self.engine.figures["id"])

    @cached_property
    def id_json(self) -> np.ndarray:
        """The figures' ids as JSON texts, an object array (taken by position in bulk)."""
        return np.asarray(_json_strs(objects(self.engine.figures["id"])), dtype=object)

    @property
    def points(self) -> pd.DataFrame:
        return self.frames.points

    @property
    def checks(self) -> tuple[dict[str, list[Any]], list[str]]:
        """The checks' fields as columns (as CheckResult dumps them), and the notes."""
        return self.frames.checks

    @cached_property
    def series(self) -> list[_Series]:
        points = self.points
        if not len(points):
            return []
        number = points["series"].to_numpy(np.int64)
        firsts = np.flatnonzero(np.r_[True, number[1:] != number[:-1]])
        stops = np.append(firsts[1:], len(number))
        as_of = objects(points["as_of"])
        texts = objects(points["value_text"])
        best = ints(points["best"])
        low, high = ints(points["low"]), ints(points["high"])
        years = floats(points["years"]).tolist()
        trend = objects(points["trend"]).tolist()
        flags = objects(points["flag"])
        key_columns = [objects(points[c]) for c in ("conflict", "nation", "quantity", "unit")]
        return [self._one_series(int(first), int(stop), [c[first] for c in key_columns],
                                 as_of, texts, best, low, high, years, trend, flags)
                for first, stop in zip(firsts, stops, strict=True)]

    def _one_series(self, first: int, stop: int, key: list[str], as_of: np.ndarray,
                    texts: np.ndarray, best: list[int | None], low: list[int | None],
                    high: list[int | None], years: list[float], trend: list[str],
                    flags: np.ndarray) -> _Series:
        """As powcount.series._one_series states a series, without its point models."""
        from powcount.series import _targets, directions_of, series_summary, series_total

        conflict, nation, quantity_code, unit = key
        quantity = self.catalog.vocabulary.quantities[quantity_code]
        total = series_total([int(b or 0) for b in best[first:stop]], low[first:stop],
                             high[first:stop], years[first + 1:stop], trend[first + 1:stop])
        targets = _targets(self.catalog, quantity.rate_target, conflict, nation)
        summary = series_summary(quantity_code, conflict, nation,
                                 [(texts[i], as_of[i]) for i in range(first, stop)], total,
                                 quantity.rate_target, targets)
        return _Series(
            first=first, stop=stop, key="/".join(key), conflict=conflict, nation=nation,
            quantity=quantity_code, unit=unit, direction=directions_of(quantity),
            flags=[str(f) for f in flags[first + 1:stop] if f], change=total.change,
            change_interval=total.change_interval, years=total.years, trend=total.trend,
            rate_per_year=total.rate_per_year, rate_target=quantity.rate_target,
            targets=[t.model_dump(mode="json") for t in targets], summary=summary)

    def findings(self) -> Findings:
        conflicts = int((self.engine.groups["status"] == "conflict").sum())
        series_flags = sum(len(s.flags) for s in self.series)
        failed_checks = sum(verdict == "fails" for verdict in self.checks[0]["verdict"])
        return Findings(conflicts=conflicts, series_flags=series_flags,
                        failed_checks=failed_checks,
                        total=conflicts + series_flags + failed_checks)

    def notes(self) -> tuple[str, str]:
        f = self.findings()
        conflicts = covered_conflicts(self.catalog, self.conflict)
        summary = (f"{', '.join(conflicts)}: {len(self.engine.groups)} groups, "
                   f"{len(self.series)} series, {len(self.checks[0]['key'])} checks; findings: "
                   f"conflicts {f.conflicts}, series flags {f.series_flags}, failed checks "
                   f"{f.failed_checks}")
        return summary, tolerance_note(tolerances(self.catalog))

    @cached_property
    def evidence_order(self) -> np.ndarray:
        """Rows of the catalog's figures behind a group, series or check, by id."""
        behind = [objects(self.engine.figures["id"])] + [np.asarray(ids, dtype=object)
                               for ids in self.checks[0]["figure_ids"]]
        figures = self.catalog.figures
        chosen = np.flatnonzero(figures["id"].isin(np.concatenate(behind)).to_numpy(bool))
        return chosen[np.argsort(objects(figures["id"].take(chosen)), kind="stable")]

    # -- rows for table, csv and markdown (a frame per slice, cells as the models give) --

    @cached_property
    def figure_lists(self) -> list[str]:
        """Per group, the ids of its figures in order, space-separated (table cells)."""
        positions, first, last = self._id_lists(0, len(self.starts))
        ids = self.ids[positions].tolist()
        return [" ".join(ids[a:b]) for a, b in zip(first.tolist(), last.tolist(), strict=True)]

    def group_slices(self) -> Iterator[_Columns]:
        figures, groups = self.engine.figures, self.engine.groups
        for g0, g1 in _slices(np.append(self.starts, self.stops[-1:]), self.slice_rows):
            f0, f1 = int(self.starts[g0]), int(self.stops[g1 - 1])
            part = groups.iloc[g0:g1]
            stated = (self.sources[f0:f1] + ": " + objects(figures["value_text"].iloc[f0:f1]))
            starts, stops = self.starts[g0:g1] - f0, self.stops[g0:g1] - f0
            stated_list = stated.tolist()
            yield {
                **{c: part[c] for c in GROUP_COLUMNS[:7]},
                "values": _text(["; ".join(stated_list[a:b])
                                 for a, b in zip(starts.tolist(), stops.tolist(), strict=True)]),
                **{c: part[c] for c in (
                    "envelope_low", "envelope_high", "common_low", "common_high",
                    "conservative", "preferred")},
                "preferred_figure": _text(self.ids[part["preferred_pos"].to_numpy(np.int64)]),
                "sources": part["n_sources"], "independent": part["n_independent"],
                "gap": part["gap"], "deviation_pct": part["deviation_pct"],
                "figures": _text(self.figure_lists[g0:g1]),
            }

    def _id_lists(self, g0: int, g1: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Figure positions of groups g0..g1, sorted by id within each group."""
        return _sorted_ranges(self.id_rank, np.arange(g1 - g0), self.starts[g0:g1],
                              self.stops[g0:g1], g1 - g0)

    def _series_point_slices(self) -> Iterator[tuple[list[_Series], pd.DataFrame]]:
        """Whole series, about slice_rows figures at a time, with their points."""
        series = self.series
        points = self.points
        figures = np.cumsum(np.append(0, (points["stop"] - points["start"]).to_numpy(np.int64)))
        # A point's text grows with its figures (their ids, and the steps' ids).
        bounds = figures[[s.first for s in series] + [series[-1].stop if series else 0]]
        for s0, s1 in _slices(bounds, self.slice_rows):
            yield series[s0:s1], self.points.iloc[series[s0].first:series[s1 - 1].stop]

    def series_slices(self) -> Iterator[_Columns]:
        lists = self.figure_lists
        for _, points in self._series_point_slices():
            group = np.searchsorted(self.starts, points["start"].to_numpy(np.int64)).tolist()
            flags = objects(points["flag"])
            yield {
                **{c: points[c] for c in (
                    "conflict", "nation", "quantity", "unit", "as_of", "value_text", "best",
                    "low", "high", "change", "change_low", "change_high", "years")},
                "trend": _text([t or None for t in objects(points["trend"]).tolist()]),
                "rate_per_year": points["rate_per_year"],
                "flag": _text([f or None for f in flags.tolist()]),
                "figures": _text([lists[g] for g in group]),
            }

    def check_slices(self) -> Iterator[_Columns]:
        c = self.checks[0]
        ints = {name: pd.Series(c[field][side], dtype="Int64") for name, field, side in (
            ("computed_low", "computed", 0), ("computed_high", "computed", 1),
            ("stated_low", "stated", 0), ("stated_high", "stated", 1),
            ("difference_low", "difference", 0), ("difference_high", "difference", 1))}
        yield {
            "check": _text(c["name"]), "conflict": _text(c["conflict"]),
            "nation": _text(c["nation"]), "arithmetic": _text(c["arithmetic"]),
            "relation": _text(c["relation"]),
            **{name: ints[name] for name in ("computed_low", "computed_high", "stated_low",
                                             "stated_high")},
            "date_gap_days": pd.Series(c["date_gap_days"], dtype="Int64"),
            "verdict": _text(c["verdict"]), "deviation": pd.Series(c["deviation"], dtype="Int64"),
            "deviation_pct": pd.Series(c["deviation_pct"], dtype=np.float64),
            "difference_low": ints["difference_low"], "difference_high": ints["difference_high"],
            "difference_best": pd.Series(c["difference_best"], dtype="Int64"),
            "figures": _text([" ".join(ids) for ids in c["figure_ids"]]),
        }

    def evidence_slices(self) -> Iterator[_Columns]:
        order = self.evidence_order
        figures = self.catalog.figures
        for start in range(0, len(order), self.slice_rows):
            part = figures.take(order[start:start + self.slice_rows])
            yield {"figure": part["id"], "source": part["source"], "document": part["document"],
                   "line": part["line"], "value_text": part["value_text"], "quote": part["quote"]}

    def tables(self) -> list[_StreamedTable]:
        checks, notes = self.checks
        figures = ("figures",) if self.verbose else ()
        tables = [
            _StreamedTable("groups", "Groups", GROUP_COLUMNS, self.group_slices,
                           lambda: (MATCHING_RULE, STATUS_RULE, PREFERRED_RULE,
                                    DEPENDENCE_RULE),
                           GROUP_BRIEF + figures),
            _StreamedTable("series", "Series", SERIES_COLUMNS, self.series_slices,
                           lambda: (TREND_RULE, *(s.summary for s in self.series)),
                           SERIES_BRIEF + figures),
            _StreamedTable("checks", "Accounting checks", CHECK_COLUMNS, self.check_slices,
                           lambda: (CHECK_RULE, *notes), CHECK_BRIEF + figures),
        ]
        if self.verbose:
            tables.append(_StreamedTable("evidence", "Evidence", EVIDENCE_COLUMNS,
                                         self.evidence_slices, tuple, None))
        return tables

    # -- JSON ---------------------------------------------------------------------------

    def json_parts(self) -> Iterator[str]:
        checks, notes = self.checks
        findings = self.findings()
        fields: list[tuple[str, Iterable[str]]] = [
            ("conflicts", [_json_value(covered_conflicts(self.catalog, self.conflict), 1)]),
            ("tolerances", [_json_value(tolerances(self.catalog).model_dump(mode="json"), 1)]),
            ("preferred_rule", [_json_value(PREFERRED_RULE, 1)]),
            ("groups", _json_array_parts(self._group_json(), 1)),
            ("series", _json_array_parts(self._series_json(), 1)),
            ("checks", _json_array_parts((_check_json(checks),), 1)),
            ("notes", [_json_value(notes, 1)]),
            ("evidence", _json_array_parts(self._evidence_json(), 1)
             if self.verbose else ["[]"]),
            ("findings", [_json_value(findings.model_dump(mode="json"), 1)]),
        ]
        yield from _json_object_parts(fields, 0)
        yield "\n"

    def _group_json(self) -> Iterator[list[str]]:
        """GroupResult objects (level 2), as reconcile's group_results dump them."""
        figures, groups = self.engine.figures, self.engine.groups
        # The engine's source column: categories sorted, each one present.
        source_codes = figures["source"].cat.codes.to_numpy(np.int64)
        source_ids = [str(sid) for sid in figures["source"].cat.categories]
        known = self.catalog.sources
        reliability = np.asarray(_json_strs(
            known[s].reliability.value for s in source_ids), dtype=object)
        published = np.asarray(_json_strs(known[s].published for s in source_ids), dtype=object)
        source_json = np.asarray(_json_strs(source_ids), dtype=object)
        source_rank = source_codes.astype(np.int64)
        # A stated value repeats across figures, a source's grade and date across its
        # figures: each distinct one is written once, as a run of fields.
        stated_codes, stated_at = _stated_values(figures)
        stated = figures.take(stated_at)
        stated_json = np.asarray(_json_run(
            [(c, _json_column(stated[c])) for c in ("value_text", "qualifier", "low", "best",
                                                     "high")], 4), dtype=object)
        grade_json = np.asarray(_json_run([("reliability", reliability),
                                           ("published", published)], 4), dtype=object)
        columns = {c: figures[c] for c in ("as_of", "credibility", "claimant")}
        for g0, g1 in _slices(np.append(self.starts, self.stops[-1:]), self.slice_rows):
            f0, f1 = int(self.starts[g0]), int(self.stops[g1 - 1])
            codes = source_codes[f0:f1]
            values = _json_objects([
                ("figure_id", self.id_json[f0:f1].tolist()),
                ("source", source_json[codes]),
                ("value_text", stated_json[stated_codes[f0:f1]]),
                ("as_of", _json_column(columns["as_of"].iloc[f0:f1])),
                ("reliability", grade_json[codes]),
                ("credibility", _json_column(columns["credibility"].iloc[f0:f1])),
                ("claimant", _json_column(columns["claimant"].iloc[f0:f1])),
            ], 4)
            part = groups.iloc[g0:g1]
            local = np.arange(g1 - g0)
            starts, stops = self.starts[g0:g1], self.stops[g0:g1]
            positions, first, last = self._id_lists(g0, g1)
            unique_sources, sfirst, slast = _sorted_ranges(source_rank, local, starts, stops,
                                                           g1 - g0, unique=True)
            keys = objects(part["conflict"]).astype(object)
            for column in ("nation", "quantity", "unit", "as_of"):
                keys = keys + "/" + objects(part[column])
            conflicted = (part["status"] == "conflict").to_numpy(bool)
            common = _json_objects([("low", _json_column(part["common_low"])),
                                    ("high", _json_column(part["common_high"]))], 3)
            preferred_pos = part["preferred_pos"].to_numpy(np.int64)
            id_json = self.id_json
            heads, tails = _json_split_objects([
                ("key", _json_strs(keys)),
                *((c, _json_column(part[c])) for c in (
                    "conflict", "nation", "quantity", "unit", "as_of", "date_gap_days",
                    "status")),
                ("values", None),
                ("envelope", _json_objects([
                    ("low", _json_column(part["envelope_low"])),
                    ("high", _json_column(part["envelope_high"]))], 3)),
                ("common", ["null" if c else text
                            for c, text in zip(conflicted.tolist(), common, strict=True)]),
                ("conservative", _json_column(part["conservative"])),
                ("conservative_figure",
                 id_json[part["conservative_pos"].to_numpy(np.int64)].tolist()),
                ("preferred", _json_column(part["preferred"])),
                ("preferred_figure", id_json[preferred_pos].tolist()),
                ("preferred_source", source_json[source_codes[preferred_pos]]),
                *((c, _json_column(part[c]))
                  for c in ("n_figures", "n_sources", "n_independent")),
                ("source_ids", _json_arrays(source_json[source_codes[unique_sources]].tolist(),
                                            sfirst, slast, 3)),
                ("gap", _json_column(part["gap"])),
                ("deviation_pct", _json_column(part["deviation_pct"])),
                ("figure_ids", _json_arrays(id_json[positions].tolist(),
                                            first, last, 3)),
            ], 2)
            # The values are placed between each group's head and tail without being
            # joined per group first: the bulk of the text is copied once.
            yield [_json_nest(heads, values, starts - f0, tails, 3)]

    def _series_json(self) -> Iterator[list[str]]:
        """SeriesResult objects (level 2), as powcount.series builds them."""
        id_json = self.id_json
        for series, points in self._series_point_slices():
            n = len(points)
            p0 = series[0].first
            begins = points["start"].to_numpy(np.int64)
            ends = points["stop"].to_numpy(np.int64)
            point_ids, pfirst, plast = _sorted_ranges(self.id_rank, np.arange(n), begins, ends, n)
            is_first = points["first"].to_numpy(bool)
            steps = np.flatnonzero(~is_first)
            # A step's figures: those of the point before and of its own point.
            owners = np.repeat(np.arange(len(steps)), 2)
            before = np.column_stack((steps - 1, steps)).ravel()
            step_ids, sfirst, slast = _sorted_ranges(self.id_rank, owners, begins[before],
                                                     ends[before], len(steps))
            owners = np.repeat(np.arange(len(series)), [s.stop - s.first for s in series])
            all_ids, afirst, alast = _sorted_ranges(self.id_rank, owners, begins, ends,
                                                    len(series))
            as_of = _json_column(points["as_of"])
            point_json = _json_objects([
                ("as_of", as_of),
                ("midpoint_year", [float.__repr__(round(m, 2))
                                   for m in floats(points["midpoint"]).tolist()]),
                ("value_text", _json_column(points["value_text"])),
                ("best", _json_column(points["best"])),
                ("interval", _json_objects([("low", _json_column(points["low"])),
                                            ("high", _json_column(points["high"]))], 5)),
                ("status", _json_column(points["status"])),
                ("figure_ids", _json_arrays(id_json[point_ids].tolist(),
                                            pfirst, plast, 5)),
            ], 4)
            at = points.iloc[steps]
            flags = objects(at["flag"])
            step_json = _json_objects([
                ("from_as_of", _json_column(at["from_as_of"])),
                ("to_as_of", [as_of[i] for i in steps.tolist()]),
                ("years", _json_column(at["years"])),
                ("change", _json_column(at["change"])),
                ("change_interval", _json_objects([
                    ("low", _json_column(at["change_low"])),
                    ("high", _json_column(at["change_high"]))], 5)),
                ("trend", _json_column(at["trend"])),
                ("rate_per_year", _json_column(at["rate_per_year"])),
                ("flag", _json_strs(f or None for f in flags)),
                ("figure_ids", _json_arrays(id_json[step_ids].tolist(),
                                            sfirst, slast, 5)),
            ], 4)
            # Steps per series: every point but the first of its series.
            point_bounds = np.asarray([s.first - p0 for s in series] + [n])
            step_bounds = np.searchsorted(steps, point_bounds)
            point_lists = _json_arrays(point_json, point_bounds[:-1], point_bounds[1:], 3)
            step_lists = _json_arrays(step_json, step_bounds[:-1], step_bounds[1:], 3)
            id_lists = _json_arrays(id_json[all_ids].tolist(), afirst, alast, 3)
            yield [
                _one_series_json(s, {"points": point_lists[i], "steps": step_lists[i],
                                     "figure_ids": id_lists[i]})
                for i, s in enumerate(series)
            ]

    def _evidence_json(self) -> Iterator[list[str]]:
        order = self.evidence_order
        figures = self.catalog.figures
        for start in range(0, len(order), self.slice_rows):
            part = figures.take(order[start:start + self.slice_rows])
            yield _json_objects([
                ("figure_id", _json_column(part["id"])),
                ("source", _json_column(part["source"])),
                ("document", _json_column(part["document"])),
                ("line", _json_column(part["line"])),
                ("column", _json_column(part["column"])),
                ("value_text", _json_column(part["value_text"])),
                ("quote", _json_column(part["quote"])),
            ], 2)


def _one_series_json(series: _Series, texts: dict[str, str]) -> str:
    """A SeriesResult object (level 2): its lists given as text, the rest from ``series``."""
    from powcount.series import SeriesResult

    def text(name: str) -> str:
        if name in texts:
            return texts[name]
        value = getattr(series, name)
        return _json_value(value.model_dump(mode="json") if isinstance(value, Interval)
                           else value, 3)

    return "".join(_json_object_parts([(name, [text(name)])
                                       for name in SeriesResult.model_fields], 2))


@dataclass(frozen=True)
class _StreamedTable:
    """A table whose rows come a slice at a time, each slice its columns by name."""

    name: str
    title: str
    columns: tuple[str, ...]
    slices: Callable[[], Iterator[_Columns]]
    notes: Callable[[], tuple[str, ...]]
    brief: tuple[str, ...] | None

    def cell_rows(self) -> Iterator[list[tuple[Cell, ...]]]:
        """Each slice as rows of cells, as the models' table rows give them."""
        for frame in self.slices():
            columns = [_cells_of(frame[c]) for c in self.columns]
            yield list(zip(*columns, strict=True))


def _cells_of(column: pd.Series) -> list[Cell]:
    if pd.api.types.is_float_dtype(column.dtype):
        return [None if v != v else v for v in column.tolist()]
    values: list[Cell] = objects(column).tolist()
    return values


# --- checks -------------------------------------------------------------------------------

def _check_json(columns: dict[str, list[Any]]) -> list[str]:
    """CheckResult objects (level 2) from the columns of _check_columns."""
    fields: list[tuple[str, Sequence[str]]] = []
    for name in CHECK_FIELDS:
        values = columns[name]
        if name in CHECK_INTERVALS:
            texts = _json_objects([("low", _json_ints(values[0])),
                                   ("high", _json_ints(values[1]))], 3)
        elif name in ("left", "right", "left_figures", "right_figures", "figure_ids", "as_of"):
            texts = _json_str_lists(values, 3)
        elif name == "deviation_pct":
            texts = _json_floats(np.asarray(values, dtype=np.float64))
        elif name in ("computed_best", "stated_best", "difference_best", "deviation",
                      "date_gap_days"):
            texts = _json_ints(values)
        else:
            texts = _json_strs(values)
        fields.append((name, texts))
    return _json_objects(fields, 2)


# --- formats ------------------------------------------------------------------------------


def _csv_parts(tables: list[_StreamedTable]) -> Iterator[str]:
    """One table as powcount.render.csv_format writes it (relations as words)."""
    from powcount.export import _cells
    from powcount.render.cells import relation_words
    from powcount.render.csv_format import csv_rows

    (table,) = tables
    stream = io.StringIO()
    csv.writer(stream, lineterminator="\n").writerow(table.columns)
    yield stream.getvalue()
    for frame in table.slices():
        yield csv_rows([relation_words(frame[c].tolist()) if c == "relation"
                        else _cells(frame[c]) for c in table.columns])


def _markdown_parts(tables: list[_StreamedTable], notes: Sequence[str]) -> Iterator[str]:
    from powcount.render.markdown_format import markdown_parts, table_parts

    def notes_after(table: _StreamedTable) -> Iterator[str]:
        yield from table.notes()

    return markdown_parts((table_parts(t.title, t.columns, t.cell_rows(), notes_after(t))
                           for t in tables), notes)


def _table_text(tables: list[_StreamedTable], notes: Sequence[str],
                view: View | None = None) -> str:
    from powcount.render import render
    from powcount.render.base import Result, Table

    built = tuple(Table(t.name, t.title, t.columns,
                        tuple(row for rows in t.cell_rows() for row in rows), t.notes(),
                        t.brief) for t in tables)
    return render(Result(built, None, tuple(notes)), "table", view)


#: The table ``--format csv`` writes when --table does not name one.
CSV_TABLE = "groups"


def chosen_tables(rec: FrameReconciliation, fmt: str, table: str | None
                  ) -> list[_StreamedTable]:
    """The tables a format writes: CSV one (``table``, default groups), others all or
    the one named."""
    tables = rec.tables()
    wanted = table or (CSV_TABLE if fmt == "csv" else None)
    if wanted is None:
        return tables
    chosen = [t for t in tables if t.name == wanted]
    if not chosen:
        from powcount.errors import UsageProblem

        names = ", ".join(t.name for t in tables)
        hint = " (the evidence table needs --verbose)" if wanted == "evidence" else ""
        raise UsageProblem(f"--table {wanted}: no such table{hint}: choose one of {names}")
    return chosen


def reconciliation_parts(rec: FrameReconciliation, fmt: str, table: str | None = None,
                         view: View | None = None) -> Iterator[str]:
    """The command's output text, a piece at a time.

    CSV is one rectangular table (``table``, default groups); table and markdown
    give every table, or the one named; JSON gives the whole result (``table`` refused).
    """
    if fmt == "json":
        if table is not None:
            from powcount.errors import UsageProblem

            raise UsageProblem(f"--table {table}: JSON is always the whole result: leave "
                               "--table out, or use --format csv, markdown or table")
        return rec.json_parts()
    if fmt == "csv":
        (chosen,) = chosen_tables(rec, fmt, table)
        from powcount.export import RECONCILED_TABLES, reconciled_csv

        if chosen.name in RECONCILED_TABLES:
            return reconciled_csv(rec.frames, chosen.name)
        return _csv_parts([chosen])
    if fmt == "markdown":
        return _markdown_parts(chosen_tables(rec, fmt, table), rec.notes())
    if fmt == "table":
        return iter([_table_text(chosen_tables(rec, fmt, table), rec.notes(), view)])
    raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(_TEXT_FORMATS)}")


def write_reconciliation(catalog: Catalog, conflict: str | None, fmt: str, output: str | None,
                         verbose: bool = False, table: str | None = None,
                         view: View | None = None, pager: str | None = None) -> Findings:
    """Reconcile and write the result in one format to ``output`` (None or '-': stdout).

    JSON is ``reconcile(...)`` serialised, written by powcount.output.write_output.
    Returns the findings, for --strict.
    """
    from powcount.output import write_output

    rec = FrameReconciliation(catalog, conflict, verbose)
    write_output(reconciliation_parts(rec, fmt, table, view), output, pager)
    return rec.findings()
