"""powcount.catalog.rules: each rule gives what the general reader gives, for every input."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from powcount.catalog.rules import ID_PATTERN, MAX_SLUG, bare_number, claimant
from powcount.errors import PhraseError
from powcount.models import Slug
from powcount.numbers import MAX_COUNT, Reading, parse_phrase

SLUG = TypeAdapter(Slug)
# Numbers as documents write them: no leading zero before the first comma.
GROUPED = st.from_regex(r"[1-9][0-9]{0,2}(,[0-9]{3}){0,4}|0", fullmatch=True)
PHRASES = st.one_of(GROUPED, st.from_regex(r"[0-9]{1,12}", fullmatch=True),
                    st.text(alphabet="0123456789, .-~about", max_size=14))


def _phrase(text: str) -> Reading | None:
    try:
        return parse_phrase(text)
    except PhraseError:
        return None


@settings(max_examples=300, deadline=None)
@given(PHRASES)
def test_a_bare_number_reads_as_parse_phrase_reads_it(text):
    reading = bare_number(text)
    if reading is not None:
        assert reading == _phrase(text)


@settings(max_examples=200, deadline=None)
@given(GROUPED)
def test_every_grouped_number_up_to_the_largest_count_is_bare(text):
    value = int(text.replace(",", ""))
    expected = Reading("exact", value, value, value, value, value) if value <= MAX_COUNT else None
    assert bare_number(text) == expected


def test_bare_number_examples():
    assert bare_number("3,198") == Reading("exact", 3198, 3198, 3198, 3198, 3198)
    assert bare_number("8177") == Reading("exact", 8177, 8177, 8177, 8177, 8177)
    assert bare_number(f"{MAX_COUNT + 1}") is None
    assert bare_number("31,98") is None
    assert bare_number("about 3,198") is None
    assert bare_number(" 3198") is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab09_-Z .", max_size=MAX_SLUG + 3))
def test_the_id_pattern_accepts_what_the_models_accept(text):
    try:
        SLUG.validate_python(text)
        model_ok = True
    except ValidationError:
        model_ok = False
    assert bool(re.fullmatch(ID_PATTERN, text)) == model_ok


def test_the_id_pattern_stops_at_the_longest_id():
    assert re.fullmatch(ID_PATTERN, "a" * MAX_SLUG)
    assert not re.fullmatch(ID_PATTERN, "a" * (MAX_SLUG + 1))


def test_a_source_id_claims_for_itself_and_a_name_is_compared_folded():
    sources = {"dpaa-2019", "crs-2015"}
    assert claimant("dpaa-2019", sources) == "dpaa-2019"
    assert claimant("U.S.  Army\tHistorian", sources) == "named:u.s. army historian"
    assert claimant("DPAA-2019", sources) == "named:dpaa-2019"
