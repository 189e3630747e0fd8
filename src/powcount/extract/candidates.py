"""Number phrases in a text that state counts, with everything that is not a count left out.

Two fast scans find every run of digits and every number word; each hit is then
judged by its few neighbouring characters (compiled patterns, no loops over
characters): years, dates, ages, durations, money, percentages, measures,
footnote markers (also glued: "identified.1", "in 1954.5", "7,5441"), list and
section numbers, names with numbers ("8th Army", "MI-6", "Camp 5", "K208",
"Bush 41"), issue numbers and advertising boilerplate are dropped. What is kept
is a phrase powcount.numbers.parse_phrase reads, with the qualifier before it
("over 7,800", "as many as 388", "some 20,000") and ranges ("375-400", "30 to 40").

A footnote glued to a number is split only when the comma grouping proves where
the number ends ("7,5441" is 7,544 and note 1, because a group has three
digits). Where nothing proves it (a table of ungrouped numbers, "6882", in a
document whose tables carry glued notes), the phrase is kept whole and flagged
ambiguous, for a curator to decide; never silently read as a different number.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from powcount.errors import PhraseError
from powcount.numbers import Reading, parse_phrase

# --- the two scans ---------------------------------------------------------------

_NUMBER_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    "fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    "sixty|seventy|eighty|ninety|hundred|thousand|million|billion"
)
_SCALE_WORDS = "hundred|thousand|million|billion"

#: Runs of digits (with thousands commas) in the original text.
_DIGIT_RUN = re.compile(r"\d[\d,]*")
#: Number words and vague quantity words, in the lower-cased text.
_WORD_HIT = re.compile(
    r"(?<![a-z])(?:a (?:couple|few|handful)|an? (?:" + _SCALE_WORDS + r"|dozen)|tens|"
    + _NUMBER_WORDS + r"|dozens?|scores|hundreds|thousands|millions)(?![a-z])"
)

# A digit run read as a number: grouped thousands (and what may be glued after the
# last group), or plain digits.
_GROUPED = re.compile(r"(\d{1,3}(?:,\d{3})+)(\d{1,2})?")
#: Characters that, glued before a number, make it a marker or part of a name.
_GLUED_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_.,;:!?)]}”\"’'-/"
                          "\u2013\u2014$£€¥#[+^*")
_DECIMAL_SCALE = re.compile(r"\.\d+\s+(?:thousand|million|billion)\b", re.I)
_SCALE_AFTER = re.compile(
    r"(?:[ \t]+\n?[ \t]*|\n[ \t]*)(thousand|million|billion)(?![A-Za-z])", re.I
)
_WORD_TAIL = re.compile(
    r"(?:[ \t]+\n?[ \t]*|\n[ \t]*|-)(?:and\s+)?(?:" + _NUMBER_WORDS + r")(?![a-z])"
)
_VAGUE_TAIL = re.compile(r"\s+of\s+thousands(?![a-z])")
_OF_AFTER = re.compile(r"\s+of\b")
_VAGUE = frozenset({"a couple", "a few", "a handful", "dozens", "scores", "hundreds",
                    "thousands", "millions", "tens of thousands", "hundreds of thousands"})

# --- what comes before: the last few words, looked up in sets --------------------------

_WORD_BEFORE = re.compile(r"\S+")
_QUALIFIERS: dict[tuple[str, ...], str] = {
    tuple(words.split()): words
    for words in (
        "approximately", "approx.", "approx", "about", "around", "roughly", "some", "circa",
        "an estimated", "estimated", "close to", "nearly", "almost", "just under", "over",
        "more than", "in excess of", "upwards of", "greater than", "above", "at least",
        "no fewer than", "no less than", "not less than", "a minimum of", "fewer than",
        "less than", "under", "below", "at most", "up to", "as many as", "no more than",
        "not more than", "a maximum of", "~",
    )
}  # fmt: skip
_MONTHS = frozenset(
    "jan january feb february mar march apr april may jun june jul july aug august sep sept "
    "september oct october nov november dec december".split()
)
_LABELS = frozenset(
    "no nos nr vol vols volume issue issues section sections sec sect chapter ch table figure "
    "fig page pages p pp item article art part note notes footnote endnote appendix annex "
    "exhibit line lines paragraph para rule title law act docket file serial tag grid route "
    "highway hill camp block room flight mission unit team group division regiment battalion "
    "company squadron wing corps army fleet operation cable telegram memo memorandum message "
    "doc record folder reel frame station box plot row column col step phase stage level "
    "grade class type model version edition episode season verse case # § ¶".split()
)
_AGES = frozenset({"age", "aged", "ages"})
_DEFINITES = frozenset(
    "the these those both all its their his her our my your whose each every first last "
    "next other".split()
)
_CURRENCY_WORDS = frozenset({"us$", "usd", "eur", "gbp", "rs", "rs.", "$", "£", "€", "¥"})
_OPENING_PUNCTUATION = "(“\"‘'["
_DAY = re.compile(r"\d{1,2}(?:st|nd|rd|th)?,?")
_ENDS_SENTENCE = re.compile(r"(?:[.!?\u2026][\"\u201d\u2019)\]]*\d{0,3}|[\"\u201d\u2019])\Z")
_ENDS_CLAUSE = re.compile(r"[:\u201c\"(\u2014\u2013-]\Z")
_NAME_WORD = re.compile(r"[A-Z][A-Za-z\u2019'.-]*\Z")
_LINE_OPENING = re.compile(r"[ \t]*(?:[-*\u2022>][ \t]*)?\Z")


class _Before:
    """The words before a number: the last few, lower-cased, with their offsets."""

    __slots__ = ("floor", "chunk", "words", "lowered")

    def __init__(self, text: str, start: int):
        self.floor = max(0, start - _BEFORE)
        self.chunk = text[self.floor : start]
        self.words = [(m.group(), m.start()) for m in _WORD_BEFORE.finditer(self.chunk)][-4:]
        self.lowered = [w.lower() for w, _ in self.words]

    def last(self, back: int = 1) -> str:
        return self.lowered[-back] if len(self.lowered) >= back else ""

    def qualifier(self) -> int | None:
        """Offset (in the text) where a qualifier before the number starts, if any."""
        if self.chunk.endswith("~"):
            return self.floor + len(self.chunk) - 1
        if not self.chunk[-1:].isspace():
            return None
        for size in (3, 2, 1):
            if len(self.lowered) < size:
                continue
            words = self.lowered[-size:]
            first = words[0].lstrip(_OPENING_PUNCTUATION)
            if (first, *words[1:]) in _QUALIFIERS:
                word, offset = self.words[-size]
                return self.floor + offset + (len(word) - len(first))
        return None

    def between(self) -> int | None:
        if self.chunk[-1:].isspace() and self.last().lstrip(_OPENING_PUNCTUATION) == "between":
            word, offset = self.words[-1]
            return self.floor + offset + len(word) - len("between")
        return None

    def money(self) -> bool:
        last = self.last()
        return last in _CURRENCY_WORDS or last.endswith(("$", "£", "€", "¥"))

    def month(self) -> bool:
        last = self.last().strip(",.")
        if last in _MONTHS:
            return True
        return bool(_DAY.fullmatch(self.last())) and self.last(2).strip(",.") in _MONTHS

    def label(self) -> bool:
        last = self.last()
        return last.rstrip(".:#") in _LABELS or last in _LABELS

    def age(self) -> bool:
        return self.last() in _AGES

    def definite(self) -> bool:
        return self.last().lstrip(_OPENING_PUNCTUATION) in _DEFINITES

    def ends_sentence(self) -> bool:
        return bool(self.words) and bool(_ENDS_SENTENCE.search(self.words[-1][0]))

    def name(self) -> bool:
        """A capitalised word right before the number, not opening a sentence: a name."""
        if not self.words or self.chunk[-1:] not in (" ", "\t"):
            return False
        word, offset = self.words[-1]
        if not _NAME_WORD.match(word) or self.qualifier() is not None:
            return False
        if len(self.words) < 2:
            return False  # the word opens the text (or stands after a long gap)
        previous, previous_offset = self.words[-2]
        if "\n" in self.chunk[previous_offset + len(previous) : offset]:
            return False  # the word opens a line
        return not (_ENDS_SENTENCE.search(previous) or _ENDS_CLAUSE.search(previous))


# --- what comes after ----------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_PERCENT_AFTER = re.compile(r"\s*(?:%|percent\b|per\s*cent\b|percentage\b|pct\b)", re.I)
_MONEY_AFTER = re.compile(
    r"\s*(?:(?:thousand|million|billion)\s+)?(?:dollars?|cents?|euros?|pounds\s+sterling|"
    r"yen|rubles?|roubles?|won|francs?|usd|eur|gbp)\b",
    re.I,
)
_MEASURE_AFTER = re.compile(
    r"\s*(?:miles?|mi|km|kilomet(?:er|re)s?|met(?:er|re)s?|m|feet|foot|ft|inch(?:es)?|in\.|"
    r"yards?|kg|kilograms?|grams?|lbs?|pounds?|tons?|tonnes?|acres?|hectares?|ha|square|sq|"
    r"mph|kph|knots|degrees|°|calibre|caliber|mm|cm)\b",
    re.I,
)
_DURATION_AFTER = re.compile(
    r"(?:\s+|-)(?:(?:more|long|full|short|additional|further|consecutive|straight|"
    r"successive|whole|entire)\s+)?(?:years?|yrs?|months?|weeks?|days?|nights?|hours?|hrs?|"
    r"minutes?|mins?|seconds?|decades?|centur(?:y|ies)|generations?|fortnights?|"
    r"semesters?|terms?|times|a\.m\.|p\.m\.|am\b|pm\b|o['’]clock)(?![A-Za-z])",
    re.I,
)
_OF_DURATION_AFTER = re.compile(
    r"\s+of\s+(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|centuries|times|"
    r"miles|dollars|pages)\b",
    re.I,
)
_ISSUE_AFTER = re.compile(r"\s+(?:issues?|editions?|volumes?|pages?|episodes?|"
                          r"installments?|instalments?)\b", re.I)
_MONTH_AFTER = re.compile(r"\s*(?:" + _MONTH + r")\b\.?", re.I)
_HYPHEN_WORD_AFTER = re.compile(r"-[A-Za-z]")
_TIME_AFTER = re.compile(r"[:/]\d")
_DATE_AT = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}")
_LIST_MARK_AFTER = re.compile(r"(?:[.)]|\.\d+)(?:[ \t]|$)")
_FOOTNOTE_DECIMAL_AFTER = re.compile(r"\.(\d{1,3})(?=[\"”’)\]]*(?:\s+[A-Z“\"(\[]|\s*\Z))")
_DECIMAL_AFTER = re.compile(r"\.\d")
_NEW_SENTENCE_AFTER = re.compile(r"(?:\s+[A-Z“\"(\[]|\s*\Z)")
_ONLY_ON_LINE_AFTER = re.compile(r"[ \t]*(?:\n|\Z)")
#: Nouns that make a number a count of people or things ("1950 Americans" is not a year).
_COUNT_NOUN_AFTER = re.compile(
    r"\s+(?:(?:more|other|additional|further|known|missing|living|live|american|u\.s\.|us|"
    r"u\.n\.|allied|british|soviet|german|chinese|korean|ukrainian|cossack|military|"
    r"unaccounted-for|unrecovered|recovered|unidentified|identified|surviving|former)\s+)*"
    r"(?:americans?|persons?|people|personnel|prisoners?|pows?|mias?|men|women|soldiers?|"
    r"troops?|servicem[ae]n|service\s+members?|members?|airm[ae]n|sailors?|marines?|pilots?|"
    r"civilians?|refugees?|individuals?|sets?|remains|boxes|box|cases?|reports?|defectors?|"
    r"captives?|dead|casualties|bodies|body|graves?|families|veterans?|officers?|crew|"
    r"crewm[ae]n|nationals|citizens|identifications|deserters|internees|detainees|"
    r"hostages|victims|survivors|returnees|repatriates|cossacks|ukrainians|germans|"
    r"chinese|koreans|britons|servicemembers|losses|names|sightings|records|files)\b",
    re.I,
)
_ONE_NOUN_AFTER = re.compile(
    r"\s+(?:(?:more|other|additional|further|single|known|missing|american|u\.s\.|"
    r"military|unidentified)\s+)*(?:set|person|american|prisoner|pow|mia|soldier|serviceman|"
    r"servicewoman|service\s+member|airman|sailor|marine|pilot|man|woman|body|box|case|"
    r"report|defector|individual|civilian|officer|member|casualty|crewman|veteran|"
    r"captive|hostage|survivor|grave)\b",
    re.I,
)
#: Advertising: subscription blocks, offers, prices.
_BOILERPLATE = re.compile(
    r"(?<![a-z])(?:subscri(?:be|bers?|bing|ption|ptions)|issues?\s+per\s+(?:year|month)|"
    r"money[- ]back|"
    r"cancel\s+any\s*time|ad[- ]free|free\s+trial|print\s+edition|digital\s+edition|"
    r"per\s+issue|renew\s+now|sign\s+up|newsletter\s+sign|order\s+now|"
    r"limited[- ]time\s+offer|add\s+to\s+cart|shipping)(?![a-z])"
)
_RANGE_TAIL = re.compile(
    r"(\s*[-\u2013\u2014]\s*|\s+(?:to|or)\s+)((?:\d{1,3}(?:,\d{3})+|\d+)(?![\d,]\d)"
    r"(?:\s+(?:thousand|million|billion)(?![A-Za-z]))?|(?:" + _NUMBER_WORDS + r")"
    r"(?:(?:\s+|-)(?:and\s+)?(?:" + _NUMBER_WORDS + r"))*)(?![A-Za-z\d])",
    re.I,
)
_AND_TAIL = re.compile(
    r"(\s+and\s+)((?:\d{1,3}(?:,\d{3})+|\d+)(?![\d,]\d)|(?:" + _NUMBER_WORDS + r")"
    r"(?:(?:\s+|-)(?:" + _NUMBER_WORDS + r"))*)(?![A-Za-z\d])",
    re.I,
)
#: A table row as flattening leaves it: a label, then two or more numbers.
_TABLE_ROW = re.compile(
    r"[^\d\n]*?(?:[\d,]+(?:\[\d+\])?[ \t|]+){1,}[\d,]+(?:\[\d+\])?[ \t|]*$"
)
_GLUED_GROUPED = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+\d{1,2}(?![\d,])")
_SPACES = re.compile(r"\s+")

YEAR_MIN, YEAR_MAX = 1500, 2100
#: Context read on each side of a number.
_BEFORE, _AFTER = 48, 64


@dataclass(frozen=True, slots=True)
class Found:
    """A number phrase judged to be a count."""

    start: int  # offset of value_text (its qualifier included) in the text
    end: int
    value_text: str
    reading: Reading
    ambiguous: bool
    note: str | None


class Lines:
    """Line starts, table rows and boilerplate lines of a text, computed once."""

    def __init__(self, text: str, lower: str | None = None):
        self.text = text
        self.lower = lower if lower is not None else _lowered(text)
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._table: dict[int, bool] = {}
        self._boilerplate: dict[int, bool] = {}
        self._glued_tables: bool | None = None

    def index(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def bounds(self, index: int) -> tuple[int, int]:
        start = self.starts[index]
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        return start, end

    def is_table_row(self, index: int) -> bool:
        known = self._table.get(index)
        if known is None:
            start, end = self.bounds(index)
            known = self._table[index] = bool(_TABLE_ROW.fullmatch(self.text, start, end))
        return known

    def is_boilerplate(self, index: int) -> bool:
        known = self._boilerplate.get(index)
        if known is None:
            start, end = self.bounds(index)
            known = self._boilerplate[index] = bool(_BOILERPLATE.search(self.lower, start, end))
        return known

    def tables_have_glued_notes(self) -> bool:
        """Whether any flattened table row carries a provably glued footnote."""
        if self._glued_tables is None:
            self._glued_tables = any(
                self.is_table_row(self.index(match.start()))
                for match in _GLUED_GROUPED.finditer(self.text)
            )
        return self._glued_tables


def _lowered(text: str) -> str:
    """Lower case with every character in place (a few Unicode letters grow when lowered)."""
    lower = text.lower()
    if len(lower) != len(text):
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lower


def find_counts(text: str, lines: Lines | None = None) -> list[Found]:
    """Every number phrase in the text that states a count, in text order."""
    lines = lines or Lines(text)
    lower = lines.lower
    hits = [(m.start(), m.end(), False) for m in _DIGIT_RUN.finditer(text)]
    hits += [(m.start(), m.end(), True) for m in _WORD_HIT.finditer(lower)]
    hits.sort()
    found: list[Found] = []
    consumed = -1
    for start, end, is_word in hits:
        if start < consumed:
            continue
        result = (_judge_words(text, lower, start, end, lines) if is_word
                  else _judge_digits(text, start, end, lines))
        if result is not None:
            found.append(result)
            consumed = result.end
        elif is_word:
            consumed = end
    return found


# --- digits ------------------------------------------------------------------------


def _judge_digits(text: str, start: int, end: int, lines: Lines) -> Found | None:
    if start and text[start - 1] in _GLUED_BEFORE:
        return None  # a footnote marker (".1", "”12"), a name (K208, MI-6), money, a time
    run = text[start:end].rstrip(",")
    end = start + len(run)
    glued_note: str | None = None
    grouped = _GROUPED.fullmatch(run)
    if grouped:
        number, glued_note = grouped.group(1), grouped.group(2)
    elif run.isdigit():
        number = run
    else:
        return None  # "12,34", "1,2,3": not a count as written
    if end < len(text) and (text[end].isalpha() or text[end] == "_"):
        return None  # an ordinal (8th), a decade (1950s), a code (42b)
    after = text[end : end + _AFTER]
    if _DATE_AT.match(text, start) or _TIME_AFTER.match(after):
        return None
    digits_only = grouped is None
    value = int(number.replace(",", ""))
    count_noun = bool(_COUNT_NOUN_AFTER.match(after))
    if digits_only and len(number) == 4 and YEAR_MIN <= value <= YEAR_MAX and not count_noun:
        return None  # a year ("In 1951", "in 1954.5", "1992-1996")
    number_end = start + len(number)
    before = _Before(text, start)
    if before.money() or before.age() or before.label():
        return None  # "$5", "aged 19", "No. 5", "Section 3", "Camp 5"
    if value <= 31 and (before.month() or _MONTH_AFTER.match(after)):
        return None  # "July 28, 2018", "28 July"
    ambiguous = False
    note: str | None = None
    if glued_note:
        note = f"footnote marker {glued_note} glued to {number} split off (comma grouping)"
    line_opening = _opens_line(text, start)
    if after.startswith("."):
        if _DECIMAL_SCALE.match(after):
            return _digits_with_scale(text, start, end, before, lines)
        footnote = _FOOTNOTE_DECIMAL_AFTER.match(after)
        if footnote and not glued_note:
            if line_opening:
                return None  # "1. ", "2.3 " opening a line: a list or section number
            if digits_only:
                ambiguous = True
                note = (f"'{number}.{footnote.group(1)}' may be a decimal or "
                        f"{number} with footnote marker {footnote.group(1)}")
            else:
                note = f"footnote marker {footnote.group(1)} after {number} left out"
        elif _DECIMAL_AFTER.match(after):
            return None  # a decimal ("2.5"), not a count
    value_end = number_end
    scale = None if glued_note else _SCALE_AFTER.match(text, end)
    if scale:
        value_end = scale.end()
        after = text[value_end : value_end + _AFTER]
    row = lines.index(start)
    table_row = lines.is_table_row(row)
    if not glued_note and not scale and not table_row:
        between = before.between()
        tail = _AND_TAIL.match(text, end) if between is not None else None
        if between is not None and tail:
            return _range_found(text, between, start, number_end, tail, lines, before)
        tail = _RANGE_TAIL.match(text, end)
        if tail:
            return _range_found(text, start, start, number_end, tail, lines, before)
    if _PERCENT_AFTER.match(after) or _MONEY_AFTER.match(after):
        return None
    if _MEASURE_AFTER.match(after) and not count_noun:
        return None
    if _DURATION_AFTER.match(after) or _OF_DURATION_AFTER.match(after):
        return None
    if _HYPHEN_WORD_AFTER.match(after):
        return None  # "60-Day", "19-year-old", "3-inch"
    if _ISSUE_AFTER.match(after):
        return None  # "24 Issues"
    if digits_only and value < 1000 and not count_noun:
        if line_opening and (_LIST_MARK_AFTER.match(after) or _ONLY_ON_LINE_AFTER.match(after)):
            return None  # "1." or "2)" opening a list item; a page number alone on a line
        if before.chunk.endswith("(") and after.startswith(")"):
            return None  # "(3)": an enumeration
        if before.ends_sentence() and _NEW_SENTENCE_AFTER.match(after):
            return None  # '... by 2015.” 9 New techniques': a footnote marker set apart
        if not table_row and before.name():
            return None  # "Bush 41", "Hill 355"
    if table_row and digits_only and value >= 10 and lines.tables_have_glued_notes():
        ambiguous = True
        note = (f"'{number}' stands in a table whose numbers carry glued footnote markers: "
                f"it may be {number[:-1]} with note {number[-1]}; check the document")
    if lines.is_boilerplate(row):
        return None
    return _found(text, start, value_end, before.qualifier(), ambiguous, note)


def _opens_line(text: str, offset: int) -> bool:
    """Whether only spaces or a bullet stand between the line start and the offset."""
    floor = max(0, offset - _BEFORE)
    newline = text.rfind("\n", floor, offset)
    if newline < 0 and floor > 0:
        return False
    return bool(_LINE_OPENING.match(text, newline + 1, offset))


def _digits_with_scale(text: str, start: int, end: int, before: _Before,
                       lines: Lines) -> Found | None:
    """'1.5 million': a decimal that a scale word makes whole."""
    scale = _DECIMAL_SCALE.match(text, end)
    assert scale is not None
    value_end = scale.end()
    after = text[value_end : value_end + _AFTER]
    if _PERCENT_AFTER.match(after) or _MONEY_AFTER.match(after) or before.money():
        return None
    if lines.is_boilerplate(lines.index(start)):
        return None
    return _found(text, start, value_end, before.qualifier(), False, None)


def _range_found(text: str, value_start: int, number_start: int, number_end: int,
                 tail: re.Match[str], lines: Lines, before: _Before) -> Found | None:
    after = text[tail.end() : tail.end() + _AFTER]
    if (_PERCENT_AFTER.match(after) or _MONEY_AFTER.match(after) or _DURATION_AFTER.match(after)
            or _HYPHEN_WORD_AFTER.match(after) or _MEASURE_AFTER.match(after)):
        return None
    if lines.is_boilerplate(lines.index(number_start)):
        return None
    second = tail.group(2).replace(",", "")
    if second.isdigit() and len(second) == 4 and YEAR_MIN <= int(second) <= YEAR_MAX \
            and not _COUNT_NOUN_AFTER.match(after):
        return None  # "from 45 to 1953": a span ending in a year
    qualifier = before.qualifier() if value_start == number_start else None
    found = _found(text, value_start, tail.end(), qualifier, False, None)
    if found is None:  # not a range parse_phrase reads: keep the first number alone
        return _found(text, number_start, number_end, before.qualifier(), False, None)
    return found


# --- words ---------------------------------------------------------------------------


def _judge_words(text: str, lower: str, start: int, end: int, lines: Lines) -> Found | None:
    if start and lower[start - 1] in "-\u2019'":
        return None  # "MI-six", "twenty-first" read from its second half
    word = _SPACES.sub(" ", lower[start:end])
    if word in ("tens", "hundreds"):
        tail = _VAGUE_TAIL.match(lower, end)
        if tail:
            end = tail.end()
            word = f"{word} of thousands"
        elif word == "tens":
            return None
    if word in _VAGUE:
        return _judge_vague(text, lower, start, end, lines)
    # Extend over the following number words: "twenty-five thousand", "one million".
    while True:
        tail = _WORD_TAIL.match(lower, end)
        if not tail:
            break
        end = tail.end()
    phrase = _SPACES.sub(" ", lower[start:end])
    after = text[end : end + _AFTER]
    if _HYPHEN_WORD_AFTER.match(after):
        return None  # "three-year", "thirty-years-old", "one-sided"
    if _DURATION_AFTER.match(after) or _OF_DURATION_AFTER.match(after):
        return None
    if _PERCENT_AFTER.match(after) or _MONEY_AFTER.match(after) or _MEASURE_AFTER.match(after):
        return None
    if _ISSUE_AFTER.match(after):
        return None
    before = _Before(text, start)
    if before.definite() or before.age() or before.label():
        return None  # "the three powers", "the two sides"
    if phrase == "one" and not _ONE_NOUN_AFTER.match(after):
        return None  # "One hopes", "one of the conditions", "one another"
    if phrase in ("dozen", "a dozen") or phrase.startswith(("a ", "an ")):
        if not _COUNT_NOUN_AFTER.match(after):
            return None
    if phrase in ("hundred", "thousand", "million", "billion"):
        return None  # a bare scale word, not a count
    if lines.is_boilerplate(lines.index(start)):
        return None
    qualifier = before.qualifier()
    between = before.between()
    if between is not None:
        and_tail = _AND_TAIL.match(text, end)
        if and_tail:
            found = _found(text, between, and_tail.end(), None, False, None)
            if found is not None:
                return found
    range_tail = _RANGE_TAIL.match(text, end)
    if range_tail:
        found = _found(text, start, range_tail.end(), qualifier, False, None)
        if found is not None:
            return found
    return _found(text, start, end, qualifier, False, None)


def _judge_vague(text: str, lower: str, start: int, end: int, lines: Lines) -> Found | None:
    after = lower[end : end + _AFTER]
    word = _SPACES.sub(" ", lower[start:end])
    if word not in ("tens of thousands", "hundreds of thousands") and not _OF_AFTER.match(after):
        return None  # "several researchers", "a few": only "a few of", "dozens of" count
    if _OF_DURATION_AFTER.match(after):
        return None  # "dozens of times", "a couple of years"
    if _Before(text, start).definite():
        return None
    if lines.is_boilerplate(lines.index(start)):
        return None
    return _found(text, start, end, None, False, None)


# --- shared --------------------------------------------------------------------------


def _found(text: str, value_start: int, value_end: int, qualifier_start: int | None,
           ambiguous: bool, note: str | None) -> Found | None:
    start = value_start if qualifier_start is None else qualifier_start
    value_text = _SPACES.sub(" ", text[start:value_end]).strip()
    try:
        reading = parse_phrase(value_text)
    except PhraseError:
        if qualifier_start is None:
            return None
        # A qualifier the parser will not put before this phrase ("some dozens"): drop it.
        return _found(text, value_start, value_end, None, ambiguous, note)
    return Found(start, value_end, value_text, reading, ambiguous, note)
