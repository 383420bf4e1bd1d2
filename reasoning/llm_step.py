"""The optional LLM step of a diagnosis: re-rank and explain the graph's top-k.

The model only re-orders the candidates it is given (grounded by
:func:`reasoning.llm.rerank.rerank`); it can never add a disease. Scores and
probabilities stay the graph's; each candidate keeps its ``graph_rank``, and
``Differential.llm`` records the model, prompt version, grounding drops and tokens.
"""

from __future__ import annotations


from kg.llm import ChatModel
from reasoning.models import Differential


def rerank_differential(differential: Differential, model: ChatModel) -> Differential:
    """``differential`` with its candidates re-ordered and explained by ``model``.

    Raises:
        LLMError: the model failed (unreachable, or no schema-valid answer after a repair).
    """
    from reasoning.llm.rerank import from_differential, rerank

    summary, candidates = from_differential(differential)
    result = rerank(summary, candidates, model)
    by_id = {c.id: c for c in differential.candidates}
    ranked = [
        by_id[cid].model_copy(update={
            "rank": k + 1, "graph_rank": by_id[cid].rank, "explanation": result.explanations.get(cid)})
        for k, cid in enumerate(result.order)
    ]
    info = {
        "model": result.model,
        "prompt": result.prompt,
        "ranked_by_model": result.ranked_by_model,
        "dropped": dict(result.dropped),
        "usage": result.usage.as_dict(),
        "graph_order": [c.id for c in differential.candidates],
    }
    return differential.model_copy(update={"candidates": ranked, "llm": info})
