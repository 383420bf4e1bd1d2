"""``diagnose``: a ranked differential diagnosis with evidence, for one case.

Example (the shipped fixture graph; ``kg`` may also be a loaded :class:`DiagnosisIndex`):
    >>> from reasoning import case_from_hpo, diagnose
    >>> d = diagnose(case_from_hpo(["HP:0001166", "HP:0001083"]), kg=FIXTURE_KG, top_k=3)
    >>> d.candidates[0].label, d.candidates[0].ids  # OMIM and ORPHA Marfan: one entry
    ('Marfan syndrome', ['DOID:14323', 'OMIM:154700', 'ORPHA:558'])
    >>> diagnose(case_from_hpo(["HP:0001166"]), kg=FIXTURE_KG, namespace="OMIM").candidates[0].id
    'OMIM:154700'
    >>> d.candidates[0].evidence[0].kind, d.candidates[0].evidence[0].source
    ('exact', 'fixture_hpo')
    >>> diagnose(case_from_hpo(["HP:0001166"]), kg=FIXTURE_KG, namespace="FOO")
    Traceback (most recent call last):
    ...
    kg.errors.ConfigError: unknown namespace 'FOO': give one of OMIM, ORPHA, DECIPHER
"""

from __future__ import annotations

import math
from functools import lru_cache
from numbers import Integral
from pathlib import Path
from typing import Literal

import numpy as np

from kg.bundle import Bundle
from kg.errors import ConfigError
from kg.llm import ChatModel
from kg.stores.base import GraphStore
from reasoning.cases import Case
from reasoning.evidence import explain_many
from reasoning.index import DiagnosisIndex
from reasoning.models import Candidate, Differential, IdentityLink
from reasoning.params import ScoringParams
from reasoning.ranking import NAMESPACES, primary_id, rank
from reasoning.resolve import resolve_case


@lru_cache(maxsize=2)
def _cached_index(path: str, stamp: float, params: ScoringParams,
                  cache_dir: str | Literal[False] | None) -> DiagnosisIndex:
    return DiagnosisIndex.from_bundle(path, params, cache_dir=cache_dir)


def _checked_params(params: object) -> None:
    """Refuse scoring parameters that are not a :class:`ScoringParams` (a dict of them, say).

    Raises:
        ConfigError: naming what was given and how to make one.
    """
    if params is not None and not isinstance(params, ScoringParams):
        raise ConfigError(f"params must be a reasoning.ScoringParams (e.g. ScoringParams(**{{...}})), "
                          f"got {type(params).__name__}")


def load_index(kg: str | Path | None = None, params: ScoringParams | None = None, *,
               store: str | GraphStore | None = None,
               cache_dir: str | Path | Literal[False] | None = None) -> DiagnosisIndex:
    """The diagnosis index of a bundle, loaded once per process (reloaded if the bundle changes)
    and kept on disk for the next process (:mod:`reasoning.index_cache`), or of a graph store
    (``store``; read every time: a database can change under the same name).

    Args:
        kg: a bundle folder.
        params: the scoring parameters.
        store: instead of ``kg``, a store selector (``neo4j://HOST:PORT``, ``ladybug:PATH``,
            ``oxigraph:PATH``; Neo4j credentials from ``$NEO4J_USER`` / ``$NEO4J_PASSWORD``) or an
            open store; see :meth:`DiagnosisIndex.from_store`.
        cache_dir: the on-disk index cache of a bundle: ``None`` is ``~/.cache/medkg/index``
            (``$XDG_CACHE_HOME``), ``False`` builds the index without it.

    Raises:
        ConfigError: both or neither of ``kg`` and ``store``, or ``params`` is not a
            :class:`ScoringParams`.
        BundleError: no bundle at ``kg``.
        StoreConnectionError: the store cannot be opened or reached.
    """
    _checked_params(params)
    if store is not None:
        if kg is not None:
            raise ConfigError("give either a bundle (kg) or a store (store), not both")
        return DiagnosisIndex.from_store(store, params)
    if kg is None:
        raise ConfigError("give a bundle (kg) or a store (store) to load the index from")
    bundle = Bundle(kg)
    manifest = bundle.manifest_path
    stamp = manifest.stat().st_mtime if manifest.exists() else 0.0
    return _cached_index(str(bundle.root.resolve()), stamp, params or ScoringParams(),
                         cache_dir if cache_dir is None or cache_dir is False else str(cache_dir))


def _known_conditions(ix: DiagnosisIndex, conditions: list[str]) -> set[str]:
    """The ids of the case's known conditions: each one's identity group, and the diseases one
    cross-reference away from them (a DOID condition and its OMIM or ORPHA diseases)."""
    out: set[str] = set()
    for c in conditions:
        for x in ix.identity.members(c):
            out.add(x)
            out.update(other for other, _rel in ix.xref_neighbours.get(x, ()))
    return out


def scope(ix: DiagnosisIndex, namespace: str | None = None) -> str:
    """Which diseases a differential ranks, and which it does not: those with HPO phenotype
    annotations, mostly rare; the graph's common diseases (Disease Ontology, HSDN, DDXPlus) have
    no HPO-coded phenotypes, so they are not ranked and a probability is relative to rare ones.

    Example:
        >>> scope(load_index(FIXTURE_KG))
        'rare diseases with HPO phenotype annotations (OMIM, ORPHA); common diseases are not ranked, and probabilities are relative to the diseases ranked'
    """
    found = ix.vocabularies()
    vocabularies = [namespace] if namespace else [v for v in NAMESPACES if v in found] + sorted(found - {*NAMESPACES})
    return (f"rare diseases with HPO phenotype annotations ({', '.join(vocabularies)}); common diseases are not "
            "ranked, and probabilities are relative to the diseases ranked")


