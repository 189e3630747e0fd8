"""A reconciliation computed once, as frames, for every output that writes it.

The groups and their member figures (the engine), the series points with the step
from the point before, and the checks with their notes. ``reconcile``'s output and
``export``'s tables read the same object, so a table has one set of columns and one
set of cells whichever command writes it, and nothing is computed twice.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from powcount.conflicts import known_conflict

if TYPE_CHECKING:
    import pandas as pd
    from pandas.api.extensions import ExtensionArray

    from powcount.catalog import Catalog
    from powcount.reconcile import Engine


class ReconciledFrames:
    """One conflict's reconciliation (None: every conflict), each part made when first read."""

    def __init__(self, catalog: Catalog, conflict: str | None = None) -> None:
        self.catalog = catalog
        self.conflict = known_conflict(catalog, conflict)

    @cached_property
    def engine(self) -> Engine:
        from powcount.reconcile import engine

        return engine(self.catalog, self.conflict)

    @cached_property
    def ids_by_group(self) -> ExtensionArray:
        """The figures' ids in the engine's order, sorted by id within each group (a group
        keeps its start and stop), as every table lists a row's figures.

        The frame's own array of strings: a writer makes Python
        strings only for the slice it writes.
        """
        import numpy as np

        engine = self.engine
        groups = engine.groups
        starts = groups["start"].to_numpy(np.int64)
        gid = np.repeat(np.arange(len(groups)), groups["stop"].to_numpy(np.int64) - starts)
        # The catalog ranks the ids at load, in Python's order of text: no sort of text here.
        rank = self.catalog.figure_index().id_ranks[engine.rows]
        return engine.figures["id"].array.take(np.lexsort((rank, gid)))

    @cached_property
    def points(self) -> pd.DataFrame:
        """Series points, one row each, with the step from the point before."""
        from powcount.series import series_directions, series_frame

        return series_frame(self.engine.figures, self.engine.groups.reset_index(drop=True),
                            series_directions(self.catalog))

    @cached_property
    def checks(self) -> tuple[dict[str, list[Any]], list[str]]:
        """The checks' fields as columns (as CheckResult dumps them), and the notes."""
        from powcount.checks import check_columns, check_frame

        frame, notes = check_frame(self.catalog, self.conflict)
        return check_columns(self.catalog, frame), notes
