"""The model protocol that ``kg`` accepts where it needs a language model.

``kg`` never imports a model backend: code that needs one (the LLM method of
relation extraction) takes any object with this shape. ``reasoning.llm``
provides the backends (local files, OpenAI-compatible servers); they satisfy
:class:`ChatModel` structurally.

Example:
    >>> class Echo:
    ...     name = "echo"
    ...     def complete(self, messages, *, schema=None, max_tokens=256, temperature=0.0):
    ...         return Completion(text=messages[-1]["content"], model=self.name)
    >>> isinstance(Echo(), ChatModel)
    True
    >>> Echo().complete([{"role": "user", "content": "hi"}]).text
    'hi'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypedDict, runtime_checkable


class ChatMessage(TypedDict):
    """One chat turn: ``role`` is ``system``, ``user`` or ``assistant``."""

    role: str
    content: str


@dataclass(frozen=True)
class Completion:
    """What a model returned for one call.

    Attributes:
        text: the raw text the model produced.
        data: the parsed object when a JSON schema was given (validated against it), else None.
        model: the model's name or selector.
        prompt_tokens: tokens read by the model.
        completion_tokens: tokens written by the model.
        cached: True when the answer came from the response cache.
    """

    text: str
    data: Any = None
    model: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached: bool = False


@runtime_checkable
class ChatModel(Protocol):
    """A chat model: messages in, a :class:`Completion` out.

    With ``schema`` (a JSON Schema object) the returned ``Completion.data`` is
    the parsed, schema-valid object; a model that cannot produce one raises
    an error that is a :class:`kg.errors.MedKGError`.
    """

    name: str

    def complete(
        self,
        messages: Sequence[ChatMessage] | Sequence[Mapping[str, str]],
        *,
        schema: Mapping[str, Any] | None = None,
        max_tokens: int = 256,
        temperature: float = 0.0,
    ) -> Completion:
        """Answer the conversation; see the class docstring."""
        ...
