"""Parameter and result value helpers shared by the store adapters.

Example:
    >>> parse_param("k=3"), parse_param("id=OMIM:154700"), parse_param('s="3"')
    (('k', 3), ('id', 'OMIM:154700'), ('s', '3'))
"""

from __future__ import annotations

import json
import re
from typing import Any

from kg.errors import QueryError

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def parse_param(text: str) -> tuple[str, Any]:
    """Parse ``NAME=VALUE`` from the command line.

    The value is read as JSON when it is valid JSON (numbers, ``true``,
    ``"quoted strings"``, lists), else taken as a plain string.

    Raises:
        QueryError: no ``=`` or an invalid parameter name.
    """
    name, sep, value = text.partition("=")
    if not sep or not _NAME.match(name):
        raise QueryError(f"bad --param {text!r}: expected NAME=VALUE with NAME like 'disease_id'")
    try:
        return name, json.loads(value)
    except ValueError:
        return name, value


def check_params(params: dict[str, Any] | None) -> dict[str, Any]:
    """Validate parameter names and value types; return a plain dict."""
    out: dict[str, Any] = {}
    for k, v in (params or {}).items():
        if not _NAME.match(k):
            raise QueryError(f"invalid parameter name {k!r}")
        if not isinstance(v, str | int | float | bool | list | type(None)):
            raise QueryError(f"parameter {k!r}: unsupported value type {type(v).__name__}")
        out[k] = v
    return out


_CYPHER_NOISE = re.compile(
    r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S
)
_SPARQL_NOISE = re.compile(
    r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\s]*>|#[^\n]*", re.S
)


def strip_literals(text: str, language: str = "cypher") -> str:
    """Query text with strings, comments (and SPARQL IRIs) blanked, for keyword checks.

    Example:
        >>> strip_literals("MATCH (n {name: 'CREATE'}) RETURN n // DELETE")
        'MATCH (n {name: }) RETURN n '
        >>> strip_literals("PREFIX x: <http://x/> INSERT DATA { x:a x:b 'y' } # c", "sparql")
        'PREFIX x:  INSERT DATA { x:a x:b  } '
    """
    pattern = _SPARQL_NOISE if language == "sparql" else _CYPHER_NOISE
    return pattern.sub("", text)
