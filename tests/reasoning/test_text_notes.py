"""Cases from realistic clinical notes: other vocabularies' findings, allergy lists, wrapped
lines, relatives' ages, age and sex forms, the English hint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reasoning.text_case import case_from_text, drug_context, looks_english
from reasoning.text_demographics import demographics

CONCEPTS = [
    ("HP:0001252", "phenotype", "Hypotonia", []),
    ("HP:0001251", "phenotype", "Ataxia", []),
    ("HP:0002013", "phenotype", "Vomiting", []),
    ("HP:0000989", "phenotype", "Pruritus", ["itching"]),
    ("HP:0001025", "phenotype", "Urticaria", ["hives"]),
    ("HP:0000988", "phenotype", "Skin rash", ["rash"]),
    ("HP:0002018", "phenotype", "Nausea", []),
    ("HP:0100845", "phenotype", "Anaphylactic shock", ["anaphylaxis"]),
    ("HP:0012393", "phenotype", "Allergy", ["allergies"]),
    ("HP:0410323", "phenotype", "Drug allergy", ["drug allergies"]),
    ("UMLS:C0032961", "phenotype", "Pregnancy", []),
    ("MESH:D054160", "phenotype", "Systolic Murmurs", ["systolic murmur"]),
    ("MESH:D012912", "phenotype", "Sneezing", []),
    ("DRUGBANK:DB00318", "drug", "Codeine", []),
    ("DRUGBANK:DB00295", "drug", "Morphine", []),
    ("DRUGBANK:DB00555", "drug", "Lamotrigine", []),
    ("DRUGBANK:DB00564", "drug", "Carbamazepine", []),
]


@pytest.fixture(scope="module")
def rec() -> Any:
    from kg.extraction import Recognizer

    return Recognizer.from_concepts(CONCEPTS)


def test_a_finding_of_another_vocabulary_is_left_out_not_a_drug(rec: Any) -> None:
    c = case_from_text("Hypotonia after an uncomplicated pregnancy. Grade 2/6 systolic murmur, sneezing.", rec)
    assert (c.present, c.drugs, c.allergies, c.conditions) == (["HP:0001252"], [], [], [])
    assert [n.split(",")[0] for n in c.notes] == ["left out UMLS:C0032961", "left out MESH:D054160",
                                                  "left out MESH:D012912"]
    assert all("not an HPO phenotype" in n for n in c.notes) and not c.warnings


def test_a_finding_of_another_vocabulary_does_not_fail_the_cli(medkg: Any, fixture_kg: Path) -> None:
    """The fixture's MESH:D010146 *Pain* was sent to the drugs, and the case failed: 'not a drug'."""
    import json

    r = medkg("diagnose", "--kg", str(fixture_kg), "--format", "json", "--text", "Spider fingers and pain.")
    assert r.returncode == 0, r.stderr
    case = json.loads(r.stdout)["case"]
    assert case["present"] == ["HP:0001166"] and case["drugs"] == []
    assert any(n.startswith("left out MESH:D010146, not an HPO phenotype") for n in case["notes"])


@pytest.mark.parametrize("text,allergies,reactions", [
    ("Ataxia.\nAllergies:\n- Codeine (vomiting)\n- Morphine (itching)\nShe has hypotonia.",
     ["DRUGBANK:DB00318", "DRUGBANK:DB00295"], ["HP:0002013", "HP:0000989"]),
    ("Ataxia.\nALLERGIES: Codeine -> hives. Lamotrigine -> rash.\nShe has hypotonia.",
     ["DRUGBANK:DB00318", "DRUGBANK:DB00555"], ["HP:0001025", "HP:0000988"]),
    ("Ataxia. Allergies:\n1. Codeine: rash\n2. Morphine - nausea, vomiting\n\nHypotonia.",
     ["DRUGBANK:DB00318", "DRUGBANK:DB00295"], ["HP:0000988", "HP:0002018", "HP:0002013"]),
    ("Ataxia. Allergies -\n- Codeine (hives)\nHypotonia.", ["DRUGBANK:DB00318"], ["HP:0001025"]),
])
def test_an_allergy_list_is_all_allergies_and_its_reactions_no_findings(rec: Any, text: str, allergies: list[str],
                                                                         reactions: list[str]) -> None:
    c = case_from_text(text, rec)
    assert (c.present, c.drugs, c.allergies) == (["HP:0001251", "HP:0001252"], [], allergies)
    left = [n.split(",")[0].removeprefix("left out ") for n in c.notes if "part of an allergy statement" in n]
    assert set(reactions) <= set(left) and not c.warnings


