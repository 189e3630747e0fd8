"""Load and validate a dataset: ``data/`` (vocabulary, sources, figures) and ``seeds/``.

Every problem of a run is collected and raised together as one DataError, each
naming its file and line. Figures end up in one pandas frame (FIGURE_COLUMNS),
with each number phrase read as an interval and each quote located in its
document.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from pydantic import BaseModel, ValidationError

from powcount.catalog import problems as kinds
from powcount.catalog.frame import figures_frame
from powcount.catalog.rules import claimant as claimant_of
from powcount.catalog.yaml import YamlProblem, line_of, read_yaml, to_plain
from powcount.documents import Document, DocumentError, normalise
from powcount.errors import (
    DataError,
    PhraseError,
    Problem,
    ProblemKind,
    UsageProblem,
    describe_field_error,
)
from powcount.models import (
    Check,
    Dismissal,
    Figure,
    NotFigure,
    Settings,
    Source,
    VocabularyFile,
    suggest,
)
from powcount.ordering import FigureIndex
from powcount.periods import PeriodError, period_bounds

DATA_ENV = "POWCOUNT_DATA"

#: The vocabulary table each code-valued source field names.
TABLES = {"originator": "originators", "basis": "bases"}


@dataclass(frozen=True)
class DataRoot:
    """Where a dataset lives: ``root`` holds ``data/`` and ``seeds/``."""

    root: Path
    data: Path
    seeds: Path

    def shown(self, path: Path) -> str:
        """A path as messages print it: relative to the dataset root."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def bundled_root() -> DataRoot:
    """The dataset shipped with powcount: inside the wheel, or the source checkout."""
    here = Path(__file__).resolve().parent.parent
    for root in (here / "_bundled", here.parents[1]):
        if (root / "data" / "sources.yaml").is_file() and (root / "seeds").is_dir():
            return DataRoot(root, root / "data", root / "seeds")
    raise UsageProblem(
        "the bundled dataset is missing from this installation: reinstall powcount "
        f"or point --data (or {DATA_ENV}) at a dataset"
    )


def locate_data(option: str | None) -> DataRoot:
    """Resolve ``--data``/POWCOUNT_DATA: a project folder or its ``data/`` folder."""
    given = option or os.environ.get(DATA_ENV) or None
    if not given:
        return bundled_root()
    path = Path(given).expanduser()
    if (path / "data").is_dir():
        return DataRoot(path, path / "data", path / "seeds")
    if (path / "sources.yaml").is_file() or (path / "vocabulary.yaml").is_file():
        return DataRoot(path.parent, path, path.parent / "seeds")
    raise UsageProblem(
        f"--data {given}: no dataset there: give a folder holding data/ and seeds/, "
        "or the data/ folder itself"
    )


@dataclass
class Catalog:
    """A validated dataset."""

    root: DataRoot
    vocabulary: VocabularyFile
    settings: Settings
    sources: dict[str, Source]
    documents: dict[str, Document]
    figures: pd.DataFrame
    extras: dict[str, Any] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    #: The curation ledger: source id -> the numbers its figures file dismisses.
    not_figures: dict[str, list[Dismissal]] = field(default_factory=dict)
    index: FigureIndex | None = field(default=None, repr=False, compare=False)

    def figure_index(self) -> FigureIndex:
        """The sort keys of ``figures`` (made at load; made again if the frame was replaced)."""
        if self.index is None or self.index.figures is not self.figures:
            self.index = FigureIndex(self.figures)
        return self.index

    def source_figure_counts(self) -> dict[str, int]:
        counts = self.figures.groupby("source").size()
        return {sid: int(counts.get(sid, 0)) for sid in self.sources}


_Model = TypeVar("_Model", bound=BaseModel)


