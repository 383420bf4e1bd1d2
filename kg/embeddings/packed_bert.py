"""Mean-pooled BERT sentence vectors computed without padding (the query path of linking).

A batch of mentions to link is short and ragged: 1,000 HPO synonyms are 8,584
word pieces, but padded to their batch's longest they are ~11,400, and the
model's matrix products, GELU and layer norms spend their time on the padding.
:class:`PackedBert` runs the same encoder on the word pieces alone: the texts
are sorted by length and concatenated, the per-token layers (every linear
layer, GELU, layer norm, residual sum) run once over the packed tokens, and
attention runs per group of equal-length texts, which are contiguous in the
packed order (so no mask is needed and nothing is copied to split them).
Mean pooling is the mean of each text's own tokens, then vectors are L2
normalised: the pipeline ``Transformer(BertModel) → Pooling(mean) →
Normalize`` of a sentence-transformers model such as all-MiniLM-L6-v2.

It is only used for a model after it reproduced the model's own vectors on
probe texts (cosine ≥ :data:`MIN_COSINE`, bfloat16 rounding); other architectures keep the
model's forward pass. Query and Key/Value projections are fused into one
matrix product per layer.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

MIN_COSINE = 0.9998
"""The cosine to the model's own vectors every probe must reach for the packed path to be used.

