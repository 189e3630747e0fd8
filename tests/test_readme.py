"""README.md stays true: generated blocks in sync, the two set-up commands real."""

from __future__ import annotations

import re
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "tools"))

import readme_sync  # noqa: E402


def test_generated_blocks_are_in_sync():
    current = readme_sync.README.read_text(encoding="utf-8")
    assert readme_sync.synced(current) == current, "run: python tools/readme_sync.py"


def test_generated_blocks_of_the_docs_are_in_sync():
    for path in readme_sync.synced_files()[1:]:
        current = path.read_text(encoding="utf-8")
        assert readme_sync.synced(current) == current, f"run: python tools/readme_sync.py ({path})"


def test_every_command_has_its_help_page_in_the_readme():
    from powcount.cli import cli

    text = readme_sync.README.read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"### `powcount {name}`" in text, name


def test_quick_start_commands_are_make_targets_and_ci_runs_the_test_one():
    text = readme_sync.README.read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    targets = re.findall(r"^make (\w+)", quick, re.M)
    assert targets == ["demo", "test"]
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    for target in targets:
        assert re.search(rf"^{target}:", makefile, re.M), target
    assert "powcount reconcile korea" in makefile.split("demo:", 1)[1].split("\n\n", 1)[0]
    assert "make test" in (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
