"""Every CSV powcount writes is one rectangular table, as pandas reads it, and a table's
columns are the same whichever command writes it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

CSV_COMMANDS = {
    "sources": ["sources"],
    "figures": ["figures"],
    "reconcile-default": ["reconcile", "korea"],
    "reconcile-groups": ["reconcile", "all", "--table", "groups"],
    "reconcile-series": ["reconcile", "all", "--table", "series"],
    "reconcile-checks": ["reconcile", "all", "--table", "checks"],
    "reconcile-evidence": ["reconcile", "all", "--verbose", "--table", "evidence"],
    "check": ["check", "all"],
    "compare-sources": ["compare-sources"],
    "compare-sources-pairs": ["compare-sources", "--pairs"],
    "timeline": ["timeline", "unaccounted_for"],
}


@pytest.mark.parametrize("name", sorted(CSV_COMMANDS))
def test_pandas_reads_every_csv_as_one_table(run, dataset: Path, name: str) -> None:
    result = run([*CSV_COMMANDS[name], "--format", "csv"], data=dataset)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert not rows[0][0].startswith("#")
    assert {len(row) for row in rows} == {len(rows[0])}
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert frame.shape == (len(rows) - 1, len(rows[0]))
    assert len(frame) > 0


def test_reconcile_csv_is_the_groups_table_unless_told(run, dataset: Path) -> None:
    default = run(["reconcile", "korea", "--format", "csv"], data=dataset).stdout
    groups = run(["reconcile", "korea", "--format", "csv", "--table", "groups"],
                 data=dataset).stdout
    assert default == groups
    assert default.startswith("key,conflict,nation,quantity,unit,as_of,date_gap_days,status,"
                              "envelope_low,")


def test_the_evidence_table_needs_verbose(run, dataset: Path) -> None:
    result = run(["reconcile", "korea", "--format", "csv", "--table", "evidence"], data=dataset)
    assert result.exit_code == 2
    assert result.stderr == ("powcount: --table evidence: no such table (the evidence table "
                             "needs --verbose): choose one of groups, series, checks\n")


def test_relations_are_words_in_every_checks_csv(run, dataset: Path, tmp_path: Path) -> None:
    check = pd.read_csv(io.StringIO(run(["check", "all", "--format", "csv"],
                                        data=dataset).stdout))
    assert sorted(check["relation"].unique()) == ["at-most", "equals"]
    assert run(["export", "--format", "csv", "-o", str(tmp_path / "out")],
               data=dataset).exit_code == 0
    exported = pd.read_csv(tmp_path / "out" / "checks.csv")
    assert list(check.columns) == list(exported.columns)
    assert check.equals(exported)


def test_checks_have_one_naming_in_every_command(run, dataset: Path) -> None:
    check = run(["check", "korea", "--format", "csv"], data=dataset).stdout
    reconciled = run(["reconcile", "korea", "--format", "csv", "--table", "checks"],
                     data=dataset).stdout
    assert check == reconciled
    assert check.split("\n", 1)[0].startswith("key,name,conflict,nation,relation,rationale,")


GROUP_COLUMNS = [
    "key", "conflict", "nation", "quantity", "unit", "as_of", "date_gap_days", "status",
    "envelope_low", "envelope_high", "common_low", "common_high", "conservative",
    "conservative_figure", "preferred", "preferred_figure", "preferred_source", "n_figures",
    "n_sources", "n_independent", "source_ids", "gap", "deviation_pct", "figure_ids",
]
SERIES_COLUMNS = [
    "series", "conflict", "nation", "quantity", "unit", "direction", "position", "as_of",
    "midpoint_year", "value_text", "best", "interval_low", "interval_high", "status", "change",
    "change_interval_low", "change_interval_high", "years", "trend", "rate_per_year", "flag",
    "figure_ids",
]


@pytest.fixture
def exported(run, dataset: Path, tmp_path: Path) -> Path:
    """The bundled dataset exported as a data package (a folder of CSV files)."""
    folder = tmp_path / "package"
    result = run(["export", "--format", "datapackage", "-o", str(folder)], data=dataset)
    assert result.exit_code == 0, result.stderr
    return folder


@pytest.mark.parametrize(("table", "columns"), [("groups", GROUP_COLUMNS),
                                                 ("series", SERIES_COLUMNS)])
def test_reconcile_and_export_write_the_same_table(run, dataset: Path, exported: Path,
                                                   table: str, columns: list[str]) -> None:
    reconciled = pd.read_csv(io.StringIO(run(["reconcile", "all", "--format", "csv", "--table",
                                              table], data=dataset).stdout))
    written = pd.read_csv(exported / f"{table}.csv")
    assert list(reconciled.columns) == columns
    assert list(written.columns) == columns
    assert len(reconciled) > 0
    pd.testing.assert_frame_equal(reconciled, written)


def test_the_checks_table_is_the_same_in_reconcile_and_export(run, dataset: Path,
                                                              exported: Path) -> None:
    reconciled = pd.read_csv(io.StringIO(run(["reconcile", "all", "--format", "csv", "--table",
                                              "checks"], data=dataset).stdout))
    written = pd.read_csv(exported / "checks.csv")
    assert len(reconciled) > 0
    pd.testing.assert_frame_equal(reconciled, written)


@pytest.mark.parametrize("table", ["groups", "series"])
def test_one_conflict_is_its_rows_of_the_whole_table(run, dataset: Path, exported: Path,
                                                     table: str) -> None:
    korea = pd.read_csv(io.StringIO(run(["reconcile", "korea", "--format", "csv", "--table",
                                         table], data=dataset).stdout))
    written = pd.read_csv(exported / f"{table}.csv")
    expected = written[written["conflict"] == "korea"].reset_index(drop=True)
    assert len(korea) > 0 and len(korea) < len(written)
    pd.testing.assert_frame_equal(korea, expected)


@pytest.mark.parametrize("table", ["groups", "series", "checks"])
def test_the_data_package_describes_the_columns_written(exported: Path, table: str) -> None:
    descriptor = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in descriptor["resources"] if r["name"] == table]
    fields = [field["name"] for field in resource["schema"]["fields"]]
    assert fields == list(pd.read_csv(exported / f"{table}.csv").columns)
    assert all(field.get("description") for field in resource["schema"]["fields"])


def test_a_timeline_writes_the_series_table(run, dataset: Path, exported: Path) -> None:
    # A timeline also shows the series of one point, which the series table leaves out.
    timeline = pd.read_csv(io.StringIO(run(["timeline", "unaccounted_for", "--format", "csv"],
                                           data=dataset).stdout))
    written = pd.read_csv(exported / "series.csv")
    assert list(timeline.columns) == SERIES_COLUMNS
    chained = timeline[timeline["series"].isin(written["series"])].reset_index(drop=True)
    expected = written[written["quantity"] == "unaccounted_for"].reset_index(drop=True)
    assert len(chained) > 0 and len(chained) < len(timeline)
    pd.testing.assert_frame_equal(chained, expected)


def test_a_timeline_of_events_lists_its_points_without_steps(run, dataset: Path) -> None:
    # Two handovers of boxes are separate events: listed, never chained into a change.
    result = run(["timeline", "remains_boxes_returned", "--format", "csv"], data=dataset)
    assert result.exit_code == 0, result.stderr
    frame = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    assert list(frame.columns) == SERIES_COLUMNS
    assert [(row.as_of, row.best, row.change, row.trend, row.rate_per_year)
            for row in frame.itertuples()] == [
        ("1990/1994", 208, "", "", ""), ("2018-07, 2018-07/2018-08", 55, "", "", "")]


def test_json_refuses_a_table_it_would_not_honour(run, dataset: Path, tmp_path: Path) -> None:
    target = tmp_path / "checks.json"
    result = run(["reconcile", "korea", "--format", "json", "--table", "checks", "-o",
                  str(target)], data=dataset)
    assert (result.exit_code, result.stderr) == (2, (
        "powcount: --table checks: JSON is always the whole result: leave --table out, or "
        "use --format csv, markdown or table\n"))
    assert not target.exists()
