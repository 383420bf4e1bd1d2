"""Treatment flags by drug class (issue 6) on the fixture graph: beta blockers Atenolol and
Propranolol share the FDA EPC beta-Adrenergic Blocker; all three antihypertensives, Losartan too,
share only the broad MeSH class Antihypertensive Agents; Prednisone is a Corticosteroid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reasoning import case_from_hpo, case_from_text, diagnose, load_index, treat
from reasoning.index import DiagnosisIndex

ATENOLOL, PROPRANOLOL, LOSARTAN = "DRUGBANK:DB00335", "DRUGBANK:DB00571", "DRUGBANK:DB00678"
BETA_BLOCKER = "FDA Established Pharmacologic Class beta-Adrenergic Blocker (NDFRT:N0000175556)"
FEATURES = ["HP:0001166", "HP:0001083"]


@pytest.fixture(scope="module")
def ix(fixture_kg: Path) -> DiagnosisIndex:
    return load_index(fixture_kg)


def _marfan_flags(ix: DiagnosisIndex, case) -> dict[str, list[tuple[str, str, str | None]]]:
    plan = treat(diagnose(case, ix, namespace="OMIM", top_k=1), case)
    marfan = plan.diseases[0]
    assert marfan.disease == "OMIM:154700"
    return {t.drug: [(f.kind, f.detail, f.source) for f in t.flags if f.kind != "adverse_effect_overlap"]
            for t in marfan.treatments}


def test_the_index_keeps_each_drugs_classes(ix: DiagnosisIndex) -> None:
    assert [(c.id, c.narrow) for c in ix.drug_classes[ATENOLOL]] == [
        ("MESH:D000959", False), ("NDFRT:N0000175556", True)]
    assert ix.class_members["NDFRT:N0000175556"] == [ATENOLOL, PROPRANOLOL]
    assert ix.class_members["MESH:D000959"] == [ATENOLOL, PROPRANOLOL, LOSARTAN]


def test_an_allergy_flags_the_drugs_of_its_narrow_class_only(ix: DiagnosisIndex) -> None:
    """A propranolol allergy never flagged atenolol (matched by identity only); it now does, naming
    the class and its source. Losartan, which shares only MeSH's broad Antihypertensive Agents with
    them, is not flagged."""
    flags = _marfan_flags(ix, case_from_hpo(FEATURES, allergies=[PROPRANOLOL]))
    assert flags[ATENOLOL] == [("allergy_class", "the case is allergic to Propranolol (DRUGBANK:DB00571); Atenolol "
                                f"shares its {BETA_BLOCKER}", "fixture_drugs")]
    assert flags[PROPRANOLOL] == [("allergy", "the case is allergic to Propranolol (DRUGBANK:DB00571)", None)]
    assert flags[LOSARTAN] == []


def test_a_current_drug_flags_another_drug_of_its_class(ix: DiagnosisIndex) -> None:
    """Same-class duplication: taking atenolol, propranolol is a second beta blocker."""
    flags = _marfan_flags(ix, case_from_hpo(FEATURES, drugs=[ATENOLOL]))
    assert flags[PROPRANOLOL] == [("already_taking_class", "the case already takes Atenolol (DRUGBANK:DB00335); "
                                   f"Propranolol shares its {BETA_BLOCKER}", "fixture_drugs")]
    assert [k for k, *_ in flags[ATENOLOL]] == ["already_taking"] and flags[LOSARTAN] == []


def test_the_plan_says_how_drugs_were_matched_and_which_have_no_narrow_class(ix: DiagnosisIndex) -> None:
    case = case_from_hpo(FEATURES, drugs=[LOSARTAN], allergies=[ATENOLOL])
    plan = treat(diagnose(case, ix, namespace="OMIM", top_k=1), case)
    assert any(w.startswith("the case's allergies and drugs are matched to the listed drugs by identity and by a "
                            "shared FDA Established Pharmacologic Class or FDA Chemical/Ingredient class")
               for w in plan.warnings)
    assert ("Losartan (DRUGBANK:DB00678): in no FDA Established Pharmacologic Class or Chemical/Ingredient class of "
            "the graph, so matched to the listed drugs by identity only") in plan.warnings
    assert not any("identity only (the graph has no drug classes)" in w for w in plan.warnings)


def test_a_text_class_reaction_flags_the_drugs_of_that_class(ix: DiagnosisIndex) -> None:
    """"Dizziness due to beta blockers" named the class and flagged no drug; it now flags the
    graph's beta blockers, citing the text, and not Losartan."""
    text = "Arachnodactyly and ectopia lentis. Dizziness due to beta blockers."
    case = case_from_text(text, ix)
    a = text.index("Dizziness")
    span = f"text[{a}:{len(text) - 1}] 'Dizziness due to beta blockers'"
    assert [(r.id, r.origin) for r in case.class_reactions["NDFRT:N0000175556"]] == [("HP:0002321", span)]
    flags = _marfan_flags(ix, case)
    for drug, label in ((ATENOLOL, "Atenolol"), (PROPRANOLOL, "Propranolol")):
        assert flags[drug] == [("adverse_event_in_case_class", f"the case had HP:0002321 Vertigo on a drug of the "
                                f"{BETA_BLOCKER}, a class {label} is in ({span})", "fixture_drugs")]
    assert flags[LOSARTAN] == []


def test_a_class_reaction_no_graph_drug_is_in_is_said_to_flag_nothing(ix: DiagnosisIndex) -> None:
    case = case_from_text("Arachnodactyly and ectopia lentis. Dizziness due to opioids.", ix)
    assert list(case.class_reactions) == ["NDFRT:N0000175690"]
    plan = treat(diagnose(case, ix, namespace="OMIM", top_k=1), case)
    assert ("the case's reaction to the drug class NDFRT:N0000175690 flags no drug: the graph has no drug in "
            "that class") in plan.warnings


def test_cli_json_shows_the_class_flags(medkg, fixture_kg: Path) -> None:
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", ",".join(FEATURES), "--namespace", "OMIM",
              "--top-k", "1", "--treatments", "--allergy", "propranolol", "--drug", "atenolol", "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    drugs = {t["drug"]: t for t in out["treatments"][0]["treatments"]}
    kinds = [f["kind"] for f in drugs[ATENOLOL]["flags"]]
    assert "allergy_class" in kinds and "already_taking" in kinds
    assert [f["kind"] for f in drugs[PROPRANOLOL]["flags"]] == ["allergy", "already_taking_class"]
    detail = next(f["detail"] for f in drugs[ATENOLOL]["flags"] if f["kind"] == "allergy_class")
    assert "Propranolol (DRUGBANK:DB00571)" in detail and BETA_BLOCKER in detail
