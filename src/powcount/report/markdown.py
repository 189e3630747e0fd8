"""The dossier as markdown: the same sections and tables as the HTML page, no charts.

Text from the data is backslash-escaped, so a quote holding ``<script>``, ``|`` or
``[link](javascript:...)`` reads as those characters and never becomes markup.
Figure anchors are ``<a id="fig-ID"></a>`` (ids are slugs), and every value
links to its anchor.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from powcount.checks import CheckResult
from powcount.documents import normalise
from powcount.intervals import Interval, interval_text
from powcount.models import FigureRecord, SourceRecord
from powcount.reconcile import GroupResult
from powcount.render.cells import text_cell
from powcount.report.dossier import Dossier, Section
from powcount.safe_text import terminal_text
from powcount.series import SeriesResult

_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~#!])")
_WHITESPACE = re.compile(r"\s+")


def md(value: object) -> str:
    """Data text for markdown: specials escaped, on one line."""
    return _escaped(normalise("" if value is None else str(value)))


def _escaped(text: str) -> str:
    return terminal_text(_SPECIAL.sub(r"\\\1", _WHITESPACE.sub(" ", text)))


def number(value: int | float | None) -> str:
    return md(text_cell(value))


def interval(value: Interval | None) -> str:
    return "none" if value is None else md(value.text())


def anchor(name: str) -> str:
    return f'<a id="{html.escape(name, quote=True)}"></a>'


def figure_link(figure_id: str, text: str) -> str:
    return f"[{md(text)}](#fig-{figure_id})"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    body = ["| " + " | ".join(cells) + " |" for cells in rows]
    if not body:
        return "_None._"
    return "\n".join(["| " + " | ".join(md(h) for h in headers) + " |",
                      "|" + "|".join("---" for _ in headers) + "|", *body])


class _Document:
    def __init__(self, dossier: Dossier):
        self.dossier = dossier

    def label(self, table_name: str, code: str) -> str:
        return self.dossier.label(table_name, code)

    def value_link(self, figure_id: str) -> str:
        figure = self.dossier.figures.get(figure_id)
        return figure_link(figure_id, figure.value_text if figure else figure_id)

    def render(self) -> str:
        d = self.dossier
        own = {f.id for s in d.sections for f in s.figures}
        cited = [f for fid, f in sorted(d.figures.items()) if fid not in own]
        blocks = [
            f"# powcount dossier: {md(d.title)}",
            f"POW/MIA figures from {len(d.sources)} source documents, reconciled: where the "
            "documents agree and conflict, how the counts move over time, and whether the "
            "arithmetic they imply adds up. Every number links to the quote it comes from, "
            "with its line in the document. Charts are in the HTML report "
            "(`powcount report --format html`).",
            ("Contents: " + " · ".join(f"[{md(s.label)}](#{s.anchor})" for s in d.sections)
             if d.sections else ""),
            *(self.section(s) for s in d.sections),
        ]
        if not d.sections:
            blocks.append(f"_No figures are recorded for {md(d.title)}._")
        if cited:
            blocks += ['<a id="cited-figures"></a>',
                       "## Other figures the checks and series use",
                       *(self.quote(f) for f in cited)]
        blocks.append(self.footer())
        return "\n\n".join(b for b in blocks if b) + "\n"

    def section(self, s: Section) -> str:
        period = f" ({md(s.period)})" if s.period else ""
        m = s.summary
        summary = table(
            ["figures", "sources", "counts compared", "conflicts found", "series flags",
             "failed checks"],
            [[number(m.figures), number(m.sources), number(m.groups), number(m.conflicts),
              number(m.series_flags), number(m.failed_checks)]],
        )
        return "\n\n".join([
            anchor(s.anchor),
            f"## {md(s.label)}{period}",
            summary,
            self.findings(s),
            "### Accounting checks",
            self.checks(s.checks),
            "### Series over time",
            self.series_block(s),
            "### Discrepancies: figures of the same count",
            "Figures of one nation, quantity and unit at the same date, compared; conflicts "
            "first. Each value links to its quote.",
            self.groups(s.compared) if s.compared else
            "_No two figures state the same count at the same date._",
            "### Counts stated by one figure only",
            self.stated_once(s.stated_once),
            "### Sources",
            self.sources(s.sources),
            "### Figures and their quotes",
            *(self.quote(f) for f in s.figures),
        ])

    def findings(self, s: Section) -> str:
        if not s.findings:
            return ("No conflict between sources, no failed check and no series moving the "
                    "wrong way.")
        items = [
            f"- **{md(f.kind)}** {md(f.subject)}: {md(f.detail)} (figures: "
            f"{', '.join(self.value_link(fid) for fid in f.figure_ids)})"
            for f in s.findings
        ]
        return "### Findings\n\n" + "\n".join(items)

    def stated_once(self, groups: Sequence[GroupResult]) -> str:
        rows = [[
            md(self.label("nations", g.nation)),
            md(self.label("quantities", g.quantity)),
            md(g.as_of),
            "; ".join(f"{figure_link(v.figure_id, v.value_text)} ({md(v.source)})"
                      for v in g.values),
            interval(g.envelope),
        ] for g in groups]
        return table(["nation", "quantity", "as of", "stated", "interval"], rows)

    def groups(self, groups: Sequence[GroupResult]) -> str:
        rows = []
        for g in groups:
            stated = "; ".join(f"{md(v.source)}: {figure_link(v.figure_id, v.value_text)}"
                               for v in g.values)
            gap = ""
            if g.gap is not None:
                pct = f" ({md(f'{g.deviation_pct:.1f} %')})" if g.deviation_pct is not None else ""
                gap = f"{number(g.gap)}{pct}"
            status = f"**{md(g.status)}**" if g.status == "conflict" else md(g.status)
            rows.append([
                md(self.label("nations", g.nation)),
                md(self.label("quantities", g.quantity)),
                md(g.as_of),
                stated,
                interval(g.envelope),
                interval(g.common),
                status,
                gap,
                f"{figure_link(g.preferred_figure, text_cell(g.preferred))} "
                f"({md(g.preferred_source)})",
                f"{g.n_sources} ({g.n_independent} independent)",
            ])
        return table(["nation", "quantity", "as of", "stated", "envelope", "common", "status",
                      "gap", "preferred", "sources"], rows)

    def checks(self, checks: Sequence[CheckResult]) -> str:
        if not checks:
            return "_No accounting check applies to these figures._"
        items = []
        for c in checks:
            used = "; ".join(
                f"{side} {', '.join(self.value_link(fid) for fid in ids)}"
                for side, ids in (("left:", c.left_figures), ("right:", c.right_figures))
                if ids
            )
            deviation = ""
            if c.deviation:
                pct = f" ({md(f'{c.deviation_pct:.1f} %')})" if c.deviation_pct is not None else ""
                deviation = f"; misses by {number(c.deviation)}{pct}"
            relation = " ".join([self.terms(c.left), md(c.relation), self.terms(c.right)])
            items.append("\n".join([
                f"- **{md(c.name)}** · {md(self.label('nations', c.nation))} · "
                f"**{md(c.verdict)}**  ",
                f"  {relation}  ",
                f"  {md(c.arithmetic)}  ",
                f"  computed {interval(c.computed)}"
                f"{widened(c.computed, c.computed_with_tolerance)} (best "
                f"{number(c.computed_best)}) against stated {interval(c.stated)}"
                f"{widened(c.stated, c.stated_with_tolerance)} (best {number(c.stated_best)}): "
                f"difference {interval(c.difference)}{deviation}  ",
                f"  figures: {used}  ",
                f"  _{md(c.rationale)}_",
            ]))
        return "\n".join(items)

    def terms(self, terms: Sequence[str]) -> str:
        words = []
        for i, term in enumerate(terms):
            sign = "−" if term.startswith("-") else ("+" if i else "")
            words.append(f"{sign} {md(self.label('quantities', term.lstrip('-')))}".strip())
        return " ".join(words)

    def series_block(self, s: Section) -> str:
        if not s.series:
            return "_No quantity is stated at more than one date._"
        return "\n\n".join(self.one_series(series) for series in s.series)

    def one_series(self, series: SeriesResult) -> str:
        title = (f"{self.label('quantities', series.quantity)}, "
                 f"{self.label('nations', series.nation)}")
        rows = []
        for position, point in enumerate(series.points):
            step = series.steps[position - 1] if position else None
            rows.append([
                md(point.as_of),
                ", ".join(self.value_link(fid) for fid in point.figure_ids),
                interval(point.interval),
                md(point.status),
                interval(step.change_interval) if step else "",
                md(step.trend) if step else "",
                number(step.rate_per_year) if step else "",
                f"**{md(step.flag)}**" if step and step.flag else "",
            ])
        parts = [f"#### {md(title)} ({md(self.label('units', series.unit))})",
                 md(series.summary),
                 table(["as of", "figures", "interval", "status", "change", "trend", "per year",
                        "flag"], rows)]
        if series.targets:
            parts.append("Set beside: " + "; ".join(
                f"{md(self.label('quantities', t.quantity))} "
                f"{figure_link(t.figure_id, t.value_text)} ({md(t.as_of)})"
                for t in series.targets
            ))
        return "\n\n".join(parts)

    def sources(self, sources: Sequence[SourceRecord]) -> str:
        rows = []
        for src in sources:
            who = ", ".join(md(x) for x in (src.author, src.publisher) if x)
            rows.append([
                md(src.id),
                f"{md(src.title)} ({who or 'author and publisher not named'}; "
                f"{md(src.published or 'undated')}; {md(src.kind)})",
                f"**{md(src.reliability)}**",
                md(src.reliability_reason),
                number(src.figures),
            ])
        return table(["source", "document", "grade", "why this grade", "figures"], rows)

    def quote(self, f: FigureRecord) -> str:
        attributed = f" · attributed to {md(f.attributed_to)}" if f.attributed_to else ""
        return "\n".join([
            anchor(f"fig-{f.id}"),
            f"> “{marked_quote(f.quote, f.value_text)}”  ",
            f"> {md(f.id)} · {md(self.label('quantities', f.quantity))}, "
            f"{md(self.label('nations', f.nation))}, as of {md(f.as_of)}: "
            f"{md(interval_text(f.low, f.high))} (best {number(f.best)}, {md(f.qualifier)})"
            f"{attributed}  ",
            f"> {md(f.source)} · {md(f.document)}, line {f.line}, column {f.column} · "
            f"credibility {f.credibility}",
        ])

    def footer(self) -> str:
        d = self.dossier
        t = d.tolerances
        lines = [
            "---",
            f"Tolerances: an approximate word reads a round number as rounded to its last "
            f"non-zero digit, and widens a number stated to the unit by "
            f"{t.approximate_tolerance:.0%} on each side; a check is within tolerance when it "
            f"misses by no more than {t.check_tolerance:.0%} of its right side. "
            f"{md(d.preferred_rule[:1].upper() + d.preferred_rule[1:])}.",
        ]
        lines += [f"- {md(n)}" for n in d.notes]
        lines.append(f"Written by powcount {md(d.version)}.")
        return "\n\n".join(lines)


def widened(stated: Interval, with_tolerance: Interval) -> str:
    if with_tolerance == stated:
        return ""
    return f", {md(with_tolerance.text())} with tolerance"


def marked_quote(quote: str, value_text: str) -> str:
    """The quote, escaped, with the number phrase in bold."""
    text = normalise(quote)
    phrase = normalise(value_text)
    at = text.find(phrase) if phrase else -1
    if at < 0:
        return md(text)
    return (_escaped(text[:at]) + "**" + _escaped(text[at:at + len(phrase)]) + "**"
            + _escaped(text[at + len(phrase):]))


def render_markdown(dossier: Dossier) -> str:
    return _Document(dossier).render()
