"""The Neo4j adapter against a real Neo4j 5 server.

Server: if ``NEO4J_URI`` is set, the tests use that server (with
``NEO4J_USER`` / ``NEO4J_PASSWORD``) and **wipe its database**
(``MATCH (n) DETACH DELETE n``) at the start and between tests — point it only
at a database you can lose. Otherwise the session's own server is used (``neo4j_server`` in
``tests/conftest.py``: ``scripts/neo4j/neo4j-server.sh`` on a free port in a
temporary folder, stopped at the end; skipped when java/javac/mvn are not installed).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.bundle import Bundle
from kg.errors import ReadOnlyError, StoreConnectionError
from kg.model import NodeType, Predicate
from medkg_cli.neo4j_server import free_port

pytestmark = pytest.mark.neo4j

F = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(scope="module")
def server(neo4j_server: dict[str, Any]) -> dict[str, Any]:
    """The session's Neo4j server (see ``tests/conftest.py``)."""
    return neo4j_server


def _open(server: dict[str, Any], read_only: bool = False) -> Any:
    from kg.stores import open_store

    return open_store(server["uri"], read_only=read_only, user=server["user"], password=server["password"])


@pytest.fixture()
def store(server: dict[str, Any]) -> Iterator[Any]:
    """A writable store on an empty database."""
    s = _open(server)
    _wipe(s)
    yield s
    s.close()


def _wipe(s: Any) -> None:
    from kg.queries import neo4j_queries as nq

    s.query(nq.WIPE_BATCHED, {"batch": 10_000}, write=True)


def _build(out: Path, *jsons: Path) -> Path:
    from kg.build import build
    from kg.sources.graph_json import load_graph_json

    build(out, sources=[], extra=[load_graph_json(j) for j in jsons])
    return out


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("kg") / "kg", F / "phenotypes.json", F / "drugs.json")


@pytest.fixture(scope="module")
def hpo_only_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("kg-hpo") / "kg", F / "phenotypes.json")


def _rows(s: Any, text: str) -> list[tuple[Any, ...]]:
    return s.query(text).rows


def _no_duplicates(s: Any) -> None:
    from kg.queries import neo4j_queries as nq

    assert _rows(s, nq.DUPLICATE_NODES) == [(0,)]
    assert _rows(s, nq.DUPLICATE_RELS) == [(0,)]


def _stated_counts_are_exact(s: Any) -> None:
    """The statement counts on the Source nodes (what ``statements_per_source``
    reads) equal a count over the relationships."""
    from kg.queries.analyst import QUESTIONS

    counted = _rows(
        s,
        "MATCH ()-[x]->() RETURN x.source AS source, toLower(type(x)) AS relation, count(*) AS n "
        "ORDER BY source, relation",
    )
    assert counted
    assert _rows(s, QUESTIONS["statements_per_source"].cypher_for("neo4j")) == counted


def test_every_question_same_rows_as_ladybug_and_oxigraph(
    store: Any, bundle: Path, fixture_params: dict[str, dict[str, str]]
) -> None:
    from kg.queries.analyst import QUESTIONS
    from kg.stores import open_store

    store.push_bundle(bundle)
    b = Bundle(bundle)
    with open_store(b.selector("ladybug")) as lb, open_store(b.selector("oxigraph")) as ox:
        for q in QUESTIONS.values():
            params = {**q.params, **fixture_params.get(q.name, {})}
            neo = store.query(q.cypher_for("neo4j"), params)
            lad = lb.query(q.cypher_for("ladybug"), params)
            sparql = ox.query(q.sparql, params)
            assert neo.rows == lad.rows, q.name
            assert neo.rows == sparql.rows, q.name
            assert neo.columns == lad.columns, q.name
            assert neo.rows, f"{q.name}: the fixture should give rows"


