"""The data commands through the real CLI: sources, figures, validate, schema."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from powcount import __version__
from powcount.catalog import load_catalog, locate_data
from powcount.listing import figure_records, source_records


def test_validate_passes_on_the_bundled_data(run):
    result = run(["validate"])
    assert result.exit_code == 0
    assert result.stdout == (
        "valid: 16 sources, 63 figures, 39 quantities, 6 conflicts; "
        "every quote found in its document\n"
    )


def test_version(run):
    assert run(["--version"]).stdout == f"powcount, version {__version__}\n"


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_sources_golden(run, golden, dataset, fmt):
    result = run(["sources", "--format", fmt], data=dataset)
    assert result.exit_code == 0
    golden(f"data/sources.{fmt}", result.stdout)


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_figures_golden(run, golden, dataset, fmt):
    result = run(["figures", "--conflict", "wwii", "--format", fmt], data=dataset)
    assert result.exit_code == 0
    golden(f"data/figures-wwii.{fmt}", result.stdout)


def test_figures_json_equals_the_library_models(run, dataset):
    result = run(["figures", "--format", "json"], data=dataset)
    catalog = load_catalog(locate_data(str(dataset)))
    assert json.loads(result.stdout) == [r.model_dump(mode="json") for r in
                                         figure_records(catalog)]


def test_sources_json_equals_the_library_models(run, dataset):
    result = run(["sources", "--format", "json"], data=dataset)
    catalog = load_catalog(locate_data(str(dataset)))
    assert json.loads(result.stdout) == [r.model_dump(mode="json") for r in
                                         source_records(catalog)]


def test_figures_csv_has_the_documented_columns_and_every_figure(run, dataset):
    result = run(["figures", "--format", "csv"], data=dataset)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 63
    required = ["id", "source", "document", "line", "conflict", "nation", "quantity", "unit",
                "qualifier", "value_text", "low", "best", "high", "as_of", "attributed_to",
                "quote"]
    assert set(required) <= set(rows[0])
    over = next(r for r in rows if r["id"] == "crs-2015-unaccounted-2015")
    assert (over["low"], over["best"], over["high"], over["qualifier"]) == (
        "7801", "7801", "", "over")
    assert over["document"] == "003_c5e0c8b9b0d3c692.txt" and over["line"] == "6"


def test_filters_combine(run, dataset):
    result = run(["figures", "--source", "crs-2015", "--quantity", "unaccounted_for",
                  "--format", "csv"], data=dataset)
    ids = [r["id"] for r in csv.DictReader(io.StringIO(result.stdout))]
    assert ids == ["crs-2015-unaccounted-1954", "crs-2015-unaccounted-2015"]


def test_unknown_filter_value_is_a_usage_error(run, dataset):
    result = run(["figures", "--conflict", "koera"], data=dataset)
    assert result.exit_code == 2
    assert result.stderr == (
        "powcount: unknown conflict 'koera' (did you mean 'korea'?): choose one of "
        "all_conflicts, cold_war, korea, multiple, vietnam, wwii\n"
    )


def test_invalid_data_exits_3_with_one_line_per_problem(run, dataset):
    path = dataset / "data" / "figures" / "pows-to-russia-site.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("quote:", "qoute:"),
                    encoding="utf-8")
    result = run(["validate"], data=dataset)
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "data/figures/pows-to-russia-site.yaml:12: figure 'pows-to-russia-site-transfer-reports': "
        "unknown key 'qoute' (did you mean 'quote'?): rename it to 'quote'",
    ]


def test_environment_variable_points_at_a_dataset(dataset, monkeypatch):
    from click.testing import CliRunner

    from powcount.cli import cli

    # A partly curated source may lack figures; a completely curated one may not.
    sources = dataset / "data" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    start = text.index("id: pows-to-russia-site")
    at = text.index("curation: complete", start)
    sources.write_text(text[:at] + "curation: partial" + text[at + len("curation: complete"):],
                       encoding="utf-8")
    (dataset / "data" / "figures" / "pows-to-russia-site.yaml").unlink()
    monkeypatch.setenv("POWCOUNT_DATA", str(dataset))
    result = CliRunner().invoke(cli, ["validate"])
    assert result.stdout.startswith("valid: 16 sources, 62 figures")


def test_output_file_is_written_instead_of_stdout(run, dataset, tmp_path):
    target = tmp_path / "figures.csv"
    result = run(["figures", "--format", "csv", "--output", str(target)], data=dataset)
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("id,source,document,line,")


def test_schema_is_generated_from_the_models(run):
    schema = json.loads(run(["schema", "figures"]).stdout)
    figure = schema["$defs"]["Figure"]
    assert figure["additionalProperties"] is False
    assert {"id", "quantity", "value_text", "quote", "as_of", "credibility"} <= set(
        figure["required"])
    assert set(json.loads(run(["schema"]).stdout)) == {"vocabulary", "sources", "figures",
                                                       "settings", "checks"}


def test_module_entry_point_runs(tmp_path):
    completed = subprocess.run([sys.executable, "-m", "powcount", "validate"], cwd=tmp_path,
                               capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("valid: 16 sources, 63 figures")


def test_entry_point_output_and_exit_codes_survive_the_exit(run, tmp_path):
    # The console entry point ends a command differently from the test runner: its
    # written files, its stdout and its exit codes must be the same.
    target = tmp_path / "korea.json"
    completed = subprocess.run(
        [sys.executable, "-m", "powcount", "reconcile", "korea", "--format", "json",
         "--output", str(target)], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    assert target.read_text(encoding="utf-8") == run(
        ["reconcile", "korea", "--format", "json"]).stdout
    completed = subprocess.run([sys.executable, "-m", "powcount", "reconcile", "korea",
                                "--format", "csv"], cwd=tmp_path, capture_output=True,
                               text=True, check=False)
    assert (completed.returncode, completed.stdout) == (0, run(
        ["reconcile", "korea", "--format", "csv"]).stdout)
    completed = subprocess.run([sys.executable, "-m", "powcount", "reconcile", "nowhere"],
                               cwd=tmp_path, capture_output=True, text=True, check=False)
    assert completed.returncode == 2
    assert completed.stderr.startswith("powcount: unknown conflict 'nowhere'")
