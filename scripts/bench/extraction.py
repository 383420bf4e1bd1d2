#!/usr/bin/env python
"""Benchmark: text extraction against the annotated corpora, each figure next
to a simple exact-string baseline measured in the same run.

* GSC-2024 (HPO phenotypes): mention-level micro P/R/F1 (same span and HPO id,
  mentions asserted present) and document-level F1 (sets of HPO ids);
  throughput (abstracts/s) of the dictionary path and of the full pipeline.
  Target: mention F1 >= 0.76 (FastHPOCR, 2024) and >= 2,000 abstracts/s.
  Also each half of the corpus (alternate documents) on its own, and the
  dictionary load time from the store and from the on-disk cache.
* NCBI-disease (development set): disease mention F1 (exact span) and
  normalisation accuracy (matched mentions whose concept maps to the gold
  MeSH/OMIM id through its own id or its cross-references).
* BC5CDR (training + development): disease and chemical mention F1 (exact
  span), chemical-induced-disease relation F1 at document level. Relations are
  mapped to MeSH through the gold mentions they overlap (our drugs are DrugBank
  concepts without MeSH ids), so this isolates relation finding from
  normalisation; reference: 57.0 F1, best BioCreative V system (end to end).
* ADE corpus: drug-adverse-effect pair F1 per sentence (spans overlapping the
  gold ones), over the DRUG-AE sentences and as many ADE-NEG sentences.
* Negation: sentences "The patient denies X." / "No X." / "X was ruled out."
  built from the GSC mention texts: fraction of findings marked absent; and the
  fraction wrongly marked absent in "The patient has X.".

Baselines: exact, case-insensitive string matching of the same labels and
synonyms (longest match, no normalisation, abbreviations or assertions); for
relations, every fitting pair of mentions in one sentence (co-occurrence).

Parallel extraction: the dictionary path over a larger stream (every GSC,
NCBI-disease and BC5CDR abstract, repeated to at least ``--parallel-documents``)
by ``extract_many`` with one worker and with ``--parallel-workers`` worker
processes, alternately in the same run, end to end (pool start-up included):
abstracts/s of each and their ratio.

With ``--embedding-candidates`` (the bundle needs ``medkg embed``), a second
GSC row: the dictionary plus embedding candidates
(:mod:`kg.extraction.embedding_candidates`), P/R/F1 on the whole corpus and on
both halves of the seeded split its rules were tuned on (one half), and
abstracts/s of one uncached pass.

    python scripts/bench/extraction.py --kg KG_DIR [--data-dir ../shared/data] [--out DIR] [--embedding-candidates]
        [--only gsc,ncbi,bc5cdr,ade,negation,parallel]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from kg.extraction.relations import RELATED_ASSERTIONS

GSC_TARGET_F1 = 0.76
GSC_TARGET_RATE = 2000.0
BC5CDR_REFERENCE_CID_F1 = 0.570


def prf(tp: int, npred: int, ngold: int) -> dict[str, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return {"P": round(p, 3), "R": round(r, 3), "F1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "tp": tp, "predicted": npred, "gold": ngold}


def exact_f1(s: dict[str, float]) -> float:
    """F1 from a :func:`prf` result's counts, unrounded (targets are checked on it)."""
    return 2 * s["tp"] / (s["predicted"] + s["gold"]) if s["predicted"] + s["gold"] else 0.0


# -- the exact-string baseline ------------------------------------------------------

_BASE_TOKEN = re.compile(r"\w+|[^\w\s]")


class ExactStringBaseline:
    """Case-insensitive exact matching of labels and synonyms, longest match first."""

    def __init__(self, concepts: Iterable[tuple[str, str, str | None, list[str]]]) -> None:
        from kg.extraction.dictionary import _rank

        self.trie: dict = {}
        best: dict[tuple[str, ...], tuple] = {}
        for cid, typ, label, syns in concepts:
            for name in [label, *syns] if label else syns:
                key = tuple(t.lower() for t in _BASE_TOKEN.findall(name or ""))
                if not key or len("".join(key)) < 3:
                    continue
                cand = (cid, typ, name == label)
                if key not in best or _rank(cand) < _rank(best[key]):
                    best[key] = cand
        for key, (cid, typ, _l) in best.items():
            node = self.trie
            for t in key:
                node = node.setdefault(t, {})
            node[""] = (cid, typ)

    def extract(self, text: str) -> list[tuple[int, int, str, str]]:
        toks = list(_BASE_TOKEN.finditer(text))
        low = [m.group().lower() for m in toks]
        out, i = [], 0
        while i < len(toks):
            node, j, hit = self.trie.get(low[i]), i, None
            while node is not None:
                j += 1
                if "" in node:
                    hit = (j, node[""])
                node = node.get(low[j]) if j < len(toks) else None
            if hit:
                j, (cid, typ) = hit
                out.append((toks[i].start(), toks[j - 1].end(), cid, typ))
                i = j
            else:
                i += 1
        return out


