"""Bulk reads of the graph for in-memory engines (the diagnosis index).

Plain Cypher that LadybugDB and Neo4j both run (:data:`GRAPH_READS`, Neo4j's own spelling in
:data:`NEO4J_DIALECT`), and the same reads in SPARQL for Oxigraph (:data:`GRAPH_READS_SPARQL`):
every store gives the same rows, up to their order (the compliance suite checks it).
Parameters are bound.

Example:
    >>> sorted(GRAPH_READS)[:3]
    ['adverse_effects', 'disease_drugs', 'disease_xrefs']
"""

from __future__ import annotations

GRAPH_READS: dict[str, str] = {
    "phenotype_terms": """
MATCH (p:PhenotypicFeature) WHERE p.id STARTS WITH $prefix
RETURN p.id AS id, p.label AS label, p.alt_ids AS alt_ids, p.synonyms AS synonyms""",
    "phenotype_parents": """
MATCH (a:PhenotypicFeature)-[:SUBCLASS_OF]->(b:PhenotypicFeature)
WHERE a.id STARTS WITH $prefix AND b.id STARTS WITH $prefix
RETURN a.id AS child, b.id AS parent""",
    "phenotype_annotations": """
MATCH (d:Disease)-[r:HAS_PHENOTYPE]->(p:PhenotypicFeature) WHERE p.id STARTS WITH $prefix
RETURN d.id AS disease, p.id AS phenotype, r.frequency AS frequency,
       r.frequency_label AS frequency_label, r.negated AS negated, r.onset AS onset,
       r.source AS source, r.source_version AS source_version, r.evidence AS evidence""",
    "diseases": """
MATCH (d:Disease) RETURN d.id AS id, d.label AS label, d.synonyms AS synonyms""",
    "disease_xrefs": """
MATCH (a:Disease)-[r:XREF]->(b:Disease)
RETURN a.id AS subject, b.id AS object, r.source AS source, r.source_version AS source_version""",
    "disease_drugs": """
MATCH (g:Drug)-[r]->(d:Disease)
RETURN g.id AS drug, g.label AS drug_label, label(r) AS predicate, d.id AS disease,
       r.source AS source, r.source_version AS source_version, r.evidence AS evidence""",
    "drugs": """
MATCH (g:Drug) RETURN g.id AS id, g.label AS label""",
    "adverse_effects": """
MATCH (g:Drug)-[r:HAS_ADVERSE_EFFECT]->(p:PhenotypicFeature)
RETURN g.id AS drug, p.id AS phenotype, r.frequency AS frequency,
       r.source AS source, r.source_version AS source_version""",
    "phenotype_xrefs": """
MATCH (a:PhenotypicFeature)-[r:XREF]->(b:PhenotypicFeature)
RETURN a.id AS subject, b.id AS object, r.source AS source""",
    "sources": """
MATCH (s:Source) RETURN s.name AS name, s.version AS version, s.license AS license ORDER BY name""",
}
"""Named read queries (LadybugDB dialect; Neo4j uses :data:`NEO4J_DIALECT` where it differs)."""

NEO4J_DIALECT: dict[str, str] = {
    "disease_drugs": GRAPH_READS["disease_drugs"].replace("label(r)", "type(r)"),
}

LIST_SEPARATOR = "\x1f"
"""Joins the values of a list column in the SPARQL reads (``GROUP_CONCAT``); see :data:`LIST_COLUMNS`."""

LIST_COLUMNS: dict[str, tuple[int, ...]] = {"phenotype_terms": (2, 3), "diseases": (2,)}
"""Per read, the positions of its list columns: lists in Cypher, :data:`LIST_SEPARATOR`-joined
text in SPARQL (split again by the reader, each list sorted)."""

_SOURCE = """
  OPTIONAL { ?src rdfs:label ?source }
  OPTIONAL { ?src medkg:version ?source_version }"""
"""A statement's source and version (in RDF a statement's version is its source's). Oxigraph
plans a required pattern that follows an ``OPTIONAL`` as a scan joined afterwards (minutes on
the full graph), so every read states its required patterns first."""

