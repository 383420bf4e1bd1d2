"""The diagnosis index read from a graph store (LadybugDB, Oxigraph) instead of a bundle folder:
the same differential, its provenance from the store's Source nodes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.bundle import Bundle
from kg.errors import ConfigError, StoreConnectionError
from kg.stores import open_store
from reasoning import case_from_hpo, diagnose, load_index, treat
from reasoning.index import DiagnosisIndex
from tests.reasoning.store_cases import outcome


@pytest.mark.parametrize("engine", ["ladybug", "oxigraph"])
def test_a_store_gives_the_bundles_differential(fixture_kg: Path, engine: str) -> None:
    from_bundle = load_index(fixture_kg)
    from_store = load_index(store=Bundle(fixture_kg).selector(engine))
    assert outcome(from_store) == outcome(from_bundle)
    with open_store(Bundle(fixture_kg).selector(engine)) as st:
        assert outcome(DiagnosisIndex(st)) == outcome(from_bundle)


def test_provenance_comes_from_the_stores_source_nodes(fixture_kg: Path) -> None:
    sel = Bundle(fixture_kg).selector("oxigraph")
    ix = load_index(store=sel)
    assert ix.info == {"store": sel, "hpo_release": None, "built": None, "text_sources": [],
                       "sources": {"fixture_drugs": "v1-fixture", "fixture_hpo": "2025-01-16-fixture"}}
    assert ix.warnings == []
    d = diagnose(case_from_hpo(["HP:0001166"]), ix)
    assert d.graph == ix.info
    ev = d.candidates[0].evidence[0]
    assert (ev.source, ev.source_version) == ("fixture_hpo", "2025-01-16-fixture")


def test_kg_and_store_together_or_neither_is_a_config_error(fixture_kg: Path) -> None:
    with pytest.raises(ConfigError, match="not both"):
        load_index(fixture_kg, store=Bundle(fixture_kg).selector("ladybug"))
    with pytest.raises(ConfigError):
        load_index()


def test_a_missing_store_is_a_connection_error(tmp_path: Path) -> None:
    with pytest.raises(StoreConnectionError):
        load_index(store=f"oxigraph:{tmp_path / 'none'}")


def test_a_store_without_source_nodes_warns(fixture_kg: Path, tmp_path: Path) -> None:
    db = tmp_path / "ladybug.lbug"
    shutil.copy(Bundle(fixture_kg).root / "ladybug.lbug", db)
    with open_store(f"ladybug:{db}", read_only=False) as st:
        st.query("MATCH (s:Source) DELETE s", write=True)
    ix = load_index(store=f"ladybug:{db}")
    (w,) = ix.warnings
    assert "no Source nodes" in w and "taken as curated" in w
    assert ix.info["warnings"] == [w] and ix.info["sources"] == {}
    ev = diagnose(case_from_hpo(["HP:0001166"]), ix).candidates[0].evidence[0]
    assert (ev.source, ev.source_version) == ("fixture_hpo", "2025-01-16-fixture")  # the edge's own


@pytest.fixture(scope="module")
def merged_kg(fixture_kg: Path, tmp_path_factory: pytest.TempPathFactory, medkg) -> Path:
    """The fixture graph with a text-mined source merged in (``medkg extract --into``)."""
    tmp = tmp_path_factory.mktemp("merged")
    kg = tmp / "kg"
    shutil.copytree(fixture_kg, kg)
    (tmp / "lds.txt").write_text("Losartan is used for the treatment of Loeys-Dietz syndrome 1.", encoding="utf-8")
    r = medkg("extract", "-q", str(tmp / "lds.txt"), "--into", str(kg))
    assert r.returncode == 0, r.stderr
    return kg


@pytest.mark.parametrize("engine", ["ladybug", "oxigraph"])
def test_text_mined_sources_are_known_from_the_store(merged_kg: Path, engine: str) -> None:
    ix = load_index(store=Bundle(merged_kg).selector(engine))
    assert ix.info["text_sources"] == ["text_extraction"] == Bundle(merged_kg).text_sources()
    assert ix.text_mined.is_text("text_extraction") and not ix.text_mined.is_text("fixture_drugs")
    assert any("text-mined source(s) text_extraction" in w and "--kg" in w for w in ix.warnings)
    d = diagnose(case_from_hpo(["HP:0001166", "HP:0001083"]), ix, namespace="OMIM")
    plans = {p.disease: p for p in treat(d, kg=ix, top_n=len(d.candidates)).diseases}
    (t,) = plans["OMIM:609192"].treatments
    assert t.relation == "text_mined"
    (ev,) = t.text_evidence
    assert ev.source == "text_extraction" and ev.doc_id is None and "lds.txt" in (ev.sentence or "")
