"""``transformers:PATH`` — a Hugging Face model in process, on CPU.

``PATH`` is a model folder (``config.json`` + weights) or a ``.gguf`` file,
which transformers de-quantises on load (needs the ``gguf`` package and
``accelerate``). Models load offline (``HF_HUB_OFFLINE=1``,
``local_files_only``) with ``settings.threads`` CPU threads.

With a schema, decoding is constrained token by token to the schema's JSON
grammar by ``llguidance`` (part of the ``llm`` extra): at every step, tokens
that cannot continue a schema-valid answer are masked out. The answer is still
parsed and validated (it can be cut short by ``max_tokens``), with one repair
attempt, like every backend's.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kg.errors import ConfigError, LLMDependencyError, LLMError, LLMTimeoutError
from kg.llm import ChatMessage
from kg.settings import LLMSettings
from reasoning.llm.base import LLM, Reply, register_llm
from reasoning.llm.shipped import resolve_model_path

EXTRA = "pip install 'medkg[llm]'"
COMPACT_JSON = {"whitespace_flexible": False, "item_separator": ", ", "key_separator": ": "}
"""Constrained answers are one-line JSON: no tokens spent on indentation."""


class _SchemaGuide:
    """A ``transformers`` logits processor that allows only tokens continuing schema-valid JSON."""

    def __init__(self, matcher: Any, n_prompt: int) -> None:
        self.matcher = matcher
        self.consumed = n_prompt

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        import numpy as np
        import torch

        for t in input_ids[0, self.consumed:].tolist():
            self.matcher.consume_token(int(t))
        self.consumed = int(input_ids.shape[1])
        if self.matcher.is_error():
            raise LLMError(f"constrained decoding failed: {self.matcher.get_error()}")
        bias = np.frombuffer(self.matcher.compute_logit_bias(), dtype=np.uint8)
        allowed = torch.zeros(scores.shape[-1], dtype=torch.bool)
        n = min(len(bias), scores.shape[-1])
        allowed[:n] = torch.from_numpy(bias[:n] > 0)
        return scores.masked_fill(~allowed, float("-inf"))


class TransformersLLM(LLM):
    """A causal language model run by ``transformers`` (``generate``, greedy at temperature 0)."""

    constrains_schema = True

    def __init__(self, name: str, path: Path, settings: LLMSettings) -> None:
        super().__init__(name, settings)
        if not path.exists():
            raise ConfigError(f"model not found: {path}")
        self.path = path
        self._lock = threading.Lock()
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import torch
            import transformers
        except ImportError as e:
            raise LLMDependencyError(f"the transformers backend needs torch and transformers: {EXTRA}") from e
        torch.set_num_threads(settings.threads)
        folder, kwargs = (path.parent, {"gguf_file": path.name}) if path.is_file() else (path, {})
        try:
            self.tokenizer = transformers.AutoTokenizer.from_pretrained(folder, local_files_only=True, **kwargs)
            self.model = transformers.AutoModelForCausalLM.from_pretrained(
                folder, local_files_only=True, dtype=torch.float32, **kwargs
            )
        except ImportError as e:
            raise LLMDependencyError(f"loading {path} needs a package that is missing ({e}): {EXTRA}") from e
        except (OSError, ValueError) as e:
            raise LLMError(f"cannot load model {path}: {e}") from e
        self.model.eval()
        if not getattr(self.tokenizer, "chat_template", None):
            raise LLMError(f"model {path} has no chat template; medkg needs an instruction-tuned chat model")
        self._guide_tokenizer: Any = None

    def _guide(self, schema: Mapping[str, Any], n_prompt: int) -> _SchemaGuide:
        try:
            import llguidance
            import llguidance.hf
        except ImportError as e:
            raise LLMDependencyError(f"schema-constrained decoding needs llguidance: {EXTRA}") from e
        if self._guide_tokenizer is None:
            self._guide_tokenizer = llguidance.hf.from_tokenizer(self.tokenizer)
        grammar = llguidance.LLMatcher.grammar_from_json_schema(dict(schema), defaults=COMPACT_JSON)
        matcher = llguidance.LLMatcher(self._guide_tokenizer, grammar, log_level=0)
        if matcher.is_error():
            raise LLMError(f"cannot constrain output to this schema: {matcher.get_error()}")
        return _SchemaGuide(matcher, n_prompt)

    @property
    def identity(self) -> str:
        """Resolved path, size and modification time of the weights."""
        st = self.path.stat()
        return f"transformers:{self.path.resolve()}:{st.st_size}:{int(st.st_mtime)}"

    def _generate(
        self, messages: list[ChatMessage], schema: Mapping[str, Any] | None, max_tokens: int, temperature: float
    ) -> Reply:
        import torch

        if torch.get_num_threads() != self.settings.threads:
            torch.set_num_threads(self.settings.threads)  # process-wide, as torch has it
        prompt = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        inputs = self.tokenizer(prompt, return_tensors="pt", add_special_tokens=False)
        n_in = int(inputs["input_ids"].shape[1])
        gen: dict[str, Any] = {"max_new_tokens": max_tokens, "max_time": self.settings.timeout_s}
        if schema is not None:
            gen["logits_processor"] = [self._guide(schema, n_in)]
        if temperature > 0:
            gen.update(do_sample=True, temperature=temperature)
        else:
            gen.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        with self._lock, torch.inference_mode():
            t0 = time.perf_counter()
            out = self.model.generate(**inputs, pad_token_id=self.tokenizer.eos_token_id, **gen)
            elapsed = time.perf_counter() - t0
        new = out[0][n_in:]
        finished = new.shape[0] >= max_tokens or (new.shape[0] and int(new[-1]) == self.tokenizer.eos_token_id)
        if elapsed >= self.settings.timeout_s and not finished:
            raise LLMTimeoutError(
                f"{self.name}: generation stopped at the time limit (timeout_s={self.settings.timeout_s}) "
                f"after {int(new.shape[0])} of at most {max_tokens} tokens"
            )
        text = self.tokenizer.decode(new, skip_special_tokens=True)
        return Reply(text=text, prompt_tokens=n_in, completion_tokens=int(new.shape[0]))


@register_llm("transformers", description="Hugging Face model folder or .gguf file, in process (CPU)")
def _open_transformers(selector: str, location: str, settings: LLMSettings) -> LLM:
    if not location:
        raise ConfigError("transformers: needs a model folder, a .gguf file or a shipped name (smollm2)")
    return TransformersLLM(selector, resolve_model_path(location), settings)
