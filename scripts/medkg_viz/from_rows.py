"""Turn an analyst's query result into a picture.

A result is drawable when it returns nodes and relations in one of two shapes:

* **triples** — columns ``subject``, ``object`` (CURIEs or nodes) and
  ``relation`` (or ``predicate``; a SPARQL ``CONSTRUCT`` gives exactly
  these), optionally ``source``, ``source_version``, ``frequency``,
  ``negated``, ``subject_label``, ``object_label``; rows whose object is a
  literal (not a CURIE) add that value to the subject's tooltip, and
  ``rdfs:label`` rows name it;
* **whole nodes and relationships** — Cypher ``RETURN a, r, b``: each node
  (a map with an ``id``) becomes a node, each relationship in between joins
  the nodes on its left and right in the row; since stores return a
  relationship as its property map, its type and direction are read back
  from the graph (see :func:`_add_links`).

Node types and names missing from the result are looked up in the graph
(by id, with a bound parameter).

Example:
    >>> from kg.stores.base import QueryResult
    >>> res = QueryResult(["subject", "relation", "object", "source"],
    ...                   [("OMIM:154700", "HAS_PHENOTYPE", "HP:0001166", "hpo")])
    >>> g = subgraph_from_result(res, None, "q")
    >>> sorted(g.nodes), g.edges[0].label, g.edges[0].statements[0].source
    (['HP:0001166', 'OMIM:154700'], 'has phenotype', 'hpo')
"""

from __future__ import annotations

from typing import Any

from kg.curie import is_curie
from kg.model import CONCEPT_PREDICATES
from kg.queries.viz import SPARQL_NODE_CARD, cypher
from kg.stores.base import GraphStore, QueryResult, parse_selector
from medkg_viz.errors import NothingToDrawError
from medkg_viz.model import Subgraph, VizNode
from medkg_viz.neighbourhood import CYPHER_ENGINES, MAX_STATEMENTS, node_cards, statement_of

UNKNOWN_TYPE = "not in graph"
_RELATION_COLUMNS = ("relation", "predicate", "type", "rel")
_LABEL_PREDICATES = {"rdfs:label", "http://www.w3.org/2000/01/rdf-schema#label"}
SHAPES_HELP = (
    "return columns subject, relation, object (CURIEs), a SPARQL CONSTRUCT, "
    "or whole nodes and relationships (RETURN a, r, b)"
)


def _is_node_ref(value: Any) -> bool:
    return isinstance(value, str) and (is_curie(value) or value.startswith(("http://", "https://", "_:")))


def _node_id(value: Any) -> str | None:
    if isinstance(value, dict):
        v = value.get("id")
        return v if isinstance(v, str) else None
    return value if _is_node_ref(value) else None


def _relation_name(value: str) -> str:
    """``medkg:has_phenotype`` and full IRIs as a bare relation name."""
    for sep in ("#", "/"):
        if value.startswith(("http://", "https://")):
            value = value.rsplit(sep, 1)[-1]
    return value.split(":", 1)[-1] if value.startswith("medkg:") else value


def _add_node(sub: Subgraph, value: Any, label: Any = None) -> str | None:
    nid = _node_id(value)
    if nid is None:
        return None
    if isinstance(value, dict):
        sub.add_node(VizNode(nid, "", value.get("label"), tuple(value.get("sources") or ())))
    else:
        sub.add_node(VizNode(nid, "", label if isinstance(label, str) else None))
    return nid


def _from_triples(sub: Subgraph, res: QueryResult) -> None:
    cols = {c.lower(): c for c in res.columns}
    rel_col = next((cols[c] for c in _RELATION_COLUMNS if c in cols), None)
    with_source = "source" in cols
    for row in res.as_dicts():
        low = {k.lower(): v for k, v in row.items()}
        s = _add_node(sub, low["subject"], low.get("subject_label"))
        if s is None:
            continue
        relation = str(row[rel_col]) if rel_col and row[rel_col] is not None else "related_to"
        obj = low["object"]
        if not _is_node_ref(obj) and not isinstance(obj, dict):
            if obj is None:
                continue
            if relation in _LABEL_PREDICATES and not sub.nodes[s].label:
                sub.nodes[s].label = str(obj)
            elif relation not in _LABEL_PREDICATES:
                sub.nodes[s].detail += (f"{_relation_name(relation)}: {obj}",)
            continue
        o = _add_node(sub, obj, low.get("object_label"))
        if o is None:
            continue
        e = sub.edge(s, _relation_name(relation), o)
        if with_source and low.get("source"):
            e.statements.append(statement_of(low))


