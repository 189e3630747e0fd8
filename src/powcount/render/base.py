"""What every command hands to a renderer: tables for people, a payload for programs.

A Result holds one or more Tables (named, titled, flat rows) for the table, CSV
and markdown renderers, and the JSON payload: the library's models serialised,
so ``--format json`` equals the library result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from powcount.render.layout import View

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


#: Format name -> module under powcount.render; imported on first use to keep start-up light.
_MODULES = {
    "table": "table_format",
    "csv": "csv_format",
    "json": "json_format",
    "markdown": "markdown_format",
}
FORMAT_NAMES = tuple(_MODULES)


def render(result: Result, fmt: str, view: View | None = None) -> str:
    """The text of a result in one format: table, csv, json or markdown.

    ``view``: the width and --wide of a terminal table (powcount.render.layout);
    the other formats do not depend on it.
    """
    import importlib

    if fmt not in _MODULES:
        raise ValueError(f"unknown format {fmt!r}")
    module = importlib.import_module(f"powcount.render.{_MODULES[fmt]}")
    if fmt == "table":
        table_renderer: Callable[[Result, View | None], str] = module.render
        return table_renderer(result, view)
    renderer: Callable[[Result], str] = module.render
    return renderer(result)
