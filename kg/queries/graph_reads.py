"""Bulk reads of the graph for in-memory engines (the diagnosis index).

Cypher that LadybugDB and Neo4j both run (:data:`GRAPH_READS`, spelt for each engine by
:func:`kg.queries.dialect.spell`; Neo4j runs the large ones packed, :data:`NEO4J_PACKED`), and
the same reads in SPARQL for Oxigraph (:data:`GRAPH_READS_SPARQL`):
every store gives the same rows, up to their order (the compliance suite checks it).
Parameters are bound.

Example:
    >>> sorted(GRAPH_READS)[:3]
    ['adverse_effects', 'disease_drugs', 'disease_xrefs']
"""

from __future__ import annotations

from kg.queries.dialect import spell

GRAPH_READS: dict[str, str] = {
    "phenotype_terms": """
MATCH (p:PhenotypicFeature) WHERE p.id STARTS WITH $prefix
RETURN p.id AS id, p.label AS label, p.alt_ids AS alt_ids, p.synonyms AS synonyms""",
    "obsolete_terms": """
MATCH (o:ObsoleteTerm) WHERE o.id STARTS WITH $prefix
RETURN o.id AS id, o.label AS label, o.consider AS consider""",
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
MATCH (d:Disease) RETURN d.id AS id, d.label AS label, d.synonyms AS synonyms, d.alt_ids AS alt_ids""",
    "disease_xrefs": """
MATCH (a:Disease)-[r:XREF]->(b:Disease)
RETURN a.id AS subject, b.id AS object, r.source AS source, r.source_version AS source_version""",
    "disease_drugs": """
MATCH (g:Drug)-[r]->(d:Disease)
RETURN g.id AS drug, g.label AS drug_label, rel_type(r) AS predicate, d.id AS disease,
       r.source AS source, r.source_version AS source_version, r.evidence AS evidence""",
    "drugs": """
MATCH (g:Drug) RETURN g.id AS id, g.label AS label, g.synonyms AS synonyms""",
    "drug_classes": """
MATCH (g:Drug)-[r:IN_CLASS]->(c:DrugClass)
RETURN g.id AS drug, c.id AS drug_class, c.label AS class_label, c.class_source AS class_source,
       c.class_type AS class_type, r.source AS source, r.source_version AS source_version""",
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
"""Named read queries, in Cypher with the marks of :func:`kg.queries.dialect.spell` (read them
through :func:`graph_read_text`)."""

NEO4J_PACKED: dict[str, str] = {
    "phenotype_terms": """
MATCH (p:PhenotypicFeature) WHERE p.id STARTS WITH $prefix
RETURN collect([p.id, p.label, p.alt_ids, p.synonyms]) AS rows""",
    "phenotype_parents": """
MATCH (a:PhenotypicFeature)-[:SUBCLASS_OF]->(b:PhenotypicFeature)
WHERE a.id STARTS WITH $prefix AND b.id STARTS WITH $prefix
RETURN collect([a.id, b.id]) AS rows""",
    "phenotype_annotations": """
MATCH (d:Disease)-[r:HAS_PHENOTYPE]->(p:PhenotypicFeature) WHERE p.id STARTS WITH $prefix
WITH d, collect([d.id, p.id, r.frequency, r.frequency_label, r.negated, r.onset,
                 r.source, r.source_version, r.evidence]) AS rows
RETURN rows""",
    "diseases": """
MATCH (d:Disease) RETURN collect([d.id, d.label, d.synonyms, d.alt_ids]) AS rows""",
}
"""The large reads on Neo4j, packed: each record's one column ``rows`` is a list of the read's
rows (the columns of :data:`GRAPH_READS` in order; one record per disease for the
annotations, one record for the others). Neo4j's Python driver spends about 25 us on each
record, more than on its values: one record per row made reading the full graph's 254,000
phenotype annotations take 8 s, packed it takes 3 s. The reader unpacks them
(:func:`reasoning.store_reads.read`). LadybugDB reads rows faster than packed lists."""

LIST_SEPARATOR = "\x1f"
"""Joins the values of a list column in the SPARQL reads (``GROUP_CONCAT``: :func:`joined`); see
:data:`LIST_COLUMNS`."""


def joined(var: str, column: str) -> str:
    """The SPARQL aggregate that joins the values of ``?var`` by :data:`LIST_SEPARATOR` as ``?column``
    (the separator written as a SPARQL escape).

    Example:
        >>> joined("syn", "synonyms")
        '(GROUP_CONCAT(?syn; separator="\\\\u001f") AS ?synonyms)'
    """
    return f'(GROUP_CONCAT(?{var}; separator="\\u{ord(LIST_SEPARATOR):04x}") AS ?{column})'


LIST_COLUMNS: dict[str, tuple[int, ...]] = {"phenotype_terms": (2, 3), "obsolete_terms": (2,), "diseases": (2, 3),
                                        "drugs": (2,)}
"""Per read, the positions of its list columns: lists in Cypher, :data:`LIST_SEPARATOR`-joined
text in SPARQL (split again by the reader, each list sorted)."""

_SOURCE = """
  OPTIONAL { ?src rdfs:label ?source }
  OPTIONAL { ?src medkg:version ?source_version }"""
"""A statement's source and version (in RDF a statement's version is its source's). Oxigraph
plans a required pattern that follows an ``OPTIONAL`` as a scan joined afterwards (minutes on
the full graph), so every read states its required patterns first."""


def _pattern(subject: str, predicate: str, value: str) -> str:
    """One triple pattern as its own subquery, ``{ SELECT ?s ?v WHERE { ?s P ?v } }``.

    Oxigraph joins patterns of one group by looking each row's next pattern up in the store
    (a point read per row: 46 s for the 254,000 phenotype annotations of the full graph), but
    joins subqueries by hashing one side's rows (8 s); the rows are the same. For the reads
    that touch most of the graph; a read of a few thousand statements is faster looked up.

    Example:
        >>> _pattern("a", "medkg:object", "o")
        '{ SELECT ?a ?o WHERE { ?a medkg:object ?o } }'
        >>> _pattern("a", "a", "medkg:Disease")
        '{ SELECT ?a WHERE { ?a a medkg:Disease } }'
    """
    if ":" in value:  # a constant (a class, a predicate): only the subject is bound
        return f"{{ SELECT ?{subject} WHERE {{ ?{subject} {predicate} {value} }} }}"
    return f"{{ SELECT ?{subject} ?{value} WHERE {{ ?{subject} {predicate} ?{value} }} }}"


def _optional(subject: str, predicate: str, value: str) -> str:
    """``OPTIONAL`` :func:`_pattern` (joined by hashing too)."""
    return f"OPTIONAL {_pattern(subject, predicate, value)}"


_HASHED_SOURCE = f"""
  {_optional("src", "rdfs:label", "source")}
  {_optional("src", "medkg:version", "source_version")}"""
""":data:`_SOURCE` as subqueries (:func:`_pattern`)."""

GRAPH_READS_SPARQL: dict[str, str] = {
    "phenotype_terms": f"""
SELECT $prefix ?id ?label {joined("alt", "alt_ids")}
       {joined("syn", "synonyms")} WHERE {{
  {_pattern("p", "a", "medkg:PhenotypicFeature")}
  {_pattern("p", "medkg:id", "id")}
  FILTER (STRSTARTS(?id, $prefix))
  {_optional("p", "rdfs:label", "label")}
  {_optional("p", "medkg:alt_id", "alt")}
  {_optional("p", "medkg:synonym", "syn")}
}} GROUP BY $prefix ?id ?label""",
    "obsolete_terms": """
SELECT $prefix ?id ?label """ + joined("c", "consider") + """ WHERE {
  ?o a medkg:ObsoleteTerm ; medkg:id ?id .
  FILTER (STRSTARTS(?id, $prefix))
  OPTIONAL { ?o rdfs:label ?label }
  OPTIONAL { ?o medkg:consider ?c }
} GROUP BY $prefix ?id ?label""",
    "phenotype_parents": f"""
SELECT $prefix ?child ?parent WHERE {{
  {_pattern("a", "medkg:subclass_of", "b")}
  {_pattern("a", "a", "medkg:PhenotypicFeature")}
  {_pattern("a", "medkg:id", "child")}
  FILTER (STRSTARTS(?child, $prefix))
  {_pattern("b", "a", "medkg:PhenotypicFeature")}
  {_pattern("b", "medkg:id", "parent")}
  FILTER (STRSTARTS(?parent, $prefix))
}}""",
    "phenotype_annotations": f"""
SELECT $prefix ?disease ?phenotype ?frequency ?frequency_label ?negated ?onset ?source ?source_version
       ?evidence WHERE {{
  {_pattern("a", "medkg:predicate", "medkg:has_phenotype")}
  {_pattern("a", "medkg:object", "o")}
  {_pattern("a", "medkg:subject", "s")}
  {_pattern("a", "medkg:source", "src")}
  {_pattern("o", "a", "medkg:PhenotypicFeature")}
  {_pattern("o", "medkg:id", "phenotype")}
  FILTER (STRSTARTS(?phenotype, $prefix))
  {_pattern("s", "a", "medkg:Disease")}
  {_pattern("s", "medkg:id", "disease")}
  OPTIONAL {{ SELECT ?a (true AS ?negation) WHERE {{ ?a medkg:negated true }} }}
  BIND (BOUND(?negation) AS ?negated){_HASHED_SOURCE}
  {_optional("a", "medkg:frequency", "frequency")}
  {_optional("a", "medkg:frequency_label", "frequency_label")}
  {_optional("a", "medkg:onset", "onset")}
  {_optional("a", "medkg:evidence", "evidence")}
}}""",
    "diseases": f"""
SELECT ?id ?label {joined("syn", "synonyms")} {joined("alt", "alt_ids")} WHERE {{
  {_pattern("d", "a", "medkg:Disease")}
  {_pattern("d", "medkg:id", "id")}
  {_optional("d", "rdfs:label", "label")}
  {_optional("d", "medkg:synonym", "syn")}
  {_optional("d", "medkg:alt_id", "alt")}
}} GROUP BY ?id ?label""",
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
SELECT ?id ?label """ + joined("syn", "synonyms") + """ WHERE {
  ?g a medkg:Drug ; medkg:id ?id .
  OPTIONAL { ?g rdfs:label ?label }
  OPTIONAL { ?g medkg:synonym ?syn }
} GROUP BY ?id ?label""",
    "drug_classes": f"""
SELECT ?drug ?drug_class ?class_label ?class_source ?class_type ?source ?source_version WHERE {{
  ?a medkg:predicate medkg:in_class ; medkg:subject ?s ; medkg:object ?o ; medkg:source ?src .
  ?s medkg:id ?drug .
  ?o medkg:id ?drug_class .
  FILTER EXISTS {{ ?s a medkg:Drug }}
  FILTER EXISTS {{ ?o a medkg:DrugClass }}{_SOURCE}
  OPTIONAL {{ ?o rdfs:label ?class_label }}
  OPTIONAL {{ ?o medkg:class_source ?class_source }}
  OPTIONAL {{ ?o medkg:class_type ?class_type }}
}}""",
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


def graph_read_packed(name: str, engine: str) -> bool:
    """Whether read ``name``'s text for ``engine`` returns packed rows (:data:`NEO4J_PACKED`).

    Example:
        >>> graph_read_packed("phenotype_annotations", "neo4j"), graph_read_packed("phenotype_annotations", "ladybug")
        (True, False)
    """
    return engine == "neo4j" and name in NEO4J_PACKED


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
    if graph_read_packed(name, engine):
        return NEO4J_PACKED[name]
    return spell(GRAPH_READS[name], engine)
