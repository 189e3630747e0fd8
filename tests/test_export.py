"""powcount export: CSV files, one JSON file, and the data package's CSV files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from test_report import add_hostile_source

from powcount.catalog import load_catalog, locate_data
from powcount.export import build_export

TABLES = ["checks.csv", "figures.csv", "groups.csv", "series.csv", "sources.csv"]


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_csv_export_writes_one_file_per_table(run, dataset, tmp_path):
    out = tmp_path / "new" / "folder"
    result = run(["export", "--format", "csv", "--output", str(out)], data=dataset)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"wrote 5 files to {out}\n"
    assert sorted(p.name for p in out.iterdir()) == TABLES
    counts = {name: len(read_csv(out / name)) for name in TABLES}
    assert counts == {"checks.csv": 23, "figures.csv": 63, "groups.csv": 56, "series.csv": 6,
                      "sources.csv": 16}
    header = (out / "figures.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ("id,source,document,line,column,conflict,nation,quantity,unit,kind,"
                      "qualifier,value_text,low,best,high,as_of,attributed_to,credibility,"
                      "quote,note,override_reason")


def test_csv_rows_carry_intervals_open_sides_and_figure_ids(run, dataset, tmp_path):
    out = tmp_path / "csv"
    assert run(["export", "--format", "csv", "-o", str(out)], data=dataset).exit_code == 0
    figures = {row["id"]: row for row in read_csv(out / "figures.csv")}
    over = figures["crs-2015-unaccounted-2015"]
    assert (over["value_text"], over["low"], over["best"], over["high"], over["line"]) == (
        "Over 7,800", "7801", "7801", "", "6")
    checks = {row["name"] + "/" + row["nation"]: row for row in read_csv(out / "checks.csv")}
    held = checks["released-within-reported-held/us"]
    assert (held["verdict"], held["date_gap_days"]) == ("not-comparable", "456")
    assert (held["computed_low"], held["stated_low"], held["deviation"]) == ("3462", "3198", "0")
    assert json.loads(held["figure_ids"]) == [
        "crs-2015-released-sick-wounded-1953", "crs-2015-released-august-1953",
        "crs-2015-reported-held-1951"]
    for row in read_csv(out / "checks.csv") + read_csv(out / "groups.csv"):
        assert set(json.loads(row["figure_ids"])) <= set(figures)
    series = [r for r in read_csv(out / "series.csv")
              if r["series"] == "korea/us/unaccounted_for/persons"]
    assert [(r["position"], r["as_of"], r["best"], r["interval_high"], r["change"], r["trend"],
             r["rate_per_year"]) for r in series] == [
        ("1", "1954", "8100", "8149", "", "", ""),
        ("2", "1973", "8001", "", "-99", "basis-changed", ""),
        ("3", "2015-10, 2016-11", "7801", "", "-200", "basis-changed", ""),
        ("4", "2025", "7500", "7500", "-301", "basis-changed", "")]


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(run, dataset, tmp_path):
    add_hostile_source(dataset)
    out = tmp_path / "csv"
    assert run(["export", "--format", "csv", "-o", str(out)], data=dataset).exit_code == 0
    figures = {row["id"]: row for row in read_csv(out / "figures.csv")}
    assert figures["hostile-held"]["note"] == (
        "'=HYPERLINK(\"http://example.invalid\") <script>alert(6)</script>")
    checks = read_csv(out / "checks.csv")
    # Relations are words: no spreadsheet runs them, so the guard never quotes them.
    assert {row["relation"] for row in checks} == {"at-most", "equals"}


def test_json_export_is_the_library_payload(run, dataset, tmp_path):
    out = tmp_path / "export.json"
    result = run(["export", "--format", "json", "--output", str(out)], data=dataset)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote 1 file to {out}\n"
    payload = json.loads(out.read_text(encoding="utf-8"))
    expected = build_export(load_catalog(locate_data(str(dataset)))).payload()
    assert payload == json.loads(json.dumps(expected))
    assert list(payload) == ["powcount_version", "tolerances", "preferred_rule", "sources",
                             "figures", "groups", "series", "checks"]
    from powcount.checks import MAX_COMBINATIONS

    assert payload["tolerances"] == {"approximate_tolerance": 0.1, "check_tolerance": 0.05,
                                     "max_check_combinations": MAX_COMBINATIONS}
    stdout = run(["export", "--format", "json"], data=dataset).stdout
    assert stdout == out.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["csv", "datapackage"])
def test_folder_formats_need_an_output_folder(run, dataset, fmt):
    result = run(["export", "--format", fmt], data=dataset)
    assert result.exit_code == 2
    assert result.stderr == (f"powcount: --format {fmt} writes several files: give a folder "
                             "with --output\n")


def test_exports_are_deterministic(run, dataset, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    for out in (first, second):
        assert run(["export", "--format", "datapackage", "-o", str(out)],
                   data=dataset).exit_code == 0
    for name in [*TABLES, "datapackage.json"]:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_export_replaces_old_files_and_keeps_other_files(run, dataset, tmp_path):
    out = tmp_path / "csv"
    out.mkdir()
    (out / "figures.csv").write_text("old\n", encoding="utf-8")
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    assert run(["export", "--format", "csv", "-o", str(out)], data=dataset).exit_code == 0
    assert (out / "figures.csv").read_text(encoding="utf-8").startswith("id,source,")
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in out.iterdir()) == sorted([*TABLES, "notes.txt"])
