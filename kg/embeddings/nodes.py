"""The nodes embeddings are computed from, their texts and fingerprints.

A node is embedded from its label, synonyms and definition (:func:`node_text`);
linking embeds each name on its own (:func:`node_names`). A fingerprint is a
hash of exactly what an index was computed from, so a stored index can be
checked against the graph it is used with.

Example:
    >>> n = NodeRecord("HP:0001166", "PhenotypicFeature", "Arachnodactyly",
    ...                ("Spider fingers",), "Long slender fingers.")
    >>> node_text(n)
    'Arachnodactyly; Spider fingers. Long slender fingers.'
    >>> node_names(n)
    ['Arachnodactyly', 'Spider fingers']
    >>> text_hash("a") == text_hash("a") != text_hash("b")
    True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.bundle import Bundle
from kg.queries.embeddings import EDGES, NODE_TEXTS


@dataclass(frozen=True, slots=True)
class NodeRecord:
    """A concept node as the embeddings see it.

    Attributes:
        id: the CURIE.
        type: the node label (``Disease``, ``PhenotypicFeature``, ``Drug``).
        label: the preferred name (may be None).
        synonyms: other names.
        definition: the textual definition, if any.
        alt_ids: the node's alternative (replaced) ids, not part of its text.
    """

    id: str
    type: str
    label: str | None
    synonyms: tuple[str, ...] = field(default=())
    definition: str | None = None
    alt_ids: tuple[str, ...] = field(default=())


def node_text(node: NodeRecord) -> str:
    """The text a node is embedded from: label and synonyms, then the definition."""
    names = "; ".join(node_names(node)) or node.id
    return f"{names}. {node.definition.strip()}" if node.definition else names


def node_names(node: NodeRecord) -> list[str]:
    """The label then each distinct synonym (case-insensitively), stripped."""
    out: list[str] = []
    seen: set[str] = set()
    for name in (node.label, *node.synonyms):
        if name and name.strip() and name.strip().casefold() not in seen:
            seen.add(name.strip().casefold())
            out.append(name.strip())
    return out


def text_hash(text: str) -> str:
    """The content hash of a text (hex SHA-256, 32 characters)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def fingerprint(parts: Iterable[str]) -> str:
    """A hash over a sequence of strings (order matters).

    Example:
        >>> fingerprint(["a", "b"]) != fingerprint(["b", "a"])
        True
    """
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()[:32]


def read_nodes(bundle: Bundle) -> list[NodeRecord]:
    """Every concept node of a bundle's LadybugDB store, in id order.

    Raises:
        BundleError: no bundle at that folder.
        StoreError: the store cannot be read.
    """
    from kg.stores import open_store

    bundle.manifest()  # a clear error when there is no bundle
    with open_store(bundle.selector("ladybug")) as st:
        rows = st.query(NODE_TEXTS).rows
    return [NodeRecord(i, t, lab, tuple(syn or ()), d, tuple(alt or ())) for i, t, lab, syn, d, alt in rows]


def read_edges(bundle: Bundle) -> list[tuple[str, str, str]]:
    """Every asserted statement ``(subject, object, predicate)`` of a bundle."""
    from kg.stores import open_store

    with open_store(bundle.selector("ladybug")) as st:
        return [tuple(r) for r in st.query(EDGES).rows]  # type: ignore[misc]


def texts_fingerprint(ids: Sequence[str], texts: Sequence[str]) -> str:
    """Fingerprint of an index's rows: each row's id and embedded text."""
    return fingerprint(f"{i}\t{t}" for i, t in zip(ids, texts, strict=True))


def bundle_of(path: str | Path | Bundle) -> Bundle:
    """A :class:`Bundle` from a path or a bundle."""
    return path if isinstance(path, Bundle) else Bundle(path)
