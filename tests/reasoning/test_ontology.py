"""The phenotype ontology as the ranker holds it."""

from __future__ import annotations

from reasoning.ontology import PhenotypeOntology

TERMS = [("HP:3", "c", None, None), ("HP:1", "a", ["HP:9"], None), ("HP:2", "b", None, None)]
EDGES = [("HP:3", "HP:2"), ("HP:2", "HP:1"), ("HP:3", "HP:1")]


def test_term_numbers_do_not_follow_row_order() -> None:
    # a store returns rows in no fixed order; term numbers (which break ties in the evidence) must not change
    a = PhenotypeOntology.from_rows(TERMS, EDGES)
    b = PhenotypeOntology.from_rows(list(reversed(TERMS)), list(reversed(EDGES)))
    assert a.ids == b.ids == ["HP:1", "HP:2", "HP:3"]
    assert [x.tolist() for x in a.ancestors] == [x.tolist() for x in b.ancestors] == [[0], [0, 1], [0, 1, 2]]
    assert a.parents == b.parents and a.current("HP:9") == "HP:1"
