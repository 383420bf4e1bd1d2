"""``medkg diagnose --phenopacket``: treatments, --lenient and file names, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

PACKET = {
    "id": "case-1",
    "subject": {"timeAtLastEncounter": {"ageRange": {"start": {"iso8601duration": "P30Y"},
                                                     "end": {"iso8601duration": "P35Y"}}}},
    "phenotypicFeatures": [{"type": {"id": "HP:0001166"}}, {"type": {"id": "HP:0001083"}}],
    "interpretations": [{"progressStatus": "SOLVED", "diagnosis": {"disease": {"id": "OMIM:154700"}}},
                        {"progressStatus": "IN_PROGRESS", "diagnosis": {"disease": {"id": "OMIM:121050"}}}],
    "medicalActions": [{"treatment": {"agent": {"id": "DrugBank:DB00678", "label": "Losartan"}}}],
}


def test_treatment_agents_are_flagged_already_taking(medkg, fixture_kg: Path, tmp_path: Path) -> None:
    f = tmp_path / "p.json"
    f.write_text(json.dumps(PACKET))
    r = medkg("diagnose", "--kg", str(fixture_kg), "--phenopacket", str(f), "--treatments", "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    case = out["case"]
    assert (case["drugs"], case["age_years"]) == (["DRUGBANK:DB00678"], 32.5)
    assert (case["diagnoses"], case["candidate_diagnoses"]) == (["OMIM:154700"], ["OMIM:121050"])
    flags = [f["kind"] for p in out["treatments"] for t in p["treatments"] if t["drug"] == "DRUGBANK:DB00678"
             for f in t["flags"]]
    assert "already_taking" in flags
    # --drug adds to the phenopacket's own
    r = medkg("diagnose", "--kg", str(fixture_kg), "--phenopacket", str(f), "--drug", "DB00571", "--format", "json")
    assert json.loads(r.stdout)["case"]["drugs"] == ["DRUGBANK:DB00678", "DRUGBANK:DB00571"]


def test_folder_honours_lenient_and_reads_upper_case_suffixes(medkg, fixture_kg: Path, tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(PACKET))
    mouse = {**PACKET, "id": "case-2", "phenotypicFeatures": [*PACKET["phenotypicFeatures"],
                                                              {"type": {"id": "MP:0000001"}}]}
    (tmp_path / "B.JSON").write_text(json.dumps(mouse))
    r = medkg("diagnose", "--kg", str(fixture_kg), "--phenopacket", str(tmp_path))
    assert r.returncode == 1
    assert f"error: {tmp_path / 'B.JSON'}: phenotypicFeatures[2].type.id: unknown CURIE prefix 'MP'" in r.stderr
    assert [json.loads(x)["file"] for x in r.stdout.splitlines()] == ["B.JSON", "a.json"]
    r = medkg("diagnose", "--kg", str(fixture_kg), "--phenopacket", str(tmp_path), "--lenient")
    assert r.returncode == 0, r.stderr
    assert f"skipped the feature 'MP:0000001' at {tmp_path / 'B.JSON'}: phenotypicFeatures[2].type.id: unknown CURIE prefix 'MP'" in r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(x["file"], x["case"]["id"], "error" in x) for x in rows] == [("B.JSON", "case-2", False),
                                                                          ("a.json", "case-1", False)]
    # one file: --lenient applies too
    r = medkg("diagnose", "--kg", str(fixture_kg), "--phenopacket", str(tmp_path / "B.JSON"), "--lenient")
    assert r.returncode == 0 and "phenotypicFeatures[2].type.id" in r.stderr


def test_a_folder_reports_each_unreadable_file_in_its_line_and_goes_on(medkg, fixture_kg: Path, tmp_path: Path) -> None:
    """A file Python's JSON reader raised a ValueError for (a number of 5,000 digits) stopped the
    whole run with a traceback, and so did one whose case id held a lone surrogate (when its line
    was written); a link to a missing file was left out silently."""
    (tmp_path / "a.json").write_text(json.dumps(PACKET))
    (tmp_path / "b.json").write_text(json.dumps(PACKET).replace('"case-1"', "9" * 5000))
    (tmp_path / "c.json").symlink_to(tmp_path / "missing.json")
    (tmp_path / "d.json").write_text(json.dumps(PACKET).replace('"case-1"', '"case\\ud800"'))
    (tmp_path / "e.json").write_text(json.dumps(PACKET))
    r = medkg("diagnose", "--kg", str(fixture_kg), "--phenopacket", str(tmp_path))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(x["file"], x.get("error", "ok")) for x in rows] == [
        ("a.json", "ok"),
        ("b.json", f"{tmp_path / 'b.json'}: not JSON medkg can read: Exceeds the limit (4300 digits) for integer "
                   "string conversion: value has 5000 digits"),
        ("c.json", f"{tmp_path / 'c.json'}: cannot read: No such file or directory"),
        ("d.json", f"{tmp_path / 'd.json'}: id: 'case\\ud800' holds the lone surrogate \\ud800 (half of a UTF-16 "
                   "pair, no character): not Unicode text"),
        ("e.json", "ok")]
    assert "3 of 5 case(s) failed" in r.stderr
