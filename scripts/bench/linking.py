#!/usr/bin/env python
"""Benchmark: embeddings, entity linking and similar cases on the full graph.

Figures, each against its target or a baseline measured in the same run:

1. Embedding time (targets: <= 5 min cold, <= 10 s unchanged), wall and CPU
   seconds (the CPU time shows the work when the machine is shared). With
   ``--full``, ``embed_bundle`` of the whole graph with an empty cache, then
   again unchanged. Without, the model's throughput on a seeded sample of the
   graph's texts with an empty cache, projected to every text of the graph;
   then the bundle is embedded from the settings' cache and re-run unchanged.
2. Linking accuracy: 20% of the HPO synonyms (seeded) are removed from the
   dictionary and the names index, then linked back (phenotypes only);
   top-1/top-5 accuracy against a rapidfuzz string-similarity baseline over the
   same remaining names (target: top-1 >= baseline + 10 points). ``--hpo-terms N``
   restricts the candidate universe to a seeded sample of N HPO terms (0: all).
   HNSW recall@10 against exact search on that names index.
3. Link speed: 1,000 distinct held-out HPO synonyms linked over the full
   bundle's stored names index, model loaded (target <= 1 s): flat (exact)
   and HNSW over the same vectors, split into model and search time, with the
   HNSW recall@10 against flat and the share of identical top-1 answers. Wall
   and CPU seconds, and the load average before and after: on a shared
   machine the wall time follows the load, the CPU time the work.
4. Similar cases, leave-one-out on a phenopacket folder: fraction of cases whose
   top-5 neighbours include a case with the same diagnosis; baseline: Jaccard
   similarity of the exact present-phenotype sets.

    python scripts/bench/linking.py --kg KG [--cache DIR] [--phenopackets ../shared/data/phenopackets/dev]
        [--full] [--hpo-terms 2000] [--runs 5] [--only link_speed] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HOLDOUT = 0.2
SEED = 13


def timed(fn: Any, *args: Any, **kw: Any) -> tuple[Any, float]:
    t = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t


def timed_cpu(fn: Any, *args: Any, **kw: Any) -> tuple[Any, float, float]:
    """``(result, wall seconds, CPU seconds of this process)``: CPU time shows the work when the machine is busy."""
    t, c = time.perf_counter(), time.process_time()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t, time.process_time() - c


def embedding_times(kg: Path, settings: Any, embedder: Any, args: Any) -> dict[str, Any]:
    from kg.bundle import Bundle
    from kg.embeddings import embed_bundle
    from kg.embeddings.build import embed_cached, name_rows
    from kg.embeddings.cache import EmbeddingCache
    from kg.embeddings.nodes import node_text, read_nodes

    nodes = read_nodes(Bundle(kg))
    texts = sorted({node_text(n) for n in nodes} | {r[1] for r in name_rows(nodes)})
    out: dict[str, Any] = {"nodes": len(nodes), "unique_texts": len(texts),
                           "precision": getattr(embedder, "precision", None),
                           "max_tokens": getattr(embedder, "max_tokens", None)}
    fresh = Path(tempfile.mkdtemp(prefix="medkg-bench-cache-"))
    copy_dir = Path(tempfile.mkdtemp(prefix="medkg-bench-kg-"))
    cold = settings.model_copy(update={"embed_cache_dir": fresh})
    try:
        if args.full:
            # A copy of the bundle without its embeddings: with them, embed_bundle finds nothing changed.
            src, kg = kg, copy_dir / "kg"
            shutil.copytree(src, kg, ignore=lambda d, names: ["embeddings"] if Path(d) == Path(src) else [])
            report, secs, cpu = timed_cpu(embed_bundle, kg, settings=cold, embedder=embedder)
            out.update(cold_seconds=round(secs, 1), cold_cpu_seconds=round(cpu, 1),
                       cold_embedded=report["embedded"], cold_measured="full graph")
            warm = cold
        else:
            # Throughput on a seeded sample of the graph's texts (long and short alike), projected.
            part = random.Random(SEED).sample(texts, min(args.sample, len(texts)))
            (_, n), secs, cpu = timed_cpu(embed_cached, part, embedder, EmbeddingCache(fresh, embedder.fingerprint))
            out.update(cold_sample=n, cold_sample_seconds=round(secs, 1), texts_per_second=round(n / secs, 1),
                       cold_seconds=round(len(texts) * secs / n, 1),
                       cold_cpu_seconds=round(len(texts) * cpu / n, 1),
                       cold_measured=f"projected from a seeded sample of {n} texts")
            warm = settings  # the user's cache: the bundle's embeddings are (re)built from it first
            embed_bundle(kg, settings=warm, embedder=embedder)
        again, secs2 = timed(embed_bundle, kg, settings=warm, embedder=embedder)
        out.update(unchanged_seconds=round(secs2, 2), unchanged_embedded=again["embedded"],
                   unchanged_skipped=again["unchanged"], unchanged_nodes=again["nodes"])
        # The same as a user runs it: a fresh 'medkg embed' process (imports and all).
        env = {**os.environ, "MEDKG_EMBED_CACHE": str(warm.embed_cache_dir),
               "MEDKG_EMBED_PRECISION": settings.embed_precision}
        cmd = [sys.executable, "-m", "medkg_cli.main", "embed", "--kg", str(kg), "--format", "json"]
        done, secs3 = timed(subprocess.run, cmd, env=env, capture_output=True, text=True, check=True)
        out.update(unchanged_cli_seconds=round(secs3, 2), unchanged_cli_skipped=json.loads(done.stdout)["unchanged"])
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(copy_dir, ignore_errors=True)
    return out


def holdout_split(nodes: list[Any], hpo_terms: int = 0) -> tuple[list[Any], list[tuple[str, str]], int]:
    """Remove 20% of the HPO synonyms (seeded): the reduced nodes, (synonym, HP id) pairs, all pairs.

    With ``hpo_terms``, the nodes are first restricted to a seeded sample of that many HPO terms.
    """
    from dataclasses import replace

    if hpo_terms:
        hp = sorted(n.id for n in nodes if n.id.startswith("HP:"))
        keep = set(random.Random(SEED).sample(hp, min(hpo_terms, len(hp))))
        nodes = [n for n in nodes if n.id in keep]
    pairs = [(n.id, s) for n in nodes if n.id.startswith("HP:") for s in n.synonyms if s.strip()]
    held = set(random.Random(SEED).sample(pairs, round(HOLDOUT * len(pairs))))
    reduced = [replace(n, synonyms=tuple(s for s in n.synonyms if (n.id, s) not in held))
               if n.id.startswith("HP:") else n for n in nodes]
    return reduced, sorted((s, i) for i, s in held), len(pairs)


def rapidfuzz_topk(mentions: list[str], rows: list[tuple[str, str]], k: int) -> list[list[str]]:
    """Top-k distinct node ids per mention by rapidfuzz token_sort_ratio over the names."""
    import numpy as np
    from rapidfuzz import fuzz, process, utils

    choices = [r[1] for r in rows]
    out: list[list[str]] = []
    for start in range(0, len(mentions), 256):
        chunk = mentions[start:start + 256]
        scores = process.cdist(chunk, choices, scorer=fuzz.token_sort_ratio, processor=utils.default_process,
                               dtype=np.uint8, workers=2)
        for row in scores:
            best = np.argsort(-row.astype(np.int16), kind="stable")[: 20 * k]  # (-uint8 would wrap around)
            ids: list[str] = []
            for j in best:
                if rows[j][0] not in ids:
                    ids.append(rows[j][0])
                if len(ids) == k:
                    break
            out.append(ids)
    return out


def accuracy(ranked: list[list[str]], gold: list[str]) -> tuple[float, float]:
    top1 = sum(bool(r) and r[0] == g for r, g in zip(ranked, gold, strict=True)) / len(gold)
    top5 = sum(g in r[:5] for r, g in zip(ranked, gold, strict=True)) / len(gold)
    return round(100 * top1, 1), round(100 * top5, 1)


def linking(kg: Path, settings: Any, embedder: Any, hpo_terms: int) -> dict[str, Any]:
    import numpy as np

    from kg.bundle import Bundle
    from kg.embeddings.build import embed_cached, name_rows
    from kg.embeddings.cache import EmbeddingCache
    from kg.embeddings.index import new_index
    from kg.embeddings.nodes import read_nodes
    from kg.linking import Linker

    nodes = read_nodes(Bundle(kg))
    reduced, held, n_pairs = holdout_split(nodes, hpo_terms)
    mentions, gold = [m for m, _ in held], [g for _, g in held]
    cache = EmbeddingCache(settings.embed_cache_dir, embedder.fingerprint)
    linker, build_s = timed(Linker.from_nodes, reduced, embedder, cache=cache)
    results, link_s = timed(linker.link, mentions, types=["phenotype"], k=5)
    ours = [[c.id for c in r.candidates] for r in results]
    methods: dict[str, int] = {}
    for r in results:
        m = r.candidates[0].method if r.candidates else "no match"
        methods[m] = methods.get(m, 0) + 1
    pheno_rows = [r for r in name_rows(reduced) if linker.nodes[r[0]].type == "PhenotypicFeature"]
    base, base_s = timed(rapidfuzz_topk, mentions, pheno_rows, 5)
    o1, o5 = accuracy(ours, gold)
    b1, b5 = accuracy(base, gold)
    out: dict[str, Any] = {
        "hpo_terms": sum(n.id.startswith("HP:") for n in reduced), "hpo_synonyms": n_pairs,
        "held_out": len(held), "top1": o1, "top5": o5,
        "baseline": "rapidfuzz token_sort_ratio", "baseline_top1": b1, "baseline_top5": b5,
        "top1_gain_points": round(o1 - b1, 1), "top1_target_met": o1 >= b1 + 10,
        "first_method": methods, "threshold": linker.threshold,
        "link_seconds": round(link_s, 1), "baseline_seconds": round(base_s, 1),
        "index_build_seconds": round(build_s, 1),
    }
    # HNSW recall@10 against exact search, on the reduced names index, queried with the mentions.
    vecs, _ = embed_cached([r[1] for r in name_rows(reduced)], embedder, cache)
    queries, _ = embed_cached(mentions, embedder, cache)
    hnsw = new_index("hnsw", embedder.dimension)
    _, hnsw_build = timed(hnsw.add, vecs)
    _, exact_rows = linker.index.search(queries, 10)
    _, approx_rows = hnsw.search(queries, 10)
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx_rows, exact_rows, strict=True)])
    out.update(names=len(vecs), hnsw_recall_at_10=round(float(recall), 4), hnsw_build_seconds=round(hnsw_build, 1))
    return out


def repeated(link: Any, mentions: list[str], name: str, runs: int) -> dict[str, Any]:
    """``link(mentions, k=5)`` run ``runs`` times: the best wall time (and its CPU time), the median, all."""
    times = [timed_cpu(link, mentions, k=5)[1:] for _ in range(runs)]
    best = min(times)
    walls = sorted(t[0] for t in times)
    return {f"{name}_seconds": round(best[0], 2), f"{name}_cpu_seconds": round(best[1], 2),
            f"{name}_median_seconds": round(walls[len(walls) // 2], 2),
            f"{name}_all_seconds": [round(t[0], 2) for t in times]}


def link_speed(kg: Path, settings: Any, embedder: Any, runs: int = 5) -> dict[str, Any]:
    """Linking 1,000 distinct mentions over the full bundle's names index, model loaded: flat and HNSW.

    The mentions are a seeded sample of HPO synonyms (drawn as in the accuracy test, over all HPO
    terms); the linker embeds every mention with the model and searches FAISS for each.
    """
    import numpy as np

    from kg.bundle import Bundle
    from kg.embeddings.index import new_index
    from kg.embeddings.nodes import read_nodes
    from kg.linking import Linker

    nodes = read_nodes(Bundle(kg))
    _, held, _ = holdout_split(nodes, 0)
    held_out = {m for m, _ in held}
    mentions = random.Random(SEED).sample(sorted(held_out), 1000)
    linker = Linker.from_bundle(kg, settings=settings, embedder=embedder)
    out: dict[str, Any] = {"mentions": len(mentions), "names_rows": len(linker.index),
                           "index": linker.index.kind}
    linker.link(mentions[:50])  # warm-up
    out.update(repeated(linker.link, mentions, "link_1000", runs))
    # The model as link() uses it (embed_queries), and as 'medkg embed' does (embed: the index's vectors).
    queries, wall, cpu = timed_cpu(getattr(embedder, "embed_queries", embedder.embed), mentions)  # (older code: embed)
    out.update(embed_1000_seconds=round(wall, 2), embed_1000_cpu_seconds=round(cpu, 2))
    index_path, wall, cpu = timed_cpu(embedder.embed, mentions)
    out.update(index_path_embed_1000_seconds=round(wall, 2), index_path_embed_1000_cpu_seconds=round(cpu, 2),
               query_vs_index_path_min_cosine=round(float((queries * index_path).sum(axis=1).min()), 6))
    # Mentions the model is asked about: those with fewer than k=5 dictionary candidates (all of them here).
    out["mentions_embedded"] = sum(len(linker._dictionary(m, None)) < 5 for m in mentions)
    (_, exact), wall, cpu = timed_cpu(linker.index.search, queries, 28)
    out.update(flat_search_1000_seconds=round(wall, 3), flat_search_1000_cpu_seconds=round(cpu, 3))
    # The same vectors in an HNSW index (what 'medkg embed --index hnsw' builds).
    hnsw = new_index("hnsw", linker.index.dimension)
    _, build_s = timed(hnsw.add, linker.index.reconstruct(np.arange(len(linker.index))))
    (_, approx), wall, cpu = timed_cpu(hnsw.search, queries, 28)
    recall = np.mean([len(set(a[:10]) & set(e[:10])) / 10 for a, e in zip(approx, exact, strict=True)])
    out.update(hnsw_build_seconds=round(build_s, 1), hnsw_search_1000_seconds=round(wall, 3),
               hnsw_search_1000_cpu_seconds=round(cpu, 3), hnsw_recall_at_10_full=round(float(recall), 4))
    fast = Linker(nodes, hnsw, embedder, linker.threshold)
    fast.link(mentions[:50])
    results = fast.link(mentions, k=5)
    out.update(repeated(fast.link, mentions, "hnsw_link_1000", runs))
    flat_top = [r.candidates[0].id if r.candidates else None for r in linker.link(mentions, k=5)]
    same = sum(a == (r.candidates[0].id if r.candidates else None) for a, r in zip(flat_top, results, strict=True))
    out["hnsw_same_top1_as_flat"] = round(same / len(mentions), 4)
    out["link_1000_target_met"] = min(out["link_1000_seconds"], out["hnsw_link_1000_seconds"]) <= 1.0
    out["load_average_after"] = round(os.getloadavg()[0], 2)
    return out


def similar_cases(kg: Path, folder: Path, settings: Any, embedder: Any) -> dict[str, Any]:
    from collections import defaultdict

    from reasoning.similar import CaseLibrary

    lib, load_s = timed(CaseLibrary.from_folder, folder, kg=kg, settings=settings, embedder=embedder)
    frac, loo_s = timed(lib.leave_one_out, 5)
    # Baseline: Jaccard of exact present-phenotype sets, same leave-one-out.
    sets = [set(c.present) for c in lib.cases]
    posting: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for t in s:
            posting[t].append(i)
    hits = total = 0
    for i, case in enumerate(lib.cases):
        if not case.diagnoses:
            continue
        total += 1
        inter: dict[int, int] = defaultdict(int)
        for t in sets[i]:
            for j in posting[t]:
                if j != i:
                    inter[j] += 1
        ranked = sorted(inter, key=lambda j: (-inter[j] / len(sets[i] | sets[j]), j))[:5]
        hits += any(set(case.diagnoses) & set(lib.cases[j].diagnoses) for j in ranked)
    return {"cases": len(lib.cases), "distinct_diagnoses": len({d for c in lib.cases for d in c.diagnoses}),
            "unknown_phenotype_mentions": sum(lib.unknown.values()),
            "top5_same_diagnosis": round(100 * frac, 1), "baseline": "Jaccard of present phenotypes",
            "baseline_top5_same_diagnosis": round(100 * hits / total, 1),
            "library_seconds": round(load_s, 1), "leave_one_out_seconds": round(loo_s, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kg", type=Path, required=True, help="a bundle built from the full data")
    ap.add_argument("--cache", type=Path, default=None, help="embedding cache [default: the settings' cache]")
    ap.add_argument("--phenopackets", type=Path,
                    default=Path(os.environ.get("MEDKG_DATA_DIR", "../shared/data")) / "phenopackets" / "dev")
    ap.add_argument("--full", action="store_true", help="time the cold embedding of the whole graph (slow)")
    ap.add_argument("--sample", type=int, default=1000, help="texts in the cold sample")
    ap.add_argument("--data-dir", type=Path, default=Path(os.environ.get("MEDKG_DATA_DIR", "../shared/data")))
    ap.add_argument("--hpo-terms", type=int, default=2000, help="HPO terms in the linking universe (0: all)")
    ap.add_argument("--only", default="embedding,linking,link_speed,similar_cases", help="sections to run")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument("--runs", type=int, default=5, help="timed runs of the 1,000-mention link (best and median)")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from kg.embeddings import open_embedder
    from kg.settings import Settings

    s = Settings.from_env(embed_cache_dir=args.cache)
    embedder, load_s = timed(open_embedder, s.embed_model, threads=s.threads, precision=s.embed_precision)
    _, warm_s = timed(embedder.embed, ["warm-up"])  # the weights load on first use: not part of any timing below
    load_s += warm_s
    figures: dict[str, Any] = {"model": s.embed_model, "model_load_seconds": round(load_s, 1),
                               "cpu_count": os.cpu_count(), "load_average": os.getloadavg()[0]}
    for name, fn in (("embedding", lambda: embedding_times(args.kg, s, embedder, args)),
                     ("linking", lambda: linking(args.kg, s, embedder, args.hpo_terms)),
                     ("link_speed", lambda: link_speed(args.kg, s, embedder, args.runs)),
                     ("similar_cases", lambda: similar_cases(args.kg, args.phenopackets, s, embedder))):
        if name not in args.only.split(","):
            continue
        figures[name] = fn()
        print(f"== {name}", json.dumps(figures[name], indent=1), flush=True)
    if "embedding" in figures:
        e = figures["embedding"]
        print(f"\nembed cold ({e['precision']}): {e['cold_seconds']} s, {e['cold_cpu_seconds']} CPU s "
              f"({e['cold_measured']}; target <= 300 s) · unchanged: {e['unchanged_seconds']} s in process, "
              f"{e['unchanged_cli_seconds']} s as a 'medkg embed' process, on "
              f"{e['unchanged_nodes']} nodes, {e['unchanged_embedded']} embedded (target <= 10 s)")
    if "linking" in figures:
        ln = figures["linking"]
        print(f"linking {ln['held_out']} held-out HPO synonyms ({ln['hpo_terms']} HPO terms): top-1 {ln['top1']}% "
              f"top-5 {ln['top5']}% vs rapidfuzz top-1 {ln['baseline_top1']}% top-5 {ln['baseline_top5']}% "
              f"(gain {ln['top1_gain_points']} points, target >= 10) · HNSW recall@10 {ln['hnsw_recall_at_10']}")
    if "link_speed" in figures:
        ls = figures["link_speed"]
        print(f"link 1,000 mentions over {ls['names_rows']:,} names (target <= 1 s; best of {len(ls['link_1000_all_seconds'])}, "
              f"medians {ls['link_1000_median_seconds']} s flat, {ls['hnsw_link_1000_median_seconds']} s HNSW): "
              f"flat {ls['link_1000_seconds']} s "
              f"({ls['link_1000_cpu_seconds']} CPU s; model {ls['embed_1000_seconds']} s, "
              f"{ls['embed_1000_cpu_seconds']} CPU s, exact search "
              f"{ls['flat_search_1000_seconds']} s) · HNSW {ls['hnsw_link_1000_seconds']} s "
              f"({ls['hnsw_link_1000_cpu_seconds']} CPU s; FAISS {ls['hnsw_search_1000_seconds']} s, "
              f"recall@10 {ls['hnsw_recall_at_10_full']}, same top-1 {ls['hnsw_same_top1_as_flat']}) · "
              f"load average {figures['load_average']:.2f} before, {ls['load_average_after']} after")
    if "similar_cases" in figures:
        sc = figures["similar_cases"]
        print(f"similar cases LOO top-5 same diagnosis: {sc['top5_same_diagnosis']}% vs Jaccard "
              f"{sc['baseline_top5_same_diagnosis']}% ({sc['cases']} cases)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
