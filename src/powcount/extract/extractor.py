"""One text -> candidate figures: counts found, quoted, placed and classified."""

from __future__ import annotations

import re
from functools import partial
from typing import NamedTuple

from powcount.extract.candidates import Found, Lines, find_counts
from powcount.extract.classify import Classifier, Facts, Proposal, token_bytes
from powcount.extract.sentences import Sentences


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


#: A Candidate from a tuple of its fields, without the named tuple's Python-level
#: constructor.
_candidate = partial(tuple.__new__, Candidate)
#: The one letter that lowers to two characters, and the one lowered by its neighbours.
_GROWS_LOWERED, _FINAL_SIGMA = "\u0130", "\u03a3"


def normalise(text: str) -> str:
    """Runs of whitespace as one space, none at the ends (str.split's whitespace is
    the same as the pattern's \\s, and splitting is much faster than substituting)."""
    return " ".join(text.split())


def extract_text(text: str, classifier: Classifier, document: str = "") -> list[Candidate]:
    """Every candidate figure in a text, in text order."""
    return _extract(text, classifier, document)


def _extract(text: str, classifier: Classifier, document: str) -> list[Candidate]:
    lines = Lines(text)
    found = find_counts(text, lines)
    if not found:
        return []
    sentences = Sentences(text)
    index, is_table_row, span_of = lines.index, lines.is_table_row, sentences.span
    facts_of = classifier.facts
    # A sentence's lower case is a slice of the text's, unless a letter lowers to two
    # (the text's then keeps it) or lowers by what stands around it (a final sigma);
    # so are its words' bytes.
    whole_lower = (lines.lower if _GROWS_LOWERED not in text and _FINAL_SIGMA not in text
                   else None)
    whole_bytes = token_bytes(whole_lower, lines.latin1()) if whole_lower is not None else None
    # Per candidate: its row, its quote's bounds, the context its codes are read from
    # and the context's token span of the number.
    placed: list[tuple[Found, int, int, int, str, tuple[int, int], str | None]] = []
    # Facts and words (token_bytes) by context: a text saying the same twice counts it once.
    known: dict[str, tuple[Facts, bytes]] = {}
    numbers: dict[tuple[int, int], list[tuple[int, int]]] = {}
    headers: dict[int, str] = {}  # by table row: the line above the table
    for item in found:
        start = item.start
        row = index(start)
        if is_table_row(row):
            first, last = lines.bounds(row)
            above = headers.get(row)
            if above is None:
                above = headers[row] = _table_header(lines, row)
            header = _column_label(above, text[first:last], start - first)
            context = f"{header}\n{text[first:last]}" if header else text[first:last]
            shift = first - (len(context) - (last - first))
        else:
            first, last = span_of(start, item.end)
            context = text[first:last]
            shift = first
        entry = known.get(context)
        if entry is None:
            words = (whole_bytes[first:last] if whole_bytes is not None and shift == first
                     else token_bytes(context.lower()))
            entry = known[context] = (facts_of(context, words=words.split()), words)
        words = entry[1]
        # Token places as Classifier.token_span counts them.
        offset = start - shift
        before = len(words[:offset].split())
        size = len(words[offset : item.end - shift].split())
        span = (before, before + size) if size > 1 else (before, before + 1)
        operations = _operations_after(words, item.end - shift)
        if operations is not None:
            item = item._replace(note=item.note or f"counts {operations}, not people")
        placed.append((item, row, first, last, context, span, operations))
        in_sentence = numbers.get((first, last))
        if in_sentence is None:
            numbers[(first, last)] = [span]
        else:
            in_sentence.append(span)
    title = _title(text)
    facts = {context: entry[0] for context, entry in known.items()}
    prior = classifier.prior([classifier.facts(title), *facts.values()] if title
                             else list(facts.values()))
    candidates = []
    quotes: dict[tuple[int, int], str] = {}
    conflicts = {context: classifier.conflict(fact, prior) for context, fact in facts.items()}
    starts = lines.starts
    propose = classifier.propose
    for item, row, first, last, context, span, operations in placed:
        in_sentence = numbers[(first, last)]
        others = (tuple([other for other in in_sentence if other != span])
                  if len(in_sentence) > 1 else ())
        quantity, conflict, nation, unit = propose(facts[context], span, prior, others,
                                                   conflicts[context])
        if operations is not None:
            # A count of field operations fits none of the quantities of people or
            # remains: no code, and the words say why.
            quantity = Proposal("", 0.0, (f"counts {operations}, not people",))
            unit = Proposal("", 0.0, (f"counts {operations}",))
        quote = quotes.get((first, last))
        if quote is None:
            quote = quotes[(first, last)] = normalise(text[first:last])
        reading = item.reading
        candidates.append(_candidate((
            document, row + 1, item.start - starts[row] + 1, item.value_text, reading.qualifier,
            reading.low, reading.best, reading.high, quote, item.ambiguous, item.note,
            quantity, conflict, nation, unit,
        )))
    return candidates


#: Field work a number counts ("12 recovery missions", "33 joint field activities"), in a
#: context's token bytes after the number: a few modifiers, then the noun.
_OPERATIONS_AFTER = re.compile(
    rb" +((?:(?:joint|field|recovery|investigation|investigative|search|excavation|survey|"
    rb"research|archival|underwater|additional|more|new|separate) +){0,3}"
    rb"(?:missions?|operations?|activit(?:y|ies)|excavations?|investigations?|teams?|trips?|"
    rb"surveys?|deployments?|visits?|interviews?))(?![a-z0-9])"
)


def _operations_after(words: bytes, offset: int) -> str | None:
    """The field operations a number counts, from the context's token bytes after the
    number ("recovery missions"); None when it counts something else."""
    found = _OPERATIONS_AFTER.match(words, offset)
    if found is None:
        return None
    return " ".join(found.group(1).decode("latin-1").split())


def _title(text: str) -> str:
    for line in text.split("\n", 20)[:20]:
        if line.strip():
            return line.strip()
    return ""


_CELL_SEPARATOR = re.compile(r"\s*\|\s*|\t+| {2,}")
_ROW_NUMBER = re.compile(r"\d[\d,]*(?:\[\d+\])?")


def _column_label(header: str, row: str, offset: int) -> str:
    """The header cell above the number at ``offset`` of a table row, else the header.

    Cells are split at '|', tabs or runs of spaces when the row has them; a row
    flattened to single spaces is aligned from the right, number by number, with
    the header's last words ("Conflict Missing Recovered" over "Korean War 7,544 688").
    """
    if not header:
        return ""
    row_cells = _cells(row)
    if len(row_cells) > 1:
        labels = [header[a:b] for a, b in _cells(header)]
        index = next((i for i, (a, b) in enumerate(row_cells) if a <= offset < b), -1)
        return labels[index] if len(labels) == len(row_cells) and index >= 0 else header
    numbers = [m.start() for m in _ROW_NUMBER.finditer(row)]
    words = header.split()
    if offset in numbers and len(words) >= len(numbers):
        return words[len(words) - len(numbers) + numbers.index(offset)]
    return header


def _cells(line: str) -> list[tuple[int, int]]:
    """Bounds of the non-empty cells of a line split at '|', tabs or runs of spaces."""
    spans, position = [], 0
    for match in _CELL_SEPARATOR.finditer(line):
        if match.start() > position:
            spans.append((position, match.start()))
        position = match.end()
    if position < len(line.rstrip()):
        spans.append((position, len(line.rstrip())))
    return spans


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