def test_push_twice_gives_identical_counts(store: Any, bundle: Path) -> None:
    first = store.push_bundle(bundle)
    counts1 = store.counts()
    manifest = Bundle(bundle).manifest()["counts"]
    assert {t.value: counts1[t.value] for t in NodeType} == {
        t.value: manifest["nodes"].get(t.value, 0) for t in NodeType
    }
    assert {p.value: counts1[p.value] for p in Predicate} == {
        p.value: manifest["edges"].get(p.value, 0) for p in Predicate
    }
    assert counts1["Source"] == 2
    second = store.push_bundle(bundle)
    assert second == first
    assert store.counts() == counts1
    _no_duplicates(store)
    # Node values merged across sources are kept as built (first label wins, lists unioned).
    assert store.query(
        "MATCH (d:Disease {id: 'OMIM:154700'}) RETURN d.label, d.sources, d.synonyms"
    ).rows == [("Marfan syndrome", ["fixture_hpo", "fixture_drugs"], ["MFS"])]


def test_load_graph_equals_push_bundle(store: Any, bundle: Path) -> None:
    from kg.graph import assemble
    from kg.sources.graph_json import load_graph_json

    graph = assemble([load_graph_json(F / "phenotypes.json"), load_graph_json(F / "drugs.json")])
    store.load_graph(graph)
    via_graph = store.counts()
    stmts = _rows(store, "MATCH ()-[x]->() RETURN x ORDER BY x.source, type(x), x.evidence")
    store.push_bundle(bundle)
    assert store.counts() == via_graph
    assert _rows(store, "MATCH ()-[x]->() RETURN x ORDER BY x.source, type(x), x.evidence") == stmts


def test_drop_source_removes_exactly_that_source(
    server: dict[str, Any], store: Any, bundle: Path, hpo_only_bundle: Path
) -> None:
    from kg.queries import neo4j_queries as nq

    def snapshot() -> dict[str, Any]:
        return {
            "counts": store.counts(),
            "statements": _rows(store, nq.STATEMENTS_PER_SOURCE),
            "nodes": _rows(
                store,
                "MATCH (n) WHERE n.id IS NOT NULL RETURN labels(n)[0], n.id, n.sources ORDER BY n.id",
            ),
            "rels": _rows(
                store,
                "MATCH (a)-[x]->(b) RETURN a.id, type(x), b.id, x ORDER BY a.id, type(x), b.id, x.source",
            ),
            "sources": _rows(store, "MATCH (s:Source) RETURN s.name, s.version ORDER BY s.name"),
        }

    store.push_bundle(hpo_only_bundle)
    fresh = snapshot()
    _wipe(store)
    store.push_bundle(bundle)
    hpo_before = [r for r in _rows(store, nq.STATEMENTS_PER_SOURCE) if r[0] == "fixture_hpo"]
    res = store.drop_source("fixture_drugs")
    assert res["relationships_deleted"] == 16 and res["source_deleted"] == 1  # 10 statements, 6 class memberships
    assert res["nodes_kept_unsourced"] == 0
    after = snapshot()
    assert [r for r in after["statements"] if r[0] == "fixture_hpo"] == hpo_before
    assert after == fresh
    _no_duplicates(store)
    _stated_counts_are_exact(store)
    # Pushing the dropped source back adds it next to the other one.
    store.push_bundle(bundle)
    assert store.counts()["HAS_ADVERSE_EFFECT"] == 1 and store.counts()["Source"] == 2
    _stated_counts_are_exact(store)
    # A source already in the database is counted there (the union of both pushes).
    store.push_bundle(hpo_only_bundle)
    _stated_counts_are_exact(store)


def test_server_not_running_fails_fast_naming_the_uri() -> None:
    pytest.importorskip("neo4j")
    from kg.stores import open_store

    uri = f"neo4j://127.0.0.1:{free_port()}"  # nothing listens there
    t0 = time.monotonic()
    with pytest.raises(StoreConnectionError, match=uri.replace(".", r"\.")):
        open_store(uri, user="neo4j", password="whatever-pw")
    assert time.monotonic() - t0 < 10


def test_wrong_password_is_a_connection_error(server: dict[str, Any]) -> None:
    from kg.stores import open_store

    with pytest.raises(StoreConnectionError, match="authentication failed for user 'neo4j'") as e:
        open_store(server["uri"], user="neo4j", password="definitely-not-it")
    assert "definitely-not-it" not in str(e.value)


