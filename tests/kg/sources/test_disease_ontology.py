"""Disease Ontology loader on the real ``HumanDO.obo``."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kg.curie import is_curie, prefix_of
from kg.model import NodeType, Predicate, SourceData
from kg.sources import disease_ontology
from kg.sources.base import get_source


@pytest.fixture(scope="module")
def data(data_dir: Path) -> SourceData:
    """The source loaded from the real data folder."""
    return get_source("disease_ontology").load(data_dir)


def test_version_and_counts(data: SourceData, check) -> None:
    nodes, edges = check(data)
    assert data.version == "HumanDO.obo date 14:05:2015 16:40"
    doids = [n for n in nodes.values() if n.id.startswith("DOID:") and n.type is NodeType.DISEASE]
    # 8,948 terms of which 2,374 are obsolete: 2 are alt ids of live terms, 2,372 ObsoleteTerm nodes
    assert len(doids) == 8948 - 2374
    obsolete = [n for n in nodes.values() if n.type is NodeType.OBSOLETE]
    assert len(obsolete) == 2372
    assert {n.type for n in nodes.values()} == {NodeType.DISEASE, NodeType.OBSOLETE}
    subclass = [e for e in edges if e.predicate is Predicate.SUBCLASS_OF]
    assert 6500 < len(subclass) < 7500
    assert all(prefix_of(e.object) == "DOID" for e in subclass)


def test_obsolete_terms_are_obsolete_term_nodes(data: SourceData, check) -> None:
    """An obsolete id stays known as obsolete (so a user's old id is reported as such), never as a
    disease: no edge touches it."""
    nodes, edges = check(data)
    old = nodes["DOID:0050001"]
    assert (old.type, old.label, old.consider) == (NodeType.OBSOLETE, "Actinomadura madurae infectious disease", ())
    obsolete = {n.id for n in nodes.values() if n.type is NodeType.OBSOLETE}
    assert not any(e.subject in obsolete or e.object in obsolete for e in edges)
    assert "DOID:267" not in nodes  # obsolete, and an alt id of DOID:0001816


def test_alzheimers_node(data: SourceData, check, index) -> None:
    nodes, edges = check(data)
    ad = nodes["DOID:10652"]
    assert ad.label == "Alzheimer's disease"
    assert "Alzheimer disease" in ad.synonyms
    assert ad.definition and ad.definition.startswith("A tauopathy")
    for x in ("MESH:D000544", "ICD10CM:G30", "ICD9CM:331.0", "UMLS:C0002395", "NCIT:C2866",
              "EFO:0000249", "KEGG:05010", "OMIM:104300", "SNOMEDCT:26929004"):
        assert x in ad.xrefs
    assert all(is_curie(x) for x in ad.xrefs)
    assert ("DOID:10652", "SUBCLASS_OF", "DOID:680") in index(edges)


def test_alt_ids_and_prefix_normalisation(data: SourceData, check) -> None:
    nodes, _ = check(data)
    angio = nodes["DOID:0001816"]
    assert angio.alt_ids == ("DOID:267", "DOID:4508")
    assert "MESH:D006394" in angio.xrefs  # MSH:D006394
    assert "NCIT:C3088" in angio.xrefs  # NCI:C3088
    assert "SNOMEDCT:33176006" in angio.xrefs  # SNOMEDCT_2010_1_31:33176006
    assert not any(x.startswith(("MSH:", "NCI:", "UMLS_CUI:", "ORDO:")) for n in nodes.values()
                   for x in n.xrefs)


def test_omim_and_orpha_xref_edges(data: SourceData, check, index) -> None:
    nodes, edges = check(data)
    idx = index(edges)
    pd = idx[("DOID:14330", "XREF", "OMIM:168600")]  # Parkinson's disease
    assert pd.evidence == "DO xref" and pd.source == "disease_ontology"
    assert ("DOID:14330", "XREF", "ORPHA:2828") in idx  # ORDO:2828
    assert ("DOID:0050769", "XREF", "ORPHA:2608") in idx  # Orphanet:ORPHA2608, N syndrome
    assert nodes["OMIM:168600"].type is NodeType.DISEASE
    assert nodes["OMIM:168600"].label is None
    assert nodes["OMIM:168600"].reference and not nodes["DOID:14330"].reference  # DO refers, HPO defines
    xref = [e for e in edges if e.predicate is Predicate.XREF]
    by_prefix = {p: sum(1 for e in xref if prefix_of(e.object) == p) for p in ("OMIM", "ORPHA")}
    assert 3000 < by_prefix["OMIM"] < 3500
    assert 300 < by_prefix["ORPHA"] < 450
    assert len(xref) == sum(by_prefix.values())
    # the xrefs stay on the node too
    assert "OMIM:168600" in nodes["DOID:14330"].xrefs
    assert any("OMIM 3391" in n and "ORPHA 380" in n for n in data.notes)  # OMIM:6111107 is a typo
    assert any(n.startswith("dropped") and "CSP" in n for n in data.notes)


def test_loads_fast(data_dir: Path) -> None:
    t = time.perf_counter()
    disease_ontology.load(data_dir)
    assert time.perf_counter() - t < 3.0


def test_malformed_xrefs_of_the_real_file_are_skipped_and_listed(data: SourceData, check) -> None:
    nodes, _ = check(data)
    assert "OMIM:6111107" not in nodes  # a typo in HumanDO.obo (MIM numbers have 6 digits)
    note = next(n for n in data.notes if n.startswith("skipped 15 malformed xrefs"))
    assert "OMIM:6111107 (DOID:0060308)" in note and "MSH:563466 (DOID:0060240)" in note
    assert not any(x.startswith("MESH:5") for n in nodes.values() for x in n.xrefs)


def test_a_malformed_or_empty_xref_is_not_an_unmapped_prefix(tmp_path: Path) -> None:
    folder = tmp_path / "disease-ontology"
    folder.mkdir()
    (folder / "HumanDO.obo").write_text(
        "format-version: 1.2\n\n[Term]\nid: DOID:1\nname: one\n"
        "xref: OMIM:foo\nxref: ORPHA:\nxref: ORPHA:558\nxref: CSP:1-2\n", encoding="utf-8")
    data = disease_ontology.load(tmp_path)
    assert sorted(n.id for n in data.nodes) == ["DOID:1", "ORPHA:558"]
    assert "skipped 2 malformed xrefs: OMIM:foo (DOID:1), ORPHA: (DOID:1)" in data.notes
    assert "dropped 1 xrefs with unmapped prefixes: CSP 1" in data.notes


def test_phenotypic_series_xrefs_are_kept_and_the_malformed_list_is_capped(tmp_path: Path) -> None:
    """Later DO releases cite OMIM phenotypic series (``OMIM:PS168600``): an OMIM xref like any other.
    A file with many malformed xrefs names the first 20 of them in the note and counts the rest."""
    folder = tmp_path / "disease-ontology"
    folder.mkdir()
    bad = "".join(f"xref: OMIM:{i}\n" for i in range(25))
    (folder / "HumanDO.obo").write_text(
        "format-version: 1.2\n\n[Term]\nid: DOID:1\nname: one\nxref: OMIM:PS168600\n" + bad, encoding="utf-8")
    data = disease_ontology.load(tmp_path)
    assert [(e.subject, e.predicate.value, e.object) for e in data.edges] == [("DOID:1", "XREF", "OMIM:PS168600")]
    note = next(n for n in data.notes if n.startswith("skipped 25 malformed xrefs: "))
    assert note.endswith(", OMIM:19 (DOID:1) and 5 more")
    assert note.count("(DOID:1)") == 20
