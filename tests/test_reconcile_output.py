"""reconcile written from the frames: JSON as the models serialise, CSV as export writes
the tables, markdown and terminal tables stating the same rows."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powcount.catalog import Catalog, DataRoot, load_catalog
from powcount.export import csv_cell, flat_columns, flat_record
from powcount.reconcile import GroupResult, Reconciliation, reconcile
from powcount.reconcile_output import (
    FrameReconciliation,
    reconciliation_parts,
    write_reconciliation,
)
from powcount.render.csv_format import csv_rows

PROJECT = Path(__file__).resolve().parent.parent
FORMATS = ("table", "csv", "json", "markdown")
TABLES = ("groups", "series", "checks")


def _catalog(root: Path) -> Catalog:
    return load_catalog(DataRoot(root, root / "data", root / "seeds"))


def _conflicts(catalog: Catalog) -> list[str]:
    return ["all", *sorted(catalog.vocabulary.conflicts)]


def _expected(catalog: Catalog, conflict: str, verbose: bool) -> dict[str, str]:
    """JSON as the models serialise (the documented schema); CSV as export's groups.csv
    names and writes the models' fields."""
    rec = reconcile(catalog, conflict, evidence=verbose)
    return {"json": json.dumps(rec.model_dump(mode="json"), indent=2, ensure_ascii=False)
            + "\n", "csv": _groups_csv(rec)}


def _groups_csv(rec: Reconciliation) -> str:
    columns = flat_columns(GroupResult, exclude=("values",))
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    for group in rec.groups:
        record = flat_record(group.model_dump(mode="json"), columns)
        writer.writerow([csv_cell(record[c.name]) for c in columns])
    return stream.getvalue()


def _markdown_rows(text: str, title: str) -> list[dict[str, str]]:
    """The rows of the markdown table under ``## title``, as {column: cell text}."""
    lines = ("\n" + text).split("\n## " + title + "\n\n", 1)[1].split("\n")
    if lines[0] == "_(none)_":
        return []

    def cells(line: str) -> list[str]:
        return [c.replace("\\|", "|") for c in re.split(r"(?<!\\) \| ", line[2:-2])]

    columns = cells(lines[0])
    rows = []
    for line in lines[2:]:
        if not line.startswith("| "):
            break
        rows.append(dict(zip(columns, cells(line), strict=True)))
    return rows


def _number(cell: str) -> int | None:
    return None if cell == "-" else int(cell.replace(",", ""))


