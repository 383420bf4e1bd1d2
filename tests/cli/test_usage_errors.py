"""Usage errors of every command: exit status 2, on stderr, naming the option, before any slow work.

A usage error is the command line's own mistake (a bad option combination, a malformed value, a
missing file given as an argument, an unknown selector scheme). That it comes before the slow
work is tested by the order of the checks, not by timing: each command line below also names
something the work would fail on first (a bundle that does not exist, a folder with no bundle,
a model that is not there), so a check made after loading would report that instead.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("usage")
    (d / "note.txt").write_text("Spider fingers and ectopia lentis.\n", encoding="utf-8")
    (d / "latin1.txt").write_bytes(b"fever \xff\xfe seizures")
    (d / "pp").mkdir()
    return {"dir": d, "note": d / "note.txt", "latin1": d / "latin1.txt", "missing": d / "missing" / "x.json"}


def usage_error(r, *words: str) -> None:
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert r.stdout == "" and "Traceback" not in r.stderr
    for w in words:
        assert w in r.stderr, (w, r.stderr)


def test_python_m_medkg_cli_runs_the_command_line() -> None:
    """``python -m medkg_cli`` was 'No module named medkg_cli.__main__'."""
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "medkg_cli", "--help"], capture_output=True, text=True, check=False)
    assert r.returncode == 0 and "diagnose" in r.stdout, r.stderr


def test_a_kg_folder_without_a_bundle_is_a_usage_error(medkg, tmp_path: Path) -> None:
    """Was exit 1 (and for ``link``, a message about missing embeddings); ``extract --into`` found
    out after extracting everything."""
    nowhere = str(tmp_path / "none")
    for args in (("query", "--kg", nowhere, "--cypher", "RETURN 1"), ("stats", "--kg", nowhere),
                 ("diagnose", "--kg", nowhere, "--hpo", "HP:0001166"), ("link", "--kg", nowhere, "fever"),
                 ("embed", "--kg", nowhere), ("viz", "diagnosis", "--kg", nowhere, "--hpo", "HP:0001166",
                                              "--out", str(tmp_path / "a.html"))):
        usage_error(medkg(*args), "Invalid value for '--kg'", f"no knowledge graph at {nowhere}")
    usage_error(medkg("extract", "--into", nowhere, str(tmp_path)), "Invalid value for '--into'")
    usage_error(medkg("push", "--store", "neo4j://127.0.0.1:1", "--kg", nowhere), "'--kg'", "no knowledge graph")


def test_selectors_of_unknown_schemes_are_usage_errors(medkg, fixture_kg: Path, tmp_path: Path) -> None:
    """Unknown store, LLM and embedder schemes were exit 1, an LLM's only after the graph was loaded."""
    usage_error(medkg("query", "--store", "nosuch:x", "--cypher", "RETURN 1"), "'--store'", "unknown store 'nosuch'")
    usage_error(medkg("stats", "--store", "noscheme"), "'--store'", "has no scheme")
    usage_error(medkg("diagnose", "--store", "nosuch:x", "--hpo", "HP:0001166"), "'--store'")
    # with a bundle that is not there: the selector is checked first
    usage_error(medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166", "--llm", "gpt:4"),
                "'--llm'", "unknown LLM backend 'gpt'")
    usage_error(medkg("extract", "--kg", str(fixture_kg), "--relations", "llm", "--llm", "gpt:4", str(tmp_path)),
                "'--llm'", "unknown LLM backend")
    usage_error(medkg("llm", "ask", "--llm", "noscheme", "hi"), "'--llm'", "has no scheme")
    usage_error(medkg("embed", "--kg", str(fixture_kg), "--model", "nosuch:x"), "'--model'", "unknown embedder")
    usage_error(medkg("push", "--store", "ladybug:x"), "'--store'", "a Neo4j URL")


def test_a_store_of_the_other_language_is_refused_before_it_is_opened(medkg, tmp_path: Path) -> None:
    """Was exit 1 after opening the store; the store here does not exist, so opening it would fail."""
    usage_error(medkg("query", "--store", f"oxigraph:{tmp_path}/none", "--cypher", "RETURN 1"),
                "'--store'", "speaks sparql, not cypher")
    usage_error(medkg("viz", "neighbourhood", "OMIM:154700", "--store", f"oxigraph:{tmp_path}/none",
                      "--out", str(tmp_path / "a.html")), "'--store'", "speaks sparql, not cypher")


