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

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from powcount.checks import CheckResult
from powcount.intervals import Interval
from powcount.series import SeriesResult

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
