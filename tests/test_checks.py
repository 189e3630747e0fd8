"""Accounting checks on the bundled seeds, and data/checks.yaml validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from run_helpers import RELATES_PERIODS_CHECK

from powcount.catalog import DataRoot, load_catalog
from powcount.checks import MAX_COMBINATIONS, check_frame, run_checks
from powcount.errors import DataError, UsageProblem
from powcount.intervals import Interval
from powcount.models import Check


def _catalog(root: Path):
    return load_catalog(DataRoot(root, root / "data", root / "seeds"))


@pytest.fixture
def checks(dataset: Path):
    return {c.key: c for c in run_checks(_catalog(dataset), None)}


def test_a_list_of_1951_against_releases_of_1953_is_not_comparable(checks) -> None:
    found = checks["released-within-reported-held/korea/us/1"]
    assert found.arithmetic == ("149 + 3,313 = 3,462 vs 3,198; right - left = -264; as of "
                                "1953-04/1953-05, 1953-08-05/1953-09-06, 1951, 456 days apart")
    assert (found.verdict, found.date_gap_days) == ("not-comparable", 456)
    assert (found.deviation, found.deviation_pct) == (0, None)
    assert found.figure_ids == ["crs-2015-released-sick-wounded-1953",
                                "crs-2015-released-august-1953", "crs-2015-reported-held-1951"]


def test_located_remains_are_matched_by_period(dataset: Path) -> None:
    located = [c for c in run_checks(_catalog(dataset), "korea")
               if c.name == "located-within-unaccounted"]
    assert [(c.right_figures[0], c.date_gap_days, c.verdict) for c in located] == [
        ("crs-2015-unaccounted-1954", 22188, "not-comparable"),
        ("dod-news-2025-korea-families-unaccounted-1973", 15248, "not-comparable"),
        ("crs-2015-unaccounted-2015", 0, "holds"),
        ("new-american-2018-unaccounted-2016", 366, "holds"),
        ("dod-news-2025-korea-families-unaccounted-korea", 3349, "not-comparable"),
    ]
    found = located[2]
    assert found.arithmetic == "5,300 vs Over 7,800; right - left = 2,501..open"
    assert found.computed == Interval.exact(5300)
    assert found.stated == Interval(low=7801, high=None)
    assert found.difference == Interval(low=2501, high=None)
    assert found.as_of == ["2015-10"] * 2
    # "approximately 8,100" is 8,050..8,149: rounded to hundreds.
    assert located[0].arithmetic == ("5,300 vs approximately 8,100; right - left = "
                                     "2,750..2,849; as of 2015-10, 1954, 22,188 days apart")


def test_wwii_differences_can_hold_and_adopt_no_claim(checks) -> None:
    us = checks["in-soviet-territory-less-returned/wwii/us/1"]
    assert us.arithmetic == "25,000 - 4,165 = 20,835 vs some 20,000"
    assert (us.verdict, us.deviation) == ("can-hold", 0)
    # "some 20,000", rounded to ten thousands: 15,000..24,999.
    assert us.stated_with_tolerance == Interval(low=15000, high=24999)
    commonwealth = checks["in-soviet-territory-less-returned/wwii/commonwealth/1"]
    assert commonwealth.arithmetic == "199,592 - 168,746 = 30,846 vs some 30,846"
    assert commonwealth.verdict == "can-hold"
    assert "left behind" not in commonwealth.name
    assert "were left behind" not in commonwealth.rationale


def test_a_relation_for_every_value_holds(checks) -> None:
    found = checks["tomb-within-declared-unknown/korea/us/1"]
    assert (found.verdict, found.arithmetic) == ("holds", "One vs 867; right - left = 866")




def test_a_check_that_relates_periods_is_judged_across_dates(dataset: Path) -> None:
    checks = dataset / "data" / "checks.yaml"
    checks.write_text(checks.read_text() + RELATES_PERIODS_CHECK)
    (found,) = [c for c in run_checks(_catalog(dataset), "korea")
                if c.name == "held-list-against-later-releases"]
    assert (found.verdict, found.date_gap_days) == ("fails", 456)
    assert (found.deviation, found.deviation_pct) == (264, 8.3)
    settings = dataset / "data" / "settings.yaml"
    settings.write_text(settings.read_text().replace("check_tolerance: 0.05",
                                                     "check_tolerance: 0.10"))
    (found,) = [c for c in run_checks(_catalog(dataset), "korea")
                if c.name == "held-list-against-later-releases"]
    assert found.verdict == "within-tolerance"


def test_relates_periods_needs_its_rationale(dataset: Path) -> None:
    checks = dataset / "data" / "checks.yaml"
    checks.write_text(checks.read_text() + RELATES_PERIODS_CHECK.replace(
        "    periods_rationale: A test of a check that relates different dates.\n", ""))
    with pytest.raises(DataError) as error:
        _catalog(dataset)
    (line,) = error.value.lines()
    assert line.startswith("data/checks.yaml:")
    assert "relates_periods needs a periods_rationale" in line


def test_a_term_may_name_another_scope(dataset: Path) -> None:
    catalog = _catalog(dataset)
    catalog.checks = [Check(
        name="scoped", conflict="korea", left=["believed_in_north_korea"], relation="<=",
        right=["in_soviet_territory@wwii"], relates_periods=True,
        periods_rationale="A test of a term of another scope.", rationale="A test.")]
    (found,) = run_checks(catalog, "korea")
    assert (found.conflict, found.nation) == ("korea", "us")
    assert found.right_figures == ["mia-pow-newsletter-us-in-soviet-territory"]
    assert (found.arithmetic, found.verdict) == (
        "5,300 vs 25,000; right - left = 19,700; as of 2015-10, 1945, 25,475 days apart", "holds")


def test_every_combination_of_sources_is_evaluated(dataset: Path) -> None:
    checks = dataset / "data" / "checks.yaml"
    checks.write_text(checks.read_text() + """
  - name: unaccounted-above-located-north
    conflict: korea
    nation: us
    left: [believed_in_north_korea]
    relation: "<="
    right: [unaccounted_for]
    rationale: Remains believed in North Korea are among the unaccounted for.
