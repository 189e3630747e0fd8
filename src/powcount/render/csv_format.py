"""CSV: always one rectangular table, as pandas.read_csv and csvkit read it.

A result of several tables writes its first; a command that holds several lets the
user choose one (``reconcile --table``). A check's relation is written as a word
(at-most, equals, at-least). Text cells that a spreadsheet would run as a formula
(starting with =, +, -, @, tab or carriage return) are prefixed with a single quote.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from powcount.render.base import Cell, Result, Table
from powcount.render.cells import RELATION_WORDS, plain_cell

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


#: Characters that can make the csv module quote a field (with "\n" ending lines).
_SPECIAL = (",", '"', "\n", "\r")


def _field(cell: str) -> str:
    """One cell as the csv module writes it inside a row, quoted when it must be."""
    stream = io.StringIO()
    csv.writer(stream, lineterminator="\n").writerow((cell, ""))
    return stream.getvalue()[:-2]


def csv_rows(columns: Sequence[Sequence[str]]) -> str:
    """Rows given column by column, cells already text, as csv.writer writes them.

    The csv module looks at every character of every cell; most cells hold none it
    quotes, so a column is scanned once and only its special cells go through it.
    """
    if len(columns) < 2:
        stream = io.StringIO()
        csv.writer(stream, lineterminator="\n").writerows(zip(*columns, strict=True))
        return stream.getvalue()
    fields = []
    for cells in columns:
        joined = "".join(cells)
        if any(mark in joined for mark in _SPECIAL):
            cells = [_field(c) if any(mark in c for mark in _SPECIAL) else c for c in cells]
        fields.append(cells)
    lines = list(map(",".join, zip(*fields, strict=True)))
    return "\n".join(lines) + "\n" if lines else ""


def table_csv(table: Table) -> str:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(table.columns)
    relation = table.columns.index("relation") if "relation" in table.columns else -1
    for row in table.rows:
        cells = [safe_cell(cell) for cell in row]
        if relation >= 0:
            cells[relation] = RELATION_WORDS.get(str(row[relation]), cells[relation])
        writer.writerow(cells)
    return stream.getvalue()


def render(result: Result) -> str:
    return table_csv(result.tables[0])
