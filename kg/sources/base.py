"""The source registry: one place that knows every source medkg can load.

A source is a function ``load(data_dir) -> SourceData`` registered under a
name. Sources that need no data folder (HPO, shipped inside a PyPI package)
are called with ``None``.

Example:
    >>> from kg.sources import get_source
    >>> get_source("hpo").needs_data_dir
    False
    >>> get_source("nope")
    Traceback (most recent call last):
    ...
    kg.errors.UnknownSourceError: unknown source 'nope'; known sources: ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import UnknownSourceError
from kg.model import SourceData

Loader = Callable[[Path | None], SourceData]


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """A registered source.

    Attributes:
        name: registry name (``--sources`` uses it).
        description: one line for ``medkg sources``.
        loader: reads the files and returns the source's nodes and edges.
        needs_data_dir: whether it reads from the data folder.
        default: whether ``medkg build`` uses it when no ``--sources`` is given.
        license: the data licence.
        subdir: the folder under the data folder it reads, if any.
    """

    name: str
    description: str
    loader: Loader
    needs_data_dir: bool
    default: bool
    license: str
    subdir: str | None

    def load(self, data_dir: Path | None) -> SourceData:
        """Run the loader (``data_dir`` is ignored by package-data sources)."""
        return self.loader(data_dir if self.needs_data_dir else None)


_REGISTRY: dict[str, SourceSpec] = {}


def register_source(
    name: str,
    *,
    description: str,
    license: str,
    needs_data_dir: bool = True,
    default: bool = True,
    subdir: str | None = None,
) -> Callable[[Loader], Loader]:
    """Decorator that registers a loader function under ``name``."""

    def deco(fn: Loader) -> Loader:
        if name in _REGISTRY:
            raise ValueError(f"source {name!r} registered twice")
        _REGISTRY[name] = SourceSpec(
            name, description, fn, needs_data_dir, default, license, subdir
        )
        return fn

    return deco


def get_source(name: str) -> SourceSpec:
    """The registered source called ``name``.

    Raises:
        UnknownSourceError: no source of that name; the message lists the known ones.
    """
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise UnknownSourceError(f"unknown source {name!r}; known sources: {known}") from None


def all_sources() -> list[SourceSpec]:
    """Every registered source, in registration order."""
    return list(_REGISTRY.values())
