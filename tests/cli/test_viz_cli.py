"""``medkg viz`` run as a user runs it: files written, notes and errors on stderr, exit codes."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest


def medkg(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MEDKG_DATA_DIR", "MEDKG_KG_DIR")}
    return subprocess.run(
        [sys.executable, "-m", "medkg_cli.main", *args], capture_output=True, text=True, env=env, check=False
    )


def test_neighbourhood_html_png_svg(fixture_kg: Path, tmp_path: Path) -> None:
    for ext in ("html", "png", "svg"):
        out = tmp_path / f"n.{ext}"
        r = medkg("viz", "neighbourhood", "HP:0001166", "--hops", "2", "--max-nodes", "8",
                  "--kg", str(fixture_kg), "--out", str(out))
        assert r.returncode == 0, r.stderr
        assert f"wrote {out}: 8 nodes" in r.stderr
        assert "note: hop 2: showing 4 of 8 neighbours" in r.stderr
        assert out.stat().st_size > 5000
    assert (tmp_path / "n.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_query_cypher_and_sparql(fixture_kg: Path, tmp_path: Path) -> None:
    r = medkg("viz", "query", "--kg", str(fixture_kg), "--cypher",
              "MATCH (d:Disease {id: $id})-[r:HAS_PHENOTYPE]->(p) "
              "RETURN d.id AS subject, label(r) AS relation, p.id AS object, r.source AS source",
              "--param", "id=OMIM:154700", "--out", str(tmp_path / "c.html"))
    assert r.returncode == 0, r.stderr
    assert "9 nodes, 8 edges" in r.stderr
    r = medkg("viz", "query", "--kg", str(fixture_kg), "--title", "Marfan", "--sparql",
              "CONSTRUCT { ?d medkg:has_phenotype ?p } WHERE { ?d medkg:id $id ; medkg:has_phenotype ?p }",
              "--param", "id=OMIM:154700", "--out", str(tmp_path / "s.svg"))
    assert r.returncode == 0, r.stderr
    assert "Marfan" in (tmp_path / "s.svg").read_text(encoding="utf-8")


def test_errors_are_clear_and_write_nothing(fixture_kg: Path, tmp_path: Path) -> None:
    kg = str(fixture_kg)
    cases = [  # runtime failures (exit 1), then usage errors, found before the graph is opened (exit 2)
        (("viz", "neighbourhood", "OMIM:999999", "--kg", kg), "error: no node OMIM:999999", 1),
        (("viz", "neighbourhood", "HP:0001249", "--types", "drug", "--kg", kg), "has no neighbours of type Drug", 1),
        (("viz", "query", "--kg", kg, "--cypher", "MATCH (d:Disease) RETURN count(d)"), "no nodes to draw", 1),
        (("viz", "query", "--kg", kg, "--cypher", "MATCH (n) DETACH DELETE n"), "refused", 1),
        (("viz", "neighbourhood", "not-an-id", "--kg", kg), "Invalid value for 'NODE_ID': not a CURIE", 2),
        (("viz", "neighbourhood", "HP:0001166", "--types", "gene", "--kg", kg), "unknown node type 'gene'", 2),
        (("viz", "neighbourhood", "HP:0001166", "--kg", str(tmp_path / "none")), "no knowledge graph at", 2),
        (("viz", "query", "--kg", kg), "exactly one of --cypher or --sparql", 2),
    ]
    for args, message, status in cases:
        r = medkg(*args, "--out", str(tmp_path / "x.html"))
        assert r.returncode == status, (args, r.stderr)
        assert message in r.stderr, (args, r.stderr)
        assert r.stdout == ""
    r = medkg("viz", "neighbourhood", "HP:0001166", "--kg", kg, "--out", str(tmp_path / "x.pdf"))
    assert r.returncode == 2 and ".html, .png or .svg" in r.stderr
    r = medkg("viz", "neighbourhood", "HP:0001166", "--hops", "3", "--kg", kg, "--out", str(tmp_path / "x.html"))
    assert r.returncode == 2  # a usage error
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    # the graph is intact after the refused DETACH DELETE
    r = medkg("viz", "neighbourhood", "OMIM:154700", "--kg", kg, "--out", str(tmp_path / "ok.html"))
    assert r.returncode == 0 and "10 nodes" in r.stderr


def test_diagnosis_from_hpo_and_phenopacket(fixture_kg: Path, tmp_path: Path) -> None:
    import json

    r = medkg("viz", "diagnosis", "--hpo", "HP:0001166,HP:0001083", "--exclude", "HP:0000545",
              "--top-k", "2", "--kg", str(fixture_kg), "--out", str(tmp_path / "dx.svg"))
    assert r.returncode == 0, r.stderr
    svg = (tmp_path / "dx.svg").read_text(encoding="utf-8")
    assert "#1 Marfan syndrome" in svg and "Arachnodactyly" in svg
    pp = tmp_path / "case.json"
    pp.write_text(json.dumps({"id": "case-7", "phenotypicFeatures": [
        {"type": {"id": "HP:0001166"}}, {"type": {"id": "HP:0000545"}, "excluded": True}]}), encoding="utf-8")
    r = medkg("viz", "diagnosis", "--phenopacket", str(pp), "--kg", str(fixture_kg), "--out", str(tmp_path / "dx.html"))
    assert r.returncode == 0, r.stderr
    assert "Differential for case-7" in (tmp_path / "dx.html").read_text(encoding="utf-8")
    r = medkg("viz", "diagnosis", "--hpo", "HP:9999999", "--kg", str(fixture_kg), "--out", str(tmp_path / "bad.html"))
    assert r.returncode == 1 and "not in the graph: HP:9999999" in r.stderr
    r = medkg("viz", "diagnosis", "--kg", str(fixture_kg), "--out", str(tmp_path / "bad.html"))
    assert r.returncode == 2 and "exactly one of --hpo or --phenopacket" in r.stderr
    assert not (tmp_path / "bad.html").exists()


@pytest.mark.slow
def test_readme_viz_examples_draw_on_the_real_graph(real_kg: Path, tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    lines = [ln.split("  #")[0] for ln in readme.splitlines()
             if ln.startswith(("medkg viz neighbourhood", "medkg viz query --cypher"))]
    assert len(lines) == 4
    for line in lines:
        args = shlex.split(line)[1:]
        out = args.index("--out") + 1
        args[out] = str(tmp_path / args[out])
        r = medkg(*args, "--kg", str(real_kg))
        assert r.returncode == 0, (line, r.stderr)
