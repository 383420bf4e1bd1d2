"""Similar cases: embed a case's phenotypes and search a library of cases.

A case vector has two unit-length parts, weighted so that the cosine of two
cases is ``0.85 * exact + 0.15 * semantic``:

* exact: one coordinate per phenotype of the library (TF-IDF): cases
  that name the same terms are close;
* semantic: the sum of the text embeddings of its phenotypes (the vectors of
  the bundle's ``text`` index: label, synonyms and definition of each HPO
  term, embedded on demand through the embedding cache, so only the terms the
  cases use are needed): cases naming related but different terms are close,
  and a query's terms that no library case has still count.

Present terms are added and excluded terms subtracted at half weight, each
weighted by its inverse document frequency in the library (a term most cases
have says little). The library's case vectors are searched in a FAISS index
by cosine similarity.
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
    >>> lookup = lambda terms: {t: vecs[t] for t in terms if t in vecs}
    >>> lib = CaseLibrary([a, b], lookup, {"HP:1": "one", "HP:2": "two"})
    >>> [(h.id, round(h.score, 2), h.shared) for h in lib.search(Case(id="q", present=["HP:2"]), k=1)]
    [('b', 1.0, ['HP:2'])]
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.bundle import Bundle
from kg.curie import prefix_of
from kg.embeddings.build import embed_cached
from kg.embeddings.cache import EmbeddingCache
from kg.embeddings.embedder import Embedder, embedder_for
from kg.embeddings.index import new_index
from kg.embeddings.nodes import NodeRecord, bundle_of, node_text, read_nodes
from kg.errors import MedKGError
from kg.settings import Settings
from kg.stores import open_store
from reasoning.cases import Case, iter_phenopackets, load_phenopacket
from reasoning.errors import CaseError, UnknownTermError
from reasoning.obsolete import ObsoleteTerm, not_in_graph, obsolete_reason
from reasoning.store_reads import read

if TYPE_CHECKING:
    import numpy as np

EXCLUDED_WEIGHT = 0.5
"""Weight of an excluded phenotype (subtracted) relative to a present one."""

EXACT_WEIGHT = 0.85
"""Share of the exact-term part in the cosine of two cases (the rest is semantic).

