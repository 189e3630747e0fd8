"""Series: one quantity over time, with the change between points and its rate.

The same (conflict, nation, quantity, unit) stated at different ``as_of`` is a
series, not a conflict. Points are the groups of ``powcount.reconcile`` in
order of ``as_of`` start; a step the wrong way for the quantity's expected
direction is flagged ``series-rise`` or ``series-drop``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from powcount.intervals import Interval
from powcount.models import Direction, Quantity
from powcount.periods import period_midpoints

if TYPE_CHECKING:
    from powcount.catalog import Catalog

SERIES_KEY = ["conflict", "nation", "quantity", "unit"]

SeriesFlag = Literal["series-rise", "series-drop"]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)


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


def directions_of(quantity: Quantity) -> str | None:
    direction = quantity.expected_direction()
    return direction.value if direction is not None else None


def _nullable_int(value: Any) -> int | None:
    return None if value is None or value is pd.NA or pd.isna(value) else int(value)


def series_frame(figures: pd.DataFrame, groups: pd.DataFrame,
                 directions: dict[str, str | None], min_points: int = 2) -> pd.DataFrame:
    """One row per series point with the step from the previous point, vectorised.

    ``groups`` is the group frame of powcount.reconcile (sorted by series key and
    as_of start); only series of ``min_points`` points or more are kept.
    """
    key = groups[SERIES_KEY]
    new = np.zeros(len(groups), dtype=bool)
    new[:1] = True
    for column in SERIES_KEY:
        values = key[column].to_numpy()
        new[1:] |= values[1:] != values[:-1]
    series_id = np.cumsum(new) - 1
    sizes = np.bincount(series_id) if len(series_id) else np.zeros(0, dtype=np.int64)
    keep = sizes[series_id] >= min_points if len(series_id) else np.zeros(0, dtype=bool)
    frame = groups.loc[keep].copy()
    frame["series"] = series_id[keep]
    frame["first"] = new[keep]
    conflicted = (frame["status"] == "conflict").to_numpy()
    frame["low"] = frame["common_low"].mask(conflicted, frame["envelope_low"])
    frame["high"] = frame["common_high"].mask(conflicted, frame["envelope_high"])
    frame["best"] = frame["preferred"].astype("Int64")
    frame["value_text"] = figures["value_text"].take(frame["preferred_pos"].to_numpy()).to_numpy()
    frame["midpoint"] = period_midpoints(frame["as_of_start"].to_numpy("datetime64[s]"),
                                         frame["as_of_end"].to_numpy("datetime64[s]"))
    previous = frame[["best", "low", "high", "midpoint", "as_of"]].shift(1)
    first = frame["first"].to_numpy()
    frame["change"] = (frame["best"] - previous["best"]).mask(first)
    frame["change_low"] = (frame["low"] - previous["high"]).mask(first)
    frame["change_high"] = (frame["high"] - previous["low"]).mask(first)
    frame["from_as_of"] = previous["as_of"].mask(first)
    years = (frame["midpoint"] - previous["midpoint"]).mask(first)
    frame["years"] = years.round(2)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = frame["change"].astype("float64") / years.where(years != 0)
    frame["rate_per_year"] = rate.round(1)
    direction = frame["quantity"].map(directions)
    change = frame["change"].fillna(0).to_numpy(np.int64)
    frame["flag"] = np.select(
        [(direction == Direction.non_increasing.value).to_numpy() & (change > 0),
         (direction == Direction.non_decreasing.value).to_numpy() & (change < 0)],
        ["series-rise", "series-drop"], default="",
    )
    frame["direction"] = direction
    return frame.reset_index(drop=True)


def _interval(low: object, high: object) -> Interval:
    return Interval(low=_nullable_int(low), high=_nullable_int(high))


def series_results(catalog: Catalog, figures: pd.DataFrame, groups: pd.DataFrame,
                   quantity: str | None = None, nation: str | None = None,
                   min_points: int = 2) -> list[SeriesResult]:
    """The series among these groups as models, with rate targets beside them."""
    if quantity is not None:
        groups = groups[groups["quantity"] == quantity]
    if nation is not None:
        groups = groups[groups["nation"] == nation]
    quantities = catalog.vocabulary.quantities
    directions = {code: directions_of(q) for code, q in quantities.items()}
    frame = series_frame(figures, groups.reset_index(drop=True), directions, min_points)
    ids = figures["id"].to_numpy()
    # Rows are read once for every series (itertuples costs a column look-up per call),
    # and each series is a slice: the frame is sorted by series.
    rows = list(frame.itertuples(index=False))
    series = frame["series"].to_numpy()
    starts: list[int] = (np.flatnonzero(np.r_[True, series[1:] != series[:-1]]).tolist()
                         if len(series) else [])
    stops = [*starts[1:], len(series)] if starts else []
    return [_one_series(catalog, frame.iloc[start:stop], ids, rows[start:stop])
            for start, stop in zip(starts, stops, strict=True)]


def _one_series(catalog: Catalog, points: pd.DataFrame, ids: np.ndarray,
                rows: list[Any] | None = None) -> SeriesResult:
    head: Any = points.iloc[0]
    tail: Any = points.iloc[-1]
    point_models = []
    step_models = []
    previous_ids: list[str] = []
    point_rows: list[Any] = rows if rows is not None else list(points.itertuples(index=False))
    for row in point_rows:
        figure_ids = sorted(ids[row.start:row.stop].tolist())
        point_models.append(SeriesPoint(
            as_of=row.as_of, midpoint_year=round(float(row.midpoint), 2),
            value_text=row.value_text, best=int(row.best),
            interval=_interval(row.low, row.high), status=row.status, figure_ids=figure_ids,
        ))
        if previous_ids:
            step_models.append(SeriesStep(
                from_as_of=row.from_as_of, to_as_of=row.as_of, years=float(row.years),
                change=int(row.change), change_interval=_interval(row.change_low,
                                                                  row.change_high),
                rate_per_year=None if pd.isna(row.rate_per_year) else float(row.rate_per_year),
                flag=row.flag or None, figure_ids=sorted({*previous_ids, *figure_ids}),
            ))
        previous_ids = figure_ids
    quantity = catalog.vocabulary.quantities[head["quantity"]]
    change = int(tail["best"]) - int(head["best"])
    change_interval = _interval(tail["low"], tail["high"]) - _interval(head["low"], head["high"])
    years = round(float(tail["midpoint"]) - float(head["midpoint"]), 2)
    rate = round(change / years, 1) if years else None
    targets = _targets(catalog, quantity.rate_target, head["conflict"], head["nation"])
    key = "/".join(str(head[c]) for c in SERIES_KEY)
    summary = series_summary(head["quantity"], head["conflict"], head["nation"],
                             [(p.value_text, p.as_of) for p in point_models], change, years,
                             rate, quantity.rate_target, targets)
    flags = [step.flag for step in step_models if step.flag]
    return SeriesResult(
        key=key, conflict=head["conflict"], nation=head["nation"], quantity=head["quantity"],
        unit=head["unit"], direction=directions_of(quantity), points=point_models,
        steps=step_models, flags=flags, change=change, change_interval=change_interval,
        years=years, rate_per_year=rate, rate_target=quantity.rate_target, targets=targets,
        summary=summary,
        figure_ids=sorted({fid for p in point_models for fid in p.figure_ids}),
    )


def series_summary(quantity: str, conflict: str, nation: str, points: list[tuple[str, str]],
                   change: int, years: float, rate: float | None, rate_target: str | None,
                   targets: list[TargetValue]) -> str:
    """The one sentence of a series: its points (value_text, as_of), change, rate, target."""
    path = " -> ".join(f"{text} ({as_of})" for text, as_of in points)
    summary = f"{quantity} ({conflict}/{nation}): {path}"
    if len(points) > 1:
        summary += f"; change {change:+,} over {years:,.1f} years" + (
            f", {rate:+,.1f} a year" if rate is not None else "")
    if rate_target:
        shown = ", ".join(f"{t.value_text} ({t.as_of}, {t.figure_id})" for t in targets)
        summary += f"; target {rate_target}: {shown or 'no figure'}"
    return summary


def _targets(catalog: Catalog, target: str | None, conflict: str, nation: str) -> list[TargetValue]:
    if target is None:
        return []
    # The figures of one target quantity, found once per catalog rather than once per
    # series (a scan of every figure each time grows with figures x series).
    cache_key = f"series:target:{target}"
    figures = catalog.extras.get(cache_key)
    if figures is None:
        figures = catalog.extras[cache_key] = catalog.figures[
            catalog.figures["quantity"] == target]
    chosen = figures[(figures["nation"] == nation)
                     & figures["conflict"].isin([conflict, "multiple"])]
    chosen = chosen.sort_values(["as_of_start", "id"])
    chosen_rows: list[Any] = list(chosen.itertuples(index=False))
    return [
        TargetValue(figure_id=row.id, conflict=row.conflict, quantity=row.quantity,
                    unit=row.unit, value_text=row.value_text, low=int(row.low),
                    best=int(row.best), high=_nullable_int(row.high), as_of=row.as_of)
        for row in chosen_rows
    ]
