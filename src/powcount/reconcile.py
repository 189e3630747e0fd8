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
    GroupResult: key, conflict, nation, quantity, unit, as_of, status
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
        change_interval: Interval, years: float, rate_per_year: float|None,
        rate_target: str|None, targets: list[TargetValue], summary: str,
        figure_ids: list[str]
    SeriesPoint: as_of, midpoint_year, value_text, best, interval, status, figure_ids
    SeriesStep: from_as_of, to_as_of, years, change, change_interval, rate_per_year,
        flag ('series-rise'|'series-drop'|None), figure_ids
    TargetValue: figure_id, conflict, quantity, unit, value_text, low, best, high, as_of
    CheckResult (powcount.checks): key, name, conflict, nation, relation, rationale,
        left, right, left_figures, right_figures, figure_ids, computed,
        computed_with_tolerance, computed_best, stated, stated_with_tolerance,
        stated_best, difference, difference_best, verdict ('holds'|
        'holds-within-tolerance'|'fails'), deviation: int, deviation_pct: float|None,
        arithmetic: str, as_of: list[str]
    Evidence: figure_id, source, document, line, column, value_text, quote
    SourceMatrix: conflicts: list[str], sources: list[str], rows: list[MatrixRow]
    MatrixRow: key, conflict, nation, quantity, unit, as_of, status,
        cells: dict[source id, value_text|None], figure_ids: list[str]
    SourcePair: source_a, source_b, shared_quantities: int, shared_groups: int,
        agree: int, consistent: int, conflict: int, a_relays_b: bool, b_relays_a: bool,
        dependent: bool, conflict_groups: list[str], figure_ids: list[str]

Figures with the same conflict, nation, quantity, unit and as_of form a group.
Figures are never added up across sources: a group reports the envelope, the
common interval, the lowest best value and one preferred value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from powcount.checks import CheckResult
from powcount.errors import UsageProblem
from powcount.intervals import Interval
from powcount.models import suggest
from powcount.periods import period_bounds
from powcount.series import SeriesResult

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
    model_config = ConfigDict(frozen=True)


