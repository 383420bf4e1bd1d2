"""The scoring model's parameters (see README "How diagnoses are ranked").

Example:
    >>> ScoringParams().noise
    0.05
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ScoringParams(BaseModel):
    """Parameters of the likelihood-ratio model.

    Attributes:
        default_frequency: P(feature | disease) when the annotation gives no frequency.
        min_frequency: floor for annotated frequencies.
        count_prior: pseudo-count added to an ``n/m`` frequency on each side,
            ``(n + c) / (m + 2c)``: ``1/1`` in a single patient is not "always".
        noise: chance that a reported feature is unrelated to the disease (the floor of every
            per-feature likelihood ratio).
        partial_credit: discount when a case feature and an annotation only share an ancestor.
        exclusion_floor: floor of P(feature absent | disease) for an excluded feature the
            disease usually has.
        missing_report_rate: chance a feature the patient has gets reported; the likelihood
            ratio of a typical feature being absent from the case is ``1 - rate * frequency``.
        typical_frequency: features at least this frequent count as typical (only they are
            weighed when absent from the case).
        similarity_weight: weight of the phenotype-set similarity (best-match average of Resnik
            similarity, in nats of information content) added to the summed log likelihood
            ratios; 0 ranks by the likelihood ratios alone.
        similarity_balance: share of the case → disease direction in that similarity (the
            rest is disease → case); 0.5 is Phenomizer's symmetric funSimAvg. Above 0.5 a
            disease is penalised less for annotated features the case does not mention.
        graph_ic_weight: weight of a second phenotype-set similarity, the best-match average
            of GraphIC similarity (the information content of the ancestors two terms share over
            that of all their ancestors, 0 to 1), its directions weighted by
            ``similarity_balance``; 0 leaves it out.
        temperature: scales the score (natural-log units) before it becomes probabilities
            (calibration).
    """

    model_config = ConfigDict(frozen=True)

    default_frequency: float = Field(0.2, gt=0, le=1)
    min_frequency: float = Field(0.02, gt=0, le=1)
    count_prior: float = Field(1.0, ge=0)
    noise: float = Field(0.05, gt=0, lt=1)
    partial_credit: float = Field(0.02, ge=0, le=1)
    exclusion_floor: float = Field(0.6, gt=0, le=1)
    missing_report_rate: float = Field(0.2, ge=0, lt=1)
    typical_frequency: float = Field(0.8, ge=0, le=1)
    similarity_weight: float = Field(15.0, ge=0)
    similarity_balance: float = Field(0.75, ge=0, le=1)
    graph_ic_weight: float = Field(80.0, ge=0)
    temperature: float = Field(0.13, gt=0)
