"""The curation ledger: every count-like number of a document is a figure or is dismissed.

A curated document must account for each number in it that could be a count: either
a figure's ``value_text`` stands on it, or the figures file lists it under
``not_figures`` with a reason (a year, an age, a footnote marker...). This catches a
figures file cut off partway, a forgotten figure and a document changed after curation.

What counts as count-like is deliberately simple and stable, so that curators can
predict it: every run of digits (with ``,`` or ``.`` between digits, as in "7,800"
or "1954.5"), and every number word from two upwards ("two", "twenty", "hundred",
"thousand", "million", "dozen", "dozens"). "one", "a" and "an" are left out: they
count something far less often than they do not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_WORDS = (
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
    "ninety hundred hundreds thousand thousands million millions dozen dozens"
).split()

# A digit run may hold separators between digits; a number word stands as a whole word
# (so "twenty-five" is two words, "often" holds no "ten").
COUNT_LIKE = re.compile(
    r"\d+(?:[.,]\d+)*|(?<![A-Za-z])(?:" + "|".join(_WORDS) + r")(?![A-Za-z])",
    re.IGNORECASE,
)


@dataclass(frozen=True, order=True)
class Number:
    """A count-like number of a document, where it stands (1-based line and column)."""

    line: int
    column: int
    text: str


def count_like(text: str) -> list[Number]:
    """Every count-like number of a document's text, in reading order."""
    numbers = []
    line, line_start = 1, 0
    for match in COUNT_LIKE.finditer(text):
        start = match.start()
        newlines = text.count("\n", line_start, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", 0, start) + 1
        numbers.append(Number(line, start - line_start + 1, match.group()))
    return numbers


@dataclass(frozen=True)
class Span:
    """Where a figure's value_text stands: from (line, column), over the text as it
    stands in the document (with the document's own line breaks)."""

    line: int
    column: int
    value_text: str

    def covers(self, number: Number) -> bool:
        parts = self.value_text.split("\n")
        last_line = self.line + len(parts) - 1
        if not self.line <= number.line <= last_line:
            return False
        first = self.column if number.line == self.line else 1
        end = (self.column + len(parts[0]) if number.line == self.line == last_line
               else first + len(parts[number.line - self.line]))
        return first <= number.column and number.column + len(number.text) <= end


def uncovered(text: str, spans: Sequence[Span],
              dismissed: Iterable[tuple[str, int]]) -> list[Number]:
    """The count-like numbers of ``text`` that no span covers and no (text, line) dismisses.

    A dismissal names the number as written and its line; it covers every occurrence
    of that text on that line (case is ignored).
    """
    dismissed_keys = {(number_text.casefold(), line) for number_text, line in dismissed}
    by_line: dict[int, list[Span]] = {}
    for span in spans:
        for line in range(span.line, span.line + span.value_text.count("\n") + 1):
            by_line.setdefault(line, []).append(span)
    return [number for number in count_like(text)
            if (number.text.casefold(), number.line) not in dismissed_keys
            and not any(span.covers(number) for span in by_line.get(number.line, ()))]
