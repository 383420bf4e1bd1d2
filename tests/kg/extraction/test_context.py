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
    ("HP:0000365", "phenotype", "Hearing impairment", ["Deafness", "Hearing loss"]),
    ("HP:0002647", "phenotype", "Aortic dissection", []),
    ("HP:0000545", "phenotype", "Myopia", []),
    ("HP:0002107", "phenotype", "Pneumothorax", []),
    ("HP:0000518", "phenotype", "Cataract", []),
    ("DOID:1826", "disease", "Epilepsy", []),
    ("HP:0000175", "phenotype", "Cleft palate", []),
    ("HP:0001252", "phenotype", "Hypotonia", []),
    ("HP:0001251", "phenotype", "Ataxia", []),
    ("HP:0002376", "phenotype", "Developmental regression", []),
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
    # a family history's findings are the family's, negated or not: they say nothing of the patient
    ("No family history of breast cancer.", {"breast cancer": "family"}),
    ("No known family history of aortic dissection, myopia or pneumothorax.",
     {"aortic dissection": "family", "myopia": "family", "pneumothorax": "family"}),
    ("Family history: negative for hearing loss and cataract.", {"hearing loss": "family", "cataract": "family"}),
    ("Family history is negative for deafness, but he has seizures.", {"deafness": "family", "seizures": "present"}),
    ("He has seizures and no family history of epilepsy.", {"seizures": "present", "epilepsy": "family"}),
    ("No family history of deafness, the patient denies fever.", {"deafness": "family", "fever": "absent"}),
    ("Family history of deafness, no seizures.", {"deafness": "family", "seizures": "absent"}),
    ("The family history was unremarkable and the patient had seizures.", {"seizures": "present"}),
    ("His mother had deafness, but he has seizures.", {"deafness": "family", "seizures": "present"}),
    ("Family history is positive for deafness; she has fever.", {"deafness": "family", "fever": "present"}),
    ("This warrants a careful family history, as well as alertness for any signs of hearing impairment.",
     {"hearing impairment": "present"}),  # a separator after it: no family scope beyond its own few words
    ("Fever; her mother had breast cancer.", {"fever": "present", "breast cancer": "family"}),
    ("No increase in fever.", {"fever": "present"}),  # pseudo-negation
    ("Fever and cough.", {"fever": "present", "cough": "present"}),
    ("No fever, possible pneumonia.", {"fever": "absent", "pneumonia": "possible"}),
    ("Denies fever, cough is present.", {"fever": "absent", "cough": "present"}),  # an affirmed item ends the list
    ("no fever - cough for 3 days", {"fever": "absent", "cough": "present"}),  # a spaced dash ends a scope
    ("No fever – cough since Monday.", {"fever": "absent", "cough": "present"}),
    ("No fever, cough was noted on the ward.", {"fever": "absent", "cough": "present"}),
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
    # a relative that starts a new conjunct says nothing of the finding before the conjunction
    ("Hypotonia and his mother has deafness.", {"hypotonia": "present", "deafness": "family"}),
    ("Microcephaly and maternal serum screening.", {"microcephaly": "present"}),
    ("Seizures, and advanced maternal age.", {"seizures": "present"}),
    ("Seizures and deafness in his mother.", {"seizures": "family", "deafness": "family"}),
    ("Deafness (mother).", {"deafness": "family"}),
    # answers of list and question templates
    ("Seizures: none.", {"seizures": "absent"}),
    ("Fever, cough: negative; vertigo: present.", {"fever": "absent", "cough": "absent", "vertigo": "present"}),
    ("Fever? No.", {"fever": "absent"}),
    ("Pneumonia? Possibly.", {"pneumonia": "possible"}),
    ("Seizures? Probably.\nCough: yes.", {"seizures": "possible", "cough": "present"}),
    ("Labs: negative for tuberculosis.", {"tuberculosis": "absent"}),  # a forward trigger, not an answer
    ("Findings: no fever but cough.", {"fever": "absent", "cough": "present"}),
    ("Seizures? Possibly a febrile one.", {"seizures": "present"}),  # not a one-word reply
    # an answer says something of its own label only; a "yes" ends the scopes before it
    ("Seizures: yes, Fever: no, Cough: yes", {"seizures": "present", "fever": "absent", "cough": "present"}),
    ("She has hypotonia, seizures and ataxia, surgery: none.",
     {"hypotonia": "present", "seizures": "present", "ataxia": "present"}),
    ("She has hypotonia, seizures and ataxia, fever: none.",
     {"hypotonia": "present", "seizures": "present", "ataxia": "present", "fever": "absent"}),
    ("Hypotonia with seizures, developmental regression? Unlikely.",
     {"hypotonia": "present", "seizures": "present", "developmental regression": "absent"}),
    ("Fever and cough: none, vertigo: yes", {"fever": "absent", "cough": "absent", "vertigo": "present"}),
    ("ROS: fever, cough: negative.", {"fever": "absent", "cough": "absent"}),
    ("No fever, seizures: yes.", {"fever": "absent", "seizures": "present"}),
    ("Seizures: yes, cough was ruled out.", {"seizures": "present", "cough": "absent"}),
    # a finding that went away was had: present (the model has no historical status)
    ("Seizures resolved.", {"seizures": "present"}),
    ("The fever has resolved.", {"fever": "present"}),
    ("Resolution of fever.", {"fever": "present"}),
    # the adjective ``absent`` denies the finding next to it, only that one
    ("Seizures absent, cough present.", {"seizures": "absent", "cough": "present"}),
    ("Absent seizures with fever.", {"seizures": "absent", "fever": "present"}),
    ("Fever and absent seizures.", {"fever": "present", "seizures": "absent"}),
    ("Fever, absent in the morning.", {"fever": "present"}),
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


