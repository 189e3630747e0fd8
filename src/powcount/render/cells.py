"""How a cell reads in text formats: the one place numbers are formatted."""

from __future__ import annotations

from powcount.render.base import Cell

# text_cell and plain_cell dispatch on the same types but answer differently in every
# branch. One dispatch taking the format's words and number forms as arguments costs a
# call per number cell, on the path every CSV cell takes: benchmarks/cells_bench.py
# measured it 15-20 % slower a cell (plain_cell 280 ns, shared form 330 ns; shared,
# noisy machine). So they stay two plain functions.


def text_cell(value: Cell) -> str:
    """Table and markdown: thousands separators, '-' for nothing."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def plain_cell(value: Cell) -> str:
    """CSV: no separators, empty for nothing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e-3 and value else f"{round(value, 4)}"
    return str(value)


#: A check's relation in CSV: words, which no spreadsheet runs as a formula (a cell
#: starting "==" would need the formula guard's quote, and read as "'==").
RELATION_WORDS = {"<=": "at-most", "==": "equals", ">=": "at-least"}


def relation_words(values: list[object]) -> list[str]:
    """Relations (<=, ==, >=) as CSV cells: at-most, equals, at-least."""
    return [RELATION_WORDS.get(str(v), "" if v is None else str(v)) for v in values]
