"""Treatments for a differential: paths, flags, honest gaps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reasoning import case_from_hpo, diagnose, load_index, treat
from reasoning.errors import UnknownDrugError
from reasoning.resolve import resolve_medication


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
    # this graph has adverse effects, but only Losartan's: the others were not checked, and the plan says so
    assert [w for w in plan.warnings if "adverse-effect" in w] == [
        "2 of 3 listed drugs have no adverse-effect statement on a phenotype term in the graph (Atenolol, "
        "Propranolol): their adverse effects were not checked against the case"]
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
    # although they carry more flags, and says what it is; it is a beta blocker like the allergen
    # Atenolol, while Losartan shares only the broad MeSH class Antihypertensive Agents with them
    assert [(t.drug, t.relation) for t in marfan.treatments] == [
        ("DRUGBANK:DB00678", "treats"), ("DRUGBANK:DB00335", "palliates"), ("DRUGBANK:DB00571", "indicated")]
    propranolol = by_drug["DRUGBANK:DB00571"]
    assert [f.kind for f in propranolol.flags] == ["allergy_class"] and propranolol.note is not None
    assert propranolol.note.startswith("unreviewed label indication")
    assert [(e.predicate, e.disease, e.source) for e in propranolol.evidence] == [
        ("indicated_for", "DOID:14323", "fixture_drugs")]
    assert by_drug["DRUGBANK:DB00678"].note is None and marfan.note is None
    lds = next(p for p in plan.diseases if p.disease == "OMIM:609192")
    assert lds.treatments == [] and lds.note == "no curated treatment for this disease in the graph"
    assert all(p.rank >= 1 for p in plan.diseases)


def _flags(plan, drug: str) -> list[str]:
    marfan = next(p for p in plan.diseases if p.disease == "OMIM:154700")
    return [f.kind for t in marfan.treatments if t.drug == drug for f in t.flags]


@pytest.mark.parametrize("allergy", ["drugbank:db00335", "DB00335", "db00335", "atenolol", " ATENOLOL "])
def test_allergy_given_any_way_is_flagged(fixture_kg: Path, allergy: str) -> None:
    ix = load_index(fixture_kg)
    case = case_from_hpo(["HP:0001166", "HP:0001083"], allergies=[allergy])
    d = diagnose(case, ix, namespace="OMIM")
    assert d.case.allergies == ["DRUGBANK:DB00335"]
    assert _flags(treat(d, kg=ix), "DRUGBANK:DB00335") == ["allergy"]
    # the case as given (not resolved by diagnose) is resolved by treat too
    assert _flags(treat(d, case, kg=ix), "DRUGBANK:DB00335") == ["allergy"]
    named = [w for w in d.warnings if w.endswith("is the drug DRUGBANK:DB00335 (Atenolol)")]
    assert named == ([f"allergies: {allergy.strip()!r} is the drug DRUGBANK:DB00335 (Atenolol)"]
                     if "tenolol" in allergy.lower() else [])


@pytest.mark.parametrize(
    ("what", "given", "why"),
    [
        ("allergies", "DRUGBANK:DB99999", "not a drug in the graph"),
        ("allergies", "OMIM:154700", "a disease, not a drug"),
        ("drugs", "HP:0001166", "a phenotype, not a drug"),
        ("drugs", "aspirin", "not the name of a drug in the graph"),
    ],
)
def test_what_is_not_a_drug_is_an_error_or_skipped(fixture_kg: Path, what: str, given: str, why: str) -> None:
    ix = load_index(fixture_kg)
    case = case_from_hpo(["HP:0001166"], **{what: [given, "DRUGBANK:DB00335"]})
    with pytest.raises(UnknownDrugError) as e:
        diagnose(case, ix)
    assert f"{what}: {given} is {why}" in str(e.value) and e.value.ids == [given]
    with pytest.raises(UnknownDrugError):
        treat(diagnose(case_from_hpo(["HP:0001166"]), ix), case, kg=ix)
    d = diagnose(case, ix, lenient=True)
    assert getattr(d.case, what) == ["DRUGBANK:DB00335"]
    assert f"skipped {what} {given}: {why}" in d.warnings
    plan = treat(d, case, kg=ix, lenient=True)
    assert f"skipped {what} {given}: {why}" in plan.warnings


def test_a_drug_both_taken_and_an_allergy_is_warned(fixture_kg: Path) -> None:
    d = diagnose(case_from_hpo(["HP:0001166"], drugs=["DB00335"], allergies=["atenolol"]), load_index(fixture_kg))
    assert "DRUGBANK:DB00335 (Atenolol) is both a current drug and an allergy" in d.warnings


def test_a_name_of_several_drugs_asks_for_the_id(tmp_path: Path, make_fixture_bundle) -> None:
    kg = make_fixture_bundle(tmp_path / "kg", {"nodes": [{"id": "DRUGBANK:DB99998", "type": "Drug", "label": "ATENOLOL"}]})
    with pytest.raises(UnknownDrugError, match=r"atenolol is the name of 2 drugs \(DRUGBANK:DB00335, DRUGBANK:DB99998\)"):
        resolve_medication(load_index(kg), case_from_hpo(["HP:0001166"], allergies=["atenolol"]))


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
    # that graph has no adverse effects at all: the plan says the check was not made
    assert any(w.startswith("the graph has no adverse-effect statements") for w in plan.warnings)


def test_an_adverse_effect_that_is_the_diseases_own_feature_says_so(tmp_path: Path, fixture_kg: Path,
                                                                   make_fixture_bundle) -> None:
    """Losartan's known adverse effect Vertigo overlaps the case's Vertigo. When the candidate is
    itself annotated with Vertigo, the flag read the same, as if the drug were the only suspect;
    it now says the disease has that feature too, and not when the disease does not."""
    with_vertigo = make_fixture_bundle(tmp_path / "kg", {"edges": [
        {"subject": "OMIM:154700", "predicate": "HAS_PHENOTYPE", "object": "HP:0002321", "frequency": 0.5}]})
    case = case_from_hpo(["HP:0001166", "HP:0002321", "HP:0001083"])
    overlap = "known adverse effect HP:0002321 Vertigo (frequency 0.05) overlaps the case's HP:0002321"
    for kg, expected in ((with_vertigo, overlap + "; HP:0002321 is also a feature of this disease (annotated "
                                                   "HP:0002321), which may explain it"),
                         (fixture_kg, overlap)):
        marfan = treat(diagnose(case, kg, namespace="OMIM", top_k=1), case).diseases[0]
        assert marfan.disease == "OMIM:154700"
        losartan = next(t for t in marfan.treatments if t.drug == "DRUGBANK:DB00678")
        assert [f.detail for f in losartan.flags if f.kind == "adverse_effect_overlap"] == [expected]


def test_allergies_and_drugs_matched_by_identity_only_are_said_to_be(tmp_path: Path) -> None:
    """An allergy flags the allergen itself only on a graph without drug classes: with a penicillin
    allergy, amoxicillin went unflagged and the plan said nothing, as if drug classes had been
    checked. It says so when the case has allergies or drugs, and only then."""
    from kg.build import build
    from kg.sources.graph_json import load_graph_json

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    drugs = json.loads((fixtures / "drugs.json").read_text())
    drugs["nodes"] = [n for n in drugs["nodes"] if n["type"] != "DrugClass"]
    drugs["edges"] = [e for e in drugs["edges"] if e["predicate"] != "IN_CLASS"]
    (tmp_path / "drugs.json").write_text(json.dumps(drugs))
    build(tmp_path / "kg", sources=[], extra=[load_graph_json(fixtures / "phenotypes.json"),
                                              load_graph_json(tmp_path / "drugs.json")])
    ix = load_index(tmp_path / "kg")
    assert ix.drug_classes == {}
    said = "matched to the listed drugs by identity only (the graph has no drug classes)"
    for allergies, drugs_taken, expected in (([], [], False), (["DRUGBANK:DB00335"], [], True),
                                             ([], ["DRUGBANK:DB00331"], True)):
        case = case_from_hpo(["HP:0001166", "HP:0001083"], allergies=allergies, drugs=drugs_taken)
        plan = treat(diagnose(case, ix, namespace="OMIM", top_k=1), case)
        assert plan.diseases[0].treatments
        assert any(said in w for w in plan.warnings) is expected, (allergies, drugs_taken, plan.warnings)
        assert not any(f.kind.endswith("_class") for t in plan.diseases[0].treatments for f in t.flags)


def test_adverse_effects_no_listed_drug_can_be_matched_to_are_said_to_be_unchecked(tmp_path: Path) -> None:
    """SIDER's adverse effects name PubChem compounds and MedDRA (UMLS) terms, never the DrugBank
    drugs of the indications nor HPO terms: built with SIDER, the graph has adverse-effect
    statements, yet no flag can ever fire. The plan used to say nothing, as if every drug had been
    checked; it now says that none was, and why."""
    from kg.build import build
    from kg.sources.graph_json import load_graph_json

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    drugs = json.loads((fixtures / "drugs.json").read_text())
    drugs["edges"] = [e for e in drugs["edges"] if e["predicate"] != "HAS_ADVERSE_EFFECT"] + [
        {"subject": "PUBCHEM:3961", "predicate": "HAS_ADVERSE_EFFECT", "object": "UMLS:C0042571",
         "frequency": 0.05, "frequency_label": "5%"}]
    drugs["nodes"] += [{"id": "PUBCHEM:3961", "type": "Drug", "label": "CID100003961"},
                       {"id": "UMLS:C0042571", "type": "PhenotypicFeature", "label": "Vertigo"}]
    (tmp_path / "drugs.json").write_text(json.dumps(drugs))
    kg = build(tmp_path / "kg", sources=[], extra=[load_graph_json(fixtures / "phenotypes.json"),
                                                   load_graph_json(tmp_path / "drugs.json")])
    assert kg["counts"]["edges"]["HAS_ADVERSE_EFFECT"] == 1
    case = case_from_hpo(["HP:0001166", "HP:0002321", "HP:0001083"])
    plan = treat(diagnose(case, tmp_path / "kg", namespace="OMIM"), case)
    marfan = next(p for p in plan.diseases if p.disease == "OMIM:154700")
    assert marfan.treatments and not any(f.kind == "adverse_effect_overlap" for t in marfan.treatments for f in t.flags)
    assert [w for w in plan.warnings if "adverse" in w] == [
        "the graph's adverse-effect statements name their drugs by PUBCHEM ids, which no drug-disease statement "
        "uses, and name their effects by UMLS ids, not terms of the graph's phenotype ontology: the drugs' "
        "adverse effects were not checked against the case"]


def test_a_drug_stated_for_a_broader_cross_referenced_disease_says_so(tmp_path: Path, make_fixture_bundle) -> None:
    """A cross-reference can join one broad disease to several specific ones: a drug stated
    for the broad one is listed for each, with ``stated_for`` and a note saying it is not
    stated for the candidate itself; a drug stated for the candidate's own ids has neither."""
    broad = {
        "nodes": [{"id": "DOID:9000001", "type": "Disease", "label": "Connective tissue thing"},
                  {"id": "DRUGBANK:DB09999", "type": "Drug", "label": "Broadamab"}],
        "edges": [{"subject": "DOID:9000001", "predicate": "XREF", "object": o} for o in ("OMIM:130000", "OMIM:609192")]
        + [{"subject": "DRUGBANK:DB09999", "predicate": "TREATS", "object": "DOID:9000001"}],
    }
    kg = make_fixture_bundle(tmp_path / "kg", broad)
    case = case_from_hpo(["HP:0000974"])
    plan = treat(diagnose(case, kg, namespace="OMIM", top_k=5), case, top_n=5)
    eds = next(p for p in plan.diseases if p.disease == "OMIM:130000")
    t = next(t for t in eds.treatments if t.drug == "DRUGBANK:DB09999")
    assert t.stated_for == ["DOID:9000001"]
    assert t.note == ("stated for DOID:9000001 (Connective tissue thing, cross-referenced to 2 diseases), "
                      "not for this disease itself")
    case = case_from_hpo(["HP:0001166", "HP:0001083"])
    marfan = treat(diagnose(case, kg, namespace="OMIM", top_k=1), case).diseases[0]
    assert all(t.stated_for == [] for t in marfan.treatments)