# -- a relative as the place, subject or owner of a negated finding -------------

FAMILY_CONCEPTS = [
    *CONCEPTS,
    ("HP:0001083", "phenotype", "Ectopia lentis", ["Lens dislocation"]),
    ("HP:0000974", "phenotype", "Hyperextensible skin", []),
]


@pytest.fixture(scope="module")
def family_rec() -> Recognizer:
    return Recognizer.from_concepts(FAMILY_CONCEPTS, relations=None)


FAMILY_CASES = [
    # the relative named after the finding, as its place: the relative's finding, not the patient's
    ("No lens dislocation in the father.", {"lens dislocation": "family"}),
    ("No seizures in his mother.", {"seizures": "family"}),
    ("No seizures in a sibling.", {"seizures": "family"}),
    ("No seizures in the family.", {"seizures": "family"}),
    ("No seizures in the patient's father.", {"seizures": "family"}),
    ("Deafness was not found in her sister.", {"deafness": "family"}),
    ("No seizures, fever or deafness in the father.", {"seizures": "family", "fever": "family", "deafness": "family"}),
    ("Possible seizures in the father.", {"seizures": "family"}),
    ("Seizures in the family.", {"seizures": "family"}),
    # the relative as the subject of the negation
    ("Father has no seizures.", {"seizures": "family"}),
    ("Her mother does not have seizures.", {"seizures": "family"}),
    ("Maternal uncle with no history of seizures.", {"seizures": "family"}),
    ("Father: no seizures.", {"seizures": "family"}),
    # ... or as its owner
    ("Her father's skin is not hyperextensible.", {"skin is not hyperextensible": "family"}),
    # the patient's: an informant, another clause, the patient named too
    ("Mother denies fever or cough.", {"fever": "absent", "cough": "absent"}),
    ("The patient's father is healthy; no seizures.", {"seizures": "absent"}),
    ("The patient's father is healthy, no seizures.", {"seizures": "absent"}),
    ("No seizures; father has deafness.", {"seizures": "absent", "deafness": "family"}),
    ("No seizures, maternal uncle with deafness.", {"seizures": "absent", "deafness": "family"}),
    ("No seizures in this patient and his father.", {"seizures": "absent"}),
    ("Skin is not hyperextensible.", {"skin is not hyperextensible": "absent"}),
    # the people a report describes
    ("Seizures in a family.", {"seizures": "present"}),
    ("We describe a family with deafness in which three affected siblings carry the variant.",
     {"deafness": "present"}),
]


