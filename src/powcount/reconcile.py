"""Reconciliation: groups of figures, series over time, accounting checks, sources.

Public API (names are stable; reports and exports code against them)::

    reconcile(catalog, conflict: str | None, evidence: bool = False) -> Reconciliation
    group_frame(catalog, conflict: str | None) -> pandas.DataFrame   # engine only
    compare_sources(catalog, conflict: str | None) -> SourceMatrix
    source_pairs(catalog, conflict: str | None) -> list[SourcePair]
    timeline(catalog, quantity, conflict=None, nation=None) -> list[SeriesResult]
    run_checks(catalog, conflict: str | None) -> list[CheckResult]   # powcount.checks

Models (all pydantic, frozen; ``Interval`` is ``{low: int|None, high: int|None}``,
None = open side)::

    Reconciliation: conflicts: list[str], tolerances: Tolerances, preferred_rule: str,
        groups: list[GroupResult], series: list[SeriesResult], checks: list[CheckResult],
        notes: list[str], evidence: list[Evidence], findings: Findings
    Tolerances: approximate_tolerance: float, check_tolerance: float,
        max_check_combinations: int
    Findings: conflicts: int, series_flags: int, failed_checks: int, total: int
    GroupResult: key, conflict, nation, quantity, unit, as_of, date_gap_days, status
        ('agree'|'consistent'|'conflict'|'single-source'), values: list[StatedValue],
        envelope: Interval, common: Interval|None, conservative: int,
        conservative_figure: str, preferred: int, preferred_figure: str,
        preferred_source: str, n_figures: int, n_sources: int, n_independent: int,
        source_ids: list[str], gap: int|None, deviation_pct: float|None,
        figure_ids: list[str]
    StatedValue: figure_id, source, value_text, qualifier, low, best, high, as_of,
        reliability, published, credibility, claimant
    SeriesResult (powcount.series): key, conflict, nation, quantity, unit, direction,
        points: list[SeriesPoint], steps: list[SeriesStep], flags, change: int,
        change_interval: Interval, years: float, trend: str, rate_per_year: float|None,
        rate_target: str|None, targets: list[TargetValue], summary: str,
        figure_ids: list[str]
    SeriesPoint: as_of, midpoint_year, value_text, best, interval, status, figure_ids
    SeriesStep: from_as_of, to_as_of, years, change, change_interval, trend ('rise'|
        'drop'|'no-change'|'undetermined'|'basis-changed'), rate_per_year,
        flag ('series-rise'|'series-drop'|None), figure_ids
    TargetValue: figure_id, conflict, quantity, unit, value_text, low, best, high, as_of
    CheckResult (powcount.checks): key, name, conflict, nation, relation, rationale,
        left, right, left_figures, right_figures, figure_ids, computed,
        computed_with_tolerance, computed_best, stated, stated_with_tolerance,
        stated_best, difference, difference_best, verdict ('holds'|'can-hold'|
        'within-tolerance'|'fails'|'not-comparable'), date_gap_days: int, deviation: int,
        deviation_pct: float|None,
        arithmetic: str, as_of: list[str]
    Evidence: figure_id, source, document, line, column, value_text, quote
    SourceMatrix: conflicts: list[str], sources: list[str], rows: list[MatrixRow]
    MatrixRow: key, conflict, nation, quantity, unit, as_of, status,
        cells: dict[source id, value_text|None], figure_ids: list[str]
    SourcePair: source_a, source_b, shared_quantities: int, shared_groups: int,
        agree: int, consistent: int, conflict: int, date_gap_days: int, a_relays_b: bool,
        b_relays_a: bool, a_cites_b: bool, b_cites_a: bool, shared_originators: list[str],
        dependent: bool, conflict_groups: list[str], figure_ids: list[str]

Figures of one conflict, nation, quantity and unit that describe the same thing form a
group (MATCHING_RULE, powcount.matching): events whose periods overlap, counts at a
date measured within the stock window. Figures are never added up across sources: a
group reports the envelope, the common interval, the lowest best value and one
preferred value, with its date gap. docs/reconciliation.md states every rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from powcount.checks import (
    CHECK_RULE,
    MAX_COMBINATIONS,
    CheckResult,
    check_frame,
    check_results,
)
from powcount.conflicts import covered_conflicts, known_conflict
from powcount.errors import UsageProblem
from powcount.intervals import Interval
from powcount.matching import MATCHING_RULE as MATCHING_RULE  # stated with the results
from powcount.matching import WINDOW_KINDS, period_clusters
from powcount.models import suggest
from powcount.ordering import group_order, source_places
from powcount.provenance import DEPENDENCE_RULE, Provenance, independent_sources
from powcount.render.base import Cell, Result, Table, table_from_records
from powcount.series import SERIES_KEY, SERIES_KINDS, TREND_RULE, SeriesResult
from powcount.startup import collector_paused

if TYPE_CHECKING:
    from powcount.catalog import Catalog

Status = Literal["agree", "consistent", "conflict", "single-source"]

#: How the preferred value of a group is chosen; stated in every output.
PREFERRED_RULE = (
    "preferred value: the figure whose source has the best reliability grade (A before F), "
    "then the most recent publication, then the best credibility (1 before 6), then the "
    "lowest figure id"
)


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)


class Tolerances(_Result):
    approximate_tolerance: float = Field(
        description="Share added on each side of an approximate number stated to the unit "
        "(settings.yaml); a round number is read by its precision."
    )
    check_tolerance: float = Field(
        description="Relative deviation under which a check holds within tolerance."
    )
    max_check_combinations: int = Field(
        description="Combinations of figures evaluated per check, conflict and nation."
    )


class StatedValue(_Result):
    figure_id: str
    source: str
    value_text: str
    qualifier: str
    low: int
    best: int
    high: int | None
    as_of: str
    reliability: str
    published: str | None
    credibility: int
    claimant: str = Field(description="Original claimant: attributed_to, else the source.")


class GroupResult(_Result):
    key: str = Field(description="conflict/nation/quantity/unit/as_of.")
    conflict: str
    nation: str
    quantity: str
    unit: str
    as_of: str = Field(description="The group's as_of texts in start order, ', '-joined.")
    date_gap_days: int = Field(
        description="Days between the earliest-ending and the latest-starting period of "
        "the group's figures; 0 when they all overlap.")
    status: Status
    values: list[StatedValue] = Field(description="Each figure of the group, by source.")
    envelope: Interval = Field(description="Lowest low to highest high.")
    common: Interval | None = Field(description="Intersection of the intervals; null if none.")
    conservative: int = Field(description="Lowest best value stated.")
    conservative_figure: str
    preferred: int = Field(description="Best value of the preferred figure (see rule).")
    preferred_figure: str
    preferred_source: str
    n_figures: int
    n_sources: int
    n_independent: int = Field(
        description="Sources counted once per chain of dependence (DEPENDENCE_RULE); never "
        "more than n_sources.")
    source_ids: list[str]
    gap: int | None = Field(description="conflict: highest low minus lowest high.")
    deviation_pct: float | None = Field(description="conflict: gap as a percent of lowest high.")
    figure_ids: list[str]


class Evidence(_Result):
    figure_id: str
    source: str
    document: str
    line: int
    column: int
    value_text: str
    quote: str


class Findings(_Result):
    conflicts: int = Field(description="Groups whose figures conflict.")
    series_flags: int = Field(description="Series steps against the expected direction.")
    failed_checks: int = Field(description="Check combinations that fail.")
    total: int


class Reconciliation(_Result):
    conflicts: list[str] = Field(description="Conflicts covered.")
    tolerances: Tolerances
    preferred_rule: str
    groups: list[GroupResult]
    series: list[SeriesResult]
    checks: list[CheckResult]
    notes: list[str]
    evidence: list[Evidence] = Field(description="Quotes and places; filled with --verbose.")
    findings: Findings


class MatrixRow(_Result):
    key: str
    conflict: str
    nation: str
    quantity: str
    unit: str
    as_of: str
    status: Status
    stated: dict[str, str] = Field(
        exclude=True, description="Source id -> value_text, only the sources stating the group.")
    figure_ids: list[str]
    # The matrix's columns, shared by every row: a row holds only its filled cells, and
    # the wide form (a cell per source) is built when it is read or serialised.
    _sources: tuple[str, ...] = PrivateAttr(default=())

    @property
    def cells(self) -> dict[str, str | None]:
        """Source id -> value_text (or null), one entry per source of the matrix."""
        stated = self.stated
        return {sid: stated.get(sid) for sid in self._sources}

    @model_serializer(mode="wrap")
    def _wide(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        dumped: dict[str, Any] = handler(self)
        figure_ids = dumped.pop("figure_ids")
        dumped["cells"] = self.cells
        dumped["figure_ids"] = figure_ids
        return dumped


class SourceMatrix(_Result):
    conflicts: list[str]
    sources: list[str]
    rows: list[MatrixRow]


class SourcePair(_Result):
    source_a: str
    source_b: str
    shared_quantities: int = Field(description="(conflict, nation, quantity, unit) both state.")
    shared_groups: int = Field(description="Groups (same as_of too) both state.")
    agree: int
    consistent: int
    conflict: int
    date_gap_days: int = Field(
        description="Largest gap in days between a figure of one and a figure of the other "
        "in a group they share; 0 when their periods overlap or they share none.")
    a_relays_b: bool = Field(description="A figure of source_a is attributed to source_b.")
    b_relays_a: bool
    a_cites_b: bool = Field(
        description="source_a cites the originator of a figure of source_b (or source_b).")
    b_cites_a: bool
    shared_originators: list[str] = Field(
        description="Originators figures of both come from (DEPENDENCE_RULE).")
    dependent: bool = Field(description="Relays, cites or shared originators.")
    conflict_groups: list[str] = Field(description="Keys of the groups where they conflict.")
    figure_ids: list[str]


# --------------------------------------------------------------------------------------
# Engine: frames first, models only for what is returned.
# --------------------------------------------------------------------------------------

#: Group key; the unit is part of it, so counts in different units are never compared.
GROUP_KEY = ["conflict", "nation", "quantity", "unit", "as_of"]

#: Stand-in for an open top inside int64 arithmetic; never leaves this module.
_OPEN = np.iinfo(np.int64).max

@dataclass(frozen=True)
class Engine:
    """The figures in group order and one row per group (see group_frame)."""

    # Sorted by group key, then preference; RangeIndex. The repeated text columns
    # (_CODED_COLUMNS) are categoricals: read them with .to_numpy(object) or astype(str).
    figures: pd.DataFrame
    groups: pd.DataFrame  # one row per group, in output order
    rows: np.ndarray  # per figure, its position in the catalog's figures (and its index)


#: Columns the engine carries; the long text (quotes, notes) stays in the catalog.
ENGINE_COLUMNS = [
    "id", "source", "conflict", "nation", "quantity", "unit", "as_of", "as_of_start",
    "as_of_end", "value_text", "qualifier", "low", "best", "high", "credibility", "claimant",
    "attributed_to",
]

#: Text columns whose values repeat: sorted through codes, returned as categoricals.
_CODED_COLUMNS = ("source", "conflict", "nation", "quantity", "unit", "as_of", "qualifier",
                  "claimant", "attributed_to", "value_text")


def engine(catalog: Catalog, conflict: str | None = None) -> Engine:
    """Sort the figures into groups and compute every group's numbers, vectorised.

    The order is ``ordering.group_order``: by group key, then by preference inside a
    group, sorted here from the catalog's sort keys (the catalog keeps its figures in
    the order they were read). The order is kept beside the sort keys (FigureIndex.kept),
    so a second reconciliation of one catalog in one process does not sort again. The
    repeated text columns come out as categoricals built from the catalog's codes.
    """
    conflict = known_conflict(catalog, conflict)
    index = catalog.figure_index()
    frame = catalog.figures[[c for c in ENGINE_COLUMNS if c not in _CODED_COLUMNS]]
    rows = None
    if conflict is not None:
        rows = np.flatnonzero(index.codes("conflict")[0] == index.code_of("conflict", conflict))
        frame = frame.take(rows)
    places = source_places(catalog.sources, index.codes("source")[1])
    placed = index.kept(("group_order", conflict, places.tobytes()),
                        lambda: group_order(index, catalog.sources, rows))
    order = None if placed.is_identity() else placed.order
    sorted_frame: dict[str, Any] = {}
    for column in ENGINE_COLUMNS:
        if column in _CODED_COLUMNS:
            # Filtered to one conflict, the categories are the values that remain.
            codes, values = index.codes(column, rows)
            if rows is not None:
                codes, values = _present(codes, values)
            sorted_frame[column] = pd.Categorical.from_codes(
                codes if order is None else codes[order], categories=values, validate=False)
        else:
            taken = frame[column] if order is None else frame[column].take(order)
            sorted_frame[column] = taken.reset_index(drop=True)
    figures = pd.DataFrame(sorted_frame)
    source_codes = index.codes("source", rows)[0]
    credibility = catalog.figures["credibility"].to_numpy(np.int64, na_value=9)
    id_ranks = index.id_ranks
    if rows is not None:
        credibility, id_ranks = credibility[rows], id_ranks[rows]
    if order is not None:
        source_codes = source_codes[order]
        credibility, id_ranks = credibility[order], id_ranks[order]
    # The preferred order as one int64 per figure (PREFERRED_RULE): grade and recency of
    # the source, credibility, id; unique, since ids are.
    preference = ((places[source_codes] * 10 + np.clip(credibility, 0, 9))
                  * max(len(index.id_ranks), 1) + id_ranks)
    rows = np.arange(len(catalog.figures)) if rows is None else rows
    kinds = {code: q.kind.value for code, q in catalog.vocabulary.quantities.items()}
    groups = _groups(figures, placed.sorted_keys, source_codes, preference, kinds,
                     catalog.settings.stock_window_days)
    groups["n_independent"] = independent_sources(
        Provenance(catalog),
        np.repeat(np.arange(len(groups)), (groups["stop"] - groups["start"]).to_numpy()),
        len(groups), figures["source"].array, figures["attributed_to"].array)
    rows = rows if order is None else rows[order]
    groups["basis"] = _group_bases(catalog, figures, groups, rows)
    return Engine(figures, groups, rows)


#: A group whose figures declare different counting bases.
MIXED_BASIS = "mixed"


def _group_bases(catalog: Catalog, figures: pd.DataFrame, groups: pd.DataFrame,
                 rows: np.ndarray) -> np.ndarray:
    """Per group, the counting basis its figures declare: a basis code, '' for none, or
    'mixed'. A figure's own basis wins over its source's. ``rows``: each figure's position
    in the catalog's figures."""
    sources = figures["source"]
    by_source = np.asarray([catalog.sources[str(sid)].basis or "" if str(sid) in catalog.sources
                            else "" for sid in sources.cat.categories] + [""], dtype=object)
    stated_at = np.zeros(0, dtype=np.int64)
    stated = np.zeros(0, dtype=object)
    if "basis" in catalog.figures.columns and len(figures):
        own = catalog.figures["basis"]
        stated_at = np.flatnonzero(own.notna().to_numpy()[rows])
        stated = own.iloc[rows[stated_at]].to_numpy(object)
    # Coded per source and per stated basis, never per figure: no text column of a
    # million values to factorize.
    named, values = pd.factorize(pd.Series(np.concatenate([by_source, stated]), dtype=object))
    codes = named[:len(by_source)][sources.cat.codes.to_numpy()]
    codes[stated_at] = named[len(by_source):]
    starts = groups["start"].to_numpy(np.int64)
    if not len(starts):
        return np.zeros(0, dtype=object)
    low, high = np.minimum.reduceat(codes, starts), np.maximum.reduceat(codes, starts)
    labels = np.asarray(values, dtype=object)[low]
    return np.where(low == high, labels, MIXED_BASIS)


