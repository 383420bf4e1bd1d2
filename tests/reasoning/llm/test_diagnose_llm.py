"""The optional LLM step of ``diagnose``: re-ranks only the graph's candidates, never adds one."""

from __future__ import annotations

import json
from pathlib import Path

from kg.settings import LLMSettings
from reasoning import case_from_hpo, diagnose, load_index
from reasoning.llm.base import LLM, Reply


class Reverser(LLM):
    """A scripted model: reverses the candidates and invents a disease."""

    def _generate(self, messages, schema, max_tokens, temperature):  # noqa: ANN001, ANN202
        cands = json.loads(messages[-1]["content"])["candidates"]
        ranking = [{"id": c["id"], "explanation": f"fits {c['label']}"} for c in reversed(cands)]
        ranking.insert(0, {"id": "OMIM:999999", "explanation": "an invented disease"})
        return Reply(json.dumps({"ranking": ranking}), 40, 20)


def test_scripted_rerank_is_grounded(fixture_kg: Path, tmp_path: Path) -> None:
    ix = load_index(fixture_kg)
    case = case_from_hpo(["HP:0001166", "HP:0002616"])
    graph = diagnose(case, ix, top_k=3)
    d = diagnose(case, ix, top_k=3, llm=Reverser("reverser", LLMSettings(cache_dir=tmp_path)))
    assert [c.id for c in d.candidates] == [c.id for c in reversed(graph.candidates)]
    assert {c.id for c in d.candidates} == {c.id for c in graph.candidates}  # nothing added
    assert [c.graph_rank for c in d.candidates] == [3, 2, 1]
    assert [c.rank for c in d.candidates] == [1, 2, 3]
    assert all(c.explanation and c.explanation.startswith("fits") for c in d.candidates)
    assert d.llm is not None and d.llm["dropped"] == {"not_a_candidate": 1}
    assert d.llm["graph_order"] == [c.id for c in graph.candidates]
    assert d.llm["usage"]["prompt_tokens"] == 40


class Babbler(LLM):
    """A scripted model that never answers JSON."""

    def _generate(self, messages, schema, max_tokens, temperature):  # noqa: ANN001, ANN202
        return Reply("I think it is Marfan syndrome.", 40, 8)


def test_a_model_without_a_valid_answer_leaves_the_graph_order(fixture_kg: Path, tmp_path: Path) -> None:
    ix = load_index(fixture_kg)
    case = case_from_hpo(["HP:0001166", "HP:0002616"])
    graph = diagnose(case, ix, top_k=3)
    d = diagnose(case, ix, top_k=3, llm=Babbler("babbler", LLMSettings(cache_dir=tmp_path)))
    assert [c.id for c in d.candidates] == [c.id for c in graph.candidates]
    assert all(c.explanation is None for c in d.candidates)
    assert d.llm is not None and "no JSON object" in d.llm["error"] and d.llm["model"] == "babbler"
    assert any("the graph's order is kept" in w for w in d.warnings)


def test_tiny_model_rerank_end_to_end(fixture_kg: Path, smol) -> None:  # noqa: ANN001
    case = case_from_hpo(["HP:0001166", "HP:0002616"])
    graph = diagnose(case, fixture_kg, top_k=3)
    d = diagnose(case, fixture_kg, top_k=3, llm=smol)
    assert sorted(c.id for c in d.candidates) == sorted(c.id for c in graph.candidates)
    assert d.llm is not None and d.llm["model"] == smol.name
    assert sum(d.llm["dropped"].values()) >= 0 and d.llm["ranked_by_model"] <= 3
