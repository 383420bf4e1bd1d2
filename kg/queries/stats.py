"""Counts for ``medkg stats``: nodes and statements by type and by source.

Example:
    >>> sorted(STATS)
    ['nodes_by_type_and_source', 'statements_by_type_and_source']
"""

from __future__ import annotations

from kg.queries.analyst import Question

STATS: dict[str, Question] = {
    "nodes_by_type_and_source": Question(
        "nodes_by_type_and_source",
        "Nodes by type and asserting source",
        """
MATCH (n) WHERE node_type(n) <> 'Source' UNWIND n.sources AS source
RETURN node_type(n) AS type, source, count(*) AS count ORDER BY type, source""",
        """
SELECT ?type ?source ?count WHERE {
  ?c a medkg:NodeCount ; medkg:counted_source ?src ; medkg:counted ?cls ; medkg:count ?count .
  ?src rdfs:label ?source .
  BIND (STRAFTER(STR(?cls), STR(medkg:)) AS ?type)
} ORDER BY ?type ?source""",
        {},
    ),
    "statements_by_type_and_source": Question(
        "statements_by_type_and_source",
        "Statements by relation and source",
        """
MATCH ()-[r]->() RETURN rel_type(r) AS type, r.source AS source, count(*) AS count
ORDER BY type, source""",
        """
SELECT ?type ?source ?count WHERE {
  ?c a medkg:StatementCount ; medkg:counted_source ?src ; medkg:counted ?pred ; medkg:count ?count .
  ?src rdfs:label ?source .
  BIND (UCASE(STRAFTER(STR(?pred), STR(medkg:))) AS ?type)
} ORDER BY ?type ?source""",
        {},
    ),
}
"""The stats queries, in the same form as the analyst questions."""
