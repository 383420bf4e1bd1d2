"""Queries that read what the embeddings are computed from (LadybugDB Cypher).

Example:
    >>> "RETURN n.id AS id" in NODE_TEXTS
    True
"""

from __future__ import annotations

from kg.model import CONCEPT_TYPES

_CONCEPTS = ", ".join(f"'{t.value}'" for t in CONCEPT_TYPES)

NODE_TEXTS = f"""
MATCH (n) WHERE label(n) IN [{_CONCEPTS}]
RETURN n.id AS id, label(n) AS type, n.label AS label, n.synonyms AS synonyms,
       n.definition AS definition, n.alt_ids AS alt_ids
ORDER BY id"""
"""Every concept node (:data:`kg.model.CONCEPT_TYPES`: no obsolete term) with the text it is
embedded from and its alternative ids, in id order."""

EDGES = f"""
MATCH (a)-[r]->(b) WHERE label(a) IN [{_CONCEPTS}] AND label(b) IN [{_CONCEPTS}]
  AND (r.negated IS NULL OR NOT r.negated)
RETURN a.id AS subject, b.id AS object, label(r) AS predicate
ORDER BY subject, object, predicate"""
"""Every asserted (not negated) statement between concept nodes (no drug's class membership), in a
stable order."""