class _Collector:
    def __init__(self, root: DataRoot):
        self.root = root
        self.problems: list[Problem] = []
        # Sources listed in sources.yaml that failed to load: their figure files are
        # not "unknown sources", they wait for the source entry to be fixed.
        self.failed_sources: set[str] = set()
        self.sources_unreadable = False
        self.not_figures: dict[str, list[Dismissal]] = {}

    def add(self, path: Path | str, line: int | None, subject: str, message: str,
            kind: ProblemKind = kinds.INVALID) -> None:
        shown = path if isinstance(path, str) else self.root.shown(path)
        self.problems.append(Problem(shown, line, subject, message, kind.slug))

    def problem(self, path: Path | str, line: int | None, subject: str, kind: ProblemKind,
                **fields: object) -> None:
        self.add(path, line, subject, kind.message(**fields), kind)

    def validated(self, model: type[_Model], path: Path, item: Any, subject: str, where: str,
                  item_line: int | None) -> _Model | None:
        """An entry of a data file as its model, or None once its problems are collected."""
        try:
            return model.model_validate(to_plain(item))
        except ValidationError as error:
            for line, subj, message, kind in validation_problems(error, item, subject, where,
                                                                 item_line):
                self.add(path, line, subj, message, kind)
            return None

    def read(self, path: Path) -> Any:
        try:
            node = read_yaml(path, self.root.shown(path))
        except YamlProblem as error:
            self.problems.append(error.problem)
            return None
        if node is None:
            # 'null', '~' or a bare '---': valid YAML, but no data, and callers take
            # None to mean "already reported".
            self.add(path, 1, "", "file holds no data (only null): add its content or delete it",
                     kinds.FILE_EMPTY)
        return node


def validation_problems(
    error: ValidationError, node: Any, subject: str, where: str, fallback_line: int | None
) -> list[tuple[int | None, str, str, ProblemKind]]:
    """pydantic errors -> (line, subject, 'what: how to fix', kind) for one record."""
    found = []
    errors = error.errors()
    missing = {str(item["loc"][0]) for item in errors
               if item["type"] == "missing" and len(item["loc"]) == 1}
    # A misspelt key ("qoute") is one mistake, not an unknown key plus a missing
    # field: name the rename once and drop the missing-field line it explains.
    renamed = set()
    for item in errors:
        loc = item["loc"]
        if item["type"] == "extra_forbidden" and len(loc) == 1:
            close = suggest(str(loc[0]), sorted(missing)).partition("'")[2].rpartition("'")[0]
            if close:
                renamed.add(close)
    for item in errors:
        loc = item["loc"]
        key = loc[0] if loc else None
        line = line_of(node, key, fallback_line) if isinstance(key, str) else fallback_line
        name = ".".join(str(p) for p in loc) or "value"
        if item["type"] == "extra_forbidden":
            hint = suggest(str(key), where_fields(where)) if len(loc) == 1 else ""
            target = hint.partition("'")[2].rpartition("'")[0]
            fix = f"rename it to '{target}'" if target in renamed else "remove or rename it"
            kind, message = kinds.UNKNOWN_KEY, kinds.UNKNOWN_KEY.message(key=name, hint=hint,
                                                                          fix=fix)
        elif item["type"] == "missing" and len(loc) == 1 and str(key) in renamed:
            continue
        elif item["type"] == "missing":
            kind, message = kinds.MISSING_FIELD, kinds.MISSING_FIELD.message(field=name)
        else:
            kind, message = kinds.INVALID_FIELD, describe_field_error(dict(item))
        found.append((line, subject, message, kind))
    return found


_FIELD_SETS: dict[str, type[BaseModel]] = {"figure": Figure, "source": Source, "check": Check}


def where_fields(where: str) -> list[str]:
    model = _FIELD_SETS.get(where)
    return list(model.model_fields) if model else []


def load_vocabulary(root: DataRoot) -> VocabularyFile:
    """The vocabulary alone, checked as load_catalog checks it (a DataError with every
    problem): for extract, which needs nothing else of the dataset."""
    collect = _Collector(root)
    vocabulary = _load_vocabulary(root, collect)
    if vocabulary is None or collect.problems:
        raise DataError(collect.problems)
    return vocabulary


