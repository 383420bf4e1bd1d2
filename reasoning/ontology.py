"""The phenotype ontology in memory: ids, labels, is-a closure, replaced ids, obsolete terms.

Example:
    >>> o = PhenotypeOntology.from_rows(
    ...     [("HP:1", "root", [], []), ("HP:2", "child", ["HP:9"], []), ("HP:3", "leaf", [], [])],
    ...     [("HP:2", "HP:1"), ("HP:3", "HP:2")])
    >>> [o.ids[i] for i in o.ancestors[o.index["HP:3"]]]
    ['HP:1', 'HP:2', 'HP:3']
    >>> o.current("HP:9"), o.is_ancestor("HP:1", "HP:3"), o.is_ancestor("HP:3", "HP:1")
    ('HP:2', True, False)
    >>> o = PhenotypeOntology.from_rows([("HP:1", "root", [], [])], [], [("HP:8", "obsolete x", ["HP:1"])])
    >>> o.current("HP:8"), o.obsolete["HP:8"]
    (None, ObsoleteTerm(label='obsolete x', consider=('HP:1',)))
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from reasoning.obsolete import ObsoleteTerm

CHAIN_CACHE_SIZE = 100_000
"""How many is-a paths :meth:`PhenotypeOntology.chain` keeps (evidence asks for the same ones case
after case); the cache starts afresh when full."""


@dataclass
class PhenotypeOntology:
    """Terms, labels, parents and the ancestor closure (each term's ancestors include itself).

    Attributes:
        ids: term CURIEs; a term's position is its index.
        index: CURIE → index.
        labels: term labels.
        parents: direct parents per term.
        ancestors: sorted ancestor indices per term, the term itself included.
        replaced: obsolete or alternative id → current id.
        obsolete: obsolete id that has no current id → what the graph keeps of it (never a term:
            no index, no ancestors, never scored).
    """

    ids: list[str]
    index: dict[str, int]
    labels: list[str]
    parents: list[list[int]]
    ancestors: list[np.ndarray] = field(repr=False)
    replaced: dict[str, str]
    obsolete: dict[str, ObsoleteTerm] = field(default_factory=dict)
    _chains: dict[tuple[int, int], tuple[int, ...]] = field(default_factory=dict, init=False, repr=False,
                                                             compare=False)
    _ancestor_sets: dict[int, frozenset[int]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_rows(
        cls,
        terms: Iterable[tuple[str, str | None, Sequence[str] | None, Sequence[str] | None]],
        edges: Iterable[tuple[str, str]],
        obsolete: Iterable[tuple[str, str | None, Sequence[str] | None]] = (),
    ) -> PhenotypeOntology:
        """Build from ``(id, label, alt_ids, synonyms)`` rows, ``(child, parent)`` rows and the
        obsolete terms' ``(id, label, consider ids)`` rows (an id that is also a current term or
        an alt id of one is that term: it is not obsolete)."""
        ids: list[str] = []
        labels: list[str] = []
        replaced: dict[str, str] = {}
        # sorted by id: term numbers (and every tie broken by them) must not follow a store's row order
        for tid, label, alts, _syn in sorted(terms, key=lambda row: row[0]):
            ids.append(tid)
            labels.append(label or tid)
            for a in alts or ():
                replaced[a] = tid
        index = {t: i for i, t in enumerate(ids)}
        parents: list[list[int]] = [[] for _ in ids]
        for child, parent in sorted(edges):
            if child in index and parent in index:
                parents[index[child]].append(index[parent])
        ancestors: list[np.ndarray | None] = [None] * len(ids)
        visiting: set[int] = set()

        def closure(i: int) -> np.ndarray:
            done = ancestors[i]
            if done is not None:
                return done
            visiting.add(i)  # a cycle in is-a would otherwise recurse forever
            acc = {i}
            for p in parents[i]:
                if p not in visiting:
                    acc.update(closure(p).tolist())
            visiting.discard(i)
            result = ancestors[i] = np.array(sorted(acc), dtype=np.int32)
            return result

        for i in range(len(ids)):
            closure(i)
        gone = {tid: ObsoleteTerm(label, tuple(consider or ()))
                for tid, label, consider in sorted(obsolete, key=lambda row: row[0])
                if tid not in index and tid not in replaced}
        return cls(ids, index, labels, parents, [a for a in ancestors if a is not None], replaced, gone)

    def chain(self, term: int, ancestor: int) -> list[int]:
        """A shortest is-a path from ``term`` up to its ``ancestor``, both included (``[term]``
        when they are the same term).

        Raises:
            ValueError: ``ancestor`` is not an ancestor of ``term``.
        """
        if term == ancestor:
            return [term]
        known = self._chains.get((term, ancestor))
        if known is not None:
            return list(known)
        if not self.has_ancestor(term, ancestor):
            raise ValueError(f"{self.ids[ancestor]} is not an ancestor of {self.ids[term]}")
        if len(self._chains) >= CHAIN_CACHE_SIZE:
            self._chains.clear()
        path = self._shortest_chain(term, ancestor)
        self._chains[(term, ancestor)] = tuple(path)
        return path

    def _shortest_chain(self, term: int, ancestor: int) -> list[int]:
        came: dict[int, int] = {term: term}
        frontier = [term]
        while ancestor not in came:
            step: list[int] = []
            for t in frontier:
                for p in self.parents[t]:
                    if p not in came and self.has_ancestor(p, ancestor):
                        came[p] = t
                        step.append(p)
            frontier = step
        path = [ancestor]
        while path[-1] != term:
            path.append(came[path[-1]])
        return path[::-1]

    def has_ancestor(self, term: int, ancestor: int) -> bool:
        """Whether term number ``ancestor`` is an ancestor of (or is) term number ``term``."""
        anc = self._ancestor_sets.get(term)
        if anc is None:  # a set per term asked about (evidence asks for the same terms case after case)
            anc = self._ancestor_sets[term] = frozenset(self.ancestors[term].tolist())
        return ancestor in anc

    def label(self, curie: str, default: str | None = None) -> str | None:
        """The label of a term of the ontology, ``default`` for an id it does not have."""
        i = self.index.get(curie)
        return default if i is None else self.labels[i]

    def current(self, curie: str) -> str | None:
        """The current id for ``curie`` (itself, or its replacement), None if unknown."""
        if curie in self.index:
            return curie
        return self.replaced.get(curie)

    def is_ancestor(self, ancestor: str, term: str) -> bool:
        """Whether ``ancestor`` is ``term`` or one of its ancestors."""
        a, t = self.index[ancestor], self.index[term]
        anc = self.ancestors[t]
        k = int(np.searchsorted(anc, a))
        return k < len(anc) and int(anc[k]) == a
