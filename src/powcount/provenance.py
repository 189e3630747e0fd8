"""Who first stated a figure: ``attributed_to`` and the sources resolved to originators.

A figure's originator is its ``attributed_to`` resolved (by originator code, by source
id, or by an originator's label or alias, case and spacing ignored, a leading 'the'
too), else its source's ``originator``, else the source itself. A name that resolves
to nothing stays a name of its own (``named:<name>``). Two figures depend on each
other when they share an originator, or when the source of one cites the originator
(or the source) of the other. Independence is counted over sources, so no group
shows more independent sources than sources.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from powcount.catalog import Catalog

DEPENDENCE_RULE = (
    "independent: sources counted once per chain of dependence; two sources depend on each "
    "other when figures of both come from one originator (attributed_to resolved to an "
    "originator code, a source id, or an originator's label or alias; else the source's "
    "own originator, else the source), or when one source cites the other's originator"
)


def _normal(text: str) -> str:
    name = " ".join(text.lower().split())
    return name.removeprefix("the ")


class Provenance:
    """The originators of one catalog's figures and what each source cites."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        names: dict[str, str] = {}
        for code, originator in catalog.vocabulary.originators.items():
            for name in (code, originator.label, *originator.aliases):
                names.setdefault(_normal(name), code)
        for sid in catalog.sources:
            names.setdefault(_normal(sid), self.own(sid))
        self.names = names

    def own(self, source_id: str) -> str:
        """The originator of the figures a source states as its own."""
        source = self.catalog.sources.get(source_id)
        return (source.originator if source is not None and source.originator
                else source_id)

    def resolve(self, text: str) -> str:
        """An attributed_to or cites text as an originator code, source id or named:..."""
        name = _normal(text)
        return self.names.get(name) or f"named:{name}"

    def originator(self, source_id: str, attributed_to: str | None) -> str:
        if attributed_to is None or attributed_to != attributed_to:
            return self.own(source_id)
        if attributed_to in self.catalog.sources:
            return self.own(attributed_to)
        return self.resolve(attributed_to)

    def cited(self, source_id: str) -> frozenset[str]:
        """The originators a source cites (its cites list resolved)."""
        source = self.catalog.sources.get(source_id)
        if source is None:
            return frozenset()
        return frozenset(self.resolve(name) for name in source.cites)

    def originators(self, sources: pd.Categorical, attributed: pd.Categorical
                    ) -> tuple[np.ndarray, list[str]]:
        """Per figure, a code of its originator, and the originators the codes name.

        Resolved once per source and once per distinct attributed_to, then taken by the
        categoricals' codes (a loop per distinct pair cost a second at 1e6 figures).
        """
        if not len(sources):
            return np.zeros(0, dtype=np.int64), []
        own = np.asarray([self.own(str(s)) for s in sources.categories], dtype=object)
        named = np.asarray([self.originator("", str(a)) for a in attributed.categories] + [""],
                           dtype=object)
        attributed_codes = np.asarray(attributed.codes, dtype=np.int64)
        names = np.where(attributed_codes >= 0, named[attributed_codes],
                         own[np.asarray(sources.codes, dtype=np.int64)])
        origin_codes, origins = pd.factorize(pd.Series(names, dtype=object))
        return origin_codes.astype(np.int64), [str(o) for o in origins]


