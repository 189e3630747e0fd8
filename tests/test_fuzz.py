"""Fuzzing: random input into every entry point that reads untrusted text.

Only powcount's own typed errors may come out (PowcountError subclasses,
YamlProblem, DataError), never another exception and never a hang: each example
has a hypothesis deadline, and an alarm fails the test outright if one input
runs for seconds.

In CI (CI=true) every entry point (the number-phrase parser, the YAML parser, the
whole loader, the document readers and the extractor) gets 10,000 generated inputs;
the loader, which builds and validates a dataset per input, takes about three minutes
of that. A local run uses a few hundred so the suite stays quick.
POWCOUNT_FUZZ_EXAMPLES sets the count by hand.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powcount.catalog import Catalog, DataRoot, load_catalog
from powcount.catalog.yaml import YamlProblem, dump_yaml, parse_yaml
from powcount.errors import DataError, PhraseError, PowcountError
from powcount.numbers import MAX_COUNT, NUMBER_WORDS, VAGUE_WORDS, Reading, parse_phrase

BASE = Path(__file__).resolve().parent / "bad_inputs" / "_base"

if os.environ.get("POWCOUNT_FUZZ_EXAMPLES"):
    EXAMPLES = int(os.environ["POWCOUNT_FUZZ_EXAMPLES"])
elif os.environ.get("CI", "").lower() in ("1", "true", "yes"):
    EXAMPLES = 10_000
else:
    EXAMPLES = 300

#: Seconds one input may take before the test fails instead of hanging CI.
HANG_SECONDS = 10

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=2_000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
    print_blob=True,
)
FUZZ_LOADER = FUZZ
FUZZ_READERS = FUZZ


class Hang(Exception):
    """An input ran for HANG_SECONDS: a loop that would hang a user's run."""


@contextlib.contextmanager
def bounded_time() -> Iterator[None]:
    def alarm(signum: int, frame: Any) -> None:
        raise Hang(f"one input took more than {HANG_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- number phrases ---------------------------------------------------------------------

PHRASE_WORDS = sorted(NUMBER_WORDS | set(VAGUE_WORDS)) + [
    "about", "approximately", "over", "more than", "at least", "fewer than", "up to",
    "nearly", "some", "between", "from", "to", "and", "or", "a", "an", "-", "\u2013",
    "~", "c.", "million", "billion", "dozen", "0", "1", "7,800", "1.5", "3,198", "99",
    "10,000,000,000", "10,000,000,001", "999,999,999,999,999", ",", ".", "(", ")", "'",
    "\u00a0", "\t", "\n",
]  # fmt: skip
phrases = st.one_of(
    st.text(max_size=160),
    st.lists(st.sampled_from(PHRASE_WORDS), max_size=8).map(" ".join),
    st.lists(st.sampled_from(PHRASE_WORDS), max_size=8).map("".join),
    st.integers(min_value=-10, max_value=MAX_COUNT * 100).map(lambda n: f"{n:,}"),
    st.from_regex(r"\A[~a-z ]{0,12}[0-9][0-9,.\u00a0]{0,16}( (million|thousand))?\Z"),
)


@FUZZ
@given(phrases)
def test_number_phrases_read_or_say_why(text: str) -> None:
    with bounded_time():
        try:
            reading = parse_phrase(text)
        except PhraseError as error:
            assert str(error)
            return
    assert isinstance(reading, Reading)
    for bound in (reading.low, reading.best, reading.stated_low):
        assert type(bound) is int and 0 <= bound
    assert reading.low <= reading.best
    if reading.high is not None:
        assert type(reading.high) is int and reading.best <= reading.high


# --- YAML -------------------------------------------------------------------------------

YAML_TOKENS = [
    "\n", "  ", "    ", "- ", ": ", "? ", "key", "id", "quote", "figures", "source",
    "report", "3,198", "1951", "2015-10", "0x1F", "1e400", "-.inf", ".nan", "~", "null",
    "true", "yes", "'", '"', "''", "\\u0000", "\\x", "[", "]", "{", "}", ",", "|", ">-",
    "#", "# comment\n", "---\n", "...\n", "%YAML 1.2\n", "%TAG ! tag:x,2000:\n",
    "&a ", "*a", "&b [*a, *a]", "!!python/object/apply:os.system ['true']", "!!str ",
    "!!binary ", "!custom ", "<<: *a", "\t", "\r", "\ufeff", "\u2028", "\x85", "é",
    "[[[[[[[[", "]]]]]]]]", "{a: {b: {c: ", "}}}",
]  # fmt: skip
yaml_soup = st.lists(st.sampled_from(YAML_TOKENS), max_size=40).map("".join)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
    st.text(max_size=40),
)
structures = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(min_size=1, max_size=12), inner, max_size=4),
    ),
    max_leaves=20,
)


def as_yaml(value: Any) -> bytes:
    return dump_yaml(value).encode("utf-8")


yaml_bytes = st.one_of(
    st.binary(max_size=400),
    yaml_soup.map(lambda text: text.encode("utf-8")),
    yaml_soup.map(lambda text: text.encode("utf-16")),
    structures.map(as_yaml),
)


@FUZZ
@given(yaml_bytes)
def test_random_bytes_and_yaml_parse_or_raise_yaml_problem(raw: bytes) -> None:
    with bounded_time():
        try:
            parse_yaml(raw, "data/fuzz.yaml")
        except YamlProblem as error:
            assert error.problem.path == "data/fuzz.yaml"
            assert error.problem.message
            assert "\n" not in str(error.problem)


