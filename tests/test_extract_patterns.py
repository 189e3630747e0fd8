"""The shapes that fact sheets, service histories and status updates take, read exactly.

Each document under tests/fixtures/extract/patterns/ has its candidates listed, in
order, in the YAML file of the same name: flattened tables with glued cells and
notes, years glued to counts, label-dash-number lists, number words for one person,
plan numbers, ages, counts of field operations and a headline's vague word.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powcount.catalog import DataRoot
from powcount.catalog.yaml import read_yaml, to_plain
from powcount.extract import Classifier, extract_text, load_codes

PROJECT = Path(__file__).resolve().parent.parent
PATTERNS = Path(__file__).resolve().parent / "fixtures" / "extract" / "patterns"
FIELDS = ("line", "column", "value_text", "low", "best", "high", "ambiguous", "note")


def _extracted(run, tmp_path: Path, name: str) -> tuple[str, list[dict]]:
    document = tmp_path / name
    shutil.copy(PATTERNS / name, document)
    result = run(["extract", str(document), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return document.read_text("utf-8"), json.loads(result.stdout)["candidates"]


@pytest.mark.parametrize("name", sorted(p.name for p in PATTERNS.glob("*.txt")))
def test_each_pattern_gives_exactly_its_candidates(run, tmp_path: Path, name: str) -> None:
    text, candidates = _extracted(run, tmp_path, name)
    expected = to_plain(read_yaml(PATTERNS / f"{Path(name).stem}.yaml", name))["candidates"]
    assert [{k: c[k] for k in FIELDS} for c in candidates] == expected
    lines = text.split("\n")
    for candidate in candidates:
        # A candidate split from a table cell still stands where it says, verbatim.
        line = lines[candidate["line"] - 1]
        assert line[candidate["column"] - 1 :].startswith(candidate["value_text"])
        assert candidate["value_text"] in candidate["quote"]


def test_a_total_is_not_given_the_nation_of_a_place_named_later(run, tmp_path: Path) -> None:
    _, candidates = _extracted(run, tmp_path, "status_update.txt")
    total = next(c for c in candidates if c["line"] == 4)
    assert (total["value_text"], total["quantity"]["code"], total["nation"]["code"]) == (
        "7,500", "unaccounted_for", "us")


def test_korean_war_remains_are_remains_returned(run, tmp_path: Path) -> None:
    document = tmp_path / "remains.txt"
    document.write_text(
        "Korean War Remains\n"
        "Since 1990, 229 sets of Korean War remains have been returned by North Korea.\n",
        encoding="utf-8")
    result = run(["extract", str(document), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    (candidate,) = json.loads(result.stdout)["candidates"]
    # "North Korea" says where the remains came from, not whose they are: no nation.
    assert (candidate["value_text"], candidate["quantity"]["code"],
            candidate["conflict"]["code"], candidate["nation"]) == (
        "229", "remains_returned", "korea", {"code": None, "confidence": 0.0, "words": []})


def test_a_count_of_missions_proposes_no_quantity_of_people(run, tmp_path: Path) -> None:
    _, candidates = _extracted(run, tmp_path, "service_history.txt")
    missions = next(c for c in candidates if c["value_text"] == "12")
    assert missions["quantity"] == {"code": None, "confidence": 0.0,
                                    "words": ["counts recovery missions, not people"]}
    assert missions["unit"] == {"code": None, "confidence": 0.0,
                                "words": ["counts recovery missions"]}


@pytest.mark.parametrize(("phrase", "counted"), [
    ("Thousands of pages", ["Thousands"]),
    ("Dozens of pages", ["Dozens"]),
    ("Some 40 pages", ["Some 40"]),
    ("Dozens of miles", []),
    ("Dozens of times", []),
    ("Thousands of dollars", []),
    ("Some 40 years", []),
])
def test_countable_things_are_counts_and_units_of_measure_are_not(
        run, tmp_path: Path, phrase: str, counted: list[str]) -> None:
    document = tmp_path / "exchange.txt"
    document.write_text(f"Archives\n{phrase} of records were exchanged by the two sides.\n",
                        encoding="utf-8")
    result = run(["extract", str(document), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert [c["value_text"] for c in json.loads(result.stdout)["candidates"]] == counted


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(load_codes(DataRoot(PROJECT, PROJECT / "data", PROJECT / "seeds")))


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(year=st.integers(1900, 2029), count=st.integers(1, 999),
       noun=st.sampled_from(["boxes", "Individuals", "caskets", "remains"]),
       label=st.sampled_from(["Unilateral turnover", "K208 turnover", "Remains received"]))
def test_a_glued_year_is_never_read_as_a_larger_number(classifier: Classifier, year: int,
                                                       count: int, noun: str,
                                                       label: str) -> None:
    text = f"Recovery by year\n{label} {year}{count} {noun}\n"
    candidates = extract_text(text, classifier, "table.txt")
    assert [(c.line, c.value_text, c.best, c.ambiguous) for c in candidates] == [
        (2, str(count), count, True)]
    assert candidates[0].note == (
        f"'{year}{count}' may be the year {year} glued to {count}, or {int(f'{year}{count}'):,} "
        "written without separators; check the document")


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(1, 99_999), note=st.integers(1, 99),
       noun=st.sampled_from(["Individuals", "Unknowns", "Caskets", "Americans"]),
       after=st.sampled_from(["\n", "\nRemains identified 4 Individuals\n"]))
def test_a_glued_note_is_never_read_as_a_count(classifier: Classifier, count: int, note: int,
                                               noun: str, after: str) -> None:
    text = f"Remains recovered {count:,} {noun}{note}{after}"
    on_first_line = [(c.value_text, c.best) for c in extract_text(text, classifier, "t.txt")
                     if c.line == 1]
    assert on_first_line == [(f"{count:,}", count)]
