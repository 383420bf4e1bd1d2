"""SIDER 4.1 loader on the real gzip files."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.model import NodeType, Predicate, SourceData
from kg.sources import sider
from kg.sources.base import get_source


@pytest.fixture(scope="module")
def data(data_dir: Path) -> SourceData:
    """The source loaded from the real data folder."""
    return get_source("sider").load(data_dir)


def test_registered_off_by_default() -> None:
    spec = get_source("sider")
    assert spec.loader is sider.load
    assert spec.default is False
    assert "non-commercial" in spec.license.lower()
    assert "non-commercial" in spec.description.lower()


def test_counts(data: SourceData, check) -> None:
    nodes, edges = check(data)
    assert data.version == "SIDER 4.1"
    assert len(edges) == 145321  # distinct (flat STITCH id, MedDRA PT) pairs
    assert all(e.predicate is Predicate.HAS_ADVERSE_EFFECT for e in edges)
    assert sum(1 for n in nodes.values() if n.type is NodeType.DRUG) == 1430
    assert sum(1 for n in nodes.values() if n.type is NodeType.PHENOTYPE) == 4251
    freqs = [e.frequency for e in edges if e.frequency is not None]
    assert 20000 < len(freqs) < 30000
    assert all(0.0 <= f <= 1.0 for f in freqs)


def test_known_edge_with_frequency(data: SourceData, check, index) -> None:
    nodes, edges = check(data)
    idx = index(edges)
    # CID100000085, abdominal pain: 21%, 5%, 6%, 9% (a placebo 17% row is ignored)
    e = idx[("PUBCHEM:85", "HAS_ADVERSE_EFFECT", "UMLS:C0000737")]
    assert e.frequency == pytest.approx((0.21 + 0.05 + 0.06 + 0.09) / 4)
    assert e.frequency_label == "21%; 5%; 6%; 9%"
    assert nodes["UMLS:C0000737"].label == "Abdominal pain"
    assert nodes["PUBCHEM:85"].label == "CID100000085"
    # qualitative frequency only: label kept, no number
    q = idx[("PUBCHEM:137", "HAS_ADVERSE_EFFECT", "UMLS:C0151662")]
    assert q.frequency is None and q.frequency_label == "common"
    # no frequency row at all
    n = idx[("PUBCHEM:85", "HAS_ADVERSE_EFFECT", "UMLS:C0017152")]
    assert n.frequency is None and n.frequency_label is None
