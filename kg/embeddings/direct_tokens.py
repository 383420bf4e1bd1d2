"""Tokenising with a model's Rust tokenizer directly, checked against the model's own preprocessing.

sentence-transformers' ``preprocess`` wraps the model's ``tokenizers`` (Rust)
tokenizer in Python that costs more than the tokenising itself: 1,000 HPO
synonyms took 58-62 ms of CPU through ``preprocess`` and 25-27 ms through the
Rust tokenizer called once for the whole list (measured in one process). A
:class:`DirectTokenizer` gives the same features (token ids, type ids,
attention mask, right padding) and is only used for a model after it gave
exactly the features of the model's own preprocessing on probe texts (short,
non-ASCII, and longer than the truncation length); a model for which it does
not (another tokenizer kind, left padding, extra inputs) keeps its own
preprocessing. The token ids are identical, so are the vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

PROBES = (
    "myocardial infarction",
    "Short fingers; brachydactyly (HP:0001156)",
    "Ünïcödé Sjögren–Larsson naïve café ½ µg",
    "x",
    " ".join(["abnormality of the left ventricle"] * 60),
)
"""Texts the direct features must match the model's own on: short, punctuated, non-ASCII, past truncation."""


class DirectTokenizer:
    """Texts to right-padded features with one call of a Rust ``tokenizers.Tokenizer``.

    Args:
        tokenizer: a ``tokenizers.Tokenizer`` (copied; the copy truncates, never pads).
        max_tokens: word pieces per text at most (special tokens included).
        pad_id: the token id of padding.
        extras: non-tensor entries the model's features carry (e.g. ``{"modality": "text"}``).
        type_ids: whether the features include ``token_type_ids``.
    """

    def __init__(self, tokenizer: Any, max_tokens: int, pad_id: int, extras: dict[str, Any],
                 type_ids: bool) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_str(tokenizer.to_str())
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_tokens)
        self._encode = getattr(self._tokenizer, "encode_batch_fast", self._tokenizer.encode_batch)
        self.pad_id = pad_id
        self.extras = dict(extras)
        self.type_ids = type_ids

    def __call__(self, texts: Sequence[str]) -> dict[str, Any]:
        """Features of ``texts``: ``input_ids``, ``attention_mask`` (and ``token_type_ids``), int64, right-padded."""
        import numpy as np
        import torch

        encodings = self._encode(list(texts))
        width = max((len(e.ids) for e in encodings), default=0)
        ids = np.full((len(encodings), width), self.pad_id, dtype=np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for row, e in enumerate(encodings):
            n = len(e.ids)
            ids[row, :n] = e.ids
            mask[row, :n] = 1
            types[row, :n] = e.type_ids
        features: dict[str, Any] = {"input_ids": torch.from_numpy(ids)}
        if self.type_ids:
            features["token_type_ids"] = torch.from_numpy(types)
        features["attention_mask"] = torch.from_numpy(mask)
        return {**features, **self.extras}

    @classmethod
    def for_model(cls, model: Any, max_tokens: int) -> DirectTokenizer | None:
        """A direct tokenizer for a sentence-transformers model, or None where its features would differ.

        ``max_tokens`` is the model's truncation length (``model.max_seq_length``).
        """
        import torch

        hf_tokenizer = getattr(model, "tokenizer", None)
        rust = getattr(hf_tokenizer, "backend_tokenizer", None)
        pad_id = getattr(hf_tokenizer, "pad_token_id", None)
        preprocess = getattr(model, "preprocess", None) or getattr(model, "tokenize", None)
        if rust is None or pad_id is None or preprocess is None:
            return None
        if getattr(hf_tokenizer, "padding_side", "right") != "right":
            return None
        expected = preprocess(list(PROBES))
        tensors = {k for k, v in expected.items() if isinstance(v, torch.Tensor)}
        if not {"input_ids", "attention_mask"} <= tensors <= {"input_ids", "attention_mask", "token_type_ids"}:
            return None
        extras = {k: v for k, v in expected.items() if k not in tensors}
        direct = cls(rust, max_tokens, int(pad_id), extras, "token_type_ids" in tensors)
        got = direct(list(PROBES))
        same = got.keys() == expected.keys() and all(
            torch.equal(got[k], expected[k]) if k in tensors else got[k] == expected[k] for k in expected)
        return direct if same else None