def test_option_combinations(medkg, fixture_kg: Path, tmp_path: Path) -> None:
    """Each was exit 1 (ConfigError), or silently ignored, or found after the dictionary was loaded."""
    kg = str(fixture_kg)
    usage_error(medkg("query", "--kg", kg, "--cypher", "RETURN 1", "--sparql", "ASK {}"), "exactly one of")
    usage_error(medkg("query", "--kg", kg, "--store", f"ladybug:{kg}/ladybug.lbug", "--cypher", "RETURN 1"),
                "either --kg or --store")
    usage_error(medkg("viz", "query", "--kg", kg, "--out", str(tmp_path / "a.html")), "exactly one of")
    usage_error(medkg("push", "--store", "neo4j://127.0.0.1:1", "--drop-source", "x", "--vectors"),
                "--drop-source cannot be combined")
    usage_error(medkg("extract", "--kg", kg, "--remove"), "--remove needs --into")
    usage_error(medkg("extract", "--kg", kg, "--source-name", "notes", str(tmp_path)),
                "--source-name goes with --into")
    usage_error(medkg("extract", "--kg", kg, "--llm", "transformers:smollm2", str(tmp_path)),
                "--llm goes with --relations llm")
    # a model that is not there: opened before the check, it would fail first
    usage_error(medkg("extract", "--kg", kg, "--relations", "llm", "--llm", f"transformers:{tmp_path}/none",
                      "--embedding-threshold", "0.5", str(tmp_path)), "--embedding-threshold needs")


def test_malformed_values(medkg, fixture_kg: Path, tmp_path: Path) -> None:
    """Each was exit 1, the diagnosis ones only after the graph was loaded (here the graph would be
    the fixture's; the messages are the ones the case reader gives)."""
    kg = str(fixture_kg)
    out = str(tmp_path / "a.html")
    usage_error(medkg("query", "--kg", kg, "--cypher", "RETURN 1", "--param", "bad"), "'--param'", "NAME=VALUE")
    usage_error(medkg("query", "--kg", kg, "--question", "phenotypes_of_disease"), "'--param'",
                "needs --param disease_id=")
    usage_error(medkg("query", "--kg", kg, "--question", "diseases_sharing_phenotypes", "--param",
                      "disease_id=OMIM:154700", "--param", "min_shared=abc"), "'--param'", "must be a whole number")
    usage_error(medkg("diagnose", "--kg", kg, "--hpo", "notanid"), "'--hpo'", "not a CURIE")
    usage_error(medkg("diagnose", "--kg", kg, "--hpo", ","), "'--hpo'", "no present phenotype")
    usage_error(medkg("diagnose", "--kg", kg, "--text", "x", "--exclude", "nope"), "'--exclude'", "not a CURIE")
    usage_error(medkg("diagnose", "--kg", kg, "--hpo", "HP:0001166", "--condition", "FOO:1"), "'--condition'",
                "unknown CURIE prefix 'FOO'")
    usage_error(medkg("diagnose", "--kg", kg, "--text", "   "), "'--text'", "the text is empty")
    usage_error(medkg("link", "--kg", kg, " "), "MENTIONS", "empty mention")
    usage_error(medkg("link", "--kg", kg, "fever", "--threshold", "5"), "'--threshold'")
    usage_error(medkg("extract", "--kg", kg, "--embedding-candidates", "--embedding-threshold", "nan", str(tmp_path)),
                "'--embedding-threshold'", "not a finite number")
    usage_error(medkg("llm", "ask", "--llm", "transformers:smollm2", "--timeout", "inf", "hi"), "'--timeout'")
    usage_error(medkg("llm", "serve", "--llm", "transformers:smollm2", "--host", "0.0.0.0"), "'--host'",
                "reachable from other machines")
    usage_error(medkg("build", "--sources", "nosuch", "--out", str(tmp_path / "k")), "'--sources'",
                "unknown source 'nosuch'")
    usage_error(medkg("viz", "neighbourhood", "NOSUCH:1", "--kg", kg, "--out", out), "NODE_ID",
                "unknown CURIE prefix")
    usage_error(medkg("viz", "neighbourhood", "OMIM:154700", "--kg", kg, "--types", "gene", "--out", out),
                "'--types'", "unknown node type 'gene'")
    usage_error(medkg("viz", "neighbourhood", "OMIM:154700", "--kg", kg, "--relations", "likes", "--out", out),
                "'--relations'", "unknown relation 'likes'")
    usage_error(medkg("viz", "query", "--kg", kg, "--cypher", "RETURN 1", "--out", str(tmp_path / "a.txt")),
                "'--out'", ".html, .png or .svg")


