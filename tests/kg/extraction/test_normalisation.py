"""Lexical variants the recogniser treats as one name, over the fixture graph
(and a few in-memory concepts where the fixture has no fitting name)."""

from __future__ import annotations

import pytest

from kg.extraction import Dictionary, Recognizer
from kg.extraction.dictionary import _bag
from kg.extraction.text import norm_phrase, norm_word, norm_words, tokenize


def found(rec: Recognizer, text: str) -> set[tuple[str, str]]:
    return {(m.text, m.id) for m in rec.extract(text).entities}


@pytest.mark.parametrize(
    ("words", "same"),
    [
        (("teeth", "tooth"), True),  # irregular plural
        (("pneumothoraces", "pneumothorax"), True),  # Latin plural
        (("feet", "foot"), True),
        (("renal", "kidney"), True),  # relational adjective ~ organ
        (("ocular", "eye"), True),
        (("ataxic", "ataxia"), True),  # -ic ~ -ia
        (("scoliotic", "scoliosis"), True),  # -otic ~ -osis
        (("hypoplastic", "hypoplasia"), True),  # -plastic ~ -plasia
        (("atrophic", "atrophy"), True),  # -trophic ~ -trophy
        (("myopathic", "myopathy"), True),  # -pathic ~ -pathy
        (("microcephalic", "microcephaly"), True),  # -cephalic ~ -cephaly
        (("myoclonic", "myoclonus"), True),  # myoclonic ~ myoclonus
        (("clonic", "clonus"), False),  # a kind of seizure (tonic-clonic), not the reflex sign
        (("epileptic", "epilepsy"), True),  # -leptic ~ -lepsy
        (("hemolytic", "hemolysis"), True),  # -lytic ~ -lysis
        (("anomalies", "abnormality"), True),  # heads used alike in HPO names
        (("malformation", "abnormal"), True),
        (("absence", "absent"), True),
        (("absence of", "absent"), True),  # the lack of something ...
        (("absence seizures", "absent seizures"), False),  # ... not the seizure noun
        (("absence epilepsy", "absent epilepsy"), False),
        (("absence seizures", "absences seizures"), True),
        (("renal", "rental"), False),
        (("tonic", "tonia"), False),  # short words are left alone
    ],
)
def test_word_variants(words: tuple[str, str], same: bool) -> None:
    a, b = words
    assert (_bag(norm_phrase(a)) == _bag(norm_phrase(b))) is same


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
    # with the longest-match reading the phrase is kept beside its parts, not in their place
    assert found(Recognizer(fixture_dictionary), "He has hand and finger anomalies.") == {
        ("finger anomalies", "HP:0001167"), ("hand and finger anomalies", "HP:0001155")}


COORDINATED = [
    ("HP:0000997", "phenotype", "Axillary freckling", []),
    ("HP:0030052", "phenotype", "Inguinal freckling", []),
    ("HP:0001480", "phenotype", "Freckling", []),
    ("HP:0006986", "phenotype", "Upper limb spasticity", []),
    ("HP:0002061", "phenotype", "Lower limb spasticity", []),
    ("HP:0000107", "phenotype", "Renal cyst", []),
    ("HP:0001407", "phenotype", "Hepatic cysts", []),
    ("HP:0007109", "phenotype", "Periventricular cysts", []),
    ("UMLS:C0010709", "phenotype", "Cyst", []),
    ("HP:0001250", "phenotype", "Seizure", []),
    ("HP:0001252", "phenotype", "Hypotonia", []),
    ("HP:0010819", "phenotype", "Atonic seizure", ["hypotonic seizure"]),
    ("HP:0009588", "phenotype", "Vestibular schwannoma", []),
    ("HP:0002858", "phenotype", "Meningioma", []),
    ("HP:0001756", "phenotype", "Vestibular hypofunction", ["vestibular loss"]),
]


