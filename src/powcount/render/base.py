"""What every command hands to a renderer: tables for people, a payload for programs.

A Result holds one or more Tables (named, titled, flat rows) for the table, CSV
and markdown renderers, and the JSON payload: the library's models serialised,
so ``--format json`` equals the library result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

Cell = str | int | float | bool | None


@dataclass(frozen=True)
class Table:
    name: str  # slug: "figures", "groups", "series", "checks"
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = ()  # printed under the table in table and markdown formats
    brief: tuple[str, ...] | None = None  # the producer's compact columns (render.layout)


@dataclass(frozen=True)
class Result:
    tables: tuple[Table, ...]
    payload: Any  # JSON-ready: the models dumped with model_dump(mode="json")
    notes: tuple[str, ...] = field(default=())  # printed after all tables


def table_from_records(
    name: str, title: str, columns: Sequence[str], records: Sequence[dict[str, Any]],
    notes: Sequence[str] = (), brief: Sequence[str] | None = None,
) -> Table:
    rows = tuple(tuple(record.get(column) for column in columns) for record in records)
    return Table(name, title, tuple(columns), rows, tuple(notes),
                 tuple(brief) if brief else None)