def source_entries(root: DataRoot) -> list[dict[str, Any]]:
    """The entries of sources.yaml as written, unchecked; none when the file is missing
    or does not parse: extract names its source from them while the dataset is mid-edit."""
    path = root.data / "sources.yaml"
    if not path.is_file():
        return []
    try:
        node = read_yaml(path, root.shown(path))
    except YamlProblem:
        return []
    if not isinstance(node, dict) or not isinstance(node.get("sources"), list):
        return []
    return [dict(item) for item in node["sources"] if isinstance(item, dict)]


def load_catalog(root: DataRoot) -> Catalog:
    """Load and validate everything; raise DataError listing every problem."""
    collect = _Collector(root)
    if not root.data.is_dir():
        raise DataError([Problem(root.shown(root.data), None, "", "no data folder here")])
    _misnamed_files(root, collect)
    vocabulary = _load_vocabulary(root, collect)
    settings = _load_settings(root, collect)
    sources, documents = _load_sources(root, collect, vocabulary)
    figures = _load_figures(root, collect, vocabulary, settings, sources, documents)
    checks = _load_checks(root, collect, vocabulary)
    if collect.problems:
        raise DataError(collect.problems)
    assert vocabulary is not None
    # The sort keys are made here, once, and kept in the catalog cache, so that no
    # command reading this catalog factorizes its text columns again.
    index = FigureIndex(figures)
    return Catalog(root, vocabulary, settings, sources, documents, figures, checks=checks,
                   not_figures=collect.not_figures, index=index)


def _load_vocabulary(root: DataRoot, collect: _Collector) -> VocabularyFile | None:
    path = root.data / "vocabulary.yaml"
    if not path.is_file():
        collect.add(path, None, "", "missing: the vocabulary of conflicts, nations and "
                    "quantities is required")
        return None
    node = collect.read(path)
    if node is None:
        return None
    try:
        vocabulary = VocabularyFile.model_validate(to_plain(node))
    except ValidationError as error:
        for item in error.errors():
            loc = item["loc"]
            line = _deep_line(node, loc)
            name = ".".join(str(p) for p in loc)
            if item["type"] == "extra_forbidden":
                collect.problem(path, line, "vocabulary", kinds.UNKNOWN_KEY, key=name, hint="",
                                fix="remove or rename it")
            elif item["type"] == "missing":
                collect.problem(path, line, "vocabulary", kinds.MISSING_FIELD, field=name)
            else:
                collect.add(path, line, "vocabulary", describe_field_error(dict(item)),
                            kinds.INVALID_FIELD)
        return None
    for code, quantity in vocabulary.quantities.items():
        qnode = node.get("quantities", {}).get(code)
        if quantity.unit not in vocabulary.units:
            hint = suggest(quantity.unit, vocabulary.units)
            collect.add(path, line_of(qnode, "unit"), f"quantity '{code}'",
                        f"unknown unit '{quantity.unit}'{hint}: add it under units or fix "
                        "the code")
        if quantity.rate_target and quantity.rate_target not in vocabulary.quantities:
            collect.add(path, line_of(qnode, "rate_target"), f"quantity '{code}'",
                        f"unknown rate_target '{quantity.rate_target}': name a quantity")
    if "all" in vocabulary.conflicts:
        collect.add(path, line_of(node.get("conflicts"), "all"), "conflict 'all'",
                    "'all' is reserved for every conflict: choose another code")
    return vocabulary


#: The files of a data folder, each read under its ``.yaml`` name only.
DATA_FILES = ("vocabulary", "settings", "sources", "checks")


def _misnamed_files(root: DataRoot, collect: _Collector) -> None:
    """``.yml`` files powcount would not read: said, never silently skipped."""
    for name in DATA_FILES:
        misnamed = root.data / f"{name}.yml"
        if misnamed.exists():
            collect.add(misnamed, None, "", f"powcount reads data/{name}.yaml only: rename "
                        f"this file to {name}.yaml")


