"""An on-disk cache of compiled recogniser dictionaries.

Reading the names of a full bundle's ~46,000 concepts out of LadybugDB and
normalising them takes seconds; the compiled dictionary, written with
``marshal``, loads in a fraction of that. A cache file is keyed by the
bundle's folder and carries the bundle's *fingerprint*: a hash of its
manifest, the size and modification time of its LadybugDB file, the
dictionary options and the source of the normalisation code and of the
queries that read the names. Rebuilding or
merging into the bundle (``medkg build``, ``medkg extract --into``) changes
the manifest and the database file, so a stale file is never used: it is
rebuilt and replaced (written to a temporary file, then renamed).

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
import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path

from kg.bundle import STORE_PATHS, Bundle
from kg.extraction import dictionary as _dictionary
from kg.extraction import text as _text
from kg.extraction.dictionary import Dictionary
from kg.queries import extraction as _queries

CACHE_FORMAT = 3
"""Bumped when the cached state's layout changes."""


def fingerprint(bundle: Bundle, options: str = "") -> str:
    """The bundle's fingerprint for the dictionary cache (see the module docstring).

    Raises:
        BundleError: no bundle (manifest) at the folder.
    """
    bundle.manifest()
    h = hashlib.sha256()
    h.update(f"{CACHE_FORMAT}\x00{sys.version_info[:2]}\x00{options}\x00".encode())
    h.update(bundle.manifest_path.read_bytes())
    db = bundle.root / STORE_PATHS["ladybug"]
    st = db.stat() if db.exists() else None
    h.update(f"\x00{st.st_size if st else -1}\x00{st.st_mtime_ns if st else -1}\x00".encode())
    for mod in (_text, _dictionary, _queries):  # the terms and their normal forms depend on this code
        h.update(Path(mod.__file__ or "").read_bytes())
    return h.hexdigest()


def cache_file(cache_dir: str | Path, bundle: Bundle) -> Path:
    """The one cache file of a bundle folder (one per folder, replaced when stale)."""
    key = hashlib.sha256(str(bundle.root.resolve()).encode()).hexdigest()[:16]
    return Path(cache_dir) / f"dictionary-{key}.marshal"


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
    path.parent.mkdir(parents=True, exist_ok=True)
    state = dictionary.to_state()
    state["fingerprint"] = fp
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            marshal.dump(state, fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
