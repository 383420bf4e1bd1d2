"""Vectorised likelihood-ratio scores of every disease for one case.

For a present feature ``t`` and disease ``D`` (see README, "How diagnoses are ranked")::

    LR(t | D) = noise + (1 - noise) * route(t, D)
    route(t, D) = implied[D, t] / bg(t)            if D has t or something below t (that decides)
                  max over strict ancestors c of t:
                    max(direct[D, c], partial * implied[D, c]) / bg(c)      otherwise

and 0 where D is annotated NOT t (or NOT an ancestor of t). For an excluded feature,
``LR = max(1 - implied[D, t], floor) / (1 - bg(t))``, or ``1 / (1 - bg(t))`` where D is annotated
NOT t or NOT an ancestor of t (or seen in none of its patients). Typical features of D that no case
feature accounts for (:func:`unexplained_typical`) contribute ``log(1 - r * f)`` each.

The likelihood-ratio sum is blended with a phenotype-set similarity, the best-match average of
Resnik similarity in both directions (Phenomizer's ``funSimAvg``, the directions weighted)::

    sim(t, D) = IC of the most informative ancestor of t that D is annotated at or below
    forward(case, D) = mean over case terms t of sim(t, D)
    backward(case, D) = mean over D's annotated terms a of max over t of sim(a, t)
    similarity(case, D) = balance * forward + (1 - balance) * backward   (0.5: funSimAvg)

and with a second similarity, the best-match average of GraphIC (Deng et al. 2015), the same
directions weighted the same way::

    gic(t, a) = IC(anc(t) & anc(a)) / IC(anc(t) | anc(a))       (IC of a set: the sum over it)
    graph_ic(case, D) = balance * mean over t of max over a of gic
                        + (1 - balance) * mean over a of max over t of gic
    score(D) = sum of log LR + similarity_weight * similarity + graph_ic_weight * graph_ic

The likelihood ratios weigh frequencies, exclusions and absences; the similarity is robust where
annotations are sparse or frequencies unknown (see README, "How diagnoses are ranked").
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

import numpy as np

from reasoning.index import DiagnosisIndex


@dataclass(frozen=True)
class CaseTerms:
    """A case as term indices of the index's ontology."""

    present: list[int]
    excluded: list[int]


def _scatter_max(target: np.ndarray, rows: np.ndarray, vals: np.ndarray) -> None:
    if len(rows):
        target[rows] = np.maximum(target[rows], vals)


def present_log_lr(ix: DiagnosisIndex, t: int) -> np.ndarray:
    """log LR of present feature ``t`` for every disease."""
    p = ix.params
    bg = ix.background
    route = np.zeros(ix.size)
    dense = ix.as_ancestor_dense
    for c in ix.ontology.ancestors[t]:
        if c == t:
            continue
        d = dense.get(int(c))
        if d is not None:
            np.maximum(route, d, out=route)
        else:
            _scatter_max(route, *ix.as_ancestor.column(c))
    # a disease annotated with t or below it: that annotation decides, not a more general one
    rows, vals = ix.implied.column(t)
    route[rows] = vals / bg[t]
    for c in ix.ontology.ancestors[t]:
        route[ix.negated.column(c)[0]] = 0.0
    return np.log(p.noise + (1 - p.noise) * route)


def excluded_log_lr(ix: DiagnosisIndex, t: int) -> np.ndarray:
    """log LR of excluded feature ``t`` for every disease.

    A disease stated not to have ``t`` or a term above it (a NOT annotation, or one seen in none
    of its patients) agrees with the exclusion: ``LR = 1 / (1 - bg(t))``, whatever else it is
    annotated with at or below ``t``.
    """
    p = ix.params
    absent = np.ones(ix.size)
    rows, vals = ix.implied.column(t)
    absent[rows] = np.maximum(1.0 - vals, p.exclusion_floor)
    for c in ix.ontology.ancestors[t]:  # not having c, the disease has nothing below it either
        absent[ix.absent.column(c)[0]] = 1.0
    return np.log(absent) - np.log(max(1.0 - ix.background[t], 1e-3))


