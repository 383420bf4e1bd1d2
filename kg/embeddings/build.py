"""``medkg embed``: text, name and structural embeddings of a bundle, indexed in FAISS.

The embeddings folder is written next to the bundle's stores in a temporary
folder and swapped in only when everything succeeded; texts already in the
cache (same text, same model) are not embedded again.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.build import _swap
from kg.bundle import STORE_PATHS, Bundle
from kg.embeddings.cache import EmbeddingCache
from kg.embeddings.embedder import Embedder, embedder_for
from kg.embeddings.index import new_index
from kg.embeddings.nodes import (
    NodeRecord,
    bundle_of,
    fingerprint,
    node_names,
    node_text,
    read_edges,
    read_nodes,
    text_hash,
    texts_fingerprint,
)
from kg.embeddings.stored import (
    EMBEDDINGS_DIR,
    INDEX_FILE,
    MANIFEST_FILE,
    check_manifest,
    embeddings_dir,
    load_stored_index,
    read_manifest,
    write_stored_index,
)
from kg.errors import EmbeddingError
from kg.embeddings.structural import METHOD, spectral_embedding
from kg.settings import Settings
from kg.writable import check_writable

if TYPE_CHECKING:
    import numpy as np

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as work advances."""

CACHE_SLICE = 8192
"""Texts embedded between two writes of the cache."""
STRUCTURAL_DIM = 64
STRUCTURAL_SEED = 0


def embed_cached(
    texts: Sequence[str], embedder: Embedder, cache: EmbeddingCache | None,
    progress: Progress | None = None,
) -> tuple[np.ndarray, int]:
    """Vectors for ``texts``, embedding only those not in the cache.

    Returns:
        the ``(len(texts), dimension)`` vectors and how many texts were embedded.
    """
    import numpy as np

    keys = [text_hash(t) for t in texts]
    have = cache.get(keys) if cache is not None else {}
    todo: dict[str, str] = {}
    for k, t in zip(keys, texts, strict=True):
        if k not in have and k not in todo:
            todo[k] = t
    total, done = len(todo), 0
    if progress:
        progress("embedding texts", 0, total)

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress("embedding texts", done, total)

    # Shortest first (less padding), cached slice by slice so an interrupted run keeps its work.
    pending = sorted(todo.items(), key=lambda kv: len(kv[1]))
    have = dict(have)
    for start in range(0, len(pending), CACHE_SLICE):
        part = pending[start:start + CACHE_SLICE]
        new = embedder.embed([t for _, t in part], advance)
        if cache is not None:
            cache.put([k for k, _ in part], new)
        have.update(zip([k for k, _ in part], new, strict=True))
    # The dimension of cached vectors needs no model: a fully cached run never loads the weights.
    dim = len(next(iter(have.values()))) if have else embedder.dimension
    out = np.empty((len(texts), dim), dtype=np.float32)
    for i, k in enumerate(keys):
        out[i] = have[k]
    return out, total


def _previous_vectors(bundle: Bundle, name: str, graph_fp: str, model_fp: str) -> np.ndarray | None:
    """The vectors of a stored index built from the same graph and model, if there is one."""
    import numpy as np

    try:
        stored = load_stored_index(bundle, name, graph_fingerprint=graph_fp, model_fingerprint=model_fp)
    except EmbeddingError:  # none yet, or built from something else: compute afresh
        return None
    return stored.index.reconstruct(np.arange(len(stored.index)))


def structural_fingerprints(ids: Sequence[str], edges: Sequence[tuple[str, str, str]]) -> tuple[str, str]:
    """``(graph fingerprint, model fingerprint)`` of the structural embedding."""
    fp = fingerprint([fingerprint(ids), fingerprint(f"{a}\t{b}\t{p}" for a, b, p in edges)])
    return fp, fingerprint([METHOD, str(STRUCTURAL_DIM), str(STRUCTURAL_SEED)])


def model_settings(emb: Embedder) -> dict[str, Any]:
    """What the manifest records of how texts were embedded (precision, truncation)."""
    return {k: getattr(emb, k) for k in ("precision", "max_tokens", "batch_size") if hasattr(emb, k)}


