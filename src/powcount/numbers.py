"""Number phrases -> intervals.

A figure's ``value_text`` is the number phrase exactly as the document writes it
("more than 7,800", "30 to 40", "six", "dozens"). This module reads it as a count
interval: ``low <= best <= high``, integers, ``high`` is ``None`` when the phrase
leaves the top open ("over 7,800"). The rules are documented in the qualifier table
of docs/number-phrases.md; keep the two in step (a test renders the table from RULES
below).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from powcount.errors import PhraseError

#: Tolerance given to approximate figures stated to the unit ("about 8,123"): +/- 10 %,
#: rounded outward. A number stated to tens or more is read by its precision instead.
DEFAULT_APPROXIMATE_TOLERANCE = Fraction(1, 10)

#: More than ten billion (beyond every person who has lived in a century) is a typo.
MAX_COUNT = 10_000_000_000

#: A number phrase is short; anything longer is a misplaced sentence.
MAX_PHRASE_LENGTH = 120


@dataclass(frozen=True)
class Reading:
    """A number phrase read as a count interval.

    ``stated_low``/``stated_high`` are the bounds the words state before any
    tolerance ("about 8,100" states 8,100; its interval is 7,290-8,910).
    """

    qualifier: str
    low: int
    best: int
    high: int | None
    stated_low: int
    stated_high: int | None


# Qualifier words -> qualifier slug. Longest first so "more than" wins over "more".
_QUALIFIER_WORDS: dict[str, str] = {
    "approximately": "approximate",
    "approx.": "approximate",
    "approx": "approximate",
    "about": "approximate",
    "around": "approximate",
    "roughly": "approximate",
    "some": "approximate",
    "circa": "approximate",
    "c.": "approximate",
    "an estimated": "approximate",
    "estimated": "approximate",
    "close to": "approximate",
    "~": "approximate",
    "nearly": "nearly",
    "almost": "nearly",
    "just under": "nearly",
    "over": "over",
    "more than": "over",
    "in excess of": "over",
    "upwards of": "over",
    "greater than": "over",
    "above": "over",
    "at least": "at_least",
    "no fewer than": "at_least",
    "no less than": "at_least",
    "not less than": "at_least",
    "a minimum of": "at_least",
    "fewer than": "under",
    "less than": "under",
    "under": "under",
    "below": "under",
    "at most": "at_most",
    "up to": "at_most",
    "as many as": "at_most",
    "no more than": "at_most",
    "not more than": "at_most",
    "a maximum of": "at_most",
}
_QUALIFIER_ORDER = sorted(_QUALIFIER_WORDS, key=len, reverse=True)
# The same order, by first character: a bare number tries no qualifier at all.
_QUALIFIERS_BY_INITIAL: dict[str, list[str]] = {}
for _words in _QUALIFIER_ORDER:
    _QUALIFIERS_BY_INITIAL.setdefault(_words[0], []).append(_words)

# Vague quantity words -> (low, best, high). Deliberately wide: the words commit to
# little, and a wide interval makes them consistent with most precise figures.
VAGUE_WORDS: dict[str, tuple[int, int, int]] = {
    "a couple": (2, 2, 3),
    "a couple of": (2, 2, 3),
    "a few": (2, 3, 5),
    "several": (3, 5, 9),
    "a handful": (2, 5, 10),
    "a handful of": (2, 5, 10),
    "dozens": (24, 36, 143),
    "dozens of": (24, 36, 143),
    "scores": (40, 60, 199),
    "scores of": (40, 60, 199),
    "hundreds": (200, 300, 999),
    "hundreds of": (200, 300, 999),
    "thousands": (2_000, 3_000, 9_999),
    "thousands of": (2_000, 3_000, 9_999),
    "tens of thousands": (20_000, 30_000, 99_999),
    "tens of thousands of": (20_000, 30_000, 99_999),
    "hundreds of thousands": (200_000, 300_000, 999_999),
    "hundreds of thousands of": (200_000, 300_000, 999_999),
    "millions": (2_000_000, 3_000_000, 9_999_999),
    "millions of": (2_000_000, 3_000_000, 9_999_999),
}

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
NUMBER_WORDS = frozenset(_UNITS) | frozenset(_SCALES) | {"dozen"}

#: An optional qualifier of ASCII words, one space, and digits (grouped or not).
_PLAIN_PHRASE = re.compile(r"(?:([A-Za-z]+(?: [A-Za-z]+)*) )?([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)")
_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:\u00a0\d{3})+|\d+)(?:\.\d+)?$")
_RANGE_SEPARATORS = re.compile(r"\s*(?:-|\bto\b|\bor\b|\band\b)\s*")
_SPACES = re.compile(r"\s+")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-"})


def parse_phrase(text: str, tolerance: Fraction = DEFAULT_APPROXIMATE_TOLERANCE) -> Reading:
    """Read a number phrase as a count interval, or raise PhraseError saying why."""
    if not isinstance(text, str):
        raise PhraseError(f"expected text, got {type(text).__name__}")
    return _parse_cached(text, tolerance)


@lru_cache(maxsize=65_536)
def _parse_cached(text: str, tolerance: Fraction) -> Reading:
    # The most common phrase, a qualifier of plain words and a plain number ("about
    # 7,800"), read directly: _normalise would leave it as it is but for its case, and
    # it reads as the rest of this function would read it.
    plain = _PLAIN_PHRASE.fullmatch(text)
    if plain is not None and len(text) <= MAX_PHRASE_LENGTH:
        words, digits = plain.groups()
        qualifier = _QUALIFIER_WORDS.get(words.lower()) if words else "exact"
        if qualifier is not None:
            value = int(digits.replace(",", ""))
            if value <= MAX_COUNT:
                return _single_reading(text, qualifier, value, tolerance)
    phrase = _normalise(text)
    if not phrase:
        raise PhraseError("empty number phrase: write the number as the document does")
    if len(phrase) > MAX_PHRASE_LENGTH:
        raise PhraseError(
            f"number phrase is {len(phrase)} characters long: keep only the number words"
        )
    qualifier, rest = _split_qualifier(phrase)
    if rest.startswith(("-", "minus ", "negative ")):
        raise PhraseError(f"'{text}' is negative: a count is zero or more")
    if rest in VAGUE_WORDS:
        if qualifier != "exact":
            raise PhraseError(f"'{text}' qualifies a vague word: use an override with a reason")
        low, best, high = VAGUE_WORDS[rest]
        return Reading("vague", low, best, high, low, high)
    try:
        value = parse_number(rest)
    except PhraseError:
        bounds = _parse_range(rest)
        if bounds is None:
            raise
        return _range_reading(text, qualifier, *bounds, tolerance)
    return _single_reading(text, qualifier, value, tolerance)


def _normalise(text: str) -> str:
    phrase = text.translate(_DASHES).replace("\u00a0", " ").strip().lower()
    phrase = _SPACES.sub(" ", phrase)
    return phrase.strip(" .;:!?\"'\u201c\u201d\u2018\u2019()")


def _split_qualifier(phrase: str) -> tuple[str, str]:
    for words in _QUALIFIERS_BY_INITIAL.get(phrase[:1], ()):
        if phrase.startswith(words) and (
            len(phrase) == len(words) or not phrase[len(words)].isalnum() or words == "~"
        ):
            rest = phrase[len(words) :].strip()
            return _QUALIFIER_WORDS[words], rest
    return "exact", phrase


def _parse_range(rest: str) -> tuple[int, int] | None:
    """'30 to 40', '375-400', 'between 30 and 40', 'from 375-400', 'two or three'."""
    body = rest
    explicit = False
    for prefix in ("between ", "from "):
        if body.startswith(prefix):
            body, explicit = body[len(prefix) :], True
            break
    parts = _RANGE_SEPARATORS.split(body)
    if len(parts) != 2 or not parts[0] or not parts[1]:
        if explicit:
            raise PhraseError(f"'{rest}' does not read as a range such as 'between 30 and 40'")
        return None
    if " and " in f" {body} " and not rest.startswith("between "):
        return None
    try:
        low, high = parse_number(parts[0]), parse_number(parts[1])
    except PhraseError:
        if explicit:
            raise
        return None
    if low > high:
        raise PhraseError(f"range '{rest}' runs backwards: write the lower number first")
    return low, high


def parse_number(words: str) -> int:
    """A whole count written in digits ('7,800', '1.5 million') or words ('six')."""
    words = words.strip()
    tokens = words.replace("-", " ").split()
    if not tokens:
        raise PhraseError("no number found")
    if _DIGITS.match(tokens[0]):
        return _digits_value(tokens, words)
    return _words_value(tokens, words)


def _digits_value(tokens: list[str], words: str) -> int:
    first = tokens[0].replace(",", "").replace("\u00a0", "")
    # Whole numbers, by far the most common, skip the slower exact-fraction parse.
    amount: int | Fraction = int(first) if first.isascii() and first.isdigit() else Fraction(first)
    for token in tokens[1:]:
        if token not in _SCALES:
            raise PhraseError(f"'{words}' is not a number phrase: unexpected '{token}'")
        amount *= _SCALES[token]
    return _whole(amount, words)


def _words_value(tokens: list[str], words: str) -> int:
    """Number words with English grammar: 'twenty-five thousand three hundred'.

    A small state machine, so 'thirty forty' is refused (it reads as a range)
    rather than summed to seventy.
    """
    total, current, last, last_scale = 0, 0, "start", MAX_COUNT * 10
    index = 0
    while index < len(tokens):
        token = tokens[index]
        pair = f"{token} {tokens[index + 1]}" if index + 1 < len(tokens) else ""
        if pair == "a dozen" or token == "dozen":
            if last != "start" or len(tokens) > (2 if pair == "a dozen" else 1):
                raise PhraseError(f"'{words}' is not a number phrase")
            return 12
        value = _UNITS.get(token)
        if token in ("a", "an"):
            if last != "start":
                raise PhraseError(f"'{words}' is not a number phrase: unexpected '{token}'")
            current, last = 1, "article"
        elif value is not None and value < 10:
            if last not in ("start", "tens", "hundred", "and", "scale"):
                raise PhraseError(f"'{words}' is not a number phrase: unexpected '{token}'")
            current, last = current + value, "unit"
        elif value is not None and value < 20:
            if last not in ("start", "hundred", "and", "scale"):
                raise PhraseError(f"'{words}' is not a number phrase: unexpected '{token}'")
            current, last = current + value, "teen"
        elif value is not None:
            if last not in ("start", "hundred", "and", "scale"):
                raise PhraseError(f"'{words}' is not a number phrase: unexpected '{token}'")
            current, last = current + value, "tens"
        elif token == "hundred":
            if last not in ("unit", "teen", "tens", "article") or current >= 100:
                raise PhraseError(f"'{words}' is not a number phrase: unexpected '{token}'")
            current, last = current * 100, "hundred"
        elif token in _SCALES:
            scale = _SCALES[token]
            if last in ("start", "and") or scale >= last_scale:
                raise PhraseError(f"'{words}' is not a number phrase: unexpected '{token}'")
            total, current, last, last_scale = total + current * scale, 0, "scale", scale
        elif token == "and" and last in ("hundred", "scale"):
            last = "and"
        else:
            raise PhraseError(f"'{words}' is not a number phrase: unexpected '{token}'")
        index += 1
    if last in ("start", "and", "article"):
        raise PhraseError(f"'{words}' is not a number phrase")
    return _whole(Fraction(total + current), words)


def _whole(amount: Fraction | int, words: str) -> int:
    if amount.denominator != 1:
        raise PhraseError(f"'{words}' is not a whole count: counts of people are integers")
    value = int(amount)
    if value > MAX_COUNT:
        raise PhraseError(f"'{words}' is absurdly large (over {MAX_COUNT:,}): check for a typo")
    return value


def _tolerance_delta(value: int, tolerance: Fraction) -> int:
    # ceil(value * tolerance) in integers: exact, and without building a Fraction.
    return -((-value * tolerance.numerator) // tolerance.denominator)


def precision_unit(value: int) -> int:
    """The unit a number is stated to: 10 to the power of its trailing zeros (8,100: 100;
    20,000: 10,000; 950: 10; 30,846 and 0: 1). The coarsest reading of its precision, so
    the widest: '8,000' may be rounded to hundreds too, never to less than thousands."""
    unit = 1
    while value and value % (unit * 10) == 0:
        unit *= 10
    return unit


def approximate_bounds(value: int, tolerance: Fraction) -> tuple[int, int]:
    """The counts an approximate word allows around a number (the precision rule).

    A number stated to a unit of 10 or more is read as rounded to that unit: the counts
    that round half up to it ("approximately 8,100": 8,050 .. 8,149). A number stated to
    the unit carries no rounding to read, so the settings' share is used instead
    ("some 30,846": 30,846 +/- 10 %, rounded outward).
    """
    unit = precision_unit(value)
    if unit >= 10:
        return value - unit // 2, value + unit // 2 - 1
    delta = _tolerance_delta(value, tolerance)
    return max(0, value - delta), value + delta


def _single_reading(text: str, qualifier: str, value: int, tolerance: Fraction) -> Reading:
    if qualifier == "exact":
        return Reading("exact", value, value, value, value, value)
    if qualifier == "approximate":
        low, high = approximate_bounds(value, tolerance)
        return Reading("approximate", low, value, high, value, value)
    if qualifier == "nearly":
        low, _ = approximate_bounds(value, tolerance)
        return Reading("nearly", low, value, value, value, value)
    if qualifier == "over":
        return Reading("over", value + 1, value + 1, None, value + 1, None)
    if qualifier == "at_least":
        return Reading("at_least", value, value, None, value, None)
    if qualifier == "under":
        if value < 1:
            raise PhraseError(f"'{text}': no count is below zero")
        return Reading("under", 0, value - 1, value - 1, 0, value - 1)
    if qualifier == "at_most":
        return Reading("at_most", 0, value, value, 0, value)
    raise PhraseError(f"unknown qualifier in '{text}'")  # pragma: no cover


def _range_reading(text: str, qualifier: str, low: int, high: int, tolerance: Fraction) -> Reading:
    best = (low + high + 1) // 2
    if qualifier == "exact":
        return Reading("range", low, best, high, low, high)
    if qualifier == "approximate":
        return Reading("approximate_range", approximate_bounds(low, tolerance)[0], best,
                       approximate_bounds(high, tolerance)[1], low, high)
    raise PhraseError(f"'{text}' puts '{qualifier}' before a range: use an override with a reason")


#: The qualifier table of docs/number-phrases.md: (qualifier, words, example, meaning).
RULES: list[tuple[str, str, str]] = [
    ("exact", "a bare number: 3,198, six, one million", "3,198 -> 3,198 .. 3,198 (best 3,198)"),
    (
        "approximate",
        "approximately, about, around, roughly, some, circa, estimated, close to; the "
        "number is read as rounded to the unit of its last non-zero digit: the counts that "
        "round half up to it; a number stated to the unit is widened by the settings' "
        "approximate_tolerance instead",
        "approximately 8,100 -> 8,050 .. 8,149 (best 8,100); some 20,000 -> 15,000 .. "
        "24,999 (best 20,000); some 30,846 -> 27,761 .. 33,931 (best 30,846)",
    ),
    (
        "nearly",
        "nearly, almost, just under; the lower end as for approximate",
        "nearly 8,000 -> 7,500 .. 8,000 (best 8,000)",
    ),
    (
        "over",
        "over, more than, in excess of, upwards of, greater than, above",
        "over 7,800 -> 7,801 .. open (best 7,801)",
    ),
    (
        "at_least",
        "at least, no fewer than, no less than, a minimum of",
        "at least 200 -> 200 .. open (best 200)",
    ),
    ("under", "fewer than, less than, under, below", "fewer than 20 -> 0 .. 19 (best 19)"),
    (
        "at_most",
        "at most, up to, as many as, no more than, a maximum of",
        "as many as 388 -> 0 .. 388 (best 388)",
    ),
    (
        "range",
        "X to Y, X-Y, between X and Y, from X to Y, X or Y",
        "375-400 -> 375 .. 400 (best 388, the midpoint rounded half up)",
    ),
    (
        "approximate_range",
        "an approximate qualifier before a range: each end as for approximate",
        "about 30 to 40 -> 25 .. 44 (best 35)",
    ),
    (
        "vague",
        "a couple, a few, several, a handful, dozens, scores, hundreds, thousands, "
        "tens of thousands, hundreds of thousands, millions",
        "dozens -> 24 .. 143 (best 36); a handful -> 2 .. 10 (best 5)",
    ),
]
