"""Assertions in genres of clinical notes the earlier audits did not cover: everyday kin words,
informants' complaints, review-of-systems marks and checklists, questions (audit 11)."""

from __future__ import annotations

import pytest

from kg.extraction import Recognizer
from kg.extraction.context import _FEMALE_KIN, _MALE_KIN, KIN_WORDS

CONCEPTS = [
    ("HP:0001250", "phenotype", "Seizure", ["epilepsy"]),
    ("HP:0001945", "phenotype", "Fever", []),
    ("HP:0000988", "phenotype", "Skin rash", ["rash"]),
    ("HP:0012735", "phenotype", "Cough", []),
    ("HP:0000256", "phenotype", "Macrocephaly", ["large head"]),
    ("HP:0010943", "phenotype", "Echogenic fetal bowel", ["echogenic bowel"]),
    ("HP:0034057", "phenotype", "Fetal anomaly", []),
    ("HP:0008209", "phenotype", "Premature ovarian insufficiency", ["premature ovarian failure"]),
    ("HP:0002315", "phenotype", "Headache", ["headaches"]),
    ("HP:0012378", "phenotype", "Fatigue", []),
    ("HP:0002013", "phenotype", "Vomiting", []),
    ("HP:0002829", "phenotype", "Arthralgia", ["joint pain"]),
    ("HP:0025258", "phenotype", "Stiff neck", ["neck stiffness"]),
    ("HP:0000613", "phenotype", "Photophobia", []),
    ("DOID:11983", "disease", "Prader-Willi syndrome", []),
    ("DOID:14261", "disease", "fragile X syndrome", []),
    ("DRUGBANK:DB00333", "drug", "Methadone", []),
    ("HP:0000508", "phenotype", "Ptosis", []),
    ("HP:0000465", "phenotype", "Webbed neck", []),
    ("HP:0001627", "phenotype", "Abnormal heart morphology", ["heart defect"]),
    ("HP:0000821", "phenotype", "Hypothyroidism", []),
    ("HP:0000717", "phenotype", "Autism", ["ASD"]),
    ("DRUGBANK:DB00451", "drug", "Levothyroxine", []),
]


@pytest.fixture(scope="module")
def rec() -> Recognizer:
    return Recognizer.from_concepts(CONCEPTS, relations=None)


def _got(rec: Recognizer, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.assertion) for m in rec.extract(text).entities]


@pytest.mark.parametrize(("text", "expected"), [
    ("Mum has epilepsy. He has fever.", [("epilepsy", "family"), ("fever", "present")]),
    ("Dad has a history of seizures as a child.", [("seizures", "family")]),
    ("Mum had premature ovarian failure at 35.", [("premature ovarian failure", "family")]),
    ("His mum's seizures started at 20.", [("seizures", "family")]),
    ("Mum on methadone during pregnancy.", [("methadone", "family")]),
    ("Mom has epilepsy.", [("epilepsy", "family")]),
    # not a relative: the multiple of the median of prenatal screening
    ("AFP 2.5 MoM, echogenic bowel.", [("echogenic bowel", "present")]),
    # a relative who speaks for the patient: the findings are the patient's
    ("Mum reports fever.", [("fever", "present")]),
    ("Brought by mum c/o fever x3d.", [("fever", "present")]),
    ("Parents c/o large head and seizures.", [("large head", "present"), ("seizures", "present")]),
    ("Mother is concerned about his seizures.", [("seizures", "present")]),
    ("Mother feels he has seizures.", [("seizures", "present")]),
    ("Mother notes fever.", [("fever", "present")]),
    ("Her mother was noted to have seizures.", [("seizures", "family")]),
    # a relative who brings the patient
    ("5 yo girl brought in by mum with fever, cough and rash.",
     [("fever", "present"), ("cough", "present"), ("rash", "present")]),
    ("She attends with her mother with 2 days of fever.", [("fever", "present")]),
    # a relative who tells the history
    ('Email from mum: "her head hurts and she has fever."', [("fever", "present")]),
    ("History from mother: fever for 3 days.", [("fever", "present")]),
    ("Parent questionnaire (completed by father): Seizures: no. Headache: yes.",
     [("Seizures", "absent"), ("Headache", "present")]),
    ("Parent concerns: seizures.", [("seizures", "present")]),
])
def test_everyday_kin_words_and_informants(rec: Recognizer, text: str, expected: list[tuple[str, str]]) -> None:
    assert _got(rec, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("General: (-) fever (+) fatigue (-) headache", [("fever", "absent"), ("Fatigue", "present"),
                                                    ("headache", "absent")]),
    ("[x] Fever   [ ] Rash   [x] Joint pain", [("Fever", "present"), ("Rash", "absent"), ("Joint pain", "present")]),
    ("\u2612 Fever \u2610 Rash", [("Fever", "present"), ("Rash", "absent")]),
    ("ROS: +ve for fatigue, vomiting; -ve for fever, headache.",
     [("fatigue", "present"), ("vomiting", "present"), ("fever", "absent"), ("headache", "absent")]),
    ("Neuro: + headaches, + photophobia, - seizures, - fatigue", [("headaches", "present"), ("photophobia", "present"),
                                                                 ("seizures", "absent"), ("fatigue", "absent")]),
    # a dash with no '+' marks in its sentence is no mark, nor is a bullet
    ("Symptoms: - fever, - rash", [("fever", "present"), ("rash", "present")]),
    ("Symptoms:\n- fever\n+ rash", [("fever", "present"), ("rash", "present")]),
    ("+ fever, on and off headache", [("fever", "present"), ("headache", "present")]),
])
def test_review_of_systems_marks(rec: Recognizer, text: str, expected: list[tuple[str, str]]) -> None:
    got = _got(rec, text)
    assert [(t.lower(), a) for t, a in got] == [(t.lower(), a) for t, a in expected]


