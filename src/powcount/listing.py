"""What the dataset holds, as results: sources, figures, the validation summary."""

from __future__ import annotations

import pandas as pd

from powcount.catalog import FIGURE_COLUMNS, Catalog
from powcount.errors import UsageProblem
from powcount.models import FigureRecord, SourceRecord, suggest
from powcount.render.base import Result, table_from_records

#: The terminal table leaves out the long text columns; CSV, JSON and markdown keep them.
BRIEF_FIGURE_COLUMNS = (
    "id", "source", "line", "conflict", "nation", "quantity", "unit", "qualifier",
    "value_text", "low", "best", "high", "as_of",
)
SOURCE_COLUMNS = ("id", "document", "kind", "reliability", "reliability_reason", "published",
                  "figures", "title")


def source_records(catalog: Catalog) -> list[SourceRecord]:
    counts = catalog.source_figure_counts()
    return [
        SourceRecord(
            id=s.id, document=s.file, title=s.title, author=s.author, publisher=s.publisher,
            published=s.published, kind=s.kind.value, reliability=s.reliability.value,
            reliability_reason=s.reliability_reason, figures=counts[s.id], cites=list(s.cites),
        )
        for s in sorted(catalog.sources.values(), key=lambda s: s.id)
    ]


def sources_result(catalog: Catalog) -> Result:
    records = source_records(catalog)
    dumped = [r.model_dump(mode="json") for r in records]
    table = table_from_records("sources", "Sources", SOURCE_COLUMNS, dumped)
    return Result((table,), dumped)


def _check_code(kind: str, value: str | None, known: dict[str, object] | list[str]) -> None:
    if value is not None and value not in known:
        raise UsageProblem(
            f"unknown {kind} '{value}'{suggest(value, list(known))}: choose one of "
            + ", ".join(sorted(known))
        )


def figure_records(
    catalog: Catalog,
    conflict: str | None = None,
    source: str | None = None,
    quantity: str | None = None,
) -> list[FigureRecord]:
    _check_code("conflict", conflict, dict(catalog.vocabulary.conflicts))
    _check_code("source", source, dict(catalog.sources))
    _check_code("quantity", quantity, dict(catalog.vocabulary.quantities))
    frame = catalog.figures
    if conflict:
        frame = frame[frame["conflict"] == conflict]
    if source:
        frame = frame[frame["source"] == source]
    if quantity:
        frame = frame[frame["quantity"] == quantity]
    frame = frame.sort_values(["conflict", "nation", "quantity", "as_of_start", "source", "id"])
    records = []
    for row in frame[FIGURE_COLUMNS].astype(object).itertuples(index=False):
        values = {k: (None if _missing(v) else v) for k, v in zip(FIGURE_COLUMNS, row,
                                                                  strict=True)}
        records.append(FigureRecord.model_validate(values))
    return records


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def figures_result(
    catalog: Catalog,
    conflict: str | None = None,
    source: str | None = None,
    quantity: str | None = None,
    columns: tuple[str, ...] | None = None,
) -> Result:
    records = figure_records(catalog, conflict, source, quantity)
    dumped = [r.model_dump(mode="json") for r in records]
    table = table_from_records("figures", "Figures", columns or FIGURE_COLUMNS, dumped,
                               brief=BRIEF_FIGURE_COLUMNS)
    return Result((table,), dumped)


def validation_summary(catalog: Catalog) -> str:
    figures = len(catalog.figures)
    return (
        f"valid: {len(catalog.sources)} sources, {figures} figures, "
        f"{len(catalog.vocabulary.quantities)} quantities, "
        f"{len(catalog.vocabulary.conflicts)} conflicts; every quote found in its document"
    )


def validation_warnings(catalog: Catalog) -> list[str]:
    """One line per figure whose quote holds bidi controls, in file and line order.

    Not a problem: a quote is verbatim, and the document may hold the control. But
    a reader is shown something else than the characters ("008" displays as "800"
    after U+202E), so ``validate`` names each one; tables and markdown show them
    escaped, the HTML report isolates them.
    """
    from powcount.safe_text import BIDI_CONTROLS, bidi_controls_in

    figures = catalog.figures
    if figures.empty:
        return []
    pattern = "[" + "".join(sorted(BIDI_CONTROLS)) + "]"
    holding = figures[figures["quote"].astype(str).str.contains(pattern, regex=True)]
    rows = sorted(zip(holding["data_file"].astype(str), holding["data_line"].tolist(),
                      holding["id"].astype(str), holding["quote"].astype(str), strict=True),
                  key=lambda row: (row[0], row[1] if row[1] is not None else 0, row[2]))
    return [
        f"{path}:{line}: figure '{figure}': warning: the quote holds bidi controls "
        f"({' '.join(bidi_controls_in(quote))}) that can reorder what a reader sees: check "
        "it against the document; tables show them escaped and the HTML report isolates them"
        for path, line, figure, quote in rows
    ]
