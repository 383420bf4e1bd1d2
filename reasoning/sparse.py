"""Column-sparse matrices in plain numpy (diseases × terms), built from triples.

Example:
    >>> m = SparseColumns.from_triples(np.array([0, 2, 2]), np.array([1, 1, 0]),
    ...                                np.array([0.5, 0.9, 0.1]), n_cols=3, reduce="max")
    >>> rows, vals = m.column(1)
    >>> rows.tolist(), vals.tolist()
    ([0, 2], [0.5, 0.9])
    >>> m.column(2)[0].tolist()
    []
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np


@dataclass(frozen=True)
class SparseColumns:
    """Compressed sparse columns: ``rows[ptr[c]:ptr[c+1]]`` are column ``c``'s rows."""

    ptr: np.ndarray
    rows: np.ndarray
    vals: np.ndarray

    @classmethod
    def from_triples(
        cls,
        rows: np.ndarray,
        cols: np.ndarray,
        vals: np.ndarray,
        *,
        n_cols: int,
        reduce: Literal["max", "sum"],
    ) -> SparseColumns:
        """Build from ``(row, col, value)`` triples; duplicates are combined by ``reduce``."""
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        vals = np.asarray(vals, dtype=np.float64)
        if len(rows) == 0:
            return cls(np.zeros(n_cols + 1, np.int64), np.zeros(0, np.int32), np.zeros(0))
        key = cols * (int(rows.max()) + 1) + rows
        order = np.argsort(key, kind="stable")
        key, rows, cols, vals = key[order], rows[order], cols[order], vals[order]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        op = np.maximum if reduce == "max" else np.add
        merged = op.reduceat(vals, starts)
        rows, cols = rows[starts], cols[starts]
        ptr = np.searchsorted(cols, np.arange(n_cols + 1), side="left")
        return cls(ptr.astype(np.int64), rows.astype(np.int32), merged)

    def column(self, c: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows and values of column ``c``."""
        a, b = self.ptr[c], self.ptr[c + 1]
        return self.rows[a:b], self.vals[a:b]

    def column_sums(self, n_rows: int) -> np.ndarray:
        """Per-column sums (dense)."""
        return np.add.reduceat(np.r_[self.vals, 0.0], self.ptr[:-1]) * (np.diff(self.ptr) > 0)

    def row_sums(self, n_rows: int) -> np.ndarray:
        """Per-row sums (dense)."""
        return np.bincount(self.rows, weights=self.vals, minlength=n_rows)
