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

``powcount validate`` reports, for every source marked ``curation: complete``, each
count-like number that no figure's value_text covers and no ``not_figures`` entry
dismisses, and for every source each ``not_figures`` entry that matches no number of
its line (a stale ledger). ``powcount coverage`` lists the same numbers, and with
``--all`` the dismissed ones with their reasons too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from powcount.models import Dismissal

if TYPE_CHECKING:
    from powcount.catalog import Catalog
    from powcount.errors import Problem
    from powcount.render.base import Result

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


_LONE_CR = re.compile(r"\r(?!\n)")


def reading_text(text: str) -> str:
    """A document's text with a lone carriage return read as a line break, as quotes are
    located (same length, so offsets and columns do not move)."""
    return _LONE_CR.sub("\n", text) if "\r" in text else text


def value_span(text: str, line_starts: Sequence[int], line: int, column: int,
               value_text: str) -> Span:
    """The span of a value_text located at (line, column): the document's own characters
    there, line breaks and all (a value may be wrapped across lines)."""
    start = line_starts[line - 1] + column - 1
    pattern = r"\s+".join(re.escape(word) for word in value_text.split())
    found = re.compile(pattern).match(text, start) if pattern else None
    return Span(line, column, found.group() if found else value_text)


def line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in re.finditer("\n", text))]


@dataclass(frozen=True)
class Standing:
    """A count-like number of a source's document and what accounts for it."""

    source: str
    number: Number
    status: str  # figure, dismissed or uncovered
    dismissal: Dismissal | None = None


def standings(catalog: Catalog, source_id: str) -> tuple[list[Standing], list[Dismissal]]:
    """Every count-like number of a source's document with its status; the stale entries."""
    text = reading_text(catalog.documents[source_id].text)
    starts = line_starts(text)
    figures = catalog.figures
    rows = figures.loc[figures["source"] == source_id, ["line", "column", "value_text"]]
    spans_by_line: dict[int, list[Span]] = {}
    for line, column, value_text in rows.itertuples(index=False):
        span = value_span(text, starts, int(line), int(column), str(value_text))
        for covered in range(span.line, span.line + span.value_text.count("\n") + 1):
            spans_by_line.setdefault(covered, []).append(span)
    dismissals = catalog.not_figures.get(source_id, [])
    by_key: dict[tuple[str, int], Dismissal] = {}
    for dismissal in dismissals:
        by_key.setdefault((dismissal.text.casefold(), dismissal.line), dismissal)
    found = []
    for number in count_like(text):
        key = (number.text.casefold(), number.line)
        if any(span.covers(number) for span in spans_by_line.get(number.line, ())):
            found.append(Standing(source_id, number, "figure"))
        elif key in by_key:
            found.append(Standing(source_id, number, "dismissed", by_key[key]))
        else:
            found.append(Standing(source_id, number, "uncovered"))
    on_lines = {(n.text.casefold(), n.line) for n in count_like(text)}
    stale = [d for d in dismissals if (d.text.casefold(), d.line) not in on_lines]
    return found, stale


def ledger_problems(catalog: Catalog) -> list[Problem]:
    """The numbers a complete curation misses, and every stale not_figures entry."""
    from powcount.errors import Problem

    problems = []
    for source_id, source in sorted(catalog.sources.items()):
        found, stale = standings(catalog, source_id)
        figures_file = f"data/figures/{source_id}.yaml"
        document = f"seeds/{source.file}"
        for dismissal in stale:
            problems.append(Problem(
                dismissal.data_file, dismissal.data_line, f"not_figures '{dismissal.text}'",
                f"no number '{dismissal.text}' on line {dismissal.line} of {document} "
                "(the document changed, or the entry is wrong): correct its text or line, "
                "or remove it", kind="stale-not-figure"))
        if source.curation != "complete":
            continue
        for standing in found:
            if standing.status != "uncovered":
                continue
            number = standing.number
            problems.append(Problem(
                document, number.line, f"number '{number.text}' at column {number.column}",
                f"neither a figure nor under not_figures (source '{source_id}', curation: "
                f"complete): add the figure to {figures_file}, or list it there under "
                f"not_figures with text '{number.text}', line {number.line} and a reason",
                kind="uncovered-number"))
    return problems


COVERAGE_COLUMNS = ("source", "curation", "document", "line", "column", "number", "status",
                    "reason", "note")


def coverage_result(catalog: Catalog, source_id: str | None, everything: bool) -> Result:
    """``powcount coverage``: the numbers no figure or dismissal accounts for (``everything``:
    the dismissed ones too, with their reasons), one row each, in document order."""
    from powcount.errors import UsageProblem
    from powcount.models import suggest
    from powcount.render.base import Result, table_from_records

    if source_id is not None and source_id not in catalog.sources:
        raise UsageProblem(f"unknown source '{source_id}'{suggest(source_id, catalog.sources)}:"
                           " see powcount sources")
    chosen = [source_id] if source_id is not None else sorted(catalog.sources)
    shown = ("uncovered", "dismissed") if everything else ("uncovered",)
    records = []
    for sid in chosen:
        source = catalog.sources[sid]
        found, _ = standings(catalog, sid)
        for standing in found:
            if standing.status not in shown:
                continue
            dismissal = standing.dismissal
            records.append({
                "source": sid, "curation": source.curation, "document": source.file,
                "line": standing.number.line, "column": standing.number.column,
                "number": standing.number.text, "status": standing.status,
                "reason": dismissal.reason if dismissal else None,
                "note": dismissal.note if dismissal else None,
            })
    notes = ["status: uncovered when no figure's value_text holds the number and no "
             "not_figures entry of its line dismisses it; dismissed when one does (reason "
             "given)"]
    table = table_from_records("coverage", "Coverage", COVERAGE_COLUMNS, records, notes)
    return Result((table,), records)
