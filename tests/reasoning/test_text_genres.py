"""Cases from genres of clinical notes the earlier audits did not cover: allergy lists split by
``;``, SOAP age and sex shorthand, letters that give the age after the name (audit 11)."""

from __future__ import annotations

from typing import Any

import pytest

from reasoning.text_case import case_from_text
from reasoning.text_demographics import demographics
from reasoning.text_measurements import measured_findings

CONCEPTS = [
    ("HP:0001251", "phenotype", "Ataxia", []),
    ("HP:0002013", "phenotype", "Vomiting", []),
    ("HP:0000988", "phenotype", "Skin rash", ["rash"]),
    ("HP:0100665", "phenotype", "Angioedema", []),
    ("HP:0012393", "phenotype", "Allergy", ["allergies"]),
    ("DRUGBANK:DB00318", "drug", "Codeine", []),
    ("DRUGBANK:DB00295", "drug", "Morphine", []),
    ("HP:0000252", "phenotype", "Microcephaly", []),
    ("HP:0000256", "phenotype", "Macrocephaly", []),
    ("HP:0004322", "phenotype", "Short stature", []),
    ("HP:0000098", "phenotype", "Tall stature", []),
    ("HP:0001250", "phenotype", "Seizure", ["seizures"]),
    ("HP:0001643", "phenotype", "Patent ductus arteriosus", ["PDA"]),
    ("HP:0001252", "phenotype", "Hypotonia", []),
    ("DRUGBANK:DB01050", "drug", "Ibuprofen", []),
    ("DRUGBANK:DB01174", "drug", "Phenobarbital", []),
    ("DRUGBANK:DB01202", "drug", "Levetiracetam", []),
    ("DRUGBANK:DB00668", "drug", "Epinephrine", ["EpiPen"]),
]


@pytest.fixture(scope="module")
def rec() -> Any:
    from kg.extraction import Recognizer

    return Recognizer.from_concepts(CONCEPTS)


@pytest.mark.parametrize("text", [
    "He has ataxia. Allergies: codeine (rash); morphine (vomiting).",
    "He has ataxia. Allergies: codeine - rash; morphine - vomiting.",
    "He has ataxia.\nALLERGIES: codeine -> rash; morphine -> vomiting",
])
def test_an_allergy_list_goes_on_over_a_semicolon(rec: Any, text: str) -> None:
    c = case_from_text(text, rec)
    assert (c.present, c.drugs, c.allergies) == (["HP:0001251"], [], ["DRUGBANK:DB00318", "DRUGBANK:DB00295"])


def test_a_semicolon_list_of_unnamed_allergens_keeps_its_reactions_out(rec: Any) -> None:
    c = case_from_text("Allergies: sulfa drugs (rash); ACE inhibitors (angioedema). He has ataxia.", rec)
    assert c.present == ["HP:0001251"] and c.allergies == []
    assert any("names no drug" in w for w in c.warnings)


def test_a_semicolon_before_a_new_statement_still_ends_the_allergy(rec: Any) -> None:
    c = case_from_text("He has ataxia. Allergic to codeine; now on morphine for vomiting.", rec)
    assert (c.drugs, c.allergies, c.present) == (["DRUGBANK:DB00295"], ["DRUGBANK:DB00318"],
                                                 ["HP:0001251", "HP:0002013"])