def load_concepts(kg: Path) -> tuple[list, dict[str, list[str]]]:
    """The concepts the recogniser uses (same query and HPO branches) and every xref."""
    from kg.bundle import Bundle
    from kg.extraction.dictionary import recognised_concepts
    from kg.queries import extraction as q
    from kg.stores import open_store

    with open_store(Bundle(kg).selector("ladybug")) as s:
        rows = s.query(q.dictionary_cypher("ladybug")).rows
        concepts = list(recognised_concepts(rows, s.query(q.PHENOTYPE_ISA_CYPHER).rows))
        xrefs = {i: list(x) for i, x in s.query(q.XREFS_CYPHER).rows}
    return concepts, xrefs


# -- corpora --------------------------------------------------------------------------

def gsc(data: Path) -> tuple[dict[str, str], dict[str, set[tuple[int, int, str]]]]:
    texts, gold = {}, {}
    for f in sorted((data / "gsc2024" / "Text").iterdir()):
        texts[f.name] = f.read_text(encoding="utf-8")
        s = set()
        for line in (data / "gsc2024" / "Annotations" / f.name).read_text(encoding="utf-8").splitlines():
            p = line.split("\t")
            if len(p) >= 2 and ":" in p[0]:
                a, b = (int(re.sub(r"\D", "", x)) for x in p[0].split(":")[:2])  # one line reads 'w106:119'
                s.add((a, b, p[1].strip()))
        gold[f.name] = s
    return texts, gold


def pubtator(path: Path) -> list[Any]:
    from kg.extraction.readers import Document, read_pubtator

    with path.open("rb") as fh:
        return [d for d in read_pubtator(fh, str(path)) if isinstance(d, Document)]


def rate(fn: Callable[[str], Any], texts: list[str], min_seconds: float = 3.0) -> tuple[float, float]:
    """Documents per second over whole passes through ``texts`` for at least
    ``min_seconds``: the best pass by wall-clock time and by process CPU time
    (on a shared machine the best pass is the least disturbed one; CPU time
    leaves out the time other processes hold the cores)."""
    best_wall = best_cpu = float("inf")
    t_end = time.perf_counter() + min_seconds
    while True:
        w0, c0 = time.perf_counter(), time.process_time()
        for t in texts:
            fn(t)
        w1, c1 = time.perf_counter(), time.process_time()
        best_wall, best_cpu = min(best_wall, w1 - w0), min(best_cpu, c1 - c0)
        if w1 >= t_end:
            return round(len(texts) / best_wall, 1), round(len(texts) / max(best_cpu, 1e-9), 1)


# -- benchmarks -----------------------------------------------------------------------

