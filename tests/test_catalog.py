"""The bundled dataset and its loader: every figure proven by its quote, at its line."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from powcount.catalog import FIGURE_COLUMNS, DataRoot, load_catalog, locate_data
from powcount.errors import DataError

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(DataRoot(PROJECT, PROJECT / "data", PROJECT / "seeds"))


def test_seed_documents_are_the_shared_originals_byte_for_byte(catalog):
    for source in catalog.sources.values():
        raw = (PROJECT / "seeds" / source.file).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == source.sha256


def test_every_document_has_its_figures(catalog):
    assert catalog.source_figure_counts() == {
        "crs-2015": 21,
        "new-american-2018": 3,
        "pows-to-russia-site": 1,
        "mia-pow-newsletter": 12,
    }
    assert len(catalog.figures) == 37


@pytest.mark.parametrize(
    ("figure_id", "line", "column", "interval"),
    [
        ("crs-2015-unaccounted-2015", 6, 1, (7801, 7801, None)),
        ("crs-2015-unaccounted-1954", 15, 466, (7290, 8100, 8910)),
        ("crs-2015-reported-held-1951", 13, 344, (3198, 3198, 3198)),
        ("crs-2015-k208-individuals", 31, 554, (375, 388, 400)),
        ("crs-2015-believed-china", 44, 177, (1, 19, 19)),  # curator's override of low
        ("new-american-2018-transferred-30-40", 63, 218, (30, 35, 40)),
        ("mia-pow-newsletter-us-in-soviet-territory", 69, 12, (25000, 25000, 25000)),
        ("mia-pow-newsletter-us-left-behind", 72, 35, (18000, 20000, 22000)),
        ("mia-pow-newsletter-commonwealth-left-behind", 74, 9, (27761, 30846, 33931)),
        ("pows-to-russia-site-transfer-reports", 8, 1, (24, 36, 143)),
    ],
)
def test_figure_is_found_at_its_line(catalog, figure_id, line, column, interval):
    row = catalog.figures.set_index("id").loc[figure_id]
    assert (row["line"], row["column"]) == (line, column)
    high = None if row["high"] is None or str(row["high"]) == "<NA>" else int(row["high"])
    assert (int(row["low"]), int(row["best"]), high) == interval


def test_line_holds_the_value_text(catalog):
    """The computed line of every figure holds the start of its value_text."""
    for row in catalog.figures.itertuples():
        text = catalog.documents[row.source].text.splitlines()[row.line - 1]
        first_word = row.value_text.split()[0]
        assert text[row.column - 1 :].startswith(first_word), row.id


def test_frame_has_the_documented_columns(catalog):
    assert list(catalog.figures.columns[: len(FIGURE_COLUMNS)]) == FIGURE_COLUMNS


def test_data_option_accepts_the_data_folder_itself(dataset):
    root = locate_data(str(dataset / "data"))
    assert (root.root, root.seeds) == (dataset, dataset / "seeds")
    assert len(load_catalog(root).figures) == 37


def _problems(root: Path) -> list[str]:
    with pytest.raises(DataError) as raised:
        load_catalog(locate_data(str(root)))
    return raised.value.lines()


def test_every_problem_of_a_run_is_reported_together(dataset):
    path = dataset / "data" / "figures" / "crs-2015.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("quantity: believed_in_china", "quantity: believed_in_chna")
    text = text.replace("Eventually 867 sets", "Eventually 876 sets")
    path.write_text(text, encoding="utf-8")
    (dataset / "seeds" / "001_2f483f9c217f33a0.txt").write_text("changed", encoding="utf-8")
    not_found = (
        "quote not found in seeds/{}: copy the words verbatim from the document "
        "(line breaks and spacing may differ)"
    )
    assert _problems(dataset) == [
        "data/figures/crs-2015.yaml:70: figure 'crs-2015-remains-declared-unknown': value_text "
        "'867' is not in the quote: copy the number phrase exactly as the quote writes it",
        "data/figures/crs-2015.yaml:71: figure 'crs-2015-remains-declared-unknown': "
        + not_found.format("003_c5e0c8b9b0d3c692.txt"),
        "data/figures/crs-2015.yaml:199: figure 'crs-2015-believed-china': unknown quantity "
        "'believed_in_chna' (did you mean 'believed_in_china'?): use a code from "
        "data/vocabulary.yaml or add it there",
        "data/figures/new-american-2018.yaml:13: figure 'new-american-2018-remains-55': "
        + not_found.format("001_2f483f9c217f33a0.txt"),
        "data/figures/new-american-2018.yaml:23: figure 'new-american-2018-unaccounted-2016': "
        + not_found.format("001_2f483f9c217f33a0.txt"),
        "data/figures/new-american-2018.yaml:34: figure 'new-american-2018-transferred-30-40': "
        + not_found.format("001_2f483f9c217f33a0.txt"),
        "data/sources.yaml:39: source 'new-american-2018': document "
        "seeds/001_2f483f9c217f33a0.txt changed since curation (sha256 "
        "d67e2e944994..., recorded d27e23e4bb97...): re-check its figures, then record the "
        "new sha256",
    ]


def test_quote_spanning_hard_wrapped_lines_is_found(catalog):
    row = catalog.figures.set_index("id").loc["mia-pow-newsletter-refugees-in-soviet-territory"]
    assert (row["line"], row["column"]) == (21, 52)