@pytest.mark.parametrize(("text", "age", "sex"), [
    ("67M, s/p CABG 2015, c/o SOBOE.", 67.0, "male"),
    ("Pt: 34F. 3/12 h/o itchy plaques.", 34.0, "female"),
    ("PC: 24M, collapse at gym. Palpitations.", 24.0, "male"),  # an ED card's presenting complaint
    ("HPI: 67M with h/o COPD.", 67.0, "male"),
    ("S: 14mo F, FTT, GDD.", round(14 / 12, 4), "female"),
    ("S: 8/12 M, parents c/o large head.", round(8 / 12, 4), "male"),
    ("6 m/o F with fever.", 0.5, "female"),
    ("I saw Ethan (7 years) today with his father.", 7.0, None),
    ("Re: Sophie Patel, 6 years\n\nVisual acuity: 6/18.", 6.0, None),
    ("Ms Ahmed (27) reports a malar rash.", 27.0, "female"),
    # the letter's addressee is a colleague: neither the age nor the title is the patient's
    ("Dear Mr Jones (45),\nI saw Lily today. She is 6 years old.", 6.0, None),
    ("Dear Mr Jones (45),\nI saw Lily today.", None, None),
    ("Seizures. His auntie is 45 years old.", None, None),  # a relative's (KIN_EVERYDAY)
    ("Thank you for referring Noah, 15, who collapsed.", 15.0, None),
    ("Child: Leo, 3 years 2 months", 3.0, None),
    ("Day of life 4. Baby boy of Mrs Khan.", round(4 / 365.25, 4), "male"),
    ("Called to see baby (DOL 2) for jitteriness.", round(2 / 365.25, 4), None),
    # audit 12: school-nurse, triage, care-home, health-visitor, ambulance, 111 and parent-letter headers
    ("Pupil: Maisie, Year 4, age 8. Female.", 8.0, "female"),
    ("Arrival 02:14 by ambulance. 34M.\nPC: chest pain.", 34.0, "male"),
    ("Resident: 88F with dementia.", 88.0, "female"),
    ("Toddler: Oliver, 24 months, boy.", 2.0, "male"),
    ("Age: 67, male.", 67.0, "male"),
    ("Caller: father of 18-month-old girl.", 1.5, "female"),
    ("Fourteen-year-old boy with headaches.", 14.0, "male"),
    ("Thank you for coming to see us with your son Aryan (9 years).", 9.0, "male"),
    ("Antenatal booking. 31-year-old G2P1 at 11 weeks.", 31.0, "female"),
    ("Jaundice. His mother, G3P2, is well.", None, None),
    ("FETAL MEDICINE\nMaternal age 36, G3P2. Echogenic bowel.", None, None),
    # a relative word reaches to its sentence's end, not into the next sentence (the baby's); a
    # title's dot ends no sentence
    ("Mother is G3P2. Baby boy, born at 38 weeks by SVD.", None, "male"),
    ("Mum well. A boy with ataxia.", None, "male"),
    ("His father, Mr. Patel, 45 years old, is well.", None, None),
    # still not the patient's: an event's age, a relative's sex word, a relative's child
    ("Seizures since age 3. Walked at age 2.", None, None),
    ("Her mother, female, 40.", None, None),
    ("Her son Tom (9 years) is well.", None, None),
    # not ages: a duration, a weight, a floor
    ("Rash for 3/12. He weighs 5M. Floor 2F.", None, None),
    # a size glued to its French gauge after a label that is not the patient's
    ("Jitteriness. NGT: 8F in situ.", None, None),
    ("Lines:\nUVC: 5F double lumen", None, None),
])
def test_ages_of_soap_notes_and_letters(text: str, age: float | None, sex: str | None) -> None:
    d = demographics(text)
    assert (d.age_years, d.sex, d.warnings) == (age, sex, [])


@pytest.mark.parametrize("text", ["He has ataxia. He has no known drug allergies.", "He has ataxia. No known allergies.",
                                  "He has ataxia. Allergies - no known drug allergies."])
def test_no_known_allergies_is_no_finding(rec: Any, text: str) -> None:
    c = case_from_text(text, rec)
    assert (c.present, c.excluded, c.allergies, c.warnings) == (["HP:0001251"], [], [], [])
    assert any("part of an allergy statement" in n for n in c.notes)


@pytest.mark.parametrize(("text", "present"), [
    ("Growth: OFC < 3rd centile. Height -2.5 SD. Weight on 10th centile.", ["HP:0000252", "HP:0004322"]),
    ("Weight 12.1 kg (2nd centile), height 85 cm (<0.4th centile) and OFC 44 cm (<0.4th centile).",
     ["HP:0004322", "HP:0000252"]),
    ("Length 90 cm (>99.6th centile), head circumference 52 cm (98th centile).", ["HP:0000098", "HP:0000256"]),
    ("Height 98.2 cm (-2.8 SD), OFC 47 cm (-0.5 SD). Mid-parental height -2.5 SD. Ataxia.",
     ["HP:0001251", "HP:0004322"]),
    # within two SD, someone else's, or excluded by the text: not read
    ("OFC 3rd centile, height -1.5 SD. Father: height -2.6 SD. He has ataxia.", ["HP:0001251"]),
    ("Mom's height -2.6 SD. Son's OFC < 3rd centile. He has ataxia.", ["HP:0001251"]),
    ("OFC 44 cm (<0.4th centile) but no microcephaly on review. Ataxia.", ["HP:0001251"]),
])
def test_growth_measurements_are_the_findings_they_define(rec: Any, text: str, present: list[str]) -> None:
    c = case_from_text(text, rec)
    assert c.present == present
    assert all("measurement" in " ".join(c.spans[i]) for i in present if i != "HP:0001251")


