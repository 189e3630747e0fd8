"""Exports of the dataset and its reconciliation: CSV files, one JSON file, a Data Package.

Every export holds the same tables: sources, figures, groups, series and checks,
each row listing the ids of the figures behind it. ``csv`` writes one file per
table into a folder; ``datapackage`` adds ``datapackage.json`` (a Frictionless
Data Package with a Table Schema per file); ``json`` writes one file holding the
models as they serialise.

Files are written all-or-nothing: everything is rendered in memory first, each
file goes to a temporary file beside its target, and only when every file is
complete are they renamed into place. An interrupted run leaves the old files
and no temporary ones.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property, partial
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray
from pydantic import BaseModel, Field, create_model

from powcount import __version__
from powcount.catalog import Catalog
from powcount.checks import CheckResult
from powcount.datapackage import (
    Column,
    ForeignKey,
    Resource,
    TableSpec,
    model_columns,
    package_descriptor,
)
from powcount.errors import OutputError
from powcount.intervals import Interval
from powcount.listing import figure_records, source_records
from powcount.models import FigureRecord, SourceRecord
from powcount.reconcile import GroupResult, Reconciliation
from powcount.reconciled import ReconciledFrames
from powcount.render.cells import plain_cell
from powcount.render.csv_format import safe_cell
from powcount.series import SeriesPoint, SeriesResult

EXPORT_FORMATS = ("csv", "json", "datapackage")
PACKAGE_FILE = "datapackage.json"

#: Descriptions for record fields whose model leaves them undescribed.
FIELD_DESCRIPTIONS: dict[str, str] = {
    "id": "Unique id.",
    "source": "Id of the source document (sources.csv).",
    "conflict": "Conflict code from the vocabulary.",
    "nation": "Nation or group code from the vocabulary.",
    "quantity": "Quantity code from the vocabulary.",
    "unit": "Unit code: figures are never compared across units.",
    "kind": "stock, event, cumulative, estimate or target (figures); document kind (sources).",
    "qualifier": "How the words bound the number: exact, over, under, approximate, range...",
    "value_text": "The number phrase exactly as the document writes it.",
    "low": "Lowest count the words allow.",
    "best": "The count the words state.",
    "high": "Highest count the words allow; empty when the words leave it open.",
    "as_of": "Year, month, day or period (start/end) the count refers to.",
    "attributed_to": "Who first stated the figure, when the document reports someone else's.",
    "credibility": "Admiralty information credibility, 1 (confirmed) to 6 (cannot be judged).",
    "quote": "Verbatim excerpt of the document containing value_text.",
    "note": "Curator's note.",
    "override_reason": "Why a curator set the interval by hand, when they did.",
    "title": "Title of the document.",
    "author": "Author as the document names them.",
    "publisher": "Publisher of the document.",
    "published": "Publication date (year, month or day).",
    "reliability": "Admiralty source reliability, A (completely reliable) to F (cannot be judged).",
    "reliability_reason": "Why this grade.",
    "figures": "Number of figures taken from the document.",
    "cites": "Who the document cites, as a JSON list.",
    "document": "File name of the document under seeds/.",
    "status": "agree, consistent, conflict or single-source.",
    "conservative_figure": "Figure stating the lowest best value (figures.csv).",
    "preferred_figure": "Figure giving the preferred value (figures.csv).",
    "preferred_source": "Source of the preferred figure (sources.csv).",
    "n_figures": "Figures in the group.",
    "n_sources": "Sources stating the group's quantity.",
    "source_ids": "Sources of the group's figures, as a JSON list.",
    "figure_ids": "Figures behind the row (figures.csv), as a JSON list.",
    "key": "Unique key of the row.",
    "name": "The check's name in data/checks.yaml.",
    "relation": "at-most (<=), equals (==) or at-least (>=): the left side against the "
                "right.",
    "rationale": "What the check's arithmetic shows.",
    "stated_with_tolerance": "Right side from the intervals the words allow (the verdict "
    "is judged on these).",
    "stated_best": "Right side from the best values.",
    "verdict": "holds, can-hold, within-tolerance, fails or not-comparable.",
}


@dataclass(frozen=True)
class ExportTable:
    """One exported table: its schema, its rows as JSON records and as CSV text.

    Both are built on demand: a CSV export of a large dataset writes its rows from the
    engine's frames a slice at a time (``csv_chunks``) and never builds the records.
    """

    name: str
    title: str
    description: str
    spec: TableSpec
    rows: Callable[[], Iterable[dict[str, Any]]]
    csv_chunks: Callable[[], Iterator[bytes]] | None = None

    @property
    def records(self) -> tuple[dict[str, Any], ...]:
        return tuple(self.rows())

    def csv_parts(self) -> Iterator[bytes]:
        if self.csv_chunks is not None:
            yield from self.csv_chunks()
            return
        stream = io.StringIO()
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(self.spec.names)
        for record in self.rows():
            writer.writerow([csv_cell(record.get(name)) for name in self.spec.names])
        yield stream.getvalue().encode("utf-8")

    def csv_bytes(self) -> bytes:
        return b"".join(self.csv_parts())


@dataclass(frozen=True)
class Export:
    """Everything an export writes, in table order."""

    tables: tuple[ExportTable, ...]
    extra: Mapping[str, Any]  # JSON-ready facts stated with the tables: tolerances

    def payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"powcount_version": __version__}
        payload.update(self.extra)
        payload.update({t.name: list(t.records) for t in self.tables})
        return payload

    def files(self, fmt: str) -> dict[str, bytes]:
        """File name -> content for a folder export (csv, datapackage)."""
        files = {f"{t.name}.csv": t.csv_bytes() for t in self.tables}
        if fmt == "datapackage":
            resources = [
                Resource(t.name, t.title, t.description, t.spec, files[f"{t.name}.csv"])
                for t in self.tables
            ]
            descriptor = package_descriptor(
                "powcount-export",
                "powcount export",
                "POW/MIA figures from source documents with their evidence, and their "
                "reconciliation: groups, series over time and accounting checks. Text "
                "cells that a spreadsheet would run as a formula (starting with =, +, -, "
                "@, tab or carriage return) are written with a leading single quote.",
                resources,
                {"powcount": {"version": __version__, **self.extra}},
            )
            files[PACKAGE_FILE] = (json.dumps(descriptor, indent=2, ensure_ascii=False)
                                   + "\n").encode("utf-8")
        return files

    def json_text(self) -> str:
        return json.dumps(self.payload(), indent=2, ensure_ascii=False) + "\n"


def csv_cell(value: Any) -> str:
    """A CSV cell: lists and objects as JSON text, everything else formula-safe."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return safe_cell(value)


