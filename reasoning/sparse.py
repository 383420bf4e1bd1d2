"""Column-sparse matrices in plain numpy (diseases × terms), built from triples.

A ``max`` matrix can carry a payload: for every entry, the payload of the triple
that gave the maximum (e.g. which annotation), so that the evidence for a score
is read from the same matrix that made the score.

Example:
    >>> m = SparseColumns.from_triples(np.array([0, 2, 2]), np.array([1, 1, 1]),
    ...     np.array([0.5, 0.9, 0.1]), n_cols=3, reduce="max", payload=np.array([7, 8, 9]))
    >>> rows, vals = m.column(1)
    >>> rows.tolist(), vals.tolist()
    ([0, 2], [0.5, 0.9])
    >>> m.lookup(1, np.array([2, 1]))
    (array([0.9, 0. ]), array([ 8, -1]))
    >>> m.column(2)[0].tolist()
    []
    >>> m.lookup_pairs(np.array([1, 1, 2]), np.array([2, 1, 0]))
    (array([0.9, 0. , 0. ]), array([ 8, -1, -1]))
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np


@dataclass(frozen=True)
class SparseColumns:
    """Compressed sparse columns: ``rows[ptr[c]:ptr[c+1]]`` (sorted) are column ``c``'s rows."""

    ptr: np.ndarray
    rows: np.ndarray
    vals: np.ndarray
    payload: np.ndarray | None = None

    @classmethod
    def from_triples(
        cls,
        rows: np.ndarray,
        cols: np.ndarray,
        vals: np.ndarray,
        *,
        n_cols: int,
        reduce: Literal["max", "sum"],
        payload: np.ndarray | None = None,
    ) -> SparseColumns:
        """Build from ``(row, col, value)`` triples; duplicates are combined by ``reduce``
        (``max`` keeps the payload of the largest value; ties: the first given)."""
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        vals = np.asarray(vals, dtype=np.float64)
        if len(rows) == 0:
            empty = np.zeros(0, np.int64) if payload is not None else None
            return cls(np.zeros(n_cols + 1, np.int64), np.zeros(0, np.int32), np.zeros(0), empty)
        key = cols * (int(rows.max()) + 1) + rows
        if reduce == "max":
            order = np.lexsort((np.arange(len(key)), -vals, key))  # by key, largest value first
        else:
            order = np.argsort(key, kind="stable")
        key, rows, cols, vals = key[order], rows[order], cols[order], vals[order]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        merged = vals[starts] if reduce == "max" else np.add.reduceat(vals, starts)
        kept = np.asarray(payload)[order][starts] if payload is not None else None
        rows, cols = rows[starts], cols[starts]
        ptr = np.searchsorted(cols, np.arange(n_cols + 1), side="left")
        return cls(ptr.astype(np.int64), rows.astype(np.int32), merged, kept)

    def dense_columns(self, n_rows: int, min_fill: float) -> dict[int, np.ndarray]:
        """Dense copies of the columns at least ``min_fill`` full (scatter is slow on those)."""
        out: dict[int, np.ndarray] = {}
        for c in np.flatnonzero(np.diff(self.ptr) >= min_fill * n_rows):
            rows, vals = self.column(int(c))
            dense = np.zeros(n_rows)
            dense[rows] = vals
            out[int(c)] = dense
        return out

    def column(self, c: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows and values of column ``c``."""
        a, b = self.ptr[c], self.ptr[c + 1]
        return self.rows[a:b], self.vals[a:b]

    def lookup(self, c: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Values (0 where absent) and payloads (-1 where absent) of ``rows`` in column ``c``."""
        return self.lookup_pairs(np.full(len(rows), c), rows)

    @cached_property
    def _keys(self) -> np.ndarray:
        """Every entry as ``column * n + row`` (sorted: columns in order, rows sorted within each)."""
        cols = np.repeat(np.arange(len(self.ptr) - 1, dtype=np.int64), np.diff(self.ptr))
        return cols * self._n + self.rows

    @cached_property
    def _n(self) -> int:
        return int(self.rows.max()) + 1 if len(self.rows) else 1

    def lookup_pairs(self, cols: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`lookup` for many ``(column, row)`` pairs at once: values (0) and payloads (-1)."""
        rows = np.asarray(rows, dtype=np.int64)
        if len(self.rows) == 0 or len(rows) == 0:
            return np.zeros(len(rows)), np.full(len(rows), -1)
        want = np.asarray(cols, dtype=np.int64) * self._n + rows
        pos = np.minimum(np.searchsorted(self._keys, want), len(self._keys) - 1)
        hit = (self._keys[pos] == want) & (rows < self._n)
        vals = np.where(hit, self.vals[pos], 0.0)
        if self.payload is None:
            return vals, np.full(len(rows), -1)
        return vals, np.where(hit, self.payload[pos], -1)

    def column_sums(self, n_rows: int) -> np.ndarray:
        """Per-column sums (dense)."""
        return np.add.reduceat(np.r_[self.vals, 0.0], self.ptr[:-1]) * (np.diff(self.ptr) > 0)

    def row_sums(self, n_rows: int) -> np.ndarray:
        """Per-row sums (dense)."""
        sums = np.bincount(self.rows, weights=self.vals, minlength=n_rows)
        return sums.astype(np.float64, copy=False)  # float when empty too
