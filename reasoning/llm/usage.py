"""Token and time accounting: what a run of model calls cost.

Example:
    >>> u = Usage()
    >>> u.record(Completion(text="x", prompt_tokens=120, completion_tokens=30), seconds=2.0)
    >>> u.record(Completion(text="x", prompt_tokens=120, completion_tokens=30, cached=True), seconds=0.0)
    >>> u.summary()
    '2 LLM calls (1 from cache), 120 prompt + 30 completion tokens, 2.0 s in the model'
    >>> u.as_dict()["total_tokens"]
    150
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from kg.llm import Completion


@dataclass
class Usage:
    """Counts over many calls; tokens of cached answers are not counted (they cost nothing).

    Attributes:
        calls: answers returned (including cached ones).
        cached: answers that came from the response cache.
        prompt_tokens: tokens read by the model.
        completion_tokens: tokens written by the model.
        repairs: answers that needed the one repair attempt.
        failures: calls that ended in an error.
        seconds: wall time spent waiting for the model.
    """

    calls: int = 0
    cached: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    repairs: int = 0
    failures: int = 0
    seconds: float = 0.0

    def record(self, completion: Completion, seconds: float = 0.0, repaired: bool = False) -> None:
        """Count one answer."""
        self.calls += 1
        self.seconds += seconds
        self.repairs += int(repaired)
        if completion.cached:
            self.cached += 1
        else:
            self.prompt_tokens += completion.prompt_tokens
            self.completion_tokens += completion.completion_tokens

    def merge(self, other: Usage) -> None:
        """Add another summary's counts to this one."""
        for k, v in asdict(other).items():
            setattr(self, k, getattr(self, k) + v)

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    def as_dict(self) -> dict[str, float | int]:
        """The counts as a JSON-ready dict (with ``total_tokens``)."""
        return {**asdict(self), "seconds": round(self.seconds, 3), "total_tokens": self.total_tokens}

    def summary(self) -> str:
        """One line for a person."""
        extra = []
        if self.repairs:
            extra.append(f"{self.repairs} repaired")
        if self.failures:
            extra.append(f"{self.failures} failed")
        tail = f" ({', '.join(extra)})" if extra else ""
        return (
            f"{self.calls} LLM call{'s' if self.calls != 1 else ''} ({self.cached} from cache), "
            f"{self.prompt_tokens} prompt + {self.completion_tokens} completion tokens, "
            f"{self.seconds:.1f} s in the model{tail}"
        )
