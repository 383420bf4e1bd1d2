"""PharmacotherapyDB loader on the real ``indications.tsv``."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kg.model import NodeType, Predicate, SourceData
from kg.sources import pharmacotherapydb
from kg.sources.base import get_source


@pytest.fixture(scope="module")
def data(data_dir: Path) -> SourceData:
    """The source loaded from the real data folder."""
    return get_source("pharmacotherapydb").load(data_dir)


def test_registered() -> None:
    spec = get_source("pharmacotherapydb")
    assert spec.loader is pharmacotherapydb.load
    assert spec.default and spec.needs_data_dir
    assert spec.subdir == "pharmacotherapydb"
    assert spec.license == "CC0 1.0"


def test_counts_match_the_release(data: SourceData, check) -> None:
    nodes, edges = check(data)
    assert data.version == "PharmacotherapyDB v1.0"
    assert len(edges) == 1388
    by_pred = {p: sum(1 for e in edges if e.predicate is p) for p in Predicate}
    assert by_pred[Predicate.TREATS] == 755
    assert by_pred[Predicate.PALLIATES] == 390
    assert by_pred[Predicate.NOT_INDICATED_FOR] == 243
    assert sum(1 for n in nodes.values() if n.type is NodeType.DRUG) == 601
    assert sum(1 for n in nodes.values() if n.type is NodeType.DISEASE) == 97
    assert data.files == [str(Path(data.files[0]))]
    assert data.files[0].endswith("pharmacotherapydb/indications.tsv")


def test_donepezil_treats_alzheimers(data: SourceData, check, index) -> None:
    nodes, edges = check(data)
    e = index(edges)[("DRUGBANK:DB00843", "TREATS", "DOID:10652")]
    assert e.evidence == "category=DM; n_curators=2; n_resources=1"
    assert e.source == "pharmacotherapydb"
    assert nodes["DRUGBANK:DB00843"].label == "Donepezil"
    assert nodes["DRUGBANK:DB00843"].type is NodeType.DRUG
    assert nodes["DOID:10652"].label == "Alzheimer's disease"
    assert nodes["DOID:10652"].type is NodeType.DISEASE


def test_symptomatic_and_non_indications(data: SourceData, check, index) -> None:
    _, edges = check(data)
    idx = index(edges)
    # Haloperidol (SYM) palliates Alzheimer's disease; Biperiden is a NOT.
    assert ("DRUGBANK:DB00502", "PALLIATES", "DOID:10652") in idx
    assert idx[("DRUGBANK:DB00810", "NOT_INDICATED_FOR", "DOID:10652")].evidence.startswith(
        "category=NOT;"
    )
    assert ("DRUGBANK:DB00810", "TREATS", "DOID:10652") not in idx


def test_loads_fast(data_dir: Path) -> None:
    t = time.perf_counter()
    pharmacotherapydb.load(data_dir)
    assert time.perf_counter() - t < 1.0
