"""Figures in bulk: CSV and Parquet files in ``data/figures/``, validated column-wise.

A YAML figures file is validated figure by figure through the pydantic models. A bulk
file holds the same columns (id, quantity, conflict, nation, value_text, quote, as_of,
attributed_to, credibility, credibility_reason, basis, note; the source is the file
name, or a ``source`` column that must match it) for up to millions of figures, so it
is validated a column at a time with vectorised pandas and pyarrow operations: each
distinct number phrase and date is read once, and each document's quotes are found
through its index in one pass.
Problems read like the YAML ones, placed at the CSV line (``row N`` for Parquet):

    data/figures/x.csv:12: figure 'x-1': field 'quote': quote not found in ...: copy ...
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from powcount.catalog import problems as kinds
from powcount.catalog.frame import FIGURE_COLUMNS, INTERNAL_COLUMNS, figures_frame
from powcount.catalog.rules import ID_PATTERN, MAX_TEXT, bare_number, claimant
from powcount.documents import Document
from powcount.errors import PhraseError, Problem, ProblemKind
from powcount.models import Source, VocabularyFile, suggest
from powcount.numbers import Reading, parse_phrase
from powcount.periods import PeriodError, period_bounds

BULK_SUFFIXES = (".csv", ".parquet")
REQUIRED_COLUMNS = (
    "id", "quantity", "conflict", "nation", "value_text", "quote", "as_of", "credibility",
)  # fmt: skip
OPTIONAL_COLUMNS = ("attributed_to", "note", "source", "basis", "credibility_reason")
BULK_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

#: A bulk file is one source's figures; beyond this it is not, and reading it whole
#: would take the machine's memory (the same limit as a document's).
MAX_BULK_BYTES = 512 * 1024 * 1024

_DATE_HINT = "write a year (1951), a month (2015-10), a day (2018-07-28) or a period (1990/1994)"


class RowProblem(Problem):
    """A problem in a Parquet file, placed by its 1-based row (``path:row N``)."""

    def __str__(self) -> str:
        place = self.path if self.line is None else f"{self.path}:row {self.line}"
        if self.subject:
            return f"{place}: {self.subject}: {self.message}"
        return f"{place}: {self.message}"


def place_problem(path: str, line: int | None, subject: str, message: str,
                  kind: ProblemKind = kinds.INVALID) -> Problem:
    """A Problem for a figures file: by line, or by row for Parquet."""
    placed = RowProblem if path.endswith(".parquet") else Problem
    return placed(path, line, subject, message, kind.slug)


def shown_place(path: str, line: int) -> str:
    return f"{path}:row {line}" if path.endswith(".parquet") else f"{path}:{line}"


@dataclass
class _Part:
    """One bulk file read as text columns, with the line (CSV) or row (Parquet) of each."""

    path: Path
    shown: str
    table: pa.Table
    lines: np.ndarray


class _Problems:
    def __init__(self) -> None:
        self.items: list[Problem] = []

    def file(self, shown: str, line: int | None, kind: ProblemKind, **fields: object) -> None:
        self.items.append(place_problem(shown, line, "", kind.message(**fields), kind))


def load_bulk_figures(
    files: list[tuple[Path, str]],
    vocabulary: VocabularyFile | None,
    sources: Mapping[str, Source],
    documents: Mapping[str, Document],
    tolerance: Fraction,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and validate bulk figure files (path, path as shown): the frame and problems.

    The frame has the catalog's columns (FIGURE_COLUMNS + INTERNAL_COLUMNS) and holds
    only the figures without problems, like the YAML loader.
    """
    problems = _Problems()
    parts = []
    for path, shown in files:
        part = _read_part(path, shown, problems)
        if part is None:
            continue
        source_id = path.stem
        if source_id not in sources:
            problems.file(shown, None, kinds.UNKNOWN_SOURCE, source=source_id,
                          hint=suggest(source_id, dict(sources)),
                          fix="add it to data/sources.yaml or name the file after a source id")
            continue
        parts.append(part)
    if not parts:
        return figures_frame([]), problems.items
    return _Validator(parts, vocabulary, sources, documents, tolerance, problems).run()


