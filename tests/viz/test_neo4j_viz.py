"""Neighbourhood and query pictures read from a real Neo4j 5 server give the
same subgraph as from LadybugDB (the Neo4j dialect of kg/queries/viz.py).

Starts its own server with ``scripts/neo4j/neo4j-server.sh`` (skipped without
java/javac/mvn), or uses ``NEO4J_URI`` — whose database it **wipes**.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.errors import StoreConnectionError
from kg.stores import open_store
from medkg_cli.neo4j_server import missing_tools, running_server
from medkg_viz.from_rows import subgraph_from_result
from medkg_viz.model import Subgraph
from medkg_viz.neighbourhood import neighbourhood

pytestmark = pytest.mark.neo4j
PASSWORD = "medkg-viz-test-pw"


@pytest.fixture(scope="module")
def neo4j(tmp_path_factory: pytest.TempPathFactory, fixture_kg: Path) -> Iterator[Any]:
    """A Neo4j store holding the fixture graph."""
    pytest.importorskip("neo4j", reason="the neo4j Python driver is not installed (pip install 'medkg[neo4j]')")
    if os.environ.get("NEO4J_URI"):
        uri, user, pw = os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD")
        with open_store(uri, read_only=False, user=user, password=pw) as st:
            st.query("MATCH (n) DETACH DELETE n", write=True)
            st.push_bundle(fixture_kg)  # type: ignore[attr-defined]
            yield st
        return
    missing = missing_tools()
    if missing:
        pytest.skip(f"no NEO4J_URI and the Neo4j launcher needs a JDK 17+ and Maven; missing: {', '.join(missing)}")
    try:
        with running_server(tmp_path_factory.mktemp("neo4j-viz"), PASSWORD) as uri:
            with open_store(uri, read_only=False, user="neo4j", password=PASSWORD) as st:
                st.push_bundle(fixture_kg)  # type: ignore[attr-defined]
                yield st
    except StoreConnectionError as e:
        pytest.fail(str(e))


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
    assert {e.relation for e in g.edges} == {"TREATS", "PALLIATES", "NOT_INDICATED_FOR"}
    assert all(g.nodes[e.subject].type == "Drug" for e in g.edges)
