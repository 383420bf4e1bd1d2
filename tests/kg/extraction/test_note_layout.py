"""Assertions over the layout of clinical notes: hard-wrapped lines, negating
headings and their lists, sentences that start in lower case, template answers,
shorthand negations (audit of realistic notes)."""

from __future__ import annotations

import pytest

from kg.extraction import Recognizer
from kg.extraction.text import heading_continues, list_continues, sentence_spans

CONCEPTS = [
    ("HP:0001433", "phenotype", "Hepatosplenomegaly", []),
    ("HP:0002240", "phenotype", "Hepatomegaly", []),
    ("HP:0001251", "phenotype", "Ataxia", []),
    ("HP:0001250", "phenotype", "Seizure", []),
    ("HP:0002315", "phenotype", "Headache", []),
    ("HP:0000613", "phenotype", "Photophobia", []),
    ("HP:0000957", "phenotype", "Cafe-au-lait spot", ["Cafe-au-lait macules"]),
    ("HP:0001249", "phenotype", "Intellectual disability", []),
    ("HP:0001945", "phenotype", "Fever", []),
    ("HP:0000988", "phenotype", "Skin rash", ["Rash"]),
    ("HP:0025143", "phenotype", "Chills", []),
    ("HP:0001824", "phenotype", "Weight loss", []),
    ("HP:0012735", "phenotype", "Cough", []),
    ("HP:0001252", "phenotype", "Hypotonia", []),
    ("HP:0001962", "phenotype", "Palpitations", []),
    ("HP:0012764", "phenotype", "Orthopnea", []),
    ("HP:0001627", "phenotype", "Abnormal heart morphology", ["Cardiac defects"]),
    ("HP:0030148", "phenotype", "Heart murmur", []),
    ("HP:0000639", "phenotype", "Nystagmus", []),
    ("HP:0000508", "phenotype", "Ptosis", []),
    ("HP:0002650", "phenotype", "Scoliosis", []),
    ("HP:0000365", "phenotype", "Hearing impairment", ["Deafness"]),
]


@pytest.fixture(scope="module")
def rec() -> Recognizer:
    return Recognizer.from_concepts(CONCEPTS, relations=None)


def _got(rec: Recognizer, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.assertion) for m in rec.extract(text).entities]


@pytest.mark.parametrize(("text", "expected"), [
    # a line that ends in the middle of a clause goes on into the next for the assertions
    ("There was no\nhepatosplenomegaly and no ataxia.", [("hepatosplenomegaly", "absent"), ("ataxia", "absent")]),
    ("On exam he does not have\nseizures.", [("seizures", "absent")]),
    ("She denies any\nheadache or photophobia.", [("headache", "absent"), ("photophobia", "absent")]),
    ("No\ncafe-au-lait macules.", [("cafe-au-lait macules", "absent")]),
    ("He is well; his maternal uncle had\nintellectual disability.", [("intellectual disability", "family")]),
    ("There is a possible\nhistory of seizures.", [("seizures", "possible")]),
    ("There was no\r\nhepatosplenomegaly.\r\nShe has ataxia.", [("hepatosplenomegaly", "absent"), ("ataxia", "present")]),
    ("Marfan syndrome is unlikely; possible\nDeafness.", [("Deafness", "possible")]),
    # a line that ends in a finding, or in a short answer, is an item of its own (as before)
    ("denies headache\nseizures since age 2", [("headache", "absent"), ("seizures", "present")]),
    ("Smoker: no\nseizures since age 2", [("seizures", "present")]),
    ("Alcohol - no\nseizures", [("seizures", "present")]),
    ("Allergies: nil known\nHe has ataxia.", [("ataxia", "present")]),
    # ... and so is a line after it that starts a clause of its own with a capital
    ("There was no\nShe has ataxia.", [("ataxia", "present")]),
    ("There was no\n- ataxia", [("ataxia", "present")]),
    ("There was no\n\nataxia", [("ataxia", "present")]),
])
def test_a_line_that_ends_an_open_clause_goes_on(rec: Recognizer, text: str, expected: list[tuple[str, str]]) -> None:
    doc = rec.extract(text)
    assert [(m.text, m.assertion) for m in doc.entities] == expected
    assert doc.sentences == len(sentence_spans(text))  # the lines stay sentences