def store_signature(bundle: Bundle) -> str:
    """Name, size, modification time and inode of the bundle's LadybugDB files.

    It changes whenever the graph is written (a rebuild or merge replaces the
    bundle), so an index recorded with the same signature needs no re-reading
    of the graph to be known up to date.
    """
    store = bundle.root / STORE_PATHS["ladybug"]
    files = sorted(p for p in store.parent.glob(f"{store.name}*") if p.is_file())
    if store.is_dir():
        files += sorted(p for p in store.rglob("*") if p.is_file())
    parts = []
    for p in files:
        st = p.stat()
        parts.append(f"{p.relative_to(bundle.root)}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}")
    return fingerprint(parts)


def _indexes_current(bundle: Bundle, names: Sequence[str], index_kind: str,
                     matches: Callable[[str, dict[str, Any]], bool]) -> bool:
    """Whether every stored index ``names`` is there, of this kind, and its manifest ``matches``."""
    for name in names:
        try:
            m = read_manifest(bundle, name)
        except EmbeddingError:  # missing or unreadable
            return False
        if (m.get("index") != index_kind or not (embeddings_dir(bundle) / name / INDEX_FILE).is_file()
                or not matches(name, m)):
            return False
    return True


def _store_unchanged(bundle: Bundle, kinds: Sequence[str], signature: str, model_fp: str, index_kind: str) -> bool:
    """Whether every stored index was built from this very store file, model and index kind."""
    structural_fp = structural_fingerprints([], [])[1]
    return _indexes_current(bundle, kinds, index_kind, lambda name, m: (
        m.get("store_signature") == signature
        and m.get("model_fingerprint") == (structural_fp if name == "structural" else model_fp)))


def _record_signature(bundle: Bundle, name: str, signature: str) -> None:
    """Store the current store signature in an index's manifest (replaced atomically)."""
    path = embeddings_dir(bundle) / name / MANIFEST_FILE
    m = {**read_manifest(bundle, name), "store_signature": signature}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(m, indent=2) + "\n", "utf-8")
    os.replace(tmp, path)


def _up_to_date(bundle: Bundle, wanted: dict[str, tuple[str, str]], index_kind: str) -> bool:
    """Whether every stored index was built from this graph and model, as this kind of index."""
    def matches(name: str, m: dict[str, Any]) -> bool:
        graph_fp, model_fp = wanted[name]
        try:
            check_manifest(m, name, graph_fingerprint=graph_fp, model_fingerprint=model_fp)
        except EmbeddingError:  # built from something else
            return False
        return True

    return _indexes_current(bundle, list(wanted), index_kind, matches)


def name_rows(nodes: Sequence[NodeRecord]) -> list[tuple[str, str]]:
    """``(node id, name)`` for every name of every node (the rows of the names index)."""
    return [(n.id, name) for n in nodes for name in node_names(n)]


def names_fingerprint(rows: Sequence[tuple[str, str]]) -> str:
    """Graph fingerprint of a names index."""
    return texts_fingerprint([r[0] for r in rows], [r[1] for r in rows])


