"""The Rust tokenizer called directly: the model's own features, the same vectors, refused where it would differ."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import torch

from kg.embeddings.direct_tokens import PROBES, DirectTokenizer
from kg.embeddings.embedder import SentenceTransformerEmbedder

TEXTS = ["heart attack", "Spider fingers", "Sjögren–Larsson syndrome", "fever " * 300, "x",
         "Abnormally long and slender fingers (arachnodactyly); arm span exceeding height."]


def test_the_default_model_tokenises_directly_with_its_own_features(embedder) -> None:
    model = embedder._model
    direct = embedder._tokenize
    assert isinstance(direct, DirectTokenizer)
    own, got = model.preprocess(TEXTS), direct(TEXTS)
    assert got.keys() == own.keys() and got["input_ids"].shape == (len(TEXTS), 128)  # truncated at max_tokens
    for key, value in own.items():
        assert torch.equal(got[key], value) if isinstance(value, torch.Tensor) else got[key] == value, key
    empty = direct([])
    assert empty["input_ids"].shape == (0, 0)


def test_vectors_are_identical_to_those_of_the_models_own_preprocessing(embedder) -> None:
    own = SentenceTransformerEmbedder(embedder.selector, embedder.path, precision=embedder.precision)
    own.__dict__["_model"] = embedder._model  # the loaded weights, shared
    own.__dict__["_tokenize"] = embedder._model.preprocess
    assert own.fingerprint == embedder.fingerprint  # the same vectors: caches and indexes stay valid
    np.testing.assert_array_equal(own.embed(TEXTS), embedder.embed(TEXTS))
    own.__dict__["_query_model"] = embedder._query_model
    np.testing.assert_array_equal(own.embed_queries(TEXTS), embedder.embed_queries(TEXTS))


def test_a_model_whose_features_would_differ_keeps_its_own_preprocessing(embedder) -> None:
    model = embedder._model
    # Another truncation length than the model's: the long probe's features differ.
    assert DirectTokenizer.for_model(model, 16) is None
    hf = model.tokenizer

    def stand_in(**tokenizer: object) -> SimpleNamespace:
        attrs = {"backend_tokenizer": hf.backend_tokenizer, "pad_token_id": hf.pad_token_id,
                 "padding_side": "right", **tokenizer}
        return SimpleNamespace(tokenizer=SimpleNamespace(**attrs), preprocess=model.preprocess)

    assert DirectTokenizer.for_model(stand_in(), 128) is not None  # the stand-in itself is acceptable
    assert DirectTokenizer.for_model(stand_in(padding_side="left"), 128) is None
    assert DirectTokenizer.for_model(stand_in(backend_tokenizer=None), 128) is None  # a slow (Python) tokenizer
    assert DirectTokenizer.for_model(stand_in(pad_token_id=None), 128) is None
    # Features with an input the direct path does not make (e.g. an image model's pixels).
    extra = SimpleNamespace(tokenizer=stand_in().tokenizer,
                            preprocess=lambda texts: {**model.preprocess(texts), "pixel_values": torch.zeros(1)})
    assert DirectTokenizer.for_model(extra, 128) is None


def test_probes_include_a_truncated_and_a_non_ascii_text(embedder) -> None:
    mask = embedder._model.preprocess(list(PROBES))["attention_mask"]
    assert int(mask.sum(dim=1).max()) == 128  # a probe longer than the truncation length
    assert any(not p.isascii() for p in PROBES)
