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
from functools import partial
from operator import itemgetter, methodcaller
from typing import NamedTuple

from powcount.catalog.rules import bare_number
from powcount.errors import PhraseError
from powcount.numbers import Reading, parse_phrase

# --- the two scans ---------------------------------------------------------------

_NUMBER_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    "fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    "sixty|seventy|eighty|ninety|hundred|thousand|million|billion"
)
_SCALE_WORDS = "hundred|thousand|million|billion"



def _digit_run(digit: str) -> re.Pattern[str]:
    """Runs of digits (with thousands commas) in the original text that stand after a
    space, a bracket or a quote, ``digit`` the class of digits: glued to anything else
    ("identified.1", "K208", "MI-6", "$5", "10:30") a number is a footnote marker, part
    of a name, money or a time.

    The pattern opens with the digit itself and looks back from it, so the scan skips
    to digits in C rather than trying the look-behind at every character.
    """
    year_tail = f"[{digit}][{digit}](?![{digit}]|,[{digit}]|[a-zA-Z])(?![ \\t]+[A-Za-z])"
    return re.compile(
        f"[{digit}](?<![^\\s(\u201c\u2018~\"'][{digit}])"
        # A bare year ("In 1951,", "1992-1996") is skipped here, unless a noun follows it.
        f"(?!(?<=1)[5-9]{year_tail}|(?<=2)0{year_tail})"
        f"[{digit},]*"
    )


_DIGIT_RUN = _digit_run(r"\d")
#: The same for a text whose only digits are 0-9: a range is tested in C at every
#: character at a fraction of the cost of the Unicode digit category (\d).
_ASCII_DIGIT_RUN = _digit_run("0-9")
_DIGIT = re.compile(r"\d")
_ASCII_BYTES = bytes(range(128))
#: Latin-1 bytes with what may stand before a digit run (whitespace, "(", "~", quotes,
#: and "?", which stands for every character beyond Latin-1: curly quotes, Unicode
#: spaces) as a space, digits as 0, letters a to z as a, "-" as itself, every other
#: byte as x (see _character_classes).
_RUN_OPENINGS = bytes(
    48 if 48 <= c <= 57 else 32 if chr(c).isspace() or chr(c) in "(~\"'?"
    else 97 if 97 <= c <= 122 else 45 if c == 45 else 120
    for c in range(256)
)
_RUN_OPENING = re.compile(b" 0")
#: Digits glued to a word ("Individuals4", "present25"), and a word, a dash and digits
#: ("Laos-280"), in the same classes.
_GLUED_OPENING = re.compile(b"a0")
_DASH_OPENING = re.compile(b"a-0")
#: Either of the two, for the test whether a text holds one: opening with the digit,
#: the scan skips to the few digits in C and looks back only there, where a test for
#: "a0" stops at every letter (about half the cost of the two literal scans).
_GLUED_OR_DASH = re.compile(b"0(?:(?<=a0)|(?<=a-0))")
#: Characters beyond Latin-1 in a text up to which they are checked one by one for
#: digits beyond 0-9; past it, the text's UTF-8 is sifted instead.
_FEW_WIDE = 256
#: Number words and vague quantity words, in the lower-cased text.
_WORD_HITS = (
    ["a couple", "a few", "a handful"]
    + [f"{article} {word}" for article in ("a", "an")
       for word in (*_SCALE_WORDS.split("|"), "dozen")]
    + ["tens", *_NUMBER_WORDS.split("|"), "dozen", "dozens", "scores", "hundreds", "thousands",
       "millions"]
)


class _Words:
    """Whole words (not after a letter) of some alternatives, in a lower-cased text.

    The pattern takes the character before the word instead of looking behind for
    it, and each alternative's first letter is pulled out front: the scan then
    tries a match only after a non-letter, and one branch per initial there. This
    is several times faster than a look-behind tried at every character.
    """

    def __init__(self, alternatives: list[str]):
        if all(_PLAIN.fullmatch(alternative) for alternative in alternatives) and not any(
                other.startswith(f"{alternative} ") for alternative in alternatives
                for other in alternatives):
            # Plain words as a tree of their letters: a word not in the list fails after
            # a letter or two, where the words of one initial would each be tried. With
            # no word the first words of another, a place matches one word at most, so
            # the order of the branches changes nothing.
            words = f"{_letter_tree(alternatives)}(?![a-z])"
        else:
            groups: dict[str, list[str]] = {}
            for alternative in alternatives:
                groups.setdefault(alternative[0], []).append(alternative[1:])
            words = "(?:" + "|".join(f"{initial}(?:{'|'.join(rests)})"
                                     for initial, rests in groups.items()) + ")(?![a-z])"
        self._inside = re.compile(f"[^a-z]({words})")
        self._opening = re.compile(words)
        # Alternatives of letters and single spaces alone are also looked for in
        # _LETTERS_AND_SPACES bytes: after a space, then after any other non-letter
        # (two scans that skip in C to one byte, not a test of every character).
        self._bytes: tuple[re.Pattern[bytes], re.Pattern[bytes]] | None = None
        if re.fullmatch(r"[a-z ()?:|]*", "".join(alternatives)):
            self._bytes = (re.compile(f" ({words})".encode()),
                           re.compile(f"\x00{_initial_test(alternatives)}({words})".encode()))

    def spans(self, lower: str, latin1: bytes | None = None) -> list[tuple[int, int]]:
        """``latin1``, when given, is ``lower`` encoded as Latin-1 with "replace"."""
        opening = self._opening.match(lower)
        # The scan goes on after the opening word, as one scan over the text would.
        after = opening.end() if opening is not None else 0
        if latin1 is None or self._bytes is None:
            found = [(m.start(1), m.end()) for m in self._inside.finditer(lower, after)]
        else:
            found = _byte_spans(*self._bytes, latin1.translate(_LETTERS_AND_SPACES), after)
        return [opening.span(), *found] if opening is not None else found


_PLAIN = re.compile("[a-z]+(?: [a-z]+)*")


def _initial_test(alternatives: list[str]) -> str:
    """A look-ahead for the letters the alternatives open with, to put before them in
    the scan after a non-letter; empty when one opens with anything else.

    A speed trick (benchmarks/extract_bench.py): a non-letter (a digit, a stop) is
    mostly followed by another non-letter or a space, which the one class test turns
    away before the alternatives are tried; it halves that scan. After a space the
    test costs more than it saves (a letter mostly follows), so it is not used there.
    """
    initials = {alternative[:1] for alternative in alternatives}
    if not all("a" <= initial <= "z" for initial in initials):
        return ""
    return f"(?=[{''.join(sorted(initials))}])"
#: Letters to the letters after them; "" marks a word's end.
_Tree = dict[str, "_Tree"]