def _deep_line(node: Any, loc: tuple[Any, ...]) -> int | None:
    line = line_of(node)
    current = node
    for part in loc:
        try:
            next_line = line_of(current, part, line)
            current = current[part]
            line = next_line
        except (KeyError, IndexError, TypeError):
            break
    return line


def _load_settings(root: DataRoot, collect: _Collector) -> Settings:
    path = root.data / "settings.yaml"
    if not path.is_file():
        collect.add(path, None, "", "missing: the tolerances are required: create it with "
                    "'approximate_tolerance: 0.10' and 'check_tolerance: 0.05' (or your own)")
        return Settings()
    node = collect.read(path)
    if node is None:
        return Settings()
    try:
        return Settings.model_validate(to_plain(node))
    except ValidationError as error:
        for line, subject, message, kind in validation_problems(error, node, "settings", "", 1):
            collect.add(path, line, subject, message, kind)
        return Settings()


def _load_sources(
    root: DataRoot, collect: _Collector, vocabulary: VocabularyFile | None = None
) -> tuple[dict[str, Source], dict[str, Document]]:
    path = root.data / "sources.yaml"
    sources: dict[str, Source] = {}
    documents: dict[str, Document] = {}
    if not path.exists():
        collect.sources_unreadable = True
        collect.add(path, None, "", "missing: list the documents in sources.yaml")
        return sources, documents
    node = collect.read(path)
    if node is None:
        collect.sources_unreadable = True
        return sources, documents
    if not isinstance(node, dict) or not isinstance(node.get("sources"), list):
        collect.sources_unreadable = True
        collect.add(path, line_of(node, default=1), "", "expected a mapping with a "
                    "'sources' list: begin the file with 'sources:' and list each document "
                    "under it as '- id: ...' (see 'The dataset' in the README)", kinds.WRONG_SHAPE)
        return sources, documents
    unknown = [k for k in node if k != "sources"]
    for key in unknown:
        collect.problem(path, line_of(node, key), "", kinds.UNKNOWN_KEY, key=key, hint="",
                        fix="remove it")
    seeds_resolved = root.seeds.resolve()
    for index, item in enumerate(node["sources"]):
        item_line, subject = _entry(node["sources"], index, "source", "id")
        sid = item.get("id") if isinstance(item, dict) else None
        if not isinstance(item, dict):
            collect.sources_unreadable = True
            collect.problem(path, item_line, subject, kinds.WRONG_SHAPE, expected=(
                f"the source's fields, found {_kind_of(item)}: write one 'key: value' line per "
                "field"))
            continue
        if isinstance(sid, str):
            # Until the entry loads, its figures wait for it (see _load_figure_yaml).
            collect.failed_sources.add(sid)
        else:
            collect.sources_unreadable = True
        source = collect.validated(Source, path, item, subject, "source", item_line)
        if source is None:
            continue
        if source.id in sources:
            collect.problem(path, line_of(item, "id", item_line), subject, kinds.DUPLICATE_SOURCE)
            continue
        if vocabulary is not None:
            for key, table in (("originator", vocabulary.originators),
                               ("basis", vocabulary.bases)):
                code = getattr(source, key)
                if code is not None and code not in table:
                    collect.add(path, line_of(item, key, item_line), subject,
                                f"unknown {key} '{code}'{suggest(code, table)}: use a code "
                                f"from the {TABLES[key]} of data/vocabulary.yaml or add it there")
        for key in ("published", "retrieved"):
            date = getattr(source, key)
            if date is not None:
                try:
                    period_bounds(date)
                except PeriodError as error:
                    collect.add(path, line_of(item, key, item_line), subject,
                                f"field '{key}': {error}", kinds.INVALID_FIELD)
        file_line = line_of(item, "file", item_line)
        document_path = root.seeds / source.file
        if Path(source.file).is_absolute() or ".." in Path(source.file).parts:
            collect.problem(path, file_line, subject, kinds.OUTSIDE_SEEDS, file=source.file,
                            detail="is outside seeds/: give a path relative to seeds/")
            continue
        resolved = document_path.resolve()
        if not resolved.is_relative_to(seeds_resolved):
            collect.problem(path, file_line, subject, kinds.OUTSIDE_SEEDS, file=source.file,
                            detail="resolves outside seeds/ (a symlink?): copy the document "
                            "into seeds/")
            continue
        if not resolved.exists():
            collect.problem(path, file_line, subject, kinds.DOCUMENT_MISSING, file=source.file)
            continue
        try:
            document = Document.read(resolved, source.file)
        except DocumentError as error:
            collect.problem(path, file_line, subject, kinds.DOCUMENT_UNREADABLE,
                            file=source.file, reason=error)
            continue
        if document.sha256 != source.sha256:
            collect.problem(path, line_of(item, "sha256", item_line), subject,
                            kinds.DOCUMENT_CHANGED, file=source.file, found=document.sha256,
                            recorded=source.sha256)
        sources[source.id] = source
        documents[source.id] = document
        collect.failed_sources.discard(source.id)
    return sources, documents


