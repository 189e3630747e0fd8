"""A frame column's values as Python objects, the way the outputs and models read them."""

from __future__ import annotations

import numpy as np
import pandas as pd


def objects(column: pd.Series) -> np.ndarray:
    """Values as Python objects, None for missing (text columns may be categoricals)."""
    return column.to_numpy(object, na_value=None)  # type: ignore[call-overload]


def ints(column: pd.Series) -> list[int | None]:
    """Whole numbers as Python ints, None for missing."""
    values: list[int | None] = column.astype("Int64").to_numpy(
        object, na_value=None).tolist()  # type: ignore[call-overload]
    return values


def floats(column: pd.Series) -> np.ndarray:
    """Numbers as float64, NaN for missing."""
    return column.to_numpy(np.float64, na_value=np.nan)
