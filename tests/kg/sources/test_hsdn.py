"""HSDN loader on the real ``symptoms-DO.tsv``."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.model import NodeType, Predicate, SourceData
from kg.sources import hsdn
from kg.sources.base import get_source


@pytest.fixture(scope="module")
def data(data_dir: Path) -> SourceData:
    """The source loaded from the real data folder."""
    return get_source("hsdn").load(data_dir)


def test_counts(data: SourceData, check) -> None:
    nodes, edges = check(data)
    assert get_source("hsdn").loader is hsdn.load
    # 10,465 rows; 141 (DOID, symptom) pairs repeat -> 10,246 distinct pairs
    assert len(edges) == 10246
    assert all(e.predicate is Predicate.HAS_PHENOTYPE for e in edges)
    assert sum(1 for n in nodes.values() if n.type is NodeType.DISEASE) == 117
    assert sum(1 for n in nodes.values() if n.type is NodeType.PHENOTYPE) == 316


def test_known_edge(data: SourceData, check, index) -> None:
    nodes, edges = check(data)
    e = index(edges)[("DOID:10652", "HAS_PHENOTYPE", "MESH:D008569")]
    assert isinstance(e.score, float)
    assert e.score == pytest.approx(1583.96941866935)
    assert e.evidence == "co-occurrences=1079 (PubMed)"
    assert e.frequency is None
    assert nodes["MESH:D008569"].label == "Memory Disorders"
    assert nodes["MESH:D008569"].type is NodeType.PHENOTYPE
    assert nodes["DOID:10652"].label == "Alzheimer's disease"
    assert all(isinstance(x.score, float) for x in edges)


def test_repeated_pair_keeps_highest_score(data: SourceData, check, index) -> None:
    _, edges = check(data)
    # Fever for DOID:3393 comes from three MeSH diseases (6.19, 14.24, 11.14)
    e = index(edges)[("DOID:3393", "HAS_PHENOTYPE", "MESH:D005334")]
    assert e.score == pytest.approx(14.2355655425158)
    assert e.evidence == "co-occurrences=23 (PubMed)"