def _entry(entries: Any, index: int, noun: str, key: str) -> tuple[int | None, str]:
    """The line of a list's entry and how messages name it: by its key, else its place."""
    item = entries[index]
    name = item.get(key) if isinstance(item, dict) else None
    subject = f"{noun} '{name}'" if isinstance(name, str) else f"{noun} #{index + 1}"
    return line_of(entries, index, 1), subject


def _kind_of(value: Any) -> str:
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, list):
        return "a list"
    return "nothing" if value is None else f"the value {value}"


def _figure_files(figures_dir: Path) -> list[Path]:
    if not figures_dir.is_dir():
        return []
    return sorted(p for p in figures_dir.iterdir() if not p.name.startswith("."))


def _load_figures(
    root: DataRoot,
    collect: _Collector,
    vocabulary: VocabularyFile | None,
    settings: Settings,
    sources: dict[str, Source],
    documents: dict[str, Document],
) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    tolerance = Fraction(str(settings.approximate_tolerance))
    figures_dir = root.data / "figures"
    if not figures_dir.is_dir():
        collect.add(figures_dir, None, "", "missing: add data/figures/<source-id>.yaml files")
    bulk_files: list[tuple[Path, str]] = []
    for path in _figure_files(figures_dir):
        if path.suffix == ".yaml":
            file_rows = _load_figure_yaml(root, collect, path, vocabulary, sources,
                                          documents, tolerance)
        elif path.suffix in (".csv", ".parquet") and not path.is_dir():
            # Bulk files are validated together, column-wise (powcount.catalog.bulk).
            bulk_files.append((path, root.shown(path)))
            continue
        elif path.is_dir():
            collect.add(path, None, "", "folders are not read here: keep figure files "
                        "directly under data/figures/")
            continue
        elif path.suffix == ".yml":
            collect.add(path, None, "", f"powcount reads .yaml files only: rename this file "
                        f"to {path.stem}.yaml")
            continue
        else:
            collect.add(path, None, "", "unsupported file type: figure files are .yaml, "
                        ".csv or .parquet")
            continue
        for row in file_rows:
            if row["id"] in seen:
                collect.problem(path, row["data_line"], f"figure '{row['id']}'",
                                kinds.DUPLICATE_ID, first=seen[row["id"]])
                continue
            seen[row["id"]] = f"{root.shown(path)}:{row['data_line']}"
            rows.append(row)
    frame = figures_frame(rows)
    if bulk_files:
        from powcount.catalog.bulk import drop_duplicate_ids, load_bulk_figures

        bulk, problems = load_bulk_figures(bulk_files, vocabulary, sources, documents, tolerance)
        collect.problems.extend(problems)
        frame = bulk if frame.empty else pd.concat([frame, bulk], ignore_index=True)
        frame = drop_duplicate_ids(frame, collect.problems)
    return frame