def as_written(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """Columns whose allowed values are spelt as the CSV writes them (relations as words)."""
    from powcount.render.cells import RELATION_WORDS

    def written(column: Column, value: Any) -> str:
        return RELATION_WORDS[value] if column.name == "relation" else csv_cell(value)

    return tuple(replace(c, enum=tuple(written(c, v) for v in c.enum)) if c.enum else c
                 for c in columns)


def record_table(
    name: str, title: str, description: str, model: type[BaseModel],
    records: Callable[[], Iterable[BaseModel]], primary_key: tuple[str, ...] = ("id",),
    foreign_keys: tuple[ForeignKey, ...] = (), columns: tuple[Column, ...] | None = None,
    csv_chunks: Callable[[TableSpec], Iterator[bytes]] | None = None,
) -> ExportTable:
    chosen = columns or model_columns(model, descriptions=FIELD_DESCRIPTIONS)
    spec = TableSpec(as_written(chosen), primary_key, foreign_keys)

    def rows() -> Iterator[dict[str, Any]]:
        return (r.model_dump(mode="json") for r in records())

    return ExportTable(name, title, description, spec, rows,
                       None if csv_chunks is None else partial(csv_chunks, spec))


def catalog_tables(catalog: Catalog) -> list[ExportTable]:
    """Sources and figures: what the dataset states, with evidence."""
    return [
        record_table("sources", "Sources", "The source documents with their reliability grades.",
                     SourceRecord, partial(source_records, catalog)),
        record_table(
            "figures", "Figures",
            "Every figure with its interval, its quote and its line in the document.",
            FigureRecord, partial(figure_records, catalog),
            foreign_keys=(ForeignKey(("source",), "sources", ("id",)),),
            csv_chunks=partial(_figure_chunks, catalog),
        ),
    ]


# --- CSV straight from the frames ----------------------------------------------------------

#: Rows formatted and written at a time: bounds the memory a large table needs.
CHUNK_ROWS = 50_000

_FORMULA_FIRST = frozenset("=+-@\t\r")


def _text_cells(values: np.ndarray) -> list[str]:
    """Text cells as csv_cell writes them: empty for none, formula-safe."""
    return ["" if v is None else safe_cell(v) if (v and v[0] in _FORMULA_FIRST) or "\r" in v
            else v for v in values.tolist()]


def _int_cells(values: Any) -> list[str]:
    return ["" if v is None else str(v) for v in values.tolist()]


def _float_cells(values: np.ndarray) -> list[str]:
    return ["" if v != v else plain_cell(v) for v in values.tolist()]


def _cells(column: pd.Series) -> list[str]:
    """One frame column as the CSV cells of its values (as the JSON records write them)."""
    if isinstance(column.dtype, pd.Int64Dtype) or pd.api.types.is_integer_dtype(column.dtype):
        return _int_cells(column.to_numpy(object, na_value=None))  # type: ignore[call-overload]
    if pd.api.types.is_float_dtype(column.dtype):
        return _float_cells(column.to_numpy(np.float64, na_value=np.nan))
    return _text_cells(column.to_numpy(object, na_value=None))  # type: ignore[call-overload]


def _json_lists(items: np.ndarray | ExtensionArray, starts: np.ndarray, stops: np.ndarray
                ) -> list[str]:
    """Per slice of ``items`` (text, sorted within each slice), the slice as a JSON list.

    Slices follow one another, so only the items from the first start to the last stop
    are encoded.
    """
    if not len(starts):
        return []
    first, last = int(starts[0]), int(stops[-1])
    quoted = [encode_basestring(item) for item in items[first:last].tolist()]
    return ["[" + ", ".join(quoted[start - first:stop - first]) + "]"
            for start, stop in zip(starts.tolist(), stops.tolist(), strict=True)]


def _csv_chunks(spec: TableSpec, frame: pd.DataFrame, header: bool = True,
                raw: tuple[str, ...] = ()) -> Iterator[bytes]:
    """A frame whose columns are the spec's, as CSV bytes a slice of rows at a time.

    ``raw`` columns hold cells written as they are (JSON text of lists).
    """
    if header:
        stream = io.StringIO()
        csv.writer(stream, lineterminator="\n").writerow(spec.names)
        yield stream.getvalue().encode("utf-8")
    for start in range(0, len(frame), CHUNK_ROWS):
        part = frame.iloc[start:start + CHUNK_ROWS]
        stream = io.StringIO()
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerows(zip(*(part[name].tolist() if name in raw else _cells(part[name])
                               for name in spec.names), strict=True))
        yield stream.getvalue().encode("utf-8")


def _figure_chunks(catalog: Catalog, spec: TableSpec) -> Iterator[bytes]:
    """figures.csv in the order of figure_records, without a model per figure."""
    from powcount.catalog import FIGURE_COLUMNS

    figures = catalog.figures
    keys = ["conflict", "nation", "quantity", "as_of_start", "source", "id"]
    # The same sort as figure_records, on the key columns only: the quotes are most of
    # the bytes and need not move.
    order = figures[keys].reset_index(drop=True).sort_values(keys).index.to_numpy()
    chosen = figures[list(FIGURE_COLUMNS)]
    for start in range(0, max(len(order), 1), CHUNK_ROWS):
        yield from _csv_chunks(spec, chosen.take(order[start:start + CHUNK_ROWS]),
                               header=start == 0)


def _is_interval(model: type[BaseModel], name: str) -> bool:
    from powcount.intervals import Interval

    annotation = model.model_fields[name].annotation
    return annotation is Interval or Interval in getattr(annotation, "__args__", ())


def flat_columns(model: type[BaseModel], exclude: tuple[str, ...] = ()) -> tuple[Column, ...]:
    """The model's fields as flat columns: an interval becomes ``NAME_low``, ``NAME_high``."""
    columns: list[Column] = []
    for column in model_columns(model, descriptions=FIELD_DESCRIPTIONS):
        if column.name in exclude:
            continue
        if not _is_interval(model, column.name):
            columns.append(column)
            continue
        what = column.description.rstrip(".") or column.name
        for side, open_word in (("low", "below"), ("high", "above")):
            columns.append(Column(
                f"{column.name}_{side}", "integer",
                f"{what}: {side} bound; empty when open {open_word}"
                + (" or when there is none." if not column.required else "."),
            ))
    return tuple(columns)


def flat_record(record: dict[str, Any], columns: tuple[Column, ...]) -> dict[str, Any]:
    """A dumped model's values under flat column names (intervals split in two)."""
    flat: dict[str, Any] = {}
    for column in columns:
        if column.name in record:
            flat[column.name] = record[column.name]
            continue
        name, _, side = column.name.rpartition("_")
        interval = record.get(name)
        flat[column.name] = interval.get(side) if isinstance(interval, dict) else None
    return flat


def _fields_of(model: type[BaseModel], names: tuple[str, ...]) -> dict[str, Any]:
    """Fields of ``model`` declared again in a flat row: the same types and descriptions."""
    return {name: (model.model_fields[name].annotation,
                   Field(description=model.model_fields[name].description))
            for name in names}


#: The series' fields a row repeats, and the point's (a row is one point).
SERIES_FIELDS = ("conflict", "nation", "quantity", "unit", "direction")
POINT_FIELDS = ("as_of", "midpoint_year", "value_text", "best", "interval", "status")

#: One point of a series over time, with the step that led to it (empty at the first
#: point): the series' fields, then the point's, then the step's.
SeriesRow: type[BaseModel] = create_model(
    "SeriesRow",
    __doc__="One point of a series over time, with the step that led to it.",
    series=(str, Field(description="Series key: conflict/nation/quantity/unit.")),
    **_fields_of(SeriesResult, SERIES_FIELDS),
    position=(int, Field(description="Place of the point in the series, from 1.")),
    **_fields_of(SeriesPoint, POINT_FIELDS),
    change=(int | None, Field(description="Best value minus the previous point's; "
                              "empty at the first point.")),
    change_interval=(Interval | None, Field(
        description="This point's interval minus the previous point's (interval "
        "subtraction); the trend is read from it")),
    years=(float | None, Field(description="Years since the previous point.")),
    trend=(str | None, Field(description="rise, drop, no-change, undetermined or "
                             "basis-changed; empty at the first point.")),
    rate_per_year=(float | None, Field(description="change / years, when the trend is "
                                       "determined; empty otherwise.")),
    flag=(str | None, Field(description="series-rise or series-drop when the step moves "
                            "against the expected direction.")),
    figure_ids=(list[str], Field(description="Figures stated at this point (figures.csv).")),
)


def series_rows(series: Iterable[SeriesResult]) -> list[BaseModel]:
    rows: list[BaseModel] = []
    for result in series:
        for position, point in enumerate(result.points, start=1):
            # Events are listed, never chained: their points have no steps.
            step = result.steps[position - 2] if 1 < position <= len(result.steps) + 1 else None
            rows.append(SeriesRow(
                series=result.key,
                **{name: getattr(result, name) for name in SERIES_FIELDS},
                position=position,
                **{name: getattr(point, name) for name in POINT_FIELDS},
                change=step.change if step else None,
                change_interval=step.change_interval if step else None,
                years=step.years if step else None,
                trend=step.trend if step else None,
                rate_per_year=step.rate_per_year if step else None,
                flag=step.flag if step else None, figure_ids=list(point.figure_ids),
            ))
    return rows


def flat_table(
    name: str, title: str, description: str, model: type[BaseModel],
    records: Callable[[], Iterable[BaseModel]], primary_key: tuple[str, ...],
    foreign_keys: tuple[ForeignKey, ...] = (), exclude: tuple[str, ...] = (),
    csv_chunks: Callable[[TableSpec], Iterator[bytes]] | None = None,
) -> ExportTable:
    columns = flat_columns(model, exclude)
    spec = TableSpec(as_written(columns), primary_key, foreign_keys)

    def rows() -> Iterator[dict[str, Any]]:
        return (flat_record(r.model_dump(mode="json"), columns) for r in records())

    return ExportTable(name, title, description, spec, rows,
                       None if csv_chunks is None else partial(csv_chunks, spec))


def _figure_key(column: str) -> ForeignKey:
    return ForeignKey((column,), "figures", ("id",))


def _sorted_slices(gid: np.ndarray, values: pd.Series, unique: bool
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values sorted within each group (deduplicated when ``unique``); slice bounds."""
    codes, labels = pd.factorize(values, sort=True)
    order = np.lexsort((codes, gid))
    gid, codes = gid[order], codes[order]
    if unique and len(codes):
        keep = np.ones(len(codes), dtype=bool)
        keep[1:] = (gid[1:] != gid[:-1]) | (codes[1:] != codes[:-1])
        gid, codes = gid[keep], codes[keep]
    n_groups = int(gid[-1]) + 1 if len(gid) else 0
    starts = np.searchsorted(gid, np.arange(n_groups), side="left")
    # No groups: no slices, and no stop either.
    stops = np.append(starts[1:], len(gid)).astype(np.int64) if n_groups else starts
    return np.asarray(labels, dtype=object)[codes], starts, stops


def _taken(column: pd.Series, positions: np.ndarray) -> np.ndarray:
    """The column's values at these positions, as Python objects (only those)."""
    return column.take(positions).to_numpy(object)


def _group_chunks(frames: ReconciledFrames, spec: TableSpec) -> Iterator[bytes]:
    """groups.csv from the engine's group frame, as the GroupResult models dump.

    Written CHUNK_ROWS groups at a time: the lists of ids are most of the text, and a
    slice's lists are made only when it is written.
    """
    figures, groups = frames.engine.figures, frames.engine.groups
    starts = groups["start"].to_numpy(np.int64)
    stops = groups["stop"].to_numpy(np.int64)
    gid = np.repeat(np.arange(len(groups)), stops - starts)
    source_items, source_starts, source_stops = _sorted_slices(gid, figures["source"],
                                                               unique=True)
    id_items = frames.ids_by_group
    for g0 in range(0, max(len(groups), 1), CHUNK_ROWS):
        g1 = min(g0 + CHUNK_ROWS, len(groups))
        part = groups.iloc[g0:g1]
        key = part["conflict"].astype(object)
        for column in ("nation", "quantity", "unit", "as_of"):
            key = key + "/" + part[column].astype(object)
        conservative = part["conservative_pos"].to_numpy(np.int64)
        preferred = part["preferred_pos"].to_numpy(np.int64)
        frame = pd.DataFrame({
            "key": key,
            **{column: part[column] for column in (
                "conflict", "nation", "quantity", "unit", "as_of", "date_gap_days", "status",
                "envelope_low", "envelope_high", "common_low", "common_high",
                "conservative")},
            "conservative_figure": _taken(figures["id"], conservative),
            "preferred": part["preferred"],
            "preferred_figure": _taken(figures["id"], preferred),
            "preferred_source": _taken(figures["source"], preferred),
            "n_figures": part["n_figures"],
            "n_sources": part["n_sources"],
            "n_independent": part["n_independent"],
            # JSON text already: written as it is, like csv_cell writes a list.
            "source_ids": pd.Series(_json_lists(source_items, source_starts[g0:g1],
                                                source_stops[g0:g1]),
                                    index=part.index, dtype=object),
            "gap": part["gap"],
            "deviation_pct": part["deviation_pct"],
            "figure_ids": pd.Series(_json_lists(id_items, starts[g0:g1], stops[g0:g1]),
                                    index=part.index, dtype=object),
        })
        yield from _csv_chunks(spec, frame, header=g0 == 0, raw=("source_ids", "figure_ids"))


def _series_chunks(frames: ReconciledFrames, spec: TableSpec) -> Iterator[bytes]:
    """series.csv from series_frame, as series_rows writes the SeriesResult models."""
    from powcount.series import SERIES_KEY

    groups = frames.engine.groups
    points = frames.points
    starts = groups["start"].to_numpy(np.int64)
    figure_ids = np.asarray(_json_lists(frames.ids_by_group, starts,
                                        groups["stop"].to_numpy(np.int64)), dtype=object)
    point_group = np.searchsorted(starts, points["start"].to_numpy(np.int64))
    key = points[SERIES_KEY[0]].astype(object)
    for column in SERIES_KEY[1:]:
        key = key + "/" + points[column].astype(object)
    frame = pd.DataFrame({
        "series": key,
        **{column: points[column] for column in SERIES_KEY},
        "direction": points["direction"].astype(object),
        "position": points.groupby("series").cumcount() + 1,
        "as_of": points["as_of"],
        # Python's rounding, as the models round, not numpy's.
        "midpoint_year": [round(value, 2) for value in points["midpoint"].tolist()],
        "value_text": points["value_text"],
        "best": points["best"],
        "interval_low": points["low"],
        "interval_high": points["high"],
        "status": points["status"],
        "change": points["change"],
        "change_interval_low": points["change_low"],
        "change_interval_high": points["change_high"],
        "years": points["years"],
        "trend": points["trend"],
        "rate_per_year": points["rate_per_year"],
        "flag": points["flag"],
        "figure_ids": figure_ids[point_group],
    })
    yield from _csv_chunks(spec, frame, raw=("figure_ids",))


def _check_chunks(frames: ReconciledFrames, spec: TableSpec) -> Iterator[bytes]:
    """checks.csv from check_frame: each row's cells as its CheckResult dumps them."""
    from powcount.checks import CHECK_INTERVALS
    from powcount.render.cells import RELATION_WORDS

    columns = frames.checks[0]
    rows = len(columns["key"])
    cells: dict[str, list[Any]] = {}
    for name, values in columns.items():
        if name in CHECK_INTERVALS:
            cells[f"{name}_low"], cells[f"{name}_high"] = values
        else:
            cells[name] = values
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(spec.names)
    yield stream.getvalue().encode("utf-8")
    for start in range(0, rows, CHUNK_ROWS):
        stream = io.StringIO()
        writer = csv.writer(stream, lineterminator="\n")
        for row in range(start, min(start + CHUNK_ROWS, rows)):
            writer.writerow([RELATION_WORDS.get(cells[name][row], "")
                             if name == "relation" else csv_cell(cells[name][row])
                             for name in spec.names])
        yield stream.getvalue().encode("utf-8")


class _Reconciled:
    """What the export tables are made from: the frames for CSV, the models for JSON,
    each computed once and only when needed."""

    def __init__(self, frames: ReconciledFrames) -> None:
        self.frames = frames
        self.catalog = frames.catalog

    @cached_property
    def models(self) -> Reconciliation:
        from powcount.reconcile import reconcile

        return reconcile(self.catalog, self.frames.conflict)

    def groups(self) -> list[GroupResult]:
        return self.models.groups

    def series(self) -> list[BaseModel]:
        from powcount.series import series_results

        # As reconcile builds them, without the group models a CSV export does not need.
        if "models" in self.__dict__:
            return series_rows(self.models.series)
        engine = self.frames.engine
        return series_rows(series_results(self.catalog, engine.figures, engine.groups))

    def checks(self) -> list[CheckResult]:
        from powcount.checks import check_frame, check_results

        if "models" in self.__dict__:
            return self.models.checks
        return check_results(self.catalog, check_frame(self.catalog, self.frames.conflict)[0])

    def group_chunks(self, spec: TableSpec) -> Iterator[bytes]:
        return _group_chunks(self.frames, spec)

    def series_chunks(self, spec: TableSpec) -> Iterator[bytes]:
        return _series_chunks(self.frames, spec)

    def check_chunks(self, spec: TableSpec) -> Iterator[bytes]:
        return _check_chunks(self.frames, spec)


def reconciliation_tables(source: _Reconciled) -> list[ExportTable]:
    """Groups, series points and checks; every row names the figures behind it."""
    return [
        flat_table(
            "groups", "Groups",
            "Figures of one conflict, nation, quantity and unit at one as_of, compared: "
            "envelope, common interval, status. The stated values are in figures.csv "
            "(figure_ids).",
            GroupResult, source.groups, ("key",),
            (_figure_key("conservative_figure"), _figure_key("preferred_figure"),
             ForeignKey(("preferred_source",), "sources", ("id",))),
            exclude=("values",), csv_chunks=source.group_chunks,
        ),
        flat_table(
            "series", "Series",
            "One quantity over time: one row per point, with the change from the point "
            "before and a flag when it moves against the expected direction.",
            SeriesRow, source.series, ("series", "position"),
            csv_chunks=source.series_chunks,
        ),
        flat_table(
            "checks", "Checks",
            "Accounting checks (data/checks.yaml) evaluated with interval arithmetic: one "
            "row per combination of figures, with the arithmetic and the verdict.",
            CheckResult, source.checks, ("key",),
            csv_chunks=source.check_chunks,
        ),
    ]


#: The reconciliation's tables, in the order an export writes them.
RECONCILED_TABLES = ("groups", "series", "checks")


def reconciled_csv(frames: ReconciledFrames, table: str) -> Iterator[str]:
    """One of the reconciliation's tables as CSV, with the columns and cells of export's
    file of that name: every command that writes the table as CSV writes this."""
    (chosen,) = (t for t in reconciliation_tables(_Reconciled(frames)) if t.name == table)
    return (chunk.decode("utf-8") for chunk in chosen.csv_parts())


def series_csv(series: list[SeriesResult]) -> Iterator[str]:
    """Series (a timeline's) as CSV, with the columns and cells of export's series.csv."""
    table = flat_table("series", "Series", "", SeriesRow, partial(series_rows, series),
                       ("series", "position"))
    return (chunk.decode("utf-8") for chunk in table.csv_parts())


def checks_csv(catalog: Catalog, conflict: str | None) -> Iterator[str]:
    """The checks table as CSV, for one conflict (None or 'all': every conflict)."""
    return reconciled_csv(ReconciledFrames(catalog, conflict), "checks")


def build_export(catalog: Catalog) -> Export:
    """The dataset and its reconciliation as export tables (rows built when written)."""
    from powcount.reconcile import PREFERRED_RULE, tolerances

    tables = catalog_tables(catalog) + reconciliation_tables(_Reconciled(ReconciledFrames(catalog)))
    extra = {
        "tolerances": tolerances(catalog).model_dump(mode="json"),
        "preferred_rule": PREFERRED_RULE,
    }
    return Export(tuple(tables), extra)


# --- writing -----------------------------------------------------------------------------


def write_export(export: Export, fmt: str, output: str) -> list[Path]:
    """Write an export; return the files written. csv/datapackage: ``output`` is a folder."""
    if fmt == "json":
        from powcount.atomic import write_text_atomic

        write_text_atomic(output, export.json_text())
        return [Path(output)]
    directory = Path(output)
    if fmt == "csv":
        # Each file is written as its rows are formatted, a slice at a time.
        names = [f"{t.name}.csv" for t in export.tables]
        write_files_atomic(directory, ((f"{t.name}.csv", t.csv_parts())
                                       for t in export.tables))
        return [directory / name for name in names]
    files = export.files(fmt)
    write_files_atomic(directory, ((name, (data,)) for name, data in files.items()))
    return [directory / name for name in files]


def _prepare_folder(directory: Path) -> bool:
    """Make sure ``directory`` exists; True if this call created it.

    Made first and judged after: another run may make the same folder at any moment,
    and a folder that exists when we look is shared, never an error.
    """
    if directory.is_dir():
        return False
    try:
        directory.mkdir(parents=True)
    except FileExistsError:
        if directory.is_dir():
            return False
        raise OutputError(f"{directory}: is a file, not a folder: give a folder for the "
                          "exported files") from None
    except OSError as error:
        raise OutputError(f"{directory}: cannot create the folder: {error.strerror}") from None
    return True


def _file_mode(target: Path) -> int:
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_files_atomic(directory: Path, files: Iterable[tuple[str, Iterable[bytes]]]) -> None:
    """Write files into a folder, all or nothing.

    Each file's chunks go to a temporary file in the folder; only when every file is
    complete are they renamed over their targets. On any failure (including an
    interrupt) the temporary files are removed, the old files are untouched, and a
    folder this call created is removed again.
    """
    from powcount.tempfiles import locked_temporary, remove_dead

    created = _prepare_folder(directory)
    written: list[tuple[str, Path]] = []
    # Each temporary stays open, and so locked, until it is renamed: a later run tells
    # a dead run's leftovers from a live run's files by that lock.
    streams: list[BinaryIO] = []
    try:
        for name, chunks in files:
            target = directory / name
            if target.is_dir():
                raise OutputError(f"{target}: is a folder: move it away or choose another "
                                  "output folder")
            remove_dead(directory, f".{name}.*.tmp")
            try:
                handle, temporary = locked_temporary(directory, prefix=f".{name}.")
            except OSError as error:
                raise OutputError(f"{target}: cannot write: {error.strerror}") from None
            written.append((name, Path(temporary)))
            streams.append(os.fdopen(handle, "wb"))
            for chunk in chunks:
                streams[-1].write(chunk)
            streams[-1].flush()
            os.fsync(streams[-1].fileno())
            os.chmod(temporary, _file_mode(target))
        for name, done in written:
            os.replace(done, directory / name)
        written.clear()
        for done_stream in streams:
            done_stream.close()
    except BaseException as error:
        for _, leftover in written:
            try:
                leftover.unlink()
            except OSError:
                pass
        for open_stream in streams:
            try:
                open_stream.close()
            except OSError:
                pass
        if created:
            try:
                directory.rmdir()
            except OSError:
                pass
        if isinstance(error, OSError):
            raise OutputError(f"{directory}: cannot write: {error.strerror}") from None
        raise