def _assert_markdown_states_the_result(text: str, payload: dict[str, Any],
                                       verbose: bool) -> None:
    groups = _markdown_rows(text, "Groups")
    assert [(r["conflict"], r["nation"], r["quantity"], r["unit"], r["as_of"], r["status"],
             _number(r["envelope_low"]), _number(r["envelope_high"]), _number(r["sources"]),
             r["figures"]) for r in groups] == [
        (g["conflict"], g["nation"], g["quantity"], g["unit"], g["as_of"], g["status"],
         g["envelope"]["low"], g["envelope"]["high"], g["n_sources"], " ".join(g["figure_ids"]))
        for g in payload["groups"]]
    series = _markdown_rows(text, "Series")
    assert [(r["conflict"], r["nation"], r["quantity"], r["as_of"], _number(r["best"]),
             r["figures"]) for r in series] == [
        (s["conflict"], s["nation"], s["quantity"], p["as_of"], p["best"],
         " ".join(p["figure_ids"])) for s in payload["series"] for p in s["points"]]
    checks = _markdown_rows(text, "Accounting checks")
    assert [(r["check"], r["conflict"], r["nation"], r["verdict"], r["figures"])
            for r in checks] == [(c["name"], c["conflict"], c["nation"], c["verdict"],
                                  " ".join(c["figure_ids"])) for c in payload["checks"]]
    if verbose:
        assert [r["figure"] for r in _markdown_rows(text, "Evidence")] == [
            e["figure_id"] for e in payload["evidence"]]
    else:
        assert "\n## Evidence\n" not in text


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated dataset of 2,000 figures (CSV), as the benchmarks make them."""
    out = tmp_path_factory.mktemp("synthetic") / "ds"
    subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "generate.py"),
                    "--figures", "2000", "--format", "csv", "--out", str(out)],
                   check=True, capture_output=True)
    return out


def _assert_cli_matches_models(run, root: Path) -> None:
    catalog = _catalog(root)
    for conflict in _conflicts(catalog):
        for verbose in (False, True):
            expected = _expected(catalog, conflict, verbose)
            payload = json.loads(expected["json"])
            flag = ["--verbose"] if verbose else []
            for fmt in FORMATS:
                result = run(["reconcile", conflict, *flag, "--format", fmt], data=root)
                assert result.exit_code == 0, result.stderr
                if fmt == "markdown":
                    _assert_markdown_states_the_result(result.stdout, payload, verbose)
                elif fmt == "table":
                    assert result.stdout.startswith("Groups\n"), (conflict, verbose)
                    assert f"{len(payload['groups'])} groups, " in result.stdout
                else:
                    assert result.stdout == expected[fmt], (conflict, verbose, fmt)


def test_bundled_data_every_conflict_format_and_verbosity(run, dataset: Path) -> None:
    _assert_cli_matches_models(run, dataset)


def test_generated_data_every_conflict_format_and_verbosity(run, synthetic: Path) -> None:
    _assert_cli_matches_models(run, synthetic)


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_file_holds_the_same_bytes(run, synthetic: Path, tmp_path: Path,
                                          fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    result = run(["reconcile", "all", "--verbose", "--format", fmt, "--output", str(target)],
                 data=synthetic)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    expected = run(["reconcile", "all", "--verbose", "--format", fmt], data=synthetic).stdout
    assert target.read_bytes() == expected.encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"out.{fmt}"]


def test_strict_exit_code_and_message_from_the_frames(run, synthetic: Path) -> None:
    found = reconcile(_catalog(synthetic), "all").findings
    assert found.total > 0
    result = run(["reconcile", "all", "--strict", "--format", "csv"], data=synthetic)
    assert result.exit_code == 1
    assert result.stderr == (f"powcount: --strict: {found.conflicts} conflicts, "
                             f"{found.series_flags} series flags, {found.failed_checks} "
                             "failed checks\n")


def test_unwritable_output_leaves_nothing_behind(run, dataset: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.json"
    result = run(["reconcile", "korea", "--format", "json", "--output", str(target)],
                 data=dataset)
    assert result.exit_code == 5
    assert result.stderr == (f"powcount: {target}: folder {target.parent} does not exist: "
                             "create it first\n")
    assert not target.parent.exists()


def test_unknown_conflict_is_refused_before_anything_is_written(run, dataset: Path,
                                                                 tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = run(["reconcile", "koera", "--format", "csv", "--output", str(target)],
                 data=dataset)
    assert result.exit_code == 2
    assert "unknown conflict 'koera'" in result.stderr
    assert not target.exists()


def test_library_function_returns_the_findings(synthetic: Path, tmp_path: Path) -> None:
    catalog = _catalog(synthetic)
    target = tmp_path / "rec.json"
    found = write_reconciliation(catalog, "all", "json", str(target))
    assert found == reconcile(catalog, "all").findings
    assert json.loads(target.read_text(encoding="utf-8")) == reconcile(
        catalog, "all").model_dump(mode="json")


def test_library_function_writes_to_stdout(synthetic: Path, capsys) -> None:
    catalog = _catalog(synthetic)
    for output in (None, "-"):
        write_reconciliation(catalog, "korea", "markdown", output, verbose=True)
        text = capsys.readouterr().out
        payload = reconcile(catalog, "korea", evidence=True).model_dump(mode="json")
        _assert_markdown_states_the_result(text, payload, verbose=True)


@pytest.mark.parametrize(("data", "slice_rows"), [("bundled", 1), ("bundled", 3),
                                                  ("generated", 40), ("generated", 333)])
def test_output_does_not_depend_on_the_slice_size(dataset: Path, synthetic: Path, data: str,
                                                  slice_rows: int) -> None:
    catalog = _catalog(dataset if data == "bundled" else synthetic)
    for verbose in (False, True):
        for fmt in ("csv", "json", "markdown"):
            whole = FrameReconciliation(catalog, "all", verbose)
            rec = FrameReconciliation(catalog, "all", verbose, slice_rows=slice_rows)
            assert ("".join(reconciliation_parts(rec, fmt))
                    == "".join(reconciliation_parts(whole, fmt))), (verbose, fmt)


_TEXT = st.text(st.characters(codec="utf-8"), max_size=12)


@settings(max_examples=200)
@given(st.integers(1, 4), st.integers(0, 5), st.data())
def test_csv_rows_are_written_as_the_csv_module_writes_them(width: int, height: int,
                                                            data: st.DataObject) -> None:
    columns = [data.draw(st.lists(_TEXT, min_size=height, max_size=height))
               for _ in range(width)]
    stream = io.StringIO()
    csv.writer(stream, lineterminator="\n").writerows(zip(*columns, strict=True))
    assert csv_rows(columns) == stream.getvalue()


@pytest.mark.parametrize(("strict", "code"), [([], 0), (["--strict"], 1)])
def test_a_reader_that_stops_early_ends_nothing_but_the_output(synthetic: Path, strict: list[str],
                                                                code: int) -> None:
    # `powcount reconcile all | head -1`: the findings still decide the exit code.
    process = subprocess.Popen(
        [sys.executable, "-m", "powcount", "--data", str(synthetic), "reconcile", "all",
         "--format", "csv", *strict], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "POWCOUNT_CACHE": "off"})
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith(b"key,conflict,nation,quantity,unit,as_of,")
    process.stdout.close()
    stderr = process.stderr.read().decode("utf-8")
    assert process.wait() == code
    found = reconcile(_catalog(synthetic), "all").findings
    assert stderr == ("" if not code else
                      f"powcount: --strict: {found.conflicts} conflicts, {found.series_flags} "
                      f"series flags, {found.failed_checks} failed checks\n")


def test_the_same_words_with_another_interval_are_another_stated_value(run, dataset: Path
                                                                       ) -> None:
    # crs-2015-believed-china reads "Fewer than 20" as 1 to 19 by a curator's override;
    # the same words in a figure without it read 0 to 19.
    figures = dataset / "data" / "figures" / "crs-2015.yaml"
    text = figures.read_text(encoding="utf-8")
    anchor = "  - id: crs-2015-cases-clarified\n"
    added = "\n".join([
        "  - id: crs-2015-believed-china-unbounded",
        "    quantity: believed_in_china",
        "    conflict: korea",
        "    nation: unc",
        "    value_text: Fewer than 20",
        '    quote: "Fewer than 20 sets of unrecovered Korean War-era remains are believed to '
        'be located in China."',
        "    as_of: 2015-10",
        "    credibility: 2",
        "    credibility_reason: The same words, without the curator's bound.",
    ])
    figures.write_text(text.replace(anchor, added + "\n\n" + anchor), encoding="utf-8")
    result = run(["reconcile", "korea", "--format", "json"], data=dataset)
    assert result.exit_code == 0, result.stderr
    stated = {(g["nation"], v["figure_id"]): (v["low"], v["best"], v["high"])
              for g in json.loads(result.stdout)["groups"] for v in g["values"]
              if v["value_text"] == "Fewer than 20"}
    assert stated == {("us", "crs-2015-believed-china"): (1, 19, 19),
                      ("unc", "crs-2015-believed-china-unbounded"): (0, 19, 19)}
    expected = reconcile(_catalog(dataset), "korea").model_dump(mode="json")
    assert result.stdout == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("data", ["bundled", "generated"])
def test_reconcile_csv_tables_are_export_files(run, dataset: Path, synthetic: Path,
                                               tmp_path: Path, data: str) -> None:
    root = dataset if data == "bundled" else synthetic
    folder = tmp_path / "out"
    assert run(["export", "--format", "csv", "-o", str(folder)], data=root).exit_code == 0
    for table in TABLES:
        result = run(["reconcile", "all", "--format", "csv", "--table", table], data=root)
        assert result.exit_code == 0, result.stderr
        assert result.stdout == (folder / f"{table}.csv").read_text(encoding="utf-8"), table