def test_treat_checks_its_arguments_and_needs_the_index_of_a_store(fixture_kg: Path) -> None:
    """A differential ranked on a store names no bundle: treat() used to fail with KeyError
    'bundle'; a negative top_n silently dropped the last candidates; a case passed as the
    differential gave an AttributeError."""
    from kg.bundle import Bundle
    from kg.errors import ConfigError

    case = case_from_hpo(["HP:0001166", "HP:0002321"], allergies=["DRUGBANK:DB00335"])
    ix = load_index(store=Bundle(fixture_kg).selector("ladybug"))
    d = diagnose(case, ix, top_k=3)
    with pytest.raises(ConfigError, match=r"ranked on the store ladybug:.*give its index, treat\(differential, case, kg=index\)"):
        treat(d, case)
    assert treat(d, case, kg=ix).diseases[0].treatments  # with the index, as from the bundle
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ConfigError, match=f"top_n must be a positive whole number, got {bad!r}"):
            treat(d, case, kg=ix, top_n=bad)
    with pytest.raises(ConfigError, match="treat\\(\\) takes the Differential that diagnose\\(\\) returns, got Case"):
        treat(case, case, kg=ix)
    with pytest.raises(ConfigError, match="case must be a reasoning.Case, got list"):
        treat(d, ["HP:0001166"], kg=ix)



def test_a_drug_a_text_says_was_stopped_is_flagged_as_taken_before(fixture_kg: Path) -> None:
    """A past drug in a note was dropped, so "took ... (stopped)" never fired for a text case as it
    does for a phenopacket's finished treatment."""
    from reasoning import case_from_text

    ix = load_index(fixture_kg)
    c = case_from_text("Spider fingers and ectopia lentis. Losartan was stopped last year.", ix)
    assert c.drugs == c.drugs_stopped == ["DRUGBANK:DB00678"]
    marfan = next(p for p in treat(diagnose(c, ix, namespace="OMIM"), c).diseases if p.disease == "OMIM:154700")
    losartan = next(t for t in marfan.treatments if t.drug == "DRUGBANK:DB00678")
    assert [f.detail for f in losartan.flags if f.kind == "already_taking"] == [
        "the case took Losartan (DRUGBANK:DB00678) (stopped)"]
