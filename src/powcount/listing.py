"""What the dataset holds, as results: sources, figures, the validation summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from powcount.catalog import FIGURE_COLUMNS, Catalog
from powcount.errors import UsageProblem
from powcount.models import FigureRecord, SourceRecord, suggest
from powcount.render.base import Result, Table, table_from_records

if TYPE_CHECKING:
    from powcount.checks import CheckResult

#: Every column of the figures table (CSV, markdown; the terminal's compact view is
#: declared in powcount.render.layout).
LISTED_FIGURE_COLUMNS = tuple(FIGURE_COLUMNS[:FIGURE_COLUMNS.index("credibility") + 1]) + (
    "credibility_reason",) + tuple(FIGURE_COLUMNS[FIGURE_COLUMNS.index("credibility") + 1:])
#: What --verbose adds to the terminal table of figures: the evidence and its grade.
VERBOSE_FIGURE_COLUMNS = ("attributed_to", "credibility", "credibility_reason", "quote")
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
    verbose: bool = False,
) -> Result:
    """The figures; ``verbose``: the terminal table shows quote, attribution and credibility."""
    records = figure_records(catalog, conflict, source, quantity)
    dumped = [r.model_dump(mode="json") for r in records]
    table = table_from_records("figures", "Figures", columns or LISTED_FIGURE_COLUMNS,
                               _with_reasons(catalog, dumped),
                               brief=VERBOSE_FIGURE_COLUMNS if verbose else None)
    return Result((table,), dumped)


def _with_reasons(catalog: Catalog, dumped: list[dict[str, object]]) -> list[dict[str, object]]:
    """The records with each figure's credibility_reason, when the dataset's frame holds it
    (empty otherwise)."""
    frame = catalog.figures
    if "credibility_reason" not in frame.columns:
        return [{**record, "credibility_reason": None} for record in dumped]
    reasons = dict(zip(frame["id"].astype(object), frame["credibility_reason"].astype(object),
                       strict=True))
    return [{**record, "credibility_reason": None if _missing(reasons.get(record["id"]))
             else reasons.get(record["id"])} for record in dumped]


def check_evidence_result(catalog: Catalog, checks: list[CheckResult], base: Result) -> Result:
    """check --verbose: the checks, then why each should hold, then the quotes behind them."""
    from powcount.reconcile import EVIDENCE_COLUMNS

    (checks_table,) = base.tables[:1]
    reasons: dict[str, str] = {}
    for check in checks:
        reasons.setdefault(check.name, check.rationale)
    rationale = table_from_records(
        "rationale", "Why each check should hold", ("check", "rationale"),
        [{"check": name, "rationale": text} for name, text in reasons.items()])
    wanted = sorted({fid for check in checks for fid in check.figure_ids})
    frame = catalog.figures
    frame = frame[frame["id"].isin(wanted)].sort_values("id")
    evidence = table_from_records("evidence", "Evidence", EVIDENCE_COLUMNS, [
        {"figure": row.id, "source": row.source, "document": row.document, "line": row.line,
         "value_text": row.value_text, "quote": row.quote}
        for row in frame[["id", "source", "document", "line", "value_text", "quote"]]
        .astype(object).itertuples(index=False)])
    verbose_checks = Table(checks_table.name, checks_table.title, checks_table.columns,
                           checks_table.rows, checks_table.notes, ("figures",))
    return Result((verbose_checks, rationale, evidence), base.payload, base.notes)


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


def empty_note(catalog: Catalog, conflict: str | None = None, nation: str | None = None,
               quantity: str | None = None, source: str | None = None) -> str | None:
    """When no figure matches what was asked (known codes all), one line saying so, and
    which values of the first filter hold figures with the others; None when some does."""
    asked = [(name, value) for name, value in (("conflict", conflict), ("nation", nation),
                                               ("quantity", quantity), ("source", source))
             if value is not None and value != "all"]
    if not asked:
        return None if len(catalog.figures) else "no figures in this dataset"
    frame = catalog.figures
    for name, value in asked:
        frame = frame[frame[name] == value]
    if len(frame):
        return None
    what = ", ".join(f"{name} '{value}'" for name, value in asked)
    # The first filter's values that do hold figures, given the others.
    name, _ = asked[0]
    others = catalog.figures
    for other, value in asked[1:]:
        others = others[others[other] == value]
    holding = sorted({str(v) for v in others[name].astype(object).unique()})
    if not holding:
        holding = sorted({str(v) for v in catalog.figures[name].astype(object).unique()})
    plural = {"quantity": "quantities", "nation": "nations", "source": "sources"}.get(
        name, f"{name}s")
    return (f"no figures for {what} in this dataset ({plural} with figures: "
            f"{', '.join(holding)})")
