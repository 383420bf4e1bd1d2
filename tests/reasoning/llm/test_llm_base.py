"""The shared contract of every backend: messages, cache, schema validation and repair, usage.

These tests drive :class:`reasoning.llm.base.LLM` with a scripted backend (a
list of canned replies) to exercise the repair path deterministically; the
same contract is checked on the real model in ``test_llm_transformers.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import ConfigError, LLMOutputError, UnknownLLMError
from kg.llm import ChatModel
from kg.settings import LLMSettings, Settings
from reasoning.llm import LLM, Reply, backends, open_llm
from reasoning.llm.base import llm_settings, schema_instruction

SCHEMA = {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]}
ASK = [{"role": "user", "content": "What colour is the sky?"}]


class Scripted(LLM):
    """Answers with the next canned reply and records what it was sent."""

    def __init__(self, replies: list[str], settings: LLMSettings) -> None:
        super().__init__("scripted", settings)
        self.replies = list(replies)
        self.sent: list[list[dict[str, str]]] = []

    def _generate(self, messages, schema, max_tokens, temperature):  # noqa: ANN001, ANN202
        self.sent.append(list(messages))
        return Reply(self.replies.pop(0), prompt_tokens=10, completion_tokens=5)


def test_satisfies_the_kg_protocol(tmp_path: Path) -> None:
    assert isinstance(Scripted([], LLMSettings(cache_dir=tmp_path)), ChatModel)


def test_valid_json_in_prose_and_fences_is_accepted(tmp_path: Path) -> None:
    m = Scripted(['Sure:\n```json\n{"answer": "blue"}\n```'], LLMSettings(cache_dir=tmp_path))
    done = m.complete(ASK, schema=SCHEMA)
    assert done.data == {"answer": "blue"}
    assert schema_instruction(SCHEMA) in m.sent[0][0]["content"]  # unconstrained: the schema is spelled out
    assert m.usage.repairs == 0


def test_one_repair_attempt_shows_the_problem_to_the_model(tmp_path: Path) -> None:
    m = Scripted(['{"answer": 42}', '{"answer": "blue"}'], LLMSettings(cache_dir=tmp_path))
    done = m.complete(ASK, schema=SCHEMA)
    assert done.data == {"answer": "blue"}
    assert (done.prompt_tokens, done.completion_tokens) == (20, 10)  # both attempts counted
    repair = m.sent[1]
    assert repair[-2] == {"role": "assistant", "content": '{"answer": 42}'}
    assert "42 is not of type 'string'" in repair[-1]["content"]
    assert m.usage.repairs == 1


def test_second_failure_is_a_clear_error_with_the_output(tmp_path: Path) -> None:
    m = Scripted(["I think it is blue.", "Blue!"], LLMSettings(cache_dir=tmp_path))
    with pytest.raises(LLMOutputError) as e:
        m.complete(ASK, schema=SCHEMA)
    assert e.value.text == "Blue!"
    assert "Blue!" in str(e.value) and "scripted" in str(e.value)
    assert m.usage.failures == 1 and not m.replies
    # a failure is not cached: the next call asks the model again
    m.replies = ['{"answer": "blue"}']
    assert m.complete(ASK, schema=SCHEMA).cached is False


def test_cache_answers_identical_calls_without_the_model(tmp_path: Path) -> None:
    m = Scripted(['{"answer": "blue"}'], LLMSettings(cache_dir=tmp_path))
    first = m.complete(ASK, schema=SCHEMA, max_tokens=20)
    second = m.complete(ASK, schema=SCHEMA, max_tokens=20)
    assert len(m.sent) == 1 and second.cached and not first.cached
    assert (second.text, second.data) == (first.text, first.data)
    # another process (a new object on the same folder) reuses it too
    other = Scripted([], LLMSettings(cache_dir=tmp_path))
    assert other.complete(ASK, schema=SCHEMA, max_tokens=20).cached
    # any change of parameters is a different call
    m.replies = ['{"answer": "grey"}']
    assert m.complete(ASK, schema=SCHEMA, max_tokens=21).data == {"answer": "grey"}
    assert m.usage.calls == 3 and m.usage.cached == 1
    assert "3 LLM calls (1 from cache)" in m.usage.summary()


def test_cache_can_be_switched_off(tmp_path: Path) -> None:
    m = Scripted(["a", "b"], LLMSettings(cache=False, cache_dir=tmp_path))
    assert [m.complete(ASK).text for _ in range(2)] == ["a", "b"]
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("messages", "problem"),
    [
        ([], "no messages"),
        ([{"role": "robot", "content": "x"}], "role must be one of"),
        ([{"role": "user", "content": None}], "content must be text"),
    ],
)
def test_bad_messages_are_refused(tmp_path: Path, messages: list, problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        Scripted([], LLMSettings(cache_dir=tmp_path)).complete(messages)


def test_selectors_and_settings() -> None:
    assert {"transformers", "openai", "https", "llamacpp"} <= set(backends())
    with pytest.raises(UnknownLLMError, match="no scheme"):
        open_llm("smollm2")
    with pytest.raises(UnknownLLMError, match="known: "):
        open_llm("gpt:4")
    s = Settings.from_env({"MEDKG_LLM_ALLOW_REMOTE": "1", "MEDKG_LLM_CACHE_DIR": "/tmp/x"})
    assert llm_settings(s).allow_remote and str(llm_settings(s).cache_dir) == "/tmp/x"
    assert llm_settings(None).allow_remote is False


def test_llamacpp_backend_names_its_package_when_missing(tmp_path: Path) -> None:
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("llama_cpp is installed")
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    from kg.errors import LLMDependencyError

    with pytest.raises(LLMDependencyError, match="pip install llama-cpp-python"):
        open_llm(f"llamacpp:{model}", LLMSettings(cache_dir=tmp_path))


def test_usage_is_json_ready(tmp_path: Path) -> None:
    m = Scripted(["x"], LLMSettings(cache_dir=tmp_path))
    m.complete(ASK)
    d = m.usage.as_dict()
    assert json.loads(json.dumps(d))["total_tokens"] == 15