def test_a_reaction_after_a_dash_is_no_finding_and_an_unknown_allergen_is_warned(rec: Any) -> None:
    c = case_from_text("Ataxia. Allergies: Penicillin (anaphylaxis), codeine - nausea", rec)
    assert (c.present, c.allergies) == (["HP:0001251"], ["DRUGBANK:DB00318"])
    assert c.warnings == ["the allergen text[19:29] 'Penicillin' of the allergy statement text[8:61] names no drug "
                          "of the graph: no drug allergy recorded for it (for a drug the graph has under another "
                          "name, give it with --allergy)"]
    # the block ends at a line that is no item; an allergy sentence on another line is not one
    c = case_from_text("Allergies:\n- Codeine (vomiting)\nTakes morphine. Ataxia and vomiting.", rec)
    assert (c.present, c.drugs, c.allergies) == (["HP:0001251", "HP:0002013"], ["DRUGBANK:DB00295"],
                                                 ["DRUGBANK:DB00318"])
    c = case_from_text("Ataxia. Allergies: codeine. Lamotrigine 50 mg daily, hives today.", rec)
    assert (c.drugs, c.allergies, c.present) == (["DRUGBANK:DB00555"], ["DRUGBANK:DB00318"],
                                                 ["HP:0001251", "HP:0001025"])


def test_a_dash_heading_is_a_heading(rec: Any) -> None:
    c = case_from_text("Allergies - no known drug allergies. She has ataxia.", rec)
    assert c.present == ["HP:0001251"] and "HP:0012393" not in c.present and not c.warnings
    assert any(n.startswith("left out HP:0012393, part of an allergy statement") for n in c.notes)
    c = case_from_text("Allergies:\n- None\nShe has ataxia.", rec)
    assert c.present == ["HP:0001251"] and not c.warnings


@pytest.mark.parametrize("text,drug", [
    ("Seizures. She stopped taking\natenolol last year.", "atenolol"),
    ("Seizures. Previously treated with\ncarbamazepine.", "carbamazepine"),
    ("Seizures. Previously treated with\nCarbamazepine.", "Carbamazepine"),
    ("Seizures. Carbamazepine was\ndiscontinued in 2019.", "Carbamazepine"),
])
def test_a_past_use_cue_reaches_over_a_wrapped_line(text: str, drug: str) -> None:
    start = text.index(drug)
    assert drug_context(text, start, start + len(drug)) == "past"


@pytest.mark.parametrize("text,drug", [
    ("Seizures. Previously treated with valproate.\nCarbamazepine daily.", "Carbamazepine"),
    ("Previously treated with\n- Carbamazepine", "Carbamazepine"),
    ("Valproate stopped\n\ncarbamazepine started", "carbamazepine"),
])
def test_a_past_use_cue_stops_at_a_sentence_an_item_or_a_blank_line(text: str, drug: str) -> None:
    start = text.index(drug)
    assert drug_context(text, start, start + len(drug)) == "current"


@pytest.mark.parametrize("text,age,sex", [
    ("Ataxia. His older brother, who is now 12 years old, was diagnosed with epilepsy.", None, None),
    ("Ataxia. Mum is 35 years old.", None, None),
    ("Ataxia. Her dad, aged 40 years, is well. The girl is 6 years old.", 6.0, "female"),
    ("FHx: father died of MI aged 52 years. A 9-year-old girl.", 9.0, "female"),
    ("Age: 65\nSex: M\nAtaxia.", 65.0, "male"),
    ("Age: 3 m", None, None),  # months or metres: not read as 3 years
    ("Baby girl, 2 days old, with hypotonia.", round(2 / 365.25, 4), "female"),
    ("Ms Patel (age 29) has ataxia.", 29.0, "female"),
    ("This boy has ataxia. His mother is a healthy woman.", None, "male"),
    ("A girl with ataxia. Her brother is a healthy man.", None, "female"),
    ("Dear Mr Jones, thank you for seeing this girl.", None, "female"),
    ("His father, Mr Patel, is 40 years old. Ataxia.", None, None),
])
def test_relatives_ages_and_the_patients_age_and_sex_forms(text: str, age: float | None, sex: str | None) -> None:
    d = demographics(text)
    assert (d.age_years, d.sex) == (age, sex), d.notes


def test_an_english_note_with_typos_looks_english() -> None:
    assert looks_english("Seizues since age 2, hypotonai, devlopmental delay, microcephally.")
    assert looks_english("Denies chest pain... has palpitations, hypotonai, devlopmental delay.")
    assert looks_english("Hypotonai, sezures, microcephally, ataxai, nystagmus, ptosis.")
    assert not looks_english("Pas de fièvre, hypotonie et convulsions depuis la naissance.")
    assert not looks_english("Kein Fieber, Hypotonie und Krampfanfälle seit der Geburt.")
    assert not looks_english("Судороги с рождения, мышечная гипотония.")


@pytest.mark.parametrize("text", ["Ataxia. Codeine allergy.", "Ataxia; codeine allergies (hives).",
                                  "Ataxia. Known codeine ALLERGY, no other."])
def test_the_allergy_word_after_a_drug_is_no_finding(rec: Any, text: str) -> None:
    c = case_from_text(text, rec)
    assert (c.present, c.allergies) == (["HP:0001251"], ["DRUGBANK:DB00318"])
    assert any(n.startswith("left out HP:0012393, part of an allergy statement") for n in c.notes)
