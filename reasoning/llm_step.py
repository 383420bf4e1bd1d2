"""The optional LLM step of a diagnosis: re-rank and explain the graph's top-k.

The model only re-orders the candidates it is given (grounded by
:func:`reasoning.llm.rerank.rerank`); it can never add a disease. Scores and
probabilities stay the graph's; each candidate keeps its ``graph_rank``, and
``Differential.llm`` records the model, prompt version, grounding drops and tokens.
"""

from __future__ import annotations

from kg.errors import LLMOutputError
from kg.llm import ChatModel
from reasoning.models import Differential


UNCHECKED = ("the model's own words: not checked against the case or the graph (the candidates' "
             "evidence is the graph's)")
"""What an LLM explanation is (``Differential.llm["explanations"]``)."""


def rerank_differential(differential: Differential, model: ChatModel) -> Differential:
    """``differential`` with its candidates re-ordered and explained by ``model``.

    A model that answers but gives no schema-valid answer (even after a repair) leaves the
    graph's order as it is, with a warning saying so and ``llm["error"]`` holding the reason:
    the differential itself does not depend on the model.

    Raises:
        LLMError: the model could not be used at all (unreachable, timed out, refused).
    """
    from reasoning.llm.rerank import from_differential, rerank

    summary, candidates = from_differential(differential)
    try:
        result = rerank(summary, candidates, model)
    except LLMOutputError as e:
        return differential.model_copy(update={
            "llm": {"model": model.name, "error": e.problem, "graph_order": [c.id for c in differential.candidates]},
            "warnings": [*differential.warnings,
                         f"the LLM step ({model.name}) gave no valid answer ({e.problem}); the graph's order is kept"],
        })
    by_id = {c.id: c for c in differential.candidates}
    ranked = [
        by_id[cid].model_copy(update={
            "rank": k + 1, "graph_rank": by_id[cid].rank, "explanation": result.explanations.get(cid)})
        for k, cid in enumerate(result.order)
    ]
    warnings = list(differential.warnings)
    if result.ranked_by_model == 0:
        warnings.append(f"the LLM step ({result.model}) placed none of the candidates; the graph's order is kept")
    info = {
        "model": result.model,
        "prompt": result.prompt,
        "ranked_by_model": result.ranked_by_model,
        "dropped": dict(result.dropped),
        "usage": result.usage.as_dict(),
        "graph_order": [c.id for c in differential.candidates],
        "explanations": UNCHECKED,
    }
    return differential.model_copy(update={"candidates": ranked, "llm": info, "warnings": warnings})
