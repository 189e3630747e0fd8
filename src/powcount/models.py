"""pydantic models of the data files and of the records powcount prints.

The data files (``data/*.yaml``) are validated against the ``*File`` models; the
JSON Schema that ``powcount schema`` prints is generated from them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from powcount.catalog.rules import MAX_SLUG, MAX_TEXT, SLUG_PATTERN
from powcount.periods import AS_OF_PATTERN, PeriodError, period_bounds

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=MAX_SLUG)]
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]


class _Strict(BaseModel):
    # Unknown keys are typos ("qoute") until proven otherwise.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class QuantityKind(StrEnum):
    stock = "stock"  # measured at a date: unaccounted for, held
    event = "event"  # a count of one happening: released in August 1953
    cumulative = "cumulative"  # a running total: identified since 1982
    estimate = "estimate"  # a judgment of a count that was never measured
    target = "target"  # a goal: 200 identifications a year


class Direction(StrEnum):
    non_increasing = "non_increasing"  # a rise is flagged series-rise
    non_decreasing = "non_decreasing"  # a drop is flagged series-drop


class SourceKind(StrEnum):
    government_report = "government_report"
    journalism = "journalism"
    advocacy_site = "advocacy_site"
    newsletter = "newsletter"
    academic = "academic"
    primary_document = "primary_document"
    other = "other"


class Reliability(StrEnum):
    """Admiralty scale, source reliability."""

    A = "A"  # completely reliable
    B = "B"  # usually reliable
    C = "C"  # fairly reliable
    D = "D"  # not usually reliable
    E = "E"  # unreliable
    F = "F"  # reliability cannot be judged


def _as_of_text(value: Any) -> Any:
    """YAML turns 1951 into an int and 2018-07-28 into a date; keep the text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _check_period(value: str) -> str:
    try:
        period_bounds(value)
    except PeriodError as error:
        raise ValueError(str(error)) from None
    return value


class Unit(_Strict):
    label: Text = Field(description="How the unit reads in reports: 'persons', 'boxes'.")
    description: str | None = Field(None, description="What one unit is.")


class Conflict(_Strict):
    label: Text = Field(description="Name of the conflict: 'Korean War'.")
    period: str | None = Field(None, pattern=AS_OF_PATTERN, description="Years it covers.")
    scope: bool = Field(
        False,
        description="True for a scope that is not one conflict, such as the totals "
        "across all past conflicts.",
    )

    _period_text = field_validator("period", mode="before")(_as_of_text)


class Nation(_Strict):
    label: Text = Field(description="Nation or group the figure counts: 'United States'.")


class Quantity(_Strict):
    label: Text = Field(description="What is counted: 'Unaccounted for'.")
    unit: Slug = Field(description="Unit code from the units table; never compared across units.")
    kind: QuantityKind = Field(description="stock, event, cumulative, estimate or target.")
    direction: Direction | None = Field(
        None,
        description="Expected direction over time; a step the wrong way is flagged. "
        "Cumulative quantities default to non_decreasing.",
    )
    rate_target: Slug | None = Field(
        None, description="A target quantity whose yearly rate a series is set beside."
    )
    description: str | None = Field(None, description="Definition and caveats.")

    def expected_direction(self) -> Direction | None:
        if self.direction is not None:
            return self.direction
        if self.kind is QuantityKind.cumulative:
            return Direction.non_decreasing
        return None


class Originator(_Strict):
    """An organisation or person that first states figures: DPAA, a newspaper."""

    label: Text = Field(description="Name as a reader knows it: 'Defense POW/MIA Accounting "
                        "Agency'.")
    aliases: list[Text] = Field(
        default_factory=list,
        description="Other names under which attributed_to and cites name it.",
    )
    description: str | None = None


class Basis(_Strict):
    """A way of counting that a figure or source declares: where a count starts from."""

    label: Text = Field(description="'Accounted for since 29 March 1973'.")
    description: str | None = None


class VocabularyFile(_Strict):
    """``data/vocabulary.yaml``: the codes every figure refers to."""

    units: dict[Slug, Unit]
    conflicts: dict[Slug, Conflict]
    nations: dict[Slug, Nation]
    quantities: dict[Slug, Quantity]
    originators: dict[Slug, Originator] = Field(
        default_factory=dict, description="Who first states figures; attributed_to resolves here."
    )
    bases: dict[Slug, Basis] = Field(
        default_factory=dict, description="Counting bases a figure or source may declare."
    )


