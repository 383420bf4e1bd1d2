"""An on-disk cache of diagnosis indexes, so that each ``medkg diagnose`` does not rebuild one.

Building the index of a full bundle reads ~300,000 rows out of LadybugDB and makes its
matrices: about 7 s. The cached index loads in about 1.5 s. A cache file is kept per bundle
folder (``index-<key>.pickle`` under ``~/.cache/medkg/index``) and is fresh as
:mod:`kg.bundle_cache` describes: its fingerprint covers the bundle, the scoring parameters,
the Python and NumPy versions and the source of the ``kg`` and ``reasoning`` packages. At most
:data:`KEEP` index files are kept (they are ~150 MB for a full build); the least recently used
go first.

The file is a pickle after a one-line header that holds the fingerprint. A pickle can run code
when it is read, so a file is read only if it belongs to the user running medkg and nobody else
may write to it (medkg writes it with mode 0600). A graph store (``--store``) is never cached:
a database can change under the same name without anything medkg could check cheaply.

Example:
    >>> import tempfile
    >>> from reasoning.index import DiagnosisIndex
    >>> from reasoning.params import ScoringParams
    >>> folder = Path(tempfile.mkdtemp())
    >>> ix = DiagnosisIndex.from_bundle(FIXTURE_KG, cache_dir=folder)
    >>> ix.cache_status
    'written'
    >>> again = DiagnosisIndex.from_bundle(FIXTURE_KG, cache_dir=folder)
    >>> again.cache_status, again.disease_ids == ix.disease_ids
    ('hit', True)
    >>> DiagnosisIndex.from_bundle(FIXTURE_KG, ScoringParams(noise=0.1), cache_dir=folder).cache_status
    'written (stale)'
"""

from __future__ import annotations

import gc
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

import kg
from kg import bundle_cache as _cache
from kg.bundle import Bundle
from reasoning.params import ScoringParams

if TYPE_CHECKING:
    from reasoning.index import DiagnosisIndex

CACHE_FORMAT = 2
"""Bumped when the cached layout changes."""
KEEP = 3
"""How many index files the cache folder keeps."""
_MAGIC = b"medkg-index "


def _code() -> list[Path]:
    """The source files of the packages that build and use an index."""
    files: list[Path] = []
    for folder in (Path(kg.__file__).parent, Path(__file__).parent):
        files.extend(sorted(folder.rglob("*.py")))
    return files


def fingerprint(bundle: Bundle, params: ScoringParams) -> str:
    """The fingerprint of a bundle's index built with ``params``.

    Raises:
        BundleError: no bundle (manifest) at the folder.
    """
    options = f"{params.model_dump_json()}\x00numpy {np.__version__}"
    return _cache.fingerprint(bundle, CACHE_FORMAT, options, _code())


def cache_file(cache_dir: str | Path, bundle: Bundle) -> Path:
    """The one index file of a bundle folder."""
    return _cache.cache_file(cache_dir, bundle, "index", ".pickle")


def _trusted(path: Path) -> str | None:
    """Why the file must not be unpickled, or None: it must belong to this user and be writable
    by nobody else."""
    st = path.stat()
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return f"{path} belongs to another user"
    if st.st_mode & 0o022:
        return f"{path} is writable by other users"
    return None


def read(path: Path, fp: str) -> tuple[DiagnosisIndex | None, str | None]:
    """The cached index, or None and why not (no file, stale, untrusted or unreadable: then it
    is rebuilt and rewritten; the reason is None when there simply is no file)."""
    from reasoning.index import DiagnosisIndex

    try:
        with path.open("rb") as fh:
            header = fh.readline()
            if header != _MAGIC + fp.encode() + b"\n":
                return None, "stale"
            refused = _trusted(path)
            if refused:
                return None, refused
            enabled = gc.isenabled()
            gc.disable()  # ~10^6 objects: the cyclic collector would rescan them during the load
            try:
                ix = pickle.load(fh)
            finally:
                if enabled:
                    gc.enable()
    except FileNotFoundError:
        return None, None
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError,
            TypeError, IndexError) as e:
        return None, f"unreadable ({type(e).__name__}: {e})"
    if not isinstance(ix, DiagnosisIndex):
        return None, f"unreadable (holds a {type(ix).__name__})"
    try:
        os.utime(path)  # recently used: pruned last
    except OSError:
        pass
    return ix, None


def write(path: Path, fp: str, index: DiagnosisIndex) -> None:
    """Write the index file atomically, then drop the least recently used beyond :data:`KEEP`.

    Raises:
        OSError: the folder cannot be created or written.
    """
    def dump(fh: object) -> None:
        fh.write(_MAGIC + fp.encode() + b"\n")  # type: ignore[attr-defined]
        pickle.dump(index, fh, protocol=5)  # type: ignore[arg-type]

    _cache.write_atomic(path, dump)
    prune(path.parent)


def prune(cache_dir: Path, keep: int = KEEP) -> list[Path]:
    """Remove all but the ``keep`` most recently used index files; return the removed ones."""
    used: list[tuple[int, Path]] = []
    for p in cache_dir.glob("index-*.pickle"):
        try:
            used.append((p.stat().st_mtime_ns, p))
        except FileNotFoundError:  # removed by another process meanwhile
            continue
    old = [p for _t, p in sorted(used, reverse=True)[keep:]]
    for p in old:
        p.unlink(missing_ok=True)
    return old


