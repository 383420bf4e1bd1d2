"""Concept recognition over the fixture graph: normalisation, matching, offsets."""

from __future__ import annotations

import pytest

from kg.errors import InputError
from kg.extraction import Dictionary, Recognizer
from kg.extraction.text import norm_phrase, sentences, tokenize

TEXT = (
    "A 14-year-old boy with Marfan syndrome (MFS) was seen. He has spider-fingers, "
    "hypermobile joints and dislocated lenses. MFS was confirmed; losartan (Cozaar) was started."
)


def found(rec: Recognizer, text: str) -> list[tuple[str, str, str]]:
    return [(m.text, m.id, m.method) for m in rec.extract(text).entities]


def test_dictionary_from_bundle_has_labels_synonyms_and_types(fixture_dictionary: Dictionary) -> None:
    d = fixture_dictionary
    assert d.types["HP:0001166"] == "phenotype"
    assert d.types["OMIM:154700"] == "disease"
    assert d.types["DRUGBANK:DB00678"] == "drug"
    # "Marfan syndrome" names three diseases: DOID first, the others are alternatives
    e = d.entry(("marfan", "syndrome"))
    assert e is not None and e.id == "DOID:14323"
    assert set(e.alternatives) == {"OMIM:154700", "ORPHA:558"}
    # the HPO root and other non-phenotype branches are not in the fixture; roots kept
    assert "HP:0000118" in d


def test_offsets_are_exact_and_types_normalised(recognizer: Recognizer) -> None:
    doc = recognizer.extract(TEXT, doc_id="d")
    for m in doc.entities:
        assert TEXT[m.start : m.end] == m.text
    got = {(m.text, m.id, m.type) for m in doc.entities}
    assert ("Marfan syndrome", "DOID:14323", "disease") in got
    assert ("spider-fingers", "HP:0001166", "phenotype") in got  # punctuation + synonym
    assert ("hypermobile joints", "HP:0001382", "phenotype") in got  # plural
    assert ("dislocated lenses", "HP:0001083", "phenotype") in got  # -es plural
    assert ("losartan", "DRUGBANK:DB00678", "drug") in got  # case
    assert ("Cozaar", "DRUGBANK:DB00678", "drug") in got  # brand-name synonym


def test_abbreviation_defined_in_text(recognizer: Recognizer) -> None:
    doc = recognizer.extract(TEXT)
    abbr = [m for m in doc.entities if m.method == "abbreviation"]
    assert [(m.text, m.id, m.start) for m in abbr] == [("MFS", "DOID:14323", TEXT.rindex("MFS"))]
    # without the definition the bare short form is only a case-sensitive synonym of OMIM:154700
    assert found(recognizer, "MFS was confirmed.") == [("MFS", "OMIM:154700", "dictionary-synonym")]
    assert found(recognizer, "mfs was confirmed.") == []  # abbreviations match in upper case only


def test_word_order_where_safe() -> None:
    rec = Recognizer.from_concepts([("HP:0010603", "phenotype", "Odontogenic keratocysts of the jaw", ["Jaw cyst"])])
    assert found(rec, "Cysts of the jaws were seen.") == [
        ("Cysts of the jaws", "HP:0010603", "dictionary-reordered")
    ]
    assert found(rec, "Cysts of the jaws.", ) == found(Recognizer.from_concepts(
        [("HP:0010603", "phenotype", "Odontogenic keratocysts of the jaw", ["Jaw cyst"])]), "Cysts of the jaws.")
    # order-free matching never crosses punctuation
    assert found(rec, "Cysts, jaw pain.") == []
    # and is off on request
    assert found(Recognizer(rec.dictionary, reorder=False), "Cysts of the jaws were seen.") == []


def test_two_coordinated_findings_are_not_one_reordered_term() -> None:
    rec = Recognizer.from_concepts([
        ("HP:0010819", "phenotype", "Atonic seizure", ["Hypotonic seizures"]),
        ("HP:0001250", "phenotype", "Seizure", []),
        ("HP:0001252", "phenotype", "Hypotonia", []),
        ("HP:0000202", "phenotype", "Orofacial cleft", ["Lip and palate cleft"]),
    ])
    two = [("seizures", "HP:0001250", "dictionary"), ("hypotonia", "HP:0001252", "dictionary")]
    assert found(rec, "A boy with seizures and hypotonia.") == two
    assert found(rec, "A boy with hypotonia or seizures.") == two[::-1]
    assert found(rec, "Hypotonic seizures.") == [("Hypotonic seizures", "HP:0010819", "dictionary-synonym")]
    # a term whose own words are coordinated still matches across "and"
    assert found(rec, "A cleft lip and palate.") == [("cleft lip and palate", "HP:0000202", "dictionary-reordered")]


