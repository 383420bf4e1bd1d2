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


_PARAM_REF = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_SPARQL_VAR = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def check_bound(text: str, params: dict[str, Any], language: str = "cypher") -> None:
    """Every ``$name`` the query uses must be given, and every parameter given must be used.

    In both languages ``$name`` is a parameter. Outside string literals and comments a
    ``$name`` with no value would be null (Cypher) or a free variable (SPARQL), so a misspelt
    name would quietly match nothing; a parameter the query never mentions is a typo too.
    In SPARQL ``?name`` and ``$name`` are one variable, so a parameter may also bind a
    ``?name`` variable.

    Raises:
        QueryError: naming the parameters missing or not used.

    Example:
        >>> check_bound("MATCH (d {id: $id}) RETURN d // $x", {"id": "1"})
        >>> check_bound("MATCH (d {id: $idd}) RETURN d", {"id": "1"})
        Traceback (most recent call last):
        ...
        kg.errors.QueryError: no value given for the query's parameter $idd; parameter id is not used by the query
        >>> check_bound("SELECT ?x WHERE { ?x ?p $v }", {"x": 1}, "sparql")
        Traceback (most recent call last):
        ...
        kg.errors.QueryError: no value given for the query's parameter $v
    """
    body = strip_literals(text, language)
    used = set(_PARAM_REF.findall(body))
    takes = set(_SPARQL_VAR.findall(body)) if language == "sparql" else used
    missing = sorted(used - set(params))
    extra = sorted(set(params) - takes)
    problems = []
    if missing:
        problems.append(f"no value given for the query's parameter{'s' if len(missing) > 1 else ''} "
                        + ", ".join("$" + m for m in missing))
    if extra:
        problems.append(f"parameter{'s' if len(extra) > 1 else ''} {', '.join(extra)} "
                        f"{'are' if len(extra) > 1 else 'is'} not used by the query")
    if problems:
        raise QueryError("; ".join(problems))


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
