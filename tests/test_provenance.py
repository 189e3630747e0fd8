"""Originators: attributed_to and sources resolved, independence and dependence from them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matching_data import add_source, figure

from powcount.catalog import bundled_root, load_catalog
from powcount.provenance import Provenance, independent_sources

KEY = "korea/us/unaccounted_for/persons/2015-10, 2016-11"

MAGAZINE = "data/figures/new-american-2018.yaml"


def _group(run, dataset: Path, key: str = KEY) -> dict:
    result = run(["reconcile", "korea", "--format", "json"], data=dataset)
    assert result.exit_code == 0, result.stderr
    return {g["key"]: g for g in json.loads(result.stdout)["groups"]}[key]


def _attribute_magazine_figure_to(dataset: Path, name: str) -> None:
    figures = dataset / MAGAZINE
    text = figures.read_text()
    assert "    attributed_to: DPAA\n" in text
    figures.write_text(text.replace("    attributed_to: DPAA\n", f"    attributed_to: {name}\n"))


def test_without_a_shared_originator_two_sources_are_two_independent(
        run, dataset: Path) -> None:
    _attribute_magazine_figure_to(dataset, "The Washington Free Beacon")
    group = _group(run, dataset)
    assert (group["n_sources"], group["n_independent"]) == (2, 2)


def test_a_figure_attributed_to_an_alias_depends_on_the_source_citing_it(
        run, dataset: Path) -> None:
    # crs-2015 cites "Defense POW/MIA Accounting Agency (DPAA)": the magazine's figure,
    # attributed to "DPAA", an alias of the same originator, is not independent of it.
    group = _group(run, dataset)
    assert (group["n_sources"], group["n_independent"]) == (2, 1)


def test_figures_of_one_originator_are_one_independent_source(run, dataset: Path) -> None:
    _attribute_magazine_figure_to(dataset, "The Washington Free Beacon")
    add_source(dataset, "dpaa-fact-sheet", "DPAA: 7,815 Americans remain unaccounted for.\n",
               figure("dpaa-sheet-unaccounted", "unaccounted_for", "7,815",
                      "7,815 Americans remain unaccounted for", "2016-06"),
               extra="    originator: dpaa\n")
    add_source(dataset, "relay", "Citing the agency, 7,815 remain missing.\n",
               figure("relay-unaccounted", "unaccounted_for", "7,815",
                      "Citing the agency, 7,815 remain missing", "2016-06",
                      extra="    attributed_to: Defense POW/MIA Accounting Agency\n"))
    group = _group(run, dataset, "korea/us/unaccounted_for/persons/2015-10, 2016-06, 2016-11")
    # crs-2015 cites DPAA; the fact sheet is DPAA's; the relay attributes its figure to
    # DPAA: one chain. The magazine relays the Washington Free Beacon: another.
    assert (group["n_sources"], group["n_independent"]) == (4, 2)
    assert group["n_independent"] <= group["n_sources"]


@cache
def _bundled():
    return load_catalog(bundled_root())


SOURCES = ["crs-2015", "new-american-2018", "pows-to-russia-site", "mia-pow-newsletter"]
NAMES = [None, "crs-2015", "DPAA", "a Soviet general", "new-american-2018"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from(SOURCES), st.sampled_from(NAMES)),
                min_size=1, max_size=30))
def test_independence_is_never_above_sources(figures) -> None:
    catalog = _bundled()
    figures = sorted(figures, key=lambda f: f[0])
    gid = np.asarray([f[0] for f in figures], dtype=np.int64)
    sources = pd.Categorical([f[1] for f in figures])
    attributed = pd.Categorical([f[2] for f in figures])
    counts = independent_sources(Provenance(catalog), gid, 4, sources, attributed)
    for group in range(4):
        present = {f[1] for f in figures if f[0] == group}
        assert (counts[group] == 0) if not present else 1 <= counts[group] <= len(present)


def test_pairs_compare_by_period_with_gap_and_dependence(run, dataset: Path) -> None:
    result = run(["compare-sources", "--pairs", "--format", "json"], data=dataset)
    (pair,) = [p for p in json.loads(result.stdout)
               if (p["source_a"], p["source_b"]) == ("crs-2015", "new-american-2018")]
    # Both state "over 7,800 unaccounted for", 366 days apart: one shared group, agreeing.
    assert (pair["source_a"], pair["source_b"], pair["shared_quantities"],
            pair["shared_groups"], pair["agree"], pair["date_gap_days"]) == (
        "crs-2015", "new-american-2018", 2, 1, 1, 366)
    # crs-2015 cites DPAA, whose figure the magazine relays.
    assert (pair["a_cites_b"], pair["b_cites_a"], pair["dependent"]) == (True, False, True)
    assert pair["shared_originators"] == ["dpaa"]
    table = run(["compare-sources", "--pairs"], data=dataset).stdout
    assert "crs-2015 cites an originator of new-american-2018" in table


@cache
def _without_cites():
    catalog = load_catalog(bundled_root())
    catalog.sources = {sid: source.model_copy(update={"cites": []})
                       for sid, source in catalog.sources.items()}
    return catalog


def _chains_by_hand(members: list[tuple[str, str]]) -> int:
    """Sources joined when they share an originator: the number of chains, counted slowly."""
    chains: list[tuple[set[str], set[str]]] = []
    for source, origin in members:
        joined = [c for c in chains if source in c[0] or origin in c[1]]
        merged = ({source}, {origin})
        for chain in joined:
            chains.remove(chain)
            merged[0].update(chain[0])
            merged[1].update(chain[1])
        chains.append(merged)
    return len(chains)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from(SOURCES), st.sampled_from(NAMES)),
                min_size=1, max_size=40))
def test_without_cites_chains_follow_shared_originators(figures) -> None:
    catalog = _without_cites()
    provenance = Provenance(catalog)
    figures = sorted(figures, key=lambda f: f[0])
    counts = independent_sources(
        provenance, np.asarray([f[0] for f in figures], dtype=np.int64), 4,
        pd.Categorical([f[1] for f in figures]), pd.Categorical([f[2] for f in figures]))
    for group in range(4):
        members = [(f[1], provenance.originator(f[1], f[2])) for f in figures if f[0] == group]
        # In a group a source also stands for its own originator (relays).
        members += [(source, provenance.own(source)) for source, _ in members]
        assert counts[group] == _chains_by_hand(members)


# Relays: figures of 1985, compared with no bundled figure (the stock window is two years).
RELAY_KEY = "korea/us/unaccounted_for/persons/1985-06"


def _agency_sheet(dataset: Path) -> None:
    add_source(dataset, "agency-sheet", "The agency: 8,177 remain unaccounted for.\n",
               figure("agency-1985", "unaccounted_for", "8,177",
                      "8,177 remain unaccounted for", "1985-06"),
               extra="    originator: dpaa\n")


def _weekly(dataset: Path, attributed: str | None = "DPAA") -> None:
    """A paper whose 1985 figure is the agency's (attributed), or its own."""
    by = f"    attributed_to: {attributed}\n" if attributed else ""
    add_source(dataset, "weekly", "The Weekly. 8,177 unaccounted for. In 2000, 8,100.\n",
               figure("weekly-1985", "unaccounted_for", "8,177", "8,177 unaccounted for",
                      "1985-06", extra=by)
               + figure("weekly-2000", "unaccounted_for", "8,100", "In 2000, 8,100", "2000",
                        extra="    attributed_to: DPAA\n"))


