"""Text from documents and data files, made safe where it leaves powcount.

Quotes, titles and file names come from anywhere. Printed raw, a control character
can clear the screen (ESC [2J), set the terminal's title (OSC), or split one error
line into two; a bidi control (U+202E RIGHT-TO-LEFT OVERRIDE) can make "008" read
as "800"; in markdown, ``<script>`` or ``[x](javascript:...)`` becomes markup.

Each of these is shown, never obeyed, as the escape a reader can look up:
``\\x1b`` for a control character, ``\\u202e`` for a bidi control. Tables and
messages use ``terminal_text``; markdown uses ``markdown_text``; the HTML report
uses ``html_visible_bidi`` after escaping. CSV and JSON keep the characters: they
are data for programs, and a quote changed there would no longer be the quote in
the document (see docs/hostile-input.md).
"""

from __future__ import annotations

import re

#: Bidi controls: embeddings and overrides (U+202A-202E), isolates (U+2066-2069),
#: marks (U+200E, U+200F) and the Arabic letter mark (U+061C).
BIDI_CONTROLS = frozenset(
    [*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)), "\u200e", "\u200f",
     "\u061c"]
)

#: C0 controls, DEL, C1 controls, and the line and paragraph separators (which some
#: terminals and editors take as line breaks).
CONTROL_CHARACTERS = frozenset(
    [*map(chr, range(0x20)), "\x7f", *map(chr, range(0x80, 0xA0)), "\u2028", "\u2029"]
)


def shown_as_escape(character: str) -> str:
    """How a control reads once escaped: ``\\n``, ``\\x1b``, ``\\u202e``."""
    code = ord(character)
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(character)
    if named:
        return named
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_ESCAPES = {ord(c): shown_as_escape(c) for c in CONTROL_CHARACTERS | BIDI_CONTROLS}
_BIDI_ESCAPES = {ord(c): shown_as_escape(c) for c in BIDI_CONTROLS}
_ANY = re.compile("[" + "".join(sorted(CONTROL_CHARACTERS | BIDI_CONTROLS)) + "]")


def terminal_text(text: str, keep: str = "") -> str:
    """Text for a terminal: every control and bidi character escaped, but those in ``keep``.

    A table cell keeps ``"\\n"`` (the table lays it out as a second line); a message
    keeps nothing, so it stays one line.
    """
    if _ANY.search(text) is None:
        return text  # the common case, without building a new string
    if not keep:
        return text.translate(_ESCAPES)
    table = {code: shown for code, shown in _ESCAPES.items() if chr(code) not in keep}
    return text.translate(table)


def visible_bidi(text: str) -> str:
    """Only the bidi controls escaped (for HTML, which has its own escaping)."""
    return text.translate(_BIDI_ESCAPES)


def bidi_controls_in(text: str) -> list[str]:
    """The bidi controls a text holds, as escapes (``\\u202e``), in order of first use."""
    seen: dict[str, None] = {}
    for character in text:
        if character in BIDI_CONTROLS:
            seen.setdefault(shown_as_escape(character))
    return list(seen)


#: What makes markup in a markdown line (CommonMark and GitHub's tables): backslash,
#: pipe, code, emphasis and strike marks, link brackets, "<" opening a tag or an
#: autolink, "&" opening an entity (``&#x202E;`` would be the control itself), and
#: "_" where it can open or close emphasis (not inside a word: ``reported_held``).
#: Each is backslash-escaped and reads as itself; "<=" and "->" stay as they are.
_MARKDOWN_MARKUP = re.compile(
    r"[\\|`*~\[\]]|<(?=[A-Za-z/!?])|&(?=[A-Za-z#])|(?<![^\W_])_|_(?![^\W_])"
)


def markdown_text(text: str) -> str:
    """Text for a markdown table cell or list item: one line, markup shown as text."""
    flat = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return terminal_text(_MARKDOWN_MARKUP.sub(r"\\\g<0>", flat))
