"""Queries behind the pictures of ``medkg viz``: node cards and the statements
around a set of nodes, with their provenance.

Every query takes bound parameters only. The Cypher comes in two dialects
(LadybugDB's ``label(x)`` and Neo4j's ``labels(x)[0]`` / ``type(r)``); the
dialect words are formatted in from the fixed table below, never from input.
Neighbours are ranked and limited in the query, so a hub node cannot flood
the caller; statements keep the direction their source asserted.

Example:
    >>> "$ids" in cypher("ranked_neighbours", "ladybug") and "LIMIT $limit" in cypher("ranked_neighbours", "neo4j")
    True
    >>> "labels(b)[0]" in cypher("ranked_neighbours", "neo4j")
    True
    >>> cypher("nosuch", "ladybug")
    Traceback (most recent call last):
    ...
    KeyError: "no viz query 'nosuch'; known: ['neighbour_counts', 'node_cards', 'ranked_neighbours', 'statements_among']"
"""

from __future__ import annotations

_DIALECT: dict[str, dict[str, str]] = {
    "ladybug": {"tb": "label(b)", "tn": "label(n)", "rt": "label(r)",
                "not_source": "label(n) <> 'Source'"},
    "neo4j": {"tb": "labels(b)[0]", "tn": "labels(n)[0]", "rt": "type(r)",
              "not_source": "NOT n:Source"},
}

_STATEMENT_COLUMNS = (
    "r.source AS source, r.source_version AS source_version, r.frequency AS frequency, "
    "r.frequency_label AS frequency_label, r.evidence AS evidence, r.negated AS negated, "
    "r.score AS score"
)

_CYPHER: dict[str, str] = {
    # The nodes named by $ids (their type, name, asserting sources, definition).
    "node_cards": """
MATCH (n) WHERE n.id IN $ids AND {not_source}
RETURN n.id AS id, {tn} AS type, n.label AS label, n.sources AS sources, n.definition AS definition
ORDER BY id""",
    # The neighbours of the nodes in $ids (allowed type and relation, not in $exclude),
    # most connected first (links = how many of $ids they touch), then most frequent.
    "ranked_neighbours": """
MATCH (a)-[r]-(b) WHERE a.id IN $ids AND {tb} IN $types AND {rt} IN $relations AND NOT b.id IN $exclude
RETURN b.id AS neighbour, {tb} AS neighbour_type, b.label AS neighbour_label, b.sources AS neighbour_sources,
       count(DISTINCT a.id) AS links, max(coalesce(r.frequency, -1.0)) AS frequency
ORDER BY links DESC, frequency DESC, neighbour LIMIT $limit""",
    # How many distinct neighbours of each type the nodes in $ids have (outside $exclude).
    "neighbour_counts": """
MATCH (a)-[r]-(b) WHERE a.id IN $ids AND {tb} IN $types AND {rt} IN $relations AND NOT b.id IN $exclude
RETURN {tb} AS type, count(DISTINCT b.id) AS nodes ORDER BY type""",
    # Statements whose two ends are both in $ids.
    "statements_among": """
MATCH (a)-[r]->(b) WHERE a.id IN $ids AND b.id IN $ids AND {rt} IN $relations
RETURN a.id AS subject, {rt} AS relation, b.id AS object, """ + _STATEMENT_COLUMNS + """
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
    if engine not in _DIALECT:
        raise KeyError(f"no Cypher dialect for {engine!r}; known: {sorted(_DIALECT)}")
    return _CYPHER[name].format(**_DIALECT[engine])
