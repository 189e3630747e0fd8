"""Properties of extraction that hold for every input: no crash, and every candidate is
a phrase the curated data's parser reads, quoted verbatim and placed where it stands."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powcount.catalog import DataRoot
from powcount.documents import Document
from powcount.extract import Classifier, extract_text, load_codes
from powcount.numbers import parse_phrase

PROJECT = Path(__file__).resolve().parent.parent
PIECES = [
    "Over", "over", "about", "some", "as many as", "fewer than", "between", "and", "to", "or",
    "7,800", "7,5441", "6882", "1954.5", "identified.1", "1951", "1992-1996", "375-400", "30",
    "six", "one", "million", "dozens of", "a handful of", "A few of", "three years", "$5",
    "25 percent", "No. 3", "Camp 5", "K208", "8th", "(703) 699-1420", "Americans", "POWs",
    "sets of remains", "Korean War", "U.S.", "Gen.", "\u201cunknown,\u201d", ".", ",", ";", "|",
    "\n", "\n\n", "\t", "  ", "\r\n", "\u00a0", "-", "\u2013", "[1]", "Subscribe", "Page 2 of 2",
]  # fmt: skip
texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(PIECES), max_size=80).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=80).map("".join),
)


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(load_codes(DataRoot(PROJECT, PROJECT / "data", PROJECT / "seeds")))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_every_candidate_reads_quotes_and_places_itself(classifier: Classifier,
                                                        text: str) -> None:
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as the readers give text
    document = Document(name="fuzz.txt", text=text, sha256="")
    lines = text.split("\n")
    for candidate in extract_text(text, classifier, "fuzz.txt"):
        reading = parse_phrase(candidate.value_text)
        assert (reading.qualifier, reading.low, reading.best, reading.high) == (
            candidate.qualifier, candidate.low, candidate.best, candidate.high)
        assert candidate.value_text in candidate.quote
        assert document.find(candidate.quote) is not None
        line = lines[candidate.line - 1]
        assert line[candidate.column - 1 :].startswith(candidate.value_text.split()[0])
        for proposal in (candidate.quantity, candidate.conflict, candidate.nation,
                         candidate.unit):
            assert 0.0 <= proposal.confidence <= 1.0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300), suffix=st.sampled_from([".txt", ".md", ".html", ".pdf",
                                                           ".bin"]))
def test_any_file_is_read_or_refused_in_one_line(run, tmp_path: Path, raw: bytes,
                                                 suffix: str) -> None:
    path = tmp_path / f"document{suffix}"
    path.write_bytes(raw)
    result = run(["extract", str(path), "--format", "json"])
    assert result.exit_code in (0, 4), result.stderr
    if result.exit_code == 4:
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"powcount: {path}: ")