def test_a_relay_of_a_relay_depends_on_the_first_originator(run, dataset: Path) -> None:
    _agency_sheet(dataset)
    _weekly(dataset)
    add_source(dataset, "digest", "The Digest: 8,177, the Weekly says.\n",
               figure("digest-1985", "unaccounted_for", "8,177", "8,177, the Weekly says",
                      "1985-06", extra="    attributed_to: weekly\n"))
    group = _group(run, dataset, RELAY_KEY)
    # digest relays weekly, whose figure there is the agency's: one chain of three.
    assert (group["n_sources"], group["n_independent"]) == (3, 1)


def test_a_source_citing_a_relay_depends_on_what_the_relay_attributes(
        run, dataset: Path) -> None:
    _agency_sheet(dataset)
    _weekly(dataset)
    add_source(dataset, "review", "The Review counts 8,180 unaccounted for.\n",
               figure("review-1985", "unaccounted_for", "8,180", "counts 8,180 unaccounted for",
                      "1985-06"),
               extra="    cites:\n      - weekly\n")
    _reconciled = _group(run, dataset, RELAY_KEY)
    # review cites weekly, which attributes figures to DPAA: review, weekly and the
    # agency's sheet are one chain.
    assert (_reconciled["n_sources"], _reconciled["n_independent"]) == (3, 1)
    result = run(["compare-sources", "--pairs", "--format", "json"], data=dataset)
    (pair,) = [p for p in json.loads(result.stdout)
               if (p["source_a"], p["source_b"]) == ("agency-sheet", "review")]
    assert (pair["a_cites_b"], pair["b_cites_a"], pair["dependent"],
            pair["shared_originators"]) == (False, True, True, [])


def test_a_citation_is_followed_through_sources_that_cite(run, dataset: Path) -> None:
    _agency_sheet(dataset)
    _weekly(dataset, attributed=None)
    add_source(dataset, "bulletin", "The Bulletin, after the Weekly: 8,177.\n",
               figure("bulletin-1999", "unaccounted_for", "8,177", "after the Weekly: 8,177",
                      "1999"),
               extra="    cites:\n      - weekly\n")
    add_source(dataset, "letter", "A letter: 8,177, as the Bulletin says.\n",
               figure("letter-1985", "unaccounted_for", "8,177", "8,177, as the Bulletin says",
                      "1985-06"),
               extra="    cites:\n      - bulletin\n")
    group = _group(run, dataset, RELAY_KEY)
    # letter cites bulletin, which cites weekly: letter joins weekly's own 1985 figure;
    # weekly attributes its figure of 2000 to DPAA, so the chain reaches the agency.
    assert (group["n_sources"], group["n_independent"]) == (3, 1)


def test_a_relay_is_not_joined_through_figures_about_something_else(
        run, dataset: Path) -> None:
    _agency_sheet(dataset)
    _weekly(dataset, attributed=None)
    add_source(dataset, "digest", "The Digest: 8,177, the Weekly says.\n",
               figure("digest-1985", "unaccounted_for", "8,177", "8,177, the Weekly says",
                      "1985-06", extra="    attributed_to: weekly\n"))
    group = _group(run, dataset, RELAY_KEY)
    # weekly's figure of 1985 is its own; only its figure of 2000 is the agency's, and
    # the digest relays the one of 1985: weekly and digest, and the agency apart.
    assert (group["n_sources"], group["n_independent"]) == (3, 2)
