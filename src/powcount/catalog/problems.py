"""The kinds of problem a dataset can have: each a stable slug, a title and a template.

Every reader of the dataset (the YAML loader, the bulk loader, the YAML reader) makes
its problems from these, so one kind reads the same wherever it is found and a
program can tell kinds apart by ``Problem.kind``. docs/errors.md lists them, generated
from ``KINDS`` (tools/readme_sync.py). A template names its fields in braces; a field
called ``fix`` or ``detail`` is a sentence the finding site chooses.
"""

from __future__ import annotations

from powcount.errors import ProblemKind

FILE_UNREADABLE = ProblemKind(
    "file-unreadable",
    "A file that cannot be read",
    "cannot read: {reason}",
)
FILE_REFUSED = ProblemKind(
    "file-refused",
    "A file that is not a regular file, or over its size limit",
    "{detail}",
)
FILE_EMPTY = ProblemKind(
    "file-empty",
    "A file with nothing in it",
    "file is empty: {fix}",
)
FILE_TOO_LARGE = ProblemKind(
    "file-too-large",
    "A data file over the size limit",
    "file is {size}, over the {limit:,}-byte limit for a data file: split it, or keep bulk figures "
    "in CSV or Parquet",
)
BINARY_FILE = ProblemKind(
    "binary-file",
    "A binary file where text is expected",
    "binary file, not {format} text: {fix}",
)
NOT_UTF8 = ProblemKind(
    "not-utf-8",
    "Text that is not UTF-8",
    "not UTF-8 (byte 0x{byte:02x}): save as UTF-8",
)
YAML_SYNTAX = ProblemKind(
    "yaml-syntax",
    "YAML that does not parse",
    "YAML syntax error: {detail}",
)
YAML_REFUSED = ProblemKind(
    "yaml-refused",
    "YAML a data file may not use (tabs, tags, anchors, aliases, deep nesting)",
    "{detail}",
)
DUPLICATE_KEY = ProblemKind(
    "duplicate-key",
    "A key written twice in one YAML mapping",
    "key '{key}' appears twice in one mapping: keep one of them",
)
TABLE_UNREADABLE = ProblemKind(
    "table-unreadable",
    "A CSV or Parquet file that cannot be read as figures: syntax, header or column types",
    "{detail}",
)
UNKNOWN_KEY = ProblemKind(
    "unknown-key",
    "A key the file format does not have",
    "unknown key '{key}'{hint}: {fix}",
)
UNKNOWN_COLUMN = ProblemKind(
    "unknown-column",
    "A column a bulk figures file does not have",
    "unknown column '{column}'{hint}: remove or rename it",
)
MISSING_FIELD = ProblemKind(
    "missing-field",
    "A required field left out",
    "missing field '{field}': add it",
)
INVALID_FIELD = ProblemKind(
    "invalid-field",
    "A field whose value has the wrong type or form",
    "{detail}",
)
UNKNOWN_CODE = ProblemKind(
    "unknown-code",
    "A code data/vocabulary.yaml does not define",
    "unknown {field} '{code}'{hint}: {fix}",
)
UNKNOWN_SOURCE = ProblemKind(
    "unknown-source",
    "A figures file of no listed source",
    "unknown source '{source}'{hint}: {fix}",
)
SOURCE_MISMATCH = ProblemKind(
    "source-mismatch",
    "A figures file whose source is not its name",
    "source '{source}' does not match the file name: name the file {source}{suffix} or fix "
    "'source'",
)
DUPLICATE_ID = ProblemKind(
    "duplicate-id",
    "A figure id used twice",
    "duplicate figure id (first in {first}): rename one",
)
DUPLICATE_SOURCE = ProblemKind(
    "duplicate-source",
    "A source id used twice",
    "duplicate source id: give each document its own id",
)
OUTSIDE_SEEDS = ProblemKind(
    "outside-seeds",
    "A source's file that is not inside seeds/",
    "file '{file}' {detail}",
)
DOCUMENT_MISSING = ProblemKind(
    "document-missing",
    "A source's document that is not in seeds/",
    "document seeds/{file} not found: copy it into seeds/ or fix the file name",
)
DOCUMENT_UNREADABLE = ProblemKind(
    "document-unreadable",
    "A source's document that cannot be read as text",
    "document seeds/{file}: {reason}",
)
DOCUMENT_CHANGED = ProblemKind(
    "document-changed",
    "A document whose bytes changed since its figures were curated",
    "document seeds/{file} changed since curation (sha256 {found:.12}..., recorded "
    "{recorded:.12}...): re-check its figures, then record the new sha256",
)
WRONG_SHAPE = ProblemKind(
    "wrong-shape",
    "A file or entry that is not the mapping or list its format asks for",
    "expected {expected}",
)
PHRASE_UNREADABLE = ProblemKind(
    "phrase-unreadable",
    "A number phrase that cannot be read as a count",
    "{reason}; or {fix}",
)
VALUE_NOT_IN_QUOTE = ProblemKind(
    "value-not-in-quote",
    "A value_text missing from its own quote",
    "value_text '{value_text}' is not in the quote: copy the number phrase exactly as the quote "
    "writes it",
)
QUOTE_NOT_FOUND = ProblemKind(
    "quote-not-found",
    "A quote that is not in its document",
    "quote not found in seeds/{document}: copy the words verbatim from the document (line breaks "
    "and spacing may differ)",
)
CANDIDATE_UNREVIEWED = ProblemKind(
    "candidate-unreviewed",
    "An extracted figure not yet reviewed",
    "extracted candidate not yet reviewed: check it against the document, then delete 'candidate: "
    "true'",
)
INVALID = ProblemKind(
    "invalid",
    "Any other problem of the data (its message says what and how to fix it)",
    "{detail}",
)

#: Every kind, in the order defined above (the order docs/errors.md lists them).
KINDS = tuple(value for value in list(globals().values()) if isinstance(value, ProblemKind))

#: The fixes of UNKNOWN_CODE: a figure may add a code, a check must use one.
USE_OR_ADD_CODE = "use a code from data/vocabulary.yaml or add it there"
USE_CODE = "use a code from data/vocabulary.yaml"
#: The fix of an unknown basis, in a YAML figure or a bulk file's row.
USE_OR_ADD_BASIS = "use a code from the bases of data/vocabulary.yaml or add it there"
