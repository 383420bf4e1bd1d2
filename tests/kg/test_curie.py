"""CURIE normalisation: the local id is checked against its prefix's pattern."""

from __future__ import annotations

import pytest

from kg.curie import drug_curie, normalize_curie
from kg.errors import InvalidCurieError


@pytest.mark.parametrize("text", ["HP:0001166", "OMIM:154700", "ORPHA:558", "DOID:0060224", "DRUGBANK:DB00678",
                                  "MESH:D000544", "MESH:C000657245", "UMLS:C0002395", "ICD10CM:K50.911",
                                  "ICD9CM:614-616.99", "DDXPLUS:E_100", "DDXPLUS:anaphylaxis", "KEGG:H00583",
                                  "OMIM:PS154700", "DRUGBANK:DBSALT000001", "ICD10:A00-A09",
                                  "ICD10CM:E08-E13.9"])
def test_well_formed_ids_pass(text: str) -> None:
    assert normalize_curie(text) == text


@pytest.mark.parametrize(("text", "why"), [
    ("OMIM:foo", "expected 6 digits"), ("OMIM:6111107", "expected 6 digits"), ("HP:1", "expected 7 digits"),
    ("DRUGBANK:BAR", "expected DB and 5 digits"), ("DOID:FOO", "expected digits"), ("MESH:563466", "a letter"),
    ("ORPHA:", "the local id after 'ORPHA:' is empty"), ("UMLS:0700208", "C and 7 digits"),
    ("OMIM:PS15470", "PS and 6 digits"), ("OMIM:154700.0001", "6 digits"), ("DRUGBANK:DBSALT0001", "DBSALT"),
    ("ICD10:A00-", "a range"),
])
def test_malformed_ids_are_refused_naming_the_prefix(text: str, why: str) -> None:
    with pytest.raises(InvalidCurieError, match=rf"malformed {text.split(':')[0]} id '{text}': .*{why}"):
        normalize_curie(text)


def test_upper_case_vocabularies_are_upper_cased() -> None:
    assert normalize_curie("mesh:d000544") == "MESH:D000544"
    assert normalize_curie("drugbank:db01235") == "DRUGBANK:DB01235"


@pytest.mark.parametrize(("text", "char"), [
    ("HP:０００１１６６", r"'０' \(U\+FF10 FULLWIDTH DIGIT ZERO\)"),
    ("OMIM:１５４７００", r"'１' \(U\+FF11 FULLWIDTH DIGIT ONE\)"),
    ("OMIM:15470٠", r"'٠' \(U\+0660 ARABIC-INDIC DIGIT ZERO\)"),
    ("MESH:ſ000544", r"'ſ' \(U\+017F LATIN SMALL LETTER LONG S\)"),  # upper-cases to 'S'
    ("DRUGBANK:DB０１２３５", r"'０'"),
])
def test_non_ascii_look_alikes_are_refused_naming_the_character(text: str, char: str) -> None:
    prefix = text.split(":")[0]
    with pytest.raises(InvalidCurieError, match=rf"malformed {prefix} id '{text}': expected .* in ASCII; "
                                               rf"it holds the non-ASCII character {char}"):
        normalize_curie(text)


def test_a_bare_drugbank_accession_is_ascii_and_may_be_a_salt() -> None:
    assert drug_curie("dbsalt000001") == "DRUGBANK:DBSALT000001"
    assert drug_curie("DB０１２３５") is None  # not an accession: read as a drug name, which the graph lacks


@pytest.mark.parametrize(("text", "hint"), [
    ("HP_0001166", "not a CURIE (PREFIX:LOCAL expected): 'HP_0001166': HP:0001166 is the CURIE"),
    ("http://purl.obolibrary.org/obo/HP_0001166", "unknown CURIE prefix 'http' in "
     "'http://purl.obolibrary.org/obo/HP_0001166': an IRI; its CURIE is HP:0001166"),
    ("https://purl.obolibrary.org/obo/HP_0001166", "unknown CURIE prefix 'https' in "
     "'https://purl.obolibrary.org/obo/HP_0001166': an IRI; its CURIE is HP:0001166"),
    ("obo:HP_0001166", "unknown CURIE prefix 'obo' in 'obo:HP_0001166': an IRI; its CURIE is HP:0001166"),
    ("https://omim.org/entry/154700", "unknown CURIE prefix 'https' in 'https://omim.org/entry/154700': an IRI; "
     "its CURIE is OMIM:154700"),
])
def test_an_id_written_as_an_iri_or_with_an_underscore_is_refused_naming_its_curie(text: str, hint: str) -> None:
    """Phenopackets and OBO files write terms these ways; the error used to say only "unknown
    CURIE prefix 'http'" or "not a CURIE". The id is still refused, never read as the hint."""
    with pytest.raises(InvalidCurieError) as e:
        normalize_curie(text)
    assert str(e.value) == hint
