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
from pathlib import Path

from powcount.documents import DocumentError, decode_utf8

#: File types extract reads, by suffix.
TEXT_SUFFIXES = frozenset({".txt", ".md", ".text", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
PDF_SUFFIXES = frozenset({".pdf"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES

#: A document larger than this is not a report but a dump: split it first.
MAX_DOCUMENT_BYTES = 512 * 1024 * 1024

# Tags whose text is never document text.
_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
# Tags that start a new line of text when rendered.
_BLOCK_TAGS = (
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "tfoot", "thead", "tr", "ul", "title",
)  # fmt: skip
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
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise ReadFailure(
                f"file is {size:,} bytes, over the {MAX_DOCUMENT_BYTES:,}-byte limit: split it"
            )
        raw = path.read_bytes()
    except IsADirectoryError:
        raise ReadFailure("is a directory here: give a file") from None
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
    return text


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
    """Visible text of an HTML page: one line per block, table cells apart."""
    from bs4 import BeautifulSoup, Comment

    if b"\x00" in raw[:8192] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadFailure("binary file, not HTML: check the file name")
    soup = BeautifulSoup(raw, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(_INVISIBLE_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    # Line breaks in the source are spaces on the page; only blocks make lines.
    for string in soup.find_all(string=True):
        if string.find_parent("pre") is None and _HTML_SPACES.search(string):
            string.replace_with(_HTML_SPACES.sub(" ", string))
    # A footnote reference (<sup>1</sup>) would otherwise glue onto the number
    # before it ("7,5441"); brackets keep it apart and mark it as a reference.
    for sup in soup.find_all("sup"):
        if _FOOTNOTE_SUP.match(sup.get_text()):
            sup.replace_with(f"[{sup.get_text().strip()}]")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    # Cells apart by " | ", so a row keeps its columns ("Little Switch | 149 | 684").
    for row in soup.find_all("tr"):
        cells = row.find_all(("td", "th"), recursive=False)
        for cell in cells[1:]:
            cell.insert_before(" | ")
    for block in soup.find_all(_BLOCK_TAGS):
        if block.name in ("tr", "li", "dt", "dd"):
            block.insert_after("\n")  # rows and items: one line each, no blank between
        else:
            block.insert_before("\n\n")
            block.insert_after("\n\n")
    body = soup.get_text()
    return _tidy(f"{title}\n\n{body}" if title else body)


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
        pages = [page.extract_text() or "" for page in reader.pages]
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


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INLINE_SPACES.sub(" ", text)
    text = _LINE_END_SPACES.sub("\n", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _MANY_BLANK_LINES.sub("\n\n", text).strip() + "\n"
