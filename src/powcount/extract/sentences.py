"""Sentences of a text, as quotes for candidates.

A candidate's quote is the sentence it stands in, copied verbatim and
whitespace-normalised, so ``powcount validate`` finds it in the document.
Sentences end at a full stop, question or exclamation mark followed by a capital
(a glued footnote marker between them is skipped: "identified.1 The"), at a blank
line, and before a list item. Abbreviations ("U.S. military", "Gen. Mark Clark")
do not end a sentence. Where a "sentence" runs on (a flattened table, a page
without punctuation), the quote falls back to the line, then to a window.
"""

from __future__ import annotations

import bisect
import re

_BREAK = re.compile(
    r"(?P<stop>[.!?\u2026]+[\"\u201d\u2019)\]]*)(?P<note>\d{1,3}(?:,\d{1,3})*)?"
    r"(?P<gap>\s+)(?=[A-Z\u201c\"\u2018(\[\d])"
    r"|(?P<para>\n[ \t]*\n\s*)"
    r"|(?P<item>\n)(?=[ \t]*(?:[-*\u2022]|\d{1,3}[.)])[ \t])"
)
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Z]\.[A-Z]|Gen|Mr|Mrs|Ms|Dr|St|No|Nos|Lt|Col|Sgt|Capt|Cpl|Pvt|Maj|Adm|Cmdr|"
    r"Rep|Sen|Gov|Pres|Jr|Sr|Inc|Co|Corp|Ltd|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|"
    r"Nov|Dec|Fig|Vol|pp|approx|Dept|Gov|Rev|Hon|Mt|Ft|Ave|ca)|(?<![A-Za-z])[A-Z])\Z"
)
_LINE_BREAK = "\n"

#: A quote longer than this is cut to the line, then to a window round the number.
MAX_QUOTE = 400
_WINDOW = 160


class Sentences:
    """Sentence boundaries of one text, found once; spans looked up by bisection."""

    def __init__(self, text: str):
        self.text = text
        ends: list[int] = []
        starts: list[int] = []
        for match in _BREAK.finditer(text):
            if match.group("stop") is not None:
                stop_start = match.start("stop")
                if (match.group("note") is None and match.group("stop") == "."
                        and _ABBREVIATION.search(text, max(0, stop_start - 6), stop_start)):
                    continue
                ends.append(match.end("stop"))
            else:
                ends.append(match.start())
            starts.append(match.end())
        self._ends = ends
        self._starts = starts

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Bounds of the sentence holding text[start:end], cut down when it runs on."""
        index = bisect.bisect_right(self._starts, start) - 1
        first = self._starts[index] if index >= 0 else 0
        index = bisect.bisect_left(self._ends, end)
        last = self._ends[index] if index < len(self._ends) else len(self.text)
        if last - first <= MAX_QUOTE:
            return first, last
        line_start = self.text.rfind(_LINE_BREAK, first, start) + 1 or first
        line_start = max(line_start, first)
        line_end = self.text.find(_LINE_BREAK, end, last)
        line_end = last if line_end < 0 else line_end
        if line_end - line_start <= MAX_QUOTE:
            return line_start, line_end
        return _window(self.text, max(line_start, start - _WINDOW), min(line_end, end + _WINDOW),
                       start, end)


def line_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the line (or lines) holding text[start:end]."""
    first = text.rfind(_LINE_BREAK, 0, start) + 1
    last = text.find(_LINE_BREAK, end)
    return first, len(text) if last < 0 else last


def _window(text: str, first: int, last: int, start: int, end: int) -> tuple[int, int]:
    """A window snapped outward to whole words, never cutting the number."""
    space = text.find(" ", first, start)
    if space >= 0:
        first = space + 1
    space = text.rfind(" ", end, last)
    if space >= 0:
        last = space
    return first, last
