"""Treatments read from text (``medkg extract --into``) are never shown as curated ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.bundle import Bundle
from kg.extraction import Dictionary, Recognizer
from kg.extraction.merge import merge_statements, remove_source
from reasoning import case_from_hpo, diagnose, load_index, treat
from reasoning.treatments import DiseaseTreatments, TreatmentPlan

TEXT = ("Losartan is used for the treatment of Loeys-Dietz syndrome 1. "   # LDS1 has no curated drug
        "Losartan is used for the treatment of Marfan syndrome. "          # = a curated TREATS edge
        "Atenolol is used for the treatment of Marfan syndrome. "          # curated PALLIATES, text treats
        "Metformin is used for the treatment of Marfan syndrome.")         # text only, curated drugs beside
DOC = "notes/lds.txt"
CASE = ["HP:0001166", "HP:0002321", "HP:0001083"]
LOSARTAN, ATENOLOL, METFORMIN, PROPRANOLOL = (f"DRUGBANK:{d}" for d in ("DB00678", "DB00335", "DB00331", "DB00571"))


def merged_bundle(out: Path, fixture_kg: Path, source: str = "text_extraction") -> Path:
    """A copy of the fixture bundle with :data:`TEXT`'s statements merged as ``source``."""
    shutil.copytree(fixture_kg, out)
    doc = Recognizer(Dictionary.from_bundle(out, cache_dir=False)).extract(TEXT, doc_id=DOC)
    assert {(r.subject, r.object) for r in doc.relations} == {
        (LOSARTAN, "OMIM:609192"), (LOSARTAN, "DOID:14323"), (ATENOLOL, "DOID:14323"), (METFORMIN, "DOID:14323")}
    merge_statements(out, [doc], source=source, files=[DOC])
    return out


def plan_for(kg: Path) -> TreatmentPlan:
    case = case_from_hpo(CASE)
    return treat(diagnose(case, load_index(kg), namespace="OMIM"), case, top_n=10)


def disease(plan: TreatmentPlan, disease_id: str) -> DiseaseTreatments:
    return next(p for p in plan.diseases if p.disease == disease_id)


