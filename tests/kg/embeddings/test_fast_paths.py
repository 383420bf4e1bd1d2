"""The fast paths of linking: exact search with a bfloat16 pre-filter, token-budget batches."""

from __future__ import annotations

import numpy as np
import pytest

from kg.embeddings.embedder import cpu_has_bf16
from kg.embeddings.exact import MISSING, Bf16Prefilter
from kg.embeddings.index import FlatIndex, VectorIndex, new_index


def unit_rows(n: int, d: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def crowded(n: int = 3000, d: int = 48) -> np.ndarray:
    """Rows in tight clusters (many scores within the bfloat16 error of each other) plus exact duplicates."""
    centres = unit_rows(20, d, 1)
    x = centres[np.arange(n) % 20] + 0.02 * unit_rows(n, d, 2)
    x[-50:] = x[:50]  # the same name on two nodes: identical vectors, tied scores
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def brute(x: np.ndarray, q: np.ndarray, k: int, allowed: np.ndarray | None = None) -> np.ndarray:
    scores = (q.astype(np.float64) @ x.astype(np.float64).T)
    if allowed is not None:
        mask = np.full(len(x), -np.inf)
        mask[allowed] = 0
        scores = scores + mask
    return np.sort(scores, axis=1)[:, ::-1][:, :k]


@pytest.mark.parametrize("extra", [0, 8, 64])
def test_prefilter_is_exact_on_crowded_rows_also_when_it_must_fall_back(extra: int) -> None:
    x = crowded()
    q = np.vstack([x[:40] + 0.01 * unit_rows(40, x.shape[1], 3), unit_rows(10, x.shape[1], 4)]).astype(np.float32)
    pre = Bf16Prefilter(x, extra=extra, chunk=16)
    scores, rows = pre.search(q, 12)
    # The scores are the exact top-12 (ties may order rows differently, never change the scores) ...
    np.testing.assert_allclose(scores, brute(x, q, 12), atol=2e-6)
    # ... and each row's score is its own exact score.
    np.testing.assert_allclose(scores, np.einsum("qd,qkd->qk", q, x[rows]), atol=2e-6)
    if extra == 0:
        assert pre.fallbacks > 0  # the candidate list cannot be proven complete: searched in float32


def test_prefilter_restricted_to_allowed_rows_and_fewer_rows_than_k() -> None:
    x = crowded()
    q = x[:20] + 0.01 * unit_rows(20, x.shape[1], 5)
    allowed = np.arange(1, len(x), 7, dtype=np.int64)
    scores, rows = Bf16Prefilter(x).search(q, 10, allowed)
    assert np.isin(rows, allowed).all()
    np.testing.assert_allclose(scores, brute(x, q, 10, allowed), atol=2e-6)
    few = np.array([5, 9, 11], dtype=np.int64)
    scores, rows = Bf16Prefilter(x).search(q, 5, few)
    assert (rows[:, 3:] == -1).all() and (scores[:, 3:] == MISSING).all()
    assert {tuple(sorted(r[:3])) for r in rows.tolist()} == {(5, 9, 11)}


@pytest.mark.skipif(not cpu_has_bf16(), reason="the pre-filter is used only on CPUs with bfloat16 matrix units")
def test_flat_index_uses_the_prefilter_on_large_indexes_and_agrees_with_faiss() -> None:
    x = unit_rows(FlatIndex.PREFILTER_MIN_ROWS + 500, 32, 6)
    index = new_index("flat", 32)
    index.add(x)
    q = x[:30] + 0.05 * unit_rows(30, 32, 7)
    for allowed in (None, np.arange(0, len(x), 2, dtype=np.int64)):
        ours, rows = index.search(q, 20, allowed)
        faiss_scores, faiss_rows = VectorIndex.search(index, q, 20, allowed)  # FAISS float32
        np.testing.assert_allclose(ours, faiss_scores, atol=2e-6)
        assert (rows[:, 0] == faiss_rows[:, 0]).all()
    assert index._prefilter is not None
    index.add(x[:3])  # new rows: the pre-filter is rebuilt with them
    assert index._prefilter is None and index.search(x[:1], 1)[1][0, 0] in (0, len(x))


def test_batches_by_token_count_give_the_vectors_of_one_text_at_a_time(embedder) -> None:
    texts = ["fever", "heart attack", "Abnormally long and slender fingers (arachnodactyly)",
             "x " * 400, "cough", "short stature of prenatal onset with small hands"] * 3
    together = embedder.embed(texts)
    alone = np.vstack([embedder.embed([t]) for t in texts[:6]])
    cosine = (together[:6] * alone).sum(axis=1)
    assert cosine.min() > 0.9999, cosine  # padding and batch composition change bfloat16 rounding only
    np.testing.assert_allclose(together[:6], together[6:12], atol=1e-6)  # the same text, the same vector


def test_query_vectors_stay_within_cosine_0_9999_of_the_indexed_ones(embedder) -> None:
    texts = ["heart attack", "Spider fingers", "short stature", "Abnormality of the cardiovascular system",
             "increased circulating IgE concentration", "fever " * 300]
    cosine = (embedder.embed(texts) * embedder.embed_queries(texts)).sum(axis=1)
    assert cosine.min() > 0.9999, cosine
    assert embedder.embed_queries([]).shape == (0, 384)


def test_mentions_answered_by_the_dictionary_alone_skip_the_model(linker, monkeypatch: pytest.MonkeyPatch) -> None:
    embedded: list[list[str]] = []
    real = linker.embedder.embed_queries
    monkeypatch.setattr(linker.embedder, "embed_queries", lambda texts: embedded.append(list(texts)) or real(texts))
    [hit] = linker.link(["Myocardial infarction"], k=1)  # a label: its one candidate is certain
    assert hit.candidates[0].method == "exact" and embedded == []
    both = linker.link(["heart attack", "Myocardial infarction", "heart attack"], k=2)
    assert embedded == [["heart attack", "Myocardial infarction"]]  # distinct texts, once each
    assert [c.id for c in both[0].candidates] == [c.id for c in both[2].candidates]
    assert both[1].candidates[0].method == "exact" and len(both[1].candidates) == 2


def test_hnsw_restricted_to_few_rows_searches_them_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.embeddings.index as index_module

    x = unit_rows(3000, 32, 5)
    q = unit_rows(40, 32, 6)
    hnsw = new_index("hnsw", 32)
    hnsw.add(x)
    few = np.sort(np.random.default_rng(7).choice(3000, 120, replace=False))
    scores, rows = hnsw.search(q, 10, few)
    assert np.isin(rows, few).all()
    np.testing.assert_allclose(scores, brute(x, q, 10, few), atol=1e-5)  # exact, not approximate
    np.testing.assert_allclose(scores, (q[:, None, :] * x[rows]).sum(axis=2), atol=1e-5)  # rows match scores
    # Fewer allowed rows than k: the rest are missing (-1), as FAISS reports them.
    scores, rows = hnsw.search(q[:2], 5, few[:3])
    assert (rows[:, 3:] == -1).all() and set(rows[0, :3]) == set(few[:3])
    # Most rows allowed: the HNSW graph is searched (with the filter), not every row.
    calls: list[int] = []
    faiss = index_module.import_faiss()
    monkeypatch.setattr(faiss, "knn", lambda *a, **kw: calls.append(1))
    many = np.arange(1800)  # 60% of the rows
    _, rows = hnsw.search(q, 10, many)
    assert not calls and np.isin(rows, many).all()
