"""One entry point, ``render(result, fmt)``, and one renderer module per format."""

from __future__ import annotations

from powcount.render.base import FORMAT_NAMES, Result, Table, render, table_from_records

__all__ = ["FORMAT_NAMES", "Result", "Table", "render", "table_from_records"]
