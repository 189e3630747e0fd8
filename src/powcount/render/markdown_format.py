"""Markdown: pipe tables under headings, for reports and pull requests.

``markdown_parts`` gives the same text a piece at a time, for tables whose rows
come a slice at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from powcount.render.base import Cell, Result, Table
from powcount.render.cells import text_cell
from powcount.safe_text import markdown_text


def _escape(text: str) -> str:
    return markdown_text(text)


def _head(columns: Sequence[str]) -> str:
    header = "| " + " | ".join(_escape(c) for c in columns) + " |"
    return header + "\n|" + "|".join("---" for _ in columns) + "|"


def _body(rows: Iterable[Sequence[Cell]]) -> str:
    return "\n".join("| " + " | ".join(_escape(text_cell(c)) for c in row) + " |"
                     for row in rows)


def markdown_table(table: Table) -> str:
    if not table.rows:
        return "_(none)_"
    return _head(table.columns) + "\n" + _body(table.rows)


def table_parts(title: str, columns: Sequence[str],
                row_slices: Iterable[Sequence[Sequence[Cell]]],
                notes: Iterable[str] = ()) -> Iterator[str]:
    """One table's block, its rows given a slice at a time; notes read after the rows."""
    yield f"## {title}\n\n"
    started = False
    for rows in row_slices:
        if not rows:
            continue
        yield ("\n" if started else _head(columns) + "\n") + _body(rows)
        started = True
    if not started:
        yield "_(none)_"
    lines = [f"- {_escape(n)}" for n in notes]
    if lines:
        yield "\n\n" + "\n".join(lines)


def markdown_parts(blocks: Iterable[Iterable[str]], notes: Sequence[str] = ()) -> Iterator[str]:
    """The document: table blocks (see table_parts), then the notes, then a newline."""
    first = True
    for block in blocks:
        if not first:
            yield "\n\n"
        yield from block
        first = False
    if notes:
        yield ("" if first else "\n\n") + "\n".join(f"- {_escape(n)}" for n in notes)
    yield "\n"


def render(result: Result) -> str:
    return "".join(markdown_parts(
        (table_parts(t.title, t.columns, (t.rows,), t.notes) for t in result.tables),
        result.notes))
