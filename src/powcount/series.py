"""Series: one stock or cumulative count over time, with the change between points.

The same (conflict, nation, quantity, unit) at dates too far apart to be compared is a
series, not a conflict. Only stocks and cumulative counts form series (the vocabulary's
``kind``): events are separate happenings, never chained into a rate. Points are the
groups of ``powcount.reconcile`` in order of start; each step's change is an interval,
and a trend, a rate and a flag are stated only when that interval determines them.
"""

from __future__ import annotations

from dataclasses import dataclass
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
Trend = Literal["rise", "drop", "no-change", "undetermined", "basis-changed"]

#: Kinds of quantity that form a series: one count measured at several dates.
SERIES_KINDS = frozenset({"stock", "cumulative"})

TREND_RULE = (
    "trend: rise when every value the change interval allows is above 0, drop when every "
    "one is below 0, no-change when it is exactly 0, undetermined otherwise, basis-changed "
    "when the two points count on different declared bases (no rate then); a rate per year "
    "is given only for a rise or a drop whose change interval is bounded"
)


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)


class SeriesPoint(_Result):
    as_of: str = Field(description="Year, month, day or period of the point.")
    midpoint_year: float = Field(description="Middle of the as_of period as a fractional year.")
    value_text: str = Field(description="The preferred figure's words.")
    best: int = Field(description="The preferred figure's best value.")
    interval: Interval = Field(
        description="The point's common interval, or its envelope when its figures conflict"
    )
    status: str = Field(description="Status of the group behind the point.")
    figure_ids: list[str] = Field(description="Every figure stated at this point.")


