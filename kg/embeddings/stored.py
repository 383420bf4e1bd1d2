"""Vector indexes stored in a bundle, with their id maps and manifests.

Layout::

    KG/embeddings/
      text/         one row per node: label, synonyms and definition
      names/        one row per name (label or synonym) of a node: for linking
      structural/   one row per node: spectral embedding of the graph
        index.faiss     the FAISS index
        ids.json        row -> node id (names: [id, name])
        manifest.json   model, fingerprints, dimension, metric, count, index kind

An index is used only with the graph and the model it was built from: the
manifest's ``graph_fingerprint`` (a hash of every row's id and text, or of
the edges for ``structural``) and ``model_fingerprint`` must match, else
:class:`~kg.errors.IndexMismatchError` says what differs and how to rebuild.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.bundle import Bundle
from kg.embeddings.index import VectorIndex, read_index
from kg.errors import EmbeddingError, IndexMismatchError

EMBEDDINGS_DIR = "embeddings"
INDEX_FILE = "index.faiss"
IDS_FILE = "ids.json"
MANIFEST_FILE = "manifest.json"
FORMAT = 1


def embeddings_dir(bundle: Bundle) -> Path:
    """The bundle's embeddings folder."""
    return bundle.root / EMBEDDINGS_DIR


@dataclass(slots=True)
class StoredIndex:
    """A loaded index: the FAISS index, what each row is, and its manifest."""

    index: VectorIndex
    ids: list[Any]
    manifest: dict[str, Any]


def write_stored_index(folder: Path, index: VectorIndex, ids: list[Any], manifest: dict[str, Any]) -> None:
    """Write one index folder (inside a temporary embeddings folder)."""
    if len(ids) != len(index):
        raise EmbeddingError(f"{folder.name}: {len(ids)} ids for {len(index)} vectors")
    folder.mkdir(parents=True)
    index.save(folder / INDEX_FILE)
    (folder / IDS_FILE).write_text(json.dumps(ids, ensure_ascii=False), "utf-8")
    full = {"format": FORMAT, **manifest, "index": index.kind, "metric": index.metric,
            "dimension": index.dimension, "count": len(index)}
    (folder / MANIFEST_FILE).write_text(json.dumps(full, indent=2) + "\n", "utf-8")


def read_manifest(bundle: Bundle, name: str) -> dict[str, Any]:
    """The manifest of a stored index.

    Raises:
        EmbeddingError: the bundle has no such index (names the command that builds it).
    """
    path = embeddings_dir(bundle) / name / MANIFEST_FILE
    if not path.is_file():
        raise EmbeddingError(
            f"the bundle at {bundle.root} has no {name!r} embeddings; build them with "
            f"'medkg embed --kg {bundle.root}'"
        )
    try:
        data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as e:
        raise EmbeddingError(f"unreadable index manifest {path}: {e}") from e
    if data.get("format") != FORMAT:
        raise IndexMismatchError(f"{path}: index format {data.get('format')!r} is not {FORMAT}; run 'medkg embed'")
    return data


def check_manifest(
    manifest: dict[str, Any], where: str, *, graph_fingerprint: str | None = None,
    model_fingerprint: str | None = None,
) -> None:
    """Refuse an index built from another graph or model.

    Example:
        >>> check_manifest({"graph_fingerprint": "a", "model": "st:x", "model_fingerprint": "m"},
        ...                "KG/embeddings/names", graph_fingerprint="b")
        Traceback (most recent call last):
        ...
        kg.errors.IndexMismatchError: KG/embeddings/names was built from another graph (fingerprint a, the bundle's graph is b); rebuild it with 'medkg embed'
    """
    if graph_fingerprint is not None and manifest.get("graph_fingerprint") != graph_fingerprint:
        raise IndexMismatchError(
            f"{where} was built from another graph (fingerprint {manifest.get('graph_fingerprint')}, "
            f"the bundle's graph is {graph_fingerprint}); rebuild it with 'medkg embed'"
        )
    if model_fingerprint is not None and manifest.get("model_fingerprint") != model_fingerprint:
        raise IndexMismatchError(
            f"{where} was built with model {manifest.get('model')} (fingerprint "
            f"{manifest.get('model_fingerprint')}), not the model in use (fingerprint "
            f"{model_fingerprint}); rebuild it with 'medkg embed' or use the same model"
        )


def load_stored_index(
    bundle: Bundle, name: str, *, graph_fingerprint: str | None, model_fingerprint: str | None = None
) -> StoredIndex:
    """Load a stored index after checking it against the graph and the model.

    Raises:
        EmbeddingError: no such index, or unreadable files.
        IndexMismatchError: built from another graph or model, or inconsistent files.
    """
    folder = embeddings_dir(bundle) / name
    manifest = read_manifest(bundle, name)
    check_manifest(manifest, str(folder), graph_fingerprint=graph_fingerprint,
                   model_fingerprint=model_fingerprint)
    index = read_index(manifest["index"], folder / INDEX_FILE)
    try:
        ids = json.loads((folder / IDS_FILE).read_text("utf-8"))
    except (OSError, ValueError) as e:
        raise EmbeddingError(f"unreadable id map {folder / IDS_FILE}: {e}") from e
    if len(ids) != len(index) or len(index) != manifest.get("count"):
        raise IndexMismatchError(
            f"{folder}: {len(ids)} ids, {len(index)} vectors, manifest says {manifest.get('count')}; "
            "rebuild it with 'medkg embed'"
        )
    return StoredIndex(index, ids, manifest)