def _load_figure_yaml(
    root: DataRoot,
    collect: _Collector,
    path: Path,
    vocabulary: VocabularyFile | None,
    sources: dict[str, Source],
    documents: dict[str, Document],
    tolerance: Fraction,
) -> list[dict[str, Any]]:
    node = collect.read(path)
    if node is None:
        return []
    if not isinstance(node, dict) or not isinstance(node.get("figures"), list):
        collect.add(path, line_of(node, default=1), "", "expected a mapping with 'source' and "
                    "a 'figures' list: begin the file with 'source: <source id>' and "
                    "'figures:', then list each figure as '- id: ...'", kinds.WRONG_SHAPE)
        return []
    for key in node:
        if key not in ("source", "figures", "not_figures"):
            collect.problem(path, line_of(node, key), "", kinds.UNKNOWN_KEY, key=key,
                            hint=suggest(str(key), ["source", "figures", "not_figures"]),
                            fix="remove or rename it")
    source_id = node.get("source")
    if source_id != path.stem:
        collect.problem(path, line_of(node, "source", 1), "", kinds.SOURCE_MISMATCH,
                        source=source_id, suffix=".yaml")
    if source_id not in sources:
        if (isinstance(source_id, str) and source_id == path.stem
                and not collect.sources_unreadable and source_id not in collect.failed_sources):
            collect.problem(path, line_of(node, "source", 1), "", kinds.UNKNOWN_SOURCE,
                            source=source_id, hint=suggest(str(source_id), sources),
                            fix="add it to data/sources.yaml")
        return []
    source = sources[source_id]
    document = documents[source_id]
    collect.not_figures[source_id] = _dismissals(collect, path, node)
    rows = []
    for index, item in enumerate(node["figures"]):
        item_line, subject = _entry(node["figures"], index, "figure", "id")
        if not isinstance(item, dict):
            collect.problem(path, item_line, subject, kinds.WRONG_SHAPE, expected=(
                f"the figure's fields, found {_kind_of(item)}: write one 'key: value' line per "
                "field"))
            continue
        figure = collect.validated(Figure, path, item, subject, "figure", item_line)
        if figure is None:
            continue
        row = _figure_row(collect, path, item, item_line, figure, source, document,
                          vocabulary, sources, tolerance)
        if row is not None:
            rows.append(row)
    return rows


def _dismissals(collect: _Collector, path: Path, file_node: Any) -> list[Dismissal]:
    """The ``not_figures`` list of a figures file, each entry checked."""
    node = file_node.get("not_figures")
    if node is None:
        return []
    if not isinstance(node, list):
        collect.add(path, line_of(file_node, "not_figures"), "not_figures", "expected a list "
                    "of entries, each with text, line and reason")
        return []
    found = []
    for index, item in enumerate(node):
        item_line = line_of(node, index, None)
        subject = f"not_figures #{index + 1}"
        if not isinstance(item, dict):
            collect.add(path, item_line, subject, "expected text, line and reason")
            continue
        try:
            entry = NotFigure.model_validate(to_plain(item))
        except ValidationError as error:
            for line, subj, message, kind in validation_problems(error, item, subject, "",
                                                                 item_line):
                collect.add(path, line, subj, message, kind)
            continue
        found.append(Dismissal(entry.text, entry.line, entry.reason.value, entry.note,
                               collect.root.shown(path), line_of(item, "text", item_line)))
    return found


