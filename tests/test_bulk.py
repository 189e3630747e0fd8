"""Bulk figure files (CSV, Parquet): the same figures and the same problems as YAML."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from powcount.catalog import FIGURE_COLUMNS, INTERNAL_COLUMNS, load_catalog, locate_data
from powcount.catalog.bulk import BULK_COLUMNS
from powcount.documents import Document, normalise
from powcount.errors import DataError

HEADER = "id,quantity,conflict,nation,value_text,quote,as_of,attributed_to,credibility,note\n"
FIELDS = HEADER.strip().split(",")
# A figure of the newsletter, as data/figures/mia-pow-newsletter.yaml states it.
FIGURE = {
    "id": "news-bulk-1", "quantity": "forced_repatriation", "conflict": "wwii",
    "nation": "cossacks", "value_text": "100,000", "quote": "the repatriation of 100,000 "
    "Cossack troops that had fought against the Red Army.", "as_of": "1945",
    "attributed_to": "", "credibility": "3", "note": "",
}  # fmt: skip


def row(**changes: str) -> str:
    """One CSV record: FIGURE with some fields changed."""
    stream = io.StringIO()
    csv.writer(stream, lineterminator="\n").writerow([{**FIGURE, **changes}[f] for f in FIELDS])
    return stream.getvalue()


GOOD = row()


def _figures_of(dataset: Path, source: str) -> list[dict[str, object]]:
    yaml = YAML(typ="safe")
    node = yaml.load((dataset / "data" / "figures" / f"{source}.yaml").read_text())
    return [f for f in node["figures"] if "override" not in f and not f.get("candidate")]


def _write_csv(path: Path, figures: list[dict[str, object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[c for c in BULK_COLUMNS if c != "source"],
                                extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(figures)


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    columns = [c for c in FIGURE_COLUMNS + INTERNAL_COLUMNS
               if c not in ("data_file", "data_line")]
    return frame[columns].sort_values("id").reset_index(drop=True)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_bulk_file_gives_the_same_figures_as_its_yaml(dataset, suffix):
    figures_dir = dataset / "data" / "figures"
    source = "crs-2015"
    figures = _figures_of(dataset, source)
    before = load_catalog(locate_data(str(dataset))).figures
    kept = before[before["id"].isin([f["id"] for f in figures]) | (before["source"] != source)]
    (figures_dir / f"{source}.yaml").unlink()
    if suffix == ".csv":
        _write_csv(figures_dir / f"{source}.csv", figures)
    else:
        frame = pd.DataFrame(figures).reindex(columns=[c for c in BULK_COLUMNS if c != "source"])
        frame["as_of"] = frame["as_of"].astype(str)
        frame.to_parquet(figures_dir / f"{source}.parquet", index=False)
    after = load_catalog(locate_data(str(dataset))).figures
    pd.testing.assert_frame_equal(_comparable(after), _comparable(kept))
    from_bulk = after[after["source"] == source]
    assert len(from_bulk) == len(figures)
    # The YAML's bases and credibility reasons come through the bulk file unchanged.
    assert from_bulk["credibility_reason"].notna().sum() == sum(
        1 for f in figures if f.get("credibility_reason"))
    assert list(after.columns) == list(before.columns)
    assert (after.dtypes == before.dtypes).all()
    place = after.set_index("id").loc[figures[0]["id"], ["data_file", "data_line"]].tolist()
    assert place == [f"data/figures/{source}{suffix}", 2 if suffix == ".csv" else 1]


def test_figures_command_reads_csv_figures(dataset, run):
    (dataset / "data" / "figures" / "mia-pow-newsletter.csv").write_text(HEADER + GOOD)
    result = run(["figures", "--source", "mia-pow-newsletter", "--format", "csv"], data=dataset)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("news-bulk-1,")]
    assert len(lines) == 1
    assert (",wwii,cossacks,forced_repatriation,persons,event,exact,\"100,000\",100000,100000,"
            "100000,1945,") in lines[0]


def _problems(dataset: Path, name: str, text: str) -> list[str]:
    (dataset / "data" / "figures" / name).write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_catalog(locate_data(str(dataset)))
    return caught.value.lines()


CSV = "data/figures/mia-pow-newsletter.csv"
NOT_FOUND = ("quote not found in seeds/002_91060682c4cc5943.txt: copy the words verbatim from "
             "the document (line breaks and spacing may differ)")
BROKEN = [
    (row(id="news-b", quantity="forced_repatriaton"),
     f"{CSV}:3: figure 'news-b': field 'quantity': unknown quantity 'forced_repatriaton' (did "
     "you mean 'forced_repatriation'?): use a code from data/vocabulary.yaml or add it there"),
    (row(id="news-b", quote=""),
     f"{CSV}:3: figure 'news-b': field 'quote': empty: copy the words around the number "
     "verbatim from the document"),
    (row(id="news-b", quote="the repatriation of 100,000 Cossack troops who fought"),
     f"{CSV}:3: figure 'news-b': field 'quote': {NOT_FOUND}"),
    (row(id="news-b", value_text="10,000"),
     f"{CSV}:3: figure 'news-b': field 'value_text': value_text '10,000' is not in the quote: "
     "copy the number phrase exactly as the quote writes it"),
    (row(id="news-b", as_of="1945-13"),
     f"{CSV}:3: figure 'news-b': field 'as_of': '1945-13' is not a real date (month must be in "
     "1..12): fix the month or the day"),
    (row(id="news-b", credibility="7"),
     f"{CSV}:3: figure 'news-b': field 'credibility': '7' is not a whole number from 1 to 6: "
     "grade the information 1 (confirmed) to 6 (truth cannot be judged)"),
    (row(id="News_B"),
     f"{CSV}:3: figure 'News_B': field 'id': 'News_B' is not an id: use lower-case letters, "
     "digits, '-' and '_', starting with a letter or digit, at most 80 characters"),
    (row(id=""),
     f"{CSV}:3: figure #2: field 'id': empty: give the figure an id (lower-case letters, "
     "digits, '-' and '_')"),
    (row(id="news-b", value_text="Cossack troops"),
     f"{CSV}:3: figure 'news-b': field 'value_text': 'cossack troops' is not a number phrase: "
     "unexpected 'cossack'; or move the figure to a YAML figures file and give it an override "
     "with low, best, high and a reason"),
    (row(),
     f"{CSV}:3: figure 'news-bulk-1': duplicate figure id (first in {CSV}:2): rename one"),
]


@pytest.mark.parametrize(("record", "expected"), BROKEN, ids=[e.split(": ")[2] for _, e in BROKEN])
def test_one_broken_row_one_exact_problem(dataset, record, expected):
    assert _problems(dataset, "mia-pow-newsletter.csv", HEADER + GOOD + record) == [expected]


def test_a_quoted_line_break_moves_the_lines_after_it(dataset):
    first = row(quote=FIGURE["quote"].replace("Cossack troops", "Cossack\ntroops"))
    broken = row(id="news-b", credibility="9")
    assert _problems(dataset, "mia-pow-newsletter.csv", HEADER + first + "\n" + broken) == [
        f"{CSV}:5: figure 'news-b': field 'credibility': '9' is not a whole number from 1 to 6: "
        "grade the information 1 (confirmed) to 6 (truth cannot be judged)"
    ]


def test_a_duplicate_across_files_is_reported_where_it_comes_second(dataset):
    # Files are read in name order: the .csv before the .yaml of the same source.
    figure_id = "mia-pow-newsletter-cossacks-repatriated"
    line = _yaml_line(dataset, figure_id)
    assert _problems(dataset, "mia-pow-newsletter.csv", HEADER + row(id=figure_id)) == [
        f"data/figures/mia-pow-newsletter.yaml:{line}: figure '{figure_id}': duplicate figure id "
        f"(first in {CSV}:2): rename one"
    ]


def _yaml_line(dataset: Path, figure_id: str) -> str:
    text = (dataset / "data" / "figures" / "mia-pow-newsletter.yaml").read_text()
    lines = text.splitlines()
    return str(next(i for i, line in enumerate(lines, 1) if line.endswith(f"id: {figure_id}")))


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("mia-pow-newsletter.csv", HEADER.replace("note", "notes") + GOOD,
         f"{CSV}:1: unknown column 'notes' (did you mean 'note'?): remove or rename it"),
        ("mia-pow-newsletter.csv", HEADER.replace(",quote", "") + "a,b\n",
         f"{CSV}:1: missing column 'quote': add it (the columns are id, quantity, conflict, "
         "nation, value_text, quote, as_of, credibility, attributed_to, note, source, basis, "
         "credibility_reason)"),
        ("mia-pow-newslettr.csv", HEADER + GOOD,
         "data/figures/mia-pow-newslettr.csv: unknown source 'mia-pow-newslettr' (did you mean "
         "'mia-pow-newsletter'?): add it to data/sources.yaml or name the file after a source id"),
        ("mia-pow-newsletter.csv", HEADER + GOOD + "news-b,unaccounted_for,korea\n",
         f"{CSV}:3: 3 fields where the header has 10: quote values that contain commas (\"...\") "
         "or fix the row"),
        ("mia-pow-newsletter.csv", "",
         f"{CSV}: file is empty: add a header row and figures, or delete it"),
        ("mia-pow-newsletter.csv", HEADER.strip() + ",source\n" + GOOD.strip() + ",crs-2015\n",
         f"{CSV}:2: figure 'news-bulk-1': field 'source': source 'crs-2015' does not match the "
         "file name: name the file crs-2015.csv or fix 'source'"),
    ],
    ids=["unknown-column", "missing-column", "unknown-source", "short-row", "empty", "source"],
)
def test_file_problems(dataset, name, text, expected):
    assert _problems(dataset, name, text) == [expected]


def test_a_non_utf8_csv_names_its_line(dataset):
    path = dataset / "data" / "figures" / "mia-pow-newsletter.csv"
    path.write_bytes((HEADER + GOOD).encode() + b"news-b,caf\xe9\n")
    with pytest.raises(DataError) as caught:
        load_catalog(locate_data(str(dataset)))
    assert caught.value.lines() == [f"{CSV}:3: not UTF-8 (byte 0xe9): save as UTF-8"]


def test_parquet_problems_are_placed_by_row(dataset):
    frame = pd.DataFrame([FIGURE, {**FIGURE, "id": "news-b", "credibility": "0"}])
    frame.to_parquet(dataset / "data" / "figures" / "mia-pow-newsletter.parquet", index=False)
    with pytest.raises(DataError) as caught:
        load_catalog(locate_data(str(dataset)))
    assert caught.value.lines() == [
        "data/figures/mia-pow-newsletter.parquet:row 2: figure 'news-b': field 'credibility': "
        "'0' is not a whole number from 1 to 6: grade the information 1 (confirmed) to 6 "
        "(truth cannot be judged)"
    ]


def test_a_parquet_column_of_the_wrong_type(dataset):
    frame = pd.DataFrame({c: ["x"] for c in HEADER.strip().split(",")})
    frame["credibility"] = [1.5]
    frame.to_parquet(dataset / "data" / "figures" / "mia-pow-newsletter.parquet", index=False)
    with pytest.raises(DataError) as caught:
        load_catalog(locate_data(str(dataset)))
    assert caught.value.lines() == [
        "data/figures/mia-pow-newsletter.parquet: column 'credibility' holds double values: "
        "store it as text (string) or integers"
    ]


def test_validate_exits_3_with_one_line_per_problem(dataset, run):
    bad = row(id="news-b", conflict="wwi")
    (dataset / "data" / "figures" / "mia-pow-newsletter.csv").write_text(HEADER + GOOD + bad)
    result = run(["validate"], data=dataset)
    assert result.exit_code == 3
    assert result.stderr == (
        f"{CSV}:3: figure 'news-b': field 'conflict': unknown conflict 'wwi' (did you mean "
        "'wwii'?): use a code from data/vocabulary.yaml or add it there\n"
    )


WITH_BASIS = HEADER.strip() + ",basis,credibility_reason\n"
REASON = "The newsletter relays a figure it does not source."


def test_a_bulk_figure_states_its_basis_and_credibility_reason(dataset):
    (dataset / "data" / "figures" / "mia-pow-newsletter.csv").write_text(
        WITH_BASIS + GOOD.strip() + f",since_1982,{REASON}\n" + row(id="news-b").strip()
        + ",,\n")
    figures = load_catalog(locate_data(str(dataset))).figures.set_index("id")
    assert figures.loc["news-bulk-1", ["basis", "credibility_reason"]].tolist() == [
        "since_1982", REASON]
    assert figures.loc["news-b", ["basis", "credibility_reason"]].isna().tolist() == [True, True]


def test_an_unknown_basis_reads_as_in_yaml(dataset):
    csv_line = _problems(dataset, "mia-pow-newsletter.csv",
                         WITH_BASIS + GOOD.strip() + ",since-1982,\n")
    assert csv_line == [
        f"{CSV}:2: figure 'news-bulk-1': field 'basis': unknown basis 'since-1982' (did you mean "
        "'since_1982'?): use a code from the bases of data/vocabulary.yaml or add it there"]
    (dataset / "data" / "figures" / "mia-pow-newsletter.csv").unlink()
    yaml_file = dataset / "data" / "figures" / "mia-pow-newsletter.yaml"
    figure_id = "mia-pow-newsletter-cossacks-repatriated"
    line = int(_yaml_line(dataset, figure_id))
    lines = yaml_file.read_text().splitlines(keepends=True)
    indent = lines[line - 1][: len(lines[line - 1]) - len(lines[line - 1].lstrip())]
    lines.insert(line, f"{indent}  basis: since-1982\n")
    yaml_file.write_text("".join(lines))
    with pytest.raises(DataError) as caught:
        load_catalog(locate_data(str(dataset)))
    # A bulk row names the field its message is about; a YAML line is the field's own.
    assert caught.value.lines() == [
        f"data/figures/mia-pow-newsletter.yaml:{line + 1}: figure '{figure_id}': "
        + csv_line[0].split("field 'basis': ", 1)[1]]


def test_a_credibility_reason_over_the_text_limit(dataset):
    reason = "x" * 10_001
    assert _problems(dataset, "mia-pow-newsletter.csv",
                     WITH_BASIS + GOOD.strip() + f",,{reason}\n") == [
        f"{CSV}:2: figure 'news-bulk-1': field 'credibility_reason': 10,001 characters long: "
        "give the reason in at most 10,000 characters"]


def test_parquet_basis_problems_are_placed_by_row(dataset):
    frame = pd.DataFrame([{**FIGURE, "basis": "since_1982", "credibility_reason": REASON},
                          {**FIGURE, "id": "news-b", "basis": "sinse_1982",
                           "credibility_reason": None}])
    frame.to_parquet(dataset / "data" / "figures" / "mia-pow-newsletter.parquet", index=False)
    with pytest.raises(DataError) as caught:
        load_catalog(locate_data(str(dataset)))
    assert caught.value.lines() == [
        "data/figures/mia-pow-newsletter.parquet:row 2: figure 'news-b': field 'basis': "
        "unknown basis 'sinse_1982' (did you mean 'since_1982'?): use a code from the bases of "
        "data/vocabulary.yaml or add it there"]


# --- the quote index against a plain reading of the same rules ----------------------------


def _reference_find(text: str, quote: str) -> int | None:
    """First occurrence at a word start, else first anywhere (documents.Document.find)."""
    normal, needle = normalise(text), normalise(quote)
    if not needle:
        return None
    starts = [i for i in range(len(normal)) if (i == 0 or normal[i - 1] == " ")
              and normal.startswith(needle, i)]
    if starts:
        return starts[0]
    found = normal.find(needle)
    return None if found < 0 else found


def _reference_line_column(text: str, offset: int) -> tuple[int, int]:
    """Map a normalised offset back word by word; a space maps to the end of its word."""
    mapping: list[int] = []
    previous_end = None
    for word in re.finditer(r"\S+", text):
        if previous_end is not None:
            mapping.append(previous_end)
        mapping.extend(range(word.start(), word.end()))
        previous_end = word.end()
    position = mapping[offset]
    before = text[:position]
    line = len(re.findall(r"\r\n|\n|\r", before)) + 1
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return line, position - line_start + 1


WORDS = st.sampled_from(["the", "prisoners", "8,100", "about", "were", "held", "in", "at",
                         "theheld", "war", "é"])
SPACES = st.sampled_from([" ", "  ", "\n", "\r\n", "\t", " \n  ", "\u00a0"])


@st.composite
def documents(draw: st.DrawFn) -> str:
    words = draw(st.lists(WORDS, min_size=1, max_size=40))
    gaps = draw(st.lists(SPACES, min_size=len(words) + 1, max_size=len(words) + 1))
    return gaps[0] * draw(st.booleans()) + "".join(w + g for w, g in zip(words, gaps[1:],
                                                                         strict=True))


@settings(max_examples=300, deadline=None)
@given(documents(), st.integers(0, 39), st.integers(1, 30), st.booleans())
def test_the_index_finds_what_a_plain_search_finds(text, start, length, inside_word):
    words = normalise(text).split(" ")
    quote = " ".join(words[start % len(words):][:length])
    if inside_word and len(quote) > 2:
        quote = quote[1:]
    document = Document("doc.txt", text, "0" * 64)
    assert document.find(quote) == _reference_find(text, quote)
    many = document.find_normalised([normalise(quote), "absent words here at all"])
    assert many == [_reference_find(text, quote) if _reference_find(text, quote) is not None
                    else -1, -1]


@settings(max_examples=300, deadline=None)
@given(documents(), st.integers(0, 400))
def test_offsets_map_back_to_the_line_and_column_of_the_text(text, offset):
    normal = normalise(text)
    offset = offset % max(1, len(normal))
    document = Document("doc.txt", text, "0" * 64)
    expected = _reference_line_column(text, offset)
    assert document.line_column(offset) == expected
    lines, columns = document.line_columns([offset])
    assert (int(lines[0]), int(columns[0])) == expected
