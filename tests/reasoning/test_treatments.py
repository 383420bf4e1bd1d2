"""Treatments for a differential: paths, flags, honest gaps."""

from __future__ import annotations

import json
from pathlib import Path

from reasoning import case_from_hpo, diagnose, load_index, treat


def test_flags_paths_and_gaps(fixture_kg: Path) -> None:
    ix = load_index(fixture_kg)
    case = case_from_hpo(["HP:0001166", "HP:0002321", "HP:0001083"], drugs=["DRUGBANK:DB00678"],
                         allergies=["DRUGBANK:DB00335"])
    d = diagnose(case, ix, namespace="OMIM")
    plan = treat(d, case)  # the bundle is found through the differential
    marfan = next(p for p in plan.diseases if p.disease == "OMIM:154700")
    by_drug = {t.drug: t for t in marfan.treatments}
    losartan = by_drug["DRUGBANK:DB00678"]
    assert losartan.relation == "treats" and losartan.label == "Losartan"
    assert {f.kind for f in losartan.flags} == {"already_taking", "adverse_effect_overlap"}
    overlap = next(f for f in losartan.flags if f.kind == "adverse_effect_overlap")
    assert "HP:0002321" in overlap.detail and overlap.source == "fixture_drugs"
    ev = losartan.evidence[0]
    assert (ev.source, ev.source_version, ev.disease) == ("fixture_drugs", "v1-fixture", "DOID:14323")
    assert [f.kind for f in by_drug["DRUGBANK:DB00335"].flags] == ["allergy"]
    # prednisone is NOT indicated for Marfan: listed apart, never as a treatment
    assert [(t.drug, t.relation) for t in marfan.not_indicated] == [("DRUGBANK:DB00635", "not_indicated")]
    assert "DRUGBANK:DB00635" not in by_drug
    # Propranolol's label indication (no curator classed it) comes after the curated drugs,
    # although they carry flags and it does not, and says what it is
    assert [(t.drug, t.relation) for t in marfan.treatments] == [
        ("DRUGBANK:DB00678", "treats"), ("DRUGBANK:DB00335", "palliates"), ("DRUGBANK:DB00571", "indicated")]
    propranolol = by_drug["DRUGBANK:DB00571"]
    assert propranolol.flags == [] and propranolol.note is not None
    assert propranolol.note.startswith("unreviewed label indication")
    assert [(e.predicate, e.disease, e.source) for e in propranolol.evidence] == [
        ("indicated_for", "DOID:14323", "fixture_drugs")]
    assert by_drug["DRUGBANK:DB00678"].note is None and marfan.note is None
    lds = next(p for p in plan.diseases if p.disease == "OMIM:609192")
    assert lds.treatments == [] and lds.note == "no curated treatment for this disease in the graph"
    assert all(p.rank >= 1 for p in plan.diseases)


def test_every_drug_disease_predicate_has_a_relation() -> None:
    """treat() reads every Drug -> Disease statement; each predicate of the model maps to a relation."""
    from kg.model import DRUG_DISEASE_PREDICATES
    from reasoning.treatments import RELATIONS

    assert set(RELATIONS) == {p.rdf_name for p in DRUG_DISEASE_PREDICATES}


def test_only_label_indications_is_no_curated_treatment(tmp_path: Path) -> None:
    """A disease whose only drugs are unreviewed label indications lists them, and says
    that the graph has no curated treatment for it."""
    from kg.build import build
    from kg.sources.graph_json import load_graph_json

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    drugs = json.loads((fixtures / "drugs.json").read_text())
    drugs["edges"] = [e for e in drugs["edges"] if e["predicate"] in ("INDICATED_FOR", "XREF")]
    (tmp_path / "drugs.json").write_text(json.dumps(drugs))
    kg = build(tmp_path / "kg", sources=[], extra=[load_graph_json(fixtures / "phenotypes.json"),
                                                   load_graph_json(tmp_path / "drugs.json")])
    assert kg["counts"]["edges"].get("TREATS", 0) == 0
    case = case_from_hpo(["HP:0001166", "HP:0001083", "HP:0002616"])
    plan = treat(diagnose(case, tmp_path / "kg", namespace="OMIM"), case)
    marfan = next(p for p in plan.diseases if p.disease == "OMIM:154700")
    assert [(t.drug, t.relation) for t in marfan.treatments] == [("DRUGBANK:DB00571", "indicated")]
    assert marfan.note == "no curated treatment for this disease in the graph; 1 unreviewed label indication listed"