def _letter_tree(words: list[str]) -> str:
    """A pattern matching exactly the words (letters and spaces), as a tree of their
    letters."""
    tree: _Tree = {}
    for word in words:
        node = tree
        for letter in word:
            node = node.setdefault(letter, {})
        node[""] = {}  # a word ends here

    def branches(node: _Tree) -> str:
        alternatives = [letter + branches(node[letter]) for letter in sorted(node) if letter]
        if not alternatives:
            return ""
        either = "|".join(alternatives)
        if "" in node:
            return f"(?:{either})?"
        return either if len(alternatives) == 1 else f"(?:{either})"

    return branches(tree)


def _byte_spans(spaced: re.Pattern[bytes], other: re.Pattern[bytes], data: bytes,
                after: int) -> list[tuple[int, int]]:
    """_Words spans from its two byte patterns, in _LETTERS_AND_SPACES bytes."""
    found = list(map(_GROUP_SPAN, spaced.finditer(data, after)))
    more = list(map(_GROUP_SPAN, other.finditer(data, after)))
    if not more or not found:
        return found or more
    # One scan takes the leftmost match, then goes on after it: of two that
    # overlap (a word inside "a hundred"), the later is left out. (Only the
    # last word of a phrase can start a match inside it, and both end there.)
    kept: list[tuple[int, int]] = []
    reached = after
    for start, end in sorted(found + more):
        if start > reached:  # its non-letter, at start - 1, not in the last match
            kept.append((start, end))
            reached = end
    return kept


#: Latin-1 bytes with letters and spaces kept, every other byte as 0.
_LETTERS_AND_SPACES = bytes(c if 97 <= c <= 122 or c == 32 else 0 for c in range(256))
_GROUP_SPAN = methodcaller("span", 1)
_WORD_HIT = _Words(_WORD_HITS)

# A digit run read as a number: grouped thousands (and what may be glued after the
# last group), or plain digits.
_GROUPED = re.compile(r"(\d{1,3}(?:,\d{3})+)(\d{1,2})?")
_DECIMAL_SCALE = re.compile(r"\.\d+\s+(?:thousand|million|billion)\b")
_SCALE_AFTER = re.compile(r"(?:[ \t]+\n?[ \t]*|\n[ \t]*)(thousand|million|billion)(?![a-z])")
_WORD_TAIL = re.compile(
    r"(?:[ \t]+\n?[ \t]*|\n[ \t]*|-)(?:and\s+)?(?:" + _NUMBER_WORDS + r")(?![a-z])"
)
_VAGUE_TAIL = re.compile(r"\s+of\s+thousands(?![a-z])")
_OF_AFTER = re.compile(r"\s+of\b")
_VAGUE = frozenset({"a couple", "a few", "a handful", "dozens", "scores", "hundreds",
                    "thousands", "millions", "tens of thousands", "hundreds of thousands"})

# --- what comes before: the last few words, looked up in sets --------------------------

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
_QUALIFIER_ENDS = frozenset(words[-1] for words in _QUALIFIERS)
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
    "grade class type model version edition episode season verse case # § ¶ "
    # Plan and order designations: "Op Plan 14-54" is a name, not a range.
    "plan plans op oplan oplans conplan opord directive".split()
)
_AGES = frozenset({"age", "aged", "ages"})
#: Words after which "at" gives an age: "died at 91".
_DIED = frozenset({"died", "dies", "die", "dying", "death", "away"})
#: Qualifier words that are also the particle of a phrasal verb ("handed over",
#: "turned over", "took over"), and the verbs that take them.
_PARTICLES = frozenset({"over", "under", "about", "around", "above", "below"})
_PHRASAL_VERBS = frozenset(
    "hand turn take took taken give gave given sign pass hold held carry carri win won "
    "get got look go went gone bring brought fought argu quarrel talk think thought "
    "brought mull wrangl handl tipp knock knocked".split()
)
_DEFINITES = frozenset(
    "the these those both all its their his her our my your whose each every first last "
    "next other".split()
)
_CURRENCY_WORDS = frozenset({"us$", "usd", "eur", "gbp", "rs", "rs.", "$", "£", "€", "¥"})
_OPENING_PUNCTUATION = "(“\"‘'["
_DAY = re.compile(r"\d{1,2}(?:st|nd|rd|th)?,?")
_ENDS_SENTENCE = re.compile(r"(?:[.!?\u2026][\"\u201d\u2019)\]]*\d{0,3}|[\"\u201d\u2019])\Z")
_ENDS_CLAUSE = re.compile(r"[:\u201c\"(\u2014\u2013-]\Z")
_NAME_WORD = re.compile(r"[A-Z][a-z][A-Za-z\u2019'.-]*\Z")
_LINE_OPENING = re.compile(r"[ \t]*(?:[-*\u2022>][ \t]*)?\Z")
#: The characters _LINE_OPENING can end in, and the line break before it.
_LINE_OPENING_ENDS = " \t-*\u2022>\n"


