"""Read-only mode, bound parameters and clear errors on every embedded store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.bundle import Bundle
from kg.errors import QueryError, ReadOnlyError, StoreConnectionError, UnknownStoreError
from kg.stores import open_store

EVIL = "x'}) MATCH (n) DETACH DELETE n // \" } ; DROP GRAPH <a:b> #"


@pytest.fixture()
def writable_kg(fixture_kg: Path, tmp_path: Path) -> Path:
    out = tmp_path / "kg"
    shutil.copytree(fixture_kg, out)
    return out


def test_update_refused_in_read_only_mode(fixture_kg: Path) -> None:
    b = Bundle(fixture_kg)
    with open_store(b.selector("ladybug")) as st:
        with pytest.raises(ReadOnlyError, match="read-only"):
            st.query("MATCH (n) DETACH DELETE n")
        assert st.query("MATCH (n:Disease) RETURN count(n)").rows == [(7,)]
    with open_store(b.selector("oxigraph")) as st:
        with pytest.raises(ReadOnlyError, match="update"):
            st.query("DELETE WHERE { ?s ?p ?o }")
        with pytest.raises(ReadOnlyError):
            st.query("PREFIX x: <http://x/> INSERT DATA { x:a x:b x:c }", write=True)


def test_update_refused_without_write_on_a_writable_store(writable_kg: Path) -> None:
    b = Bundle(writable_kg)
    with open_store(b.selector("ladybug"), read_only=False) as st:
        with pytest.raises(ReadOnlyError):
            st.query("MATCH (n:Drug) DETACH DELETE n")
        with pytest.raises(ReadOnlyError, match="transaction control"):
            st.query("COMMIT; MATCH (n) DETACH DELETE n")
        assert st.query("MATCH (n:Drug) RETURN count(n)").rows == [(5,)]


def test_injection_in_parameters_is_data(writable_kg: Path) -> None:
    b = Bundle(writable_kg)
    with open_store(b.selector("ladybug"), read_only=False) as st:
        st.query("CREATE (:Drug {id: $id, label: $label})", {"id": "DRUGBANK:DBX", "label": EVIL}, write=True)
        assert st.query("MATCH (d:Drug {id: $id}) RETURN d.label", {"id": "DRUGBANK:DBX"}).rows == [(EVIL,)]
        assert st.query("MATCH (n) RETURN count(n)").rows[0][0] > 20
        assert st.query("MATCH (d:Disease) WHERE d.label = $x RETURN d.id", {"x": EVIL}).rows == []
    with open_store(b.selector("oxigraph")) as st:
        q = "SELECT $t ?d WHERE { ?d rdfs:label $t }"
        assert st.query(q, {"t": EVIL}).rows == []
        assert st.query(q, {"t": "Marfan syndrome"}).rows  # the same query finds real labels
        assert st.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0] > 100


def test_query_errors_keep_the_engine_message(fixture_kg: Path) -> None:
    b = Bundle(fixture_kg)
    with open_store(b.selector("ladybug")) as st, pytest.raises(QueryError, match="Cypher error"):
        st.query("MATCH (n:NoSuchLabel) RETURN n")
    with open_store(b.selector("oxigraph")) as st, pytest.raises(QueryError, match="SPARQL syntax error"):
        st.query("SELECT WHERE {")
    with open_store(b.selector("oxigraph")) as st, pytest.raises(QueryError, match="top-level SELECT"):
        st.query("SELECT ?d WHERE { ?d medkg:id $x }", {"x": "OMIM:154700"})


def test_missing_stores_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreConnectionError, match="no LadybugDB database"):
        open_store(f"ladybug:{tmp_path}/none.lbug")
    with pytest.raises(StoreConnectionError, match="no Oxigraph store"):
        open_store(f"oxigraph:{tmp_path}/none")
    with pytest.raises(UnknownStoreError, match="has no scheme"):
        open_store("just-a-path")


def test_cypher_parameters_missing_or_unused_are_errors_naming_them(fixture_kg: Path) -> None:
    typo = "MATCH (d:Disease {id: $idd}) RETURN d.label AS label"
    fine = "MATCH (d:Disease {id: $id}) RETURN d.label AS label // $not_a_parameter, '$nor_this', `$nor`"
    with open_store(Bundle(fixture_kg).selector("ladybug")) as st:
        with pytest.raises(QueryError, match=r"no value given for the query's parameter \$idd; "
                                             r"parameter id is not used by the query"):
            st.query(typo, {"id": "OMIM:154700"})
        with pytest.raises(QueryError, match=r"no value given for the query's parameter \$idd$"):
            st.query(typo)
        with pytest.raises(QueryError, match=r"parameters extra, more are not used by the query"):
            st.query(fine, {"id": "OMIM:154700", "extra": 1, "more": 2})
        assert st.query(fine, {"id": "OMIM:154700"}).rows == [("Marfan syndrome",)]
        # Cypher's quoted spelling $`id` is the parameter id (Neo4j reads it); LadybugDB does
        # not, and says so instead of its own "Parameter `id` not found"
        with pytest.raises(QueryError, match=r"LadybugDB does not read the quoted parameter spelling "
                                             r"\$`id`; write \$id$"):
            st.query("MATCH (d:Disease {id: $`id`}) RETURN d.label AS label", {"id": "OMIM:154700"})


@pytest.mark.parametrize("kind", ["oxigraph", "rdflib"])
def test_sparql_dollar_variables_are_variables_and_only_unused_parameters_are_errors(
        fixture_kg: Path, kind: str) -> None:
    """In SPARQL $x and ?x are one variable: a $x given no value is a free variable (valid SPARQL),
    so only a parameter the query never mentions is an error, naming the free $ variables."""
    b = Bundle(fixture_kg)
    sel = f"rdflib:{b.export_path}" if kind == "rdflib" else b.selector(kind)
    typo = "SELECT $idd ?label WHERE { ?d medkg:id $idd ; rdfs:label ?label }"
    fine = "SELECT $id ?label WHERE { ?d medkg:id ?id ; rdfs:label ?label } # $not_a_parameter"
    with open_store(sel) as st:
        with pytest.raises(QueryError, match=r"^parameter id is not used by the query "
                                             r"\(its \$idd has no value: a free variable\)$"):
            st.query(typo, {"id": "OMIM:154700"})
        with pytest.raises(QueryError, match=r"^parameters extra, more are not used by the query$"):
            st.query(fine, {"id": "OMIM:154700", "extra": 1, "more": 2})
        assert st.query(fine, {"id": "OMIM:154700"}).rows == [("Marfan syndrome",)]
        free = st.query("SELECT $label WHERE { ?d medkg:id 'OMIM:154700' ; rdfs:label $label }")
        assert (free.columns, free.rows) == (["label"], [("Marfan syndrome",)])
        assert ("OMIM:154700", "Marfan syndrome") in st.query(typo).rows  # $idd free: every disease
        # a comparison without spaces is not an IRI, and a long string spans lines
        projected = "$lo $hi " if kind == "oxigraph" else ""  # Oxigraph binds projected variables only
        between = (f"SELECT {projected}?label WHERE {{ ?d medkg:id ?id ; rdfs:label ?label "
                   "FILTER(?id<$hi&&?id>=$lo) }")
        assert st.query(between, {"lo": "OMIM:154700", "hi": "OMIM:154701"}).rows == [("Marfan syndrome",)]
        long_string = ('SELECT $id ?label WHERE { ?d medkg:id ?id ; rdfs:label ?label '
                       'FILTER(?label != """not\n$this""" && ?label != \'\'\'nor\n$that\'\'\') }')
        assert st.query(long_string, {"id": "OMIM:154700"}).rows == [("Marfan syndrome",)]
