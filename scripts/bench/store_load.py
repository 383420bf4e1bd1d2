"""Benchmark: loading the diagnosis index from a bundle and from graph stores.

Loads :class:`reasoning.index.DiagnosisIndex` from the bundle (``--kg``: its LadybugDB with the
manifest's provenance; built, the on-disk index cache off), from the bundle's index cache
(``cached``: :mod:`reasoning.index_cache`, in a private folder written once before the runs) and
from each store given (``--store``, repeatable: ``ladybug:PATH``,
``oxigraph:PATH``, ``neo4j://HOST:PORT``, the Neo4j password from ``$NEO4J_PASSWORD``), ``--runs``
times each, interleaved (bundle, then every store, per run), so that the bundle's figure is
measured under the same machine load as the stores'. Each load runs in a new Python process, as
``medkg diagnose`` does (an index already in memory slows the next load's reads: Python's garbage
collector walks every live object). Prints each load's seconds, then per store
the median, and its ratio to the bundle's median, and the seconds spent in the store's reads
(:func:`reasoning.store_reads.read`: the queries and their rows' conversion) in the last run.

``--check`` also compares each store's index, and the cached one, with the bundle's (:func:`differences`: diseases,
labels, every annotation with its frequency, source, version and evidence, cross-references,
identity groups, drugs, the ontology and the matrices built from them) and diagnoses
``--cases`` cases on each (the features of diseases spread over the index; the differential with
scores and evidence, and the treatments, must be equal), and exits 1 if anything differs.

Stores are opened read-only, so the bundle's own ``ladybug.lbug`` and ``oxigraph/`` can be given.
Without ``--store``, the bundle's LadybugDB and Oxigraph are measured as stores.

Usage::

    python scripts/bench/store_load.py --kg /tmp/ext-kg --check
    NEO4J_PASSWORD=... python scripts/bench/store_load.py --kg /tmp/ext-kg \\
        --store oxigraph:/tmp/ext-kg/oxigraph --store bolt://127.0.0.1:7687 --runs 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

import reasoning.index as index_module
from reasoning import case_from_hpo, diagnose, treat
from reasoning.index import DiagnosisIndex

_SAME = ("disease_ids", "disease_labels", "annotations", "xrefs", "xref_neighbours", "drug_labels", "drug_rows",
         "drug_classes", "class_members", "adverse_by_drug", "flat", "flat_freq", "group_ids", "background",
         "typical_flat", "sim_terms")
"""Index attributes that must be equal (the matrices are built from them; a few are compared too)."""


@contextmanager
def _read_seconds() -> Iterator[list[float]]:
    """Adds up the seconds spent in the index's store reads while inside."""
    spent = [0.0]
    plain = index_module._read

    def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return plain(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t0

    index_module._read = timed
    try:
        yield spent
    finally:
        index_module._read = plain


def _timed(load: Callable[[], DiagnosisIndex]) -> tuple[float, float, DiagnosisIndex]:
    """``(load seconds, seconds in the store's reads, index)``."""
    with _read_seconds() as spent:
        t0 = time.perf_counter()
        ix = load()
        total = time.perf_counter() - t0
    return total, spent[0], ix


def differences(ix: DiagnosisIndex, bundle: DiagnosisIndex) -> list[str]:
    """What differs between an index and the bundle's (none: an empty list)."""
    out = []
    for name in _SAME:
        a, b = getattr(ix, name), getattr(bundle, name)
        same = np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b
        if not same:
            out.append(name)
    o, p = ix.ontology, bundle.ontology
    if (o.ids, o.labels, o.parents, o.replaced, o.obsolete) != (p.ids, p.labels, p.parents, p.replaced, p.obsolete) or any(
            not np.array_equal(x, y) for x, y in zip(o.ancestors, p.ancestors, strict=True)):
        out.append("ontology")
    for m in ("implied", "as_ancestor", "negated", "absent"):
        x, y = getattr(ix, m), getattr(bundle, m)
        if any(not np.array_equal(getattr(x, f), getattr(y, f)) for f in vars(x) if isinstance(getattr(x, f), np.ndarray)):
            out.append(m)
    if ix.info["sources"] != bundle.info["sources"] or ix.info["text_sources"] != bundle.info["text_sources"]:
        out.append(f"provenance: {ix.info} vs {bundle.info}")
    return out


def outcomes(ix: DiagnosisIndex, cases: list[list[str]]) -> list[Any]:
    """Each case's differential (ids, scores, evidence) and treatments, as plain data."""
    out = []
    for present in cases:
        d = diagnose(case_from_hpo(present), ix, top_k=10)
        out.append([[c.model_dump(mode="json") for c in d.candidates],
                    treat(d, kg=ix, top_n=len(d.candidates)).model_dump(mode="json")])
    return out


def sample_cases(ix: DiagnosisIndex, n: int) -> list[list[str]]:
    """``n`` cases: the first five present features of diseases spread evenly over the index."""
    step = max(1, len(ix.disease_ids) // n)
    cases = []
    for i in range(0, step * n, step):
        terms = dict.fromkeys(ix.ontology.ids[a.term] for a in ix.annotations[i] if not a.negated and a.frequency != 0)
        cases.append(list(terms)[:5])
    return [c for c in cases if c]


def _load(source: str, kg: Path, cache_dir: Path) -> DiagnosisIndex:
    """``bundle``: built from the bundle; ``cached``: read from the index cache, which must hold
    it; ``warm``: built and written to the cache; else a store selector."""
    if source == "bundle":
        return DiagnosisIndex.from_bundle(kg, cache_dir=False)
    if source in ("cached", "warm"):
        ix = DiagnosisIndex.from_bundle(kg, cache_dir=cache_dir)
        if ix.cache_status != ("hit" if source == "cached" else "written"):
            raise SystemExit(f"index cache in {cache_dir}: {ix.cache_status}")
        return ix
    return DiagnosisIndex.from_store(source)


def _load_in_new_process(source: str, kg: Path, cache_dir: Path) -> dict[str, Any]:
    """One timed load in a new Python process: ``{seconds, reads, diseases, annotations}``."""
    res = subprocess.run([sys.executable, __file__, "--kg", str(kg), "--one", source, "--cache-dir", str(cache_dir)],
                         capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"loading from {source} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print one line per load and a summary."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kg", type=Path, required=True, help="the bundle folder")
    ap.add_argument("--store", action="append", default=[], help="a store selector (repeatable)")
    ap.add_argument("--runs", type=int, default=1, help="loads per source, interleaved (default 1)")
    ap.add_argument("--check", action="store_true", help="compare each store's index with the bundle's")
    ap.add_argument("--cases", type=int, default=6, help="cases diagnosed on each index with --check (default 6)")
    ap.add_argument("--one", metavar="SOURCE", help=argparse.SUPPRESS)  # one timed load, as JSON
    ap.add_argument("--cache-dir", type=Path, help=argparse.SUPPRESS)  # the private index cache
    args = ap.parse_args(argv)
    if args.one:
        total, in_reads, ix = _timed(lambda: _load(args.one, args.kg, args.cache_dir))
        print(json.dumps({"seconds": total, "reads": in_reads, "diseases": len(ix.disease_ids),
                          "annotations": sum(len(a) for a in ix.annotations)}))
        return 0
    stores = args.store or [f"ladybug:{args.kg / 'ladybug.lbug'}", f"oxigraph:{args.kg / 'oxigraph'}"]
    with tempfile.TemporaryDirectory(prefix="medkg-index-cache-") as cache_dir:
        _load_in_new_process("warm", args.kg, Path(cache_dir))
        return _runs(args, stores, Path(cache_dir))


def _runs(args: argparse.Namespace, stores: list[str], cache_dir: Path) -> int:
    """The timed loads, the summary and the check."""
    seconds: dict[str, list[float]] = {name: [] for name in ("bundle", "cached", *stores)}
    reads: dict[str, float] = {}
    for run in range(1, args.runs + 1):
        for name in seconds:
            got = _load_in_new_process(name, args.kg, cache_dir)
            seconds[name].append(got["seconds"])
            reads[name] = got["reads"]
            print(f"run {run}  {name}: {got['seconds']:.2f} s ({got['reads']:.2f} s in reads; {got['diseases']} "
                  f"diseases, {got['annotations']} annotations)", flush=True)
    base = statistics.median(seconds["bundle"])
    print(f"\n{'from':<50} {'median s':>9} {'x bundle':>9} {'reads s':>8}")
    for name, values in seconds.items():
        med = statistics.median(values)
        print(f"{name:<50} {med:9.2f} {med / base:9.2f} {reads[name]:8.2f}")
    return check(args.kg, stores, args.cases, cache_dir) if args.check else 0


def check(kg: Path, stores: list[str], n_cases: int, cache_dir: Path) -> int:
    """Compare the cached index and each store's with the bundle's; 1 if any differs."""
    bundle = _load("bundle", kg, cache_dir)
    cases = sample_cases(bundle, n_cases)
    expected = outcomes(bundle, cases)
    failed = False
    for name in ("cached", *stores):
        ix = _load(name, kg, cache_dir)
        diff = differences(ix, bundle)
        same = outcomes(ix, cases) == expected
        del ix
        failed |= bool(diff) or not same
        print(f"check {name}: index {'differs: ' + ', '.join(diff) if diff else 'equal'}; "
              f"{len(cases)} cases {'equal' if same else 'DIFFER'}", file=sys.stderr if diff or not same else sys.stdout)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
