"""Adverse drug reactions said in prose become the case's drug reactions, not its findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reasoning import case_from_text, diagnose, load_index, treat

CONCEPTS = [
    ("HP:0002829", "phenotype", "Arthralgia", ["joint pain"]),
    ("HP:0001250", "phenotype", "Seizure", ["seizures"]),
    ("HP:0000988", "phenotype", "Skin rash", ["rash"]),
    ("HP:0001025", "phenotype", "Urticaria", ["hives"]),
    ("HP:0001945", "phenotype", "Fever", []),
    ("HP:0002014", "phenotype", "Diarrhea", []),
    ("HP:0001733", "phenotype", "Pancreatitis", []),
    ("DOID:0050426", "disease", "Stevens-Johnson syndrome", []),
    ("HP:0003074", "phenotype", "Hyperglycemia", ["hyperglycaemia"]),
    ("HP:0005263", "phenotype", "Gastritis", []),
    ("HP:0002019", "phenotype", "Constipation", []),
    ("HP:0002315", "phenotype", "Headache", []),
    ("DRUGBANK:DB00795", "drug", "Sulfasalazine", []),
    ("DRUGBANK:DB01060", "drug", "Amoxicillin", []),
    ("DRUGBANK:DB00555", "drug", "Lamotrigine", []),
    ("DRUGBANK:DB00564", "drug", "Carbamazepine", []),
    ("DRUGBANK:DB00313", "drug", "Valproic acid", ["valproate"]),
    ("DRUGBANK:DB00331", "drug", "Metformin", []),
    ("DRUGBANK:DB01053", "drug", "Benzylpenicillin", ["penicillin"]),
]
SSZ, AMOX, LTG, CBZ, VPA, MET, PEN = ("DRUGBANK:DB00795", "DRUGBANK:DB01060", "DRUGBANK:DB00555", "DRUGBANK:DB00564",
                                      "DRUGBANK:DB00313", "DRUGBANK:DB00331", "DRUGBANK:DB01053")


@pytest.fixture(scope="module")
def rec() -> Any:
    from kg.extraction import Recognizer

    return Recognizer.from_concepts(CONCEPTS)


def _reactions(case: Any) -> dict[str, list[tuple[str, str | None]]]:
    return {d: [(r.id, r.origin) for r in rs] for d, rs in case.drug_reactions.items()}


@pytest.mark.parametrize("sentence,drug,reactions,span", [
    ("She had a rash with sulfasalazine in the past.", SSZ, ["HP:0000988"], "rash with sulfasalazine"),
    ("He developed hives after amoxicillin.", AMOX, ["HP:0001025"], "hives after amoxicillin"),
    ("Lamotrigine caused a rash.", LTG, ["HP:0000988"], "Lamotrigine caused a rash"),
    ("She developed Stevens-Johnson syndrome on carbamazepine.", CBZ, ["DOID:0050426"],
     "Stevens-Johnson syndrome on carbamazepine"),
    ("Valproate-induced pancreatitis in 2019.", VPA, ["HP:0001733"], "Valproate-induced pancreatitis"),
    ("Diarrhoea due to metformin.", MET, ["HP:0002014"], "Diarrhoea due to metformin"),
    ("Rash and fever after starting lamotrigine.", LTG, ["HP:0000988", "HP:0001945"],
     "Rash and fever after starting lamotrigine"),
    ("She came out in hives while taking amoxicillin.", AMOX, ["HP:0001025"], "hives while taking amoxicillin"),
])
def test_a_reaction_in_prose_is_the_drugs_reaction_and_no_finding(rec: Any, sentence: str, drug: str,
                                                                  reactions: list[str], span: str) -> None:
    text = f"Joint pain. No rash. {sentence}"
    c = case_from_text(text, rec)
    a = text.index(span)
    assert _reactions(c) == {drug: [(r, f"text[{a}:{a + len(span)}] {span!r}") for r in reactions]}
    # the reaction is no present finding or condition (so "No rash" stands, without a conflict), and the
    # drug is no current drug from that statement
    assert c.present == ["HP:0002829"] and c.excluded == ["HP:0000988"] and c.conditions == []
    assert c.drugs == [] and c.warnings == []
    assert any(n.startswith(f"left out {reactions[0]}, the patient's reaction to the drug {drug}") for n in c.notes)


@pytest.mark.parametrize("text,present,drugs", [
    # a finding on a drug is the one it treats or failed to prevent
    ("Seizures on valproate.", ["HP:0001250"], [VPA]),
    ("Seizures while on lamotrigine.", ["HP:0001250"], [LTG]),
    # gone or fewer after the drug: its effect, not its reaction
    ("Joint pain. Fewer seizures after starting lamotrigine.", ["HP:0002829", "HP:0001250"], [LTG]),
    ("Joint pain. No further seizures after starting lamotrigine.", ["HP:0002829", "HP:0001250"], [LTG]),
    ("Joint pain. Denies any further seizures after starting lamotrigine.", ["HP:0002829", "HP:0001250"], [LTG]),
    ("Seizures, improved with lamotrigine.", ["HP:0001250"], [LTG]),
    # after the drug's stop
    ("Seizures after valproate withdrawal.", ["HP:0001250"], [VPA]),
    # a prescription: the drug with its dose or schedule is given for the finding
    ("Seizures with lamotrigine 100 mg bd.", ["HP:0001250"], [LTG]),
    # a word between the finding and the drug that no frame has
    ("Rash treated with sulfasalazine.", ["HP:0000988"], [SSZ]),
])
def test_a_finding_said_with_a_drug_otherwise_stays_a_finding(rec: Any, text: str, present: list[str],
                                                             drugs: list[str]) -> None:
    c = case_from_text(text, rec)
    assert (c.present, c.drugs, c.drug_reactions) == (present, drugs, {})


def test_an_allergy_statement_keeps_its_own_reading_and_agrees(rec: Any) -> None:
    """``allergic to X (rash)`` stays an allergy (its rash no finding, as a reaction's); a reaction
    statement after it adds the reaction without undoing the allergy."""
    c = case_from_text("Joint pain. Allergic to penicillin (rash). He developed hives after penicillin.", rec)
    assert (c.present, c.allergies, c.drugs) == (["HP:0002829"], [PEN], [])
    assert [r.id for r in c.drug_reactions[PEN]] == ["HP:0001025"]
    c = case_from_text("Joint pain. Allergic to amoxicillin - developed hives.", rec)
    assert (c.present, c.allergies, c.drug_reactions) == (["HP:0002829"], [AMOX], {})


def test_a_reaction_drug_named_as_current_elsewhere_stays_current(rec: Any) -> None:
    c = case_from_text("Joint pain. Diarrhoea due to metformin. Medication: metformin 500 mg bd.", rec)
    assert (c.present, c.drugs, list(c.drug_reactions)) == (["HP:0002829"], [MET], [MET])


def test_treatments_flag_a_drug_the_text_says_the_patient_reacted_to(fixture_kg: Path) -> None:
    """The text's reaction flags the drug like a phenopacket's adverse event, naming the span,
    though the drug is no current one."""
    text = "Arachnodactyly, ectopia lentis and myopia. She developed dizziness after losartan."
    c = case_from_text(text, fixture_kg)
    assert c.drugs == [] and "HP:0002321" not in c.present
    ix = load_index(fixture_kg)
    marfan = next(p for p in treat(diagnose(c, ix, namespace="OMIM"), kg=ix).diseases if p.disease == "OMIM:154700")
    flags = {t.drug: [f.detail for f in t.flags if f.kind in ("adverse_event_in_case", "already_taking")]
             for t in marfan.treatments}
    a = text.index("dizziness")
    assert flags["DRUGBANK:DB00678"] == [
        f"the case had HP:0002321 Vertigo on Losartan (DRUGBANK:DB00678) (text[{a}:{a + 24}] "
        "'dizziness after losartan')"]
    assert not any(v for d, v in flags.items() if d != "DRUGBANK:DB00678")


@pytest.mark.parametrize("sentence,span", [
    # a finding that is a drug reaction by definition or in most cases (reasoning/reaction_findings.tsv):
    # with a bare 'on', 'while taking' or a dose it is the drug's reaction too
    ("Stevens-Johnson syndrome on carbamazepine.", "Stevens-Johnson syndrome on carbamazepine"),
    ("Stevens-Johnson syndrome while taking carbamazepine 200 mg bd.",
     "Stevens-Johnson syndrome while taking carbamazepine"),
])
def test_a_reaction_by_definition_on_a_drug_is_its_reaction(rec: Any, sentence: str, span: str) -> None:
    text = f"Joint pain. {sentence}"
    c = case_from_text(text, rec)
    a = text.index(span)
    assert _reactions(c) == {CBZ: [("DOID:0050426", f"text[{a}:{a + len(span)}] {span!r}")]}
    assert (c.present, c.conditions, c.drugs) == (["HP:0002829"], [], [])


def test_on_a_drug_only_the_reaction_by_definition_is_its_reaction(rec: Any) -> None:
    """``Seizures and SJS on carbamazepine``: the seizures are what the drug treats, SJS its reaction."""
    c = case_from_text("Seizures and Stevens-Johnson syndrome on carbamazepine.", rec)
    assert c.present == ["HP:0001250"] and [r.id for r in c.drug_reactions[CBZ]] == ["DOID:0050426"]
    c = case_from_text("Seizures on carbamazepine.", rec)
    assert (c.present, c.drugs, c.drug_reactions) == (["HP:0001250"], [CBZ], {})


@pytest.mark.parametrize("sentence,finding,drug_class", [
    ("Steroid-induced hyperglycaemia.", "HP:0003074", "Corticosteroid (DrugCentral class NDFRT:N0000175576"),
    ("NSAID-induced gastritis.", "HP:0005263", "Nonsteroidal Anti-inflammatory Drug (DrugCentral class NDFRT:N0000175722"),
    ("Opioid-induced constipation.", "HP:0002019", "Opioid Agonist (DrugCentral class NDFRT:N0000175690"),
    ("Constipation due to opioids.", "HP:0002019", "Opioid Agonist (DrugCentral class NDFRT:N0000175690"),
    ("Statins caused headache.", "HP:0002315", "HMG-CoA Reductase Inhibitor (DrugCentral class NDFRT:N0000175589"),
])
def test_a_reaction_to_a_drug_class_is_no_finding(rec: Any, sentence: str, finding: str, drug_class: str) -> None:
    """The finding is left out as a drug reaction, with a note naming the class, and kept as the
    case's reaction to the class (which ``--treatments`` flags the class's drugs for)."""
    c = case_from_text(f"Joint pain. {sentence}", rec)
    assert (c.present, c.drug_reactions) == (["HP:0002829"], {})
    cid = drug_class.rsplit(" ", 1)[1]
    assert [r.id for r in c.class_reactions[cid]] == [finding]
    assert [n for n in c.notes if n.startswith(f"left out {finding}, the patient's reaction to the drug class "
                                               f"{drug_class}; a drug reaction")]


def test_a_drug_class_on_its_own_is_no_reaction(rec: Any) -> None:
    c = case_from_text("Hyperglycaemia on steroids. Gastritis, NSAIDs stopped.", rec)
    assert c.present == ["HP:0003074", "HP:0005263"]


def test_a_malformed_reaction_table_is_an_error_naming_its_line(tmp_path: Path) -> None:
    from kg.errors import ExtractionError
    from reasoning.reaction_tables import drug_class_words, reaction_findings

    bad = tmp_path / "t.tsv"
    bad.write_text("# comment\nsteroid\tN0000175576\tCorticosteroid\n", encoding="utf-8")
    with pytest.raises(ExtractionError, match=r"t\.tsv:2: expected 4 non-empty tab-separated fields"):
        drug_class_words(bad)
    bad.write_text("SJS\tStevens-Johnson syndrome\tits name\n", encoding="utf-8")
    with pytest.raises(ExtractionError, match="'SJS' is no CURIE"):
        reaction_findings(bad)


def test_a_question_is_no_reaction(rec: Any) -> None:
    """``Rash with lamotrigine?`` asks; ``Rash with lamotrigine? - no``: the dash answers it."""
    c = case_from_text("Joint pain. Rash with lamotrigine?", rec)
    assert (c.present, c.drug_reactions) == (["HP:0002829", "HP:0000988"], {})
    c = case_from_text("Joint pain. Rash with lamotrigine? - no. Lamotrigine 100 mg bd.", rec)
    assert (c.present, c.excluded, c.drugs, c.drug_reactions) == (["HP:0002829"], ["HP:0000988"], [LTG], {})
