"""Entity linking: free-text mentions to graph concepts (CURIEs), ranked, with evidence.

A :class:`Linker` is bound to one bundle. For each mention it combines

* dictionary hits on the nodes' labels and synonyms, after normalisation
  (case, accents, punctuation) and, failing that, ignoring word order; and
* nearest names in the bundle's FAISS ``names`` index (one vector per label
  or synonym, cosine similarity of sentence embeddings).

Dictionary hits come first (``method`` ``exact`` for a label, ``synonym`` for
a synonym); vector neighbours follow by score (``method`` ``vector``).
Vector neighbours scoring below the threshold are dropped, so a mention with
no candidate left is answered "no match" (``LinkResult.matched`` is False)
rather than with a guess. Every candidate names the text it matched.

Usage::

    linker = Linker.from_bundle("KG")            # loads the model and the index
    [r] = linker.link(["heart attack"], types=["disease"], k=5)
    r.candidates[0].id, r.candidates[0].score, r.candidates[0].method

Example:
    >>> normalize_mention("  Spider-Fingers (Arachnodactyly)! ")
    'spider fingers arachnodactyly'
    >>> word_bag("fingers, spider")
    'fingers spider'
    >>> node_type("phenotype"), node_type("Drug")
    ('PhenotypicFeature', 'Drug')
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.bundle import Bundle
from kg.embeddings.build import embed_cached, name_rows, names_fingerprint
from kg.embeddings.cache import EmbeddingCache
from kg.embeddings.embedder import Embedder, embedder_for
from kg.embeddings.index import VectorIndex, new_index
from kg.embeddings.nodes import NodeRecord, bundle_of, read_nodes
from kg.embeddings.stored import load_stored_index, read_manifest
from kg.errors import LinkingError
from kg.model import CONCEPT_TYPES, NodeType
from kg.settings import Settings

if TYPE_CHECKING:
    import numpy as np

MAX_MENTION_CHARS = 1000
"""Longer mentions are truncated (with a :class:`MentionTruncatedWarning`)."""

DEFAULT_THRESHOLD = 0.5
"""Vector neighbours with a cosine below this are not candidates."""

DICTIONARY_SCORES = {("exact", False): 1.0, ("synonym", False): 0.98,
                     ("exact", True): 0.96, ("synonym", True): 0.94}
"""Score of a dictionary hit by (method, matched only when ignoring word order)."""

TYPE_NAMES = {"phenotype": NodeType.PHENOTYPE, "disease": NodeType.DISEASE, "drug": NodeType.DRUG}
"""Short type names accepted by ``types`` (node labels are accepted too)."""

_NON_WORD = re.compile(r"[\W_]+")


class MentionTruncatedWarning(UserWarning):
    """A mention longer than :data:`MAX_MENTION_CHARS` was truncated."""


def normalize_mention(text: str) -> str:
    """Case-folded, accent-free text with punctuation turned into single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", plain.casefold()).strip()


def word_bag(text: str) -> str:
    """The normalised words in sorted order (matches ignoring word order)."""
    return " ".join(sorted(normalize_mention(text).split()))


