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


_NAME_RX = r"[A-Za-z_][A-Za-z0-9_]*"
_CYPHER_NOISE = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/"
_IRI_CHAR = r"[^<>\"{}|^`\\\x00-\x20&]|&(?!&)"
_SPARQL_NOISE = (
    r'"""(?:[^"\\]|\\.|"(?!""))*"""' + r"|'''(?:[^'\\]|\\.|'(?!''))*'''"  # long strings span lines
    + r"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""
    + rf"|<(?![?$])(?:{_IRI_CHAR})*>"  # an IRI: not '<' before a variable ('?o<$max'), no '&&' in it
    + r"|#[^\n]*"
)
_TOKENS = {
    # parameters: '$name', in Cypher also the quoted spelling '$`name`'; SPARQL's '?name' is the
    # same variable as '$name'. Strings, comments, quoted identifiers and IRIs are skipped.
    "cypher": re.compile(rf"\$`(?P<quoted>[^`]*)`|\$(?P<param>{_NAME_RX})|{_CYPHER_NOISE}", re.S),
    "sparql": re.compile(rf"\$(?P<param>{_NAME_RX})|\?(?P<var>{_NAME_RX})|{_SPARQL_NOISE}", re.S),
}
_NOISE = {"cypher": re.compile(_CYPHER_NOISE, re.S), "sparql": re.compile(_SPARQL_NOISE, re.S)}


def _references(text: str, language: str) -> tuple[set[str], set[str]]:
    """The names the query writes as ``$name`` (Cypher also ``$`name```) and as ``?name``
    (SPARQL), outside strings, comments, quoted identifiers and IRIs."""
    dollar: set[str] = set()
    question: set[str] = set()
    for m in _TOKENS[language].finditer(text):
        g = m.groupdict()
        if g.get("quoted") is not None:
            dollar.add(g["quoted"])
        elif g.get("param"):
            dollar.add(g["param"])
        elif g.get("var"):
            question.add(g["var"])
    return dollar, question


def quoted_parameters(text: str) -> list[str]:
    """The Cypher parameters written in the quoted spelling ``$`name```, in order.

    Example:
        >>> quoted_parameters("MATCH (d {id: $`id`, `$x`: $y}) RETURN d // $`z`")
        ['id']
    """
    return [m["quoted"] for m in _TOKENS["cypher"].finditer(text) if m["quoted"] is not None]


def check_bound(text: str, params: dict[str, Any], language: str = "cypher") -> None:
    """Check the parameters given against the parameters the query uses.

    Cypher: every ``$name`` (or ``$`name```) outside strings and comments must be given (a
    parameter with no value is null, so a misspelt name would quietly match nothing), and every
    parameter given must be used. SPARQL: ``$name`` and ``?name`` are one variable, so a parameter
    binds either spelling, and a ``$name`` given no value is an ordinary free variable (valid
    SPARQL, not an error); only a parameter the query never mentions is an error, and the message
    names the query's free ``$`` variables, where a misspelling usually is.

    Raises:
        QueryError: naming the parameters missing (Cypher) or not used.

    Example:
        >>> check_bound("MATCH (d {id: $id}) RETURN d // $x", {"id": "1"})
        >>> check_bound("MATCH (d {id: $idd}) RETURN d", {"id": "1"})
        Traceback (most recent call last):
        ...
        kg.errors.QueryError: no value given for the query's parameter $idd; parameter id is not used by the query
        >>> check_bound("SELECT $x WHERE { $x a ?t }", {}, "sparql")
        >>> check_bound("SELECT ?x WHERE { ?x ?p $v }", {"w": 1}, "sparql")
        Traceback (most recent call last):
        ...
        kg.errors.QueryError: parameter w is not used by the query (its $v has no value: a free variable)
    """
    dollar, question = _references(text, language)
    sparql = language == "sparql"
    missing = [] if sparql else sorted(dollar - set(params))
    extra = sorted(set(params) - dollar - question)
    problems = []
    if missing:
        problems.append(f"no value given for the query's parameter{'s' if len(missing) > 1 else ''} "
                        + ", ".join("$" + m for m in missing))
    if extra:
        msg = (f"parameter{'s' if len(extra) > 1 else ''} {', '.join(extra)} "
               f"{'are' if len(extra) > 1 else 'is'} not used by the query")
        free = sorted(dollar - set(params)) if sparql else []
        if free:
            msg += (f" (its {', '.join('$' + f for f in free)} "
                    f"{'have' if len(free) > 1 else 'has'} no value: a free variable)")
        problems.append(msg)
    if problems:
        raise QueryError("; ".join(problems))


def strip_literals(text: str, language: str = "cypher") -> str:
    """Query text with strings, comments (and SPARQL IRIs) blanked, for keyword checks.

    Example:
        >>> strip_literals("MATCH (n {name: 'CREATE'}) RETURN n // DELETE")
        'MATCH (n {name: }) RETURN n '
        >>> strip_literals("PREFIX x: <http://x/> INSERT DATA { x:a x:b 'y' } # c", "sparql")
        'PREFIX x:  INSERT DATA { x:a x:b  } '
        >>> strip_literals("ASK { ?s ?p '''a\\nINSERT''' FILTER(?o<$max&&?o>2) }", "sparql")
        'ASK { ?s ?p  FILTER(?o<$max&&?o>2) }'
    """
    return _NOISE["sparql" if language == "sparql" else "cypher"].sub("", text)
