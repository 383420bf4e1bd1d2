"""The shipped tiny model in process (``transformers:smollm2``): contracts, never medical accuracy."""

from __future__ import annotations

import pytest

from kg.errors import ConfigError, LLMOutputError, LLMTimeoutError
from kg.llm import ChatModel
from reasoning.llm import open_llm
from tests.reasoning.llm.conftest import settings_in

pytestmark = pytest.mark.slow  # loads a model and generates on CPU

HELLO = [{"role": "user", "content": "Say hello."}]
SKY_SCHEMA = {
    "type": "object",
    "properties": {"answer": {"type": "string", "maxLength": 40}},
    "required": ["answer"],
    "additionalProperties": False,
}


def test_a_completion_comes_back_with_token_counts(fresh_smol) -> None:  # noqa: ANN001
    done = fresh_smol.complete(HELLO, max_tokens=4)
    assert isinstance(fresh_smol, ChatModel)
    assert done.text.strip() and done.data is None and not done.cached
    assert done.model == "transformers:smollm2"
    assert done.prompt_tokens > 5 and 1 <= done.completion_tokens <= 4
    assert fresh_smol.usage.completion_tokens == done.completion_tokens


def test_the_cache_answers_a_repeated_call_without_the_model(fresh_smol, monkeypatch, tmp_path) -> None:  # noqa: ANN001
    first = fresh_smol.complete(HELLO, max_tokens=4)
    calls = []
    real = fresh_smol._generate
    monkeypatch.setattr(fresh_smol, "_generate", lambda *a, **k: calls.append(a) or real(*a, **k))
    second = fresh_smol.complete(HELLO, max_tokens=4)
    assert calls == [] and second.cached and second.text == first.text
    # a fresh object on the same cache folder (a rerun of a benchmark) is answered from disk too
    again = fresh_smol.reconfigured(settings_in(tmp_path))
    assert again.complete(HELLO, max_tokens=4).cached
    assert "1 from cache" in fresh_smol.usage.summary()


def test_schema_constrained_output_parses(fresh_smol) -> None:  # noqa: ANN001
    done = fresh_smol.complete(
        [{"role": "user", "content": "What colour is the sky? Answer in JSON."}], schema=SKY_SCHEMA, max_tokens=24
    )
    assert set(done.data) == {"answer"} and isinstance(done.data["answer"], str)
    assert fresh_smol.usage.failures == 0


def test_a_truncated_answer_is_a_clear_error(fresh_smol) -> None:  # noqa: ANN001
    with pytest.raises(LLMOutputError) as e:
        fresh_smol.complete(HELLO, schema=SKY_SCHEMA, max_tokens=2)  # too short to close the object
    assert e.value.text.startswith("{") and "transformers:smollm2" in str(e.value)
    assert fresh_smol.usage.failures == 1


def test_generation_time_limit(smol, tmp_path) -> None:  # noqa: ANN001
    quick = smol.reconfigured(settings_in(tmp_path, timeout_s=0.001))
    with pytest.raises(LLMTimeoutError, match="timeout_s=0.001"):
        quick.complete(HELLO, max_tokens=16)


def test_a_missing_model_file_is_named(tmp_path) -> None:  # noqa: ANN001
    pytest.importorskip("transformers")
    with pytest.raises(ConfigError, match="model not found"):
        open_llm(f"transformers:{tmp_path / 'nope.gguf'}")
