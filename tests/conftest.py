"""Shared fixtures: the real dataset copied into tmp_path, and the real CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from powcount.cli import cli

PROJECT = Path(__file__).resolve().parent.parent
EXPECTED = Path(__file__).resolve().parent / "expected"


@pytest.fixture(autouse=True, scope="session")
def _catalog_cache(tmp_path_factory: pytest.TempPathFactory):
    """Every test's catalog cache in one temporary folder, never the user's own."""
    import os

    before = os.environ.get("POWCOUNT_CACHE")
    os.environ["POWCOUNT_CACHE"] = str(tmp_path_factory.mktemp("catalog-cache"))
    yield
    if before is None:
        del os.environ["POWCOUNT_CACHE"]
    else:
        os.environ["POWCOUNT_CACHE"] = before


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A copy of the bundled dataset (data/ and seeds/) under tmp_path/project."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT / "data", root / "data")
    shutil.copytree(PROJECT / "seeds", root / "seeds")
    return root


@pytest.fixture
def run():
    """Run the real CLI: run(args, data=path) -> click Result (stdout, stderr split)."""

    def invoke(args: list[str], data: Path | None = None, input: str | None = None) -> Result:
        runner = CliRunner()
        full = (["--data", str(data)] if data is not None else []) + list(args)
        return runner.invoke(cli, full, input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def golden():
    """golden(name, text): compare with tests/expected/NAME; POWCOUNT_REGOLD=1 rewrites it.

    A missing golden file fails: it is written only when asked for.
    """
    import os

    def check(name: str, text: str) -> None:
        path = EXPECTED / name
        if os.environ.get("POWCOUNT_REGOLD") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        if not path.exists():
            raise AssertionError(f"golden file {path} is missing: write it with "
                                 "POWCOUNT_REGOLD=1 and read it before committing")
        assert text == path.read_text(encoding="utf-8")

    return check