def unexplained_typical(ix: DiagnosisIndex, case: CaseTerms) -> np.ndarray:
    """Which typical annotations (the index's ``typical_*`` arrays) no case feature accounts for.

    A typical annotation is accounted for when a present case feature is its term, below it or
    above it (the term is an ancestor of the feature, or the feature an ancestor of the term),
    or the case excludes its term or an ancestor of it (excluding a term excludes everything
    below it, and the excluded feature's likelihood ratio already weighs the disease's most
    frequent annotation at or below it); it counts once however many case features account for
    it. The scores (:func:`missing_log_lr`) and the evidence's ``missing`` items both use this rule.
    """
    covered = np.zeros(len(ix.ontology.ids), dtype=bool)  # the present features' ancestors-or-self
    for t in case.present:
        covered[ix.ontology.ancestors[t]] = True
    lost = ~covered[ix.typical_term]
    for t in [*case.present, *case.excluded]:  # and the annotations at or below a present or excluded feature
        lost[ix.typical_below[ix.typical_below_start[t] : ix.typical_below_start[t + 1]]] = False
    return lost


def missing_log_lr(ix: DiagnosisIndex, case: CaseTerms) -> np.ndarray:
    """log LR of the disease's typical features that no case feature accounts for
    (:func:`unexplained_typical`): ``log(1 - r * f)`` each."""
    if len(ix.typical_term) == 0:
        return np.zeros(ix.size)
    lost = unexplained_typical(ix, case)
    # float even when nothing is lost (numpy's bincount of no items is an int array, whatever the weights)
    lost_log = np.bincount(ix.typical_disease[lost], weights=ix.typical_log[lost], minlength=ix.size)
    return lost_log.astype(np.float64, copy=False)


def term_similarity(ix: DiagnosisIndex, t: int) -> np.ndarray:
    """Resnik similarity of case term ``t`` to every disease (IC of the most informative shared ancestor)."""
    best = np.zeros(ix.size)
    for a in ix.ancestors_by_ic(t):
        dense = ix.sim_dense.get(int(a))
        if dense is not None:
            np.maximum(best, dense, out=best)
        else:
            _scatter_max(best, *ix.sim_implied.column(a))
    return best


def disease_similarity(ix: DiagnosisIndex, present: list[int]) -> np.ndarray:
    """Per disease, the mean over its annotated terms of their best Resnik similarity to the case."""
    shared = np.zeros(len(ix.ontology.ids), dtype=bool)
    for t in present:
        shared[ix.ontology.ancestors[t]] = True
    if len(ix.sim_terms) == 0:
        return np.zeros(ix.size)
    vals = ix.sim_anc_ic * shared[ix.sim_anc]
    per_term = np.maximum.reduceat(vals, ix.sim_anc_start)
    sums = np.bincount(ix.sim_pair_disease, weights=per_term[ix.sim_pair_term], minlength=ix.size)
    sums = sums.astype(np.float64, copy=False)  # float when empty too (see missing_log_lr)
    return sums / ix.sim_count


def similarity(ix: DiagnosisIndex, case: CaseTerms) -> np.ndarray:
    """Best-match average similarity of the case's present terms to every disease (0 without any).

    A weighted mean of the two directions: ``similarity_balance`` × (case → disease) plus the rest
    × (disease → case); at 0.5 it is Phenomizer's funSimAvg.
    """
    if not case.present:
        return np.zeros(ix.size)
    a = ix.params.similarity_balance
    forward = sum(term_similarity(ix, t) for t in case.present) / len(case.present)
    return a * forward + (1 - a) * disease_similarity(ix, case.present)


GRAPH_IC_THREADS = 2
"""Threads that share a case's new terms in :func:`graph_ic_similarity` (NumPy releases the
GIL in the passes over the annotation pairs)."""
GRAPH_IC_CACHE_TERMS = 512
"""Case terms whose GraphIC vectors (about 95 kB each) are kept for the next case (least
recently used out): cases of one cohort share most of their terms."""
_pool: ThreadPoolExecutor | None = None
_pool_pid = 0
_pool_lock = threading.Lock()
_cache_lock = threading.Lock()


def _threads() -> ThreadPoolExecutor:
    """The worker threads, made on first use, and again in a forked child (which has none)."""
    global _pool, _pool_pid, _pool_lock, _cache_lock
    if _pool_pid != os.getpid():  # a forked child: its copies of the locks may be held by no one
        _pool_lock, _cache_lock = threading.Lock(), threading.Lock()
        _pool, _pool_pid = None, os.getpid()
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(GRAPH_IC_THREADS, thread_name_prefix="medkg-graph-ic")
        return _pool


