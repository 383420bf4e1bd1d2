"""Neighbourhood subgraphs on the fixture graph: contents, provenance, caps, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InvalidCurieError
from kg.stores import open_store
from medkg_viz.errors import NodeNotFoundError, NothingToDrawError, VisualisationError
from medkg_viz.neighbourhood import neighbourhood, parse_relations, parse_types


def test_one_hop_of_a_disease_has_its_phenotypes_with_provenance(ladybug) -> None:  # type: ignore[no-untyped-def]
    g = neighbourhood(ladybug, "omim:154700")
    assert g.nodes["OMIM:154700"].emphasis and g.nodes["OMIM:154700"].type == "Disease"
    phen = {i for i, n in g.nodes.items() if n.type == "PhenotypicFeature"}
    assert phen == {"HP:0001166", "HP:0001083", "HP:0002616", "HP:0000545", "HP:0001519",
                    "HP:0001653", "HP:0001382", "HP:0001249"}
    assert "DOID:14323" in g.nodes  # the DO xref
    assert g.notes == []  # nothing left out
    edges = {(e.subject, e.relation, e.object): e for e in g.edges}
    arach = edges[("OMIM:154700", "HAS_PHENOTYPE", "HP:0001166")]
    assert arach.weight == pytest.approx(0.895)
    st = arach.statements[0]
    assert (st.source, st.version, st.frequency_label) == ("fixture_hpo", "2025-01-16-fixture", "HP:0040281")
    assert "fixture_hpo 2025-01-16-fixture: frequency 0.895 (HP:0040281)" in arach.tooltip()
    negated = edges[("OMIM:154700", "HAS_PHENOTYPE", "HP:0001249")]
    assert negated.negated and negated.label == "NOT has phenotype"
    xref = edges[("DOID:14323", "XREF", "OMIM:154700")]
    assert xref.statements[0].source == "fixture_drugs"


def test_two_hops_and_type_filter(ladybug) -> None:  # type: ignore[no-untyped-def]
    g = neighbourhood(ladybug, "HP:0001166", hops=2, types=["Disease"], max_nodes=100)
    types = {n.type for i, n in g.nodes.items() if i != "HP:0001166"}
    assert types == {"Disease"}
    # hop 1: the four diseases with arachnodactyly; hop 2: their xref partner DOID:14323
    assert {"OMIM:154700", "ORPHA:558", "OMIM:130000", "OMIM:609192", "DOID:14323"} <= set(g.nodes)
    # every edge drawn joins two drawn nodes
    assert all(e.subject in g.nodes and e.object in g.nodes for e in g.edges)


def test_cap_keeps_strongest_links_and_notes_the_rest(ladybug) -> None:  # type: ignore[no-untyped-def]
    g = neighbourhood(ladybug, "HP:0001166", max_nodes=3)
    assert len(g.nodes) == 3
    # frequency 0.895 links (Marfan OMIM and ORPHA) beat 0.545 (Loeys-Dietz) and 0.025 (EDS)
    assert set(g.nodes) == {"HP:0001166", "OMIM:154700", "ORPHA:558"}
    assert len(g.notes) == 1
    # the five: four diseases and the parent term HP:0001167
    assert g.notes[0].startswith("hop 1: showing 2 of 5 neighbours; left out 2 Disease, 1 PhenotypicFeature;")


def test_two_hops_share_the_room_and_rank_by_links(ladybug) -> None:  # type: ignore[no-untyped-def]
    g = neighbourhood(ladybug, "HP:0001166", hops=2, max_nodes=8)
    # hop 1 gets half the room (3): the three diseases with the most frequent link
    hop1 = {"OMIM:154700", "ORPHA:558", "OMIM:609192"}
    # hop 2: aortic root aneurysm is shared by all three, the others by two
    hop2 = {"HP:0002616", "HP:0001083", "HP:0000545", "HP:0001382"}
    assert set(g.nodes) == {"HP:0001166"} | hop1 | hop2
    assert g.notes[0].startswith("hop 1: showing 3 of 5 neighbours; left out 1 Disease, 1 PhenotypicFeature;")
    assert g.notes[1].startswith("hop 2: showing 4 of 8 neighbours; left out 3 PhenotypicFeature, 1 Disease;")


def test_two_hops_give_unused_room_back_to_hop_one(ladybug) -> None:  # type: ignore[no-untyped-def]
    g = neighbourhood(ladybug, "HP:0001166", hops=2, types=["Disease"], max_nodes=7)
    # hop 2 (diseases only) has just DOID:14323, so hop 1 gets all four diseases back
    assert set(g.nodes) == {"HP:0001166", "OMIM:154700", "ORPHA:558", "OMIM:609192", "OMIM:130000", "DOID:14323"}
    assert g.notes == []


def test_relation_filter(ladybug) -> None:  # type: ignore[no-untyped-def]
    g = neighbourhood(ladybug, "HP:0001166", relations=["SUBCLASS_OF"])
    assert set(g.nodes) == {"HP:0001166", "HP:0001167"}
    assert [(e.relation, e.label) for e in g.edges] == [("SUBCLASS_OF", "subclass of")]


def test_unknown_id_and_empty_neighbourhood_are_errors(ladybug) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NodeNotFoundError, match="no node OMIM:999999"):
        neighbourhood(ladybug, "OMIM:999999")
    with pytest.raises(InvalidCurieError):
        neighbourhood(ladybug, "'); MATCH (n) DETACH DELETE n; //")
    with pytest.raises(NothingToDrawError, match="has no neighbours of type Drug"):
        neighbourhood(ladybug, "HP:0001249", types=["Drug"])
    with pytest.raises(VisualisationError, match="--hops must be 1 or 2"):
        neighbourhood(ladybug, "HP:0001166", hops=3)


def test_sparql_store_is_refused(fixture_kg: Path) -> None:
    with open_store(f"oxigraph:{fixture_kg / 'oxigraph'}") as st, pytest.raises(VisualisationError, match="Cypher store"):
        neighbourhood(st, "HP:0001166")


def test_option_parsing() -> None:
    assert parse_types(["phenotype", "drug,disease"]) == ["PhenotypicFeature", "Drug", "Disease"]
    assert parse_relations(["treats", "TREATS"]) == ["TREATS"]