@pytest.fixture(scope="module")
def text_kg(fixture_kg: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return merged_bundle(tmp_path_factory.mktemp("text-mined") / "kg", fixture_kg)


def test_a_drug_only_from_text_is_text_mined_and_the_gap_note_stays(text_kg: Path) -> None:
    lds = disease(plan_for(text_kg), "OMIM:609192")
    assert [(t.drug, t.relation) for t in lds.treatments] == [(LOSARTAN, "text_mined")]
    assert lds.note == "no curated treatment for this disease in the graph; 1 text-mined candidate listed"
    (t,) = lds.treatments
    assert t.evidence == [] and t.note is not None and t.note.startswith("text-mined candidate: read from documents")
    (ev,) = t.text_evidence
    assert (ev.source, ev.predicate, ev.disease, ev.doc_id) == ("text_extraction", "treats", "OMIM:609192", DOC)
    assert ev.sentence == "Losartan is used for the treatment of Loeys-Dietz syndrome 1."
    assert TEXT[slice(*ev.drug_span)] == "Losartan" and TEXT[slice(*ev.disease_span)] == "Loeys-Dietz syndrome 1"
    assert (ev.method, ev.score) == ("pattern", 0.6)


def test_a_drug_with_curated_and_text_evidence_keeps_its_curated_relation(text_kg: Path) -> None:
    marfan = disease(plan_for(text_kg), "OMIM:154700")
    # curated first, then the label indication, then the drug known from text only
    assert [(t.drug, t.relation) for t in marfan.treatments] == [
        (LOSARTAN, "treats"), (ATENOLOL, "palliates"), (PROPRANOLOL, "indicated"), (METFORMIN, "text_mined")]
    assert marfan.note is None
    by_drug = {t.drug: t for t in marfan.treatments}
    losartan = by_drug[LOSARTAN]
    # the curated statement's own evidence, without the text merged into that edge; the text apart
    assert [(e.source, e.reference) for e in losartan.evidence] == [("fixture_drugs", "category=DM")]
    assert [(e.source, e.doc_id, e.sentence) for e in losartan.text_evidence] == [
        ("text_extraction", DOC, "Losartan is used for the treatment of Marfan syndrome.")]
    assert losartan.note is None
    # text says atenolol treats (an edge of its own): it stays the curated symptomatic drug, once
    atenolol = by_drug[ATENOLOL]
    assert [e.source for e in atenolol.evidence] == ["fixture_drugs"]
    assert [(e.predicate, e.doc_id) for e in atenolol.text_evidence] == [("treats", DOC)]
    metformin = by_drug[METFORMIN]
    assert metformin.evidence == [] and [e.doc_id for e in metformin.text_evidence] == [DOC]


def test_any_source_name_is_text_mined_and_removing_it_restores_the_plan(fixture_kg: Path, tmp_path: Path) -> None:
    kg = merged_bundle(tmp_path / "kg", fixture_kg, source="pubmed-2024")
    assert Bundle(kg).text_sources() == ["pubmed-2024"]
    lds = disease(plan_for(kg), "OMIM:609192")
    assert [(t.relation, [e.source for e in t.text_evidence]) for t in lds.treatments] == [
        ("text_mined", ["pubmed-2024"])]
    remove_source(kg, source="pubmed-2024")
    plan = plan_for(kg)
    assert disease(plan, "OMIM:609192").treatments == []
    assert disease(plan, "OMIM:609192").note == "no curated treatment for this disease in the graph"
    assert all(t.text_evidence == [] for t in disease(plan, "OMIM:154700").treatments)


def test_a_phenotype_read_from_text_is_marked_text_mined_in_the_evidence(
    fixture_kg: Path, tmp_path: Path,
) -> None:
    """A disease → phenotype statement merged from text scores like any annotation, and its
    evidence item says it was read from documents; curated annotations say they were not."""
    kg = tmp_path / "kg"
    shutil.copytree(fixture_kg, kg)
    doc = Recognizer(Dictionary.from_bundle(kg, cache_dir=False)).extract(
        "Loeys-Dietz syndrome 1 presents with hyperextensible skin.", doc_id="notes/lds-eye.txt")
    assert [(r.subject, r.predicate, r.object) for r in doc.relations] == [
        ("OMIM:609192", "has_phenotype", "HP:0000974")]
    merge_statements(kg, [doc], files=["notes/lds-eye.txt"])
    d = diagnose(case_from_hpo(["HP:0000974", "HP:0002616"]), load_index(kg))
    lds = next(c for c in d.candidates if c.id == "OMIM:609192")
    assert d.graph["text_sources"] == ["text_extraction"]  # as from a store (same field, same shape)
    skin = next(e for e in lds.evidence if e.case_term == "HP:0000974")
    assert (skin.kind, skin.source, skin.text_mined) == ("exact", "text_extraction", True)
    aorta = next(e for e in lds.evidence if e.case_term == "HP:0002616")
    assert (aorta.kind, aorta.source, aorta.text_mined) == ("exact", "fixture_hpo", False)


def test_text_naming_the_disease_itself_is_told_apart_from_a_curated_broader_statement(
    tmp_path: Path, make_fixture_bundle,
) -> None:
    """A drug curated only for a broader cross-referenced disease, that text reads for the
    candidate itself: the note says both, and which one is curated."""
    broad = {
        "nodes": [{"id": "DOID:9000001", "type": "Disease", "label": "Connective tissue thing"},
                  {"id": "DRUGBANK:DB09999", "type": "Drug", "label": "Broadamab"}],
        "edges": [{"subject": "DOID:9000001", "predicate": "XREF", "object": o} for o in ("OMIM:130000", "OMIM:609192")]
        + [{"subject": "DRUGBANK:DB09999", "predicate": "PALLIATES", "object": "DOID:9000001"}],
    }
    kg = make_fixture_bundle(tmp_path / "kg", broad)
    doc = Recognizer(Dictionary.from_bundle(kg, cache_dir=False)).extract(
        "Broadamab is used for the treatment of Loeys-Dietz syndrome 1.", doc_id="notes/lds.txt")
    assert [(r.subject, r.object) for r in doc.relations] == [("DRUGBANK:DB09999", "OMIM:609192")]
    merge_statements(kg, [doc], files=["notes/lds.txt"])
    case = case_from_hpo(CASE)
    lds = disease(treat(diagnose(case, load_index(kg), namespace="OMIM"), case, top_n=10), "OMIM:609192")
    t = next(t for t in lds.treatments if t.drug == "DRUGBANK:DB09999")
    assert (t.relation, t.stated_for) == ("palliates", ["DOID:9000001"])
    assert t.note == ("palliates is stated for DOID:9000001 (Connective tissue thing, cross-referenced to 2 "
                      "diseases), not for this disease itself; text read 'treats' for OMIM:609192 itself "
                      "(text-mined, not curated)")
