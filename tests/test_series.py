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
    """Add a copy of figure ``like`` with some fields changed (as_of: a year)."""
    frame = catalog.figures
    row = frame[frame["id"] == like].copy()
    for column, value in changes.items():
        row[column] = value
    if "as_of" in changes:
        row["as_of_start"] = pd.Timestamp(changes["as_of"] + "-01-01")
        row["as_of_end"] = pd.Timestamp(changes["as_of"] + "-12-31")
    catalog.figures = pd.concat([frame, row], ignore_index=True)


def _without_source(catalog, source: str) -> None:
    """Drop the figures of one source."""
    catalog.figures = catalog.figures[catalog.figures["source"] != source].reset_index(
        drop=True)


def _exact(value: int) -> dict:
    return {"value_text": f"{value:,}", "low": value, "best": value, "high": value,
            "stated_low": value, "stated_high": value}


def test_korea_unaccounted_for_across_bases_has_no_trend(dataset: Path) -> None:
    (series,) = [s for s in reconcile(_catalog(dataset), "korea").series
                 if s.quantity == "unaccounted_for"]
    assert [(p.as_of, p.value_text, p.best) for p in series.points] == [
        ("1954", "approximately 8,100", 8100),
        ("1973", "more than 8,000", 8001),
        ("2015-10, 2016-11", "Over 7,800", 7801),
        ("2025", "Nearly 7,500", 7500),
    ]
    # DPAA's counts since 1973 alternate with counts of no stated basis.
    assert [(s.trend, s.rate_per_year) for s in series.steps] == [("basis-changed", None)] * 3
    assert (series.years, series.trend, series.rate_per_year) == (71.0, "basis-changed", None)
    assert series.summary == (
        "unaccounted_for (korea/us): approximately 8,100 (1954) -> more than 8,000 (1973) "
        "-> Over 7,800 (2015-10, 2016-11) -> Nearly 7,500 (2025); change -699..-550 over "
        "71.0 years: basis-changed; target accounted_for_per_year_target: at least 200 "
        "(2015, crs-2015-ndaa-target)")


def test_korea_unaccounted_for_has_an_undetermined_trend(dataset: Path) -> None:
    catalog = _catalog(dataset)
    _without_source(catalog, "dod-news-2025-korea-families")
    (series,) = [s for s in reconcile(catalog, "korea").series
                 if s.quantity == "unaccounted_for"]
    assert [(p.as_of, p.value_text, p.best) for p in series.points] == [
        ("1954", "approximately 8,100", 8100),
        ("2015-10, 2016-11", "Over 7,800", 7801),
    ]
    # "approximately 8,100", rounded to hundreds: the counts that round to it.
    assert series.points[0].interval == Interval(low=8050, high=8149)
    (step,) = series.steps
    # 7,801..open minus 8,050..8,149: not even the sign of the change is known.
    assert step.change_interval == Interval(low=-348, high=None)
    assert (step.years, step.trend, step.rate_per_year, step.flag) == (
        61.8, "undetermined", None, None)
    assert (series.years, series.trend, series.rate_per_year) == (61.8, "undetermined", None)
    assert series.direction == "non_increasing"
    assert series.rate_target == "accounted_for_per_year_target"
    # The restated "200 identifications per year" is not a target of persons accounted for.
    assert [(t.figure_id, t.conflict, t.value_text) for t in series.targets] == [
        ("crs-2015-ndaa-target", "multiple", "at least 200"),
    ]
    assert series.summary == (
        "unaccounted_for (korea/us): approximately 8,100 (1954) -> Over 7,800 (2015-10, "
        "2016-11); change -348..open over 61.8 years: undetermined; target "
        "accounted_for_per_year_target: at least 200 (2015, crs-2015-ndaa-target)")


def test_a_determined_rise_of_a_non_increasing_stock_is_flagged(dataset: Path) -> None:
    catalog = _catalog(dataset)
    _without_source(catalog, "dod-news-2025-korea-families")
    _with_figure(catalog, "new-american-2018-unaccounted-2016", id="later-drop",
                 as_of="2018", **_exact(7700))
    _with_figure(catalog, "new-american-2018-unaccounted-2016", id="later-rise",
                 as_of="2021", **_exact(9000))
    (series,) = timeline(catalog, "unaccounted_for", "korea", "us")
    assert [p.as_of for p in series.points] == ["1954", "2015-10, 2016-11", "2018", "2021"]
    drop, rise = series.steps[1:]
    # 7,700 minus 7,801..open: a drop of at least 101, of unknown size: no rate.
    assert (drop.change_interval, drop.trend, drop.rate_per_year, drop.flag) == (
        Interval(low=None, high=-101), "drop", None, None)
    assert (rise.change_interval, rise.trend, rise.years, rise.rate_per_year, rise.flag) == (
        Interval.exact(1300), "rise", 3.0, 433.3, "series-rise")
    assert series.flags == ["series-rise"]
    # The series' years are the sum of its steps' years, as printed.
    assert [step.years for step in series.steps] == [61.8, 2.2, 3.0]
    assert series.years == 67.0
    assert reconcile(catalog, "korea").findings.series_flags == 1


def test_a_drop_of_a_cumulative_count_is_flagged(dataset: Path) -> None:
    catalog = _catalog(dataset)
    _with_figure(catalog, "crs-2015-cases-clarified", id="later-drop", as_of="2019",
                 **_exact(300))
    (series,) = timeline(catalog, "cases_clarified")
    assert series.direction == "non_decreasing"
    assert series.flags == ["series-drop"]
    (step,) = series.steps
    assert (step.trend, step.change_interval, step.rate_per_year) == (
        "drop", Interval.exact(-36), -9.7)


def test_events_are_listed_never_chained(dataset: Path) -> None:
    catalog = _catalog(dataset)
    quantity = "remains_boxes_returned"
    assert quantity not in {s.quantity for s in reconcile(catalog, "korea").series}
    (series,) = timeline(catalog, quantity, "korea", "us")
    assert [p.as_of for p in series.points] == ["1990/1994", "2018-07, 2018-07/2018-08"]
    assert (series.steps, series.rate_per_year) == ([], None)
    assert series.summary == (
        "remains_boxes_returned (korea/us): 208 (1990/1994); 55 (2018-07, 2018-07/2018-08)")


def test_a_step_across_a_change_of_basis_says_so_and_gives_no_rate(dataset: Path) -> None:
    sources = dataset / "data" / "sources.yaml"
    sources.write_text(sources.read_text().replace(
        "    note: Ends with a subscription advert", "    basis: accounted_since_1973\n"
        "    note: Ends with a subscription advert"))
    catalog = _catalog(dataset)
    _without_source(catalog, "dod-news-2025-korea-families")
    _with_figure(catalog, "new-american-2018-unaccounted-2016", id="later", as_of="2021",
                 **_exact(7000))
    (series,) = timeline(catalog, "unaccounted_for", "korea", "us")
    last = series.steps[-1]
    assert (last.trend, last.rate_per_year, last.flag) == ("basis-changed", None, None)
    assert series.trend == "basis-changed"


def test_timeline_keeps_single_points_and_filters_by_nation(dataset: Path) -> None:
    catalog = _catalog(dataset)
    assert [s.key for s in timeline(catalog, "remains_returned")] == [
        "korea/unc/remains_returned/remains_sets", "korea/us/remains_returned/remains_sets"]
    (unc,) = timeline(catalog, "remains_returned", nation="unc")
    assert (len(unc.points), unc.steps, unc.rate_per_year) == (1, [], None)
    assert unc.summary == "remains_returned (korea/unc): over 4,000 (1954)"