def graph_ic_similarity(ix: DiagnosisIndex, present: list[int]) -> np.ndarray:
    """Best-match average of GraphIC similarity of the case's terms to every disease, the two
    directions weighted as for :func:`similarity` (``similarity_balance``).

    GraphIC of two terms is the information content of the ancestors they share over that of
    all their ancestors (0 to 1): unlike Resnik similarity it also falls as either term's own
    lineage grows more specific than what they share.
    """
    return _graph_ic_begin(ix, present)()


def _graph_ic_begin(ix: DiagnosisIndex, present: list[int]) -> Callable[[], np.ndarray]:
    """Start :func:`graph_ic_similarity` on the worker threads; the function returned waits for
    them and gives the result (the caller works meanwhile)."""
    n = ix.size
    if not present or len(ix.sim_terms) == 0:
        return partial(np.zeros, n)
    pool = _threads()
    cache: OrderedDict[int, tuple[np.ndarray, np.ndarray]] = ix.__dict__.setdefault("_gic_cache", OrderedDict())
    with _cache_lock:
        have = {t: cache[t] for t in present if t in cache}
    new = sorted({t for t in present if t not in have})
    shares = [new[i::GRAPH_IC_THREADS] for i in range(min(GRAPH_IC_THREADS, len(new)))]
    futures = [pool.submit(_graph_ic_terms, ix, share) for share in shares]

    def finish() -> np.ndarray:
        found = dict(kv for f in futures for kv in f.result())
        fwd = np.zeros(n, np.float32)
        best = np.zeros(len(ix.sim_terms), np.float32)
        for t in present:  # in the case's order: the sum does not depend on the cache or the threads
            f, g = found[t] if t in found else have[t]
            fwd += f
            np.maximum(best, g, out=best)
        with _cache_lock:
            cache.update(found)
            for t in present:
                cache.move_to_end(t)
            while len(cache) > GRAPH_IC_CACHE_TERMS:
                cache.popitem(last=False)
        back = np.zeros(n)
        back[ix.gic_has] = np.add.reduceat(np.take(best, ix.sim_pair_term).astype(np.float64), ix.gic_starts)
        a = ix.params.similarity_balance
        return a * fwd.astype(np.float64) / len(present) + (1 - a) * back / ix.sim_count

    return finish


def _graph_ic_terms(ix: DiagnosisIndex, terms: list[int]) -> list[tuple[int, tuple[np.ndarray, np.ndarray]]]:
    """For each of some case terms: every disease's best GraphIC to it, and every annotated
    term's GraphIC to it."""
    anc, ic = ix.ontology.ancestors, ix.ic
    out = []
    for t in terms:
        inter = np.zeros(len(ix.sim_terms))
        for c in anc[t]:  # the IC term t shares with each annotated term: its ancestors' IC, added below them
            if ic[c] > 0:
                inter[ix.gic_below[ix.gic_below_start[c] : ix.gic_below_start[c + 1]]] += ic[c]
        union = ix.gic_size + float(ic[anc[t]].sum()) - inter
        gic = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0).astype(np.float32)
        fwd = np.zeros(ix.size, np.float32)
        fwd[ix.gic_has] = np.maximum.reduceat(np.take(gic, ix.sim_pair_term), ix.gic_starts)
        out.append((t, (fwd, gic)))
    return out


def log_lr(ix: DiagnosisIndex, case: CaseTerms) -> np.ndarray:
    """Summed log likelihood ratios of every disease (natural log)."""
    total = missing_log_lr(ix, case)
    for t in case.present:
        total += present_log_lr(ix, t)
    for t in case.excluded:
        total += excluded_log_lr(ix, t)
    return total


def score_parts(ix: DiagnosisIndex, case: CaseTerms) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The three parts of every disease's score: summed log LR, Resnik and GraphIC set similarity."""
    p = ix.params
    gic = _graph_ic_begin(ix, case.present) if p.graph_ic_weight else partial(np.zeros, ix.size)
    sim = similarity(ix, case) if p.similarity_weight else np.zeros(ix.size)
    return log_lr(ix, case), sim, gic()


def total_score(ix: DiagnosisIndex, case: CaseTerms) -> np.ndarray:
    """Every disease's score (natural-log units): ``log_lr + w_sim * similarity + w_gic * graph_ic``."""
    lr, sim, gic = score_parts(ix, case)
    return lr + ix.params.similarity_weight * sim + ix.params.graph_ic_weight * gic
