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

from powcount.ordering import combined, order_of

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


def _distinct_edges(gid: np.ndarray, sources: np.ndarray, origins: np.ndarray,
                    sizes: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (group, source, originator) triples, sorted in that order.

    The speed trick (benchmarks/run.py, ``reconcile all``): the three codes are packed
    into one int64 and sorted, which at 1e6 figures takes a tenth of hashing them
    (pandas' duplicated, four times over); rows arrive in group order, so the sort
    meets long sorted runs. Unpacked, the triples give every count of the group at
    once. Codes too wide to pack together are sorted as three keys.
    """
    folded = combined([(gid, sizes[0]), (sources, sizes[1]), (origins, sizes[2])])
    if folded is None:
        order = np.lexsort((origins, sources, gid))
        gid, sources, origins = gid[order], sources[order], origins[order]
        new = np.ones(len(gid), dtype=bool)
        new[1:] = ((gid[1:] != gid[:-1]) | (sources[1:] != sources[:-1])
                   | (origins[1:] != origins[:-1]))
        return gid[new], sources[new], origins[new]
    folded.sort()
    new = np.ones(len(folded), dtype=bool)
    new[1:] = folded[1:] != folded[:-1]
    folded = folded[new]
    rest, origins = np.divmod(folded, max(sizes[2], 1))
    gid, sources = np.divmod(rest, max(sizes[1], 1))
    return gid, sources, origins


def _run_starts(*keys: np.ndarray) -> np.ndarray:
    """Where a run of equal keys begins, in rows sorted by them."""
    new = np.zeros(len(keys[0]), dtype=bool)
    new[:1] = True
    for key in keys:
        new[1:] |= key[1:] != key[:-1]
    return np.flatnonzero(new)


def _node_numbers(n: int, starts: np.ndarray) -> np.ndarray:
    """Per sorted row, the number of the run it belongs to (runs beginning at ``starts``)."""
    new = np.zeros(n, dtype=np.int64)
    new[starts] = 1
    return np.cumsum(new) - 1


def independent_sources(provenance: Provenance, gid: np.ndarray, n_groups: int,
                        sources: pd.Categorical, attributed: pd.Categorical) -> np.ndarray:
    """Per group, its sources counted once per chain of dependence (DEPENDENCE_RULE).

    Every figure joins its source to its source's own originator (directly, or as the
    relay it is), so the chains are those of the group's originators, joined where a
    source relays another originator (``_chains``), vectorised. The groups where a
    source cites, or a figure carries what its originator's sources cite, are joined
    one by one. Every count reads the distinct (group, source, originator) triples:
    figures repeating one add nothing.
    """
    if not len(gid):
        return np.zeros(n_groups, dtype=np.int64)
    source_codes = np.asarray(sources.codes, dtype=np.int64)
    source_ids = [str(sid) for sid in sources.categories]
    origin_codes, own_codes, origins = provenance.coded_originators(sources, attributed)
    own_of_source = np.zeros(len(source_ids), dtype=np.int64)
    own_of_source[source_codes] = own_codes
    relayed = np.flatnonzero(origin_codes != own_codes)
    # One row per figure, and one more per relayed figure for its source's own originator.
    gid, source_codes, origin_codes = _distinct_edges(
        np.concatenate([np.asarray(gid, dtype=np.int64), gid[relayed]]),
        np.concatenate([source_codes, source_codes[relayed]]),
        np.concatenate([origin_codes, own_codes[relayed]]),
        (n_groups, len(source_ids), len(origins)))
    n_sources = np.bincount(gid[_run_starts(gid, source_codes)], minlength=n_groups)
    # The (group, originator) nodes: a number per triple, in (group, originator) order.
    by_origin = order_of([(gid, n_groups), (origin_codes, len(origins))])
    node_starts = _run_starts(gid[by_origin], origin_codes[by_origin])
    node = np.empty(len(gid), dtype=np.int64)
    node[by_origin] = _node_numbers(len(gid), node_starts)
    # Each (group, source) run holds one triple of the source's own originator.
    own = origin_codes == own_of_source[source_codes]
    own_node = node[own][_node_numbers(len(gid), _run_starts(gid, source_codes))]
    result = _chains(own_node[~own], node[~own], gid[by_origin[node_starts]], n_groups)
    cites = [provenance.cited(sid) for sid in source_ids]
    citing = np.asarray([bool(c) for c in cites], dtype=bool)
    carried = [provenance.carried(origin) for origin in origins]
    carrying = np.asarray([bool(c) for c in carried], dtype=bool)
    slow = np.bincount(gid, weights=citing[source_codes] | carrying[origin_codes],
                       minlength=n_groups) > 0
    if slow.any():
        bounds = np.searchsorted(gid, np.arange(n_groups + 1))
        source_list, origin_list = source_codes.tolist(), origin_codes.tolist()
        for group in np.flatnonzero(slow).tolist():
            rows = range(bounds[group], bounds[group + 1])
            reaches: dict[str, frozenset[str]] = {}
            for r in rows:
                source = source_ids[source_list[r]]
                reaches[source] = (reaches.get(source, cites[source_list[r]])
                                   | carried[origin_list[r]])
            result[group] = _components(
                [(source_ids[source_list[r]], origins[origin_list[r]]) for r in rows],
                reaches)
    return np.minimum(result, n_sources)


def _chains(a: np.ndarray, b: np.ndarray, node_gid: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group, its (group, originator) nodes joined by the edges a-b: how many chains.

    Vectorised union-find (hook and compress): each round hooks the larger root of
    every edge whose ends differ onto the smallest root it meets, then points every
    node at its root; the edges already joined are dropped. Replaces the labelling of
    the source-originator graph by repeated minima along every edge (13 passes over
    890,000 edges, 0.7 s of `reconcile all` at 1e6 figures, benchmarks/run.py).
    """
    parent = np.arange(len(node_gid))
    while len(a):
        root_a, root_b = parent[a], parent[b]
        apart = root_a != root_b
        a, b, root_a, root_b = a[apart], b[apart], root_a[apart], root_b[apart]
        np.minimum.at(parent, np.maximum(root_a, root_b), np.minimum(root_a, root_b))
        while True:
            pointed = parent[parent]
            if np.array_equal(pointed, parent):
                break
            parent = pointed
    roots = parent == np.arange(len(node_gid))
    return np.bincount(node_gid[roots], minlength=n_groups).astype(np.int64)


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
