"""Embedding candidates (issue 5): phrases the dictionary misses, linked by the real
model over the embedded fixture bundle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.extraction import Dictionary, Recognizer
from kg.extraction.embedding_candidates import EmbeddingCandidates, linker_nearest, location_words

TEXT = ("The patient has arachnodactyly and myopia but no vertigo. "
        "She has slender fingers. Her root system is unremarkable.")
"""``slender fingers`` paraphrases Arachnodactyly's synonym ``Long, slender fingers``
(cosine 0.90; no dictionary match); ``root system`` is made of phenotype words
but names nothing (cosine 0.29 to its nearest phenotype, Pain)."""

THRESHOLD = 0.85
"""The fixture graph has 20 phenotypes: a lower threshold than the default (tuned on
GSC against all of HPO)."""


@pytest.fixture(scope="module")
def dictionary(embedded_kg: Path) -> Dictionary:
    return Dictionary.from_bundle(embedded_kg, cache_dir=False)


@pytest.fixture(scope="module")
def candidates(dictionary: Dictionary, linker) -> EmbeddingCandidates:
    return EmbeddingCandidates(linker_nearest(linker, dictionary), dictionary, threshold=THRESHOLD)


def _entities(rec: Recognizer, text: str = TEXT) -> list[tuple]:
    return [(m.start, m.end, m.text, m.id, m.assertion, m.score, m.method) for m in rec.extract(text, "d").entities]


def test_a_paraphrase_the_dictionary_misses_is_found_by_embedding(dictionary, candidates) -> None:
    plain = Recognizer(dictionary)
    assert "slender" not in " ".join(e[2] for e in _entities(plain))
    found = [e for e in _entities(Recognizer(dictionary, embedding=candidates)) if e[6] == "embedding"]
    assert [(e[2], e[3], e[4]) for e in found] == [("slender fingers", "HP:0001166", "present")]
    assert THRESHOLD <= found[0][5] < 1.0  # the score is the cosine
    assert TEXT[found[0][0] : found[0][1]] == "slender fingers"


def test_the_threshold_filters_an_unrelated_phrase(dictionary, embedded_kg, embed_settings, embedder) -> None:
    from kg.linking import Linker

    nearest = linker_nearest(Linker.from_bundle(embedded_kg, settings=embed_settings, embedder=embedder, threshold=0.0),
                             dictionary)
    [near] = nearest(["root system"])
    assert near and near[0][1] < THRESHOLD  # it has a nearest phenotype, just not a close one
    loose = Recognizer(dictionary, embedding=EmbeddingCandidates(nearest, dictionary, threshold=0.0))
    assert "root system" in {e[2] for e in _entities(loose)}
    strict = Recognizer(dictionary, embedding=EmbeddingCandidates(nearest, dictionary, threshold=THRESHOLD))
    assert "root system" not in {e[2] for e in _entities(strict)}


def test_dictionary_mentions_are_unchanged_when_the_option_is_on(dictionary, candidates) -> None:
    for overlap in ("longest", "all"):
        plain = _entities(Recognizer(dictionary, overlap=overlap))
        with_embedding = _entities(Recognizer(dictionary, overlap=overlap, embedding=candidates))
        assert [e for e in with_embedding if e[6] != "embedding"] == plain
        assert len(with_embedding) > len(plain)


def test_negated_embedding_mentions_get_their_assertion(dictionary, candidates) -> None:
    rec = Recognizer(dictionary, embedding=candidates)
    [m] = [m for m in rec.extract("She denies having slender fingers.").entities if m.method == "embedding"]
    assert (m.id, m.assertion) == ("HP:0001166", "absent")


def test_windows_need_a_finding_word_and_skip_covered_tokens(dictionary) -> None:
    e = EmbeddingCandidates(lambda ts: [[] for _ in ts], dictionary)
    assert {"hand", "finger", "limb"} <= location_words(dictionary)
    norms = ["hand", "finger", ",", "short", "of", "breath"]  # normal forms
    assert e.windows(norms, [True] * 6, 0, 6) == [(3, 6)]  # 'hand finger' only says where
    assert e.windows(norms, [True, True, True, True, False, True], 0, 6) == []  # 'of' is in a mention


def test_bad_settings_are_refused(dictionary) -> None:
    with pytest.raises(ValueError, match="threshold"):
        EmbeddingCandidates(lambda ts: [], dictionary, threshold=1.5)
    with pytest.raises(ValueError, match="max_window"):
        EmbeddingCandidates(lambda ts: [], dictionary, max_window=0)


def test_cli_embedding_candidates(medkg, embedded_kg: Path, fixture_kg: Path) -> None:
    env = {"HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "2"}
    r = medkg("extract", "--kg", str(embedded_kg), "--embedding-candidates", "--embedding-threshold", str(THRESHOLD),
              "-q", "-", stdin=TEXT, env=env)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert [(e["text"], e["id"]) for e in doc["entities"] if e["method"] == "embedding"] == \
        [("slender fingers", "HP:0001166")]
    r = medkg("extract", "--kg", str(embedded_kg), "--embedding-threshold", "0.5", "-q", "-", stdin=TEXT, env=env)
    assert r.returncode != 0 and "--embedding-threshold needs --embedding-candidates" in r.stderr
    r = medkg("extract", "--kg", str(fixture_kg), "--embedding-candidates", "-q", "-", stdin=TEXT, env=env)
    assert r.returncode != 0 and "medkg embed" in r.stderr