@pytest.mark.parametrize(("text", "expected"), [
    ("Could fragile X syndrome be considered?", [("fragile X syndrome", "possible")]),
    ("Question: Prader-Willi syndrome?", [("Prader-Willi syndrome", "possible")]),
    ("Examination: alert, mild neck stiffness?, no photophobia.", [("neck stiffness", "possible"),
                                                                  ("photophobia", "absent")]),
    ("Does he have seizures at night?", [("seizures", "possible")]),
    ("I wonder whether Prader-Willi syndrome has been considered.", [("Prader-Willi syndrome", "possible")]),
    ("Mum wonders if the fever is viral.", [("fever", "possible")]),
    # answered questions, and questions that take their findings for given
    ("Fever? No. Seizures? Yes.", [("Fever", "absent"), ("Seizures", "present")]),
    ("Does he have seizures? No.", [("seizures", "absent")]),
    ("Why did he have seizures?", [("seizures", "present")]),
    # a note's sentence without a subject before a query mark: the mark queries its finding only
    ("Has seizures and headaches, ?photophobia.", [("seizures", "present"), ("headaches", "present"),
                                                  ("photophobia", "possible")]),
    ("Had fever on day 2 (?cause).", [("fever", "present")]),
])
def test_questions_are_uncertain(rec: Recognizer, text: str, expected: list[tuple[str, str]]) -> None:
    assert _got(rec, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an answer word before more words stays with its question and gives its assertion
    ("Has he had seizures? Yes, twice.", [("seizures", "present")]),
    ("Has he had seizures? No, never.", [("seizures", "absent")]),
    ("Has he had seizures? Never.", [("seizures", "absent")]),
    ("Fever? No - settled. Cough? Yes, dry.", [("Fever", "absent"), ("Cough", "present")]),
    # a one-word reply that is no answer leaves the question uncertain
    ("Could this be fragile X syndrome? Fever.", [("fragile X syndrome", "possible"), ("Fever", "present")]),
    ("Has he had seizures? He had two last year.", [("seizures", "possible")]),
])
def test_an_answered_question_takes_the_answer(rec: Recognizer, text: str, expected: list[tuple[str, str]]) -> None:
    assert _got(rec, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # plural and everyday kin words
    ("Her two daughters have epilepsy.", [("epilepsy", "family")]),
    ("His aunts have epilepsy.", [("epilepsy", "family")]),
    ("His sons have epilepsy. He has fever.", [("epilepsy", "family"), ("fever", "present")]),
    ("Her auntie has epilepsy.", [("epilepsy", "family")]),
    ("His nephew has fever.", [("fever", "family")]),
    # a relative clause about a relative who is no subject of the sentence
    ("She attends with her mother, who has epilepsy.", [("epilepsy", "family")]),
    ("She attends with her mother who has epilepsy, and has fever.", [("epilepsy", "family"), ("fever", "present")]),
    ("Seen with mum, who is on methadone.", [("methadone", "family")]),
    # to the end of its list, however long, over 'since'; a subject's 'who' clause too
    ("She lives with her mother, who has hypothyroidism, headaches, rash, cough and fever.",
     [("hypothyroidism", "family"), ("headaches", "family"), ("rash", "family"), ("cough", "family"),
      ("fever", "family")]),
    ("He came with his father, who was diagnosed many years ago by a doctor in another city with epilepsy.",
     [("epilepsy", "family")]),
    ("She attends with her father, who has since 2010 had epilepsy.", [("epilepsy", "family")]),
    ("Her mother, who has epilepsy, lives nearby. She has fever.", [("epilepsy", "family"), ("fever", "present")]),
    # 'and' and a verb with no comma go on with the relative ('your', 'my': a letter's or a parent's relative)
    ("Your father, who has had headaches since school and had seizures in his forties, may be affected.",
     [("headaches", "family"), ("seizures", "family")]),
    ("She lives with my mother, who has epilepsy and has a cough.", [("epilepsy", "family"), ("cough", "family")]),
    ("She attends with her mother who has epilepsy, and has fever.", [("epilepsy", "family"), ("fever", "present")]),
    # 'since' goes on with the relative's time, not into a clause about the patient
    ("She attends with her mother, who has had epilepsy since childhood and has headaches.",
     [("epilepsy", "family"), ("headaches", "family")]),
    ("She lives with her mother who has had headaches since the patient developed seizures.",
     [("headaches", "family"), ("seizures", "present")]),
    ("He lives with his mum, who has been unwell since he had seizures.", [("seizures", "present")]),
    ("His father has had headaches since the patient developed seizures.",
     [("headaches", "family"), ("seizures", "present")]),
    ("Her mother has had fatigue since she had hypothyroidism.", [("fatigue", "family"), ("hypothyroidism", "family")]),
    # a relative that is the subject: 'and' and a verb go on with its predicate, however long the first part
    ("Her father has had epilepsy since early childhood and has headaches. She has fever.",
     [("epilepsy", "family"), ("headaches", "family"), ("fever", "present")]),
    ("Her father has had epilepsy since early childhood and she has headaches.",
     [("epilepsy", "family"), ("headaches", "present")]),
    # a relative as the label of a spaced dash, as of a colon
    ("Mother - ptosis, not formally diagnosed.", [("ptosis", "family")]),
    ("FH: father - epilepsy, headaches.", [("epilepsy", "family"), ("headaches", "family")]),
    ("Mother - no seizures. She has fever.", [("seizures", "family"), ("fever", "present")]),
    # an elided verb after ``but`` and a pronoun that names the relative again
    ("Her mother has ptosis and a webbed neck but no heart defect.",
     [("ptosis", "family"), ("webbed neck", "family"), ("heart defect", "family")]),
    ("The patient has ptosis but no heart defect.", [("ptosis", "present"), ("heart defect", "absent")]),
    ("Mother is well; she has hypothyroidism on levothyroxine.",
     [("hypothyroidism", "family"), ("levothyroxine", "family")]),
    ("His mother is well; he has seizures.", [("seizures", "present")]),
    ("Her mother has epilepsy; she has seizures.", [("epilepsy", "family"), ("seizures", "present")]),
    # every word of the family rules' lists (KIN_WORDS), not a copy of some of them
    ("He lives with grandma, who has epilepsy.", [("epilepsy", "family")]),
    ("His grandparents are well; they have epilepsy.", [("epilepsy", "family")]),
])
def test_relatives_plurals_clauses_and_pronouns(rec: Recognizer, text: str, expected: list[tuple[str, str]]) -> None:
    assert _got(rec, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("An ASD assessment is recommended.", [("ASD", "possible")]),
    ("He was referred for autism assessment; he has fever.", [("autism", "possible"), ("fever", "present")]),
    ("Referred for assessment for autism.", [("autism", "possible")]),
])
def test_a_finding_to_be_assessed_is_possible(rec: Recognizer, text: str, expected: list[tuple[str, str]]) -> None:
    assert _got(rec, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Rash.\nDenies:\n+ cough\n- fever", [("Rash", "present"), ("cough", "present"), ("fever", "absent")]),
    ("Rash.\nDenies:\n- fever\n+ cough\n- vomiting",
     [("Rash", "present"), ("fever", "absent"), ("cough", "present"), ("vomiting", "absent")]),
    ("Denies fever, +cough.", [("fever", "absent"), ("cough", "present")]),
])
def test_a_plus_item_in_a_negated_list_is_present(rec: Recognizer, text: str, expected: list[tuple[str, str]]) -> None:
    assert _got(rec, text) == expected


