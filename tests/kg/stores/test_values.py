"""check_bound: which names a query uses as parameters, in Cypher and SPARQL."""

from __future__ import annotations

import pytest

from kg.errors import QueryError
from kg.stores._values import check_bound, quoted_parameters, strip_literals


@pytest.mark.parametrize(("text", "params"), [
    ("SELECT $x WHERE { $x a ?t }", {}),  # $x is ?x: a free variable
    ("SELECT ?s WHERE { ?s ?p ?o FILTER(?o<$max&&?o>$min) }", {"max": 9, "min": 1}),  # not an IRI
    ("SELECT ?s WHERE { ?s ?p ?o FILTER(?o<5&&$max>?o) }", {"max": 9}),  # '&&' is not in an IRI
    ('SELECT ?s WHERE { ?s ?p """a\n$b""" FILTER(?s = $s) }', {"s": 1}),  # a long string over lines
    ("SELECT ?s WHERE { ?s ?p '''a\n$b''' FILTER(?s = $s) }", {"s": 1}),
    ("SELECT ?s WHERE { ?s <http://x/?a=$b> ?o FILTER(?s = $s) } # $c", {"s": 1}),  # IRI, comment
    ("SELECT ?id WHERE { ?d medkg:id ?id }", {"id": "OMIM:154700"}),  # binds ?id
])
def test_sparql_queries_whose_parameters_fit(text: str, params: dict) -> None:
    check_bound(text, params, "sparql")


@pytest.mark.parametrize(("text", "params", "error"), [
    ("SELECT $idd ?l WHERE { ?d medkg:id $idd }", {"id": 1},
     r"^parameter id is not used by the query \(its \$idd has no value: a free variable\)$"),
    ('SELECT ?s WHERE { ?s ?p """a\n$b""" }', {"b": 1}, r"^parameter b is not used by the query$"),
    ("SELECT ?s WHERE { ?s <http://x/$b> ?o }", {"b": 1}, r"^parameter b is not used"),
])
def test_sparql_parameters_not_used_are_errors(text: str, params: dict, error: str) -> None:
    with pytest.raises(QueryError, match=error):
        check_bound(text, params, "sparql")


def test_cypher_quoted_parameter_spelling_is_the_parameter() -> None:
    check_bound("MATCH (d {id: $`id`}) RETURN d", {"id": "1"})
    check_bound("MATCH (d {`$id`: 1}) RETURN d", {})  # a quoted property name, not a parameter
    with pytest.raises(QueryError, match=r"^no value given for the query's parameter \$id$"):
        check_bound("MATCH (d {id: $`id`}) RETURN d", {})
    assert quoted_parameters("MATCH (d {id: $`id`}) WHERE d.x = '$`no`' RETURN d") == ["id"]


def test_update_keywords_in_long_strings_are_not_read() -> None:
    assert "INSERT" not in strip_literals('ASK { ?s ?p """x\nINSERT DATA""" }', "sparql")
