"""Node embeddings in FAISS (extra ``embed``).

* :mod:`kg.embeddings.embedder` — the :class:`Embedder` seam (texts → unit vectors);
* :mod:`kg.embeddings.index` — the :class:`VectorIndex` seam (FAISS flat or HNSW);
* :mod:`kg.embeddings.cache` — vectors cached by text hash and model fingerprint;
* :mod:`kg.embeddings.structural` — spectral embeddings of the graph itself;
* :mod:`kg.embeddings.build` — ``medkg embed``: every index of a bundle;
* :mod:`kg.embeddings.stored` — indexes stored in a bundle, checked on load.

Heavy dependencies (torch, sentence-transformers, faiss, scipy) are imported
only when used; a missing one raises :class:`kg.errors.MissingExtraError`
naming the extra.
"""

from kg.embeddings.build import embed_bundle
from kg.embeddings.embedder import Embedder, embedder_for, open_embedder, register_embedder
from kg.embeddings.index import INDEX_KINDS, VectorIndex, new_index, read_index
from kg.embeddings.stored import load_stored_index

__all__ = [
    "INDEX_KINDS",
    "Embedder",
    "VectorIndex",
    "embed_bundle",
    "load_stored_index",
    "new_index",
    "embedder_for",
    "open_embedder",
    "read_index",
    "register_embedder",
]