@pytest.mark.parametrize(("text", "expected"), [
    ("Axillary and inguinal freckling.", {("Axillary and inguinal freckling", "HP:0000997"),
                                          ("inguinal freckling", "HP:0030052")}),
    ("Axillary, inguinal and truncal freckling.", {
        ("Axillary, inguinal and truncal freckling", "HP:0000997"), ("inguinal and truncal freckling", "HP:0030052"),
        ("freckling", "HP:0001480")}),
    ("Upper and lower limb spasticity.", {("Upper and lower limb spasticity", "HP:0006986"),
                                          ("lower limb spasticity", "HP:0002061")}),
    ("Multiple renal and hepatic cysts.", {("renal and hepatic cysts", "HP:0000107"), ("hepatic cysts", "HP:0001407")}),
    # the last modifier with the head names nothing: the first does
    ("Periventricular and subcortical cysts.", {("Periventricular and subcortical cysts", "HP:0007109"),
                                                ("cysts", "UMLS:C0010709")}),
    # a conjunct that is a finding of its own is a list item, no modifier
    ("Seizures and severe hypotonia.", {("Seizures", "HP:0001250"), ("hypotonia", "HP:0001252")}),
    ("As with vestibular schwannomas and meningiomas, loss of NF2.", {
        ("vestibular schwannomas", "HP:0009588"), ("meningiomas", "HP:0002858")}),
])
def test_coordinated_modifiers_with_the_longest_reading(text: str, expected: set[tuple[str, str]]) -> None:
    assert found(Recognizer.from_concepts(COORDINATED, relations=None), text) == expected


def test_a_finding_of_its_own_is_no_shared_modifier_or_head() -> None:
    rec = Recognizer.from_concepts(COORDINATED + [("HP:0006829", "phenotype", "Severe hypotonia", [])],
                                   overlap="all", relations=None)
    assert ("Seizures and severe hypotonia", "HP:0010819") not in found(rec, "Seizures and severe hypotonia.")
    got = found(rec, "As with vestibular schwannomas and meningiomas, loss of NF2.")
    assert not any(i == "HP:0001756" for _t, i in got)


def test_the_head_noun_of_a_longer_term_is_no_shared_modifier_or_head() -> None:
    rec = Recognizer.from_concepts([
        ("HP:0000772", "phenotype", "Abnormal rib morphology", ["Rib anomalies"]),
        ("HP:0040059", "phenotype", "Calcification of ribs", ["Rib calcification"]),
        ("HP:0005462", "phenotype", "Calcification of the falx cerebri", []),
        ("HP:0010653", "phenotype", "Abnormality of the falx cerebri", ["Falx cerebri anomalies"]),
        ("HP:0000377", "phenotype", "Abnormal pinna morphology", ["Malformed pinna"]),
        ("HP:0000077", "phenotype", "Abnormality of the kidney", ["Renal anomalies"]),
        ("HP:0000356", "phenotype", "Abnormality of the outer ear", ["Pinna anomalies"]),
    ], overlap="all", relations=None)
    got = found(rec, "Spine and rib anomalies and calcification of the falx cerebri.")
    assert ("rib anomalies", "HP:0000772") in got and ("calcification of the falx cerebri", "HP:0005462") in got
    assert not {i for _t, i in got} & {"HP:0040059", "HP:0010653"}  # no rib calcification, no falx anomalies
    got = found(rec, "Prehelical pits, malformed pinna, and renal anomalies.")
    assert got == {("malformed pinna", "HP:0000377"), ("renal anomalies", "HP:0000077")}  # no pinna anomalies


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
    # nor across a bare "and": it joins the words of two findings
    assert found(rec, "Cancer and endometrial tumours.") == set()
    assert found(rec, "Cancer, endometrial.") == set()  # nor across punctuation


def test_a_predicative_adjective_names_its_finding() -> None:
    rec = Recognizer.from_concepts([("HP:0001252", "phenotype", "Hypotonia", []), ("HP:0001251", "phenotype", "Ataxia", [])])
    assert found(rec, "The child was hypotonic at birth.") == {("hypotonic", "HP:0001252")}
    assert found(rec, "All were ataxic, and two were hypotonic.") == {("ataxic", "HP:0001251"), ("hypotonic", "HP:0001252")}
    assert found(rec, "Hypotonic cerebral palsy.") == set()  # before its noun it only modifies it


def test_accents_are_folded() -> None:
    rec = Recognizer.from_concepts([("HP:0000957", "phenotype", "Cafe-au-lait spot", [])])
    assert found(rec, "Six café au lait spots.") == {("café au lait spots", "HP:0000957")}


