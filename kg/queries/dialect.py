"""The one place where LadybugDB's and Neo4j's Cypher differ: how a query names a node's label
and a relationship's type.

A Cypher text that both engines run is written once, with two marks that :func:`spell` puts
in each engine's words:

* ``node_type(x)``, the label of node ``x``: LadybugDB's ``label(x)``, Neo4j's ``labels(x)[0]``
  (every node of the graph has one label);
* ``rel_type(x)``, the type of relationship ``x``: LadybugDB's ``label(x)``, Neo4j's ``type(x)``.

Everything else the queries use is spelt alike in both: a label union is ``(n:A|B)``,
``toLower``, ``[r:A|B]``. (Neo4j also runs some reads in another shape, for speed:
:data:`kg.queries.graph_reads.NEO4J_PACKED`.)

Example:
    >>> spell("MATCH (a)-[r]->(b) RETURN node_type(b) AS t, rel_type(r) AS rel", "neo4j")
    'MATCH (a)-[r]->(b) RETURN labels(b)[0] AS t, type(r) AS rel'
    >>> spell("RETURN node_type(n), rel_type(r)", "ladybug")
    'RETURN label(n), label(r)'
    >>> spell("RETURN 1", "oxigraph")
    Traceback (most recent call last):
    ...
    KeyError: "no Cypher dialect for 'oxigraph'; known: ['ladybug', 'neo4j']"
"""

from __future__ import annotations

import re

from kg.model import CONCEPT_TYPES

_SPELLING: dict[str, dict[str, str]] = {
    "ladybug": {"node_type": "label({})", "rel_type": "label({})"},
    "neo4j": {"node_type": "labels({})[0]", "rel_type": "type({})"},
}
"""Per engine, what each mark becomes (``{}``: the mark's variable)."""
_MARK = re.compile(r"\b(node_type|rel_type)\((\w+)\)")

CONCEPT_LABELS = ":" + "|".join(t.value for t in CONCEPT_TYPES)
"""The concept labels (:data:`kg.model.CONCEPT_TYPES`) as a node pattern's label union,
``:Disease|PhenotypicFeature|Drug``: no ``Source``, no obsolete term."""


def spell(text: str, engine: str) -> str:
    """``text`` with its marks (``node_type(x)``, ``rel_type(x)``) in the Cypher of ``engine``
    (``ladybug`` or ``neo4j``).

    Raises:
        KeyError: an engine that speaks no Cypher.
    """
    if engine not in _SPELLING:
        raise KeyError(f"no Cypher dialect for {engine!r}; known: {sorted(_SPELLING)}")
    words = _SPELLING[engine]
    return _MARK.sub(lambda m: words[m.group(1)].format(m.group(2)), text)
