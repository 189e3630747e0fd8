"""Candidates as results (table, CSV, JSON, markdown) and as a figures file to curate.

``--format yaml`` writes ``data/figures/<source>.yaml`` exactly as curated files
are written, every figure marked ``candidate: true`` (``powcount validate`` refuses
it until a curator has checked it and deleted that line). The proposed codes and
their evidence go in each figure's note.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from powcount.errors import UsageProblem
from powcount.extract.classify import Proposal, VocabularyCodes
from powcount.extract.dismissed import not_figures
from powcount.extract.extractor import Candidate
from powcount.extract.runner import Extraction
from powcount.periods import AS_OF_PATTERN
from powcount.render.base import Result, Table

if TYPE_CHECKING:
    from powcount.catalog import DataRoot

_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_SLUG_CHARACTERS = re.compile(r"[^a-z0-9]+")
#: as_of when nothing dates a candidate: a span no curator will keep by mistake.
UNDATED = "1900/2099"
#: Credibility of an unreviewed candidate: "truth cannot be judged".
CANDIDATE_CREDIBILITY = 6
#: Quantities whose as_of is the document's date when the sentence names no year.
_DATED_BY_DOCUMENT = frozenset({"stock", "estimate", "cumulative", "target"})


class ProposalRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str | None = Field(description="Proposed code from the vocabulary; None when "
                             "nothing decides (confidence 0): left for the curator.")
    confidence: float = Field(description="0 (nothing matched: no code) to 1.")
    words: list[str] = Field(description="The words that decided it, strongest first.")


class CandidateRecord(BaseModel):
    """A candidate figure as ``powcount extract`` prints it."""

    model_config = ConfigDict(frozen=True)

    document: str = Field(description="The document as given on the command line.")
    line: int = Field(description="Line of value_text's first character (1-based).")
    column: int = Field(description="Column of that character (1-based).")
    value_text: str = Field(description="The number phrase as written, qualifier included.")
    qualifier: str
    low: int
    best: int
    high: int | None = Field(description="None: the phrase leaves the top open.")
    quote: str = Field(description="The sentence, whitespace-normalised.")
    ambiguous: bool = Field(description="True when the number may carry a glued footnote "
                            "marker that nothing proves; check the document.")
    note: str | None
    quantity: ProposalRecord
    conflict: ProposalRecord
    nation: ProposalRecord
    unit: ProposalRecord


class FailureRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    document: str
    message: str


class ExtractionRecord(BaseModel):
    """Everything one ``powcount extract`` run found."""

    model_config = ConfigDict(frozen=True)

    documents: list[str]
    candidates: list[CandidateRecord]
    failures: list[FailureRecord]


def _proposal(proposal: Proposal) -> ProposalRecord:
    return ProposalRecord(code=proposal.code or None, confidence=proposal.confidence,
                          words=list(proposal.words))


def candidate_record(candidate: Candidate) -> CandidateRecord:
    return CandidateRecord(
        document=candidate.document, line=candidate.line, column=candidate.column,
        value_text=candidate.value_text, qualifier=candidate.qualifier, low=candidate.low,
        best=candidate.best, high=candidate.high, quote=candidate.quote,
        ambiguous=candidate.ambiguous, note=candidate.note,
        quantity=_proposal(candidate.quantity), conflict=_proposal(candidate.conflict),
        nation=_proposal(candidate.nation), unit=_proposal(candidate.unit),
    )


def extraction_record(extraction: Extraction) -> ExtractionRecord:
    return ExtractionRecord(
        documents=list(extraction.documents),
        candidates=[candidate_record(c) for c in extraction.candidates],
        failures=[FailureRecord(document=f.document, message=f.message)
                  for f in extraction.failures],
    )


CANDIDATE_COLUMNS = (
    "document", "line", "column", "value_text", "qualifier", "low", "best", "high",
    "quantity", "quantity_confidence", "quantity_words", "conflict", "conflict_confidence",
    "conflict_words", "nation", "nation_confidence", "nation_words", "unit",
    "unit_confidence", "unit_words", "ambiguous", "note", "quote",
)  # fmt: skip
BRIEF_CANDIDATE_COLUMNS = (
    "document", "line", "value_text", "low", "best", "high", "quantity", "conflict", "nation",
    "unit", "ambiguous",
)  # fmt: skip


def _row(candidate: Candidate) -> tuple[Any, ...]:
    cells: dict[str, Any] = {
        "document": candidate.document, "line": candidate.line, "column": candidate.column,
        "value_text": candidate.value_text, "qualifier": candidate.qualifier,
        "low": candidate.low, "best": candidate.best, "high": candidate.high,
        "ambiguous": candidate.ambiguous, "note": candidate.note, "quote": candidate.quote,
    }
    for name in ("quantity", "conflict", "nation", "unit"):
        proposal: Proposal = getattr(candidate, name)
        cells[name] = proposal.code or None
        cells[f"{name}_confidence"] = proposal.confidence
        cells[f"{name}_words"] = "; ".join(proposal.words)
    return tuple(cells[column] for column in CANDIDATE_COLUMNS)


def extraction_result(extraction: Extraction) -> Result:
    """The candidates as one table, and the run as the JSON payload."""
    table = Table(
        name="candidates",
        title="",
        columns=CANDIDATE_COLUMNS,
        rows=tuple(_row(c) for c in extraction.candidates),
        brief=BRIEF_CANDIDATE_COLUMNS,
    )
    payload = extraction_record(extraction).model_dump(mode="json")
    return Result((table,), payload)


# --- the figures file ----------------------------------------------------------------


@dataclass(frozen=True)
class SourceInfo:
    """What the figures file needs of the source: its id and date."""

    id: str
    published: str | None
    file: str | None  # the document under seeds/, when sources.yaml lists it


def resolve_source(root: DataRoot | None, document: Path, source_id: str | None) -> SourceInfo:
    """The source a document is: --source, else the sources.yaml entry with its sha256."""
    from powcount.catalog import source_entries

    entries = source_entries(root) if root is not None else []
    if source_id is not None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", source_id):
            raise UsageProblem(f"--source '{source_id}': a source id is lower-case letters, "
                               "digits, '-' and '_' (e.g. dpaa-korea-2019)")
        for entry in entries:
            if entry.get("id") == source_id:
                return SourceInfo(source_id, _text(entry.get("published")),
                                  _text(entry.get("file")))
        return SourceInfo(source_id, None, None)
    from powcount.document_text import MAX_DOCUMENT_BYTES
    from powcount.safe_read import FileRefused, read_bounded

    try:
        digest = hashlib.sha256(read_bounded(document, MAX_DOCUMENT_BYTES)).hexdigest()
    except (OSError, FileRefused):
        digest = ""
    for entry in entries:
        if entry.get("sha256") == digest and isinstance(entry.get("id"), str):
            return SourceInfo(entry["id"], _text(entry.get("published")), _text(entry.get("file")))
    slug = _SLUG_CHARACTERS.sub("-", document.stem.lower()).strip("-") or "document"
    if not slug[0].isalnum():
        slug = f"doc-{slug}"
    return SourceInfo(slug[:60], None, None)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def figures_yaml(extraction: Extraction, source: SourceInfo, codes: VocabularyCodes,
                 text: str | None = None) -> str:
    """The candidates of one document as data/figures/<source>.yaml, to curate.

    With the document's ``text``, the count-like numbers no candidate stands on follow
    under ``not_figures``, each with a reason guessed (powcount.extract.dismissed): the
    draft of the curation ledger.

    Written line by line in the curated files' layout (quotes double-quoted on one
    line, a blank line between figures), which ruamel's folding would not keep.
    """
    if len(extraction.documents) > 1:
        raise UsageProblem("--format yaml writes the figures file of one document: extract "
                           "one document at a time, or use --format json for several")
    document = source.file or (extraction.documents[0] if extraction.documents else "")
    lines = [
        f"# Candidate figures of {document or source.id}, from powcount extract.",
        "# Review each against the document: fix quantity, conflict, nation, as_of and",
        "# credibility, delete what is not a figure, then delete 'candidate: true'.",
        f"source: {_scalar(source.id)}",
    ]
    if not extraction.candidates:
        lines.append("figures: []")
    else:
        lines.append("figures:")
    used: set[str] = set()
    for index, proposed in enumerate(extraction.candidates):
        if index:
            lines.append("")
        candidate = _with_placeholders(proposed, codes)
        fields: list[tuple[str, object]] = [
            ("id", _figure_id(source.id, candidate, used)),
            ("quantity", candidate.quantity.code),
            ("conflict", candidate.conflict.code),
            ("nation", candidate.nation.code),
            ("value_text", candidate.value_text),
            ("quote", candidate.quote),
            ("as_of", _as_of(candidate, source, codes)),
            ("credibility", CANDIDATE_CREDIBILITY),
            ("note", _note(proposed, candidate)),
            ("candidate", True),
        ]
        for position, (key, value) in enumerate(fields):
            lead = "  - " if position == 0 else "    "
            lines.append(f"{lead}{key}: "
                         f"{_scalar(value, quoted=key in ('quote', 'note'), date=key == 'as_of')}")
    dismissed = not_figures(text, [(c.line, c.column, c.value_text, c.quote)
                                   for c in extraction.candidates]) if text else []
    if dismissed:
        lines += ["", "# Numbers judged not figures, each with a reason guessed from the words",
                  "# around it: check each (see not_figures in docs/dataset.md).",
                  "not_figures:"]
        lines += [f"  - {{text: {json.dumps(entry.text, ensure_ascii=False)}, "
                  f"line: {entry.line}, reason: {entry.reason}}}" for entry in dismissed]
    return "\n".join(lines) + "\n"


_PLAIN = re.compile(r"[A-Za-z0-9~][A-Za-z0-9_ ,.\-/]*")
_NUMERIC = re.compile(r"[\d,.\-/ ]+")
_YAML_WORDS = frozenset({"yes", "no", "true", "false", "null", "on", "off", "y", "n", "~"})


def _scalar(value: object, quoted: bool = False, date: bool = False) -> str:
    """A YAML scalar as the curated files write it: plain when safe, else double-quoted.

    Digits alone are written plain only for a ``date`` (as_of "1953", "1953/1955"): any
    other text of digits ("7699") would load as a number where the loader wants text.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if (not quoted and _PLAIN.fullmatch(text) and not text.endswith((" ", "-", ","))
            and text.lower() not in _YAML_WORDS
            and (not _NUMERIC.fullmatch(text) or date and re.fullmatch(AS_OF_PATTERN, text))):
        return text
    return json.dumps(text, ensure_ascii=False)


