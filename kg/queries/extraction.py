"""Queries of the extraction package: the recogniser's dictionary and the
read-back of a bundle's graph for merging extracted statements into it.

Node and relationship labels are formatted in from the schema enums of
:mod:`kg.model`, never from input.

Example:
    >>> "PhenotypicFeature" in DICTIONARY_CYPHER
    True
    >>> edges_cypher(Predicate.TREATS).split("]")[0]
    'MATCH (s)-[r:TREATS'
"""

from __future__ import annotations

from kg.model import EDGE_PROPERTIES, NODE_LIST_PROPERTIES, NODE_TEXT_PROPERTIES, NodeType, Predicate
from kg.queries.dialect import CONCEPT_LABELS, spell
from kg.queries.graph_reads import joined

DICTIONARY_CYPHER = f"""
MATCH (n{CONCEPT_LABELS})
RETURN n.id AS id, node_type(n) AS type, n.label AS label, n.synonyms AS synonyms
ORDER BY id"""
"""Every concept's id, node label, preferred name and synonyms (Cypher with the marks of
:func:`kg.queries.dialect.spell`: read it through :func:`dictionary_cypher`)."""


def dictionary_cypher(engine: str) -> str:
    """The dictionary read for a Cypher ``engine`` (``ladybug`` or ``neo4j``).

    Example:
        >>> "labels(n)[0]" in dictionary_cypher("neo4j"), "label(n)" in dictionary_cypher("ladybug")
        (True, True)
    """
    return spell(DICTIONARY_CYPHER, engine)


DICTIONARY_SPARQL = """
SELECT ?id ?type ?label """ + joined("syn", "synonyms") + """ WHERE {
  ?n medkg:id ?id ; a ?cls .
  VALUES ?cls { medkg:Disease medkg:PhenotypicFeature medkg:Drug }
  BIND (STRAFTER(STR(?cls), STR(medkg:)) AS ?type)
  OPTIONAL { ?n rdfs:label ?label }
  OPTIONAL { ?n medkg:synonym ?syn }
} GROUP BY ?id ?type ?label ORDER BY ?id"""
"""The same for a SPARQL store; synonyms come joined by :data:`~kg.queries.graph_reads.LIST_SEPARATOR`."""


def nodes_cypher(t: NodeType) -> str:
    """Every node of one label with all its properties (LadybugDB)."""
    props = ", ".join(f"n.{p} AS {p}" for p in (*NODE_TEXT_PROPERTIES, *NODE_LIST_PROPERTIES))
    return f"MATCH (n:{t.value}) RETURN {props} ORDER BY id"


def edges_cypher(p: Predicate) -> str:
    """Every relationship of one type with all its properties (LadybugDB)."""
    props = ", ".join(f"r.{k} AS {k}" for k in EDGE_PROPERTIES)
    return f"MATCH (s)-[r:{p.value}]->(o) RETURN s.id AS subject, o.id AS object, {props}"


SOURCES_CYPHER = "MATCH (s:Source) RETURN s.name AS name, s.version AS version, s.license AS license"
"""The sources recorded in a bundle's LadybugDB."""

PHENOTYPE_ISA_CYPHER = """
MATCH (c:PhenotypicFeature)-[:SUBCLASS_OF]->(p:PhenotypicFeature)
RETURN c.id AS child, p.id AS parent"""
"""The phenotype hierarchy (child, parent) (LadybugDB)."""

PHENOTYPE_ISA_SPARQL = """
SELECT ?child ?parent WHERE {
  ?a medkg:predicate medkg:subclass_of ; medkg:subject ?c ; medkg:object ?p .
  ?c a medkg:PhenotypicFeature ; medkg:id ?child .
  ?p medkg:id ?parent .
}"""
"""The same for a SPARQL store."""

DISEASE_ISA_CYPHER = """
MATCH (c:Disease)-[:SUBCLASS_OF]->(p:Disease)
RETURN c.id AS child, p.id AS parent"""
"""The disease hierarchy (child, parent) (LadybugDB)."""

DISEASE_ISA_SPARQL = """
SELECT ?child ?parent WHERE {
  ?a medkg:predicate medkg:subclass_of ; medkg:subject ?c ; medkg:object ?p .
  ?c a medkg:Disease ; medkg:id ?child .
  ?p a medkg:Disease ; medkg:id ?parent .
}"""
"""The same for a SPARQL store."""

XREFS_CYPHER = """
MATCH (n)
WHERE label(n) IN ['Disease', 'PhenotypicFeature', 'Drug'] AND size(n.xrefs) > 0
RETURN n.id AS id, n.xrefs AS xrefs"""
"""Cross-references of every concept that has some (benchmarks map ids to MeSH with them)."""
