"""``medkg diagnose`` as a user runs it, on the fixture graph."""

from __future__ import annotations

import json
from pathlib import Path


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
    assert r.returncode == 1 and "no present phenotype" in r.stderr
    r = medkg("diagnose", "--kg", str(fixture_kg))
    assert r.returncode == 2 and "exactly one of" in r.stderr
    r = medkg("diagnose", "--kg", str(tmp_path / "nothing"), "--hpo", "HP:0001166")
    assert r.returncode == 1 and "error:" in r.stderr


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
    assert r.returncode == 1 and "the text is empty" in r.stderr
    r = medkg("diagnose", "--kg", str(fixture_kg), "--text", "No complaints today.")
    assert r.returncode == 1 and "no present phenotype" in r.stderr
