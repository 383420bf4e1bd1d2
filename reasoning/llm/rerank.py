"""Re-rank and explain a differential with a language model, grounded.

The model sees the case (present and excluded phenotypes with labels) and the
graph's candidates (id, label, score, a short evidence summary), through the
versioned :data:`kg.prompts.DIFFERENTIAL_RERANK` template, and answers an
ordered list of ``{id, explanation}``. The answer is grounded with
:func:`kg.grounding.keep_listed`: ids that are not among the candidates and
repeated ids are dropped and counted. The result orders exactly the ids it was
given: the model's order first, then any candidate the model left out, in the
graph's order. It never adds a disease.

Example (a tiny in-line model that reverses the list and invents one id):
    >>> from kg.settings import LLMSettings
    >>> from reasoning.llm.base import LLM, Reply
    >>> class Reverse(LLM):
    ...     def _generate(self, messages, schema, max_tokens, temperature):
    ...         cands = json.loads(messages[-1]["content"])["candidates"]
    ...         out = [{"id": c["id"], "explanation": "fits"} for c in reversed(cands)]
    ...         return Reply(json.dumps({"ranking": out + [{"id": "OMIM:999999", "explanation": "?"}]}), 10, 5)
    >>> case = CaseSummary(present=[("HP:0001166", "Arachnodactyly")])
    >>> cands = [Candidate("OMIM:154700", "Marfan syndrome", 3.2), Candidate("OMIM:121050", "CCA", 2.9)]
    >>> r = rerank(case, cands, Reverse("reverse", LLMSettings(cache=False)))
    >>> r.order, r.dropped, r.ranked_by_model
    (['OMIM:121050', 'OMIM:154700'], {'not_a_candidate': 1}, 2)
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.errors import ConfigError
from kg.grounding import keep_listed
from kg.llm import ChatModel
from kg.prompts import DIFFERENTIAL_RERANK, Candidate, rerank_schema
from reasoning.llm.base import LLM
from reasoning.llm.usage import Usage

__all__ = ["Candidate", "CaseSummary", "RerankResult", "from_differential", "rerank"]


@dataclass(frozen=True)
class CaseSummary:
    """The case as the model sees it: (id, label) of present and excluded phenotypes."""

    present: Sequence[tuple[str, str]]
    excluded: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True)
class RerankResult:
    """A re-ranked differential.

    Attributes:
        order: every candidate id given, in the new order (never one more).
        explanations: id -> the model's explanation (for the ids it ranked).
        ranked_by_model: how many candidates the model placed itself.
        dropped: grounding drops by reason (``not_a_candidate``, ``duplicate``).
        usage: tokens and time of this call (``usage.cached`` = 1 if it came from the cache).
        model: the model's name.
        prompt: the template used, ``name@version``.
    """

    order: list[str]
    explanations: dict[str, str]
    ranked_by_model: int
    dropped: dict[str, int] = field(default_factory=dict)
    usage: Usage = field(default_factory=Usage)
    model: str = ""
    prompt: str = DIFFERENTIAL_RERANK.id

    @property
    def total_dropped(self) -> int:
        """All grounding drops."""
        return sum(self.dropped.values())


def rerank(
    case: CaseSummary,
    candidates: Sequence[Candidate],
    model: ChatModel,
    *,
    max_tokens: int | None = None,
) -> RerankResult:
    """Ask ``model`` to re-order and explain ``candidates`` for ``case``; ground the answer.

    Args:
        case: present/excluded phenotypes with labels.
        candidates: the graph's differential (objects with ``id``, ``label``,
            ``score``, ``evidence`` text), best first.
        model: any :class:`kg.llm.ChatModel` (e.g. from :func:`reasoning.llm.open_llm`).
        max_tokens: the answer's token budget [default: room for every candidate,
            :data:`TOKENS_PER_CANDIDATE` each].

    Raises:
        LLMOutputError: the answer did not match the schema, even after one repair.
        LLMError: the model could not be reached.
    """
    ids = [c.id for c in candidates]
    if len(set(ids)) != len(ids):
        raise ConfigError("candidate ids must be unique")
    if not candidates:
        return RerankResult(order=[], explanations={}, ranked_by_model=0, model=model.name)
    messages = DIFFERENTIAL_RERANK.render(present=case.present, excluded=case.excluded, candidates=candidates)
    t0 = time.perf_counter()
    # the model is asked for the ids as an enum (a backend that constrains decoding cannot invent one), but
    # the answer is validated against the general schema: a server may take a schema without enforcing it,
    # and an invented id is then dropped and counted by grounding below, not a failure
    narrow = {"constrain": rerank_schema(ids)} if isinstance(model, LLM) else {}
    budget = max_tokens if max_tokens is not None else 32 + TOKENS_PER_CANDIDATE * len(ids)
    done = model.complete(messages, schema=_ANSWER_SCHEMA, max_tokens=budget, **narrow)
    usage = Usage()
    usage.record(done, seconds=time.perf_counter() - t0)
    items = [{**it, "id": it["id"].strip(), "explanation": _shorten(it["explanation"])} for it in done.data["ranking"]]
    grounded = keep_listed(items, ids, key="id")
    ranked = [it["id"] for it in grounded.kept]
    placed = set(ranked)
    rest = [i for i in ids if i not in placed]
    return RerankResult(
        order=ranked + rest,
        explanations={it["id"]: it["explanation"] for it in grounded.kept},
        ranked_by_model=len(ranked),
        dropped=grounded.dropped,
        usage=usage,
        model=model.name,
    )


TOKENS_PER_CANDIDATE = 96
"""The answer's token budget per candidate (an id and a one-sentence explanation of at most
:data:`EXPLANATION_CHARS` characters, in JSON)."""
EXPLANATION_CHARS = 240
"""The longest explanation kept; a longer one is cut (with an ellipsis), not a failed answer."""


def _answer_schema() -> dict[str, Any]:
    """The general re-ranking schema without the explanation's length limit (the model is asked for
    at most :data:`EXPLANATION_CHARS`; a longer explanation is shortened, not rejected)."""
    schema = json.loads(json.dumps(DIFFERENTIAL_RERANK.schema))
    schema["properties"]["ranking"]["items"]["properties"]["explanation"].pop("maxLength", None)
    return schema


_ANSWER_SCHEMA = _answer_schema()


def _shorten(text: str) -> str:
    """``text`` cut to :data:`EXPLANATION_CHARS` characters.

    Example:
        >>> len(_shorten("x" * 500)), _shorten("short")
        (240, 'short')
    """
    return text if len(text) <= EXPLANATION_CHARS else text[: EXPLANATION_CHARS - 1].rstrip() + "…"


def _evidence_summary(evidence: Sequence[Any], limit: int = 6) -> str:
    """A short text of a candidate's evidence items (matches first, then conflicts)."""
    groups: dict[str, list[str]] = {"matches": [], "against": [], "typical but absent": []}
    # ties among absent features come in no fixed order: sort them, so that the prompt (and the cache key) is stable
    missing = sorted((e for e in evidence if getattr(e, "kind", "") == "missing"),
                     key=lambda e: (-(getattr(e, "frequency", None) or 0.0), str(getattr(e, "disease_term_label", ""))))
    for e in [e for e in evidence if getattr(e, "kind", "") != "missing"] + missing:
        kind = getattr(e, "kind", "")
        label = getattr(e, "disease_term_label", None) or getattr(e, "case_label", None) or getattr(e, "case_term", "")
        if kind in ("exact", "descendant", "ancestor", "related", "excluded_consistent"):
            groups["matches"].append(f"{getattr(e, 'case_label', None) or label} ({kind})")
        elif kind in ("contradicted", "excluded", "unexplained"):
            groups["against"].append(f"{getattr(e, 'case_label', None) or label} ({kind})")
        elif kind == "missing":
            groups["typical but absent"].append(str(label))
    parts = [f"{name}: {', '.join(v[:limit])}" for name, v in groups.items() if v]
    return "; ".join(parts)


def from_differential(differential: Any) -> tuple[CaseSummary, list[Candidate]]:
    """The case summary and candidates of a :class:`reasoning.models.Differential`.

    Phenotype labels come from the candidates' evidence (the case's terms are
    weighed against every candidate); a term without one is shown by its id.
    """
    labels: dict[str, str] = {}
    for c in differential.candidates:
        for e in c.evidence:
            if e.case_term and e.case_label:
                labels.setdefault(e.case_term, e.case_label)
    case = differential.case
    summary = CaseSummary(
        present=[(t, labels.get(t, t)) for t in case.present],
        excluded=[(t, labels.get(t, t)) for t in case.excluded],
    )
    cands = [Candidate(c.id, c.label, float(c.score), _evidence_summary(c.evidence)) for c in differential.candidates]
    return summary, cands
