"""Cases from text: what becomes a current drug, an allergy, or is left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from reasoning.text_case import case_from_text, drug_context


@pytest.mark.parametrize(
    ("text", "drug", "context"),
    [
        ("Parkinsonism with bradykinesia, rigidity and tremor. Allergic to ropinirole.", "ropinirole", "allergy"),
        ("Seizures; allergic to amoxicillin.", "amoxicillin", "allergy"),
        ("Allergies: penicillin, amoxicillin.", "amoxicillin", "allergy"),
        ("Known hypersensitivity to carbamazepine.", "carbamazepine", "allergy"),
        ("Intolerant of metformin.", "metformin", "allergy"),
        ("Allergic to penicillin but takes amoxicillin.", "amoxicillin", "current"),
        ("Seizures; on levetiracetam. Allergic to penicillin.", "levetiracetam", "current"),
        ("Previously treated with valproic acid, stopped.", "valproic acid", "past"),
        ("Formerly on lithium; now on quetiapine.", "lithium", "past"),
        ("Formerly on lithium; now on quetiapine.", "quetiapine", "current"),
        ("Valproate was discontinued, lamotrigine started.", "Valproate", "past"),
        ("Valproate was discontinued, lamotrigine started.", "lamotrigine", "current"),
        ("He was taken off haloperidol last year.", "haloperidol", "past"),
        ("History of lithium use.", "lithium", "past"),
        ("Stopped metformin.", "metformin", "past"),
        ("Takes metformin daily.", "metformin", "current"),
        ("Carbidopa allergy.", "Carbidopa", "allergy"),
        ("Known penicillin hypersensitivity.", "penicillin", "allergy"),
        ("Allergic to penicillin, on carbidopa.", "carbidopa", "current"),
        ("Allergic to penicillin, amoxicillin.", "amoxicillin", "allergy"),
        ("Pramipexole was discontinued and ropinirole started.", "ropinirole", "current"),
        ("Pramipexole was discontinued and ropinirole started.", "Pramipexole", "past"),
        ("Previously treated with lithium and valproate.", "valproate", "past"),
        ("No longer taking levodopa.", "levodopa", "past"),
        ("She stopped taking metformin in May.", "metformin", "past"),
        ("Previous overdose of paracetamol 2020.", "paracetamol", "past"),
        ("Took an overdose of paracetamol last year.", "paracetamol", "past"),
        ("Previous trial of carbamazepine.", "carbamazepine", "past"),
        # the patient stopping another drug: the first is still taken (it was left out as past use)
        ("He takes modafinil 200 mg daily and stopped methylphenidate last year.", "modafinil", "current"),
        ("He takes modafinil 200 mg daily and stopped methylphenidate last year.", "methylphenidate", "past"),
        ("On modafinil and then he discontinued fluoxetine.", "modafinil", "current"),
        # ... but not the drug's own stop: no object of its own, or one that names the drug again
        ("Levetiracetam was tried and stopped because of mood.", "Levetiracetam", "past"),
        ("He took modafinil and stopped it after 2 weeks.", "modafinil", "past"),
        ("Valproate and lamotrigine were stopped.", "Valproate", "past"),
        # over line breaks: a line ends a sentence, but an allergy list goes on where it goes on
        ("Allergies:\npenicillin", "penicillin", "allergy"),
        ("Allergies:\n\ufeffpenicillin", "penicillin", "allergy"),  # a byte-order mark is no text
        ("Allergies:\nPenicillin\nMedications: metformin", "Penicillin", "allergy"),
        ("Allergies:\nPenicillin\nMedications: metformin", "metformin", "current"),
        ("Allergic to penicillin and\namoxicillin.", "amoxicillin", "allergy"),
        ("Carbidopa\nallergy.", "Carbidopa", "allergy"),
        ("Allergies: none\nmetformin", "metformin", "current"),
        ("Allergies: nil\nnilotinib", "nilotinib", "current"),
        # a drug the patient must not have is no current drug
        ("Avoid allopurinol.", "allopurinol", "avoid"),
        ("Do not prescribe carbamazepine, phenytoin or lamotrigine.", "lamotrigine", "avoid"),
        ("Stevens-Johnson syndrome on co-trimoxazole (2019) - avoid.", "co-trimoxazole", "avoid"),
        ("Valproate is contraindicated.", "Valproate", "avoid"),
        ("Allergies: penicillin - avoid.", "penicillin", "allergy"),
        ("Avoid ibuprofen, continue paracetamol.", "paracetamol", "current"),
        ("To avoid seizures, continue levetiracetam.", "levetiracetam", "current"),
    ],
)
def test_drug_context(text: str, drug: str, context: str) -> None:
    start = text.index(drug)
    assert drug_context(text, start, start + len(drug)) == context


def test_allergies_and_past_drugs_from_text(fixture_kg: Path) -> None:
    c = case_from_text("Spider fingers and ectopia lentis. Allergic to atenolol. Takes losartan. "
                       "Previously treated with metformin, stopped.", fixture_kg)
    assert c.present == ["HP:0001166", "HP:0001083"]
    # a past drug is a stopped one, as a phenopacket's finished treatment (it used to be dropped)
    assert (c.drugs, c.drugs_stopped, c.allergies) == (
        ["DRUGBANK:DB00678", "DRUGBANK:DB00331"], ["DRUGBANK:DB00331"], ["DRUGBANK:DB00335"])
    assert c.spans["DRUGBANK:DB00335"][0].startswith("text[47:55] 'atenolol'")
    assert c.notes == ["DRUGBANK:DB00331, a drug taken before (past use): listed as stopped, not as a current "
                       "drug, from text[97:106] 'metformin' (present, dictionary)"]
    c = case_from_text("Spider fingers; allergies: Atenolol, Cozaar. Prednisone was discontinued.", fixture_kg)
    assert (c.drugs_stopped, c.allergies) == (["DRUGBANK:DB00635"], ["DRUGBANK:DB00335", "DRUGBANK:DB00678"])
    assert [n.split(",")[0] for n in c.notes] == ["DRUGBANK:DB00635"]
    # taken again: current, not stopped
    c = case_from_text("Spider fingers. Losartan was stopped in May. Now takes losartan again.", fixture_kg)
    assert (c.drugs, c.drugs_stopped) == (["DRUGBANK:DB00678"], [])


def test_case_from_text_takes_a_loaded_index(fixture_kg) -> None:
    from reasoning import case_from_text, load_index

    case = case_from_text("The patient has arachnodactyly.", load_index(fixture_kg))
    assert case.present == ["HP:0001166"]


def test_an_allergy_statement_gives_no_findings_and_an_unknown_allergen_is_warned(fixture_kg: Path) -> None:
    """'Allergies: X (reaction)': the reaction and the allergy are not findings of the case; an
    allergen that is no drug of the graph is said in a warning instead of vanishing."""
    c = case_from_text("Arachnodactyly. Allergies: penicillin (ectopia lentis); spider fingers.", fixture_kg)
    assert c.present == ["HP:0001166"] and c.allergies == []
    assert any("HP:0001083, part of an allergy statement" in n for n in c.notes)
    assert any(w.startswith("the allergy statement text[16:54] 'Allergies: penicillin (ectopia lentis)' names no drug")
               for w in c.warnings)
    c = case_from_text("Arachnodactyly. Allergic to atenolol.", fixture_kg)
    assert c.allergies == ["DRUGBANK:DB00335"] and not c.warnings
    c = case_from_text("Arachnodactyly. Allergies: none known.", fixture_kg)
    assert c.allergies == [] and not c.warnings


@pytest.mark.parametrize("text,age,sex", [
    ("A 14-year-old girl with arachnodactyly.", 14.0, "female"),
    ("Arachnodactyly in a 3 month old male infant.", 0.25, "male"),
    ("Patient aged 40 years. Sex: F. Arachnodactyly.", 40.0, "female"),
    ("A 7 yo boy; his 12-year-old sister is well. Arachnodactyly.", 7.0, "male"),
    ("Arachnodactyly; his mother and her father were tall.", None, None),
])
def test_age_and_sex_stated_in_the_text(fixture_kg: Path, text: str, age: float | None, sex: str | None) -> None:
    c = case_from_text(text, fixture_kg)
    assert (c.age_years, c.sex) == (age, sex)
    assert (age is None) == (not any(n.startswith("age ") for n in c.notes))


def test_conflicting_sexes_leave_it_unset_with_a_warning(fixture_kg: Path) -> None:
    c = case_from_text("A 5-year-old girl. Sex: male. Arachnodactyly.", fixture_kg)
    assert c.sex is None and c.age_years == 5.0
    assert any(w.startswith("the text states different sexes") for w in c.warnings)
    # a word that two rules find (after the age, and as a patient noun) is listed once
    c = case_from_text("A 3-year-old boy. The girl has arachnodactyly.", fixture_kg)
    assert [w for w in c.warnings if "different sexes" in w] == [
        "the text states different sexes (text[13:16] 'boy'; text[22:26] 'girl'): sex left unset"]
    c = case_from_text("A 500-year-old vampire with arachnodactyly.", fixture_kg)
    assert c.age_years is None and any("is over 150" in w for w in c.warnings)


def test_a_text_that_is_not_english_says_so(fixture_kg: Path) -> None:
    from reasoning.errors import EmptyCaseError

    with pytest.raises(EmptyCaseError, match="does not look like English"):
        case_from_text("Pas de fièvre, hypotonie et convulsions depuis la naissance.", fixture_kg)
    with pytest.raises(EmptyCaseError, match=r"knows$"):
        case_from_text("The patient was seen in the clinic today for a routine visit.", fixture_kg)


@pytest.mark.parametrize("text,present,allergies", [
    ("Allergic to atenolol and has arachnodactyly.", ["HP:0001166"], ["DRUGBANK:DB00335"]),
    ("Arachnodactyly. Hypersensitivity to light (ectopia lentis).", ["HP:0001166", "HP:0001083"], []),
    ("Arachnodactyly, allergic to atenolol (ectopia lentis) with spider fingers.", ["HP:0001166"],
     ["DRUGBANK:DB00335"]),
    # an allergy list on the lines after its heading; the next finding ends it
    ("Allergies:\natenolol (ectopia lentis)\narachnodactyly", ["HP:0001166"], ["DRUGBANK:DB00335"]),
])
def test_an_allergy_statement_covers_only_its_allergens(fixture_kg: Path, text: str, present: list[str],
                                                        allergies: list[str]) -> None:
    """An allergy statement ends at the first other mention outside parentheses: the rest of
    the sentence is the patient's; 'hypersensitivity to' starts none (it is a finding)."""
    c = case_from_text(text, fixture_kg)
    assert (c.present, c.allergies) == (present, allergies)
    assert not c.warnings