@pytest.mark.parametrize("overlap", ["longest", "all"])
def test_an_order_free_match_does_not_join_the_words_of_two_coordinated_findings(overlap: str) -> None:
    rec = Recognizer.from_concepts([
        ("HP:0001284", "phenotype", "Areflexia", ["Absent reflexes"]),
        ("HP:0020207", "phenotype", "Reflex seizure", []),
        ("HP:0001250", "phenotype", "Seizure", []),
        ("HP:0001433", "phenotype", "Hepatosplenomegaly", ["Enlarged liver and spleen"]),
        ("HP:0000202", "phenotype", "Orofacial cleft", ["Cleft lip/palate"]),
        ("HP:0001249", "phenotype", "Intellectual disability", []),
    ], overlap=overlap, relations=None)

    def ids(text: str) -> list[tuple[str, str]]:
        return [(m.text, m.id) for m in rec.extract(text).entities]

    # ``reflexes`` and ``seizures`` belong to two findings: no *Reflex seizure*
    assert ids("Absent reflexes and seizures.") == [("Absent reflexes", "HP:0001284"), ("seizures", "HP:0001250")]
    assert ids("Reflexes or seizures were seen.") == [("seizures", "HP:0001250")]
    assert ids("Reflexes, seizures.") == [("seizures", "HP:0001250")]
    assert ids("Reflex seizures.") == [("Reflex seizures", "HP:0020207")] if overlap == "longest" else [
        ("Reflex seizures", "HP:0020207"), ("seizures", "HP:0001250")]
    # terms whose own words are coordinated (``and``, ``/``) match across it, in any order
    assert ("liver and spleen were enlarged", "HP:0001433") in ids("The liver and spleen were enlarged.")
    assert ("Enlarged liver and spleen", "HP:0001433") in ids("Enlarged liver and spleen.")
    assert ("cleft lip and palate", "HP:0000202") in ids("A cleft lip and palate.")
    assert rec.dictionary.coordinated_pairs == {("liver", "spleen"), ("lip", "palate")}
    # only across words that a name coordinates
    assert ids("The spleen was enlarged and the liver small.") == []


def test_longest_match_and_nested_matches() -> None:
    concepts = [
        ("HP:0002671", "phenotype", "Basal cell carcinoma", []),
        ("HP:0030731", "phenotype", "Carcinoma", []),
        ("HP:0000006", "phenotype", "Autosomal dominant inheritance", ["Autosomal dominant"]),
    ]
    text = "Multiple basal cell carcinomas, autosomal dominant."
    longest = Recognizer.from_concepts(concepts)
    assert [m.text for m in longest.extract(text).entities] == ["basal cell carcinomas", "autosomal dominant"]
    nested = Recognizer.from_concepts(concepts, overlap="all")
    assert [(m.text, m.id) for m in nested.extract(text).entities] == [
        ("basal cell carcinomas", "HP:0002671"),
        ("carcinomas", "HP:0030731"),
        ("autosomal dominant", "HP:0000006"),
    ]
    with pytest.raises(ValueError, match="overlap"):
        Recognizer.from_concepts(concepts, overlap="some")  # type: ignore[arg-type]


def test_short_and_stopword_terms_are_not_in_the_dictionary() -> None:
    d = Dictionary.from_concepts([("HP:1", "phenotype", "All", ["of the", "Ab"]), ("HP:2", "phenotype", "Pain", [])])
    assert len(d) == 2  # "all" kept (3 letters), "of the" and "ab" dropped
    assert d.entry(("of", "the")) is None and d.entry(("ab",)) is None


def test_empty_text_is_an_error(recognizer: Recognizer) -> None:
    for text in ("", "   \n\t "):
        with pytest.raises(InputError, match="empty document"):
            recognizer.extract(text, doc_id="empty")