def _present(codes: np.ndarray, values: Any) -> tuple[np.ndarray, Any]:
    """Codes and values with the values no code names left out (a conflict's own)."""
    used = np.bincount(codes[codes >= 0], minlength=len(values)) > 0
    if used.all():
        return codes, values
    renumbered = np.cumsum(used) - 1
    return np.where(codes >= 0, renumbered[codes], -1), values[used]


def _distinct_per_run(gid: np.ndarray, codes: np.ndarray, runs: int) -> np.ndarray:
    """Number of distinct codes in each run of equal gid (codes from 0, gid ascending).

    Packed into one int64 and sorted rather than hashed: the rows are in gid order, so
    the sort meets sorted runs (benchmarks/run.py, ``reconcile all``: half the time of
    pandas' duplicated at 1e6 figures).
    """
    if not len(gid):
        return np.zeros(runs, dtype=np.int64)
    width = int(codes.max()) + 1
    pair = np.sort(gid * width + codes)
    new = np.ones(len(pair), dtype=bool)
    new[1:] = pair[1:] != pair[:-1]
    return np.bincount(pair[new] // width, minlength=runs).astype(np.int64)


def _groups(figures: pd.DataFrame, key_codes: list[np.ndarray], source_codes: np.ndarray,
            preference: np.ndarray, kinds: dict[str, str], window_days: int) -> pd.DataFrame:
    """One row per group of comparable figures (see MATCHING_RULE); n_independent is
    filled in by the caller."""
    n = len(figures)
    if n:
        changed = np.zeros(n, dtype=bool)
        changed[0] = True
        for codes in key_codes:
            changed[1:] |= codes[1:] != codes[:-1]
        run_starts = np.flatnonzero(changed)
    else:
        run_starts = np.zeros(0, dtype=np.int64)
    day_start = figures["as_of_start"].to_numpy("datetime64[D]").astype(np.int64)
    day_end = figures["as_of_end"].to_numpy("datetime64[D]").astype(np.int64)
    series_changed = np.zeros(n, dtype=bool)
    series_changed[:1] = True
    for column in ("conflict", "nation", "quantity", "unit"):
        codes = figures[column].cat.codes.to_numpy()
        series_changed[1:] |= codes[1:] != codes[:-1]
    series_id = np.cumsum(series_changed)[run_starts]
    quantity = figures["quantity"]
    window_kind = np.array([kinds.get(str(q)) in WINDOW_KINDS
                            for q in quantity.cat.categories], dtype=bool)
    # A gap of window_days days between two periods is still within the window.
    run_allowance = np.where(window_kind[quantity.cat.codes.to_numpy()[run_starts]],
                             window_days + 1, 0) if n else np.zeros(0, dtype=np.int64)
    cluster = period_clusters(series_id, day_start[run_starts], day_end[run_starts],
                              run_allowance)
    first_run = np.ones(len(cluster), dtype=bool)
    first_run[1:] = cluster[1:] != cluster[:-1]
    starts = run_starts[first_run]
    # With no figures there are no groups, and no stop either.
    stops = np.append(starts[1:], n).astype(np.int64) if n else np.zeros(0, dtype=np.int64)
    gid = np.repeat(np.arange(len(starts)), stops - starts)

    low = figures["low"].to_numpy(np.int64, na_value=0)
    best = figures["best"].to_numpy(np.int64, na_value=0)
    high = figures["high"].to_numpy(np.int64, na_value=_OPEN)
    if len(starts):
        low_min = np.minimum.reduceat(low, starts)
        low_max = np.maximum.reduceat(low, starts)
        high_min = np.minimum.reduceat(high, starts)
        high_max = np.maximum.reduceat(high, starts)
        best_min = np.minimum.reduceat(best, starts)
        positions = np.arange(n)
        # The preferred figure: the lowest preference key (unique per figure).
        top = np.minimum.reduceat(preference, starts)
        preferred_pos = np.minimum.reduceat(np.where(preference == top[gid], positions, n),
                                            starts).astype(np.int64)
        # The conservative figure: the lowest best; ties go to the preferred order.
        tied = np.where(best == best_min[gid], preference, np.iinfo(np.int64).max)
        tied_top = np.minimum.reduceat(tied, starts)
        conservative_pos = np.minimum.reduceat(np.where(tied == tied_top[gid], positions, n),
                                               starts).astype(np.int64)
        first_start = np.minimum.reduceat(day_start, starts)
        last_start = np.maximum.reduceat(day_start, starts)
        first_end = np.minimum.reduceat(day_end, starts)
        last_end = np.maximum.reduceat(day_end, starts)
        start_at = np.minimum.reduceat(np.where(day_start == first_start[gid], positions, n),
                                       starts)
        end_at = np.minimum.reduceat(np.where(day_end == last_end[gid], positions, n), starts)
    else:
        low_min = low_max = high_min = high_max = best_min = np.zeros(0, dtype=np.int64)
        conservative_pos = preferred_pos = np.zeros(0, dtype=np.int64)
        first_start = last_start = first_end = last_end = np.zeros(0, dtype=np.int64)
        start_at = end_at = np.zeros(0, dtype=np.int64)
    n_sources = _distinct_per_run(gid, source_codes, len(starts))
    n_figures = stops - starts

    agree = (low_min == low_max) & (high_min == high_max)
    has_common = low_max <= high_min
    status = pd.array(["single-source", "agree", "consistent", "conflict"], dtype=str).take(
        np.select([n_figures == 1, agree, has_common], [0, 1, 2], default=3))
    gap = np.where(has_common, 0, low_max - np.minimum(high_min, low_max))
    with np.errstate(divide="ignore", invalid="ignore"):
        deviation = np.where(high_min > 0, 100.0 * gap / np.where(high_min > 0, high_min, 1),
                             np.nan)

    def first(column: str, at: np.ndarray = starts) -> Any:
        values = figures[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            # Taken from the categories' own array: no conversion of Python strings.
            return values.cat.categories.array.take(values.cat.codes.to_numpy()[at])
        return values.to_numpy()[at]

    def nullable(values: np.ndarray, missing: np.ndarray) -> pd.Series:
        return pd.Series(pd.array(np.where(missing, 0, values), dtype="Int64")).mask(missing)

    conflicted = ~has_common
    groups = pd.DataFrame({
        "conflict": first("conflict"),
        "nation": first("nation"),
        "quantity": first("quantity"),
        "unit": first("unit"),
        "as_of": _as_of_labels(figures, run_starts, first_run),
        "as_of_start": first("as_of_start", start_at),
        "as_of_end": first("as_of_end", end_at),
        "date_gap_days": np.maximum(last_start - first_end - 1, 0),
        "status": status,
        "n_figures": n_figures,
        "n_sources": n_sources,
        "n_independent": n_sources,
        "envelope_low": low_min,
        "envelope_high": nullable(high_max, high_max == _OPEN),
        "common_low": nullable(low_max, conflicted),
        "common_high": nullable(high_min, conflicted | (high_min == _OPEN)),
        "conservative": best_min,
        "conservative_pos": conservative_pos,
        "preferred": best[preferred_pos] if n else best_min,
        "preferred_pos": preferred_pos,
        "gap": nullable(gap, ~conflicted),
        "deviation_pct": np.where(conflicted, np.round(deviation, 1), np.nan),
        "start": starts,
        "stop": stops,
    })
    groups["envelope_low"] = groups["envelope_low"].astype("Int64")
    return groups


def _as_of_labels(figures: pd.DataFrame, run_starts: np.ndarray,
                  first_run: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """A group's as_of: its one as_of text, or its distinct texts in start order, ', '-joined.

    The texts of each group's runs are joined by pyarrow in one call over a list per
    group (benchmarks/run.py, ``reconcile all``: a Python join per group of several
    runs, 25,000 of them at 1e6 figures, cost 0.05 s), and stay pyarrow strings.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    as_of = figures["as_of"]
    run_texts = as_of.cat.categories.array.take(as_of.cat.codes.to_numpy()[run_starts])
    values = pa.chunked_array(pa.array(run_texts)).combine_chunks()
    offsets = np.append(np.flatnonzero(first_run), len(first_run)).astype(np.int64)
    lists = pa.LargeListArray.from_arrays(pa.array(offsets, type=pa.int64()), values)
    return pd.array(pc.binary_join(lists, pa.scalar(", ", type=values.type)), dtype="str")


def group_frame(catalog: Catalog, conflict: str | None = None) -> pd.DataFrame:
    """One row per group, no models: the engine alone (for benchmarks and exports).

    Columns: conflict, nation, quantity, unit, as_of, as_of_start, as_of_end, status,
    n_figures, n_sources, n_independent, envelope_low, envelope_high, common_low, common_high,
    conservative, conservative_pos, preferred, preferred_pos, gap, deviation_pct,
    start, stop (``*_pos``, start and stop index the engine's sorted figures).
    """
    return engine(catalog, conflict).groups


# --------------------------------------------------------------------------------------
# Models from the frames.
# --------------------------------------------------------------------------------------

STATUS_RULE = (
    "status: single-source when a group has one figure; agree when every figure gives the "
    "same interval; consistent when the intervals share at least one value; conflict when "
    "they share none (gap = highest low minus lowest high; deviation % = gap / lowest high)"
)


def _opt(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def tolerances(catalog: Catalog) -> Tolerances:
    return Tolerances(approximate_tolerance=catalog.settings.approximate_tolerance,
                      check_tolerance=catalog.settings.check_tolerance,
                      max_check_combinations=MAX_COMBINATIONS)


def group_results(catalog: Catalog, eng: Engine) -> list[GroupResult]:
    figures = eng.figures
    columns = {name: figures[name].to_numpy(object) for name in (
        "id", "source", "value_text", "qualifier", "low", "best", "high", "as_of",
        "credibility", "claimant")}
    sources = catalog.sources
    results = []
    group_rows: list[Any] = list(eng.groups.itertuples(index=False))
    for row in group_rows:
        values = []
        for position in range(row.start, row.stop):
            values.append(StatedValue(
                figure_id=columns["id"][position], source=columns["source"][position],
                value_text=columns["value_text"][position],
                qualifier=columns["qualifier"][position],
                low=int(columns["low"][position]), best=int(columns["best"][position]),
                high=_opt(columns["high"][position]), as_of=columns["as_of"][position],
                reliability=sources[columns["source"][position]].reliability.value,
                published=sources[columns["source"][position]].published,
                credibility=int(columns["credibility"][position]),
                claimant=columns["claimant"][position],
            ))
        conflicted = row.status == "conflict"
        results.append(GroupResult(
            key="/".join(str(getattr(row, c)) for c in GROUP_KEY),
            conflict=row.conflict, nation=row.nation, quantity=row.quantity, unit=row.unit,
            as_of=row.as_of, date_gap_days=int(row.date_gap_days), status=row.status,
            values=values,
            envelope=Interval(low=int(row.envelope_low), high=_opt(row.envelope_high)),
            common=None if conflicted else Interval(low=_opt(row.common_low),
                                                    high=_opt(row.common_high)),
            conservative=int(row.conservative),
            conservative_figure=columns["id"][row.conservative_pos],
            preferred=int(row.preferred), preferred_figure=columns["id"][row.preferred_pos],
            preferred_source=columns["source"][row.preferred_pos],
            n_figures=int(row.n_figures), n_sources=int(row.n_sources),
            n_independent=int(row.n_independent),
            source_ids=sorted({v.source for v in values}),
            gap=_opt(row.gap),
            deviation_pct=None if pd.isna(row.deviation_pct) else float(row.deviation_pct),
            figure_ids=sorted(v.figure_id for v in values),
        ))
    return results


def evidence_for(catalog: Catalog, figure_ids: set[str]) -> list[Evidence]:
    figures = catalog.figures
    chosen = figures[figures["id"].isin(figure_ids)].sort_values("id")
    rows: list[Any] = list(chosen.itertuples(index=False))
    return [
        Evidence(figure_id=row.id, source=row.source, document=row.document,
                 line=int(row.line), column=int(row.column), value_text=row.value_text,
                 quote=row.quote)
        for row in rows
    ]


def reconcile(catalog: Catalog, conflict: str | None = None,
              evidence: bool = False) -> Reconciliation:
    """Groups, series and checks of one conflict (None or 'all': every conflict)."""
    from powcount.series import series_results

    conflict = known_conflict(catalog, conflict)
    eng = engine(catalog, conflict)
    with collector_paused():
        groups = group_results(catalog, eng)
        series = series_results(catalog, eng.figures, eng.groups)
        frame, notes = check_frame(catalog, conflict)
        checks = check_results(catalog, frame)
    findings = Findings(
        conflicts=sum(g.status == "conflict" for g in groups),
        series_flags=sum(len(s.flags) for s in series),
        failed_checks=sum(c.verdict == "fails" for c in checks),
        total=0,
    )
    findings = findings.model_copy(update={
        "total": findings.conflicts + findings.series_flags + findings.failed_checks})
    behind: set[str] = set()
    if evidence:
        for items in (groups, series, checks):
            for item in items:
                behind.update(item.figure_ids)
    return Reconciliation(
        conflicts=covered_conflicts(catalog, conflict), tolerances=tolerances(catalog),
        preferred_rule=PREFERRED_RULE, groups=groups, series=series, checks=checks,
        notes=notes, evidence=evidence_for(catalog, behind) if evidence else [],
        findings=findings,
    )


def timeline(catalog: Catalog, quantity: str, conflict: str | None = None,
             nation: str | None = None) -> list[SeriesResult]:
    """Every point of one quantity over time, per conflict and nation (one point or more);
    steps only between the points of a stock or a cumulative count."""
    from powcount.series import series_results

    vocabulary = catalog.vocabulary
    if quantity not in vocabulary.quantities:
        raise UsageProblem(f"unknown quantity '{quantity}'"
                           f"{suggest(quantity, vocabulary.quantities)}: choose one of "
                           + ", ".join(sorted(vocabulary.quantities)))
    if nation is not None and nation not in vocabulary.nations:
        raise UsageProblem(f"unknown nation '{nation}'{suggest(nation, vocabulary.nations)}: "
                           "choose one of " + ", ".join(sorted(vocabulary.nations)))
    eng = engine(catalog, conflict)
    # Events, estimates and targets are listed in time order, never chained into steps.
    listed = (frozenset() if vocabulary.quantities[quantity].kind.value in SERIES_KINDS
              else frozenset({quantity}))
    return series_results(catalog, eng.figures, eng.groups, quantity=quantity, nation=nation,
                          min_points=1, listed=listed)


def compare_sources(catalog: Catalog, conflict: str | None = None) -> SourceMatrix:
    """One row per group, one column per source: what each source states.

    Only the cells a source fills are kept (most sources state few groups); rows give
    the wide form on demand.
    """
    conflict = known_conflict(catalog, conflict)
    eng = engine(catalog, conflict)
    figures, groups = eng.figures, eng.groups
    n_groups = len(groups)
    starts = groups["start"].to_numpy(np.int64)
    stops = groups["stop"].to_numpy(np.int64)
    gid = np.repeat(np.arange(n_groups), stops - starts)
    source_codes, source_ids = pd.factorize(figures["source"], sort=True)
    sources = [str(sid) for sid in source_ids]
    # Figures of one group and source are joined in the engine's preference order; the
    # frame is already in group order, so a stable sort by (group, source) keeps it.
    order = np.lexsort((source_codes, gid))
    cell_gid, cell_source = gid[order], source_codes[order]
    texts = figures["value_text"].to_numpy(object)[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (cell_gid[1:] != cell_gid[:-1]) | (cell_source[1:] != cell_source[:-1])
    cell_starts = np.flatnonzero(new)
    # No figures: no cells, and no stop either.
    cell_stops = np.append(cell_starts[1:], len(order)) if len(order) else cell_starts
    stated: list[dict[str, str]] = [{} for _ in range(n_groups)]
    for begin, end in zip(cell_starts.tolist(), cell_stops.tolist(), strict=True):
        text = texts[begin] if end - begin == 1 else "; ".join(texts[begin:end])
        stated[cell_gid[begin]][sources[cell_source[begin]]] = text
    ids = figures["id"].to_numpy(object)
    columns = [groups[c].to_numpy(object) for c in (*GROUP_KEY, "status")]
    rows = []
    shared = tuple(sources)
    with collector_paused():
        for index, (conflict_, nation, quantity, unit, as_of, status) in enumerate(
                zip(*columns, strict=True)):
            row = MatrixRow(
                key=f"{conflict_}/{nation}/{quantity}/{unit}/{as_of}", conflict=conflict_,
                nation=nation, quantity=quantity, unit=unit, as_of=as_of, status=status,
                stated=stated[index],
                figure_ids=sorted(ids[starts[index]:stops[index]].tolist()),
            )
            row._sources = shared
            rows.append(row)
    return SourceMatrix(conflicts=covered_conflicts(catalog, conflict), sources=sources,
                        rows=rows)


def _joined(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """The columns' values joined with '/', row by row (also when there are no rows)."""
    joined = frame[columns[0]].astype(str)
    for column in columns[1:]:
        joined = joined + "/" + frame[column].astype(str)
    return joined.to_numpy(object)


def source_pairs(catalog: Catalog, conflict: str | None = None) -> list[SourcePair]:
    """Pairs of sources stating the same quantities: agreement, conflict, dependence."""
    conflict = known_conflict(catalog, conflict)
    eng = engine(catalog, conflict)
    figures, groups = eng.figures, eng.groups
    gid = np.repeat(np.arange(len(groups)), (groups["stop"] - groups["start"]).to_numpy())
    provenance = Provenance(catalog)
    origin_codes, origins = provenance.originators(figures["source"].array,
                                                   figures["attributed_to"].array)
    per = pd.DataFrame({
        "gid": gid,
        "series": _joined(figures, SERIES_KEY),
        "source": figures["source"].to_numpy(),
        "id": figures["id"].to_numpy(),
        "low": figures["low"].to_numpy(np.int64),
        "high": figures["high"].to_numpy(np.int64, na_value=_OPEN),
        "start": figures["as_of_start"].to_numpy("datetime64[D]").astype(np.int64),
        "end": figures["as_of_end"].to_numpy("datetime64[D]").astype(np.int64),
        "origin": np.asarray(origins, dtype=object)[origin_codes] if len(origin_codes)
        else np.zeros(0, dtype=object),
    })
    # Every figure of one source against every figure of the other in the same group;
    # the pair's status in that group is the worst of them, its date gap the largest.
    columns = ["gid", "source", "low", "high", "start", "end"]
    figure_pairs = per[columns].merge(per[columns], on="gid", suffixes=("_a", "_b"))
    figure_pairs = figure_pairs[figure_pairs["source_a"] < figure_pairs["source_b"]]
    same = ((figure_pairs["low_a"] == figure_pairs["low_b"])
            & (figure_pairs["high_a"] == figure_pairs["high_b"]))
    overlap = ((figure_pairs["low_a"] <= figure_pairs["high_b"])
               & (figure_pairs["low_b"] <= figure_pairs["high_a"]))
    gap = np.maximum(np.maximum(figure_pairs["start_a"].to_numpy(),
                                figure_pairs["start_b"].to_numpy())
                     - np.minimum(figure_pairs["end_a"].to_numpy(),
                                  figure_pairs["end_b"].to_numpy()) - 1, 0)
    figure_pairs = figure_pairs.assign(rank=np.select([same, overlap], [0, 1], 2), gap=gap)
    both = (figure_pairs.groupby(["gid", "source_a", "source_b"], sort=True)
            .agg(rank=("rank", "max"), gap=("gap", "max")).reset_index())
    both["status"] = np.array(["agree", "consistent", "conflict"])[both["rank"].to_numpy()]
    keys = groups.apply(lambda r: "/".join(str(r[c]) for c in GROUP_KEY), axis=1) \
        if len(groups) else pd.Series(dtype=str)
    quantities = per[["series", "source"]].drop_duplicates()
    shared = quantities.merge(quantities, on="series", suffixes=("_a", "_b"))
    shared = shared[shared["source_a"] < shared["source_b"]]
    relays = set()
    attributed = figures[figures["attributed_to"].isin(list(catalog.sources))]
    for source, origin in zip(attributed["source"], attributed["attributed_to"], strict=True):
        relays.add((str(source), str(origin)))
    # Who each source's figures come from, and whom it cites (with itself, by its id).
    origins_of = {str(sid): set(rows["origin"]) for sid, rows in per.groupby("source",
                                                                           observed=True)}
    pairs = []
    for (a, b), series_rows in shared.groupby(["source_a", "source_b"], sort=True):
        rows = both[(both["source_a"] == a) & (both["source_b"] == b)]
        counts = rows["status"].value_counts()
        series_keys = set(series_rows["series"])
        ids = per[per["source"].isin([a, b]) & per["series"].isin(series_keys)]["id"]
        a_origins, b_origins = origins_of.get(str(a), set()), origins_of.get(str(b), set())
        a_cites_b = bool(provenance.reach(str(a), a_origins)
                         & (b_origins | {provenance.own(str(b))}))
        b_cites_a = bool(provenance.reach(str(b), b_origins)
                         & (a_origins | {provenance.own(str(a))}))
        common = sorted(a_origins & b_origins)
        pairs.append(SourcePair(
            source_a=str(a), source_b=str(b), shared_quantities=len(series_keys),
            shared_groups=len(rows), agree=int(counts.get("agree", 0)),
            consistent=int(counts.get("consistent", 0)),
            conflict=int(counts.get("conflict", 0)),
            date_gap_days=int(rows["gap"].max()) if len(rows) else 0,
            a_relays_b=(a, b) in relays, b_relays_a=(b, a) in relays,
            a_cites_b=a_cites_b, b_cites_a=b_cites_a, shared_originators=common,
            dependent=(a, b) in relays or (b, a) in relays or a_cites_b or b_cites_a
            or bool(common),
            conflict_groups=sorted(keys.iloc[rows[rows["status"] == "conflict"]["gid"]]
                                   .tolist()),
            figure_ids=sorted(ids.tolist()),
        ))
    return pairs


# --------------------------------------------------------------------------------------
# Tables: flat rows for table, CSV and markdown; the payload is the models themselves.
# --------------------------------------------------------------------------------------

GROUP_COLUMNS = (
    "conflict", "nation", "quantity", "unit", "as_of", "date_gap_days", "status", "values",
    "envelope_low", "envelope_high", "common_low", "common_high", "conservative", "preferred",
    "preferred_figure", "sources", "independent", "gap", "deviation_pct", "figures",
)
GROUP_BRIEF = (
    "conflict", "nation", "quantity", "as_of", "date_gap_days", "status", "values", "envelope_low",
    "envelope_high", "preferred", "sources", "independent", "gap", "deviation_pct",
)
SERIES_COLUMNS = (
    "conflict", "nation", "quantity", "unit", "as_of", "value_text", "best", "low", "high",
    "change", "change_low", "change_high", "years", "trend", "rate_per_year", "flag",
    "figures",
)
SERIES_BRIEF = (
    "conflict", "nation", "quantity", "as_of", "value_text", "low", "high", "change_low",
    "change_high", "years", "trend", "rate_per_year", "flag",
)
CHECK_COLUMNS = (
    "check", "conflict", "nation", "arithmetic", "relation", "computed_low", "computed_high",
    "stated_low", "stated_high", "date_gap_days", "verdict", "deviation", "deviation_pct",
    "difference_low", "difference_high", "difference_best", "figures",
)
CHECK_BRIEF = (
    "check", "conflict", "nation", "arithmetic", "relation", "date_gap_days", "verdict",
    "deviation",
    "deviation_pct", "difference_best",
)
EVIDENCE_COLUMNS = ("figure", "source", "document", "line", "value_text", "quote")
PAIR_COLUMNS = (
    "source_a", "source_b", "shared_quantities", "shared_groups", "agree", "consistent",
    "conflict", "date_gap_days", "dependence", "conflict_groups", "figures",
)


def _ids(ids: list[str]) -> str:
    return " ".join(ids)


def series_rows(series: list[SeriesResult]) -> list[dict[str, Cell]]:
    rows: list[dict[str, Cell]] = []
    for s in series:
        steps = {step.to_as_of: step for step in s.steps}
        for point in s.points:
            step = steps.get(point.as_of)
            rows.append({
                "conflict": s.conflict, "nation": s.nation, "quantity": s.quantity,
                "unit": s.unit, "as_of": point.as_of, "value_text": point.value_text,
                "best": point.best, "low": point.interval.low, "high": point.interval.high,
                "change": step.change if step else None,
                "change_low": step.change_interval.low if step else None,
                "change_high": step.change_interval.high if step else None,
                "years": step.years if step else None,
                "trend": step.trend if step else None,
                "rate_per_year": step.rate_per_year if step else None,
                "flag": step.flag if step else None,
                "figures": _ids(point.figure_ids),
            })
    return rows


def check_rows(checks: list[CheckResult]) -> list[dict[str, Cell]]:
    return [{
        "check": c.name, "conflict": c.conflict, "nation": c.nation,
        "arithmetic": c.arithmetic, "relation": c.relation,
        "computed_low": c.computed.low, "computed_high": c.computed.high,
        "stated_low": c.stated.low, "stated_high": c.stated.high,
        "date_gap_days": c.date_gap_days, "verdict": c.verdict,
        "deviation": c.deviation, "deviation_pct": c.deviation_pct,
        "difference_low": c.difference.low, "difference_high": c.difference.high,
        "difference_best": c.difference_best, "figures": _ids(c.figure_ids),
    } for c in checks]


def tolerance_note(values: Tolerances) -> str:
    return (f"tolerances (data/settings.yaml): an approximate word reads a round number as "
            f"rounded to its last non-zero digit, and widens a number stated to the unit by "
            f"{values.approximate_tolerance:.0%} each side; a check missing its right side "
            f"by up to {values.check_tolerance:.0%} for every value is within tolerance")


def series_table(series: list[SeriesResult], verbose: bool = False) -> Table:
    return table_from_records(
        "series", "Series", SERIES_COLUMNS, series_rows(series),
        notes=(TREND_RULE, *(s.summary for s in series)),
        brief=SERIES_BRIEF + (("figures",) if verbose else ()))


def checks_table(checks: list[CheckResult], notes: list[str] = (),  # type: ignore[assignment]
                 verbose: bool = False) -> Table:
    return table_from_records(
        "checks", "Accounting checks", CHECK_COLUMNS, check_rows(checks),
        notes=(CHECK_RULE, *notes),
        brief=CHECK_BRIEF + (("figures",) if verbose else ()))


def series_result(series: list[SeriesResult]) -> Result:
    return Result((series_table(series),), [s.model_dump(mode="json") for s in series])


def checks_result(catalog: Catalog, checks: list[CheckResult]) -> Result:
    failed = sum(c.verdict == "fails" for c in checks)
    return Result((checks_table(checks),), [c.model_dump(mode="json") for c in checks],
                  notes=(f"{len(checks)} checks, {failed} failed",
                         tolerance_note(tolerances(catalog))))


def matrix_result(matrix: SourceMatrix) -> Result:
    columns = ("conflict", "nation", "quantity", "unit", "as_of", "status", *matrix.sources,
               "figures")
    rows = []
    for row in matrix.rows:
        record: dict[str, Cell] = {
            "conflict": row.conflict, "nation": row.nation, "quantity": row.quantity,
            "unit": row.unit, "as_of": row.as_of, "status": row.status,
            "figures": _ids(row.figure_ids)}
        record.update(row.stated)
        rows.append(record)
    brief = ("conflict", "nation", "quantity", "as_of", "status", *matrix.sources)
    table = table_from_records("sources", "Sources compared", columns, rows, brief=brief)
    return Result((table,), matrix.model_dump(mode="json"))


def pairs_result(pairs: list[SourcePair]) -> Result:
    rows = []
    for p in pairs:
        reasons = [f"{p.source_a} relays {p.source_b}"] if p.a_relays_b else []
        reasons += [f"{p.source_b} relays {p.source_a}"] if p.b_relays_a else []
        reasons += [f"{p.source_a} cites an originator of {p.source_b}"] if p.a_cites_b else []
        reasons += [f"{p.source_b} cites an originator of {p.source_a}"] if p.b_cites_a else []
        reasons += [f"both from {o}" for o in p.shared_originators]
        dependence = "; ".join(reasons) or "none"
        rows.append({
            "source_a": p.source_a, "source_b": p.source_b,
            "shared_quantities": p.shared_quantities, "shared_groups": p.shared_groups,
            "agree": p.agree, "consistent": p.consistent, "conflict": p.conflict,
            "date_gap_days": p.date_gap_days,
            "dependence": dependence, "conflict_groups": " ".join(p.conflict_groups),
            "figures": _ids(p.figure_ids)})
    table = table_from_records(
        "pairs", "Source pairs", PAIR_COLUMNS, rows,
        brief=PAIR_COLUMNS[:-1],
        notes=("a pair shares a quantity when both state it for the same conflict and nation; "
               "agree/consistent/conflict count the groups (matched by period, see the "
               "reconcile legend) they both state, a group by the worst of their figures; "
               "date_gap_days: the largest gap between a figure of each in those groups",
               DEPENDENCE_RULE))
    return Result((table,), [p.model_dump(mode="json") for p in pairs])
