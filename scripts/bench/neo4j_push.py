"""Benchmark: pushing a bundle into Neo4j, and the analyst questions on every engine.

Prints the push throughput (nodes/s, relationships/s, wall time) of
``Neo4jStore.push_bundle`` next to a naive loader (one auto-commit statement
per relationship, measured on ``--naive-sample`` relationships after the nodes
exist and extrapolated), then the median latency of each analyst question on
Neo4j, LadybugDB and Oxigraph.

Without ``--store`` it starts its own server with
``scripts/neo4j/neo4j-server.sh`` on a free port in a temporary folder and
stops it afterwards. With ``--store`` the database there is WIPED first.

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
from pathlib import Path
from typing import Any

from _timing import median_ms

TARGET_RELS_PER_S = 50_000
TARGET_RATIO = 20


@contextmanager
def _server(args: argparse.Namespace) -> Iterator[tuple[str, str, str | None]]:
    if args.store:
        yield args.store, args.user, args.password
        return
    from kg.errors import StoreConnectionError
    from medkg_cli.neo4j_server import running_server

    data = Path(tempfile.mkdtemp(prefix="medkg-bench-neo4j-"))
    password = "medkg-bench-pw"
    try:
        with running_server(data, password) as uri:
            yield uri, "neo4j", password
    except StoreConnectionError as e:
        sys.exit(f"error: could not start Neo4j: {e}")
    finally:
        shutil.rmtree(data, ignore_errors=True)


def _wipe(store: Any) -> None:
    from kg.queries import neo4j_queries as nq

    store.query(nq.WIPE_BATCHED, {"batch": 10_000}, write=True)


def _push(store: Any, kg: Path, batch: int) -> tuple[dict[str, int], float, dict[str, float]]:
    """Push; return the counts, the wall time and the seconds spent per task."""
    started: dict[str, float] = {}
    spent: dict[str, float] = {}

    def progress(task: str, done: int, total: int) -> None:
        now = time.perf_counter()
        started.setdefault(task, now)
        spent[task] = now - started[task]

    t0 = time.perf_counter()
    counts = store.push_bundle(kg, batch_size=batch, progress=progress)
    return counts, time.perf_counter() - t0, spent


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
    ap.add_argument("--naive-sample", type=int, default=5000)
    ap.add_argument("--batch-sizes", default="10000", help="comma-separated batch sizes to try (first is reported)")
    ap.add_argument("--runs", type=int, default=20)
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
    with _server(args) as (uri, user, password):
        store = open_store(uri, read_only=False, user=user, password=password)
        try:
            results = []
            for bs in [int(b) for b in args.batch_sizes.split(",")]:
                _wipe(store)
                counts, secs, spent = _push(store, kg, bs)
                nodes = sum(counts[t.value] for t in NodeType)
                rels = sum(counts[p.value] for p in Predicate)
                node_s = sum(spent.get(t.value, 0.0) for t in NodeType) or 1e-9
                rel_s = sum(spent.get(p.value, 0.0) for p in Predicate) or 1e-9
                results.append((bs, nodes, rels, secs, nodes / node_s, rels / rel_s))
                again = _push(store, kg, bs)[1]
                console.print(
                    f"batch {bs:>6}: {nodes} nodes in {node_s:.1f} s ({nodes / node_s:,.0f}/s), "
                    f"{rels} relationships in {rel_s:.1f} s ({rels / rel_s:,.0f}/s); wall {secs:.1f} s "
                    f"({rels / secs:,.0f} relationships/s end to end); re-push (all MERGE hits) {again:.1f} s"
                )
            bs, nodes, rels, secs, node_rate, rate = results[0]
            n, nsecs = _naive(store, kg, args.naive_sample)
            naive_rate = n / nsecs
            store.push_bundle(kg, batch_size=bs)  # restore the relationships the naive run deleted
            ok_rate = "OK" if rate >= TARGET_RELS_PER_S else "MISSED"
            ok_ratio = "OK" if rate / naive_rate >= TARGET_RATIO else "MISSED"
            console.print(f"push wall time: {secs:.1f} s (batch {bs})")
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
