"""The compliance suite: every analyst question gives identical rows on every store."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.bundle import Bundle
from kg.queries.analyst import QUESTIONS
from kg.queries.stats import STATS
from kg.stores import open_store

QUERIES = {**QUESTIONS, **STATS}



def _answers(kg: Path, rdflib: bool, overrides: dict | None = None) -> dict[str, dict[str, list[tuple]]]:
    b = Bundle(kg)
    stores = {"ladybug": b.selector("ladybug"), "oxigraph": b.selector("oxigraph")}
    if rdflib:
        stores["rdflib"] = f"rdflib:{b.export_path}"
    out: dict[str, dict[str, list[tuple]]] = {}
    for name, sel in stores.items():
        with open_store(sel) as st:
            out[name] = {
                q.name: st.query(
                    q.sparql if st.language == "sparql" else q.cypher_for(name),
                    q.bind((overrides or {}).get(q.name)),
                ).rows
                for q in QUERIES.values()
            }
    return out


def test_fixture_answers_identical_on_every_store(fixture_kg: Path, fixture_params: dict) -> None:
    ans = _answers(fixture_kg, rdflib=True, overrides=fixture_params)
    for q in QUERIES:
        assert ans["ladybug"][q] == ans["oxigraph"][q] == ans["rdflib"][q], (q, ans["ladybug"][q][:3], ans["oxigraph"][q][:3])


def test_fixture_answers_are_the_expected_ones(fixture_kg: Path, fixture_params: dict) -> None:
    ans = _answers(fixture_kg, rdflib=False, overrides=fixture_params)["ladybug"]
    pheno = ans["phenotypes_of_disease"]
    assert [r[0] for r in pheno][:2] == ["HP:0001166", "HP:0002616"]  # 0.895 first, ties by id
    assert pheno[-1] == ("HP:0001519", "Disproportionate tall stature", None, "fixture_hpo")
    assert "HP:0001249" not in {r[0] for r in pheno}  # negated: not a phenotype
    assert ans["excluded_phenotypes_of_disease"] == [("HP:0001249", "Intellectual disability", "fixture_hpo")]
    assert ans["diseases_sharing_phenotypes"] == [
        ("OMIM:609192", "Loeys-Dietz syndrome 1", 4),
        ("OMIM:130000", "Ehlers-Danlos syndrome, classic type, 1", 3),
        ("ORPHA:558", "Marfan syndrome", 3),
    ]
    # Losartan treats DOID:14323, which DO-xrefs OMIM:154700 (arachnodactyly); Propranolol's
    # unreviewed label indication for it does not count as treating
    assert ans["drugs_for_phenotype"] == [("DRUGBANK:DB00678", "Losartan", "fixture_drugs", False, 1)]
    assert [(r[0], r[2], r[3]) for r in ans["treatments_of_disease"]] == [
        ("DRUGBANK:DB00335", "palliates", "DOID:14323"),
        ("DRUGBANK:DB00571", "indicated_for", "DOID:14323"),  # an unreviewed label indication
        ("DRUGBANK:DB00635", "not_indicated_for", "DOID:14323"),
        ("DRUGBANK:DB00678", "treats", "DOID:14323"),
    ]
    assert [r[0] for r in ans["ancestors_of_term"]] == ["HP:0000118", "HP:0001155", "HP:0001167", "HP:0040064"]
    assert ans["diseases_with_phenotype_or_descendant"] == [(4,)]
    assert ans["diseases_per_source"] == [("fixture_drugs", 6), ("fixture_hpo", 4)]
    assert ans["cross_references_of_disease"] == [
        ("OMIM:154700", "Marfan syndrome", "fixture_drugs"),
        ("ORPHA:558", "Marfan syndrome", "fixture_drugs"),
    ]
    assert ans["adverse_effects_of_drug"] == [("HP:0002321", "Vertigo", 0.05, "fixture_drugs")]


NO_ANSWER_PARAMS = {
    "drugs_for_phenotype": {"phenotype_id": "HP:0000974"},  # hyperextensible skin: EDS, which no drug treats
    "diseases_with_phenotype_or_descendant": {"term_id": "HP:0002321"},  # vertigo: an adverse effect, no disease
    "diseases_sharing_phenotypes": {"disease_id": "DOID:9352"},  # its one phenotype (Pain) no other disease has
    "treatments_of_disease": {"disease_id": "OMIM:130000"},
    "phenotypes_of_disease": {"disease_id": "DOID:13359"},  # no phenotypes (DOID:9352 has Pain)
    "adverse_effects_of_drug": {"drug_id": "DRUGBANK:DB00331"},
}
"""Parameters whose questions have nothing to list in the fixture graph: where an engine
answers an empty grouping differently (rdflib gave drugs_for_phenotype a row for every node)."""


def test_questions_with_nothing_to_list_agree_on_every_store(fixture_kg: Path, fixture_params: dict) -> None:
    ans = _answers(fixture_kg, rdflib=True, overrides={**fixture_params, **NO_ANSWER_PARAMS})
    for q in QUERIES:
        assert ans["ladybug"][q] == ans["oxigraph"][q] == ans["rdflib"][q], (q, {k: v[q][:3] for k, v in ans.items()})
    for store, got in ans.items():  # each store's own answer is the empty one, not just the same as another's
        assert {q: got[q] for q in NO_ANSWER_PARAMS} == NO_ANSWERS, store


NO_ANSWERS = {q: [] for q in NO_ANSWER_PARAMS} | {"diseases_with_phenotype_or_descendant": [(0,)]}
"""The answer each question of :data:`NO_ANSWER_PARAMS` must give: no rows, or a count of none
(a count of none is a row holding 0, not no row)."""


OBSOLETE = ("HP:0004175", "HP:0031070")
"""The fixture's obsolete HPO terms (``ObsoleteTerm`` nodes: no statement names them)."""


