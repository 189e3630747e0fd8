"""The dossier as one self-contained HTML page: inline CSS and SVG charts, no script.

Every piece of text that comes from the data (titles, quotes, notes, codes) goes
through ``html.escape``; links are only ever in-page anchors or http(s) URLs. A
Content-Security-Policy forbids scripts and every network request, so even a
document that slipped markup past the escaping could not run or fetch anything.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from powcount.checks import CheckResult
from powcount.documents import normalise
from powcount.intervals import Interval, interval_text
from powcount.models import FigureRecord, SourceRecord
from powcount.reconcile import GroupResult
from powcount.render.cells import text_cell
from powcount.report.charts import ChartText, interval_chart_svg, source_colours
from powcount.report.dossier import Dossier, Section
from powcount.safe_text import visible_bidi
from powcount.series import SeriesResult

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"

STYLE = """
:root { color-scheme: light; --ink: #1d2329; --muted: #5b6670; --rule: #d8dde2;
  --conflict: #b3261e; --conflict-bg: #fdecea; --warn: #8a5a00; --warn-bg: #fff4d6;
  --ok: #1e6b3a; --ok-bg: #e7f5ec; --neutral-bg: #eef1f4; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #fff; }
header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; border-bottom: 1px solid var(--rule); }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 22px; margin: 40px 0 8px; padding-top: 8px; border-top: 3px solid var(--ink); }
h3 { font-size: 17px; margin: 28px 0 8px; }
h4 { font-size: 15px; margin: 20px 0 6px; }
p.lead, .muted { color: var(--muted); }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 18px; }
a { color: #0b5cad; }
a.fig { font-variant-numeric: tabular-nums; text-decoration-style: dotted; }
body { overflow-wrap: break-word; }
div.table { overflow-x: auto; margin: 8px 0 16px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { border-bottom: 1px solid var(--rule); padding: 5px 8px; text-align: left;
  vertical-align: top; unicode-bidi: isolate; }
th { background: var(--neutral-bg); font-weight: 600; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.conflict td { background: var(--conflict-bg); }
tr.fails td { background: var(--conflict-bg); }
tr.flagged td { background: var(--warn-bg); }
.badge { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 12px;
  font-weight: 600; white-space: nowrap; background: var(--neutral-bg); }
.badge.conflict, .badge.fails, .badge.series-rise, .badge.series-drop {
  background: var(--conflict-bg); color: var(--conflict); }
.badge.consistent, .badge.within-tolerance, .badge.can-hold { background: var(--warn-bg);
  color: var(--warn); }
.badge.agree, .badge.holds { background: var(--ok-bg); color: var(--ok); }
.grade { font-weight: 700; }
dl.summary { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 16px; }
dl.summary div { background: var(--neutral-bg); border-radius: 6px; padding: 6px 12px;
  min-width: 110px; }
dl.summary div.alert { background: var(--conflict-bg); color: var(--conflict); }
dl.summary dt { font-size: 12px; color: inherit; opacity: 0.8; }
dl.summary dd { margin: 0; font-size: 20px; font-weight: 700; }
.check { border: 1px solid var(--rule); border-left: 5px solid var(--rule);
  border-radius: 4px; padding: 8px 12px; margin: 10px 0; }
.check.fails { border-left-color: var(--conflict); }
.check.within-tolerance, .check.can-hold { border-left-color: #d89b00; }
.check.holds { border-left-color: var(--ok); }
.arithmetic { font: 14px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  background: var(--neutral-bg); padding: 4px 8px; border-radius: 4px; display: inline-block;
  max-width: 100%; overflow-wrap: anywhere; }
figure.chart { margin: 12px 0; overflow-x: auto; }
/* The chart's smallest text is 8 pt of a 460 pt wide drawing: drawn narrower than
   600 px it would read below 10 px, so a narrow screen scrolls the chart instead. */
figure.chart svg { width: 100%; min-width: 600px; max-width: 760px; height: auto;
  display: block; }
figcaption { font-size: 13px; color: var(--muted); }
blockquote.quote { margin: 10px 0; padding: 8px 12px; border-left: 4px solid var(--rule);
  background: #fafbfc; }
blockquote.quote:target { border-left-color: #0b5cad; background: #eaf3fc; }
blockquote.quote p { margin: 0 0 4px; }
blockquote.quote footer { font-size: 12.5px; color: var(--muted); }
mark { background: #ffe58a; padding: 0 2px; }
ul.findings { padding-left: 20px; }
ul.findings li { margin: 4px 0; }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
footer.page { margin-top: 40px; padding: 16px 24px 40px; border-top: 1px solid var(--rule);
  color: var(--muted); font-size: 13px; }
@media (max-width: 600px) {
  header, main, footer { padding: 0 12px; }
  header { padding-top: 16px; }
  h1 { font-size: 22px; }
  h2 { font-size: 19px; }
}
@media print { a { color: inherit; } h2 { break-before: page; } }
"""


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def esc(value: object) -> str:
    """Any text from the data, escaped for HTML text and attribute values.

    Bidi controls are shown as their escapes (``\\u202e``), never obeyed.
    """
    return visible_bidi(html.escape("" if value is None else str(value), quote=True))


def number(value: int | float | None) -> str:
    return esc(text_cell(value))


def interval(value: Interval | None) -> str:
    return "none" if value is None else esc(value.text())


def figure_anchor(figure_id: str) -> str:
    return f"fig-{figure_id}"


def figure_link(figure_id: str, text: str) -> str:
    return f'<a class="fig" href="#{esc(figure_anchor(figure_id))}">{esc(text)}</a>'


def safe_url(url: str | None) -> str | None:
    """Only plain web links are links; anything else (javascript:, data:...) is text."""
    if url and url.strip().lower().startswith(("https://", "http://")):
        return url.strip()
    return None


def widened(stated: Interval, with_tolerance: Interval) -> str:
    """', within tolerance 18,000..22,000' when the tolerance widens the interval."""
    if with_tolerance == stated:
        return ""
    return f", {esc(with_tolerance.text())} with tolerance"


def badge(word: str | None) -> str:
    if not word:
        return ""
    return f'<span class="badge {esc(word)}">{esc(word)}</span>'


def table(headers: Sequence[str], rows: Iterable[tuple[str, Sequence[str]]],
          numeric: Sequence[int] = ()) -> str:
    """A table from escaped cell HTML. Each row is (css class, cells)."""
    head = "".join(f'<th class="num">{esc(h)}</th>' if i in numeric else f"<th>{esc(h)}</th>"
                   for i, h in enumerate(headers))
    body = []
    for css, cells in rows:
        tds = "".join(
            f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
            for i, c in enumerate(cells)
        )
        body.append(f'<tr class="{esc(css)}">{tds}</tr>' if css else f"<tr>{tds}</tr>")
    if not body:
        return '<p class="muted">None.</p>'
    # The box scrolls sideways when the table is wider than the screen; the page does not.
    return (f'<div class="table"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


class _Page:
    def __init__(self, dossier: Dossier):
        self.dossier = dossier
        self.colours = source_colours(list(dossier.sources))
        self.chart_count = 0

    def label(self, table_name: str, code: str) -> str:
        return self.dossier.label(table_name, code)

    def value_link(self, figure_id: str) -> str:
        figure = self.dossier.figures.get(figure_id)
        return figure_link(figure_id, figure.value_text if figure else figure_id)

    # --- sections -------------------------------------------------------------------------

    def render(self) -> str:
        d = self.dossier
        nav = "".join(
            f'<li><a href="#{esc(s.anchor)}">{esc(s.label)}</a> '
            f'<span class="muted">{plural(s.summary.conflicts, "conflict")}, '
            f'{plural(s.summary.failed_checks, "failed check")}</span></li>'
            for s in d.sections
        )
        cited = [f for fid, f in sorted(d.figures.items())
                 if fid not in {g.id for s in d.sections for g in s.figures}]
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>powcount dossier: {esc(d.title)}</title>",
            f"<style>{STYLE}</style>",
            "</head>",
            "<body>",
            "<header>",
            f"<h1>powcount dossier: {esc(d.title)}</h1>",
            f'<p class="lead">POW/MIA figures from {len(d.sources)} source documents, '
            "reconciled: where the documents agree and conflict, how the counts move over "
            "time, and whether the arithmetic they imply adds up. Every number links to the "
            "quote it comes from, with its line in the document.</p>",
            f"<nav><ul>{nav}</ul></nav>",
            "</header>",
            "<main>",
            *(self.section(s) for s in d.sections),
        ]
        if not d.sections:
            parts.append(f'<p class="muted">No figures are recorded for {esc(d.title)}.</p>')
        if cited:
            parts += ["<section id=\"cited-figures\">",
                      "<h2>Other figures the checks and series use</h2>",
                      *(self.quote(f) for f in cited), "</section>"]
        parts += ["</main>", self.footer(), "</body>", "</html>"]
        return "\n".join(parts) + "\n"

    def section(self, s: Section) -> str:
        period = f" ({esc(s.period)})" if s.period else ""
        return "\n".join([
            f'<section id="{esc(s.anchor)}">',
            f"<h2>{esc(s.label)}{period}</h2>",
            self.summary(s),
            self.findings(s),
            f'<h3 id="{esc(s.anchor)}-checks">Accounting checks</h3>',
            self.checks(s.checks),
            f'<h3 id="{esc(s.anchor)}-series">Series over time</h3>',
            self.series_block(s),
            f'<h3 id="{esc(s.anchor)}-groups">Discrepancies: figures of the same count</h3>',
            '<p class="muted">Figures of one nation, quantity and unit at the same date, '
            "compared; conflicts first. Each value links to its quote.</p>",
            self.groups(s.compared) if s.compared else
            '<p class="muted">No two figures state the same count at the same date.</p>',
            f'<h3 id="{esc(s.anchor)}-once">Counts stated by one figure only</h3>',
            self.stated_once(s.stated_once),
            f'<h3 id="{esc(s.anchor)}-sources">Sources</h3>',
            self.sources(s.sources),
            f'<h3 id="{esc(s.anchor)}-figures">Figures and their quotes</h3>',
            *(self.quote(f) for f in s.figures),
            "</section>",
        ])

    def summary(self, s: Section) -> str:
        m = s.summary
        items = [
            ("figures", m.figures, False),
            ("sources", m.sources, False),
            ("counts compared", m.groups, False),
            ("conflicts found", m.conflicts, m.conflicts > 0),
            ("series flags", m.series_flags, m.series_flags > 0),
            ("failed checks", m.failed_checks, m.failed_checks > 0),
        ]
        cells = "".join(
            f'<div class="{"alert" if alert else ""}"><dt>{esc(name)}</dt>'
            f"<dd>{number(value)}</dd></div>"
            for name, value, alert in items
        )
        return f'<dl class="summary">{cells}</dl>'

    def findings(self, s: Section) -> str:
        if not s.findings:
            return ('<p class="findings">No conflict between sources, no failed check and '
                    "no series moving the wrong way.</p>")
        items = "".join(
            f"<li>{badge(f.kind)} <strong>{esc(f.subject)}</strong>: {esc(f.detail)} "
            f'<span class="muted">(figures: '
            f"{', '.join(self.value_link(fid) for fid in f.figure_ids)})</span></li>"
            for f in s.findings
        )
        return f'<h3 id="{esc(s.anchor)}-findings">Findings</h3><ul class="findings">{items}</ul>'

    def stated_once(self, groups: Sequence[GroupResult]) -> str:
        rows = [("", [
            esc(self.label("nations", g.nation)),
            esc(self.label("quantities", g.quantity)),
            esc(g.as_of),
            " ".join(f"{figure_link(v.figure_id, v.value_text)} "
                     f'<span class="muted">({esc(v.source)})</span>' for v in g.values),
            interval(g.envelope),
        ]) for g in groups]
        return table(["nation", "quantity", "as of", "stated", "interval"], rows,
                     numeric=(4,))

    def groups(self, groups: Sequence[GroupResult]) -> str:
        rows = []
        for g in groups:
            stated = "<br>".join(
                f"{esc(v.source)}: {figure_link(v.figure_id, v.value_text)}" for v in g.values
            )
            gap = ""
            if g.gap is not None:
                pct = f" ({g.deviation_pct:.1f} %)" if g.deviation_pct is not None else ""
                gap = f"{number(g.gap)}{esc(pct)}"
            rows.append((g.status if g.status == "conflict" else "", [
                esc(self.label("nations", g.nation)),
                esc(self.label("quantities", g.quantity)),
                esc(g.as_of),
                stated,
                interval(g.envelope),
                interval(g.common),
                badge(g.status),
                gap,
                f"{figure_link(g.preferred_figure, text_cell(g.preferred))} "
                f'<span class="muted">({esc(g.preferred_source)})</span>',
                f"{g.n_sources} ({g.n_independent} independent)",
            ]))
        return table(["nation", "quantity", "as of", "stated", "envelope", "common", "status",
                      "gap", "preferred", "sources"], rows, numeric=(4, 5, 7))

    def checks(self, checks: Sequence[CheckResult]) -> str:
        if not checks:
            return '<p class="muted">No accounting check applies to these figures.</p>'
        blocks = []
        for c in checks:
            used = " ".join(
                f"{esc(side)} {', '.join(self.value_link(fid) for fid in ids)}"
                for side, ids in (("left:", c.left_figures), ("right:", c.right_figures))
                if ids
            )
            relation = " ".join([_terms(c.left, self), esc(c.relation), _terms(c.right, self)])
            deviation = ""
            if c.deviation:
                pct = f" ({c.deviation_pct:.1f} %)" if c.deviation_pct is not None else ""
                deviation = f"; misses by {number(c.deviation)}{esc(pct)}"
            blocks.append(
                f'<div class="check {esc(c.verdict)}">'
                f"<p><strong>{esc(c.name)}</strong> · {esc(self.label('nations', c.nation))} "
                f"{badge(c.verdict)}</p>"
                f'<p class="muted">{relation}</p>'
                f'<p><span class="arithmetic">{esc(c.arithmetic)}</span></p>'
                f"<p>computed {interval(c.computed)}"
                f"{widened(c.computed, c.computed_with_tolerance)}"
                f" (best {number(c.computed_best)}) against stated {interval(c.stated)}"
                f"{widened(c.stated, c.stated_with_tolerance)} (best {number(c.stated_best)}): "
                f"difference {interval(c.difference)}{deviation}</p>"
                f"<p>figures: {used}</p>"
                f'<p class="muted">{esc(c.rationale)}</p>'
                "</div>"
            )
        return "\n".join(blocks)

    def series_block(self, s: Section) -> str:
        if not s.series:
            return '<p class="muted">No quantity is stated at more than one date.</p>'
        return "\n".join(self.one_series(s, series) for series in s.series)

    def one_series(self, s: Section, series: SeriesResult) -> str:
        title = (f"{self.label('quantities', series.quantity)}, "
                 f"{self.label('nations', series.nation)}")
        unit = self.label("units", series.unit)
        self.chart_count += 1
        chart_id = f"chart-{self.chart_count}"
        points = self.dossier.series_points(series)
        svg = interval_chart_svg(points, ChartText(title, unit), chart_id, self.colours)
        rows = []
        for position, point in enumerate(series.points):
            step = series.steps[position - 1] if position else None
            rows.append(("flagged" if step and step.flag else "", [
                esc(point.as_of),
                ", ".join(self.value_link(fid) for fid in point.figure_ids),
                interval(point.interval),
                badge(point.status),
                interval(step.change_interval) if step else "",
                esc(step.trend) if step else "",
                number(step.rate_per_year) if step else "",
                badge(step.flag) if step else "",
            ]))
        targets = ""
        if series.targets:
            targets = "<p>Set beside: " + "; ".join(
                f"{esc(self.label('quantities', t.quantity))} "
                f"{figure_link(t.figure_id, t.value_text)} ({esc(t.as_of)})"
                for t in series.targets
            ) + "</p>"
        caption = (f"{esc(title)} ({esc(unit)}), one mark per figure, coloured by source. "
                   "Bars span the interval the words allow; a dashed arrow is an interval "
                   "open above (&ldquo;over&rdquo;, &ldquo;more than&rdquo;); a horizontal "
                   "line is the period a figure covers.")
        return "\n".join([
            f"<h4>{esc(title)}</h4>",
            f"<p>{esc(series.summary)}</p>",
            f'<figure class="chart" id="{chart_id}">{svg}<figcaption>{caption}'
            "</figcaption></figure>",
            table(["as of", "figures", "interval", "status", "change", "trend", "per year",
                   "flag"],
                  rows, numeric=(2, 4, 6)),
            targets,
        ])

    def sources(self, sources: Sequence[SourceRecord]) -> str:
        rows = []
        for src in sources:
            title = esc(src.title)
            url = safe_url(self.dossier.urls.get(src.id))
            if url:
                title = f'<a href="{esc(url)}" rel="noreferrer">{title}</a>'
            who = ", ".join(esc(x) for x in (src.author, src.publisher) if x)
            rows.append(("", [
                f"<code>{esc(src.id)}</code>",
                f"{title}<br><span class=\"muted\">{who or 'author and publisher not named'}"
                f" · {esc(src.published or 'undated')} · {esc(src.kind)}</span>",
                f'<span class="grade">{esc(src.reliability)}</span>',
                esc(src.reliability_reason),
                number(src.figures),
            ]))
        return table(["source", "document", "grade", "why this grade", "figures"], rows,
                     numeric=(4,))

    def quote(self, f: FigureRecord) -> str:
        return (
            f'<blockquote class="quote" id="{esc(figure_anchor(f.id))}">'
            f"<p>&ldquo;<bdi>{marked_quote(f.quote, f.value_text)}</bdi>&rdquo;</p>"
            f"<footer><code>{esc(f.id)}</code> · {esc(self.label('quantities', f.quantity))}"
            f", {esc(self.label('nations', f.nation))}, as of {esc(f.as_of)}: "
            f"{esc(interval_text(f.low, f.high))} (best {number(f.best)}, {esc(f.qualifier)})"
            f"{' · attributed to ' + esc(f.attributed_to) if f.attributed_to else ''}"
            f"<br>{esc(f.source)} · <code>{esc(f.document)}</code>, line {f.line}, column "
            f"{f.column} · credibility {f.credibility}</footer>"
            "</blockquote>"
        )

    def footer(self) -> str:
        d = self.dossier
        t = d.tolerances
        notes = "".join(f"<li>{esc(n)}</li>" for n in d.notes)
        return (
            '<footer class="page">'
            f"<p>Tolerances: an approximate word reads a round number as rounded to its last "
            f"non-zero digit, and widens a number stated to the unit by "
            f"{t.approximate_tolerance:.0%} on each side; a check is within tolerance when it "
            f"misses by no more than {t.check_tolerance:.0%} of its right side. "
            f"{esc(d.preferred_rule[:1].upper() + d.preferred_rule[1:])}.</p>"
            + (f"<ul>{notes}</ul>" if notes else "")
            + f"<p>Written by powcount {esc(d.version)}. The page loads nothing from the "
            "network and runs no script.</p></footer>"
        )


def _terms(terms: Sequence[str], page: _Page) -> str:
    words = []
    for i, term in enumerate(terms):
        sign = "−" if term.startswith("-") else ("+" if i else "")
        code = term.lstrip("-")
        words.append(f"{sign} {esc(page.label('quantities', code))}".strip())
    return " ".join(words)


def marked_quote(quote: str, value_text: str) -> str:
    """The quote, escaped, with the number phrase marked."""
    text = normalise(quote)
    phrase = normalise(value_text)
    at = text.find(phrase) if phrase else -1
    if at < 0:
        return esc(text)
    return (esc(text[:at]) + "<mark>" + esc(text[at:at + len(phrase)]) + "</mark>"
            + esc(text[at + len(phrase):]))


def render_html(dossier: Dossier) -> str:
    return _Page(dossier).render()
