"""Reading a dataset: load (read, check, index), yaml (strict, with lines), bulk
(CSV and Parquet figures) and cache (a validated catalog kept between runs).

The names callers use are re-exported here, so ``from powcount.catalog import
Catalog`` reads the same as before the package was split.
"""

from powcount.catalog.load import (
    DATA_ENV,
    FIGURE_COLUMNS,
    INTERNAL_COLUMNS,
    Catalog,
    DataRoot,
    bundled_root,
    figures_frame,
    load_catalog,
    locate_data,
    validation_problems,
    where_fields,
)

__all__ = [
    "DATA_ENV",
    "FIGURE_COLUMNS",
    "INTERNAL_COLUMNS",
    "Catalog",
    "DataRoot",
    "bundled_root",
    "figures_frame",
    "load_catalog",
    "locate_data",
    "validation_problems",
    "where_fields",
]