def test_obsolete_terms_are_no_answer_of_any_question_on_any_store(fixture_kg: Path, fixture_params: dict) -> None:
    """An obsolete term is no phenotype: no question lists it, and asked about, each gives the
    answer of a term without statements (no ancestor, no disease, no drug) on every store."""
    ans = _answers(fixture_kg, rdflib=True, overrides=fixture_params)
    for store, got in ans.items():
        assert not {v for rows in got.values() for r in rows for v in r} & set(OBSOLETE), store
    about = {"drugs_for_phenotype": {"phenotype_id": "HP:0004175"}, "ancestors_of_term": {"term_id": "HP:0004175"},
             "diseases_with_phenotype_or_descendant": {"term_id": "HP:0031070"}}
    ans = _answers(fixture_kg, rdflib=True, overrides={**fixture_params, **about})
    for store, got in ans.items():
        assert {q: got[q] for q in about} == {"drugs_for_phenotype": [], "ancestors_of_term": [],
                                              "diseases_with_phenotype_or_descendant": [(0,)]}, store


WORDS = ["marfan", "Marfan", "syndrome", "dietz", "marf", "loeys-dietz", "1", "", "x' OR 1=1 --", "(.*)"]
"""Name searches: whole words, case, a word inside a hyphenated name, a prefix
(no match: whole words only), a non-word, regex and injection text."""


def _word_answers(kg: Path, words: list[str]) -> dict[str, list[list[tuple]]]:
    q = QUESTIONS["find_disease_by_name"]
    b = Bundle(kg)
    out = {}
    for name, sel in {"ladybug": b.selector("ladybug"), "oxigraph": b.selector("oxigraph")}.items():
        with open_store(sel) as st:
            text = q.sparql if st.language == "sparql" else q.cypher_for(name)
            out[name] = [st.query(text, q.bind({"word": w})).rows for w in words]
    return out


def test_find_disease_by_name_matches_whole_words_alike_on_every_store(fixture_kg: Path) -> None:
    ans = _word_answers(fixture_kg, WORDS)
    assert ans["ladybug"] == ans["oxigraph"]
    got = dict(zip(WORDS, ans["ladybug"], strict=True))
    assert [r[0] for r in got["marfan"]] == ["DOID:14323", "OMIM:154700", "ORPHA:558"]
    assert got["Marfan"] == got["marfan"]  # bind() lower-cases the word
    assert [r[1] for r in got["dietz"]] == ["Loeys-Dietz syndrome 1"]
    assert len(got["syndrome"]) >= 4
    for w in ("marf", "loeys-dietz", "", "x' OR 1=1 --", "(.*)"):
        assert got[w] == [], w


