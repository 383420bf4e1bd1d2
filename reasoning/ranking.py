"""Rank diseases for a case: score every disease, merge identity groups, calibrate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kg.curie import prefix_of
from reasoning.index import DiagnosisIndex
from reasoning.scoring import CaseTerms, score_parts

NAMESPACES = ("OMIM", "ORPHA", "DECIPHER")
"""The disease vocabularies a ranking can be restricted to (``namespace``)."""


@dataclass(frozen=True)
class Ranking:
    """Every ranked disease group, best first.

    Attributes:
        disease: per ranked group, the index (into ``ix.disease_ids``) of its best-scoring member.
        score: per ranked group, its score (natural-log units): ``log_lr + weight * similarity``.
        probability: post-test probabilities (uniform prior over the ranked groups).
        log_lr: per ranked group, its summed natural-log likelihood ratio.
        similarity: per ranked group, its phenotype-set similarity (weighted best-match average, nats).
        graph_ic: per ranked group, its GraphIC set similarity (weighted best-match average, 0 to 1).
    """

    disease: np.ndarray
    score: np.ndarray
    probability: np.ndarray
    log_lr: np.ndarray
    similarity: np.ndarray
    graph_ic: np.ndarray

    def rank_of(self, ix: DiagnosisIndex, curie: str) -> int | None:
        """1-based rank of a disease (or any id of its identity group); None if not ranked.

        Ties count in the disease's favour (rank = 1 + groups scoring strictly higher).
        """
        members = set(ix.identity.members(curie))
        hits = [i for i, d in enumerate(self.disease) if ix.disease_ids[d] in members]
        if not hits:
            return None
        return 1 + int(np.sum(self.score > self.score[hits[0]]))


def rank(ix: DiagnosisIndex, case: CaseTerms, namespace: str | None = None) -> Ranking:
    """Rank every disease (every one with an id of ``namespace``, e.g. ``OMIM``, when given) for a case.

    A disease is one identity group: its score is its best-scoring member's, whatever that member's
    vocabulary (an ORPHA record with frequencies can speak for its OMIM twin), and ``namespace``
    only decides which groups are ranked.
    """
    lr, sim, gic = score_parts(ix, case)
    scores = lr + ix.params.similarity_weight * sim + ix.params.graph_ic_weight * gic
    idx = np.arange(ix.size) if namespace is None else ix.namespace_members(namespace)
    order = idx[np.lexsort((idx, -scores[idx]))]
    gid = ix.group_ids[order]
    _, first = np.unique(gid, return_index=True)
    best = order[np.sort(first)]
    s = scores[best]
    if len(s) == 0:
        return Ranking(best, s, s.copy(), s.copy(), s.copy(), s.copy())
    z = ix.params.temperature * (s - s.max())
    prob = np.exp(z)
    prob /= prob.sum()
    return Ranking(best, s, prob, lr[best], sim[best], gic[best])


def primary_id(ix: DiagnosisIndex, disease: int, namespace: str | None) -> tuple[str, list[str]]:
    """The id to show for a ranked disease, and every id of its group."""
    did = ix.disease_ids[disease]
    members = ix.identity.members(did)
    if namespace:
        members_ns = [m for m in members if prefix_of(m) == namespace.upper()]
        if members_ns and did not in members_ns:
            did = members_ns[0]
    return did, members
