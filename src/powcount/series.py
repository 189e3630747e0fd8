"""Series: one quantity over time, with the change between points and its rate.

The same (conflict, nation, quantity, unit) stated at different ``as_of`` is a
series, not a conflict. Points are the groups of ``powcount.reconcile`` in
order of ``as_of`` start; a step the wrong way for the quantity's expected
direction is flagged ``series-rise`` or ``series-drop``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from powcount.intervals import Interval

SeriesFlag = Literal["series-rise", "series-drop"]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class SeriesPoint(_Result):
    as_of: str = Field(description="The point's as_of text: '1954', '2015-10'.")
    midpoint_year: float = Field(description="Middle of the as_of period as a fractional year.")
    value_text: str = Field(description="The preferred figure's words.")
    best: int = Field(description="The preferred figure's best value.")
    interval: Interval = Field(
        description="The group's common interval, or its envelope when its figures conflict."
    )
    status: str = Field(description="Status of the group behind the point.")
    figure_ids: list[str] = Field(description="Every figure stated at this point.")


class SeriesStep(_Result):
    from_as_of: str
    to_as_of: str
    years: float = Field(description="Years between the two periods' midpoints.")
    change: int = Field(description="Best value at the later point minus the earlier one.")
    change_interval: Interval = Field(
        description="Later interval minus earlier interval (interval subtraction)."
    )
    rate_per_year: float | None = Field(description="change / years; null when years is 0.")
    flag: SeriesFlag | None = Field(
        description="series-rise / series-drop when the best value moves against the "
        "quantity's expected direction."
    )
    figure_ids: list[str] = Field(description="Figures behind both points.")


class TargetValue(_Result):
    figure_id: str
    conflict: str
    quantity: str
    unit: str
    value_text: str
    low: int
    best: int
    high: int | None
    as_of: str


class SeriesResult(_Result):
    key: str = Field(description="conflict/nation/quantity/unit.")
    conflict: str
    nation: str
    quantity: str
    unit: str
    direction: str | None = Field(description="Expected direction, when the quantity has one.")
    points: list[SeriesPoint] = Field(description="Ordered by the start of as_of.")
    steps: list[SeriesStep] = Field(description="One per pair of consecutive points.")
    flags: list[SeriesFlag] = Field(description="Flags of the steps, in order.")
    change: int = Field(description="Best value at the last point minus the first.")
    change_interval: Interval
    years: float = Field(description="Years from the first point's midpoint to the last's.")
    rate_per_year: float | None
    rate_target: str | None = Field(description="Target quantity set beside the rate.")
    targets: list[TargetValue] = Field(
        description="Figures of the target quantity (same nation; same conflict or 'multiple')."
    )
    summary: str = Field(description="One sentence: first -> last, change, rate, target.")
    figure_ids: list[str]
