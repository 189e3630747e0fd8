"""The numbers extract judged not figures: a draft of the curation ledger.

Every count-like number of the document (``powcount.ledger.count_like``, the numbers
``validate`` asks a curated document to account for) that no candidate stands on is
listed under ``not_figures`` in the figures file extract writes, with a reason read
from the characters around it. The reasons are a draft for the curator, as the
proposed codes are: the rules below are few and plain, and a number none of them
fits is given ``not_accounting`` (a number, but not one of the accounting) to be
checked like the rest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from powcount.documents import Document
from powcount.extract.candidates import LABEL_WORDS, MONTH_PATTERN
from powcount.ledger import Number, Span, count_like, line_starts, reading_text, value_span


class Dismissed(NamedTuple):
    """A ``not_figures`` entry: the number as written, its line and the reason guessed."""

    text: str
    line: int
    reason: str


_DATE_BEFORE = re.compile(MONTH_PATTERN + r"\.?\s+$")
_DATE_AFTER = re.compile(r"\s+" + MONTH_PATTERN + r"(?![a-z])")
_DURATION_AFTER = re.compile(
    r"(?:\s+|-)(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|centur(?:y|ies))"
    r"(?![a-z])")
_AGE = re.compile(r"(?<![a-z])(?:aged?\s+|died at\s+)$")
_AGE_AFTER = re.compile(r"-years?-old")
_MONEY_BEFORE = re.compile(r"[$\u00a3\u20ac]\s*(?:[\d.,]+\s+)?$")
_MONEY_AFTER = re.compile(r"\s*(?:(?:thousand|million|billion)\s+)?(?:dollars|euros)(?![a-z])")
_YEAR = re.compile(r"1[5-9]\d\d|20\d\d")
#: A number that names rather than counts: an ordinal ("8th"), "Page 1 of 2", a list
#: item's number opening its line ("1."), a telephone number.
_NAMING_AFTER = re.compile(r"(?:st|nd|rd|th)(?![a-z])|\s+of\s+\d|\)\s*\d{3}-|-\d{4}(?!\d)")
_NAMING_BEFORE = re.compile(r"\($|page\s+\d+\s+of\s+$")
_GLUED_BEFORE = re.compile(r"[A-Za-z.)\]\"\u201d\u2019]$")


def reason_for(text: str, start: int, number: str) -> str:
    """The reason a count-like number at ``start`` of ``text`` is not a figure, as a
    curator would most often give it."""
    before = text[max(0, start - 24) : start].lower()
    after = text[start + len(number) : start + len(number) + 32].lower()
    if not number[0].isdigit():
        if _MONEY_BEFORE.search(before):
            return "money"  # "$3 million"
        if _DURATION_AFTER.match(after):
            return "duration"  # "three years"
        return "no_count"  # "the two sides": a number word that counts nothing stated
    if _MONEY_BEFORE.search(before) or _MONEY_AFTER.match(after):
        return "money"
    if "." in number:
        return "footnote"  # "1954.5": a number with a note marker glued after a stop
    if _DATE_BEFORE.search(before) or _DATE_AFTER.match(after):
        return "date" if not _YEAR.fullmatch(number) else "year"
    words_before = before.split()
    if (words_before and words_before[-1].rstrip(".") in LABEL_WORDS and before[-1:].isspace()
            or text[start - 1 : start].isupper() and len(number) > 2):
        return "identifier"  # "Section 1513", "Camp 5", "K208"
    if _YEAR.fullmatch(number):
        return "year"
    if before.endswith("-"):
        return "identifier"  # "MI-6"
    opens_line = not text[text.rfind("\n", 0, start) + 1 : start].strip()
    if (_NAMING_AFTER.match(after) or _NAMING_BEFORE.search(before)
            or opens_line and after[:1] in (".", ")")):
        return "identifier"
    if _AGE.search(before) or _AGE_AFTER.match(after):
        return "age"
    if _DURATION_AFTER.match(after):
        return "duration"
    if _GLUED_BEFORE.search(before):
        return "footnote"  # "Korea.2", "Individuals4": a marker glued to a word
    return "not_accounting"


def not_figures(text: str, spans: Sequence[tuple[int, int, str, str]]) -> list[Dismissed]:
    """The count-like numbers of ``text`` that no (line, column, value_text, quote) stands on,
    once each per line (a ``not_figures`` entry covers its text wherever it stands on
    its line), in reading order."""
    text = reading_text(text)
    starts = line_starts(text)
    covering: dict[int, list[Span]] = {}
    # Validate places a figure on the first occurrence of its quote in the document, and
    # of its value_text in that quote: a sentence said twice, or a number said twice in
    # a sentence, leaves the later one to the ledger.
    document = Document(name="", text=text, sha256="")
    for line, column, value_text, quote in spans:
        line, column = document.locate_value(quote, value_text) or (line, column)
        span = value_span(text, starts, line, column, value_text)
        for covered in range(line, line + span.value_text.count("\n") + 1):
            covering.setdefault(covered, []).append(span)
    listed: set[tuple[str, int]] = set()
    drafted = []
    for number in count_like(text):
        key = (number.text.casefold(), number.line)
        if key in listed or _covered(number, covering):
            continue
        listed.add(key)
        start = starts[number.line - 1] + number.column - 1
        drafted.append(Dismissed(number.text, number.line,
                                 reason_for(text, start, number.text)))
    return drafted


def _covered(number: Number, covering: dict[int, list[Span]]) -> bool:
    return any(span.covers(number) for span in covering.get(number.line, ()))
