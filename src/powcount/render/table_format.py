"""Terminal tables (tabulate 'simple')."""

from __future__ import annotations

from tabulate import tabulate

from powcount.render.base import Cell, Result, Table
from powcount.render.cells import text_cell
from powcount.safe_text import terminal_text

#: Widest cell a terminal table prints; longer text ends in an ellipsis. A table pads
#: every row to its widest cell, so one group naming thousands of figures would
#: otherwise widen every line of a large result to that length (gigabytes of spaces).
#: CSV, JSON and markdown keep every character.
MAX_CELL = 1000


def _cell(value: Cell) -> str:
    text = terminal_text(text_cell(value), keep="\n")
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "\u2026"


def _one(table: Table, titled: bool) -> str:
    table = table.narrowed()
    lines = []
    if titled:
        title = terminal_text(table.title)
        lines += [title, "=" * len(title)]
    if table.rows:
        rows = [[_cell(cell) for cell in row] for row in table.rows]
        lines.append(tabulate(rows, headers=list(table.columns), tablefmt="simple",
                              disable_numparse=True))
    else:
        lines.append("(none)")
    lines += [terminal_text(note) for note in table.notes]
    return "\n".join(lines)


def render(result: Result) -> str:
    titled = len(result.tables) > 1 or any(t.title for t in result.tables[:1])
    blocks = [_one(table, titled) for table in result.tables]
    blocks += ["\n".join(map(terminal_text, result.notes))] if result.notes else []
    return "\n\n".join(blocks) + "\n"
