"""``medkg extract --into`` then ``medkg diagnose --treatments``: JSON, TSV and the table all
show a drug read from text as text-mined, never as curated."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

LDS_TEXT = ("Losartan is used for the treatment of Loeys-Dietz syndrome 1. "
            "Losartan is used for the treatment of Marfan syndrome.")


def test_text_mined_treatments_in_every_format(medkg, fixture_kg: Path, tmp_path: Path) -> None:
    kg = tmp_path / "kg"
    shutil.copytree(fixture_kg, kg)
    (tmp_path / "lds.txt").write_text(LDS_TEXT, encoding="utf-8")
    r = medkg("extract", "-q", str(tmp_path / "lds.txt"), "--into", str(kg))
    assert r.returncode == 0, r.stderr
    base = ("diagnose", "--kg", str(kg), "--hpo", "HP:0001166,HP:0002321,HP:0001083", "--namespace", "OMIM",
            "--treatments")

    r = medkg(*base, "--format", "json")
    assert r.returncode == 0, r.stderr
    plans = {p["disease"]: p for p in json.loads(r.stdout)["treatments"]}
    lds = plans["OMIM:609192"]
    assert lds["note"] == "no curated treatment for this disease in the graph; 1 text-mined candidate listed"
    (t,) = lds["treatments"]
    assert (t["relation"], t["evidence"]) == ("text_mined", [])
    assert [(e["source"], e["doc_id"], e["drug_span"], e["disease_span"]) for e in t["text_evidence"]] == [
        ("text_extraction", "lds.txt", [0, 8], [38, 60])]
    losartan = plans["OMIM:154700"]["treatments"][0]
    assert losartan["relation"] == "treats" and [e["doc_id"] for e in losartan["text_evidence"]] == ["lds.txt"]
    assert [e["reference"] for e in losartan["evidence"]] == ["category=DM"]

    r = medkg(*base, "--format", "tsv")
    assert r.returncode == 0, r.stderr
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(r.stdout), delimiter="\t")}
    assert rows["OMIM:609192"]["treatments"] == ("no curated treatment for this disease in the graph; 1 text-mined "
                                                 "candidate listed: DRUGBANK:DB00678 Losartan (text_mined; flags: "
                                                 "adverse_effect_overlap)")
    assert rows["OMIM:154700"]["treatments"].startswith("DRUGBANK:DB00678 Losartan (treats; also text-mined; ")

    r = medkg(*base, env={"COLUMNS": "250"})
    assert r.returncode == 0, r.stderr
    table = r.stdout.split("Treatments", 1)[1]
    lds_row = table.split("OMIM:609192", 1)[1].split("OMIM:130000", 1)[0]  # cells wrap: short phrases only
    assert "text_mined" in lds_row and "(text-mined candidate:" in lds_row and "no curated treatment" in lds_row
    assert "(also read in text)" in table.split("OMIM:609192", 1)[0]
    assert "text_extraction (text-mined: lds.txt)" in lds_row
