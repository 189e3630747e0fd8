"""Documents -> plain text: .txt and .md as they are, .html through BeautifulSoup,
.pdf through pypdf.

The text is what candidates' lines and columns refer to. For plain text it is the
file itself (line endings read as one break each, as powcount.documents does), so
a candidate's line is the line a curator sees in an editor. HTML and PDF are
rendered to text first; ``powcount add-source`` stores that text in seeds/, so the
lines again match the document the dataset holds.

Every unreadable file raises ReadFailure with a message "what: how to fix".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from powcount.documents import DocumentError, decode_utf8
from powcount.safe_read import FileRefused, NotARegularFile, read_bounded

#: File types extract reads, by suffix.
TEXT_SUFFIXES = frozenset({".txt", ".md", ".text", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
PDF_SUFFIXES = frozenset({".pdf"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES

#: A document larger than this is not a report but a dump: split it first.
MAX_DOCUMENT_BYTES = 512 * 1024 * 1024

#: The most bytes of page contents (decompressed) read from one PDF: seconds of pypdf's
#: parsing (30 MiB took 9.4 s on a busy machine), and far more than a long report's
#: pages hold (a 300-page report: about 10 MB).
MAX_PDF_CONTENT_BYTES = 32 * 1024 * 1024

#: The most digits a number may have: int() refuses more (sys.get_int_max_str_digits).
MAX_NUMBER_DIGITS = 4300
# Digits with their grouping commas, as extract reads a number; shorter runs cannot
# hold MAX_NUMBER_DIGITS digits, so the scan skips them in C.
_LONG_DIGIT_RUN = re.compile(rf"[\d,]{{{MAX_NUMBER_DIGITS + 1},}}")

# Bytes of UTF-8 text that may belong to a number: ASCII digits, the comma, and every
# byte of a non-ASCII character (some are digits in other scripts).
_NUMBER_BYTES = bytes(
    0x30 if (0x30 <= b <= 0x39 or b == 0x2C or b >= 0x80) else 0x20 for b in range(256)
)
_LONG_MARKED_RUN = b"0" * (MAX_NUMBER_DIGITS + 1)


def _may_hold_a_long_number(text: str) -> bool:
    """False when no run of MAX_NUMBER_DIGITS + 1 characters can be digits and commas.

    Replaces a scan of the text with _LONG_DIGIT_RUN, which tests every character in
    the regular expression engine (1.1 to 2.3 s for 20 MB on a busy machine), by a
    byte translation and a substring search, both in C (0.15 s; measured by
    benchmarks/hostile_bench.py): only a text that may hold such a run is scanned.
    Every character that may be a digit maps to at least one marked byte, so no long
    number is missed.
    """
    if len(text) <= MAX_NUMBER_DIGITS:
        return False
    marked = text.encode("utf-8", "surrogatepass").translate(_NUMBER_BYTES)
    return _LONG_MARKED_RUN in marked


# Tags whose text is never document text.
_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
# Tags that start a new line of text when rendered.
_BLOCK_TAGS = frozenset((
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "tfoot", "thead", "tr", "ul", "title",
))  # fmt: skip
_FOOTNOTE_SUP = re.compile(r"^\s*[\d,\s*†‡§-]+\s*$")
_LINE_END_SPACES = re.compile(r"[ \t\u00a0]+\n")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_HTML_SPACES = re.compile(r"[ \t\r\n\f]+")
_INLINE_SPACES = re.compile(r"[ \t\u00a0\r\f\v]+")


class ReadFailure(Exception):
    """A document that cannot be read; the message says what and how to fix it."""


def read_document(path: Path) -> str:
    """The text of a document, or ReadFailure saying why not."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "(no suffix)"
        raise ReadFailure(
            f"unsupported file type '{shown}': convert it to .txt, .md, .html or .pdf"
        )
    try:
        raw = read_bounded(path, MAX_DOCUMENT_BYTES)
    except NotARegularFile as error:
        if error.kind == "a folder":
            raise ReadFailure("is a directory here: give a file") from None
        raise ReadFailure(f"not a regular file but {error.kind}: give a document file") from None
    except FileRefused as error:
        raise ReadFailure(str(error)) from None
    except OSError as error:
        raise ReadFailure(
            f"cannot read: {error.strerror}: check the path and permissions"
        ) from None
    if not raw.strip():
        raise ReadFailure("empty file: nothing to extract; check that it was saved completely")
    if suffix in PDF_SUFFIXES:
        text = pdf_text(raw)
    elif suffix in HTML_SUFFIXES:
        text = html_text(raw)
    else:
        text = plain_text(raw)
    if not text.strip():
        raise ReadFailure("no text in the document: check that it was saved completely")
    refuse_huge_numbers(text)
    return text


