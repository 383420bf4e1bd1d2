"""Benchmark: pushing a bundle into Neo4j, and the analyst questions on every engine.

Prints the push throughput (nodes/s, relationships/s, wall time) of
``Neo4jStore.push_bundle`` next to a naive loader (one auto-commit statement
per relationship, measured on ``--naive-sample`` relationships after the nodes
exist and extrapolated), then the median latency of each analyst question on
Neo4j, LadybugDB and Oxigraph.

Each batch size is pushed into the wiped database first by a server whose
JVM has not run a push yet ("cold": the JIT compiles Neo4j's write path
during that push; 2-3x the CPU of a warm push), then ``--warm-pushes`` more
times, the last reported as "warm" (the figure checked against the target,
as for any long-running server), then once more onto the loaded graph
(every row already there, all MERGE). For each push it prints where
the time went: wall seconds per phase and CPU seconds of the server process
and of this (client) process, so "server-bound" and "client-bound" are
measured, not guessed.

Without ``--store`` it starts its own server with
``scripts/neo4j/neo4j-server.sh`` on a free port in a temporary folder and
stops it afterwards (the server's CPU is read from /proc). With ``--store``
the database there is WIPED first; pass ``--server-pid`` to get its CPU too.

Endpoints by element id (returned by the node statements), measured against
main's code on the same server JVM the same afternoon (warm push, load main /
branch): 10,350 -> 24,983 relationships/s (5.8 / 3.9), 19,157 -> 26,796
(5.3 / 2.6), quiet: 28,512 -> 31,829 (2.8 / 1.6; 12.9 -> 12.6 s wall), naive
213-679 rel/s (42-89x); server CPU per warm push, interleaved, median 13.4 -> 11.1 s;
HAS_PHENOTYPE alone 22-31 -> 17-22 us of server CPU per relationship. With
NEO4J_HEAP=4g, NEO4J_HEAP_INITIAL=4g, NEO4J_GC_OPTS="-XX:+UseParallelGC
-Xmn2g": 12.5 s, 31,722 relationships/s at load 3.0 (young-GC pauses 0.3-1.8
s per push instead of 2.6-2.8 s).

Measured at load average 1.5-1.9 (``--runs 5 --naive-sample 2000
--warm-pushes 4``): warm 14.1 s wall, 27,489 relationships/s (21,373/s end to
end), 23,428 nodes/s, cold JVM 19.5 s, again 16.6 s, naive 323 rel/s (85x);
before grouping and two writers, at load ~1: 20.6 s, 18,195 rel/s.

Measured (2 cores shared with other jobs, load average 4-5.5; 46,964 nodes,
301,285 relationships, batch 10,000, 2 writers), ``--kg /tmp/neo4j-kg --store
... --runs 5 --naive-sample 2000``: warm 15,000-21,000 relationships/s,
17.6-24.8 s wall, server 11-13 CPU s (21.3 before relationship batches were
grouped by subject), client 4-5 CPU s; again (all MERGE) 13-14 s, server
7.4-9.5 CPU s (20.8 before). Naive loader 240-560 rel/s: 30-54x.

Where the time goes (warm server, HAS_PHENOTYPE's 265k rows, server CPU per
relationship from single-variable runs): per-row batches 37-46 us, grouped by
subject 26-29 us; per-row MATCH of both endpoints alone ~16 us, CREATE
without properties ~28 us (so the properties ~9 us). Client 5-7 us (packing).
A JFR profile of the server shows index seeks, lock bookkeeping, the
transaction state and command sorting at commit, no single hot spot. Tried and
not kept: provenance packed into one string property (within noise),
endpoints by elementId re-checked by ``id`` (eats most of the gain), objects
resolved once per batch by position (within noise), batches of 2,000 and 50,000 (more CPU per
relationship), the earlier list: node look-up by ``id()`` (deprecated),
``db.tx_state.memory_allocation=OFF_HEAP``, C1-only JIT. 50,000
relationships/s needs ~20 us of CPU per relationship for server and client
together per core in use: with two writers on two idle cores it is within
reach (HAS_PHENOTYPE alone: 52,000/s once, at load 2.8), on this shared
machine it is not.

Usage::

    python scripts/bench/neo4j_push.py --kg /tmp/medkg-full/kg
    python scripts/bench/neo4j_push.py --kg KG --store bolt://127.0.0.1:7687 --batch-sizes 5000,20000
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _timing import median_ms

TARGET_RELS_PER_S = 50_000
TARGET_RATIO = 20


@contextmanager
def _server(args: argparse.Namespace) -> Iterator[tuple[str, str, str | None, int | None]]:
    """``(uri, user, password, server pid or None)``."""
    if args.store:
        yield args.store, args.user, args.password, args.server_pid
        return
    from kg.errors import StoreConnectionError
    from medkg_cli.neo4j_server import running_server

    data = Path(tempfile.mkdtemp(prefix="medkg-bench-neo4j-"))
    password = "medkg-bench-pw"
    try:
        with running_server(data, password) as uri:
            yield uri, "neo4j", password, int((data / "neo4j.pid").read_text())
    except StoreConnectionError as e:
        sys.exit(f"error: could not start Neo4j: {e}")
    finally:
        shutil.rmtree(data, ignore_errors=True)


def _wipe(store: Any) -> None:
    from kg.queries import neo4j_queries as nq

    store.query(nq.WIPE_BATCHED, {"batch": 10_000}, write=True)
    for stmt in nq.drop_schema_statements():  # a push into an empty database builds them again
        store.query(stmt, write=True)


def _cpu_seconds(pid: int | None) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` (Linux), or NaN."""
    if pid is None:
        return float("nan")
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class PushRun:
    """One push: counts, wall seconds per phase, CPU seconds of server and client."""

    counts: dict[str, int]
    wall: float
    spent: dict[str, float]
    server_cpu: float
    client_cpu: float

    def phase(self, names: list[str]) -> float:
        return sum(self.spent.get(n, 0.0) for n in names) or 1e-9