def test_chunked_extraction_matches_whole_text(recognizer: Recognizer) -> None:
    parts = [TEXT + "\n", "The patient denies vertigo.\n", "Myopia was noted. " * 3]
    whole = recognizer.extract("".join(parts), doc_id="x")
    chunked = recognizer.extract_chunks(iter(parts), doc_id="x")
    assert [m.as_json() for m in chunked.entities] == [m.as_json() for m in whole.entities]
    assert [(m.sentence) for m in chunked.entities] == [m.sentence for m in whole.entities]
    assert [r.as_json() for r in chunked.relations] == [r.as_json() for r in whole.relations]


def test_tokens_and_sentences_keep_offsets() -> None:
    text = "Dr. Smith saw fever (FUO).  Next: e.g. cough!\nNew line"
    for t in tokenize(text):
        assert text[t.start : t.end].lower().startswith(t.norm[:2])
    assert [text[a:b] for a, b in sentences(text)] == [
        "Dr. Smith saw fever (FUO).", "Next: e.g. cough!", "New line"
    ]


def test_unicode_text_offsets_are_character_offsets() -> None:
    rec = Recognizer.from_concepts([("HP:0002321", "phenotype", "Vertigo", [])])
    text = "Naïve patient — «vertigo» since 2 weeks, ünd vertigo."
    ms = rec.extract(text).entities
    assert [text[m.start : m.end] for m in ms] == ["vertigo", "vertigo"]


def test_same_dictionary_from_the_cypher_and_the_sparql_store(fixture_kg, fixture_dictionary: Dictionary) -> None:
    from kg.bundle import Bundle
    from kg.stores import open_store

    with open_store(Bundle(fixture_kg).selector("oxigraph")) as store:
        rdf = Dictionary.from_store(store)
    assert rdf.types == fixture_dictionary.types
    assert rdf._entries == fixture_dictionary._entries  # noqa: SLF001


def test_recognizer_from_bundle(fixture_kg) -> None:
    rec = Recognizer.from_bundle(fixture_kg, overlap="all")
    assert rec.overlap == "all" and "HP:0001166" in rec.dictionary
    assert [m.id for m in rec.extract("Arachnodactyly.").entities] == ["HP:0001166"]


def test_only_phenotypic_abnormality_and_inheritance_branches_of_hpo(tmp_path) -> None:
    import json

    from kg.build import build
    from kg.sources.graph_json import load_graph_json

    P = "PhenotypicFeature"
    terms = [("HP:0000001", "All", None), ("HP:0000118", "Phenotypic abnormality", "HP:0000001"),
             ("HP:0001166", "Arachnodactyly", "HP:0000118"), ("HP:0000005", "Mode of inheritance", "HP:0000001"),
             ("HP:0000006", "Autosomal dominant inheritance", "HP:0000005"),
             ("HP:0001417", "X-linked inheritance", "HP:0000005"),
             ("HP:0001423", "X-linked dominant inheritance", "HP:0001417"),
             ("HP:0034335", "Inheritance qualifier", "HP:0000005"), ("HP:0032382", "Uniparental disomy", "HP:0034335"),
             ("HP:0012823", "Clinical modifier", "HP:0000001"), ("HP:0012828", "Severe", "HP:0012823"),
             ("MESH:D010146", "Pain", None)]
    syn = {"HP:0000005": ["Inheritance"], "HP:0032382": ["UPD"]}
    g = {"source": {"name": "mini", "version": "1"},
         "nodes": [{"id": i, "type": P, "label": lab, "synonyms": syn.get(i, [])} for i, lab, _p in terms],
         "edges": [{"subject": i, "predicate": "SUBCLASS_OF", "object": p} for i, _l, p in terms if p]}
    (tmp_path / "g.json").write_text(json.dumps(g), encoding="utf-8")
    build(tmp_path / "kg", sources=[], extra=[load_graph_json(tmp_path / "g.json")])
    rec = Recognizer.from_bundle(tmp_path / "kg")
    text = "All had severe arachnodactyly, autosomal dominant inheritance and pain."
    assert [m.id for m in rec.extract(text).entities] == ["HP:0001166", "HP:0000006", "MESH:D010146"]
    # a branch root by its label only: its synonym names no finding
    assert [m.text for m in rec.extract("The inheritance: mode of inheritance.").entities] == ["mode of inheritance"]
    everything = Recognizer(Dictionary.from_bundle(tmp_path / "kg", phenotype_roots=()))
    assert [m.text for m in everything.extract(text).entities][:2] == ["All", "severe"]
    # inheritance qualifiers name a mechanism, not a mode: left out with the modifiers
    assert rec.extract("Uniparental disomy (UPD) was found.").entities == []
    # the autosomal modes as genetics text names them, but not inside another mode's name
    nested = Recognizer(rec.dictionary, overlap="all")
    text = "A dominantly inherited trait; X-linked dominant inheritance."
    got = {(m.text, m.id) for m in nested.extract(text).entities}
    assert ("dominantly inherited", "HP:0000006") in got and ("X-linked dominant inheritance", "HP:0001423") in got
    assert all(m.id != "HP:0000006" for m in nested.extract(text).entities if m.start > text.index(";"))


