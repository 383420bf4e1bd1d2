"""Queries behind the pictures of ``medkg viz``: node cards and the statements
around a set of nodes, with their provenance.

Every query takes bound parameters only. The Cypher is written once and spelt for each
engine by :func:`kg.queries.dialect.spell`; the node labels are the concept labels
(:data:`kg.queries.dialect.CONCEPT_LABELS`), never from input.
Neighbours come back one row each (aggregated in the query, with a row
limit), so a hub node cannot flood the caller; statements keep the direction
their source asserted.

Example:
    >>> print(cypher("node_cards", "ladybug").splitlines()[2])
    RETURN n.id AS id, label(n) AS type, n.label AS label, n.sources AS sources, n.definition AS definition
    >>> print(cypher("node_cards", "neo4j").splitlines()[1:3])
    ['MATCH (n:Disease|PhenotypicFeature|Drug) WHERE n.id IN $ids', 'RETURN n.id AS id, labels(n)[0] AS type, n.label AS label, n.sources AS sources, n.definition AS definition']
    >>> cypher("nosuch", "ladybug")
    Traceback (most recent call last):
    ...
    KeyError: "no viz query 'nosuch'; known: ['neighbours', 'node_cards', 'statements_among']"
"""

from __future__ import annotations

from kg.queries.dialect import CONCEPT_LABELS, spell

_STATEMENT_COLUMNS = (
    "r.source AS source, r.source_version AS source_version, r.frequency AS frequency, "
    "r.frequency_label AS frequency_label, r.evidence AS evidence, r.negated AS negated, "
    "r.score AS score"
)

_CYPHER: dict[str, str] = {
    # The nodes named by $ids (their type, name, asserting sources, definition).
    "node_cards": f"""
MATCH (n{CONCEPT_LABELS}) WHERE n.id IN $ids
RETURN n.id AS id, node_type(n) AS type, n.label AS label, n.sources AS sources, n.definition AS definition
ORDER BY id""",
    # Every neighbour of the nodes in $ids through $relations: how many of $ids it
    # touches (links) and the highest frequency of those statements. Anchoring both
    # ends on the node labels lets the engine look ids up instead of scanning.
    "neighbours": f"""
MATCH (a{CONCEPT_LABELS})-[r]-(b{CONCEPT_LABELS}) WHERE a.id IN $ids AND rel_type(r) IN $relations
RETURN b.id AS neighbour, node_type(b) AS neighbour_type, b.label AS neighbour_label, b.sources AS neighbour_sources,
       count(DISTINCT a.id) AS links, max(coalesce(r.frequency, -1.0)) AS frequency
LIMIT $limit""",
    # Statements whose two ends are both in $ids.
    "statements_among": f"""
MATCH (a{CONCEPT_LABELS})-[r]->(b{CONCEPT_LABELS}) WHERE a.id IN $ids AND b.id IN $ids AND rel_type(r) IN $relations
RETURN a.id AS subject, rel_type(r) AS relation, b.id AS object, {_STATEMENT_COLUMNS}
ORDER BY subject, relation, object, source LIMIT $limit""",
}

SPARQL_NODE_CARD = """
SELECT $id ?type ?label (GROUP_CONCAT(DISTINCT ?source; SEPARATOR="|") AS ?sources) WHERE {
  ?n medkg:id $id ; a ?cls .
  FILTER (STRSTARTS(STR(?cls), STR(medkg:)))
  BIND (STRAFTER(STR(?cls), STR(medkg:)) AS ?type)
  OPTIONAL { ?n rdfs:label ?label }
  OPTIONAL { ?n medkg:asserted_by/rdfs:label ?source }
} GROUP BY $id ?type ?label ORDER BY ?type ?label LIMIT 1"""
"""One node's type, name and asserting sources (``|``-joined) by its CURIE, in SPARQL."""


def cypher(name: str, engine: str) -> str:
    """The Cypher text of a viz query for ``engine`` (``ladybug`` or ``neo4j``).

    Raises:
        KeyError: an unknown query name or engine.
    """
    if name not in _CYPHER:
        raise KeyError(f"no viz query {name!r}; known: {sorted(_CYPHER)}")
    return spell(_CYPHER[name], engine)