def test_reduced_and_diminished_read_as_decreased() -> None:
    rec = Recognizer.from_concepts([("HP:0000975", "phenotype", "Hyperhidrosis", ["sweating"]),
                                    ("HP:0000966", "phenotype", "Hypohidrosis", ["Decreased sweating"]),
                                    ("HP:0001265", "phenotype", "Hyporeflexia", ["Decreased reflexes"])],
                                   relations=None)
    got = [(m.text, m.id) for m in rec.extract("Reduced sweating and diminished reflexes; no sweating.").entities]
    assert got == [("Reduced sweating", "HP:0000966"), ("diminished reflexes", "HP:0001265"), ("sweating", "HP:0000975")]


@pytest.mark.parametrize(("text", "expected"), [
    # a relative the patient is compared with
    ("Like his father, Jacob has macrocephaly and seizures.", [("macrocephaly", "present"), ("seizures", "present")]),
    ("Unlike his father, he also has seizures.", [("seizures", "present")]),
    # 'but' that keeps the relative as the subject
    ("Her brother (4) is well but has macrocephaly.", [("macrocephaly", "family")]),
    ("His mother is well but had seizures as a child.", [("seizures", "family")]),
    ("He is well but has seizures.", [("seizures", "present")]),
    # a pair of relatives on one side of the family is the patient's family, not a report's subjects
    ("Mother and maternal aunt had similar headache.", [("headache", "family")]),
    ("A father and son with seizures.", [("seizures", "present")]),
    # 'X free' is a history of X (a patient seizure-free for 2 years has had seizures): not its
    # absence, and not the absence of the list before it
    ("Headache (onset 5 months), now seizure free.", [("Headache", "present"), ("seizure", "present")]),
    ("He has been seizure-free for 2 years.", [("seizure", "present")]),
    ("Seizure-free since 2019, fatigue.", [("Seizure", "present"), ("fatigue", "present")]),
    ("No seizures, free of rash.", [("seizures", "absent"), ("rash", "absent")]),
])
def test_owners_and_free(rec: Recognizer, text: str, expected: list[tuple[str, str]]) -> None:
    assert _got(rec, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a finding that is over is a history of it (present), not its absence
    ("No further seizures since starting levetiracetam.", [("seizures", "present")]),
    # the history's own circumstances are not negated: the patient takes the drug
    ("No further seizures after starting levothyroxine.", [("seizures", "present"), ("levothyroxine", "present")]),
    ("No more seizures on methadone, no fever.",
     [("seizures", "present"), ("methadone", "present"), ("fever", "absent")]),
    ("No more seizures.", [("seizures", "present")]),
    ("No recurrence of seizures.", [("seizures", "present")]),
    ("No further episodes of seizures.", [("seizures", "present")]),
    ("No further seizures or fever.", [("seizures", "present"), ("fever", "present")]),
    # the same words after any negation, over a verb and 'any'
    ("Denies further seizures.", [("seizures", "present")]),
    ("She denies any further episodes of seizures since starting levetiracetam.", [("seizures", "present")]),
    ("He has not had any more seizures or fever.", [("seizures", "present"), ("fever", "present")]),
    ("Discharged without further seizures.", [("seizures", "present")]),
    ("Denies new seizures.", [("seizures", "possible")]),
    # one that may be over, or may never have been (a screening question says 'no weight loss in
    # the past 6 months'): possible, neither present nor absent
    ("He has had no new seizures.", [("seizures", "possible")]),
    ("No more headaches, no new seizures.", [("headaches", "present"), ("seizures", "possible")]),
    ("No seizures for 2 years.", [("seizures", "possible")]),
    ("No seizures in the last 6 months.", [("seizures", "possible")]),
    ("No seizures in the past year.", [("seizures", "possible")]),
    ("No seizures since March.", [("seizures", "possible")]),
    ("No seizures since 2019, no fever.", [("seizures", "possible"), ("fever", "absent")]),
    ("No seizures or fever for 2 years.", [("seizures", "possible"), ("fever", "possible")]),
    ("No fever for the last 2 days.", [("fever", "possible")]),
])
def test_a_finding_that_is_over_is_a_history(rec: Recognizer, text: str, expected: list[tuple[str, str]]) -> None:
    assert _got(rec, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # no span of time, or one that says never: absent
    ("No seizures.", [("seizures", "absent")]),
    ("No history of seizures.", [("seizures", "absent")]),
    ("No seizures in the past.", [("seizures", "absent")]),
    ("No seizures since birth.", [("seizures", "absent")]),
    # a drug that caused no rash: no history of one
    ("No rash since starting levetiracetam.", [("rash", "absent")]),
    # 'no further' of what is done, not of a finding
    ("No further investigation for seizures.", [("seizures", "absent")]),
    ("No further evaluation of seizures.", [("seizures", "present")]),
    ("Seizures have not recurred.", [("Seizures", "present")]),
    ("No more than two seizures.", [("seizures", "absent")]),
    ("Denies any further investigation for seizures.", [("seizures", "absent")]),
])
def test_negations_that_say_no_history_stay(rec: Recognizer, text: str, expected: list[tuple[str, str]]) -> None:
    assert _got(rec, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a negation's list goes on over a comma only into a finding with no time of its own
    ("No seizures, rash or fever.", [("seizures", "absent"), ("rash", "absent"), ("fever", "absent")]),
    ("No seizures, fever for 2 days.", [("seizures", "absent"), ("fever", "present")]),
    ("No seizures, vomiting x 2 days.", [("seizures", "absent"), ("vomiting", "present")]),
    ("Denies headache, rash started yesterday.", [("headache", "absent"), ("rash", "present")]),
    ("No seizures, fever since Monday.", [("seizures", "absent"), ("fever", "present")]),
    # a list that went on over a bare comma into an item with no time: the time after its last
    # item is the whole list's, as after 'and'/'or' (and a timed item after that time is a clause again)
    ("No seizures, fever, rash for 2 days.", [("seizures", "absent"), ("fever", "absent"), ("rash", "absent")]),
    ("No seizures, fever, rash for 2 days, cough since Monday.",
     [("seizures", "absent"), ("fever", "absent"), ("rash", "absent"), ("cough", "present")]),
    # after 'and'/'or' the time is the whole list's
    ("No fever, cough or rash for the past week.", [("fever", "absent"), ("cough", "absent"), ("rash", "absent")]),
    ("No seizures or fever for 2 years.", [("seizures", "possible"), ("fever", "possible")]),
])
def test_a_comma_item_with_its_own_time_ends_the_negation(
        rec: Recognizer, text: str, expected: list[tuple[str, str]]) -> None:
    assert _got(rec, text) == expected


