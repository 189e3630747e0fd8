"""What ``extract --format yaml`` writes loads as it is, once the candidate lines go.

For any document: add it as a source, extract its figures file, delete the
``candidate: true`` lines a curator deletes, and ``validate`` passes. Documents are
made by hypothesis from the pieces that real fact sheets, service histories and
news stories are made of: counts that look like years or codes ("7699", "1994"),
glued notes, tables, quotes and YAML's own special characters.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

PROJECT = Path(__file__).resolve().parent.parent
PIECES = [
    "7699", "6882 Individuals", "1994", "199433 boxes", "over 7,800", "about 5,300", "1,203",
    "0042", "some 70", "one", "One, Sergeant Smith, was returned.", "30 to 40", "375-400",
    "Remains identified 12 Individuals4", "401 Caskets117", "Vietnam-1,203 (North-450, "
    "South-753); Laos-280", "Op Plan 14-54", "died at 91", "Thousands of", "dozens of",
    "a handful of", "Americans", "POWs", "sets of remains", "missing", "unaccounted for",
    "Korean War", "Vietnam War", "World War II", "North Korea", "China", "U.S.", "yes", "no",
    "true", "null", "~", "#", ": ", "- ", "'", '"', "\\", "{", "}", "[", "]", "&", "*", "!",
    "%", "@", "`", "|", ">", "\u201cunknown,\u201d", "\u00e9", ".", ",", ";", "\n", "\n\n",
    "\t", "identified.1", "in 1954.5",
]  # fmt: skip
# A document of whitespace alone is refused by add-source as empty, before extraction.
documents = (st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map(" ".join)
             .filter(str.strip))
_made = itertools.count()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled dataset, copied once; each example copies this copy."""
    root = tmp_path_factory.mktemp("template")
    shutil.copytree(PROJECT / "data", root / "data")
    shutil.copytree(PROJECT / "seeds", root / "seeds")
    return root


def curated(text: str) -> str:
    """The figures file with the candidate markers deleted, as a curator deletes them."""
    return "".join(line for line in text.splitlines(keepends=True)
                   if line.strip() != "candidate: true")


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(document=documents)
# A sentence said twice: validate places both figures on the first; the ledger takes the rest.
@example(document="Remains identified 12 Individuals4 Remains identified 12 Individuals4")
def test_an_extracted_figures_file_loads_once_the_candidate_lines_go(
        run, template: Path, tmp_path: Path, document: str) -> None:
    work = tmp_path / f"example-{next(_made)}"
    shutil.copytree(template, work / "project")
    dataset = work / "project"
    path = work / "generated.txt"
    path.write_text(document + "\n", encoding="utf-8")
    added = run(["add-source", str(path), "--id", "generated", "--title", "Generated",
                 "--kind", "government_report", "--published", "2020-05-01"], data=dataset)
    assert added.exit_code == 0, added.stderr
    figures = dataset / "data" / "figures" / "generated.yaml"
    extracted = run(["extract", str(dataset / "seeds" / "generated.txt"), "--format", "yaml",
                     "--output", str(figures)], data=dataset)
    assert extracted.exit_code == 0, extracted.stderr
    figures.write_text(curated(figures.read_text("utf-8")), encoding="utf-8")
    # The not_figures draft accounts for every other count-like number: the source can
    # be marked as completely curated.
    sources = dataset / "data" / "sources.yaml"
    listing = sources.read_text("utf-8")
    at = listing.rindex("    curation: partial\n")
    sources.write_text(listing[:at] + "    curation: complete\n"
                       + listing[at + len("    curation: partial\n"):], encoding="utf-8")
    valid = run(["validate"], data=dataset)
    assert valid.exit_code == 0, (valid.stderr, figures.read_text("utf-8"))


def test_a_count_of_digits_alone_is_written_as_text(run, dataset: Path, tmp_path: Path) -> None:
    path = tmp_path / "sheet.txt"
    path.write_text("The agency lists 7699 Americans as missing.\n", encoding="utf-8")
    added = run(["add-source", str(path), "--id", "sheet", "--title", "Sheet",
                 "--published", "2020"], data=dataset)
    assert added.exit_code == 0, added.stderr
    extracted = run(["extract", str(dataset / "seeds" / "sheet.txt"), "--format", "yaml"],
                    data=dataset)
    assert extracted.exit_code == 0, extracted.stderr
    assert '    value_text: "7699"\n' in extracted.stdout
    assert "    as_of: 2020\n" in extracted.stdout
