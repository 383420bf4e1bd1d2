"""The exception hierarchy of medkg.

Every error medkg raises on purpose is a :class:`MedKGError`; callers can catch
that one class, or a specific subclass. The ``reasoning`` package extends this
hierarchy; ``kg`` never imports from ``reasoning``.
"""

from __future__ import annotations

from pathlib import Path


class MedKGError(Exception):
    """Root of every error raised on purpose by medkg."""


class ConfigError(MedKGError):
    """A setting is missing or invalid (e.g. no data folder was given)."""


class NotWritableError(ConfigError):
    """An output folder cannot be written (read-only, missing, or a file in the way)."""


class UnknownSourceError(MedKGError):
    """A source name that is not in the source registry."""


class SourceError(MedKGError):
    """A source could not be read."""


class SourceFileMissing(SourceError):
    """A file a source needs is not there.

    Example:
        >>> str(SourceFileMissing("hsdn", Path("/x/hsdn/symptoms-DO.tsv")))
        "source 'hsdn': file not found: /x/hsdn/symptoms-DO.tsv"
    """

    def __init__(self, source: str, path: Path) -> None:
        self.source = source
        self.path = path
        super().__init__(f"source {source!r}: file not found: {path}")


class SourceFormatError(SourceError):
    """A source file is malformed; names the file and (1-based) line.

    Example:
        >>> str(SourceFormatError(Path("a.tsv"), 7, "expected 5 columns, got 3"))
        'a.tsv, line 7: expected 5 columns, got 3'
    """

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        where = f"{path}, line {line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")


class InvalidCurieError(MedKGError):
    """A string that is not a CURIE with a known prefix."""


class StoreError(MedKGError):
    """A graph store failed."""


class UnknownStoreError(StoreError):
    """A store selector whose scheme no adapter is registered for."""


class StoreConnectionError(StoreError):
    """The store could not be opened or reached."""


class ReadOnlyError(StoreError):
    """A write was attempted on a store opened read-only."""


class QueryError(StoreError):
    """A query was rejected by the engine (syntax, unknown names, bad params)."""


class BundleError(MedKGError):
    """A knowledge-graph bundle is missing, incomplete or inconsistent."""


class BuildError(MedKGError):
    """The build failed; the previous bundle, if any, is left in place."""


class ExtractionError(MedKGError):
    """Text extraction failed (a bad dictionary, an unusable model answer, ...)."""


class ExtractionWorkerError(ExtractionError):
    """A worker process of parallel extraction died or could not start."""


class InputError(MedKGError):
    """An input document cannot be read: not UTF-8, empty, too large, malformed.

    Example:
        >>> str(InputError(Path("a.txt"), "not UTF-8 (byte 0xff at offset 12)"))
        'a.txt: not UTF-8 (byte 0xff at offset 12)'
    """

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = f"{path}, line {line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")


class MissingExtraError(MedKGError, ImportError):
    """An optional dependency is not installed; the message names the extra.

    Example:
        >>> str(MissingExtraError("faiss", "embed"))
        "faiss is not installed: pip install 'medkg[embed]'"
    """

    def __init__(self, package: str, extra: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(f"{package} is not installed: pip install 'medkg[{extra}]'")


class EmbeddingError(MedKGError):
    """Embeddings or vector indexes cannot be built or used (bad model, bad index)."""


class IndexMismatchError(EmbeddingError):
    """A stored vector index was built for another graph or another model."""


class LinkingError(MedKGError):
    """A mention cannot be linked (empty or not text)."""


class LLMError(MedKGError):
    """A language-model call failed (see the subclasses)."""


class UnknownLLMError(LLMError):
    """An LLM selector whose scheme no backend is registered for."""


class LLMDependencyError(LLMError, ImportError):
    """An LLM backend needs an optional package; the message names the extra to install."""


class LLMConnectionError(LLMError):
    """The model endpoint could not be reached, timed out, or kept failing after retries."""


class LLMTimeoutError(LLMConnectionError):
    """The model did not answer within ``timeout_s`` (after the retries)."""


class LLMRequestError(LLMError):
    """The model endpoint rejected the request (a 4xx answer other than a rate limit)."""


class RemoteLLMRefused(LLMError):
    """Text would go to a non-local endpoint and ``allow_remote`` is not set."""


class LLMOutputError(LLMError):
    """The model's answer is not valid JSON for the schema, even after one repair attempt.

    Attributes:
        text: what the model returned (last attempt).
        problem: why it was rejected.

    Example:
        >>> str(LLMOutputError("model m", "sure! {", "not JSON: unterminated object"))
        "model m returned output that does not match the schema (not JSON: unterminated object); it returned: 'sure! {'"
    """

    def __init__(self, model: str, text: str, problem: str) -> None:
        self.model = model
        self.text = text
        self.problem = problem
        shown = text if len(text) <= 2000 else text[:2000] + f"... [{len(text)} characters]"
        super().__init__(
            f"{model} returned output that does not match the schema ({problem}); it returned: {shown!r}"
        )
