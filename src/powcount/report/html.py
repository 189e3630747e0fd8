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
from powcount.models import FigureRecord, SourceRecord
from powcount.report import walk
from powcount.report.charts import ChartText, interval_chart_svg, source_colours
from powcount.report.dossier import Dossier, Section
from powcount.report.walk import DossierWriter, Row
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


def figure_anchor(figure_id: str) -> str:
    return f"fig-{figure_id}"


def figure_link(figure_id: str, text: str) -> str:
    return f'<a class="fig" href="#{esc(figure_anchor(figure_id))}">{esc(text)}</a>'


def safe_url(url: str | None) -> str | None:
    """Only plain web links are links; anything else (javascript:, data:...) is text."""
    if url and url.strip().lower().startswith(("https://", "http://")):
        return url.strip()
    return None


def badge(word: str | None, alert: bool = False) -> str:
    """A status word on its colour; the colour, not ``alert``, says how much it matters."""
    if not word:
        return ""
    return f'<span class="badge {esc(word)}">{esc(word)}</span>'


def table(headers: Sequence[str], rows: Iterable[Row],
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



class _Page(DossierWriter):
    value_separator = " "
    stated_separator = "<br>"
    aside_template = '<span class="muted">({})</span>'
    mark_template = "<mark>{}</mark>"
    empty_template = '<p class="muted">{}</p>'
    block_separator = "\n"

    def __init__(self, dossier: Dossier):
        super().__init__(dossier)
        self.colours = source_colours(list(dossier.sources))
        self.chart_count = 0

    escape = text = staticmethod(esc)
    link = staticmethod(figure_link)
    word = staticmethod(badge)
    table = staticmethod(table)

    # --- sections -------------------------------------------------------------------------

    def render(self) -> str:
        d = self.dossier
        nav = "".join(
            f'<li><a href="#{esc(s.anchor)}">{esc(s.label)}</a> '
            f'<span class="muted">{plural(s.summary.conflicts, "conflict")}, '
            f'{plural(s.summary.failed_checks, "failed check")}</span></li>'
            for s in d.sections
        )
        cited = self.cited_figures()
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
            f'<p class="lead">{walk.INTRO.format(sources=len(d.sources))}</p>',
            f"<nav><ul>{nav}</ul></nav>",
            "</header>",
            "<main>",
            *(self.section(s) for s in d.sections),
        ]
        if not d.sections:
            parts.append(f'<p class="muted">No figures are recorded for {esc(d.title)}.</p>')
        if cited:
            parts += ["<section id=\"cited-figures\">", f"<h2>{walk.CITED_HEADING}</h2>",
                      *(self.quote(f) for f in cited), "</section>"]
        parts += ["</main>", self.footer(), "</body>", "</html>"]
        return "\n".join(parts) + "\n"

    def section(self, s: Section) -> str:
        period = f" ({esc(s.period)})" if s.period else ""
        anchor = esc(s.anchor)
        return "\n".join([
            f'<section id="{anchor}">',
            f"<h2>{esc(s.label)}{period}</h2>",
            self.summary(s),
            self.findings(s),
            f'<h3 id="{anchor}-checks">Accounting checks</h3>',
            self.checks(s.checks),
            f'<h3 id="{anchor}-series">Series over time</h3>',
            self.series_block(s),
            f'<h3 id="{anchor}-groups">Discrepancies: figures of the same count</h3>',
            f'<p class="muted">{walk.GROUPS_NOTE}</p>',
            self.groups(s.compared) if s.compared else self.empty(walk.NO_GROUPS),
            f'<h3 id="{anchor}-once">Counts stated by one figure only</h3>',
            self.stated_once(s.stated_once),
            f'<h3 id="{anchor}-sources">Sources</h3>',
            self.sources(s.sources),
            f'<h3 id="{anchor}-figures">Figures and their quotes</h3>',
            *(self.quote(f) for f in s.figures),
            "</section>",
        ])

    def summary(self, s: Section) -> str:
        cells = "".join(
            f'<div class="{"alert" if alert else ""}"><dt>{esc(name)}</dt>'
            f"<dd>{self.number(value)}</dd></div>"
            for name, value, alert in self.summary_items(s)
        )
        return f'<dl class="summary">{cells}</dl>'

    def findings(self, s: Section) -> str:
        if not s.findings:
            return f'<p class="findings">{walk.NO_FINDINGS}</p>'
        items = "".join(
            f"<li>{badge(f.kind)} <strong>{esc(f.subject)}</strong>: {esc(f.detail)} "
            f"{self.aside('figures: ' + self.value_links(f.figure_ids))}</li>"
            for f in s.findings
        )
        return f'<h3 id="{esc(s.anchor)}-findings">Findings</h3><ul class="findings">{items}</ul>'

    def one_check(self, c: CheckResult) -> str:
        relation, compared, used = self.check_lines(c)
        return (
            f'<div class="check {esc(c.verdict)}">'
            f"<p><strong>{esc(c.name)}</strong> · {self.label('nations', c.nation)} "
            f"{badge(c.verdict)}</p>"
            f'<p class="muted">{relation}</p>'
            f'<p><span class="arithmetic">{esc(c.arithmetic)}</span></p>'
            f"<p>{compared}</p>"
            f"<p>figures: {used}</p>"
            f'<p class="muted">{esc(c.rationale)}</p>'
            "</div>"
        )

    def one_series(self, series: SeriesResult) -> str:
        title = self.series_title(series)
        unit = self.dossier.label("units", series.unit)
        self.chart_count += 1
        chart_id = f"chart-{self.chart_count}"
        points = self.dossier.series_points(series)
        svg = interval_chart_svg(points, ChartText(title, unit), chart_id, self.colours)
        targets = self.series_targets(series)
        caption = (f"{esc(title)} ({esc(unit)}), one mark per figure, coloured by source. "
                   "Bars span the interval the words allow; a dashed arrow is an interval "
                   "open above (&ldquo;over&rdquo;, &ldquo;more than&rdquo;); a horizontal "
                   "line is the period a figure covers.")
        return "\n".join([
            f"<h4>{esc(title)}</h4>",
            f"<p>{esc(series.summary)}</p>",
            f'<figure class="chart" id="{chart_id}">{svg}<figcaption>{caption}'
            "</figcaption></figure>",
            self.series_table(series),
            f"<p>{targets}</p>" if targets else "",
        ])

    def source_cells(self, src: SourceRecord, who: str) -> tuple[str, str, str]:
        title = esc(src.title)
        url = safe_url(self.dossier.urls.get(src.id))
        if url:
            title = f'<a href="{esc(url)}" rel="noreferrer">{title}</a>'
        return (f"<code>{esc(src.id)}</code>",
                f'{title}<br><span class="muted">{who} · {esc(src.published or "undated")} · '
                f"{esc(src.kind)}</span>",
                f'<span class="grade">{esc(src.reliability)}</span>')

    def quote(self, f: FigureRecord) -> str:
        stated, place = self.figure_facts(f, f"<code>{esc(f.id)}</code>")
        return (
            f'<blockquote class="quote" id="{esc(figure_anchor(f.id))}">'
            f"<p>&ldquo;<bdi>{self.marked_quote(f.quote, f.value_text)}</bdi>&rdquo;</p>"
            f"<footer>{stated}<br>{esc(f.source)} · <code>{esc(f.document)}</code>, {place}"
            "</footer></blockquote>"
        )

    def footer(self) -> str:
        d = self.dossier
        notes = "".join(f"<li>{esc(n)}</li>" for n in d.notes)
        return (
            f'<footer class="page"><p>{self.tolerances_text()}</p>'
            + (f"<ul>{notes}</ul>" if notes else "")
            + f"<p>Written by powcount {esc(d.version)}. The page loads nothing from the "
            "network and runs no script.</p></footer>"
        )


def render_html(dossier: Dossier) -> str:
    return _Page(dossier).render()
