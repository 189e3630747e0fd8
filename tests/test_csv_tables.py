"""Every CSV powcount writes is one rectangular table, as pandas reads it, and a table's
columns are the same whichever command writes it."""

from __future__ import annotations

import csv
import io
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
    assert default.startswith("conflict,nation,quantity,unit,as_of,date_gap_days,status,values,")


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
