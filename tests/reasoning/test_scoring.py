"""The likelihood-ratio model's details, on the fixture graph."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from reasoning import case_from_hpo, diagnose, load_index
from reasoning.evidence import explain_many
from reasoning.index import Annotation, DiagnosisIndex
from reasoning.scoring import CaseTerms


@pytest.fixture(scope="module")
def ix(fixture_kg: Path) -> DiagnosisIndex:
    return load_index(fixture_kg)


def test_effective_frequency(ix: DiagnosisIndex) -> None:
    def ann(freq: float | None, label: str | None) -> Annotation:
        return Annotation(0, freq, label, False, None, "s", None, None)

    assert ix.effective_frequency(ann(1.0, "1/1")) == pytest.approx(2 / 3)  # one patient is not "always"
    assert ix.effective_frequency(ann(0.0, "0/3")) == pytest.approx(1 / 5)
    assert ix.effective_frequency(ann(0.895, "HP:0040281")) == 0.895  # frequency terms as given
    assert ix.effective_frequency(ann(None, None)) == ix.params.default_frequency
    assert ix.effective_frequency(ann(0.0, "0%")) == ix.params.min_frequency


def test_only_typical_features_count_when_absent(ix: DiagnosisIndex) -> None:
    # the OMIM record's own evidence (ranked, Marfan is scored by its best record, ORPHA:558 here)
    terms = CaseTerms([ix.ontology.index["HP:0001166"]], [])
    (evidence,) = explain_many(ix, np.array([ix.disease_index["OMIM:154700"]]), terms)
    missing = {e.disease_term for e in evidence if e.kind == "missing"}
    assert "HP:0002616" in missing  # 0.895 ≥ typical_frequency
    assert "HP:0000545" not in missing and "HP:0001083" not in missing  # 0.545: not typical


def test_exclusion_floor(ix: DiagnosisIndex) -> None:
    d = diagnose(case_from_hpo(["HP:0001166"], excluded=["HP:0001083"]), ix, namespace="OMIM")
    marfan = next(c for c in d.candidates if c.id == "OMIM:154700")
    ev = next(e for e in marfan.evidence if e.kind == "excluded")
    bg = ix.background[ix.ontology.index["HP:0001083"]]
    # 1 - 0.545 = 0.455 is below the floor: an excluded feature never counts more than the floor
    expected = math.log10(max(1 - 0.545, ix.params.exclusion_floor) / (1 - bg))
    assert ev.log10_lr == pytest.approx(expected, abs=1e-4)


def _brute_best_match_average(ix: DiagnosisIndex, present: list[int], d: int, sim: Callable[[int, int], float]) -> float:
    """A best-match average the slow way, directions weighted by ``similarity_balance``."""
    # what the disease shows: not NOT annotations, nor features seen in none of its patients (0/n)
    anns = sorted({a.term for a in ix.annotations[d] if not a.negated and a.frequency != 0})
    fwd = sum(max((sim(t, a) for a in anns), default=0.0) for t in present) / len(present)
    back = sum(max(sim(a, t) for t in present) for a in anns) / max(len(anns), 1)
    a = ix.params.similarity_balance
    return a * fwd + (1 - a) * back


def _brute_fun_sim_avg(ix: DiagnosisIndex, present: list[int], d: int) -> float:
    """funSimAvg written out the slow way: sets of ancestors, max IC of the shared ones."""
    def resnik(a: int, b: int) -> float:
        shared = ix.ancestor_set(a) & ix.ancestor_set(b)
        return max((float(ix.ic[c]) for c in shared), default=0.0)

    return _brute_best_match_average(ix, present, d, resnik)


def test_similarity_is_fun_sim_avg(ix: DiagnosisIndex) -> None:
    from reasoning.scoring import similarity

    present = [ix.ontology.index[t] for t in ("HP:0001166", "HP:0001083", "HP:0001382", "HP:0001626")]
    sim = similarity(ix, CaseTerms(present, []))
    for d in range(ix.size):
        assert sim[d] == pytest.approx(_brute_fun_sim_avg(ix, present, d)), ix.disease_ids[d]


def _brute_graph_ic(ix: DiagnosisIndex, present: list[int], d: int) -> float:
    """The GraphIC best-match average the slow way: IC of shared over IC of all ancestors."""
    def gic(a: int, b: int) -> float:
        sa, sb = ix.ancestor_set(a), ix.ancestor_set(b)
        union = sum(float(ix.ic[c]) for c in sa | sb)
        return sum(float(ix.ic[c]) for c in sa & sb) / union if union > 0 else 0.0

    return _brute_best_match_average(ix, present, d, gic)


def test_graph_ic_similarity_is_the_best_match_average(ix: DiagnosisIndex) -> None:
    from reasoning.scoring import graph_ic_similarity

    for terms in (("HP:0001166", "HP:0001083", "HP:0001382", "HP:0001626"), ("HP:0000545",), ("HP:0000118",)):
        present = [ix.ontology.index[t] for t in terms]
        got = graph_ic_similarity(ix, present)
        for d in range(ix.size):
            assert got[d] == pytest.approx(_brute_graph_ic(ix, present, d), abs=1e-6), (terms, ix.disease_ids[d])
    assert not graph_ic_similarity(ix, []).any()


def test_graph_ic_cache_gives_the_same_scores(fixture_kg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reasoning import scoring

    ix = load_index(fixture_kg)
    terms = [ix.ontology.index[t] for t in ("HP:0001166", "HP:0001083", "HP:0000545", "HP:0001382")]
    cold = scoring.graph_ic_similarity(ix, terms)
    monkeypatch.setattr(scoring, "GRAPH_IC_CACHE_TERMS", 2)  # some terms cached, some not, some evicted
    scoring.graph_ic_similarity(ix, terms[:2])
    assert np.array_equal(scoring.graph_ic_similarity(ix, terms), cold)
    assert np.array_equal(scoring.graph_ic_similarity(ix, terms[::-1][:1] + terms[:3]),
                          scoring.graph_ic_similarity(load_index(fixture_kg), terms[::-1][:1] + terms[:3]))
    assert len(ix.__dict__["_gic_cache"]) == 2


def test_score_is_log_lr_plus_weighted_similarities(ix: DiagnosisIndex, fixture_kg: Path) -> None:
    case = case_from_hpo(["HP:0001166", "HP:0001083"])
    d = diagnose(case, ix)
    w, wg = ix.params.similarity_weight, ix.params.graph_ic_weight
    for c in d.candidates:
        assert c.graph_ic is not None and 0 <= c.graph_ic <= 1
        assert c.score == pytest.approx(c.log10_lr + (w * c.similarity + wg * c.graph_ic) / math.log(10), abs=1e-3)
        present = [e for e in c.evidence if e.case_term is not None and e.kind not in ("excluded",
                                                                                      "excluded_consistent")]
        # each present term names the most informative term it shares with the disease, and its IC
        for e in present:
            if e.kind != "unexplained":
                assert e.shared_ancestor is not None and e.similarity == pytest.approx(
                    float(ix.ic[ix.ontology.index[e.shared_ancestor]]), abs=1e-4)
        # the evidence accounts for the whole likelihood-ratio part of the score
        assert sum(e.log10_lr for e in c.evidence) == pytest.approx(c.log10_lr, abs=1e-3)
    excl = diagnose(case_from_hpo(["HP:0001166"], excluded=["HP:0001083", "HP:0002321"]), ix)
    for c in excl.candidates:
        assert sum(e.log10_lr for e in c.evidence) == pytest.approx(c.log10_lr, abs=1e-3)
        assert {e.case_term for e in c.evidence if e.kind.startswith("excluded")} == {"HP:0001083", "HP:0002321"}
    lr_only = diagnose(case, load_index(fixture_kg, ix.params.model_copy(
        update={"similarity_weight": 0.0, "graph_ic_weight": 0.0})))
    assert all(c.score == pytest.approx(c.log10_lr, abs=1e-3) for c in lr_only.candidates)


def test_graph_ic_in_a_forked_child(fixture_kg: Path) -> None:
    import multiprocessing

    from reasoning import scoring

    ix = load_index(fixture_kg)
    terms = [ix.ontology.index[t] for t in ("HP:0001166", "HP:0001083", "HP:0000545")]
    scoring.graph_ic_similarity(ix, terms[:1] + terms[1:2])  # the parent's threads exist now
    scoring._threads()
    ix.__dict__.pop("_gic_cache", None)  # the child computes (in threads) what it is sent
    with multiprocessing.get_context("fork").Pool(1) as pool:
        there = pool.apply_async(scoring.graph_ic_similarity, (ix, terms)).get(timeout=60)
    assert np.array_equal(there, scoring.graph_ic_similarity(ix, terms))


def test_typical_features_the_case_lacks_count_once(ix: DiagnosisIndex) -> None:
    """``missing_log_lr`` against a brute force over the annotations: a typical feature is accounted
    for by a present term at, above or below it, or by excluding it or an ancestor of it, once (a
    case with a term and its ancestor once subtracted it twice, cancelling another feature's absence;
    excluding an ancestor once left the feature missing too, beside the excluded item that weighs it)."""
    import itertools
    import random

    from reasoning.scoring import missing_log_lr

    o, p = ix.ontology, ix.params

    def brute(present: list[int], excluded: list[int]) -> np.ndarray:
        out = np.zeros(ix.size)
        for k, a in enumerate(ix.flat):
            f = ix.flat_freq[k]
            if a.negated or f < p.typical_frequency:
                continue
            above = any(a.term in o.ancestors[t] for t in present)
            below = any(t in o.ancestors[a.term] for t in present)
            excluded_above = any(x in o.ancestors[a.term] for x in excluded)  # excluding x excludes all below
            if not (above or below or excluded_above):
                out[ix.flat_disease[k]] += math.log1p(-p.missing_report_rate * f)
        return out

    terms = list(range(len(o.ids)))
    chains = [(t, int(c)) for t in terms for c in o.ancestors[t] if c != t]
    assert chains  # the fixture has terms with ancestors: cases with both are tried below
    rng = random.Random(5)
    cases = [([t, c], []) for t, c in chains] + [([t], [c]) for t, c in chains] + [([], [c]) for _, c in chains]
    cases += [(rng.sample(terms, 3), rng.sample(terms, 2)) for _ in range(30)]
    for present, excluded in itertools.chain(cases):
        excluded = [x for x in excluded if x not in present]
        got = missing_log_lr(ix, CaseTerms(present, excluded))
        assert np.allclose(got, brute(present, excluded)), ([o.ids[t] for t in present], [o.ids[t] for t in excluded])


def test_excluding_an_ancestor_of_a_typical_feature_counts_it_once(ix: DiagnosisIndex) -> None:
    """Excluding *Abnormality of the cardiovascular system* excludes Marfan's typical *Aortic root
    aneurysm* below it: one ``excluded`` item weighs it, and it is no ``missing`` item as well."""
    o = ix.ontology
    d = ix.disease_index["OMIM:154700"]
    for excluded in ("HP:0002616", "HP:0001626"):
        terms = CaseTerms([o.index["HP:0001166"]], [o.index[excluded]])
        (evidence,) = explain_many(ix, np.array([d]), terms)
        about = [(e.kind, e.case_term) for e in evidence if e.disease_term == "HP:0002616"]
        assert about == [("excluded", excluded)], about
        from reasoning.scoring import log_lr
        assert sum(e.log10_lr for e in evidence) == pytest.approx(log_lr(ix, terms)[d] / math.log(10), abs=1e-3)


def test_an_annotation_with_the_case_term_decides(tmp_path: Path, make_fixture_bundle) -> None:
    """A disease annotated with the case's term itself (here 1/10) is judged by that annotation, even
    where a more general one (9/10 *Abnormality of finger*) would offer more: an ancestor route used
    to outbid it, and the evidence cited the general annotation instead of the exact one."""
    from reasoning.scoring import present_log_lr

    more = {
        "nodes": [{"id": "OMIM:900001", "type": "Disease", "label": "Finger syndrome"}],
        "edges": [{"subject": "OMIM:900001", "predicate": "HAS_PHENOTYPE", "object": term, "frequency": n / 10,
                   "frequency_label": f"{n}/10", "negated": False, "evidence": "PMID:4 (PCS)"}
                  for term, n in (("HP:0001167", 9), ("HP:0001166", 1))],
    }
    ix2 = load_index(make_fixture_bundle(tmp_path / "kg", more))
    o, p = ix2.ontology, ix2.params
    t, finger, d = o.index["HP:0001166"], o.index["HP:0001167"], ix2.disease_index["OMIM:900001"]
    f_exact, f_finger = (1 + 1) / (10 + 2), (9 + 1) / (10 + 2)  # the count prior
    assert f_finger / ix2.background[finger] > f_exact / ix2.background[t]  # the general one offers more
    expected = math.log(p.noise + (1 - p.noise) * f_exact / ix2.background[t])
    assert present_log_lr(ix2, t)[d] == pytest.approx(expected)
    (evidence,) = explain_many(ix2, np.array([d]), CaseTerms([t], []))
    e = evidence[0]
    assert (e.kind, e.disease_term, e.frequency_label, e.via) == ("exact", "HP:0001166", "1/10", None)
    assert e.log10_lr == pytest.approx(expected / math.log(10), abs=1e-4)
    assert e.path == ["HP:0001166", "phenotype_of", "OMIM:900001"]
    # the case's parent term: the disease's 9/10 annotation of it decides (its own implied frequency)
    (evidence,) = explain_many(ix2, np.array([d]), CaseTerms([finger], []))
    assert (evidence[0].kind, evidence[0].frequency_label) == ("exact", "9/10")
