"""One disease, one entry: identity groups from the graph's cross-references.

Ids join one group through an unambiguous mapping: a cross-reference
whose subject names exactly one id of the object's vocabulary, and whose
object is named by exactly one subject of the subject's vocabulary. (A DOID
term that lists five OMIM entries is a grouping term, not a synonym; merging
them would hide the differences a differential needs.) Optionally, an OMIM and
an ORPHA disease with the same name (unique in each vocabulary) join too.

Example:
    >>> g = IdentityGroups.from_xrefs([
    ...     ("DOID:14323", "OMIM:154700", "do"), ("DOID:14323", "ORPHA:558", "do"),
    ...     ("DOID:1", "OMIM:1", "do"), ("DOID:1", "OMIM:2", "do")])
    >>> sorted(g.members("OMIM:154700"))
    ['DOID:14323', 'OMIM:154700', 'ORPHA:558']
    >>> g.members("OMIM:1")
    ['OMIM:1']
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.curie import prefix_of


def _norm(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", label.lower()).strip()


@dataclass
class IdentityGroups:
    """Union-find over disease ids, keeping the source of every link.

    Attributes:
        links: ``(a, b) → source`` for every link used.
    """

    _parent: dict[str, str] = field(default_factory=dict)
    links: dict[tuple[str, str], str] = field(default_factory=dict)
    _members: dict[str, list[str]] | None = None
    _links_of: dict[str, list[tuple[str, str, str]]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def from_xrefs(cls, xrefs: Iterable[tuple[str, str, str]]) -> IdentityGroups:
        """Groups from ``(subject, object, source)`` cross-references (1:1 per vocabulary only)."""
        rows = list(xrefs)
        by_subject: dict[tuple[str, str], set[str]] = defaultdict(set)
        by_object: dict[tuple[str, str], set[str]] = defaultdict(set)
        for s, o, _ in rows:
            by_subject[(s, prefix_of(o))].add(o)
            by_object[(o, prefix_of(s))].add(s)
        g = cls()
        for s, o, src in rows:
            if len(by_subject[(s, prefix_of(o))]) == 1 and len(by_object[(o, prefix_of(s))]) == 1:
                g._link(s, o, src)
        return g

    def add_label_matches(self, labels: dict[str, str], vocabularies: tuple[str, str] = ("OMIM", "ORPHA")) -> int:
        """Join two vocabularies' diseases whose normalised names are equal and unique in each.

        The link's source is ``"same name"``, so evidence shows it is medkg's inference.
        Returns how many pairs were joined.

        Example:
            >>> g = IdentityGroups()
            >>> g.add_label_matches({"OMIM:154700": "Marfan syndrome", "ORPHA:558": "Marfan Syndrome",
            ...                      "OMIM:1": "Twin", "OMIM:2": "twin", "ORPHA:3": "Twin"})
            1
            >>> g.members("ORPHA:558")
            ['OMIM:154700', 'ORPHA:558']
        """
        by_name: dict[str, dict[str, list[str]]] = {v: defaultdict(list) for v in vocabularies}
        for curie, label in labels.items():
            ns = prefix_of(curie)
            if ns in by_name and label:
                by_name[ns][_norm(label)].append(curie)
        a, b = (by_name[v] for v in vocabularies)
        joined = 0
        for name, ids in a.items():
            other = b.get(name, [])
            if len(ids) == 1 and len(other) == 1 and self.key(ids[0]) != self.key(other[0]):
                self._link(ids[0], other[0], "same name")
                joined += 1
        return joined

    def _find(self, x: str) -> str:
        root = x
        while self._parent.get(root, root) != root:
            root = self._parent[root]
        while self._parent.get(x, x) != root:  # path compression
            self._parent[x], x = root, self._parent[x]
        return root

    def _link(self, a: str, b: str, source: str) -> None:
        """Join ``a`` and ``b``, recording the link and its source."""
        self.links[(a, b)] = source
        self._links_of[a].append((a, b, source))
        self._parent.setdefault(a, a)
        self._parent.setdefault(b, b)
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)
        self._members = None

    def members(self, curie: str) -> list[str]:
        """Every id in ``curie``'s group (just ``[curie]`` when it has none), sorted."""
        if self._members is None:
            groups: dict[str, list[str]] = defaultdict(list)
            for x in self._parent:
                groups[self._find(x)].append(x)
            self._members = {x: sorted(groups[self._find(x)]) for x in self._parent}
        return self._members.get(curie, [curie])

    def links_within(self, members: list[str]) -> list[tuple[str, str, str]]:
        """The links ``(a, b, source)`` that joined ``members`` (one whole group) into one."""
        return sorted(lk for m in members for lk in self._links_of.get(m, ()))

    def key(self, curie: str) -> str:
        """A stable representative of ``curie``'s group."""
        return self._find(curie) if curie in self._parent else curie