def test_write_in_read_mode_is_refused(server: dict[str, Any], store: Any) -> None:
    with pytest.raises(ReadOnlyError, match="read"):
        store.query("CREATE (:Intruder {x: 1})")  # a writable store, but not write=True
    with _open(server, read_only=True) as ro:
        with pytest.raises(ReadOnlyError):
            ro.query("CREATE (:Intruder {x: 1})", write=True)
        with pytest.raises(ReadOnlyError):
            ro.query("CREATE (:Intruder {x: 1})")
        assert server["password"] is None or server["password"] not in repr(ro)
    assert store.query("MATCH (n:Intruder) RETURN count(n)").rows == [(0,)]


def test_cypher_error_is_a_query_error_with_position(store: Any) -> None:
    from kg.errors import QueryError

    with pytest.raises(QueryError, match="line 1"):
        store.query("MATCH (n RETURN n")


def test_parameter_full_of_cypher_is_stored_verbatim(store: Any, bundle: Path) -> None:
    store.push_bundle(bundle)
    before = store.counts()
    evil = "x'}) MATCH (n) DETACH DELETE n //\"; `MATCH` $rows {} \\' \n DROP"
    store.query("CREATE (:Note {id: $v, text: $v})", {"v": evil}, write=True)
    assert store.query("MATCH (n:Note) RETURN n.text, n").rows == [(evil, {"id": evil, "text": evil})]
    assert store.query("MATCH (n:Note {id: $v}) RETURN count(n)", {"v": evil}).rows == [(1,)]
    store.query("MATCH (n:Note) DELETE n", write=True)
    assert store.counts() == before
    # The fixture's own evidence text carries Cypher too; it comes back unchanged.
    ev = store.query(
        "MATCH (:Disease {id: 'DOID:9352'})-[h:HAS_PHENOTYPE]->() RETURN h.evidence"
    ).rows[0][0]
    assert ev == 'co-occurrences=10 (PubMed) "quoted", MATCH (n) DETACH DELETE n'


def test_parameters_are_checked_and_the_quoted_spelling_binds(store: Any, bundle: Path) -> None:
    """Neo4j reads Cypher's quoted parameter spelling $`id` as $id: check_bound does too."""
    from kg.errors import QueryError

    store.push_bundle(bundle)
    q = "MATCH (d:Disease {id: $`id`}) RETURN d.label AS label"
    assert store.query(q, {"id": "DOID:14323"}).rows == [("Marfan syndrome",)]
    with pytest.raises(QueryError, match=r"^no value given for the query's parameter \$id$"):
        store.query(q)
    with pytest.raises(QueryError, match=r"^parameter x is not used by the query$"):
        store.query(q, {"id": "DOID:14323", "x": 1})


def _big_graph_json(path: Path, diseases: int = 500, phenotypes: int = 2000, per: int = 100) -> int:
    nodes = [{"id": f"HP:{9000000 + i:07d}", "type": "PhenotypicFeature", "label": f"phen {i}"}
             for i in range(phenotypes)]
    nodes += [{"id": f"OMIM:{900000 + d}", "type": "Disease", "label": f"disease {d}"} for d in range(diseases)]
    edges = [
        {"subject": f"OMIM:{900000 + d}", "predicate": "HAS_PHENOTYPE",
         "object": f"HP:{9000000 + (d * 37 + k * 13) % phenotypes:07d}", "frequency": (k % 10) / 10}
        for d in range(diseases) for k in range(per)
    ]
    path.write_text(json.dumps({"source": {"name": "generated", "version": "1"},
                                "nodes": nodes, "edges": edges}))
    return len({(e["subject"], e["object"]) for e in edges})


