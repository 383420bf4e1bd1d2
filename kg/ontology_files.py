"""Where the schema files of ``ontologies/`` are (in a checkout or an install).

Example:
    >>> schema_path("medkg.ttl").name
    'medkg.ttl'
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from kg.errors import MedKGError

SCHEMA_FILES = ("medkg.ttl", "shapes.ttl", "prefixes.json")


def schema_path(name: str) -> Path:
    """Path of one of :data:`SCHEMA_FILES`.

    Raises:
        MedKGError: the file is not installed (a broken installation).
    """
    if name not in SCHEMA_FILES:
        raise MedKGError(f"unknown schema file {name!r}; known: {', '.join(SCHEMA_FILES)}")
    p = Path(str(files("kg.ontologies") / name))
    if not p.is_file():
        raise MedKGError(f"schema file missing from the installation: {p}")
    return p
