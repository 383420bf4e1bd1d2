"""``medkg diagnose`` as a user runs it, on the fixture graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


PACKET = {
    "id": "case-1",
    "phenotypicFeatures": [
        {"type": {"id": "HP:0001166", "label": "Arachnodactyly"}},
        {"type": {"id": "HP:0001083", "label": "Ectopia lentis"}},
        {"type": {"id": "HP:0000974"}, "excluded": True},
    ],
    "interpretations": [{"id": "i", "diagnosis": {"disease": {"id": "OMIM:154700"}}}],
}


def test_hpo_json_shape_and_treatments(medkg, fixture_kg: Path) -> None:
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166,HP:0001083", "--exclude", "HP:0000974",
              "--treatments", "--allergy", "DRUGBANK:DB00335", "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) >= {"case", "candidates", "treatments", "warnings"}
    top = out["candidates"][0]
    assert set(top) >= {"rank", "id", "label", "score", "probability", "evidence"}
    assert top["label"] == "Marfan syndrome" and top["rank"] == 1
    assert out["case"]["excluded"] == ["HP:0000974"]
    drugs = {t["drug"]: t for t in out["treatments"][0]["treatments"]}
    assert drugs["DRUGBANK:DB00678"]["relation"] == "treats"
    assert [f["kind"] for f in drugs["DRUGBANK:DB00335"]["flags"]] == ["allergy"]
    # an unreviewed label indication is listed last and says so
    assert [t["relation"] for t in out["treatments"][0]["treatments"]] == ["treats", "palliates", "indicated"]
    assert drugs["DRUGBANK:DB00571"]["note"].startswith("unreviewed label indication: a drug label lists")
    assert drugs["DRUGBANK:DB00678"]["note"] is None
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166,HP:0001083", "--treatments", "--top-k", "1",
              env={"COLUMNS": "200"})
    assert r.returncode == 0, r.stderr
    table = r.stdout.split("Treatments", 1)[1]
    assert "Propranolol" in table and "(unreviewed label indication)" in table
    assert table.index("Losartan") < table.index("Propranolol")


def test_table_output(medkg, fixture_kg: Path) -> None:
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166", "--hpo", "HP:0002616",
              "--namespace", "OMIM", "--top-k", "2")
    assert r.returncode == 0, r.stderr
    assert "OMIM:154700" in r.stdout and "Arachnodactyly" in r.stdout and "exact" in r.stdout
    # Marfan ranked by its OMIM id but scored by its ORPHA record: the output says whose evidence it shows
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166", "--namespace", "OMIM", "--format", "json")
    assert r.returncode == 0, r.stderr
    top = json.loads(r.stdout)["candidates"][0]
    assert (top["id"], top["scored_as"]) == ("OMIM:154700", "ORPHA:558")


def test_phenopacket_file_and_folder(medkg, fixture_kg: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.json").write_text(json.dumps(PACKET))
    (folder / "sub" / "b.json").write_text(json.dumps({**PACKET, "id": "case-2"}))
    r = medkg("diagnose", "--kg", str(fixture_kg), "--phenopacket", str(folder / "a.json"), "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["case"]["id"] == "case-1"
    r = medkg("diagnose", "--kg", str(fixture_kg), "--phenopacket", str(folder))
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["file"] for x in lines] == ["a.json", "sub/b.json"]
    assert all(x["candidates"][0]["label"] == "Marfan syndrome" for x in lines)
    (folder / "c.json").write_text('{"phenotypicFeatures": [{"type": {}}]}')
    r = medkg("diagnose", "--kg", str(fixture_kg), "--phenopacket", str(folder))
    assert r.returncode == 1
    assert "phenotypicFeatures[0].type.id" in r.stderr and "1 of 3 case(s) failed" in r.stderr
    assert len(r.stdout.splitlines()) == 3  # the good cases are still written


def test_bad_input_errors(medkg, fixture_kg: Path, tmp_path: Path) -> None:
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166,HP:9999999")
    assert r.returncode == 1 and "HP:9999999" in r.stderr and r.stdout == ""
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166,HP:9999999", "--lenient", "--format", "json")
    assert r.returncode == 0 and "HP:9999999" in json.loads(r.stdout)["warnings"][0]
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", ",")
    assert r.returncode == 2 and "no present phenotype" in r.stderr
    r = medkg("diagnose", "--kg", str(fixture_kg))
    assert r.returncode == 2 and "exactly one of" in r.stderr
    r = medkg("diagnose", "--kg", str(tmp_path / "nothing"), "--hpo", "HP:0001166")
    assert r.returncode == 2 and "no knowledge graph at" in r.stderr


def test_ids_pasted_with_spaces_or_semicolons(medkg, fixture_kg: Path) -> None:
    """'--hpo "HP:0001166 HP:0001083"' (ids pasted from a list) was an error: commas only."""
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166 HP:0001083;\tHP:0002616",
              "--exclude", "HP:0001249; HP:0002321", "--format", "json")
    assert r.returncode == 0, r.stderr
    case = json.loads(r.stdout)["case"]
    assert case["present"] == ["HP:0001166", "HP:0001083", "HP:0002616"]
    assert case["excluded"] == ["HP:0001249", "HP:0002321"]


def test_text_case(medkg, fixture_kg: Path) -> None:
    r = medkg("diagnose", "--kg", str(fixture_kg), "--format", "json",
              "--text", "Tall boy with spider fingers and ectopia lentis. No hyperextensible skin.")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["case"]["present"] == ["HP:0001166", "HP:0001083"]
    assert out["case"]["excluded"] == ["HP:0000974"]  # negated finding → excluded
    assert out["case"]["spans"]["HP:0001166"][0].startswith("text[14:28] 'spider fingers'")
    assert out["candidates"][0]["label"] == "Marfan syndrome"
    r = medkg("diagnose", "--kg", str(fixture_kg), "--text", "   ")
    assert r.returncode == 2 and "the text is empty" in r.stderr
    r = medkg("diagnose", "--kg", str(fixture_kg), "--text", "No complaints today.")
    assert r.returncode == 1 and "no present phenotype" in r.stderr


def test_text_file_and_stdin(medkg, fixture_kg: Path, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Tall boy with spider fingers and ectopia lentis. " * 40 + "No hyperextensible skin.")
    r = medkg("diagnose", "--kg", str(fixture_kg), "--format", "json", "--text-file", str(note))
    assert r.returncode == 0, r.stderr
    case = json.loads(r.stdout)["case"]
    assert case["present"] == ["HP:0001166", "HP:0001083"] and case["excluded"] == ["HP:0000974"]
    assert len(case["spans"]["HP:0001166"]) == 11 and case["spans"]["HP:0001166"][-1] == "and 30 more mention(s)"
    r = medkg("diagnose", "--kg", str(fixture_kg), "--format", "json", "--text-file", "-",
              stdin="Spider fingers and ectopia lentis.")
    assert r.returncode == 0 and json.loads(r.stdout)["case"]["present"] == ["HP:0001166", "HP:0001083"]
    note.write_bytes(b"Spider fingers \xff\xfe and ectopia lentis.")
    r = medkg("diagnose", "--kg", str(fixture_kg), "--text-file", str(note))
    assert r.returncode == 2 and "is not UTF-8 text (byte 15" in r.stderr
    r = medkg("diagnose", "--kg", str(fixture_kg), "--text-file", str(note), "--text", "Spider fingers.")
    assert r.returncode == 2 and "give exactly one of" in r.stderr


def test_allergy_and_drug_given_any_way(medkg, fixture_kg: Path) -> None:
    base = ("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166,HP:0001083", "--treatments", "--format", "json")
    r = medkg(*base, "--allergy", "drugbank:db00335", "--drug", "LOSARTAN")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["case"]["allergies"], out["case"]["drugs"]) == (["DRUGBANK:DB00335"], ["DRUGBANK:DB00678"])
    flags = {t["drug"]: [f["kind"] for f in t["flags"]] for t in out["treatments"][0]["treatments"]}
    assert flags["DRUGBANK:DB00335"] == ["allergy"] and "already_taking" in flags["DRUGBANK:DB00678"]
    assert "drugs: 'LOSARTAN' is the drug DRUGBANK:DB00678 (Losartan)" in out["warnings"]
    r = medkg(*base, "--allergy", "DB00335,OMIM:154700")
    assert r.returncode == 1 and "allergies: OMIM:154700 is a disease, not a drug" in r.stderr
    r = medkg(*base, "--allergy", "DB00335,OMIM:154700", "--lenient")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["case"]["allergies"] == ["DRUGBANK:DB00335"]
    assert "skipped allergies OMIM:154700: a disease, not a drug" in out["warnings"]


def test_a_drug_given_as_a_salt_form_or_a_combination(medkg, fixture_kg: Path) -> None:
    base = ("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166,HP:0001083", "--format", "json")
    r = medkg(*base, "--drug", "Losartan potassium,atenolol/metformin", "--allergy", "propranolol HCl")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["case"]["drugs"] == ["DRUGBANK:DB00678", "DRUGBANK:DB00335", "DRUGBANK:DB00331"]
    assert out["case"]["allergies"] == ["DRUGBANK:DB00571"]
    assert ("drugs: 'Losartan potassium' is the drug DRUGBANK:DB00678 (Losartan), as a salt or ester form of "
            "'Losartan'") in out["warnings"]
    assert ("drugs: 'atenolol/metformin' is the combination of DRUGBANK:DB00335 (Atenolol) + DRUGBANK:DB00331 "
            "(Metformin)") in out["warnings"]
    r = medkg(*base, "--drug", "atenolol + nosuchdrug")
    assert r.returncode == 1
    assert ("drugs: atenolol + nosuchdrug is a combination whose component 'nosuchdrug' is not the name of a drug "
            "in the graph") in r.stderr


def test_text_allergy_is_flagged_not_taken(medkg, fixture_kg: Path) -> None:
    r = medkg("diagnose", "--kg", str(fixture_kg), "--format", "json", "--treatments",
              "--text", "Spider fingers and ectopia lentis. Allergic to atenolol.")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["case"]["drugs"], out["case"]["allergies"]) == ([], ["DRUGBANK:DB00335"])
    flags = {t["drug"]: [f["kind"] for f in t["flags"]] for t in out["treatments"][0]["treatments"]}
    assert flags["DRUGBANK:DB00335"] == ["allergy"]


def test_contradiction_and_uninformative_terms_are_warned(medkg, fixture_kg: Path) -> None:
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166,HP:0000118", "--exclude", "HP:0001166")
    assert r.returncode == 0, r.stderr
    assert "HP:0001166 is both present and excluded: counted as present" in r.stderr
    assert "HP:0000118 (Phenotypic abnormality) says nothing" in r.stderr


def _tsv(text: str) -> list[dict[str, str]]:
    header, *rows = text.splitlines()
    return [dict(zip(header.split("\t"), r.split("\t"), strict=True)) for r in rows]


def test_tsv_to_an_out_file(medkg, fixture_kg: Path, tmp_path: Path) -> None:
    out = tmp_path / "dx.tsv"
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166,HP:0001083", "--namespace", "OMIM",
              "--treatments", "--format", "tsv", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "" and f"wrote {out}" in r.stderr
    rows = _tsv(out.read_text(encoding="utf-8"))
    assert list(rows[0]) == ["file", "case", "rank", "id", "ids", "label", "score", "probability", "evidence",
                             "graph_rank", "explanation", "treatments", "known_condition", "error"]
    top = rows[0]
    assert (top["rank"], top["id"], top["label"]) == ("1", "OMIM:154700", "Marfan syndrome")
    assert top["ids"] == "DOID:14323,OMIM:154700,ORPHA:558"
    assert float(top["probability"]) > float(rows[1]["probability"])
    assert top["evidence"].startswith("exact HP:0001") and "; exact HP:0001" in top["evidence"]
    assert "DRUGBANK:DB00678" in top["treatments"] and "(treats" in top["treatments"]
    assert [x["rank"] for x in rows] == [str(i) for i in range(1, len(rows) + 1)]
    # one phenopacket file: its path is the file column
    packet = tmp_path / "p.json"
    packet.write_text(json.dumps(PACKET))
    r = medkg("diagnose", "--kg", str(fixture_kg), "--phenopacket", str(packet), "--format", "tsv")
    assert r.returncode == 0, r.stderr
    assert {(x["file"], x["case"]) for x in _tsv(r.stdout)} == {(str(packet), "case-1")}


def test_folder_tsv_and_failed_cases_name_their_file(medkg, fixture_kg: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.json").write_text(json.dumps(PACKET))
    (folder / "sub" / "b.json").write_text(json.dumps({**PACKET, "id": "case-2"}))
    unknown = {**PACKET, "phenotypicFeatures": [{"type": {"id": "HP:9999999"}}]}
    (folder / "c.json").write_text(json.dumps(unknown))
    out = tmp_path / "all.tsv"
    r = medkg("diagnose", "--kg", str(fixture_kg), "--phenopacket", str(folder), "--format", "tsv",
              "--top-k", "2", "--out", str(out))
    assert r.returncode == 1 and r.stdout == ""
    at = f"HP:9999999 at {folder / 'c.json'}: phenotypicFeatures[0].type.id"  # the file and JSON path
    assert f"error: not in the graph: {at}" in r.stderr and "1 of 3 case(s) failed" in r.stderr
    rows = _tsv(out.read_text(encoding="utf-8"))
    assert [(x["file"], x["case"], x["rank"]) for x in rows] == [
        ("a.json", "case-1", "1"), ("a.json", "case-1", "2"), ("c.json", "", ""),
        ("sub/b.json", "case-2", "1"), ("sub/b.json", "case-2", "2")]
    assert rows[0]["label"] == "Marfan syndrome" and "HP:9999999" in rows[2]["error"]
    # JSON lines name the failed file too, and --lenient warnings name it on stderr
    r = medkg("diagnose", "--kg", str(fixture_kg), "--phenopacket", str(folder), "--lenient")
    assert r.returncode == 1
    assert f"error: the case has no present phenotype that the graph knows; skipped {at}" in r.stderr
    assert [json.loads(x)["file"] for x in r.stdout.splitlines()] == ["a.json", "c.json", "sub/b.json"]


def test_folder_refuses_what_it_would_ignore(medkg, fixture_kg: Path, tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(PACKET))
    r = medkg("diagnose", "--kg", str(fixture_kg), "--phenopacket", str(tmp_path), "--format", "table")
    assert r.returncode == 2 and "--format table shows one case" in r.stderr and r.stdout == ""
    r = medkg("diagnose", "--kg", str(fixture_kg), "--phenopacket", str(tmp_path), "--exclude", "HP:0001249",
              "--age", "3", "--sex", "male", "--drug", "DRUGBANK:DB00678", "--allergy", "DRUGBANK:DB00335")
    assert r.returncode == 2 and r.stdout == ""
    assert "--exclude, --age, --sex, --drug, --allergy: only for one case" in r.stderr


def test_exclude_age_and_sex_apply_to_a_phenopacket_or_text_case(medkg, fixture_kg: Path, tmp_path: Path) -> None:
    packet = tmp_path / "p.json"
    packet.write_text(json.dumps(PACKET))
    r = medkg("diagnose", "--kg", str(fixture_kg), "--phenopacket", str(packet), "--exclude", "hp:0001249",
              "--age", "12.5", "--sex", "FEMALE", "--format", "json")  # the sex in any case, as phenopackets write it
    assert r.returncode == 0, r.stderr
    case = json.loads(r.stdout)["case"]
    assert case["excluded"] == ["HP:0000974", "HP:0001249"]
    assert (case["age_years"], case["sex"], case["id"]) == (12.5, "female", "case-1")
    r = medkg("diagnose", "--kg", str(fixture_kg), "--text", "Tall boy with spider fingers and ectopia lentis.",
              "--exclude", "HP:0001249", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["case"]["excluded"] == ["HP:0001249"]


def test_bad_option_values_are_usage_errors(medkg, fixture_kg: Path) -> None:
    for age in ("nan", "inf", "-5", "151"):
        r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166", f"--age={age}", "--format", "json")
        assert r.returncode == 2 and "Invalid value for '--age'" in r.stderr and r.stdout == "", age
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166", "--llm", "")
    assert r.returncode == 2 and "Invalid value for '--llm'" in r.stderr
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166", "--allow-remote")
    assert r.returncode == 2 and "--allow-remote goes with --llm" in r.stderr


def test_errors_say_what_is_wrong_with_an_id(medkg, fixture_kg: Path) -> None:
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "OMIM:154700")
    assert r.returncode == 1
    assert "OMIM:154700 is the disease 'Marfan syndrome', not an HPO phenotype term" in r.stderr
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:9999999", "--lenient")
    assert r.returncode == 1 and "skipped HP:9999999 (not in the graph)" in r.stderr
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166,HP:9999999", "--lenient", "--format", "tsv")
    assert r.returncode == 0 and "warning: skipped HP:9999999 (not in the graph)" in r.stderr


def test_table_shows_sources_and_frequency_names(medkg, fixture_kg: Path) -> None:
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166,HP:0001083", "--top-k", "1",
              env={"COLUMNS": "250"})
    assert r.returncode == 0, r.stderr
    assert "Arachnodactyly Very frequent (80-99%) [fixture_hpo]" in r.stdout
    assert "HP:0040281" not in r.stdout


def test_treatments_for_every_listed_candidate_and_out_dash(medkg, tmp_path: Path, make_fixture_bundle) -> None:
    more = [f"OMIM:90000{i}" for i in range(1, 6)]
    kg = make_fixture_bundle(tmp_path / "kg", {
        "nodes": [{"id": d, "type": "Disease", "label": f"Disease {d}"} for d in more],
        "edges": [{"subject": d, "predicate": "HAS_PHENOTYPE", "object": "HP:0001249", "frequency": 0.5}
                  for d in more] + [{"subject": "DRUGBANK:DB00678", "predicate": "TREATS", "object": more[-1]}]})
    r = medkg("diagnose", "--kg", str(kg), "--hpo", "HP:0001166,HP:0001083,HP:0001249", "--treatments",
              "--top-k", "8", "--format", "json", "--out", "-")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert len(out["candidates"]) == 8 and [t["rank"] for t in out["treatments"]] == list(range(1, 9))
    last = next(t for t in out["treatments"] if t["disease"] == more[-1])
    assert last["rank"] > 5 and [d["drug"] for d in last["treatments"]] == ["DRUGBANK:DB00678"]
    assert not (Path.cwd() / "-").exists()


def test_lenient_skips_ids_with_an_unknown_prefix(medkg, fixture_kg: Path) -> None:
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166,FOO:1", "--exclude", "RXNORM:1191",
              "--format", "json", "--lenient")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["case"]["present"] == ["HP:0001166"] and out["case"]["excluded"] == []
    assert "skipped present phenotypes 'FOO:1'" in r.stderr and "skipped excluded phenotypes 'RXNORM:1191'" in r.stderr
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166,FOO:1")
    assert r.returncode == 2 and "unknown CURIE prefix 'FOO'" in r.stderr


def test_folder_output_may_not_land_among_its_phenopackets(medkg, fixture_kg: Path, tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text(json.dumps({"id": "p", "phenotypicFeatures": [{"type": {"id": "HP:0001166"}}]}))
    r = medkg("diagnose", "--kg", str(fixture_kg), "--phenopacket", str(tmp_path), "--out", str(tmp_path / "out.json"))
    assert r.returncode == 2 and "would read it as a phenopacket" in r.stderr and not (tmp_path / "out.json").exists()
    r = medkg("diagnose", "--kg", str(fixture_kg), "--phenopacket", str(tmp_path), "--out", str(tmp_path / "out.jsonl"))
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path / "out.jsonl").read_text())["file"] == "p.json"


# SIDER's shape: a PubChem compound (losartan's CID) with a MedDRA effect (UMLS CUI of Vertigo)
SIDER_SHAPED = [{"subject": "PUBCHEM:3961", "predicate": "HAS_ADVERSE_EFFECT", "object": "UMLS:C0042571",
                 "frequency": 0.05, "frequency_label": "5%"}]
SIDER_NODES = [{"id": "PUBCHEM:3961", "type": "Drug", "label": "CID100003961"},
               {"id": "UMLS:C0042571", "type": "PhenotypicFeature", "label": "Vertigo"}]


@pytest.mark.parametrize(("adverse", "said"), [
    ([], "the graph has no adverse-effect statements"),
    (SIDER_SHAPED, "the graph's adverse-effect statements name their drugs by PUBCHEM ids"),
])
def test_folder_says_graph_warnings_once_and_names_each_file_once(medkg, tmp_path: Path, adverse: list,
                                                                  said: str) -> None:
    """In folder mode a warning about the graph (no adverse-effect data, or adverse effects no
    listed drug can be matched to) is said once per run, not once per case, and a case's warning
    that already names its file is not prefixed again."""
    from kg.build import build
    from kg.sources.graph_json import load_graph_json

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    drugs = json.loads((fixtures / "drugs.json").read_text())
    drugs["edges"] = [e for e in drugs["edges"] if e["predicate"] != "HAS_ADVERSE_EFFECT"] + adverse
    drugs["nodes"] += SIDER_NODES if adverse else []
    (tmp_path / "drugs.json").write_text(json.dumps(drugs))
    build(tmp_path / "kg", sources=[], extra=[load_graph_json(fixtures / "phenotypes.json"),
                                              load_graph_json(tmp_path / "drugs.json")])
    folder = tmp_path / "cases"
    folder.mkdir()
    v1 = {**PACKET, "phenotypicFeatures": [*PACKET["phenotypicFeatures"][:2],
                                           {"type": {"id": "HP:0000974"}, "negated": True}]}
    for name in ("a.json", "b.json"):
        (folder / name).write_text(json.dumps(v1))
    r = medkg("diagnose", "--kg", str(tmp_path / "kg"), "--phenopacket", str(folder), "--treatments")
    assert r.returncode == 0, r.stderr
    assert r.stderr.count(said) == 1
    for name in ("a.json", "b.json"):
        line = next(x for x in r.stderr.splitlines() if "negated is phenopacket v1" in x and name in x)
        assert line.count(name) == 1, line
    # each JSON line still carries every warning of its own case
    assert all(any(w.startswith(said) for w in json.loads(x)["warnings"]) for x in r.stdout.splitlines())


def test_condition_option_marks_the_candidate(medkg, fixture_kg: Path, tmp_path: Path) -> None:
    args = ("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166,HP:0001083", "--condition", "DOID:14323",
            "--top-k", "2")
    r = medkg(*args, "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["case"]["conditions"] == ["DOID:14323"]
    assert [c["known_condition"] for c in out["candidates"]] == [True, False]
    rows = _tsv(medkg(*args, "--format", "tsv").stdout)
    assert [x["known_condition"] for x in rows] == ["true", "false"]
    r = medkg(*args, env={"COLUMNS": "200"})
    assert r.returncode == 0 and r.stdout.count("a known condition of the case") == 1
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166", "--condition", "HP:0001083")
    assert r.returncode == 1 and "conditions: HP:0001083 is a phenotype, not a disease" in r.stderr
    (tmp_path / "a.json").write_text(json.dumps(PACKET))
    r = medkg("diagnose", "--kg", str(fixture_kg), "--phenopacket", str(tmp_path), "--condition", "DOID:14323")
    assert r.returncode == 2 and "--condition: only for one case" in r.stderr


def test_an_obsolete_hpo_id_is_reported_as_hpo_says_it(medkg, hpo_fixture_kg: Path, tmp_path: Path) -> None:
    """An obsolete id HPO gives no replacement for is named as obsolete in the graph's release, with
    its old name and the ids HPO suggests (never used in its place), wherever it is read: --hpo,
    --exclude, a phenopacket feature (with its JSON path); --lenient skips it with that warning."""
    kg = str(hpo_fixture_kg)
    consider = ("is obsolete in HPO 2025-01-16 (Periosteal new bone of middle phalanx of middle-finger); "
                "HPO suggests HP:0001167 (Abnormality of finger) instead")
    r = medkg("diagnose", "--kg", kg, "--hpo", "HP:0004175,HP:0001166")
    assert r.returncode == 1 and r.stdout == ""
    assert f"error: HP:0004175 {consider} (--lenient" in " ".join(r.stderr.split())
    r = medkg("diagnose", "--kg", kg, "--hpo", "HP:0004175,HP:0001166", "--exclude", "HP:0031070,HP:9999999",
              "--lenient", "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["case"]["present"], out["case"]["excluded"]) == (["HP:0001166"], [])
    assert (f"skipped HP:0004175 ({consider.removeprefix('is ')}), HP:0031070 (obsolete in HPO 2025-01-16 "
            "(Femoral retroversion), with no replacement), HP:9999999 (not in the graph's HPO release "
            "2025-01-16)") in out["warnings"]
    packet = tmp_path / "p.json"
    packet.write_text(json.dumps({**PACKET, "phenotypicFeatures": [
        {"type": {"id": "HP:0001166"}}, {"type": {"id": "HP:0004175"}}]}))
    r = medkg("diagnose", "--kg", kg, "--phenopacket", str(packet))
    assert r.returncode == 1
    assert (f"error: HP:0004175 at {packet}: phenotypicFeatures[1].type.id {consider}"
            in " ".join(r.stderr.split()))


def test_index_cache_second_run_and_unwritable_folder(medkg, fixture_kg: Path, tmp_path: Path) -> None:
    args = ("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166", "--format", "json")
    first = medkg(*args, env={"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    second = medkg(*args, env={"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert json.loads(first.stdout) == json.loads(second.stdout)
    assert [p.suffix for p in (tmp_path / "xdg" / "medkg" / "index").iterdir()] == [".pickle"]
    # a cache folder that cannot be made is reported on stderr; the diagnosis still runs
    (tmp_path / "blocked").write_text("")
    r = medkg(*args, env={"XDG_CACHE_HOME": str(tmp_path / "blocked")})
    assert r.returncode == 0, r.stderr
    assert "diagnosis index cache: not written:" in r.stderr
    assert json.loads(r.stdout) == json.loads(first.stdout)


def test_every_differential_says_which_diseases_it_ranks(medkg, fixture_kg: Path) -> None:
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["scope"] == ("rare diseases with HPO phenotype annotations (OMIM, ORPHA); common "
                                            "diseases are not ranked, and probabilities are relative to the diseases "
                                            "ranked")
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166", "--namespace", "OMIM",
              env={"COLUMNS": "300"})
    assert r.returncode == 0, r.stderr
    assert "Ranked: rare diseases with HPO phenotype annotations (OMIM); common diseases are not ranked" in r.stdout
