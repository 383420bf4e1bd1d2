"""SPARQL results in the TSV format (as Oxigraph writes them) as rows of plain values.

Oxigraph's Python solutions cost microseconds per value to reach from Python; letting Oxigraph
write the whole result as TSV in Rust and reading that text here is several times faster on
large results (the diagnosis index's 254,000 phenotype annotations). The values are the ones
:func:`kg.stores.oxigraph.to_python` gives for the same terms: IRIs as CURIEs where the prefix
map covers them, ``xsd`` integers as ``int``, doubles, floats and decimals as ``float``,
booleans as ``bool``, other literals as their text, blank nodes as ``_:id``, unbound as ``None``.

Example:
    >>> read_tsv(b'?id\\t?n\\t?x\\n"HP:1"\\t2\\t\\n<http://purl.obolibrary.org/obo/HP_0000118>\\t"a\\\\tb"@en\\ttrue\\n')
    (['id', 'n', 'x'], [('HP:1', 2, None), ('HP:0000118', 'a\\tb', True)])
"""

from __future__ import annotations

import re
from typing import Any

from kg.curie import contract
from kg.errors import InvalidCurieError, QueryError

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + k for k in ("integer", "int", "long", "short", "nonNegativeInteger")}
_FLOATS = {XSD + k for k in ("double", "float", "decimal")}
_BOOLEAN = XSD + "boolean"
_INTEGER = re.compile(r"[+-]?[0-9]+")
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescaped(text: str) -> str:
    r"""A Turtle string's text without its escapes (``\t``, ``\"``, ``\\``, ``\uXXXX``, ...).

    Example:
        >>> _unescaped(r'a\tb\"c\\d\u00e9\U0001F600')
        'a\tb"c\\dé😀'
    """
    if "\\" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        code = m.group(1) or m.group(2)
        if code:
            return chr(int(code, 16))
        try:
            return _ECHAR[m.group(3)]
        except KeyError as e:
            raise QueryError(f"unreadable escape \\{m.group(3)} in a SPARQL TSV result") from e

    return _ESCAPE.sub(one, text)


def _iri(text: str) -> str:
    try:
        return contract(text)
    except InvalidCurieError:
        return text


def typed_value(text: str, datatype: str) -> Any:
    """A typed literal's value: ``xsd`` integers as ``int``, doubles, floats and decimals as
    ``float``, booleans as ``bool``, others as their text (also :func:`kg.stores.oxigraph.to_python`'s).

    Example:
        >>> typed_value("3", XSD + "long"), typed_value("1", XSD + "boolean"), typed_value("x", XSD + "date")
        (3, True, 'x')
    """
    if datatype in _INTEGERS:
        return int(text)
    if datatype in _FLOATS:
        return float(text)
    if datatype == _BOOLEAN:
        return text in ("true", "1")
    return text


def term_value(field: str) -> Any:
    """One TSV field (a term in Turtle syntax, or empty for unbound) as a plain value.

    Raises:
        QueryError: the field is not a term.

    Example:
        >>> [term_value(f) for f in ('', '"x"', '"1"^^<http://www.w3.org/2001/XMLSchema#double>', '-3', '2.5')]
        [None, 'x', 1.0, -3, 2.5]
    """
    if not field:
        return None
    first = field[0]
    if first == '"' and (end := field.rfind('"')) > 0:
        text = _unescaped(field[1:end])
        suffix = field[end + 1 :]
        if suffix.startswith("^^<") and suffix.endswith(">"):
            return typed_value(text, suffix[3:-1])
        if not suffix or suffix.startswith("@"):
            return text
    elif first == "<":
        if field.startswith("<<(") and field.endswith(")>>"):  # a quoted triple, as pyoxigraph's str()
            return field[3:-3].strip()
        if field.endswith(">"):
            return _iri(field[1:-1])
    elif field.startswith("_:"):
        return field
    elif field in ("true", "false"):
        return field == "true"
    elif _INTEGER.fullmatch(field):
        return int(field)
    else:
        try:
            return float(field)  # a decimal or double in Turtle's short form
        except ValueError:
            pass
    raise QueryError(f"unreadable term {field[:80]!r} in a SPARQL TSV result")


class _Values(dict[str, Any]):
    """Field text → value, each distinct field converted once (most repeat: ids, sources)."""

    def __missing__(self, field: str) -> Any:
        value = self[field] = term_value(field)
        return value


def read_tsv(data: bytes) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The variables and rows of a SPARQL TSV result.

    Raises:
        QueryError: the text is not a TSV result (a row with another number of fields, a field
            that is not a term).
    """
    lines = data.decode("utf-8").split("\n")  # not splitlines(): \x1c-\x1e, \x85, \u2028 are text
    if len(lines) < 2 or lines[-1] != "":
        raise QueryError("a SPARQL TSV result must end with a line break")
    header = lines[0]
    names = [v[1:] for v in header.split("\t")] if header else []
    body = lines[1:-1]
    if not names:
        return [], [() for _ in body]
    values = _Values().__getitem__
    n = len(names)
    rows = [tuple(map(values, line.split("\t"))) for line in body]
    bad = next((r for r in rows if len(r) != n), None)
    if bad is not None:
        raise QueryError(f"a SPARQL TSV row has {len(bad)} fields, the header {n}")
    return names, rows
