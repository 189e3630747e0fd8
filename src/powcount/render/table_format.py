"""Terminal tables (tabulate 'simple')."""

from __future__ import annotations

from tabulate import tabulate

from powcount.render.base import Result, Table
from powcount.render.cells import text_cell


def _one(table: Table, titled: bool) -> str:
    table = table.narrowed()
    lines = []
    if titled:
        lines += [table.title, "=" * len(table.title)]
    if table.rows:
        rows = [[text_cell(cell) for cell in row] for row in table.rows]
        lines.append(tabulate(rows, headers=list(table.columns), tablefmt="simple",
                              disable_numparse=True))
    else:
        lines.append("(none)")
    lines += list(table.notes)
    return "\n".join(lines)


def render(result: Result) -> str:
    titled = len(result.tables) > 1 or any(t.title for t in result.tables[:1])
    blocks = [_one(table, titled) for table in result.tables]
    blocks += ["\n".join(result.notes)] if result.notes else []
    return "\n\n".join(blocks) + "\n"