class _Before:
    """The words before a number: the last few, and their lower case."""

    __slots__ = ("floor", "chunk", "words", "lowered")

    def __init__(self, text: str, start: int, lower: str | None = None):
        """``lower``, when given, is the text's lower case, character for character the
        lower case of any slice of it (Lines.sliced_lower)."""
        floor = self.floor = start - _BEFORE if start > _BEFORE else 0
        chunk = self.chunk = text[floor:start]
        # The last four words, split from the right (as split()[-4:], with fewer made).
        self.words = chunk.rsplit(None, 4)[-4:]
        # Lower case keeps every space where it is, so the last words lowered are the
        # last words of the lowered chunk.
        self.lowered = (lower[floor:start] if lower is not None
                        else chunk.lower()).rsplit(None, 4)[-4:]

    def last(self, back: int = 1) -> str:
        return self.lowered[-back] if len(self.lowered) >= back else ""

    def _start_of(self, back: int) -> int:
        """Offset in the chunk of the word ``back`` places from the end."""
        chunk = self.chunk
        parts = chunk.rsplit(None, back)
        if len(parts) > back:
            rest = chunk[len(parts[0]) :]
            return len(parts[0]) + len(rest) - len(rest.lstrip())
        return len(chunk) - len(chunk.lstrip())

    def qualifier(self) -> int | None:
        """Offset (in the text) where a qualifier before the number starts, if any."""
        chunk = self.chunk
        if chunk.endswith("~"):
            return self.floor + len(chunk) - 1
        if not chunk[-1:].isspace():
            return None
        lowered = self.lowered
        # Every qualifier ends in one of a few words: most numbers follow none of them.
        last = lowered[-1] if lowered else ""
        if last not in _QUALIFIER_ENDS and last.lstrip(_OPENING_PUNCTUATION) not in _QUALIFIER_ENDS:
            return None
        for size in (3, 2, 1):
            if len(lowered) < size:
                continue
            words = lowered[-size:]
            first = words[0].lstrip(_OPENING_PUNCTUATION)
            if (first, *words[1:]) in _QUALIFIERS:
                if size == 1 and first in _PARTICLES and _phrasal(self.last(2)):
                    return None  # "handed over 55 boxes": a verb's particle, not "more than"
                return (self.floor + self._start_of(size)
                        + len(self.words[-size]) - len(first))
        return None

    def between(self) -> int | None:
        if self.chunk[-1:].isspace() and self.last().lstrip(_OPENING_PUNCTUATION) == "between":
            return self.floor + self._start_of(1) + len(self.words[-1]) - len("between")
        return None

    def rules_out(self) -> bool:
        """Money, an age or a label before the number: money(), age() or label()."""
        lowered = self.lowered
        last = lowered[-1] if lowered else ""
        if last in _CURRENCY_WORDS or last.endswith(("$", "£", "€", "¥")) or last in _AGES:
            return True
        if last == "at" and self.last(2) in _DIED:
            return True  # "died at 91", "passed away at 88"
        if last.rstrip(".:#") in _LABELS or last in _LABELS:
            return True
        return last == "of" and self.last(2).isdigit() and self.last(3) in _LABELS

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
        if last.rstrip(".:#") in _LABELS or last in _LABELS:
            return True
        # "Page 1 of 2", "Table 3 of 5": the second number counts pages, not people.
        return last == "of" and self.last(2).isdigit() and self.last(3) in _LABELS

    def age(self) -> bool:
        return self.last() in _AGES or self.last() == "at" and self.last(2) in _DIED

    def definite(self) -> bool:
        return self.last().lstrip(_OPENING_PUNCTUATION) in _DEFINITES

    def ends_sentence(self) -> bool:
        return bool(self.words) and bool(_ENDS_SENTENCE.search(self.words[-1]))

    def name(self) -> bool:
        """A capitalised word right before the number, not opening a sentence: a name."""
        if len(self.words) < 2 or self.chunk[-1:] not in (" ", "\t"):
            return False  # no word, or one that opens the text (or follows a long gap)
        word, previous = self.words[-1], self.words[-2]
        if not _NAME_WORD.match(word) or self.qualifier() is not None:
            return False
        if _COUNT_NOUN_WORD.fullmatch(self.lowered[-1]):
            return False  # "Individuals 16": a flattened table's label, then its number
        gap = self.chunk.rstrip(" \t")[: -len(word)]
        if "\n" in gap[len(gap.rstrip()) :]:
            return False  # the word opens a line
        return not (_ENDS_SENTENCE.search(previous) or _ENDS_CLAUSE.search(previous))


# --- what comes after: matched in place; the lower-case patterns on the lowered text ---

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_PERCENT = r"\s*(?:%|percent\b|per\s*cent\b|percentage\b|pct\b)"
_MONEY = (
    r"\s*(?:(?:thousand|million|billion)\s+)?(?:dollars?|cents?|euros?|pounds\s+sterling|"
    r"yen|rubles?|roubles?|won|francs?|usd|eur|gbp)\b"
)
_DURATION = (
    r"(?:\s+|-)(?:(?:more|long|full|short|additional|further|consecutive|straight|"
    r"successive|whole|entire)\s+)?(?:years?|yrs?|months?|weeks?|days?|nights?|hours?|hrs?|"
    r"minutes?|mins?|seconds?|decades?|centur(?:y|ies)|generations?|fortnights?|"
    r"semesters?|terms?|times|a\.m\.|p\.m\.|am\b|pm\b|o['\u2019]clock)(?![a-z])"
)
_OF_DURATION = (
    r"\s+of\s+(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|centuries|times|"
    r"miles|dollars)\b"
)
_ISSUE = r"\s+(?:issues?|editions?|volumes?|episodes?|installments?|instalments?)\b"
#: What makes a number not a count: percent, money, a duration ("three years",
#: "dozens of times"), a hyphenated word ("60-Day", "19-year-old"), issues. Units of
#: measure (time, distance, weight, money, shares) are not counts; countable things
#: are, whatever they are ("thousands of pages", "208 boxes"): whether a count is of
#: people is the classifier's question, not the scanner's.
_NOT_A_COUNT_AFTER = re.compile(
    "|".join(f"(?:{p})" for p in (_PERCENT, _MONEY, _DURATION, _OF_DURATION, r"-[a-z]", _ISSUE))
)
_OF_DURATION_AFTER = re.compile(_OF_DURATION)
_MONEY_OR_PERCENT_AFTER = re.compile(f"(?:{_PERCENT})|(?:{_MONEY})")
_MEASURE_AFTER = re.compile(
    r"\s*(?:miles?|mi|km|kilomet(?:er|re)s?|met(?:er|re)s?|m|feet|foot|ft|inch(?:es)?|in\.|"
    r"yards?|kg|kilograms?|grams?|lbs?|pounds?|tons?|tonnes?|acres?|hectares?|ha|square|sq|"
    r"mph|kph|knots|degrees|\u00b0|calibre|caliber|mm|cm)\b"
)
_MONTH_AFTER = re.compile(r"\s*" + _MONTH + r"\b")
#: A month's name or abbreviation, lower case, as a pattern (for the ledger's draft).
MONTH_PATTERN = _MONTH
#: Words that make the number after them a label ("Section 3", "Camp 5", "Op Plan 14").
LABEL_WORDS = _LABELS
_TIME_AFTER = re.compile(r"[:/]\d")
_DATE_AT = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}")
_PHONE_AT = re.compile(r"\d{3}[-.\u2013 ]\d{4}(?!\d)|\d{3}\)\s*\d{3}[-.]\d{4}")
#: Numbers joined by two or more dashes or dots: telephone, serial and ISBN numbers.
_IDENTIFIER_AT = re.compile(r"\d+(?:[-.]\d+){2,}")
_LIST_MARK_AFTER = re.compile(r"(?:[.)]|\.\d+)(?:[ \t]|\n|\Z)")
_FOOTNOTE_DECIMAL_AFTER = re.compile(
    r"\.(\d{1,3})(?=[\"\u201d\u2019)\]]*(?:\s+(?:[A-Z][a-z]|[\u201c\"(\[])|\s*\Z))"
)
_DECIMAL_AFTER = re.compile(r"\.\d")
_NEW_SENTENCE_AFTER = re.compile(r"(?:\s+(?:[A-Z][a-z]|[\u201c\"(\[])|\s*\Z)")
_ONLY_ON_LINE_AFTER = re.compile(r"[ \t]*(?:\n|\Z)")
#: Nouns that make a number a count of people or things ("1950 Americans" is not a year).
#: A footnote marker may be glued to the noun ("12 Individuals4").
_COUNT_NOUNS = (
    r"americans?|persons?|people|personnel|prisoners?|pows?|mias?|men|women|soldiers?|"
    r"troops?|servicem[ae]n|service\s+members?|members?|airm[ae]n|sailors?|marines?|pilots?|"
    r"civilians?|refugees?|individuals?|sets?|remains|boxes|box|cases?|reports?|defectors?|"
    r"captives?|dead|casualties|bodies|body|graves?|families|veterans?|officers?|crew|"
    r"crewm[ae]n|nationals|citizens|identifications|deserters|internees|detainees|"
    r"hostages|victims|survivors|returnees|repatriates|cossacks|ukrainians|germans|"
    r"chinese|koreans|britons|servicemembers|losses|names|sightings|records|files|"
    r"caskets?|coffins?|unknowns"
)
_COUNT_NOUN_AFTER = re.compile(
    r"\s+(?:(?:more|other|additional|further|known|missing|living|live|american|u\.s\.|us|"
    r"u\.n\.|allied|british|soviet|german|chinese|korean|ukrainian|cossack|military|"
    r"unaccounted-for|unrecovered|recovered|unidentified|identified|surviving|former)\s+)*"
    f"(?:{_COUNT_NOUNS})(?![a-z])"
)
#: A capitalised count noun before a number is a table's label, not a name ("Individuals 16").
_COUNT_NOUN_WORD = re.compile(f"(?:{_COUNT_NOUNS})")
_ONE_NOUN_AFTER = re.compile(
    r"\s+(?:(?:more|other|additional|further|single|known|missing|american|u\.s\.|"
    r"military|unidentified)\s+)*(?:set|person|american|prisoner|pow|mia|soldier|serviceman|"
    r"servicewoman|service\s+member|airman|sailor|marine|pilot|man|woman|body|box|case|"
    r"report|defector|individual|civilian|officer|member|casualty|crewman|veteran|"
    r"captive|hostage|survivor|grave)\b"
)
class _Phrases(_Words):
    """Whole phrases of some alternatives, in a lower-cased text, where one scan of
    _Words.spans would find them, looked for only where a phrase's first letters open a
    word.

    The phrases are rare and open with a few words: one scan for those words (after a
    space, which the scan skips to in C) and a match where one stands cost a fraction
    of a scan that tries the whole pattern after every non-letter.
    """

    def __init__(self, alternatives: list[str]):
        super().__init__(alternatives)
        openings = sorted({_first_letters(alternative) for alternative in alternatives})
        initials = "".join(sorted({opening[0] for opening in openings}))
        self._openings = re.compile(
            f" (?=[{initials}])(?:{'|'.join(openings)})".encode()
        )

    def starts(self, lower: str, latin1: bytes) -> list[int]:
        """Where the phrases start, as ``[start for start, _ in self.spans(lower)]``.

        ``latin1`` is ``lower`` encoded as Latin-1 with "replace".
        """
        # Letters kept, every other character a space, one more space in front: a word
        # starting at ``i`` in the text is found at ``i`` in the bytes, after its space.
        spaced = b" " + latin1.translate(_LETTERS_ELSE_SPACE)
        places = [found.start() for found in self._openings.finditer(spaced)]
        if not places:
            return []
        # One scan takes the leftmost match and goes on after it: a match needs its
        # non-letter before it at or after the end of the last one.
        starts: list[int] = []
        reached = -1
        match = self._opening.match
        for place in places:
            if place > reached:
                found = match(lower, place)
                if found is not None:
                    starts.append(place)
                    reached = found.end()
        return starts


