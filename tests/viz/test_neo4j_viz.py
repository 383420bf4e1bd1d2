"""Neighbourhood and query pictures read from a real Neo4j 5 server give the
same subgraph as from LadybugDB (the Neo4j dialect of kg/queries/viz.py).

Uses the session's server (``neo4j_server`` in ``tests/conftest.py``), or
``NEO4J_URI`` — whose database it **wipes**.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.stores import open_store
from medkg_viz.from_rows import subgraph_from_result
from medkg_viz.model import Subgraph
from medkg_viz.neighbourhood import neighbourhood

pytestmark = pytest.mark.neo4j
@pytest.fixture(scope="module")
def neo4j(neo4j_server: dict[str, Any], fixture_kg: Path) -> Iterator[Any]:
    """The session's Neo4j server (wiped) holding the fixture graph."""
    with open_store(neo4j_server["uri"], read_only=False, user=neo4j_server["user"],
                    password=neo4j_server["password"]) as st:
        st.query("MATCH (n) DETACH DELETE n", write=True)
        st.push_bundle(fixture_kg)  # type: ignore[attr-defined]
        yield st


def _shape(g: Subgraph) -> tuple[Any, ...]:
    nodes = sorted((n.id, n.type, n.label, tuple(sorted(n.sources))) for n in g.nodes.values())
    edges = sorted(
        (e.subject, e.relation, e.object, tuple(sorted((s.source, s.version, s.frequency, s.negated) for s in e.statements)))
        for e in g.edges
    )
    return nodes, edges, g.notes


def test_neighbourhood_same_on_neo4j_and_ladybug(neo4j: Any, fixture_kg: Path) -> None:
    with open_store(f"ladybug:{fixture_kg / 'ladybug.lbug'}") as lb:
        for centre, hops, cap in (("OMIM:154700", 1, 40), ("HP:0001166", 2, 8), ("DOID:14323", 2, 40)):
            assert _shape(neighbourhood(neo4j, centre, hops=hops, max_nodes=cap)) == _shape(
                neighbourhood(lb, centre, hops=hops, max_nodes=cap)
            ), centre


def test_whole_node_query_on_neo4j(neo4j: Any) -> None:
    res = neo4j.query("MATCH (d:Disease {id: $id})<-[r]-(x:Drug) RETURN d, r, x", {"id": "DOID:14323"})
    g = subgraph_from_result(res, neo4j, "q")
    assert {e.relation for e in g.edges} == {"TREATS", "PALLIATES", "INDICATED_FOR", "NOT_INDICATED_FOR"}
    assert all(g.nodes[e.subject].type == "Drug" for e in g.edges)
