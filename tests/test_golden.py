"""The golden-file helper: a missing file fails, and files are written only on request."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CONFTEST = Path(__file__).resolve().parent / "conftest.py"
USES_GOLDEN = """
def test_output(golden):
    golden("tables/demo.txt", "a table\\n")
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makepyfile(test_demo=USES_GOLDEN)
    return pytester


def test_a_missing_golden_file_fails(suite: pytest.Pytester) -> None:
    result = suite.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*golden file */expected/tables/demo.txt is missing: run "
                                 "pytest --update-golden*"])
    assert not (suite.path / "expected").exists()


def test_update_golden_writes_it_and_later_runs_compare(suite: pytest.Pytester) -> None:
    suite.runpytest("-p", "no:cacheprovider", "--update-golden").assert_outcomes(passed=1)
    written = suite.path / "expected" / "tables" / "demo.txt"
    assert written.read_text(encoding="utf-8") == "a table\n"
    suite.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
    written.write_text("another table\n", encoding="utf-8")
    suite.runpytest("-p", "no:cacheprovider").assert_outcomes(failed=1)
