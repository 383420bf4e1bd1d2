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
    assert d.llm["explanations"].startswith("the model's own words: not checked")


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


class Rambler(LLM):
    """A scripted model: the graph's order, one explanation far over the asked length."""

    def _generate(self, messages, schema, max_tokens, temperature):  # noqa: ANN001, ANN202
        cands = json.loads(messages[-1]["content"])["candidates"]
        return Reply(json.dumps({"ranking": [{"id": c["id"], "explanation": "long " * 100} for c in cands]}), 40, 20)


class Inventor(LLM):
    """A scripted model that only answers diseases it was not given."""

    def _generate(self, messages, schema, max_tokens, temperature):  # noqa: ANN001, ANN202
        return Reply(json.dumps({"ranking": [{"id": "OMIM:999999", "explanation": "?"}]}), 40, 8)


def test_long_explanations_are_cut_and_an_empty_placement_is_said(fixture_kg: Path, tmp_path: Path) -> None:
    ix = load_index(fixture_kg)
    case = case_from_hpo(["HP:0001166", "HP:0002616"])
    d = diagnose(case, ix, top_k=3, llm=Rambler("rambler", LLMSettings(cache_dir=tmp_path)))
    assert d.llm is not None and d.llm["ranked_by_model"] == 3 and "error" not in d.llm
    assert all(c.explanation is not None and len(c.explanation) == 240 and c.explanation.endswith("…")
               for c in d.candidates)
    d = diagnose(case, ix, top_k=3, llm=Inventor("inventor", LLMSettings(cache_dir=tmp_path)))
    assert [c.graph_rank for c in d.candidates] == [1, 2, 3] and d.llm["dropped"] == {"not_a_candidate": 1}
    assert any("placed none of the candidates" in w for w in d.warnings)


def test_tiny_model_rerank_end_to_end(fixture_kg: Path, smol) -> None:  # noqa: ANN001
    case = case_from_hpo(["HP:0001166", "HP:0002616"])
    graph = diagnose(case, fixture_kg, top_k=3)
    d = diagnose(case, fixture_kg, top_k=3, llm=smol)
    assert sorted(c.id for c in d.candidates) == sorted(c.id for c in graph.candidates)
    assert d.llm is not None and d.llm["model"] == smol.name
    assert sum(d.llm["dropped"].values()) >= 0 and d.llm["ranked_by_model"] <= 3
