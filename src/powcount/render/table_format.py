"""Terminal tables (tabulate 'simple'), laid out for the width there is (render.layout)."""

from __future__ import annotations

import tabulate as tabulate_module
from tabulate import tabulate

from powcount.render.base import Result, Table
from powcount.render.layout import MAX_CELL, Shaped, View, fill, shape
from powcount.safe_text import terminal_text

__all__ = ["MAX_CELL", "render"]


def _tabulated(shaped: Shaped) -> list[str]:
    """tabulate's lines, without trailing spaces; rows of several lines set apart by a
    blank line (tabulate itself drops an empty row)."""
    padding = tabulate_module.MIN_PADDING
    # tabulate widens every column by two beyond its header; the layout has measured
    # the columns already.
    tabulate_module.MIN_PADDING = 0
    try:
        text = tabulate(shaped.rows, headers=shaped.headers, tablefmt="simple",
                        disable_numparse=True, colalign=shaped.align)
    finally:
        tabulate_module.MIN_PADDING = padding
    lines = [line.rstrip() for line in text.split("\n")]
    if not shaped.spaced:
        return lines
    head = max(h.count("\n") for h in shaped.headers) + 2
    out = lines[:head]
    at = head
    for index, row in enumerate(shaped.rows):
        height = max(cell.count("\n") for cell in row) + 1
        if index:
            out.append("")
        out += lines[at:at + height]
        at += height
    return out


def _one(table: Table, titled: bool, view: View) -> str:
    lines = []
    if titled:
        title = terminal_text(table.title)
        lines += [title, "=" * len(title)]
    if table.rows:
        shaped = shape(table, view)
        lines += _tabulated(shaped)
        if shaped.empty:
            lines += fill(f"(no values: {', '.join(shaped.empty)})", view.width)
        if shaped.left_out:
            lines += fill(f"(left out at this width: {', '.join(shaped.left_out)}; --wide "
                          "shows every column)", view.width)
    else:
        lines.append("(none)")
    for note in table.notes:
        lines += fill(note, view.width)
    return "\n".join(lines)


def render(result: Result, view: View | None = None) -> str:
    view = view or View()
    titled = len(result.tables) > 1 or any(t.title for t in result.tables[:1])
    blocks = [_one(table, titled, view) for table in result.tables]
    notes = [line for note in result.notes for line in fill(note, view.width)]
    blocks += ["\n".join(notes)] if notes else []
    return "\n\n".join(blocks) + "\n"