def test_shared_names_prefer_hpo_then_diseases_then_drugs_then_other_phenotypes() -> None:
    # Hetionet's side effects (UMLS) and symptoms (MeSH) are phenotypes that name diseases
    d = Dictionary.from_concepts([
        ("UMLS:C0011860", "phenotype", "Type 2 diabetes mellitus", []),
        ("DOID:9352", "disease", "type 2 diabetes mellitus", []),
        ("MESH:D010300", "phenotype", "Parkinson's disease", []),
        ("OMIM:168600", "disease", "Parkinson disease", ["Parkinson's disease"]),
        ("HP:0001250", "phenotype", "Seizure", []),
        ("DOID:1826", "disease", "Epilepsy", ["Seizure"]),
        ("UMLS:C0001", "phenotype", "Insulin", []),
        ("DRUGBANK:DB00030", "drug", "Insulin", []),
    ])
    t2dm = d.entry(norm_phrase("type 2 diabetes mellitus"))
    assert t2dm is not None and (t2dm.id, t2dm.type, t2dm.alternatives) == ("DOID:9352", "disease", ("UMLS:C0011860",))
    pd = d.entry(norm_phrase("Parkinson's disease"))
    assert pd is not None and (pd.id, pd.type) == ("OMIM:168600", "disease")  # a synonym of a disease beats a symptom
    seizure = d.entry(("seizure",))
    assert seizure is not None and seizure.id == "HP:0001250"  # HPO stays first
    insulin = d.entry(("insulin",))
    assert insulin is not None and insulin.id == "DRUGBANK:DB00030"


def test_a_term_wrapped_over_one_line_break_is_found_and_a_blank_line_separates() -> None:
    rec = Recognizer.from_concepts([
        ("DOID:14323", "disease", "Marfan syndrome", []),
        ("HP:0000957", "phenotype", "Cafe-au-lait spot", []),
        ("HP:0001945", "phenotype", "Fever", []),
        ("HP:0012735", "phenotype", "Cough", []),
    ], relations=None)
    text = "The patient has Marfan\nsyndrome and a café-au-lait\r\nspot on the arm.\n"
    got = [(text[m.start : m.end], m.id) for m in rec.extract(text).entities]
    assert got == [("Marfan\nsyndrome", "DOID:14323"), ("café-au-lait\r\nspot", "HP:0000957")]
    assert rec.extract("Marfan\n\nsyndrome.").entities == []  # a paragraph break ends the sentence
    # a byte-order mark after the line break (files joined) is no text: the term still goes on
    assert [m.id for m in rec.extract("Marfan\n\ufeffsyndrome").entities] == ["DOID:14323"]
    assert rec.extract("Marfan\nSyndrome follows.").entities == []  # a new line that starts a new sentence
    # a list of capitalised items stays one item per line: the negation does not run on
    text = "No fever\nCough since Monday.\nNo cough.\nfever noted"
    assert [(m.text, m.assertion) for m in rec.extract(text).entities] == [
        ("fever", "absent"), ("Cough", "present"), ("cough", "absent"), ("fever", "present")]


