"""Forms of an HPO name that text uses and HPO does not list, which the dictionary
derives from the name itself (:func:`kg.extraction.dictionary._variants`), and
synonyms it leaves out."""

from __future__ import annotations

import pytest

from kg.extraction import Recognizer

BIRTH = [
    ("HP:0001319", "phenotype", "Neonatal hypotonia", ["Congenital hypotonia"]),
    ("HP:0001252", "phenotype", "Hypotonia", []),
    ("HP:0000519", "phenotype", "Congenital cataract", []),
    ("HP:0000518", "phenotype", "Cataract", []),
]


def spans(rec: Recognizer, text: str) -> set[tuple[str, str]]:
    return {(m.text, m.id) for m in rec.extract(text).entities}


@pytest.mark.parametrize(("text", "expected"), [
    ("The child was hypotonic at birth.", ("hypotonic at birth", "HP:0001319")),
    ("Hypotonia at birth was recorded in 15/24.", ("Hypotonia at birth", "HP:0001319")),
    ("She has had a cataract from birth.", ("cataract from birth", "HP:0000519")),
])
def test_a_congenital_or_neonatal_finding_said_to_be_there_at_birth(text: str, expected: tuple[str, str]) -> None:
    assert expected in spans(Recognizer.from_concepts(BIRTH), text)
    assert expected in spans(Recognizer.from_concepts(BIRTH, overlap="all"), text)


def test_a_finding_at_another_time_is_no_congenital_finding() -> None:
    rec = Recognizer.from_concepts(BIRTH, overlap="all")
    assert {i for _t, i in spans(rec, "Hypotonia at 6 months; a cataract since 2019.")} == {"HP:0001252", "HP:0000518"}


PLURALS = [
    ("HP:0010605", "phenotype", "Chalazion", []),
    ("HP:0002253", "phenotype", "Colonic diverticulum", []),
    ("HP:0002040", "phenotype", "Esophageal varix", []),
    ("HP:0001003", "phenotype", "Multiple lentigo", []),
    ("HP:0001054", "phenotype", "Numerous nevi", ["Basal cell nevus"]),
    ("HP:0000003", "phenotype", "Thrombus", []),
    ("UMLS:C0001", "phenotype", "Thrombi", []),  # another concept's own name is not taken over
]


@pytest.mark.parametrize(("text", "expected"), [
    ("She had recurrent chalazia.", ("chalazia", "HP:0010605")),
    ("Colonic diverticula on CT.", ("Colonic diverticula", "HP:0002253")),
    ("Bleeding oesophageal varices.", ("oesophageal varices", "HP:0002040")),
    ("Multiple lentigines on the face.", ("Multiple lentigines", "HP:0001003")),
    ("numerous basal cell nevi", ("basal cell nevi", "HP:0001054")),
])
def test_a_latin_or_greek_plural_of_a_name(text: str, expected: tuple[str, str]) -> None:
    assert expected in spans(Recognizer.from_concepts(PLURALS), text)


def test_a_plural_form_that_names_another_concept_stays_that_concept() -> None:
    assert spans(Recognizer.from_concepts(PLURALS), "Thrombi in the left atrium.") == {("Thrombi", "UMLS:C0001")}


PREFIXED = [
    ("HP:0004467", "phenotype", "Preauricular pit", []),
    ("HP:0100259", "phenotype", "Postaxial polydactyly", []),
    ("HP:0007030", "phenotype", "Non-progressive encephalopathy", []),
    ("HP:0001482", "phenotype", "Subcutaneous nodule", []),
    ("HP:0000256", "phenotype", "Hypoplasia", []),
    ("HP:0000098", "phenotype", "Auricular tag", []),  # names that use "auricular", "axial", "skin"
    ("HP:0008936", "phenotype", "Axial hypotonia", []),
    ("HP:0000951", "phenotype", "Abnormality of the skin", []),
]


@pytest.mark.parametrize(("text", "expected"), [
    ("Bilateral pre-auricular pits.", ("pre-auricular pits", "HP:0004467")),
    ("pre auricular pits", ("pre auricular pits", "HP:0004467")),
    ("post-axial polydactyly of both hands", ("post-axial polydactyly", "HP:0100259")),
    ("a nonprogressive encephalopathy", ("nonprogressive encephalopathy", "HP:0007030")),
    ("sub-cutaneous nodules on the arms", ("sub-cutaneous nodules", "HP:0001482")),
])
def test_a_prefix_written_apart_from_its_word_or_joined_to_it(text: str, expected: tuple[str, str]) -> None:
    assert expected in spans(Recognizer.from_concepts(PREFIXED), text)


def test_a_prefix_is_split_off_only_before_a_word_that_names_use() -> None:
    # "plasia" is no word of any name: "hypo-plasia" is no hyphenation the dictionary knows
    assert spans(Recognizer.from_concepts(PREFIXED), "hypo-plasia") == set()


def test_a_synonym_that_names_a_medical_discipline_names_no_finding() -> None:
    rec = Recognizer.from_concepts([("HP:0002664", "phenotype", "Neoplasm", ["Oncology", "Tumor"]),
                                    ("HP:0000708", "phenotype", "Behavioral abnormality", ["Psychiatry"])])
    assert spans(rec, "Seen at the Ocular Oncology Center and by Psychiatry for a tumor.") == {("tumor", "HP:0002664")}
