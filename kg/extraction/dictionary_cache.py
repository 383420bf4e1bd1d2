"""An on-disk cache of compiled recogniser dictionaries.

Reading the names of a full bundle's ~46,000 concepts out of LadybugDB and
normalising them takes seconds; the compiled dictionary, written with
``marshal``, loads in a fraction of that. The file is keyed and kept fresh as
:mod:`kg.bundle_cache` describes; the fingerprint covers the dictionary options and
the source of the normalisation code and of the queries that read the names.

Example:
    >>> import tempfile
    >>> from kg.extraction.dictionary import Dictionary
    >>> d = Dictionary.from_concepts([("HP:0000545", "phenotype", "Myopia", [])])
    >>> folder = Path(tempfile.mkdtemp())
    >>> write(folder / "d.marshal", "fp1", d)
    >>> read(folder / "d.marshal", "fp1").entry(("myopia",)).id
    'HP:0000545'
    >>> read(folder / "d.marshal", "fp2") is None
    True
"""

from __future__ import annotations

import gc
import marshal
from pathlib import Path

from kg import bundle_cache as _cache
from kg.bundle import Bundle
from kg.extraction import dictionary as _dictionary
from kg.extraction import text as _text
from kg.extraction.dictionary import Dictionary
from kg.queries import extraction as _queries

CACHE_FORMAT = 3
"""Bumped when the cached state's layout changes."""


def fingerprint(bundle: Bundle, options: str = "") -> str:
    """The bundle's fingerprint for the dictionary cache (see :mod:`kg.bundle_cache`).

    Raises:
        BundleError: no bundle (manifest) at the folder.
    """
    # the terms and their normal forms depend on this code, and on the lay synonyms' table
    code = [*(Path(mod.__file__ or "") for mod in (_text, _dictionary, _queries)),
            _dictionary.LAY_SYNONYMS_FILE]
    return _cache.fingerprint(bundle, CACHE_FORMAT, options, code)


def cache_file(cache_dir: str | Path, bundle: Bundle) -> Path:
    """The one cache file of a bundle folder (one per folder, replaced when stale)."""
    return _cache.cache_file(cache_dir, bundle, "dictionary", ".marshal")


def read(path: Path, fp: str) -> Dictionary | None:
    """The cached dictionary, or ``None`` if there is none, it is stale
    (another fingerprint) or it cannot be read (then it will be rewritten)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    enabled = gc.isenabled()
    gc.disable()  # ~10^6 containers: the cyclic collector would rescan them during the load
    try:
        state = marshal.loads(data)
        if not isinstance(state, dict) or state.get("fingerprint") != fp:
            return None
        return Dictionary.from_state(state)
    except (EOFError, ValueError, TypeError, KeyError):
        return None
    finally:
        if enabled:
            gc.enable()


def write(path: Path, fp: str, dictionary: Dictionary) -> None:
    """Write the cache file atomically (a reader sees the old file or the new one).

    Raises:
        OSError: the folder cannot be created or written.
    """
    state = dictionary.to_state()
    state["fingerprint"] = fp
    _cache.write_atomic(path, lambda fh: marshal.dump(state, fh))
