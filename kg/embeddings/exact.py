"""Exact inner-product top-k with a bfloat16 pre-filter whose error is bounded.

Exact search compares every query with every row: for 1,000 mentions against
the 80,467 names of the full graph that is 62 GFLOP. In float32 (FAISS
``IndexFlatIP``) that takes ~1.2-1.5 CPU seconds here; CPUs with bfloat16
matrix units (Intel AMX, AVX512-BF16) do the same products several times faster
in bfloat16. :class:`Bf16Prefilter` uses them to find candidates and float32 to
decide, and it proves the answer is the exact one:

1. ``approx = bf16(q) · bf16(x)`` for every row, kept as the ``k + extra`` best.
2. Rounding ``q`` and ``x`` to bfloat16 changes each product ``q_i x_i`` by at
   most ``(2u + u²)|q_i x_i|`` (``u = 2⁻⁸``), so the score by at most
   ``(2u + u²)·‖q‖·‖x‖`` (Cauchy-Schwarz); rounding the result to bfloat16
   adds at most ``u·‖q‖·‖x‖`` and the float32 accumulation ``d·2⁻²⁴·‖q‖·‖x‖``.
   With ``‖x‖`` the largest row norm this bounds the error by ``eps``
   (≈0.012 for unit vectors).
3. A row in the exact top-k scores at least the exact k-th score, which is at
   least the k-th approximate score minus ``eps``; so its approximate score is
   at least ``approx_k − 2·eps``. If the ``k + extra``-th approximate score is
   below that, every row of the exact top-k is among the candidates, whose
   exact float32 scores then pick the answer. Queries for which the candidate
   list is too short (rare: ~0.1% with ``extra = 64`` on the full graph) are
   searched exhaustively in float32.

Scores are float32 dot products of the stored vectors (they may differ from
FAISS's in the last bits; rows with equal scores, e.g. the same name on two
nodes, may come in another order).

Example:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal((500, 16)).astype(np.float32)
    >>> x /= np.linalg.norm(x, axis=1, keepdims=True)
    >>> scores, rows = Bf16Prefilter(x, extra=4).search(x[:3], 5)
    >>> rows[:, 0].tolist(), bool(np.allclose(scores[:, 0], 1.0, atol=1e-5))
    ([0, 1, 2], True)
    >>> brute = np.argsort(-(x[:3] @ x.T), axis=1)[:, :5]
    >>> bool((brute == rows).all())
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.embeddings.torch_threads import map_one_thread_ops

if TYPE_CHECKING:
    import numpy as np

U_BF16 = 2.0 ** -8
"""Unit round-off of bfloat16 (8 significant bits)."""

MISSING = -3.4028234663852886e38
"""Score of a missing hit (as FAISS: minus the largest float32)."""


class Bf16Prefilter:
    """Exact top-k inner product over fixed rows, pre-filtered in bfloat16.

    Args:
        vectors: ``(n, d)`` float32 rows (kept by reference, not copied; a
            bfloat16 copy is made).
        extra: candidates kept beyond ``k`` for the exact float32 decision.
        chunk: queries per matrix product (bounds the memory of the score block).
    """

    def __init__(self, vectors: np.ndarray, extra: int = 64, chunk: int = 256) -> None:
        import torch

        self._x = torch.from_numpy(vectors)
        self._xb = self._x.to(torch.bfloat16)
        self._xnorm = float(self._x.norm(dim=1).max()) if len(vectors) else 0.0
        self.extra = extra
        self.chunk = chunk
        self.fallbacks = 0
        """Queries searched exhaustively in float32 so far (candidate list too short)."""

    def search(self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
        """The exact ``k`` best rows per query: ``(scores, rows)``, missing hits row -1.

        Args:
            queries: ``(m, d)`` float32.
            k: hits per query.
            allowed: if given, only these row numbers (int64) are searched.
        """
        import numpy as np
        import torch

        q = torch.from_numpy(np.ascontiguousarray(queries, dtype=np.float32))
        scores = np.full((len(q), k), MISSING, dtype=np.float32)
        rows = np.full((len(q), k), -1, dtype=np.int64)
        if allowed is None:
            x, xb, ids = self._x, self._xb, None
        else:
            ids = torch.from_numpy(np.ascontiguousarray(allowed, dtype=np.int64))
            x, xb = self._x.index_select(0, ids), self._xb.index_select(0, ids)
        kk = min(k, len(x))
        if not kk or not len(q):
            return scores, rows
        starts = range(0, len(q), self.chunk)
        # Chunks are independent: each runs in its own thread (see kg.embeddings.torch_threads).
        found = map_one_thread_ops(lambda start: self._chunk(q[start:start + self.chunk], x, xb, kk), starts,
                                   torch.get_num_threads())
        for start, (s, r, redone) in zip(starts, found, strict=True):
            self.fallbacks += redone
            if ids is not None:
                r = ids[r]
            scores[start:start + len(s), :kk] = s.numpy()
            rows[start:start + len(s), :kk] = r.numpy()
        return scores, rows

    def _chunk(self, q: Any, x: Any, xb: Any, k: int) -> tuple[Any, Any, int]:
        """``(scores, rows, queries searched in float32)`` of one chunk of queries."""
        import torch

        pool = min(k + self.extra, len(x))
        approx, cand = torch.topk(torch.mm(q.to(torch.bfloat16), xb.T), pool, dim=1)
        approx = approx.float()
        qnorm = q.norm(dim=1)
        d = q.shape[1]
        eps = (3 * U_BF16 + U_BF16 ** 2 + d * 2.0 ** -24) * (1 + U_BF16) * qnorm * self._xnorm
        complete = (approx[:, -1] < approx[:, k - 1] - 2 * eps) | (pool == len(x))
        exact = torch.einsum("qd,qpd->qp", q, x[cand])
        best, at = torch.topk(exact, k, dim=1)
        rows = torch.gather(cand, 1, at)
        redo = (~complete).nonzero().flatten()
        if len(redo):
            full_scores, full_rows = torch.topk(q[redo] @ x.T, k, dim=1)
            best[redo], rows[redo] = full_scores, full_rows
        return best, rows, len(redo)