def _figure_row(
    collect: _Collector,
    path: Path,
    item: Any,
    item_line: int | None,
    figure: Figure,
    source: Source,
    document: Document,
    vocabulary: VocabularyFile | None,
    sources: dict[str, Source],
    tolerance: Fraction,
) -> dict[str, Any] | None:
    from powcount.numbers import parse_phrase  # only when data is read, not from the cache

    subject = f"figure '{figure.id}'"
    before = len(collect.problems)

    def fail(key: str, message: str, kind: ProblemKind = kinds.INVALID) -> None:
        collect.add(path, line_of(item, key, item_line), subject, message, kind)

    unit = kind = ""
    if vocabulary is not None:
        for key, table in (("quantity", vocabulary.quantities), ("conflict", vocabulary.conflicts),
                           ("nation", vocabulary.nations)):
            code = getattr(figure, key)
            if code not in table:
                fail(key, kinds.UNKNOWN_CODE.message(field=key, code=code,
                                                     hint=suggest(code, table),
                                                     fix=kinds.USE_OR_ADD_CODE), kinds.UNKNOWN_CODE)
        quantity = vocabulary.quantities.get(figure.quantity)
        if quantity is not None:
            unit, kind = quantity.unit, quantity.kind.value
        if figure.basis is not None and figure.basis not in vocabulary.bases:
            unknown = kinds.UNKNOWN_CODE.message(field="basis", code=figure.basis,
                                                 hint=suggest(figure.basis, vocabulary.bases),
                                                 fix=kinds.USE_OR_ADD_BASIS)
            fail("basis", unknown, kinds.UNKNOWN_CODE)
    if figure.candidate:
        fail("candidate", kinds.CANDIDATE_UNREVIEWED.message(), kinds.CANDIDATE_UNREVIEWED)
    reading = None
    try:
        reading = parse_phrase(figure.value_text, tolerance)
    except PhraseError as error:
        if figure.override is None or figure.override.low is None or figure.override.best is None:
            fail("value_text", kinds.PHRASE_UNREADABLE.message(
                reason=error, fix="give an override with low, best, high and a reason"),
                kinds.PHRASE_UNREADABLE)
    low, best, high = (reading.low, reading.best, reading.high) if reading else (None, None, None)
    qualifier = reading.qualifier if reading else "judged"
    # The bounds the words state before any tolerance; a curator's override states its own.
    stated_low, stated_high = (reading.stated_low, reading.stated_high) if reading else (low, high)
    override = figure.override
    if override is not None:
        low = override.low if override.low is not None else low
        best = override.best if override.best is not None else best
        if override.open_high:
            high = None
        elif override.high is not None:
            high = override.high
        stated_low = override.low if override.low is not None else stated_low
        stated_high = None if override.open_high else (
            override.high if override.high is not None else stated_high)
        if reading is None:
            stated_low, stated_high = low, high
        if low is not None and best is not None and not (
            low <= best and (high is None or best <= high)
        ):
            fail("override", f"override gives low {low}, best {best}, high "
                 f"{'open' if high is None else high}: need low <= best <= high")
    if normalise(figure.value_text) not in normalise(figure.quote):
        fail("value_text", kinds.VALUE_NOT_IN_QUOTE.message(value_text=figure.value_text),
             kinds.VALUE_NOT_IN_QUOTE)
    place = document.locate_value(figure.quote, figure.value_text)
    if place is None:
        fail("quote", kinds.QUOTE_NOT_FOUND.message(document=source.file), kinds.QUOTE_NOT_FOUND)
    if len(collect.problems) > before or place is None:
        return None
    start, end = period_bounds(figure.as_of)
    claimant = claimant_of(figure.attributed_to, sources) if figure.attributed_to else source.id
    return {
        "id": figure.id,
        "source": source.id,
        "document": source.file,
        "line": place[0],
        "column": place[1],
        "conflict": figure.conflict,
        "nation": figure.nation,
        "quantity": figure.quantity,
        "unit": unit,
        "kind": kind,
        "qualifier": qualifier,
        "value_text": figure.value_text,
        "low": low,
        "best": best,
        "high": high,
        "as_of": figure.as_of,
        "attributed_to": figure.attributed_to,
        "credibility": figure.credibility,
        "quote": figure.quote,
        "note": figure.note,
        "override_reason": override.reason if override else None,
        "basis": figure.basis,
        "credibility_reason": figure.credibility_reason,
        "claimant": claimant,
        "as_of_start": start,
        "as_of_end": end,
        "candidate": figure.candidate,
        "data_file": collect.root.shown(path),
        "data_line": line_of(item, "id", item_line),
        "stated_low": stated_low,
        "stated_high": stated_high,
    }


