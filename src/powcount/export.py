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
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

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
from powcount.render.csv_format import safe_cell
from powcount.series import SeriesResult

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
    "relation": "==, <= or >= between the left and the right side.",
    "rationale": "Why the relation should hold.",
    "stated_with_tolerance": "Right side from the intervals widened for approximate words.",
    "stated_best": "Right side from the best values.",
    "verdict": "holds, holds-within-tolerance or fails.",
}


@dataclass(frozen=True)
class ExportTable:
    """One exported table: its rows (models dumped as JSON) and its schema."""

    name: str
    title: str
    description: str
    spec: TableSpec
    records: tuple[dict[str, Any], ...]

    def csv_bytes(self) -> bytes:
        stream = io.StringIO()
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(self.spec.names)
        for record in self.records:
            writer.writerow([csv_cell(record.get(name)) for name in self.spec.names])
        return stream.getvalue().encode("utf-8")


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
    """Columns whose allowed values are spelt as the CSV writes them ('== for ==)."""
    return tuple(replace(c, enum=tuple(csv_cell(v) for v in c.enum)) if c.enum else c
                 for c in columns)


def record_table(
    name: str, title: str, description: str, model: type[BaseModel],
    records: Iterable[BaseModel], primary_key: tuple[str, ...] = ("id",),
    foreign_keys: tuple[ForeignKey, ...] = (), columns: tuple[Column, ...] | None = None,
) -> ExportTable:
    chosen = columns or model_columns(model, descriptions=FIELD_DESCRIPTIONS)
    spec = TableSpec(as_written(chosen), primary_key, foreign_keys)
    dumped = tuple(r.model_dump(mode="json") for r in records)
    return ExportTable(name, title, description, spec, dumped)


def catalog_tables(catalog: Catalog) -> list[ExportTable]:
    """Sources and figures: what the dataset states, with evidence."""
    return [
        record_table("sources", "Sources", "The source documents with their reliability grades.",
                     SourceRecord, source_records(catalog)),
        record_table(
            "figures", "Figures",
            "Every figure with its interval, its quote and its line in the document.",
            FigureRecord, figure_records(catalog),
            foreign_keys=(ForeignKey(("source",), "sources", ("id",)),),
        ),
    ]


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


class SeriesRow(BaseModel):
    """One point of a series over time, with the step that led to it."""

    series: str = Field(description="Series key: conflict/nation/quantity/unit.")
    conflict: str
    nation: str
    quantity: str
    unit: str
    direction: str | None = Field(description="Expected direction, when the quantity has one.")
    position: int = Field(description="Place of the point in the series, from 1.")
    as_of: str = Field(description="Year, month, day or period of the point.")
    midpoint_year: float = Field(description="Middle of the as_of period as a fractional year.")
    value_text: str = Field(description="The preferred figure's words.")
    best: int = Field(description="The preferred figure's best value.")
    interval: Interval = Field(
        description="The point's common interval, or its envelope when its figures conflict"
    )
    status: str = Field(description="Status of the group behind the point.")
    change: int | None = Field(description="Best value minus the previous point's; "
                               "empty at the first point.")
    years: float | None = Field(description="Years since the previous point.")
    rate_per_year: float | None = Field(description="change / years; empty at the first point.")
    flag: str | None = Field(description="series-rise or series-drop when the step moves "
                             "against the expected direction.")
    figure_ids: list[str] = Field(description="Figures stated at this point (figures.csv).")


def series_rows(series: Iterable[SeriesResult]) -> list[SeriesRow]:
    rows = []
    for result in series:
        for position, point in enumerate(result.points, start=1):
            step = result.steps[position - 2] if position > 1 else None
            rows.append(SeriesRow(
                series=result.key, conflict=result.conflict, nation=result.nation,
                quantity=result.quantity, unit=result.unit, direction=result.direction,
                position=position, as_of=point.as_of, midpoint_year=point.midpoint_year,
                value_text=point.value_text, best=point.best, interval=point.interval,
                status=point.status,
                change=step.change if step else None, years=step.years if step else None,
                rate_per_year=step.rate_per_year if step else None,
                flag=step.flag if step else None, figure_ids=list(point.figure_ids),
            ))
    return rows