def test_an_empty_case_names_what_was_left_out(fixture_kg: Path) -> None:
    from reasoning.errors import EmptyCaseError

    with pytest.raises(EmptyCaseError, match=r"left out: left out HP:0001166, part of an allergy statement"):
        case_from_text("Allergies: atenolol (arachnodactyly).", fixture_kg)
    for none in ("NKA", "none known", "not documented", "-"):
        assert not case_from_text(f"Arachnodactyly. Allergies: {none}.", fixture_kg).warnings


@pytest.mark.parametrize("text,age,sex", [
    ("Bone age 10 years at chronological age 6 years. A 6-year-old boy.", 6.0, "male"),
    ("Advanced maternal age 38 years. The proband, a 2-month-old girl.", 2 / 12, "female"),
    ("Gestational age 32 weeks at birth; now a 4-year-old girl.", 4.0, "female"),
    ("Onset at age 2 years; she is now 14 years old.", 14.0, None),
    ("His 40-year-old mother has arachnodactyly. The proband is a 3-year-old boy.", 3.0, "male"),
    ("History: mother 45-year-old female. Patient: 4-year-old boy.", 4.0, "male"),
    ("62 y/o F with arachnodactyly.", 62.0, "female"),
    ("A 14\u2011year\u2011old girl.", 14.0, "female"),
    ("Sex: m/f unknown. Arachnodactyly.", None, None),
])
def test_ages_and_sexes_that_are_not_the_patients_are_not_read(text: str, age: float | None,
                                                               sex: str | None) -> None:
    from reasoning.text_demographics import demographics

    d = demographics(text)
    assert (d.age_years, d.sex) == (round(age, 4) if age is not None else None, sex)


