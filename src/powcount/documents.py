"""Source documents: reading, whitespace-normalised search, line and column.

Quotes are matched with whitespace normalised (every run of spaces, tabs and
line breaks counts as one space) because documents such as hard-wrapped
newsletters break sentences across lines. A document's index is built once, so
checking many quotes against it costs a dictionary look-up each, not a scan.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

_WHITESPACE = re.compile(r"\s+")

#: Quotes are found through the first characters of their first word.
_KEY_LENGTH = 8


class DocumentError(Exception):
    """A document that cannot be read as UTF-8 text."""


def normalise(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


@dataclass
class Document:
    """A document's text with the maps from normalised offsets back to lines."""

    name: str
    text: str
    sha256: str
    normalised: str = field(init=False)
    _norm_starts: list[int] = field(init=False, repr=False)
    _orig_starts: list[int] = field(init=False, repr=False)
    _line_starts: list[int] = field(init=False, repr=False)
    _index: dict[str, list[int]] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        # Segments of non-space text: where each starts in the normalised text and in
        # the original, so a normalised offset maps back exactly.
        pieces: list[str] = []
        self._norm_starts, self._orig_starts = [], []
        position = 0
        for match in re.finditer(r"\S+", self.text):
            if pieces:
                position += 1
            self._norm_starts.append(position)
            self._orig_starts.append(match.start())
            pieces.append(match.group())
            position += len(match.group())
        self.normalised = " ".join(pieces)
        self._line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\n|\r", self.text)]

    @classmethod
    def read(cls, path: Path, name: str) -> Document:
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise DocumentError(f"cannot read: {error.strerror}") from None
        if b"\x00" in raw[:8192]:
            raise DocumentError("binary file, not text: convert it to UTF-8 text")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise DocumentError(
                f"not UTF-8 at line {line} (byte 0x{raw[error.start]:02x}): save it as UTF-8"
            ) from None
        return cls(name=name, text=text, sha256=hashlib.sha256(raw).hexdigest())

    def _original_offset(self, normalised_offset: int) -> int:
        segment = bisect.bisect_right(self._norm_starts, normalised_offset) - 1
        if segment < 0:
            return 0
        return self._orig_starts[segment] + (normalised_offset - self._norm_starts[segment])

    def line_column(self, normalised_offset: int) -> tuple[int, int]:
        """1-based line and column in the original text of a normalised offset."""
        offset = self._original_offset(normalised_offset)
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def _build_index(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        text = self.normalised
        for start in self._norm_starts:
            index.setdefault(text[start : start + _KEY_LENGTH], []).append(start)
        return index

    def find(self, quote: str) -> int | None:
        """Normalised offset of a quote's first occurrence, or None."""
        needle = normalise(quote)
        if not needle:
            return None
        if self._index is None:
            self._index = self._build_index()
        key = needle[:_KEY_LENGTH]
        if len(key) == _KEY_LENGTH or " " in key:
            for start in self._index.get(key, ()):
                if self.normalised.startswith(needle, start):
                    return start
        # Quotes that start inside a word, or are shorter than the key.
        found = self.normalised.find(needle)
        return None if found < 0 else found

    def locate_value(self, quote: str, value_text: str) -> tuple[int, int] | None:
        """Line and column of value_text inside the quote's occurrence."""
        start = self.find(quote)
        if start is None:
            return None
        inner = normalise(quote).find(normalise(value_text))
        if inner < 0:
            inner = 0
        return self.line_column(start + inner)
