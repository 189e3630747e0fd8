"""reconcile written from the frames: the same bytes as the models rendered, every way."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powcount.catalog import Catalog, DataRoot, load_catalog
from powcount.reconcile import reconcile, reconciliation_result
from powcount.reconcile_output import (
    FrameReconciliation,
    _json_column,
    _json_value,
    _stated_values,
    reconciliation_parts,
    write_reconciliation,
)
from powcount.render import render
from powcount.render.csv_format import csv_rows

PROJECT = Path(__file__).resolve().parent.parent
FORMATS = ("table", "csv", "json", "markdown")


def _catalog(root: Path) -> Catalog:
    return load_catalog(DataRoot(root, root / "data", root / "seeds"))


def _conflicts(catalog: Catalog) -> list[str]:
    return ["all", *sorted(catalog.vocabulary.conflicts)]


def _expected(catalog: Catalog, conflict: str, verbose: bool) -> dict[str, str]:
    """Each format's text as the models give it."""
    result = reconciliation_result(reconcile(catalog, conflict, evidence=verbose), verbose)
    return {fmt: render(result, fmt) for fmt in FORMATS}


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
            flag = ["--verbose"] if verbose else []
            for fmt in FORMATS:
                result = run(["reconcile", conflict, *flag, "--format", fmt], data=root)
                assert result.exit_code == 0, result.stderr
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
    expected = _expected(_catalog(synthetic), "all", True)[fmt]
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
        assert capsys.readouterr().out == _expected(catalog, "korea", True)["markdown"]


@pytest.mark.parametrize(("data", "slice_rows"), [("bundled", 1), ("bundled", 3),
                                                  ("generated", 40), ("generated", 333)])
def test_output_does_not_depend_on_the_slice_size(dataset: Path, synthetic: Path, data: str,
                                                  slice_rows: int) -> None:
    catalog = _catalog(dataset if data == "bundled" else synthetic)
    for verbose in (False, True):
        expected = _expected(catalog, "all", verbose)
        for fmt in ("csv", "json", "markdown"):
            rec = FrameReconciliation(catalog, "all", verbose, slice_rows=slice_rows)
            assert "".join(reconciliation_parts(rec, fmt)) == expected[fmt], (verbose, fmt)


_TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT
    | st.floats(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=20,
)


@given(_JSON)
def test_json_value_is_written_as_json_dumps_writes_it(value: object) -> None:
    assert _json_value(value, 0) == json.dumps(value, indent=2, ensure_ascii=False)


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
    assert process.stdout.readline().startswith(b"conflict,nation,quantity,unit,as_of,")
    process.stdout.close()
    stderr = process.stderr.read().decode("utf-8")
    assert process.wait() == code
    found = reconcile(_catalog(synthetic), "all").findings
    assert stderr == ("" if not code else
                      f"powcount: --strict: {found.conflicts} conflicts, {found.series_flags} "
                      f"series flags, {found.failed_checks} failed checks\n")


@pytest.mark.parametrize("categories", [["b", "a"], [f"v{i}" for i in range(20)] + ["a", "b"]])
def test_a_categorical_column_as_json_texts(categories: list[str]) -> None:
    # Few categories are encoded all at once; more categories than rows, only those used.
    column = pd.Series(pd.Categorical(["a", None, "b", "a", 'say "b"'],
                                      categories=[*categories, 'say "b"']))
    assert _json_column(column) == ['"a"', "null", '"b"', '"a"', '"say \\"b\\""']
    assert _json_column(column.iloc[1:2]) == ["null"]
    assert _json_column(column.iloc[0:0]) == []


def _stated(rows: list[tuple[str, str, int, int, int | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["value_text", "qualifier", "low", "best", "high"])
    return frame.astype({"value_text": "category", "qualifier": "category", "low": "Int64",
                         "best": "Int64", "high": "Int64"})


def test_stated_values_are_keyed_by_their_words_unless_an_interval_differs() -> None:
    rows = [("about 300", "approximate", 270, 300, 330), ("300", "exact", 300, 300, 300),
            ("about 300", "approximate", 270, 300, 330), ("over 7,800", "over", 7801, 7801,
                                                          None)]
    codes, first = _stated_values(_stated(rows))
    assert codes.tolist() == [codes[0], codes[1], codes[0], codes[3]]
    assert len(set(codes.tolist())) == 3 and sorted(first.tolist()) == [0, 1, 3]
    # The same words with another interval (a curator's override) are another value.
    rows.append(("about 300", "approximate", 250, 300, 350))
    codes, first = _stated(rows).pipe(_stated_values)
    assert codes.tolist() == [0, 1, 0, 2, 3] and first.tolist() == [0, 1, 3, 4]