@pytest.mark.parametrize(("text", "expected"), [
    # a negation goes on over a line break where the list goes on (a comma, ``and``/``or`` at the
    # end of the line, or ``and``/``or`` at the start of the next)
    ("Denies headache,\nfever or cough", [("headache", "absent"), ("fever", "absent"), ("cough", "absent")]),
    ("Denies headache, fever\nor cough", [("headache", "absent"), ("fever", "absent"), ("cough", "absent")]),
    ("No seizures or\nataxia.", [("seizures", "absent"), ("ataxia", "absent")]),
    ("No fever,\ncough,\nrash.\nHeadache", [("fever", "absent"), ("cough", "absent"), ("rash", "absent"),
                                             ("Headache", "present")]),
    ("Possible seizures,\nataxia", [("seizures", "possible"), ("ataxia", "possible")]),
    # ... only into a list of findings, as within a line
    ("No fever,\nthe patient has cough", [("fever", "absent"), ("cough", "present")]),
    # a new sentence, a blank line, a bullet, a numbered item or a heading ends it
    ("No fever.\ncough", [("fever", "absent"), ("cough", "present")]),
    ("No fever,\n\ncough", [("fever", "absent"), ("cough", "present")]),
    ("Denies headache,\n- fever\n* cough", [("headache", "absent"), ("fever", "present"), ("cough", "present")]),
    ("Denies headache,\n2. fever", [("headache", "absent"), ("fever", "present")]),
    ("No fever,\nNeuro: ataxia", [("fever", "absent"), ("ataxia", "present")]),
    # a line that does not leave its list open is an item of its own (as before)
    ("denies headache\nseizures since age 2", [("headache", "absent"), ("seizures", "present")]),
    # a term wrapped over a line break joins its lines, as a list does
    ("No Marfan\nsyndrome or ataxia", [("Marfan\nsyndrome", "absent"), ("ataxia", "absent")]),
    ("No Marfan\nsyndrome,\nfever or\nataxia\nSeizures",
     [("Marfan\nsyndrome", "absent"), ("fever", "absent"), ("ataxia", "absent"), ("Seizures", "present")]),
])
def test_a_negation_goes_on_over_a_line_break_that_continues_its_list(
        text: str, expected: list[tuple[str, str]]) -> None:
    for overlap in ("longest", "all"):
        rec = Recognizer.from_concepts(WRAP_CONCEPTS, relations=None, overlap=overlap)
        doc = rec.extract(text)
        assert [(m.text, m.assertion) for m in doc.entities] == expected
        assert doc.sentences == text.count("\n") + 1 - text.count("\n\n")  # the lines stay sentences


WRAP_CONCEPTS = [
    ("DOID:14323", "disease", "Marfan syndrome", []),
    ("HP:0000957", "phenotype", "Cafe-au-lait spot", []),
    ("HP:0001945", "phenotype", "Fever", []),
    ("HP:0012735", "phenotype", "Cough", []),
    ("HP:0000988", "phenotype", "Skin rash", ["Rash"]),
    ("HP:0001250", "phenotype", "Seizure", []),
    ("HP:0001252", "phenotype", "Hypotonia", []),
    ("HP:0001251", "phenotype", "Ataxia", []),
    ("HP:0002315", "phenotype", "Headache", []),
    ("HP:0000365", "phenotype", "Hearing impairment", ["Deafness"]),
    ("HP:0001166", "phenotype", "Arachnodactyly", []),
]


@pytest.mark.parametrize(("text", "expected"), [
    # lower-case lists one item per line: each line is a sentence, a negation does not run on
    ("ROS:\nno fever\ncough\nrash", [("fever", "absent"), ("cough", "present"), ("rash", "present")]),
    ("Problem list:\nno seizures\nhypotonia\nataxia",
     [("seizures", "absent"), ("hypotonia", "present"), ("ataxia", "present")]),
    ("denies headache\nseizures since age 2", [("headache", "absent"), ("seizures", "present")]),
    ("Mother has deafness\nseizures and ataxia in the patient",
     [("deafness", "family"), ("seizures", "present"), ("ataxia", "present")]),
    # a term wrapped over the line break: what either line says of it
    ("No Marfan\nsyndrome.", [("Marfan\nsyndrome", "absent")]),
    ("Marfan\nsyndrome was ruled out; arachnodactyly.",
     [("Marfan\nsyndrome", "absent"), ("arachnodactyly", "present")]),
    ("Marfan\nsyndrome? No.", [("Marfan\nsyndrome", "absent")]),
    ("She has Marfan\nsyndrome, no fever", [("Marfan\nsyndrome", "present"), ("fever", "absent")]),
])
def test_lines_stay_sentences_and_a_wrapped_term_takes_both_lines_assertions(
        text: str, expected: list[tuple[str, str]]) -> None:
    rec = Recognizer.from_concepts(WRAP_CONCEPTS, relations=None)
    assert [(m.text, m.assertion) for m in rec.extract(text).entities] == expected


