#!/usr/bin/env python
"""Benchmark: graph-only differential against graph + LLM re-ranking, on phenopackets.

    python scripts/bench/llm_rerank.py --llm SELECTOR --kg KG
        [--phenopackets ../shared/data/phenopackets/dev] [--limit N --seed S]
        [--rerank-k K] [--max-tokens T] [--allow-remote] [--json OUT.json]

For each case (phenopackets with an OMIM diagnosis; ``--limit`` takes a seeded
sample, as ``scripts/bench/diagnose.py`` does): ``diagnose(..., namespace="OMIM",
top_k=10)`` gives the graph's ranking; the LLM then re-orders the top
``--rerank-k`` candidates (with their evidence) through
:func:`reasoning.llm.rerank.rerank`, and the rest keep their graph order. Both
rankings are scored in the same run: top-1, top-10 and MRR (a diagnosis
ranked beyond 10 by the graph counts at its graph rank in both, since the LLM
only re-orders the top ``K``). Also printed: tokens, seconds per case for the
graph and for the LLM, grounding drops by reason, answers that failed schema
validation (those cases keep the graph order and are counted), and cache hits
(a rerun costs nothing). The tiny shipped model (``transformers:smollm2``)
proves the plumbing, not the medicine: use ``--limit`` with it.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from rich.progress import Progress

from kg.errors import LLMError
from kg.settings import Settings
from reasoning import diagnose, load_index, load_phenopacket
from reasoning.cases import iter_phenopackets
from reasoning.errors import CaseError
from reasoning.llm import open_llm
from reasoning.llm.rerank import from_differential, rerank
from reasoning.llm.usage import Usage
from reasoning.ranking import rank
from reasoning.resolve import resolve_case

sys.path.insert(0, str(Path(__file__).resolve().parent))
from diagnose import metrics  # noqa: E402  (the diagnosis benchmark's scoring, shared)

ROOT = Path(__file__).resolve().parents[2]


def rank_in(order: list[str], groups: dict[str, list[str]], dx: str) -> int | None:
    """1-based rank of the diagnosis in an ordering of candidate ids (any id of a candidate's group)."""
    for i, cid in enumerate(order, 1):
        if dx in groups[cid]:
            return i
    return None


def _fmt(m: dict[str, float]) -> str:
    return f"top1 {m['top1_all']:.3f}  top10 {m['top10_all']:.3f}  MRR {m['mrr_all']:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--llm", required=True, help="model selector, e.g. transformers:smollm2")
    ap.add_argument("--kg", type=Path, required=True, help="a bundle built by medkg build")
    ap.add_argument("--phenopackets", type=Path, default=ROOT.parent / "shared" / "data" / "phenopackets" / "dev")
    ap.add_argument("--limit", type=int, default=0, help="a seeded sample of N cases (0 = all)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--rerank-k", type=int, default=10, help="how many top graph candidates the LLM re-orders")
    ap.add_argument("--max-tokens", type=int, default=0, help="answer budget (default 60 per candidate + 20)")
    ap.add_argument("--allow-remote", action="store_true", help="allow a non-local endpoint")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()

    settings = Settings.from_env()
    if a.allow_remote:
        settings = settings.model_copy(update={"llm": settings.llm.model_copy(update={"allow_remote": True})})
    t0 = time.perf_counter()
    ix = load_index(a.kg)
    model = open_llm(a.llm, settings)
    print(f"graph: {a.kg} ({ix.size:,} diseases); model: {a.llm}; loaded in {time.perf_counter() - t0:.1f} s")
    files = iter_phenopackets(a.phenopackets)
    if a.limit:
        random.Random(a.seed).shuffle(files)
        files = sorted(files[: a.limit])
    cases = [(f, c) for f in files if (c := load_phenopacket(f)).diagnoses and c.diagnoses[0].startswith("OMIM:")]
    print(f"cases: {len(cases)} phenopackets with an OMIM diagnosis (from {a.phenopackets})")
    max_tokens = a.max_tokens or 60 * a.rerank_k + 20

    graph_ranks: list[int | None] = []
    llm_ranks: list[int | None] = []
    graph_s: list[float] = []
    llm_s: list[float] = []
    drops: Counter[str] = Counter()
    failures: list[str] = []
    usage = Usage()
    moved = 0
    with Progress(transient=True) as progress:
        task = progress.add_task("re-ranking", total=len(cases))
        for path, case in cases:
            progress.advance(task)
            dx = case.diagnoses[0]
            t = time.perf_counter()
            try:
                d = diagnose(case, ix, top_k=10, namespace="OMIM", lenient=True)
            except CaseError:
                graph_s.append(time.perf_counter() - t)
                graph_ranks.append(None)
                llm_ranks.append(None)
                continue
            graph_s.append(time.perf_counter() - t)
            g = d.rank_of(dx)
            if g is None and dx in ix.disease_index:
                _, terms, _ = resolve_case(ix, case, lenient=True)
                g = rank(ix, terms, "OMIM").rank_of(ix, dx)  # beyond the top 10
            graph_ranks.append(g)
            summary, cands = from_differential(d)
            groups = {c.id: c.ids for c in d.candidates}
            head, tail = cands[: a.rerank_k], [c.id for c in cands[a.rerank_k:]]
            t = time.perf_counter()
            try:
                r = rerank(summary, head, model, max_tokens=max_tokens)
            except LLMError as e:
                llm_s.append(time.perf_counter() - t)
                failures.append(f"{path.name}: {type(e).__name__}: {str(e)[:300]}")
                llm_ranks.append(g)  # the graph's order stands
                continue
            llm_s.append(time.perf_counter() - t)
            usage.merge(r.usage)
            drops.update(r.dropped)
            order = r.order + tail
            moved += order != [c.id for c in cands]
            in_top = rank_in(order, groups, dx)
            llm_ranks.append(in_top if in_top is not None else g)

    gm, lm = metrics(graph_ranks), metrics(llm_ranks)
    n = max(len(cases), 1)
    print(f"graph only      : {_fmt(gm)}   {statistics.mean(graph_s or [0]) :.3f} s/case")
    print(f"graph + LLM     : {_fmt(lm)}   {statistics.mean(llm_s or [0]) + statistics.mean(graph_s or [0]):.3f} s/case")
    print(f"change          : top1 {lm['top1_all'] - gm['top1_all']:+.3f}  top10 {lm['top10_all'] - gm['top10_all']:+.3f}  "
          f"MRR {lm['mrr_all'] - gm['mrr_all']:+.3f};  LLM answers that changed the order: {moved}/{len(cases)}")
    print(f"tokens          : {usage.prompt_tokens} prompt + {usage.completion_tokens} completion "
          f"({usage.total_tokens / n:.0f} per case); {usage.cached} of {usage.calls} answers from the cache")
    print(f"grounding drops : {sum(drops.values())} ({dict(drops) or 'none'})")
    print(f"LLM failures    : {len(failures)}/{len(cases)} cases kept the graph order")
    for f in failures[:5]:
        print(f"  {f}")
    print(f"model usage     : {model.usage.summary()}")
    if a.json:
        a.json.write_text(json.dumps({
            "llm": a.llm, "cases": len(cases), "rerank_k": a.rerank_k, "graph": gm, "graph_llm": lm,
            "graph_s_per_case": statistics.mean(graph_s or [0]), "llm_s_per_case": statistics.mean(llm_s or [0]),
            "usage": usage.as_dict(), "grounding_drops": dict(drops), "failures": failures, "reordered": moved,
        }, indent=1))


if __name__ == "__main__":
    main()
