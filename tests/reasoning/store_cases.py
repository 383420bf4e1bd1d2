"""Shared by the diagnose-from-a-store tests: fixture cases and what must be identical."""

from __future__ import annotations

from typing import Any

from reasoning import case_from_hpo, diagnose, treat
from reasoning.index import DiagnosisIndex

CASES = (
    (["HP:0001166", "HP:0001083"], []),
    (["HP:0001166", "HP:0002616", "HP:0001083"], ["HP:0001249"]),
    (["HP:0001166", "HP:0002321"], []),
)
"""Fixture cases: Marfan features, with an excluded term, with a drug's adverse effect."""


def outcome(ix: DiagnosisIndex) -> list[dict[str, Any]]:
    """Each case's differential (candidates: ids, scores, evidence) and treatments, as plain data."""
    out = []
    for present, excluded in CASES:
        d = diagnose(case_from_hpo(present, excluded), ix, top_k=10)
        plan = treat(d, kg=ix, top_n=len(d.candidates))
        out.append({"ranked": d.ranked, "warnings": d.warnings,
                    "candidates": [c.model_dump(mode="json") for c in d.candidates],
                    "treatments": plan.model_dump(mode="json")})
    return out
