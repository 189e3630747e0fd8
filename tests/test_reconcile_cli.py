"""The reconcile, compare-sources, timeline and check commands, through the real CLI."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from run_helpers import RELATES_PERIODS_CHECK

from powcount.catalog import DataRoot, load_catalog
from powcount.checks import run_checks
from powcount.reconcile import compare_sources, reconcile, source_pairs, timeline

GOLDEN_COMMANDS = {
    "reconcile-korea": ["reconcile", "korea"],
    "reconcile-wwii": ["reconcile", "wwii"],
    "reconcile-korea-verbose": ["reconcile", "korea", "--verbose"],
    "compare-sources": ["compare-sources"],
    "compare-sources-pairs": ["compare-sources", "--pairs"],
    "timeline-unaccounted": ["timeline", "unaccounted_for"],
    "check": ["check"],
}


def _catalog(root: Path):
    return load_catalog(DataRoot(root, root / "data", root / "seeds"))


@pytest.mark.parametrize("fmt", ["table", "markdown"])
@pytest.mark.parametrize("name", sorted(GOLDEN_COMMANDS))
def test_golden_output(run, dataset: Path, golden, name: str, fmt: str) -> None:
    result = run([*GOLDEN_COMMANDS[name], "--format", fmt], data=dataset)
    assert result.exit_code == 0, result.stderr
    golden(f"reconcile/{name}.{'md' if fmt == 'markdown' else 'txt'}", result.stdout)


def test_json_equals_the_library_models(run, dataset: Path) -> None:
    catalog = _catalog(dataset)

    def json_of(*args: str) -> object:
        result = run([*args, "--format", "json"], data=dataset)
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    assert json_of("reconcile", "korea") == reconcile(catalog, "korea").model_dump(mode="json")
    assert json_of("reconcile", "all", "--verbose") == reconcile(
        catalog, None, evidence=True).model_dump(mode="json")
    assert json_of("compare-sources", "--conflict", "wwii") == compare_sources(
        catalog, "wwii").model_dump(mode="json")
    assert json_of("compare-sources", "--pairs") == [
        p.model_dump(mode="json") for p in source_pairs(catalog, None)]
    assert json_of("timeline", "unaccounted_for", "--nation", "us") == [
        s.model_dump(mode="json") for s in timeline(catalog, "unaccounted_for", None, "us")]
    assert json_of("check", "wwii") == [c.model_dump(mode="json")
                                        for c in run_checks(catalog, "wwii")]


def _csv_tables(run, dataset: Path, conflict: str) -> dict[str, list[dict[str, str]]]:
    """Each table of reconcile's CSV, one run per table (CSV is one table)."""
    return {name: list(csv.DictReader(io.StringIO(run(
        ["reconcile", conflict, "--format", "csv", "--table", name], data=dataset).stdout)))
        for name in ("groups", "series", "checks")}


@pytest.mark.parametrize("conflict", ["korea", "wwii"])
def test_csv_and_json_carry_the_same_rows(run, dataset: Path, conflict: str) -> None:
    tables = _csv_tables(run, dataset, conflict)
    payload = json.loads(run(["reconcile", conflict, "--format", "json"], data=dataset).stdout)
    assert [json.loads(r["figure_ids"]) for r in tables["groups"]] == [
        g["figure_ids"] for g in payload["groups"]]
    assert [json.loads(r["figure_ids"]) for r in tables["series"]] == [
        p["figure_ids"] for s in payload["series"] for p in s["points"]]
    assert [json.loads(r["figure_ids"]) for r in tables["checks"]] == [
        c["figure_ids"] for c in payload["checks"]]
    assert [(r["verdict"], r["deviation"]) for r in tables["checks"]] == [
        (c["verdict"], str(c["deviation"])) for c in payload["checks"]]
    assert len(tables["series"]) == sum(len(s["points"]) for s in payload["series"])