GRAPH_READS_SPARQL: dict[str, str] = {
    "phenotype_terms": """
SELECT $prefix ?id ?label (GROUP_CONCAT(?alt; separator="\\u001f") AS ?alt_ids)
       (GROUP_CONCAT(?syn; separator="\\u001f") AS ?synonyms) WHERE {
  ?p a medkg:PhenotypicFeature ; medkg:id ?id .
  FILTER (STRSTARTS(?id, $prefix))
  OPTIONAL { ?p rdfs:label ?label }
  OPTIONAL { ?p medkg:alt_id ?alt }
  OPTIONAL { ?p medkg:synonym ?syn }
} GROUP BY $prefix ?id ?label""",
    "phenotype_parents": """
SELECT $prefix ?child ?parent WHERE {
  ?a medkg:subclass_of ?b .
  ?a a medkg:PhenotypicFeature ; medkg:id ?child .
  FILTER (STRSTARTS(?child, $prefix))
  ?b a medkg:PhenotypicFeature ; medkg:id ?parent .
  FILTER (STRSTARTS(?parent, $prefix))
}""",
    "phenotype_annotations": f"""
SELECT $prefix ?disease ?phenotype ?frequency ?frequency_label ?negated ?onset ?source ?source_version
       ?evidence WHERE {{
  ?a medkg:predicate medkg:has_phenotype ; medkg:object ?o ; medkg:subject ?s ; medkg:source ?src .
  ?o medkg:id ?phenotype .
  FILTER (STRSTARTS(?phenotype, $prefix))
  ?s medkg:id ?disease .
  FILTER EXISTS {{ ?s a medkg:Disease }}
  FILTER EXISTS {{ ?o a medkg:PhenotypicFeature }}
  BIND (EXISTS {{ ?a medkg:negated true }} AS ?negated){_SOURCE}
  OPTIONAL {{ ?a medkg:frequency ?frequency }}
  OPTIONAL {{ ?a medkg:frequency_label ?frequency_label }}
  OPTIONAL {{ ?a medkg:onset ?onset }}
  OPTIONAL {{ ?a medkg:evidence ?evidence }}
}}""",
    "diseases": """
SELECT ?id ?label (GROUP_CONCAT(?syn; separator="\\u001f") AS ?synonyms) WHERE {
  ?d a medkg:Disease ; medkg:id ?id .
  OPTIONAL { ?d rdfs:label ?label }
  OPTIONAL { ?d medkg:synonym ?syn }
} GROUP BY ?id ?label""",
    "disease_xrefs": f"""
SELECT ?subject ?object ?source ?source_version WHERE {{
  ?a medkg:predicate medkg:xref ; medkg:subject ?s ; medkg:object ?o ; medkg:source ?src .
  ?s medkg:id ?subject .
  ?o medkg:id ?object .
  FILTER EXISTS {{ ?s a medkg:Disease }}
  FILTER EXISTS {{ ?o a medkg:Disease }}{_SOURCE}
}}""",
    "disease_drugs": f"""
SELECT ?drug ?drug_label ?predicate ?disease ?source ?source_version ?evidence WHERE {{
  ?s a medkg:Drug ; medkg:id ?drug .
  ?a medkg:subject ?s ; medkg:predicate ?p ; medkg:object ?o ; medkg:source ?src .
  ?o medkg:id ?disease .
  FILTER EXISTS {{ ?o a medkg:Disease }}
  BIND (UCASE(STRAFTER(STR(?p), STR(medkg:))) AS ?predicate){_SOURCE}
  OPTIONAL {{ ?s rdfs:label ?drug_label }}
  OPTIONAL {{ ?a medkg:evidence ?evidence }}
}}""",
    "drugs": """
SELECT ?id ?label WHERE {
  ?g a medkg:Drug ; medkg:id ?id .
  OPTIONAL { ?g rdfs:label ?label }
}""",
    "adverse_effects": f"""
SELECT ?drug ?phenotype ?frequency ?source ?source_version WHERE {{
  ?a medkg:predicate medkg:has_adverse_effect ; medkg:subject ?s ; medkg:object ?o ; medkg:source ?src .
  ?s medkg:id ?drug .
  ?o medkg:id ?phenotype .
  FILTER EXISTS {{ ?s a medkg:Drug }}
  FILTER EXISTS {{ ?o a medkg:PhenotypicFeature }}{_SOURCE}
  OPTIONAL {{ ?a medkg:frequency ?frequency }}
}}""",
    "phenotype_xrefs": """
SELECT ?subject ?object ?source WHERE {
  ?a medkg:predicate medkg:xref ; medkg:subject ?s ; medkg:object ?o ; medkg:source ?src .
  ?s medkg:id ?subject .
  ?o medkg:id ?object .
  FILTER EXISTS { ?s a medkg:PhenotypicFeature }
  FILTER EXISTS { ?o a medkg:PhenotypicFeature }
  OPTIONAL { ?src rdfs:label ?source }
}""",
    "sources": """
SELECT ?name ?version ?license WHERE {
  ?s a medkg:Source ; rdfs:label ?name .
  OPTIONAL { ?s medkg:version ?version }
  OPTIONAL { ?s medkg:license ?license }
} ORDER BY ?name""",
}
"""The same reads for a SPARQL store (rows in another order; list columns joined, see
:data:`LIST_COLUMNS`). Negated statements are read from the associations, as in Cypher."""


def graph_read_text(name: str, engine: str) -> str:
    """The text of read ``name`` for ``engine`` (``ladybug``, ``neo4j``, ``oxigraph``, ``rdflib``).

    Example:
        >>> "type(r)" in graph_read_text("disease_drugs", "neo4j")
        True
        >>> graph_read_text("drugs", "oxigraph").lstrip().startswith("SELECT")
        True
    """
    if engine in ("oxigraph", "rdflib"):
        return GRAPH_READS_SPARQL[name]
    if engine == "neo4j":
        return NEO4J_DIALECT.get(name, GRAPH_READS[name])
    return GRAPH_READS[name]
