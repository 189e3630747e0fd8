"""The walk of a dossier that every report format shares.

A format (HTML, markdown) says how it escapes text, links a value to its quote, writes
a table, a status word and an aside; the walk says what each table and sentence holds.
Wording and cell contents live here once, so the formats cannot drift apart.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from powcount.checks import CheckResult
from powcount.documents import normalise
from powcount.intervals import Interval, interval_text
from powcount.models import FigureRecord, SourceRecord
from powcount.reconcile import GroupResult
from powcount.render.cells import text_cell
from powcount.report.dossier import Dossier, Section
from powcount.series import SeriesResult

#: A table row: a CSS class (empty for none; formats without classes ignore it) and
#: its cells, already written in the format.
Row = tuple[str, Sequence[str]]

INTRO = (
    "POW/MIA figures from {sources} source documents, reconciled: where the documents agree "
    "and conflict, how the counts move over time, and whether the arithmetic they imply adds "
    "up. Every number links to the quote it comes from, with its line in the document."
)
NO_FINDINGS = "No conflict between sources, no failed check and no series moving the wrong way."
NO_CHECKS = "No accounting check applies to these figures."
NO_SERIES = "No quantity is stated at more than one date."
NO_GROUPS = "No two figures state the same count at the same date."
GROUPS_NOTE = ("Figures of one nation, quantity and unit at the same date, compared; "
               "conflicts first. Each value links to its quote.")
CITED_HEADING = "Other figures the checks and series use"


class DossierWriter(ABC):
    """Writes a dossier in one format; subclasses give the format's pieces."""

    #: Between the figures of one cell ("stated", the figures a check uses).
    value_separator: str
    #: Between the sources' values in a group's "stated" cell.
    stated_separator: str
    #: A remark in parentheses around text already written in the format: ``{}``.
    aside_template: str
    #: The number phrase inside its quote, already escaped: ``{}``.
    mark_template: str
    #: What stands where a part has nothing to show: ``{}``.
    empty_template: str
    #: Between the blocks of one part (one per series).
    block_separator: str

    def __init__(self, dossier: Dossier):
        self.dossier = dossier

    # --- the format's pieces --------------------------------------------------------------

    @abstractmethod
    def escape(self, text: str, /) -> str:
        """Text from the data, escaped as it stands (white space kept)."""

    @abstractmethod
    def text(self, value: object) -> str:
        """A value from the data as text of the format (None reads as empty)."""

    @abstractmethod
    def link(self, figure_id: str, text: str) -> str:
        """``text`` linking to the figure's quote."""

    @abstractmethod
    def word(self, word: str | None, alert: bool) -> str:
        """A status, verdict or flag; ``alert`` when the reader should see it first."""

    @abstractmethod
    def one_check(self, c: CheckResult) -> str:
        """One check's block: :meth:`check_lines` laid out."""

    @abstractmethod
    def one_series(self, series: SeriesResult) -> str:
        """One series' block: its title, summary and :meth:`series_table`."""

    @abstractmethod
    def source_cells(self, src: SourceRecord, who: str) -> tuple[str, str, str]:
        """A source's id, its document (``who``: author and publisher) and its grade."""

    @abstractmethod
    def table(self, headers: Sequence[str], rows: Sequence[Row],
              numeric: Sequence[int] = ()) -> str:
        """A table; ``numeric`` lists the columns whose cells are numbers."""

    def aside(self, written: str) -> str:
        return self.aside_template.format(written)

    def mark(self, written: str) -> str:
        return self.mark_template.format(written)

    def empty(self, text: str) -> str:
        return self.empty_template.format(text)

    # --- values -----------------------------------------------------------------------------

    def label(self, table_name: str, code: str) -> str:
        return self.text(self.dossier.label(table_name, code))

    def number(self, value: int | float | None) -> str:
        return self.text(text_cell(value))

    def interval(self, value: Interval | None) -> str:
        return "none" if value is None else self.text(value.text())

    def percent(self, value: float | None) -> str:
        return "" if value is None else f" ({self.text(f'{value:.1f} %')})"

    def value_link(self, figure_id: str) -> str:
        figure = self.dossier.figures.get(figure_id)
        return self.link(figure_id, figure.value_text if figure else figure_id)

    def value_links(self, figure_ids: Sequence[str]) -> str:
        return ", ".join(self.value_link(fid) for fid in figure_ids)

    def widened(self, stated: Interval, with_tolerance: Interval) -> str:
        """', 18,000..22,000 with tolerance' when the tolerance widens the interval."""
        if with_tolerance == stated:
            return ""
        return f", {self.text(with_tolerance.text())} with tolerance"

    def terms(self, terms: Sequence[str]) -> str:
        words = []
        for i, term in enumerate(terms):
            sign = "−" if term.startswith("-") else ("+" if i else "")
            words.append(f"{sign} {self.label('quantities', term.lstrip('-'))}".strip())
        return " ".join(words)

    def marked_quote(self, quote: str, value_text: str) -> str:
        """The quote, escaped, with the number phrase marked."""
        text = normalise(quote)
        phrase = normalise(value_text)
        at = text.find(phrase) if phrase else -1
        if at < 0:
            return self.text(text)
        return (self.escape(text[:at]) + self.mark(self.escape(text[at:at + len(phrase)]))
                + self.escape(text[at + len(phrase):]))

    # --- what the sections say ----------------------------------------------------------------

    def cited_figures(self) -> list[FigureRecord]:
        """Figures shown only because a check or series of a section uses them."""
        d = self.dossier
        own = {f.id for s in d.sections for f in s.figures}
        return [f for fid, f in sorted(d.figures.items()) if fid not in own]

    @staticmethod
    def summary_items(s: Section) -> list[tuple[str, int, bool]]:
        """(name, count, alert) of a section's summary."""
        m = s.summary
        return [
            ("figures", m.figures, False),
            ("sources", m.sources, False),
            ("counts compared", m.groups, False),
            ("conflicts found", m.conflicts, m.conflicts > 0),
            ("series flags", m.series_flags, m.series_flags > 0),
            ("failed checks", m.failed_checks, m.failed_checks > 0),
        ]

    def count_cells(self, g: GroupResult) -> list[str]:
        """The cells that say which count a group is: nation, quantity, as of."""
        return [self.label("nations", g.nation), self.label("quantities", g.quantity),
                self.text(g.as_of)]

    def stated_once(self, groups: Sequence[GroupResult]) -> str:
        rows = [("", [
            *self.count_cells(g),
            self.value_separator.join(
                f"{self.link(v.figure_id, v.value_text)} {self.aside(self.text(v.source))}"
                for v in g.values),
            self.interval(g.envelope),
        ]) for g in groups]
        return self.table(["nation", "quantity", "as of", "stated", "interval"], rows,
                          numeric=(4,))

    def groups(self, groups: Sequence[GroupResult]) -> str:
        rows: list[Row] = []
        for g in groups:
            conflict = g.status == "conflict"
            rows.append(("conflict" if conflict else "", [
                *self.count_cells(g),
                self.stated_separator.join(
                    f"{self.text(v.source)}: {self.link(v.figure_id, v.value_text)}"
                    for v in g.values),
                self.interval(g.envelope),
                self.interval(g.common),
                self.word(g.status, conflict),
                "" if g.gap is None else self.number(g.gap) + self.percent(g.deviation_pct),
                f"{self.link(g.preferred_figure, text_cell(g.preferred))} "
                f"{self.aside(self.text(g.preferred_source))}",
                f"{g.n_sources} ({g.n_independent} independent)",
            ]))
        return self.table(["nation", "quantity", "as of", "stated", "envelope", "common",
                           "status", "gap", "preferred", "sources"], rows, numeric=(4, 5, 7))

    def checks(self, checks: Sequence[CheckResult]) -> str:
        if not checks:
            return self.empty(NO_CHECKS)
        return "\n".join(self.one_check(c) for c in checks)

    def check_lines(self, c: CheckResult) -> tuple[str, str, str]:
        """A check's relation in words, its intervals compared, and the figures it uses."""
        relation = " ".join([self.terms(c.left), self.text(c.relation), self.terms(c.right)])
        deviation = ""
        if c.deviation:
            deviation = f"; misses by {self.number(c.deviation)}{self.percent(c.deviation_pct)}"
        compared = (
            f"computed {self.interval(c.computed)}"
            f"{self.widened(c.computed, c.computed_with_tolerance)}"
            f" (best {self.number(c.computed_best)}) against stated {self.interval(c.stated)}"
            f"{self.widened(c.stated, c.stated_with_tolerance)}"
            f" (best {self.number(c.stated_best)}): "
            f"difference {self.interval(c.difference)}{deviation}"
        )
        used = self.value_separator.join(
            f"{self.text(side)} {self.value_links(ids)}"
            for side, ids in (("left:", c.left_figures), ("right:", c.right_figures))
            if ids
        )
        return relation, compared, used

    def series_block(self, s: Section) -> str:
        if not s.series:
            return self.empty(NO_SERIES)
        return self.block_separator.join(self.one_series(series) for series in s.series)

    def series_title(self, series: SeriesResult) -> str:
        """Quantity and nation of a series, as plain text (the format escapes it)."""
        return (f"{self.dossier.label('quantities', series.quantity)}, "
                f"{self.dossier.label('nations', series.nation)}")

    def series_table(self, series: SeriesResult) -> str:
        rows: list[Row] = []
        for position, point in enumerate(series.points):
            step = series.steps[position - 1] if position else None
            flag = step.flag if step else None
            rows.append(("flagged" if flag else "", [
                self.text(point.as_of),
                self.value_links(point.figure_ids),
                self.interval(point.interval),
                self.word(point.status, False),
                self.interval(step.change_interval) if step else "",
                self.text(step.trend) if step else "",
                self.number(step.rate_per_year) if step else "",
                self.word(flag, True) if flag else "",
            ]))
        return self.table(["as of", "figures", "interval", "status", "change", "trend",
                           "per year", "flag"], rows, numeric=(2, 4, 6))

    def series_targets(self, series: SeriesResult) -> str:
        """'Set beside: ...' the figures a series is compared with; empty when none."""
        if not series.targets:
            return ""
        return "Set beside: " + "; ".join(
            f"{self.label('quantities', t.quantity)} "
            f"{self.link(t.figure_id, t.value_text)} ({self.text(t.as_of)})"
            for t in series.targets
        )

    def sources(self, sources: Sequence[SourceRecord]) -> str:
        rows: list[Row] = []
        for src in sources:
            who = ", ".join(self.text(x) for x in (src.author, src.publisher) if x)
            rows.append(("", [
                *self.source_cells(src, who or "author and publisher not named"),
                self.text(src.reliability_reason),
                self.number(src.figures),
            ]))
        return self.table(["source", "document", "grade", "why this grade", "figures"], rows,
                          numeric=(4,))

    def figure_facts(self, f: FigureRecord, code: str) -> tuple[str, str]:
        """What a quote states and where it stands; ``code`` is the id written as code."""
        attributed = f" · attributed to {self.text(f.attributed_to)}" if f.attributed_to else ""
        stated = (f"{code} · {self.label('quantities', f.quantity)}, "
                  f"{self.label('nations', f.nation)}, as of {self.text(f.as_of)}: "
                  f"{self.text(interval_text(f.low, f.high))} (best {self.number(f.best)}, "
                  f"{self.text(f.qualifier)}){attributed}")
        return stated, f"line {f.line}, column {f.column} · credibility {f.credibility}"

    def tolerances_text(self) -> str:
        d = self.dossier
        t = d.tolerances
        return (
            f"Tolerances: an approximate word reads a round number as rounded to its last "
            f"non-zero digit, and widens a number stated to the unit by "
            f"{t.approximate_tolerance:.0%} on each side; a check is within tolerance when it "
            f"misses by no more than {t.check_tolerance:.0%} of its right side. "
            f"{self.text(d.preferred_rule[:1].upper() + d.preferred_rule[1:])}."
        )