@pytest.mark.slow
def test_real_build_answers_identical_on_ladybug_and_oxigraph(real_kg: Path) -> None:
    ans = _answers(real_kg, rdflib=False)
    for q in QUERIES:
        assert ans["ladybug"][q] == ans["oxigraph"][q], q
    lb = ans["ladybug"]
    assert len(lb["phenotypes_of_disease"]) > 40  # Marfan syndrome is well annotated
    assert ("ORPHA:558", "Marfan syndrome") == lb["diseases_sharing_phenotypes"][0][:2]
    assert any(r[0] == "hpo" and r[1] > 12_000 for r in lb["diseases_per_source"])
    # Alzheimer disease (OMIM) reaches the drugs curated on its DOID through the DO xref
    assert {"DOID:10652"} == {r[3] for r in lb["treatments_of_disease"]}
    assert any(r[2] == "treats" for r in lb["treatments_of_disease"])
    # name words: digits, non-ASCII letters, apostrophes, a common word cut at 50
    words = ["syndrome", "type", "1", "sjögren", "alzheimer", "s", "ii"]
    by_word = _word_answers(real_kg, words)
    assert by_word["ladybug"] == by_word["oxigraph"]
    assert len(by_word["ladybug"][0]) == 50


def test_a_negated_drug_statement_is_no_treatment_on_any_store(tmp_path: Path, make_fixture_bundle) -> None:
    """'Losartan does not treat X' (a negated TREATS statement) is left out of the drug questions,
    alike on LadybugDB and Oxigraph (LadybugDB listed it as 'treats'; Oxigraph did not)."""
    kg = make_fixture_bundle(tmp_path / "kg", {
        "nodes": [{"id": "OMIM:900001", "type": "Disease", "label": "Disease X"}],
        "edges": [{"subject": "DRUGBANK:DB00678", "predicate": "TREATS", "object": "OMIM:900001", "negated": True},
                  {"subject": "OMIM:900001", "predicate": "HAS_PHENOTYPE", "object": "HP:0002321"}]})
    params = {"treatments_of_disease": {"disease_id": "OMIM:900001"},
              "drugs_for_phenotype": {"phenotype_id": "HP:0002321"}}
    ans = _answers(kg, rdflib=False, overrides=params)
    for q in params:
        assert ans["ladybug"][q] == ans["oxigraph"][q], q
    assert ans["ladybug"]["treatments_of_disease"] == []
    assert all(row[0] != "DRUGBANK:DB00678" or row[4] != 1 for row in ans["ladybug"]["drugs_for_phenotype"])


TEXT = ("Losartan is used for the treatment of Loeys-Dietz syndrome 1. "  # no curated drug: a text-mined edge
        "Losartan is used for the treatment of Marfan syndrome. "  # = a curated TREATS edge: evidence on it
        "Metformin is used for the treatment of Marfan syndrome.")  # a text-mined edge beside curated ones


def text_mined_bundle(out: Path, fixture_kg: Path) -> Path:
    """A copy of the fixture bundle with :data:`TEXT`'s treats statements merged (``medkg extract --into``)."""
    import shutil

    from kg.extraction import Dictionary, Recognizer
    from kg.extraction.merge import merge_statements

    shutil.copytree(fixture_kg, out)
    doc = Recognizer(Dictionary.from_bundle(out, cache_dir=False)).extract(TEXT, doc_id="notes/t.txt")
    merge_statements(out, [doc], source="text_extraction", files=["notes/t.txt"])
    return out


TEXT_MINED_PARAMS = {"treatments_of_disease": {"disease_id": "OMIM:154700"},
                     "drugs_for_phenotype": {"phenotype_id": "HP:0001166"}}
"""Marfan syndrome (through DOID:14323) and arachnodactyly (its phenotype, and LDS1's)."""