def check_count(name: str, value: object) -> None:
    """Refuse a count argument (``top_k``, ``top_n``) that is not a positive whole number.

    Raises:
        ConfigError: naming the argument and the value.
    """
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ConfigError(f"{name} must be a positive whole number, got {value!r}")


def _checked(case: object, top_k: object, namespace: object) -> str | None:
    """``namespace`` in upper case, after checking the arguments.

    Raises:
        ConfigError: ``case`` is not a :class:`Case`, ``top_k`` is not a positive whole number, or
            ``namespace`` is not a known one.
    """
    if not isinstance(case, Case):
        raise ConfigError(f"case must be a reasoning.Case (from case_from_hpo, load_phenopacket or "
                          f"case_from_text), got {type(case).__name__}")
    check_count("top_k", top_k)
    if namespace is None:
        return None
    if not isinstance(namespace, str) or namespace.upper() not in NAMESPACES:
        raise ConfigError(f"unknown namespace {namespace!r}: give one of {', '.join(NAMESPACES)}")
    return namespace.upper()


def diagnose(
    case: Case,
    kg: str | Path | DiagnosisIndex,
    *,
    top_k: int = 10,
    namespace: str | None = None,
    lenient: bool = False,
    params: ScoringParams | None = None,
    llm: ChatModel | None = None,
) -> Differential:
    """Rank every disease in the graph for ``case``; return the top ``top_k`` with evidence.

    Args:
        case: the patient case.
        kg: a bundle folder, or a loaded index (of a store too: :func:`load_index` with ``store``).
        top_k: how many candidates to return, at least 1 (all diseases are ranked).
        namespace: rank only one vocabulary (one of :data:`reasoning.ranking.NAMESPACES`:
            ``OMIM``, ``ORPHA``, ``DECIPHER``; any case).
        lenient: skip ids the graph lacks (with a warning) instead of failing.
        params: scoring parameters (default :class:`ScoringParams`); with a loaded index, they must
            be the index's own (its matrices were built with them).
        llm: a language model that re-ranks and explains the top ``top_k`` (it cannot add a
            disease); see :mod:`reasoning.llm_step`.

    Raises:
        ConfigError: ``case`` is not a :class:`Case`, ``top_k`` is not a positive whole number,
            ``namespace`` is unknown, ``params`` are no :class:`ScoringParams` or not those of the
            loaded index ``kg``, or
            ``llm`` is no model (a selector string: open it with :func:`reasoning.llm.open_llm`).
        UnknownTermError: the case names ids the graph lacks (unless ``lenient``).
        EmptyCaseError: nothing left to rank with.
    """
    namespace = _checked(case, top_k, namespace)
    if llm is not None and not isinstance(llm, ChatModel):
        raise ConfigError(f"llm must be a loaded model (reasoning.llm.open_llm(selector)), got {type(llm).__name__}"
                          + (f" {llm!r}" if isinstance(llm, str) else ""))
    _checked_params(params)
    if isinstance(kg, DiagnosisIndex) and params is not None and params != kg.params:
        raise ConfigError("params differ from those the loaded index was built with, and the index decides the "
                          "scores: load it with them (load_index(kg, params)) or leave params out")
    ix = kg if isinstance(kg, DiagnosisIndex) else load_index(kg, params)
    resolved, terms, warnings = resolve_case(ix, case, lenient=lenient)
    ranking = rank(ix, terms, namespace)
    if len(ranking.disease) == 0:
        warnings.append(f"no disease of namespace {namespace!r} in the graph")
    tied = int(np.sum(np.abs(ranking.score - ranking.score[0]) <= 1e-9)) if len(ranking.score) else 0
    if tied > 1:
        warnings.append(f"the top {tied} diseases have the same score: the case does not tell them apart, "
                        "and their order among themselves means nothing")
    candidates: list[Candidate] = []
    known = _known_conditions(ix, resolved.conditions)
    evidence = explain_many(ix, ranking.disease[:top_k], terms)
    for r, d in enumerate(ranking.disease[:top_k]):
        shown, members = primary_id(ix, int(d), namespace)
        candidates.append(
            Candidate(
                rank=r + 1,
                id=shown,
                ids=members,
                scored_as=ix.disease_ids[d],
                label=ix.disease_labels.get(shown) or ix.disease_labels.get(ix.disease_ids[d], shown),
                score=round(float(ranking.score[r]) / math.log(10), 4),
                log10_lr=round(float(ranking.log_lr[r]) / math.log(10), 4),
                similarity=round(float(ranking.similarity[r]), 4),
                graph_ic=round(float(ranking.graph_ic[r]), 6),
                probability=float(ranking.probability[r]),
                identity=[IdentityLink(subject=a, object=b, source=src)
                          for a, b, src in ix.identity.links_within(members)],
                evidence=evidence[r],
                known_condition=not known.isdisjoint(members),
            )
        )
    differential = Differential(
        case=resolved,
        candidates=candidates,
        ranked=len(ranking.disease),
        scope=scope(ix, namespace),
        namespace=namespace,
        warnings=warnings,
        graph=ix.info,
        model=ix.params,
    )
    if llm is not None:
        from reasoning.llm_step import rerank_differential

        differential = rerank_differential(differential, llm)
    return differential
