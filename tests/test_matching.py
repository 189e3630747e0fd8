"""Figures compared by period: events when they overlap, stocks within the window."""

from __future__ import annotations

import json
from pathlib import Path

from matching_data import add_source, figure

from powcount.reconcile import MATCHING_RULE

BIG_SWITCH = """Operation Big Switch.
In August and September 1953 the Communist side released 3,597 Americans.
On 10 September 1953 a last group of 20 Americans crossed at Panmunjom.
"""


def _groups(run, dataset: Path, conflict: str = "korea") -> dict[str, dict]:
    result = run(["reconcile", conflict, "--format", "json"], data=dataset)
    assert result.exit_code == 0, result.stderr
    return {g["key"]: g for g in json.loads(result.stdout)["groups"]}


def _big_switch(dataset: Path) -> None:
    add_source(dataset, "big-switch", BIG_SWITCH,
               figure("big-switch-total", "released_after_armistice", "3,597",
                      "the Communist side released 3,597 Americans", "1953-08/1953-09")
               + figure("big-switch-last", "released_after_armistice", "20",
                        "a last group of 20 Americans", "1953-09-10"))


def test_overlapping_events_are_compared_not_chained(run, dataset: Path) -> None:
    _big_switch(dataset)
    groups = _groups(run, dataset)
    key = "korea/us/released_after_armistice/persons/1953-08/1953-09, 1953-08-05/1953-09-06"
    group = groups[key]
    assert (group["status"], group["date_gap_days"]) == ("conflict", 0)
    assert [v["figure_id"] for v in group["values"]] == [
        "big-switch-total", "crs-2015-released-august-1953"]
    assert (group["gap"], group["n_sources"]) == (284, 2)
    # 1953-09-10 overlaps 1953-08/1953-09 but not 1953-08-05/1953-09-06: the sweep gives
    # it its own group.
    assert groups["korea/us/released_after_armistice/persons/1953-09-10"]["n_figures"] == 1
    # Events are never a series.
    result = run(["reconcile", "korea", "--format", "json"], data=dataset)
    series = json.loads(result.stdout)["series"]
    assert "released_after_armistice" not in {s["quantity"] for s in series}


def test_stocks_within_the_window_are_compared_with_their_date_gap(run, dataset: Path) -> None:
    group = _groups(run, dataset)["korea/us/unaccounted_for/persons/2015-10, 2016-11"]
    assert (group["status"], group["date_gap_days"], group["n_sources"]) == ("agree", 366, 2)
    assert "korea/us/unaccounted_for/persons/1954" in _groups(run, dataset)


def test_a_narrower_window_keeps_the_stocks_apart(run, dataset: Path) -> None:
    settings = dataset / "data" / "settings.yaml"
    settings.write_text(settings.read_text().replace("stock_window_days: 730",
                                                     "stock_window_days: 365"))
    groups = _groups(run, dataset)
    assert {"korea/us/unaccounted_for/persons/2015-10",
            "korea/us/unaccounted_for/persons/2016-11"} <= set(groups)


def test_the_matching_rule_is_printed_in_the_legend(run, dataset: Path) -> None:
    result = run(["reconcile", "korea"], data=dataset)
    assert MATCHING_RULE in result.stdout.splitlines()