def _distinct_per_group(gid: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    first = ~pd.Series(gid * (int(codes.max(initial=0)) + 1) + codes).duplicated().to_numpy()
    return np.bincount(gid[first], minlength=n_groups).astype(np.int64)


def independent_sources(provenance: Provenance, gid: np.ndarray, n_groups: int,
                        sources: pd.Categorical, attributed: pd.Categorical) -> np.ndarray:
    """Per group, its sources counted once per chain of dependence (DEPENDENCE_RULE).

    Most groups need no graph: when no source of the group cites anyone and each source
    gives one originator, the count is the number of distinct originators, vectorised.
    The rest (a source citing, or relaying two originators) are joined one by one.
    """
    if not len(gid):
        return np.zeros(n_groups, dtype=np.int64)
    source_codes = np.asarray(sources.codes, dtype=np.int64)
    source_ids = [str(sid) for sid in sources.categories]
    origin_codes, origins = provenance.originators(sources, attributed)
    cites = [provenance.cited(sid) for sid in source_ids]
    citing = np.asarray([bool(c) for c in cites], dtype=bool)
    n_sources = _distinct_per_group(gid, source_codes, n_groups)
    n_origins = _distinct_per_group(gid, origin_codes, n_groups)
    n_pairs = _distinct_per_group(
        gid, source_codes * (len(origins) + 1) + origin_codes, n_groups)
    cites_in = np.bincount(gid, weights=citing[source_codes], minlength=n_groups) > 0
    result = n_origins.copy()
    shared = (n_pairs > n_sources) & ~cites_in
    if shared.any():
        rows = np.flatnonzero(shared[gid])
        result[shared] = _chains(gid[rows], source_codes[rows], origin_codes[rows],
                                 n_groups)[shared]
    slow = cites_in
    if slow.any():
        order = np.argsort(gid, kind="stable")
        bounds = np.searchsorted(gid[order], np.arange(n_groups + 1))
        cited_by = dict(zip(source_ids, cites, strict=True))
        source_list, origin_list = source_codes.tolist(), origin_codes.tolist()
        for group in np.flatnonzero(slow).tolist():
            rows = order[bounds[group]:bounds[group + 1]].tolist()
            result[group] = _components(
                [(source_ids[source_list[r]], origins[origin_list[r]]) for r in rows],
                cited_by)
    return np.minimum(result, n_sources)


def _chains(gid: np.ndarray, sources: np.ndarray, origins: np.ndarray,
            n_groups: int) -> np.ndarray:
    """Per group, its sources joined through shared originators: how many chains.

    The graph of (group, source) and (group, originator) nodes, one edge per figure,
    labelled by its smallest node through repeated minima along the edges (each pass
    halves the paths); vectorised, as the groups where a source relays several
    originators are many at scale (replaces a union-find per group: 0.25 s of 0.5 s
    of the engine at 1e5 figures, benchmarks/run.py).
    """
    source_node, _ = pd.factorize(pd.Series(gid * (int(sources.max()) + 1) + sources))
    origin_node, _ = pd.factorize(pd.Series(gid * (int(origins.max()) + 1) + origins))
    n_source_nodes = int(source_node.max()) + 1
    a, b = source_node.astype(np.int64), origin_node.astype(np.int64) + n_source_nodes
    label = np.arange(n_source_nodes + int(origin_node.max()) + 1)
    while True:
        low = np.minimum(label[a], label[b])
        before = label.copy()
        np.minimum.at(label, a, low)
        np.minimum.at(label, b, low)
        label = label[label]
        if np.array_equal(label, before):
            break
    group_of = np.zeros(n_source_nodes, dtype=np.int64)
    group_of[source_node] = gid
    return _distinct_per_group(group_of, label[:n_source_nodes], n_groups)


def _components(figures: list[tuple[str, str]], cites: dict[str, frozenset[str]]) -> int:
    """Sources of one group joined by shared originators and by cites: how many chains."""
    parent = {source: source for source, _ in figures}

    def root(source: str) -> str:
        while parent[source] != source:
            parent[source] = parent[parent[source]]
            source = parent[source]
        return source

    def join(a: str, b: str) -> None:
        parent[root(a)] = root(b)

    by_origin: dict[str, str] = {}
    for source, origin in figures:
        if origin in by_origin:
            join(source, by_origin[origin])
        by_origin.setdefault(origin, source)
    for source in list(parent):
        for cited in cites[source]:
            if cited in by_origin:
                join(source, by_origin[cited])
    return len({root(source) for source in parent})
