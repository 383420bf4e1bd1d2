"""Bulk reads of the graph for in-memory engines (the diagnosis index).

Plain Cypher that LadybugDB and Neo4j both run; parameters are bound.

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
}
"""Named read queries (LadybugDB dialect; Neo4j uses :data:`NEO4J_DIALECT` where it differs)."""

NEO4J_DIALECT: dict[str, str] = {
    "disease_drugs": GRAPH_READS["disease_drugs"].replace("label(r)", "type(r)"),
}
