"""Accounting checks on the bundled seeds, and data/checks.yaml validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from powcount.catalog import DataRoot, load_catalog
from powcount.checks import MAX_COMBINATIONS, check_frame, run_checks
from powcount.errors import DataError, UsageProblem
from powcount.intervals import Interval


def _catalog(root: Path):
    return load_catalog(DataRoot(root, root / "data", root / "seeds"))


@pytest.fixture
def checks(dataset: Path):
    return {c.key: c for c in run_checks(_catalog(dataset), None)}


def test_korea_more_released_than_reported_held(checks) -> None:
    found = checks["released-within-reported-held/korea/us/1"]
    assert found.arithmetic == "149 + 3,313 = 3,462 vs 3,198; right - left = -264"
    assert found.verdict == "fails"
    assert (found.computed, found.stated) == (Interval.exact(3462), Interval.exact(3198))
    assert (found.deviation, found.deviation_pct) == (264, 8.3)
    assert found.difference_best == -264
    assert found.figure_ids == ["crs-2015-released-sick-wounded-1953",
                                "crs-2015-released-august-1953", "crs-2015-reported-held-1951"]


def test_korea_remains_not_located_anywhere(checks) -> None:
    # South Korea and China are stated in sets of remains, so only North Korea's
    # persons are set against the unaccounted for, of the same date.
    found = checks["located-within-unaccounted/korea/us/1"]
    assert found.arithmetic == "5,300 vs Over 7,800; right - left = 2,501..open"
    assert found.verdict == "holds"
    assert found.computed == Interval(low=5300, high=5300)
    assert found.computed_with_tolerance == Interval(low=5300, high=5300)
    assert found.stated == Interval(low=7801, high=None)
    assert found.difference == Interval(low=2501, high=None)
    assert found.difference_best == 2501
    assert found.as_of == ["2015-10"] * 2
    assert found.right_figures == ["crs-2015-unaccounted-2015"]
    assert "located-within-unaccounted/korea/us/2" not in checks


def test_wwii_us_left_behind_holds_within_tolerance(checks) -> None:
    found = checks["left-behind-in-soviet-territory/wwii/us/1"]
    assert found.figure_ids == ["mia-pow-newsletter-us-in-soviet-territory",
                                "mia-pow-newsletter-us-returned",
                                "mia-pow-newsletter-us-left-behind"]
    assert found.arithmetic == "25,000 - 4,165 = 20,835 vs some 20,000"
    assert found.verdict == "holds-within-tolerance"
    assert (found.deviation, found.deviation_pct) == (835, 4.2)
    assert found.stated_with_tolerance == Interval(low=18000, high=22000)


def test_wwii_commonwealth_left_behind_holds(checks) -> None:
    found = checks["left-behind-in-soviet-territory/wwii/commonwealth/1"]
    assert found.arithmetic == "199,592 - 168,746 = 30,846 vs some 30,846"
    assert found.verdict == "holds"
    assert (found.deviation, found.deviation_pct) == (0, None)


def test_check_tolerance_from_settings_decides_the_verdict(dataset: Path) -> None:
    settings = dataset / "data" / "settings.yaml"
    settings.write_text(settings.read_text().replace("check_tolerance: 0.05",
                                                     "check_tolerance: 0.10"))
    results = {c.key: c for c in run_checks(_catalog(dataset), "korea")}
    assert results["released-within-reported-held/korea/us/1"].verdict == "holds-within-tolerance"


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
