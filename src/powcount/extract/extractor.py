"""One text -> candidate figures: counts found, quoted, placed and classified."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from powcount.extract.candidates import Found, Lines, find_counts
from powcount.extract.classify import Classifier, Facts, Proposal
from powcount.extract.sentences import Sentences

_WHITESPACE = re.compile(r"\s+")


class Candidate(NamedTuple):
    """A number phrase that may be a figure, with its evidence and proposed codes."""

    document: str
    line: int  # 1-based line of value_text's first character
    column: int  # 1-based column of that character
    value_text: str
    qualifier: str
    low: int
    best: int
    high: int | None
    quote: str  # the sentence, whitespace-normalised, verbatim otherwise
    ambiguous: bool
    note: str | None
    quantity: Proposal
    conflict: Proposal
    nation: Proposal
    unit: Proposal


def normalise(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cycle collector: extraction makes many small acyclic objects, and
    collections triggered by them would otherwise cost a quarter of the run."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def extract_text(text: str, classifier: Classifier, document: str = "") -> list[Candidate]:
    """Every candidate figure in a text, in text order."""
    with _collector_paused():
        return _extract(text, classifier, document)


def _extract(text: str, classifier: Classifier, document: str) -> list[Candidate]:
    lines = Lines(text)
    found = find_counts(text, lines)
    if not found:
        return []
    sentences = Sentences(text)
    placed: list[tuple[Found, int, int, str, int]] = []  # found, quote bounds, context, shift
    for item in found:
        row = lines.index(item.start)
        if lines.is_table_row(row):
            first, last = lines.bounds(row)
            header = _table_header(lines, row)
            context = f"{header}\n{text[first:last]}" if header else text[first:last]
            placed.append((item, first, last, context, first - (len(context) - (last - first))))
        else:
            first, last = sentences.span(item.start, item.end)
            placed.append((item, first, last, text[first:last], first))
    facts: dict[str, Facts] = {}
    spans: list[tuple[int, int]] = []
    numbers: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for item, first, last, context, shift in placed:
        if context not in facts:
            facts[context] = classifier.facts(context)
        span = Classifier.token_span(context, item.start - shift, item.end - shift)
        spans.append(span)
        numbers.setdefault((first, last), []).append(span)
    title = _title(text)
    prior = classifier.prior([classifier.facts(title), *facts.values()] if title
                             else list(facts.values()))
    candidates = []
    for (item, first, last, context, _), span in zip(placed, spans, strict=True):
        row = lines.index(item.start)
        others = tuple(other for other in numbers[(first, last)] if other != span)
        quantity, conflict, nation, unit = classifier.propose(facts[context], span, prior, others)
        reading = item.reading
        candidates.append(Candidate(
            document=document,
            line=row + 1,
            column=item.start - lines.starts[row] + 1,
            value_text=item.value_text,
            qualifier=reading.qualifier,
            low=reading.low,
            best=reading.best,
            high=reading.high,
            quote=normalise(text[first:last]),
            ambiguous=item.ambiguous,
            note=item.note,
            quantity=quantity,
            conflict=conflict,
            nation=nation,
            unit=unit,
        ))
    return candidates


def _title(text: str) -> str:
    for line in text.split("\n", 20)[:20]:
        if line.strip():
            return line.strip()
    return ""


def _table_header(lines: Lines, row: int) -> str:
    """The nearest line above a table row that is not itself a row: its column names."""
    index = row - 1
    while index >= 0 and row - index <= 60:
        first, last = lines.bounds(index)
        line = lines.text[first:last]
        if line.strip() and not lines.is_table_row(index):
            return line
        index -= 1
    return ""