def test_killed_push_rerun_completes_without_duplicates(
    server: dict[str, Any], store: Any, tmp_path: Path
) -> None:
    n_edges = _big_graph_json(tmp_path / "big.json")
    assert n_edges >= 45_000
    big = _build(tmp_path / "kg", tmp_path / "big.json")
    code = (
        "import sys\n"
        "from kg.stores import open_store\n"
        "s = open_store(sys.argv[1], read_only=False, user=sys.argv[2], password=sys.argv[3])\n"
        "def p(task, done, total):\n"
        "    print(task, done, total, flush=True)\n"
        "s.push_bundle(sys.argv[4], batch_size=1000, progress=p)\n"
        "print('FINISHED', flush=True)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, server["uri"], server["user"], server["password"] or "", str(big)],
        stdout=subprocess.PIPE, text=True, cwd=F.parents[1],
    )
    assert proc.stdout is not None
    seen = []
    try:
        for line in proc.stdout:
            seen.append(line)
            task, done, _total = line.split()[:3] if not line.startswith("FINISHED") else ("", "0", "0")
            if task == "HAS_PHENOTYPE" and int(done) >= 3000:
                break
        proc.terminate()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not any(line.startswith("FINISHED") for line in seen), "the push finished before it was killed"
    partial = store.counts()["HAS_PHENOTYPE"]
    assert 3000 <= partial < n_edges
    store.push_bundle(big, batch_size=5000)
    counts = store.counts()
    assert counts["HAS_PHENOTYPE"] == n_edges
    assert counts["Disease"] == 500 and counts["PhenotypicFeature"] == 2000
    _no_duplicates(store)
    _stated_counts_are_exact(store)


def _graph_snapshot(s: Any) -> dict[str, Any]:
    """Every node and relationship with all its properties, in a fixed order."""
    return {
        "nodes": _rows(s, "MATCH (n) RETURN labels(n), n ORDER BY labels(n)[0], n.id, n.name"),
        "rels": _rows(
            s,
            "MATCH (a)-[x]->(b) RETURN a.id, type(x), b.id, x "
            "ORDER BY a.id, type(x), b.id, x.source, x.negated",
        ),
    }