def _reconcile_output(run, dataset: Path, conflict: str, fmt: str) -> str:
    """reconcile's output in one format; for CSV, its groups, series and checks tables."""
    if fmt != "csv":
        return run(["reconcile", conflict, "--format", fmt], data=dataset).stdout
    return "".join(run(["reconcile", conflict, "--format", "csv", "--table", name],
                       data=dataset).stdout for name in ("groups", "series", "checks"))


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown"])
def test_the_four_findings_in_every_format(run, dataset: Path, fmt: str) -> None:
    korea = _reconcile_output(run, dataset, "korea", fmt)
    wwii = _reconcile_output(run, dataset, "wwii", fmt)
    for text in ("149 + 3,313 = 3,462 vs 3,198; right - left = -264; as of 1953-04/1953-05, "
                 "1953-08-05/1953-09-06, 1951, 456 days apart",
                 "5,300 vs Over 7,800; right - left = 2,501..open"):
        assert text in korea
    assert "25,000 - 4,165 = 20,835 vs some 20,000" in wwii
    assert "199,592 - 168,746 = 30,846 vs some 30,846" in wwii
    # The newsletter's 4,165 returned against the Joint Commission's over 28,000.
    assert "over 28,000 = 28,001 (28,001..open) vs 25,000; right - left = open..-3,001" in wwii
    if fmt == "csv":  # notes are not rows: the steps themselves carry the series
        assert ('korea/us/unaccounted_for/persons,korea,us,unaccounted_for,persons,'
                'non_increasing,3,"2015-10, 2016-11",2016.33,"Over 7,800",7801,7801,,agree,-200,'
                ',,42.8,basis-changed,,,"[""crs-2015-unaccounted-2015"", '
                '""new-american-2018-unaccounted-2016""]"') in korea
    else:
        assert ("approximately 8,100 (1954) -> more than 8,000 (1973) -> Over 7,800 "
                "(2015-10, 2016-11) -> Nearly 7,500 (2025); change -699..-550 over 71.0 "
                "years: basis-changed; target accounted_for_per_year_target: at least 200") in korea


def test_unknown_conflict_is_a_usage_error(run, dataset: Path) -> None:
    for args in (["reconcile", "koera"], ["check", "koera"],
                 ["compare-sources", "--conflict", "koera"]):
        result = run(args, data=dataset)
        assert result.exit_code == 2
        assert result.stderr == ("powcount: unknown conflict 'koera' (did you mean 'korea'?): "
                                 "choose one of all_conflicts, cold_war, korea, multiple, "
                                 "vietnam, wwii, or all\n")
    result = run(["timeline", "unaccounted"], data=dataset)
    assert result.exit_code == 2
    assert result.stderr.startswith("powcount: unknown quantity 'unaccounted' (did you mean "
                                    "'unaccounted_for'?): choose one of ")


def test_strict_exit_codes(run, dataset: Path) -> None:
    assert run(["timeline", "unaccounted_for", "--strict"], data=dataset).exit_code == 0
    # The bundled Vietnam data shows no unsound finding: no conflict, no flag, no failed
    # check; Korea's shows one conflict.
    assert run(["reconcile", "vietnam", "--strict"], data=dataset).exit_code == 0
    korea = run(["reconcile", "korea", "--strict"], data=dataset)
    assert korea.exit_code == 1
    assert korea.stderr == ("powcount: --strict: 1 conflicts, 0 series flags, 0 failed "
                            "checks\n")
    checks = dataset / "data" / "checks.yaml"
    checks.write_text(checks.read_text() + RELATES_PERIODS_CHECK)
    korea = run(["reconcile", "korea", "--strict"], data=dataset)
    assert korea.exit_code == 1
    assert korea.stderr == ("powcount: --strict: 1 conflicts, 0 series flags, 1 failed "
                            "checks\n")
    assert run(["check", "--strict"], data=dataset).exit_code == 1
    assert run(["check"], data=dataset).exit_code == 0


def test_verbose_shows_quote_and_line(run, dataset: Path) -> None:
    text = run(["reconcile", "wwii", "--verbose"], data=dataset).stdout
    assert "Evidence" in text
    line = [ln for ln in text.splitlines() if ln.startswith("mia-pow-newsletter-us-returned ")]
    assert line and "002_91060682c4cc5943.txt" in line[0]
    assert "The return of U.S. POWs that returned from Soviet territory numbered 4,165" in line[0]


NEW_DOCUMENT = """Korean War accounting: a 2016 review.

The review counted 7,500 U.S. military personnel unaccounted for from the Korean War.
It also repeats the research service's figure of over 7,800 personnel.
"""


