"""Doctest namespace for the reasoning package: ``FIXTURE_KG``, the shipped fixture graph built once."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


@pytest.fixture(scope="session")
def _fixture_kg_for_doctests(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kg.build import build
    from kg.sources.graph_json import load_graph_json

    out = tmp_path_factory.mktemp("doctest-fixture") / "kg"
    build(out, sources=[], extra=[load_graph_json(FIXTURES / n) for n in ("phenotypes.json", "drugs.json")])
    return out


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace: dict, _fixture_kg_for_doctests: Path,
                   tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    doctest_namespace["FIXTURE_KG"] = _fixture_kg_for_doctests
    # indexes cached by the examples go to a test folder, not the user's ~/.cache
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))
