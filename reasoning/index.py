"""The diagnosis index: the graph's phenotype annotations in memory, ready to score.

Built once from a bundle, or from any graph store (LadybugDB, Neo4j, Oxigraph: see
:mod:`reasoning.store_reads`), and reused for every case:
the phenotype ontology, every disease with phenotype annotations, and sparse
disease × term matrices:

* ``implied`` — the highest frequency among the disease's annotations at or below a term;
* ``typical_*`` — each typical annotation (frequency at least ``typical_frequency``): its disease,
  term and ``log(1 - r·f)``, and per term the typical annotations at or below it (for "typical
  features the case lacks");
* ``as_ancestor`` — ``max(f, partial · implied) / background``, ``f`` the frequency of an
  annotation with the term itself: what a term offers a case feature below it;
* ``negated`` — NOT annotations; ``absent`` — those and the annotations seen in none of the
  disease's patients (``0/n``, or the frequency *Excluded*), which support no present feature
  (they are left out of every other matrix) and agree with a case that excludes their term;
* ``background`` — per term, the mean implied frequency over all diseases (P(term | other disease));
  ``ic`` its information content ``-ln background``;
* ``sim_*`` — for the phenotype-set similarity (best-match average of Resnik similarity, see
  :mod:`reasoning.scoring`): ``sim_implied``, the IC of each term a disease is annotated at or
  below; each disease's distinct annotated terms and their ancestors.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np

from kg.bundle import Bundle
from kg.curie import prefix_of
from kg.drug_forms import base_name
from kg.errors import QueryError
from kg.stores import open_store
from kg.stores.base import GraphStore
from reasoning.drug_classes import DrugClassRef, class_refs
from reasoning.errors import DiagnosisError
from reasoning.identity import IdentityGroups
from reasoning.ontology import PhenotypeOntology
from reasoning.params import ScoringParams
from reasoning.sparse import SparseColumns
from reasoning.store_reads import provenance
from reasoning.store_reads import read as _read
from reasoning.text_mined import TextMined


_COUNT = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True, slots=True)
class Annotation:
    """One disease → phenotype statement as the graph states it.

    ``stated_for`` is the record whose statement it is when that is another record of the same
    disease (a NOT annotation shared with a twin, see :meth:`DiagnosisIndex._share_negations`);
    None when it is the disease's own.
    """

    term: int
    frequency: float | None
    frequency_label: str | None
    negated: bool
    onset: str | None
    source: str
    source_version: str | None
    reference: str | None
    stated_for: str | None = None

    def __reduce__(self) -> tuple[type[Annotation], tuple[Any, ...]]:
        # pickled as its fields (the index cache): twice as fast to load as a frozen slotted
        # dataclass's default state, which looks its fields up again for each of ~250,000
        return (Annotation, (self.term, self.frequency, self.frequency_label, self.negated, self.onset,
                             self.source, self.source_version, self.reference, self.stated_for))


def _annotation_order(a: Annotation) -> tuple[Any, ...]:
    return (a.term, a.negated, a.source, a.source_version or "", a.reference or "", a.frequency_label or "",
            -1.0 if a.frequency is None else a.frequency, a.onset or "")


def _row_order(row: tuple[Any, ...]) -> tuple[tuple[bool, str], ...]:
    """A sort key for rows that may hold ``None``."""
    return tuple((v is None, "" if v is None else str(v)) for v in row)


def _items_below(ancestors: np.ndarray, lengths: np.ndarray, n_terms: int) -> tuple[np.ndarray, np.ndarray]:
    """Per term, the items at or below it, from each item's term's ancestors (concatenated,
    ``lengths[i]`` of them for item ``i``): ``items[start[t]:start[t + 1]]``, in item order.

    Example:
        >>> items, start = _items_below(np.array([0, 1, 0, 2]), np.array([2, 2]), 3)
        >>> [items[start[t]:start[t + 1]].tolist() for t in range(3)]
        [[0, 1], [0], [1]]
    """
    order = np.argsort(ancestors, kind="stable")
    items = np.repeat(np.arange(len(lengths)), lengths)[order]
    return items, np.searchsorted(ancestors[order], np.arange(n_terms + 1))


def _read_added(store: GraphStore, query: str, tables: tuple[str, ...], fmt: int,
                **params: Any) -> list[tuple[Any, ...]]:
    """A read of node or relationship ``tables`` that bundle format ``fmt`` added.

    Raises:
        DiagnosisError: a LadybugDB graph without one of ``tables`` (written before that format):
            rebuild it.
    """
    try:
        return _read(store, query, **params)
    except QueryError as e:
        if store.engine == "ladybug" and any(f"{t} does not exist" in str(e) for t in tables):
            raise DiagnosisError(f"the graph at {store.selector} has no {tables[0]} table: it was built by an "
                                 f"older medkg (bundle format {fmt - 1} or less); rebuild it with 'medkg build'") from e
        raise


def _obsolete_terms(store: GraphStore, prefix: str) -> list[tuple[Any, ...]]:
    """The graph's obsolete terms ``(id, label, consider ids)`` whose ids start with ``prefix``
    (the ``ObsoleteTerm`` table came with bundle format 3)."""
    return _read_added(store, "obsolete_terms", ("ObsoleteTerm",), 3, prefix=prefix)


def _drug_classes(store: GraphStore) -> list[tuple[Any, ...]]:
    """The graph's drug → class memberships (the ``drug_classes`` read; ``DrugClass`` and
    ``IN_CLASS`` came with bundle format 4)."""
    return _read_added(store, "drug_classes", ("DrugClass", "IN_CLASS"), 4)


LABEL_MATCHED = (("OMIM", "ORPHA"), ("DECIPHER", "ORPHA"), ("DECIPHER", "OMIM"))
"""Vocabularies whose diseases are joined when their names are equal and unique in each (after
the cross-references; a DECIPHER syndrome joins its Orphanet twin, or else its OMIM one)."""


class DiagnosisIndex:
    """Everything the ranker needs, in memory.

    Attributes:
        ontology: the phenotype ontology (with the obsolete HPO terms the graph keeps, which are
            no terms of it: never candidates, never scored).
        disease_ids: the scored diseases (every disease with a phenotype annotation).
        disease_labels: disease id → label (every disease in the graph).
        disease_alt_ids: an alternative (merged) disease id → the disease that took it over (DO's
            ``alt_id``), where one disease lists it.
        obsolete_diseases: obsolete disease ids the graph keeps (``ObsoleteTerm`` nodes of the
            Disease Ontology) → ``(name, ids to consider)``.
        annotations: per scored disease, its phenotype statements.
        identity: identity groups from unambiguous cross-references.
        group_ids: per scored disease, an integer id of its identity group.
        xrefs: every disease cross-reference ``(subject, object, source, version)``.
        xref_neighbours: disease id → ``(other id, "xref" or "xref⁻¹")`` one cross-reference away.
        drug_labels: drug id → label (every drug in the graph).
        drug_rows: drug → disease statements ``(drug, label, predicate, disease, source, version,
            evidence)`` (for treatments).
        drugs_by_disease: the same rows, by disease.
        adverse_by_drug: drug → its adverse effects ``(phenotype, frequency, source, version)``.
        drug_classes: drug → its classes (:class:`reasoning.drug_classes.DrugClassRef`, in id order);
            empty when the graph has no class memberships.
        class_members: class id → its drugs, sorted.
        text_mined: the text-mined sources and their statements' documents (from a store
            alone: the sources its ``Source`` nodes mark as text-mined, without documents).
        info: the HPO release and source versions (the bundle's manifest, or the store's
            ``Source`` nodes; see :func:`reasoning.store_reads.provenance`).
        warnings: what the graph could not tell (e.g. a store without ``Source`` nodes); also
            ``info["warnings"]`` when there are any.
        params: the scoring parameters the matrices were built with.
        cache_status: how a bundle's index was loaded (see :meth:`from_bundle`); ``off`` when
            it was built without the cache.

    Args:
        store: any open graph store (the index reads it while it is made; the caller closes it).
        params: the scoring parameters.
        info: the graph's provenance; read from the store when not given.
        text_mined: the text-mined sources; read from the store when not given.
    """

    def __init__(
        self, store: GraphStore, params: ScoringParams | None = None, info: dict[str, Any] | None = None,
        text_mined: TextMined | None = None,
    ) -> None:
        self.params = params or ScoringParams()
        self.cache_status = "off"
        self.warnings: list[str] = []
        if info is None or text_mined is None:
            found, mined, self.warnings = provenance(store)
            info = found if info is None else info
            text_mined = mined if text_mined is None else text_mined
        self.info = dict(info)
        if self.warnings:
            self.info["warnings"] = list(self.warnings)
        self.text_mined = text_mined
        self.ontology = PhenotypeOntology.from_rows(
            _read(store, "phenotype_terms", prefix="HP:"), _read(store, "phenotype_parents", prefix="HP:"),
            _obsolete_terms(store, "HP:"),
        )
        if self.info.get("hpo_release") and not self.ontology.obsolete:
            self.warnings.append(f"the graph at {store.selector} keeps no obsolete HPO terms (built or pushed by "
                                 "an older medkg): an obsolete HPO id is reported as not in the release")
            self.info["warnings"] = list(self.warnings)
        disease_rows = _read(store, "diseases")
        self.disease_labels: dict[str, str] = {r[0]: r[1] or r[0] for r in disease_rows}
        owners: dict[str, set[str]] = defaultdict(set)
        for d, _label, _synonyms, alt_ids in disease_rows:
            for alt in alt_ids or ():
                owners[alt].add(d)
        self.disease_alt_ids: dict[str, str] = {
            alt: next(iter(ds)) for alt, ds in owners.items() if len(ds) == 1 and alt not in self.disease_labels}
        self.obsolete_diseases: dict[str, tuple[str | None, list[str]]] = {
            r[0]: (r[1], list(r[2] or ())) for r in _obsolete_terms(store, "") if not str(r[0]).startswith("HP:")}
        # rows in a fixed order (a store's row order is not): the same groups and lists on every store
        self.xrefs = sorted((tuple(r) for r in _read(store, "disease_xrefs")), key=_row_order)
        self.identity = IdentityGroups.from_xrefs((s, o, src) for s, o, src, _ in self.xrefs)
        for pair in LABEL_MATCHED:
            self.identity.add_label_matches(self.disease_labels, pair)
        self.xref_neighbours: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for s, o, _src, _ver in self.xrefs:
            self.xref_neighbours[o].append((s, "xref"))
            self.xref_neighbours[s].append((o, "xref⁻¹"))
        drug_rows = sorted(_read(store, "drugs"), key=lambda r: r[0])
        self.drug_labels: dict[str, str] = {r[0]: r[1] or r[0] for r in drug_rows}
        self._drug_names: dict[str, list[str]] = defaultdict(list)
        for drug, label in self.drug_labels.items():
            self._drug_names[" ".join(label.split()).casefold()].append(drug)
        self._drug_synonyms: dict[str, list[str]] = defaultdict(list)
        for drug, _label, synonyms in drug_rows:
            for name in {" ".join(s.split()).casefold() for s in synonyms or ()}:
                self._drug_synonyms[name].append(drug)
        self.drug_rows = sorted((tuple(r) for r in _read(store, "disease_drugs")), key=_row_order)
        self.drugs_by_disease: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for row in self.drug_rows:
            self.drugs_by_disease[row[3]].append(row)
        self.adverse_by_drug: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for drug, *rest in sorted(_read(store, "adverse_effects"), key=_row_order):
            self.adverse_by_drug[drug].append(tuple(rest))
        self.drug_classes: dict[str, list[DrugClassRef]] = class_refs(_drug_classes(store))
        members: dict[str, list[str]] = defaultdict(list)
        for drug, refs in sorted(self.drug_classes.items()):
            for ref in refs:
                members[ref.id].append(drug)
        self.class_members: dict[str, list[str]] = dict(members)
        per_disease: dict[str, list[Annotation]] = defaultdict(list)
        index = self.ontology.index
        for d, p, freq, flabel, neg, onset, src, ver, ref in _read(
            store, "phenotype_annotations", prefix="HP:"
        ):
            if p in index:
                per_disease[d].append(Annotation(index[p], freq, flabel, bool(neg), onset, src, ver, ref))
        if not per_disease:
            raise DiagnosisError(
                f"the graph at {store.selector} has no disease → HPO phenotype annotations to rank with"
            )
        self._share_negations(per_disease)
        self.disease_ids = sorted(per_disease)
        self.disease_index = {d: i for i, d in enumerate(self.disease_ids)}
        # in a fixed order (the store's row order is not), so that ties are broken the same way every run
        self.annotations = [sorted(per_disease[d], key=_annotation_order) for d in self.disease_ids]
        groups: dict[str, int] = {}
        self.group_ids = np.array(
            [groups.setdefault(self.identity.key(d), len(groups)) for d in self.disease_ids], dtype=np.int64
        )
        self._build_matrices()

    def _share_negations(self, per_disease: dict[str, list[Annotation]]) -> None:
        """A NOT annotation on one record of a disease holds for its other records too.

        A disease is ranked by its best-scoring record (see :func:`reasoning.ranking.rank`), so an
        OMIM record's "NOT intellectual disability" must not be lost when its ORPHA twin scores
        higher. A record that annotates the term itself keeps its own statement. The shared copy
        names the record that states it (``stated_for``), so that the evidence cites that record's
        statement, not one the graph does not make.
        """
        for d, anns in list(per_disease.items()):
            for a in [a for a in anns if a.negated and a.stated_for is None]:
                for m in self.identity.members(d):
                    own = per_disease.get(m)
                    if m != d and own is not None and all(b.term != a.term for b in own):
                        own.append(replace(a, stated_for=d))

    @classmethod
    def from_bundle(cls, path: str | Path, params: ScoringParams | None = None, *,
                    cache_dir: str | Path | Literal[False] | None = None) -> DiagnosisIndex:
        """Load from a bundle's LadybugDB store (read-only), through the on-disk index cache
        (:mod:`reasoning.index_cache`).

        Args:
            path: the bundle.
            params: the scoring parameters.
            cache_dir: where built indexes are kept; ``None`` is ``~/.cache/medkg/index``
                (``$XDG_CACHE_HOME``), ``False`` builds the index every time.

        The result's ``cache_status`` says what happened: ``hit``, ``written``, ``off``, or
        ``not written: <reason>`` (an unwritable cache folder is reported, not fatal); a cache
        file that could not be used adds its reason (``written (stale)``).

        Raises:
            BundleError: no bundle at ``path``.
        """
        from kg.settings import default_cache_dir
        from reasoning import index_cache as cache

        params = params or ScoringParams()
        bundle = Bundle(path)
        manifest = bundle.manifest()
        file = fp = None
        missed: str | None = None
        if cache_dir is not False:
            fp = cache.fingerprint(bundle, params)
            file = cache.cache_file(cache_dir if cache_dir is not None else default_cache_dir() / "index", bundle)
            hit, missed = cache.read(file, fp)
            if hit is not None:
                hit.cache_status = "hit"
                hit.info["bundle"] = str(bundle.root)  # as this caller named it
                return hit
        info = {
            "bundle": str(bundle.root),
            "hpo_release": manifest.get("hpo_release"),
            "built": manifest.get("built_at") or manifest.get("built"),
            "sources": {s["name"]: s.get("version") for s in manifest.get("sources", [])},
            "text_sources": bundle.text_sources(),
        }
        store = open_store(bundle.selector("ladybug"))
        try:
            ix = cls(store, params, info, TextMined.from_bundle(bundle))
        finally:
            store.close()
        if file is None or fp is None:
            return ix
        try:
            cache.write(file, fp, ix)
            ix.cache_status = "written" + (f" ({missed})" if missed else "")
        except OSError as e:
            ix.cache_status = f"not written: {e}"
        return ix

    @classmethod
    def from_store(cls, store: str | GraphStore, params: ScoringParams | None = None,
                   **options: Any) -> DiagnosisIndex:
        """Load from a graph store, its provenance from the store itself.

        Args:
            store: a selector (``neo4j://HOST:PORT``, ``ladybug:PATH``, ``oxigraph:PATH``), opened
                read-only and closed again, or an open store (left open).
            params: the scoring parameters.
            **options: options of :func:`kg.stores.open_store` for a selector (``user``,
                ``password`` for Neo4j; by default ``$NEO4J_USER`` and ``$NEO4J_PASSWORD``).

        Raises:
            UnknownStoreError: no adapter for the selector.
            StoreConnectionError: the store cannot be opened or reached.
            DiagnosisError: the graph has no phenotype annotations.
        """
        if not isinstance(store, str):
            return cls(store, params)
        with open_store(store, **options) as opened:
            return cls(opened, params)

    def drugs_named(self, name: str) -> list[str]:
        """The drugs whose label is ``name`` (ignoring case and spaces), else those with ``name``
        among their synonyms (``levodopa`` for *L-DOPA*), sorted; else, for a salt or ester form
        (``sodium valproate``, ``morphine sulfate``), those its base names
        (:func:`kg.drug_forms.base_name`: ``valproate``, ``morphine``)."""
        found = self.drugs_named_exactly(name)
        if not found and (base := base_name(name)) is not None:
            found = self.drugs_named_exactly(base)
        return found

    def drugs_named_exactly(self, name: str) -> list[str]:
        """The drugs whose label is ``name`` (ignoring case and spaces), else those with ``name``
        among their synonyms, sorted (no salt or ester form: see :meth:`drugs_named`)."""
        key = " ".join(name.split()).casefold()
        return list(self._drug_names.get(key) or self._drug_synonyms.get(key, ()))

    def effective_frequency(self, a: Annotation) -> float:
        """The frequency the model uses for an annotation (see :class:`ScoringParams`)."""
        p = self.params
        if a.frequency is None:
            return p.default_frequency
        m = _COUNT.match(a.frequency_label or "")
        if m and p.count_prior > 0:
            n, total = int(m.group(1)), int(m.group(2))
            return max((n + p.count_prior) / (total + 2 * p.count_prior), p.min_frequency)
        return max(a.frequency, p.min_frequency)

    def _build_matrices(self) -> None:
        p = self.params
        anc = self.ontology.ancestors
        n_terms = len(self.ontology.ids)
        n = len(self.disease_ids)
        # every annotation, numbered: matrices carry these numbers as payload (the evidence)
        self.flat = [a for anns in self.annotations for a in anns]
        sizes = [len(a) for a in self.annotations]
        self.flat_disease = np.repeat(np.arange(n), sizes)
        self.flat_start = np.r_[0, np.cumsum(sizes)]
        self.flat_freq = np.array([self.effective_frequency(a) for a in self.flat])
        terms = np.array([a.term for a in self.flat], dtype=np.int64)
        neg = np.array([a.negated for a in self.flat], dtype=bool)
        # seen in none of the disease's patients (0/n, or the frequency "Excluded"): no support for
        # the term; like a NOT annotation, it agrees with a case that excludes the term
        zero = np.array([a.frequency == 0 for a in self.flat], dtype=bool) & ~neg
        ids = np.flatnonzero(~neg & ~zero)
        rows, cols, freqs = self.flat_disease[ids], terms[ids], self.flat_freq[ids]
        # expand every annotation to the term's ancestors
        lengths = np.array([len(anc[c]) for c in cols])
        up_cols = np.concatenate([anc[c] for c in cols]) if len(cols) else np.zeros(0, np.int32)
        up_rows = np.repeat(rows, lengths)
        up_f = np.repeat(freqs, lengths)
        up_ids = np.repeat(ids, lengths)
        self.implied = SparseColumns.from_triples(up_rows, up_cols, up_f, n_cols=n_terms, reduce="max",
                                                  payload=up_ids)
        self.background = (self.implied.column_sums(n) + 0.5) / (n + 1)
        self.ic = -np.log(self.background)
        self.sim_implied = SparseColumns.from_triples(up_rows, up_cols, self.ic[up_cols], n_cols=n_terms, reduce="max")
        self._build_similarity(rows, cols)
        miss = np.where(freqs >= p.typical_frequency, np.log1p(-p.missing_report_rate * freqs), 0.0)
        typical = np.flatnonzero(miss < 0)
        self.typical_disease, self.typical_term, self.typical_log = rows[typical], cols[typical], miss[typical]
        self.typical_flat = ids[typical]  # the annotation's number (into self.flat), for the evidence
        self.typical_below, self.typical_below_start = _items_below(
            up_cols[np.repeat(miss < 0, lengths)], lengths[typical], n_terms)  # the typical annotations' ancestors
        # as a strict ancestor of a case feature, term c offers max(direct, partial * implied) / bg(c)
        anc_vals = np.concatenate([up_f * p.partial_credit, freqs])
        anc_cols = np.concatenate([up_cols, cols])
        self.as_ancestor = SparseColumns.from_triples(
            np.concatenate([up_rows, rows]), anc_cols, anc_vals / self.background[anc_cols],
            n_cols=n_terms, reduce="max", payload=np.concatenate([up_ids, ids]))
        self.as_ancestor_dense = self.as_ancestor.dense_columns(n, 0.1)
        nids = np.flatnonzero(neg)
        self.negated = SparseColumns.from_triples(
            self.flat_disease[nids], terms[nids], np.ones(len(nids)), n_cols=n_terms, reduce="max", payload=nids
        )
        aids = np.flatnonzero(neg | zero)
        self.absent = SparseColumns.from_triples(
            self.flat_disease[aids], terms[aids], np.ones(len(aids)), n_cols=n_terms, reduce="max", payload=aids
        )

    def _build_similarity(self, rows: np.ndarray, cols: np.ndarray) -> None:
        """Distinct (disease, annotated term) pairs and each annotated term's ancestors, flat."""
        n_terms = len(self.ontology.ids)
        pairs = np.unique(rows.astype(np.int64) * n_terms + cols)
        pair_d, pair_t = pairs // n_terms, pairs % n_terms
        self.sim_terms, self.sim_pair_term = np.unique(pair_t, return_inverse=True)
        self.sim_pair_disease = pair_d
        counts = np.bincount(pair_d, minlength=len(self.disease_ids))
        self.sim_count = np.maximum(counts, 1)
        anc = [self.ontology.ancestors[t] for t in self.sim_terms]
        lengths = np.array([len(a) for a in anc], dtype=np.int64)
        self.sim_anc = np.concatenate(anc) if anc else np.zeros(0, np.int64)
        self.sim_anc_start = np.r_[0, np.cumsum(lengths)[:-1]].astype(np.int64)
        self.sim_anc_ic = self.ic[self.sim_anc]
        # columns that most diseases reach, as dense IC-or-0 vectors (a vector op beats a scatter)
        self.sim_dense = self.sim_implied.dense_columns(len(self.disease_ids), 0.05)
        # GraphIC: the IC of each annotated term's ancestor set; for every term with some IC, the
        # annotated terms below it (positions in sim_terms); the pairs' runs per disease
        self.gic_size = np.add.reduceat(self.sim_anc_ic, self.sim_anc_start) if len(anc) else np.zeros(0)
        self.gic_below, self.gic_below_start = _items_below(self.sim_anc, lengths, n_terms)
        self.gic_has = counts > 0
        self.gic_starts = np.r_[0, np.cumsum(counts)[:-1]][self.gic_has]

    def ancestors_by_ic(self, term: int) -> np.ndarray:
        """A term's ancestors (itself included), most informative first, cached."""
        cache: dict[int, np.ndarray] = self.__dict__.setdefault("_anc_by_ic", {})
        found = cache.get(term)
        if found is None:
            a = self.ontology.ancestors[term]
            found = cache[term] = a[np.argsort(-self.ic[a], kind="stable")]
        return found

    def ancestor_set(self, term: int) -> frozenset[int]:
        """A term's ancestors (itself included) as a set, cached."""
        cache: dict[int, frozenset[int]] = self.__dict__.setdefault("_anc_sets", {})
        found = cache.get(term)
        if found is None:
            found = cache[term] = frozenset(self.ontology.ancestors[term].tolist())
        return found

    def namespace_members(self, namespace: str) -> np.ndarray:
        """Scored diseases whose identity group has an id of ``namespace`` (e.g. ``OMIM``), cached.

        The group's id of that vocabulary need not be annotated itself: an ORPHA record stands for
        the OMIM disease it is the same as.
        """
        ns = namespace.upper()
        cache: dict[str, np.ndarray] = self.__dict__.setdefault("_ns_members", {})
        found = cache.get(ns)
        if found is None:
            found = cache[ns] = np.array(
                [i for i, d in enumerate(self.disease_ids)
                 if any(prefix_of(m) == ns for m in self.identity.members(d))], dtype=np.int64)
        return found

    def vocabularies(self) -> frozenset[str]:
        """The vocabularies (id prefixes) of the scored diseases, cached."""
        found: frozenset[str] | None = self.__dict__.get("_vocabularies")
        if found is None:
            found = self.__dict__["_vocabularies"] = frozenset(prefix_of(d) for d in self.disease_ids)
        return found

    @property
    def size(self) -> int:
        """How many diseases are scored."""
        return len(self.disease_ids)