def bench_gsc(rec_factory, base: ExactStringBaseline, data: Path, out_dir: Path) -> dict[str, Any]:
    from kg.extraction import Recognizer

    texts, gold = gsc(data)
    ng = sum(len(g) for g in gold.values())

    def score(pred: dict[str, set[tuple[int, int, str]]]) -> dict[str, Any]:
        return _score_on(gold, pred)

    out: dict[str, Any] = {"documents": len(texts), "gold_mentions": ng}
    base_pred = {d: {(a, b, i) for a, b, i, _t in base.extract(t) if i.startswith("HP:")} for d, t in texts.items()}
    out["baseline"] = score(base_pred)
    for overlap in ("longest", "all"):
        rec: Recognizer = rec_factory(overlap=overlap)
        docs = {d: rec.extract(t, d) for d, t in texts.items()}
        pred = {d: _present_hp(x) for d, x in docs.items()}
        out[f"medkg_{overlap}"] = score(pred)
        if overlap == "all":  # the two halves (alternate documents in name order) separately: a gain should hold on both
            names = sorted(texts)
            for half, part in (("A", names[0::2]), ("B", names[1::2])):
                sub = {d: gold[d] for d in part}
                out[f"half_{half}"] = {"documents": len(part),
                                       "medkg_all": _score_on(sub, {d: pred[d] for d in part}),
                                       "baseline": _score_on(sub, {d: base_pred[d] for d in part})}
        if overlap == "all":
            scored = _independent_score(docs.values(), out_dir / "gsc_medkg_all.jsonl", data)
            if scored is not None:
                out["independent_scorer_all"] = scored
    lst = list(texts.values())
    dict_only = dictionary_path(rec_factory)
    out["rate_baseline"], out["rate_baseline_cpu"] = rate(base.extract, lst)
    out["rate_dictionary_path"], out["rate_dictionary_path_cpu"] = rate(lambda t: dict_only.extract(t), lst)
    full = rec_factory(overlap="all")
    out["rate_full_pipeline"], out["rate_full_pipeline_cpu"] = rate(lambda t: full.extract(t), lst)
    return out


def dictionary_path(rec_factory) -> Any:
    """The recogniser of the dictionary path: matching only (nested matches kept, no
    abbreviations, assertions or relations)."""
    rec = rec_factory(overlap="all", relations=None, abbreviations=False)
    rec.context.scopes = lambda *_a, **_k: []  # type: ignore[method-assign]
    return rec


