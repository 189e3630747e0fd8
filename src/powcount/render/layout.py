"""How a terminal table is laid out for the width it has: the one place for it.

Each table has a small declaration (``LAYOUTS``): the columns its compact view shows,
in order; which of them to keep longest when the width runs out; which hold prose
that may wrap at spaces, and which hold codes that may wrap only after ``-``, ``_``
or ``/``. A column not declared is not shown in the compact view (``--wide`` shows
every column), so a new column is placed by naming it here.

Rules, whatever the table:

- Numbers are never split: a column of numbers is as wide as its widest number,
  and right-aligned under a right-aligned header.
- Codes (ids, dates) are never cut; prose wraps; a header may wrap after ``-``/``_``.
- When even the narrowest layout of the compact columns is too wide, the columns
  kept least are left out, and a note under the table names them. A column with no
  value in any row is left out too, and named in a note ("no values: ...").
- With no width (output piped, COLUMNS unset), the compact columns are printed
  unwrapped, as wide as their data; ``--wide``: every column, unwrapped.
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from powcount.render.base import Cell, Table
from powcount.render.cells import text_cell
from powcount.safe_text import terminal_text

#: The space between two columns in tabulate's "simple" format.
GAP = 2
#: A column of prose is never made narrower than this (nor than its longest number).
MIN_PROSE = 12
#: Columns are left out before prose or a code gets narrower than this: a title in a
#: column of twelve reads worse than a table without its least-needed column.
COMFORTABLE_PROSE = 20
COMFORTABLE_CODE = 16
#: Widest cell of an unwrapped table; longer text ends in an ellipsis. A table pads
#: every row to its widest cell, so one group naming thousands of figures would
#: otherwise widen every line of a large result to that length (gigabytes of spaces).
MAX_CELL = 1000

#: Stands, in a declaration, for the table's own brief columns not named elsewhere in
#: it (the sources of compare-sources, the figures column of --verbose).
REST = "*"


@dataclass(frozen=True)
class Layout:
    """A table's terminal layout: see the module's docstring."""

    show: tuple[str, ...]  # compact view, in display order
    keep: tuple[str, ...] = ()  # kept longest first; default: ``show``'s order
    prose: frozenset[str] = frozenset()  # wraps at spaces
    codes: frozenset[str] = frozenset()  # wraps only after - _ /


def _layout(show: Sequence[str], keep: Sequence[str] = (), prose: Sequence[str] = (),
            codes: Sequence[str] = ()) -> Layout:
    return Layout(tuple(show), tuple(keep), frozenset(prose), frozenset(codes))


#: Per table (its name, or name and title where two tables share a name).
LAYOUTS: dict[str | tuple[str, str], Layout] = {
    "groups": _layout(
        show=("conflict", "nation", "quantity", "as_of", "date_gap_days", "status", "values",
              "preferred", "envelope_low", "envelope_high", "sources", "independent", "gap",
              "deviation_pct", REST),
        keep=("quantity", "as_of", "status", "values", "nation", "date_gap_days", "preferred",
              "conflict", "envelope_low", "envelope_high", "sources", "independent", "gap",
              "deviation_pct", REST),
        prose=("values", REST), codes=("quantity",)),
    "series": _layout(
        # The change as the interval it is, and its trend, before any point change: a
        # step between open or wide intervals has no single change to show.
        show=("conflict", "nation", "quantity", "as_of", "value_text", "best", "low", "high",
              "trend", "change_low", "change_high", "rate_per_year", "years", "flag", REST),
        keep=("quantity", "as_of", "value_text", "trend", "change_low", "change_high",
              "rate_per_year", "flag", "nation", "best", "conflict", "low", "high", "years",
              REST),
        prose=("value_text", "flag", REST), codes=("quantity",)),
    "checks": _layout(
        show=("check", "conflict", "nation", "verdict", "arithmetic", "relation",
              "deviation", "deviation_pct", "difference_best", "rationale", REST),
        keep=("check", "verdict", "arithmetic", "rationale", "nation", "relation",
              "date_gap_days", "deviation", "conflict", "deviation_pct", "difference_best", REST),
        prose=("arithmetic", "rationale", REST), codes=("check",)),
    "rationale": _layout(show=("check", "rationale"), prose=("rationale",), codes=("check",)),
    "evidence": _layout(
        show=("figure", "source", "document", "line", "value_text", "quote"),
        keep=("figure", "quote", "line", "document", "value_text", "source"),
        prose=("value_text", "quote"), codes=("figure", "source")),
    "figures": _layout(
        show=("id", "source", "line", "conflict", "nation", "quantity", "value_text", "low",
              "best", "high", "as_of", REST),
        keep=("id", "quote", "value_text", "credibility", "credibility_reason",
              "attributed_to", "best", "quantity", "as_of", "nation", "source", "line",
              "conflict", "low", "high", REST),
        prose=("value_text", "attributed_to", "credibility_reason", "quote"),
        codes=("id", "quantity", "source")),
    "sources": _layout(
        show=("id", "reliability", "reliability_reason", "kind", "published", "figures",
              "title", REST),
        keep=("id", "reliability", "reliability_reason", "title", REST, "figures",
              "published", "kind"),
        prose=("title", "reliability_reason", "document"), codes=("id", "kind")),
    ("sources", "Sources compared"): _layout(
        show=("conflict", "nation", "quantity", "as_of", "status", REST),
        keep=("quantity", REST, "nation", "as_of", "status", "conflict"),
        prose=(REST,), codes=("quantity", "status")),
    "pairs": _layout(
        show=("source_a", "source_b", "shared_quantities", "shared_groups", "agree",
              "consistent", "conflict", "dependence"),
        keep=("source_a", "source_b", "conflict", "dependence", "agree", "consistent",
              "shared_groups", "shared_quantities"),
        prose=("dependence",), codes=("source_a", "source_b")),
}


@dataclass(frozen=True)
class View:
    """Where a terminal table goes: its width (None: unlimited) and --wide."""

    width: int | None = None
    wide: bool = False


def terminal_width() -> int | None:
    """COLUMNS when set, else the terminal's width when standard output is one, else None."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    stream = sys.stdout
    try:
        if stream is not None and stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns or None
    except (AttributeError, OSError, ValueError):
        return None
    return None


