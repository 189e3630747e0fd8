"""Source documents: reading, whitespace-normalised search, line and column.

Quotes are matched with whitespace normalised (every run of spaces, tabs and
line breaks counts as one space) because documents such as hard-wrapped
newsletters break sentences across lines. A document's index of word starts
(keyed by a hash of the next characters) is built once, so checking many quotes
against it costs a sorted look-up each, not a scan of the document; the index
and the offset maps are numpy arrays, so documents of any size stay cheap.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

_WHITESPACE = re.compile(r"\s+")

#: Where normalised and original offsets drift apart (besides leading whitespace): runs
#: of two or more whitespace characters; a single one maps to the single space.
_SHIFTS = re.compile(r"\s\s+")

#: Quotes are found through a hash of their first characters: long ones through a key
#: long enough to tell apart sentences that open alike, short ones through a short key.
_KEY_LENGTHS = (24, 8)
_HASH_FACTOR = 1_000_003


#: The same limit as extract's: beyond it a file is not one document, and reading it
#: whole would take the machine's memory.
MAX_DOCUMENT_BYTES = 512 * 1024 * 1024


class DocumentError(Exception):
    """A document that cannot be read as UTF-8 text."""


def decode_utf8(raw: bytes) -> str:
    """Document bytes as text; a BOM is dropped, anything but UTF-8 is refused."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DocumentError(
            f"not UTF-8 at line {line} (byte 0x{raw[error.start]:02x}): save it as UTF-8"
        ) from None


def normalise(text: str) -> str:
    # str.split() splits on exactly the characters \s matches, and is faster.
    return " ".join(text.split())


def _codes(text: str) -> np.ndarray:
    import numpy as np

    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _hash_windows(codes: np.ndarray, starts: np.ndarray, length: int) -> np.ndarray:
    """Hash of the ``length`` characters from each start (uint64 arithmetic, wrapping)."""
    import numpy as np

    padded = np.concatenate([codes, np.zeros(length, dtype=np.uint32)]).astype(np.uint64)
    keys = np.zeros(len(starts), dtype=np.uint64)
    factor = np.uint64(_HASH_FACTOR)
    with np.errstate(over="ignore"):
        for offset in range(length):
            keys = keys * factor + padded[starts + offset]
    return keys


@dataclass
class _QuoteIndex:
    """Word starts of a normalised text, sorted by the hash of their first characters."""

    length: int
    keys: Any  # np.ndarray[uint64], sorted
    starts: Any  # np.ndarray[int64], word starts in the same order (ascending per key)

    @classmethod
    def build(cls, normalised: str, length: int) -> _QuoteIndex:
        import numpy as np

        codes = _codes(normalised)
        starts = np.concatenate([[0], np.flatnonzero(codes == 32) + 1]).astype(np.int64)
        keys = _hash_windows(codes, starts, length)
        order = np.argsort(keys, kind="stable")
        return cls(length, keys[order], starts[order])

    def find(self, text: str, needles: Sequence[str], which: list[int], found: list[int]) -> None:
        """Set found[i] for the needles[i] of ``which`` that start a word of text."""
        import numpy as np

        codes = _codes("".join(needles[i][: self.length] for i in which))
        keys = _hash_windows(codes, np.arange(0, len(codes), self.length, dtype=np.int64),
                             self.length)
        lows = self.keys.searchsorted(keys, side="left")
        highs = self.keys.searchsorted(keys, side="right")
        # Most keys occur once: their start is fetched in one vectorised step.
        firsts = self.starts[np.minimum(lows, len(self.starts) - 1)].tolist()
        for i, low, high, first in zip(which, lows.tolist(), highs.tolist(), firsts, strict=True):
            needle = needles[i]
            if high - low == 1:
                if text.startswith(needle, first):
                    found[i] = first
                continue
            for start in self.starts[low:high].tolist():
                if text.startswith(needle, start):
                    found[i] = start
                    break