def test_a_part_and_a_manifestation_head_name_its_abnormality() -> None:
    rec = Recognizer.from_concepts([
        ("HP:0000077", "phenotype", "Abnormality of the kidney", []),
        ("HP:0000924", "phenotype", "Abnormality of the skeletal system", ["Abnormality of the skeleton"]),
        ("HP:0004378", "phenotype", "Abnormality of the anus", []),
        ("HP:0100589", "phenotype", "Skin lesion", []),
    ], overlap="all")
    assert found(rec, "Renal findings and skeletal alterations.") == {
        ("Renal findings", "HP:0000077"), ("skeletal alterations", "HP:0000924")}
    assert found(rec, "Renal, and anal findings.") == {
        ("anal findings", "HP:0004378"), ("Renal, and anal findings", "HP:0000077")}
    assert found(rec, "No cerebral findings.") == set()  # no such abnormality in the dictionary


def test_a_match_that_cuts_a_noun_phrase_after_its_adjective_is_dropped() -> None:
    rec = Recognizer.from_concepts([
        ("HP:0000271", "phenotype", "Abnormality of the face", ["Anomalies of the face"]),
        ("HP:0002948", "phenotype", "Vertebral fusion", []),
    ], overlap="all")
    assert found(rec, "Anomalies of the facial nerve.") == set()  # about the nerve, not the face
    assert found(rec, "Anomalies of the facial region.") == set()
    assert found(rec, "Anomalies of the facial, and of the eye.") == {("Anomalies of the facial", "HP:0000271")}
    assert found(rec, "Fusion of the vertebral bodies.") == set()
    assert found(rec, "Fusion of the vertebrae.") == {("Fusion of the vertebrae", "HP:0002948")}


def test_coordinated_modifiers_share_a_head_noun() -> None:
    rec = Recognizer.from_concepts([
        ("HP:0009794", "phenotype", "Branchial anomaly", []),
        ("HP:0000356", "phenotype", "Abnormality of the outer ear", ["External ear malformations"]),
    ], overlap="all")
    got = found(rec, "Branchial and external ear malformations.")
    assert ("Branchial and external ear malformations", "HP:0009794") in got  # branchial malformations
    assert ("external ear malformations", "HP:0000356") in got


def test_no_match_crosses_a_sentence_end() -> None:
    rec = Recognizer.from_concepts([("HP:0000365", "phenotype", "Hearing loss", []),
                                    ("HP:0001250", "phenotype", "Seizure", [])], overlap="all")
    assert found(rec, "Normal hearing. Loss of weight. Seizures.") == {("Seizures", "HP:0001250")}
    assert [m.sentence for m in rec.extract("One. Two hearing loss.\nThree seizures").entities] == [1, 2]


def test_a_document_is_matched_as_its_sentences_are(fixture_dictionary: Dictionary) -> None:
    from kg.extraction.text import sentences

    text = ("Hand and finger anomalies. Ocular anomalies were seen with\nseizures, arachnodactyly and "
            "Marfan syndrome; cysts of the jaw. Hand. Anomalies of the eye, hand and finger.")
    for overlap in ("all", "longest"):
        rec = Recognizer(fixture_dictionary, overlap=overlap, abbreviations=False, relations=None)
        whole = [(m.start, m.end, m.id, m.method) for m in rec.extract(text).entities]
        parts = [(m.start + a, m.end + a, m.id, m.method)
                 for a, b in sentences(text) for m in rec.extract(text[a:b]).entities]
        assert whole == parts and whole, overlap


def test_the_seizure_noun_absence_keeps_its_normal_form_in_every_path() -> None:
    words = ["Absence", "seizures", "and", "absent", "seizures", ";", "absences", "of", "seizures"]
    assert norm_words(words) == ["absence", "seizure", "and", "absent", "seizure", ";", "absent", "of", "seizure"]
    text = " ".join(words)
    assert [t.norm for t in tokenize(text)] == norm_words(words)
    assert norm_phrase(text) == tuple(norm_words(words))
    assert norm_word("absence") == "absent"  # one word alone: the lack of something


def test_a_concept_named_with_the_seizure_noun_is_matched_in_order_only() -> None:
    d = Dictionary.from_concepts([
        ("HP:0011147", "phenotype", "Typical absence seizure", ["Typical absence"]),
        ("OMIM:607631", "disease", "Epilepsy, juvenile absence", []),
        ("HP:0008211", "phenotype", "Parathyroid agenesis", ["Parathyroid absence"]),
    ])
    assert d.entry(("typical", "absent")) is not None and d.entry(("typical", "absent")).id == "HP:0011147"
    assert d.bag_entry(("absent", "typical")) is None
    assert d.bag_entry(("absent", "epilepsy", "juvenile")) is None
    assert d.bag_entry(("absent", "parathyroid")) is not None  # the lack of the glands: any order
