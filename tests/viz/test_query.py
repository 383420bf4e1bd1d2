"""Query results as pictures: triples, whole nodes and relationships, SPARQL CONSTRUCT."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.stores import open_store
from medkg_viz.errors import NothingToDrawError
from medkg_viz.from_rows import UNKNOWN_TYPE, subgraph_from_result
from medkg_viz.model import TYPE_COLOURS
from medkg_viz.render import write


@pytest.fixture(scope="module")
def oxigraph(fixture_kg: Path):  # type: ignore[no-untyped-def]
    with open_store(f"oxigraph:{fixture_kg / 'oxigraph'}") as st:
        yield st


def draw(store, text: str, params: dict | None = None, **kw):  # type: ignore[no-untyped-def]
    return subgraph_from_result(store.query(text, params or {}), store, "q", **kw)


def test_cypher_triples_with_provenance(ladybug) -> None:  # type: ignore[no-untyped-def]
    g = draw(ladybug, """
MATCH (d:Disease {id: $id})-[r:HAS_PHENOTYPE]->(p)
RETURN d.id AS subject, label(r) AS relation, p.id AS object, r.source AS source,
       r.source_version AS source_version, r.frequency AS frequency, r.negated AS negated""",
             {"id": "OMIM:154700"})
    assert len(g.nodes) == 9 and len(g.edges) == 8
    assert g.nodes["OMIM:154700"].type == "Disease" and g.nodes["HP:0001166"].label == "Arachnodactyly"
    e = next(e for e in g.edges if e.object == "HP:0001249")
    assert e.negated and e.statements[0].version == "2025-01-16-fixture"


def test_whole_nodes_get_relation_type_and_direction_from_the_graph(ladybug) -> None:  # type: ignore[no-untyped-def]
    g = draw(ladybug, "MATCH (d:Disease {id: $id})<-[r]-(x:Drug) RETURN d, r, x", {"id": "DOID:14323"})
    triples = {(e.subject, e.relation, e.object) for e in g.edges}
    assert ("DRUGBANK:DB00678", "TREATS", "DOID:14323") in triples
    assert {e.relation for e in g.edges} == {"TREATS", "PALLIATES", "INDICATED_FOR", "NOT_INDICATED_FOR"}
    assert all(g.nodes[e.subject].type == "Drug" for e in g.edges)
    assert all(e.statements and e.statements[0].source == "fixture_drugs" for e in g.edges)


def test_sparql_construct_names_nodes_from_labels(oxigraph) -> None:  # type: ignore[no-untyped-def]
    g = draw(oxigraph, """
CONSTRUCT { ?d medkg:has_phenotype ?p . ?p rdfs:label ?l }
WHERE { ?d medkg:id "OMIM:154700" ; medkg:has_phenotype ?p . ?p rdfs:label ?l }""")
    assert len(g.edges) == 7  # the negated annotation has no direct triple
    assert {e.relation for e in g.edges} == {"has_phenotype"}
    assert g.nodes["HP:0001166"].label == "Arachnodactyly"
    assert g.nodes["HP:0001166"].type == "PhenotypicFeature"
    assert g.nodes["OMIM:154700"].type == "Disease" and g.nodes["OMIM:154700"].label == "Marfan syndrome"
    assert "fixture_hpo" in g.nodes["OMIM:154700"].sources


def test_cap_and_unknown_ids(ladybug) -> None:  # type: ignore[no-untyped-def]
    g = draw(ladybug, "MATCH (a)-[r:SUBCLASS_OF]->(b) RETURN a.id AS subject, label(r) AS relation, b.id AS object",
             max_nodes=5)
    assert len(g.nodes) == 5 and g.notes and g.notes[0].startswith("showing the first 5 of 16 nodes")
    assert all(e.subject in g.nodes and e.object in g.nodes for e in g.edges)
    g = draw(ladybug, "RETURN 'HP:0001166' AS subject, 'LIKES' AS relation, 'HP:7777777' AS object")
    assert g.nodes["HP:7777777"].type == UNKNOWN_TYPE and g.nodes["HP:0001166"].type == "PhenotypicFeature"


def test_results_without_nodes_are_errors(ladybug, oxigraph) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NothingToDrawError, match="returned 1 row"):
        draw(ladybug, "MATCH (d:Disease) RETURN count(d) AS n")
    with pytest.raises(NothingToDrawError, match="the query returned no rows$"):  # not a shape problem
        draw(ladybug, "MATCH (d:Disease {id: 'nothing'})-[r]->(p) RETURN d.id AS subject, label(r) AS relation, "
                      "p.id AS object")
    with pytest.raises(NothingToDrawError, match="the query returned no rows$"):
        draw(ladybug, "MATCH (d:Disease {id: 'nothing'}) RETURN d")
    with pytest.raises(NothingToDrawError):
        draw(oxigraph, "SELECT ?label WHERE { ?d rdfs:label ?label } LIMIT 3")


def test_query_picture_in_the_browser(ladybug, tmp_path, open_page, assert_drawn) -> None:  # type: ignore[no-untyped-def]
    g = draw(ladybug, "MATCH (d:Disease {id: $id})<-[r]-(x:Drug) RETURN d, r, x", {"id": "DOID:14323"})
    page = open_page(write(g, tmp_path / "q.html"))
    assert page.ready and page.errors == []
    assert page.labels is not None and {"Losartan", "Marfan syndrome"} <= set(page.labels)
    assert_drawn(page.graph, [TYPE_COLOURS["Drug"], TYPE_COLOURS["Disease"]])
