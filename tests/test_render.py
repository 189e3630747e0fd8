"""Renderers: what each format does with an over-long cell."""

from __future__ import annotations

from powcount.render import Result, render, table_from_records
from powcount.render.table_format import MAX_CELL


def _result(values: str) -> Result:
    table = table_from_records("groups", "Groups", ("nation", "values"),
                               [{"nation": "us", "values": values}, {"nation": "un",
                                                                      "values": "a: 1"}])
    return Result((table,), None)


def test_terminal_table_cuts_a_cell_wider_than_the_limit() -> None:
    long = "; ".join(f"src-{i:05d}: {i:,}" for i in range(2_000))
    lines = render(_result(long), "table").splitlines()
    indent = len("nation  ")  # the column as wide as its header, and two spaces
    assert max(len(line) for line in lines) == indent + MAX_CELL
    assert lines[4] == "us" + " " * (indent - 2) + long[:MAX_CELL - 1] + "\u2026"


def test_terminal_table_keeps_a_cell_at_the_limit() -> None:
    exact = "x" * MAX_CELL
    assert exact in render(_result(exact), "table")


def test_csv_and_markdown_keep_every_character() -> None:
    long = "y" * (MAX_CELL * 3)
    assert long in render(_result(long), "csv")
    assert long in render(_result(long), "markdown")