@pytest.mark.parametrize(("text", "found"), [
    # an SD score without a sign goes by the words after it; with none it says no direction
    ("Height 2.5 SD below the mean.", ["HP:0004322"]),
    ("OFC 3 SD below mean.", ["HP:0000252"]),
    ("Height 152 cm (2 SD above mean).", ["HP:0000098"]),
    ("OFC 2.5 SD.", []),
    # a comparison bounds the score; a range is no finding
    ("Height > -2 SD.", []),
    ("Height < -2 SD.", ["HP:0004322"]),
    ("Height within \u00b12 SD.", []),
    ("Height between -1 and -2 SD.", []),
    # the length of a body part is not the body's
    ("Palpebral fissure length < 3rd centile.", []),
    ("Philtrum length >97th centile.", []),
    ("Stretched penile length -2.5 SD.", []),
    ("Birth length 2nd centile.", ["HP:0004322"]),
])
def test_growth_measurement_edges(text: str, found: list[str]) -> None:
    assert [t for t, _a, _b in measured_findings(text)] == found


@pytest.mark.parametrize("text", [
    "Seizures. Allergy to\nCodeine.",
    "Seizures. Allergic to\nCodeine.",
    "Seizures. Allergic to:\nCodeine.",
    "Seizures. Allergy to:\nCodeine.",
    "Seizures.\nAllergies \u2013\nCodeine",
])
def test_an_allergy_cue_that_ends_its_line_takes_the_next(rec: Any, text: str) -> None:
    c = case_from_text(text, rec)
    assert (c.present, c.drugs, c.allergies) == (["HP:0001250"], [], ["DRUGBANK:DB00318"])


@pytest.mark.parametrize("bullet", ["\u2013", "\u2014", "\u2023", "\u25e6", "\u2043"])
def test_dash_and_other_bullets_start_allergy_items(rec: Any, bullet: str) -> None:
    c = case_from_text(f"Seizures.\nAllergies:\n{bullet} Codeine \u2013 vomiting\n{bullet} latex \u2013 rash", rec)
    assert (c.present, c.drugs, c.allergies) == (["HP:0001250"], [], ["DRUGBANK:DB00318"])


@pytest.mark.parametrize(("text", "drug"), [
    ("PDA closed with ibuprofen. Hypotonia.", "DRUGBANK:DB01050"),
    ("Hypotonia. Treated with phenobarbital in the neonatal period.", "DRUGBANK:DB01174"),
    ("Hypotonia. Phenobarbital was given.", "DRUGBANK:DB01174"),
    ("Hypotonia. Tried phenobarbital previously.", "DRUGBANK:DB01174"),
    ("Hypotonia. Phenobarbital in the past, no benefit.", "DRUGBANK:DB01174"),
])
def test_a_past_treatment_is_no_current_drug(rec: Any, text: str, drug: str) -> None:
    c = case_from_text(text, rec)
    assert "HP:0001252" in c.present and c.drugs == c.drugs_stopped == [drug]
    assert any(drug in n and "past use" in n for n in c.notes)


@pytest.mark.parametrize("text", ["Seizures controlled with levetiracetam. Hypotonia.",
                                  "Seizures resolved with levetiracetam. Hypotonia.",
                                  "Hypotonia. On levetiracetam (previously phenobarbital)."])
def test_a_drug_that_controls_a_finding_is_current(rec: Any, text: str) -> None:
    c = case_from_text(text, rec)
    assert "DRUGBANK:DB01202" in c.drugs


@pytest.mark.parametrize("text", ["Ataxia. Allergies: nuts (anaphylaxis) - carries EpiPen.",
                                  "Ataxia. Allergies: nuts (carries EpiPen), codeine (rash)."])
def test_a_drug_the_patient_carries_is_no_allergen(rec: Any, text: str) -> None:
    c = case_from_text(text, rec)
    assert c.drugs == ["DRUGBANK:DB00668"]
    assert c.allergies == (["DRUGBANK:DB00318"] if "codeine" in text else [])


@pytest.mark.parametrize("text", ["Ataxia. Stopped: phenobarbital (drowsy), levetiracetam (mood), codeine.",
                                  "Ataxia.\nPrevious AEDs: phenobarbital, levetiracetam.\nCurrent: codeine."])
def test_a_heading_of_past_drugs_covers_its_list(rec: Any, text: str) -> None:
    c = case_from_text(text, rec)
    assert (c.drugs_stopped == ["DRUGBANK:DB01174", "DRUGBANK:DB01202"]) is ("Current" in text)
    assert ("DRUGBANK:DB00318" in c.drugs_stopped) is ("Current" not in text)
    assert all(any(d in n and "past use" in n for n in c.notes) for d in ("DRUGBANK:DB01174", "DRUGBANK:DB01202"))