def _first_letters(alternative: str) -> str:
    """The letters every match of an alternative opens with ("issues?..." -> "issue")."""
    letters = re.match("[a-z]*", alternative)
    assert letters is not None
    opening = letters.group()
    if alternative[len(opening) : len(opening) + 1] in ("?", "*", "{"):
        opening = opening[:-1]
    if not opening:
        raise ValueError(f"phrase {alternative!r} does not open with a letter")
    return opening


#: Latin-1 bytes with letters kept, every other byte a space.
_LETTERS_ELSE_SPACE = bytes(c if 97 <= c <= 122 else 32 for c in range(256))
#: Advertising: subscription blocks, offers, prices.
_BOILERPLATE = _Phrases([
    r"subscri(?:be|bers?|bing|ption|ptions)", r"issues?\s+per\s+(?:year|month)",
    r"money[- ]back", r"cancel\s+any\s*time", r"ad[- ]free", r"free\s+trial",
    r"print\s+edition", r"digital\s+edition", r"per\s+issue", r"renew\s+now", r"sign\s+up",
    r"newsletter\s+sign", r"order\s+now", r"limited[- ]time\s+offer", r"add\s+to\s+cart",
    r"shipping",
])
#: Words without which no line is advertising.
_BOILERPLATE_STEMS = ("subscri", "per year", "per month", "money", "cancel", "ad free",
                      "ad-free", "free trial", "edition", "per issue", "renew", "sign up",
                      "order now", "limited", "cart", "shipping", "issues")
_RANGE_TAIL = re.compile(
    r"(\s*[-\u2013\u2014]\s*|\s+(?:to|or)\s+)((?:\d{1,3}(?:,\d{3})+|\d+)(?![\d,]\d)"
    r"(?:\s+(?:thousand|million|billion)(?![a-z]))?|(?:" + _NUMBER_WORDS + r")"
    r"(?:(?:\s+|-)(?:and\s+)?(?:" + _NUMBER_WORDS + r"))*)(?![a-z\d])"
)
_AND_TAIL = re.compile(
    r"(\s+and\s+)((?:\d{1,3}(?:,\d{3})+|\d+)(?![\d,]\d)|(?:" + _NUMBER_WORDS + r")"
    r"(?:(?:\s+|-)(?:" + _NUMBER_WORDS + r"))*)(?![a-z\d])"
)
#: A table row as flattening leaves it: a label, then two or more numbers.
_TABLE_ROW = re.compile(
    r"[^\d\n]*?(?:[\d,]+(?:\[\d+\])?[ \t|]+){1,}[\d,]+(?:\[\d+\])?[ \t|]*$"
)
#: Opening with the digit, then looking back past it: the scan skips in C to digits.
_GLUED_HINT = re.compile(r",\d{4}")
_GLUED_GROUPED = re.compile(r"\d(?<![\d,]\d)\d{0,2}(?:,\d{3})+\d{1,2}(?![\d,])")
_SPACES = re.compile(r"\s+")
_ODD_SPACE = re.compile(r"[^\S ]| {2}")

