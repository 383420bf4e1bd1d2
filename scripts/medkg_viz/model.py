"""What a picture shows: nodes, edges with their statements, and notes.

A :class:`Subgraph` is what every renderer draws (HTML and PNG/SVG), and what
every builder (neighbourhood, query result, diagnosis) produces. One edge is
one ``subject relation object`` triple; the statements of the sources that
make it (each with its source, version and frequency) hang off it, so the
picture shows one arrow and the tooltip lists every source.

Example:
    >>> g = Subgraph(title="t")
    >>> g.add_node(VizNode("OMIM:154700", "Disease", "Marfan syndrome"))
    >>> g.add_node(VizNode("HP:0001166", "PhenotypicFeature", "Arachnodactyly"))
    >>> g.add_statement("OMIM:154700", "HAS_PHENOTYPE", "HP:0001166",
    ...                 Statement("hpo", "2025-01-16", frequency=0.8))
    >>> g.add_statement("OMIM:154700", "HAS_PHENOTYPE", "HP:0001166",
    ...                 Statement("orphanet", "1.0", frequency=0.4))
    >>> e = g.edges[0]
    >>> len(g.edges), e.weight, e.label
    (1, 0.8, 'has phenotype')
    >>> e.tooltip().splitlines()[1]
    'hpo 2025-01-16: frequency 0.8'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TYPE_COLOURS: dict[str, str] = {
    "Disease": "#d9534f",
    "PhenotypicFeature": "#2b7bba",
    "Drug": "#3a9a4a",
    "Case phenotype": "#8e44ad",
    "Excluded by case": "#5d6d7e",
}
"""Node colour by node type (other types are grey)."""

OTHER_COLOUR = "#7f7f7f"

ROLE_COLOURS: dict[str, str] = {
    "exact": "#2e8b57",
    "ancestor": "#e69f00",
    "descendant": "#0072b2",
    "related": "#c9a66b",
    "contradicted": "#c0392b",
    "excluded": "#e74c3c",
    "excluded_consistent": "#27ae60",
    "missing": "#9e9e9e",
}
"""Edge colour by evidence kind, for diagnosis pictures."""

DASHED_KINDS = frozenset({"related", "contradicted", "excluded", "excluded_consistent", "missing"})
"""Evidence kinds drawn dashed: indirect, negative or absent links."""


def colour_of(node_type: str) -> str:
    """The fill colour of a node type.

    Example:
        >>> colour_of("Drug"), colour_of("Gene")
        ('#3a9a4a', '#7f7f7f')
    """
    return TYPE_COLOURS.get(node_type, OTHER_COLOUR)


@dataclass(slots=True)
class VizNode:
    """A node of the picture.

    Attributes:
        id: the CURIE.
        type: the node type (``Disease``, ``PhenotypicFeature``, ``Drug``, ...).
        label: the name, if known.
        sources: the sources that assert the node.
        detail: extra tooltip lines (a definition, a score, ...).
        emphasis: draw larger (the centre node, a top candidate).
        group: a tag shown in the tooltip and legend (e.g. ``case phenotype``).
        level: a column for a left-to-right layered layout (diagnosis
            pictures); when every node has one, renderers lay out by level.
    """

    id: str
    type: str
    label: str | None = None
    sources: tuple[str, ...] = ()
    detail: tuple[str, ...] = ()
    emphasis: bool = False
    group: str = ""
    level: int | None = None

    @property
    def caption(self) -> str:
        """The text drawn on the node: the name, or the id."""
        return self.label or self.id

    def tooltip(self) -> str:
        """Plain-text tooltip: id and type, name, sources, details."""
        lines = [f"{self.id} ({self.type})"]
        if self.label:
            lines.append(self.label)
        if self.group:
            lines.append(self.group)
        if self.sources:
            lines.append("asserted by: " + ", ".join(self.sources))
        lines.extend(self.detail)
        return "\n".join(lines)


@dataclass(slots=True)
class Statement:
    """One source's statement behind an edge.

    Attributes:
        source: the source's name.
        version: the source's version.
        frequency: how often (0..1), if the source says.
        frequency_label: the source's own frequency text.
        evidence: what the source cites.
        negated: the source says the relation does NOT hold.
    """

    source: str
    version: str | None = None
    frequency: float | None = None
    frequency_label: str | None = None
    evidence: str | None = None
    negated: bool = False

    def describe(self) -> str:
        """One tooltip line: ``source version: NOT, frequency f (label), evidence e``."""
        head = f"{self.source} {self.version}".strip() if self.version else self.source
        parts = []
        if self.negated:
            parts.append("NOT (the source excludes it)")
        if self.frequency is not None:
            freq = f"frequency {self.frequency:.3g}"
            if self.frequency_label:
                freq += f" ({self.frequency_label})"
            parts.append(freq)
        if self.evidence:
            parts.append(f"evidence {self.evidence}")
        return f"{head}: {', '.join(parts)}" if parts else head


@dataclass(slots=True)
class VizEdge:
    """An arrow ``subject relation object`` and the statements behind it.

    Attributes:
        subject: CURIE of the tail.
        relation: the relation (``HAS_PHENOTYPE``, ...) or a diagnosis kind.
        object: CURIE of the head.
        statements: each source's statement.
        kind: an evidence kind that sets the colour (diagnosis pictures).
        text: a label that replaces the relation name on the arrow (``""``: none).
        detail: extra tooltip lines.
        width: a line width that replaces the one frequency gives (1 = thin).
    """

    subject: str
    relation: str
    object: str
    statements: list[Statement] = field(default_factory=list)
    kind: str = ""
    text: str | None = None
    detail: tuple[str, ...] = ()
    width: float | None = None

    @property
    def negated(self) -> bool:
        """Every statement behind the edge is negated."""
        return bool(self.statements) and all(s.negated for s in self.statements)

    @property
    def dashed(self) -> bool:
        """Drawn dashed: a negated statement, or an indirect/negative evidence kind."""
        return self.negated or self.kind in DASHED_KINDS

    @property
    def weight(self) -> float | None:
        """The highest frequency any source gives, or None."""
        freqs = [s.frequency for s in self.statements if s.frequency is not None]
        return max(freqs) if freqs else None

    @property
    def line_width(self) -> float:
        """The drawn width: :attr:`width` if set, else 1 plus 5 times the frequency."""
        if self.width is not None:
            return self.width
        w = self.weight
        return 1 + 5 * w if w is not None else 1.0

    @property
    def label(self) -> str:
        """The text on the arrow: the relation in words, ``NOT`` if negated."""
        if self.text is not None:
            return self.text
        words = self.relation.lower().replace("_", " ")
        return f"NOT {words}" if self.negated else words

    def tooltip(self) -> str:
        """Plain-text tooltip: the triple, then one line per source statement."""
        lines = [f"{self.subject} {self.relation} {self.object}"]
        lines.extend(s.describe() for s in self.statements)
        lines.extend(self.detail)
        return "\n".join(lines)


@dataclass(slots=True)
class Subgraph:
    """Nodes, edges and notes for one picture.

    Attributes:
        title: the heading of the picture.
        nodes: the nodes by CURIE, in insertion order.
        edges: the edges, one per (subject, relation, object).
        notes: lines shown under the title (what was left out, and why).
        legend: extra legend entries ``(colour, text)`` beyond node types.
    """

    title: str
    nodes: dict[str, VizNode] = field(default_factory=dict)
    edges: list[VizEdge] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    _index: dict[tuple[str, str, str], VizEdge] = field(default_factory=dict, repr=False)

    def add_node(self, node: VizNode) -> None:
        """Add a node; a node already present keeps its data."""
        self.nodes.setdefault(node.id, node)

    def edge(self, subject: str, relation: str, obj: str, **kw: Any) -> VizEdge:
        """The edge for a triple, created (with ``kw``) if new."""
        key = (subject, relation, obj)
        e = self._index.get(key)
        if e is None:
            e = VizEdge(subject, relation, obj, **kw)
            self._index[key] = e
            self.edges.append(e)
        return e

    def add_statement(self, subject: str, relation: str, obj: str, st: Statement) -> None:
        """Add one source's statement to the edge of its triple."""
        self.edge(subject, relation, obj).statements.append(st)

    def drop_dangling(self) -> None:
        """Remove edges whose ends are not both nodes of the picture."""
        keep = [e for e in self.edges if e.subject in self.nodes and e.object in self.nodes]
        self.edges = keep
        self._index = {(e.subject, e.relation, e.object): e for e in keep}

    @property
    def layered(self) -> bool:
        """Whether every node has a layout level."""
        return bool(self.nodes) and all(n.level is not None for n in self.nodes.values())

    def columns(self) -> dict[str, tuple[float, float]]:
        """Positions for a layered picture: x is the level, y runs down from 0.

        Each column keeps the order the builder added its nodes and is spread
        over the height of the longest column, centred on y = 0.

        Example:
            >>> g = Subgraph("t")
            >>> for i, lv in (("a", 0), ("b", 0), ("c", 1), ("d", 1), ("e", 1), ("f", 1)):
            ...     g.add_node(VizNode(i, "Disease", level=lv))
            >>> {k: (x, round(y, 2)) for k, (x, y) in g.columns().items()}
            {'a': (0.0, -1.0), 'b': (0.0, 1.0), 'c': (1.0, -1.5), 'd': (1.0, -0.5), 'e': (1.0, 0.5), 'f': (1.0, 1.5)}
        """
        by_level: dict[int, list[str]] = {}
        for node in self.nodes.values():
            by_level.setdefault(node.level or 0, []).append(node.id)
        height = max(len(ids) for ids in by_level.values())
        pos: dict[str, tuple[float, float]] = {}
        for level, ids in by_level.items():
            step = height / len(ids)
            for k, nid in enumerate(ids):
                pos[nid] = (float(level), (k + 0.5) * step - height / 2)
        return pos

    def types(self) -> list[str]:
        """The node types present, in a stable order."""
        order = list(TYPE_COLOURS)
        present = {n.type for n in self.nodes.values()}
        return sorted(present, key=lambda t: (order.index(t) if t in order else len(order), t))
