"""The figures frame: its columns and how rows become one (pandas).

Both readers of figure files build it, the YAML loader (``powcount.catalog.load``) and
the bulk one (``powcount.catalog.bulk``), so it sits below both.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

#: Columns of the figures frame, in print order; the CSV of ``powcount figures``.
FIGURE_COLUMNS = [
    "id", "source", "document", "line", "column", "conflict", "nation", "quantity", "unit",
    "kind", "qualifier", "value_text", "low", "best", "high", "as_of", "attributed_to",
    "credibility", "quote", "note", "override_reason",
]  # fmt: skip

#: Extra columns the engine and the listings use; not printed as such. ``basis`` is the
#: figure's own counting basis (the source's holds otherwise); ``credibility_reason``
#: is listed beside the credibility by ``figures``.
INTERNAL_COLUMNS = [
    "claimant", "as_of_start", "as_of_end", "candidate", "data_file", "data_line",
    "stated_low", "stated_high", "basis", "credibility_reason",
]  # fmt: skip


def figures_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The canonical figures frame from row dicts (FIGURE_COLUMNS + INTERNAL_COLUMNS)."""
    frame = pd.DataFrame(rows, columns=FIGURE_COLUMNS + INTERNAL_COLUMNS)
    for column in ("low", "best", "high", "line", "column", "credibility", "data_line",
                   "stated_low", "stated_high"):
        frame[column] = frame[column].astype("Int64")
    for column in ("as_of_start", "as_of_end"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[s]")
    frame["candidate"] = frame["candidate"].astype(bool)
    # One dtype per column whatever the rows hold (an all-empty text column would be
    # object), so frames from YAML and bulk files concatenate without casts.
    for column in frame.columns[frame.dtypes == object]:  # noqa: E721 (elementwise, pandas)
        frame[column] = frame[column].astype("str")
    return frame