def test_a_relatives_negated_finding_is_family_history_and_a_negated_copula_excludes(fixture_kg: Path) -> None:
    c = case_from_text("Ectopia lentis. No dislocated lens in the father. Skin is not hyperextensible.", fixture_kg)
    # the father's lens is no finding of the patient: left out with a note, not excluded against the present one
    assert (c.present, c.excluded) == (["HP:0001083"], ["HP:0000974"])
    assert c.notes == ["left out HP:0001083 from text[19:34] 'dislocated lens' (family, dictionary-synonym)"]
    assert c.warnings == []


def test_the_statement_holding_a_mention_is_found_among_sorted_spans() -> None:
    from reasoning.text_case import _Enclosing

    spans = _Enclosing([(0, 10), (2, 30), (40, 50)])
    assert spans.holding(3, 8) == (2, 30) or spans.holding(3, 8) == (0, 10)
    assert spans.holding(12, 20) == (2, 30)
    assert spans.holding(45, 49) == (40, 50)
    assert spans.holding(31, 35) is None and spans.holding(48, 55) is None
    assert _Enclosing([]).holding(1, 2) is None
    # statements nest (one per allergy cue): one ending before a mention does not hide an earlier,
    # longer one that holds it (the bisection once stopped there, and "hives" became a finding)
    nested = _Enclosing([(0, 89), (23, 40), (55, 74)])
    assert nested.holding(83, 88) == (0, 89) and nested.holding(60, 70) == (0, 89)


