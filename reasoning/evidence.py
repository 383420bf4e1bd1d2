"""Per-candidate evidence: each case feature matched to the annotation that decided it.

The evidence is read from the same matrices that made the score (their
payloads name the annotation behind every value), so it explains exactly the
ranking, never a re-derivation of it.
"""

from __future__ import annotations

import math

import numpy as np

from reasoning.index import Annotation, DiagnosisIndex
from reasoning.models import Evidence, MatchKind
from reasoning.scoring import CaseTerms, unexplained_typical

_LOG10 = math.log(10)


def _evidence(ix: DiagnosisIndex, kind: MatchKind, t: int | None, a: Annotation | None, lr: float,
              disease: str, via: int | None = None, mica: int | None = None) -> Evidence:
    o = ix.ontology
    path: list[str] = []
    if t is not None and a is not None:  # every is-a step from the case's term to the disease's
        top = via if via is not None else (a.term if o.has_ancestor(t, a.term) else t)
        for x in o.chain(t, top)[1:]:
            path += ["subclass_of", o.ids[x]]
        for x in o.chain(a.term, top)[::-1][1:]:
            path += ["superclass_of", o.ids[x]]
        path = [o.ids[t], *path]
    elif t is not None:
        path.append(o.ids[t])
    if a is not None:
        if not path:
            path.append(o.ids[a.term])
        relation = "not_phenotype_of" if a.negated else "phenotype_of"
        # a statement of another record of the disease (a shared NOT annotation) names that record
        path += [relation, a.stated_for, "same_disease_as", disease] if a.stated_for else [relation, disease]
    # built from the index's own checked values, hundreds per differential: not validated again
    return Evidence.model_construct(
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
        text_mined=bool(a and ix.text_mined.is_text(a.source)),
        reference=a.reference if a else None,
        log10_lr=round(math.log(lr) / _LOG10, 4),
        shared_ancestor=o.ids[mica] if mica is not None else None,
        similarity=round(float(ix.ic[mica]), 4) if mica is not None else None,
        path=path,
    )


def _mica(ix: DiagnosisIndex, t: int, ds: np.ndarray) -> np.ndarray:
    """Per disease in ``ds``: the most informative ancestor of ``t`` it is annotated at or below (-1: none)."""
    anc = ix.ancestors_by_ic(t)
    hit = ix.sim_implied.lookup_pairs(np.repeat(anc, len(ds)), np.tile(ds, len(anc)))[0].reshape(len(anc), -1) > 0
    first = hit.argmax(axis=0)
    return np.where(hit.any(axis=0), anc[first], -1)


def _present(ix: DiagnosisIndex, t: int, ds: np.ndarray) -> list[tuple[float, MatchKind, int, int | None]]:
    """Per disease in ``ds``: (LR, kind, annotation number or -1, via term) for present feature ``t``."""
    p = ix.params
    best, pay = ix.implied.lookup(t, ds)
    anc = ix.ontology.ancestors[t]
    cols, rows = np.repeat(anc, len(ds)), np.tile(ds, len(anc))
    # a NOT annotation at or above t contradicts it (the first in ancestor order decides)
    each = np.arange(len(ds))
    neg = ix.negated.lookup_pairs(cols, rows)[1].reshape(len(anc), -1)
    contra = np.where((neg >= 0).any(axis=0), neg[(neg >= 0).argmax(axis=0), each], -1)
    # the route: t's own implied frequency where D has t or a term below it (that decides, as in
    # the score), else the first ancestor offering the most
    v, q = (x.reshape(len(anc), -1) for x in ix.as_ancestor.lookup_pairs(cols, rows))
    v = np.where((anc == t)[:, None] | (pay >= 0)[None, :], -np.inf, v)  # annotated at or below t: that decides
    vals = np.vstack([best / ix.background[t], v])
    pays = np.vstack([pay, q])
    top = vals.argmax(axis=0)
    best, pay = vals[top, each], pays[top, each]
    via = np.where(top > 0, anc[np.maximum(top - 1, 0)], -1)
    out: list[tuple[float, MatchKind, int, int | None]] = []
    for i in range(len(ds)):
        if contra[i] >= 0:
            out.append((p.noise, "contradicted", int(contra[i]), None))
        elif pay[i] < 0:
            out.append((p.noise, "unexplained", -1, None))
        else:
            term = ix.flat[pay[i]].term
            if via[i] < 0:
                kind: MatchKind = "exact" if term == t else "descendant"
                v_term = None
            else:
                kind = "ancestor" if term == via[i] else "related"
                v_term = None if kind == "ancestor" else int(via[i])
            out.append((p.noise + (1 - p.noise) * float(best[i]), kind, int(pay[i]), v_term))
    return out