def refuse_huge_numbers(text: str) -> None:
    """ReadFailure at the first number of more than MAX_NUMBER_DIGITS digits.

    Python's int() refuses such a string (a guard against its quadratic conversion),
    and no count comes near: the document holds data, not prose.
    """
    if not _may_hold_a_long_number(text):
        return
    for run in _LONG_DIGIT_RUN.finditer(text):
        digits = len(run.group()) - run.group().count(",")
        if digits > MAX_NUMBER_DIGITS:
            line = text.count("\n", 0, run.start()) + 1
            raise ReadFailure(f"line {line}: a number of {digits:,} digits, more than the "
                              f"{MAX_NUMBER_DIGITS:,} a number may have: remove it from the "
                              "document")


def plain_text(raw: bytes) -> str:
    if b"\x00" in raw[:8192]:
        raise ReadFailure("binary file, not text: convert it to UTF-8 text or give its .pdf")
    try:
        text = decode_utf8(raw)
    except DocumentError as error:
        raise ReadFailure(str(error)) from None
    # One break per line ending, exactly as powcount.documents counts lines.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def html_text(raw: bytes) -> str:
    """Visible text of an HTML page: one line per block, table cells apart.

    The page is walked once, in document order, with a stack instead of recursion,
    so its cost grows with its size, not its depth (ten thousand nested divs are
    read as fast as ten thousand divs side by side).
    """
    from bs4 import BeautifulSoup, NavigableString, Tag

    if b"\x00" in raw[:8192] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadFailure("binary file, not HTML: check the file name")
    soup = BeautifulSoup(raw, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(_INVISIBLE_TAGS):
        tag.decompose()
    _load_not_text()
    pieces: list[str] = []
    # Entries: the children still to enter (reversed, so pop() takes the next one), or
    # the text to write once a block's children are done.
    stack: list[Any] = [list(reversed(soup.contents))]
    pre_depth: list[int] = [0]  # how many <pre> the walk is inside, per open level
    while stack:
        top = stack[-1]
        if isinstance(top, str):
            stack.pop()
            pieces.append(top)
            continue
        if not top:
            stack.pop()
            pre_depth.pop()
            continue
        node = top.pop()
        in_pre = pre_depth[-1] > 0
        if isinstance(node, NavigableString):
            if not isinstance(node, _NOT_TEXT):
                # Line breaks in the source are spaces on the page; only blocks make lines.
                pieces.append(str(node) if in_pre else _HTML_SPACES.sub(" ", node))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        if name in _CELL_TAGS and _is_later_cell(node):
            # Cells apart by " | ", so a row keeps its columns ("Little Switch | 149 | 684").
            pieces.append(" | ")
        if name == "br":
            pieces.append("\n")
            continue
        if name == "sup":
            # A footnote reference (<sup>1</sup>) would otherwise glue onto the number
            # before it ("7,5441"); brackets keep it apart and mark it as a reference.
            note = _footnote_text(node, in_pre)
            if note is not None:
                pieces.append(f"[{note}]")
                continue
        if name in _BLOCK_TAGS:
            if name in _LINE_TAGS:
                stack.append("\n")  # rows and items: one line each, no blank between
            else:
                pieces.append("\n\n")
                stack.append("\n\n")
        stack.append(list(reversed(node.contents)))
        pre_depth.append(pre_depth[-1] + (name == "pre"))
    body = "".join(pieces)
    return _tidy(f"{title}\n\n{body}" if title else body)


# Strings that are markup, not text: comments, doctypes, declarations, processing
# instructions (filled in on first use, with bs4's import).
_NOT_TEXT: tuple[type, ...] = ()


def _load_not_text() -> None:
    global _NOT_TEXT
    if not _NOT_TEXT:
        from bs4 import Comment, Declaration, Doctype, ProcessingInstruction

        _NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)