def _load_checks(
    root: DataRoot, collect: _Collector, vocabulary: VocabularyFile | None
) -> list[Check]:
    """``data/checks.yaml``: validated like the other files, codes resolved."""
    path = root.data / "checks.yaml"
    if not path.is_file():
        collect.add(path, None, "", "missing: list the accounting checks, or write "
                    "'checks: []' when the dataset has none")
        return []
    node = collect.read(path)
    if node is None:
        return []
    if not isinstance(node, dict) or not isinstance(node.get("checks"), list):
        collect.add(path, line_of(node, default=1), "", "expected a mapping with a 'checks' "
                    "list: see the README's reconciliation section", kinds.WRONG_SHAPE)
        return []
    for key in node:
        if key != "checks":
            collect.problem(path, line_of(node, key), "", kinds.UNKNOWN_KEY, key=key, hint="",
                            fix="remove it")
    checks: list[Check] = []
    names: set[str] = set()
    for index, item in enumerate(node["checks"]):
        item_line, subject = _entry(node["checks"], index, "check", "name")
        if not isinstance(item, dict):
            collect.problem(path, item_line, subject, kinds.WRONG_SHAPE,
                            expected="a mapping of check fields")
            continue
        check = collect.validated(Check, path, item, subject, "check", item_line)
        if check is None:
            continue
        before = len(collect.problems)
        if check.name in names:
            collect.add(path, line_of(item, "name", item_line), subject,
                        "duplicate check name: give each check its own name")
        names.add(check.name)
        if vocabulary is not None:
            _check_codes(collect, path, item, item_line, subject, check, vocabulary)
        if len(collect.problems) == before:
            checks.append(check)
    return checks


def _check_codes(
    collect: _Collector, path: Path, item: Any, item_line: int | None, subject: str,
    check: Check, vocabulary: VocabularyFile,
) -> None:
    for key, table in (("conflict", vocabulary.conflicts), ("nation", vocabulary.nations)):
        code = getattr(check, key)
        if code is not None and code not in table:
            collect.problem(path, line_of(item, key, item_line), subject, kinds.UNKNOWN_CODE,
                            field=key, code=code, hint=suggest(code, table), fix=kinds.USE_CODE)
    units: dict[str, str] = {}
    for side in ("left", "right"):
        for position, term in enumerate(getattr(check, side)):
            # 'quantity@scope' takes the term from another conflict or scope.
            code, _, scope = term.removeprefix("-").partition("@")
            line = line_of(item.get(side), position, line_of(item, side, item_line))
            if scope and scope not in vocabulary.conflicts:
                collect.problem(path, line, subject, kinds.UNKNOWN_CODE, field="conflict",
                                code=scope, hint=suggest(scope, vocabulary.conflicts),
                                fix=kinds.USE_CODE)
            quantity = vocabulary.quantities.get(code)
            if quantity is None:
                collect.problem(path, line, subject, kinds.UNKNOWN_CODE, field="quantity",
                                code=code, hint=suggest(code, vocabulary.quantities),
                                fix=kinds.USE_CODE)
                continue
            units.setdefault(quantity.unit, code)
            if side == "right" and term.startswith("-"):
                collect.add(path, line, subject, f"right term '{term}' is subtracted: move it "
                            "to the left side with its sign flipped")
    if len(units) > 1:
        shown = ", ".join(f"{code} in {unit}" for unit, code in sorted(units.items()))
        collect.add(path, line_of(item, "left", item_line), subject,
                    f"terms in different units ({shown}): a check compares one unit only")
