"""Terminal tables laid out for the width there is: golden files at 80 and 120 columns and
piped, every line within the width, numbers never split, --wide, and the pager."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powcount.render import Result, render, table_from_records
from powcount.render.layout import View

TABLE_COMMANDS = {
    "sources": ["sources"],
    "figures": ["figures"],
    "figures-verbose": ["figures", "--conflict", "korea", "--verbose"],
    "reconcile-korea": ["reconcile", "korea"],
    "reconcile-all": ["reconcile", "all"],
    "reconcile-korea-verbose": ["reconcile", "korea", "--verbose"],
    "compare-sources": ["compare-sources"],
    "compare-sources-pairs": ["compare-sources", "--pairs"],
    "timeline": ["timeline", "unaccounted_for"],
    "check-all": ["check", "all"],
    "check-verbose": ["check", "korea", "--verbose"],
}

#: The commands the width promise names (issue: done when every line fits).
PROMISED = ["reconcile-korea", "reconcile-all", "compare-sources", "figures", "sources",
            "check-all", "timeline"]


def table_output(run, monkeypatch: pytest.MonkeyPatch, args: list[str],
                 columns: int | None, *extra: str, data: Path | None = None) -> str:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", str(columns))
    result = run([*args, *extra], data=data)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("width", [80, 120, None], ids=["80", "120", "piped"])
@pytest.mark.parametrize("name", sorted(TABLE_COMMANDS))
def test_every_table_matches_its_golden_file(run, golden, dataset: Path,
                                             monkeypatch: pytest.MonkeyPatch, name: str,
                                             width: int | None) -> None:
    text = table_output(run, monkeypatch, TABLE_COMMANDS[name], width, data=dataset)
    golden(f"tables/{name}.{width or 'piped'}.txt", text)


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("name", PROMISED)
def test_every_line_fits_the_terminal(run, dataset: Path, monkeypatch: pytest.MonkeyPatch,
                                      name: str, width: int) -> None:
    text = table_output(run, monkeypatch, TABLE_COMMANDS[name], width, data=dataset)
    too_long = [line for line in text.splitlines() if len(line) > width]
    assert too_long == []


def test_piped_output_is_as_wide_as_its_data(run, dataset: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    text = table_output(run, monkeypatch, ["check", "all"], None, data=dataset)
    assert ("released-within-reported-held            korea          us            "
            "not-comparable    149 + 3,313 = 3,462 vs 3,198; right - left = -264; as of "
            "1953-04/1953-05, 1953-08-05/1953-09-06, 1951, 456 days apart") in text


def test_wide_shows_every_column(run, dataset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compact = table_output(run, monkeypatch, ["reconcile", "korea"], 80, data=dataset)
    wide = table_output(run, monkeypatch, ["reconcile", "korea"], 80, "--wide", data=dataset)
    header = next(line for line in wide.splitlines() if line.startswith("conflict"))
    assert header.split() == [
        "conflict", "nation", "quantity", "unit", "as_of", "date_gap_days", "status", "values",
        "envelope_low",
        "envelope_high", "common_low", "common_high", "conservative", "preferred",
        "preferred_figure", "sources", "independent", "gap", "deviation_pct", "figures"]
    assert "common_low" not in compact
    assert "(left out at this width: " in compact
    assert "(left out at this width" not in wide


def test_numbers_are_right_aligned_under_their_header(run, dataset: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    lines = table_output(run, monkeypatch, ["sources"], None, data=dataset).splitlines()
    header = lines[2]
    end = header.index("figures") + len("figures")
    assert [line[:end].rstrip()[-2:] for line in lines[4:8]] == ["21", " 2", " 1", " 3"]


NUMBERS = st.one_of(st.none(), st.integers(-10**9, 10**9))
WORDS = st.lists(st.sampled_from(["over", "about", "8,100", "prisoners", "the", "returned",
                                  "a-very-long-hyphenated-code", "x" * 30]),
                 max_size=12).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["korea", "wwii", "cold_war"]),
                               st.sampled_from(["believed_in_north_korea", "us", "unc"]),
                               WORDS, NUMBERS, NUMBERS), min_size=1, max_size=8),
       width=st.integers(40, 160))
def test_a_table_fits_any_width_and_never_splits_a_number(rows, width: int) -> None:
    columns = ("conflict", "quantity", "values", "preferred", "gap")
    table = table_from_records("groups", "Groups", columns,
                               [dict(zip(columns, row, strict=True)) for row in rows])
    text = render(Result((table,), None), "table", View(width=width))
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines), width
    left_out = " ".join(text.split("(left out at this width: ", 1)[1:]).split(";")[0]
    shown = [(i, name) for i, name in ((3, "preferred"), (4, "gap"))
             if name not in " ".join(left_out.split()).split(", ")]
    for row in rows:
        for i, _ in shown:
            if row[i] is not None:
                assert re.search(rf"(?<![\d,-]){re.escape(f'{row[i]:,}')}(?![\d,])", text)


# --- the pager ---------------------------------------------------------------------------


def run_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run powcount with its standard output on a pseudo-terminal; return code and text."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "powcount", *args], stdout=follower,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal's other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    code = process.wait(timeout=120)
    return code, b"".join(chunks).decode("utf-8", "replace")


def test_the_pager_is_used_on_a_terminal(tmp_path: Path, dataset: Path) -> None:
    paged = tmp_path / "paged.txt"
    env = {**os.environ, "POWCOUNT_PAGER": f"cat > {paged}", "COLUMNS": "80",
           "POWCOUNT_DATA": str(dataset)}
    code, _ = run_on_a_terminal(["sources"], env)
    assert code == 0
    piped = subprocess.run([sys.executable, "-m", "powcount", "sources"], capture_output=True,
                           text=True, env=env, timeout=120)
    # On the terminal the table is fitted to COLUMNS, as it is in the pipe here.
    assert paged.read_text("utf-8") == piped.stdout


@pytest.mark.parametrize("how", ["pipe", "no-pager"])
def test_the_pager_is_never_used_in_a_pipe_or_with_no_pager(tmp_path: Path, dataset: Path,
                                                            how: str) -> None:
    paged = tmp_path / "paged.txt"
    env = {**os.environ, "POWCOUNT_PAGER": f"cat > {paged}", "POWCOUNT_DATA": str(dataset)}
    if how == "pipe":
        completed = subprocess.run([sys.executable, "-m", "powcount", "sources"],
                                   capture_output=True, text=True, env=env, timeout=120)
        assert completed.returncode == 0
        assert completed.stdout.startswith("Sources\n")
    else:
        code, text = run_on_a_terminal(["sources", "--no-pager"], env)
        assert code == 0
        assert text.startswith("Sources\r\n")
    assert not paged.exists()


def test_a_pager_that_is_not_installed_prints_to_the_terminal(dataset: Path) -> None:
    env = {**os.environ, "POWCOUNT_PAGER": "no-such-pager-here -R", "COLUMNS": "80",
           "POWCOUNT_DATA": str(dataset)}
    code, text = run_on_a_terminal(["sources"], env)
    assert code == 0
    assert text.startswith("Sources\r\n=======\r\n")
    assert "not found" not in text
