"""Extracted statements into a bundle as a source, deduplicated, visible, removable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.bundle import Bundle
from kg.errors import BundleError
from kg.extraction import Recognizer
from kg.extraction.merge import MARK, merge_statements, remove_source, statements_path
from kg.stores import open_store

TEXT = (
    "Losartan is used for the treatment of Marfan syndrome. "
    "Marfan syndrome presents with myopia and hyperextensible skin. "
    "Metformin-induced vertigo was reported. "
    "Metformin-induced Marfan syndrome is not a thing but tests the schema."
)


@pytest.fixture()
def kg(fixture_kg: Path, tmp_path: Path) -> Path:
    out = tmp_path / "kg"
    shutil.copytree(fixture_kg, out)
    return out


def edges(kg: Path, cypher: str) -> list[tuple]:
    with open_store(Bundle(kg).selector("ladybug")) as s:
        return sorted(s.query(cypher).rows)


def sparql(kg: Path, text: str) -> list[tuple]:
    with open_store(Bundle(kg).selector("oxigraph")) as s:
        return sorted(s.query(text).rows)


def test_merge_dedup_visible_everywhere_and_removable(kg: Path, recognizer: Recognizer) -> None:
    before = sorted(Bundle(kg).export_path.read_text(encoding="utf-8").splitlines())
    doc = recognizer.extract(TEXT, doc_id="case-1")
    report = merge_statements(kg, [doc], files=["case-1.txt"])
    assert report["new_edges"] == 3  # 2 phenotypes of DOID:14323, metformin -> vertigo
    assert report["merged_into_curated_edges"] == 1  # losartan TREATS DOID:14323 is curated
    assert report["dropped_endpoint_types"] == 1  # a drug cannot have a disease as adverse effect

    # one edge with both provenances, not two edges
    treats = edges(kg, "MATCH (d:Drug {id: 'DRUGBANK:DB00678'})-[r:TREATS]->(x {id: 'DOID:14323'}) "
                       "RETURN r.source, r.evidence")
    assert len(treats) == 1
    src, ev = treats[0]
    assert src == "fixture_drugs" and ev.startswith("category=DM" + MARK + "text_extraction: case-1: ")
    assert "Losartan is used for the treatment of Marfan syndrome." in ev

    new = edges(kg, "MATCH (a)-[r]->(b) WHERE r.source = 'text_extraction' "
                    "RETURN a.id, label(r), b.id, r.source_version IS NOT NULL")
    assert [r[:3] for r in new] == [
        ("DOID:14323", "HAS_PHENOTYPE", "HP:0000545"),
        ("DOID:14323", "HAS_PHENOTYPE", "HP:0000974"),
        ("DRUGBANK:DB00331", "HAS_ADVERSE_EFFECT", "HP:0002321"),
    ]
    # the same statements in the SPARQL store, with the source node
    rdf = sparql(kg, "SELECT ?s ?o WHERE { ?a medkg:source ?src . ?src rdfs:label \"text_extraction\" . "
                     "?a medkg:subject/medkg:id ?s ; medkg:object/medkg:id ?o }")
    assert rdf == [("DOID:14323", "HP:0000545"), ("DOID:14323", "HP:0000974"), ("DRUGBANK:DB00331", "HP:0002321")]
    manifest = Bundle(kg).manifest()
    src_entry = next(s for s in manifest["sources"] if s["name"] == "text_extraction")
    assert src_entry["edges"] == 3 and src_entry["files"] == ["case-1.txt"]
    assert manifest["counts"]["edges"]["HAS_PHENOTYPE"] == 22
    # the statement dropped for its endpoint types is not stored: the file lists what the graph holds
    lines = statements_path(kg, "text_extraction").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and json.loads(lines[0])["evidence"]["doc_id"] == "case-1"
    assert report["statements"] == 4 and report["added_statements"] == 4 and report["unchanged"] is False

    # merging the same document again adds nothing, and the bundle is not rebuilt
    stamp = (kg / "manifest.json").stat().st_mtime_ns, (kg / "ladybug.lbug").stat().st_ino
    again = merge_statements(kg, [doc])
    assert again["added_statements"] == 0 and again["statements"] == 4 and again["unchanged"] is True
    assert ((kg / "manifest.json").stat().st_mtime_ns, (kg / "ladybug.lbug").stat().st_ino) == stamp

    remove_source(kg)
    after = sorted(Bundle(kg).export_path.read_text(encoding="utf-8").splitlines())
    assert after == before
    assert not (kg / "extraction").exists()
    assert all(s["name"] != "text_extraction" for s in Bundle(kg).manifest()["sources"])


def test_merge_refuses_a_curated_source_name_and_missing_bundles(kg: Path, recognizer: Recognizer,
                                                                 tmp_path: Path) -> None:
    doc = recognizer.extract(TEXT)
    with pytest.raises(BundleError, match="'fixture_hpo' is a curated source"):
        merge_statements(kg, [doc], source="fixture_hpo")
    with pytest.raises(BundleError, match="no knowledge graph"):
        merge_statements(tmp_path / "nowhere", [doc])
    with pytest.raises(BundleError, match="no extraction source 'text_extraction'"):
        remove_source(kg)


def test_failed_merge_leaves_the_bundle_intact(kg: Path, recognizer: Recognizer,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.build as build

    before = (kg / "manifest.json").read_text(encoding="utf-8")

    def boom(*_a: object, **_k: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(build, "write_bundle", boom)
    with pytest.raises(Exception, match="merge failed, previous bundle kept: disk full"):
        merge_statements(kg, [recognizer.extract(TEXT)])
    assert (kg / "manifest.json").read_text(encoding="utf-8") == before
    assert not statements_path(kg, "text_extraction").exists()
    assert not [p for p in kg.parent.iterdir() if ".merging-" in p.name]


def test_a_disease_that_is_also_a_side_effect_is_merged_as_the_disease(tmp_path: Path, make_fixture_bundle) -> None:
    # Hetionet lists "Type 2 diabetes mellitus" as a side effect (a UMLS phenotype): the DO disease
    # must win the name, or "Metformin treats ..." becomes a drug treating a phenotype and is dropped
    kg = make_fixture_bundle(tmp_path / "kg", {"nodes": [
        {"id": "UMLS:C0011860", "type": "PhenotypicFeature", "label": "Type 2 diabetes mellitus"}]})
    rec = Recognizer.from_bundle(kg, cache_dir=False)
    doc = rec.extract("Metformin treats type 2 diabetes mellitus.", doc_id="t2dm")
    assert [(m.id, m.type) for m in doc.entities] == [("DRUGBANK:DB00331", "drug"), ("DOID:9352", "disease")]
    report = merge_statements(kg, [doc])
    assert report["merged_into_curated_edges"] == 1  # the curated metformin TREATS DOID:9352 edge
    assert "dropped_endpoint_types" not in report and "dropped_unknown_id_or_predicate" not in report


def test_statements_the_graph_cannot_take_are_counted_not_stored(kg: Path, recognizer: Recognizer) -> None:
    doc = recognizer.extract("Metformin-induced Marfan syndrome.", doc_id="d")  # a disease as adverse effect
    stranger = recognizer.extract("Metformin-induced vertigo was seen.", doc_id="e")
    for r in stranger.relations:
        r.subject = "DRUGBANK:DB99999"  # read with another bundle's names
    stamp = (kg / "manifest.json").read_bytes()
    report = merge_statements(kg, [doc, stranger])
    assert report == {**report, "statements": 0, "added_statements": 0, "dropped_endpoint_types": 1,
                      "dropped_unknown_id_or_predicate": 1, "unchanged": True}
    assert (kg / "manifest.json").read_bytes() == stamp  # nothing merged: not rebuilt
    assert not statements_path(kg, "text_extraction").exists()



def test_a_corpus_merged_by_an_earlier_medkg_is_not_stored_again(kg: Path, recognizer: Recognizer) -> None:
    # the statements file as an earlier medkg wrote it: documents named by file stem ('case-1' for
    # notes/case-1.txt, 'notes:2' for line 2 of notes.jsonl), offsets not counting a byte-order mark
    old = [recognizer.extract(TEXT, doc_id="case-1"), recognizer.extract(TEXT, doc_id="case-2"),
           recognizer.extract(TEXT, doc_id="notes:2")]
    first = merge_statements(kg, old)
    path = statements_path(kg, "text_extraction")
    stored = path.read_bytes()
    assert first["statements"] == 12 and {json.loads(x)["evidence"]["doc_id"] for x in stored.splitlines()} == {
        "case-1", "case-2", "notes:2"}
    # the same corpus read again, with today's ids and offsets: nothing new
    again = [recognizer.extract(TEXT, doc_id="notes/case-1.txt"),
             recognizer.extract("\ufeff" + TEXT, doc_id="case-2.txt"),  # the file starts with a byte-order mark
             recognizer.extract(TEXT, doc_id="notes.jsonl:2")]
    assert again[1].relations[0].evidence.subject_span[0] == old[1].relations[0].evidence.subject_span[0] + 1
    report = merge_statements(kg, again)
    assert report["added_statements"] == 0 and report["statements"] == 12 and report["unchanged"] is True
    assert path.read_bytes() == stored
    # another document with the same sentences is new
    report = merge_statements(kg, [recognizer.extract(TEXT, doc_id="case-3.txt")])
    assert report["added_statements"] == 4 and report["statements"] == 16


def test_a_file_read_with_other_inputs_is_not_stored_again(kg: Path, recognizer: Recognizer) -> None:
    """A file's id is its path below the inputs' common folder, so the same file is ``a.txt``
    read alone and ``x/a.txt`` read with ``y/b.txt``: re-merging it adds nothing; a file of the
    same name elsewhere with other text is still new."""
    first = merge_statements(kg, [recognizer.extract(TEXT, doc_id="a.txt")])
    assert first["statements"] == 4
    report = merge_statements(kg, [recognizer.extract(TEXT, doc_id="x/a.txt"),
                                   recognizer.extract(TEXT, doc_id="m/x/a.txt")])
    assert report["added_statements"] == 0 and report["unchanged"] is True
    report = merge_statements(kg, [recognizer.extract("Note.\n" + TEXT, doc_id="y/a.txt")])
    assert report["added_statements"] == 4


def test_stored_statements_that_no_longer_fit_are_counted(kg: Path, recognizer: Recognizer) -> None:
    merge_statements(kg, [recognizer.extract(TEXT, doc_id="case-1.txt")])
    path = statements_path(kg, "text_extraction")
    stale = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    stale["subject"] = "DRUGBANK:DB99999"  # an id the bundle no longer has
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(stale) + "\n")
    report = merge_statements(kg, [recognizer.extract(TEXT, doc_id="case-2.txt")])
    assert report["dropped_stored"] == 1 and report["statements"] == 8 and report["added_statements"] == 4
    assert "DRUGBANK:DB99999" not in path.read_text(encoding="utf-8")


def test_two_text_sources_are_removed_one_at_a_time(kg: Path, recognizer: Recognizer) -> None:
    """Text-mined sources merge only into curated edges and cut only their own evidence: removing
    one leaves what the other states (its text on a curated edge, and a statement that both read,
    which had been appended to the first source's edge and went with it)."""
    text = ("Losartan is used for the treatment of Marfan syndrome. "      # curated: both append
            "Marfan syndrome presents with hyperextensible skin.")         # text only: both read it
    merge_statements(kg, [recognizer.extract(text, doc_id="a")], source="s1")
    report = merge_statements(kg, [recognizer.extract(text, doc_id="b")], source="s2")
    assert (report["new_edges"], report["merged_into_curated_edges"]) == (1, 1)
    skin = "MATCH (d {id: 'DOID:14323'})-[r:HAS_PHENOTYPE]->(p {id: 'HP:0000974'}) RETURN r.source"
    assert edges(kg, skin) == [("s1",), ("s2",)]
    remove_source(kg, source="s1")
    assert edges(kg, skin) == [("s2",)]
    ((ev,),) = edges(kg, "MATCH (:Drug {id: 'DRUGBANK:DB00678'})-[r:TREATS]->({id: 'DOID:14323'}) RETURN r.evidence")
    assert ev.startswith("category=DM" + MARK + "s2: b: ") and "s1:" not in ev
    remove_source(kg, source="s2")
    assert edges(kg, skin) == []
    assert edges(kg, "MATCH (:Drug {id: 'DRUGBANK:DB00678'})-[r:TREATS]->({id: 'DOID:14323'}) RETURN r.evidence") == [
        ("category=DM",)]