class Tolerances(_Result):
    approximate_tolerance: float = Field(
        description="Share added on each side of an approximate figure (settings.yaml)."
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
    as_of: str
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
    n_independent: int = Field(description="Distinct original claimants.")
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
    cells: dict[str, str | None] = Field(description="Source id -> value_text (or null).")
    figure_ids: list[str]


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
    a_relays_b: bool = Field(description="A figure of source_a is attributed to source_b.")
    b_relays_a: bool
    dependent: bool
    conflict_groups: list[str] = Field(description="Keys of the groups where they conflict.")
    figure_ids: list[str]


# --------------------------------------------------------------------------------------
# Engine: frames first, models only for what is returned.
# --------------------------------------------------------------------------------------

#: Group key; the unit is part of it, so counts in different units are never compared.
GROUP_KEY = ["conflict", "nation", "quantity", "unit", "as_of"]
SERIES_KEY = ["conflict", "nation", "quantity", "unit"]

#: Stand-in for an open top inside int64 arithmetic; never leaves this module.
_OPEN = np.iinfo(np.int64).max

_GRADE_RANK = {grade: rank for rank, grade in enumerate("ABCDEF")}


@dataclass(frozen=True)
class Engine:
    """The figures in group order and one row per group (see group_frame)."""

    figures: pd.DataFrame  # sorted: group key, then preference; RangeIndex
    groups: pd.DataFrame  # one row per group, in output order


def known_conflict(catalog: Catalog, conflict: str | None) -> str | None:
    """None and 'all' mean every conflict; anything else must be in the vocabulary."""
    if conflict is None or conflict == "all":
        return None
    known = catalog.vocabulary.conflicts
    if conflict not in known:
        raise UsageProblem(
            f"unknown conflict '{conflict}'{suggest(conflict, known)}: choose one of "
            + ", ".join(sorted(known)) + ", or all"
        )
    return conflict


def covered_conflicts(catalog: Catalog, conflict: str | None) -> list[str]:
    return [conflict] if conflict else sorted(catalog.vocabulary.conflicts)


def _codes(values: pd.Series) -> np.ndarray:
    codes, _ = pd.factorize(values, sort=True, use_na_sentinel=True)
    return codes


def _source_order(catalog: Catalog, sources: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Per figure: reliability rank (A=0) and minus the publication day (recent first)."""
    grade = {sid: _GRADE_RANK[s.reliability.value] for sid, s in catalog.sources.items()}
    published = {}
    for sid, s in catalog.sources.items():
        # Undated sources sort after dated ones.
        day = period_bounds(s.published)[0].toordinal() if s.published else 0
        published[sid] = -day if day else 1
    return (
        sources.map(grade).fillna(len(_GRADE_RANK)).to_numpy(np.int64),
        sources.map(published).fillna(1).to_numpy(np.int64),
    )


def engine(catalog: Catalog, conflict: str | None = None) -> Engine:
    """Sort the figures into groups and compute every group's numbers, vectorised."""
    conflict = known_conflict(catalog, conflict)
    frame = catalog.figures
    if conflict is not None:
        frame = frame[frame["conflict"] == conflict]
    grade, recency = _source_order(catalog, frame["source"])
    order = np.lexsort((
        _codes(frame["id"]),
        frame["credibility"].to_numpy(np.int64, na_value=9),
        recency,
        grade,
        _codes(frame["as_of"]),
        frame["as_of_start"].to_numpy("datetime64[s]").astype(np.int64),
        _codes(frame["unit"]),
        _codes(frame["quantity"]),
        _codes(frame["nation"]),
        _codes(frame["conflict"]),
    ))
    figures = frame.iloc[order].reset_index(drop=True)
    figures["reliability"] = figures["source"].map(
        {sid: s.reliability.value for sid, s in catalog.sources.items()})
    figures["published"] = figures["source"].map(
        {sid: s.published for sid, s in catalog.sources.items()})
    return Engine(figures, _groups(figures))


def _groups(figures: pd.DataFrame) -> pd.DataFrame:
    n = len(figures)
    key_codes = [_codes(figures[column]) for column in GROUP_KEY]
    if n:
        changed = np.zeros(n, dtype=bool)
        changed[0] = True
        for codes in key_codes:
            changed[1:] |= codes[1:] != codes[:-1]
        starts = np.flatnonzero(changed)
    else:
        starts = np.zeros(0, dtype=np.int64)
    stops = np.append(starts[1:], n).astype(np.int64)
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
    else:
        low_min = low_max = high_min = high_max = best_min = np.zeros(0, dtype=np.int64)
    # The conservative figure: the lowest best; ties go to the preferred order.
    is_min = best == best_min[gid] if n else np.zeros(0, dtype=bool)
    positions = np.arange(n)
    conservative_pos = (
        pd.Series(np.where(is_min, positions, n)).groupby(gid).min().to_numpy(np.int64)
        if n else np.zeros(0, dtype=np.int64)
    )
    grouped = pd.DataFrame({"gid": gid, "source": _codes(figures["source"]),
                            "claimant": _codes(figures["claimant"])})
    n_sources = grouped.groupby("gid")["source"].nunique().to_numpy(np.int64)
    n_independent = grouped.groupby("gid")["claimant"].nunique().to_numpy(np.int64)
    n_figures = stops - starts

    agree = (low_min == low_max) & (high_min == high_max)
    has_common = low_max <= high_min
    status = np.select(
        [n_figures == 1, agree, has_common],
        ["single-source", "agree", "consistent"],
        default="conflict",
    )
    gap = np.where(has_common, 0, low_max - np.minimum(high_min, low_max))
    with np.errstate(divide="ignore", invalid="ignore"):
        deviation = np.where(high_min > 0, 100.0 * gap / np.where(high_min > 0, high_min, 1),
                             np.nan)
    first = figures.iloc[starts] if n else figures.iloc[0:0]

    def nullable(values: np.ndarray, missing: np.ndarray) -> pd.Series:
        return pd.Series(pd.array(np.where(missing, 0, values), dtype="Int64")).mask(missing)

    conflicted = ~has_common
    groups = pd.DataFrame({
        "conflict": first["conflict"].to_numpy(),
        "nation": first["nation"].to_numpy(),
        "quantity": first["quantity"].to_numpy(),
        "unit": first["unit"].to_numpy(),
        "as_of": first["as_of"].to_numpy(),
        "as_of_start": first["as_of_start"].to_numpy(),
        "status": status,
        "n_figures": n_figures,
        "n_sources": n_sources,
        "n_independent": n_independent,
        "envelope_low": low_min,
        "envelope_high": nullable(high_max, high_max == _OPEN),
        "common_low": nullable(low_max, conflicted),
        "common_high": nullable(high_min, conflicted | (high_min == _OPEN)),
        "conservative": best_min,
        "conservative_pos": conservative_pos,
        "preferred": best[starts] if n else best_min,
        "preferred_pos": starts,
        "gap": nullable(gap, ~conflicted),
        "deviation_pct": np.where(conflicted, np.round(deviation, 1), np.nan),
        "start": starts,
        "stop": stops,
    })
    groups["envelope_low"] = groups["envelope_low"].astype("Int64")
    return groups


def group_frame(catalog: Catalog, conflict: str | None = None) -> pd.DataFrame:
    """One row per group, no models: the engine alone (for benchmarks and exports).

    Columns: conflict, nation, quantity, unit, as_of, as_of_start, status, n_figures,
    n_sources, n_independent, envelope_low, envelope_high, common_low, common_high,
    conservative, conservative_pos, preferred, preferred_pos, gap, deviation_pct,
    start, stop (``*_pos``, start and stop index the engine's sorted figures).
    """
    return engine(catalog, conflict).groups
