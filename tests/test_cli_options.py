"""Options where a user types them: --data and --debug after the command, and the
command add-source suggests, run exactly as printed."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from powcount.errors import ExitCode

FACT_SHEET = (Path(__file__).resolve().parent / "fixtures" / "extract" / "documents"
              / "dpaa_korea_fact_sheet.txt")


@pytest.mark.parametrize("args", [["figures", "--conflict", "korea"], ["reconcile", "korea"],
                                  ["check", "all"], ["validate"]])
def test_data_after_the_command_equals_data_before_it(run, dataset: Path,
                                                      args: list[str]) -> None:
    # Without one figures file, the copy gives other output than the bundled dataset;
    # its source is then only partly curated, so the copy stays valid.
    sources = dataset / "data" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    at = text.index("curation: complete", text.index("id: crs-2015"))
    sources.write_text(text[:at] + "curation: partial" + text[at + len("curation: complete"):],
                       encoding="utf-8")
    (dataset / "data" / "figures" / "crs-2015.yaml").unlink()
    before = run(["--data", str(dataset), *args])
    after = run([*args, "--data", str(dataset)])
    bundled = run(args)
    assert before.exit_code == after.exit_code == bundled.exit_code == 0, after.stderr
    assert after.stdout == before.stdout
    assert after.stdout != bundled.stdout


def test_data_after_the_command_wins_over_the_environment(run, dataset: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setenv("POWCOUNT_DATA", "/nowhere")
    result = run(["sources", "--data", str(dataset), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("id,")


def test_an_unknown_dataset_after_the_command_is_a_usage_error(run) -> None:
    result = run(["figures", "--data", "/nowhere"])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == ("powcount: --data /nowhere: no dataset there: give a folder "
                             "holding data/ and seeds/, or the data/ folder itself\n")


def test_debug_after_the_command_shows_the_traceback(dataset: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "powcount", "figures", "--data", "/nowhere", "--debug"],
        capture_output=True, text=True, timeout=120)
    assert completed.returncode != 0
    assert "Traceback (most recent call last)" in completed.stderr
    assert completed.stderr.rstrip().endswith(
        "powcount.errors.UsageProblem: --data /nowhere: no dataset there: give a folder "
        "holding data/ and seeds/, or the data/ folder itself")


@pytest.mark.parametrize("where", ["inside", "outside"])
def test_the_next_command_of_add_source_runs_as_printed(dataset: Path, tmp_path: Path,
                                                        where: str) -> None:
    cwd = dataset if where == "inside" else tmp_path / "elsewhere"
    cwd.mkdir(exist_ok=True)
    added = subprocess.run(
        [sys.executable, "-m", "powcount", "--data", str(dataset), "add-source",
         str(FACT_SHEET), "--id", "dpaa-korea-2019", "--title", "Korean War Accounting"],
        cwd=cwd, capture_output=True, text=True, timeout=120)
    assert added.returncode == 0, added.stderr
    last = added.stdout.splitlines()[-1]
    assert last.startswith("next: powcount --data ")
    if where == "inside":
        assert last == ("next: powcount --data . extract seeds/dpaa_korea_fact_sheet.txt "
                        "--source dpaa-korea-2019 --format yaml --output "
                        "data/figures/dpaa-korea-2019.yaml")
    # "powcount" is the console script; the module runs the same command line.
    argv = shlex.split(last.removeprefix("next: "))
    env = {k: v for k, v in os.environ.items() if k != "POWCOUNT_DATA"}
    followed = subprocess.run([sys.executable, "-m", *argv], cwd=cwd, capture_output=True,
                              text=True, timeout=120, env=env)
    assert followed.returncode == 0, followed.stderr
    written = dataset / "data" / "figures" / "dpaa-korea-2019.yaml"
    assert written.read_text("utf-8").count("source: dpaa-korea-2019") >= 1
