"""The curated public record: sixteen sources, the audit's corrections, the ledger."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from powcount.catalog.yaml import read_yaml, to_plain
from powcount.ledger import Span, uncovered
from powcount.models import ChecksFile, FiguresFile, SourcesFile, VocabularyFile

PROJECT = Path(__file__).resolve().parent.parent

TWELVE = (
    "defense-issues-1996-southeast-asia",
    "dod-news-2021-missing-worldwide",
    "dod-news-2024-korea-700th",
    "dod-news-2025-korea-families",
    "dpaa-2018-fy-accounted",
    "dpaa-2018-quarterly-update",
    "dpaa-faq",
    "dpaa-our-missing",
    "sfrc-1991-minority-staff-report",
    "ssc-1993-findings-accounting",
    "ssc-1993-korea-corso-testimony",
    "usrjc-1996-wwii-working-group",
)


def _read(path: Path):
    return to_plain(read_yaml(path, path.name))


@pytest.fixture
def figures(run, dataset) -> dict[str, dict]:
    """Every figure as `powcount figures --format json` prints it, by id."""
    result = run(["figures", "--format", "json"], data=dataset)
    assert result.exit_code == 0, result.stderr
    return {f["id"]: f for f in json.loads(result.stdout)}


@pytest.fixture
def sources(dataset):
    return {
        s.id: s
        for s in SourcesFile.model_validate(_read(dataset / "data" / "sources.yaml")).sources
    }


def _figure_entries(dataset: Path) -> dict[str, FiguresFile]:
    return {
        path.stem: FiguresFile.model_validate(_read(path))
        for path in sorted((dataset / "data" / "figures").glob("*.yaml"))
    }


def test_validate_passes_on_sixteen_sources(run, dataset) -> None:
    result = run(["validate"], data=dataset)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "valid: 16 sources, 63 figures, 39 quantities, 6 conflicts; "
        "every quote found in its document\n"
    )


def test_the_twelve_documents_keep_their_corpus_names(sources) -> None:
    for source_id in TWELVE:
        assert sources[source_id].file == f"{source_id}.txt"


def test_every_source_has_an_originator_and_the_twelve_a_retrieval(dataset, sources) -> None:
    vocabulary = VocabularyFile.model_validate(_read(dataset / "data" / "vocabulary.yaml"))
    assert len(sources) == 16
    for source in sources.values():
        assert source.originator in vocabulary.originators, source.id
        assert source.curation == "complete", source.id
        assert source.reliability_reason.strip(), source.id
    for source_id in TWELVE:
        source = sources[source_id]
        assert (source.retrieved, source.url is not None) == ("2026-12-07", True), source_id


def test_every_figure_has_a_credibility_reason(dataset) -> None:
    for name, entries in _figure_entries(dataset).items():
        for figure in entries.figures:
            assert figure.credibility_reason and figure.credibility_reason.strip(), (
                name,
                figure.id,
            )


def test_every_count_like_number_is_a_figure_or_dismissed(figures, dataset, sources) -> None:
    """The curation ledger of each of the sixteen documents is complete."""
    entries = _figure_entries(dataset)
    assert sorted(entries) == sorted(sources)
    for source_id, source in sources.items():
        text = (dataset / "seeds" / source.file).read_text("utf-8")
        lines = text.split("\n")
        spans = []
        for figure in (f for f in figures.values() if f["source"] == source_id):
            # value_text as it stands in the document, with the document's line breaks.
            start = (
                sum(len(line) + 1 for line in lines[: figure["line"] - 1]) + figure["column"] - 1
            )
            wanted, end = "".join(figure["value_text"].split()), start
            while len("".join(text[start:end].split())) < len(wanted):
                end += 1
            spans.append(Span(figure["line"], figure["column"], text[start:end]))
        dismissed = [(n.text, n.line) for n in entries[source_id].not_figures]
        assert uncovered(text, spans, dismissed) == [], source_id


def test_validate_names_a_dismissed_number_that_is_not_on_its_line(run, dataset) -> None:
    path = dataset / "data" / "figures" / "dpaa-faq.yaml"
    path.write_text(
        path.read_text("utf-8").replace('{text: "1513", line: 12,', '{text: "1513", line: 11,'),
        "utf-8",
    )
    result = run(["validate"], data=dataset)
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        "data/figures/dpaa-faq.yaml:21: not_figures '1513': no number '1513' on line 11 of "
        "seeds/dpaa-faq.txt (the document changed, or the entry is wrong): correct its text "
        "or line, or remove it",
        "seeds/dpaa-faq.txt:12: number '1513' at column 22: neither a figure nor under "
        "not_figures (source 'dpaa-faq', curation: complete): add the figure to "
        "data/figures/dpaa-faq.yaml, or list it there under not_figures with text '1513', "
        "line 12 and a reason",
    ]


def test_validate_names_an_unknown_originator_and_basis(run, dataset) -> None:
    sources = dataset / "data" / "sources.yaml"
    sources.write_text(
        sources.read_text("utf-8").replace(
            "    originator: dpaa\n    curation: complete\n    cites:\n      - Section 1513",
            "    originator: dpa\n    curation: complete\n    cites:\n      - Section 1513",
        ),
        "utf-8",
    )
    path = dataset / "data" / "figures" / "dpaa-2018-fy-accounted.yaml"
    path.write_text(
        path.read_text("utf-8").replace("basis: fiscal_year", "basis: fiscal", 1), "utf-8"
    )
    result = run(["validate"], data=dataset)
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        "data/figures/dpaa-2018-fy-accounted.yaml:16: figure 'dpaa-2018-fy-accounted-total': "
        "unknown basis 'fiscal' (did you mean 'fiscal_year'?): use a code from the bases of "
        "data/vocabulary.yaml or add it there",
        "data/sources.yaml:98: source 'dpaa-faq': unknown originator 'dpa' (did you mean "
        "'dpaa'?): use a code from the originators of data/vocabulary.yaml or add it there",
    ]


def test_the_all_conflicts_scope_is_a_scope(dataset) -> None:
    vocabulary = VocabularyFile.model_validate(_read(dataset / "data" / "vocabulary.yaml"))
    assert vocabulary.conflicts["all_conflicts"].scope is True
    assert [code for code, c in vocabulary.conflicts.items() if c.scope] == ["all_conflicts"]
    aliases = {alias for o in vocabulary.originators.values() for alias in o.aliases}
    assert {"DPAA", "Defense POW/MIA Accounting Agency (DPAA)"} <= set(
        vocabulary.originators["dpaa"].aliases
    )
    assert len(aliases) == sum(len(o.aliases) for o in vocabulary.originators.values())


def test_the_scoped_breakdown_check_is_a_valid_check() -> None:
    checks = ChecksFile.model_validate(_read(PROJECT / "data" / "checks.yaml")).checks
    breakdown = next(c for c in checks if c.name == "fiscal-year-2018-breakdown")
    assert (breakdown.left, breakdown.relation, breakdown.right) == (
        ["accounted_for@vietnam", "accounted_for@korea", "accounted_for@wwii"],
        "==",
        ["accounted_for@all_conflicts"],
    )


def test_the_fiscal_2018_breakdown_adds_up(figures) -> None:
    parts = [figures[f"dpaa-2018-fy-accounted-{c}"]["best"] for c in ("vietnam", "korea", "wwii")]
    assert parts == [10, 37, 156]
    assert sum(parts) == figures["dpaa-2018-fy-accounted-total"]["best"] == 203
    assert figures["dpaa-2018-fy-accounted-identified-group-burials"]["quantity"] == "identified"


# --- the audit's corrections, one test each ---------------------------------------------


def test_1_the_55_are_boxes_with_lower_credibility(figures) -> None:
    fifty_five = figures["new-american-2018-remains-55"]
    assert (fifty_five["quantity"], fifty_five["unit"], fifty_five["best"]) == (
        "remains_boxes_returned",
        "boxes",
        55,
    )
    assert fifty_five["credibility"] == 4
    assert "about 250 individuals were represented, 88 of them South Korean" in (
        " ".join(fifty_five["note"].split())
    )
    assert figures["dpaa-2018-quarterly-update-k55-cases"]["unit"] == "boxes"


def test_2_the_known_defectors_are_out_of_korea(figures) -> None:
    defectors = figures["crs-2015-known-defectors"]
    assert (defectors["conflict"], defectors["quantity"]) == ("cold_war", "known_defectors")
    assert "crossed the DMZ in the 1960s" in " ".join(defectors["note"].split())


def test_3_the_august_1953_release_is_dated_as_its_period(figures) -> None:
    released = figures["crs-2015-released-august-1953"]
    assert (released["as_of"], released["best"]) == ("1953-08-05/1953-09-06", 3313)
    assert "Other counts of the same release differ." in released["note"]


def test_4_the_newsletter_wwii_figures(figures) -> None:
    returned = figures["mia-pow-newsletter-commonwealth-returned"]
    assert "Hansard, 12 June 1945" in " ".join(returned["note"].split())
    for key in ("us-in-soviet-territory", "commonwealth-in-soviet-territory"):
        assert figures[f"mia-pow-newsletter-{key}"]["attributed_to"] == "the government (unnamed)"
    credibility = {
        key: figures[f"mia-pow-newsletter-{key}"]["credibility"]
        for key in (
            "us-returned",
            "us-left-behind",
            "commonwealth-returned",
            "commonwealth-left-behind",
            "us-in-soviet-territory",
        )
    }
    assert credibility == {
        "us-returned": 5,
        "us-left-behind": 5,
        "commonwealth-returned": 5,
        "commonwealth-left-behind": 5,
        "us-in-soviet-territory": 6,
    }


def test_5_both_7800_figures_are_dpaas(figures) -> None:
    assert figures["crs-2015-unaccounted-2015"]["attributed_to"] == "DPAA"
    assert figures["new-american-2018-unaccounted-2016"]["attributed_to"] == "DPAA"


def test_6_units_say_what_the_text_counts(figures) -> None:
    units = {
        fid: figures[fid]["unit"]
        for fid in (
            "crs-2015-believed-south-korea",
            "crs-2015-believed-china",
            "crs-2015-identified-south-korea",
            "crs-2015-recovered-south-korea",
            "crs-2015-remains-returned-2007",
            "crs-2015-believed-north-korea",
        )
    }
    assert units == {
        "crs-2015-believed-south-korea": "remains_sets",
        "crs-2015-believed-china": "remains_sets",
        "crs-2015-identified-south-korea": "remains_sets",
        "crs-2015-recovered-south-korea": "remains_sets",
        "crs-2015-remains-returned-2007": "persons",
        "crs-2015-believed-north-korea": "persons",
    }
    assert figures["crs-2015-remains-returned-2007"]["quantity"] == "remains_returned_persons"


def test_6_identified_is_checked_against_recovered_in_south_korea(run, dataset) -> None:
    result = run(["check", "korea", "--format", "json"], data=dataset)
    (found,) = [
        c
        for c in json.loads(result.stdout)
        if c["name"] == "identified-within-recovered-south-korea"
    ]
    assert (found["arithmetic"], found["verdict"]) == ("11 vs 20; right - left = 9", "holds")


def test_7_the_restated_target_is_identifications_not_a_second_claim(figures) -> None:
    restated, statute = figures["crs-2015-target-restated"], figures["crs-2015-ndaa-target"]
    assert (restated["quantity"], restated["unit"]) == (
        "identifications_per_year_target",
        "identifications_per_year",
    )
    assert (
        restated["attributed_to"]
        == statute["attributed_to"]
        == ("National Defense Authorization Act for Fiscal Year 2010")
    )


def test_8_grades_and_their_reasons(run, dataset, sources) -> None:
    assert sources["mia-pow-newsletter"].reliability == "E"
    assert "Philby" in sources["mia-pow-newsletter"].reliability_reason
    assert "ITV" in sources["mia-pow-newsletter"].reliability_reason
    assert "line 23" in sources["new-american-2018"].reliability_reason
    result = run(["sources", "--format", "csv"], data=dataset)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert {sid: row["reliability_reason"] for sid, row in rows.items()} == {
        s.id: s.reliability_reason for s in sources.values()
    }
    table = run(["sources"], data=dataset).stdout
    assert sources["sfrc-1991-minority-staff-report"].reliability_reason in table


def test_9_the_newsletter_wwii_figures_stand_beside_other_sources(run, dataset) -> None:
    result = run(["reconcile", "wwii", "--format", "json"], data=dataset)
    groups = {g["key"]: g for g in json.loads(result.stdout)["groups"]}
    returned = groups["wwii/us/returned_from_soviet_territory/persons/1945"]
    assert returned["status"] == "conflict"
    assert sorted(returned["figure_ids"]) == [
        "mia-pow-newsletter-us-returned",
        "usrjc-1996-wwii-working-group-repatriated",
    ]
    left = groups["wwii/us/left_behind_in_soviet_territory/persons/1945"]
    assert left["status"] == "consistent"
    assert sorted(left["figure_ids"]) == [
        "mia-pow-newsletter-us-left-behind",
        "sfrc-1991-minority-staff-report-never-repatriated",
    ]


def test_counts_since_1982_name_their_basis(dataset) -> None:
    """Every figure whose quote counts "Since 1982" carries the since_1982 basis."""
    since = {
        figure.id: figure.basis
        for entry in _figure_entries(dataset).values()
        for figure in entry.figures
        if "Since 1982" in figure.quote or "since 1982" in figure.quote
    }
    assert since == {
        "crs-2015-recovered-south-korea": "since_1982",
        "crs-2015-identified-south-korea": "since_1982",
    }


def test_the_1950s_korean_counts_are_not_on_the_1982_basis(dataset, sources) -> None:
    """DoD News 2024 counts the 700 since 1982 and the 1950s work "in addition"."""
    source = sources["dod-news-2024-korea-700th"]
    entry = _figure_entries(dataset)["dod-news-2024-korea-700th"]
    assert {f.id: f.basis or source.basis for f in entry.figures} == {
        "dod-news-2024-korea-700th-identified-since-1982": "since_1982",
        "dod-news-2024-korea-700th-identified-after-war": None,
        "dod-news-2024-korea-700th-remains-returned": None,
    }
