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
    ],
)
def test_drug_context(text: str, drug: str, context: str) -> None:
    start = text.index(drug)
    assert drug_context(text, start, start + len(drug)) == context


def test_allergies_and_past_drugs_from_text(fixture_kg: Path) -> None:
    c = case_from_text("Spider fingers and ectopia lentis. Allergic to atenolol. Takes losartan. "
                       "Previously treated with metformin, stopped.", fixture_kg)
    assert c.present == ["HP:0001166", "HP:0001083"]
    assert (c.drugs, c.allergies) == (["DRUGBANK:DB00678"], ["DRUGBANK:DB00335"])
    assert c.spans["DRUGBANK:DB00335"][0].startswith("text[47:55] 'atenolol'")
    assert c.notes == ["left out DRUGBANK:DB00331, not a current drug (past use), "
                       "from text[97:106] 'metformin' (present, dictionary)"]
    c = case_from_text("Spider fingers; allergies: Atenolol, Cozaar. Prednisone was discontinued.", fixture_kg)
    assert (c.drugs, c.allergies) == ([], ["DRUGBANK:DB00335", "DRUGBANK:DB00678"])
    assert [n.split(",")[0] for n in c.notes] == ["left out DRUGBANK:DB00635"]


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


def test_a_relatives_negated_finding_is_family_history_and_a_negated_copula_excludes(fixture_kg: Path) -> None:
    c = case_from_text("Ectopia lentis. No dislocated lens in the father. Skin is not hyperextensible.", fixture_kg)
    # the father's lens is no finding of the patient: left out with a note, not excluded against the present one
    assert (c.present, c.excluded) == (["HP:0001083"], ["HP:0000974"])
    assert c.notes == ["left out HP:0001083 from text[19:34] 'dislocated lens' (family, dictionary-synonym)"]
    assert c.warnings == []