""")
    results = [c for c in run_checks(_catalog(dataset), "korea")
               if c.name == "unaccounted-above-located-north"]
    assert [c.right_figures[0] for c in results] == [
        "crs-2015-unaccounted-1954", "dod-news-2025-korea-families-unaccounted-1973",
        "crs-2015-unaccounted-2015", "new-american-2018-unaccounted-2016",
        "dod-news-2025-korea-families-unaccounted-korea"]
    assert [c.key for c in results][-1] == "unaccounted-above-located-north/korea/us/5"


def test_combinations_are_capped_and_the_cap_is_said(dataset: Path) -> None:
    catalog = _catalog(dataset)
    frame = catalog.figures
    many = frame[frame["id"] == "crs-2015-reported-held-1951"]
    import pandas as pd

    copies = pd.concat([many] * 120, ignore_index=True)
    copies["id"] = [f"copy-{i:03d}" for i in range(len(copies))]
    released = frame[frame["quantity"].isin(["released_sick_wounded",
                                             "released_after_armistice"])]
    boosted = pd.concat([released] * 120, ignore_index=True)
    boosted["id"] = [f"rel-{i:03d}" for i in range(len(boosted))]
    catalog.figures = pd.concat([frame, copies, boosted], ignore_index=True)
    result, notes = check_frame(catalog, "korea")
    held = result[result["name"] == "released-within-reported-held"]
    assert len(held) <= MAX_COMBINATIONS
    assert notes == [
        "check 'released-within-reported-held' (korea/us): 1,771,561 combinations; only the "
        "9 earliest figures per term are combined (at most 1,000 combinations)"]


def test_unknown_conflict_lists_the_known_ones(dataset: Path) -> None:
    with pytest.raises(UsageProblem) as error:
        run_checks(_catalog(dataset), "koera")
    assert str(error.value) == ("unknown conflict 'koera' (did you mean 'korea'?): choose one "
                                "of all_conflicts, cold_war, korea, multiple, vietnam, wwii, "
                                "or all")


BAD_CHECKS = """checks:
  - name: bad-codes
    conflict: korae
    left: [in_soviet_territory, -returned_from_soviet_teritory]
    relation: "=="
    right: [left_behind_in_soviet_territory]
    rationale: Typos in codes.
  - name: mixed-units
    left: [remains_boxes_returned]
    relation: "<="
    right: [remains_in_boxes_estimate]
    rationale: Boxes are not people.
  - name: bad-relation
    left: [reported_held]
    relation: "<"
    right: [reported_held]
    rationale: Only ==, <= and >=.
  - name: mixed-units
    left: [reported_held]
    relation: "<="
    right: [reported_held]
    rationale: Same name twice.
    colour: red
"""


def test_checks_file_problems_are_reported_with_every_other_problem(dataset: Path) -> None:
    (dataset / "data" / "checks.yaml").write_text(BAD_CHECKS)
    with pytest.raises(DataError) as error:
        _catalog(dataset)
    assert error.value.lines() == [
        "data/checks.yaml:3: check 'bad-codes': unknown conflict 'korae' (did you mean "
        "'korea'?): use a code from data/vocabulary.yaml",
        "data/checks.yaml:4: check 'bad-codes': unknown quantity "
        "'returned_from_soviet_teritory' (did you mean 'returned_from_soviet_territory'?): "
        "use a code from data/vocabulary.yaml",
        "data/checks.yaml:9: check 'mixed-units': terms in different units "
        "(remains_boxes_returned in boxes, remains_in_boxes_estimate in remains_sets): a check "
        "compares one unit only",
        "data/checks.yaml:15: check 'bad-relation': field 'relation': '<' is not one of "
        "'==', '<=' or '>=': use one of them",
        "data/checks.yaml:23: check 'mixed-units': unknown key 'colour': remove or rename it",
    ]


def test_check_name_picks_checks_and_changes_nothing_else(run, dataset: Path) -> None:
    import json

    every = json.loads(run(["check", "all", "--format", "json"], data=dataset).stdout)
    chosen = {"recoverable-within-missing", "lost-at-sea-within-missing"}
    picked = run(["check", "all", "--name", "recoverable-within-missing", "--name",
                  "lost-at-sea-within-missing", "--format", "json"], data=dataset)
    assert picked.exit_code == 0, picked.stderr
    payload = json.loads(picked.stdout)
    assert payload == [c for c in every if c["name"] in chosen]
    assert sorted({c["name"] for c in payload}) == sorted(chosen)
    csv = run(["check", "all", "--name", "lost-at-sea-within-missing", "--format", "csv"],
              data=dataset).stdout.splitlines()
    assert [line.split(",", 2)[1] for line in csv] == ["name", "lost-at-sea-within-missing",
                                                       "lost-at-sea-within-missing"]
