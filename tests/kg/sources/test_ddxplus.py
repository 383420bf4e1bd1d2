"""DDXPlus loader on the real release JSON files."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.model import NodeType, Predicate, SourceData
from kg.sources import ddxplus
from kg.sources.base import get_source


@pytest.fixture(scope="module")
def data(data_dir: Path) -> SourceData:
    """The source loaded from the real data folder."""
    return get_source("ddxplus").load(data_dir)


def test_counts(data: SourceData, check) -> None:
    nodes, edges = check(data)
    assert get_source("ddxplus").loader is ddxplus.load
    assert sum(1 for n in nodes.values() if n.type is NodeType.DISEASE) == 49
    assert sum(1 for n in nodes.values() if n.type is NodeType.PHENOTYPE) == 223
    assert all(e.predicate is Predicate.HAS_PHENOTYPE for e in edges)
    assert len(edges) == 888
    assert sum(1 for e in edges if e.evidence == "DDXPlus antecedent") == 283
    assert sum(1 for e in edges if e.evidence == "DDXPlus symptom") == 605


def test_condition_with_icd10(data: SourceData, check, index) -> None:
    nodes, edges = check(data)
    ptx = nodes["DDXPLUS:spontaneous_pneumothorax"]
    assert ptx.label == "Spontaneous pneumothorax"
    assert ptx.xrefs == ("ICD10:J93",)
    assert nodes["DDXPLUS:cluster_headache"].xrefs == ("ICD10:G44.009",)  # "g44.009"
    assert nodes["DDXPLUS:pneumonia"].xrefs == ("ICD10:J17", "ICD10:J18")  # "j17, j18"
    assert "DDXPLUS:guillain_barre_syndrome" in nodes
    idx = index(edges)
    assert idx[("DDXPLUS:spontaneous_pneumothorax", "HAS_PHENOTYPE", "DDXPLUS:E_55")].evidence == (
        "DDXPlus symptom"
    )
    assert idx[("DDXPLUS:spontaneous_pneumothorax", "HAS_PHENOTYPE", "DDXPLUS:E_79")].evidence == (
        "DDXPlus antecedent"
    )


def test_evidence_node(data: SourceData, check) -> None:
    nodes, _ = check(data)
    fever = nodes["DDXPLUS:E_91"]
    assert fever.type is NodeType.PHENOTYPE
    assert fever.label == "Do you have a fever (either felt or measured with a thermometer)?"
    assert fever.synonyms == ()
