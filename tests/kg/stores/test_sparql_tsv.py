"""Oxigraph's SELECT results read from its TSV text equal the per-solution values (``to_python``)."""

from __future__ import annotations

import math

import pytest

from kg.errors import QueryError
from kg.stores import open_store
from kg.stores.oxigraph import to_python
from kg.stores.sparql_tsv import read_tsv, term_value

ox = pytest.importorskip("pyoxigraph")

XSD = "http://www.w3.org/2001/XMLSchema#"
TEXTS = [
    "tab\there", 'q"uote', "new\nline\rcr", "back\\slash", "\\t not a tab", "ünïcødé € 😀",
    "sep\x1fjoined\x00nul\x07bell\x7f", "a\u2028b\x85c\x1cd", "", " lead and trail ", '"', "\\", "'single'",
    "ends with backslash\\", '\\"', "^^<http://x/>", "@en",
]
TYPED = [
    ("1", "integer"), ("-0", "integer"), ("+3", "integer"), ("12345678901234567890", "integer"), ("5", "int"),
    ("5", "long"), ("0.5", "double"), ("1e-7", "double"), ("1.0E0", "double"), ("INF", "double"),
    ("-INF", "double"), ("2.50", "decimal"), ("1.", "decimal"), ("1.5", "float"), ("true", "boolean"),
    ("1", "boolean"), ("false", "boolean"), ("2020-01-01", "date"), ("x", "string"),
]


def _store_with(objects: list) -> object:
    st = ox.Store()
    p = ox.NamedNode("http://example.org/p")
    for i, o in enumerate(objects):
        st.add(ox.Quad(ox.NamedNode(f"http://example.org/s{i:03d}"), p, o))
    return st


def _terms() -> list:
    return [
        *(ox.Literal(t) for t in TEXTS),
        *(ox.Literal(v, datatype=ox.NamedNode(XSD + k)) for v, k in TYPED),
        ox.Literal("NaN", datatype=ox.NamedNode(XSD + "double")),
        ox.Literal("x", datatype=ox.NamedNode("http://other.example/dt")),
        ox.Literal("hello\tworld", language="en-GB"),
        ox.BlankNode("b1"),
        ox.NamedNode("http://purl.obolibrary.org/obo/HP_0001250"),
        ox.NamedNode("https://w3id.org/medkg/source/hpo"),
        ox.NamedNode("http://example.org/é?q=1#f"),
    ]


def _same(a: object, b: object) -> bool:
    return (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)) or (
        type(a) is type(b) and a == b)


def test_every_kind_of_term_reads_as_to_python_does() -> None:
    st = _store_with(_terms())
    query = "SELECT ?s ?o ?unbound WHERE { ?s ?p ?o } ORDER BY ?s"
    expected = [(to_python(s["s"]), to_python(s["o"]), None) for s in st.query(query)]
    names, rows = read_tsv(st.query(query).serialize(format=ox.QueryResultsFormat.TSV))
    assert names == ["s", "o", "unbound"]
    assert len(rows) == len(expected) == len(_terms())
    different = [(r, e) for r, e in zip(rows, expected, strict=True) if not all(map(_same, r, e))]
    assert different == []


def test_group_concat_with_the_list_separator_survives() -> None:
    st = _store_with([ox.Literal("a\tb"), ox.Literal('c"d'), ox.Literal("é\\")])
    tsv = st.query('SELECT (GROUP_CONCAT(?o; separator="\\u001f") AS ?all) WHERE { ?s ?p ?o }').serialize(
        format=ox.QueryResultsFormat.TSV)
    _names, rows = read_tsv(tsv)
    assert sorted(rows[0][0].split("\x1f")) == ["a\tb", 'c"d', "é\\"]


def test_the_oxigraph_store_returns_the_same_rows_as_before() -> None:
    """The store's query (TSV) against per-solution conversion, parameters left out."""
    with open_store("oxigraph:", read_only=False) as store:
        for i, t in enumerate(_terms()):
            store.raw.add(ox.Quad(ox.NamedNode(f"http://example.org/s{i:03d}"), ox.NamedNode("http://example.org/p"), t))
        text = "SELECT $p ?s ?o WHERE { ?s $p ?o } ORDER BY ?s"
        got = store.query(text, {"p": "unused as a literal"})
        assert got.columns == ["s", "o"] and got.rows == []
        got = store.query("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s")
        plain = [(to_python(s["s"]), to_python(s["o"])) for s in store.raw.query(
            "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s")]
    assert got.columns == ["s", "o"]
    assert all(all(map(_same, r, e)) for r, e in zip(got.rows, plain, strict=True))


def test_results_without_variables_or_rows() -> None:
    st = ox.Store()
    assert read_tsv(st.query("SELECT * WHERE {}").serialize(format=ox.QueryResultsFormat.TSV)) == ([], [()])
    assert read_tsv(st.query("SELECT ?x WHERE { FILTER(false) }").serialize(
        format=ox.QueryResultsFormat.TSV)) == (["x"], [])


@pytest.mark.parametrize("field", ["nonsense", '"', '"unclosed', "<no-end", '"x"^^<dt', '"bad\\q"'])
def test_an_unreadable_field_is_an_error(field: str) -> None:
    with pytest.raises(QueryError, match="SPARQL TSV"):
        term_value(field)


def test_a_row_with_the_wrong_number_of_fields_is_an_error() -> None:
    with pytest.raises(QueryError, match="2 fields, the header 1"):
        read_tsv(b'?x\n"a"\t"b"\n')
