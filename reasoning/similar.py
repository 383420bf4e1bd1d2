"""Similar cases: embed a case's phenotypes and search a library of cases.

A case is embedded as the weighted sum of the text embeddings of its
phenotypes (the bundle's ``text`` index: label, synonyms and definition of
each HPO term), present terms added and excluded terms subtracted at half
weight, each weighted by its inverse document frequency in the library (a
term most cases have says little), then normalised to unit length. The
library's case vectors are searched in a FAISS index by cosine similarity.
Each hit carries its evidence: the phenotypes both cases have, and the
conflicts (present in one, excluded in the other).

Usage::

    lib = CaseLibrary.from_folder("phenopackets/", kg="KG")
    for hit in lib.search(load_phenopacket("p.json"), k=10):
        hit.id, hit.score, hit.shared, hit.diagnoses

Example:
    >>> import numpy as np
    >>> vecs = {"HP:1": np.array([1.0, 0.0], dtype=np.float32), "HP:2": np.array([0.0, 1.0], dtype=np.float32)}
    >>> a = Case(id="a", present=["HP:1"]); b = Case(id="b", present=["HP:2"], diagnoses=["OMIM:1"])
    >>> lib = CaseLibrary([a, b], vecs, {"HP:1": "one", "HP:2": "two"})
    >>> [(h.id, round(h.score, 2), h.shared) for h in lib.search(Case(id="q", present=["HP:2"]), k=1)]
    [('b', 1.0, ['HP:2'])]
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.bundle import Bundle
from kg.embeddings.index import new_index
from kg.embeddings.nodes import bundle_of, node_text, read_nodes, texts_fingerprint
from kg.embeddings.stored import load_stored_index
from kg.errors import MedKGError
from reasoning.cases import Case, iter_phenopackets, load_phenopacket
from reasoning.errors import CaseError

if TYPE_CHECKING:
    import numpy as np

EXCLUDED_WEIGHT = 0.5
"""Weight of an excluded phenotype (subtracted) relative to a present one."""


@dataclass(slots=True)
class SimilarCase:
    """One case of the library similar to the query case.

    Attributes:
        id: the library case's id.
        score: cosine similarity of the two case vectors.
        diagnoses: the library case's diagnoses.
        shared: phenotypes present in both cases (the evidence).
        conflicts: phenotypes present in one case and excluded in the other.
        labels: names of the phenotypes above.
    """

    id: str
    score: float
    diagnoses: list[str]
    shared: list[str]
    conflicts: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {"id": self.id, "score": round(self.score, 4), "diagnoses": self.diagnoses,
                "shared": [{"id": t, "label": self.labels.get(t)} for t in self.shared],
                "conflicts": [{"id": t, "label": self.labels.get(t)} for t in self.conflicts]}


def phenotype_vectors(kg: str | Path | Bundle) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Text vectors and labels of a bundle's phenotype nodes (from its ``text`` index).

    Raises:
        EmbeddingError: the bundle has no embeddings (run ``medkg embed``).
        IndexMismatchError: the stored index does not match the graph.
    """
    import numpy as np

    bundle = bundle_of(kg)
    nodes = read_nodes(bundle)
    stored = load_stored_index(
        bundle, "text", graph_fingerprint=texts_fingerprint([n.id for n in nodes], [node_text(n) for n in nodes])
    )
    rows = [i for i, n in enumerate(nodes) if n.type == "PhenotypicFeature"]
    vecs = stored.index.reconstruct(np.array(rows, dtype=np.int64))
    return ({nodes[i].id: vecs[j] for j, i in enumerate(rows)},
            {nodes[i].id: nodes[i].label or nodes[i].id for i in rows})


