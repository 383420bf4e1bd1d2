"""The padding-free query path (kg.embeddings.packed_bert) against the model's own forward pass."""

from __future__ import annotations

import numpy as np
import pytest

from kg.embeddings.packed_bert import MIN_COSINE, PackedBert

# Lengths from 3 word pieces to past the 128-piece truncation, several texts per length.
TEXTS = ["fever", "cough", "heart attack", "spider fingers", "Short stature", "Abnormality of the aorta",
         "increased circulating IgE concentration", "Ünïcödé Sjögren–Larsson naïve café",
         "Abnormally long and slender fingers (arachnodactyly)", "seizures " * 200, "x"] * 3


def model_vectors(embedder, texts: list[str]) -> np.ndarray:
    import torch

    features = embedder._tokenize(texts)
    with torch.inference_mode():
        out = embedder._query_model(dict(features))["sentence_embedding"].float()
    return torch.nn.functional.normalize(out, dim=-1).numpy()


def test_the_default_model_runs_packed_and_gives_its_own_vectors(embedder) -> None:
    packed = embedder._packed
    assert isinstance(packed, PackedBert)
    ours = embedder.embed_queries(TEXTS)
    for theirs in (model_vectors(embedder, TEXTS), embedder.embed(TEXTS)):  # the query model; the index's vectors
        cosine = (ours * theirs).sum(axis=1)
        assert cosine.min() >= MIN_COSINE, cosine
    np.testing.assert_allclose(ours[:11], ours[11:22], atol=1e-6)  # the same text, the same vector
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


@pytest.mark.parametrize("budget", [1, 16, 100, 100_000])
def test_the_token_budget_changes_how_texts_are_grouped_not_their_vectors(embedder, budget: int) -> None:
    import torch

    features = embedder._tokenize(TEXTS)
    with torch.inference_mode():
        ours = embedder._packed.encode(features["input_ids"], features["attention_mask"], budget=budget).numpy()
    assert ours.shape == (len(TEXTS), 384)
    cosine = (ours * model_vectors(embedder, TEXTS)).sum(axis=1)
    assert cosine.min() >= MIN_COSINE, cosine


def test_a_model_with_another_pooling_keeps_its_own_forward_pass(embedder) -> None:
    import torch
    from sentence_transformers.models import Normalize, Pooling

    from kg.embeddings.direct_tokens import PROBES

    st = type(embedder._query_model)
    cls_pooled = st(modules=[embedder._query_model[0], Pooling(384, pooling_mode="cls"), Normalize()], device="cpu")
    assert PackedBert.for_model(cls_pooled, embedder._tokenize, torch.bfloat16, list(PROBES)) is None
    assert PackedBert.for_model(embedder._query_model[0], embedder._tokenize, torch.bfloat16, list(PROBES)) is None


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_texts_dealt_to_threads_give_the_same_vectors_and_the_thread_count_comes_back(embedder, threads: int) -> None:
    import torch

    texts = TEXTS * 4  # more than SPLIT_MIN_TEXTS: split among the threads
    features = embedder._tokenize(texts)
    before = torch.get_num_threads()
    ours = embedder._packed.encode_threads(features["input_ids"], features["attention_mask"], threads).numpy()
    assert torch.get_num_threads() == before
    cosine = (ours * model_vectors(embedder, texts)).sum(axis=1)
    assert cosine.min() >= MIN_COSINE, cosine
    few = embedder._packed.encode_threads(features["input_ids"][:3], features["attention_mask"][:3], threads)
    np.testing.assert_allclose(few.numpy(), embedder._packed.encode(features["input_ids"][:3],
                                                                     features["attention_mask"][:3]).numpy())


def test_an_error_in_a_thread_reaches_the_caller_and_restores_the_thread_count(embedder) -> None:
    import torch

    features = embedder._tokenize(TEXTS * 4)
    before = torch.get_num_threads()
    bad_ids = features["input_ids"].clone()
    bad_ids[5, 1] = 10**7  # no such word piece
    with pytest.raises(IndexError):
        embedder._packed.encode_threads(bad_ids, features["attention_mask"], 2)
    assert torch.get_num_threads() == before