# --- reading -----------------------------------------------------------------------------


def _read_part(path: Path, shown: str, problems: _Problems) -> _Part | None:
    if path.suffix == ".parquet":
        return _read_parquet(path, shown, problems)
    return _read_csv(path, shown, problems)


def _columns_ok(names: list[str], shown: str, header_line: int | None,
                problems: _Problems) -> bool:
    before = len(problems.items)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            problems.file(shown, header_line, kinds.TABLE_UNREADABLE,
                          detail=f"column '{name}' appears twice: keep one")
        elif name not in BULK_COLUMNS:
            problems.file(shown, header_line, kinds.UNKNOWN_COLUMN, column=name,
                          hint=suggest(name, list(BULK_COLUMNS)))
        seen.add(name)
    missing = [name for name in REQUIRED_COLUMNS if name not in seen]
    if missing:
        problems.file(shown, header_line, kinds.TABLE_UNREADABLE, detail="missing column"
                      + ("s " if len(missing) > 1 else " ")
                      + ", ".join(f"'{m}'" for m in missing) + ": add "
                      + ("them" if len(missing) > 1 else "it") + " (the columns are "
                      + ", ".join(BULK_COLUMNS) + ")")
    return len(problems.items) == before


def _read_bounded(path: Path, shown: str, problems: _Problems) -> bytes | None:
    from powcount.safe_read import FileRefused, read_bounded

    try:
        return read_bounded(path, MAX_BULK_BYTES)
    except FileRefused as error:
        problems.file(shown, None, kinds.FILE_REFUSED, detail=str(error))
    except OSError as error:
        problems.file(shown, None, kinds.FILE_UNREADABLE, reason=error.strerror)
    return None


