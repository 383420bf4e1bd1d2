"""On-disk caches of what is computed from a bundle: one file per bundle folder and kind.

Two things are kept this way: the compiled recogniser dictionary
(:mod:`kg.extraction.dictionary_cache`) and the diagnosis index
(:mod:`reasoning.index_cache`). Both take seconds to compute from the bundle's
LadybugDB store and a fraction of that to read back.

A cache file carries the bundle's *fingerprint*: a hash of its manifest, the size and
modification time of its LadybugDB file, the options the result was computed with and the
source of the code that computes it. Rebuilding or merging into the bundle (``medkg build``,
``medkg extract --into``) changes the manifest and the database file, and upgrading medkg
changes the code, so a stale file is never used: it is recomputed and replaced. Files are
written atomically (a reader sees the old file or the new one).

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> target = folder / "x.bin"
    >>> write_atomic(target, lambda fh: fh.write(b"data"))
    >>> target.read_bytes()
    b'data'
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from kg.bundle import STORE_PATHS, Bundle


def fingerprint(bundle: Bundle, fmt: int, options: str, code: Iterable[Path]) -> str:
    """The fingerprint of what a bundle gives (see the module docstring).

    Args:
        bundle: the bundle.
        fmt: the cache file's format version (bumped when the cached layout changes).
        options: the options of the computation, as a string.
        code: the source files whose code computes the cached result.

    Raises:
        BundleError: no bundle (manifest) at the folder.
    """
    bundle.manifest()
    h = hashlib.sha256()
    h.update(f"{fmt}\x00{sys.version_info[:2]}\x00{options}\x00".encode())
    h.update(bundle.manifest_path.read_bytes())
    db = bundle.root / STORE_PATHS["ladybug"]
    st = db.stat() if db.exists() else None
    h.update(f"\x00{st.st_size if st else -1}\x00{st.st_mtime_ns if st else -1}\x00".encode())
    for path in code:
        h.update(path.name.encode() + b"\x00" + path.read_bytes())
    return h.hexdigest()


def cache_file(cache_dir: str | Path, bundle: Bundle, kind: str, suffix: str) -> Path:
    """The one cache file of ``kind`` for a bundle folder (one per folder, replaced when stale).

    Example:
        >>> cache_file("/c", Bundle("/kg"), "index", ".pickle").name
        'index-69a7ab7cc9e613dd.pickle'
    """
    key = hashlib.sha256(str(bundle.root.resolve()).encode()).hexdigest()[:16]
    return Path(cache_dir) / f"{kind}-{key}{suffix}"


def write_atomic(path: Path, dump: Callable[[IO[bytes]], Any]) -> None:
    """Write a file through ``dump`` atomically, readable and writable by its owner only.

    Raises:
        OSError: the folder cannot be created or written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            dump(fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
