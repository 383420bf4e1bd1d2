"""Structural node embeddings: a truncated spectral decomposition of the normalised adjacency.

Each node gets the coordinates of its row of ``D^-1/2 A D^-1/2`` (A: the
undirected graph of asserted statements) in the eigenvectors of largest
magnitude (the matrix is symmetric, so these are its top singular vectors),
scaled by the square root of the magnitudes and normalised to unit length.
Nodes with similar neighbourhoods (diseases with overlapping phenotypes,
terms in the same branch of an ontology) get similar vectors, whatever their
names say. ARPACK starts from a seeded vector, so the result is reproducible.

Example:
    >>> v = spectral_embedding(["a", "b", "c", "x"], [("a", "c", "X"), ("b", "c", "X")], dim=2)
    >>> v.shape, round(float(v[0] @ v[1]), 4), v[3].tolist()
    ((4, 2), 1.0, [0.0, 0.0])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from kg.errors import MissingExtraError

if TYPE_CHECKING:
    import numpy as np

METHOD = "spectral-eigsh"


def spectral_embedding(
    ids: Sequence[str], edges: Iterable[tuple[str, str, str]], dim: int = 64, seed: int = 0
) -> np.ndarray:
    """Unit-length structural vectors, one row per id (zero rows for isolated nodes).

    Args:
        ids: the nodes, in row order.
        edges: ``(subject, object, predicate)``; endpoints not in ``ids`` are ignored.
        dim: vector length (capped below the node count).
        seed: seed of ARPACK's start vector.
    """
    import numpy as np

    try:
        from scipy.sparse import coo_matrix, diags
        from scipy.sparse.linalg import eigsh
    except ImportError as e:
        raise MissingExtraError("scipy", "embed") from e
    row = {i: n for n, i in enumerate(ids)}
    pairs = {(row[a], row[b]) for a, b, _ in edges if a in row and b in row and a != b}
    n = len(ids)
    src = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
    dst = np.fromiter((p[1] for p in pairs), dtype=np.int64, count=len(pairs))
    adj = coo_matrix(
        (np.ones(2 * len(pairs)), (np.concatenate([src, dst]), np.concatenate([dst, src]))), shape=(n, n)
    ).tocsr()
    adj.data[:] = 1.0  # an edge asserted both ways counts once
    deg = np.asarray(adj.sum(axis=1)).ravel()
    inv = np.where(deg > 0, 1.0 / np.sqrt(np.maximum(deg, 1e-12)), 0.0)
    norm = diags(inv) @ adj @ diags(inv)
    k = max(1, min(dim, n - 2))
    v0 = np.random.default_rng(seed).standard_normal(n)
    vals, u = eigsh(norm, k=k, which="LM", v0=v0, tol=1e-6)
    s = np.abs(vals)
    order = np.lexsort((-vals, -s))
    u, s = u[:, order], s[order]
    # Fix each singular vector's sign (SVD leaves it arbitrary) for reproducibility.
    u *= np.where(u[np.abs(u).argmax(axis=0), np.arange(k)] < 0, -1.0, 1.0)
    vec = (u * np.sqrt(s)).astype(np.float32)
    out = np.zeros((n, dim), dtype=np.float32)
    out[:, :k] = vec
    lengths = np.linalg.norm(out, axis=1, keepdims=True)
    return np.divide(out, lengths, out=np.zeros_like(out), where=lengths > 0)
