"""Entity linking with the real model, offline, on the fixture graph."""

from __future__ import annotations

import pytest

from kg.errors import LinkingError
from kg.linking import MAX_MENTION_CHARS, MentionTruncatedWarning, normalize_mention, word_bag


def test_heart_attack_links_to_myocardial_infarction_by_vector(linker) -> None:
    [r] = linker.link(["heart attack"], k=5)
    assert r.matched
    top = r.candidates[0]
    assert (top.id, top.method) == ("DOID:5844", "vector")
    others = {c.id: c.score for c in r.candidates[1:]}
    for unrelated in ("DOID:6364", "DOID:2841", "HP:0001166", "DRUGBANK:DB00331"):
        assert others.get(unrelated, -1.0) < top.score


def test_known_synonym_links_to_its_term(linker) -> None:
    [r] = linker.link("Spider fingers")
    top = r.candidates[0]
    assert (top.id, top.method, top.matched, top.score) == ("HP:0001166", "synonym", "Spider fingers", 0.98)


def test_dictionary_ignores_case_punctuation_and_word_order(linker) -> None:
    exact, reordered = linker.link(["MYOCARDIAL-infarction!", "fingers, spider"])
    assert (exact.candidates[0].id, exact.candidates[0].method, exact.candidates[0].score) == (
        "DOID:5844", "exact", 1.0)
    assert (reordered.candidates[0].id, reordered.candidates[0].score) == ("HP:0001166", 0.94)


def test_type_filter(linker) -> None:
    [p] = linker.link("shortness of breath", types=["phenotype"], k=3)
    assert (p.candidates[0].id, p.candidates[0].method) == ("HP:0002094", "synonym")
    [d] = linker.link("shortness of breath", types=["disease"], k=3)
    assert all(c.type == "Disease" for c in d.candidates)
    [v] = linker.link("heart attack", types=["phenotype", "Drug"], k=10)
    assert "DOID:5844" not in [c.id for c in v.candidates]
    assert all(c.type in ("PhenotypicFeature", "Drug") for c in v.candidates)


def test_threshold_gives_no_match(linker) -> None:
    [r] = linker.link("qzxv wplk trrrgh")
    assert not r.matched and r.candidates == []


@pytest.mark.parametrize("bad", ["", "   ", "\n\t"])
def test_empty_mention_is_an_error(linker, bad: str) -> None:
    with pytest.raises(LinkingError, match="empty mention"):
        linker.link([bad])


def test_non_text_mention_and_bad_arguments(linker) -> None:
    with pytest.raises(LinkingError, match="must be text"):
        linker.link([None])  # type: ignore[list-item]
    with pytest.raises(LinkingError, match="unknown node type"):
        linker.link("fever", types=["gene"])
    with pytest.raises(LinkingError, match="k must be"):
        linker.link("fever", k=0)


def test_long_mention_is_truncated_with_a_warning(linker) -> None:
    text = "heart attack " * 800  # 10,400 characters
    with pytest.warns(MentionTruncatedWarning, match="truncated"):
        [r] = linker.link(text)
    assert r.truncated and len(r.mention) == MAX_MENTION_CHARS
    assert all(c.score >= linker.threshold for c in r.candidates if c.method == "vector")


def test_normalisation() -> None:
    assert normalize_mention("Café-au-lait  SPOTS") == "cafe au lait spots"
    assert word_bag("spots, cafe au lait") == word_bag("Café au lait spots")