def _push(store: Any, kg: Path, batch: int, pid: int | None, writers: int) -> PushRun:
    """Push; return the counts, the wall time, the seconds per task and the CPU used."""
    started: dict[str, float] = {}
    spent: dict[str, float] = {}

    def progress(task: str, done: int, total: int) -> None:
        now = time.perf_counter()
        started.setdefault(task, now)
        spent[task] = now - started[task]

    s0, c0, t0 = _cpu_seconds(pid), time.process_time(), time.perf_counter()
    counts = store.push_bundle(kg, batch_size=batch, progress=progress, writers=writers)
    wall = time.perf_counter() - t0
    return PushRun(counts, wall, spent, _cpu_seconds(pid) - s0, time.process_time() - c0)


def _naive(store: Any, kg: Path, sample: int) -> tuple[int, float]:
    """One auto-commit MERGE per relationship, on the first ``sample`` relationships."""
    from kg.bundle import Bundle
    from kg.model import ENDPOINTS, Predicate
    from kg.queries import neo4j_queries as nq
    from kg.stores import open_store

    rows: list[tuple[str, dict[str, Any]]] = []
    with open_store(Bundle(kg).selector("ladybug")) as lb:
        for p in Predicate:
            for a, b in ENDPOINTS[p]:
                if len(rows) >= sample:
                    break
                page = lb.query(nq.lb_rels_query(p, a, b)).rows[: sample - len(rows)]
                q = nq.create_rel_single_query(p, a, b)
                rows += [(q, dict(zip(nq.REL_COLUMNS, r, strict=True))) for r in page]
    # Delete just these relationships (nodes stay), then re-create them one by one.
    store.query("MATCH ()-[x]->() CALL { WITH x DELETE x } IN TRANSACTIONS OF 10000 ROWS", write=True)
    t0 = time.perf_counter()
    for q, params in rows:
        store.query(q, params, write=True)
    return len(rows), time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    import logging

    from kg.settings import Settings

    # The benchmark's own wipe statements use the pre-5.23 CALL syntax; keep the
    # server's deprecation notices off the console.
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kg", type=Path, default=None, help="a built bundle (default: $MEDKG_KG_DIR)")
    ap.add_argument("--store", default=None, help="neo4j://HOST:PORT (its database is wiped!)")
    ap.add_argument("--user", default=os.environ.get("NEO4J_USER", "neo4j"))
    ap.add_argument("--password", default=os.environ.get("NEO4J_PASSWORD"))
    ap.add_argument("--server-pid", type=int, default=None, help="with --store: the server's pid (for its CPU seconds)")
    ap.add_argument("--naive-sample", type=int, default=5000)
    ap.add_argument("--batch-sizes", default="10000", help="comma-separated batch sizes to try (first is reported)")
    ap.add_argument("--writers", type=int, default=None,
                    help="write transactions in flight at once (default: the store's DEFAULT_WRITERS)")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warm-pushes", type=int, default=3,
                    help="pushes after the cold one (each into a wiped database); the last is reported as warm")
    args = ap.parse_args(argv)
    kg = args.kg or Settings.from_env().kg_dir

    from rich.console import Console
    from rich.table import Table

    from kg.bundle import Bundle
    from kg.model import NodeType, Predicate
    from kg.queries.analyst import QUESTIONS
    from kg.stores import open_store

    console = Console()
    manifest = Bundle(kg).manifest()
    console.print(f"bundle {kg}: {manifest['counts']}")
    with _server(args) as (uri, user, password, pid):
        store = open_store(uri, read_only=False, user=user, password=password)
        try:
            from kg.stores.neo4j import DEFAULT_WRITERS, INDEX_TASK

            writers = args.writers or DEFAULT_WRITERS

            node_tasks = [t.value for t in NodeType]
            rel_tasks = [p.value for p in Predicate]

            def report(label: str, r: PushRun) -> None:
                nodes = sum(r.counts[t] for t in node_tasks)
                rels = sum(r.counts[p] for p in rel_tasks)
                n_s, r_s = r.phase(node_tasks), r.phase(rel_tasks)
                console.print(
                    f"  {label:<5} wall {r.wall:5.1f} s: {nodes} nodes in {n_s:.1f} s ({nodes / n_s:,.0f}/s), "
                    f"{rels} relationships in {r_s:.1f} s ({rels / r_s:,.0f}/s, "
                    f"{rels / r.wall:,.0f}/s end to end), indexes {r.phase([INDEX_TASK]):.1f} s; "
                    f"CPU s: server {r.server_cpu:.1f}, client {r.client_cpu:.1f}; "
                    f"load average {os.getloadavg()[0]:.1f}"
                )

            results = []
            for bs in [int(b) for b in args.batch_sizes.split(",")]:
                console.print(f"batch {bs}, {writers} writers:")
                _wipe(store)
                cold = _push(store, kg, bs, pid, writers)
                report("cold", cold)
                for _ in range(args.warm_pushes):
                    _wipe(store)
                    warm = _push(store, kg, bs, pid, writers)
                report("warm", warm)
                again = _push(store, kg, bs, pid, writers)
                report("again", again)
                console.print("  (again = the same bundle onto the loaded graph: every row MERGEd, nothing changes)")
                results.append((bs, warm))
            bs, warm = results[0]
            nodes = sum(warm.counts[t] for t in node_tasks)
            rels = sum(warm.counts[p] for p in rel_tasks)
            node_rate, rate = nodes / warm.phase(node_tasks), rels / warm.phase(rel_tasks)
            n, nsecs = _naive(store, kg, args.naive_sample)
            naive_rate = n / nsecs
            store.push_bundle(kg, batch_size=bs)  # restore the relationships the naive run deleted
            ok_rate = "OK" if rate >= TARGET_RELS_PER_S else "MISSED"
            ok_ratio = "OK" if rate / naive_rate >= TARGET_RATIO else "MISSED"
            console.print(f"push wall time (warm): {warm.wall:.1f} s (batch {bs}, {writers} writers)")
            console.print(f"nodes/s: {node_rate:,.0f}   relationships/s: {rate:,.0f} "
                          f"(target >= {TARGET_RELS_PER_S:,}: {ok_rate})")
            console.print(f"naive (1 auto-commit statement per relationship, {n} rows): {naive_rate:,.0f} rel/s; "
                          f"extrapolated full push {rels / naive_rate:,.0f} s")
            console.print(f"ratio batched/naive: {rate / naive_rate:,.1f}x (target >= {TARGET_RATIO}x: {ok_ratio})")

            b = Bundle(kg)
            table = Table(title=f"median latency, ms ({args.runs} runs after 2 warm-ups)")
            for col in ("question", "rows", "Neo4j", "LadybugDB", "Oxigraph"):
                table.add_column(col, justify="left" if col == "question" else "right")
            with open_store(b.selector("ladybug")) as lb, open_store(b.selector("oxigraph")) as ox:
                for q in QUESTIONS.values():
                    nrows = len(store.query(q.cypher_for("neo4j"), q.params).rows)
                    t_neo = median_ms(lambda q=q: store.query(q.cypher_for("neo4j"), q.params), args.runs)
                    t_lb = median_ms(lambda q=q: lb.query(q.cypher_for("ladybug"), q.params), args.runs)
                    t_ox = median_ms(lambda q=q: ox.query(q.sparql, q.params), args.runs)
                    table.add_row(q.name, str(nrows), f"{t_neo:.1f}", f"{t_lb:.1f}", f"{t_ox:.1f}")
            console.print(table)
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