@pytest.mark.parametrize(("text", "expected"), FAMILY_CASES)
def test_a_finding_said_of_a_relative_is_family_history(family_rec: Recognizer, text: str,
                                                       expected: dict[str, str]) -> None:
    got = {m.text.lower(): m.assertion for m in family_rec.extract(text).entities}
    assert got == expected


def test_the_family_of_the_note_in_the_audit() -> None:
    rec = Recognizer.from_concepts(FAMILY_CONCEPTS, relations=None)
    note = ("Ophthalmology exam showed bilateral ectopia lentis. No seizures. Skin is not hyperextensible. "
            "No lens dislocation in the father.")
    got = [(m.id, m.assertion) for m in rec.extract(note).entities]
    # HP:0001083 present (the patient's ectopia lentis) and the father's: no longer both present and excluded
    assert got == [("HP:0001083", "present"), ("HP:0001250", "absent"), ("HP:0000974", "absent"),
                   ("HP:0001083", "family")]


def test_custom_rules_get_no_english_family_places() -> None:
    from kg.extraction.context import FORWARD, Rule

    ctx = ConText({"kein": Rule("absent", FORWARD)})
    s = "kein Fieber in the father"
    assert ctx.assertion(s, 5, 11) == "absent"
    assert ConText().assertion("No fever in the father", 3, 8) == "family"


def test_the_adjective_absent_without_known_findings() -> None:
    ctx = ConText()
    s = "Seizures absent, fever and cough."
    assert ctx.assertion(s, 0, 8) == "absent"
    assert ctx.assertion(s, s.index("fever"), s.index("fever") + 5) == "present"
    s = "Absent seizures and fever."
    assert ctx.assertion(s, 7, 15) == "absent"
    assert ctx.assertion(s, s.index("fever"), s.index("fever") + 5) == "present"


# -- the audit of clinical notes: a relative's clause, hypothetical findings, queries -----

AUDIT_CONCEPTS = [
    *CONCEPTS,
    ("HP:0000508", "phenotype", "Ptosis", []),
    ("HP:0000639", "phenotype", "Nystagmus", []),
    ("HP:0002013", "phenotype", "Vomiting", []),
    ("HP:0000988", "phenotype", "Skin rash", ["Rash"]),
    ("HP:0001943", "phenotype", "Hypoglycemia", ["Hypoglycaemia"]),
    ("HP:0002650", "phenotype", "Scoliosis", []),
    ("HP:0000238", "phenotype", "Hydrocephalus", []),
    ("HP:0002315", "phenotype", "Headache", []),
    ("HP:0004322", "phenotype", "Short stature", []),
    ("HP:0000316", "phenotype", "Hypertelorism", []),
    ("HP:0009827", "phenotype", "Amelia", []),
    ("DOID:14323", "disease", "Marfan syndrome", []),
    ("DOID:13359", "disease", "Ehlers-Danlos syndrome", []),
    ("DOID:1932", "disease", "Angelman syndrome", []),
    ("DRUGBANK:DB01202", "drug", "Levetiracetam", []),
]


@pytest.fixture(scope="module")
def audit_rec() -> Recognizer:
    return Recognizer.from_concepts(AUDIT_CONCEPTS, relations=None)