@pytest.mark.parametrize(("text", "expected"), [
    # a negating heading covers its list, on its line ...
    ("Pertinent negatives: fever, rash, seizures.", [("fever", "absent"), ("rash", "absent"), ("seizures", "absent")]),
    ("Negatives: fever, rash.", [("fever", "absent"), ("rash", "absent")]),
    ("Absent: fever, rash.", [("fever", "absent"), ("rash", "absent")]),
    ("Symptoms absent: fever, rash.", [("fever", "absent"), ("rash", "absent")]),
    ("The following were absent: fever, rash and seizures.",
     [("fever", "absent"), ("rash", "absent"), ("seizures", "absent")]),
    ("Pertinent negatives: fever, rash. Pertinent positives: cough.",
     [("fever", "absent"), ("rash", "absent"), ("cough", "present")]),
    ("Negatives: fever, rash, Positives: cough", [("fever", "absent"), ("rash", "absent"), ("cough", "present")]),
    ("Pertinent negatives: fever but reports cough", [("fever", "absent"), ("cough", "present")]),
    # ... and on the bullet or continuation lines below it, to a blank line or another heading
    ("Denies:\n* fever\n* chills\n\nHas cough.", [("fever", "absent"), ("chills", "absent"), ("cough", "present")]),
    ("ROS negative for:\nfever, chills, weight loss\nExam: ataxia",
     [("fever", "absent"), ("chills", "absent"), ("weight loss", "absent"), ("ataxia", "present")]),
    ("Pertinent negatives:\n- fever\n- rash\nPositives:\n- cough",
     [("fever", "absent"), ("rash", "absent"), ("cough", "present")]),
    ("Denies:\n- fever.\n- rash.\nShe has cough.", [("fever", "absent"), ("rash", "absent"), ("cough", "present")]),
    ("Denies:\nfever\nShe has cough.", [("fever", "absent"), ("cough", "present")]),
    ("Denies:\n- fever\n+ cough", [("fever", "absent"), ("cough", "present")]),
    # a line of prose ends the list: a capital after a bullet item, or a verb ('Has ataxia')
    ("Denies:\n- fever\nAtaxia is present.", [("fever", "absent"), ("Ataxia", "present")]),
    ("Denies:\n+ cough\n- fever\nHas ataxia.", [("cough", "present"), ("fever", "absent"), ("ataxia", "present")]),
    ("Pertinent negatives:\nfever\nHas ataxia.", [("fever", "absent"), ("ataxia", "present")]),
    ("Denies:\n- fever\nrash", [("fever", "absent"), ("rash", "absent")]),
    ("Family history negative for:\n- deafness\n- seizures", [("deafness", "family"), ("seizures", "family")]),
    # another heading's list stays as it was: each line an item
    ("ROS:\nno fever\ncough", [("fever", "absent"), ("cough", "present")]),
])
def test_a_negating_heading_covers_its_list(rec: Recognizer, text: str, expected: list[tuple[str, str]]) -> None:
    assert _got(rec, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a full stop before a word in lower case or a ``+`` ends the sentence, and the negation
    ("No rash. hypotonia noted on exam.", [("rash", "absent"), ("hypotonia", "present")]),
    ("Denies fever. + cough.", [("fever", "absent"), ("cough", "present")]),
    ("Denies CP, LOC, palpitations. + orthopnea", [("palpitations", "absent"), ("orthopnea", "present")]),
    ("No fever or rash. hypotonia noted.", [("fever", "absent"), ("rash", "absent"), ("hypotonia", "present")]),
    # ... but not after an abbreviation
    ("No fever, e.g. rash or cough.", [("fever", "absent"), ("rash", "absent"), ("cough", "absent")]),
    ("Without fever for approx. two weeks, i.e. no rash.", [("fever", "absent"), ("rash", "absent")]),
])
def test_a_sentence_may_start_in_lower_case(rec: Recognizer, text: str, expected: list[tuple[str, str]]) -> None:
    assert _got(rec, text) == expected


@pytest.mark.parametrize(("text", "spans"), [
    ("No rash. hypotonia noted.", [(0, 8), (9, 25)]),
    ("Denies fever. + cough", [(0, 13), (14, 21)]),
    ("Seen by Dr. smith, pt. denies fever, e.g. rash; approx. 3 mg. daily; 2 yrs. ago; 2.5 mg",
     [(0, 87)]),
    ("Given 10 micrograms. phentolamine at 70 beats/min. in rats (5 mg kg-1. d-1)", [(0, 75)]),
    ("Fever? no. Ataxia! yes", [(0, 22)]),  # ``!``/``?`` before lower case: as before
])
def test_sentence_ends_before_lower_case(text: str, spans: list[tuple[int, int]]) -> None:
    assert sentence_spans(text) == spans


@pytest.mark.parametrize(("text", "expected"), [
    # template answers: a finding looked for and not found is absent ...
    ("Cardiac defects: none known", [("Cardiac defects", "absent")]),
    ("Heart murmur: none heard", [("Heart murmur", "absent")]),
    ("Hepatomegaly: not palpable", [("Hepatomegaly", "absent")]),
    ("Nystagmus - no", [("Nystagmus", "absent")]),
    ("Ptosis: N", [("Ptosis", "absent")]),
    ("Ptosis: Y, nystagmus: N.", [("Ptosis", "present"), ("nystagmus", "absent")]),
    # ... one not looked for, or not known, is no finding of the patient: possible
    ("Scoliosis: n/a", [("Scoliosis", "possible")]),
    ("Ataxia: not assessed", [("Ataxia", "possible")]),
    ("Ataxia: unknown. Seizures - yes", [("Ataxia", "possible"), ("Seizures", "present")]),
    # a dash that is no answer's
    ("He has seizures - no fever.", [("seizures", "present"), ("fever", "absent")]),
    ("Seizures - noted at age 2", [("Seizures", "present")]),
    # shorthand negations
    ("W/o hypotonia", [("hypotonia", "absent")]),
    ("Seizures w/o fever.", [("Seizures", "present"), ("fever", "absent")]),
    ("Nil scoliosis", [("scoliosis", "absent")]),
])
def test_template_answers_and_shorthand(rec: Recognizer, text: str, expected: list[tuple[str, str]]) -> None:
    assert _got(rec, text) == expected


def test_line_joins_for_custom_rules_have_no_headings() -> None:
    from kg.extraction import ConText
    from kg.extraction.context import Rule
    rec = Recognizer.from_concepts(CONCEPTS, relations=None, context=ConText({"no": Rule("absent", "forward")}))
    assert _got(rec, "Denies:\n- fever") == [("fever", "present")]
    assert _got(rec, "There was no\nfever") == [("fever", "absent")]  # the open line is layout, not a rule


def test_heading_and_list_flags() -> None:
    import re
    t = "Denies:\n- fever\nrash\n\nThere was no\nataxia\nSmoker: no\ncough"
    spans = sentence_spans(t)
    assert heading_continues(t, spans, re.compile("denies:", re.IGNORECASE)) == [True, True, False, False, False,
                                                                               False, False]
    assert list_continues(t, spans) == [False, False, False, True, False, False, False]