In bfloat16 a different grouping of the same texts moves a vector by up to ~1e-4 of cosine (the
model's own query vectors of 1-word texts are at 0.99989 of its index vectors); a real mismatch
(pooling, positions, another layer layout) gives cosines far below."""

SPLIT_MIN_TEXTS = 32
"""Fewer texts than this run in the calling thread (see :meth:`PackedBert.encode_threads`)."""

TOKEN_BUDGET = 2048
"""Word pieces per pass through the layers: whole groups of equal-length texts, split where a group is
larger. The activations of a pass then stay in the CPU's cache (measured on 1,000 HPO synonyms: 2,048
took ~25% less CPU than one pass over all 8,584 word pieces, and less than 1,024 or 4,096)."""


class PackedBert:
    """The encoder, pooling and normalisation of a mean-pooled BERT sentence model, padding-free.

    Build it with :meth:`for_model`, which checks the model's architecture and output.

    Args:
        bert: a ``transformers`` ``BertModel`` (absolute positions, GELU).
        dtype: the ``torch`` dtype the weights are copied in (e.g. ``torch.bfloat16``).
    """

    def __init__(self, bert: Any, dtype: Any) -> None:
        import torch

        cfg = bert.config
        self.heads = int(cfg.num_attention_heads)
        self.eps = float(cfg.layer_norm_eps)
        emb = bert.embeddings

        def w(t: Any) -> Any:
            return t.detach().to(dtype).contiguous()

        self.word = w(emb.word_embeddings.weight)
        self.position = w(emb.position_embeddings.weight)
        self.type0 = w(emb.token_type_embeddings.weight[0])
        self.emb_norm = (w(emb.LayerNorm.weight), w(emb.LayerNorm.bias))
        self.layers = []
        for layer in bert.encoder.layer:
            att = layer.attention
            qkv_w = torch.cat([att.self.query.weight, att.self.key.weight, att.self.value.weight])
            qkv_b = torch.cat([att.self.query.bias, att.self.key.bias, att.self.value.bias])
            self.layers.append((
                (w(qkv_w), w(qkv_b)),
                (w(att.output.dense.weight), w(att.output.dense.bias)),
                (w(att.output.LayerNorm.weight), w(att.output.LayerNorm.bias)),
                (w(layer.intermediate.dense.weight), w(layer.intermediate.dense.bias)),
                (w(layer.output.dense.weight), w(layer.output.dense.bias)),
                (w(layer.output.LayerNorm.weight), w(layer.output.LayerNorm.bias)),
            ))
        self.hidden = int(self.word.shape[1])

    @classmethod
    def for_model(cls, model: Any, tokenize: Any, dtype: Any, probes: list[str]) -> PackedBert | None:
        """A :class:`PackedBert` for a sentence-transformers model, or ``None`` where it does not apply.

        It applies to ``Transformer(BertModel) → Pooling(mean) → Normalize``
        with absolute positions and GELU, and only if its vectors for ``probes``
        (tokenised by ``tokenize``) have a cosine of at least :data:`MIN_COSINE`
        to ``model``'s own.
        """
        import torch

        modules = list(model.children()) if hasattr(model, "children") else []
        names = [type(m).__name__ for m in modules]
        if names != ["Transformer", "Pooling", "Normalize"]:
            return None
        bert = getattr(modules[0], "auto_model", None)
        cfg = getattr(bert, "config", None)
        if (type(bert).__name__ != "BertModel" or getattr(cfg, "hidden_act", None) != "gelu"
                or getattr(cfg, "position_embedding_type", "absolute") != "absolute"):
            return None
        pooling = getattr(modules[1], "get_config_dict", dict)()
        if pooling.get("pooling_mode", "mean") != "mean" or not all(
                v is False for k, v in pooling.items() if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens"):
            return None
        packed = cls(bert, dtype)
        features = tokenize(probes)
        with torch.inference_mode():
            theirs = model(dict(features))["sentence_embedding"].float()
            ours = packed.encode(features["input_ids"], features["attention_mask"])
        cos = (torch.nn.functional.normalize(theirs, dim=-1) * ours).sum(dim=-1)
        return packed if bool((cos >= MIN_COSINE).all()) else None

    def _forward(self, x_all: Any, groups: list[tuple[int, int, int]]) -> Any:
        """Mean-pooled (not yet normalised) vectors of ``groups`` (token offset, texts, length) of ``x_all``."""
        import torch
        import torch.nn.functional as F  # noqa: N812

        hidden, heads = self.hidden, self.heads
        head_dim = hidden // heads
        scale = 1.0 / math.sqrt(head_dim)
        eps = self.eps
        first = groups[0][0]
        last = groups[-1][0] + groups[-1][1] * groups[-1][2]
        x = F.layer_norm(x_all[first:last], (hidden,), *self.emb_norm, eps)
        groups = [(s - first, n, w) for s, n, w in groups]
        for qkv, out, norm1, inner, out2, norm2 in self.layers:
            proj = F.linear(x, *qkv)  # (tokens, 3 * hidden)
            parts = []
            for start, n, width in groups:
                block = proj[start:start + n * width].view(n, width, 3, heads, head_dim)
                q, k, v = block.unbind(dim=2)
                q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)  # (n, heads, width, dim)
                ctx = torch.matmul(torch.softmax(torch.matmul(q, k.transpose(-1, -2)) * scale, dim=-1), v)
                parts.append(ctx.transpose(1, 2).reshape(n * width, hidden))
            context = torch.cat(parts) if len(parts) > 1 else parts[0]
            x = F.layer_norm(F.linear(context, *out) + x, (hidden,), *norm1, eps)
            x = F.layer_norm(F.linear(F.gelu(F.linear(x, *inner)), *out2) + x, (hidden,), *norm2, eps)
        return torch.cat([x[start:start + n * width].view(n, width, hidden).float().mean(dim=1)
                          for start, n, width in groups])

    def encode(self, input_ids: Any, attention_mask: Any, budget: int = TOKEN_BUDGET) -> Any:
        """Unit vectors (float32, one row per text) for right-padded ``input_ids`` and their mask.

        Args:
            input_ids: word-piece ids, shape ``(texts, width)``, right-padded.
            attention_mask: 1 for a word piece, 0 for padding, same shape.
            budget: word pieces per pass through the layers (see :data:`TOKEN_BUDGET`).
        """
        import torch
        import torch.nn.functional as F  # noqa: N812

        lengths = attention_mask.sum(dim=1)
        order = torch.argsort(lengths, stable=True)
        sorted_lengths = lengths[order]
        mask = attention_mask[order].bool()
        tokens = input_ids[order][mask]  # row-major: each text's word pieces, shortest texts first
        total = int(tokens.shape[0])
        starts = torch.cumsum(sorted_lengths, 0) - sorted_lengths
        positions = torch.arange(total) - torch.repeat_interleave(starts, sorted_lengths)
        # Passes of at most `budget` word pieces, each a list of (token offset, texts, length) groups
        # of equal-length texts; a run of equal-length texts too long for one pass is split.
        chunks: list[list[tuple[int, int, int]]] = [[]]
        offset = used = 0
        for length, count in zip(*torch.unique_consecutive(sorted_lengths, return_counts=True), strict=True):
            n, width = int(count), int(length)
            per = max(1, budget // width)
            for i in range(0, n, per):
                m = min(per, n - i)
                if used + m * width > budget and chunks[-1]:
                    chunks.append([])
                    used = 0
                chunks[-1].append((offset + i * width, m, width))
                used += m * width
            offset += n * width
        x = self.word[tokens] + self.position[positions] + self.type0
        pooled = torch.cat([self._forward(x, chunk) for chunk in chunks])
        vectors = torch.empty_like(pooled)
        vectors[order] = F.normalize(pooled, dim=-1)
        return vectors

    def encode_threads(self, input_ids: Any, attention_mask: Any, threads: int) -> Any:
        """:meth:`encode` with the texts dealt to ``threads`` Python threads of one-thread operations.

        The texts are dealt by length, so the shares cost about the same; see
        :mod:`kg.embeddings.torch_threads` for why this beats OpenMP threads here.
        Fewer than :data:`SPLIT_MIN_TEXTS` texts run in the calling thread.

        Args:
            input_ids: word-piece ids, shape ``(texts, width)``, right-padded.
            attention_mask: 1 for a word piece, 0 for padding.
            threads: Python threads to use.
        """
        import torch

        from kg.embeddings.torch_threads import map_one_thread_ops

        n = int(input_ids.shape[0])
        if threads < 2 or n < SPLIT_MIN_TEXTS:
            with torch.inference_mode():
                return self.encode(input_ids, attention_mask)
        order = torch.argsort(attention_mask.sum(dim=1), stable=True)
        parts = [order[i::threads] for i in range(threads)]
        results = map_one_thread_ops(lambda rows: self.encode(input_ids[rows], attention_mask[rows]), parts, threads)
        out = torch.empty((n, self.hidden), dtype=torch.float32)
        for rows, vectors in zip(parts, results, strict=True):
            out[rows] = vectors
        return out
