"""The subgraph around one node, capped, with a note of what was left out.

Hop by hop, the neighbours of the current frontier are counted (by type) and
the most strongly linked ones are kept (linked to the most frontier nodes,
then by highest frequency, then by id)
until ``max_nodes`` is reached (with two hops, hop 1 first gets half the room
and takes back what hop 2 leaves unused); the picture's notes say how many of
each type were left out. Finally every statement among the kept nodes is read, so the
picture shows the induced subgraph with each statement's provenance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from kg.curie import normalize_curie
from kg.model import CONCEPT_PREDICATES, CONCEPT_TYPES, NodeType
from kg.queries.viz import cypher
from kg.stores.base import GraphStore, parse_selector
from medkg_viz.errors import NodeNotFoundError, NothingToDrawError, VisualisationError
from medkg_viz.model import Statement, Subgraph, VizNode

CYPHER_ENGINES = ("ladybug", "neo4j")
MAX_ROWS = 100_000
"""Upper bound on the neighbour rows read for one hop."""
MAX_STATEMENTS = 20_000
"""Upper bound on the statements read among the kept nodes."""

_TYPE_ALIASES = {
    "disease": NodeType.DISEASE.value,
    "diseases": NodeType.DISEASE.value,
    "phenotype": NodeType.PHENOTYPE.value,
    "phenotypes": NodeType.PHENOTYPE.value,
    "phenotypicfeature": NodeType.PHENOTYPE.value,
    "symptom": NodeType.PHENOTYPE.value,
    "drug": NodeType.DRUG.value,
    "drugs": NodeType.DRUG.value,
}


def parse_types(values: Iterable[str]) -> list[str]:
    """Node types from words (``disease``, ``phenotype``, ``drug`` or the labels), comma-separated or repeated.

    Example:
        >>> parse_types(["disease,Drug"])
        ['Disease', 'Drug']
        >>> parse_types([])
        ['Disease', 'PhenotypicFeature', 'Drug']
        >>> parse_types(["gene"])
        Traceback (most recent call last):
        ...
        medkg_viz.errors.VisualisationError: unknown node type 'gene'; use disease, phenotype, drug
    """
    out: list[str] = []
    for v in values:
        for word in filter(None, (w.strip() for w in v.split(","))):
            t = _TYPE_ALIASES.get(word.lower())
            if t is None:
                raise VisualisationError(f"unknown node type {word!r}; use disease, phenotype, drug")
            if t not in out:
                out.append(t)
    return out or [t.value for t in CONCEPT_TYPES]


def parse_relations(values: Iterable[str]) -> list[str]:
    """Relation names (any case), comma-separated or repeated; all when none.

    Example:
        >>> parse_relations(["has_phenotype,TREATS"])
        ['HAS_PHENOTYPE', 'TREATS']
        >>> parse_relations(["likes"])
        Traceback (most recent call last):
        ...
        medkg_viz.errors.VisualisationError: unknown relation 'likes'; known: HAS_PHENOTYPE, TREATS, PALLIATES, INDICATED_FOR, NOT_INDICATED_FOR, HAS_ADVERSE_EFFECT, SUBCLASS_OF, XREF
    """
    known = [p.value for p in CONCEPT_PREDICATES]
    out: list[str] = []
    for v in values:
        for word in filter(None, (w.strip() for w in v.split(","))):
            if word.upper() not in known:
                raise VisualisationError(f"unknown relation {word!r}; known: {', '.join(known)}")
            if word.upper() not in out:
                out.append(word.upper())
    return out or known


def cypher_engine(store: GraphStore) -> str:
    """The Cypher dialect of a store, or a clear error for a store that speaks SPARQL."""
    engine = parse_selector(store.selector)[0]
    if engine not in CYPHER_ENGINES:
        raise VisualisationError(
            f"neighbourhood pictures read a Cypher store (ladybug:PATH or neo4j://...), "
            f"not {store.selector!r}"
        )
    return engine


def node_cards(store: GraphStore, ids: Sequence[str]) -> dict[str, VizNode]:
    """The nodes named by ``ids`` that the store has, by id."""
    if not ids:
        return {}
    res = store.query(cypher("node_cards", cypher_engine(store)), {"ids": list(ids)})
    out: dict[str, VizNode] = {}
    for r in res.as_dicts():
        detail = (_short(r["definition"]),) if r.get("definition") else ()
        out[r["id"]] = VizNode(r["id"], r["type"], r["label"], tuple(r["sources"] or ()), detail)
    return out


def _short(text: str, width: int = 160) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def neighbourhood(
    store: GraphStore,
    node_id: str,
    *,
    hops: int = 1,
    types: Sequence[str] | None = None,
    relations: Sequence[str] | None = None,
    max_nodes: int = 40,
) -> Subgraph:
    """The subgraph within ``hops`` links of a node.

    Args:
        store: a Cypher store (LadybugDB or Neo4j).
        node_id: the centre's CURIE.
        hops: 1 or 2.
        types: neighbour node types to keep (all when None).
        relations: relations to follow (all when None).
        max_nodes: the most nodes to draw, the centre included.

    Raises:
        NodeNotFoundError: the centre is not in the graph.
        NothingToDrawError: the centre has no neighbour of the types asked for.
        VisualisationError: bad ``hops`` or ``max_nodes``, or a SPARQL store.
    """
    if hops not in (1, 2):
        raise VisualisationError(f"--hops must be 1 or 2, got {hops}")
    if max_nodes < 2:
        raise VisualisationError(f"--max-nodes must be at least 2, got {max_nodes}")
    engine = cypher_engine(store)
    centre = normalize_curie(node_id)
    cards = node_cards(store, [centre])
    if centre not in cards:
        raise NodeNotFoundError(f"no node {centre} in {store.selector}")
    node_types = list(types) if types else parse_types([])
    rels = list(relations) if relations else parse_relations([])
    sub = Subgraph(title=f"Neighbourhood of {cards[centre].caption} ({centre})")
    cards[centre].emphasis = True
    sub.add_node(cards[centre])

    def ring(frontier: list[str], exclude: set[str], room: int) -> tuple[dict[str, int], list[VizNode], set[str]]:
        """Neighbour counts by type, the ``room`` best-linked neighbours, and every neighbour's id."""
        res = store.query(cypher("neighbours", engine), {"ids": frontier, "relations": rels, "limit": MAX_ROWS})
        if len(res.rows) >= MAX_ROWS:
            sub.notes.append(f"only the first {MAX_ROWS:,} neighbours of {len(frontier)} node(s) were read")
        rows = [r for r in res.as_dicts() if r["neighbour_type"] in node_types and r["neighbour"] not in exclude]
        rows.sort(key=lambda r: (-r["links"], -r["frequency"], r["neighbour"]))
        nodes = [
            VizNode(r["neighbour"], r["neighbour_type"], r["neighbour_label"], tuple(r["neighbour_sources"] or ()))
            for r in rows[:room]
        ]
        return dict(Counter(r["neighbour_type"] for r in rows)), nodes, {r["neighbour"] for r in rows}

    room = max_nodes - 1
    counts1, ranked1, all1 = ring([centre], {centre}, room)
    # With two hops, hop 1 first gets half the room, so that hop 2 is seen too;
    # whatever hop 2 leaves unused goes back to hop 1.
    first = ranked1[: room if hops == 1 else max(1, room // 2)]
    for n in first:
        sub.add_node(n)
    counts2: dict[str, int] = {}
    ranked2: list[VizNode] = []
    if hops == 2 and first:
        # hop 2 is what hop 1 does not already reach, shown or not
        counts2, ranked2, _ = ring([n.id for n in first], {centre} | all1, max_nodes - len(sub.nodes))
        for n in ranked2:
            sub.add_node(n)
    for n in ranked1[len(first) : len(first) + max_nodes - len(sub.nodes)]:
        sub.add_node(n)
    shown1 = _count_types(n for n in ranked1 if n.id in sub.nodes)
    if sum(counts1.values()) > sum(shown1.values()):
        sub.notes.append(_left_out_note(1, counts1, shown1))
    if sum(counts2.values()) > len(ranked2):
        sub.notes.append(_left_out_note(2, counts2, _count_types(ranked2)))

    if len(sub.nodes) == 1:
        what = ", ".join(node_types)
        raise NothingToDrawError(
            f"{centre} ({cards[centre].caption}) has no neighbours of type {what} "
            f"through {', '.join(rels)}; nothing to draw"
        )
    among = store.query(
        cypher("statements_among", engine),
        {"ids": list(sub.nodes), "relations": rels, "limit": MAX_STATEMENTS},
    )
    for r in among.as_dicts():
        sub.add_statement(r["subject"], r["relation"], r["object"], statement_of(r))
    if len(among.rows) >= MAX_STATEMENTS:
        sub.notes.append(f"only the first {MAX_STATEMENTS:,} statements among these nodes are drawn")
    return sub


def statement_of(row: dict[str, Any]) -> Statement:
    """A :class:`Statement` from a query row with the viz statement columns."""
    return Statement(
        source=row.get("source") or "?",
        version=row.get("source_version") or None,
        frequency=row.get("frequency"),
        frequency_label=row.get("frequency_label") or None,
        evidence=row.get("evidence") or None,
        negated=bool(row.get("negated")),
    )


def _count_types(nodes: Iterable[VizNode]) -> dict[str, int]:
    return dict(Counter(n.type for n in nodes))


def _left_out_note(hop: int, counts: dict[str, int], shown: dict[str, int]) -> str:
    """What a hop left out.

    Example:
        >>> _left_out_note(1, {"Disease": 70, "PhenotypicFeature": 1200}, {"Disease": 5, "PhenotypicFeature": 34})
        'hop 1: showing 39 of 1,270 neighbours; left out 1,166 PhenotypicFeature, 65 Disease; raise --max-nodes or narrow --types/--relations to see them'
    """
    total = sum(counts.values())
    left = {t: counts[t] - shown.get(t, 0) for t in counts if counts[t] > shown.get(t, 0)}
    parts = ", ".join(f"{n:,} {t}" for t, n in sorted(left.items(), key=lambda tn: -tn[1]))
    why = "raise --max-nodes or narrow --types/--relations to see them"
    return f"hop {hop}: showing {sum(shown.values()):,} of {total:,} neighbours; left out {parts}; {why}"
