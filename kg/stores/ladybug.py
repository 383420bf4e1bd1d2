"""LadybugDB: the embedded Cypher store.

Selector ``ladybug:PATH`` (the database file). Opened read-only, the engine
itself refuses writes; a writable store runs every query that is not
explicitly a write inside a ``READ ONLY`` transaction, so an update slipped
into a read query fails too. Parameters are bound by the engine.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import QueryError, ReadOnlyError, StoreConnectionError
from kg.model import ENDPOINTS, NODE_LIST_PROPERTIES, NODE_TEXT_PROPERTIES, NodeType, Predicate
from kg.queries import ladybug_ddl as ddl
from kg.stores._values import check_bound, check_params, quoted_parameters, strip_literals
from kg.stores.base import GraphStore, QueryResult, register_store

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

_TX = re.compile(r"\b(BEGIN|COMMIT|ROLLBACK|CHECKPOINT)\b", re.I)
_BATCH = 20_000


def _plain(value: Any) -> Any:
    """LadybugDB result values as plain data (nodes and rels as property dicts)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _refusal(message: str) -> ReadOnlyError:
    return ReadOnlyError(
        f"{message}; updates are refused in read-only mode "
        "(use --write / write=True on a store opened for writing)"
    )


class LadybugStore(GraphStore):
    """A LadybugDB database file."""

    language = "cypher"

    def __init__(self, selector: str, location: str, read_only: bool) -> None:
        super().__init__(selector, read_only)
        import ladybug

        if not location:
            raise StoreConnectionError("ladybug selector needs a path: 'ladybug:PATH'")
        self.path = Path(location)
        if read_only and not self.path.exists():
            raise StoreConnectionError(f"no LadybugDB database at {self.path}")
        try:
            self._db = ladybug.Database(str(self.path), read_only=read_only, max_num_threads=2)
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as e:
            raise StoreConnectionError(f"cannot open LadybugDB at {self.path}: {e}") from e

    def _run(self, text: str, params: dict[str, Any]) -> Any:
        try:
            return self._conn.execute(text, params)
        except RuntimeError as e:
            msg = str(e)
            if "read-only" in msg or "read only" in msg:
                raise _refusal(f"LadybugDB refused a write: {msg}") from e
            raise QueryError(f"Cypher error: {msg}") from e

    def query(
        self, text: str, params: Mapping[str, Any] | None = None, *, write: bool = False
    ) -> QueryResult:
        values = check_params(dict(params or {}))
        check_bound(text, values)
        quoted = quoted_parameters(text)
        if quoted:  # the engine reads '$`id`' as a parameter named '`id`', "not found"
            raise QueryError("LadybugDB does not read the quoted parameter spelling "
                             + ", ".join(f"$`{q}`" for q in quoted) + "; write "
                             + ", ".join(f"${q}" for q in quoted))
        if write and self.read_only:
            raise _refusal(f"LadybugDB {self.path} is open read-only")
        if not write and not self.read_only:
            if _TX.search(strip_literals(text)):
                raise _refusal("transaction control in a read query")
            self._run("BEGIN TRANSACTION READ ONLY", {})
            try:
                res = self._run(text, values)
                out = self._result(res)
            finally:
                try:
                    self._conn.execute("ROLLBACK")
                except RuntimeError:
                    pass  # an engine error already ended the transaction
            return out
        return self._result(self._run(text, values))

    def scan(self, text: str) -> list[list[Any]]:
        """All rows of one read query as the engine returns them (lists of values).

        For bulk reads of plain columns (strings, numbers, lists of them), as
        when a bundle is pushed to another store: on a store opened read-only
        it skips :meth:`query`'s per-value conversion (about a third of the
        time of reading 300k relationships). Graph values (nodes,
        relationships) come back in the engine's own form.
        """
        if not self.read_only:
            return [list(r) for r in self.query(text).rows]
        res = self._run(text, {})
        if isinstance(res, list):
            res = res[-1]
        return list(res.get_all())

    @staticmethod
    def _result(res: Any) -> QueryResult:
        if isinstance(res, list):  # several statements: keep the last result
            res = res[-1]
        cols = res.get_column_names()
        rows = [tuple(_plain(v) for v in row) for row in res.get_all()]
        return QueryResult(cols, rows)

    def load_graph(self, graph: KnowledgeGraph, workdir: str | None = None) -> dict[str, int]:
        """Create the schema and bulk-load nodes (batched UNWIND) and edges (CSV COPY)."""
        if self.read_only:
            raise ReadOnlyError(f"LadybugDB {self.path} is open read-only")
        run = self._conn.execute
        for t in NodeType:
            run(ddl.node_table_ddl(t))
        run(ddl.SOURCE_TABLE_DDL)
        for p in Predicate:
            run(ddl.rel_table_ddl(p))
        stmts: dict[str, list[dict[str, Any]]] = {}
        for (src, rel), n in sorted(graph.statement_counts().items()):
            stmts.setdefault(src, []).append({"relation": rel, "n": n})
        run(
            ddl.CREATE_SOURCES,
            {
                "rows": [
                    {"name": s.name, "version": s.version, "license": s.license,
                     "statements": stmts.get(s.name, [])}
                    for s in graph.sources
                ]
            },
        )
        counts: dict[str, int] = {}
        for t in NodeType:
            rows = [
                {
                    **{p: getattr(n, p) for p in NODE_TEXT_PROPERTIES},
                    **{p: list(getattr(n, p)) for p in NODE_LIST_PROPERTIES},
                }
                for n in graph.nodes.values()
                if n.type is t
            ]
            for i in range(0, len(rows), _BATCH):
                run(ddl.create_node_query(t), {"rows": rows[i : i + _BATCH]})
            counts[t.value] = len(rows)
        types = {i: n.type for i, n in graph.nodes.items()}
        groups: dict[tuple[Predicate, NodeType, NodeType], list[list[Any]]] = {}
        for e in graph.edges:
            key = (e.predicate, types[e.subject], types[e.object])
            groups.setdefault(key, []).append(
                [
                    e.subject,
                    e.object,
                    e.source,
                    e.source_version or "",
                    _one_line(e.evidence),
                    "" if e.frequency is None else repr(e.frequency),
                    _one_line(e.frequency_label),
                    e.onset or "",
                    "true" if e.negated else "false",
                    "" if e.score is None else repr(e.score),
                ]
            )
        with tempfile.TemporaryDirectory(dir=workdir) as d:
            for (p, a, b), rows in groups.items():
                if (a, b) not in ENDPOINTS[p]:
                    raise QueryError(f"{p.value} cannot join {a.value} to {b.value}")
                path = Path(d) / f"{p.value}-{a.value}-{b.value}.csv"
                with path.open("w", newline="", encoding="utf-8") as fh:
                    csv.writer(fh, lineterminator="\n").writerows(rows)
                run(ddl.copy_rel_query(p, a, b, str(path)))
                counts[p.value] = counts.get(p.value, 0) + len(rows)
        return counts

    def close(self) -> None:
        for attr in ("_conn", "_db"):
            obj = getattr(self, attr, None)
            if obj is not None:
                obj.close()
                setattr(self, attr, None)


def _one_line(text: str | None) -> str:
    return "" if not text else text.replace("\r", " ").replace("\n", " ")


@register_store("ladybug", language="cypher", description="LadybugDB embedded graph database (Cypher)")
def _open(selector: str, location: str, read_only: bool, options: Mapping[str, Any]) -> GraphStore:
    return LadybugStore(selector, location, read_only)