def embed_bundle(
    kg: str | Path | Bundle,
    *,
    settings: Settings | None = None,
    index_kind: str = "flat",
    embedder: Embedder | None = None,
    structural: bool = True,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Compute and store a bundle's embeddings; return a report.

    Args:
        kg: the bundle folder.
        settings: model selector, cache folder and threads.
        index_kind: ``flat`` (exact) or ``hnsw`` (approximate).
        embedder: an embedder already open (else ``settings.embed_model``).
        structural: also compute the structural (spectral) embeddings.
        progress: called as work advances (stage, done, total).

    Raises:
        BundleError: no bundle there.
        NotWritableError: the bundle folder cannot be written (checked before embedding).
        EmbeddingError: the model or index cannot be used; the previous
            embeddings are left in place.
    """
    s = settings or Settings()
    say: Progress = progress or (lambda *_: None)
    t0 = time.perf_counter()
    bundle = bundle_of(kg)
    bundle_manifest = bundle.manifest()
    emb = embedder or embedder_for(s)  # the weights load only if a text must be embedded
    signature = store_signature(bundle)
    kinds = ("text", "names", "structural") if structural else ("text", "names")
    if _store_unchanged(bundle, kinds, signature, emb.fingerprint, index_kind):
        counts = {k: read_manifest(bundle, k)["count"] for k in kinds}
        return {"bundle": str(bundle.root), "model": emb.selector, "index": index_kind, "nodes": counts["text"],
                "names": counts["names"], "texts": counts["text"] + counts["names"], "embedded": 0,
                "unchanged": True, "indexes": counts, "seconds": round(time.perf_counter() - t0, 2)}
    check_writable(bundle.root, must_exist=True)  # before minutes of embedding, not after
    say("reading nodes", 0, 0)
    nodes = read_nodes(bundle)
    texts = [node_text(n) for n in nodes]
    names = name_rows(nodes)
    text_fp = texts_fingerprint([n.id for n in nodes], texts)
    names_fp = names_fingerprint(names)
    edges: list[tuple[str, str, str]] = []
    wanted = {"text": (text_fp, emb.fingerprint), "names": (names_fp, emb.fingerprint)}
    if structural:
        say("reading edges", 0, 0)
        edges = read_edges(bundle)
        wanted["structural"] = structural_fingerprints([n.id for n in nodes], edges)
    report = {"bundle": str(bundle.root), "model": emb.selector, "index": index_kind, "nodes": len(nodes),
              "names": len(names), "texts": len(texts) + len(names)}
    if _up_to_date(bundle, wanted, index_kind):
        for name in wanted:  # the next run can tell from the store's files alone
            _record_signature(bundle, name, signature)
        return {**report, "embedded": 0, "unchanged": True,
                "indexes": {k: read_manifest(bundle, k)["count"] for k in wanted},
                "seconds": round(time.perf_counter() - t0, 2)}
    cache = EmbeddingCache(s.embed_cache_dir, emb.fingerprint)
    vectors, embedded = embed_cached(texts + [r[1] for r in names], emb, cache, say)
    common = {
        "model": emb.selector,
        "model_fingerprint": emb.fingerprint,
        "model_settings": model_settings(emb),
        "store_signature": signature,
        "bundle_built_at": bundle_manifest.get("built_at"),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    built: dict[str, tuple[Any, list[Any], dict[str, Any]]] = {}
    say("indexing", 0, 0)
    for name, rows, vecs, fp, what in (
        ("text", [n.id for n in nodes], vectors[: len(texts)], text_fp,
         "label; synonyms. definition, one row per node"),
        ("names", [list(r) for r in names], vectors[len(texts):], names_fp,
         "one row per node name (label or synonym), for linking"),
    ):
        idx = new_index(index_kind, vecs.shape[1])
        idx.add(vecs)
        built[name] = (idx, rows, {**common, "graph_fingerprint": fp, "content": what})
    if structural:
        say("structural embedding", 0, 0)
        ids = [n.id for n in nodes]
        fp, model_fp = wanted["structural"]
        vec = _previous_vectors(bundle, "structural", fp, model_fp)
        if vec is None:
            vec = spectral_embedding(ids, edges, dim=STRUCTURAL_DIM, seed=STRUCTURAL_SEED)
        idx = new_index(index_kind, STRUCTURAL_DIM)
        idx.add(vec)
        built["structural"] = (idx, ids, {
            "model": f"{METHOD}:dim={STRUCTURAL_DIM}:seed={STRUCTURAL_SEED}",
            "model_fingerprint": model_fp,
            "bundle_built_at": common["bundle_built_at"], "created_at": common["created_at"],
            "store_signature": signature,
            "graph_fingerprint": fp, "edges": len(edges),
            "content": "spectral (truncated SVD of the normalised adjacency), one row per node",
        })
    say("writing indexes", 0, 0)
    tmp = Path(tempfile.mkdtemp(prefix=".embeddings.building-", dir=bundle.root))
    try:
        for name, (idx, rows, manifest) in built.items():
            write_stored_index(tmp / name, idx, rows, manifest)
        _swap(tmp, bundle.root / EMBEDDINGS_DIR)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return {
        **report,
        "embedded": embedded,
        "unchanged": False,
        "indexes": {k: len(v[0]) for k, v in built.items()},
        "seconds": round(time.perf_counter() - t0, 2),
    }
