"""Diagnosis from Neo4j after ``medkg push``: the bundle's differential, ids, scores and evidence.

Uses the session's Neo4j server (``neo4j_server`` in ``tests/conftest.py``) and wipes its database.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.bundle import Bundle
from kg.stores import open_store
from reasoning import load_index
from reasoning.index import DiagnosisIndex
from tests.reasoning.store_cases import outcome

pytestmark = pytest.mark.neo4j

HPO = "HP:0001166,HP:0002616,HP:0001083"


def _push(medkg, server: dict[str, Any], kg: Path) -> None:
    from kg.queries import neo4j_queries as nq

    with open_store(server["uri"], read_only=False, user=server["user"], password=server["password"]) as st:
        st.query(nq.WIPE_BATCHED, {"batch": 10_000}, write=True)
    r = medkg("push", "--store", server["uri"], "--kg", str(kg), env=_env(server))
    assert r.returncode == 0, r.stderr


def _env(server: dict[str, Any]) -> dict[str, str]:
    return {"NEO4J_USER": server["user"], "NEO4J_PASSWORD": server["password"] or ""}


@pytest.fixture(scope="module")
def pushed(neo4j_server: dict[str, Any], fixture_kg: Path, medkg) -> Iterator[dict[str, Any]]:
    """The server, with the fixture bundle pushed by ``medkg push``."""
    _push(medkg, neo4j_server, fixture_kg)
    yield neo4j_server


def test_neo4j_gives_the_bundles_differential(pushed: dict[str, Any], fixture_kg: Path) -> None:
    ix = DiagnosisIndex.from_store(pushed["uri"], user=pushed["user"], password=pushed["password"])
    assert outcome(ix) == outcome(load_index(fixture_kg))
    assert ix.info["sources"] == {"fixture_drugs": "v1-fixture", "fixture_hpo": "2025-01-16-fixture"}
    assert ix.info["store"] == pushed["uri"] and ix.warnings == []
    assert ix.ontology.obsolete == load_index(fixture_kg).ontology.obsolete and len(ix.ontology.obsolete) == 2


def test_every_index_read_same_rows_as_ladybug(pushed: dict[str, Any], fixture_kg: Path) -> None:
    from kg.queries.graph_reads import GRAPH_READS
    from reasoning.store_reads import read

    with open_store(pushed["uri"], user=pushed["user"], password=pushed["password"]) as neo, \
            open_store(Bundle(fixture_kg).selector("ladybug")) as lb:
        for name, text in GRAPH_READS.items():
            params = {"prefix": "HP:"} if "$prefix" in text else {}
            assert sorted(read(neo, name, **params), key=repr) == sorted(read(lb, name, **params), key=repr), name


def test_cli_diagnose_store_equals_kg(pushed: dict[str, Any], fixture_kg: Path, medkg) -> None:
    args = ("diagnose", "--hpo", HPO, "--treatments", "--format", "json")
    from_store = medkg(*args, "--store", pushed["uri"], env=_env(pushed))
    from_kg = medkg(*args, "--kg", str(fixture_kg))
    assert from_store.returncode == 0, from_store.stderr
    a, b = json.loads(from_store.stdout), json.loads(from_kg.stdout)
    assert a["candidates"] == b["candidates"] and a["treatments"] == b["treatments"]
    assert a["graph"]["store"] == pushed["uri"] and "bundle" not in a["graph"]
    # the same warnings as from the bundle (the plan's own, about the case and the graph's data), none
    # about the store (no Source nodes, unknown versions)
    assert from_store.stderr == from_kg.stderr


def test_cli_obsolete_id_from_neo4j_is_reported_as_from_the_bundle(pushed: dict[str, Any], fixture_kg: Path,
                                                                  medkg) -> None:
    """The pushed graph keeps the obsolete terms: the error says what HPO says, as with --kg."""
    args = ("diagnose", "--hpo", "HP:0004175,HP:0001166")
    from_store = medkg(*args, "--store", pushed["uri"], env=_env(pushed))
    from_kg = medkg(*args, "--kg", str(fixture_kg))
    assert from_store.returncode == from_kg.returncode == 1 and from_store.stderr == from_kg.stderr
    assert "HP:0004175 is obsolete in the graph's HPO release (Periosteal new bone" in " ".join(from_kg.stderr.split())


def test_cli_text_case_from_neo4j_equals_kg(pushed: dict[str, Any], fixture_kg: Path, medkg) -> None:
    """``--text`` reads the dictionary from the store: Neo4j's Cypher names node labels ``labels(n)``."""
    args = ("diagnose", "--text", "Tall with arachnodactyly and ectopia lentis; no intellectual disability.",
            "--format", "json")
    from_store = medkg(*args, "--store", pushed["uri"], env=_env(pushed))
    from_kg = medkg(*args, "--kg", str(fixture_kg))
    assert from_store.returncode == 0, from_store.stderr
    a, b = json.loads(from_store.stdout), json.loads(from_kg.stdout)
    assert a["case"]["present"] == b["case"]["present"] == ["HP:0001166", "HP:0001083"]
    assert a["case"]["excluded"] == b["case"]["excluded"] and a["candidates"] == b["candidates"]


def test_cli_wrong_password_is_a_clear_error(pushed: dict[str, Any], medkg) -> None:
    r = medkg("diagnose", "--store", pushed["uri"], "--hpo", HPO, env={**_env(pushed), "NEO4J_PASSWORD": "wrong-pw1"})
    assert r.returncode == 1 and "authentication failed" in r.stderr and "wrong-pw1" not in r.stderr


def test_text_mined_source_known_after_push(neo4j_server: dict[str, Any], fixture_kg: Path, tmp_path: Path,
                                            medkg) -> None:
    kg = tmp_path / "kg"
    shutil.copytree(fixture_kg, kg)
    (tmp_path / "lds.txt").write_text("Losartan is used for the treatment of Loeys-Dietz syndrome 1.", "utf-8")
    assert medkg("extract", "-q", str(tmp_path / "lds.txt"), "--into", str(kg)).returncode == 0
    _push(medkg, neo4j_server, kg)
    try:
        r = medkg("diagnose", "--store", neo4j_server["uri"], "--hpo", HPO, "--namespace", "OMIM", "--treatments",
                  "--format", "json", env=_env(neo4j_server))
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        assert out["graph"]["text_sources"] == ["text_extraction"]
        assert "text-mined source(s) text_extraction" in r.stderr
        plans = {p["disease"]: p for p in out["treatments"]}
        assert [t["relation"] for t in plans["OMIM:609192"]["treatments"]] == ["text_mined"]
    finally:
        _push(medkg, neo4j_server, fixture_kg)  # the module's other tests expect the fixture graph