def test_create_path_gives_the_same_graph_as_merging_everything(
    store: Any, bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A push into an empty database CREATEs; forcing MERGE everywhere gives the same graph."""
    from kg.queries import neo4j_queries as nq

    store.push_bundle(bundle)
    created = _graph_snapshot(store)
    assert created["rels"] and created["nodes"]
    _wipe(store)
    monkeypatch.setattr(nq, "create_nodes_query", nq.merge_nodes_query)
    monkeypatch.setattr(nq, "create_rels_query", nq.merge_rels_query)
    store.push_bundle(bundle)
    assert _graph_snapshot(store) == created
    # The search indexes are built at the end of the push, online.
    names = {r[0] for r in _rows(store, "SHOW INDEXES YIELD name, state WHERE state = 'ONLINE' RETURN name")}
    assert {nq.FULLTEXT_INDEX, "medkg_disease_label", "medkg_disease_id"} <= names


def test_retried_create_batch_is_merged_not_duplicated(store: Any, bundle: Path) -> None:
    """The driver may retry a transaction whose commit went through (the reply was
    lost); the retry of a CREATE batch must MERGE. Simulated with a real second,
    committed transaction per batch."""
    real_session = store._session

    class RunTwice:
        def __init__(self, session: Any) -> None:
            self.session = session

        def __enter__(self) -> RunTwice:
            self.session.__enter__()
            return self

        def __exit__(self, *exc: Any) -> Any:
            return self.session.__exit__(*exc)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.session, name)

        def execute_write(self, work: Any) -> Any:
            self.session.execute_write(work)  # committed
            return self.session.execute_write(work)  # the "retry"

    store._session = lambda **kw: RunTwice(real_session(**kw))
    try:
        store.push_bundle(bundle)
    finally:
        store._session = real_session
    manifest = Bundle(bundle).manifest()["counts"]
    counts = store.counts()
    assert {p.value: counts[p.value] for p in Predicate} == {
        p.value: manifest["edges"].get(p.value, 0) for p in Predicate
    }
    _no_duplicates(store)


def test_repeated_statement_in_a_fresh_source_is_merged(store: Any) -> None:
    """A repeated statement key (a built bundle has none) is MERGEd after the
    CREATE batches: one relationship, the later row's values, as with MERGE."""
    import dataclasses

    from kg.graph import assemble
    from kg.sources.graph_json import load_graph_json

    graph = assemble([load_graph_json(F / "phenotypes.json")])
    first = next(e for e in graph.edges if e.predicate is Predicate.HAS_PHENOTYPE)
    graph.edges.append(dataclasses.replace(first, evidence="the later row"))
    store.load_graph(graph, batch_size=2)
    rows = store.query(
        "MATCH (a {id: $s})-[x:HAS_PHENOTYPE {source: $src}]->(b {id: $o}) RETURN x.evidence",
        {"s": first.subject, "o": first.object, "src": first.source},
    ).rows
    assert rows == [("the later row",)]
    _no_duplicates(store)


def test_one_writer_and_several_writers_give_the_same_graph(store: Any, bundle: Path) -> None:
    """Concurrent write transactions (small batches, so many are in flight) give
    exactly the graph of one writer, and pushing again onto it changes nothing."""
    store.push_bundle(bundle, batch_size=3, writers=1)
    one = _graph_snapshot(store)
    _wipe(store)
    store.push_bundle(bundle, batch_size=3, writers=4)
    assert _graph_snapshot(store) == one
    store.push_bundle(bundle, batch_size=3, writers=4)  # all MERGE, concurrently
    assert _graph_snapshot(store) == one
    _no_duplicates(store)


def test_relationship_statements_seek_endpoints_by_element_id(store: Any) -> None:
    """The push's relationship statements find both endpoints by element id
    (returned by the node statements), not through the uniqueness index."""
    from kg.queries import neo4j_queries as nq

    p, a, b = Predicate.HAS_PHENOTYPE, NodeType.DISEASE, NodeType.PHENOTYPE
    store.ensure_schema()
    for text in (nq.create_rels_query(p, a, b), nq.merge_rels_query(p, a, b)):
        with store._session() as s:
            plan = s.run("EXPLAIN " + text, {"g": []}).consume().plan

        def operators(op: dict[str, Any]) -> list[str]:
            return [op["operatorType"].split("@")[0]] + [o for c in op.get("children", []) for o in operators(c)]

        ops = operators(plan)
        assert ops.count("NodeByElementIdSeek") == 2, ops
        assert not any("Index" in o for o in ops), ops
    # The node statements return [id, elementId] per node written.
    columns = {c: [[]] for c in nq.NODE_COLUMNS} | {"id": ["D:1"], "label": ["one"], "definition": [None]}
    handles = store._write_records(nq.create_nodes_query(a), {"c": columns})[0][0][0]
    assert handles == [["D:1", store.query("MATCH (n:Disease {id: 'D:1'}) RETURN elementId(n)").rows[0][0]]]


def test_text_mined_treatments_flagged_after_push(
    store: Any, tmp_path: Path, fixture_kg: Path
) -> None:
    """A pushed bundle with merged text-mined statements answers the drug questions as LadybugDB
    does: the text-mined rows flagged (from the ``Source`` node's licence), the curated ones not."""
    from kg.queries.analyst import QUESTIONS
    from kg.stores import open_store
    from tests.kg.stores.test_compliance import TEXT_MINED_PARAMS, check_text_mined_answers, text_mined_bundle

    kg = text_mined_bundle(tmp_path / "kg", fixture_kg)
    store.push_bundle(kg)
    with open_store(Bundle(kg).selector("ladybug")) as lb:
        neo = {name: store.query(QUESTIONS[name].cypher_for("neo4j"), QUESTIONS[name].bind(p)).rows
               for name, p in TEXT_MINED_PARAMS.items()}
        for name, p in TEXT_MINED_PARAMS.items():
            assert neo[name] == lb.query(QUESTIONS[name].cypher_for("ladybug"), QUESTIONS[name].bind(p)).rows, name
    check_text_mined_answers(neo)