def parallel_stream(data: Path, min_documents: int) -> tuple[list[Any], int]:
    """Every GSC, NCBI-disease (training + development) and BC5CDR (training +
    development) abstract as a text-only document, the list repeated until it has
    ``min_documents``; and the number of distinct documents."""
    from kg.extraction.readers import Document

    texts, _gold = gsc(data)
    docs = [Document(name, [t], "gsc2024") for name, t in texts.items()]
    for f in (data / "ncbi-disease" / "NCBItrainset_corpus.txt", data / "ncbi-disease" / "NCBIdevelopset_corpus.txt",
              data / "bc5cdr" / "CDR_TrainingSet.PubTator.txt", data / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt"):
        docs += [Document(d.doc_id, [d.text], str(f)) for d in pubtator(f)]
    distinct = len(docs)
    return docs * -(-min_documents // distinct), distinct


def _spin(n: int) -> int:
    x = 0
    for i in range(n):
        x += i
    return x


def spare_cores(workers: int, n: int = 4_000_000) -> float:
    """The speed-up ``workers`` processes get over one on a pure-Python loop right now:
    the parallelism the (shared) machine allows at the moment, the ceiling of the
    parallel row's ratio."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as ex:
        list(ex.map(_spin, [1] * workers))  # started
        t0 = time.perf_counter()
        _spin(n)
        t1 = time.perf_counter()
        list(ex.map(_spin, [n] * workers))
        t2 = time.perf_counter()
    return round(workers * (t1 - t0) / (t2 - t1), 2)


def bench_parallel(rec_factory, data: Path, workers: int, min_documents: int, rounds: int = 3) -> dict[str, Any]:
    """The dictionary path over :func:`parallel_stream` by ``extract_many`` with one worker
    and with ``workers``, alternately for ``rounds`` rounds; the best pass of each, end to
    end (the pool's start-up included), and whether the outputs are identical."""
    from kg.extraction.parallel import extract_many

    docs, distinct = parallel_stream(data, min_documents)
    rec = dictionary_path(rec_factory)
    passes: dict[int, list[float]] = {1: [], workers: []}
    cpu: dict[int, list[float]] = {1: [], workers: []}
    outputs: dict[int, int] = {}
    load = [os.getloadavg()[0]]
    spare: list[float] = []
    for _ in range(rounds):
        spare.append(spare_cores(workers))
        for w in (1, workers):
            t0, c0 = time.perf_counter(), os.times()
            out = [x.as_json() for x in extract_many(docs, rec, workers=w)]
            t1, c1 = time.perf_counter(), os.times()
            passes[w].append(round(t1 - t0, 3))
            # this process and its workers (counted once they have ended, at the end of the pass)
            cpu[w].append(round(sum(c1[:4]) - sum(c0[:4]), 2))
            outputs[w] = hash(json.dumps(out))
    spare.append(spare_cores(workers))
    load.append(os.getloadavg()[0])
    r1, rn = (round(len(docs) / min(passes[w]), 1) for w in (1, workers))
    return {"documents": len(docs), "distinct_documents": distinct, "workers": workers, "rounds": rounds,
            "seconds_per_pass": {str(w): p for w, p in passes.items()},
            "cpu_seconds_per_pass": {str(w): p for w, p in cpu.items()},
            "rate_1_worker": r1, f"rate_{workers}_workers": rn, "ratio": round(rn / r1, 2),
            "cpu_ratio": round(min(cpu[workers]) / min(cpu[1]), 2),
            "spare_cores_ratio": spare,
            "identical_output": outputs[1] == outputs[workers], "load_average_before_after": load}


def _present_hp(doc: Any) -> set[tuple[int, int, str]]:
    """The ``(start, end, HP id)`` of a document's present-asserted phenotype mentions (what GSC scores)."""
    return {(m.start, m.end, m.id) for m in doc.entities if m.id.startswith("HP:") and m.assertion == "present"}


def _independent_score(docs: Iterable[Any], path: Path, data: Path) -> Any:
    """Write ``docs`` as JSONL to ``path``; the reference scorer's figures (``shared/tools/gsc_score.py``)
    for it, if the scorer is there."""
    with path.open("w", encoding="utf-8") as fh:
        for x in docs:
            fh.write(json.dumps(x.as_json()) + "\n")
    scorer = Path(__file__).resolve().parents[3] / "shared" / "tools" / "gsc_score.py"
    if not scorer.is_file():
        scorer = data.parent / "tools" / "gsc_score.py"
    if not scorer.is_file():
        return None
    p = subprocess.run([sys.executable, str(scorer), str(path), str(data / "gsc2024" / "Annotations")],
                       capture_output=True, text=True, check=False)
    return json.loads(p.stdout) if p.returncode == 0 else p.stderr[-300:]


EMBEDDING_SPLIT_SEED = 5
"""The seeded document split of GSC the embedding candidates were tuned on (its first half)."""


def bench_gsc_embedding(rec_factory, kg: Path, data: Path, out_dir: Path) -> dict[str, Any]:
    """The second GSC row: dictionary + embedding candidates (``overlap="all"``), against the
    dictionary alone on the same documents: the whole corpus and the two halves of a seeded
    document split (``tune``: the half the threshold and window rules were chosen on;
    ``held_out``: the other). Throughput is of one pass with nothing cached (each distinct
    window is embedded once per process), the model already loaded."""
    from kg.extraction.embedding_candidates import EmbeddingCandidates
    from kg.linking import Linker

    texts, gold = gsc(data)
    names = sorted(texts)
    random.Random(EMBEDDING_SPLIT_SEED).shuffle(names)
    halves = {"tune": sorted(names[: len(names) // 2]), "held_out": sorted(names[len(names) // 2 :])}
    linker = Linker.from_bundle(kg, threshold=0.0)
    linker.embedder.embed_queries(["warm-up"])  # the model loads here, not inside the timed pass
    rec = rec_factory(overlap="all")
    rec.embedding = EmbeddingCandidates.from_bundle(kg, rec.dictionary, linker=linker)
    lst = list(texts.items())
    w0, c0 = time.perf_counter(), time.process_time()
    docs = {d: rec.extract(t, d) for d, t in lst}
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    plain = rec_factory(overlap="all")
    plain_docs = {d: plain.extract(t, d) for d, t in lst}
    pred = {d: _present_hp(x) for d, x in docs.items()}
    base = {d: _present_hp(x) for d, x in plain_docs.items()}
    out: dict[str, Any] = {
        "medkg_all_embedding": _score_on(gold, pred), "medkg_all": _score_on(gold, base),
        "split_seed": EMBEDDING_SPLIT_SEED,
        "threshold": rec.embedding.threshold, "margin": rec.embedding.margin,
        "windows": [rec.embedding.min_window, rec.embedding.max_window],
        "embedding_mentions": sum(m.method == "embedding" for x in docs.values() for m in x.entities),
        "windows_linked": rec.embedding.windows_linked,
        "rate_with_embedding": round(len(lst) / wall, 2), "rate_with_embedding_cpu": round(len(lst) / max(cpu, 1e-9), 2),
    }
    for half, part in halves.items():
        sub = {d: gold[d] for d in part}
        out[half] = {"documents": len(part), "medkg_all_embedding": _score_on(sub, {d: pred[d] for d in part}),
                     "medkg_all": _score_on(sub, {d: base[d] for d in part})}
    scored = _independent_score(docs.values(), out_dir / "gsc_medkg_all_embedding.jsonl", data)
    if scored is not None:
        out["independent_scorer"] = scored
    return out


def _score_on(gold: dict[str, set[tuple[int, int, str]]], pred: dict[str, set[tuple[int, int, str]]]) -> dict[str, float]:
    """Mention P/R/F1 and document F1 of ``pred`` on the documents of ``gold``."""
    tp = sum(len(gold[d] & pred[d]) for d in gold)
    res = prf(tp, sum(len(pred[d]) for d in gold), sum(len(g) for g in gold.values()))
    dt = sum(len({x[2] for x in gold[d]} & {x[2] for x in pred[d]}) for d in gold)
    dres = prf(dt, sum(len({x[2] for x in pred[d]}) for d in gold), sum(len({x[2] for x in gold[d]}) for d in gold))
    return {**res, "doc_F1": dres["F1"]}


def _mesh(cid: str, alternatives: Iterable[str], xrefs: dict[str, list[str]]) -> set[str]:
    """Gold-style ids (``D012345``, ``OMIM:123``) a concept maps to, from itself or a same-name concept."""
    for c in [cid, *alternatives]:
        ids = {c} | set(xrefs.get(c, ()))
        got = {i.split(":", 1)[1] if i.startswith("MESH:") else i for i in ids
               if i.startswith(("MESH:", "OMIM:"))}
        if got:
            return got
    return set()


def _gold_ids(raw: str) -> set[str]:
    return {x.strip() for x in re.split(r"[|+]", raw) if x.strip()}


def bench_mentions(rec, base, docs: list, xrefs, kinds: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """Mention F1 per gold type (exact span) and normalisation accuracy of matched disease mentions."""
    out: dict[str, Any] = {"documents": len(docs)}
    counts = {k: defaultdict(int) for k in kinds}
    norm_ok = norm_n = 0
    for d in docs:
        ann = d.annotations
        x = rec.extract(d.text, d.doc_id)
        b = base.extract(d.text)
        for kind, (gold_type, our_types) in kinds.items():
            g = {(a, e) for a, e, _t, typ, _i in ann if typ == gold_type}
            p = {(m.start, m.end) for m in x.entities if m.type in our_types}
            q = {(s, e) for s, e, _i, typ in b if typ in our_types}
            c = counts[kind]
            c["gold"] += len(g)
            c["pred"] += len(p)
            c["tp"] += len(g & p)
            c["bpred"] += len(q)
            c["btp"] += len(g & q)
        gold_ids = {(a, e): _gold_ids(i) for a, e, _t, typ, i in ann if typ == "Disease"}
        for m in x.entities:
            ids = gold_ids.get((m.start, m.end))
            if ids and m.type in ("disease", "phenotype"):
                norm_n += 1
                norm_ok += bool(_mesh(m.id, m.alternatives, xrefs) & ids)
    for kind, c in counts.items():
        out[kind] = {"medkg": prf(c["tp"], c["pred"], c["gold"]),
                     "baseline": prf(c["btp"], c["bpred"], c["gold"]), "gold": c["gold"]}
    out["normalisation_accuracy"] = round(norm_ok / norm_n, 3) if norm_n else None
    out["normalisation_mentions"] = norm_n
    return out


def _overlap_id(span: tuple[int, int], gold: list[tuple[int, int, str]]) -> str | None:
    for a, b, i in gold:
        if span[0] < b and a < span[1]:
            return i
    return None


def bench_cid(rec, docs: list) -> dict[str, Any]:
    """Chemical-induced-disease pairs per document, our relations mapped to MeSH via gold mentions."""
    tp = npred = ngold = btp = bpred = 0
    for d in docs:
        gold = {(c, e) for typ, c, e in d.gold_relations if typ == "CID"}
        chems = [(a, b, i) for a, b, _t, typ, i in d.annotations if typ == "Chemical"]
        dis = [(a, b, i) for a, b, _t, typ, i in d.annotations if typ == "Disease"]
        x = rec.extract(d.text, d.doc_id)
        pred = set()
        for r in x.relations:
            if r.predicate != "has_adverse_effect":
                continue
            c = _overlap_id(r.evidence.subject_span, chems) or r.subject
            e = _overlap_id(r.evidence.object_span, dis) or r.object
            pred.add((c, e))
        co = set()
        by_sent = defaultdict(list)
        for m in x.entities:
            if m.assertion in RELATED_ASSERTIONS:  # the mentions the relation extractor pairs
                by_sent[m.sentence].append(m)
        for ms in by_sent.values():
            for m in ms:
                if m.type != "drug":
                    continue
                for o in ms:
                    if o.type in ("disease", "phenotype"):
                        co.add((_overlap_id((m.start, m.end), chems) or m.id,
                                _overlap_id((o.start, o.end), dis) or o.id))
        ngold += len(gold)
        tp += len(pred & gold)
        npred += len(pred)
        btp += len(co & gold)
        bpred += len(co)
    return {"medkg_pattern": prf(tp, npred, ngold), "baseline_cooccurrence": prf(btp, bpred, ngold),
            "gold_pairs": ngold, "reference_best_biocreative_v_F1": BC5CDR_REFERENCE_CID_F1}


def bench_ade(rec, data: Path, seed: int = 13) -> dict[str, Any]:
    sents: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for line in (data / "ade-corpus" / "DRUG-AE.rel").read_text(encoding="utf-8", errors="replace").splitlines():
        p = line.split("|")
        if len(p) >= 8:
            sents[(p[0], p[1])].append((p[5], p[2]))
    neg = [line.split(" ", 2)[2] for line in
           (data / "ade-corpus" / "ADE-NEG.txt").read_text(encoding="utf-8", errors="replace").splitlines()
           if line.count(" ") >= 2]
    random.Random(seed).shuffle(neg)
    items = [(s, pairs) for (_pmid, s), pairs in sents.items()] + [(s, []) for s in neg[: len(sents)]]
    tp = npred = ngold = btp = bpred = 0
    for s, pairs in items:
        gold_spans = []
        for drug, ae in set(pairs):
            i, j = s.find(drug), s.find(ae)
            if i >= 0 and j >= 0:
                gold_spans.append(((i, i + len(drug)), (j, j + len(ae))))
        ngold += len(gold_spans)

        def hit(sp: tuple[int, int], op: tuple[int, int], gs=gold_spans) -> bool:
            return any(sp[0] < g[0][1] and g[0][0] < sp[1] and op[0] < g[1][1] and g[1][0] < op[1] for g in gs)

        x = rec.extract(s)
        pred = {(r.evidence.subject_span, r.evidence.object_span) for r in x.relations
                if r.predicate == "has_adverse_effect"}
        npred += len(pred)
        tp += sum(hit(a, b) for a, b in pred)
        related = [m for m in x.entities if m.assertion in RELATED_ASSERTIONS]
        drugs = [m for m in related if m.type == "drug"]
        aes = [m for m in related if m.type in ("phenotype", "disease")]
        co = {((d.start, d.end), (a.start, a.end)) for d in drugs for a in aes}
        bpred += len(co)
        btp += sum(hit(a, b) for a, b in co)
    return {"sentences": len(items), "gold_pairs": ngold, "medkg_pattern": prf(tp, npred, ngold),
            "baseline_cooccurrence": prf(btp, bpred, ngold)}


def bench_negation(rec, data: Path) -> dict[str, Any]:
    texts, gold = gsc(data)
    surfaces = sorted({texts[d][a:b] for d in gold for a, b, _i in gold[d]})
    found = absent = control_found = control_absent = 0
    per_form: dict[str, list[int]] = {}
    forms = {"denies": "The patient denies {x}.", "no": "No {x}.", "ruled_out": "{X} was ruled out."}
    for name, form in forms.items():
        f = a = 0
        for x in surfaces:
            s = form.format(x=x, X=x[:1].upper() + x[1:])
            ms = [m for m in rec.extract(s).entities if m.text.lower() == x.lower()]
            if ms:
                f += 1
                a += ms[0].assertion == "absent"
        per_form[name] = [a, f]
        found += f
        absent += a
    for x in surfaces:
        ms = [m for m in rec.extract(f"The patient has {x}.").entities if m.text.lower() == x.lower()]
        if ms:
            control_found += 1
            control_absent += ms[0].assertion == "absent"
    return {"findings": found, "marked_absent": round(absent / found, 3) if found else None,
            "by_form": {k: round(a / f, 3) if f else None for k, (a, f) in per_form.items()},
            "baseline_marked_absent": 0.0,
            "control_wrongly_absent": round(control_absent / control_found, 3) if control_found else None}


SECTIONS = ("gsc", "ncbi", "bc5cdr", "ade", "negation", "parallel")
"""The rows ``--only`` can choose."""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kg", type=Path, required=True, help="a bundle built from the real data")
    ap.add_argument("--data-dir", type=Path, default=Path(os.environ.get("MEDKG_DATA_DIR", "../shared/data")))
    ap.add_argument("--out", type=Path, default=Path("bench-extraction"), help="folder for outputs")
    ap.add_argument("--embedding-candidates", action="store_true",
                    help="also the GSC row dictionary + embedding candidates (needs 'medkg embed' on --kg)")
    ap.add_argument("--only", default=",".join(SECTIONS),
                    help=f"comma-separated rows to run, of {','.join(SECTIONS)} [default: all]")
    ap.add_argument("--parallel-workers", type=int, default=2, help="worker processes of the parallel row [2]")
    ap.add_argument("--parallel-documents", type=int, default=5000,
                    help="documents in the parallel row's stream (the corpora repeated) [5000]")
    args = ap.parse_args()
    only = set(args.only.split(","))
    if not only <= set(SECTIONS):
        ap.error(f"--only: unknown rows {sorted(only - set(SECTIONS))}; choose from {','.join(SECTIONS)}")
    if args.parallel_workers < 2:
        ap.error("--parallel-workers must be 2 or more")
    args.out.mkdir(parents=True, exist_ok=True)

    from kg.extraction import Dictionary, Recognizer

    cache = args.out / "dictionary-cache"
    t_dict = t_cached = None
    if "gsc" in only:  # the load times (from the store and from the cache) belong to the GSC row
        t0 = time.perf_counter()
        dictionary = Dictionary.from_bundle(args.kg, cache_dir=False)
        t_dict = time.perf_counter() - t0
        Dictionary.from_bundle(args.kg, cache_dir=cache)  # writes the cache (or finds it current)
        t0 = time.perf_counter()
        cached = Dictionary.from_bundle(args.kg, cache_dir=cache)
        t_cached = time.perf_counter() - t0
        if cached.cache_status != "hit":
            raise SystemExit(f"the dictionary cache was not used: {cached.cache_status}")
        del cached
    else:
        dictionary = Dictionary.from_bundle(args.kg, cache_dir=cache)
    if only & {"gsc", "ncbi", "bc5cdr"}:
        concepts, xrefs = load_concepts(args.kg)
        base = ExactStringBaseline(concepts)

    def rec(**kw: Any) -> Recognizer:
        return Recognizer(dictionary, **kw)

    results: dict[str, Any] = {
        "dictionary": {"terms": len(dictionary), "concepts": len(dictionary.types),
                       "load_seconds": t_dict and round(t_dict, 2), "load_seconds_cached": t_cached and round(t_cached, 2)},
        "load_average": os.getloadavg()[0],
    }
    say = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    if "gsc" in only:
        say("GSC-2024 ...")
        results["gsc2024"] = bench_gsc(rec, base, args.data_dir, args.out)
    if args.embedding_candidates:
        say("GSC-2024 with embedding candidates ...")
        results["gsc2024_embedding"] = bench_gsc_embedding(rec, args.kg, args.data_dir, args.out)
    if "ncbi" in only:
        say("NCBI-disease ...")
        ncbi = pubtator(args.data_dir / "ncbi-disease" / "NCBIdevelopset_corpus.txt")
        for d in ncbi:  # NCBI types are SpecificDisease, DiseaseClass, Modifier, CompositeMention
            d.annotations = [(a, b, t, "Disease", i) for a, b, t, _typ, i in d.annotations]
        results["ncbi_disease_dev"] = bench_mentions(rec(), base, ncbi, xrefs, {"disease": ("Disease", ("disease", "phenotype"))})
    if "bc5cdr" in only:
        say("BC5CDR ...")
        cdr = [d for f in ("CDR_TrainingSet.PubTator.txt", "CDR_DevelopmentSet.PubTator.txt")
               for d in pubtator(args.data_dir / "bc5cdr" / f)]
        results["bc5cdr"] = bench_mentions(rec(), base, cdr, xrefs, {
            "disease": ("Disease", ("disease", "phenotype")), "chemical": ("Chemical", ("drug",))})
        results["bc5cdr"]["cid_relations"] = bench_cid(rec(), cdr)
    if "ade" in only:
        say("ADE ...")
        results["ade"] = bench_ade(rec(), args.data_dir)
    if "negation" in only:
        say("negation ...")
        results["negation"] = bench_negation(rec(), args.data_dir)
    if "parallel" in only:
        say(f"parallel extraction, 1 and {args.parallel_workers} workers ...")
        results["parallel"] = bench_parallel(rec, args.data_dir, args.parallel_workers, args.parallel_documents)

    results["targets"] = {}
    g = results.get("gsc2024")
    if g is not None:
        best = max(exact_f1(g["medkg_longest"]), exact_f1(g["medkg_all"]))
        g["best_F1_unrounded"] = round(best, 5)
        results["targets"] = {
            "gsc_mention_F1>=0.76": best >= GSC_TARGET_F1,
            "gsc_dictionary_path>=2000_docs_per_s": g["rate_dictionary_path"] >= GSC_TARGET_RATE,
            "gsc_dictionary_path>=2000_docs_per_cpu_s": g["rate_dictionary_path_cpu"] >= GSC_TARGET_RATE,
        }
    par = results.get("parallel")
    if par is not None:
        results["targets"][f"dictionary_path_{par['workers']}_workers>=2000_docs_per_s"] = (
            par[f"rate_{par['workers']}_workers"] >= GSC_TARGET_RATE)
    if "gsc2024_embedding" in results:
        results["targets"]["gsc_mention_F1>=0.76_with_embedding"] = (
            exact_f1(results["gsc2024_embedding"]["medkg_all_embedding"]) >= GSC_TARGET_F1)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    if par is not None:
        w = par["workers"]
        say(f"parallel dictionary path over {par['documents']:,} abstracts ({par['distinct_documents']:,} distinct), "
            f"end to end: 1 worker {par['rate_1_worker']} docs/s, {w} workers {par[f'rate_{w}_workers']} docs/s "
            f"(ratio {par['ratio']}; best of {par['rounds']} alternating passes; CPU time {par['cpu_ratio']}x "
            f"one worker's; {w} spinning processes got {min(par['spare_cores_ratio'])}-"
            f"{max(par['spare_cores_ratio'])}x one in the same run; identical output "
            f"{par['identical_output']}); load average {par['load_average_before_after'][0]:.1f} -> "
            f"{par['load_average_before_after'][1]:.1f} on {os.cpu_count()} CPUs")
    if g is not None:
        say(f"GSC mention F1 {best:.4f} (baseline {g['baseline']['F1']}, ratio {best / max(g['baseline']['F1'], 1e-9):.2f}; "
            f"target {GSC_TARGET_F1}); dictionary path {g['rate_dictionary_path']} docs/s "
            f"({g['rate_dictionary_path_cpu']} per CPU second; baseline {g['rate_baseline']}; target {GSC_TARGET_RATE:.0f}); "
            f"halves A/B F1 {g['half_A']['medkg_all']['F1']}/{g['half_B']['medkg_all']['F1']}; "
            f"dictionary load {t_dict or 0:.1f} s, cached {t_cached or 0:.2f} s; load average {results['load_average']:.1f}")
    e = results.get("gsc2024_embedding")
    if e:
        say(f"GSC with embedding candidates: P/R/F1 {e['medkg_all_embedding']['P']}/{e['medkg_all_embedding']['R']}/"
            f"{e['medkg_all_embedding']['F1']} (dictionary alone {e['medkg_all']['F1']}); tune/held-out halves "
            f"{e['tune']['medkg_all_embedding']['F1']}/{e['held_out']['medkg_all_embedding']['F1']} (dictionary alone "
            f"{e['tune']['medkg_all']['F1']}/{e['held_out']['medkg_all']['F1']}); {e['rate_with_embedding']} abstracts/s "
            f"({e['rate_with_embedding_cpu']} per CPU second), {e['windows_linked']} windows embedded")


if __name__ == "__main__":
    main()