# --- the whole loader -------------------------------------------------------------------

FIGURE_KEYS = ["id", "quantity", "conflict", "nation", "value_text", "quote", "as_of",
               "attributed_to", "credibility", "note", "override", "candidate", "qoute"]
GOOD = {
    "id": "report-held-1951", "quantity": "reported_held", "conflict": "korea",
    "nation": "us", "value_text": "3,198", "quote": "they were holding 3,198 Americans captive",
    "as_of": "1951", "credibility": 2,
}  # fmt: skip
field_values = st.one_of(
    scalars,
    st.sampled_from(["3,198", "over 3,198", "Americans", "1951", "2015-13", "spring 1953",
                     "reported_held", "korea", "us", "report", "-1", "3198.5", "",
                     "they were holding 3,198 Americans captive", "../../etc/passwd"]),
    st.fixed_dictionaries({}, optional={
        "low": st.integers(-5, 5_000), "best": st.integers(-5, 5_000),
        "high": st.integers(-5, 5_000), "open_high": st.booleans(),
        "reason": st.text(max_size=10),
    }),
    structures,
)
figure_records = st.builds(
    lambda changes, dropped: {k: v for k, v in {**GOOD, **changes}.items() if k not in dropped},
    st.dictionaries(st.sampled_from(FIGURE_KEYS), field_values, max_size=3),
    st.sets(st.sampled_from(FIGURE_KEYS), max_size=2),
)
figures_files = st.builds(
    lambda source, figures: {"source": source, "figures": figures},
    st.one_of(st.just("report"), scalars),
    st.lists(figure_records, max_size=3),
).map(as_yaml)
TARGETS = ["data/figures/report.yaml", "data/sources.yaml", "data/vocabulary.yaml",
           "data/settings.yaml"]


@pytest.fixture(scope="module")
def fuzz_root() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        shutil.copytree(BASE, root)
        yield root


@FUZZ_LOADER
@given(target=st.sampled_from(TARGETS), content=st.one_of(yaml_bytes, figures_files))
def test_loader_accepts_or_lists_problems(fuzz_root: Path, target: str, content: bytes) -> None:
    path = fuzz_root / target
    original = (BASE / target).read_bytes()
    path.write_bytes(content)
    try:
        with bounded_time():
            try:
                catalog = load_catalog(DataRoot(fuzz_root, fuzz_root / "data",
                                                fuzz_root / "seeds"))
            except DataError as error:
                lines = error.lines()
                assert lines
                assert all(line and "\n" not in line for line in lines)
                return
            except PowcountError as error:  # pragma: no cover - reported with its type
                pytest.fail(f"the loader raised {type(error).__name__}, not DataError: {error}")
        assert isinstance(catalog, Catalog)
    finally:
        path.write_bytes(original)


# --- the extractor ----------------------------------------------------------------------

SEED_WORDS = sorted({
    word
    for path in sorted((BASE.parent.parent.parent / "seeds").glob("*.txt"))
    for word in path.read_text("utf-8").split()
})
EXTRACT_TOKENS = [
    " ", " ", " ", "\n", "\n\n", "\t", "|", " | ", "---", ".", ",", ";", "(", ")", "\u201c",
    "\u201d", "1953", "1951-1953", "7,800", "3,198", "over", "about", "some", "dozens",
    "POWs", "Americans", "Korea", "Korean War", "remains", "unaccounted", "1.", "2)", "*",
    "#", "$5", "5%", "No. 7", "p. 12", "K208", "10,000,000,001", "\u00a0", "\r\n",
]  # fmt: skip
documents = st.one_of(
    st.text(max_size=600),
    st.lists(st.sampled_from(SEED_WORDS + EXTRACT_TOKENS), max_size=120).map(" ".join),
    st.lists(st.sampled_from(SEED_WORDS + EXTRACT_TOKENS), max_size=120).map("".join),
)


@pytest.fixture(scope="module")
def classifier() -> Any:
    from powcount.catalog import bundled_root
    from powcount.extract import Classifier, load_codes

    return Classifier(load_codes(bundled_root()))


@FUZZ
@given(text=documents)
def test_extractor_finds_candidates_or_nothing(classifier: Any, text: str) -> None:
    from powcount.extract import extract_text
    from powcount.extract.extractor import normalise

    with bounded_time():
        candidates = extract_text(text, classifier, "fuzz.txt")
    line_count = len(text.splitlines()) or 1
    for candidate in candidates:
        assert 1 <= candidate.line <= line_count + 1
        assert candidate.column >= 1
        assert 0 <= candidate.low <= candidate.best
        assert candidate.high is None or candidate.best <= candidate.high
        assert normalise(candidate.value_text) in candidate.quote


@FUZZ_READERS
@given(raw=st.one_of(st.binary(max_size=600), documents.map(lambda t: t.encode("utf-8")),
                     st.binary(max_size=600).map(lambda b: b"%PDF-1.4\n" + b),
                     documents.map(lambda t: f"<html><body><p>{t}</p></body></html>".encode())),
       kind=st.sampled_from(["plain", "html", "pdf"]))
def test_document_readers_return_text_or_say_why(raw: bytes, kind: str) -> None:
    from powcount import document_text as reading

    read = {"plain": reading.plain_text, "html": reading.html_text, "pdf": reading.pdf_text}
    with bounded_time():
        try:
            text = read[kind](raw)
        except reading.ReadFailure as error:
            assert str(error)
            return
    assert isinstance(text, str)