def test_table_cells_answer_their_row(rec: Recognizer) -> None:
    text = ("Feature | Present? | Comment\nHeadache | Yes | daily\nSeizures | No |\n"
            "Fatigue | Unknown | not asked\n| Fever | no | none |")
    assert _got(rec, text) == [("Headache", "present"), ("Seizures", "absent"), ("Fatigue", "possible"),
                               ("Fever", "absent")]


def test_a_service_named_after_a_finding_is_no_finding(rec: Recognizer) -> None:
    text = "Headache clinic\nSeen by the epilepsy nurse. He has headache and epilepsy."
    got = [(m.start, m.text) for m in rec.extract(text).entities]
    assert got == [(text.rindex("headache"), "headache"), (text.rindex("epilepsy"), "epilepsy")]
    scan = "Fetal anomaly scan - 20 weeks. Echogenic bowel."
    assert [m.text for m in rec.extract(scan).entities] == ["Echogenic bowel"]
    lithium = Recognizer.from_concepts([("DRUGBANK:DB01356", "drug", "Lithium", [])], relations=None)
    assert [m.text for m in lithium.extract("Patients from a lithium clinic.").entities] == ["lithium"]


def test_an_ambiguous_abbreviation_takes_the_sense_its_document_names() -> None:
    rec = Recognizer.from_concepts([("HP:0000729", "phenotype", "Autistic behavior", ["ASD"]),
                                    ("HP:0001631", "phenotype", "Atrial septal defect", ["ASD"]),
                                    ("HP:0001684", "phenotype", "Secundum atrial septal defect", []),
                                    ("DOID:0060041", "disease", "autism spectrum disorder", ["ASD"])],
                                   relations=None)
    echo = rec.extract("Echo: secundum ASD 8 mm. Conclusion: moderate secundum atrial septal defect.").entities
    clinic = rec.extract("ASD diagnosed at 3; repetitive behaviour.").entities
    assert [(m.text, m.id) for m in echo] == [("ASD", "HP:0001631"), ("secundum atrial septal defect", "HP:0001684")]
    assert [(m.text, m.id) for m in clinic] == [("ASD", "HP:0000729")]
    assert set(echo[0].alternatives) == {"HP:0000729", "DOID:0060041"}


def test_the_sexed_kin_words_are_the_kin_words_of_the_family_rules() -> None:
    """``she``/``he`` name a relative again by the relative's sex: every word of the family rules
    has one, or names a relative of either sex (or several)."""
    assert not _FEMALE_KIN & _MALE_KIN
    assert KIN_WORDS - _FEMALE_KIN - _MALE_KIN == {
        "sib", "sibling", "parent", "twin", "cousin", "grandparent", "half-sibling", "aunties"}
