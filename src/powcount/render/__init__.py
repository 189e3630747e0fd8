"""One entry point, ``render(result, fmt)``, and one renderer module per format."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from powcount.render.base import Result, Table, table_from_records

if TYPE_CHECKING:
    from powcount.render.layout import View

__all__ = ["FORMAT_NAMES", "Result", "Table", "render", "table_from_records"]


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