def node_type(name: str) -> str:
    """The node label for a short type name or a node label.

    Raises:
        LinkingError: an unknown type.
    """
    if name.lower() in TYPE_NAMES:
        return TYPE_NAMES[name.lower()].value
    for t in CONCEPT_TYPES:
        if name == t.value:
            return t.value
    known = ", ".join([*TYPE_NAMES, *(t.value for t in CONCEPT_TYPES)])
    raise LinkingError(f"unknown node type {name!r}; known: {known}")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One concept a mention may refer to.

    Attributes:
        id: the node's CURIE.
        label: its preferred name.
        type: its node label.
        score: 1.0 for an exact label hit, lower for synonyms and word-order
            matches; for vector neighbours the cosine similarity.
        method: ``exact``, ``synonym`` or ``vector``.
        matched: the node's name that matched (the evidence).
    """

    id: str
    label: str | None
    type: str
    score: float
    method: str
    matched: str

    def as_dict(self) -> dict[str, Any]:
        """The candidate as plain data."""
        return {"id": self.id, "label": self.label, "type": self.type, "score": round(self.score, 4),
                "method": self.method, "matched": self.matched}


@dataclass(slots=True)
class LinkResult:
    """The candidates for one mention, best first (empty: no match)."""

    mention: str
    candidates: list[Candidate] = field(default_factory=list)
    truncated: bool = False

    @property
    def matched(self) -> bool:
        """Whether any candidate passed the threshold."""
        return bool(self.candidates)


def clean_mention(mention: object) -> tuple[str, bool]:
    """A mention checked and, if too long, truncated: ``(text, truncated)``.

    Raises:
        LinkingError: not a string, or empty/whitespace only.

    Example:
        >>> clean_mention("  fever ")
        ('fever', False)
        >>> clean_mention(" ")
        Traceback (most recent call last):
        ...
        kg.errors.LinkingError: empty mention: give some text to link
    """
    if not isinstance(mention, str):
        raise LinkingError(f"a mention must be text, got {type(mention).__name__}")
    text = mention.strip()
    if not text:
        raise LinkingError("empty mention: give some text to link")
    if len(text) > MAX_MENTION_CHARS:
        warnings.warn(
            f"mention of {len(text):,} characters truncated to {MAX_MENTION_CHARS:,}",
            MentionTruncatedWarning, stacklevel=3,
        )
        return text[:MAX_MENTION_CHARS], True
    return text, False


class Linker:
    """Links mentions to the nodes of one graph.

    Args:
        nodes: the graph's nodes.
        index: the names index (row ``i`` is ``name_rows(nodes)[i]``).
        embedder: the model the index was built with.
        threshold: the lowest cosine a vector neighbour may have.
    """

    def __init__(self, nodes: Sequence[NodeRecord], index: VectorIndex, embedder: Embedder,
                 threshold: float = DEFAULT_THRESHOLD) -> None:
        import numpy as np

        self.nodes = {n.id: n for n in nodes}
        self.rows = name_rows(nodes)
        if len(self.rows) != len(index):
            raise LinkingError(f"the names index has {len(index)} rows for {len(self.rows)} names")
        self.index = index
        self.embedder = embedder
        self.threshold = threshold
        self._exact: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self._bag: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        by_type: dict[str, list[int]] = defaultdict(list)
        for row, (nid, name) in enumerate(self.rows):
            node = self.nodes[nid]
            method = "exact" if name == (node.label or "").strip() else "synonym"
            self._exact[normalize_mention(name)].append((nid, method, name))
            self._bag[word_bag(name)].append((nid, method, name))
            by_type[node.type].append(row)
        self._rows_of_type = {t: np.array(r, dtype=np.int64) for t, r in by_type.items()}

    @classmethod
    def from_bundle(cls, kg: str | Path | Bundle, *, settings: Settings | None = None,
                    embedder: Embedder | None = None, threshold: float = DEFAULT_THRESHOLD) -> Linker:
        """A linker over a bundle's nodes and stored ``names`` index.

        Raises:
            EmbeddingError: the bundle has no embeddings (run ``medkg embed``).
            IndexMismatchError: the index was built from another graph or model.
        """
        s = settings or Settings()
        bundle = bundle_of(kg)
        read_manifest(bundle, "names")  # a clear error before the model is loaded
        nodes = read_nodes(bundle)
        emb = embedder or embedder_for(s)
        stored = load_stored_index(bundle, "names", graph_fingerprint=names_fingerprint(name_rows(nodes)),
                                   model_fingerprint=emb.fingerprint)
        return cls(nodes, stored.index, emb, threshold)

    @classmethod
    def from_nodes(cls, nodes: Sequence[NodeRecord], embedder: Embedder, *,
                   cache: EmbeddingCache | None = None, index_kind: str = "flat",
                   threshold: float = DEFAULT_THRESHOLD) -> Linker:
        """A linker over given nodes, its index built in memory (cached vectors reused)."""
        vecs, _ = embed_cached([r[1] for r in name_rows(nodes)], embedder, cache)
        index = new_index(index_kind, vecs.shape[1])
        index.add(vecs)
        return cls(nodes, index, embedder, threshold)

    def _allowed(self, types: Iterable[str] | None) -> tuple[set[str] | None, np.ndarray | None]:
        import numpy as np

        if types is None:
            return None, None
        wanted = {node_type(t) for t in types}
        rows = [self._rows_of_type[t] for t in sorted(wanted) if t in self._rows_of_type]
        return wanted, (np.concatenate(rows) if rows else np.empty(0, dtype=np.int64))

    def _dictionary(self, text: str, wanted: set[str] | None) -> dict[str, Candidate]:
        hits: dict[str, Candidate] = {}
        for table, reordered in ((self._exact, False), (self._bag, True)):
            key = normalize_mention(text) if not reordered else word_bag(text)
            for nid, method, name in table.get(key, ()):
                node = self.nodes[nid]
                if wanted is not None and node.type not in wanted:
                    continue
                score = DICTIONARY_SCORES[(method, reordered)]
                if nid not in hits or hits[nid].score < score:
                    hits[nid] = Candidate(nid, node.label, node.type, score, method, name)
        return hits

    def _neighbours(self, scores: list[float], rows: list[int], dictionary: dict[str, Candidate],
                    wanted: int) -> dict[str, Candidate]:
        """The best ``wanted`` vector candidates (and any tied with the last) from hits sorted by score."""
        vector: dict[str, Candidate] = {}
        last = 0.0
        for score, row in zip(scores, rows, strict=True):
            if wanted < 1 or row < 0 or score < self.threshold or (len(vector) >= wanted and score < last):
                break  # hits come best first: nothing after this can make the cut
            nid, name = self.rows[row]
            if nid in dictionary or nid in vector:
                continue
            node = self.nodes[nid]
            vector[nid] = Candidate(nid, node.label, node.type, score, "vector", name)
            last = score
        return vector

    def link(self, mentions: str | Sequence[str], types: Iterable[str] | None = None,
             k: int = 5) -> list[LinkResult]:
        """Rank candidate concepts for each mention.

        Args:
            mentions: one mention or a list of them.
            types: restrict to these node types (``phenotype``, ``disease``, ``drug``
                or node labels); None for all.
            k: candidates per mention at most.

        Raises:
            LinkingError: an empty or non-text mention, an unknown type, k < 1.
        """
        if k < 1:
            raise LinkingError(f"k must be at least 1, got {k}")
        items = [mentions] if isinstance(mentions, str) else list(mentions)
        cleaned = [clean_mention(m) for m in items]
        wanted, allowed = self._allowed(types)
        results = [LinkResult(text, truncated=cut) for text, cut in cleaned]
        if not results or (allowed is not None and not len(allowed)):
            return results
        dictionaries = [self._dictionary(r.mention, wanted) for r in results]
        # Only mentions that still need vector candidates go through the model and the index, each
        # distinct text once: the answers are those of embedding and searching every mention.
        texts = list(dict.fromkeys(r.mention for r, d in zip(results, dictionaries, strict=True) if len(d) < k))
        hits: dict[str, tuple[list[float], list[int]]] = {}
        if texts:
            scores, rows = self.index.search(self.embedder.embed_queries(texts), 4 * k + 8, allowed)
            hits = dict(zip(texts, zip(scores.tolist(), rows.tolist(), strict=True), strict=True))
        for r, dictionary in zip(results, dictionaries, strict=True):
            srow, rrow = hits.get(r.mention, ([], []))
            vector = self._neighbours(srow, rrow, dictionary, k - len(dictionary))
            ranked = sorted(dictionary.values(), key=lambda c: (-c.score, c.id))
            ranked += sorted(vector.values(), key=lambda c: (-c.score, c.id))
            r.candidates = ranked[:k]
        return results
