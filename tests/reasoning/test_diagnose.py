"""Differential diagnosis on the fixture graph (and, marked slow, on the real graph)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from kg.errors import ConfigError
from reasoning import case_from_hpo, diagnose, load_index, load_phenopacket, parse_phenopacket
from reasoning.errors import EmptyCaseError, UnknownTermError
from reasoning.index import DiagnosisIndex


@pytest.fixture(scope="module")
def ix(fixture_kg: Path) -> DiagnosisIndex:
    return load_index(fixture_kg)


def test_ranks_every_disease_with_evidence(ix: DiagnosisIndex) -> None:
    d = diagnose(case_from_hpo(["HP:0001166", "HP:0002616", "HP:0001083"]), ix, top_k=10)
    assert d.ranked == 3  # Marfan (OMIM+ORPHA+DOID as one), Loeys-Dietz, Ehlers-Danlos
    assert [c.label for c in d.candidates][0] == "Marfan syndrome"
    assert abs(sum(c.probability for c in d.candidates) - 1) < 1e-9
    assert [c.rank for c in d.candidates] == [1, 2, 3]
    assert all(a.score >= b.score for a, b in zip(d.candidates, d.candidates[1:], strict=False))
    marfan = d.candidates[0]
    assert set(marfan.ids) == {"OMIM:154700", "ORPHA:558", "DOID:14323"}
    assert {(lk.subject, lk.object) for lk in marfan.identity} == {
        ("DOID:14323", "OMIM:154700"), ("DOID:14323", "ORPHA:558")}
    first = marfan.evidence[0]
    assert (first.kind, first.case_term, first.disease_term, first.source) == (
        "exact", "HP:0001166", "HP:0001166", "fixture_hpo")
    assert first.frequency == 0.895 and first.frequency_label == "HP:0040281"
    assert first.source_version == "2025-01-16-fixture" and first.path[-1] == marfan.id
    json.loads(d.model_dump_json())  # serialisable


def test_match_kinds(ix: DiagnosisIndex) -> None:
    # Abnormality of finger: Marfan is annotated with a descendant (arachnodactyly);
    # joint hypermobility for Marfan is exact; excluded ectopia lentis contradicts Marfan.
    d = diagnose(case_from_hpo(["HP:0001167", "HP:0001382"], excluded=["HP:0001083"]), ix, namespace="OMIM")
    marfan = next(c for c in d.candidates if c.id == "OMIM:154700")
    kinds = {e.case_term: e.kind for e in marfan.evidence if e.case_term}
    assert kinds == {"HP:0001167": "descendant", "HP:0001382": "exact", "HP:0001083": "excluded"}
    excluded = next(e for e in marfan.evidence if e.kind == "excluded")
    assert excluded.log10_lr < 0
    assert any(e.kind == "missing" and e.disease_term == "HP:0002616" for e in marfan.evidence)
    lds = next(c for c in d.candidates if c.id == "OMIM:609192")
    assert not any(e.kind == "excluded" for e in lds.evidence)  # LDS has no ectopia lentis


def test_negated_annotation_contradicts(ix: DiagnosisIndex) -> None:
    d = diagnose(case_from_hpo(["HP:0001249", "HP:0001166"]), ix, namespace="OMIM")
    marfan = next(c for c in d.candidates if c.id == "OMIM:154700")
    assert any(e.kind == "contradicted" and e.case_term == "HP:0001249" for e in marfan.evidence)
    d2 = diagnose(case_from_hpo(["HP:0001166"], excluded=["HP:0001249"]), ix, namespace="OMIM")
    ev = next(c for c in d2.candidates if c.id == "OMIM:154700").evidence
    assert any(e.kind == "excluded_consistent" for e in ev)


def test_namespace_and_identity(ix: DiagnosisIndex) -> None:
    d = diagnose(case_from_hpo(["HP:0001166", "HP:0001083"]), ix, namespace="ORPHA")
    assert [c.id for c in d.candidates] == ["ORPHA:558"] and d.namespace == "ORPHA"
    assert diagnose(case_from_hpo(["HP:0001166"]), ix, namespace="DECIPHER").candidates == []


def test_a_decipher_syndrome_joins_its_namesake(tmp_path: Path, make_fixture_bundle) -> None:
    kg = make_fixture_bundle(tmp_path / "kg", {"nodes": [
        {"id": "DECIPHER:99", "type": "Disease", "label": "Marfan Syndrome"},
        {"id": "DECIPHER:98", "type": "Disease", "label": "A syndrome nobody else names"}]})
    ix = load_index(kg)
    assert "DECIPHER:99" in ix.identity.members("ORPHA:558")
    assert ix.identity.members("DECIPHER:98") == ["DECIPHER:98"]


def test_unknown_and_obsolete_ids(ix: DiagnosisIndex) -> None:
    with pytest.raises(UnknownTermError, match="HP:9999999") as e:
        diagnose(case_from_hpo(["HP:0001166", "HP:9999999"]), ix)
    assert "--lenient" in str(e.value)
    d = diagnose(case_from_hpo(["HP:0001166", "HP:9999999"]), ix, lenient=True)
    assert any("HP:9999999" in w for w in d.warnings)
    d = diagnose(case_from_hpo(["HP:0001505"]), ix)  # obsolete alt id of arachnodactyly
    assert d.case.present == ["HP:0001166"]
    assert any("HP:0001505" in n and "HP:0001166" in n for n in d.case.notes)
    assert any("replaced" in w for w in d.warnings)
    # from a phenopacket, the note names the file and JSON path, as every phenopacket message does
    packet = {"phenotypicFeatures": [{"type": {"id": "HP:0001083"}}, {"type": {"id": "HP:0001505"}}]}
    d = diagnose(parse_phenopacket(packet, "p.json"), ix)
    assert ("HP:0001505 at p.json: phenotypicFeatures[1].type.id is obsolete or an alternative id: replaced by "
            "HP:0001166 (Arachnodactyly)") in d.case.notes


def test_a_term_both_present_and_excluded_is_present_with_a_warning(ix: DiagnosisIndex) -> None:
    both = "HP:0001166 is both present and excluded: counted as present"
    d = diagnose(case_from_hpo(["HP:0001166"], excluded=["HP:0001166", "HP:0001249"]), ix)
    assert (d.case.present, d.case.excluded) == (["HP:0001166"], ["HP:0001249"]) and both in d.warnings
    # the obsolete HP:0001505 becomes HP:0001166, which the case also excludes
    d = diagnose(case_from_hpo(["HP:0001505"], excluded=["HP:0001166"]), ix)
    assert (d.case.present, d.case.excluded) == (["HP:0001166"], []) and both in d.warnings
    packet = {"phenotypicFeatures": [{"type": {"id": "HP:0001166"}}, {"type": {"id": "HP:0001166"}, "excluded": True}]}
    assert both in diagnose(parse_phenopacket(packet), ix).warnings


def test_an_excluded_term_a_present_one_implies_is_dropped_with_a_warning(ix: DiagnosisIndex) -> None:
    d = diagnose(case_from_hpo(["HP:0001166"], excluded=["HP:0001155", "HP:0001249"]), ix)
    assert (d.case.present, d.case.excluded) == (["HP:0001166"], ["HP:0001249"])
    assert ("HP:0001155 (Abnormality of the hand) is excluded but the present HP:0001166 (Arachnodactyly) "
            "is a kind of it: the exclusion is dropped") in d.warnings
    # a more specific term than a present one may still be excluded
    d = diagnose(case_from_hpo(["HP:0001155"], excluded=["HP:0001166"]), ix)
    assert d.case.excluded == ["HP:0001166"] and not any("is a kind of it" in w for w in d.warnings)


def test_a_finding_given_twice_at_two_depths_counts_once(ix: DiagnosisIndex) -> None:
    """Abnormality of the hand beside Arachnodactyly (a kind of it) adds nothing: the likelihood of
    the general term given the specific one is 1, so scoring both would count one finding twice."""
    d = diagnose(case_from_hpo(["HP:0001155", "HP:0001166", "HP:0001249"],
                               excluded=["HP:0001166"]), ix)
    alone = diagnose(case_from_hpo(["HP:0001166", "HP:0001249"]), ix)
    assert d.case.present == ["HP:0001166", "HP:0001249"]
    assert ("HP:0001155 (Abnormality of the hand) is implied by the present HP:0001166 (Arachnodactyly): "
            "counted once, as the more specific term") in d.warnings
    assert [(c.id, c.score) for c in d.candidates] == [(c.id, c.score) for c in alone.candidates]
    # excluding a term and a kind of it: the general exclusion says it all
    d = diagnose(case_from_hpo(["HP:0001249"], excluded=["HP:0001166", "HP:0001155"]), ix)
    assert d.case.excluded == ["HP:0001155"]
    assert any(w.startswith("the excluded HP:0001166 (Arachnodactyly) is implied by the excluded HP:0001155")
               for w in d.warnings)
    assert [(c.id, c.score) for c in d.candidates] == [
        (c.id, c.score) for c in diagnose(case_from_hpo(["HP:0001249"], excluded=["HP:0001155"]), ix).candidates]


def test_terms_that_are_no_abnormality_are_skipped(ix: DiagnosisIndex, tmp_path: Path, make_fixture_bundle) -> None:
    d = diagnose(case_from_hpo(["HP:0001166", "HP:0000118"]), ix)
    assert d.case.present == ["HP:0001166"]
    assert "HP:0000118 (Phenotypic abnormality) says nothing about which abnormality: skipped from scoring" in d.warnings
    with pytest.raises(EmptyCaseError, match=r"no present phenotypic abnormality: HP:0000118 \(Phenotypic"):
        diagnose(case_from_hpo(["HP:0000118"]), ix)
    hpo_roots = {
        "nodes": [{"id": "HP:0000001", "type": "PhenotypicFeature", "label": "All"},
                  {"id": "HP:0000005", "type": "PhenotypicFeature", "label": "Mode of inheritance"},
                  {"id": "HP:0000006", "type": "PhenotypicFeature", "label": "Autosomal dominant inheritance"}],
        "edges": [{"subject": s, "predicate": "SUBCLASS_OF", "object": o} for s, o in (
            ("HP:0000118", "HP:0000001"), ("HP:0000005", "HP:0000001"), ("HP:0000006", "HP:0000005"))],
    }
    ix2 = load_index(make_fixture_bundle(tmp_path / "kg", hpo_roots))
    d = diagnose(case_from_hpo(["HP:0001166", "HP:0000006", "HP:0000001"], excluded=["HP:0000005", "HP:0001249"]), ix2)
    assert (d.case.present, d.case.excluded) == (["HP:0001166"], ["HP:0001249"])
    assert [w for w in d.warnings if "skipped" in w] == [
        f"{t} is not a phenotypic abnormality (not under HP:0000118): skipped from scoring"
        for t in ("HP:0000006 (Autosomal dominant inheritance)", "HP:0000001 (All)", "HP:0000005 (Mode of inheritance)")
    ]
    assert [c.label for c in d.candidates] == [c.label for c in diagnose(
        case_from_hpo(["HP:0001166"], excluded=["HP:0001249"]), ix2).candidates]
    with pytest.raises(EmptyCaseError, match="HP:0000006 .Autosomal dominant inheritance. is not"):
        diagnose(case_from_hpo(["HP:0000006"]), ix2)


def test_ids_that_are_not_phenotypes_say_so(ix: DiagnosisIndex) -> None:
    with pytest.raises(UnknownTermError) as e:
        diagnose(case_from_hpo(["HP:0001166", "OMIM:154700", "DRUGBANK:DB00678", "HP:9999999"]), ix)
    assert str(e.value).startswith(
        "not in the graph: HP:9999999; OMIM:154700 is the disease 'Marfan syndrome', not an HPO phenotype term; "
        "DRUGBANK:DB00678 is not an HPO phenotype term")
    d = diagnose(case_from_hpo(["HP:0001166", "OMIM:154700"]), ix, lenient=True)
    assert d.warnings == ["skipped OMIM:154700 (the disease 'Marfan syndrome', not an HPO phenotype term)"]


def test_lenient_with_nothing_left_names_the_skipped_ids(ix: DiagnosisIndex) -> None:
    with pytest.raises(EmptyCaseError, match=r"no present phenotype .*; skipped HP:9999999 \(not in the graph\)"):
        diagnose(case_from_hpo(["HP:9999999"]), ix, lenient=True)


def test_loading_a_non_bundle_fails_clearly(tmp_path: Path) -> None:
    from kg.errors import BundleError

    with pytest.raises(BundleError):
        load_index(tmp_path)


@pytest.mark.parametrize("top_k", [0, -1, 3.5, "3", True, None])
def test_top_k_must_be_a_positive_whole_number(ix: DiagnosisIndex, top_k: object) -> None:
    with pytest.raises(ConfigError, match="top_k must be a positive whole number"):
        diagnose(case_from_hpo(["HP:0001166"]), ix, top_k=top_k)  # type: ignore[arg-type]


def test_top_k_above_the_ranked_diseases_returns_them_all(ix: DiagnosisIndex) -> None:
    d = diagnose(case_from_hpo(["HP:0001166"]), ix, top_k=1000)
    assert len(d.candidates) == d.ranked == 3
    assert len(diagnose(case_from_hpo(["HP:0001166"]), ix, top_k=1).candidates) == 1


def test_unknown_namespace_names_the_known_ones(ix: DiagnosisIndex) -> None:
    with pytest.raises(ConfigError, match="unknown namespace 'FOO': give one of OMIM, ORPHA, DECIPHER"):
        diagnose(case_from_hpo(["HP:0001166"]), ix, namespace="FOO")
    d = diagnose(case_from_hpo(["HP:0001166"]), ix, namespace="omim")  # any case
    assert d.namespace == "OMIM" and d.candidates[0].id == "OMIM:154700"


def test_bundle_path_expands_home(fixture_kg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the README's example: load_index("~/.local/share/medkg/kg")
    monkeypatch.setenv("HOME", str(fixture_kg.parent))
    ix = load_index(f"~/{fixture_kg.name}")
    assert ix.info["bundle"] == str(fixture_kg.resolve())
    assert diagnose(case_from_hpo(["HP:0001166"]), f"~/{fixture_kg.name}").candidates[0].label == "Marfan syndrome"


@pytest.mark.slow
def test_real_graph_marfan_and_phenopacket(real_kg: Path, data_dir: Path) -> None:
    ix = load_index(real_kg)
    case = case_from_hpo(["HP:0001166", "HP:0001083", "HP:0002616", "HP:0001519", "HP:0100775"])
    d = diagnose(case, ix, top_k=10)
    assert d.ranked > 12_000  # the whole graph, not a shortlist
    marfan = [c for c in d.candidates if "OMIM:154700" in c.ids]
    assert marfan and "ORPHA:558" in marfan[0].ids  # one entry for OMIM and ORPHA Marfan
    packet = next((data_dir / "phenopackets" / "dev").rglob("*.json"))
    d = diagnose(load_phenopacket(packet), ix, namespace="OMIM", lenient=True)
    assert len(d.candidates) == 10 and all(c.id.startswith("OMIM:") for c in d.candidates)


def test_disease_scored_as_its_best_record(ix: DiagnosisIndex) -> None:
    from reasoning.resolve import resolve_case
    from reasoning.scoring import score_parts

    case = case_from_hpo(["HP:0001166"])
    d = diagnose(case, ix, namespace="OMIM")
    marfan = next(c for c in d.candidates if c.id == "OMIM:154700")
    assert {"OMIM:154700", "ORPHA:558"} <= set(marfan.ids)
    lr, sim, gic = score_parts(ix, resolve_case(ix, case)[1])
    score = lr + ix.params.similarity_weight * sim + ix.params.graph_ic_weight * gic
    records = [m for m in marfan.ids if m in ix.disease_index]
    best = max(records, key=lambda m: score[ix.disease_index[m]])
    # the ORPHA record (its one typical feature has no frequency) beats the OMIM record here
    assert marfan.scored_as == best == "ORPHA:558"
    assert marfan.score == pytest.approx(score[ix.disease_index[best]] / math.log(10), abs=1e-3)
    # the OMIM record's NOT annotation was shared with its ORPHA twin, with its own provenance
    shared = [a for a in ix.annotations[ix.disease_index["ORPHA:558"]] if a.negated]
    assert [ix.ontology.ids[a.term] for a in shared] == ["HP:0001249"]


def test_known_conditions_mark_their_candidates(ix: DiagnosisIndex) -> None:
    """A known condition marks the candidate it names, through the disease's identity group
    (DOID:14323 is Marfan syndrome, shown as OMIM:154700), and changes no score."""
    terms = ["HP:0001166", "HP:0001083"]
    plain = diagnose(case_from_hpo(terms), ix, top_k=5)
    known = diagnose(case_from_hpo(terms, conditions=["doid:14323"]), ix, top_k=5)
    assert [c.known_condition for c in plain.candidates] == [False] * len(plain.candidates)
    assert [(c.id, c.known_condition) for c in known.candidates][:1] == [(plain.candidates[0].id, True)]
    assert not any(c.known_condition for c in known.candidates[1:])
    assert [c.score for c in known.candidates] == [c.score for c in plain.candidates]
    assert known.case.conditions == ["DOID:14323"]


def test_unknown_conditions_are_reported(ix: DiagnosisIndex) -> None:
    from reasoning.errors import UnknownConditionError

    with pytest.raises(UnknownConditionError, match=r"conditions: HP:0001083 is a phenotype, not a disease.*"
                                                    r"conditions: OMIM:999999 is not a disease in the graph"):
        diagnose(case_from_hpo(["HP:0001166"], conditions=["HP:0001083", "OMIM:999999"]), ix)
    d = diagnose(case_from_hpo(["HP:0001166"], conditions=["OMIM:999999", "OMIM:154700"]), ix, lenient=True)
    assert "skipped conditions OMIM:999999: not a disease in the graph" in d.warnings
    assert d.case.conditions == ["OMIM:154700"]


def test_a_feature_seen_in_none_of_the_patients_is_no_support(tmp_path: Path, make_fixture_bundle) -> None:
    """HPO's ``0/n`` (looked for, absent in all n patients) says the disease does not usually
    show the feature: it gives the feature no support, and agrees with a case that excludes it."""
    zero = {
        "nodes": [{"id": "OMIM:900001", "type": "Disease", "label": "Zero syndrome"}],
        "edges": [
            {"subject": "OMIM:900001", "predicate": "HAS_PHENOTYPE", "object": "HP:0001166", "frequency": 0.0,
             "frequency_label": "0/5", "negated": False, "evidence": "PMID:2 (PCS)"},
            {"subject": "OMIM:900001", "predicate": "HAS_PHENOTYPE", "object": "HP:0001083", "frequency": 1.0,
             "frequency_label": "5/5", "negated": False, "evidence": "PMID:2 (PCS)"},
        ],
    }
    ix2 = load_index(make_fixture_bundle(tmp_path / "kg", zero))

    def item(d, term):
        cand = next(c for c in d.candidates if c.id == "OMIM:900001")
        return next(e for e in cand.evidence if e.case_term == term)

    d = diagnose(case_from_hpo(["HP:0001166", "HP:0001083"]), ix2, top_k=100)
    e = item(d, "HP:0001166")
    assert e.kind != "exact" and e.log10_lr <= 0, e
    d = diagnose(case_from_hpo(["HP:0001083"], excluded=["HP:0001166"]), ix2, top_k=100)
    e = item(d, "HP:0001166")
    assert (e.kind, e.disease_term, e.frequency_label) == ("excluded_consistent", "HP:0001166", "0/5")
    assert e.log10_lr > 0


def test_evidence_paths_are_edges_of_the_graph(ix: DiagnosisIndex) -> None:
    """Every step of an evidence path is one edge of the graph: an ancestry of several is-a
    steps lists each term on the way (it used to be shortened to one ``subclass_of``)."""
    o = ix.ontology
    terms = [t for t in o.ids if t.startswith("HP:") and o.is_ancestor("HP:0000118", t) and t != "HP:0000118"]
    steps = 0
    for t in terms:
        d = diagnose(case_from_hpo([t], excluded=[x for x in terms if x != t and not o.is_ancestor(x, t)][:2]), ix,
                     top_k=20, lenient=True)
        for c in d.candidates:
            for e in c.evidence:
                p = e.path
                for a, rel, b in zip(p[0:-2:2], p[1:-1:2], p[2::2]):
                    if rel == "subclass_of":
                        assert o.index[b] in o.parents[o.index[a]], p
                        steps += 1
                    elif rel == "superclass_of":
                        assert o.index[a] in o.parents[o.index[b]], p
                        steps += 1
                    elif rel == "same_disease_as":  # from the record stating it to the scored one
                        assert b == c.scored_as and a in c.ids, p
                    else:
                        assert rel in ("phenotype_of", "not_phenotype_of"), p
                        assert b == c.scored_as or p[p.index(b) + 1:] == ["same_disease_as", c.scored_as], p
    assert steps > 0


def test_a_shared_not_annotation_cites_the_record_that_states_it(ix: DiagnosisIndex) -> None:
    """Marfan syndrome is scored as its ORPHA record, and the OMIM record's "NOT intellectual
    disability" holds for it too; the evidence cites that statement where the graph has it
    (on OMIM:154700, the same disease as ORPHA:558), not as a statement about ORPHA:558, which
    the graph does not make."""
    fixture = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "phenotypes.json").read_text())
    stated = {(e["object"], e["subject"], bool(e.get("negated"))) for e in fixture["edges"]
              if e["predicate"] == "HAS_PHENOTYPE"}
    for case in (case_from_hpo(["HP:0001249", "HP:0001166"]), case_from_hpo(["HP:0001166"], excluded=["HP:0001249"])):
        marfan = next(c for c in diagnose(case, ix, namespace="OMIM").candidates if c.id == "OMIM:154700")
        assert marfan.scored_as == "ORPHA:558"
        item = next(e for e in marfan.evidence if e.case_term == "HP:0001249")
        assert item.kind in ("contradicted", "excluded_consistent")
        assert item.path == ["HP:0001249", "not_phenotype_of", "OMIM:154700", "same_disease_as", "ORPHA:558"]
        for e in marfan.evidence:  # every statement a path cites is one the graph makes
            p = e.path
            for k, rel in enumerate(p):
                if rel in ("phenotype_of", "not_phenotype_of"):
                    assert (p[k - 1], p[k + 1], rel == "not_phenotype_of") in stated, p


def test_a_tie_at_the_top_is_said(ix: DiagnosisIndex, tmp_path: Path, make_fixture_bundle) -> None:
    """Diseases the case cannot tell apart share the top score: their order is arbitrary, and
    the differential says so; a case that separates them says nothing of the kind."""
    twins = {
        "nodes": [{"id": f"OMIM:90000{k}", "type": "Disease", "label": f"Twin {k}"} for k in (1, 2)],
        "edges": [{"subject": f"OMIM:90000{k}", "predicate": "HAS_PHENOTYPE", "object": "HP:0000974",
                   "frequency": 1.0, "frequency_label": "HP:0040280", "negated": False, "evidence": "PMID:3"}
                  for k in (1, 2)],
    }
    d = diagnose(case_from_hpo(["HP:0000974"]), load_index(make_fixture_bundle(tmp_path / "kg", twins)), top_k=3)
    assert {c.id for c in d.candidates[:2]} == {"OMIM:900001", "OMIM:900002"}
    assert d.candidates[0].score == d.candidates[1].score
    assert any(w.startswith("the top 2 diseases have the same score") for w in d.warnings)
    clear = diagnose(case_from_hpo(["HP:0001166", "HP:0001083"]), ix)
    assert clear.candidates[0].score > clear.candidates[1].score
    assert not any("same score" in w for w in clear.warnings)


def test_excluding_a_term_below_a_not_annotation_cites_it(tmp_path: Path, make_fixture_bundle) -> None:
    """A disease stated NOT to have *Abnormality of the hand* has no *Arachnodactyly* either: a case
    excluding arachnodactyly agrees with that statement, and the evidence cites it with every is-a
    step up to its term (it used to be a source-less item, as if the disease said nothing). The
    statement decides the score as it does for the term itself, whatever is annotated below it."""
    from reasoning.scoring import excluded_log_lr

    not_hand = {"predicate": "HAS_PHENOTYPE", "object": "HP:0001155", "negated": True, "evidence": "PMID:5 (TAS)"}
    more = {
        "nodes": [{"id": f"OMIM:90000{k}", "type": "Disease", "label": f"Handless {k}"} for k in (1, 2)],
        "edges": [
            {"subject": "OMIM:900001", **not_hand},
            {"subject": "OMIM:900001", "predicate": "HAS_PHENOTYPE", "object": "HP:0000974", "frequency": 1.0,
             "frequency_label": "5/5", "negated": False, "evidence": "PMID:5 (PCS)"},
            {"subject": "OMIM:900002", **not_hand},
            {"subject": "OMIM:900002", "predicate": "HAS_PHENOTYPE", "object": "HP:0001166", "frequency": 0.9,
             "frequency_label": "9/10", "negated": False, "evidence": "PMID:5 (PCS)"},
        ],
    }
    ix2 = load_index(make_fixture_bundle(tmp_path / "kg", more))
    d = diagnose(case_from_hpo(["HP:0000974"], excluded=["HP:0001166"]), ix2, top_k=100)
    o, t = ix2.ontology, ix2.ontology.index["HP:0001166"]
    consistent = -math.log10(1 - ix2.background[t])
    for k in (1, 2):
        cand = next(c for c in d.candidates if c.id == f"OMIM:90000{k}")
        e = next(e for e in cand.evidence if e.case_term == "HP:0001166")
        assert (e.kind, e.disease_term, e.source, e.reference) == (
            "excluded_consistent", "HP:0001155", "more", "PMID:5 (TAS)"), e
        assert e.path == ["HP:0001166", "subclass_of", "HP:0001167", "subclass_of", "HP:0001155",
                          "not_phenotype_of", f"OMIM:90000{k}"]
        assert e.log10_lr == pytest.approx(consistent, abs=1e-4)
        score = excluded_log_lr(ix2, t)[ix2.disease_index[f"OMIM:90000{k}"]]
        assert score / math.log(10) == pytest.approx(consistent)
        assert sum(x.log10_lr for x in cand.evidence) == pytest.approx(cand.log10_lr, abs=1e-3)
    assert o.index["HP:0001155"] in o.ancestors[t]


def test_diagnose_refuses_what_is_no_case_and_params_a_loaded_index_was_not_built_with(ix: DiagnosisIndex) -> None:
    """A string or a dict as the case used to end in an AttributeError, and params passed with a
    loaded index were silently ignored (the index's matrices decide the scores)."""
    from reasoning import ScoringParams

    for bad in ("HP:0001166", {"present": ["HP:0001166"]}):
        with pytest.raises(ConfigError, match=f"case must be a reasoning.Case .*got {type(bad).__name__}"):
            diagnose(bad, ix)  # type: ignore[arg-type]
    case = case_from_hpo(["HP:0001166"])
    with pytest.raises(ConfigError, match="params differ from those the loaded index was built with"):
        diagnose(case, ix, params=ScoringParams(noise=0.2))
    same = diagnose(case, ix, params=ix.params)  # the index's own parameters are fine
    # a dict of parameters said "params differ", and load_index failed with "unhashable type: 'dict'"
    with pytest.raises(ConfigError, match=r"params must be a reasoning.ScoringParams .*got dict"):
        diagnose(case, ix, params={"noise": 0.2})  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"params must be a reasoning.ScoringParams .*got dict"):
        load_index(Path("any-bundle"), {"noise": 0.2})  # type: ignore[arg-type]  # checked before reading
    assert same == diagnose(case, ix)
    # a selector where a model is expected used to fail with "'str' object has no attribute 'complete'"
    with pytest.raises(ConfigError, match=r"llm must be a loaded model \(reasoning.llm.open_llm\(selector\)\), "
                                          r"got str 'transformers:smollm2'"):
        diagnose(case, ix, llm="transformers:smollm2")  # type: ignore[arg-type]

