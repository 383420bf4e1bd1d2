"""A bundle's node vectors (the ``text`` index), checked, for pushing into a graph store.

``medkg push --store neo4j://... --vectors`` (see :meth:`kg.stores.neo4j.Neo4jStore.push_vectors`)
stores each node's ``text`` embedding — label, synonyms and definition, the
vectors similar-case search uses — as the node property ``embedding`` with a
cosine vector index per node label, so Cypher can search them
(``db.index.vector.queryNodes``).

The vectors are read from the bundle's stored index, never recomputed, and
only if that index was built from the bundle's graph as it is now.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.bundle import Bundle
from kg.embeddings.nodes import bundle_of, node_text, read_nodes, texts_fingerprint
from kg.embeddings.stored import load_stored_index, read_manifest
from kg.errors import IndexMismatchError
from kg.model import NodeType

if TYPE_CHECKING:
    import numpy as np

TEXT_INDEX = "text"
"""The stored index whose vectors are pushed (one row per node)."""


@dataclass(slots=True)
class NodeVectors:
    """Node vectors grouped by node label.

    Attributes:
        model: the model tag, ``SELECTOR#FINGERPRINT`` (what ``embedding_model`` holds).
        dimension: the vector length.
        by_type: per node label, ``(ids, vectors)`` with vectors a float32 ``(n, dimension)`` array.
    """

    model: str
    dimension: int
    by_type: dict[NodeType, tuple[list[str], np.ndarray]]

    @property
    def count(self) -> int:
        """Vectors in all."""
        return sum(len(ids) for ids, _ in self.by_type.values())


def read_node_vectors(kg: str | Path | Bundle) -> NodeVectors:
    """The bundle's ``text`` vectors per node label.

    Raises:
        EmbeddingError: the bundle has no embeddings (run ``medkg embed``).
        IndexMismatchError: they were built from another graph, or do not cover its nodes.
    """
    import numpy as np

    bundle = bundle_of(kg)
    read_manifest(bundle, TEXT_INDEX)  # a clear error before the graph is read
    nodes = read_nodes(bundle)
    fp = texts_fingerprint([n.id for n in nodes], [node_text(n) for n in nodes])
    stored = load_stored_index(bundle, TEXT_INDEX, graph_fingerprint=fp)
    types = {n.id: NodeType(n.type) for n in nodes}
    if sorted(stored.ids) != sorted(types):
        raise IndexMismatchError(f"the {TEXT_INDEX!r} index of {bundle.root} does not hold one vector per node; "
                                 "rebuild it with 'medkg embed'")
    vectors = stored.index.reconstruct(np.arange(len(stored.index)))
    rows: dict[NodeType, list[int]] = {}
    for row, nid in enumerate(stored.ids):
        rows.setdefault(types[nid], []).append(row)
    m: dict[str, Any] = stored.manifest
    return NodeVectors(
        model=f"{m.get('model')}#{m.get('model_fingerprint')}",
        dimension=int(m["dimension"]),
        by_type={t: ([stored.ids[i] for i in at], vectors[at]) for t, at in rows.items()},
    )
