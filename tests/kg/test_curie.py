"""CURIE normalisation: the local id is checked against its prefix's pattern."""

from __future__ import annotations

import pytest

from kg.curie import normalize_curie
from kg.errors import InvalidCurieError


@pytest.mark.parametrize("text", ["HP:0001166", "OMIM:154700", "ORPHA:558", "DOID:0060224", "DRUGBANK:DB00678",
                                  "MESH:D000544", "MESH:C000657245", "UMLS:C0002395", "ICD10CM:K50.911",
                                  "ICD9CM:614-616.99", "DDXPLUS:E_100", "DDXPLUS:anaphylaxis", "KEGG:H00583"])
def test_well_formed_ids_pass(text: str) -> None:
    assert normalize_curie(text) == text


@pytest.mark.parametrize(("text", "why"), [
    ("OMIM:foo", "expected 6 digits"), ("OMIM:6111107", "expected 6 digits"), ("HP:1", "expected 7 digits"),
    ("DRUGBANK:BAR", "expected DB and 5 digits"), ("DOID:FOO", "expected digits"), ("MESH:563466", "a letter"),
    ("ORPHA:", "the local id after 'ORPHA:' is empty"), ("UMLS:0700208", "C and 7 digits"),
])
def test_malformed_ids_are_refused_naming_the_prefix(text: str, why: str) -> None:
    with pytest.raises(InvalidCurieError, match=rf"malformed {text.split(':')[0]} id '{text}': .*{why}"):
        normalize_curie(text)


def test_upper_case_vocabularies_are_upper_cased() -> None:
    assert normalize_curie("mesh:d000544") == "MESH:D000544"
    assert normalize_curie("drugbank:db01235") == "DRUGBANK:DB01235"