def _figure_id(source_id: str, candidate: Candidate, used: set[str]) -> str:
    base = f"{source_id}-{candidate.quantity.code.replace('_', '-')}-line{candidate.line}"
    base = base[:72].rstrip("-_")
    figure_id, suffix = base, 2
    while figure_id in used:
        figure_id, suffix = f"{base}-{suffix}", suffix + 1
    used.add(figure_id)
    return figure_id


def _as_of(candidate: Candidate, source: SourceInfo, codes: VocabularyCodes) -> str:
    year = _YEAR.search(candidate.quote)
    kind = codes.kind_of(candidate.quantity.code)
    if source.published and (kind in _DATED_BY_DOCUMENT or not year):
        return source.published
    if year:
        return year.group()
    first, last = codes.period_of(candidate.conflict.code)
    if first is not None and last is not None:
        return f"{first}/{last}" if first != last else str(first)
    return UNDATED


def _with_placeholders(candidate: Candidate, codes: VocabularyCodes) -> Candidate:
    """The candidate with the vocabulary's first code where nothing was proposed: a
    figures file must name a code in each field to load, and the note says it is a
    placeholder."""
    def placed(proposal: Proposal, first: str | None) -> Proposal:
        return proposal if proposal.code or not first else Proposal(first, 0.0, ())

    return candidate._replace(
        quantity=placed(candidate.quantity, next(iter(codes.quantities), ("",))[0]),
        conflict=placed(candidate.conflict, next(iter(codes.conflicts), ("",))[0]),
        nation=placed(candidate.nation, next(iter(codes.nations), ("",))[0]),
        unit=placed(candidate.unit, next(iter(codes.units), ("",))[0]),
    )


def _note(proposed: Candidate, candidate: Candidate) -> str:
    """The evidence of each proposal (``proposed``), and the placeholders ``candidate``
    writes where nothing was proposed."""
    parts = [f"Candidate from line {candidate.line}, column {candidate.column}."]
    if candidate.ambiguous:
        parts.append(f"AMBIGUOUS: {candidate.note}.")
    elif candidate.note:
        parts.append(f"{candidate.note[0].upper()}{candidate.note[1:]}.")
    for name in ("quantity", "conflict", "nation", "unit"):
        proposal: Proposal = getattr(proposed, name)
        words = ", ".join(f"'{w}'" for w in proposal.words)
        if proposal.code:
            parts.append(f"{name} {proposal.code} ({proposal.confidence:.2f}: {words}).")
        else:
            why = f" ({words})" if words else ""
            parts.append(f"{name} not proposed{why}: "
                         f"{getattr(candidate, name).code} is a placeholder to replace.")
    return " ".join(parts)
