"""The number-phrase parser: every documented rule, then properties for all inputs."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from powcount.errors import PhraseError
from powcount.numbers import MAX_COUNT, RULES, parse_phrase, precision_unit

CASES = [
    # text, qualifier, low, best, high
    ("3,198", "exact", 3198, 3198, 3198),
    ("199,592", "exact", 199592, 199592, 199592),
    ("149", "exact", 149, 149, 149),
    ("six", "exact", 6, 6, 6),
    ("One", "exact", 1, 1, 1),
    ("one million", "exact", 1_000_000, 1_000_000, 1_000_000),
    ("1.5 million", "exact", 1_500_000, 1_500_000, 1_500_000),
    ("twenty-five thousand", "exact", 25_000, 25_000, 25_000),
    ("one hundred and fifty", "exact", 150, 150, 150),
    ("a hundred", "exact", 100, 100, 100),
    ("a dozen", "exact", 12, 12, 12),
    ("eleven hundred", "exact", 1100, 1100, 1100),
    ("one million two hundred thousand", "exact", 1_200_000, 1_200_000, 1_200_000),
    ("some 20,000", "approximate", 15_000, 20_000, 24_999),
    ("approximately 8,100", "approximate", 8050, 8100, 8149),
    ("about 950", "approximate", 945, 950, 954),
    ("around 100", "approximate", 50, 100, 149),
    ("roughly 7", "approximate", 6, 7, 8),
    ("some 30,846", "approximate", 27761, 30846, 33931),
    ("nearly 8,000", "nearly", 7500, 8000, 8000),
    ("Over 7,800", "over", 7801, 7801, None),
    ("more than 7,800", "over", 7801, 7801, None),
    ("over 4,000", "over", 4001, 4001, None),
    ("at least 200", "at_least", 200, 200, None),
    ("Fewer than 20", "under", 0, 19, 19),
    ("less than 5", "under", 0, 4, 4),
    ("under 1,000", "under", 0, 999, 999),
    ("at most 40", "at_most", 0, 40, 40),
    ("up to 40", "at_most", 0, 40, 40),
    ("as many as 388", "at_most", 0, 388, 388),
    ("30 to 40", "range", 30, 35, 40),
    ("375-400", "range", 375, 388, 400),
    ("375\u2013400", "range", 375, 388, 400),
    ("from 375-400", "range", 375, 388, 400),
    ("between 30 and 40", "range", 30, 35, 40),
    ("two or three", "range", 2, 3, 3),
    ("thirty to forty", "range", 30, 35, 40),
    ("about 30 to 40", "approximate_range", 25, 35, 44),
    ("a handful", "vague", 2, 5, 10),
    ("A few", "vague", 2, 3, 5),
    ("several", "vague", 3, 5, 9),
    ("Dozens", "vague", 24, 36, 143),
    ("hundreds", "vague", 200, 300, 999),
    ("thousands", "vague", 2000, 3000, 9999),
    ("tens of thousands", "vague", 20_000, 30_000, 99_999),
]


@pytest.mark.parametrize(("text", "qualifier", "low", "best", "high"), CASES)
def test_phrase_reads_as_documented_interval(text, qualifier, low, best, high):
    reading = parse_phrase(text)
    assert (reading.qualifier, reading.low, reading.best, reading.high) == (
        qualifier, low, best, high,
    )


def test_stated_bounds_leave_out_the_tolerance():
    reading = parse_phrase("some 20,000")
    assert (reading.stated_low, reading.stated_high) == (20_000, 20_000)
    over = parse_phrase("over 7,800")
    assert (over.stated_low, over.stated_high) == (7801, None)


def test_tolerance_is_a_parameter_for_numbers_stated_to_the_unit():
    reading = parse_phrase("about 1,001", Fraction(1, 20))
    assert (reading.low, reading.high) == (950, 1052)
    # A round number is read by its precision, whatever the tolerance.
    assert parse_phrase("about 1,000", Fraction(1, 20)).low == 500


ERRORS = [
    ("", "empty number phrase: write the number as the document does"),
    ("7.5", "'7.5' is not a whole count: counts of people are integers"),
    ("40 to 30", "range '40 to 30' runs backwards: write the lower number first"),
    ("many", "'many' is not a number phrase: unexpected 'many'"),
    ("thirty forty fifty", "'thirty forty fifty' is not a number phrase: unexpected 'forty'"),
    (
        "99,000,000,000",
        "'99,000,000,000' is absurdly large (over 10,000,000,000): check for a typo",
    ),
    ("fewer than 0", "'fewer than 0': no count is below zero"),
    ("about dozens", "'about dozens' qualifies a vague word: use an override with a reason"),
    ("over 30 to 40", "'over 30 to 40' puts 'over' before a range: use an override with a reason"),
    ("-5", "'-5' is negative: a count is zero or more"),
]


@pytest.mark.parametrize(("text", "message"), ERRORS)
def test_unreadable_phrase_says_why(text, message):
    with pytest.raises(PhraseError) as raised:
        parse_phrase(text)
    assert str(raised.value) == message


def test_every_documented_rule_example_holds():
    """The documented qualifier table is RULES; each example must be what the parser does."""
    for _qualifier, _words, example in RULES:
        for part in example.split("; "):
            text, _, meaning = part.partition(" -> ")
            reading = parse_phrase(text)
            low_text, _, rest = meaning.partition(" .. ")
            high_text, _, best_text = rest.partition(" (best ")
            assert f"{reading.low:,}" == low_text, text
            assert ("open" if reading.high is None else f"{reading.high:,}") == high_text, text
            assert best_text.startswith(f"{reading.best:,}"), text


counts = st.integers(min_value=0, max_value=MAX_COUNT)


@given(counts)
def test_exact_number_reads_as_itself(value):
    reading = parse_phrase(f"{value:,}")
    assert reading.low == reading.best == reading.high == value
    assert parse_phrase(str(value)).best == value


@given(counts, st.sampled_from(["about", "some", "approximately", "over", "more than",
                                "at least", "fewer than", "as many as", "up to", "nearly"]))
def test_interval_is_ordered_and_contains_best(value, qualifier):
    try:
        reading = parse_phrase(f"{qualifier} {value:,}")
    except PhraseError:
        assert qualifier == "fewer than" and value == 0
        return
    assert 0 <= reading.low <= reading.best
    assert reading.high is None or reading.best <= reading.high
    assert all(isinstance(v, int) for v in (reading.low, reading.best))


@given(counts, counts)
def test_range_contains_both_ends_and_midpoint(a, b):
    low, high = min(a, b), max(a, b)
    reading = parse_phrase(f"{low:,} to {high:,}")
    assert (reading.low, reading.high) == (low, high)
    assert low <= reading.best <= high


@given(st.text(max_size=60))
def test_any_text_reads_or_raises_phrase_error(text):
    try:
        reading = parse_phrase(text)
    except PhraseError:
        return
    assert reading.low <= reading.best
    assert reading.high is None or reading.best <= reading.high


# value * 10 + 9 stays a count powcount accepts (at most MAX_COUNT).
@given(st.integers(min_value=1, max_value=(MAX_COUNT - 9) // 10),
       st.integers(min_value=1, max_value=9))
def test_an_approximate_round_number_allows_what_rounds_to_it(value, digit):
    """'about N', N stated to a unit u >= 10: exactly the counts that round half up to N."""
    number = value * 10
    unit = precision_unit(number)
    reading = parse_phrase(f"about {number:,}")
    assert (reading.low, reading.high) == (number - unit // 2, number + unit // 2 - 1)
    assert all(round_half_up(count, unit) == number for count in (reading.low, reading.high))
    assert round_half_up(reading.low - 1, unit) != number
    assert round_half_up(reading.high + 1, unit) != number
    # A number ending in a non-zero digit is stated to the unit: the settings' share.
    plain = parse_phrase(f"about {number + digit:,}")
    assert plain.low < number + digit < plain.high


def round_half_up(count: int, unit: int) -> int:
    return (count + unit // 2) // unit * unit