YEAR_MIN, YEAR_MAX = 1500, 2100
#: Years that a flattened table glues to the count after them ("199433 boxes").
GLUED_YEAR_MIN, GLUED_YEAR_MAX = 1900, 2029
_AGE_AFTER = re.compile(r", (?:of|from) [A-Z]")
_NAMED_BEFORE = re.compile(r"[A-Z][a-z]+, \Z")
_RANKS = (
    r"Sergeant|Sgt\.|Staff\s+Sgt\.|Master\s+Sgt\.|Corporal|Cpl\.|Private|Pvt\.|Pfc\.|PFC|"
    r"Specialist|Spc\.|Lieutenant|Lt\.|Captain|Capt\.|Major|Maj\.|Colonel|Col\.|"
    r"Lt\.\s+Col\.|General|Gen\.|Airman|Seaman|Ensign|Commander|Cmdr\.|Cdr\.|"
    r"Petty\s+Officer|Chief|Mr\.|Mrs\.|Ms\.|Dr\."
)
#: "one" as a count of one person: named after it ("one, Sergeant Smith, was returned"),
#: or one of a group that something happened to ("one of these was identified").
_ONE_PERSON_AFTER = re.compile(
    r",\s+(?:(?:" + _RANKS + r")\s+(?:[A-Z][a-z]+\s+)*[A-Z][a-z]+"
    r"|[A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z]+)+),"
    r"|\s+of\s+(?:these|them|those)\s+(?:was|were|is|has|had|died|remains|remained)\b"
)
#: Vague words a headline uses for "many" ("Thousands of ... Vanished"), not as a count.
#: Nothing after a number word: the end of a clause.
_NOTHING_COUNTED_AFTER = re.compile(r"[ \t]*(?:[,.;:)!?]|\n|\Z|\s+(?:and|or|but)\b)")
_HEADLINE_VAGUE = frozenset({"hundreds", "thousands", "millions", "tens of thousands",
                             "hundreds of thousands"})
_HEADLINE_END = '.!?:;,"\u201d)'
_WORD_BEFORE = re.compile(r"(?<![^\s(\[;,:\u201c\"'])([A-Za-z]+)\Z")
_DIGITS = re.compile(r"\d+")
_CELL_END_AFTER = re.compile(r"[ \t]*(?:\n|\Z)|[ \t]+(?:\d|[A-Z(|])")
_OTHER_NUMBER = re.compile(r"(?<!\S)\d")
_DASH_LABEL = re.compile(r"(?<![^\s(;,:])[A-Z][a-z]{2,}\Z")
_DASH_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?=[ \t]*[,;)(]|[ \t]*\.?[ \t]*(?:\n|\Z))")
#: Phrases already read, by their text (the same few thousand recur in a corpus).
_READINGS: dict[str, Reading] = {}
_READINGS_KEPT = 100_000
#: Context read on each side of a number.
_BEFORE, _AFTER = 48, 64


class Found(NamedTuple):
    """A number phrase judged to be a count."""

    start: int  # offset of value_text (its qualifier included) in the text
    end: int
    value_text: str
    reading: Reading
    ambiguous: bool
    note: str | None


#: A Found from a tuple of its fields, without the named tuple's Python-level constructor.
_new_found = partial(tuple.__new__, Found)


class Lines:
    """Line starts, table rows and boilerplate lines of a text, computed once."""

    def __init__(self, text: str, lower: str | None = None):
        self.text = text
        self.lower = lower if lower is not None else _lowered(text)
        #: The lower case again where any slice of it is that slice's lower case: not
        #: when a letter lowers to two characters (the lower case keeps it) or lowers
        #: by its neighbours (a final sigma).
        self.sliced_lower = (self.lower if "\u0130" not in text and "\u03a3" not in text
                             and len(self.lower) == len(text) else None)
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._table: dict[int, bool] = {}
        self._boilerplate: set[int] | None = None
        self._glued_tables: bool | None = None
        self._latin1: bytes | None = None
        self._classes: bytes | None = None

    def latin1(self) -> bytes:
        """The lower case as Latin-1, one byte a character ("?" for the others)."""
        if self._latin1 is None:
            self._latin1 = self.lower.encode("latin-1", "replace")
        return self._latin1

    def classes(self) -> bytes:
        """_character_classes of the text, computed once."""
        if self._classes is None:
            self._classes = _character_classes(self.latin1())
        return self._classes

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
            last = self.text[max(start, end - 4) : end].rstrip()[-1:]
            # A row ends in a number (or its bracketed note): prose ends in a word or a stop.
            known = self._table[index] = (last.isdigit() or last == "]") and _table_row(
                self.text, start, end)
        return known

    def is_boilerplate(self, index: int) -> bool:
        if self._boilerplate is None:
            lower = self.lower
            self._boilerplate = set()
            # A text without the stems has never been advertising, whatever the pattern
            # finds: the stems (literal scans in C) are asked first, and the phrases only
            # of the few texts that hold one.
            if _may_hold_boilerplate(lower):
                starts = _BOILERPLATE.starts(lower, self.latin1())
                if starts:
                    self._boilerplate = set(map(self.index, starts))
        return index in self._boilerplate

    def tables_have_glued_notes(self) -> bool:
        """Whether any flattened table row carries a provably glued footnote."""
        if self._glued_tables is None:
            # Every glued grouped number holds a comma before four digits: a scan for
            # that (a literal first) rules most texts out at once.
            self._glued_tables = _GLUED_HINT.search(self.text) is not None and any(
                self.is_table_row(self.index(match.start()))
                for match in _GLUED_GROUPED.finditer(self.text)
            )
        return self._glued_tables


def _may_hold_boilerplate(lower: str) -> bool:
    """Whether a lower-cased text holds one of _BOILERPLATE_STEMS: without one, no line
    of it is advertising.

    A speed trick (benchmarks/extract_bench.py): the literal scans cost less than the
    phrase scan, which then runs only on the one text in ten that holds a stem.
    """
    return any(stem in lower for stem in _BOILERPLATE_STEMS)


#: What a table row's cells and separators are made of, after its label (ASCII).
_ROW_CHARACTERS = "0123456789,[]| \t"


