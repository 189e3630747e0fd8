"""Accounting checks: relations among quantities declared in ``data/checks.yaml``.

Each check names a left side (quantities added, or subtracted with a leading
``-``), a relation (``==``, ``<=``, ``>=``) and a right side. For every
combination of figures that can fill the terms (one figure per term, per
conflict and nation), the sides are added up with interval arithmetic and the
relation is tested on the stated bounds, then on the bounds widened by the
tolerances (settings.yaml).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from powcount.intervals import Interval

Verdict = Literal["holds", "holds-within-tolerance", "fails"]
Relation = Literal["==", "<=", ">="]


class CheckResult(BaseModel):
    """One combination of figures filling one check, and its verdict."""

    model_config = ConfigDict(frozen=True)

    key: str = Field(description="name/conflict/nation/#n: unique per combination.")
    name: str = Field(description="The check's name in data/checks.yaml.")
    conflict: str
    nation: str
    relation: Relation
    rationale: str
    left: list[str] = Field(description="Left terms: quantity codes, '-' for subtracted.")
    right: list[str] = Field(description="Right terms.")
    left_figures: list[str] = Field(description="Figure ids filling the left terms, in order.")
    right_figures: list[str] = Field(description="Figure ids filling the right terms, in order.")
    figure_ids: list[str] = Field(description="Every figure used, left then right.")
    computed: Interval = Field(description="Left side from the stated bounds.")
    computed_with_tolerance: Interval = Field(
        description="Left side from the intervals widened for approximate words."
    )
    computed_best: int = Field(description="Left side from the best values.")
    stated: Interval = Field(description="Right side from the stated bounds.")
    stated_with_tolerance: Interval
    stated_best: int
    difference: Interval = Field(description="Right minus left, stated bounds.")
    difference_best: int = Field(description="Right minus left, best values.")
    verdict: Verdict
    deviation: int = Field(
        description="By how much the stated bounds miss the relation; positive when the "
        "left side is too high, negative when too low, 0 when it holds."
    )
    deviation_pct: float | None = Field(
        description="deviation as a percent of the right-side bound it misses."
    )
    arithmetic: str = Field(description="'25,000 - 4,165 = 20,835 vs some 20,000'.")
    as_of: list[str] = Field(description="as_of of each figure, left then right.")