class CaseLibrary:
    """A searchable library of cases.

    Args:
        cases: the library (ids should be unique).
        vectors: a unit vector per phenotype CURIE.
        labels: a name per phenotype CURIE (for evidence).

    Raises:
        CaseError: an empty library, or no case with a phenotype in ``vectors``.
    """

    def __init__(self, cases: Sequence[Case], vectors: Mapping[str, np.ndarray],
                 labels: Mapping[str, str]) -> None:
        import numpy as np

        if not cases:
            raise CaseError("the case library is empty")
        self.cases = list(cases)
        self.vectors = vectors
        self.labels = dict(labels)
        self.unknown = Counter(t for c in self.cases for t in (*c.present, *c.excluded) if t not in vectors)
        df = Counter(t for c in self.cases for t in {*c.present, *c.excluded} if t in vectors)
        n = len(self.cases)
        self.idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
        self._default_idf = math.log(1 + n) + 1.0
        self.dimension = len(next(iter(vectors.values()))) if vectors else 0
        mat = np.vstack([self.embed(c) for c in self.cases])
        if not np.any(mat):
            raise CaseError("no case of the library has a phenotype the graph knows")
        self.index = new_index("flat", self.dimension)
        self.index.add(mat)

    @classmethod
    def from_folder(cls, folder: str | Path, *, kg: str | Path | Bundle) -> CaseLibrary:
        """A library from every phenopacket JSON under ``folder``, embedded with a bundle's vectors.

        Raises:
            CaseError: an empty folder, or a malformed phenopacket (names the file).
        """
        files = iter_phenopackets(folder)
        if not files:
            raise CaseError(f"no phenopacket (*.json) under {folder}")
        vectors, labels = phenotype_vectors(kg)
        return cls([load_phenopacket(p) for p in files], vectors, labels)

    def embed(self, case: Case) -> np.ndarray:
        """The unit vector of a case (zeros if none of its phenotypes is known)."""
        import numpy as np

        v = np.zeros(self.dimension, dtype=np.float32)
        for terms, sign in ((case.present, 1.0), (case.excluded, -EXCLUDED_WEIGHT)):
            for t in terms:
                if t in self.vectors:
                    v += sign * self.idf.get(t, self._default_idf) * self.vectors[t]
        norm = float(np.linalg.norm(v))
        return v / norm if norm > 0 else v

    def search(self, case: Case, k: int = 10, *, exclude_self: bool = True) -> list[SimilarCase]:
        """The ``k`` most similar library cases, best first.

        Args:
            case: the query.
            k: how many.
            exclude_self: skip library cases with the query's id.

        Raises:
            CaseError: none of the query's phenotypes is in the graph, or k < 1.
        """
        if k < 1:
            raise CaseError(f"k must be at least 1, got {k}")
        q = self.embed(case)
        if not q.any():
            raise CaseError(f"case {case.id}: none of its phenotypes is in the graph")
        scores, rows = self.index.search(q[None, :], k + 1 if exclude_self else k)
        hits: list[SimilarCase] = []
        present, excluded = set(case.present), set(case.excluded)
        for score, row in zip(scores[0].tolist(), rows[0].tolist(), strict=True):
            if row < 0:
                continue
            other = self.cases[row]
            if exclude_self and case.id is not None and other.id == case.id:
                continue
            shared = [t for t in other.present if t in present]
            conflicts = [t for t in other.present if t in excluded] + [t for t in other.excluded if t in present]
            hits.append(SimilarCase(other.id or f"#{row}", float(score), list(other.diagnoses), shared, conflicts,
                                    {t: self.labels.get(t, t) for t in (*shared, *conflicts)}))
        return hits[:k]

    def leave_one_out(self, k: int = 5) -> float:
        """Fraction of diagnosed cases whose ``k`` nearest other cases include one with a shared diagnosis."""
        hits = total = 0
        for case in self.cases:
            if not case.diagnoses or not self.embed(case).any():
                continue
            total += 1
            diag = set(case.diagnoses)
            try:
                found = self.search(case, k)
            except MedKGError:
                continue
            hits += any(diag & set(h.diagnoses) for h in found)
        return hits / total if total else 0.0
