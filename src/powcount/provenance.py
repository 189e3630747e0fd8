"""Who first stated a figure: ``attributed_to`` and the sources resolved to originators.

A figure's originator is its ``attributed_to`` resolved (by originator code, by source
id, or by an originator's label or alias, case and spacing ignored, a leading 'the'
too), else its source's ``originator``, else the source itself. A name that resolves
to nothing stays a name of its own (``named:<name>``). Two figures depend on each
other when they share an originator, or when the source of one cites the originator
(or the source) of the other. Dependence follows relays: inside a group a source
stands for its own originator too, so a figure attributed to a source joins the
figures that source states there and, through them, whatever those are attributed
to; and what a source cites reaches, through every source it names, what those cite
and the originators their figures are attributed to, and so on. Independence is
counted over sources, so no group shows more independent sources than sources.
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
    "own originator, else the source), or when one source cites the other's originator; "
    "through relays: in a group a source also stands for its own originator, so a figure "
    "attributed to a source joins what that source states there and what that is "
    "attributed to; a citation reaches what the cited sources cite and the originators "
    "their figures are attributed to, transitively; a figure attributed to a source "
    "carries what that source cites"
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
        #: Per originator (or source id), the sources stating figures as its own.
        self.speakers: dict[str, list[str]] = {}
        for sid in catalog.sources:
            self.speakers.setdefault(self.own(sid), []).append(sid)
        self._cited: dict[str, frozenset[str]] = {}
        self._attributed: dict[str, frozenset[str]] | None = None

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

    def attributed(self, source_id: str) -> frozenset[str]:
        """The originators a source's figures are attributed to (its own left out)."""
        if self._attributed is None:
            figures = self.catalog.figures
            pairs = figures.loc[figures["attributed_to"].notna(), ["source", "attributed_to"]]
            found: dict[str, set[str]] = {}
            for sid, name in pairs.drop_duplicates().itertuples(index=False):
                origin = self.originator(str(sid), str(name))
                if origin != self.own(str(sid)):
                    found.setdefault(str(sid), set()).add(origin)
            self._attributed = {sid: frozenset(names) for sid, names in found.items()}
        return self._attributed.get(source_id, frozenset())

    def cited(self, source_id: str) -> frozenset[str]:
        """The originators a source cites, followed through relays.

        Its cites list resolved; then, for every source stating figures as one of those
        originators' own (or named by its id), what that source cites and the originators
        its figures are attributed to, and so on until nothing new is reached. A source
        never reaches itself through others: its own originator is left out.
        """
        if source_id in self._cited:
            return self._cited[source_id]
        source = self.catalog.sources.get(source_id)
        if source is None:
            return frozenset()
        reached: set[str] = set()
        waiting = [self.resolve(name) for name in source.cites]
        visited = {source_id}
        while waiting:
            origin = waiting.pop()
            if origin in reached:
                continue
            reached.add(origin)
            for speaker in self.speakers.get(origin, ()):
                if speaker not in visited:
                    visited.add(speaker)
                    relayed = self.catalog.sources[speaker].cites
                    waiting.extend(self.resolve(name) for name in relayed)
                    waiting.extend(self.attributed(speaker))
        self._cited[source_id] = frozenset(reached)
        return self._cited[source_id]

    def reach(self, source_id: str, origins: set[str]) -> frozenset[str]:
        """Whom a source draws on, over all of its figures (``origins``, their
        originators): what it cites, followed through relays, and for each originator
        it relays, what that originator's sources cite and attribute figures to."""
        found = set(self.cited(source_id))
        for origin in origins - {self.own(source_id)}:
            found |= self.carried(origin)
            for speaker in self.speakers.get(origin, ()):
                found |= self.attributed(speaker)
        return frozenset(found)

    def carried(self, origin: str) -> frozenset[str]:
        """What a figure attributed to ``origin`` carries besides it: what the sources
        stating figures as that originator's own cite, followed through relays."""
        found: set[str] = set()
        for speaker in self.speakers.get(origin, ()):
            found |= self.cited(speaker)
        found.discard(origin)
        return frozenset(found)

    def originators(self, sources: pd.Categorical, attributed: pd.Categorical
                    ) -> tuple[np.ndarray, list[str]]:
        """Per figure, a code of its originator, and the originators the codes name.

        Resolved once per source and once per distinct attributed_to, then taken by the
        categoricals' codes (a loop per distinct pair cost a second at 1e6 figures).
        """
        origin_codes, _, origins = self.coded_originators(sources, attributed)
        return origin_codes, origins

    def coded_originators(self, sources: pd.Categorical, attributed: pd.Categorical
                          ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Per figure, codes of its originator and of its source's own originator, and the
        originators the codes name (one numbering for both)."""
        if not len(sources):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), []
        own = np.asarray([self.own(str(s)) for s in sources.categories], dtype=object)
        named = np.asarray([self.originator("", str(a)) for a in attributed.categories] + [""],
                           dtype=object)
        names = np.concatenate([own, named])
        codes, origins = pd.factorize(pd.Series(names, dtype=object))
        own_codes = codes[:len(own)].astype(np.int64)[np.asarray(sources.codes, dtype=np.int64)]
        named_codes = codes[len(own):].astype(np.int64)
        attributed_codes = np.asarray(attributed.codes, dtype=np.int64)
        origin_codes = np.where(attributed_codes >= 0, named_codes[attributed_codes], own_codes)
        return origin_codes, own_codes, [str(o) for o in origins]


def _distinct_per_group(gid: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    first = ~pd.Series(gid * (int(codes.max(initial=0)) + 1) + codes).duplicated().to_numpy()
    return np.bincount(gid[first], minlength=n_groups).astype(np.int64)


def independent_sources(provenance: Provenance, gid: np.ndarray, n_groups: int,
                        sources: pd.Categorical, attributed: pd.Categorical) -> np.ndarray:
    """Per group, its sources counted once per chain of dependence (DEPENDENCE_RULE).

    Most groups need no graph: when no source of the group cites anyone and each source
    gives one originator, the count is the number of distinct originators, vectorised.
    A source whose figure is attributed to another originator stands for its own
    originator too (a second originator: the relays), joined vectorised as well. The
    rest (a source citing, or a figure carrying what its originator's sources cite) are
    joined one by one.
    """
    if not len(gid):
        return np.zeros(n_groups, dtype=np.int64)
    source_codes = np.asarray(sources.codes, dtype=np.int64)
    source_ids = [str(sid) for sid in sources.categories]
    origin_codes, own_codes, origins = provenance.coded_originators(sources, attributed)
    n_sources = _distinct_per_group(gid, source_codes, n_groups)
    relayed = np.flatnonzero(origin_codes != own_codes)
    # One row per figure, and one more per relayed figure for its source's own originator.
    gid = np.concatenate([gid, gid[relayed]])
    source_codes = np.concatenate([source_codes, source_codes[relayed]])
    origin_codes = np.concatenate([origin_codes, own_codes[relayed]])
    cites = [provenance.cited(sid) for sid in source_ids]
    citing = np.asarray([bool(c) for c in cites], dtype=bool)
    carried = [provenance.carried(origin) for origin in origins]
    carrying = np.asarray([bool(c) for c in carried], dtype=bool)
    n_origins = _distinct_per_group(gid, origin_codes, n_groups)
    n_pairs = _distinct_per_group(
        gid, source_codes * (len(origins) + 1) + origin_codes, n_groups)
    slow = np.bincount(gid, weights=citing[source_codes] | carrying[origin_codes],
                       minlength=n_groups) > 0
    result = n_origins.copy()
    shared = (n_pairs > n_sources) & ~slow
    if shared.any():
        rows = np.flatnonzero(shared[gid])
        result[shared] = _chains(gid[rows], source_codes[rows], origin_codes[rows],
                                 n_groups)[shared]
    if slow.any():
        order = np.argsort(gid, kind="stable")
        bounds = np.searchsorted(gid[order], np.arange(n_groups + 1))
        source_list, origin_list = source_codes.tolist(), origin_codes.tolist()
        for group in np.flatnonzero(slow).tolist():
            rows = order[bounds[group]:bounds[group + 1]].tolist()
            reaches: dict[str, frozenset[str]] = {}
            for r in rows:
                source = source_ids[source_list[r]]
                reaches[source] = (reaches.get(source, cites[source_list[r]])
                                   | carried[origin_list[r]])
            result[group] = _components(
                [(source_ids[source_list[r]], origins[origin_list[r]]) for r in rows],
                reaches)
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