Link = tuple[str, str, str, dict[str, Any]]
"""A relationship read from a row: (left node, column name, right node, properties)."""


def _from_values(sub: Subgraph, res: QueryResult) -> list[Link]:
    """Nodes of a whole-node result; the relationships found between them."""
    links: list[Link] = []
    for row in res.rows:
        flat: list[tuple[str, Any]] = []
        for col, v in zip(res.columns, row, strict=True):
            if isinstance(v, list) and any(isinstance(x, dict) for x in v):
                flat.extend((col, x) for x in v)  # a Neo4j path: node, rel, node, ...
            else:
                flat.append((col, v))
        last: str | None = None
        pending: list[tuple[str, dict[str, Any]]] = []
        for col, v in flat:
            nid = _add_node(sub, v)
            if nid is not None:
                if last is not None:
                    links.extend((last, rcol.split(".")[-1], nid, rel) for rcol, rel in pending)
                last, pending = nid, []
            elif isinstance(v, dict) and v:
                pending.append((col, v))
    return links


def _add_links(sub: Subgraph, links: list[Link], store: GraphStore | None) -> None:
    """Draw the relationships of a whole-node result, named and directed as in the graph.

    Stores return a relationship as its property map, without its type or
    ends, so the statements among the result's nodes are read from the graph
    and each relationship is matched to its statement by ends and source;
    one that matches no statement keeps its column name.
    """
    known: dict[tuple[str, str, str], set[str]] = {}
    if links and store is not None and parse_selector(store.selector)[0] in CYPHER_ENGINES:
        engine = parse_selector(store.selector)[0]
        rows = store.query(
            cypher("statements_among", engine),
            {"ids": list(sub.nodes), "relations": [p.value for p in CONCEPT_PREDICATES], "limit": MAX_STATEMENTS},
        )
        for r in rows.as_dicts():
            known.setdefault((r["subject"], r["object"], r["source"] or ""), set()).add(r["relation"])
    for left, column, right, props in links:
        src = str(props.get("source") or "")
        subject, obj, relation = left, right, column
        forward, backward = known.get((left, right, src), set()), known.get((right, left, src), set())
        if len(forward) == 1 and not backward:
            relation = next(iter(forward))
        elif len(backward) == 1 and not forward:
            subject, obj, relation = right, left, next(iter(backward))
        e = sub.edge(subject, relation, obj)
        if src:
            e.statements.append(statement_of(props))


def _fill_cards(sub: Subgraph, store: GraphStore | None) -> None:
    """Types, names and sources of the nodes, looked up in the graph by id."""
    ids = list(sub.nodes)
    cards: dict[str, VizNode] = {}
    if store is not None and parse_selector(store.selector)[0] in CYPHER_ENGINES:
        cards = node_cards(store, ids)
    elif store is not None and store.language == "sparql":
        for nid in ids:
            if not is_curie(nid):
                continue
            for r in store.query(SPARQL_NODE_CARD, {"id": nid}).as_dicts():
                sources = tuple(sorted(filter(None, (r.get("sources") or "").split("|"))))
                cards[nid] = VizNode(nid, r["type"], r.get("label"), sources)
    for nid, node in sub.nodes.items():
        card = cards.get(nid)
        if card is not None:
            node.type = card.type
            node.label = node.label or card.label
            node.sources = node.sources or card.sources
        elif not node.type:
            node.type = UNKNOWN_TYPE


def subgraph_from_result(
    res: QueryResult, store: GraphStore | None, title: str, max_nodes: int = 200
) -> Subgraph:
    """The picture of a query result (see the module doc for the shapes it reads).

    Raises:
        NothingToDrawError: the query returned no rows, or its rows hold no node.
    """
    if not res.rows:  # the shape may be right: say what happened, not how to shape a query
        raise NothingToDrawError(f"nothing to draw for {title!r}: the query returned no rows")
    sub = Subgraph(title=title)
    lower = {c.lower() for c in res.columns}
    if {"subject", "object"} <= lower:
        _from_triples(sub, res)
    else:
        _add_links(sub, _from_values(sub, res), store)
    if not sub.nodes:
        raise NothingToDrawError(
            f"the query returned {len(res.rows)} row(s) but no nodes to draw; {SHAPES_HELP}"
        )
    if len(sub.nodes) > max_nodes:
        total = len(sub.nodes)
        sub.nodes = dict(list(sub.nodes.items())[:max_nodes])
        sub.drop_dangling()
        sub.notes.append(
            f"showing the first {max_nodes:,} of {total:,} nodes the query returned "
            "(raise --max-nodes or add LIMIT to the query)"
        )
    _fill_cards(sub, store)
    return sub
