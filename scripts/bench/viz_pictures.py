#!/usr/bin/env python
"""Benchmark: how long ``medkg viz`` pictures take on a built graph, hubs included.

For each centre node it prints the median time to read the capped
neighbourhood (LadybugDB), to write the HTML and the PNG, the picture's size
and what the cap left out. The baseline, measured in the same run on the same
store, is one analyst question (``phenotypes_of_disease`` for Marfan syndrome,
a plain query with no picture); the ratio says what a picture costs in
queries' worth of time.

    python scripts/bench/viz_pictures.py --kg KG_DIR [--runs 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from _timing import median_ms

from kg.bundle import Bundle
from kg.queries.analyst import QUESTIONS
from kg.stores import open_store
from medkg_viz.neighbourhood import neighbourhood
from medkg_viz.render import write

CASES = [
    ("OMIM:154700", 1, 40, "a disease (Marfan syndrome)"),
    ("OMIM:154700", 2, 80, "the same, two hops"),
    ("HP:0001250", 1, 200, "a phenotype shared by ~2,500 diseases (Seizure)"),
    ("HP:0000118", 2, 60, "the root of HPO's phenotypic abnormalities"),
    ("DOID:14323", 2, 40, "a DO disease with drugs"),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kg", type=Path, required=True, help="a bundle built with 'medkg build'")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    bundle = Bundle(args.kg)
    bundle.manifest()
    q = QUESTIONS["phenotypes_of_disease"]
    with open_store(bundle.selector("ladybug")) as st, tempfile.TemporaryDirectory() as tmp:
        base = median_ms(lambda: st.query(q.cypher_for("ladybug"), q.params), runs=args.runs * 4)
        print(f"baseline: analyst question phenotypes_of_disease (OMIM:154700): {base:.1f} ms")
        print(f"{'centre':<12} {'hops':>4} {'cap':>4} {'nodes':>5} {'edges':>5} {'read ms':>8} {'x base':>7} "
              f"{'html ms':>8} {'html KB':>8} {'png ms':>7}  left out")
        for centre, hops, cap, what in CASES:
            sub = neighbourhood(st, centre, hops=hops, max_nodes=cap)
            read = median_ms(lambda: neighbourhood(st, centre, hops=hops, max_nodes=cap), runs=args.runs, warmup=1)
            html = Path(tmp) / "n.html"
            png = Path(tmp) / "n.png"
            html_ms = median_ms(lambda: write(sub, html), runs=args.runs, warmup=1)
            t = time.perf_counter()
            write(sub, png)
            png_ms = (time.perf_counter() - t) * 1000
            left = "; ".join(n.split(";")[0] + ";" + n.split(";")[1] for n in sub.notes) or "nothing"
            print(f"{centre:<12} {hops:>4} {cap:>4} {len(sub.nodes):>5} {len(sub.edges):>5} {read:>8.0f} "
                  f"{read / base:>7.1f} {html_ms:>8.0f} {html.stat().st_size / 1024:>8.0f} {png_ms:>7.0f}  {left}")
            print(f"{'':<12} ({what})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
