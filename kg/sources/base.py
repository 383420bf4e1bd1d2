"""The source registry: one place that knows every source medkg can load.

A source is a function ``load(data_dir) -> SourceData`` registered under a
name. Sources that need no data folder (HPO, shipped inside a PyPI package)
are called with ``None``; such a source may also read another release of its
files from a folder the user names (``load(None, folder=DIR)``, e.g. the HPO
release downloaded from its home: ``medkg build --hpo-dir DIR``).

A source that *enriches* adds to the nodes the other sources of the build
assert and creates none (drug synonyms): it is called after them, with their
contributions (``load(None, earlier=PARTS)``). A source whose reader needs a
package that may be missing names why it cannot load in ``unavailable()``.

Example:
    >>> from kg.sources import get_source
    >>> get_source("hpo").needs_data_dir, get_source("hpo").takes_folder
    (False, True)
    >>> get_source("nope")
    Traceback (most recent call last):
    ...
    kg.errors.UnknownSourceError: unknown source 'nope'; known sources: ...
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ConfigError, UnknownSourceError
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
        takes_folder: whether the loader reads its files from a folder given
            instead (``loader(None, folder=DIR)``).
        enriches: the loader adds to the nodes of the build's other sources and is
            called after them with their contributions (``loader(None, earlier=PARTS)``).
        unavailable: says why the source cannot load here (a package it reads is not
            installed, with the command that installs it), or ``None`` when it can.
    """

    name: str
    description: str
    loader: Loader
    needs_data_dir: bool
    default: bool
    license: str
    subdir: str | None
    takes_folder: bool = False
    enriches: bool = False
    unavailable: Callable[[], str | None] | None = None

    def missing(self) -> str | None:
        """Why this source cannot load here (a missing package), or ``None``."""
        return self.unavailable() if self.unavailable is not None else None

    def load(self, data_dir: Path | None, folder: Path | None = None,
             earlier: Sequence[SourceData] = ()) -> SourceData:
        """Run the loader (``data_dir`` is ignored by package-data sources).

        Args:
            data_dir: the data folder.
            folder: a folder holding this source's files to read instead.
            earlier: the contributions of the build's other sources (what an enriching
                source adds to).

        Raises:
            ConfigError: ``folder`` given to a source that cannot take one, or not a folder.
        """
        if self.enriches:
            if folder is not None:
                self.check_folder(folder)
            return self.loader(None, earlier=earlier)  # type: ignore[call-arg]
        if folder is None:
            return self.loader(data_dir if self.needs_data_dir else None)
        self.check_folder(folder)
        return self.loader(None, folder=folder)  # type: ignore[call-arg]

    def check_folder(self, folder: Path) -> None:
        """Check that this source can read its files from ``folder``.

        Raises:
            ConfigError: the source takes no folder, or ``folder`` is not one.
        """
        if not self.takes_folder:
            raise ConfigError(f"source {self.name!r} reads no folder of its own (it reads the data folder)")
        if folder.exists() and not folder.is_dir():
            raise ConfigError(f"{self.name} folder: {folder} is a file, not a folder")
        if not folder.is_dir():
            raise ConfigError(f"{self.name} folder not found: {folder}")


_REGISTRY: dict[str, SourceSpec] = {}


def register_source(
    name: str,
    *,
    description: str,
    license: str,
    needs_data_dir: bool = True,
    default: bool = True,
    subdir: str | None = None,
    takes_folder: bool = False,
    enriches: bool = False,
    unavailable: Callable[[], str | None] | None = None,
) -> Callable[[Loader], Loader]:
    """Decorator that registers a loader function under ``name``."""

    def deco(fn: Loader) -> Loader:
        if name in _REGISTRY:
            raise ValueError(f"source {name!r} registered twice")
        _REGISTRY[name] = SourceSpec(
            name, description, fn, needs_data_dir, default, license, subdir, takes_folder, enriches,
            unavailable,
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