def test_a_negative_family_history_says_nothing_of_the_patient(fixture_kg: Path) -> None:
    """``No family history of X`` is the family's: X is left out with a note, neither excluded
    (it was, and counted against diseases that have X) nor in conflict with the patient's own X."""
    c = case_from_text("Arachnodactyly and myopia. No family history of ectopia lentis or myopia.", fixture_kg)
    assert (c.present, c.excluded) == (["HP:0001166", "HP:0000545"], [])
    assert [n.split(" from ")[0] for n in c.notes] == ["left out HP:0001083", "left out HP:0000545"]
    assert all("(family," in n for n in c.notes) and c.warnings == []


def test_hypothetical_and_queried_findings_are_left_out(fixture_kg: Path) -> None:
    """A finding that may come (``monitor for``, ``if ... develops``) or is queried (``?X``) is
    no finding of the case: left out with a note, neither present nor excluded."""
    c = case_from_text("Arachnodactyly. Monitor for myopia. ?Ectopia lentis.", fixture_kg)
    assert (c.present, c.excluded) == (["HP:0001166"], [])
    assert [n.split(" from ")[0] for n in c.notes] == ["left out HP:0000545", "left out HP:0001083"]
    assert "(hypothetical," in c.notes[0] and "(possible," in c.notes[1]


@pytest.mark.parametrize(("text", "allergies"), [
    ("Ataxia. Penicillin allergy.", ["DRUGBANK:DB01053"]),
    ("Ataxia. Allergy to penicillin.", ["DRUGBANK:DB01053"]),
    ("Ataxia. Penicillin allergy confirmed by skin testing.", ["DRUGBANK:DB01053"]),
    ("Ataxia. No penicillin allergy.", []),
])
def test_a_drug_allergy_named_as_one_concept_is_the_drugs_allergy(text: str, allergies: list[str]) -> None:
    """A vocabulary's "Penicillin allergy" concept holds the drug: it is the patient's allergy to it
    (it was left out as no HPO term, and "Allergy to penicillin" warned it names no drug)."""
    from kg.extraction import Recognizer

    rec = Recognizer.from_concepts([
        ("HP:0001251", "phenotype", "Ataxia", []),
        ("UMLS:C0030824", "phenotype", "Penicillin allergy", ["Allergy to penicillin"]),
        ("DRUGBANK:DB01053", "drug", "Benzylpenicillin", ["penicillin"]),
    ], relations=None)
    c = case_from_text(text, rec)
    assert (c.present, c.allergies, c.drugs, c.warnings) == (["HP:0001251"], allergies, [], [])


@pytest.mark.parametrize("text", ["Spider fingers. Prednisone scan normal.", "Spider fingers. Prednisone-scan: normal.",
                                  "Spider fingers. PREDNISONE scintigraphy was normal."])
def test_a_drug_that_names_a_scan_is_no_drug_taken(fixture_kg: Path, text: str) -> None:
    """'DEXA scan' made dexamethasone (brand DEXA) a current drug, 'MIBG scan' iobenguane: a drug
    name before scan names the test or its tracer (the fixture graph's drug stands in)."""
    c = case_from_text(text, fixture_kg)
    assert c.drugs == [] and c.notes[0].startswith("left out DRUGBANK:DB00635, which names a scan")
    assert case_from_text("Spider fingers. On prednisone; scans are normal.", fixture_kg).drugs == ["DRUGBANK:DB00635"]
