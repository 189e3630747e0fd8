"""README.md and docs/ stay true: generated blocks in sync, the set-up commands real,
the README a front page that links every reference page."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "tools"))

import readme_sync  # noqa: E402

PAGES = readme_sync.pages()
REFERENCE = ["dataset-format.md", "number-phrases.md", "reconciliation.md",
             "reports.md", "extraction.md", "commands.md", "errors.md", "performance.md"]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_generated_blocks_are_in_sync(page):
    current = page.read_text(encoding="utf-8")
    assert readme_sync.synced(current) == current, "run: python tools/readme_sync.py"


def test_the_pages_checked_are_the_readme_and_the_reference():
    names = [p.relative_to(PROJECT).as_posix() for p in PAGES]
    assert names[0] == "README.md"
    assert set(REFERENCE) <= {Path(name).name for name in names[1:]}


def test_every_command_has_its_help_page_in_the_command_reference():
    from powcount.cli import cli

    text = (PROJECT / "docs" / "commands.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"## `powcount {name}`" in text, name


def test_the_readme_is_a_front_page_that_links_every_reference_page():
    text = readme_sync.README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 300
    linked = set(LINK.findall(text))
    for name in REFERENCE:
        assert f"docs/{name}" in linked, name


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_local_link_leads_to_a_file(page):
    text = page.read_text(encoding="utf-8")
    for target in LINK.findall(text):
        if "://" in target:
            continue
        assert (page.parent / target).is_file(), f"{page.name}: {target}"


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


def test_a_stale_block_is_found_and_rewritten():
    stale = "<!-- BEGIN run: validate -->\nold output\n<!-- END run -->\n"
    fresh = readme_sync.synced(stale)
    assert fresh.startswith("<!-- BEGIN run: validate -->\n```text\n$ powcount validate\nvalid: ")
    assert fresh.endswith("every quote found in its document\n```\n<!-- END run -->\n")
    assert "old output" not in fresh