def test_a_wrapped_term_hides_the_shorter_term_on_the_next_line() -> None:
    concepts = [("HP:1", "phenotype", "Cafe-au-lait spot", []), ("HP:2", "phenotype", "Spot", []),
                ("HP:3", "phenotype", "Fever", [])]
    text = "A café-au-lait\nspot, fever"
    longest = Recognizer.from_concepts(concepts, relations=None).extract(text)
    assert [(m.text, m.id, m.sentence) for m in longest.entities] == [
        ("café-au-lait\nspot", "HP:1", 0), ("fever", "HP:3", 1)]
    every = Recognizer.from_concepts(concepts, relations=None, overlap="all").extract(text)
    assert [(m.text, m.id) for m in every.entities] == [
        ("café-au-lait\nspot", "HP:1"), ("spot", "HP:2"), ("fever", "HP:3")]
    # the wrap is at most one line break, and never after a colon or a sentence end
    rec = Recognizer.from_concepts(concepts, relations=None)
    for t in ("A café-au-lait\n\nspot", "Seen: café-au-lait:\nspot", "Café-au-lait.\nspot"):
        assert [m.id for m in rec.extract(t).entities] == ["HP:2"], t


def test_a_longer_term_on_the_next_line_hides_the_wrapped_term_it_overlaps() -> None:
    # "Acute\nhepatitis" (wrapped) overlaps the longer "hepatitis C infection" of the next
    # line: the longer one is kept, as on one line; the wrapped sentence was resolved a
    # second time alone, which kept both (overlapping mentions under overlap="longest")
    concepts = [("HP:1", "phenotype", "Acute hepatitis", []), ("DOID:1", "disease", "Hepatitis C infection", [])]
    rec = Recognizer.from_concepts(concepts, relations=None)
    for text in ("She had acute\nhepatitis C infection last year", "She had acute hepatitis C infection last year"):
        assert [(m.text, m.id) for m in rec.extract(text).entities] == [
            (text[14:35], "DOID:1")], text


def test_disease_ontology_categories_name_no_disease(tmp_path) -> None:
    import json

    from kg.bundle import Bundle
    from kg.build import build
    from kg.sources.graph_json import load_graph_json
    from kg.stores import open_store

    terms = [("DOID:4", "disease", None), ("DOID:225", "syndrome", "DOID:4"),
             ("DOID:630", "genetic disease", "DOID:4"), ("DOID:14323", "Marfan syndrome", "DOID:225"),
             ("DOID:14566", "disease of cellular proliferation", "DOID:4"), ("DOID:162", "cancer", "DOID:14566")]
    g = {"source": {"name": "mini", "version": "1"},
         "nodes": [{"id": i, "type": "Disease", "label": lab} for i, lab, _p in terms],
         "edges": [{"subject": i, "predicate": "SUBCLASS_OF", "object": p} for i, _l, p in terms if p]}
    (tmp_path / "g.json").write_text(json.dumps(g), encoding="utf-8")
    build(tmp_path / "kg", sources=[], extra=[load_graph_json(tmp_path / "g.json")])
    rec = Recognizer.from_bundle(tmp_path / "kg", cache_dir=False)
    text = "A genetic disease: a rare syndrome, Marfan\nsyndrome, not cancer. The disease progressed."
    assert [(m.text, m.id) for m in rec.extract(text).entities] == [
        ("Marfan\nsyndrome", "DOID:14323"), ("cancer", "DOID:162")]
    assert {"DOID:4", "DOID:225", "DOID:630"}.isdisjoint(rec.dictionary.types)
    with open_store(Bundle(tmp_path / "kg").selector("oxigraph")) as store:  # the same from SPARQL
        assert Dictionary.from_store(store).types == rec.dictionary.types
    assert "DOID:225" in Dictionary.from_bundle(tmp_path / "kg", cache_dir=False, disease_roots=()).types


