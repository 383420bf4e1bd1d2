"""Reading the curated tables kept beside the code (tab-separated, ``#`` comments).

Example:
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.tsv"
    >>> _ = p.write_text("# id\\tname\\n\\nHP:0001250\\tfits\\n", encoding="utf-8")
    >>> table_lines(p, "demo table")
    [(3, 'HP:0001250\\tfits')]
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import ExtractionError


def table_lines(path: str | Path, what: str) -> list[tuple[int, str]]:
    """The lines of a curated table with their line numbers (from 1), without blank lines and
    ``#`` comments; the caller splits and checks each.

    Args:
        path: the table (UTF-8).
        what: what the table is, for the error (``"lay synonyms table"``).

    Raises:
        ExtractionError: the table cannot be read, or is not UTF-8 (names ``what`` and ``path``).
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise ExtractionError(f"cannot read the {what} {path}: {e}") from e
    return [(n, line) for n, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")]
