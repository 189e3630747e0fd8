"""Problems as typed values: each problem of a dataset carries the slug of its kind."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from powcount.catalog import DataRoot, load_catalog
from powcount.catalog.problems import KINDS, QUOTE_NOT_FOUND, UNKNOWN_CODE, USE_CODE
from powcount.errors import DataError, Problem

CORPUS = Path(__file__).resolve().parent / "bad_inputs"

#: Cases of the bad-input corpus and the kinds of the problems each holds, in the order
#: they are reported (by file and line).
CASES = {
    "bulk-csv-quote-not-found": ["quote-not-found"],
    "bulk-csv-unknown-column": ["table-unreadable", "unknown-column"],
    "bulk-parquet-not-parquet": ["table-unreadable"],
    "candidate-left-in": ["candidate-unreviewed"],
    "figure-credibility-word": ["invalid-field"],
    "figure-duplicate-id-across-files": ["duplicate-id"],
    "figure-duplicate-id-same-file": ["duplicate-id"],
    "figure-missing-field": ["missing-field"],
    "figure-not-a-mapping": ["wrong-shape"],
    "figure-unknown-key-qoute": ["unknown-key"],
    "figure-unknown-nation": ["unknown-code"],
    "figures-source-mismatch": ["source-mismatch"],
    "figures-unknown-source": ["unknown-source"],
    "quote-not-in-document": ["quote-not-found"],
    "several-problems-at-once": ["unknown-code", "invalid-field", "invalid"],
    "source-document-changed": ["document-changed"],
    "source-document-not-utf8": ["document-unreadable"],
    "source-duplicate-id": ["duplicate-source"],
    "source-file-absolute": ["outside-seeds"],
    "source-missing-document": ["document-missing"],
    "sources-not-a-mapping": ["wrong-shape"],
    "value-text-not-in-quote": ["value-not-in-quote"],
    "value-text-unparseable": ["phrase-unreadable"],
    "yaml-anchor": ["yaml-refused"],
    "yaml-binary-file": ["binary-file"],
    "yaml-duplicate-key": ["duplicate-key"],
    "yaml-empty-file": ["file-empty"],
    "yaml-not-utf8": ["not-utf-8"],
    "yaml-tab-indentation": ["yaml-refused"],
    "yaml-unclosed-quote": ["yaml-syntax"],
}


def _dataset(case: str, tmp_path: Path) -> DataRoot:
    """The corpus's base dataset with one case's files laid over it."""
    root = tmp_path / "project"
    shutil.copytree(CORPUS / "_base", root)
    for path in sorted((CORPUS / case).rglob("*")):
        relative = path.relative_to(CORPUS / case)
        if path.is_dir() or relative.as_posix() in ("case.yaml", "expected.txt"):
            continue
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, root / relative)
    return DataRoot(root, root / "data", root / "seeds")


@pytest.mark.parametrize(("case", "kinds"), CASES.items(), ids=list(CASES))
def test_each_problem_names_its_kind(case, kinds, tmp_path):
    with pytest.raises(DataError) as raised:
        load_catalog(_dataset(case, tmp_path))
    assert [problem.kind for problem in raised.value.problems] == kinds


def test_the_message_of_a_problem_is_its_kind_template_filled_in(tmp_path):
    with pytest.raises(DataError) as raised:
        load_catalog(_dataset("quote-not-in-document", tmp_path))
    [problem] = raised.value.problems
    assert problem.message == QUOTE_NOT_FOUND.message(document="report.txt")
    assert problem.message == (
        "quote not found in seeds/report.txt: copy the words verbatim from the document (line "
        "breaks and spacing may differ)")


def test_a_kind_makes_a_problem_at_a_place():
    problem = UNKNOWN_CODE.at("data/checks.yaml", 4, "check 'x'", field="nation",
                              code="usa", hint=" (did you mean 'us'?)", fix=USE_CODE)
    assert problem == Problem("data/checks.yaml", 4, "check 'x'",
                              "unknown nation 'usa' (did you mean 'us'?): use a code from "
                              "data/vocabulary.yaml", "unknown-code")
    assert str(problem) == ("data/checks.yaml:4: check 'x': unknown nation 'usa' (did you "
                            "mean 'us'?): use a code from data/vocabulary.yaml")


def test_kinds_have_distinct_slugs_titles_and_templates():
    slugs = [kind.slug for kind in KINDS]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in slugs)
    assert all(kind.title and kind.template for kind in KINDS)
    assert "invalid" in slugs
