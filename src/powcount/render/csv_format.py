"""CSV. One table: a plain CSV. Several: blocks, each headed by '# table: NAME'.

Text cells that a spreadsheet would run as a formula (starting with =, +, -, @,
tab or carriage return) are prefixed with a single quote.
"""

from __future__ import annotations

import csv
import io

from powcount.render.base import Cell, Result, Table
from powcount.render.cells import plain_cell

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Cell) -> str:
    text = plain_cell(value)
    if not isinstance(value, str):
        return text
    formula = text.startswith(_FORMULA_STARTS)
    if "\r" in text:
        # The writer quotes only fields holding its own line terminator ("\n"); a bare
        # carriage return left unquoted would split the row in most readers.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "'" + text if formula else text


def table_csv(table: Table) -> str:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return stream.getvalue()


def render(result: Result) -> str:
    if len(result.tables) == 1:
        return table_csv(result.tables[0])
    return "\n".join(f"# table: {t.name}\n{table_csv(t)}" for t in result.tables)