def _table_row(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] matches _TABLE_ROW: a label without digits, then numbers
    separated by spaces, tabs or bars.

    A speed trick (benchmarks/extract_bench.py): the pattern's label, tried short to
    long, tries the numbers after every character of it, which on a long line of prose
    ending in a number costs a pass of the line. The numbers stand in the line's
    trailing run of _ROW_CHARACTERS, and the label holds no digit: a digit before that
    run means no match, and else the pattern is tried from the run's start. A trailing run
    that follows a digit beyond 0-9 is left to the pattern over the whole line.
    """
    label = text[start:end].rstrip(_ROW_CHARACTERS)
    tail = start + len(label)
    if label and label[-1].isdecimal():
        return _TABLE_ROW.fullmatch(text, start, end) is not None
    if _DIGIT.search(text, start, tail) is not None:
        return False
    return _TABLE_ROW.fullmatch(text, tail, end) is not None


def forget_readings() -> None:
    """Forget the phrases read so far (they are kept across texts, as a run goes on)."""
    _READINGS.clear()


def _lowered(text: str) -> str:
    """Lower case with every character in place (a few Unicode letters grow when lowered)."""
    lower = text.lower()
    if len(lower) != len(text):
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lower


def _other_digits(text: str, latin1: bytes) -> bool:
    """Whether the text holds a decimal digit beyond 0-9 ("\u0663", "\uff15").

    ``latin1`` is the text's lower case as Latin-1 with "replace": every such digit is
    beyond Latin-1, so a "?" there.
    """
    if text.isascii():
        return False
    if latin1.count(b"?") <= _FEW_WIDE:
        find = latin1.find
        at = find(b"?")
        while at >= 0:
            if text[at].isdecimal():  # what \d matches in a text
                return True
            at = find(b"?", at + 1)
        return False
    # Many (a text in another script): the characters beyond ASCII at once, as UTF-8
    # without the ASCII bytes.
    beyond = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    return _DIGIT.search(beyond.decode("utf-8", "surrogatepass")) is not None


def find_counts(text: str, lines: Lines | None = None) -> list[Found]:
    """Every number phrase in the text that states a count, in text order."""
    lines = lines or Lines(text)
    lower = lines.lower
    if _other_digits(text, lines.latin1()):
        hits = [(m.start(), m.end(), False) for m in _DIGIT_RUN.finditer(text)]
    else:
        hits = _ascii_digit_runs(text, lines.classes())
    hits += [(start, end, True) for start, end in _WORD_HIT.spans(lower, lines.latin1())]
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
    if _has_glued_or_dash(lines.classes()):
        more = _glued_counts(text, lines) + _dash_list_counts(text, lines)
        if more:
            found = sorted(found + more, key=_START)
    return found


_START = itemgetter(0)


def _has_glued_or_dash(classes: bytes) -> bool:
    """Whether digits stand glued to a word or after a word and a dash (b"a0", b"a-0"
    in _character_classes): only then are _glued_counts and _dash_list_counts asked.

    A speed trick (benchmarks/extract_bench.py): one scan that stops only at digits,
    where two scans for the literals stop at every letter.
    """
    return _GLUED_OR_DASH.search(classes) is not None


def _glued_counts(text: str, lines: Lines) -> list[Found]:
    """Digits glued to the word before them, as a flattened table leaves its cells.

    "present25 Individuals": the count of the next cell (or 5, with note 2 glued to
    "present"); "Caskets117": a count in the next cell, or 17 with note 1. Both are
    ambiguous, as nothing in the text decides. One or two digits glued to a word and
    followed by no count ("Individuals4") are a footnote marker, left out, as is a
    code ("FY19", "K208", "MI6").
    """
    found: list[Found | None] = []
    lower = lines.lower
    for opening in _GLUED_OPENING.finditer(lines.classes()):
        start = opening.start()  # the digit's place in the text
        word = _WORD_BEFORE.search(text, max(0, start - 24), start)
        if word is None:
            continue
        label = word.group(1)
        if len(label) < 3 or not label[-1].islower() or label.lower() in _LABELS:
            continue
        run = _DIGITS.match(text, start)
        assert run is not None
        end = run.end()
        digits = run.group()
        if end < len(text) and (text[end].isalpha() or text[end] in "_,." and
                                text[end + 1 : end + 2].isdigit()):
            continue  # a code ("abc12x"), a decimal or a longer number
        if digits[0] == "0" or len(digits) == 4 and YEAR_MIN <= int(digits) <= YEAR_MAX:
            continue
        row = lines.index(start)
        if lines.is_boilerplate(row):
            continue
        noun = _COUNT_NOUN_AFTER.match(lower, end) if text[end : end + 1] in " \t" else None
        if noun is not None and "\n" not in noun.group():
            if len(digits) == 1:
                note = f"'{digits}' split from '{label}', the cell it is glued to"
                found.append(_found(text, start, end, None, False, note))
            else:
                note = (f"'{digits}' is glued to '{label}': it may be {digits}, or "
                        f"{digits[1:]} with note {digits[0]} glued to '{label}'; "
                        "check the document")
                found.append(_found(text, start, end, None, True, note))
            continue
        if len(digits) < 3 or not _CELL_END_AFTER.match(text, end):
            continue
        line_start, line_end = lines.bounds(row)
        if not _OTHER_NUMBER.search(text, line_start, line_end):
            continue  # no other number on the line: no table
        note = (f"'{digits}' is glued to '{label}': it may be a count in the next cell, or "
                f"{digits[1:]} with note {digits[0]} glued to '{label}'; check the document")
        found.append(_found(text, start, end, None, True, note))
    return [item for item in found if item is not None]


def _dash_list_counts(text: str, lines: Lines) -> list[Found]:
    """Counts by place in a list of label-dash-number items on one line:
    "Vietnam-1,203 (North-450, South-753); Laos-280". One such item alone is a name
    ("Rolling Thunder-5"); two or more on a line are a list."""
    by_row: dict[int, list[Found]] = {}
    for opening in _DASH_OPENING.finditer(lines.classes()):
        dash = opening.start()  # the dash's place in the text
        label = _DASH_LABEL.search(text, max(0, dash - 24), dash)
        if label is None or label.group().lower() in _LABELS or label.group().lower() in _MONTHS:
            continue
        number = _DASH_NUMBER.match(text, dash + 1)
        if number is None:
            continue
        digits = number.group(1).replace(",", "")
        if len(digits) == 4 and "," not in number.group(1) and YEAR_MIN <= int(digits) <= YEAR_MAX:
            continue  # "Korea-1950": a year
        row = lines.index(dash)
        if lines.is_boilerplate(row):
            continue
        item = _found(text, dash + 1, number.end(1), None, False, None)
        if item is not None:
            by_row.setdefault(row, []).append(item)
    return [item for items in by_row.values() if len(items) > 1 for item in items]


def _character_classes(latin1: bytes) -> bytes:
    """One byte a character saying what it is (_RUN_OPENINGS), after one space.

    ``latin1`` is the text's lower case as Latin-1 with "replace". The places where a
    digit run opens (b" 0"), digits glue to a word (b"a0") and a dash list's number
    stands (b"a-0") are then found by scans for a few bytes, which skip in C, where a
    pattern tried on the text would test every character against a class
    (benchmarks/extract_bench.py). The space in front puts the class of the character
    at i at i + 1: a match at i opens with the character before the text's i.
    """
    return b" " + latin1.translate(_RUN_OPENINGS)


def _ascii_digit_runs(text: str, classes: bytes) -> list[tuple[int, int, bool]]:
    """The matches of _ASCII_DIGIT_RUN in a text whose only digits are 0-9, as
    (start, end, False).

    ``classes`` is _character_classes of the text. A run starts at a digit after a
    space, a bracket or a quote: the places found by a scan for two bytes.
    """
    runs: list[tuple[int, int, bool]] = []
    match = _ASCII_DIGIT_RUN.match
    reached = 0
    # A digit at i in the text follows the space found at i.
    for opening in _RUN_OPENING.finditer(classes):
        start = opening.start()
        if start >= reached:
            run = match(text, start)
            if run is not None:
                reached = run.end()
                runs.append((start, reached, False))
    return runs


# --- digits ------------------------------------------------------------------------


def _judge_digits(text: str, start: int, end: int, lines: Lines) -> Found | None:
    run = text[start:end].rstrip(",")
    end = start + len(run)
    glued_note: str | None = None
    if "," not in run:
        grouped = None  # a run of digits alone
        number = run
    else:
        grouped = _GROUPED.fullmatch(run)
        if grouped is None:
            return None  # "12,34", "1,2,3": not a count as written
        number, glued_note = grouped.group(1), grouped.group(2)
    if end < len(text) and (text[end].isalpha() or text[end] == "_"):
        return None  # an ordinal (8th), a decade (1950s), a code (42b)
    lower = lines.lower
    digits_only = grouped is None
    value = int(number.replace(",", ""))
    following = text[end : end + 1]
    # The patterns of what follows a number open with a space, a sign ("%", "-", a
    # dash, a degree) or a letter (ruled out above): after anything else none is tried.
    spaced = following.isspace()
    # Whether a count noun follows ("1950 Americans"): only ungrouped numbers ask.
    count_noun = digits_only and spaced and _COUNT_NOUN_AFTER.match(lower, end) is not None
    if digits_only and len(number) == 4 and YEAR_MIN <= value <= YEAR_MAX and not count_noun:
        return None  # a year ("In 1951", "in 1954.5", "1992-1996")
    if following in ":/" and following and _TIME_AFTER.match(text, end):
        return None  # "10:30", "7/28"
    if following == "-" and _DATE_AT.match(text, start):
        return None  # "2018-07-28"
    if len(number) == 3 and (following in "-.\u2013 " or following == ")") and following \
            and _PHONE_AT.match(text, start):
        return None  # "(703) 699-1420": a telephone number
    if following in "-." and following and _IDENTIFIER_AT.match(text, start):
        return None  # "1-800-555-0199", "978-0-19"
    if following == "(":
        return None  # "501(c)(3)": a code
    if digits_only and (number[0] == "0" and len(number) > 1
                        or value >= 10_000 and not count_noun
                        and not lines.is_table_row(lines.index(start))):
        return None  # "04471", "22150": identifiers; counts this large are written 22,150
    number_end = start + len(number)
    before = _Before(text, start, lines.sliced_lower)
    if before.rules_out():
        return None  # "$5", "aged 19", "No. 5", "Section 3", "Camp 5"
    if digits_only and following == "," and value < 130 and _AGE_AFTER.match(text, end) \
            and _NAMED_BEFORE.search(before.chunk):
        return None  # "Cpl. Billie Driver, 18, from Dallas": an age
    if digits_only and value >= 10_000 and len(number) <= 7 and number[4] != "0" \
            and GLUED_YEAR_MIN <= int(number[:4]) <= GLUED_YEAR_MAX:
        return _year_glued(text, start, number, lines)
    if value <= 31 and (before.month() or spaced and _MONTH_AFTER.match(lower, end)):
        return None  # "July 28, 2018", "28 July"
    ambiguous = False
    note: str | None = None
    if glued_note:
        note = f"footnote marker {glued_note} glued to {number} split off (comma grouping)"
    if following == ".":
        if _DECIMAL_SCALE.match(lower, end):
            return _digits_with_scale(text, start, end, before, lines)
        footnote = _FOOTNOTE_DECIMAL_AFTER.match(text, end)
        if footnote and not glued_note:
            if _opens_line(text, start):
                return None  # "1. ", "2.3 " opening a line: a list or section number
            if digits_only:
                ambiguous = True
                note = (f"'{number}.{footnote.group(1)}' may be a decimal or "
                        f"{number} with footnote marker {footnote.group(1)}")
            else:
                note = f"footnote marker {footnote.group(1)} after {number} left out"
        elif _DECIMAL_AFTER.match(text, end):
            return None  # a decimal ("2.5"), not a count
    value_end = number_end
    scale = None if glued_note or not spaced else _SCALE_AFTER.match(lower, end)
    after, after_spaced = following, spaced
    if scale:
        value_end = end = scale.end()
        after = text[end : end + 1]
        after_spaced = after.isspace()
    row = lines.index(start)
    table_row = lines.is_table_row(row)
    if not glued_note and not scale and not table_row:
        between = before.between()
        tail = _AND_TAIL.match(lower, end) if between is not None else None
        if between is not None and tail:
            return _range_found(text, between, start, number_end, tail, lines, before)
        tail = (_RANGE_TAIL.match(lower, end) if spaced or following in "-\u2013\u2014"
                else None)
        if tail:
            return _range_found(text, start, start, number_end, tail, lines, before)
    if (after_spaced or after in "%-") and after and _NOT_A_COUNT_AFTER.match(lower, end):
        return None  # "5%", "$5 million", "three years", "60-Day", "24 Issues"
    if ((after_spaced or after == "\u00b0") and _MEASURE_AFTER.match(lower, end)
            and not _COUNT_NOUN_AFTER.match(lower, end)):
        return None  # "500 miles"
    if digits_only and value < 1000 and not count_noun:
        line_opening = _opens_line(text, start)
        if line_opening and (_LIST_MARK_AFTER.match(text, end)
                             or _ONLY_ON_LINE_AFTER.match(text, end)):
            return None  # "1." or "2)" opening a list item; a page number alone on a line
        if before.chunk.endswith("(") and following == ")":
            return None  # "(3)": an enumeration
        if (before.ends_sentence() or line_opening) and _NEW_SENTENCE_AFTER.match(text, end):
            return None  # '... by 2015.” 9 New techniques', "1 Includes ...": note markers
    if digits_only and not count_noun and not table_row and before.name():
        return None  # "Bush 41", "Flight 1549": a number in a name
    if table_row and digits_only and value >= 10 and lines.tables_have_glued_notes():
        ambiguous = True
        note = (f"'{number}' stands in a table whose numbers carry glued footnote markers: "
                f"it may be {number[:-1]} with note {number[-1]}; check the document")
    if lines.is_boilerplate(row):
        return None
    return _found(text, start, value_end, before.qualifier(), ambiguous, note)


def _year_glued(text: str, start: int, number: str, lines: Lines) -> Found | None:
    """"turnover 199433 boxes": a year glued to a count, read as the count after it.

    Never as 199,433; and as a count so written is possible, flagged ambiguous.
    """
    if lines.is_boilerplate(lines.index(start)):
        return None
    year, count = number[:4], number[4:]
    note = (f"'{number}' may be the year {year} glued to {count}, or {int(number):,} "
            "written without separators; check the document")
    return _found(text, start + 4, start + len(number), None, True, note)


def _phrasal(word: str) -> bool:
    """Whether a word is a form of a verb that takes a particle ("handed", "turns")."""
    word = word.strip(",;:")
    for suffix in ("ing", "ed", "es", "s", "e", ""):
        if suffix and word.endswith(suffix):
            stem = word[: -len(suffix)]
        elif not suffix:
            stem = word
        else:
            continue
        if stem in _PHRASAL_VERBS:
            return True
    return False


def _opens_line(text: str, offset: int) -> bool:
    """Whether only spaces or a bullet stand between the line start and the offset."""
    if offset and text[offset - 1] not in _LINE_OPENING_ENDS:
        return False  # what stands before ends in another character
    floor = offset - _BEFORE if offset > _BEFORE else 0
    newline = text.rfind("\n", floor, offset)
    if newline < 0 and floor > 0:
        return False
    return bool(_LINE_OPENING.match(text, newline + 1, offset))


def _digits_with_scale(text: str, start: int, end: int, before: _Before,
                       lines: Lines) -> Found | None:
    """'1.5 million': a decimal that a scale word makes whole."""
    scale = _DECIMAL_SCALE.match(lines.lower, end)
    assert scale is not None
    if _MONEY_OR_PERCENT_AFTER.match(lines.lower, scale.end()) or before.money():
        return None
    if lines.is_boilerplate(lines.index(start)):
        return None
    return _found(text, start, scale.end(), before.qualifier(), False, None)


def _range_found(text: str, value_start: int, number_start: int, number_end: int,
                 tail: re.Match[str], lines: Lines, before: _Before) -> Found | None:
    lower, end = lines.lower, tail.end()
    if _NOT_A_COUNT_AFTER.match(lower, end) or _MEASURE_AFTER.match(lower, end):
        return None
    if lines.is_boilerplate(lines.index(number_start)):
        return None
    second = tail.group(2).replace(",", "")
    if second.isdigit() and len(second) == 4 and YEAR_MIN <= int(second) <= YEAR_MAX \
            and not _COUNT_NOUN_AFTER.match(lower, end):
        return None  # "from 45 to 1953": a span ending in a year
    qualifier = before.qualifier() if value_start == number_start else None
    found = _found(text, value_start, end, qualifier, False, None)
    if found is None:  # not a range parse_phrase reads: keep the first number alone
        return _found(text, number_start, number_end, before.qualifier(), False, None)
    return found


# --- words ---------------------------------------------------------------------------


def _judge_words(text: str, lower: str, start: int, end: int, lines: Lines) -> Found | None:
    if start and lower[start - 1] in "-\u2019'":
        return None  # "MI-six", "twenty-first" read from its second half
    word = lower[start:end]
    if not word.isalpha():
        word = _SPACES.sub(" ", word)
    if word in ("tens", "hundreds"):
        tail = _VAGUE_TAIL.match(lower, end)
        if tail:
            end = tail.end()
            word = f"{word} of thousands"
        elif word == "tens":
            return None
    if word in _VAGUE:
        return _judge_vague(text, lower, start, end, word, lines)
    # Extend over the following number words: "twenty-five thousand", "one million".
    while True:
        tail = _WORD_TAIL.match(lower, end)
        if not tail:
            break
        end = tail.end()
    if _NOT_A_COUNT_AFTER.match(lower, end) or _MEASURE_AFTER.match(lower, end):
        return None  # "three-year", "thirty-years-old", "six decades", "two miles"
    before = _Before(text, start, lines.sliced_lower)
    if before.definite() or before.age() or before.label():
        return None  # "the three powers", "the two sides"
    phrase = lower[start:end]
    if not phrase.isalpha():
        phrase = _SPACES.sub(" ", phrase)
    if phrase == "one" and not _ONE_NOUN_AFTER.match(lower, end) \
            and not _ONE_PERSON_AFTER.match(text, end):
        return None  # "One hopes", "one of the conditions", "one another"
    if phrase in ("dozen", "a dozen") or phrase.startswith(("a ", "an ")):
        if not _COUNT_NOUN_AFTER.match(lower, end):
            return None
    if phrase in ("hundred", "thousand", "million", "billion"):
        return None  # a bare scale word, not a count
    if before.last() == "in" and _NOTHING_COUNTED_AFTER.match(lower, end):
        return None  # "snapping a pencil in two, and": a division, not a count
    if lines.is_boilerplate(lines.index(start)):
        return None
    qualifier = before.qualifier()
    between = before.between()
    if between is not None:
        and_tail = _AND_TAIL.match(lower, end)
        if and_tail:
            found = _found(text, between, and_tail.end(), None, False, None)
            if found is not None:
                return found
    range_tail = _RANGE_TAIL.match(lower, end)
    if range_tail:
        found = _found(text, start, range_tail.end(), qualifier, False, None)
        if found is not None:
            return found
    return _found(text, start, end, qualifier, False, None)


def _judge_vague(text: str, lower: str, start: int, end: int, word: str,
                 lines: Lines) -> Found | None:
    if word not in ("tens of thousands", "hundreds of thousands") and not _OF_AFTER.match(
            lower, end):
        return None  # "several researchers", "a few": only "a few of", "dozens of" count
    if _OF_DURATION_AFTER.match(lower, end):
        return None  # "dozens of times", "a couple of years"
    if _Before(text, start, lines.sliced_lower).definite():
        return None
    if word in _HEADLINE_VAGUE and _headline(text, lines, lines.index(start)):
        return None  # "Thousands of Americans Vanished": a headline's "many"
    if lines.is_boilerplate(lines.index(start)):
        return None
    return _found(text, start, end, None, False, None)


def _headline(text: str, lines: Lines, index: int) -> bool:
    """Whether a line is a headline: short, in title case, not ending as a sentence."""
    start, end = lines.bounds(index)
    line = text[start:end].strip()
    if not line or len(line) > 150 or line[-1] in _HEADLINE_END:
        return False
    words = [word for word in line.split() if len(word) > 3 and word[0].isalpha()]
    return len(words) >= 3 and sum(word[0].isupper() for word in words) * 5 >= len(words) * 4


# --- shared --------------------------------------------------------------------------


def _found(text: str, value_start: int, value_end: int, qualifier_start: int | None,
           ambiguous: bool, note: str | None) -> Found | None:
    start = value_start if qualifier_start is None else qualifier_start
    value_text = text[start:value_end]
    # Phrases are kept as normalised, so one found as written needs no normalising.
    reading = _READINGS.get(value_text)
    if reading is None:
        if _ODD_SPACE.search(value_text):
            value_text = _SPACES.sub(" ", value_text)
        value_text = value_text.strip()
        reading = _READINGS.get(value_text)
    if reading is None:
        reading = bare_number(value_text)
        if reading is None:
            try:
                reading = parse_phrase(value_text)
            except PhraseError:
                if qualifier_start is None:
                    return None
                # A qualifier the parser will not put before this phrase ("some dozens"):
                # drop it.
                return _found(text, value_start, value_end, None, ambiguous, note)
        if len(_READINGS) > _READINGS_KEPT:
            _READINGS.clear()
        _READINGS[value_text] = reading
    return _new_found((start, value_end, value_text, reading, ambiguous, note))