AUDIT_CASES = [
    # a relative as the subject of a clause owns its findings across an apposition, a
    # coordinated predicate and a bracketed list
    ("His older brother, who is 12, has ataxia.", {"ataxia": "family"}),
    ("The patient's mother, a 40-year-old teacher, has been diagnosed with ptosis and hearing loss.",
     {"ptosis": "family", "hearing loss": "family"}),
    ("His sister is 10 years old and has no seizures.", {"seizures": "family"}),
    ("Older sister is affected with the same condition (ataxia, nystagmus).",
     {"ataxia": "family", "nystagmus": "family"}),
    ("His brother, who is 12, has ataxia, and the patient has seizures.",
     {"ataxia": "family", "seizures": "present"}),
    ("Mother reports that he has seizures.", {"seizures": "present"}),  # an informant
    ("Mother, who is 30, says that he has seizures.", {"seizures": "present"}),
    ("The mother, who had a cleft palate, has ataxia.", {"cleft palate": "present", "ataxia": "present"}),
    # hypothetical: a finding that may come
    ("Return to ED if fever, vomiting or rash develop.",
     {"fever": "hypothetical", "vomiting": "hypothetical", "rash": "hypothetical"}),
    ("Monitor for hypoglycaemia and scoliosis.", {"hypoglycaemia": "hypothetical", "scoliosis": "hypothetical"}),
    ("There is an increased risk of scoliosis and hearing loss.",
     {"scoliosis": "hypothetical", "hearing loss": "hypothetical"}),
    ("Screen annually for hearing loss, cataract.", {"hearing loss": "hypothetical", "cataract": "hypothetical"}),
    ("Plan: start levetiracetam if seizures recur.", {"levetiracetam": "present", "seizures": "hypothetical"}),
    ("Watch for signs of hydrocephalus such as headache and vomiting.",
     {"hydrocephalus": "hypothetical", "headache": "hypothetical", "vomiting": "hypothetical"}),
    ("Parents advised to seek help should seizures occur.", {"seizures": "hypothetical"}),
    ("Fever. Safety-netting given re rash, vomiting.",
     {"fever": "present", "rash": "hypothetical", "vomiting": "hypothetical"}),
    ("Safety netting advice: return if headache.", {"headache": "hypothetical"}),
    ("Seizures; if fever develops, return.", {"seizures": "present", "fever": "hypothetical"}),
    ("To determine if seizures are frequent.", {"seizures": "present"}),  # ``if`` as *whether*
    ("A dominantly inherited risk of developing microcephaly.", {"microcephaly": "present"}),
    # uncertainty cues of notes
    ("?seizures", {"seizures": "possible"}),
    ("Query hypotonia.", {"hypotonia": "possible"}),
    ("Findings suggestive of hearing loss.", {"hearing loss": "possible"}),
    ("Reason for referral: ?Marfan syndrome.", {"marfan syndrome": "possible"}),
    ("DDx: Marfan syndrome vs Ehlers-Danlos syndrome", {"marfan syndrome": "possible", "ehlers-danlos syndrome": "possible"}),
    ("Marfan syndrome versus Ehlers-Danlos syndrome.", {"marfan syndrome": "possible", "ehlers-danlos syndrome": "possible"}),
    ("Seizures and ataxia are suggestive of Angelman syndrome.",
     {"seizures": "present", "ataxia": "present", "angelman syndrome": "possible"}),
    ("Monitor for scoliosis. ?Seizures.", {"scoliosis": "hypothetical", "seizures": "possible"}),
    ("Fever? No.", {"fever": "absent"}),  # a question's mark follows its word
    ("Fever? - no.", {"fever": "absent"}),  # a spaced dash answers the question before it
    # a negation after its list
    ("Patients typically have short stature, ptosis and hypertelorism, none of which are present here.",
     {"short stature": "absent", "ptosis": "absent", "hypertelorism": "absent"}),
    # a given name is no finding
    ("Re: Amelia Jones. Amelia has seizures.", {"seizures": "present"}),
    ("Dear Dr Amelia Hart, thank you for seeing this boy with seizures.", {"seizures": "present"}),
    ("Amelia of the left arm and seizures.", {"amelia": "present", "seizures": "present"}),
    # a capitalised word before a number is a measurement's label, no surname
    ("Hypoglycaemia Gluc 2.1.", {"hypoglycaemia": "present"}),
    ("Scoliosis Cobb 40 degrees.", {"scoliosis": "present"}),
]


@pytest.mark.parametrize(("text", "expected"), AUDIT_CASES)
def test_the_clinical_notes_of_the_audit(audit_rec: Recognizer, text: str, expected: dict[str, str]) -> None:
    got = {m.text.lower(): m.assertion for m in audit_rec.extract(text).entities}
    assert got == expected