def test_missing_and_unreadable_files_given_as_arguments(medkg, fixture_kg: Path, files: dict[str, Path]) -> None:
    """Each was exit 1; a missing input of ``extract`` was skipped after the dictionary was loaded."""
    kg, missing = str(fixture_kg), str(files["missing"])
    usage_error(medkg("extract", "--kg", kg, str(files["note"]), missing), "INPUTS", f"no such file or folder: {missing}")
    usage_error(medkg("query", "--kg", kg, "--cypher", f"@{missing}"), "'--cypher'", f"cannot read {missing}")
    usage_error(medkg("query", "--kg", kg, "--cypher", f"@{files['latin1']}"), "'--cypher'", "is not UTF-8 text (byte 6")
    usage_error(medkg("llm", "ask", "--llm", "transformers:smollm2", f"@{missing}"), "'PROMPT'", "cannot read")
    usage_error(medkg("llm", "ask", "--llm", "transformers:smollm2", "--schema", missing, "hi"), "'--schema'")
    usage_error(medkg("similar", "--kg", kg, "--phenopacket", missing, "--library", str(files["dir"] / "pp")),
                "'--phenopacket'", "does not exist")
    usage_error(medkg("similar", "--kg", kg, "--phenopacket", str(files["note"]), "--library", missing),
                "'--library'", "does not exist")
    usage_error(medkg("build", "--graph-json", missing, "--sources", "", "--out", str(files["dir"] / "k")),
                "'--graph-json'", "does not exist")
    usage_error(medkg("build", "--data-dir", missing, "--out", str(files["dir"] / "k")), "'--data-dir'",
                "does not exist")


def test_source_name_is_checked_before_the_extraction(medkg, fixture_kg: Path, tmp_path: Path) -> None:
    """A path or a curated source's name as ``--source-name`` was an error (exit 1) only after every
    input had been read; the dictionary comes from a bundle that is not there, so reading would fail."""
    into = tmp_path / "kg"
    shutil.copytree(fixture_kg, into)
    note = tmp_path / "note.txt"
    note.write_text("Spider fingers.\n")
    for name, why in (("a/b", "extraction source name 'a/b'"), ("fixture_hpo", "'fixture_hpo' is a curated source")):
        usage_error(medkg("extract", "--into", str(into), "--source-name", name, str(note)), "'--source-name'", why)
        usage_error(medkg("extract", "--into", str(into), "--remove", "--source-name", name), "'--source-name'", why)
    usage_error(medkg("extract", "--into", str(into), "--remove", str(note)), "--remove takes no input files")


def test_a_runtime_failure_keeps_exit_status_1(medkg, fixture_kg: Path, tmp_path: Path) -> None:
    """A malformed file, or an id the graph lacks, is found by the work itself: exit 1, ``error:``."""
    bad = tmp_path / "bad.json"
    bad.write_text("not json")
    r = medkg("diagnose", "--kg", str(fixture_kg), "--phenopacket", str(bad))
    assert r.returncode == 1 and "error:" in r.stderr and "not JSON" in r.stderr
    r = medkg("diagnose", "--kg", str(fixture_kg), "--hpo", "HP:0001166,HP:9999999")
    assert r.returncode == 1 and "HP:9999999" in r.stderr
    r = medkg("query", "--store", f"ladybug:{tmp_path}/none.lbug", "--cypher", "RETURN 1")
    assert r.returncode == 1 and "error:" in r.stderr
