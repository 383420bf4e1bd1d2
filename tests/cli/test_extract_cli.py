"""``medkg extract``, run as a user runs it (a subprocess per command)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

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
    assert list(doc) == ["doc_id", "entities", "relations"] and doc["doc_id"] == "case-7.txt"
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
    assert "1 input(s) or document(s) were skipped" in err
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
    assert [d["doc_id"] for d in jsonl(r.stdout)] == ["a.txt"]
    err = r.stderr.decode()
    assert f"{tmp_path / 'b.txt'}: not UTF-8 text (byte 0xe8 at offset 9)" in err.replace("\n", "")
    assert "empty document" in err and "binary file (NUL byte at offset 0)" in err
    assert "3 input(s) or document(s) were skipped" in err


def test_missing_bundle_and_no_input_are_clear_errors(tmp_path: Path, fixture_kg: Path) -> None:
    r = medkg("extract", "--kg", str(tmp_path / "none"), "-", stdin=b"x")
    assert r.returncode == 2 and b"Invalid value for '--kg': no knowledge graph at" in r.stderr
    r = medkg("extract", "--kg", str(fixture_kg))
    assert r.returncode == 2 and b"give input files" in r.stderr
    r = medkg("extract", "--kg", str(fixture_kg), "--relations", "llm", "-", stdin=b"x")
    assert r.returncode == 2 and b"--relations llm needs --llm SELECTOR" in r.stderr


def test_extract_into_and_remove(fixture_kg: Path, tmp_path: Path) -> None:
    kg = tmp_path / "kg"
    shutil.copytree(fixture_kg, kg)
    (kg / "embeddings").mkdir()  # stands for an index of the graph before the merge
    (kg / "embeddings" / "index.bin").write_bytes(b"vectors")
    (tmp_path / "n.txt").write_text("Metformin-induced vertigo was seen.", encoding="utf-8")
    r = medkg("extract", str(tmp_path / "n.txt"), "--into", str(kg))
    assert r.returncode == 0, r.stderr.decode()
    # kept, not deleted: linking checks its fingerprint against the graph and refuses a stale index
    assert (kg / "embeddings" / "index.bin").read_bytes() == b"vectors"
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


def test_workers_give_the_one_worker_output(fixture_kg: Path, tmp_path: Path) -> None:
    texts = ["Marfan syndrome presents with arachnodactyly.", "She denies vertigo.",
             "Losartan for Marfan syndrome.", "Metformin-induced vertigo was seen.", "No myopia."]
    for i in range(60):
        (tmp_path / f"case-{i:02d}.txt").write_text(" ".join(texts[i % 5 : i % 5 + 1 + i % 3]), encoding="utf-8")
    (tmp_path / "case-20.txt").write_bytes("Myopie très forte".encode("latin-1"))  # bad ones in the middle
    (tmp_path / "case-21.txt").write_bytes(b"")
    (tmp_path / "case-40.txt").write_bytes(b"\x00\x01\x02")
    runs = {j: medkg("extract", "--kg", str(fixture_kg), "--workers", j, str(tmp_path)) for j in ("1", "2", "0")}
    for j, r in runs.items():
        assert r.returncode == 1 and b"3 input(s) or document(s) were skipped" in r.stderr, (j, r.stderr.decode())
        assert r.stdout == runs["1"].stdout
        skipped = [line for line in r.stderr.decode().splitlines() if line.startswith("skipped:")]
        assert len(skipped) == 3
        assert skipped == [line for line in runs["1"].stderr.decode().splitlines() if line.startswith("skipped:")]
    assert [d["doc_id"] for d in jsonl(runs["1"].stdout)] == [f"case-{i:02d}.txt" for i in range(60) if i not in (20, 21, 40)]
    assert b"2 worker processes" in runs["2"].stderr
    r = medkg("extract", "--kg", str(fixture_kg), "--workers", "2", "--relations", "llm",
              "--llm", "transformers:smollm2", "-", stdin=b"x")
    assert r.returncode == 2 and b"--workers above 1 works with the dictionary" in r.stderr


def test_workers_into_a_bundle(fixture_kg: Path, tmp_path: Path) -> None:
    for i in range(30):
        (tmp_path / f"n{i}.txt").write_text("Metformin-induced vertigo was seen. Losartan for Marfan syndrome.",
                                           encoding="utf-8")
    reports = []
    for j in ("1", "2"):
        kg = tmp_path / f"kg{j}"
        shutil.copytree(fixture_kg, kg)
        r = medkg("extract", *(str(tmp_path / f"n{i}.txt") for i in range(30)), "--into", str(kg), "--workers", j)
        assert r.returncode == 0, r.stderr.decode()
        reports.append({k: v for k, v in json.loads(r.stdout).items() if k != "seconds"})
    assert reports[0] == reports[1] and reports[1]["documents"] == 30 and reports[1]["statements"] >= 30


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for f in Path(f"/proc/{pid}/task").glob("*/children"):
        out.update(int(x) for x in f.read_text().split())
    return out


def _sigint_as_at_a_terminal() -> None:
    """In the child before exec: Ctrl-C's default action. A test run started in the background
    (``cmd &`` in a non-interactive shell) ignores SIGINT, every child inherits that, and a
    program started with SIGINT ignored rightly keeps ignoring it (as under ``nohup``)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_the_workers(fixture_kg: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDKG_")}
    p = subprocess.Popen([sys.executable, "-m", "medkg_cli.main", "extract", "--kg", str(fixture_kg), "--workers", "2",
                          "--input-format", "jsonl", "-"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                         preexec_fn=_sigint_as_at_a_terminal)
    assert p.stdin is not None and p.stdout is not None and p.stderr is not None
    workers: set[int] = set()

    def kill_all() -> None:  # a hang fails the test instead of blocking it (workers hold the pipes too)
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        p.kill()

    watchdog = threading.Timer(60, kill_all)
    watchdog.start()

    def feed(stdin: Any = p.stdin) -> None:  # more than the batches in flight; the stream stays open
        try:
            stdin.write(b'{"text": "Marfan syndrome presents with arachnodactyly. She denies vertigo."}\n' * 3000)
            stdin.flush()
        except BrokenPipeError:
            pass

    threading.Thread(target=feed, daemon=True).start()
    try:
        assert json.loads(p.stdout.readline())["doc_id"] == "<stdin>:1"
        workers.update(_children(p.pid))
        assert len(workers) == 2
        p.send_signal(signal.SIGINT)
        p.stdout.read()
        err = p.stderr.read()
        p.wait()
    finally:
        watchdog.cancel()
    assert p.returncode == 130 and err.rstrip().endswith((b"aborted", b"interrupted")), err.decode()
    for w in workers:
        assert not Path(f"/proc/{w}").exists() or ") Z " in Path(f"/proc/{w}/stat").read_text()


def test_a_source_name_is_a_name_not_a_path(fixture_kg: Path, tmp_path: Path) -> None:
    kg = tmp_path / "kg"
    shutil.copytree(fixture_kg, kg)
    (tmp_path / "n.txt").write_text("Metformin-induced vertigo was seen.", encoding="utf-8")
    for bad in ("../../escape", "a/../../x", "", ".hidden"):
        r = medkg("extract", str(tmp_path / "n.txt"), "--into", str(kg), "--source-name", bad)
        assert r.returncode == 2 and "extraction source name" in r.stderr.decode(), bad
    assert not (tmp_path / "escape.jsonl").exists() and not (kg / "extraction").exists()


def test_into_says_what_was_dropped_and_when_nothing_is_new(fixture_kg: Path, tmp_path: Path,
                                                            make_fixture_bundle: Any) -> None:
    # names read from a bundle with a drug the target bundle lacks: every statement is dropped
    other = make_fixture_bundle(tmp_path / "other", {"nodes": [
        {"id": "DRUGBANK:DB99999", "type": "Drug", "label": "Foozole"}]})
    kg = tmp_path / "kg"
    shutil.copytree(fixture_kg, kg)
    (tmp_path / "n.txt").write_text("Foozole-induced vertigo was seen.", encoding="utf-8")
    r = medkg("extract", "-q", "--kg", str(other), "--into", str(kg), str(tmp_path / "n.txt"))
    err = r.stderr.decode()
    assert r.returncode == 0, err
    assert "1 dropped (ids not in the bundle)" in err
    assert f"warning: none of the 1 extracted relations was merged into {kg}: 1 name ids not in {kg}" in err
    assert json.loads(r.stdout)["dropped_unknown_id_or_predicate"] == 1
    assert not (kg / "extraction").exists()  # nothing stored as if it had been merged

    (tmp_path / "m.txt").write_text("Metformin-induced vertigo was seen.", encoding="utf-8")
    r = medkg("extract", "-q", "--into", str(kg), str(tmp_path / "m.txt"))
    assert r.returncode == 0 and "merged into" in r.stderr.decode() and json.loads(r.stdout)["added_statements"] == 1
    manifest = (kg / "manifest.json").read_bytes()
    r = medkg("extract", "-q", "--into", str(kg), str(tmp_path / "m.txt"))  # the same input again
    assert r.returncode == 0 and "nothing new to merge into" in r.stderr.decode()
    assert json.loads(r.stdout)["unchanged"] is True and (kg / "manifest.json").read_bytes() == manifest

    (tmp_path / "none.txt").write_text("Vertigo.", encoding="utf-8")
    r = medkg("extract", "-q", "--into", str(kg), str(tmp_path / "none.txt"))
    assert r.returncode == 0 and "warning: no relations were found in the input" in r.stderr.decode()


def test_the_same_input_again_says_so_when_part_of_it_cannot_be_merged(fixture_kg: Path, tmp_path: Path) -> None:
    """Merging an input again whose one relation the graph cannot take said "nothing merged" and warned
    that none was merged because of that relation, as if the others had been lost; they are stored."""
    kg = tmp_path / "kg"
    shutil.copytree(fixture_kg, kg)
    (tmp_path / "m.txt").write_text("Metformin-induced vertigo was seen. Metformin-induced Marfan syndrome was not.",
                                    encoding="utf-8")
    r = medkg("extract", "-q", "--into", str(kg), str(tmp_path / "m.txt"))
    assert r.returncode == 0 and json.loads(r.stdout)["added_statements"] == 1, r.stderr
    r = medkg("extract", "-q", "--into", str(kg), str(tmp_path / "m.txt"))  # the same input again
    err = r.stderr.decode()
    assert r.returncode == 0, err
    assert (f"nothing new to merge into {kg} (unchanged): source 'text_extraction' has 1 of these statements "
            "already (1 in all); 1 dropped (endpoint types)") in err
    assert "warning" not in err
    assert json.loads(r.stdout)["stored_already"] == 1


def test_doc_ids_lead_back_to_the_file_and_the_merge_keeps_each(fixture_kg: Path, tmp_path: Path) -> None:
    # the same sentence in two files of one folder: two documents, two statements (the old ids were both "a")
    for sub in ("x", "y"):
        (tmp_path / "in" / sub).mkdir(parents=True)
        (tmp_path / "in" / sub / "a.txt").write_text("Metformin-induced vertigo was seen.", encoding="utf-8")
    r = medkg("extract", "-q", "--kg", str(fixture_kg), str(tmp_path / "in"))
    assert [d["doc_id"] for d in jsonl(r.stdout)] == ["x/a.txt", "y/a.txt"]
    kg = tmp_path / "kg"
    shutil.copytree(fixture_kg, kg)
    r = medkg("extract", "-q", "--into", str(kg), str(tmp_path / "in"))
    assert r.returncode == 0 and json.loads(r.stdout)["statements"] == 2
    stored = jsonl((kg / "extraction" / "text_extraction.jsonl").read_bytes())
    assert sorted(st["evidence"]["doc_id"] for st in stored) == ["x/a.txt", "y/a.txt"]
    # the two files given by themselves share a name: both are read, named below their common folder
    r = medkg("extract", "-q", "--kg", str(fixture_kg), str(tmp_path / "in" / "x" / "a.txt"),
              str(tmp_path / "in" / "y" / "a.txt"))
    assert r.returncode == 0 and [d["doc_id"] for d in jsonl(r.stdout)] == ["x/a.txt", "y/a.txt"]
    # one file given twice: read once, with a note
    r = medkg("extract", "-q", "--kg", str(fixture_kg), str(tmp_path / "in" / "x" / "a.txt"),
              str(tmp_path / "in" / "x" / "a.txt"))
    assert r.returncode == 0 and [d["doc_id"] for d in jsonl(r.stdout)] == ["a.txt"]
    assert b"note: " in r.stderr and b"doc_id 'a.txt' repeats the document read from" in r.stderr


def test_input_checks(fixture_kg: Path, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Myopia.", encoding="utf-8")
    r = medkg("extract", "--kg", str(fixture_kg), "--max-bytes", "-5", str(tmp_path / "a.txt"))
    assert r.returncode == 2 and b"--max-bytes" in r.stderr and b"-5" in r.stderr
    (tmp_path / "empty").mkdir()
    r = medkg("extract", "-q", "--kg", str(fixture_kg), str(tmp_path / "empty"))
    err = r.stderr.decode()
    assert r.returncode == 1 and r.stdout == b"" and f"{tmp_path / 'empty'}: no documents in this folder" in err
