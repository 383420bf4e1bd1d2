#!/usr/bin/env python
"""Benchmark: the full build and the analyst questions on every embedded engine.

Prints the build's counts against the targets, wall time and peak memory, then
the median latency of each README analyst question on LadybugDB (Cypher) and
Oxigraph (SPARQL), and on rdflib's in-memory SPARQL over the same N-Triples as
the baseline, with the ratios.

    python scripts/bench/build_and_query.py --data-dir ../shared/data [--runs 20] [--no-rdflib]
        [--kg FOLDER [--reuse]] [--rdflib-runs N]

``--reuse`` times the questions on an existing bundle in ``--kg`` without
building (the build figures are then the manifest's, and not re-measured).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _timing import median_ms

TARGETS = {"Disease": 12_000, "PhenotypicFeature": 19_000, "HAS_PHENOTYPE": 250_000, "drug_disease": 1_300}


def _build(data_dir: Path, out: Path) -> tuple[dict, float, float]:
    """Build in a child process so that its peak memory is measured alone."""
    code = (
        "import json,sys,resource;from pathlib import Path;from kg.build import build;"
        f"m=build(Path({str(out)!r}),data_dir=Path({str(data_dir)!r}));"
        "print(json.dumps({'m':m,'rss':resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))"
    )
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"build failed:\n{p.stderr}")
    res = json.loads(p.stdout.strip().splitlines()[-1])
    return res["m"], wall, res["rss"] / 1024 / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=Path(os.environ.get("MEDKG_DATA_DIR", "../shared/data")))
    ap.add_argument("--kg", type=Path, default=None, help="bundle folder (default: a temporary one)")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--no-rdflib", action="store_true", help="skip the rdflib baseline (slow to load)")
    ap.add_argument("--rdflib-runs", type=int, default=None,
                    help="timed runs of each question on rdflib (default: max(3, runs/5)); 1 for a quick baseline")
    ap.add_argument("--rdflib-timeout", type=float, default=120.0,
                    help="seconds one rdflib question may take (all its runs); a slower one is stopped and its "
                         "ratio printed as a lower bound (default 120)")
    ap.add_argument("--reuse", action="store_true",
                    help="use the existing bundle in --kg instead of building (skips the build figures)")
    args = ap.parse_args()
    if args.reuse and args.kg is None:
        ap.error("--reuse needs --kg FOLDER")

    from kg.bundle import Bundle
    from kg.model import DRUG_DISEASE_PREDICATES

    out = args.kg or Path(tempfile.mkdtemp(prefix="medkg-bench-")) / "kg"
    if args.reuse:
        b = Bundle(out)
        manifest = b.manifest()
        print(f"== reusing the bundle in {out} (built {manifest.get('built_at', '?')}); build not measured")
        _questions(args, b, manifest)
        return
    manifest, wall, rss_gb = _build(args.data_dir, out)
    c = manifest["counts"]
    drug = sum(c["edges"].get(p.value, 0) for p in DRUG_DISEASE_PREDICATES)
    print("== build (full: HPO package data + every default source in the data folder)")
    print(f"hpo release: {manifest['hpo_release']}")
    print(f"sources: {', '.join(s['name'] for s in manifest['sources'])}")
    rows = [
        ("diseases", c["nodes"].get("Disease", 0), TARGETS["Disease"]),
        ("phenotypic features", c["nodes"].get("PhenotypicFeature", 0), TARGETS["PhenotypicFeature"]),
        ("disease-phenotype edges", c["edges"].get("HAS_PHENOTYPE", 0), TARGETS["HAS_PHENOTYPE"]),
        ("drug-disease edges", drug, TARGETS["drug_disease"]),
    ]
    for name, got, want in rows:
        print(f"  {name:26s} {got:>9,}  target >= {want:,}  {'OK' if got >= want else 'MISSED'}")
    print(f"  triples in Oxigraph        {manifest['triples']:>9,}")
    print(f"  build wall time            {wall:9.1f} s  target <= 60 s  {'OK' if wall <= 60 else 'MISSED'}"
          f"  (in-process {manifest['build_seconds']} s)")
    print(f"  build peak memory (RSS)    {rss_gb:9.2f} GB target <= 3 GB  {'OK' if rss_gb <= 3 else 'MISSED'}")
    print(f"  identity mapping: {json.dumps(manifest['identity_mapping'])}")

    _questions(args, Bundle(out), manifest)


def _questions(args: argparse.Namespace, b: Any, manifest: dict) -> None:
    """Time every analyst question on each engine and print the table."""
    from kg.queries.analyst import QUESTIONS
    from kg.stores import open_store

    engines = {"ladybug": b.selector("ladybug"), "oxigraph": b.selector("oxigraph")}
    stores = {k: open_store(v) for k, v in engines.items()}
    if not args.no_rdflib:
        t = time.perf_counter()
        stores["rdflib"] = open_store(f"rdflib:{b.export_path}")
        print(f"rdflib baseline: parsed {manifest['triples']:,} triples in {time.perf_counter() - t:.0f} s")
    print(f"\n== median latency of each analyst question ({args.runs} runs after 2 warm-ups), ms")
    hdr = f"{'question':40s} {'ladybug':>9s} {'oxigraph':>9s}"
    if "rdflib" in stores:
        hdr += f" {'rdflib':>10s} {'rdflib/lb':>9s} {'rdflib/ox':>9s}"
    print(hdr + "  same rows  <=100ms (lb, ox)")
    worst = 0.0
    for q in QUESTIONS.values():
        res, ms = {}, {}
        timed_out = False
        for name, st in stores.items():
            text = q.sparql if st.language == "sparql" else q.cypher_for(name)
            params = q.bind()
            if name == "rdflib":
                runs = args.rdflib_runs or max(3, args.runs // 5)
                rows, took = _bounded(st, text, params, runs, args.rdflib_timeout)
                timed_out = rows is None
                res[name], ms[name] = (res["ladybug"], args.rdflib_timeout * 1000) if timed_out else (rows, took)
                continue
            res[name] = st.query(text, params).rows
            ms[name] = median_ms(lambda st=st, text=text, params=params: st.query(text, params), args.runs)
        same = res["ladybug"] == res["oxigraph"] and res.get("rdflib", res["ladybug"]) == res["ladybug"]
        worst = max(worst, ms["ladybug"], ms["oxigraph"])
        line = f"{q.name:40s} {ms['ladybug']:9.1f} {ms['oxigraph']:9.1f}"
        if "rdflib" in ms:
            gt = ">" if timed_out else " "
            line += (f" {gt}{ms['rdflib']:9.1f} {gt}{ms['rdflib'] / ms['ladybug']:7.1f}x"
                     f" {gt}{ms['rdflib'] / ms['oxigraph']:7.1f}x")
        ok = " ".join("ok" if ms[e] <= 100 else "MISSED" for e in ("ladybug", "oxigraph"))
        print(line + f"  {'yes' if same else 'NO':9s}  {ok}")
    if "rdflib" in stores:
        print(f"(rdflib: one untimed run, then the timed runs, in a forked process stopped after "
              f"{args.rdflib_timeout:.0f} s; '>' marks a stopped question: its time and ratios are lower bounds, and its rows are not compared)")
    print(f"\nslowest median on LadybugDB/Oxigraph: {worst:.1f} ms  target <= 100 ms  "
          f"{'OK' if worst <= 100 else 'MISSED'}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(f"benchmark process peak RSS: {peak:.2f} GB")


def _bounded(st: Any, text: str, params: dict, runs: int, timeout: float) -> tuple[Any, float]:
    """Rows and median ms of a query run in a forked child; (None, 0) if it takes over ``timeout`` s."""
    import multiprocessing
    import queue

    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()

    def child() -> None:
        rows = st.query(text, params).rows
        out.put((rows, median_ms(lambda: st.query(text, params), runs, warmup=0)))

    proc = ctx.Process(target=child, daemon=True)
    proc.start()
    try:
        rows, took = out.get(timeout=timeout)
    except queue.Empty:
        proc.kill()
        proc.join()
        return None, 0.0
    proc.join()
    return rows, took


if __name__ == "__main__":
    main()
