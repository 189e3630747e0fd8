"""Adding a document to a dataset: ``powcount add-source``.

The document is copied into seeds/ (HTML and PDF as their extracted text, which is
what quotes are checked against), its sha256 computed, and a stub entry appended
to data/sources.yaml. The stub is valid as it stands (kind ``other``, reliability
``F``: "cannot be judged" until a curator grades it; ``curation: partial`` until a
curator has accounted for every number), so ``powcount validate`` passes before any
figure is curated.

Nothing is overwritten: a different file already at the same name in seeds/, an id
already in sources.yaml, or a document already listed under another id is an
error that says what to do. Every byte already in sources.yaml stays as it is: the
entry is appended to its text, at the indentation of the entries before it, and the
result read back to prove it parses to the old entries plus the new one. A sources
list written in flow style (``sources: [...]``) cannot be extended that way and is
refused (exit 3) rather than rewritten, unless it is still empty.

The options that name the dataset's codes are checked against it, with a did-you-mean
for a near miss: ``--originator`` (an originator of data/vocabulary.yaml), ``--basis``
(a basis there), and each ``--cites`` written as a code (lower-case letters, digits,
``-``, ``_``), which must be an originator or a source id; a cite written as a name
("Department of Defense") is kept as the document writes it.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from powcount.atomic import write_bytes_new, write_text_atomic
from powcount.catalog import DataRoot
from powcount.catalog.rules import MAX_TEXT
from powcount.document_text import HTML_SUFFIXES, PDF_SUFFIXES, TEXT_SUFFIXES, ReadFailure
from powcount.errors import DataError, InputError, Problem, UsageProblem
from powcount.models import suggest
from powcount.periods import AS_OF_PATTERN, PeriodError, period_bounds

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
KINDS = ("government_report", "journalism", "advocacy_site", "newsletter", "academic",
         "primary_document", "other")
RELIABILITIES = ("A", "B", "C", "D", "E", "F")
DEFAULT_REASON = "Not yet graded: replace with one line saying why this grade."


@dataclass(frozen=True)
class SourceStub:
    """What the command line says about a new document."""

    id: str
    title: str
    kind: str = "other"
    reliability: str = "F"
    reliability_reason: str | None = None
    author: str | None = None
    publisher: str | None = None
    published: str | None = None
    url: str | None = None
    retrieved: str | None = None
    originator: str | None = None
    basis: str | None = None
    cites: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class AddedSource:
    id: str
    file: str  # under seeds/
    sha256: str
    converted_from: str | None  # the original's name, when HTML or PDF became text

    def summary(self, root: DataRoot) -> str:
        """What was added, and the extract command to run next, runnable as printed."""
        what = (f"seeds/{self.file} (text of {self.converted_from})" if self.converted_from
                else f"seeds/{self.file}")
        return (
            f"added source '{self.id}': {what}, sha256 {self.sha256[:12]}..., in "
            f"data/sources.yaml\n{self.next_command(root)}"
        )

    def next_command(self, root: DataRoot) -> str:
        """``next: powcount --data ROOT extract ...``, its paths relative to the working
        folder when inside it, absolute otherwise, quoted for a POSIX shell."""
        import shlex

        def shown(path: Path) -> str:
            absolute = path.resolve()
            try:
                relative = absolute.relative_to(Path.cwd().resolve())
            except ValueError:
                return shlex.quote(str(absolute))
            return shlex.quote(relative.as_posix() if relative.parts else ".")

        document = root.seeds / self.file
        target = root.data / "figures" / f"{self.id}.yaml"
        return (f"next: powcount --data {shown(root.root)} extract {shown(document)} "
                f"--source {self.id} --format yaml --output {shown(target)}")


def add_source(root: DataRoot, document: Path, stub: SourceStub) -> AddedSource:
    """Copy a document into seeds/ and list it in sources.yaml; return what was added.

    All or nothing, under the dataset lock: the document is read and converted first;
    then, with the lock held, sources.yaml is read, the seed written (never over
    another file) and sources.yaml replaced. A failure removes the seed this run wrote;
    a run killed between the two writes is undone by the next run that takes the lock.
    """
    from powcount.locking import begin, dataset_lock, finish

    _check_stub(stub)
    name, content, converted_from = _seed_content(document)
    sources_path = root.data / "sources.yaml"
    if not root.data.is_dir():
        _read_sources(root, sources_path)  # names the missing file
    with dataset_lock(root.data):
        node = _read_sources(root, sources_path)
        _check_codes(root, node, stub)
        digest, text = _checked_entry(root, node, document, stub, name, content,
                                      converted_from)
        target = root.seeds / name
        created = not target.exists()
        begin(root.data, [target] if created else [], sources_path, f"sha256: {digest}")
        try:
            root.seeds.mkdir(parents=True, exist_ok=True)
            if created:
                write_bytes_new(target, content)
            write_text_atomic(sources_path, text)
        except BaseException:
            if created:
                target.unlink(missing_ok=True)
            raise
        finally:
            finish(root.data)
    return AddedSource(stub.id, name, digest, converted_from)


def _checked_entry(root: DataRoot, node: Any, document: Path, stub: SourceStub, name: str,
                   content: bytes, converted_from: str | None) -> tuple[str, str]:
    """The new document's sha256 and sources.yaml's new text; refuse any clash."""
    entries = [item for item in node["sources"] if isinstance(item, dict)]
    if any(item.get("id") == stub.id for item in entries):
        raise UsageProblem(f"--id {stub.id}: a source with this id is already in "
                           "data/sources.yaml: choose another id")
    digest = hashlib.sha256(content).hexdigest()
    for item in entries:
        if item.get("sha256") == digest:
            raise UsageProblem(f"{document}: already in data/sources.yaml as source "
                               f"'{item.get('id')}': use that source")
        if item.get("file") == name:
            raise UsageProblem(f"{document}: seeds/{name} is already the document of source "
                               f"'{item.get('id')}': rename the new file")
    target = root.seeds / name
    if os.path.lexists(target):
        if not target.is_file() or target.read_bytes() != content:
            raise UsageProblem(f"{document}: seeds/{name} already exists with different "
                               "content: rename the new file or remove the old one")
    entry = _entry(stub, name, digest, converted_from, document)
    return digest, _appended(root, root.data / "sources.yaml", node, entry)


def _check_stub(stub: SourceStub) -> None:
    if not SLUG.match(stub.id) or len(stub.id) > 80:
        raise UsageProblem(f"--id {stub.id}: a source id is lower-case letters, digits, '-' "
                           "and '_', starting with a letter or digit (e.g. dpaa-korea-2019)")
    if not stub.title.strip():
        raise UsageProblem("--title is empty: give the document's title")
    if stub.kind not in KINDS:
        raise UsageProblem(f"--kind {stub.kind}: choose one of {', '.join(KINDS)}")
    if stub.reliability not in RELIABILITIES:
        raise UsageProblem(f"--reliability {stub.reliability}: choose one of A, B, C, D, E, F")
    for option, date in (("--published", stub.published), ("--retrieved", stub.retrieved)):
        if date is not None and not re.match(AS_OF_PATTERN, date):
            raise UsageProblem(f"{option} {date}: write a year (2019), a month (2019-03) or a "
                               "day (2019-03-12)")
        if date is not None:
            try:
                period_bounds(date)
            except PeriodError as error:
                raise UsageProblem(f"{option} {error}") from None
    for option, text in (("--note", stub.note), *(("--cites", c) for c in stub.cites)):
        if text is not None and not text.strip():
            raise UsageProblem(f"{option} is empty: give the text, or leave the option out")
        if text is not None and len(text) > MAX_TEXT:
            raise UsageProblem(f"{option}: longer than {MAX_TEXT:,} characters: shorten it")


def _check_codes(root: DataRoot, node: Any, stub: SourceStub) -> None:
    """Refuse an originator, basis or coded cite the dataset does not have."""
    if stub.originator is None and stub.basis is None and not stub.cites:
        return
    from powcount.catalog import load_vocabulary

    vocabulary = load_vocabulary(root)
    fix = "use a code from the {} of data/vocabulary.yaml or add it there"
    for option, code, table, name in (
            ("--originator", stub.originator, vocabulary.originators, "originators"),
            ("--basis", stub.basis, vocabulary.bases, "bases")):
        if code is not None and code not in table:
            raise UsageProblem(f"{option} {code}: unknown{suggest(code, table)}: "
                               + fix.format(name))
    codes = set(vocabulary.originators) | {
        str(item.get("id")) for item in node["sources"] if isinstance(item, dict)}
    for cite in stub.cites:
        if SLUG.match(cite) and cite not in codes:
            raise UsageProblem(
                f"--cites {cite}: no originator or source has this code{suggest(cite, codes)}: "
                "give an originator code of data/vocabulary.yaml, a source id, or the name "
                "the document writes")


def _read_sources(root: DataRoot, path: Path) -> Any:
    from powcount.catalog.yaml import YamlProblem, read_yaml

    if not path.is_file():
        raise DataError([Problem(root.shown(path), None, "", "missing: create it with a "
                                 "'sources:' list (see the README's data format)")])
    try:
        node = read_yaml(path, root.shown(path))
    except YamlProblem as error:
        raise DataError([error.problem]) from None
    if not isinstance(node, dict) or not isinstance(node.get("sources"), list):
        raise DataError([Problem(root.shown(path), None, "", "expected a mapping with a "
                                 "'sources' list: see the README's data format")])
    return node


def _seed_content(document: Path) -> tuple[str, bytes, str | None]:
    """The file name in seeds/ and its bytes: text as it is, HTML and PDF as their text."""
    from powcount.document_text import MAX_DOCUMENT_BYTES, html_text, pdf_text, plain_text
    from powcount.safe_read import FileRefused, NotARegularFile, read_bounded

    suffix = document.suffix.lower()
    try:
        raw = read_bounded(document, MAX_DOCUMENT_BYTES)
    except NotARegularFile as error:
        if error.kind == "a folder":
            raise InputError(f"{document}: is a folder: give one document") from None
        raise InputError(f"{document}: not a regular file but {error.kind}: give one "
                         "document") from None
    except FileRefused as error:
        raise InputError(f"{document}: {error}") from None
    except OSError as error:
        raise InputError(f"{document}: cannot read: {error.strerror}: check the path") from None
    if not raw.strip():
        raise InputError(f"{document}: empty file: check that it was saved completely")
    try:
        if suffix in TEXT_SUFFIXES:
            plain_text(raw)  # refuse binary and non-UTF-8 text before it enters seeds/
            return document.name, raw, None
        if suffix in HTML_SUFFIXES:
            text = html_text(raw)
        elif suffix in PDF_SUFFIXES:
            text = pdf_text(raw)
        else:
            raise ReadFailure(f"unsupported file type '{suffix or '(none)'}': convert it to "
                              ".txt, .md, .html or .pdf")
    except ReadFailure as error:
        raise InputError(f"{document}: {error}") from None
    if not text.strip():
        raise InputError(f"{document}: no text in the document: check that it was saved "
                         "completely")
    return f"{document.stem}.txt", text.encode("utf-8"), document.name


def _entry(stub: SourceStub, name: str, digest: str, converted_from: str | None,
           document: Path) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": stub.id, "file": name, "title": stub.title.strip()}
    for key in ("author", "publisher", "published"):
        value = getattr(stub, key)
        if value:
            entry[key] = value
    entry["kind"] = stub.kind
    entry["reliability"] = stub.reliability
    entry["reliability_reason"] = stub.reliability_reason or DEFAULT_REASON
    entry["sha256"] = digest
    for key in ("url", "retrieved", "originator", "basis"):
        value = getattr(stub, key)
        if value:
            entry[key] = value
    # No figure is curated yet: marked complete once every number is a figure or dismissed.
    entry["curation"] = "partial"
    if stub.cites:
        entry["cites"] = list(stub.cites)
    notes = [stub.note.strip()] if stub.note else []
    if converted_from:
        from powcount.document_text import MAX_DOCUMENT_BYTES
        from powcount.safe_read import read_bounded

        original = hashlib.sha256(read_bounded(document, MAX_DOCUMENT_BYTES)).hexdigest()
        notes.append(f"Text extracted from {converted_from} (sha256 {original}) by "
                     "powcount add-source; lines and quotes refer to this text.")
    if notes:
        entry["note"] = " ".join(notes)
    from powcount.models import Source

    Source.model_validate(entry)  # the stub must pass validation as it stands
    return entry


def _appended(root: DataRoot, path: Path, node: Any, entry: dict[str, Any]) -> str:
    """sources.yaml with the entry appended to its text; every byte already there stays."""
    from ruamel.yaml.comments import CommentedMap

    from powcount.catalog.yaml import YamlProblem, dump_yaml, line_of, parse_yaml, to_plain

    old_text = path.read_bytes().decode("utf-8")  # a byte-order mark, if any, stays too
    entries = node["sources"]
    expected = to_plain(node)
    expected["sources"] = [*expected["sources"], entry]
    indent = _item_indent(old_text, line_of(entries, 0) if entries else None)
    if indent is not None:
        block = dump_yaml({"sources": [CommentedMap(entry)]}).split("\n", 1)[1]
        # The writer puts an entry's "-" at column 2; it goes where the file's entries have it.
        lines = [" " * indent + line[2:] if line else line for line in block.split("\n")]
        text = old_text.rstrip("\n") + "\n\n" + "\n".join(lines)
        try:
            if to_plain(parse_yaml(text.encode("utf-8"), root.shown(path))) == expected:
                return text
        except YamlProblem:
            pass
    if not entries:
        # No entry to keep: the writer may lay out the file (comments and order kept).
        entries.append(CommentedMap(entry))
        return dump_yaml(node)
    raise DataError([Problem(root.shown(path), line_of(node, "sources"), "sources",
                             "an entry cannot be appended to the file without rewriting the "
                             "entries already there: keep 'sources:' last in the file, as a "
                             "list of '- id: ...' blocks, then add the source again")])


def _item_indent(text: str, first_line: int | None) -> int | None:
    """The column of the '-' that opens the first entry of a block list, or None (a flow
    list, or no entry)."""
    if first_line is None:
        return None
    lines = text.split("\n")
    found = re.match(r"( *)- ", lines[first_line - 1]) if first_line <= len(lines) else None
    return len(found.group(1)) if found else None
