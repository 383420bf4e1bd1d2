"""Checking, before any long work, that a folder can be written.

Example:
    >>> import tempfile
    >>> blocker = Path(tempfile.mkdtemp()) / "a-file"
    >>> _ = blocker.write_text("")
    >>> check_writable(blocker / "kg")
    Traceback (most recent call last):
    ...
    kg.errors.NotWritableError: cannot write .../a-file/kg: .../a-file is not a folder
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from kg.errors import NotWritableError


def check_writable(folder: Path, *, must_exist: bool = False) -> None:
    """Make sure new files and folders can be created in ``folder``; nothing is left behind.

    A folder that does not exist yet is fine (unless ``must_exist``) when its nearest
    existing ancestor is writable, since the writer creates the missing folders.

    Args:
        folder: where the caller will write.
        must_exist: the caller does not create ``folder``; its absence is an error.

    Raises:
        NotWritableError: ``folder`` (or the ancestor it would be created in) is not a
            folder or refuses a new entry; the message names it and the reason.
    """
    folder = Path(folder).expanduser().absolute()
    if must_exist and not folder.is_dir():
        reason = "not a folder" if folder.exists() else "no such folder"
        raise NotWritableError(f"cannot write {folder}: {reason}")
    base = folder
    while not base.exists() and base != base.parent:
        base = base.parent
    if not base.is_dir():
        raise NotWritableError(f"cannot write {folder}: {base} is not a folder")
    try:
        probe = tempfile.mkdtemp(prefix=".medkg-write-check-", dir=base)
    except OSError as e:
        where = "" if base == folder else f" (creating folders in {base})"
        raise NotWritableError(f"cannot write {folder}: {e.strerror or e}{where}") from e
    shutil.rmtree(probe, ignore_errors=True)
