"""Series: one quantity over time, its steps, rates, flags and rate targets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from powcount.catalog import DataRoot, load_catalog
from powcount.intervals import Interval
from powcount.reconcile import reconcile, timeline


def _catalog(root: Path):
    return load_catalog(DataRoot(root, root / "data", root / "seeds"))


def _with_figure(catalog, like: str, **changes) -> None:
    """Add a copy of figure ``like`` with some fields changed."""
    frame = catalog.figures
    row = frame[frame["id"] == like].copy()
    for column, value in changes.items():
        row[column] = value
    if "as_of" in changes:
        row["as_of_start"] = pd.Timestamp(changes["as_of"][:4] + "-06-01")
    catalog.figures = pd.concat([frame, row], ignore_index=True)


def test_korea_unaccounted_for_falls_about_600_in_seven_decades(dataset: Path) -> None:
    (series,) = [s for s in reconcile(_catalog(dataset), "korea").series
                 if s.quantity == "unaccounted_for"]
    assert [(p.as_of, p.value_text, p.best) for p in series.points] == [
        ("1954", "approximately 8,100", 8100),
        ("1973", "more than 8,000", 8001),
        ("2015-10", "Over 7,800", 7801),
        ("2016-11", "more than 7,800", 7801),
        ("2025", "Nearly 7,500", 7500),
    ]
    assert series.points[0].interval == Interval(low=7290, high=8910)
    first, second, third, last = series.steps
    assert (first.change, first.years, first.rate_per_year, first.flag) == (-99, 19.0, -5.2,
                                                                             None)
    assert first.change_interval == Interval(low=-909, high=None)
    assert (second.change, second.years, second.rate_per_year) == (-200, 42.29, -4.7)
    assert (third.change, third.change_interval) == (0, Interval(low=None, high=None))
    assert (last.change, last.change_interval, last.flag) == (-301, Interval(low=None, high=-301),
                                                              None)
    assert (series.change, series.years, series.rate_per_year) == (-600, 71.0, -8.5)
    assert series.direction == "non_increasing"
    assert series.rate_target == "accounted_for_per_year_target"
    # The restated "200 identifications per year" is not a target of persons accounted for.
    assert [(t.figure_id, t.conflict, t.value_text) for t in series.targets] == [
        ("crs-2015-ndaa-target", "multiple", "at least 200"),
    ]
    assert series.summary == (
        "unaccounted_for (korea/us): approximately 8,100 (1954) -> more than 8,000 (1973) -> "
        "Over 7,800 (2015-10) -> more than 7,800 (2016-11) -> Nearly 7,500 (2025); change "
        "-600 over 71.0 years, -8.5 a year; target accounted_for_per_year_target: at least "
        "200 (2015, crs-2015-ndaa-target)")


def test_a_rise_of_a_non_increasing_stock_is_flagged(dataset: Path) -> None:
    catalog = _catalog(dataset)
    _with_figure(catalog, "new-american-2018-unaccounted-2016", id="later-rise",
                 as_of="2030", value_text="9,000", low=9000, best=9000, high=9000)
    (series,) = timeline(catalog, "unaccounted_for", "korea", "us")
    assert series.flags == ["series-rise"]
    assert series.steps[-1].flag == "series-rise"
    assert series.steps[-1].change == 1500
    assert reconcile(catalog, "korea").findings.series_flags == 1


def test_a_drop_of_a_cumulative_count_is_flagged(dataset: Path) -> None:
    catalog = _catalog(dataset)
    _with_figure(catalog, "crs-2015-cases-clarified", id="later-drop", as_of="2019",
                 value_text="300", low=300, best=300, high=300)
    (series,) = timeline(catalog, "cases_clarified")
    assert series.direction == "non_decreasing"
    assert series.flags == ["series-drop"]


def test_timeline_keeps_single_points_and_filters_by_nation(dataset: Path) -> None:
    catalog = _catalog(dataset)
    assert [s.key for s in timeline(catalog, "remains_returned")] == [
        "korea/unc/remains_returned/remains_sets", "korea/us/remains_returned/remains_sets"]
    (unc,) = timeline(catalog, "remains_returned", nation="unc")
    assert (len(unc.points), unc.steps, unc.rate_per_year) == (1, [], None)
    assert unc.summary == "remains_returned (korea/unc): over 4,000 (1954)"