def test_a_term_across_a_negated_copula_is_found_and_absent() -> None:
    rec = Recognizer.from_concepts([
        ("HP:0000974", "phenotype", "Hyperextensible skin", []),
        ("HP:0001348", "phenotype", "Brisk reflexes", []),
        ("HP:0001249", "phenotype", "Intellectual disability", ["Mental retardation"]),
        ("HP:0010864", "phenotype", "Intellectual disability, severe", ["Severe mental retardation"]),
        ("ORPHA:901", "disease", "Wells syndrome", []),
        ("HP:0005484", "phenotype", "Postnatal microcephaly",
         ["Development of small head that was not present at birth"]),
    ], relations=None)

    def got(text: str) -> list[tuple[str, str, str]]:
        return [(m.text, m.id, m.assertion) for m in rec.extract(text).entities]

    assert got("Skin is not hyperextensible.") == [("Skin is not hyperextensible", "HP:0000974", "absent")]
    assert got("Reflexes are not brisk.") == [("Reflexes are not brisk", "HP:0001348", "absent")]
    assert got("Reflexes were not brisk but normal.") == [("Reflexes were not brisk", "HP:0001348", "absent")]
    assert got("The skin isn't hyperextensible.") == [("skin isn't hyperextensible", "HP:0000974", "absent")]
    # without the negation the same words name the finding, present
    assert got("Skin is hyperextensible.") == [("Skin is hyperextensible", "HP:0000974", "present")]
    # only a copula's ``not``, next to the words: no other verb or content word between
    assert got("Skin does not seem hyperextensible.") == []
    assert got("Skin is not very hyperextensible.") == []
    # a subject that is a finding of its own: the clause denies a property of it, the finding stays
    assert got("Mental retardation is not severe.") == [("Mental retardation", "HP:0001249", "present")]
    # the last word must end the predicate (``well`` here modifies ``defined``)
    assert got("The syndrome is not well defined.") == []
    # a ``was not`` that is part of a term's name negates nothing
    assert got("Development of small head that was not present at birth.") == [
        ("Development of small head that was not present at birth", "HP:0005484", "present")]


ABSENCE_CONCEPTS = [
    ("HP:0001250", "phenotype", "Seizure", ["Seizures", "Epilepsy"]),
    ("HP:0002121", "phenotype", "Generalized non-motor (absence) seizure", ["Absence seizures"]),
    ("HP:0011147", "phenotype", "Typical absence seizure", ["Typical absence", "Typical absences"]),
    ("DOID:0060172", "disease", "juvenile absence epilepsy", []),
    ("OMIM:607631", "disease", "Epilepsy, juvenile absence", []),
    ("ORPHA:139426", "disease", "Perioral myoclonia with absences", []),
    ("HP:0001284", "phenotype", "Areflexia", ["Absent reflexes"]),
    ("HP:0009777", "phenotype", "Absent thumb", []),
    ("HP:0008211", "phenotype", "Parathyroid agenesis", ["Parathyroid absence"]),
    ("HP:0001945", "phenotype", "Fever", []),
    ("HP:0001337", "phenotype", "Tremor", []),
    ("HP:0001251", "phenotype", "Ataxia", []),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a finding said to be absent is that finding, absent: not the seizure type *absence*
        ("Seizures were absent.", [("Seizures", "HP:0001250", "absent")]),
        ("Seizures are absent in all patients.", [("Seizures", "HP:0001250", "absent")]),
        ("Seizures absent.", [("Seizures", "HP:0001250", "absent")]),
        ("Typical seizures were absent.", [("seizures", "HP:0001250", "absent")]),
        ("Juvenile epilepsy was absent.", [("epilepsy", "HP:0001250", "absent")]),
        ("Perioral myoclonia was absent.", []),
        # the adjective before the finding says the same (see the module docstring of ConText)
        ("He had absent seizures.", [("seizures", "HP:0001250", "absent")]),
        ("Fever was absent.", [("Fever", "HP:0001945", "absent")]),
        ("Tremor is absent.", [("Tremor", "HP:0001337", "absent")]),
        ("Ataxia: absent.", [("Ataxia", "HP:0001251", "absent")]),
        # the seizure noun is still the seizure type, present
        ("Absence seizures were reported.", [("Absence seizures", "HP:0002121", "present")]),
        ("She had typical absences.", [("typical absences", "HP:0011147", "present")]),
        ("Juvenile absence epilepsy.", [("Juvenile absence epilepsy", "DOID:0060172", "present")]),
        ("No absence seizures.", [("absence seizures", "HP:0002121", "absent")]),
        # where ``absent`` is the finding's own word, the clause names the finding, present
        ("Reflexes were absent.", [("Reflexes were absent", "HP:0001284", "present")]),
        ("Reflexes absent.", [("Reflexes absent", "HP:0001284", "present")]),
        ("The thumbs were absent.", [("thumbs were absent", "HP:0009777", "present")]),
        ("Absence of the thumbs.", [("Absence of the thumbs", "HP:0009777", "present")]),
        ("Parathyroids were absent.", [("Parathyroids were absent", "HP:0008211", "present")]),
        ("Seizures and absent reflexes.", [("Seizures", "HP:0001250", "present"),
                                           ("absent reflexes", "HP:0001284", "present")]),
    ],
)
def test_absent_is_not_the_seizure_noun_absence(text: str, expected: list[tuple[str, str, str]]) -> None:
    rec = Recognizer.from_concepts(ABSENCE_CONCEPTS, relations=None)
    assert [(m.text, m.id, m.assertion) for m in rec.extract(text).entities] == expected


