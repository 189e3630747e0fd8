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


@pytest.fixture(scope="session")
def generated_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic dataset of 20,000 figures (benchmarks/generate.py), made once; read only."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("generated") / "n20000"
    subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "generate.py"), "--figures",
                    "20000", "--out", str(out)], check=True, capture_output=True)
    return out


@pytest.fixture
def run():
    """Run the real CLI: run(args, data=path) -> click Result (stdout, stderr split)."""

    def invoke(args: list[str], data: Path | None = None, input: str | None = None) -> Result:
        runner = CliRunner()
        full = (["--data", str(data)] if data is not None else []) + list(args)
        return runner.invoke(cli, full, input=input, catch_exceptions=False)

    return invoke


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Write the golden files under tests/expected/ from this run's output.")


def check_golden(config: pytest.Config, name: str, text: str) -> None:
    """Compare text with tests/expected/NAME; a missing file fails unless --update-golden."""
    path = EXPECTED / name
    if config.getoption("--update-golden"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if not path.is_file():
        raise AssertionError(f"golden file {path} is missing: run pytest --update-golden "
                             "to write it, then review the diff")
    assert text == path.read_text(encoding="utf-8")


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """golden(name, text): compare with tests/expected/NAME (see check_golden)."""

    def check(name: str, text: str) -> None:
        check_golden(request.config, name, text)

    return check