Leave-one-out on the development phenopackets: 0.0 (semantic only) 90.1%,
0.5 94.3%, 0.85 95.1%, 1.0 95.1% (see ``scripts/bench/linking.py``)."""


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


class PhenotypeVectors:
    """Text vectors of a bundle's phenotype nodes, embedded on demand (cached).

    The vector of a term is that of its row in the bundle's ``text`` index
    (same text, same model); terms are embedded only when first asked for.
    """

    def __init__(self, nodes: Sequence[NodeRecord], embedder: Embedder, cache: EmbeddingCache | None,
                 obsolete: Mapping[str, ObsoleteTerm] | None = None, hpo_release: str | None = None,
                 replaced: Mapping[str, str] | None = None) -> None:
        self.nodes = {n.id: n for n in nodes if n.type == "PhenotypicFeature"}
        self.labels = {i: n.label or i for i, n in self.nodes.items()}
        self.obsolete = dict(obsolete or {})
        self.replaced = dict(replaced or {})
        self.hpo_release = hpo_release
        self.embedder = embedder
        self.cache = cache
        self._vectors: dict[str, np.ndarray] = {}

    @classmethod
    def from_bundle(cls, kg: str | Path | Bundle, *, settings: Settings | None = None,
                    embedder: Embedder | None = None) -> PhenotypeVectors:
        """Phenotype vectors of a bundle with the settings' model and cache (and the bundle's
        obsolete HPO terms and release, to say why an id has no vector)."""
        s = settings or Settings()
        emb = embedder or embedder_for(s)
        bundle = bundle_of(kg)
        nodes = read_nodes(bundle)
        with open_store(bundle.selector("ladybug")) as st:
            obsolete = {i: ObsoleteTerm(label, tuple(consider)) for i, label, consider in
                        read(st, "obsolete_terms", prefix="HP:")}
        replaced = {alt: n.id for n in nodes if n.type == "PhenotypicFeature" and n.id.startswith("HP:")
                    for alt in n.alt_ids}
        return cls(nodes, emb, EmbeddingCache(s.embed_cache_dir, emb.fingerprint), obsolete,
                   bundle.manifest().get("hpo_release"), replaced)

    def __call__(self, terms: Iterable[str]) -> dict[str, np.ndarray]:
        """Vectors of those ``terms`` that are phenotype nodes of the graph."""
        known = [t for t in dict.fromkeys(terms) if t in self.nodes]
        todo = [t for t in known if t not in self._vectors]
        if todo:
            vecs, _ = embed_cached([node_text(self.nodes[t]) for t in todo], self.embedder, self.cache)
            self._vectors.update(zip(todo, vecs, strict=True))
        return {t: self._vectors[t] for t in known}


class CaseLibrary:
    """A searchable library of cases.

    Args:
        cases: the library (ids should be unique).
        vectors: ``vectors(terms) -> {term: unit vector}`` for the terms the graph knows.
        labels: a name per phenotype CURIE (for evidence).

    Raises:
        CaseError: an empty library, or no case with a phenotype in ``vectors``.
    """

    def __init__(self, cases: Sequence[Case], vectors: Callable[[Iterable[str]], Mapping[str, np.ndarray]],
                 labels: Mapping[str, str]) -> None:
        import numpy as np

        if not cases:
            raise CaseError("the case library is empty")
        self.cases = list(cases)
        self.skipped: list[str] = []
        """Library files left out (``from_folder(lenient=True)``), each with why."""
        self.obsolete: dict[str, ObsoleteTerm] = {}
        """The graph's obsolete HPO terms (set by :meth:`from_folder`), to say why they have no vector."""
        self.hpo_release: str | None = None
        """The graph's HPO release (set by :meth:`from_folder`)."""
        self.replaced: dict[str, str] = {}
        """Obsolete or alternative id → its current term (set by :meth:`from_folder`)."""
        self.lookup = vectors
        self.labels = dict(labels)
        self.vectors = dict(vectors(t for c in self.cases for t in (*c.present, *c.excluded)))
        if not self.vectors:
            raise CaseError("no case of the library has a phenotype the graph knows")
        self.unknown = Counter(t for c in self.cases for t in (*c.present, *c.excluded) if t not in self.vectors)
        df = Counter(t for c in self.cases for t in {*c.present, *c.excluded})
        n = len(self.cases)
        self.idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
        self._default_idf = math.log(1 + n) + 1.0
        self.vocabulary = {t: i for i, t in enumerate(sorted(df))}
        self.semantic_dimension = len(next(iter(self.vectors.values())))
        mat = np.vstack([self.embed(c) for c in self.cases])
        self.index = new_index("flat", mat.shape[1])
        self.index.add(mat)

    @classmethod
    def from_folder(cls, folder: str | Path, *, kg: str | Path | Bundle, settings: Settings | None = None,
                    embedder: Embedder | None = None, lenient: bool = False) -> CaseLibrary:
        """A library from every phenopacket JSON under ``folder``, embedded with a bundle's vectors.

        Args:
            folder: the library's folder (searched recursively).
            kg: the bundle whose phenotype vectors embed the cases.
            settings: where the embedder and its cache are.
            embedder: an embedder to use instead of the settings'.
            lenient: skip feature ids that are not CURIEs with a known prefix, with a warning
                in that case's ``warnings`` (see :func:`reasoning.cases.load_phenopacket`), and
                files that cannot be read as a phenopacket, listed in the library's ``skipped``.

        Raises:
            CaseError: an empty folder, or (not ``lenient``) a malformed phenopacket (names the file).
        """
        files = iter_phenopackets(folder)
        if not files:
            raise CaseError(f"no phenopacket (*.json) under {folder}")
        cases, skipped = [], []
        for path in files:
            try:
                cases.append(load_phenopacket(path, lenient=lenient))
            except CaseError as e:
                if not lenient:
                    raise
                skipped.append(str(e))
        vectors = PhenotypeVectors.from_bundle(kg, settings=settings, embedder=embedder)
        lib = cls(cases, vectors, vectors.labels)
        lib.skipped = skipped
        lib.obsolete, lib.hpo_release, lib.replaced = vectors.obsolete, vectors.hpo_release, vectors.replaced
        return lib

    def _weighted(self, case: Case) -> list[tuple[str, float]]:
        return [(t, sign * self.idf.get(t, self._default_idf))
                for terms, sign in ((case.present, 1.0), (case.excluded, -EXCLUDED_WEIGHT)) for t in terms]

    def embed(self, case: Case) -> np.ndarray:
        """The vector of a case (exact and semantic parts; zeros if no phenotype is known)."""
        import numpy as np

        missing = [t for t in (*case.present, *case.excluded) if t not in self.vectors]
        if missing:
            self.vectors.update(self.lookup(missing))
        exact = np.zeros(len(self.vocabulary), dtype=np.float32)
        semantic = np.zeros(self.semantic_dimension, dtype=np.float32)
        for t, w in self._weighted(case):
            if t in self.vocabulary:
                exact[self.vocabulary[t]] += w
            if t in self.vectors:
                semantic += w * self.vectors[t]
        parts = []
        for part, share in ((exact, EXACT_WEIGHT), (semantic, 1.0 - EXACT_WEIGHT)):
            norm = float(np.linalg.norm(part))
            parts.append(part * (math.sqrt(share) / norm) if norm > 0 else part)
        return np.concatenate(parts)

    def unknown_terms(self, case: Case) -> list[str]:
        """The case's phenotype ids that the graph has no vector for (left out of its vector).

        Example:
            >>> from reasoning.cases import case_from_hpo
            >>> lib = CaseLibrary.__new__(CaseLibrary)
            >>> lib.vectors, lib.lookup = {"HP:0001166": None}, lambda ids: {}
            >>> lib.unknown_terms(case_from_hpo(["HP:0001166", "HP:9999999"]))
            ['HP:9999999']
        """
        missing = [t for t in dict.fromkeys((*case.present, *case.excluded)) if t not in self.vectors]
        if missing:
            self.vectors.update(self.lookup(missing))
        return [t for t in missing if t not in self.vectors]

    def unknown_error(self, case: Case) -> UnknownTermError | None:
        """The error naming the case's phenotype ids the graph has no vector for (None when it has
        one for each): an obsolete HPO term as HPO says it (its old name, the ids HPO suggests
        instead: never used in its place), an obsolete id with a replacement naming it, an HPO id
        the graph's release never had naming the release, where in the input each was read when
        the case knows."""
        unknown = self.unknown_terms(case)
        if not unknown:
            return None
        reasons = {t: obsolete_reason(self.obsolete[t], self.hpo_release, self.labels.get)
                   for t in unknown if t in self.obsolete}
        reasons.update({t: f"an obsolete or alternative id of {cur} ({self.labels.get(cur, cur)}), which medkg "
                           "similar does not put in its place: give that id" for t in unknown
                        if t not in reasons and (cur := self.replaced.get(t)) is not None})
        reasons.update({t: "not in the graph" for t in unknown if t not in reasons and prefix_of(t) != "HP"})
        return UnknownTermError(unknown, reasons, {t: case.origins[t] for t in unknown if t in case.origins},
                                not_in_graph(self.hpo_release))

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
            raise CaseError(f"case {case.id}: none of its phenotypes is in the graph or the library")
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
