"""What the command line says: empty results, did-you-mean for every code, what -o wrote,
and shell completion of commands and of the dataset's codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from powcount.errors import ExitCode

WITH_FIGURES = "all_conflicts, cold_war, korea, multiple, vietnam, wwii"


def add_conflict_without_figures(dataset: Path) -> None:
    """Every conflict of the bundled vocabulary has figures: add one that has none."""
    vocabulary = dataset / "data" / "vocabulary.yaml"
    text = vocabulary.read_text(encoding="utf-8")
    assert "\nnations:" in text
    vocabulary.write_text(text.replace(
        "\nnations:", "  gulf_war:\n    label: Gulf War\n    period: 1990/1991\n\nnations:", 1),
        encoding="utf-8")


def test_an_empty_conflict_says_so(run, dataset: Path) -> None:
    add_conflict_without_figures(dataset)
    result = run(["reconcile", "gulf_war"], data=dataset)
    assert result.exit_code == ExitCode.OK
    assert result.stderr == ("powcount: no figures for conflict 'gulf_war' in this dataset "
                             f"(conflicts with figures: {WITH_FIGURES})\n")
    assert "gulf_war: 0 groups, 0 series, 0 checks" in result.stdout


@pytest.mark.parametrize(("args", "line"), [
    (["check", "gulf_war"], "no figures for conflict 'gulf_war' in this dataset (conflicts "
                            f"with figures: {WITH_FIGURES})"),
    (["compare-sources", "--conflict", "gulf_war"], "no figures for conflict 'gulf_war' in "
                                                    "this dataset (conflicts with figures: "
                                                    f"{WITH_FIGURES})"),
    (["timeline", "unaccounted_for", "--nation", "ussr"],
     "no figures for nation 'ussr', quantity 'unaccounted_for' in this dataset (nations "
     "with figures: us)"),
    (["figures", "--conflict", "wwii", "--quantity", "remains_returned"],
     "no figures for conflict 'wwii', quantity 'remains_returned' in this dataset "
     "(conflicts with figures: korea)"),
])
def test_every_empty_result_says_what_is_empty(run, dataset: Path, args: list[str],
                                               line: str) -> None:
    add_conflict_without_figures(dataset)
    result = run(args, data=dataset)
    assert result.exit_code == ExitCode.OK
    assert result.stderr == f"powcount: {line}\n"


def test_a_result_with_rows_says_nothing_on_stderr(run, dataset: Path) -> None:
    assert run(["reconcile", "korea"], data=dataset).stderr == ""


@pytest.mark.parametrize(("args", "line"), [
    (["figures", "--conflict", "ww2"], "unknown conflict 'ww2' (did you mean 'wwii'?)"),
    (["reconcile", "Korea"], "unknown conflict 'Korea' (did you mean 'korea'?)"),
    (["compare-sources", "--conflict", "WW-II"], "unknown conflict 'WW-II' (did you mean "
                                                 "'wwii'?)"),
    (["timeline", "unaccounted_for", "--nation", "usa"], "unknown nation 'usa' (did you "
                                                         "mean 'us'?)"),
    (["timeline", "unacounted_for"], "unknown quantity 'unacounted_for' (did you mean "
                                     "'unaccounted_for'?)"),
    (["figures", "--source", "crs2015"], "unknown source 'crs2015' (did you mean "
                                         "'crs-2015'?)"),
])
def test_every_code_a_user_types_gets_a_suggestion(run, dataset: Path, args: list[str],
                                                  line: str) -> None:
    add_conflict_without_figures(dataset)
    result = run(args, data=dataset)
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith(f"powcount: {line}: choose one of ")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("args", [["report", "korea"], ["reconcile", "korea"],
                                  ["figures"], ["check", "korea", "--format", "csv"]])
def test_writing_a_file_names_it_on_stderr(run, dataset: Path, tmp_path: Path,
                                           args: list[str]) -> None:
    target = tmp_path / "out.txt"
    result = run([*args, "-o", str(target)], data=dataset)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote {target}\n"
    assert result.stdout == ""
    assert target.stat().st_size > 0


def complete(words: str, data: Path | None = None) -> list[str]:
    """What bash completion offers for the last of the words."""
    parts = words.split(" ")
    env = {**os.environ, "_POWCOUNT_COMPLETE": "bash_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(parts) - 1)}
    env.pop("POWCOUNT_DATA", None)
    if data is not None:
        env["POWCOUNT_DATA"] = str(data)
    completed = subprocess.run([sys.executable, "-m", "powcount"], env=env,
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    return [line.split(",", 1)[1] for line in completed.stdout.splitlines() if line]


def test_completion_of_commands() -> None:
    assert complete("powcount rec") == ["reconcile"]
    assert complete("powcount compare") == ["compare-sources"]


@pytest.mark.parametrize(("words", "offered"), [
    ("powcount reconcile ", ["all", "all_conflicts", "cold_war", "korea", "multiple",
                             "vietnam", "wwii"]),
    ("powcount reconcile k", ["korea"]),
    ("powcount check w", ["wwii"]),
    ("powcount figures --conflict k", ["korea"]),
    ("powcount timeline unacc", ["unaccounted_for"]),
    ("powcount timeline unaccounted_for --nation u", ["ukrainians", "unc", "us", "ussr"]),
    ("powcount figures --source crs", ["crs-2015"]),
    ("powcount figures --quantity remains_r", ["remains_returned",
                                               "remains_returned_persons"]),
])
def test_completion_of_the_datasets_codes(dataset: Path, words: str,
                                          offered: list[str]) -> None:
    assert complete(words, dataset) == offered


def test_completion_reads_the_dataset_given_after_the_command(dataset: Path) -> None:
    vocabulary = dataset / "data" / "vocabulary.yaml"
    vocabulary.write_text(vocabulary.read_text("utf-8").replace(
        "conflicts:\n", "conflicts:\n  korea_demo:\n    label: A demo\n    period: 1950/1953\n",
        1), "utf-8")
    assert complete(f"powcount reconcile --data {dataset} kor") == ["korea", "korea_demo"]
    assert complete("powcount reconcile kor") == ["korea"]


def test_completion_of_a_dataset_that_does_not_load_offers_nothing() -> None:
    assert complete("powcount --data /nowhere reconcile k") == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_completion_script_of_each_documented_shell(shell: str) -> None:
    env = {**os.environ, "_POWCOUNT_COMPLETE": f"{shell}_source"}
    completed = subprocess.run([sys.executable, "-m", "powcount"], env=env,
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert "_POWCOUNT_COMPLETE" in completed.stdout
    docs = (Path(__file__).resolve().parent.parent / "docs" / "completion.md").read_text("utf-8")
    assert f"_POWCOUNT_COMPLETE={shell}_source powcount" in docs


def test_zsh_completion_offers_each_code_with_its_label(dataset: Path) -> None:
    env = {**os.environ, "_POWCOUNT_COMPLETE": "zsh_complete",
           "COMP_WORDS": "powcount reconcile k", "COMP_CWORD": "2",
           "POWCOUNT_DATA": str(dataset)}
    completed = subprocess.run([sys.executable, "-m", "powcount"], env=env,
                               capture_output=True, text=True, timeout=120)
    assert completed.stdout.splitlines() == ["plain", "korea", "Korean War"]


def test_an_unknown_check_name_gets_a_suggestion(run, dataset: Path) -> None:
    result = run(["check", "all", "--name", "lost-at-sea-within-misisng"], data=dataset)
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        "powcount: unknown check 'lost-at-sea-within-misisng' (did you mean "
        "'lost-at-sea-within-missing'?): choose one of fiscal-year-2018-breakdown, "
        "identified-within-recovered-south-korea, in-soviet-territory-less-returned, "
        "located-within-unaccounted, lost-at-sea-within-missing, non-recoverable-within-missing,"
        " recoverable-within-missing, released-within-reported-held, "
        "returned-within-in-soviet-territory, tomb-within-declared-unknown\n")
    assert result.stdout == ""


@pytest.mark.parametrize(("words", "offered"), [
    ("powcount check all --name re", ["recoverable-within-missing",
                                      "released-within-reported-held",
                                      "returned-within-in-soviet-territory"]),
    ("powcount check --name lost", ["lost-at-sea-within-missing"]),
    ("powcount add-source doc.txt --originator d", ["dod", "dpaa"]),
    ("powcount add-source doc.txt --basis since", ["since_1982"]),
])
def test_completion_of_check_names_originators_and_bases(dataset: Path, words: str,
                                                         offered: list[str]) -> None:
    assert complete(words, dataset) == offered
