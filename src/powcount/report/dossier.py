"""What a report says, independent of its format: one section per conflict.

A section holds the conflict's figures (each with its quote and line), the
sources behind them, the groups, series and checks of the reconciliation, and
a short summary. The HTML and markdown renderers only lay this out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from powcount import __version__
from powcount.catalog import Catalog
from powcount.checks import CheckResult
from powcount.listing import figure_records, source_records
from powcount.models import FigureRecord, SourceRecord
from powcount.periods import decimal_year
from powcount.reconcile import GroupResult, Reconciliation, Tolerances
from powcount.series import SeriesResult

#: Order of group statuses in the discrepancy table: the disagreements first.
STATUS_ORDER = {"conflict": 0, "consistent": 1, "agree": 2, "single-source": 3}
#: Order of check verdicts: failures first.
VERDICT_ORDER = {"fails": 0, "within-tolerance": 1, "can-hold": 2, "not-comparable": 3,
                 "holds": 4}

ALL = "all"


@dataclass(frozen=True)
class Summary:
    figures: int
    sources: int
    groups: int
    conflicts: int  # groups whose figures conflict
    series: int
    series_flags: int
    checks: int
    failed_checks: int


@dataclass(frozen=True)
class Finding:
    """One thing a reader should see first: a conflict, a failed check, a trend."""

    kind: str  # a group status, a check verdict, a series flag, or 'series'
    subject: str
    detail: str
    figure_ids: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """Everything the report shows about one conflict."""

    code: str
    label: str
    period: str | None
    summary: Summary
    figures: tuple[FigureRecord, ...]
    sources: tuple[SourceRecord, ...]
    groups: tuple[GroupResult, ...]
    series: tuple[SeriesResult, ...]
    checks: tuple[CheckResult, ...]
    findings: tuple[Finding, ...]

    @property
    def compared(self) -> tuple[GroupResult, ...]:
        """Groups where more than one figure meet."""
        return tuple(g for g in self.groups if g.n_figures > 1)

    @property
    def stated_once(self) -> tuple[GroupResult, ...]:
        return tuple(g for g in self.groups if g.n_figures == 1)

    @property
    def anchor(self) -> str:
        return f"conflict-{self.code}"


@dataclass(frozen=True)
class Dossier:
    """A whole report: its sections and what every section relies on."""

    scope: str  # a conflict code or 'all'
    title: str
    version: str
    tolerances: Tolerances
    preferred_rule: str
    notes: tuple[str, ...]
    sections: tuple[Section, ...]
    figures: dict[str, FigureRecord]  # every figure shown, by id
    sources: dict[str, SourceRecord]  # every source shown, by id
    labels: dict[str, dict[str, str]]  # 'quantities'/'nations'/'units'/'conflicts' -> code -> label
    urls: dict[str, str]  # source id -> the URL the source gives, when it gives one
    frame: pd.DataFrame  # the catalog's figures, for charts

    def label(self, table: str, code: str) -> str:
        return self.labels.get(table, {}).get(code, code)

    def series_points(self, series: SeriesResult) -> pd.DataFrame:
        """The figures behind a series, one point each, for a chart (charts.POINT_COLUMNS)."""
        rows = self.frame[self.frame["id"].isin(series.figure_ids)]
        points = pd.DataFrame({
            "figure": rows["id"],
            "source": rows["source"],
            "x_start": [decimal_year(t.date()) for t in rows["as_of_start"]],
            "x_end": [decimal_year(t.date()) + 1 / 365 for t in rows["as_of_end"]],
            "low": rows["low"],
            "best": rows["best"],
            "high": rows["high"],
        })
        return points.sort_values(["x_start", "source", "figure"]).reset_index(drop=True)


def conflict_codes(catalog: Catalog, scope: str) -> list[str]:
    """The conflicts a report covers, in vocabulary order; only those with figures."""
    from powcount.reconcile import known_conflict

    known_conflict(catalog, scope)
    known = list(catalog.vocabulary.conflicts)
    present = set(catalog.figures["conflict"])
    return [code for code in known if code in present and scope in (ALL, code)]


def build_dossier(catalog: Catalog, scope: str = ALL) -> Dossier:
    """Reconcile the dataset and gather what the report shows, conflict by conflict."""
    from powcount.reconcile import reconcile

    codes = conflict_codes(catalog, scope)
    # A conflict without figures has nothing to reconcile; the tolerances still apply.
    reconciliation: Reconciliation = reconcile(catalog, scope if scope != ALL and codes else None)
    figures = figure_records(catalog)
    all_sources = {s.id: s for s in source_records(catalog)}
    sections = []
    for code in codes:
        sections.append(_section(catalog, code, reconciliation, figures, all_sources))
    by_id = {f.id: f for f in figures}
    shown_figures = {f.id: f for s in sections for f in s.figures}
    # Checks and series may use figures of another conflict (a department-wide target).
    for section in sections:
        cited = [fid for one in section.series for fid in one.figure_ids]
        cited += [fid for check in section.checks for fid in check.figure_ids]
        cited += [t.figure_id for series in section.series for t in series.targets]
        for fid in cited:
            if fid in by_id:
                shown_figures.setdefault(fid, by_id[fid])
    vocabulary = catalog.vocabulary
    labels = {
        "conflicts": {k: v.label for k, v in vocabulary.conflicts.items()},
        "nations": {k: v.label for k, v in vocabulary.nations.items()},
        "quantities": {k: v.label for k, v in vocabulary.quantities.items()},
        "units": {k: v.label for k, v in vocabulary.units.items()},
    }
    title = ("All conflicts" if scope == ALL
             else labels["conflicts"].get(scope, scope))
    return Dossier(
        scope=scope,
        title=title,
        version=__version__,
        tolerances=reconciliation.tolerances,
        preferred_rule=reconciliation.preferred_rule,
        notes=tuple(reconciliation.notes),
        sections=tuple(sections),
        figures=shown_figures,
        sources={sid: all_sources[sid] for sid in sorted({f.source for f in
                                                          shown_figures.values()})},
        labels=labels,
        urls={sid: src.url for sid, src in catalog.sources.items() if src.url},
        frame=catalog.figures,
    )


def _section(
    catalog: Catalog, code: str, reconciliation: Reconciliation,
    figures: list[FigureRecord], all_sources: dict[str, SourceRecord],
) -> Section:
    conflict = catalog.vocabulary.conflicts[code]
    own = tuple(sorted((f for f in figures if f.conflict == code),
                       key=lambda f: (f.source, f.line, f.column, f.id)))
    counts: dict[str, int] = {}
    for figure in own:
        counts[figure.source] = counts.get(figure.source, 0) + 1
    sources = tuple(all_sources[sid].model_copy(update={"figures": n})
                    for sid, n in sorted(counts.items()))
    groups = tuple(sorted((g for g in reconciliation.groups if g.conflict == code),
                          key=lambda g: (STATUS_ORDER.get(g.status, 9), g.key)))
    series = tuple(sorted((s for s in reconciliation.series if s.conflict == code),
                          key=lambda s: s.key))
    checks = tuple(sorted((c for c in reconciliation.checks if c.conflict == code),
                          key=lambda c: (VERDICT_ORDER.get(c.verdict, 9), c.name, c.key)))
    summary = Summary(
        figures=len(own),
        sources=len(sources),
        groups=len(groups),
        conflicts=sum(g.status == "conflict" for g in groups),
        series=len(series),
        series_flags=sum(len(s.flags) for s in series),
        checks=len(checks),
        failed_checks=sum(c.verdict == "fails" for c in checks),
    )
    labels = catalog.vocabulary
    findings = _findings(groups, series, checks,
                         {k: v.label for k, v in labels.quantities.items()},
                         {k: v.label for k, v in labels.nations.items()})
    return Section(code, conflict.label, conflict.period, summary, own, sources, groups,
                   series, checks, findings)


def _findings(
    groups: tuple[GroupResult, ...], series: tuple[SeriesResult, ...],
    checks: tuple[CheckResult, ...], quantities: dict[str, str], nations: dict[str, str],
) -> tuple[Finding, ...]:
    from powcount.render.cells import text_cell

    def what(quantity: str, nation: str) -> str:
        return f"{quantities.get(quantity, quantity)}, {nations.get(nation, nation)}"

    found = []
    for check in checks:
        # A relation that holds for some values, or whose terms are of other dates, is
        # not a discrepancy; the checks table states it.
        if check.verdict not in ("fails", "within-tolerance"):
            continue
        pct = f" ({check.deviation_pct:.1f} %)" if check.deviation_pct is not None else ""
        verb = ("fails for every value" if check.verdict == "fails"
                else "fails, within tolerance")
        found.append(Finding(
            check.verdict, f"check {check.name}, {nations.get(check.nation, check.nation)}",
            f"{check.arithmetic}: {verb}, off by {text_cell(abs(check.deviation))}{pct}",
            tuple(check.figure_ids)))
    for group in groups:
        if group.status != "conflict":
            continue
        pct = f" ({group.deviation_pct:.1f} %)" if group.deviation_pct is not None else ""
        stated = "; ".join(f"{v.source}: {v.value_text}" for v in group.values)
        gap = text_cell(group.gap) if group.gap is not None else "-"
        found.append(Finding(
            "conflict", f"{what(group.quantity, group.nation)}, {group.as_of}",
            f"sources disagree ({stated}); gap {gap}{pct}", tuple(group.figure_ids)))
    for one in series:
        for step in one.steps:
            if step.flag:
                found.append(Finding(
                    step.flag, what(one.quantity, one.nation),
                    f"{step.from_as_of} to {step.to_as_of}: change {text_cell(step.change)} "
                    f"against the expected direction", tuple(step.figure_ids)))
        if one.direction or one.targets:
            found.append(Finding("series", what(one.quantity, one.nation), one.summary,
                                 tuple(one.figure_ids)))
    return tuple(found)