def _add_conflicting_source(root: Path) -> None:
    """A new document, its source entry and its figures file: data only, no code."""
    document = root / "seeds" / "900_review.txt"
    document.write_text(NEW_DOCUMENT, encoding="utf-8")
    digest = hashlib.sha256(document.read_bytes()).hexdigest()
    sources = root / "data" / "sources.yaml"
    sources.write_text(sources.read_text() + f"""
  - id: review-2016
    file: 900_review.txt
    title: Korean War accounting, a 2016 review
    published: 2016-12
    kind: government_report
    reliability: A
    reliability_reason: A test document graded A so that its figure is preferred.
    sha256: {digest}
""")
    (root / "data" / "figures" / "review-2016.yaml").write_text("""source: review-2016
figures:
  - id: review-2016-unaccounted
    quantity: unaccounted_for
    conflict: korea
    nation: us
    value_text: 7,500
    quote: "The review counted 7,500 U.S. military personnel unaccounted for"
    as_of: 2015-10
    credibility: 2
  - id: review-2016-relayed
    quantity: unaccounted_for
    conflict: korea
    nation: us
    value_text: over 7,800
    quote: "the research service's figure of over 7,800 personnel"
    as_of: 2015-10
    attributed_to: crs-2015
    credibility: 2
""")


def test_a_new_source_with_a_conflicting_figure_changes_the_output(run, dataset: Path) -> None:
    before = run(["reconcile", "korea", "--format", "json"], data=dataset)
    _add_conflicting_source(dataset)
    after = run(["reconcile", "korea", "--format", "json"], data=dataset)
    assert after.exit_code == 0, after.stderr
    groups = {g["key"]: g for g in json.loads(after.stdout)["groups"]}
    group = groups["korea/us/unaccounted_for/persons/2015-10, 2016-11"]
    assert (group["status"], group["date_gap_days"]) == ("conflict", 366)
    assert (group["gap"], group["deviation_pct"], group["common"]) == (301, 4.0, None)
    # crs-2015 and the magazine both give DPAA's figure: one chain. review-2016 relays
    # crs-2015, whose figure of this group is DPAA's: the same chain.
    assert (group["n_figures"], group["n_sources"], group["n_independent"]) == (4, 3, 1)
    # Same grade, date and credibility: the lower figure id decides.
    assert (group["preferred"], group["preferred_figure"]) == (7801, "review-2016-relayed")
    assert (group["conservative"], group["conservative_figure"]) == (
        7500, "review-2016-unaccounted")
    assert json.loads(before.stdout)["findings"]["conflicts"] == 1
    assert json.loads(after.stdout)["findings"]["conflicts"] == 2
    assert run(["reconcile", "korea", "--strict"], data=dataset).stderr == (
        "powcount: --strict: 2 conflicts, 0 series flags, 0 failed checks\n")

    pairs = run(["compare-sources", "--pairs", "--strict"], data=dataset)
    assert pairs.exit_code == 1
    row = [ln for ln in pairs.stdout.splitlines()
           if ln.startswith("crs-2015 ") and "review-2016" in ln]
    assert row and "review-2016 relays crs-2015" in row[0]
    matrix = run(["compare-sources", "--conflict", "korea", "--format", "csv"], data=dataset)
    line = [ln for ln in matrix.stdout.splitlines()
            if ln.startswith("korea,us,unaccounted_for,persons,\"2015-10, 2016-11\",")][0]
    assert line == ("korea,us,unaccounted_for,persons,\"2015-10, 2016-11\",conflict,"
                    "\"Over 7,800\",,,,,\"more than 7,800\",,\"over 7,800; 7,500\",,"
                    "crs-2015-unaccounted-2015 new-american-2018-unaccounted-2016 "
                    "review-2016-relayed review-2016-unaccounted")
    # The located-remains check runs against every unaccounted-for figure of the window.
    checks = run(["check", "korea", "--format", "json"], data=dataset)
    located = [c for c in json.loads(checks.stdout) if c["name"] == "located-within-unaccounted"]
    assert [(c["right_figures"], c["verdict"]) for c in located] == [
        (["crs-2015-unaccounted-1954"], "not-comparable"),
        (["dod-news-2025-korea-families-unaccounted-1973"], "not-comparable"),
        (["crs-2015-unaccounted-2015"], "holds"),
        (["review-2016-relayed"], "holds"),
        (["review-2016-unaccounted"], "holds"),
        (["new-american-2018-unaccounted-2016"], "holds"),
        (["dod-news-2025-korea-families-unaccounted-korea"], "not-comparable"),
    ]
