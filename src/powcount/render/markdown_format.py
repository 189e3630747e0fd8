"""Markdown: pipe tables under headings, for reports and pull requests."""

from __future__ import annotations

from powcount.render.base import Result, Table
from powcount.render.cells import text_cell


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown_table(table: Table) -> str:
    if not table.rows:
        return "_(none)_"
    header = "| " + " | ".join(_escape(c) for c in table.columns) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    body = ["| " + " | ".join(_escape(text_cell(c)) for c in row) + " |" for row in table.rows]
    return "\n".join([header, rule, *body])


def render(result: Result) -> str:
    blocks = []
    for table in result.tables:
        block = [f"## {table.title}", "", markdown_table(table)]
        if table.notes:
            block += ["", *(f"- {_escape(n)}" for n in table.notes)]
        blocks.append("\n".join(block))
    if result.notes:
        blocks.append("\n".join(f"- {_escape(n)}" for n in result.notes))
    return "\n\n".join(blocks) + "\n"
