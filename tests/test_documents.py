"""powcount.documents: quotes found whitespace-normalised, placed at their line and column."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powcount.documents import Document, DocumentError, decode_utf8, normalise

WRAPPED = (
    "Korean War POW/MIAs\n"
    "\n"
    "Over 7,800 U.S. military personnel who fought in the\n"
    "Korean War are  unaccounted for, and approximately\n"
    "8,100 remained\tso in 1954.\n"
)


def _document(text: str = WRAPPED) -> Document:
    return Document("report.txt", text, hashlib.sha256(text.encode()).hexdigest())


def test_read_keeps_the_text_and_its_sha256(tmp_path: Path):
    path = tmp_path / "report.txt"
    path.write_bytes(b"\xef\xbb\xbf" + WRAPPED.encode("utf-8"))
    document = Document.read(path, "report.txt")
    assert document.text == WRAPPED
    assert document.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_quote_across_line_breaks_is_found_and_placed():
    document = _document()
    quote = "who fought in the Korean War are unaccounted for"
    assert document.locate_value(quote, "Korean War") == (4, 1)
    assert document.locate_value("approximately 8,100 remained so", "8,100") == (5, 1)
    assert document.locate_value("Over 7,800 U.S. military", "7,800") == (3, 6)


def test_a_quote_not_in_the_document_is_not_found():
    document = _document()
    assert document.find("approximately 8,200 remained") is None
    assert document.locate_value("8,200 remained", "8,200") is None
    assert document.find_normalised(["Over 7,800 U.S.", "absent words", "1954."]) == [
        document.normalised.index("Over 7,800"), -1, document.normalised.index("1954.")]


def test_normalise_collapses_every_run_of_whitespace():
    assert normalise("  a\tb\n\n c \u00a0d ") == "a b c d"


def test_decode_refuses_what_is_not_utf8_and_says_where():
    assert decode_utf8(b"\xef\xbb\xbfok") == "ok"
    with pytest.raises(DocumentError) as raised:
        decode_utf8(b"line one\nline \xff two")
    assert str(raised.value) == "not UTF-8 at line 2 (byte 0xff): save it as UTF-8"


words = st.lists(st.sampled_from(["POW", "7,800", "the", "MIA", "Korea", "1954."]),
                 min_size=1, max_size=30)
spaces = st.lists(st.sampled_from([" ", "\n", "  ", "\t", " \n  "]), min_size=30, max_size=30)


@settings(max_examples=200, deadline=None)
@given(words, spaces, st.data())
def test_every_word_is_placed_where_it_stands_in_the_original(tokens, gaps, data):
    text = "".join(token + gap for token, gap in zip(tokens, gaps, strict=False))
    document = _document(text)
    at = data.draw(st.integers(0, len(tokens) - 1))
    offset = len(" ".join(tokens[:at])) + (1 if at else 0)
    line, column = document.line_column(offset)
    original = text.splitlines(keepends=True)[line - 1][column - 1:]
    assert original.startswith(tokens[at])


def test_a_quote_is_found_where_a_word_starts_before_inside_a_word():
    document = _document("Remains identified 124,000 caskets; later 4,000 more.\n")
    assert document.find("4,000") == document.normalised.index("4,000 more")
    assert document.find("4,000 caskets") == document.normalised.index("24,000") + 1


def test_a_value_not_in_its_quote_is_placed_at_the_quote():
    assert _document().locate_value("approximately 8,100 remained", "9,999") == (4, 38)


def test_every_kind_of_line_end_starts_a_line():
    document = _document("one\r\ntwo\rthree\nfour 7,800\n")
    assert document.line_column(document.normalised.index("7,800")) == (4, 6)
    assert document.line_column(document.normalised.index("three")) == (3, 1)
    offsets = [document.normalised.index(w) for w in ("one", "two", "three", "7,800")]
    lines, columns = document.line_columns(offsets)
    assert list(zip(lines.tolist(), columns.tolist(), strict=True)) == [
        document.line_column(offset) for offset in offsets]


def test_a_document_that_cannot_be_read_says_why(tmp_path: Path):
    with pytest.raises(DocumentError) as missing:
        Document.read(tmp_path / "absent.txt", "absent.txt")
    assert str(missing.value) == "cannot read: No such file or directory"
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"%PDF\x00\x01")
    with pytest.raises(DocumentError) as refused:
        Document.read(binary, "scan.txt")
    assert str(refused.value) == "binary file, not text: convert it to UTF-8 text"
