"""Groups: envelope, common interval, statuses, preferred value, independent sources."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from powcount.catalog import DataRoot, load_catalog
from powcount.errors import UsageProblem
from powcount.intervals import Interval
from powcount.models import Reliability
from powcount.reconcile import (
    PREFERRED_RULE,
    Reconciliation,
    compare_sources,
    engine,
    group_frame,
    reconcile,
    source_pairs,
)


def _catalog(root: Path):
    return load_catalog(DataRoot(root, root / "data", root / "seeds"))


def _add(catalog, like: str, **changes) -> None:
    frame = catalog.figures
    row = frame[frame["id"] == like].copy()
    for column, value in changes.items():
        row[column] = value
    catalog.figures = pd.concat([frame, row], ignore_index=True)


def _group(rec: Reconciliation, key: str):
    (found,) = [g for g in rec.groups if g.key == key]
    return found


KEY = "korea/us/unaccounted_for/persons/2015-10, 2016-11"


def test_bundled_korea(dataset: Path) -> None:
    rec = reconcile(_catalog(dataset), "korea")
    assert rec.conflicts == ["korea"]
    assert len(rec.groups) == 29
    assert {g.status for g in rec.groups} == {"single-source", "agree", "conflict"}
    (conflict,) = [g for g in rec.groups if g.status == "conflict"]
    assert conflict.key == "korea/us/possibly_not_repatriated/persons/1953"
    assert rec.findings.model_dump() == {"conflicts": 1, "series_flags": 0,
                                         "failed_checks": 0, "total": 1}
    assert rec.preferred_rule == PREFERRED_RULE
    assert rec.tolerances.model_dump() == {"approximate_tolerance": 0.1,
                                           "check_tolerance": 0.05,
                                           "max_check_combinations": 1_000}
    group = _group(rec, KEY)
    assert (group.envelope, group.common) == (Interval(low=7801, high=None),
                                             Interval(low=7801, high=None))
    assert group.figure_ids == ["crs-2015-unaccounted-2015", "new-american-2018-unaccounted-2016"]
    assert (group.status, group.date_gap_days, group.n_sources) == ("agree", 366, 2)
    # crs-2015 cites DPAA and the magazine attributes its figure to DPAA.
    assert group.n_independent == 1


def test_one_originator_s_counts_are_consistent_and_one_independent_source(
        dataset: Path) -> None:
    rec = reconcile(_catalog(dataset), "all_conflicts")
    group = _group(rec, "all_conflicts/us/unaccounted_for/persons/2015/2026-12-07")
    assert group.status == "consistent"
    assert group.figure_ids == ["dpaa-faq-unaccounted", "dpaa-our-missing-unaccounted"]
    assert (group.n_figures, group.n_sources, group.n_independent) == (2, 2, 1)
    assert group.common == Interval(low=81501, high=None)
    assert group.envelope == Interval(low=81001, high=None)
    assert group.preferred_figure == "dpaa-faq-unaccounted"


def test_targets_of_different_quantities_are_never_one_group(dataset: Path) -> None:
    rec = reconcile(_catalog(dataset), "multiple")
    assert [(g.quantity, g.figure_ids, g.status) for g in rec.groups] == [
        ("accounted_for_per_year_target", ["crs-2015-ndaa-target"], "single-source"),
        ("identifications_per_year_target", ["crs-2015-target-restated"], "single-source"),
    ]


def test_agree_consistent_conflict_and_never_a_sum(dataset: Path) -> None:
    catalog = _catalog(dataset)
    _add(catalog, "crs-2015-unaccounted-2015", id="same", source="new-american-2018",
         claimant="new-american-2018")
    rec = reconcile(catalog, "korea")
    group = _group(rec, KEY)
    assert (group.status, group.n_sources, group.n_independent) == ("agree", 2, 1)
    assert group.preferred == group.conservative == 7801

    _add(catalog, "crs-2015-unaccounted-2015", id="wide", source="pows-to-russia-site",
         claimant="pows-to-russia-site", value_text="about 8,000", low=7200, best=8000,
         high=8800)
    group = _group(reconcile(catalog, "korea"), KEY)
    assert group.status == "consistent"
    assert group.common == Interval(low=7801, high=8800)
    assert (group.preferred, group.preferred_source, group.conservative) == (7801, "crs-2015",
                                                                            7801)

    _add(catalog, "crs-2015-unaccounted-2015", id="low", source="mia-pow-newsletter",
         claimant="mia-pow-newsletter", value_text="7,500", low=7500, best=7500, high=7500)
    group = _group(reconcile(catalog, "korea"), KEY)
    assert group.status == "conflict"
    assert group.common is None
    assert group.envelope == Interval(low=7200, high=None)
    assert (group.gap, group.deviation_pct) == (301, 4.0)
    assert (group.conservative, group.conservative_figure) == (7500, "low")
    assert group.n_figures == 5 and group.preferred == 7801


def test_a_figure_attributed_to_a_source_is_not_independent(dataset: Path) -> None:
    catalog = _catalog(dataset)
    _add(catalog, "crs-2015-unaccounted-1954", id="relayed", source="new-american-2018",
         attributed_to="crs-2015", claimant="crs-2015")
    group = _group(reconcile(catalog, "korea"), "korea/us/unaccounted_for/persons/1954")
    assert group.figure_ids == ["crs-2015-unaccounted-1954", "relayed"]
    # The magazine's relayed figure comes from crs-2015: one chain of dependence.
    assert (group.status, group.n_sources, group.n_independent) == ("agree", 2, 1)
    (pair,) = [p for p in source_pairs(catalog, "korea")
               if (p.source_a, p.source_b) == ("crs-2015", "new-american-2018")]
    assert (pair.source_a, pair.source_b, pair.a_relays_b, pair.b_relays_a) == (
        "crs-2015", "new-american-2018", False, True)
    assert (pair.shared_groups, pair.agree, pair.dependent) == (2, 2, True)


def test_recency_then_credibility_choose_the_preferred_value(dataset: Path) -> None:
    catalog = _catalog(dataset)
    # Same grade (F) for both: the dated one wins over the undated one.
    _add(catalog, "crs-2015-unaccounted-2015", id="undated", source="mia-pow-newsletter",
         claimant="mia-pow-newsletter", best=7900, low=7900, high=7900, credibility=1)
    _add(catalog, "crs-2015-unaccounted-2015", id="undated-2", source="pows-to-russia-site",
         claimant="pows-to-russia-site", best=7950, low=7950, high=7950, credibility=6)
    group = _group(reconcile(catalog, "korea"), KEY)
    assert group.preferred_figure == "crs-2015-unaccounted-2015"
    catalog.figures = catalog.figures[catalog.figures["id"] != "crs-2015-unaccounted-2015"]
    group = _group(reconcile(catalog, "korea"), KEY)
    # Graded C and dated, the magazine comes before the two undated F sources.
    assert group.preferred_figure == "new-american-2018-unaccounted-2016"


def test_group_frame_needs_no_models_and_matches_them(dataset: Path) -> None:
    catalog = _catalog(dataset)
    frame = group_frame(catalog, None)
    rec = reconcile(catalog, "all")
    assert len(frame) == len(rec.groups) == 56
    assert frame["status"].tolist() == [g.status for g in rec.groups]
    assert frame["preferred"].tolist() == [g.preferred for g in rec.groups]


def test_one_conflict_carries_only_its_own_values(dataset: Path) -> None:
    catalog = _catalog(dataset)
    figures = engine(catalog, "wwii").figures
    wwii = catalog.figures[catalog.figures["conflict"] == "wwii"]
    for column in ("conflict", "nation", "source", "value_text"):
        assert list(figures[column].cat.categories) == sorted(set(wwii[column])), column
    assert sorted(figures["id"]) == sorted(wwii["id"])


def test_the_loader_reads_and_the_engine_orders(dataset: Path) -> None:
    catalog = _catalog(dataset)
    # The catalog holds the figures as read: the first file's figures first.
    assert catalog.figures["id"].tolist()[:2] == [
        "crs-2015-unaccounted-2015", "crs-2015-believed-north-korea"]
    figures = engine(catalog).figures
    assert sorted(figures["id"]) == sorted(catalog.figures["id"])
    assert figures["id"].tolist()[:2] == [
        "dpaa-2018-fy-accounted-total", "dpaa-2018-fy-accounted-identified-group-burials"]
    # Group by group: the conflicts and nations come in sorted order, a block each.
    pairs = list(zip(figures["conflict"].astype(str), figures["nation"].astype(str),
                     strict=True))
    assert pairs == sorted(pairs)


def _stated(catalog, quantity: str) -> list[tuple[str, str]]:
    figures = engine(catalog, "korea").figures
    chosen = figures[figures["quantity"] == quantity]
    return list(zip(chosen["id"], chosen["source"].astype(str), strict=True))


def test_a_second_reconciliation_follows_a_changed_grade(dataset: Path) -> None:
    catalog = _catalog(dataset)
    first = reconcile(catalog, "korea")
    assert reconcile(catalog, "korea").model_dump() == first.model_dump()
    # Two sources state this quantity for 1953: inside the group, by grade.
    stated = _stated(catalog, "possibly_not_repatriated")
    assert [source for _, source in stated] == ["crs-2015", "ssc-1993-korea-corso-testimony"]
    for source, grade in (("crs-2015", Reliability.F), ("ssc-1993-korea-corso-testimony",
                                                         Reliability.A)):
        catalog.sources[source] = catalog.sources[source].model_copy(
            update={"reliability": grade})
    # The order kept from the first run was made under the old grades: not reused.
    assert _stated(catalog, "possibly_not_repatriated") == stated[::-1]


def test_the_sort_keys_follow_a_replaced_figures_frame(dataset: Path) -> None:
    catalog = _catalog(dataset)
    index = catalog.figure_index()
    assert catalog.figure_index() is index
    _add(catalog, "crs-2015-unaccounted-2015", id="zz-new", source="mia-pow-newsletter",
         claimant="mia-pow-newsletter")
    assert catalog.figure_index() is not index
    assert len(catalog.figure_index().id_ranks) == len(catalog.figures)
    assert "zz-new" in _group(reconcile(catalog, "korea"), KEY).figure_ids


def test_matrix_has_one_column_per_source(dataset: Path) -> None:
    matrix = compare_sources(_catalog(dataset), "korea")
    assert matrix.sources == [
        "crs-2015", "dod-news-2024-korea-700th", "dod-news-2025-korea-families",
        "dpaa-2018-fy-accounted", "dpaa-2018-quarterly-update", "new-american-2018",
        "pows-to-russia-site", "ssc-1993-korea-corso-testimony"]
    row = [r for r in matrix.rows
           if r.key == "korea/us/unaccounted_for/persons/2015-10, 2016-11"][0]
    assert row.cells == {source: None for source in matrix.sources} | {
        "crs-2015": "Over 7,800", "new-american-2018": "more than 7,800"}


def test_unknown_conflict(dataset: Path) -> None:
    with pytest.raises(UsageProblem, match=r"^unknown conflict 'x': choose one of "
                       r"all_conflicts, cold_war, korea, multiple, vietnam, wwii, or all$"):
        reconcile(_catalog(dataset), "x")


@pytest.mark.parametrize("args", [
    ["reconcile", "all"], ["reconcile", "korea", "--format", "json"],
    ["compare-sources"], ["compare-sources", "--pairs"], ["check"],
    ["timeline", "unaccounted_for"], ["figures"],
    ["export", "--format", "csv", "--output", "{tmp}/csv"],
    ["export", "--format", "datapackage", "--output", "{tmp}/package"],
    ["report", "--output", "{tmp}/dossier.html"],
])
def test_a_dataset_without_figures_gives_empty_tables(run, dataset: Path, tmp_path: Path,
                                                      args: list[str]) -> None:
    for path in (dataset / "data" / "figures").iterdir():
        path.unlink()
    result = run([arg.format(tmp=tmp_path) for arg in args], data=dataset)
    assert result.exit_code == 0, result.stderr
    assert "internal error" not in result.stderr