class Settings(_Strict):
    """``data/settings.yaml``: tolerances, stated in every report that uses them."""

    approximate_tolerance: float = Field(
        0.10,
        ge=0,
        le=1,
        description="Share added on each side of an approximate number stated to the unit: "
        "'about 8,123' with 0.10 is 7,310 to 8,936. A round number is read by its "
        "precision instead: 'about 8,100' is 8,050 to 8,149.",
    )
    check_tolerance: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Share of its right side by which an accounting check that holds for no "
        "value may miss and still be within tolerance.",
    )
    stock_window_days: int = Field(
        730,
        ge=0,
        le=36_600,
        description="Stocks, cumulative counts and estimates measured at most this many "
        "days apart are compared (events and targets only when their periods overlap).",
    )


class Source(_Strict):
    id: Slug = Field(description="Short slug naming the document: 'crs-2015'.")
    file: Text = Field(description="Document file, relative to seeds/.")
    title: Text
    author: str | None = Field(None, description="Author as the document names them.")
    publisher: str | None = None
    published: str | None = Field(
        None, pattern=AS_OF_PATTERN, description="Publication date (year, month or day)."
    )
    kind: SourceKind
    reliability: Reliability = Field(description="Admiralty source reliability, A to F.")
    reliability_reason: Text = Field(description="One line saying why this grade.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the document.")
    cites: list[Text] = Field(default_factory=list, description="Who the document cites.")
    url: str | None = None
    retrieved: str | None = Field(
        None, pattern=AS_OF_PATTERN, description="Date the document was retrieved from url."
    )
    originator: Slug | None = Field(
        None, description="Originator code of the figures the document states as its own."
    )
    basis: Slug | None = Field(
        None, description="Counting basis of the document's figures, unless a figure says."
    )
    curation: Literal["complete", "partial"] = Field(
        "complete",
        description="complete: every count-like number of the document is a figure or "
        "listed under not_figures; partial: only some were curated.",
    )
    note: str | None = None

    _published_text = field_validator("published", mode="before")(_as_of_text)
    _retrieved_text = field_validator("retrieved", mode="before")(_as_of_text)


class SourcesFile(_Strict):
    """``data/sources.yaml``: one entry per document in seeds/."""

    sources: list[Source]


class Override(_Strict):
    """A curator's interval where the words need judgment. ``reason`` is required."""

    low: int | None = Field(None, ge=0)
    best: int | None = Field(None, ge=0)
    high: int | None = Field(None, ge=0)
    open_high: bool = Field(False, description="True leaves the top of the interval open.")
    reason: Text = Field(description="Why the words need a different interval.")


class Figure(_Strict):
    """One count a document states, with its evidence."""

    id: Slug = Field(description="Unique figure id.")
    quantity: Slug = Field(description="Quantity code from the vocabulary.")
    conflict: Slug = Field(description="Conflict code from the vocabulary.")
    nation: Slug = Field(description="Nation code from the vocabulary.")
    value_text: Text = Field(description="The number phrase exactly as written: 'over 7,800'.")
    quote: Text = Field(description="Verbatim excerpt of the document containing value_text.")
    as_of: str = Field(
        pattern=AS_OF_PATTERN,
        description="Year, month, day or period the count refers to; a stock's is the "
        "document's date.",
    )
    attributed_to: str | None = Field(
        None,
        description="Who first stated the figure, when the document reports someone "
        "else's: a source id or a name ('a Soviet general').",
    )
    credibility: int = Field(ge=1, le=6, description="Admiralty information credibility, 1-6.")
    credibility_reason: str | None = Field(
        None, max_length=10_000, description="One line saying why this credibility."
    )
    basis: Slug | None = Field(
        None, description="Counting basis code (vocabulary bases), when the figure states one."
    )
    note: str | None = None
    override: Override | None = None
    candidate: bool = Field(
        False, description="True for an extracted candidate not yet reviewed by a curator."
    )

    _as_of_text = field_validator("as_of", mode="before")(_as_of_text)
    _as_of_period = field_validator("as_of")(_check_period)


class NotFigureReason(StrEnum):
    """Why a number in a curated document is not a figure."""

    year = "year"  # 1953, 1990-1994
    date = "date"  # a day of the month: 5 August
    age = "age"  # died at 91
    duration = "duration"  # three-year renewal, 70 years
    footnote = "footnote"  # a note marker glued to a word
    money = "money"  # $130 million
    staff = "staff"  # the size of an agency's staff
    identifier = "identifier"  # K208, Op Plan 14-54, a section number
    restatement = "restatement"  # the same count said again ("these 55")
    not_accounting = "not_accounting"  # a count, but not of prisoners, missing or remains
    no_count = "no_count"  # a number word that counts nothing: "one of the"


