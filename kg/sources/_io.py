"""Line-numbered readers for source files with clear errors.

Example:
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.tsv"
    >>> _ = p.write_text("a\\tb\\n1\\t2\\n")
    >>> [(n, r["b"]) for n, r in read_tsv(p, "demo", required=("a", "b"))]
    [(2, '2')]
"""

from __future__ import annotations

import gzip
import importlib.util
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from kg.errors import SourceFileMissing, SourceFormatError


def package_dir(name: str) -> Path | None:
    """Where an installed package's files are, found without importing it (``None``: not installed).

    Example:
        >>> package_dir("kg").name, package_dir("no_such_package_here")
        ('kg', None)
    """
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def require_file(path: Path, source: str) -> Path:
    """Return ``path`` if it is a file, else raise :class:`SourceFileMissing`."""
    if not path.is_file():
        raise SourceFileMissing(source, path)
    return path


def iter_lines(path: Path, source: str) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, line)`` (1-based, without newline) from a text file.

    ``.gz`` files are decompressed. Bytes that are not UTF-8 raise
    :class:`SourceFormatError` naming the line.
    """
    require_file(path, source)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as fh:
            for n, raw in enumerate(fh, start=1):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as e:
                    raise SourceFormatError(
                        path, n, f"not UTF-8 (byte 0x{raw[e.start]:02x} at column {e.start + 1})"
                    ) from e
                yield n, line.rstrip("\r\n")
    except (OSError, EOFError) as e:
        if isinstance(e, SourceFormatError):
            raise
        raise SourceFormatError(path, None, f"cannot read file: {e}") from e


def read_tsv(
    path: Path,
    source: str,
    required: Sequence[str] = (),
    header: Sequence[str] | None = None,
    comment: str | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` for each data row of a tab-separated file.

    Args:
        path: the file (``.gz`` allowed).
        source: source name, for error messages.
        required: columns that must be in the header.
        header: column names for a file without a header line.
        comment: lines starting with this are skipped.

    Raises:
        SourceFileMissing: no such file.
        SourceFormatError: missing columns, a row with the wrong number of
            fields (a truncated file), or bytes that are not UTF-8.
    """
    columns: list[str] | None = list(header) if header is not None else None
    seen_any = False
    for n, line in iter_lines(path, source):
        if not line or (comment and line.startswith(comment)):
            continue
        fields = line.split("\t")
        if columns is None:
            columns = fields
            missing = [c for c in required if c not in columns]
            if missing:
                raise SourceFormatError(
                    path, n, f"missing column(s) {', '.join(missing)} in header {columns}"
                )
            continue
        if len(fields) != len(columns):
            raise SourceFormatError(
                path, n, f"expected {len(columns)} tab-separated fields, got {len(fields)}"
            )
        seen_any = True
        yield n, dict(zip(columns, fields, strict=True))
    if columns is None:
        raise SourceFormatError(path, None, "file is empty (no header line)")
    if not seen_any:
        raise SourceFormatError(path, None, "file has a header but no data rows")


def read_json(path: Path, source: str) -> Any:
    """Parse a JSON file, naming the file and line on error."""
    require_file(path, source)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise SourceFormatError(path, None, f"not UTF-8 at byte offset {e.start}") from e
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise SourceFormatError(path, e.lineno, f"invalid JSON: {e.msg} (column {e.colno})") from e
