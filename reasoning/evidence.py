"""Per-candidate evidence: each case feature matched to the annotation that decides it.

This recomputes, for one disease, the same quantities :mod:`reasoning.scoring`
computes for all diseases at once, keeping which annotation won.
"""

from __future__ import annotations

import math

import numpy as np

from reasoning.index import Annotation, DiagnosisIndex
from reasoning.models import Evidence, MatchKind
from reasoning.scoring import CaseTerms

_LOG10 = math.log(10)


def _best_match(ix: DiagnosisIndex, t: int, anns: list[Annotation]) -> tuple[float, MatchKind, Annotation | None, int | None]:
    """The route value, kind, winning annotation and common ancestor for present term ``t``."""
    bg, p = ix.background, ix.params
    anc_t = ix.ancestor_set(t)
    min_bg = min((bg[c] for c in anc_t if c != t), default=1.0)  # bounds any "related" match
    best: tuple[float, MatchKind, Annotation | None, int | None] = (0.0, "unexplained", None, None)
    for a in anns:
        if a.negated:
            continue
        f = ix.effective_frequency(a)
        if a.term == t:
            cand = (f / bg[t], "exact", a, None)
        elif t in ix.ancestor_set(a.term):
            cand = (f / bg[t], "descendant", a, None)
        elif a.term in anc_t:
            cand = (f / bg[a.term], "ancestor", a, None)
        else:
            if p.partial_credit * f / min_bg <= best[0]:
                continue  # cannot beat the best match so far
            common = anc_t & ix.ancestor_set(a.term)
            if not common:
                continue
            c = min(common, key=lambda x: bg[x])
            cand = (p.partial_credit * f / bg[c], "related", a, c)
        if cand[0] > best[0]:
            best = cand  # type: ignore[assignment]
    return best


def _evidence(ix: DiagnosisIndex, kind: MatchKind, t: int | None, a: Annotation | None, lr: float,
              disease: str, via: int | None = None) -> Evidence:
    o = ix.ontology
    path: list[str] = []
    if t is not None:
        path.append(o.ids[t])
    if via is not None:
        path += ["subclass_of", o.ids[via], "superclass_of"]
    elif a is not None and t is not None and a.term != t:
        path.append("subclass_of" if kind == "ancestor" else "superclass_of")
    if a is not None:
        if not path or path[-1] != o.ids[a.term]:
            path.append(o.ids[a.term])
        path += ["not_phenotype_of" if a.negated else "phenotype_of", disease]
    return Evidence(
        kind=kind,
        case_term=o.ids[t] if t is not None else None,
        case_label=o.labels[t] if t is not None else None,
        disease_term=o.ids[a.term] if a else None,
        disease_term_label=o.labels[a.term] if a else None,
        via=o.ids[via] if via is not None else None,
        frequency=a.frequency if a else None,
        frequency_label=a.frequency_label if a else None,
        source=a.source if a else None,
        source_version=a.source_version if a else None,
        reference=a.reference if a else None,
        log10_lr=round(math.log(lr) / _LOG10, 4),
        path=path,
    )


def explain(ix: DiagnosisIndex, disease: int, case: CaseTerms, max_missing: int = 5) -> list[Evidence]:
    """The evidence for one scored disease (index into ``ix.disease_ids``)."""
    p, bg = ix.params, ix.background
    anns = ix.annotations[disease]
    did = ix.disease_ids[disease]
    negated = [a for a in anns if a.negated]
    out: list[Evidence] = []
    for t in case.present:
        anc_t = ix.ancestor_set(t)
        contra = next((a for a in negated if a.term in anc_t), None)
        if contra is not None:
            out.append(_evidence(ix, "contradicted", t, contra, p.noise, did))
            continue
        route, kind, a, via = _best_match(ix, t, anns)
        out.append(_evidence(ix, kind, t, a, p.noise + (1 - p.noise) * route, did, via))
    for t in case.excluded:
        neg = next((a for a in negated if a.term == t), None)
        if neg is not None:
            out.append(_evidence(ix, "excluded_consistent", t, neg, 1 / max(1 - bg[t], 1e-3), did))
            continue
        under = [a for a in anns if not a.negated and t in ix.ancestor_set(a.term)]
        if under:
            a = max(under, key=ix.effective_frequency)
            absent = max(1 - ix.effective_frequency(a), p.exclusion_floor)
            out.append(_evidence(ix, "excluded", t, a, absent / max(1 - bg[t], 1e-3), did))
    explained: set[int] = set(case.excluded)
    for t in case.present:
        explained |= ix.ancestor_set(t)
    present = set(case.present)
    missing = [
        a for a in anns
        if not a.negated and a.term not in explained and present.isdisjoint(ix.ancestor_set(a.term))
    ]
    missing.sort(key=ix.effective_frequency, reverse=True)
    for a in missing[:max_missing]:
        lr = 1 - p.missing_report_rate * ix.effective_frequency(a)
        if lr < 1:
            out.append(_evidence(ix, "missing", None, a, lr, did))
    return out


def top_indices(scores: np.ndarray, mask: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` best scores among ``mask``, best first (ties by index)."""
    idx = np.flatnonzero(mask)
    if len(idx) <= k:
        order = idx[np.lexsort((idx, -scores[idx]))]
        return order
    part = idx[np.argpartition(-scores[idx], k - 1)[:k]]
    return part[np.lexsort((part, -scores[part]))]