class NotFigure(_Strict):
    """A number in the document that the curator read and chose not to record."""

    text: Text = Field(description="The number as written: '1951', 'six'.")
    line: int = Field(ge=1, description="Line of the document it is on (1-based).")
    reason: NotFigureReason
    note: str | None = None


@dataclass(frozen=True)
class Dismissal:
    """A ``not_figures`` entry as the catalog holds it, with the place in the figures file
    that gives it (the curation ledger reads it)."""

    text: str
    line: int
    reason: str
    note: str | None
    data_file: str
    data_line: int | None


class FiguresFile(_Strict):
    """``data/figures/<source-id>.yaml``: the figures of one document."""

    source: Slug = Field(description="The source id; must match the file name.")
    figures: list[Figure]
    not_figures: list[NotFigure] = Field(
        default_factory=list,
        description="The curation ledger: numbers of the document that are not figures.",
    )


# A term is a quantity code, '-' subtracts it; '@scope' takes it from another
# conflict or scope than the check's own ("identified@korea").
CheckTerm = Annotated[
    str, Field(pattern=r"^-?[a-z0-9][a-z0-9_-]*(@[a-z0-9][a-z0-9_-]*)?$", max_length=162)
]


class Check(_Strict):
    """A named accounting relation among quantities, evaluated per conflict and nation."""

    name: Slug = Field(description="Unique check name.")
    conflict: Slug | None = Field(None, description="Only this conflict; null for every one.")
    nation: Slug | None = Field(None, description="Only this nation; null for every one.")
    left: list[CheckTerm] = Field(
        min_length=1, description="Quantity codes added up; a leading '-' subtracts one."
    )
    relation: Literal["==", "<=", ">="] = Field(description="'==', '<=' or '>='.")
    right: list[CheckTerm] = Field(min_length=1, description="Quantity codes added up.")
    match_as_of: bool = Field(
        False, description="True: only combine figures that share the same as_of."
    )
    relates_periods: bool = Field(
        False,
        description="True: the relation holds across dates, so terms are combined even "
        "when their periods are too far apart to describe the same thing; "
        "periods_rationale says why.",
    )
    periods_rationale: str | None = Field(
        None, max_length=10_000,
        description="Why the relation holds between figures of different dates; required "
        "with relates_periods.",
    )
    rationale: Text = Field(description="One line saying what the arithmetic shows.")

    @model_validator(mode="after")
    def _periods_explained(self) -> Check:
        if self.relates_periods and not self.periods_rationale:
            raise ValueError("relates_periods needs a periods_rationale saying why the "
                             "relation holds between different dates")
        return self


class ChecksFile(_Strict):
    """``data/checks.yaml``: accounting checks."""

    checks: list[Check]


class FigureRecord(BaseModel):
    """A figure as powcount prints it: evidence, parsed interval and place."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    id: str
    source: str
    document: str = Field(description="File name under seeds/.")
    line: int = Field(description="Line of value_text in the document (1-based).")
    column: int = Field(description="Column of value_text in that line (1-based).")
    conflict: str
    nation: str
    quantity: str
    unit: str
    kind: str
    qualifier: str
    value_text: str
    low: int
    best: int
    high: int | None
    as_of: str
    attributed_to: str | None
    credibility: int
    quote: str
    note: str | None
    override_reason: str | None


class SourceRecord(BaseModel):
    """A source as powcount prints it."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    id: str
    document: str
    title: str
    author: str | None
    publisher: str | None
    published: str | None
    kind: str
    reliability: str
    reliability_reason: str
    figures: int
    cites: list[str]


def suggest(word: str, choices: list[str] | set[str] | dict[str, Any]) -> str:
    """' did you mean X?' for a near miss, or ''.

    Case, spaces and hyphens do not count, and a number is read as its roman numeral
    ('ww2' and 'WW-II' are 'wwii').
    """
    import difflib

    folded = {_folded(choice): choice for choice in sorted(choices)}
    key = _folded(word)
    if key in folded and folded[key] != word:
        return f" (did you mean '{folded[key]}'?)"
    close = difflib.get_close_matches(key, list(folded), n=1, cutoff=0.6)
    return f" (did you mean '{folded[close[0]]}'?)" if close else ""


_ROMAN = {"1": "i", "2": "ii", "3": "iii", "4": "iv", "5": "v", "6": "vi", "7": "vii",
          "8": "viii", "9": "ix", "10": "x"}


def _folded(word: str) -> str:
    import re

    text = re.sub(r"[\s_-]+", "_", word.strip().lower())
    return re.sub(r"(?<![\d])(10|[1-9])(?![\d])", lambda m: _ROMAN[m.group(1)], text)


