"""Reading a dataset, in the order it is read.

- ``rules``: ids, claimants and bare numbers, as both readers of figures state them;
- ``yaml``: strict YAML with lines;
- ``frame``: the figures frame and its columns;
- ``bulk``: figures in CSV and Parquet files, validated a column at a time;
- ``load``: read, check and index a whole dataset into a Catalog;
- ``cache``: a validated Catalog kept between runs.

The names callers use are re-exported here, and imported only when first asked for:
``powcount.catalog.rules`` or ``powcount.catalog.yaml`` can then be imported without
pandas and pydantic, which ``load`` needs (``powcount --help`` and extraction start
without them).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from powcount.catalog.frame import FIGURE_COLUMNS as FIGURE_COLUMNS
    from powcount.catalog.frame import INTERNAL_COLUMNS as INTERNAL_COLUMNS
    from powcount.catalog.frame import figures_frame as figures_frame
    from powcount.catalog.load import DATA_ENV as DATA_ENV
    from powcount.catalog.load import Catalog as Catalog
    from powcount.catalog.load import DataRoot as DataRoot
    from powcount.catalog.load import bundled_root as bundled_root
    from powcount.catalog.load import load_catalog as load_catalog
    from powcount.catalog.load import load_vocabulary as load_vocabulary
    from powcount.catalog.load import locate_data as locate_data
    from powcount.catalog.load import source_entries as source_entries
    from powcount.catalog.load import validation_problems as validation_problems
    from powcount.catalog.load import where_fields as where_fields

_HOME = {
    "FIGURE_COLUMNS": "frame",
    "INTERNAL_COLUMNS": "frame",
    "figures_frame": "frame",
    "DATA_ENV": "load",
    "Catalog": "load",
    "DataRoot": "load",
    "bundled_root": "load",
    "load_catalog": "load",
    "load_vocabulary": "load",
    "locate_data": "load",
    "source_entries": "load",
    "validation_problems": "load",
    "where_fields": "load",
}

__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'powcount.catalog' has no attribute '{name}'")
    value = getattr(import_module(f"powcount.catalog.{home}"), name)
    globals()[name] = value
    return value
