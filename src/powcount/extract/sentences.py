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
from operator import methodcaller

_ABBREVIATIONS = frozenset((
    "Gen Mr Mrs Ms Dr St No Nos Lt Col Sgt Capt Cpl Pvt Maj Adm Cmdr Rep Sen Gov Pres Jr Sr "
    "Inc Co Corp Ltd vs Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Fig Vol pp approx "
    "Dept Rev Hon Mt Ft Ave ca"
).split())
#: A stop and closing quotes, before (a footnote marker and) a space and a capital.
_STOP_TAIL = (r"[.!?\u2026]*[\"\u201d\u2019)\]]*"
              r"(?=(?:\d{1,3}(?:,\d{1,3})*)?\s+[A-Z\u201c\"\u2018(\[\d])")
#: A sentence end: a stop and its tail. One pattern for each stop it opens with: a scan
#: for one character skips to it in C, where a scan for a class tests every character
#: on the way.
_STOP_ENDS = tuple((stop, re.compile(re.escape(stop) + _STOP_TAIL)) for stop in ".!?\u2026")
#: The last word of the few characters before a stop (after any opening brackets or
#: quotes) is an abbreviation or initials ("U.S", "R"): one match, on that window.
_ABBREVIATION_BEFORE = re.compile(
    r"(?:[\s\S]*\s)?[(\u201c\"]*(?:"
    + "|".join(sorted(_ABBREVIATIONS, key=len, reverse=True))
    + r"|(?:[A-Z]\.)*[A-Z])\s*\Z"
)
#: How far back a stop looks for that word.
_ABBREVIATION_REACH = 8


def _suspects_pattern() -> re.Pattern[str]:
    """Full stops right after a capital, a space or an abbreviation: the only ones the
    abbreviation test can hold back, told by one match at a stop (look-behinds of one
    width each)."""
    by_width: dict[int, list[str]] = {}
    for word in _ABBREVIATIONS:
        by_width.setdefault(len(word), []).append(word)
    # Initials ("R.", "U.S.") open a word, or follow a stop; a space may trail a word.
    behind = [r"(?<=\s\.)", r"(?<=^[A-Z]\.)", r"(?<=[\s(\u201c\".][A-Z]\.)"] + [
        f"(?<=(?:{'|'.join(sorted(words))})\\.)" for _, words in sorted(by_width.items())
    ]
    return re.compile(r"\.(?:" + "|".join(behind) + ")")


_ABBREVIATION_SUSPECT = _suspects_pattern()
#: The last two characters of every abbreviation (each has two or more).
_ABBREVIATION_ENDINGS = frozenset(word[-2:] for word in _ABBREVIATIONS)


def _may_be_suspect(text: str, stop: int) -> bool:
    """Whether what stands before the full stop at ``stop`` may let
    _ABBREVIATION_SUSPECT match there: a space, a capital, or an abbreviation's last
    two characters; a cheap test of one or two characters, true wherever the pattern
    matches.

    A speed trick (benchmarks/extract_bench.py): most stops end a word that is none
    of these, and the pattern's many look-behinds cost a match call at every stop.
    """
    before = text[stop - 1]
    return (before.isspace() or "A" <= before <= "Z"
            or text[stop - 2 : stop] in _ABBREVIATION_ENDINGS)
#: A blank line, or a line break before a list item: the sentence ends where it starts.
_BREAK_START = re.compile(r"\n(?:[ \t]*\n|(?=[ \t]*(?:[-*\u2022]|\d{1,3}[.)])[ \t]))")
#: What lies between a sentence's end and the next one: a footnote marker, spaces.
_GAP = re.compile(r"(?:\d{1,3}(?:,\d{1,3})*)?\s*")
_LINE_BREAK = "\n"
_SPAN = methodcaller("span")
_STOPS = ".!?\u2026"

#: A quote longer than this is cut to the line, then to a window round the number.
MAX_QUOTE = 400
_WINDOW = 160


class Sentences:
    """Sentence ends of one text, found on first use; spans looked up by bisection."""

    def __init__(self, text: str):
        self.text = text
        self._ends: list[int] | None = None

    def ends(self) -> list[int]:
        if self._ends is None:
            text = self.text
            ends = [m.start() for m in _BREAK_START.finditer(text)]
            # No end after an abbreviation ("U.S. Forces", "Gen. Clark", "R. Cort")
            # unless a footnote marker proves one ("returned to the U.S.3 Most"). Only a
            # full stop after a capital, a space or an abbreviation can be one, and only
            # one that opens a stop's match: none stands inside a match unless another
            # stop stands right before it (a run of stops is one match, or none).
            reach = _ABBREVIATION_REACH
            suspect = _ABBREVIATION_SUSPECT.match
            for start, end in _stop_spans(text):
                if (text[start] == "." and start and text[start - 1] not in _STOPS
                        and _may_be_suspect(text, start) and suspect(text, start)
                        and not text[end].isdigit()
                        and _ABBREVIATION_BEFORE.match(
                            text, start - reach if start > reach else 0, start)):
                    continue
                ends.append(end)
            ends.sort()
            self._ends = ends
        return self._ends

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Bounds of the sentence holding text[start:end], cut down when it runs on."""
        text = self.text
        ends = self._ends if self._ends is not None else self.ends()
        index = bisect.bisect_right(ends, start)
        first = 0
        if index:
            gap = _GAP.match(text, ends[index - 1])
            first = min(gap.end(), start) if gap else ends[index - 1]
        index = bisect.bisect_left(ends, end)
        last = ends[index] if index < len(ends) else len(text)
        if last - first <= MAX_QUOTE:
            return first, last
        # Look for the line's ends no farther than a quote may reach: a text without
        # line breaks must not cost a scan back to its start for every number.
        floor, ceiling = max(first, start - MAX_QUOTE), min(last, end + MAX_QUOTE)
        line_start = text.rfind(_LINE_BREAK, floor, start) + 1 or floor
        line_end = text.find(_LINE_BREAK, end, ceiling)
        line_end = ceiling if line_end < 0 else line_end
        if line_end - line_start <= MAX_QUOTE:
            return line_start, line_end
        return _window(text, max(line_start, start - _WINDOW), min(line_end, end + _WINDOW),
                       start, end)


def _stop_spans(text: str) -> list[tuple[int, int]]:
    """Bounds of the sentence ends (_STOP_ENDS) in the text, as one scan for any stop
    and its tail would find them."""
    found: list[tuple[int, int]] = []
    kinds = 0
    for stop, pattern in _STOP_ENDS:
        if stop in text:
            found += map(_SPAN, pattern.finditer(text))
            kinds += 1
    if kinds > 1:
        # One scan takes the leftmost match and goes on after it; a match that starts
        # inside another ("?!" after "?") ends where it ends, so is left out.
        found.sort()
        kept, reached = [], 0
        for start, end in found:
            if start >= reached:
                kept.append((start, end))
                reached = end
        return kept
    return found


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