def _absent_at_or_above(ix: DiagnosisIndex, t: int, ds: np.ndarray) -> np.ndarray:
    """Per disease in ``ds``: the annotation number of a statement that it does not have ``t`` or a
    term above it (NOT, or seen in none of its patients; -1: none), ``t``'s own first, then the
    most informative ancestor's (as in :func:`reasoning.scoring.excluded_log_lr`)."""
    anc = ix.ancestors_by_ic(t)
    order = np.r_[t, anc[anc != t]]
    pay = ix.absent.lookup_pairs(np.repeat(order, len(ds)), np.tile(ds, len(order)))[1].reshape(len(order), -1)
    first = (pay >= 0).argmax(axis=0)
    return np.where((pay >= 0).any(axis=0), pay[first, np.arange(len(ds))], -1)


def explain_many(ix: DiagnosisIndex, diseases: np.ndarray, case: CaseTerms) -> list[list[Evidence]]:
    """The evidence for each scored disease in ``diseases`` (indices into ``ix.disease_ids``).

    Every case term gets an item, and so does every typical feature of the disease that the case
    does not account for: the items' ``log10_lr`` add up to the candidate's ``log10_lr``. An
    excluded term the disease is stated not to have, itself or a term above it, is
    ``excluded_consistent`` citing that statement (the path lists every is-a step up to it); one
    the disease has no statement about is ``excluded_consistent`` without a disease term (its
    likelihood ratio, ``1 / (1 - background)``, is slightly above 1).
    """
    p, bg = ix.params, ix.background
    ds = np.asarray(diseases, dtype=np.int64)
    out: list[list[Evidence]] = [[] for _ in ds]
    ids = [ix.disease_ids[d] for d in ds]
    for t in case.present:
        micas = _mica(ix, t, ds)
        for i, (lr, kind, a, via) in enumerate(_present(ix, t, ds)):
            mica = int(micas[i]) if micas[i] >= 0 else None
            out[i].append(_evidence(ix, kind, t, ix.flat[a] if a >= 0 else None, lr, ids[i], via, mica))
    for t in case.excluded:
        f, pay = ix.implied.lookup(t, ds)
        neg = _absent_at_or_above(ix, t, ds)
        denom = max(1 - bg[t], 1e-3)
        for i in range(len(ds)):
            if neg[i] >= 0:
                out[i].append(_evidence(ix, "excluded_consistent", t, ix.flat[neg[i]], 1 / denom, ids[i]))
            elif pay[i] >= 0:
                lr = max(1 - float(f[i]), p.exclusion_floor) / denom
                out[i].append(_evidence(ix, "excluded", t, ix.flat[pay[i]], lr, ids[i]))
            else:
                out[i].append(_evidence(ix, "excluded_consistent", t, None, 1 / denom, ids[i]))
    lost = unexplained_typical(ix, case) if len(ix.typical_term) else np.zeros(0, dtype=bool)
    wanted = np.full(ix.size, -1, dtype=np.int64)
    wanted[ds] = np.arange(len(ds))
    sel = np.flatnonzero(lost & (wanted[ix.typical_disease] >= 0))
    sel = sel[np.lexsort((sel, -ix.flat_freq[ix.typical_flat[sel]], wanted[ix.typical_disease[sel]]))]
    for j in sel:  # by candidate, then the most frequent first
        k = int(ix.typical_flat[j])
        i = int(wanted[ix.typical_disease[j]])
        out[i].append(_evidence(ix, "missing", None, ix.flat[k], 1 - p.missing_report_rate * ix.flat_freq[k], ids[i]))
    return out