def check_text_mined_answers(ans: dict[str, list[tuple]]) -> None:
    """The text-mined statements are flagged, the curated ones (text evidence merged or not) are not."""
    assert [(r[0], r[2], r[4], r[5]) for r in ans["treatments_of_disease"]] == [
        ("DRUGBANK:DB00331", "treats", "text_extraction", True),  # metformin: from text only
        ("DRUGBANK:DB00335", "palliates", "fixture_drugs", False),
        ("DRUGBANK:DB00571", "indicated_for", "fixture_drugs", False),
        ("DRUGBANK:DB00635", "not_indicated_for", "fixture_drugs", False),
        ("DRUGBANK:DB00678", "treats", "fixture_drugs", False),  # curated, with text evidence appended
    ]
    assert sorted((r[0], r[2], r[3], r[4]) for r in ans["drugs_for_phenotype"]) == [
        ("DRUGBANK:DB00331", "text_extraction", True, 1),
        ("DRUGBANK:DB00678", "fixture_drugs", False, 1),  # DOID:14323
        ("DRUGBANK:DB00678", "text_extraction", True, 1),  # OMIM:609192 (LDS1), from text only
    ]


def test_text_mined_treatments_are_flagged_alike_on_every_store(tmp_path: Path, fixture_kg: Path) -> None:
    kg = text_mined_bundle(tmp_path / "kg", fixture_kg)
    ans = _answers(kg, rdflib=True, overrides=TEXT_MINED_PARAMS)
    for q in TEXT_MINED_PARAMS:
        assert ans["ladybug"][q] == ans["oxigraph"][q] == ans["rdflib"][q], (q, {k: v[q] for k, v in ans.items()})
    check_text_mined_answers(ans["ladybug"])


def _graph_reads(selector: str) -> dict[str, list[tuple]]:
    """Every read of the diagnosis index on one store, rows sorted (stores order them differently)."""
    from kg.queries.graph_reads import GRAPH_READS
    from reasoning.store_reads import read

    with open_store(selector) as st:
        return {name: sorted(read(st, name, **({"prefix": "HP:"} if "$prefix" in text else {})), key=repr)
                for name, text in GRAPH_READS.items()}


def test_diagnosis_index_reads_identical_on_every_store(fixture_kg: Path) -> None:
    from kg.queries.graph_reads import GRAPH_READS, GRAPH_READS_SPARQL

    assert set(GRAPH_READS_SPARQL) == set(GRAPH_READS)
    b = Bundle(fixture_kg)
    lb = _graph_reads(b.selector("ladybug"))
    assert lb == _graph_reads(b.selector("oxigraph")) == _graph_reads(f"rdflib:{b.export_path}")
    assert all(lb[name] for name in GRAPH_READS if name != "phenotype_xrefs"), {k: len(v) for k, v in lb.items()}
    assert ("DRUGBANK:DB00635", "NOT_INDICATED_FOR", "DOID:14323", "fixture_drugs", "v1-fixture") in [
        (r[0], *r[2:6]) for r in lb["disease_drugs"]]  # the relation by its Cypher name on every store
    assert any(r[4] for r in lb["phenotype_annotations"])  # negated ones are read too
    assert ("DRUGBANK:DB00678", "Losartan", ["Cozaar"]) in lb["drugs"]  # a drug's synonyms, on every store
    assert lb["obsolete_terms"] == [  # the consider ids are a list on every store
        ("HP:0004175", "obsolete Periosteal new bone of middle phalanx of middle-finger", ["HP:0001167"]),
        ("HP:0031070", "obsolete Femoral retroversion", [])]
    assert not {r[0] for r in lb["phenotype_terms"]} & {r[0] for r in lb["obsolete_terms"]}
    epc, mesh = ("FDA", "FDA Established Pharmacologic Class"), ("MeSH", "Pharmacological Action")
    fixture = ("fixture_drugs", "v1-fixture")
    assert lb["drug_classes"] == sorted([  # each class with its name, vocabulary and kind, on every store
        ("DRUGBANK:DB00335", "MESH:D000959", "Antihypertensive Agents", *mesh, *fixture),
        ("DRUGBANK:DB00335", "NDFRT:N0000175556", "beta-Adrenergic Blocker", *epc, *fixture),
        ("DRUGBANK:DB00571", "MESH:D000959", "Antihypertensive Agents", *mesh, *fixture),
        ("DRUGBANK:DB00571", "NDFRT:N0000175556", "beta-Adrenergic Blocker", *epc, *fixture),
        ("DRUGBANK:DB00635", "NDFRT:N0000175576", "Corticosteroid", *epc, *fixture),
        ("DRUGBANK:DB00678", "MESH:D000959", "Antihypertensive Agents", *mesh, *fixture)], key=repr)
