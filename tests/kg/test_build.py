"""The build: atomic replacement, source planning and clear errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.build import build, plan_sources
from kg.bundle import Bundle
from kg.errors import BuildError, BundleError, ConfigError, NotWritableError, SourceFormatError, UnknownSourceError
from kg.sources import get_source
from kg.sources.graph_json import load_graph_json
from kg.stores import open_store

FIX = Path(__file__).resolve().parents[1] / "fixtures"


def _fixture_parts() -> list:
    return [load_graph_json(FIX / "phenotypes.json"), load_graph_json(FIX / "drugs.json")]


def test_manifest_records_sources_versions_counts(fixture_kg: Path) -> None:
    m = Bundle(fixture_kg).manifest()
    assert [s["name"] for s in m["sources"]] == ["fixture_hpo", "fixture_drugs"]
    assert m["sources"][0]["version"] == "2025-01-16-fixture"
    assert m["counts"]["nodes"] == {"PhenotypicFeature": 17, "Disease": 7, "Drug": 5, "ObsoleteTerm": 2,
                                    "DrugClass": 3}
    assert m["counts"]["edges"]["HAS_PHENOTYPE"] == 20
    assert [m["counts"]["edges"][p] for p in ("TREATS", "PALLIATES", "INDICATED_FOR", "NOT_INDICATED_FOR")] == [
        2, 1, 1, 1]
    assert m["identity_mapping"]["mapped_to_omim_or_orpha"] == 1
    assert (fixture_kg / "export" / "graph.nt").stat().st_size > 1000
    assert (fixture_kg / "export" / "medkg.ttl").is_file()


def test_failed_build_keeps_previous_bundle(tmp_path: Path) -> None:
    out = tmp_path / "kg"
    build(out, sources=[], extra=_fixture_parts())
    before = Bundle(out).manifest()["built_at"], (out / "export" / "graph.nt").read_bytes()
    bad = tmp_path / "data" / "hsdn"
    bad.mkdir(parents=True)
    (bad / "symptoms-DO.tsv").write_text(
        "symptom_name\tdisease_name\tcooccurs\ttfidf_score\tdisease_id\tsymptom_id\tdoid_code\tdoid_name\n"
        "Pain\tFlu\t3\t1.5\tD1\tD2\tDOID:1\n"  # truncated: 7 fields
    )
    with pytest.raises(SourceFormatError, match=r"symptoms-DO.tsv, line 2"):
        build(out, sources=["hsdn"], data_dir=tmp_path / "data")
    after = Bundle(out).manifest()["built_at"], (out / "export" / "graph.nt").read_bytes()
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".kg.")]  # temp folder cleaned


def test_interrupted_build_keeps_previous_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "kg"
    build(out, sources=[], extra=_fixture_parts())
    import kg.build as kb

    def boom(*a: object, **k: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(kb, "write_ntriples", boom)
    with pytest.raises(KeyboardInterrupt):
        build(out, sources=[], extra=_fixture_parts())
    with open_store(Bundle(out).selector("ladybug")) as st:
        assert st.query("MATCH (d:Disease) RETURN count(d)").rows == [(7,)]


def test_refuses_to_replace_a_folder_that_is_not_a_bundle(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("precious")
    with pytest.raises(BuildError, match="not a medkg bundle"):
        build(tmp_path / "mine", sources=[], extra=_fixture_parts())
    assert (tmp_path / "mine" / "notes.txt").read_text() == "precious"


def test_a_rebuild_does_not_discard_merged_statements_or_embeddings_unasked(tmp_path: Path) -> None:
    out = tmp_path / "kg"
    build(out, sources=[], extra=_fixture_parts())
    (out / "extraction").mkdir()
    (out / "extraction" / "notes.jsonl").write_text('{"kept": true}\n')
    (out / "embeddings").mkdir()
    with pytest.raises(BuildError, match=r"holds merged text-extraction statements \(notes\) and embeddings, which a "
                                         r"rebuild would discard"):
        build(out, sources=[], extra=_fixture_parts())
    assert (out / "extraction" / "notes.jsonl").read_text() == '{"kept": true}\n' and (out / "embeddings").is_dir()
    build(out, sources=[], extra=_fixture_parts(), replace=True)
    assert not (out / "extraction").exists() and not (out / "embeddings").exists()


def test_unknown_source_name_lists_known_ones() -> None:
    with pytest.raises(UnknownSourceError, match="unknown source 'nosuch'; known sources: .*hpo"):
        plan_sources(["nosuch"], None)


def test_missing_data_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="data folder not found"):
        plan_sources(None, tmp_path / "nope")
    with pytest.raises(ConfigError, match="source 'hsdn' cannot be loaded: no data folder"):
        plan_sources(["hsdn"], None)


def test_default_plan_skips_what_it_cannot_read_and_says_why(tmp_path: Path) -> None:
    plan = plan_sources(None, None)
    synonyms = get_source("drugstandards").missing()  # package data: used where installed
    assert [s.name for s in plan.use] == ["hpo"] + (["drugstandards"] if synonyms is None else [])
    reasons = dict(plan.skipped)
    assert synonyms is None or reasons["drugstandards"] == synonyms
    assert "no data folder" in reasons["hsdn"]
    assert "off by default" in reasons["sider"]


def test_non_utf8_source_file_names_the_line(tmp_path: Path, data_dir: Path) -> None:
    d = tmp_path / "pharmacotherapydb"
    d.mkdir()
    src = (data_dir / "pharmacotherapydb" / "indications.tsv").read_bytes().splitlines(keepends=True)
    (d / "indications.tsv").write_bytes(b"".join(src[:5]) + b"DOID:1\tDB1\tbad \xff\tx\tDM\t1\t1\n")
    with pytest.raises(SourceFormatError, match=r"indications.tsv, line 6: not UTF-8"):
        build(tmp_path / "kg", sources=["pharmacotherapydb"], data_dir=tmp_path)


def test_graph_json_errors_name_the_json_path(tmp_path: Path) -> None:
    g = json.loads((FIX / "drugs.json").read_text())
    g["edges"][2]["frequency"] = 7
    p = tmp_path / "g.json"
    p.write_text(json.dumps(g))
    with pytest.raises(SourceFormatError, match=r"\$\.edges\[2\]\.frequency: 7(\.0)? is outside"):
        load_graph_json(p)


def _graph(nodes: list[tuple[str, str]], edges: list[tuple[str, str, str]]) -> dict:
    return {"source": {"name": "mine", "version": "1"},
            "nodes": [{"id": i, "type": t} for i, t in nodes],
            "edges": [{"subject": s, "predicate": p, "object": o} for s, p, o in edges]}


@pytest.mark.parametrize(("nodes", "edges", "where", "why"), [
    ([("OMIM:6111107", "Disease")], [], r"\$\.nodes\[0\]\.id", r"malformed OMIM id 'OMIM:6111107'"),
    ([("HP:0001166", "PhenotypicFeature"), ("HP:０００１１６６", "PhenotypicFeature")], [],
     r"\$\.nodes\[1\]\.id", r"malformed HP id .* non-ASCII character '０'"),
    ([("OMIM:154700", "Disease")], [("OMIM:154700.0001", "HAS_PHENOTYPE", "HP:0001166")],
     r"\$\.edges\[0\]\.subject", r"malformed OMIM id 'OMIM:154700\.0001'"),
    ([], [("OMIM:154700", "HAS_PHENOTYPE", "XX:1")], r"\$\.edges\[0\]\.object", r"unknown CURIE prefix 'XX'"),
])
def test_graph_json_ids_are_checked_at_load_naming_file_and_node(
        tmp_path: Path, nodes: list, edges: list, where: str, why: str) -> None:
    """A malformed id fails when the file is read, naming it and the node or edge, not later in the
    N-Triples export with a message that names neither."""
    p = tmp_path / "g.json"
    p.write_text(json.dumps(_graph(nodes, edges)), encoding="utf-8")
    with pytest.raises(SourceFormatError, match=rf"g\.json: {where}: {why}"):
        load_graph_json(p)


def test_graph_json_with_an_omim_phenotypic_series_builds(tmp_path: Path) -> None:
    p = tmp_path / "g.json"
    p.write_text(json.dumps(_graph([("omim:PS154700", "Disease"), ("HP:0001166", "PhenotypicFeature")],
                                   [("OMIM:PS154700", "HAS_PHENOTYPE", "hp:0001166")])), encoding="utf-8")
    part = load_graph_json(p)
    assert [n.id for n in part.nodes] == ["OMIM:PS154700", "HP:0001166"]  # normalised at load
    assert [(e.subject, e.object) for e in part.edges] == [("OMIM:PS154700", "HP:0001166")]
    build(tmp_path / "kg", sources=[], extra=[part])
    assert Bundle(tmp_path / "kg").manifest()["counts"]["edges"] == {"HAS_PHENOTYPE": 1}


def test_bundle_of_an_older_format_is_refused_until_rebuilt(tmp_path: Path, fixture_kg: Path) -> None:
    """A version-3 bundle has no DrugClass table, a version-2 one no ObsoleteTerm table (and a
    version-1 one stored unreviewed label indications as TREATS): it is refused with a clear
    error, and a rebuild replaces it."""
    out = tmp_path / "kg"
    shutil.copytree(fixture_kg, out)
    m = json.loads((out / "manifest.json").read_text())
    for old in (1, 2, 3):
        (out / "manifest.json").write_text(json.dumps({**m, "format_version": old}))
        with pytest.raises(BundleError, match=rf"bundle format {old} is not 4; rebuild it with 'medkg build'"):
            Bundle(out).manifest()
    build(out, sources=[], extra=_fixture_parts())
    assert Bundle(out).manifest()["format_version"] == 4


def test_rebuild_replaces_bundle(tmp_path: Path) -> None:
    out = tmp_path / "kg"
    build(out, sources=[], extra=_fixture_parts()[:1])
    build(out, sources=[], extra=_fixture_parts())
    assert [s["name"] for s in Bundle(out).manifest()["sources"]] == ["fixture_hpo", "fixture_drugs"]
    shutil.rmtree(out)


def test_an_unwritable_out_is_refused_before_loading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.build as kb

    def never(*_a: object) -> None:
        raise AssertionError("the sources were loaded before the output folder was checked")

    monkeypatch.setattr(kb, "load_sources", never)
    (tmp_path / "blocker").write_text("")
    with pytest.raises(NotWritableError, match=r"cannot write .*blocker: .*blocker is not a folder"):
        build(tmp_path / "blocker" / "kg", sources=["hpo"])


def test_a_source_named_twice_is_refused_before_loading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.build as kb

    def never(*_a: object) -> None:
        raise AssertionError("the sources were loaded")

    monkeypatch.setattr(kb, "load_sources", never)
    with pytest.raises(BuildError, match=r"two contributions share a source name: hpo \(in hpo, hpo\)"):
        build(tmp_path / "kg", sources=["hpo", "hpo"])


def test_replacing_is_said_only_when_there_was_a_bundle(tmp_path: Path) -> None:
    said: list[str] = []
    build(tmp_path / "kg", sources=[], extra=_fixture_parts(), step=said.append)
    assert "replacing the previous bundle" not in said and f"moving the new bundle to {tmp_path / 'kg'}" in said
    said.clear()
    build(tmp_path / "kg", sources=[], extra=_fixture_parts(), step=said.append)
    assert "replacing the previous bundle" in said


def test_graph_json_obsolete_terms_keep_their_consider_ids_and_join_no_statement(tmp_path: Path) -> None:
    """An ObsoleteTerm node keeps the ids to consider (normalised, checked at load); only it may
    have them; a statement naming it is dropped (it is no phenotype), counted in the report."""
    g = _graph([("HP:0001166", "PhenotypicFeature"), ("HP:0004175", "ObsoleteTerm"), ("OMIM:154700", "Disease")],
               [("OMIM:154700", "HAS_PHENOTYPE", "HP:0004175"), ("OMIM:154700", "HAS_PHENOTYPE", "HP:0001166")])
    g["nodes"][1]["consider"] = ["hp:0001166"]
    p = tmp_path / "g.json"
    p.write_text(json.dumps(g), encoding="utf-8")
    part = load_graph_json(p)
    assert part.nodes[1].consider == ("HP:0001166",)
    build(tmp_path / "kg", sources=[], extra=[part])
    m = Bundle(tmp_path / "kg").manifest()
    assert m["counts"]["nodes"]["ObsoleteTerm"] == 1 and m["counts"]["edges"] == {"HAS_PHENOTYPE": 1}
    assert m["assembly"]["dropped_examples"] == ["mine: OMIM:154700 HAS_PHENOTYPE HP:0004175"]
    g["nodes"][0]["consider"] = ["HP:0001167"]
    p.write_text(json.dumps(g), encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"\$\.nodes\[0\]\.consider: only an ObsoleteTerm node has ids"):
        load_graph_json(p)
    g["nodes"][0].pop("consider")
    g["nodes"][1]["consider"] = ["HP:12"]
    p.write_text(json.dumps(g), encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"\$\.nodes\[1\]\.consider\[0\]: malformed HP id"):
        load_graph_json(p)


def test_graph_json_drug_classes_keep_their_vocabulary_and_only_drugs_join_them(tmp_path: Path) -> None:
    """A DrugClass node keeps its class_source and class_type (only it may have them); IN_CLASS joins
    a drug to it, and a statement joining another node to a class is dropped, counted in the report."""
    g = _graph([("DRUGBANK:DB00335", "Drug"), ("NDFRT:N0000175556", "DrugClass"), ("OMIM:154700", "Disease")],
               [("DRUGBANK:DB00335", "IN_CLASS", "NDFRT:N0000175556"), ("OMIM:154700", "IN_CLASS", "NDFRT:N0000175556")])
    g["nodes"][1].update(class_source="FDA", class_type="FDA Established Pharmacologic Class")
    p = tmp_path / "g.json"
    p.write_text(json.dumps(g), encoding="utf-8")
    part = load_graph_json(p)
    assert (part.nodes[1].class_source, part.nodes[1].class_type) == ("FDA", "FDA Established Pharmacologic Class")
    build(tmp_path / "kg", sources=[], extra=[part])
    m = Bundle(tmp_path / "kg").manifest()
    assert m["counts"]["nodes"]["DrugClass"] == 1 and m["counts"]["edges"] == {"IN_CLASS": 1}
    assert m["assembly"]["dropped_examples"] == ["mine: OMIM:154700 IN_CLASS NDFRT:N0000175556"]
    g["nodes"][0]["class_type"] = "Mechanism of Action"
    p.write_text(json.dumps(g), encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"\$\.nodes\[0\]\.class_type: only a DrugClass node has a class_type"):
        load_graph_json(p)