def flat_table(
    name: str, title: str, description: str, model: type[BaseModel],
    records: Iterable[BaseModel], primary_key: tuple[str, ...],
    foreign_keys: tuple[ForeignKey, ...] = (), exclude: tuple[str, ...] = (),
) -> ExportTable:
    columns = flat_columns(model, exclude)
    rows = tuple(flat_record(r.model_dump(mode="json"), columns) for r in records)
    return ExportTable(name, title, description,
                       TableSpec(as_written(columns), primary_key, foreign_keys), rows)


def _figure_key(column: str) -> ForeignKey:
    return ForeignKey((column,), "figures", ("id",))


def reconciliation_tables(reconciliation: Reconciliation) -> list[ExportTable]:
    """Groups, series points and checks; every row names the figures behind it."""
    return [
        flat_table(
            "groups", "Groups",
            "Figures of one conflict, nation, quantity and unit at one as_of, compared: "
            "envelope, common interval, status. The stated values are in figures.csv "
            "(figure_ids).",
            GroupResult, reconciliation.groups, ("key",),
            (_figure_key("conservative_figure"), _figure_key("preferred_figure"),
             ForeignKey(("preferred_source",), "sources", ("id",))),
            exclude=("values",),
        ),
        flat_table(
            "series", "Series",
            "One quantity over time: one row per point, with the change from the point "
            "before and a flag when it moves against the expected direction.",
            SeriesRow, series_rows(reconciliation.series), ("series", "position"),
        ),
        flat_table(
            "checks", "Checks",
            "Accounting checks (data/checks.yaml) evaluated with interval arithmetic: one "
            "row per combination of figures, with the arithmetic and the verdict.",
            CheckResult, reconciliation.checks, ("key",),
        ),
    ]


def build_export(catalog: Catalog) -> Export:
    """The dataset and its reconciliation as export tables."""
    from powcount.reconcile import reconcile

    reconciliation = reconcile(catalog, None)
    tables = catalog_tables(catalog) + reconciliation_tables(reconciliation)
    extra = {
        "tolerances": reconciliation.tolerances.model_dump(mode="json"),
        "preferred_rule": reconciliation.preferred_rule,
    }
    return Export(tuple(tables), extra)


# --- writing -----------------------------------------------------------------------------


def write_export(export: Export, fmt: str, output: str) -> list[Path]:
    """Write an export; return the files written. csv/datapackage: ``output`` is a folder."""
    if fmt == "json":
        from powcount.atomic import write_text_atomic

        write_text_atomic(output, export.json_text())
        return [Path(output)]
    files = export.files(fmt)
    directory = Path(output)
    write_files_atomic(directory, ((name, (data,)) for name, data in files.items()))
    return [directory / name for name in files]


def _prepare_folder(directory: Path) -> bool:
    """Make sure ``directory`` exists; True if this call created it."""
    if directory.is_dir():
        return False
    if directory.exists():
        raise OutputError(f"{directory}: is a file, not a folder: give a folder for the "
                          "exported files")
    try:
        directory.mkdir(parents=True)
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
    created = _prepare_folder(directory)
    written: list[tuple[str, Path]] = []
    temporary: str
    try:
        for name, chunks in files:
            target = directory / name
            if target.is_dir():
                raise OutputError(f"{target}: is a folder: move it away or choose another "
                                  "output folder")
            try:
                handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp",
                                                     dir=directory)
            except OSError as error:
                raise OutputError(f"{target}: cannot write: {error.strerror}") from None
            written.append((name, Path(temporary)))
            with os.fdopen(handle, "wb") as stream:
                for chunk in chunks:
                    stream.write(chunk)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, _file_mode(target))
        for name, done in written:
            os.replace(done, directory / name)
        written.clear()
    except BaseException as error:
        for _, leftover in written:
            try:
                leftover.unlink()
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
