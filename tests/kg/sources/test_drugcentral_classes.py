"""DrugCentral drug-class loader on the real ``classes.tsv`` / ``drug-to-class.tsv``, and on broken copies."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from kg.errors import ConfigError, SourceFileMissing, SourceFormatError
from kg.model import NodeType, Predicate, SourceData
from kg.sources import drugcentral_classes
from kg.sources.base import get_source


@pytest.fixture(scope="module")
def data(data_dir: Path) -> SourceData:
    """The source loaded from the real data folder."""
    return get_source("drugcentral_classes").load(data_dir)


def test_registered_after_the_drug_sources() -> None:
    from kg.sources import all_sources

    spec = get_source("drugcentral_classes")
    assert spec.loader is drugcentral_classes.load
    assert spec.default and spec.subdir == "drugcentral" and spec.license == "CC BY-SA 4.0"
    names = [s.name for s in all_sources()]
    assert names.index("hetionet") < names.index("drugcentral_classes")  # the drugs' names come first


def test_counts(data: SourceData, check) -> None:
    nodes, edges = check(data)
    classes = [n for n in nodes.values() if n.type is NodeType.DRUG_CLASS]
    assert len(classes) == 1262
    assert Counter((n.class_source, n.class_type) for n in classes) == {
        ("CHEBI", "Application"): 240, ("FDA", "Chemical/Ingredient"): 101,
        ("FDA", "FDA Established Pharmacologic Class"): 306, ("FDA", "Mechanism of Action"): 169,
        ("FDA", "Physiologic Effect"): 75, ("MeSH", "Pharmacological Action"): 371}
    assert Counter(n.id.split(":")[0] for n in classes) == {"NDFRT": 651, "MESH": 371, "CHEBI": 240}
    assert len(edges) == 10959 and {e.predicate for e in edges} == {Predicate.IN_CLASS}
    drugs = [n for n in nodes.values() if n.type is NodeType.DRUG]
    assert len(drugs) == 1423 and all(n.reference and n.label is None for n in drugs)
    assert data.notes[1] == "10959 IN_CLASS edges of 1423 drugs"


def test_known_memberships(data: SourceData, index) -> None:
    idx = index(data.edges)
    nodes = {n.id: n for n in data.nodes}
    # Amoxicillin and benzylpenicillin: the FDA EPC Penicillin-class Antibacterial
    for drug in ("DRUGBANK:DB01060", "DRUGBANK:DB01053"):
        assert (drug, "IN_CLASS", "NDFRT:N0000175497") in idx
    epc = nodes["NDFRT:N0000175497"]
    assert (epc.label, epc.class_source, epc.class_type) == (
        "Penicillin-class Antibacterial", "FDA", "FDA Established Pharmacologic Class")
    assert idx[("DRUGBANK:DB01060", "IN_CLASS", "NDFRT:N0000175497")].evidence == (
        "DrugCentral drug class (FDA Established Pharmacologic Class)")
    assert nodes["MESH:D000900"].label == "Anti-Bacterial Agents"
    assert nodes["CHEBI:36047"].label == "antibacterial drug"


def _copy(data_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "drugcentral"
    shutil.copytree(data_dir / "drugcentral", out)
    return out


def test_no_data_dir_or_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="drugcentral_classes.*data folder"):
        get_source("drugcentral_classes").load(None)
    (tmp_path / "drugcentral").mkdir()
    with pytest.raises(SourceFileMissing, match="classes.tsv"):
        get_source("drugcentral_classes").load(tmp_path)


@pytest.mark.parametrize("old,new,message", [
    ("N0000175497\tPenicillin-class Antibacterial\tFDA", "D000900\tPenicillin-class Antibacterial\tFDA",
     "class id 'D000900' is not a FDA id"),
    ("\tFDA\tFDA Established Pharmacologic Class", "\tNDFRT\tFDA Established Pharmacologic Class",
     "unknown class_source 'NDFRT'"),
])
def test_a_bad_class_row_names_file_and_line(data_dir: Path, tmp_path: Path, old: str, new: str,
                                             message: str) -> None:
    folder = _copy(data_dir, tmp_path)
    path = folder / "classes.tsv"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(SourceFormatError, match=message) as err:
        get_source("drugcentral_classes").load(tmp_path)
    assert str(path) in str(err.value)


def test_a_membership_of_an_unlisted_class_is_an_error(data_dir: Path, tmp_path: Path) -> None:
    folder = _copy(data_dir, tmp_path)
    path = folder / "drug-to-class.tsv"
    path.write_text(path.read_text() + "DB01060\tAmoxicillin\tN0000000001\tNo such class\n")
    with pytest.raises(SourceFormatError, match="class 'N0000000001' is not listed in classes.tsv"):
        get_source("drugcentral_classes").load(tmp_path)
