"""The curation ledger: count-like numbers, spans, ``validate`` and ``powcount coverage``."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from powcount.ledger import Span, count_like, uncovered

BASE = Path(__file__).resolve().parent / "bad_inputs" / "_base"

TEXT = st.text(alphabet=st.sampled_from(list("0123456789 ,.\n-abtwoTen$")), max_size=200)


def offsets(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer("\n", text))]


def absolute(text: str, line: int, column: int) -> int:
    return offsets(text)[line - 1] + column - 1


@given(TEXT)
def test_every_digit_run_is_found_where_it_stands(text: str) -> None:
    found = [(absolute(text, n.line, n.column), n.text) for n in count_like(text)]
    for start, number in found:
        assert text[start:start + len(number)] == number
    for run in re.finditer(r"\d+", text):
        assert any(start <= run.start() and run.end() <= start + len(number)
                   for start, number in found), run.group()


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[Span]]:
    text = draw(TEXT)
    spans = []
    for _ in range(draw(st.integers(0, 4))):
        if not text:
            break
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        line = text.count("\n", 0, start) + 1
        column = start - offsets(text)[line - 1] + 1
        spans.append(Span(line, column, text[start:end]))
    return text, spans


@settings(max_examples=300)
@given(text_and_spans())
def test_coverage_never_claims_a_number_outside_a_span(case: tuple[str, list[Span]]) -> None:
    text, spans = case
    left = set(uncovered(text, spans, []))
    ranges = [(absolute(text, s.line, s.column), absolute(text, s.line, s.column)
               + len(s.value_text)) for s in spans]
    for number in count_like(text):
        start = absolute(text, number.line, number.column)
        inside = any(low <= start and start + len(number.text) <= high for low, high in ranges)
        assert (number not in left) == inside


def test_a_dismissal_names_text_and_line_and_ignores_case() -> None:
    text = "Two men in 1951\nand 1951 again\n"
    assert [n.text for n in uncovered(text, [], [("two", 1), ("1951", 1)])] == ["1951"]


def test_a_value_wrapped_across_lines_covers_both_parts() -> None:
    text = "about\n7,800 of\nthem and 12\n"
    span = Span(1, 1, "about\n7,800")
    assert [(n.line, n.text) for n in uncovered(text, [span], [])] == [(3, "12")]


def base_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    return root


def test_coverage_lists_the_uncovered_numbers_and_with_all_the_dismissed(run, tmp_path):
    root = base_copy(tmp_path)
    figures = root / "data" / "figures" / "report.yaml"
    figures.write_text(figures.read_text("utf-8").replace(
        '  - {text: "1951", line: 6, reason: year}\n', ""), encoding="utf-8")
    result = run(["coverage", "--format", "csv"], data=root)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "source,curation,document,line,column,number,status,reason,note\n"
        "report,complete,report.txt,6,21,1951,uncovered,,\n")
    everything = run(["coverage", "report", "--all", "--format", "json"], data=root)
    assert json.loads(everything.stdout) == [
        {"source": "report", "curation": "complete", "document": "report.txt", "line": line,
         "column": column, "number": number, "status": status, "reason": reason,
         "note": None}
        for line, column, number, status, reason in [
            (3, 22, "2015", "dismissed", "year"), (6, 21, "1951", "uncovered", None),
            (8, 20, "1953", "dismissed", "year")]]


def test_coverage_of_an_unknown_source_is_a_usage_error(run, tmp_path):
    result = run(["coverage", "reprot"], data=base_copy(tmp_path))
    assert (result.exit_code, result.stderr) == (
        2, "powcount: unknown source 'reprot' (did you mean 'report'?): see powcount sources\n")


def test_a_partly_curated_source_passes_validate_and_still_shows_in_coverage(run, tmp_path):
    root = base_copy(tmp_path)
    figures = root / "data" / "figures" / "report.yaml"
    text = figures.read_text("utf-8")
    figures.write_text(text[:text.index("not_figures:")] + text[text.index("\nfigures:") + 1:],
                       encoding="utf-8")
    sources = root / "data" / "sources.yaml"
    sources.write_text(sources.read_text("utf-8") + "    curation: partial\n", encoding="utf-8")
    assert run(["validate"], data=root).exit_code == 0
    listed = run(["coverage", "--format", "csv"], data=root).stdout.splitlines()
    assert [line.split(",")[5] for line in listed[1:]] == ["2015", "1951", "1953"]


def test_a_stale_entry_is_reported_even_for_a_partly_curated_source(run, tmp_path):
    root = base_copy(tmp_path)
    sources = root / "data" / "sources.yaml"
    sources.write_text(sources.read_text("utf-8") + "    curation: partial\n", encoding="utf-8")
    figures = root / "data" / "figures" / "report.yaml"
    figures.write_text(figures.read_text("utf-8").replace('line: 8, reason', 'line: 7, reason'),
                       encoding="utf-8")
    result = run(["validate"], data=root)
    assert (result.exit_code, result.stderr) == (
        3, "data/figures/report.yaml:5: not_figures '1953': no number '1953' on line 7 of "
        "seeds/report.txt (the document changed, or the entry is wrong): correct its text or "
        "line, or remove it\n")


def test_the_bundled_dataset_passes_validate_with_its_ledger(run):
    result = run(["validate"])
    assert result.exit_code == 0, result.stderr
