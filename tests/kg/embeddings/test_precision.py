"""Embedding precision (float32/bfloat16) and the nothing-changed path of ``embed_bundle``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from kg.bundle import Bundle
from kg.embeddings import embed_bundle, open_embedder
from kg.embeddings.embedder import SentenceTransformerEmbedder, cpu_has_amx_bf16, cpu_has_bf16, resolve_precision
from kg.embeddings.stored import embeddings_dir
from kg.errors import EmbeddingError, IndexMismatchError
from kg.linking import Linker
from kg.settings import Settings

TEXTS = ["myocardial infarction", "heart attack", "Long slender fingers", "Arachnodactyly; Spider fingers. "
         "Abnormally long and slender fingers, usually with an arm span exceeding body height."]


def test_unchanged_bundle_is_not_reembedded_and_the_model_not_loaded(
    tmp_path: Path, embed_settings, embedder, make_linking_bundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.embeddings.build as build

    kg = make_linking_bundle(tmp_path / "kg")
    first = embed_bundle(kg, settings=embed_settings, embedder=embedder)
    assert not first["unchanged"]  # (its texts may already be in the session cache)
    fresh = SentenceTransformerEmbedder(embedder.selector, embedder.path, precision=embedder.precision)
    assert fresh.fingerprint == embedder.fingerprint
    # The store file is as the indexes recorded it: the graph is not even read.
    read_nodes = build.read_nodes
    with monkeypatch.context() as m:
        m.setattr(build, "read_nodes", lambda *_: pytest.fail("read the graph although its store is unchanged"))
        again = embed_bundle(kg, settings=embed_settings, embedder=fresh)
    assert again["unchanged"] and again["embedded"] == 0 and again["indexes"] == first["indexes"]
    assert again["nodes"] == first["nodes"] and again["names"] == first["names"]
    # A store written again with the same graph: read and compared, found unchanged, recorded.
    store = Bundle(kg).root / "ladybug.lbug"
    os.utime(store, ns=(store.stat().st_atime_ns, store.stat().st_mtime_ns + 10**9))
    assert embed_bundle(kg, settings=embed_settings, embedder=fresh)["unchanged"]
    with monkeypatch.context() as m:
        m.setattr(build, "read_nodes", lambda *_: pytest.fail("the new store signature was not recorded"))
        assert embed_bundle(kg, settings=embed_settings, embedder=fresh)["unchanged"]
    assert build.read_nodes is read_nodes
    assert "_model" not in vars(fresh), "nothing changed, yet the model weights were loaded"
    # Another index kind is rebuilt, from the cache: still no text embedded, no weights loaded.
    hnsw = embed_bundle(kg, settings=embed_settings, embedder=fresh, index_kind="hnsw")
    assert not hnsw["unchanged"] and hnsw["embedded"] == 0 and "_model" not in vars(fresh)
    manifest = json.loads((embeddings_dir(Bundle(kg)) / "names" / "manifest.json").read_text())
    assert manifest["index"] == "hnsw"
    assert manifest["model_settings"] == {"precision": embedder.precision, "max_tokens": 128, "batch_size": 128}


def test_precision_is_part_of_the_fingerprint_and_bfloat16_is_close_to_float32(embedder) -> None:
    f32 = SentenceTransformerEmbedder("st:x", embedder.path, precision="float32")
    b16 = SentenceTransformerEmbedder("st:x", embedder.path, precision="bfloat16")
    assert f32.fingerprint != b16.fingerprint
    a, b = f32.embed(TEXTS), b16.embed(TEXTS)
    assert a.dtype == b.dtype == np.float32 and a.shape == b.shape == (len(TEXTS), 384)
    np.testing.assert_allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    cosine = (a * b).sum(axis=1)
    assert cosine.min() > 0.999, cosine
    # Still a meaningful embedding: the synonym is nearer its concept than an unrelated text.
    assert b[0] @ b[1] > b[0] @ b[2]


def test_index_of_another_precision_is_refused(tmp_path: Path, embed_settings, make_linking_bundle) -> None:
    kg = make_linking_bundle(tmp_path / "kg", ("phenotypes.json", "linking.json"))
    f32 = open_embedder(embed_settings.embed_model, precision="float32")
    embed_bundle(kg, settings=embed_settings, embedder=f32, structural=False)
    b16 = open_embedder(embed_settings.embed_model, precision="bfloat16")
    with pytest.raises(IndexMismatchError, match="not the model in use"):
        Linker.from_bundle(kg, settings=embed_settings, embedder=b16)
    assert Linker.from_bundle(kg, settings=embed_settings, embedder=f32).link("Spider fingers")[0].matched


def test_precision_settings_and_errors(tmp_path: Path) -> None:
    assert Settings.from_env({"MEDKG_EMBED_PRECISION": "float32"}).embed_precision == "float32"
    assert Settings().embed_precision == "auto"
    with pytest.raises(EmbeddingError, match="unknown embedding precision 'int8'"):
        resolve_precision("int8")
    with pytest.raises(EmbeddingError, match="unsupported precision"):
        SentenceTransformerEmbedder("st:x", tmp_path, precision="auto")
    amx = tmp_path / "amx"
    amx.write_text("processor\t: 0\nflags\t\t: fpu sse avx512f amx_bf16 amx_tile\n")
    plain = tmp_path / "plain"
    plain.write_text("processor\t: 0\nflags\t\t: fpu sse avx2\n")
    assert cpu_has_bf16(amx) and not cpu_has_bf16(plain) and not cpu_has_bf16(tmp_path / "missing")
    avx512 = tmp_path / "avx512"  # bfloat16 dot products, no matrix units: the search pre-filter only
    avx512.write_text("processor\t: 0\nflags\t\t: fpu sse avx512f avx512_bf16\n")
    assert cpu_has_bf16(avx512) and not cpu_has_amx_bf16(avx512) and cpu_has_amx_bf16(amx)
    assert not cpu_has_amx_bf16(tmp_path / "missing")