@dataclass
class Document:
    """A document's text with the maps from normalised offsets back to lines."""

    name: str
    text: str
    sha256: str
    normalised: str = field(init=False)
    _norm_starts: list[int] = field(init=False, repr=False)
    _orig_starts: list[int] = field(init=False, repr=False)
    _line_starts: Any = field(default=None, init=False, repr=False)
    _indexes: dict[int, _QuoteIndex] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.normalised = normalise(self.text)
        # Change points of the shift between normalised and original offsets; between
        # two of them every whitespace character stands for exactly one space.
        self._norm_starts, self._orig_starts = [0], [0]
        removed = len(self.text) - len(self.text.lstrip())
        if removed:
            self._norm_starts.append(0)
            self._orig_starts.append(removed)
        for match in _SHIFTS.finditer(self.text, removed):
            removed += match.end() - match.start() - 1
            self._norm_starts.append(match.end() - removed)
            self._orig_starts.append(match.end())

    @classmethod
    def read(cls, path: Path, name: str) -> Document:
        from powcount.safe_read import FileRefused, read_bounded

        try:
            raw = read_bounded(path, MAX_DOCUMENT_BYTES)
        except FileRefused as error:
            raise DocumentError(str(error)) from None
        except OSError as error:
            raise DocumentError(f"cannot read: {error.strerror}") from None
        if b"\x00" in raw[:8192]:
            raise DocumentError("binary file, not text: convert it to UTF-8 text")
        return cls(name=name, text=decode_utf8(raw), sha256=hashlib.sha256(raw).hexdigest())

    def _original_offset(self, normalised_offset: int) -> int:
        segment = bisect.bisect_right(self._norm_starts, normalised_offset) - 1
        if segment < 0:
            return 0
        return self._orig_starts[segment] + (normalised_offset - self._norm_starts[segment])

    def _line_start_array(self) -> np.ndarray:
        if self._line_starts is None:
            import numpy as np

            codes = _codes(self.text)
            following = np.append(codes[1:], np.uint32(0))
            ends = np.flatnonzero((codes == 10) | ((codes == 13) & (following != 10))) + 1
            self._line_starts = np.concatenate([[0], ends]).astype(np.int64)
        return self._line_starts

    def line_column(self, normalised_offset: int) -> tuple[int, int]:
        """1-based line and column in the original text of a normalised offset."""
        offset = self._original_offset(normalised_offset)
        starts = self._line_start_array()
        line = int(starts.searchsorted(offset, side="right"))
        return line, offset - int(starts[line - 1]) + 1

    def line_columns(self, normalised_offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """line_column for many offsets at once (arrays of 1-based lines and columns)."""
        import numpy as np

        offsets = np.asarray(normalised_offsets, dtype=np.int64)
        norm_starts = np.asarray(self._norm_starts, dtype=np.int64)
        orig_starts = np.asarray(self._orig_starts, dtype=np.int64)
        segment = np.maximum(norm_starts.searchsorted(offsets, side="right") - 1, 0)
        original = orig_starts[segment] + (offsets - norm_starts[segment])
        starts = self._line_start_array()
        lines = starts.searchsorted(original, side="right")
        return lines, original - starts[lines - 1] + 1

    def find(self, quote: str) -> int | None:
        """Normalised offset of a quote's first occurrence, or None."""
        found = self.find_normalised([normalise(quote)], keep_index=True)[0]
        return None if found < 0 else found

    def find_normalised(self, needles: Sequence[str], keep_index: bool = False) -> list[int]:
        """Offsets of many normalised quotes (-1 where absent), each found through an index.

        A quote is found at its first occurrence that starts a word, else at its first
        occurrence anywhere (quotes that start inside a word, and the rare quotes shorter
        than every key, cost a scan). ``keep_index`` keeps the indexes for later calls;
        without it, a document checked once in bulk does not hold them afterwards.
        """
        text = self.normalised
        found = [-1] * len(needles)
        pending = [i for i, needle in enumerate(needles) if needle]
        longer = len(text) + 1
        for length in _KEY_LENGTHS:
            which = [i for i in pending if length <= len(needles[i]) < longer]
            longer = length
            if not which:
                continue
            index = self._indexes.get(length) or _QuoteIndex.build(text, length)
            if keep_index:
                self._indexes[length] = index
            index.find(text, needles, which, found)
            pending = [i for i in pending if found[i] < 0]
        for i in pending:
            needle = needles[i]
            if len(needle) < _KEY_LENGTHS[-1]:
                at_word = re.search(r"(?:^|(?<= ))" + re.escape(needle), text)
                if at_word is not None:
                    found[i] = at_word.start()
                    continue
            found[i] = text.find(needle)
        return found

    def locate_value(self, quote: str, value_text: str) -> tuple[int, int] | None:
        """Line and column of value_text inside the quote's occurrence."""
        start = self.find(quote)
        if start is None:
            return None
        inner = normalise(quote).find(normalise(value_text))
        if inner < 0:
            inner = 0
        return self.line_column(start + inner)
