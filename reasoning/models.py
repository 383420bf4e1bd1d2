"""What a diagnosis returns: typed, JSON-serialisable results with their evidence."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from reasoning.cases import Case
from reasoning.params import ScoringParams

MatchKind = Literal[
    "exact",  # the disease is annotated with the case's term
    "descendant",  # annotated with a more specific term than the case's
    "ancestor",  # annotated with a more general term than the case's
    "related",  # only a common ancestor ("via") ties them
    "unexplained",  # the disease has nothing like it
    "contradicted",  # the disease is annotated NOT the term (or NOT a more general one)
    "excluded",  # the case excludes a feature the disease has
    "excluded_consistent",  # the case excludes a feature the disease is annotated NOT to have (or seen in
    # none of its patients, 0/n), or has no statement on
    "missing",  # a feature the disease typically has, absent from the case
]


class Evidence(BaseModel):
    """One case feature weighed against one disease, with where the graph says so.

    Attributes:
        kind: how they match (see :data:`MatchKind`).
        case_term: the case's HPO term (None for ``missing``).
        case_label: its label.
        disease_term: the disease's annotated term that matched.
        disease_term_label: its label.
        via: for ``related``, the most specific common ancestor.
        frequency: the annotation's frequency (0..1) when the source gives one.
        frequency_label: the frequency as the source wrote it (``HP:0040281``, ``3/7``, ``45%``);
            ``n/m`` counts of several rows of one disease and term are added up (``reference``
            lists the rows').
        source: the statement's source; source_version its release.
        text_mined: the source is one read from documents (``medkg extract --into``), not curated.
        reference: the statement's own evidence (e.g. ``PMID:... (PCS)``).
        log10_lr: this item's contribution to the score (log10 likelihood ratio).
        shared_ancestor: for a present case term, the most informative term that it shares with
            the disease's annotations (the case term itself, or an ancestor of it).
        similarity: that term's information content (nats): the case term's Resnik similarity to
            the disease, its part of the candidate's ``similarity``.
        path: the graph path as CURIEs and relation names, from case term to disease; a statement
            of another record of the same disease (a shared NOT annotation) ends
            ``not_phenotype_of <that record> same_disease_as <scored record>``.
    """

    kind: MatchKind
    case_term: str | None = None
    case_label: str | None = None
    disease_term: str | None = None
    disease_term_label: str | None = None
    via: str | None = None
    frequency: float | None = None
    frequency_label: str | None = None
    source: str | None = None
    source_version: str | None = None
    text_mined: bool = False
    reference: str | None = None
    log10_lr: float
    shared_ancestor: str | None = None
    similarity: float | None = None
    path: list[str] = Field(default_factory=list)


class IdentityLink(BaseModel):
    """Why two ids of a candidate name the same disease (a cross-reference, or equal names)."""

    subject: str
    object: str
    source: str


class Candidate(BaseModel):
    """One disease in the differential.

    Attributes:
        rank: 1-based.
        id: the disease's id in the ranked vocabulary.
        ids: every id the graph knows for the same disease (identity group).
        scored_as: the record (one of ``ids``) whose phenotype annotations gave the score and the
            evidence: a disease counts as its best-scoring record.
        label: its name.
        score: the ranking score in log10 units:
            ``log10_lr + (similarity_weight * similarity + graph_ic_weight * graph_ic) / ln 10``.
        log10_lr: the summed log10 likelihood ratio (the sum of the evidence's ``log10_lr``).
        similarity: the phenotype-set similarity (best-match average of Resnik similarity, nats).
        graph_ic: the GraphIC phenotype-set similarity (weighted best-match average, 0 to 1).
        probability: post-test probability among the ranked diseases (uniform prior): with a
            ``namespace``, given that the diagnosis is one of that vocabulary's diseases.
        identity: the links that make ``ids`` one disease.
        evidence: the case's features weighed against this disease.
        explanation: an LLM's explanation, when a re-ranking step ran.
        graph_rank: the rank the graph gave, when an LLM step re-ordered the list.
        known_condition: the case lists this disease as a known condition (one of ``ids``, or a
            disease one cross-reference away from one of them): the features may be its own.
    """

    rank: int
    id: str
    ids: list[str]
    scored_as: str | None = None
    label: str
    score: float
    log10_lr: float | None = None
    similarity: float | None = None
    graph_ic: float | None = None
    probability: float
    identity: list[IdentityLink] = Field(default_factory=list)
    evidence: list[Evidence]
    explanation: str | None = None
    graph_rank: int | None = None
    known_condition: bool = False


class Differential(BaseModel):
    """A ranked differential diagnosis for one case."""

    case: Case
    candidates: list[Candidate]
    ranked: int = Field(description="how many diseases were ranked")
    scope: str = Field(default="", description="which diseases were ranked, and which not")
    namespace: str | None = None
    warnings: list[str] = Field(default_factory=list)
    graph: dict[str, Any] = Field(default_factory=dict)
    model: ScoringParams
    llm: dict[str, Any] | None = None

    def rank_of(self, curie: str) -> int | None:
        """The rank of a disease id among the returned candidates (any id of its group)."""
        for c in self.candidates:
            if curie in c.ids:
                return c.rank
        return None
