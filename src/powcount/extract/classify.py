"""Proposed quantity, conflict, nation and unit for a candidate, by keyword rules.

Each proposal names a code from the vocabulary, a confidence between 0 and 1 and
the words that decided it, so a curator sees why. The rules are keywords with
weights (KEYWORDS below, for the codes of the bundled vocabulary) plus the label
of every vocabulary code, so codes a dataset adds are proposed too. A keyword
counts more the nearer it stands to the number: the noun right after a number
("3,198 Americans", "208 boxes") is the strongest evidence. Conflicts also take
years in the sentence that fall in a conflict's period, and what the document's
title and other candidate sentences mention (its subject). Nothing matched gives
the first code with confidence 0 and no words: a guess the curator must replace.

Matching is on word tokens (a dictionary look-up per word), not one regex per
rule, so classifying costs little beside finding the numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from itertools import compress, count
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from powcount.models import VocabularyFile

DIMENSIONS = ("quantity", "conflict", "nation", "unit")

#: Built-in rules: dimension -> code -> ((keyword, weight), ...). Codes a vocabulary
#: lacks are ignored; codes it has and these lack are found by their labels.
KEYWORDS: dict[str, dict[str, tuple[tuple[str, float], ...]]] = {
    "quantity": {
        "unaccounted_for": (("unaccounted for", 3), ("remained unaccounted", 2),
                            ("still missing", 2), ("missing in action", 1), ("unaccounted", 1)),
        "believed_in_north_korea": (("buried in North Korea", 4), ("lie in North Korea", 4),
                                    ("in North Korea", 1)),
        "believed_in_south_korea": (("located in South Korea", 4), ("in South Korea", 1),
                                    ("unrecovered", 1)),
        "believed_in_china": (("located in China", 4), ("in China", 1), ("unrecovered", 1)),
        "reported_held": (("holding", 3), ("captive", 2), ("held", 1), ("lists", 1)),
        "released_sick_wounded": (("sick and wounded", 5), ("Little Switch", 5)),
        "released_after_armistice": (("released", 3), ("Big Switch", 5), ("Armistice", 1)),
        "possibly_not_repatriated": (("not repatriated", 5), ("may have been held", 3),
                                     ("deaths in custody", 2), ("never returned", 2)),
        "transferred_to_ussr": (("transferred to the Soviet Union", 5), ("packed off", 4),
                                ("shipped to", 3), ("taken to the Soviet Union", 4),
                                ("sent to the Soviet Union", 4), ("transferred", 2),
                                ("transported", 2)),
        "transfer_reports": (("reports", 3), ("sightings", 2), ("taken to Russia", 2),
                             ("eyewitness", 1)),
        "in_soviet_territory": (("in Soviet-controlled territory", 4),
                                ("in Soviet territory", 4), ("still in", 1)),
        "returned_from_soviet_territory": (("returned from Soviet territory", 5),
                                           ("returned", 2), ("numbered", 1)),
        "left_behind_in_soviet_territory": (("left behind", 5), ("behind", 3)),
        "refugees_in_soviet_territory": (("refugees", 5), ("displaced persons", 3)),
        "known_defectors": (("defectors", 5), ("defected", 3)),
        "forced_repatriation": (("repatriation of", 4), ("forced return", 3),
                                ("forced repatriation", 3), ("handed over", 2), ("hand over", 2)),
        "killed_in_forced_repatriation": (("killing", 4), ("killed", 3), ("opened fire", 2),
                                          ("shot", 2)),
        "suicides_in_forced_repatriation": (("suicide", 5), ("took their own lives", 5)),
        "exempted_from_repatriation": (("protected from repatriation", 6),
                                       ("exempted from repatriation", 6), ("exempted", 3)),
        "admitted_instead_of_repatriated": (("allowed to enter", 5), ("admitted to", 4),
                                            ("emigrated to", 3), ("resettled", 3)),
        "cases_clarified": (("clarified", 5), ("resolved", 2)),
        "accounted_for_per_year_target": (("annually", 4), ("per year", 4), ("each year", 3),
                                          ("a year", 2), ("target", 3), ("goal", 2)),
        "remains_returned": (("came home", 4), ("repatriated the remains", 4),
                             ("returned", 2), ("repatriated", 2), ("sets of remains", 1),
                             ("remains of", 2), ("handed over", 1)),
        "remains_declared_unknown": (("declared", 3), ("unknown", 2), ("unknowns", 3)),
        "remains_to_tomb_of_unknown": (("Tomb of the Unknown", 6),),
        "remains_boxes_returned": (("boxes", 4), ("turned over", 2), ("K208", 2)),
        "remains_in_boxes_estimate": (("boxes contain", 6), ("contain", 3), ("commingled", 1)),
        "recovered_in_south_korea": (("recovered", 3), ("from South Korea", 1)),
        "identified_from_south_korea": (("identified", 4), ("identifications", 2)),
    },
    "conflict": {
        "korea": (("Korean War", 3), ("Korea", 1), ("Korean", 1), ("Armistice", 1),
                  ("Operation Glory", 2), ("Pyongyang", 1), ("DPRK", 1)),
        "wwii": (("World War II", 3), ("Second World War", 3), ("WWII", 3), ("Yalta", 2),
                 ("Red Army", 1), ("Cossacks", 1), ("SHAEF", 2), ("Nazi", 1), ("SS", 1)),
        "vietnam": (("Vietnam War", 3), ("Vietnam", 2), ("Southeast Asia", 2), ("Laos", 1),
                    ("Cambodia", 1), ("Hanoi", 1)),
        "cold_war": (("Cold War", 2), ("shootdown", 1), ("reconnaissance flight", 1)),
        "multiple": (("all conflicts", 3), ("every conflict", 3), ("department wide", 2)),
    },
    "nation": {
        "us": (("Americans", 3), ("American", 2), ("U.S.", 2), ("United States", 2), ("USA", 2),
               ("service members", 1), ("military personnel", 1)),
        "commonwealth": (("British Commonwealth", 4), ("Commonwealth", 3), ("British", 2)),
        "unc": (("United Nations Command", 5), ("UN Command", 4), ("UNC", 4)),
        "ussr": (("Soviet", 1), ("Russian", 1), ("USSR", 1)),
        "cossacks": (("Cossack", 4), ("Cossacks", 4)),
        "ukrainians": (("Ukrainian", 4), ("Ukrainians", 4)),
        "germany": (("German", 3), ("Germans", 3)),
        "western_europe": (("Western European", 4), ("Western Europe", 3)),
        "china": (("Chinese", 2), ("China", 1)),
        "north_korea": (("North Korean", 2), ("North Koreans", 2)),
    },
    "unit": {
        "persons": (("Americans", 2), ("personnel", 2), ("prisoners", 2), ("pows", 2),
                    ("men", 2), ("soldiers", 2), ("troops", 2), ("individuals", 2),
                    ("people", 2), ("persons", 2), ("members", 1), ("civilians", 2),
                    ("refugees", 2), ("defectors", 2)),
        "remains_sets": (("sets of remains", 4), ("remains", 2), ("set of remains", 4)),
        "boxes": (("boxes", 4), ("box", 3)),
        "reports": (("reports", 4), ("sightings", 2)),
        "persons_per_year": (("per year", 4), ("annually", 4), ("each year", 3), ("a year", 2)),
    },
}

_TOKEN = re.compile(r"[a-z0-9]+")
#: Every byte but a-z and 0-9 as a space: a lower-cased text encoded as Latin-1 (one
#: byte a character, "?" for the others) and translated by this splits into the
#: words _TOKEN finds in it, at the same places, with none of the regex's cost a word.
_TOKEN_BYTES = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))
#: 1500-2099 not inside a longer number; opening with the digit (and looking back
#: past it) lets the scan skip in C to a 1 or a 2.
_YEAR = re.compile(r"((?:1(?<!\d1)[5-9]|2(?<!\d2)0)\d\d)(?!\d)")
_STOPWORDS = frozenset(
    "a an the of for in on to by and or with from at as is are was were be been it its "
    "their this that these those other than more most per each any all".split()
)
#: Weight of a keyword by where it stands, in words from the number: the noun right after
#: a number says most what it counts ("3,198 Americans", "208 boxes").
_NEAR, _CLOSE = 5, 13
_AFTER_NEAR, _AFTER_CLOSE, _NOUN_NEAR = 3.0, 2.0, 4.0
_BEFORE_NEAR, _BEFORE_CLOSE = 2.0, 1.5
_NOUN_DIMENSIONS = frozenset({"nation", "unit"})
_PRIOR_WEIGHT = {"conflict": 0.6, "nation": 0.25, "quantity": 0.0, "unit": 0.0}
_PRIOR_DIMENSIONS = frozenset(d for d, weight in _PRIOR_WEIGHT.items() if weight)
_LABEL_PHRASE_WEIGHT = 2.0
_LABEL_WORD_WEIGHT = 0.5
_MAX_WORDS = 3
_WEIGHT = itemgetter(0)
#: A keyword with another number between it and this one counts this much.
_BEHIND_ANOTHER = 0.25
_YEAR_WEIGHT = 1.0
#: A conflict named in the sentence, wherever it stands.
_IN_SENTENCE = 2.0
#: A nation's name after these words is where something is, not whom a figure counts.
_LOCATIVE = frozenset({b"in", b"to", b"from", b"into", b"inside", b"within", b"across", b"at"})
_PLACE_NOT_PEOPLE = 0.3
#: A country's name says where a figure stands, not whose people it counts: "7,699
#: unaccounted for, most of them lost in North Korea" counts Americans. Only a people's
#: name ("North Koreans", "Chinese") proposes a nation.
_PLACE_NAMES = frozenset({"north korea", "south korea", "korea", "china", "soviet union",
                          "russia", "germany", "western europe", "vietnam", "laos",
                          "cambodia", "japan"})
#: The document's conflict counts this much in a sentence that names its own: the
#: sentence's words decide, the document breaks ties.
_PRIOR_WHEN_NAMED = 0.25
_UNIT_FROM_QUANTITY = 4.0
#: A quantity whose unit the sentence's nouns name gains this share of their weight.
_UNIT_AGREES = 0.25


class Proposal(NamedTuple):
    """A proposed code with its confidence (0 to 1) and the words that decided it.

    Confidence 0 proposes nothing: the code is "" (the words, if any, say why).
    """

    code: str
    confidence: float
    words: tuple[str, ...]


#: A Proposal from a tuple of its fields, without the named tuple's Python-level
#: constructor (one is made for nearly every candidate and dimension).
_proposal = partial(tuple.__new__, Proposal)
#: Nothing in the sentence or the document decides: no code, rather than a guess that
#: a curator could keep by mistake.
_NO_PROPOSAL = Proposal("", 0.0, ())
#: Confidences kept by the ratio they round (a bound on memory over a long run).
_ROUNDED_KEPT = 100_000


@dataclass(frozen=True)
class VocabularyCodes:
    """The parts of the vocabulary the rules need, light enough to send to workers."""

    quantities: tuple[tuple[str, str, str, str], ...]  # code, label, unit, kind
    conflicts: tuple[tuple[str, str, int | None, int | None], ...]  # code, label, first, last year
    nations: tuple[tuple[str, str], ...]  # code, label
    units: tuple[tuple[str, str], ...]  # code, label

    @classmethod
    def from_vocabulary(cls, vocabulary: VocabularyFile) -> VocabularyCodes:
        return cls(
            quantities=tuple((c, q.label, q.unit, q.kind.value)
                             for c, q in vocabulary.quantities.items()),
            conflicts=tuple((c, k.label, *_period_years(k.period))
                            for c, k in vocabulary.conflicts.items()),
            nations=tuple((c, n.label) for c, n in vocabulary.nations.items()),
            units=tuple((c, u.label) for c, u in vocabulary.units.items()),
        )

    def kind_of(self, quantity: str) -> str | None:
        return next((kind for c, _, _, kind in self.quantities if c == quantity), None)

    def period_of(self, conflict: str) -> tuple[int | None, int | None]:
        return next(((first, last) for c, _, first, last in self.conflicts if c == conflict),
                    (None, None))


def _period_years(period: str | None) -> tuple[int | None, int | None]:
    if not period:
        return None, None
    first, _, last = period.partition("/")
    return int(first[:4]), int((last or first)[:4])


#: A keyword of a quantity, nation or unit found in a sentence: the slot of its
#: dimension (_SLOTS), the factor its weight takes right after the number, code,
#: weight, its token span in the sentence (first, last) and the keyword as the rule
#: writes it. A plain tuple: a sentence has several, and a named tuple costs more
#: to build.
_Hit = tuple[int, float, str, float, int, int, str]
#: A conflict keyword found in a sentence: code, weight and the keyword as written.
_Named = tuple[str, float, str]
#: Dimensions proposed for each number, by slot in a _Hit; conflicts are the sentence's.
_SLOTS = ("quantity", "nation", "unit")
_SLOT = {dimension: slot for slot, dimension in enumerate(_SLOTS)}
_NATION_SLOT = _SLOT["nation"]
_CONFLICT_SLOT = -1


#: A keyword rule as facts() applies it: size in words, the words after the second,
#: a number for its (dimension, code), the slot of its dimension (_CONFLICT_SLOT for
#: conflicts), the factor right after a number, code, weight, the keyword as written.
_Rule = tuple[int, list[bytes], int, int, float, str, float, str]
#: Word pairs whose rules are kept sorted out (a bound on memory over a long run).
_PAIRS_KEPT = 100_000


def tokens(lowered: str) -> list[bytes]:
    """The words of a lower-cased text as _TOKEN finds them (ASCII, as bytes)."""
    return token_bytes(lowered).split()


def token_bytes(lowered: str, latin1: bytes | None = None) -> bytes:
    """A lower-cased text, one byte a character, every byte not in a word a space: its
    slices split into the words _TOKEN finds in the same slices of the text.

    ``latin1``, when given, is ``lowered.encode("latin-1", "replace")``.
    """
    if latin1 is None:
        latin1 = lowered.encode("latin-1", "replace")
    return latin1.translate(_TOKEN_BYTES)


class Facts(NamedTuple):
    """What the rules see in one sentence: keyword hits and conflict years.

    Conflict keywords are kept apart from the others: a conflict is the sentence's,
    the others are weighed again for every number in it.
    """

    hits: tuple[_Hit, ...]  # quantity, nation and unit keywords, in sentence order
    named: tuple[_Named, ...]  # conflict keywords, in sentence order
    years: tuple[tuple[str, str], ...]  # (conflict code, year as written)


#: Facts from a tuple of their fields, without the named tuple's Python-level
#: constructor (one is made for every sentence with a number).
_facts = partial(tuple.__new__, Facts)


class Prior:
    """What a document is about: per dimension, (code, weight, word) entries.

    Every proposal in the document starts from these, so their scores and reasons
    are laid out once here; a proposal that the sentence adds nothing to depends on
    the document alone and is kept in ``settled``, found once per document.
    """

    __slots__ = ("conflicts", "entries", "reasons", "scores", "settled")

    def __init__(self, entries: dict[str, tuple[tuple[str, float, str], ...]]):
        self.entries = entries
        self.scores: dict[str, dict[str, float]] = {}
        self.reasons: dict[str, dict[str, list[tuple[float, str]]]] = {}
        for dimension, rows in entries.items():
            by_code = dict.fromkeys((code for code, _, _ in rows), 0.0)
            reasons: dict[str, list[tuple[float, str]]] = {}
            for code, weight, word in rows:
                by_code[code] += weight
                reasons.setdefault(code, []).append((weight, word))
            self.scores[dimension] = by_code
            self.reasons[dimension] = reasons
        self.settled: dict[tuple[str, str, float], Proposal] = {}
        #: Conflicts by the sentence's conflict keywords (weight, code, word) and years.
        self.conflicts: dict[tuple[tuple[tuple[float, str, str], ...],
                                   tuple[tuple[str, str], ...]], Proposal] = {}


class Classifier:
    """Keyword rules compiled once for one vocabulary."""

    def __init__(self, codes: VocabularyCodes):
        self.codes = codes
        self.order: dict[str, tuple[str, ...]] = {
            "quantity": tuple(c for c, *_ in codes.quantities),
            "conflict": tuple(c for c, *_ in codes.conflicts),
            "nation": tuple(c for c, _ in codes.nations),
            "unit": tuple(c for c, _ in codes.units),
        }
        self.rank = {dimension: {code: i for i, code in enumerate(in_order)}
                     for dimension, in_order in self.order.items()}
        self.quantity_unit = {c: unit for c, _, unit, _ in codes.quantities}
        #: The quantities counted in each unit (for _agreeing).
        self.quantities_in: dict[str, frozenset[str]] = {
            unit: frozenset(c for c, u in self.quantity_unit.items() if u == unit)
            for unit in set(self.quantity_unit.values())}
        self.periods = {c: (first, last) for c, _, first, last in codes.conflicts
                        if first is not None and last is not None}
        labels = {
            "quantity": {c: label for c, label, *_ in codes.quantities},
            "conflict": {c: label for c, label, *_ in codes.conflicts},
            "nation": dict(codes.nations),
            "unit": dict(codes.units),
        }
        # first token -> ((tokens, dimension, code, weight, keyword), ...)
        index: dict[str, list[tuple[tuple[str, ...], str, str, float, str]]] = {}
        for dimension in DIMENSIONS:
            builtin = KEYWORDS.get(dimension, {})
            for code in self.order[dimension]:
                label = labels[dimension][code]
                rules = list(builtin.get(code, ()))
                rules.append((label, _LABEL_PHRASE_WEIGHT))
                if code not in builtin:
                    rules += [(word, _LABEL_WORD_WEIGHT) for word in _TOKEN.findall(label.lower())
                              if word not in _STOPWORDS and len(word) > 2]
                for keyword, weight in rules:
                    if dimension == "nation" and keyword.lower() in _PLACE_NAMES:
                        continue
                    tokens = tuple(_TOKEN.findall(keyword.lower()))
                    if tokens:
                        index.setdefault(tokens[0], []).append(
                            (tokens, dimension, code, float(weight), keyword))
        # Strongest keyword first, then longest: of overlapping keywords of one code,
        # the first that matches is the one counted.
        # By the first word as tokens() gives it.
        self._index = {k.encode(): tuple(sorted(v, key=lambda e: (-e[3], -len(e[0]))))
                       for k, v in index.items()}
        self._pairs: dict[tuple[bytes, bytes], tuple[_Rule, ...]] = {}
        self._keys: dict[tuple[str, str], int] = {}
        self._rounded: dict[float, float] = {}

    def _rules_at(self, word: bytes, following: bytes) -> tuple[_Rule, ...]:
        """The rules that may match where ``word`` stands before ``following``: those of
        one word and those whose second word is ``following``, in the index's order.

        Common words open many keywords ("in North Korea", "in China", "in Soviet
        territory"): sorting them out by the next word once spares the comparison at
        every place the word stands.
        """
        rules = self._pairs.get((word, following))
        if rules is None:
            keys = self._keys
            rules = tuple(
                (len(tokens), [token.encode() for token in tokens[2:]],
                 keys.setdefault((dimension, code), len(keys)),
                 _SLOT.get(dimension, _CONFLICT_SLOT),
                 _NOUN_NEAR if dimension in _NOUN_DIMENSIONS else _AFTER_NEAR,
                 code, weight, shown)
                for tokens, dimension, code, weight, shown in self._index[word]
                if len(tokens) == 1 or tokens[1].encode() == following
            )
            if len(self._pairs) > _PAIRS_KEPT:
                self._pairs.clear()
            self._pairs[(word, following)] = rules
        return rules

    def facts(self, sentence: str, lowered: str | None = None,
              words: list[bytes] | None = None) -> Facts:
        """Every keyword in a sentence with its token place, and the conflicts of its years.

        ``lowered``, when given, is ``sentence.lower()``, already made by the caller;
        ``words``, when given, is ``tokens(lowered)``.
        """
        if words is None:
            words = tokens(sentence.lower() if lowered is None else lowered)
        index = self._index
        found: list[_Hit] = []
        named: list[_Named] = []
        # Keywords of one code that overlap ("unaccounted" in "unaccounted for") are the
        # same evidence: the strongest is counted, once.
        covered: dict[int, int] = {}
        total = len(words)
        pairs = self._pairs
        # The places of words that open a keyword, picked out without a Python loop.
        for position in compress(count(), map(index.__contains__, words)):
            word = words[position]
            following = words[position + 1] if position + 1 < total else b""
            rules = pairs.get((word, following))
            if rules is None:
                rules = self._rules_at(word, following)
            for size, rest, key, slot, near, code, weight, shown in rules:
                if covered and position < covered.get(key, 0):
                    continue
                if size < 3 or words[position + 2 : position + size] == rest:
                    if slot == _CONFLICT_SLOT:
                        named.append((code, weight, shown))
                    else:
                        if (slot == _NATION_SLOT and position
                                and words[position - 1] in _LOCATIVE):
                            weight *= _PLACE_NOT_PEOPLE  # "located in China" names a place
                        found.append((slot, near, code, weight, position, position + size,
                                      shown))
                    covered[key] = position + size
        years = _YEAR.findall(sentence)
        if not years:
            return _facts((tuple(found), tuple(named), ()))
        return _facts((tuple(found), tuple(named), tuple(
            (code, year)
            for year in years
            for code, (first, last) in self.periods.items()
            if first <= int(year) <= last
        )))

    @staticmethod
    def token_span(sentence: str, start: int, end: int, lowered: str | None = None
                   ) -> tuple[int, int]:
        """Token positions of sentence[start:end], as facts() counts tokens."""
        if lowered is None:
            lowered = sentence.lower()
        first = len(_TOKEN.findall(lowered, 0, start))
        size = len(_TOKEN.findall(lowered, start, end))
        return first, first + (size if size > 1 else 1)

    def prior(self, facts: Iterable[Facts]) -> Prior:
        """What a document is about, from its title and candidate sentences."""
        totals: dict[str, dict[str, float]] = {}
        first_word: dict[tuple[str, str], str] = {}
        # Each dimension's keywords in the order they stand, as the sums depend on it.
        for fact in facts:
            if fact.named and "conflict" in _PRIOR_DIMENSIONS:
                by_code = totals.setdefault("conflict", {})
                for code, weight, word in fact.named:
                    by_code[code] = by_code.get(code, 0.0) + weight
                    first_word.setdefault(("conflict", code), word)
            for slot, _, code, weight, _, _, word in fact.hits:
                dimension = _SLOTS[slot]
                if dimension not in _PRIOR_DIMENSIONS:
                    continue
                by_code = totals.setdefault(dimension, {})
                by_code[code] = by_code.get(code, 0.0) + weight
                first_word.setdefault((dimension, code), word)
        prior: dict[str, tuple[tuple[str, float, str], ...]] = {}
        for dimension, by_code in totals.items():
            total = sum(by_code.values())
            scale = _PRIOR_WEIGHT.get(dimension, 0.0)
            if total and scale:
                prior[dimension] = tuple(
                    (code, scale * 10 * weight / total,
                     f"document: {first_word[(dimension, code)]}")
                    for code, weight in sorted(by_code.items())
                )
        return Prior(prior)

    def conflict(self, facts: Facts, prior: Prior) -> Proposal:
        """The conflict of a sentence: the same for every number in it, so found once."""
        years = facts.years
        if not facts.named and not years:
            return self._settled("conflict", prior)
        weighed = [(weight * _IN_SENTENCE, code, word) for code, weight, word in facts.named]
        # A document names its conflict in the same words sentence after sentence.
        key = (tuple(weighed), years)
        proposal = prior.conflicts.get(key)
        if proposal is None:
            scores: dict[str, float] = {}
            for weight, code, _ in weighed:
                scores[code] = scores.get(code, 0.0) + weight
            for code, _ in years:
                scores[code] = scores.get(code, 0.0) + _YEAR_WEIGHT
            scale = _PRIOR_WHEN_NAMED if weighed else 1.0
            for code, weight, _ in prior.entries.get("conflict", ()):
                scores[code] = scores.get(code, 0.0) + weight * scale
            proposal = prior.conflicts[key] = self._best("conflict", scores, weighed, years,
                                                         "", prior)
        return proposal

    def propose(
        self,
        facts: Facts,
        span: tuple[int, int],
        prior: Prior,
        others: tuple[tuple[int, int], ...] = (),
        conflict: Proposal | None = None,
    ) -> tuple[Proposal, Proposal, Proposal, Proposal]:
        """Quantity, conflict, nation and unit for the number at token ``span``.

        ``others`` are the token spans of the sentence's other number phrases: a
        keyword that stands beyond one of them belongs to it rather than to this one.
        ``conflict``, when given, is the sentence's (from conflict()).
        """
        if conflict is None:
            conflict = self.conflict(facts, prior)
        value_first, value_last = span
        quantities: list[tuple[float, str, str]] = []
        nations: list[tuple[float, str, str]] = []
        units: list[tuple[float, str, str]] = []
        weighed = (quantities, nations, units)  # by slot
        for slot, near, code, weight, first, last, word in facts.hits:
            if first >= value_last:
                distance = first - value_last
                factor = (near if distance <= _NEAR else _AFTER_CLOSE
                          if distance <= _CLOSE else 1.0)
            elif last > value_first:
                continue  # the number phrase itself ("a handful")
            else:
                distance = value_first - last
                factor = (_BEFORE_NEAR if distance <= _NEAR else _BEFORE_CLOSE
                          if distance <= _CLOSE else 1.0)
            for other_first, other_last in others:
                if (last <= other_first and other_last <= value_first
                        or value_last <= other_first and other_last <= first):
                    factor *= _BEHIND_ANOTHER  # "4,165, leaving some 20,000 ... left behind"
                    break
            weighed[slot].append((weight * factor, code, word))
        if units and len(quantities) > 1:
            quantities += self._agreeing(quantities, units)
        quantity = (self._scored("quantity", quantities, prior) if quantities
                    else self._settled("quantity", prior))
        from_quantity = (quantity.code if quantity.confidence
                         and self.quantity_unit.get(quantity.code, "") else "")
        return (
            quantity,
            conflict,
            self._scored("nation", nations, prior) if nations else self._settled("nation", prior),
            (self._scored("unit", units, prior, from_quantity, quantity.confidence) if units
             else self._settled("unit", prior, from_quantity, quantity.confidence)),
        )

    def _agreeing(self, quantities: list[tuple[float, str, str]],
                  units: list[tuple[float, str, str]]) -> list[tuple[float, str, str]]:
        """Votes for the quantities whose unit is the one the sentence's nouns name:
        "229 sets of Korean War remains have been returned" counts remains, so it is
        remains returned rather than prisoners returned, whom "returned" fits as well."""
        if len(units) == 1:  # the common case: one noun
            weight, unit, word = units[0]
            same_unit = self.quantities_in.get(unit)
            if not same_unit:
                return []
            vote = weight * _UNIT_AGREES
            return [(vote, code, word) for code in
                    dict.fromkeys([code for _, code, _ in quantities if code in same_unit])]
        quantity_unit = self.quantity_unit
        votes: list[tuple[float, str, str]] = []
        for code in dict.fromkeys([code for _, code, _ in quantities]):
            wanted = quantity_unit.get(code)
            votes += [(weight * _UNIT_AGREES, code, word)
                      for weight, unit_code, word in units if unit_code == wanted]
        return votes

    def _scored(self, dimension: str, weighed: list[tuple[float, str, str]], prior: Prior,
                from_quantity: str = "", confidence: float = 0.0) -> Proposal:
        """The best code of a dimension: the document's scores, then the sentence's
        keywords in order, then (for a unit) the unit of the proposed quantity."""
        if not weighed:
            return self._settled(dimension, prior, from_quantity, confidence)
        base = prior.scores.get(dimension)
        if not base and not from_quantity and len(weighed) == 1:
            # One keyword and nothing from the document (the common case): _best's
            # result, without its tallies.
            weight, code, word = weighed[0]
            if weight > 0.0 and self.order[dimension]:
                return _proposal((code, self._confidence(weight / (weight + 1.0)), (word,)))
        by_code = dict(base) if base else {}
        for weight, code, _ in weighed:
            by_code[code] = by_code.get(code, 0.0) + weight
        if from_quantity:
            unit = self.quantity_unit[from_quantity]
            by_code[unit] = by_code.get(unit, 0.0) + _UNIT_FROM_QUANTITY * confidence
        return self._best(dimension, by_code, weighed, (), from_quantity, prior)

    def _confidence(self, ratio: float) -> float:
        """The ratio rounded to two places, remembered: round() with digits goes through
        a decimal conversion, and the same ratios recur."""
        rounded = self._rounded
        confidence = rounded.get(ratio)
        if confidence is None:
            if len(rounded) > _ROUNDED_KEPT:
                rounded.clear()
            confidence = rounded[ratio] = round(ratio, 2)
        return confidence

    def _settled(self, dimension: str, prior: Prior, from_quantity: str = "",
                 confidence: float = 0.0) -> Proposal:
        """A proposal the sentence adds nothing to: the document's alone, found once."""
        key = (dimension, from_quantity, confidence)
        proposal = prior.settled.get(key)
        if proposal is None:
            base = prior.scores.get(dimension)
            by_code = dict(base) if base else {}
            if from_quantity:
                unit = self.quantity_unit[from_quantity]
                by_code[unit] = by_code.get(unit, 0.0) + _UNIT_FROM_QUANTITY * confidence
            proposal = prior.settled[key] = self._best(dimension, by_code, [], (),
                                                       from_quantity, prior)
        return proposal

    def _best(self, dimension: str, by_code: dict[str, float],
              weighed: list[tuple[float, str, str]], years: tuple[tuple[str, str], ...],
              from_quantity: str, prior: Prior) -> Proposal:
        order = self.order[dimension]
        if not by_code or not order:
            return _NO_PROPOSAL
        if len(by_code) == 1:
            ((code, best),) = by_code.items()
            second = 0.0
        else:
            rank = self.rank[dimension]
            code, best, second = "", -1.0, 0.0
            for candidate, score in by_code.items():
                if score > best or (score == best
                                    and rank.get(candidate, 0) < rank.get(code, 0)):
                    code, best, second = candidate, score, best if best > second else second
                elif score > second:
                    second = score
        if best <= 0.0:
            return _NO_PROPOSAL
        ratio = best / (best + second + 1.0)
        confidence = self._rounded.get(ratio)  # as _confidence, without the call
        if confidence is None:
            confidence = self._confidence(ratio)
        if not confidence:
            return _NO_PROPOSAL
        # The deciding words, gathered for the winner only: strongest first.
        reasons = [(weight, word) for weight, hit_code, word in weighed if hit_code == code]
        if years:
            reasons += [(_YEAR_WEIGHT, year) for c, year in years if c == code]
        if from_quantity and self.quantity_unit.get(from_quantity) == code:
            reasons.append((_UNIT_FROM_QUANTITY, f"quantity: {from_quantity}"))
        prior_reasons = prior.reasons.get(dimension)
        if prior_reasons:
            reasons += prior_reasons.get(code, ())
        if len(reasons) == 1:
            return _proposal((code, confidence, (reasons[0][1],)))
        # Strongest first, ties in the order found (the sort is stable, reversed too);
        # each word once.
        reasons.sort(key=_WEIGHT, reverse=True)
        words: list[str] = []
        for _, word in reasons:
            if word not in words:
                words.append(word)
                if len(words) == _MAX_WORDS:
                    break
        return _proposal((code, confidence, tuple(words)))