class SeriesStep(_Result):
    from_as_of: str
    to_as_of: str
    years: float = Field(description="Years between the two points' midpoints, to 0.1.")
    change: int = Field(description="Best value at the later point minus the earlier one.")
    change_interval: Interval = Field(
        description="Later interval minus earlier interval (interval subtraction)."
    )
    trend: Trend = Field(description=TREND_RULE)
    rate_per_year: float | None = Field(
        description="change / years, only when the trend is rise or drop and the change "
        "interval is bounded on both sides; else null."
    )
    flag: SeriesFlag | None = Field(
        description="series-rise / series-drop when the change interval moves against the "
        "quantity's expected direction for every value it allows."
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
    years: float = Field(description="Sum of the steps' years: first point to last.")
    trend: Trend = Field(description="Trend from the first point to the last (TREND_RULE).")
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


def series_directions(catalog: Catalog) -> dict[str, str | None]:
    """Expected direction of every quantity that forms a series (SERIES_KINDS)."""
    return {code: directions_of(q) for code, q in catalog.vocabulary.quantities.items()
            if q.kind.value in SERIES_KINDS}


def trends(change_low: pd.Series, change_high: pd.Series,
           basis_changed: np.ndarray) -> np.ndarray:
    """TREND_RULE for many changes at once (nullable bounds: missing is open)."""
    low = change_low.to_numpy(np.float64, na_value=np.nan)
    high = change_high.to_numpy(np.float64, na_value=np.nan)
    return np.select(
        [basis_changed, low > 0, high < 0, (low == 0) & (high == 0)],
        ["basis-changed", "rise", "drop", "no-change"], default="undetermined")


def rates(change: pd.Series, years: pd.Series, trend: np.ndarray, change_low: pd.Series,
          change_high: pd.Series) -> pd.Series:
    """change / years where the trend is a rise or a drop with a bounded change interval."""
    bounded = (change_low.notna() & change_high.notna()).to_numpy(bool)
    determined = np.isin(trend, ["rise", "drop"]) & bounded
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = change.astype("float64") / years.where(years != 0)
    return rate.round(1).where(determined)


def series_frame(figures: pd.DataFrame, groups: pd.DataFrame,
                 directions: dict[str, str | None], min_points: int = 2,
                 listed: frozenset[str] = frozenset()) -> pd.DataFrame:
    """One row per series point with the step from the previous point, vectorised.

    ``groups`` is the group frame of powcount.reconcile (sorted by series key and
    start); only quantities in ``directions`` (series_directions: stocks and cumulative
    counts) and series of ``min_points`` points or more are kept. Quantities in
    ``listed`` (events, for a timeline) are kept as points with no step between them.
    """
    groups = groups[groups["quantity"].isin([*directions, *listed]).to_numpy(bool)]
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
    frame["first"] = new[keep] | frame["quantity"].isin(list(listed)).to_numpy(bool)
    conflicted = (frame["status"] == "conflict").to_numpy()
    frame["low"] = frame["common_low"].mask(conflicted, frame["envelope_low"])
    frame["high"] = frame["common_high"].mask(conflicted, frame["envelope_high"])
    frame["best"] = frame["preferred"].astype("Int64")
    frame["value_text"] = figures["value_text"].take(frame["preferred_pos"].to_numpy()).to_numpy()
    frame["midpoint"] = period_midpoints(frame["as_of_start"].to_numpy("datetime64[s]"),
                                         frame["as_of_end"].to_numpy("datetime64[s]"))
    previous = frame[["best", "low", "high", "midpoint", "as_of", "basis"]].shift(1)
    first = frame["first"].to_numpy()
    frame["change"] = (frame["best"] - previous["best"]).mask(first)
    frame["change_low"] = (frame["low"] - previous["high"]).mask(first)
    frame["change_high"] = (frame["high"] - previous["low"]).mask(first)
    frame["from_as_of"] = previous["as_of"].mask(first)
    years = (frame["midpoint"] - previous["midpoint"]).mask(first)
    # One decimal, as printed: a series' years are the sum of its steps' years.
    frame["years"] = years.round(1)
    basis = frame["basis"].to_numpy(object)
    basis_changed = ((basis != previous["basis"].to_numpy(object)) | (basis == "mixed")
                     | (previous["basis"].to_numpy(object) == "mixed")) & ~first
    trend = trends(frame["change_low"], frame["change_high"], basis_changed)
    frame["trend"] = np.where(first, "", trend)
    frame["rate_per_year"] = rates(frame["change"], frame["years"], trend,
                                   frame["change_low"], frame["change_high"])
    direction = frame["quantity"].map(directions)
    frame["flag"] = np.select(
        [(direction == Direction.non_increasing.value).to_numpy() & (trend == "rise"),
         (direction == Direction.non_decreasing.value).to_numpy() & (trend == "drop")],
        ["series-rise", "series-drop"], default="",
    )
    frame["direction"] = direction
    return frame.reset_index(drop=True)


@dataclass(frozen=True)
class SeriesTotal:
    """A series from its first point to its last: the facts both encoders state."""

    change: int
    change_interval: Interval
    years: float
    trend: str
    rate_per_year: float | None


def series_total(best: list[int], low: list[int | None], high: list[int | None],
                 years: list[float], trends_: list[str]) -> SeriesTotal:
    """The whole series' change from its points (first to last) and its steps' years."""
    change = int(best[-1]) - int(best[0])
    interval = Interval(low=low[-1], high=high[-1]) - Interval(low=low[0], high=high[0])
    total_years = round(sum(years), 1)
    crossed = "basis-changed" in trends_
    trend = str(trends(pd.Series([interval.low], dtype="Int64"),
                       pd.Series([interval.high], dtype="Int64"), np.array([crossed]))[0])
    rate = rates(pd.Series([change], dtype="Int64"), pd.Series([total_years]),
                 np.array([trend]), pd.Series([interval.low], dtype="Int64"),
                 pd.Series([interval.high], dtype="Int64"))[0]
    return SeriesTotal(change, interval, total_years, trend,
                       None if pd.isna(rate) else float(rate))


def _interval(low: object, high: object) -> Interval:
    return Interval(low=_nullable_int(low), high=_nullable_int(high))


def series_results(catalog: Catalog, figures: pd.DataFrame, groups: pd.DataFrame,
                   quantity: str | None = None, nation: str | None = None,
                   min_points: int = 2, listed: frozenset[str] = frozenset()
                   ) -> list[SeriesResult]:
    """The series among these groups as models, with rate targets beside them.

    Quantities in ``listed`` come as points with no steps (see series_frame).
    """
    if quantity is not None:
        groups = groups[groups["quantity"] == quantity]
    if nation is not None:
        groups = groups[groups["nation"] == nation]
    directions = series_directions(catalog)
    frame = series_frame(figures, groups.reset_index(drop=True), directions, min_points,
                         listed)
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
        if not row.first:
            step_models.append(SeriesStep(
                from_as_of=row.from_as_of, to_as_of=row.as_of, years=float(row.years),
                change=int(row.change), change_interval=_interval(row.change_low,
                                                                  row.change_high),
                trend=row.trend,
                rate_per_year=None if pd.isna(row.rate_per_year) else float(row.rate_per_year),
                flag=row.flag or None, figure_ids=sorted({*previous_ids, *figure_ids}),
            ))
        previous_ids = figure_ids
    quantity = catalog.vocabulary.quantities[head["quantity"]]
    total = series_total([p.best for p in point_models],
                         [p.interval.low for p in point_models],
                         [p.interval.high for p in point_models],
                         [step.years for step in step_models],
                         [step.trend for step in step_models])
    targets = _targets(catalog, quantity.rate_target, head["conflict"], head["nation"])
    key = "/".join(str(head[c]) for c in SERIES_KEY)
    summary = series_summary(head["quantity"], head["conflict"], head["nation"],
                             [(p.value_text, p.as_of) for p in point_models],
                             total if step_models else None,
                             quantity.rate_target, targets)
    flags = [step.flag for step in step_models if step.flag]
    return SeriesResult(
        key=key, conflict=head["conflict"], nation=head["nation"], quantity=head["quantity"],
        unit=head["unit"], direction=directions_of(quantity), points=point_models,
        steps=step_models, flags=flags, change=total.change,
        change_interval=total.change_interval, years=total.years, trend=total.trend,
        rate_per_year=total.rate_per_year, rate_target=quantity.rate_target, targets=targets,
        summary=summary,
        figure_ids=sorted({fid for p in point_models for fid in p.figure_ids}),
    )


def series_summary(quantity: str, conflict: str, nation: str, points: list[tuple[str, str]],
                   total: SeriesTotal | None, rate_target: str | None,
                   targets: list[TargetValue]) -> str:
    """The one sentence of a series: its points (value_text, as_of), change, trend, target.

    ``total`` is None for points listed without steps (events, or one point).
    """
    # Listed points (events) are separate happenings: no arrow between them.
    path = (" -> " if total is not None else "; ").join(
        f"{text} ({as_of})" for text, as_of in points)
    summary = f"{quantity} ({conflict}/{nation}): {path}"
    if total is not None:
        summary += (f"; change {total.change_interval.text()} over {total.years:,.1f} years: "
                    f"{total.trend}")
        if total.rate_per_year is not None:
            summary += f", {total.rate_per_year:+,.1f} a year"
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
