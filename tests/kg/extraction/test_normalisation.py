"""Lexical variants the recogniser treats as one name, over the fixture graph
(and a few in-memory concepts where the fixture has no fitting name)."""

from __future__ import annotations

import pytest

from kg.extraction import Dictionary, Recognizer
from kg.extraction.text import norm_phrase, norm_word


def found(rec: Recognizer, text: str) -> set[tuple[str, str]]:
    return {(m.text, m.id) for m in rec.extract(text).entities}


@pytest.mark.parametrize(
    ("words", "same"),
    [
        (("teeth", "tooth"), True),  # irregular plural
        (("feet", "foot"), True),
        (("renal", "kidney"), True),  # relational adjective ~ organ
        (("ocular", "eye"), True),
        (("ataxic", "ataxia"), True),  # -ic ~ -ia
        (("scoliotic", "scoliosis"), True),  # -otic ~ -osis
        (("anomalies", "abnormality"), True),  # heads used alike in HPO names
        (("malformation", "abnormal"), True),
        (("absence", "absent"), True),
        (("renal", "rental"), False),
        (("tonic", "tonia"), False),  # short words are left alone
    ],
)
def test_word_variants(words: tuple[str, str], same: bool) -> None:
    a, b = words
    assert (norm_word(a) == norm_word(b)) is same


def test_organ_adjectives_and_abnormality_heads_on_the_fixture(fixture_dictionary: Dictionary) -> None:
    rec = Recognizer(fixture_dictionary, overlap="all")
    # "Abnormality of the eye": adjective for the organ, another head, another order
    for text in ("Ocular anomalies were noted.", "She had eye malformations.", "An abnormal eye."):
        assert ("HP:0000478" in {i for _t, i in found(rec, text)}), text
    assert ("hand malformations", "HP:0001155") in found(rec, "Severe hand malformations.")


def test_coordinated_words_share_the_term(fixture_dictionary: Dictionary) -> None:
    rec = Recognizer(fixture_dictionary, overlap="all")
    got = found(rec, "He has hand and finger anomalies.")
    assert ("finger anomalies", "HP:0001167") in got
    assert ("hand and finger anomalies", "HP:0001155") in got  # "hand anomalies", over the phrase
    # with the longest-match reading the phrase would hide its parts: not used there
    assert ("hand and finger anomalies", "HP:0001155") not in found(Recognizer(fixture_dictionary), "He has hand and finger anomalies.")


def test_coordinated_heads_and_slashes() -> None:
    rec = Recognizer.from_concepts([
        ("HP:0410030", "phenotype", "Cleft lip", []),
        ("HP:0000175", "phenotype", "Cleft palate", []),
        ("HP:0010610", "phenotype", "Palmar pits", []),
        ("HP:0010612", "phenotype", "Plantar pits", []),
    ], overlap="all")
    got = found(rec, "Cleft lip and palate with palmar/plantar pits.")
    assert {("Cleft lip", "HP:0410030"), ("Cleft lip and palate", "HP:0000175"),
            ("plantar pits", "HP:0010612"), ("palmar/plantar pits", "HP:0010610")} <= got


def test_generic_head_nouns_extend_a_phenotype_only_with_overlap_all() -> None:
    concepts = [("HP:0000006", "phenotype", "Autosomal dominant inheritance", ["Autosomal dominant"])]
    text = "An autosomal dominant trait was seen."
    assert found(Recognizer.from_concepts(concepts, overlap="all"), text) == {
        ("autosomal dominant", "HP:0000006"), ("autosomal dominant trait", "HP:0000006")}
    assert found(Recognizer.from_concepts(concepts), text) == {("autosomal dominant", "HP:0000006")}


def test_single_letter_designators_are_content_words() -> None:
    rec = Recognizer.from_concepts([
        ("HP:0009373", "phenotype", "Type C brachydactyly", []),
        ("HP:0009370", "phenotype", "Type A brachydactyly", []),
        ("ORPHA:93384", "disease", "Brachydactyly type C", []),
        ("OMIM:113100", "disease", "Brachydactyly, type C", []),
    ], overlap="all")
    got = found(rec, "A family with brachydactyly type C.")
    # the phenotype named alike is found beside the diseases; "type A" is not "type"
    assert ("brachydactyly type C", "HP:0009373") in got
    assert not any(i == "HP:0009370" for _t, i in got)


def test_absence_of_x_is_the_finding_absent_x_and_not_a_negation() -> None:
    rec = Recognizer.from_concepts([("HP:0001344", "phenotype", "Absent speech", [])])
    (m,) = rec.extract("He showed absence of speech.").entities
    assert (m.text, m.id, m.assertion) == ("absence of speech", "HP:0001344", "present")
    (m,) = rec.extract("There was no absence of speech.").entities
    assert m.assertion == "absent"


def test_names_without_their_parenthetical() -> None:
    rec = Recognizer.from_concepts([("HP:0000376", "phenotype", "Incomplete partition (Mondini dysplasia)", [])])
    assert ("incomplete partition", "HP:0000376") in found(rec, "An incomplete partition was seen.")
    assert norm_phrase("Incomplete partition (Mondini dysplasia)") in {
        k for k in rec.dictionary._entries}  # the full name is kept too


def test_abbreviation_names_every_concept_of_its_long_form() -> None:
    rec = Recognizer.from_concepts([
        ("HP:0009373", "phenotype", "Type C brachydactyly", []),
        ("ORPHA:93384", "disease", "Brachydactyly type C", []),
    ], overlap="all")
    doc = rec.extract("Brachydactyly type C (BDC) is rare. BDC is dominant.")
    assert {m.id for m in doc.entities if m.method == "abbreviation"} == {"HP:0009373", "ORPHA:93384"}


def test_an_adjective_alone_does_not_name_the_noun_it_shares_a_form_with() -> None:
    rec = Recognizer.from_concepts([
        ("HP:0002486", "phenotype", "Myotonia", []),
        ("HP:0003745", "phenotype", "Sporadic", []),
        ("HP:0002650", "phenotype", "Scoliosis", ["Spinal curvature"]),
        ("HP:0001251", "phenotype", "Ataxia", ["Ataxic gait"]),
    ])
    assert found(rec, "Myotonic dystrophy was ruled in.") == set()
    assert found(rec, "Myotonia was present.") == {("Myotonia", "HP:0002486")}
    assert found(rec, "Sporadic cases.") == {("Sporadic", "HP:0003745")}  # the name itself is the adjective
    assert found(rec, "An ataxia gait.") == {("ataxia gait", "HP:0001251")}  # in a longer name the forms agree


def test_order_free_matching_stops_at_a_conjunction() -> None:
    rec = Recognizer.from_concepts([("DOID:1380", "disease", "Endometrial cancer", [])])
    assert found(rec, "Cancer of the endometrial type.") == {("Cancer of the endometrial", "DOID:1380")}
    assert found(rec, "Breast cancer and an endometrial tumour.") == set()  # not across "and an"
    assert found(rec, "Cancer and endometrial tumours.") == {("Cancer and endometrial", "DOID:1380")}  # a bare "and" is skipped
    assert found(rec, "Cancer, endometrial.") == set()  # nor across punctuation