def _read_csv(path: Path, shown: str, problems: _Problems) -> _Part | None:
    import pyarrow.csv as pcsv

    raw = _read_bounded(path, shown, problems)
    if raw is None:
        return None
    if not raw.strip():
        problems.file(shown, None, kinds.FILE_EMPTY,
                      fix="add a header row and figures, or delete it")
        return None
    if b"\x00" in raw[:8192]:
        problems.file(shown, None, kinds.BINARY_FILE, format="CSV", fix="save it as UTF-8 CSV")
        return None
    first_line = raw.split(b"\n", 1)[0].decode("utf-8-sig", "replace")
    names = next(csv.reader([first_line]), [])
    names = [name.strip() for name in names]
    if not _columns_ok(names, shown, 1, problems):
        return None
    try:
        table = pcsv.read_csv(
            pa.BufferReader(raw),
            parse_options=pcsv.ParseOptions(newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=False, quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as error:
        problems.items.append(_csv_error(raw, shown, len(names), str(error)))
        return None
    table = table.rename_columns(names)
    return _Part(path, shown, table, _csv_lines(raw, table))


def _csv_error(raw: bytes, shown: str, width: int, arrow_message: str) -> Problem:
    """A CSV that pyarrow refuses: find the line with Python's csv module, to name it."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return kinds.NOT_UTF8.at(shown, line, byte=raw[error.start])
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for row in reader:
            if row and len(row) != width:
                return kinds.TABLE_UNREADABLE.at(shown, start, detail=(
                    f"{len(row)} fields where the header has {width}: quote values that "
                    "contain commas (\"...\") or fix the row"))
            start = reader.line_num + 1
    except csv.Error as error:
        return kinds.TABLE_UNREADABLE.at(shown, reader.line_num,
                                   detail=f"CSV syntax error: {error}: fix the quoting")
    first = arrow_message.strip().splitlines()[0] if arrow_message.strip() else "unreadable"
    return kinds.TABLE_UNREADABLE.at(shown, None, detail=(
        f"cannot read as CSV ({first}): save it as UTF-8 CSV with a header row"))


def _csv_lines(raw: bytes, table: pa.Table) -> np.ndarray:
    """The line each record starts on (header is line 1).

    Records are one line each plus the line breaks inside their quoted values; when the
    line breaks of the file add up to exactly that, the lines follow arithmetically.
    Otherwise (blank lines, old Mac line ends) Python's csv module counts them.
    """
    import pyarrow.compute as pc

    rows = table.num_rows
    inside = np.zeros(rows, dtype=np.int64)
    if b'"' in raw:
        for column in table.columns:
            counts = pc.count_substring(column, "\n").to_numpy(zero_copy_only=False)
            inside += np.nan_to_num(counts, nan=0).astype(np.int64)
    header_end = raw.find(b"\n")
    expected = 1 + rows + int(inside.sum()) - (0 if raw.endswith(b"\n") else 1)
    if header_end >= 0 and raw.count(b"\n") == expected:
        starts = np.arange(2, rows + 2, dtype=np.int64)
        starts[1:] += np.cumsum(inside)[:-1]
        return starts
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    next(reader, None)
    lines, previous = [], reader.line_num
    for row in reader:
        if row:
            lines.append(previous + 1)
        previous = reader.line_num
    if len(lines) != rows:  # pragma: no cover - pyarrow and csv disagree on the records
        return np.arange(2, rows + 2, dtype=np.int64)
    return np.asarray(lines, dtype=np.int64)


def _read_parquet(path: Path, shown: str, problems: _Problems) -> _Part | None:
    import pyarrow.parquet as pq

    raw = _read_bounded(path, shown, problems)
    if raw is None:
        return None
    try:
        table = pq.read_table(pa.BufferReader(raw))
    except (pa.ArrowException, OSError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else "unreadable"
        # The bytes were read by read_bounded; pyarrow's name for them says nothing.
        first = first.replace("Could not open Parquet input source '<Buffer>': ", "")
        problems.file(shown, None, kinds.TABLE_UNREADABLE, detail=(
            f"cannot read as Parquet ({first}): write it with pandas.DataFrame.to_parquet or "
            "pyarrow"))
        return None
    names = list(table.column_names)
    if not _columns_ok(names, shown, None, problems):
        return None
    columns = []
    for name in names:
        column = table.column(name)
        kind = column.type
        if pa.types.is_dictionary(kind):
            kind = kind.value_type
        text = (pa.types.is_string(kind) or pa.types.is_large_string(kind)
                or pa.types.is_null(kind) or getattr(pa.types, "is_string_view", bool)(kind))
        if not text and not (name == "credibility" and pa.types.is_integer(kind)):
            problems.file(shown, None, kinds.TABLE_UNREADABLE, detail=(
                f"column '{name}' holds {column.type} values: store it as text (string)"
                + (" or integers" if name == "credibility" else "")))
            continue
        columns.append(column.cast(pa.string()))
    if len(columns) != len(names):
        return None
    table = pa.table(columns, names=names)
    return _Part(path, shown, table, np.arange(1, table.num_rows + 1, dtype=np.int64))


# --- validating --------------------------------------------------------------------------


def _needs_normalising(column: pa.ChunkedArray) -> np.ndarray:
    """Quotes that whitespace normalisation would change (most are already normal)."""
    import pyarrow.compute as pc

    odd_space = pc.match_substring_regex(column, r"[\t\n\x0b\f\r\x1c-\x1f]|  |^ | $")
    foreign = pc.invert(pc.string_is_ascii(column))
    unusual = pc.or_(odd_space, foreign).to_numpy(zero_copy_only=False)
    return np.asarray(pd.Series(unusual).fillna(False), dtype=bool)


def _normalise(text: str) -> str:
    # The same as documents.normalise (str.split splits on exactly what \s matches).
    return " ".join(text.split())


class _Validator:
    """Validates the rows of every bulk file at once, a column at a time."""

    def __init__(
        self,
        parts: list[_Part],
        vocabulary: VocabularyFile | None,
        sources: Mapping[str, Source],
        documents: Mapping[str, Document],
        tolerance: Fraction,
        problems: _Problems,
    ):
        self.parts = parts
        self.vocabulary = vocabulary
        self.sources = sources
        self.documents = documents
        self.tolerance = tolerance
        self.problems = problems
        tables = [_with_all_columns(part.table) for part in parts]
        self.table = pa.concat_tables(tables)
        self.frame = self.table.to_pandas()
        self.rows = len(self.frame)
        sizes = [part.table.num_rows for part in parts]
        self.part_of = np.repeat(np.arange(len(parts)), sizes)
        self.firsts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        self.lines = np.concatenate([part.lines for part in parts]) if parts else np.zeros(0)
        self.bad = np.zeros(self.rows, dtype=bool)
        self.ids = self.frame["id"].fillna("")

    # Every problem goes through here: the row's place and subject, like the YAML ones.
    def report(self, rows: np.ndarray, field: str, message: Callable[[int], str],
               kind: ProblemKind = kinds.INVALID_FIELD) -> None:
        for row in rows.tolist():
            part = self.parts[self.part_of[row]]
            fid = self.ids.iat[row]
            number = row - self.firsts[self.part_of[row]] + 1
            subject = f"figure '{fid}'" if fid else f"figure #{number}"
            self.problems.items.append(place_problem(
                part.shown, int(self.lines[row]), subject, f"field '{field}': {message(row)}",
                kind))
        self.bad[rows] = True

    def text(self, name: str) -> pd.Series:
        return self.frame[name]

    def present(self, name: str) -> np.ndarray:
        column = self.frame[name]
        return (column.notna() & (column != "")).to_numpy(dtype=bool)

    def run(self) -> tuple[pd.DataFrame, list[Problem]]:
        self.check_ids()
        codes = {key: self.check_code(key) for key in ("quantity", "conflict", "nation")}
        readings = self.read_phrases()
        periods = self.read_dates()
        credibility = self.read_credibility()
        self.check_basis()
        self.check_credibility_reason()
        self.check_source_column()
        lines, columns = self.locate_quotes(readings[0])
        frame = self.build(codes, readings, periods, credibility, lines, columns)
        return frame, self.problems.items

    def check_ids(self) -> None:
        present = self.present("id")
        self.report(np.flatnonzero(~present), "id", lambda _: "empty: give the figure an id "
                    "(lower-case letters, digits, '-' and '_')")
        valid = self.ids.str.fullmatch(ID_PATTERN).fillna(False).to_numpy(dtype=bool)
        self.report(np.flatnonzero(present & ~valid), "id", lambda row: (
            f"'{self.ids.iat[row]}' is not an id: use lower-case letters, digits, '-' and '_', "
            "starting with a letter or digit, at most 80 characters"))

    def check_code(self, key: str) -> pd.Series:
        column = self.text(key)
        present = self.present(key)
        self.report(np.flatnonzero(~present), key, lambda _: "empty: use a code from "
                    "data/vocabulary.yaml")
        if self.vocabulary is not None:
            tables: dict[str, dict[str, Any]] = {
                "quantity": dict(self.vocabulary.quantities),
                "conflict": dict(self.vocabulary.conflicts),
                "nation": dict(self.vocabulary.nations),
            }
            self.report_unknown(key, present, tables[key], kinds.USE_OR_ADD_CODE)
        return column

    def check_basis(self) -> None:
        """A figure's own counting basis: none (empty), or a basis of the vocabulary."""
        if self.vocabulary is not None:
            self.report_unknown("basis", self.present("basis"), dict(self.vocabulary.bases),
                                kinds.USE_OR_ADD_BASIS)

    def report_unknown(self, key: str, present: np.ndarray, table: dict[str, Any],
                       fix: str) -> None:
        """The rows whose code is given but not in ``table``, each with a did-you-mean."""
        column = self.text(key)
        known = column.isin(list(table)).to_numpy(dtype=bool)
        hints: dict[str, str] = {}

        def unknown(row: int) -> str:
            code = str(column.iat[row])
            if code not in hints:
                hints[code] = suggest(code, table)
            return kinds.UNKNOWN_CODE.message(field=key, code=code, hint=hints[code], fix=fix)

        self.report(np.flatnonzero(present & ~known), key, unknown, kinds.UNKNOWN_CODE)

    def check_credibility_reason(self) -> None:
        lengths = self.text("credibility_reason").str.len().fillna(0).to_numpy(dtype=np.int64)
        self.report(np.flatnonzero(lengths > MAX_TEXT), "credibility_reason", lambda row: (
            f"{lengths[row]:,} characters long: give the reason in at most {MAX_TEXT:,} "
            "characters"))

    def read_phrases(self) -> tuple[np.ndarray, list[Reading | None]]:
        """Each distinct value_text parsed once: (code of each row, reading of each code)."""
        column = self.text("value_text")
        codes, uniques = pd.factorize(column)
        readings: list[Reading | None] = []
        errors: dict[int, str] = {}
        for index, text in enumerate(uniques.tolist()):
            plain = bare_number(text) if text else None
            if plain is not None:
                readings.append(plain)
                continue
            try:
                readings.append(parse_phrase(text, self.tolerance) if text else None)
            except PhraseError as error:
                readings.append(None)
                errors[index] = str(error)
        empty = ~self.present("value_text")
        self.report(np.flatnonzero(empty), "value_text", lambda _: "empty: write the number "
                    "phrase exactly as the quote does")
        failed = np.isin(codes, np.fromiter(errors, dtype=np.int64, count=len(errors)))
        self.report(np.flatnonzero(failed & ~empty), "value_text", lambda row: (
            kinds.PHRASE_UNREADABLE.message(reason=errors[codes[row]], fix=(
                "move the figure to a YAML figures file and give it an override with low, "
                "best, high and a reason"))), kinds.PHRASE_UNREADABLE)
        return codes, readings

    def read_dates(self) -> tuple[np.ndarray, list[tuple[Any, Any] | None]]:
        column = self.text("as_of")
        codes, uniques = pd.factorize(column)
        bounds: list[tuple[Any, Any] | None] = []
        errors: dict[int, str] = {}
        for index, text in enumerate(uniques.tolist()):
            try:
                bounds.append(period_bounds(text) if text else None)
            except PeriodError as error:
                bounds.append(None)
                errors[index] = str(error)
        empty = ~self.present("as_of")
        self.report(np.flatnonzero(empty), "as_of", lambda _: f"empty: {_DATE_HINT}")
        failed = np.isin(codes, np.fromiter(errors, dtype=np.int64, count=len(errors)))
        self.report(np.flatnonzero(failed & ~empty), "as_of", lambda row: errors[codes[row]])
        return codes, bounds

    def read_credibility(self) -> np.ndarray:
        column = self.text("credibility")
        present = self.present("credibility")
        valid = column.str.fullmatch(r"\s*[1-6]\s*").fillna(False).to_numpy(dtype=bool)
        self.report(np.flatnonzero(~valid), "credibility", lambda row: (
            ("empty" if not present[row]
             else f"'{column.iat[row]}' is not a whole number from 1 to 6")
            + ": grade the information 1 (confirmed) to 6 (truth cannot be judged)"))
        values = np.zeros(self.rows, dtype=np.int64)
        values[valid] = column[valid].str.strip().astype("int64").to_numpy()
        return values

    def check_source_column(self) -> None:
        column = self.text("source")
        present = self.present("source")
        stems = np.array([part.path.stem for part in self.parts], dtype=object)[self.part_of]
        rows = np.flatnonzero(present & (column.fillna("").to_numpy(dtype=object) != stems))

        def mismatch(row: int) -> str:
            part = self.parts[self.part_of[row]]
            value = column.iat[row]
            return kinds.SOURCE_MISMATCH.message(source=value, suffix=part.path.suffix)

        self.report(rows, "source", mismatch, kinds.SOURCE_MISMATCH)

    def locate_quotes(self, value_codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each row's value_text in its quote, and each quote in its document, via its index.

        ``value_codes`` are the value_text codes of read_phrases (its factorize order).
        """
        lines = np.zeros(self.rows, dtype=np.int64)
        columns = np.zeros(self.rows, dtype=np.int64)
        checkable = self.present("quote") & self.present("value_text")
        quote_lengths = self.text("quote").str.len().fillna(0).to_numpy(dtype=np.int64)
        self.report(np.flatnonzero(~self.present("quote")), "quote", lambda _: "empty: copy "
                    "the words around the number verbatim from the document")
        self.report(np.flatnonzero(quote_lengths > MAX_TEXT), "quote", lambda row: (
            f"{quote_lengths[row]:,} characters long: quote at most {MAX_TEXT:,} characters "
            "around the number"))
        _, value_uniques = pd.factorize(self.text("value_text"))
        values = [_normalise(v) if isinstance(v, str) else "" for v in value_uniques.tolist()]
        quote_column = self.table.column("quote")
        unusual = _needs_normalising(quote_column)
        value_texts = self.text("value_text")
        inner = np.zeros(self.rows, dtype=np.int64)
        for index, part in enumerate(self.parts):
            first, count = int(self.firsts[index]), part.table.num_rows
            quotes = quote_column.slice(first, count).to_pylist()
            for at in np.flatnonzero(unusual[first : first + count]).tolist():
                quotes[at] = _normalise(quotes[at])
            # Where value_text stands inside its quote; -1 when it is not there.
            inner[first : first + count] = [
                quote.find(values[code]) if quote and code >= 0 else 0
                for quote, code in zip(quotes, value_codes[first : first + count].tolist(),
                                       strict=True)
            ]
            rows = np.flatnonzero(checkable[first : first + count]) + first
            self.report(rows[inner[rows] < 0], "value_text", lambda row: (
                kinds.VALUE_NOT_IN_QUOTE.message(value_text=value_texts.iat[row])),
                kinds.VALUE_NOT_IN_QUOTE)
            if not len(rows):
                continue
            source = self.sources[part.path.stem]
            document = self.documents[part.path.stem]
            offsets = np.asarray(document.find_normalised([quotes[r - first] for r in
                                                           rows.tolist()]), dtype=np.int64)
            missing = offsets < 0
            not_found = kinds.QUOTE_NOT_FOUND.message(document=source.file)
            self.report(rows[missing], "quote", _constant(not_found), kinds.QUOTE_NOT_FOUND)
            found = rows[~missing]
            places = offsets[~missing] + np.maximum(inner[found], 0)
            lines[found], columns[found] = document.line_columns(places)
        return lines, columns

    def build(
        self,
        codes: dict[str, pd.Series],
        readings: tuple[np.ndarray, list[Reading | None]],
        periods: tuple[np.ndarray, list[tuple[Any, Any] | None]],
        credibility: np.ndarray,
        lines: np.ndarray,
        columns: np.ndarray,
    ) -> pd.DataFrame:
        keep = np.flatnonzero(~self.bad)
        frame = self.frame.take(keep).reset_index(drop=True)
        part_of = self.part_of[keep]
        count = len(keep)

        def per_part(values: list[str]) -> pd.Series:
            return pd.Series(pd.array(values, dtype="str").take(part_of))

        def optional(name: str) -> pd.Series:
            column = frame[name]
            return column.where(column != "")

        out: dict[str, Any] = {}
        out["id"] = frame["id"]
        out["source"] = per_part([part.path.stem for part in self.parts])
        out["document"] = per_part([self.sources[part.path.stem].file for part in self.parts])
        out["line"] = pd.array(lines[keep], dtype="Int64")
        out["column"] = pd.array(columns[keep], dtype="Int64")
        for key in ("conflict", "nation", "quantity"):
            out[key] = frame[key]
        quantity_codes, quantity_uniques = pd.factorize(frame["quantity"])
        units, kinds = [], []
        for code in quantity_uniques.tolist():
            quantity = self.vocabulary.quantities.get(code) if self.vocabulary else None
            units.append(quantity.unit if quantity else "")
            kinds.append(quantity.kind.value if quantity else "")
        out["unit"] = pd.Series(pd.array(units, dtype="str").take(quantity_codes))
        out["kind"] = pd.Series(pd.array(kinds, dtype="str").take(quantity_codes))
        phrase_codes, phrase_readings = readings
        kept_codes = phrase_codes[keep]
        valid = [r if r is not None else Reading("exact", 0, 0, 0, 0, 0) for r in phrase_readings]
        out["qualifier"] = pd.Series(pd.array([r.qualifier for r in valid], dtype="str")
                                     .take(kept_codes))
        out["value_text"] = frame["value_text"]
        for name, attribute in (("low", "low"), ("best", "best"), ("high", "high")):
            out[name] = _integers([getattr(r, attribute) for r in valid], kept_codes)
        out["as_of"] = frame["as_of"]
        out["attributed_to"] = optional("attributed_to")
        out["credibility"] = pd.array(credibility[keep], dtype="Int64")
        out["quote"] = frame["quote"]
        out["note"] = optional("note")
        out["override_reason"] = _missing_text(count)
        out["basis"] = optional("basis")
        out["credibility_reason"] = optional("credibility_reason")
        out["claimant"] = self.claimants(out["attributed_to"], out["source"])
        period_codes, period_bounds_list = periods
        kept_periods = period_codes[keep]
        for index, name in enumerate(("as_of_start", "as_of_end")):
            days = np.array([np.datetime64(b[index], "s") if b else np.datetime64("NaT", "s")
                             for b in period_bounds_list], dtype="datetime64[s]")
            out[name] = days[kept_periods] if len(days) else np.zeros(0, dtype="datetime64[s]")
        out["candidate"] = np.zeros(count, dtype=bool)
        out["data_file"] = per_part([part.shown for part in self.parts])
        out["data_line"] = pd.array(self.lines[keep].astype(np.int64), dtype="Int64")
        out["stated_low"] = _integers([r.stated_low for r in valid], kept_codes)
        out["stated_high"] = _integers([r.stated_high for r in valid], kept_codes)
        wanted = FIGURE_COLUMNS + INTERNAL_COLUMNS
        for name in wanted:
            out.setdefault(name, _missing_text(count))
        return pd.DataFrame({name: out[name] for name in wanted})

    def claimants(self, attributed: pd.Series, source: pd.Series) -> pd.Series:
        """Who first stated each figure (rules.claimant), decided once per distinct name."""
        codes, uniques = pd.factorize(attributed)
        names = [claimant(name, self.sources) for name in uniques.tolist()]
        named = pd.Series(pd.array(names + [""], dtype="str").take(
            np.where(codes < 0, len(names), codes)))
        return named.where(codes >= 0, source)


def _constant(message: str) -> Callable[[int], str]:
    return lambda _: message


def _with_all_columns(table: pa.Table) -> pa.Table:
    rows = table.num_rows
    columns = [table.column(name) if name in table.column_names
               else pa.nulls(rows, pa.string()) for name in BULK_COLUMNS]
    return pa.table(columns, names=list(BULK_COLUMNS))


def _missing_text(count: int) -> pd.Series:
    return pd.Series(pd.array(pa.nulls(count, pa.string()), dtype="str"))


def _integers(values: list[int | None], codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    mask = np.array([v is None for v in values] + [True], dtype=bool)
    data = np.array([0 if v is None else v for v in values] + [0], dtype=np.int64)
    picked = np.where(codes < 0, len(values), codes)
    return pd.arrays.IntegerArray(data[picked], mask[picked])


def drop_duplicate_ids(frame: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    """Keep the first figure of each id (in file order, then line); report the others."""
    repeated = frame["id"].duplicated(keep=False).to_numpy(dtype=bool)
    if not repeated.any():
        return frame
    rows = frame.loc[repeated, ["id", "data_file", "data_line"]].copy()
    rows["order"] = np.flatnonzero(repeated)
    rows = rows.sort_values(["data_file", "data_line", "order"], kind="stable")
    first: dict[str, str] = {}
    drop = []
    for fid, data_file, data_line, order in rows.itertuples(index=False):
        if fid not in first:
            first[fid] = shown_place(data_file, int(data_line))
            continue
        problems.append(place_problem(data_file, int(data_line), f"figure '{fid}'",
                                      kinds.DUPLICATE_ID.message(first=first[fid]),
                                      kinds.DUPLICATE_ID))
        drop.append(order)
    return frame.drop(index=frame.index[drop]).reset_index(drop=True)
