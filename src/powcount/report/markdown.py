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
from powcount.models import FigureRecord, SourceRecord
from powcount.report import walk
from powcount.report.dossier import Dossier, Section
from powcount.report.walk import DossierWriter, Row
from powcount.safe_text import terminal_text
from powcount.series import SeriesResult

_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~#!])")
_WHITESPACE = re.compile(r"\s+")


def md(value: object) -> str:
    """Data text for markdown: specials escaped, on one line."""
    return _escaped(normalise("" if value is None else str(value)))


def _escaped(text: str) -> str:
    return terminal_text(_SPECIAL.sub(r"\\\1", _WHITESPACE.sub(" ", text)))


def anchor(name: str) -> str:
    return f'<a id="{html.escape(name, quote=True)}"></a>'


def figure_link(figure_id: str, text: str) -> str:
    return f"[{md(text)}](#fig-{figure_id})"


def status_word(word: str | None, alert: bool) -> str:
    """A status in bold when the reader should see it first."""
    return f"**{md(word)}**" if alert else md(word)


def table(headers: Sequence[str], rows: Iterable[Row], numeric: Sequence[int] = ()) -> str:
    """A table; markdown has no way to right-align one column's cells, so ``numeric``
    is only accepted for the walk's sake."""
    body = ["| " + " | ".join(cells) + " |" for _, cells in rows]
    if not body:
        return "_None._"
    return "\n".join(["| " + " | ".join(md(h) for h in headers) + " |",
                      "|" + "|".join("---" for _ in headers) + "|", *body])


class _Document(DossierWriter):
    value_separator = "; "
    stated_separator = "; "
    aside_template = "({})"
    mark_template = "**{}**"
    empty_template = "_{}_"
    block_separator = "\n\n"

    escape = staticmethod(_escaped)
    text = staticmethod(md)
    link = staticmethod(figure_link)
    word = staticmethod(status_word)
    table = staticmethod(table)

    # --- sections -------------------------------------------------------------------------

    def render(self) -> str:
        d = self.dossier
        cited = self.cited_figures()
        blocks = [
            f"# powcount dossier: {md(d.title)}",
            walk.INTRO.format(sources=len(d.sources))
            + " Charts are in the HTML report (`powcount report --format html`).",
            ("Contents: " + " · ".join(f"[{md(s.label)}](#{s.anchor})" for s in d.sections)
             if d.sections else ""),
            *(self.section(s) for s in d.sections),
        ]
        if not d.sections:
            blocks.append(f"_No figures are recorded for {md(d.title)}._")
        if cited:
            blocks += ['<a id="cited-figures"></a>', f"## {walk.CITED_HEADING}",
                       *(self.quote(f) for f in cited)]
        blocks.append(self.footer())
        return "\n\n".join(b for b in blocks if b) + "\n"

    def section(self, s: Section) -> str:
        period = f" ({md(s.period)})" if s.period else ""
        items = self.summary_items(s)
        summary = table([name for name, _, _ in items],
                        [("", [self.number(value) for _, value, _ in items])])
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
            walk.GROUPS_NOTE,
            self.groups(s.compared) if s.compared else self.empty(walk.NO_GROUPS),
            "### Counts stated by one figure only",
            self.stated_once(s.stated_once),
            "### Sources",
            self.sources(s.sources),
            "### Figures and their quotes",
            *(self.quote(f) for f in s.figures),
        ])

    def findings(self, s: Section) -> str:
        if not s.findings:
            return walk.NO_FINDINGS
        items = [
            f"- **{md(f.kind)}** {md(f.subject)}: {md(f.detail)} "
            f"{self.aside('figures: ' + self.value_links(f.figure_ids))}"
            for f in s.findings
        ]
        return "### Findings\n\n" + "\n".join(items)

    def one_check(self, c: CheckResult) -> str:
        relation, compared, used = self.check_lines(c)
        return "\n".join([
            f"- **{md(c.name)}** · {self.label('nations', c.nation)} · "
            f"{self.word(c.verdict, True)}  ",
            f"  {relation}  ",
            f"  {md(c.arithmetic)}  ",
            f"  {compared}  ",
            f"  figures: {used}  ",
            f"  _{md(c.rationale)}_",
        ])

    def one_series(self, series: SeriesResult) -> str:
        title = md(self.series_title(series))
        parts = [f"#### {title} ({self.label('units', series.unit)})",
                 md(series.summary),
                 self.series_table(series)]
        targets = self.series_targets(series)
        if targets:
            parts.append(targets)
        return "\n\n".join(parts)

    def source_cells(self, src: SourceRecord, who: str) -> tuple[str, str, str]:
        return (md(src.id),
                f"{md(src.title)} ({who}; {md(src.published or 'undated')}; {md(src.kind)})",
                f"**{md(src.reliability)}**")

    def quote(self, f: FigureRecord) -> str:
        stated, place = self.figure_facts(f, md(f.id))
        return "\n".join([
            anchor(f"fig-{f.id}"),
            f"> “{self.marked_quote(f.quote, f.value_text)}”  ",
            f"> {stated}  ",
            f"> {md(f.source)} · {md(f.document)}, {place}",
        ])

    def footer(self) -> str:
        lines = ["---", self.tolerances_text()]
        lines += [f"- {md(n)}" for n in self.dossier.notes]
        lines.append(f"Written by powcount {md(self.dossier.version)}.")
        return "\n\n".join(lines)


def render_markdown(dossier: Dossier) -> str:
    return _Document(dossier).render()