PARTICIPLE_CONCEPTS = [
    ("HP:0001083", "phenotype", "Ectopia lentis", ["Lens dislocation"]),
    ("HP:0000105", "phenotype", "Enlarged kidney", ["Kidney enlargement"]),
    ("HP:0002119", "phenotype", "Ventriculomegaly", ["Dilatation of the cerebral ventricles"]),
    ("HP:0001072", "phenotype", "Thickened skin", []),
    ("HP:0001250", "phenotype", "Seizure", ["Seizure control"]),
    ("HP:0000010", "phenotype", "Recurrent urinary tract infections", []),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a participle after a copula names the finding its noun names
        ("Lenses were not dislocated.", [("Lenses were not dislocated", "HP:0001083", "absent")]),
        ("The lens was dislocated.", [("lens was dislocated", "HP:0001083", "present")]),
        ("The lenses weren't dislocated.", [("lenses weren't dislocated", "HP:0001083", "absent")]),
        ("Both lenses were dislocated superiorly.", [("lenses were dislocated", "HP:0001083", "present")]),
        ("The kidneys were not enlarged, cerebral ventricles were dilated.",
         [("kidneys were not enlarged", "HP:0000105", "absent"), ("cerebral ventricles were dilated", "HP:0002119", "present")]),
        # the participle itself: the term's own words, as before
        ("The skin was thickened.", [("skin was thickened", "HP:0001072", "present")]),
        # no copula, another verb, or words between: nothing
        ("The lens dislocated.", []),
        ("The lens had been dislocated.", []),
        ("Lenses were not completely dislocated.", []),
        # a subject that is a finding of its own stays that finding
        ("Seizures were not controlled.", [("Seizures", "HP:0001250", "present")]),
        # a negated copula whose predicate goes on names nothing
        ("Lenses were not dislocated lens fragments.", []),
    ],
)
def test_a_participle_after_a_copula_names_the_finding_of_its_noun(
        text: str, expected: list[tuple[str, str, str]]) -> None:
    rec = Recognizer.from_concepts(PARTICIPLE_CONCEPTS, relations=None)
    assert [(m.text, m.id, m.assertion) for m in rec.extract(text).entities] == expected


def test_obsolete_terms_are_not_in_the_dictionary(fixture_dictionary: Dictionary, recognizer: Recognizer) -> None:
    """The graph keeps obsolete HPO terms (ObsoleteTerm nodes) to explain their ids; text never
    matches their names, even written out whole."""
    assert "HP:0004175" not in fixture_dictionary and "HP:0031070" not in fixture_dictionary
    text = "Obsolete femoral retroversion; obsolete periosteal new bone of middle phalanx of middle-finger."
    assert not {"HP:0004175", "HP:0031070"} & {m.id for m in recognizer.extract(text).entities}