_CELL_TAGS = frozenset({"td", "th"})
_LINE_TAGS = frozenset({"tr", "li", "dt", "dd"})
#: A footnote reference is a few characters in a node or two; a longer <sup> is text,
#: and is not read whole to find out (a deep chain of them would be read again at
#: every level).
_MAX_FOOTNOTE = 100
_MAX_FOOTNOTE_NODES = 8


def _is_later_cell(cell: Any) -> bool:
    """A td or th that is a row's child after the row's first cell."""
    if cell.parent is None or cell.parent.name != "tr":
        return False
    for sibling in cell.previous_siblings:
        if getattr(sibling, "name", None) in _CELL_TAGS:
            return True
    return False


def _footnote_text(sup: Any, in_pre: bool) -> str | None:
    """The reference a <sup> holds ("1", "2, 3", "*"), or None when it is other text."""
    from bs4 import NavigableString

    parts: list[str] = []
    length = 0
    visited = 0
    # Walked by hand: bs4's .descendants first finds the last descendant, a walk as
    # long as the nesting is deep, which would make nested <sup> quadratic.
    pending = list(reversed(sup.contents))
    while pending:
        node = pending.pop()
        visited += 1
        if isinstance(node, NavigableString):
            if not isinstance(node, _NOT_TEXT):
                text = str(node) if in_pre else _HTML_SPACES.sub(" ", node)
                parts.append(text)
                length += len(text)
        elif hasattr(node, "contents"):
            pending.extend(reversed(node.contents))
        if length > _MAX_FOOTNOTE or visited > _MAX_FOOTNOTE_NODES:
            return None
    text = "".join(parts)
    return text.strip() if _FOOTNOTE_SUP.match(text) else None


def pdf_text(raw: bytes) -> str:
    """The text layer of a PDF, pages separated by a blank line."""
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    if not raw.startswith(b"%PDF"):
        raise ReadFailure("not a PDF (no %PDF header): check the file name")
    # pypdf warns on every slightly malformed file; the one-line error says enough.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except (PdfReadError, PyPdfError, NotImplementedError):
                raise ReadFailure(
                    "encrypted PDF: save an unprotected copy (print to PDF)"
                ) from None
        pages = [page.extract_text() or "" for page in _pages_within_budget(reader)]
    except ReadFailure:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError,
            IndexError, RecursionError, OSError):
        raise ReadFailure("damaged PDF that pypdf cannot read: re-save or re-export it") from None
    text = _tidy("\n\n".join(pages))
    if not text.strip():
        raise ReadFailure(
            "PDF without a text layer (scanned pages?): run OCR first, e.g. ocrmypdf"
        )
    return text


def _pages_within_budget(reader: Any) -> Iterator[Any]:
    """The reader's pages, each checked before its text is read: ReadFailure once the
    page contents read so far decompress to more than MAX_PDF_CONTENT_BYTES.

    pypdf parses a page's content stream in Python, at a few MB a second; a small
    file can make it parse far more (pages sharing one stream of 50 MB of spaces),
    so the budget is on what is parsed, not on the size of the file.
    """
    total = 0
    for number, page in enumerate(reader.pages, start=1):
        contents = page.get_contents()
        total += len(contents.get_data()) if contents is not None else 0
        if total > MAX_PDF_CONTENT_BYTES:
            raise ReadFailure(
                f"page {number}: the page contents decompress to more than "
                f"{MAX_PDF_CONTENT_BYTES:,} bytes: extract the text with another tool "
                "(e.g. pdftotext) and give the .txt"
            )
        yield page


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INLINE_SPACES.sub(" ", text)
    text = _LINE_END_SPACES.sub("\n", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _MANY_BLANK_LINES.sub("\n\n", text).strip() + "\n"
