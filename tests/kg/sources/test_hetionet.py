"""Hetionet loader on the real node table."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.model import NodeType, SourceData
from kg.sources import hetionet
from kg.sources.base import get_source


@pytest.fixture(scope="module")
def data(data_dir: Path) -> SourceData:
    """The source loaded from the real data folder."""
    return get_source("hetionet").load(data_dir)


def test_counts(data: SourceData, check) -> None:
    nodes, edges = check(data)
    assert get_source("hetionet").loader is hetionet.load
    assert data.version == "Hetionet v1.0"
    assert edges == []
    assert sum(1 for n in nodes.values() if n.type is NodeType.DRUG) == 1552
    assert sum(1 for n in nodes.values() if n.type is NodeType.DISEASE) == 137
    pheno = [n for n in nodes.values() if n.type is NodeType.PHENOTYPE]
    assert sum(1 for n in pheno if n.id.startswith("MESH:")) == 438
    assert sum(1 for n in pheno if n.id.startswith("UMLS:")) == 5734
    assert any("Gene 20945" in n for n in data.notes)


def test_known_nodes(data: SourceData, check) -> None:
    nodes, _ = check(data)
    assert nodes["DRUGBANK:DB00843"].label == "Donepezil"
    assert nodes["DOID:10652"].label == "Alzheimer's disease"
    assert nodes["MESH:D000006"].label == "Abdomen, Acute"  # Symptom::D000006
    assert nodes["UMLS:C0000727"].label == "Acute abdomen"  # Side Effect::C0000727
    assert nodes["UMLS:C0000727"].type is NodeType.PHENOTYPE
    assert not any(n.label and "\r" in n.label for n in nodes.values())  # CRLF file