@dataclass(frozen=True)
class Shaped:
    """A table ready for tabulate: headers and cells as text (maybe several lines)."""

    headers: list[str]
    rows: list[list[str]]
    align: list[str]
    left_out: list[str]
    empty: list[str]  # left out because no row has a value in them
    spaced: bool  # rows of several lines: a blank line between rows


def _declared(table: Table) -> Layout | None:
    return LAYOUTS.get((table.name, table.title)) or LAYOUTS.get(table.name)


def _expand(names: Sequence[str], rest: Sequence[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        out.extend(rest if name == REST else (name,))
    return out


def compact_columns(table: Table) -> tuple[list[str], list[str]]:
    """The compact view's columns (display order) and the order they are kept in."""
    layout = _declared(table)
    if layout is None:
        shown = list(table.brief or table.columns)
        return shown, shown
    rest = [c for c in (table.brief or ()) if c not in layout.show]
    present = set(table.columns)
    shown = list(dict.fromkeys(c for c in _expand(layout.show, rest) if c in present))
    keep = list(dict.fromkeys(c for c in _expand(layout.keep or layout.show, rest)
                              if c in shown))
    keep += [c for c in shown if c not in keep]
    return shown, keep


def _is_number(values: Sequence[Cell]) -> bool:
    present = [v for v in values if v is not None]
    return bool(present) and all(isinstance(v, int | float) and not isinstance(v, bool)
                                 for v in present)


_CODE_BREAKS = re.compile(r"[^-_/]+[-_/]*|[-_/]+")
_NUMBER = re.compile(r"[-+]?\d[\d,.]*")


def _code_pieces(text: str) -> list[str]:
    return _CODE_BREAKS.findall(text) or [text]


def _pack(pieces: Sequence[str], width: int) -> list[str]:
    """Pieces joined greedily into lines of at most ``width`` (a longer piece alone)."""
    lines: list[str] = []
    for piece in pieces:
        if lines and len(lines[-1]) + len(piece) <= width:
            lines[-1] += piece
        else:
            lines.append(piece)
    return lines or [""]


class _Column:
    """One column's texts and the widths it can take."""

    def __init__(self, name: str, values: Sequence[Cell], kind: str):
        self.name = name
        self.kind = kind  # number, prose, code (wraps after - _ /), fixed
        self.texts = [terminal_text(text_cell(v), keep="\n") for v in values]
        self.longest = max((len(t) for t in self.texts), default=0)
        self.natural = max(len(name), self.longest)

    @cached_property
    def minimum(self) -> int:
        """The narrowest the column can be: numbers and codes whole, headers by piece."""
        header_min = max(len(p) for p in _code_pieces(self.name))
        if self.kind == "prose":
            numbers = [len(n) for t in self.texts for n in _NUMBER.findall(t)]
            body_min = min(self.longest, max([MIN_PROSE, *numbers]))
        elif self.kind == "code":
            body_min = max((len(p) for t in self.texts for p in _code_pieces(t)), default=0)
        else:
            body_min = self.longest
        return max(header_min, body_min)

    @cached_property
    def comfortable(self) -> int:
        """The narrowest before a column is left out instead (see COMFORTABLE_PROSE)."""
        comfortable = {"prose": COMFORTABLE_PROSE, "code": COMFORTABLE_CODE}.get(self.kind, 0)
        return max(self.minimum, min(self.natural, comfortable))

    def lines(self, text: str, width: int) -> list[str]:
        if len(text) <= width:
            return [text]
        if self.kind == "prose":
            return textwrap.wrap(text, width, break_on_hyphens=False) or [""]
        if self.kind == "code":
            return _pack(_code_pieces(text), width)
        return [text]

    def header(self, width: int) -> str:
        return "\n".join(_pack(_code_pieces(self.name), width))


def _cut(text: str) -> str:
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "\u2026"


def shape(table: Table, view: View) -> Shaped:
    """The table's columns and cells for this view (see the module's docstring)."""
    if view.wide:
        shown, keep = list(table.columns), list(table.columns)
    else:
        shown, keep = compact_columns(table)
    index = {name: i for i, name in enumerate(table.columns)}
    layout = _declared(table)
    prose = set(layout.prose) if layout else set()
    codes = set(layout.codes) if layout else set()
    rest = set(shown) - set(layout.show) if layout else set()
    columns = {}
    for name in shown:
        values = [row[index[name]] for row in table.rows]
        declared_prose = name in prose or (REST in prose and name in rest)
        kind = ("number" if _is_number(values) else "prose" if declared_prose
                else "code" if name in codes else "fixed")
        columns[name] = _Column(name, values, kind)
    widths = {name: c.natural for name, c in columns.items()}
    left_out: list[str] = []
    empty: list[str] = []
    if view.width is not None and not view.wide:
        # A column with no value in any row takes room and says nothing: a note names it.
        empty = [n for n in shown if all(row[index[n]] is None for row in table.rows)]
        if len(empty) < len(shown):
            keep = [n for n in keep if n not in empty]
        else:
            empty = []
        widths, left_out = _fit(columns, keep, view.width)
    names = [n for n in shown if n in widths]
    unwrapped = view.width is None or view.wide
    rows = []
    spaced = False
    for r in range(len(table.rows)):
        row = []
        for name in names:
            column = columns[name]
            text = column.texts[r]
            if unwrapped:
                row.append(_cut(text))
                continue
            lines = column.lines(text, widths[name])
            spaced = spaced or len(lines) > 1
            row.append("\n".join(lines))
        rows.append(row)
    headers = [columns[n].header(widths[n]) if not unwrapped else n for n in names]
    align = ["right" if columns[n].kind == "number" else "left" for n in names]
    return Shaped(headers, rows, align, left_out, empty, spaced)


def _fit(columns: dict[str, _Column], keep: Sequence[str], width: int
         ) -> tuple[dict[str, int], list[str]]:
    """Widths that fit ``width``, leaving out the columns kept least if they must go."""
    kept = [name for name in keep if name in columns]
    left_out: list[str] = []

    def needed(names: Sequence[str], least: bool = False) -> int:
        return (sum(columns[n].minimum if least else columns[n].comfortable for n in names)
                + GAP * (len(names) - 1))

    while len(kept) > 1 and needed(kept) > width:
        left_out.insert(0, kept.pop())
    # The first column alone may not be comfortable; it still fits when it can.
    least = needed(kept) > width
    widths = {name: columns[name].minimum if least else columns[name].comfortable
              for name in kept}
    spare = width - needed(kept, least)
    # Whole headers and codes first, in the order they are kept; then prose shares the rest.
    for name in kept:
        column = columns[name]
        if column.kind != "prose" and spare > 0:
            grow = min(spare, column.natural - widths[name])
            widths[name] += grow
            spare -= grow
    growing = [n for n in kept if columns[n].kind == "prose"]
    while spare > 0:
        short = [n for n in growing if widths[n] < columns[n].natural]
        if not short:
            break
        for name in short:
            if spare == 0:
                break
            widths[name] += 1
            spare -= 1
    return widths, left_out


def fill(text: str, width: int | None) -> list[str]:
    """A note as lines that fit the width (one line when there is no width)."""
    text = terminal_text(text)
    if width is None or len(text) <= width:
        return [text]
    return textwrap.wrap(text, width, break_on_hyphens=False, subsequent_indent="  ") or [""]
