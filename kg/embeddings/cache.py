"""A disk cache of text embeddings keyed by text hash and model fingerprint.

Each model has its own folder (named by its fingerprint) of shard files; a
shard holds the hashes of the texts it covers and their vectors. A run adds
one shard with the texts it had to embed, so a rebuild embeds only what
changed. Shards are written to a temporary file and renamed, so an
interrupted run never leaves a half-written shard.

Example:
    >>> import numpy as np, tempfile
    >>> c = EmbeddingCache(tempfile.mkdtemp(), "model-fp")
    >>> c.get(["h1"])
    {}
    >>> c.put(["h1"], np.ones((1, 2), dtype=np.float32))
    >>> {k: v.tolist() for k, v in c.get(["h1", "h2"]).items()}
    {'h1': [1.0, 1.0]}
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import EmbeddingError

if TYPE_CHECKING:
    import numpy as np


class EmbeddingCache:
    """Vectors of texts already embedded by one model.

    Args:
        root: the cache folder (``Settings.embed_cache_dir``).
        model_fingerprint: the embedder's fingerprint.
    """

    def __init__(self, root: str | Path, model_fingerprint: str) -> None:
        self.folder = Path(root) / model_fingerprint
        self._loaded: dict[str, np.ndarray] | None = None

    def _load(self) -> dict[str, np.ndarray]:
        import numpy as np

        if self._loaded is None:
            self._loaded = {}
            for shard in sorted(self.folder.glob("*.npz")) if self.folder.is_dir() else []:
                try:
                    with np.load(shard) as z:
                        keys, vecs = z["keys"], z["vectors"]
                except (OSError, ValueError, KeyError) as e:
                    raise EmbeddingError(
                        f"unreadable embedding cache shard {shard}: {e}; delete it to recompute"
                    ) from e
                self._loaded.update(zip(keys.astype(str).tolist(), vecs, strict=True))
        return self._loaded

    def get(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vectors of those keys that are cached."""
        have = self._load()
        return {k: have[k] for k in keys if k in have}

    def put(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        """Store new vectors (one shard file)."""
        import numpy as np

        if not len(keys):
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        os.close(fd)
        try:
            with open(tmp, "wb") as fh:
                np.savez(fh, keys=np.array(keys, dtype="S"), vectors=vectors.astype(np.float32))
            os.replace(tmp, self.folder / f"{time.time_ns()}-{os.getpid()}.npz")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._load().update(zip(keys, vectors, strict=True))
