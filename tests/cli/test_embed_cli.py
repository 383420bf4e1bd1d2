"""``medkg embed``, ``medkg link`` and ``medkg similar`` run as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path


def test_embed_link_similar(tmp_path: Path, make_linking_bundle, embedded_kg: Path, embed_settings,
                            medkg) -> None:
    # The session cache already holds the fixture's vectors.
    env = {"MEDKG_EMBED_CACHE": str(embed_settings.embed_cache_dir), "HF_HUB_OFFLINE": "1",
           "OMP_NUM_THREADS": "2"}
    kg = make_linking_bundle(tmp_path / "kg")
    r = medkg("embed", "--kg", str(kg), "--format", "json", env=env)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["embedded"] == 0 and report["indexes"]["names"] == report["names"] > 0
    r = medkg("embed", "--kg", str(kg), env=env)
    assert r.returncode == 0 and "nothing changed" in r.stderr, r.stderr

    r = medkg("link", "heart attack", "Spider fingers", "--kg", str(kg), "--k", "3", "--format", "json",
              env=env)
    assert r.returncode == 0, r.stderr
    first, second = json.loads(r.stdout)
    assert first["candidates"][0]["id"] == "DOID:5844" and first["candidates"][0]["method"] == "vector"
    assert second["candidates"][0] == {"id": "HP:0001166", "label": "Arachnodactyly", "type": "PhenotypicFeature",
                                       "score": 0.98, "method": "synonym", "matched": "Spider fingers"}

    r = medkg("link", "  ", "--kg", str(kg), env=env)
    assert r.returncode == 2 and "empty mention" in r.stderr

    lib = tmp_path / "lib"
    lib.mkdir()
    for pid, terms, dx in (("a", ["HP:0001166", "HP:0001083"], "OMIM:154700"),
                           ("b", ["HP:0002315", "HP:0002321"], "DOID:6364")):
        (lib / f"{pid}.json").write_text(json.dumps({
            "id": pid, "phenotypicFeatures": [{"type": {"id": t}} for t in terms],
            "interpretations": [{"id": "i", "diagnosis": {"disease": {"id": dx}}}]}))
    query = tmp_path / "q.json"
    shutil.copy(lib / "a.json", query)
    q = json.loads(query.read_text())
    q["id"] = "q"
    q["phenotypicFeatures"].append({"type": {"id": "HP:0001249"}, "negated": True})  # phenopacket v1: warned
    query.write_text(json.dumps(q))
    r = medkg("similar", "--phenopacket", str(query), "--library", str(lib), "--kg", str(kg), "--k", "2",
              "--format", "json", env=env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [h["id"] for h in out["hits"]] == ["a", "b"]
    assert [s["id"] for s in out["hits"][0]["shared"]] == ["HP:0001166", "HP:0001083"]
    assert "phenotypicFeatures[2].negated is phenopacket v1" in r.stderr
    q["phenotypicFeatures"].append({"type": {"id": "HP:0031070"}})  # obsolete, no replacement
    query.write_text(json.dumps(q))
    r = medkg("similar", "--phenopacket", str(query), "--library", str(lib), "--kg", str(kg), env=env)
    assert r.returncode == 1 and ("error: HP:0031070 at " + str(query) + ": phenotypicFeatures[3].type.id is obsolete "
                                  "in the graph's HPO release (Femoral retroversion), with no replacement"
                                  ) in " ".join(r.stderr.split())
