"""Assertion status: negation, uncertainty, family history, scope ends."""

from __future__ import annotations

import pytest

from kg.extraction import ConText, Recognizer

CONCEPTS = [
    ("HP:0001945", "phenotype", "Fever", []),
    ("HP:0012735", "phenotype", "Cough", []),
    ("HP:0002321", "phenotype", "Vertigo", ["Dizziness"]),
    ("HP:0002090", "phenotype", "Pneumonia", []),
    ("DOID:1612", "disease", "Breast cancer", []),
    ("DOID:399", "disease", "Tuberculosis", []),
    ("DOID:9352", "disease", "Type 2 diabetes mellitus", ["Type 2 diabetes"]),
    ("HP:0001250", "phenotype", "Seizure", []),
    ("HP:0000252", "phenotype", "Microcephaly", []),
    ("HP:0000365", "phenotype", "Hearing impairment", ["Deafness"]),
    ("HP:0000175", "phenotype", "Cleft palate", []),
]


@pytest.fixture(scope="module")
def rec() -> Recognizer:
    return Recognizer.from_concepts(CONCEPTS, relations=None)


CASES = [
    ("The patient denies fever.", {"fever": "absent"}),
    ("No fever, cough or dizziness.", {"fever": "absent", "cough": "absent", "dizziness": "absent"}),
    ("Negative for fever; reports cough.", {"fever": "absent", "cough": "present"}),
    ("No fever but cough for 3 days.", {"fever": "absent", "cough": "present"}),
    ("Without fever. Cough since Monday.", {"fever": "absent", "cough": "present"}),
    ("Tuberculosis was ruled out.", {"tuberculosis": "absent"}),
    ("Blood cultures for tuberculosis were negative.", {"tuberculosis": "absent"}),
    ("Possible pneumonia.", {"pneumonia": "possible"}),
    ("Rule out tuberculosis.", {"tuberculosis": "possible"}),
    ("Pneumonia is suspected.", {"pneumonia": "possible"}),
    ("Pneumonia cannot be ruled out.", {"pneumonia": "possible"}),
    ("Her mother had breast cancer.", {"breast cancer": "family"}),
    ("Family history of type 2 diabetes.", {"type 2 diabetes": "family"}),
    ("No family history of breast cancer.", {"breast cancer": "absent"}),
    ("Fever; her mother had breast cancer.", {"fever": "present", "breast cancer": "family"}),
    ("No increase in fever.", {"fever": "present"}),  # pseudo-negation
    ("Fever and cough.", {"fever": "present", "cough": "present"}),
    ("No fever, possible pneumonia.", {"fever": "absent", "pneumonia": "possible"}),
    # a scope crosses a separator only into a list of findings
    ("No fever, cough or severe dizziness.", {"fever": "absent", "cough": "absent", "dizziness": "absent"}),
    ("Fewer or no seizures, a lower incidence of microcephaly.", {"seizures": "absent", "microcephaly": "present"}),
    ("They should not be confused, both can be associated with deafness.", {"deafness": "present"}),
    ("Did not have fever and had cough.", {"fever": "absent", "cough": "present"}),
    ("No cleft palate and deafness.", {"cleft palate": "absent", "deafness": "absent"}),
    ("Negative for fever and vertigo, positive for cough.", {"fever": "absent", "vertigo": "absent", "cough": "present"}),
    # a relative coordinated with the patient
    ("This patient and his younger brother had deafness and cleft palate.",
     {"deafness": "present", "cleft palate": "present"}),
    ("His younger brother had deafness.", {"deafness": "family"}),
    # relatives named as a pair without a possessive are the people reported on
    ("A father and son are described with deafness.", {"deafness": "present"}),
    ("Both siblings and their mother also showed deafness.", {"deafness": "present"}),
    ("Her mother and sister had breast cancer.", {"breast cancer": "family"}),
    ("The patient's father and brother had deafness.", {"deafness": "family"}),
    # answers of list and question templates
    ("Seizures: none.", {"seizures": "absent"}),
    ("Fever, cough: negative; vertigo: present.", {"fever": "absent", "cough": "absent", "vertigo": "present"}),
    ("Fever? No.", {"fever": "absent"}),
    ("Pneumonia? Possibly.", {"pneumonia": "possible"}),
    ("Seizures? Probably.\nCough: yes.", {"seizures": "possible", "cough": "present"}),
    ("Labs: negative for tuberculosis.", {"tuberculosis": "absent"}),  # a forward trigger, not an answer
    ("Findings: no fever but cough.", {"fever": "absent", "cough": "present"}),
    ("Seizures? Possibly a febrile one.", {"seizures": "present"}),  # not a one-word reply
    # a finding that went away was had: present (the model has no historical status)
    ("Seizures resolved.", {"seizures": "present"}),
    ("The fever has resolved.", {"fever": "present"}),
    ("Resolution of fever.", {"fever": "present"}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_assertions(rec: Recognizer, text: str, expected: dict[str, str]) -> None:
    got = {m.text.lower(): m.assertion for m in rec.extract(text).entities}
    assert got == expected


def test_family_scope_is_short() -> None:
    s = "We studied a family with two affected members, and the proband had fever at 3 years of age."
    ctx = ConText()
    assert ctx.assertion(s, s.index("fever"), s.index("fever") + 5) == "present"


def test_custom_rules_replace_the_defaults() -> None:
    from kg.extraction.context import BACKWARD, Rule

    ctx = ConText({"nicht": Rule("absent", BACKWARD)})
    s = "Fieber nicht"
    assert ctx.assertion(s, 0, 6) == "absent"
    assert ctx.assertion("No fever", 3, 8) == "present"


def test_trigger_words_inside_a_finding_name_are_not_triggers() -> None:
    rec = Recognizer.from_concepts([("HP:0002083", "phenotype", "Migraine without aura", []),
                                    ("HP:0002321", "phenotype", "Vertigo", [])], relations=None)
    got = [(m.text, m.assertion) for m in rec.extract("Migraine without aura and vertigo.").entities]
    assert got == [("Migraine without aura", "present"), ("vertigo", "present")]
