"""An adjective that names a finding (``ataxic`` for *Ataxia*) names it said of the
patient or before a noun that adds nothing to it, not before a noun it only modifies."""

from __future__ import annotations

import pytest

from kg.extraction import Recognizer

CONCEPTS = [
    ("HP:0001251", "phenotype", "Ataxia", []),
    ("HP:0002987", "phenotype", "Myotonia", []),
    ("HP:0000709", "phenotype", "Psychosis", []),
    ("OMIM:160900", "disease", "Myotonic dystrophy 1", ["Myotonic dystrophy"]),
]


def found(text: str, overlap: str = "longest") -> set[tuple[str, str, str]]:
    rec = Recognizer.from_concepts(CONCEPTS, overlap=overlap)  # type: ignore[arg-type]
    return {(m.text, m.id, m.assertion) for m in rec.extract(text).entities}


@pytest.mark.parametrize(("text", "expected"), [
    ("Severe ataxic movements.", {("ataxic movements", "HP:0001251", "present")}),
    ("Psychotic symptoms since May.", {("Psychotic symptoms", "HP:0000709", "present")}),
    ("No ataxic features.", {("ataxic features", "HP:0001251", "absent")}),
])
def test_an_adjective_before_a_light_noun_names_the_finding(text: str, expected: set[tuple[str, str, str]]) -> None:
    assert found(text) == expected


def test_with_nested_matches_the_adjective_and_the_phrase_are_both_kept() -> None:
    assert found("Severe ataxic movements.", "all") == {
        ("ataxic", "HP:0001251", "present"), ("ataxic movements", "HP:0001251", "present")}


def test_an_adjective_that_modifies_another_noun_names_no_finding() -> None:
    assert found("Myotonic dystrophy, ataxic gait") == {("Myotonic dystrophy", "OMIM:160900", "present")}
    assert found("He was ataxic.") == {("ataxic", "HP:0001251", "present")}


DERIVED = [
    ("HP:0000089", "phenotype", "Renal hypoplasia", []),
    ("HP:0000252", "phenotype", "Microcephaly", []),
    ("HP:0001336", "phenotype", "Myoclonus", []),
    ("HP:0003202", "phenotype", "Skeletal muscle atrophy", []),
]


@pytest.mark.parametrize(("text", "expected"), [
    ("Both kidneys were small and hypoplastic kidneys were seen on MRI.", ("hypoplastic kidneys", "HP:0000089")),
    ("At 2 years he was microcephalic.", ("microcephalic", "HP:0000252")),
    ("Myoclonic jerks were seen; she is myoclonic.", ("myoclonic", "HP:0001336")),
    ("atrophic skeletal muscles", ("atrophic skeletal muscles", "HP:0003202")),
])
def test_an_ic_adjective_whose_noun_does_not_end_in_ia(text: str, expected: tuple[str, str]) -> None:
    rec = Recognizer.from_concepts(DERIVED)
    assert expected in {(m.text, m.id) for m in rec.extract(text).entities}
