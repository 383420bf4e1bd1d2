"""``medkg extract``, run as a user runs it (a subprocess per command)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

KEYS = ["start", "end", "text", "id", "type", "assertion", "score", "method"]


def medkg(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDKG_")}
    return subprocess.run([sys.executable, "-m", "medkg_cli.main", *args], input=stdin,
                          capture_output=True, env=env, check=False)


def jsonl(out: bytes) -> list[dict]:
    return [json.loads(line) for line in out.decode().splitlines()]


def test_extract_text_files_to_jsonl(fixture_kg: Path, tmp_path: Path) -> None:
    (tmp_path / "case-7.txt").write_text(
        "Marfan syndrome presents with arachnodactyly. She denies vertigo.", encoding="utf-8")
    r = medkg("extract", "--kg", str(fixture_kg), str(tmp_path / "case-7.txt"))
    assert r.returncode == 0, r.stderr.decode()
    (doc,) = jsonl(r.stdout)
    assert list(doc) == ["doc_id", "entities", "relations"] and doc["doc_id"] == "case-7"
    assert all(list(e) == KEYS for e in doc["entities"])
    assert [(e["text"], e["id"], e["assertion"]) for e in doc["entities"]] == [
        ("Marfan syndrome", "DOID:14323", "present"),
        ("arachnodactyly", "HP:0001166", "present"),
        ("vertigo", "HP:0002321", "absent"),
    ]
    (rel,) = doc["relations"]
    assert (rel["subject"], rel["predicate"], rel["object"]) == ("DOID:14323", "has_phenotype", "HP:0001166")
    assert rel["evidence"]["sentence"] == "Marfan syndrome presents with arachnodactyly."
    assert b"mentions" in r.stderr  # progress and summary on stderr


def test_extract_stdin_pubtator_and_jsonl(fixture_kg: Path, tmp_path: Path) -> None:
    r = medkg("extract", "--kg", str(fixture_kg), "-", stdin=b"Losartan for Marfan syndrome.")
    assert r.returncode == 0 and jsonl(r.stdout)[0]["doc_id"] == "stdin"
    pt = tmp_path / "c.pubtator"
    pt.write_bytes(b"11|t|Myopia.\n11|a|No vertigo.\n\n12|t|Broken\n12|a|x\n12\tbad\n\n")
    r = medkg("extract", "--kg", str(fixture_kg), "--input-format", "pubtator", str(pt))
    assert r.returncode == 1
    assert [d["doc_id"] for d in jsonl(r.stdout)] == ["11"]
    err = r.stderr.decode()
    assert f"{pt}, line 6: not a PubTator mention or relation line" in err
    assert "1 input(s) could not be read" in err
    js = tmp_path / "in.jsonl"
    js.write_text('{"doc_id": "a", "text": "Myopia."}\n', encoding="utf-8")
    r = medkg("extract", "--kg", str(fixture_kg), "--input-format", "jsonl", str(js))
    assert r.returncode == 0 and jsonl(r.stdout)[0]["entities"][0]["id"] == "HP:0000545"


def test_bad_inputs_are_reported_and_the_run_goes_on(fixture_kg: Path, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Myopia.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes("Myopie très forte".encode("latin-1"))
    (tmp_path / "c.txt").write_bytes(b"")
    (tmp_path / "d.bin").write_bytes(b"\x00\x01\x02")
    r = medkg("extract", "--kg", str(fixture_kg), str(tmp_path))
    assert r.returncode == 1
    assert [d["doc_id"] for d in jsonl(r.stdout)] == ["a"]
    err = r.stderr.decode()
    assert f"{tmp_path / 'b.txt'}: not UTF-8 text (byte 0xe8 at offset 9)" in err.replace("\n", "")
    assert "empty document" in err and "binary file (NUL byte at offset 0)" in err
    assert "3 input(s) could not be read" in err


def test_missing_bundle_and_no_input_are_clear_errors(tmp_path: Path) -> None:
    r = medkg("extract", "--kg", str(tmp_path / "none"), "-", stdin=b"x")
    assert r.returncode == 1 and b"no knowledge graph at" in r.stderr
    r = medkg("extract", "--kg", str(tmp_path))
    assert r.returncode == 2 and b"give input files" in r.stderr
    r = medkg("extract", "--kg", str(tmp_path), "--relations", "llm", "-", stdin=b"x")
    assert r.returncode == 2 and b"--relations llm needs --llm SELECTOR" in r.stderr


def test_extract_into_and_remove(fixture_kg: Path, tmp_path: Path) -> None:
    kg = tmp_path / "kg"
    shutil.copytree(fixture_kg, kg)
    (tmp_path / "n.txt").write_text("Metformin-induced vertigo was seen.", encoding="utf-8")
    r = medkg("extract", str(tmp_path / "n.txt"), "--into", str(kg))
    assert r.returncode == 0, r.stderr.decode()
    report = json.loads(r.stdout)
    assert report["new_edges"] == 1 and report["documents"] == 1
    r = medkg("stats", "--kg", str(kg), "--format", "json")
    rows = {(x["type"], x["source"]): x["count"] for x in json.loads(r.stdout)["statements_by_type_and_source"]}
    assert rows[("HAS_ADVERSE_EFFECT", "text_extraction")] == 1
    r = medkg("query", "--kg", str(kg), "--question", "adverse_effects_of_drug",
              "--param", "drug_id=DRUGBANK:DB00331", "--format", "json")
    assert r.returncode == 0 and "HP:0002321" in r.stdout.decode()
    r = medkg("extract", "--into", str(kg), "--remove")
    assert r.returncode == 0 and json.loads(r.stdout)["removed"] is True
    r = medkg("stats", "--kg", str(kg), "--format", "json")
    assert "text_extraction" not in r.stdout.decode()
