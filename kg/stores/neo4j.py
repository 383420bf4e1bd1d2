"""Neo4j: a Cypher server reached over Bolt.

Selector ``neo4j://HOST:PORT[/DATABASE]`` (also ``neo4j+s://``, ``neo4j+ssc://``,
``bolt://``, ``bolt+s://``, ``bolt+ssc://``); without ``/DATABASE`` the
server's default database is used.

Credentials come from the ``user=`` / ``password=`` options of
:func:`kg.stores.open_store`; when they are not given, the factory reads the
environment variables ``NEO4J_USER`` (default ``neo4j``) and
``NEO4J_PASSWORD`` at the time the store is opened (never at import). The
password is never part of an error message or of the store's ``repr``.

Reads run in sessions opened with ``READ_ACCESS``, so the server itself
refuses an update slipped into a read query (mapped to
:class:`~kg.errors.ReadOnlyError`). Parameters are bound by the server.

Pushing (:meth:`Neo4jStore.load_graph`, :meth:`Neo4jStore.push_bundle`) is
idempotent: nodes are keyed by ``(label, id)`` and relationships by
``(subject, type, object, source, negated)``, written in batched ``UNWIND``
transactions (``session.execute_write``, retried by the driver on transient
errors). What is already there is MERGEd; what cannot be there yet is
CREATEd, which costs the server a good deal less:

* the nodes of a label that has no node when the push begins;
* the relationships of a source that has no relationship of that type and
  endpoint pair yet (a bundle holds each statement key once; a repeat would
  go through MERGE).

A push killed midway and run again therefore MERGEs exactly the labels and
sources it had begun to write, and a batch the driver retries (its commit may
have gone through) is MERGEd too. Two pushes of the same source into one
database at the same time are not supported. The uniqueness constraints are
created first; the name and full-text indexes, which no write needs, after
the data (one bulk build instead of an update per node).

The node statements return each node's element id, and the relationship
statements find their endpoints by it (``NodeByElementIdSeek``, the label
still checked) instead of two seeks of the uniqueness index: about a quarter
less server CPU per relationship. A retried batch MERGEs by the same element
ids. (Element ids stay valid while their node exists; a node of the push
deleted and another created with its id while the push runs, by some other
client, is the one case where this could go wrong, and deleting the graph
under a running push is not supported anyway.)

Relationship batches are grouped by subject (one subject look-up per group),
and ``writers`` batches (default :data:`DEFAULT_WRITERS`) are written at once,
each in its own session; a batch that must follow others (a repeated
statement key, the next table) waits for them.

Pushing a second bundle adds its sources next to the first;
:meth:`Neo4jStore.drop_source` removes one source's contribution again.

The ``neo4j`` driver is optional (``pip install 'medkg[neo4j]'``) and is
imported only when a store is opened.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from kg.errors import QueryError, ReadOnlyError, StoreConnectionError, StoreError
from kg.model import EDGE_PROPERTIES, ENDPOINTS, NODE_LIST_PROPERTIES, NODE_TEXT_PROPERTIES, NodeType, Predicate
from kg.queries import neo4j_queries as nq
from kg.stores._values import check_bound, check_params
from kg.stores.base import GraphStore, QueryResult, register_store

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

DEFAULT_BATCH = 10_000
"""Rows per write transaction when pushing."""

DEFAULT_WRITERS = 2
"""Write transactions of a push in flight at once (each on its own session).

Two keep both cores of a small machine busy (the server's commit of one batch
overlaps the execution of the next); a larger server takes more."""

CONNECT_TIMEOUT = 5.0
"""Seconds to wait for a connection (a server that is not running fails fast)."""

Progress = Callable[[str, int, int], None]
"""``progress(task, done, total)``: called with ``done=0`` when a task starts
(``task`` is a node label such as ``Disease``, ``Source``, or a relationship type
such as ``HAS_PHENOTYPE``) and after every committed batch."""

_INSTALL_HINT = "pip install 'medkg[neo4j]'"


@contextmanager
def driver_log_at(level: int, logger: str = "neo4j") -> Iterator[None]:
    """Only records of ``level`` and above from the Neo4j driver's log ``logger`` while inside
    (medkg reports the failure itself, or the notice is about its own query).

    Example:
        >>> with driver_log_at(logging.CRITICAL):
        ...     logging.getLogger("neo4j").level
        50
    """
    log = logging.getLogger(logger)
    before = log.level
    log.setLevel(level)
    try:
        yield
    finally:
        log.setLevel(before)


def _driver_module() -> Any:
    try:
        import neo4j
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"the Neo4j store needs the neo4j Python driver: {_INSTALL_HINT}"
        ) from e
    return neo4j


def split_selector(selector: str) -> tuple[str, str | None, str | None]:
    """``(driver URI, database or None, user from the URL or None)``.

    The path of the selector names the database; user info in the URL is
    taken out of the URI (a password there is ignored — pass it as an option).

    Example:
        >>> split_selector("neo4j://127.0.0.1:7687/medkg")
        ('neo4j://127.0.0.1:7687', 'medkg', None)
        >>> split_selector("bolt://alice@db.example:7687")
        ('bolt://db.example:7687', None, 'alice')
    """
    parts = urlsplit(selector)
    if not parts.hostname:
        raise StoreConnectionError(
            f"bad Neo4j selector {public_uri(selector)!r}: expected e.g. neo4j://HOST:PORT[/DATABASE]"
        )
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    try:
        port = parts.port
    except ValueError:
        raise StoreConnectionError(f"bad port in Neo4j selector {public_uri(selector)!r}") from None
    netloc = host if port is None else f"{host}:{port}"
    db = parts.path.strip("/") or None
    if db is not None and "/" in db:
        raise StoreConnectionError(
            f"bad Neo4j selector {public_uri(selector)!r}: the path must be one database name"
        )
    uri = urlunsplit((parts.scheme, netloc, "", parts.query, ""))
    return uri, db, parts.username or None


def public_uri(selector: str) -> str:
    """The selector without any password (safe for messages and logs).

    Example:
        >>> public_uri("neo4j://bob:secret@h:7687/db")
        'neo4j://bob@h:7687/db'
    """
    parts = urlsplit(selector)
    if parts.password is None:
        return selector
    netloc = parts.netloc.rsplit("@", 1)[1]
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


_SCALARS = frozenset({str, bool, int, float, type(None)})


def _plain(value: Any) -> Any:
    """Driver values as plain data: nodes and relationships as property dicts,
    paths as lists of them, temporal and spatial values as strings.

    Lists of plain values (the packed rows of :data:`kg.queries.graph_reads.NEO4J_PACKED`, a
    list of 254,000 lists on the full graph) are copied without a call per value.
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list:
        return [v if type(v) in _SCALARS else _plain(v) for v in value]
    import neo4j.graph as ng

    if isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, ng.Node | ng.Relationship):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, ng.Path):
        out: list[Any] = [_plain(value.start_node)]
        for rel in value.relationships:
            out.extend((_plain(rel), _plain(rel.end_node)))
        return out
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    return str(value)  # neo4j.time.*, neo4j.spatial.*


def _refusal(message: str) -> ReadOnlyError:
    return ReadOnlyError(
        f"{message}; updates are refused in read-only mode "
        "(use --write / write=True on a store opened for writing)"
    )


Row = tuple[Any, ...]
"""One node (:data:`~kg.queries.neo4j_queries.NODE_COLUMNS`) or relationship
(:data:`~kg.queries.neo4j_queries.REL_COLUMNS`) in column order."""


Reader = Callable[[], list[Row]]
"""Reads one table of rows (run in a background thread while the previous table is written)."""

RelGroup = tuple[NodeType, NodeType, int, Reader]
"""One relationship table of a push: endpoint labels, row count, reader."""

INDEX_TASK = "indexes"
"""The progress task of the search indexes created at the end of a push."""

_SOURCE = nq.REL_COLUMNS.index("source")
_NEGATED = nq.REL_COLUMNS.index("negated")


def _prefetched(readers: list[Reader]) -> Iterator[list[Row]]:
    """The readers' tables in order, each read in a background thread while
    the caller works on the one before (reading the bundle overlaps writing)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="medkg-push-read") as pool:
        ahead = [pool.submit(r) for r in readers[:1]]
        for i in range(len(readers)):
            table = ahead.pop().result()
            if i + 1 < len(readers):
                ahead.append(pool.submit(readers[i + 1]))
            yield table


class _Rows(list):  # type: ignore[type-arg]
    """A batch parameter with a short ``repr``.

    The driver (5.28) formats ``repr(parameters)`` for a debug log line on
    every RUN, even with debug logging off: ~40 ms of client CPU for a
    10,000-row batch, ~1 s per full push. The packer sends it as a plain list.

    Example:
        >>> _Rows([1, 2, 3])
        <3 rows>
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


def _columns(batch: list[Row], names: tuple[str, ...]) -> dict[str, list[Any]]:
    """A batch of rows as ``{column: [values]}`` (what the push queries take as ``$c``)."""
    return {n: _Rows(col) for n, col in zip(names, zip(*batch, strict=True), strict=True)}


def _groups(batch: list[Row], handles: tuple[Mapping[str, str], Mapping[str, str]]) -> list[list[Any]]:
    """A batch of relationship rows (:data:`~kg.queries.neo4j_queries.REL_COLUMNS`)
    as ``$g``: ``[subject, [row, ...]]`` for each run of rows with the same
    subject, each row in :data:`~kg.queries.neo4j_queries.REL_GROUP_ROW` order,
    the subject and object ids replaced by their element ids in ``handles``
    (the subjects', the objects').

    Element ids are valid for as long as their node exists, and the node
    statements of the same push returned these; the relationship statements
    still check the endpoint's label.

    Example:
        >>> rows = [("A", "x", *range(8)), ("A", "y", *range(8)), ("B", "x", *range(8))]
        >>> handles = ({"A": "4:db:1", "B": "4:db:2"}, {"x": "4:db:7", "y": "4:db:8"})
        >>> [(s, [r[0] for r in g]) for s, g in _groups(rows, handles)]
        [('4:db:1', ['4:db:7', '4:db:8']), ('4:db:2', ['4:db:7'])]

    Raises:
        StoreError: an endpoint that is not a node of the push (impossible for a
            bundle or an assembled graph).
    """
    subjects, objects = handles
    out: list[list[Any]] = _Rows()
    subject: Any = object()
    group: list[Any] = []
    try:
        for row in batch:
            if row[0] != subject:
                subject, group = row[0], []
                out.append([subjects[subject], group])
            group.append((objects[row[1]], *row[2:]))
    except KeyError as e:
        raise StoreError(f"relationship endpoint {e.args[0]!r} is not among the nodes of this push") from None
    return out


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for r in rows:
        batch.append(r)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Tally:
    """Rows committed so far, reported through ``say`` after each committed batch."""

    def __init__(self, done: int, say: Callable[[int], None]) -> None:
        self.done = done
        self._say = say

    def add(self, n: int) -> None:
        self.done += n
        self._say(self.done)

    def batch(self, n: int) -> Callable[[Any], None]:
        """A ``then`` for :meth:`_Writes.submit`: counts ``n`` rows once the batch has committed."""
        return lambda _result: self.add(n)


def _source_rows(
    sources: Iterable[Sequence[Any]], counts: Iterable[Sequence[Any]]
) -> list[dict[str, Any]]:
    """The ``Source`` rows of a push from ``(name, version, license)`` and
    ``(source, relation, statements)`` rows: each with its statement counts per relation."""
    stated: dict[str, dict[str, int]] = {}
    for source, relation, n in counts:
        stated.setdefault(source, {})[relation] = int(n)
    return [{"name": n, "version": v, "license": lic, "statements": stated.get(n, {})} for n, v, lic in sources]


class _Writes:
    """The write transactions of one push, up to ``writers`` in flight at once.

    :meth:`submit` hands a batch to a pool of ``writers`` threads (each
    ``_write`` opens its own session), first waiting until at most
    ``writers`` are pending, so one packed batch waits while ``writers`` are
    written; ``then(result)`` runs in the caller's thread when the batch has
    committed, in submission order, with what the write returned. :meth:`drain` waits for all of them; an
    error of any batch is raised there (or by the next :meth:`submit`), and
    :meth:`close` cancels what has not started. With ``writers=1`` every
    batch is written before :meth:`submit` returns.

    Concurrent batches never conflict on correctness: Neo4j locks the nodes a
    relationship touches (at commit, in a fixed order, so two batches wait
    for each other rather than deadlock; a deadlock that still occurs is a
    transient error the driver retries, with the MERGE ``retry_text``). The
    push keeps batches that must be ordered apart with :meth:`drain`.
    """

    def __init__(self, write: Callable[[str, dict[str, Any], str | None], Any], writers: int) -> None:
        from collections import deque
        from concurrent.futures import Future, ThreadPoolExecutor

        self._write = write
        self._writers = writers
        self._pool = (
            ThreadPoolExecutor(max_workers=writers, thread_name_prefix="medkg-push-write") if writers > 1 else None
        )
        self._pending: deque[tuple[Future[Any], Callable[[Any], None]]] = deque()

    def submit(self, query: str, params: dict[str, Any], retry_text: str, then: Callable[[Any], None]) -> None:
        if self._pool is None:
            then(self._write(query, params, retry_text))
            return
        while len(self._pending) > self._writers:
            self._finish_one()
        self._pending.append((self._pool.submit(self._write, query, params, retry_text), then))

    def drain(self) -> None:
        while self._pending:
            self._finish_one()

    def _finish_one(self) -> None:
        future, then = self._pending.popleft()
        then(future.result())

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


class Neo4jStore(GraphStore):
    """A database on a Neo4j 5 server.

    Attributes:
        uri: the driver URI (no database, no credentials).
        database: the database name, or ``None`` for the server's default.
        user: the user name.
    """

    language = "cypher"

    def __init__(
        self,
        selector: str,
        *,
        user: str,
        password: str | None,
        read_only: bool,
        connect_timeout: float = CONNECT_TIMEOUT,
    ) -> None:
        super().__init__(public_uri(selector), read_only)
        neo4j = _driver_module()
        from neo4j import exceptions as nx

        self.uri, self.database, url_user = split_selector(selector)
        self.user = url_user or user
        auth = (self.user, password) if password is not None else None
        where = public_uri(selector)
        try:
            self._driver = neo4j.GraphDatabase.driver(
                self.uri,
                auth=auth,
                connection_timeout=connect_timeout,
                connection_acquisition_timeout=connect_timeout,
                user_agent="medkg",
            )
        except (nx.ConfigurationError, ValueError) as e:
            raise StoreConnectionError(f"bad Neo4j selector {where!r}: {e}") from None
        try:
            with driver_log_at(logging.CRITICAL):  # the failure is raised below; the driver's log line would repeat it
                self._driver.verify_connectivity()
                # Also checks the database exists and is online.
                with self._session(internal=True) as s:
                    s.run("RETURN 1").consume()
        except nx.AuthError:
            self._driver.close()
            hint = "" if password is not None else " (no password given: set NEO4J_PASSWORD, or password= in Python)"
            raise StoreConnectionError(
                f"Neo4j at {where}: authentication failed for user {self.user!r}{hint}"
            ) from None
        except (nx.ServiceUnavailable, nx.SessionExpired, OSError, ValueError) as e:  # ValueError: unresolvable host
            self._driver.close()
            raise StoreConnectionError(
                f"cannot reach Neo4j at {where} (is the server running?): {e}"
            ) from None
        except nx.Neo4jError as e:
            self._driver.close()
            raise StoreConnectionError(f"Neo4j at {where}: {e.message or e}") from None
        except nx.DriverError as e:
            self._driver.close()
            raise StoreConnectionError(f"cannot connect to Neo4j at {where}: {e}") from None

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "writable"
        return f"Neo4jStore({self.selector!r}, user={self.user!r}, {mode})"

    # -- sessions and errors -------------------------------------------------

    def _session(self, *, write: bool = True, internal: bool = False) -> Any:
        import neo4j

        cfg: dict[str, Any] = {
            "database": self.database,
            "default_access_mode": neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS,
        }
        if internal:
            # medkg's own statements: no deprecation/performance chatter on stderr.
            cfg["notifications_min_severity"] = "OFF"
        return self._driver.session(**cfg)

    def _error(self, e: Exception) -> StoreError:
        """A driver exception as a medkg error (never naming the password)."""
        from neo4j import exceptions as nx

        if isinstance(e, nx.Neo4jError):
            code = e.code or ""
            if code.startswith("Neo.ClientError.Statement.AccessMode") or "read access mode" in (
                e.message or ""
            ):
                return _refusal(f"Neo4j refused a write in a read transaction: {e.message}")
            if code.startswith("Neo.ClientError.Security"):
                return StoreConnectionError(f"Neo4j at {self.selector}: {e.message}")
            if code.startswith("Neo.ClientError.Database.DatabaseNotFound"):
                return StoreConnectionError(f"Neo4j at {self.selector}: {e.message}")
            return QueryError(f"Cypher error ({code}): {e.message}")
        if isinstance(e, nx.ServiceUnavailable | nx.SessionExpired):
            return StoreConnectionError(f"lost the connection to Neo4j at {self.selector}: {e}")
        return StoreError(f"Neo4j at {self.selector}: {e}")

    # -- queries ---------------------------------------------------------------

    def query(
        self, text: str, params: Mapping[str, Any] | None = None, *, write: bool = False
    ) -> QueryResult:
        """Run one Cypher statement (an auto-commit transaction) with bound parameters."""
        from neo4j import Query
        from neo4j import exceptions as nx

        values = check_params(dict(params or {}))
        check_bound(text, values)
        if write and self.read_only:
            raise _refusal(f"Neo4j store {self.selector} is open read-only")
        try:
            with self._session(write=write) as s:
                res = s.run(Query(text), values)
                records = list(res)
                cols = list(res.keys())
        except (nx.Neo4jError, nx.DriverError) as e:
            raise self._error(e) from None
        return QueryResult(cols, [tuple(_plain(v) for v in r.values()) for r in records])

    def _write(self, text: str, params: dict[str, Any], retry_text: str | None = None) -> Any:
        """One statement in an explicit write transaction (retried on transient
        errors); returns the summary counters.

        ``retry_text``: the statement to run instead when the driver retries
        (an idempotent MERGE in place of a CREATE: a retry may follow a commit
        whose acknowledgement was lost).
        """
        return self._write_records(text, params, retry_text)[1]

    def _write_records(
        self, text: str, params: dict[str, Any], retry_text: str | None = None
    ) -> tuple[list[list[Any]], Any]:
        """:meth:`_write`, returning ``(records as value lists, counters)``
        (the records of the attempt that committed)."""
        from neo4j import exceptions as nx

        attempts = 0

        def work(tx: Any) -> tuple[list[list[Any]], Any]:
            nonlocal attempts
            attempts += 1
            query = text if attempts == 1 or retry_text is None else retry_text
            result = tx.run(query, params)
            records = [r.values() for r in result]
            return records, result.consume().counters

        try:
            with self._session(internal=True) as s:
                return s.execute_write(work)
        except (nx.Neo4jError, nx.DriverError) as e:
            raise self._error(e) from None

    def _autocommit(self, text: str, params: dict[str, Any]) -> Any:
        """One statement in an auto-commit transaction (for ``CALL ... IN TRANSACTIONS``)."""
        from neo4j import Query
        from neo4j import exceptions as nx

        try:
            with self._session(internal=True) as s:
                return s.run(Query(text), params).consume().counters
        except (nx.Neo4jError, nx.DriverError) as e:
            raise self._error(e) from None

    def _read_value(self, text: str, params: dict[str, Any] | None = None) -> Any:
        from neo4j import exceptions as nx

        try:
            with self._session(write=False, internal=True) as s:
                rec = s.run(text, params or {}).single()
        except (nx.Neo4jError, nx.DriverError) as e:
            raise self._error(e) from None
        return None if rec is None else rec[0]

    def _check_writable(self) -> None:
        if self.read_only:
            raise _refusal(f"Neo4j store {self.selector} is open read-only")

    # -- schema and counts -----------------------------------------------------

    def ensure_schema(self, wait_seconds: int = 300) -> None:
        """Create the constraints and indexes (``IF NOT EXISTS``) and wait until online."""
        self._create_schema(nq.schema_statements(), wait_seconds)

    def _create_schema(self, statements: list[str], wait_seconds: int = 300) -> None:
        self._check_writable()
        for stmt in statements:
            self._autocommit(stmt, {})
        self._autocommit(nq.AWAIT_INDEXES, {"seconds": wait_seconds})

    def counts(self) -> dict[str, int]:
        """Nodes per label, ``Source`` nodes and relationships per type."""
        out = {t.value: int(self._read_value(nq.count_nodes_query(t))) for t in NodeType}
        out["Source"] = int(self._read_value(nq.COUNT_SOURCES))
        out.update({p.value: int(self._read_value(nq.count_rels_query(p))) for p in Predicate})
        return out

    # -- pushing ---------------------------------------------------------------

    def _push(
        self,
        sources: list[dict[str, Any]],
        nodes: Mapping[NodeType, tuple[int, Reader]],
        rels: Mapping[Predicate, list[RelGroup]],
        batch_size: int,
        progress: Progress | None,
        writers: int = DEFAULT_WRITERS,
    ) -> dict[str, int]:
        """Write sources, nodes and relationships, each source's statement
        counts (on its ``Source`` node), then the search indexes.

        Rows are read through the ``Reader`` thunks, the next table in a
        background thread while the current one is written. A label with no
        nodes yet is written with CREATE, and so are the relationships of a
        source that has none of that type and endpoint pair yet; everything
        else (a re-push, a push resumed after a kill, a second bundle that
        shares nodes) is MERGEd. See the module docstring.
        """
        self._check_writable()
        if batch_size < 1:
            raise StoreError(f"batch size must be at least 1, got {batch_size}")
        if writers < 1:
            raise StoreError(f"the number of writers must be at least 1, got {writers}")
        say: Progress = progress or (lambda _t, _d, _n: None)
        self._create_schema(nq.constraint_statements())
        counts: dict[str, int] = {}
        say("Source", 0, len(sources))
        existed = set(self._read_value(nq.EXISTING_SOURCES, {"names": [s["name"] for s in sources]}))
        if sources:
            self._write(nq.MERGE_SOURCES, {"rows": sources})
        say("Source", len(sources), len(sources))
        counts["Source"] = len(sources)
        readers: list[Reader] = [read for _total, read in nodes.values()]
        readers += [g[3] for groups in rels.values() for g in groups]
        # closing(): an error stops the background reader before the bundle closes.
        handles: dict[NodeType, dict[str, str]] = {t: {} for t in NodeType}
        with closing(_prefetched(readers)) as tables, closing(_Writes(self._write_records, writers)) as out:
            for t, (total, _read) in nodes.items():
                say(t.value, 0, total)
                counts[t.value] = self._push_nodes(
                    out, t, next(tables), batch_size, handles[t], lambda d, t=t, n=total: say(t.value, d, n)
                )
            for p, groups in rels.items():
                total, done = sum(g[2] for g in groups), 0
                say(p.value, 0, total)
                for a, b, _n, _read in groups:
                    done = self._push_rels(
                        out, p, (a, b), (handles[a], handles[b]), next(tables), batch_size, done,
                        lambda d, p=p, n=total: say(p.value, d, n),
                    )
                counts[p.value] = done
        if sources:
            self._write(
                nq.SET_SOURCE_STATEMENTS,
                {"rows": [self._source_statements(s, recount=s["name"] in existed) for s in sources]},
            )
        statements = nq.index_statements()
        say(INDEX_TASK, 0, len(statements))
        self._create_schema(statements)
        say(INDEX_TASK, len(statements), len(statements))
        return counts

    def _source_statements(self, source: dict[str, Any], *, recount: bool) -> dict[str, Any]:
        """``{name, relations, counts}`` for :data:`~kg.queries.neo4j_queries.SET_SOURCE_STATEMENTS`.

        The pushed graph's counts (``source["statements"]``) when the source
        is new to the database; counted in the database when it was there
        before the push (a resumed push, or another bundle of the same
        source: what is stored is the union of both).
        """
        stated: Mapping[str, int] = source["statements"]
        if recount:
            rows = self.query(nq.COUNT_SOURCE_STATEMENTS, {"name": source["name"]}).rows
            stated = {Predicate(t).rdf_name: int(n) for t, n in rows}
        relations = sorted(stated)
        return {"name": source["name"], "relations": relations, "counts": [stated[r] for r in relations]}

    def _push_nodes(
        self,
        out: _Writes,
        t: NodeType,
        rows: list[Row],
        batch_size: int,
        handles: dict[str, str],
        say: Callable[[int], None],
    ) -> int:
        """Write one node table; returns its row count. ``handles`` gets each
        node's element id by ``id`` (for :meth:`_push_rels`)."""
        merge = nq.merge_nodes_query(t)
        empty = not int(self._read_value(nq.count_nodes_query(t)))
        query = nq.create_nodes_query(t) if empty else merge
        tally = _Tally(0, say)

        def then(n: int, result: tuple[list[list[Any]], Any]) -> None:
            handles.update(result[0][0][0])
            tally.add(n)

        for batch in _batches(rows, batch_size):
            out.submit(query, {"c": _columns(batch, nq.NODE_COLUMNS)}, merge, partial(then, len(batch)))
        out.drain()
        return tally.done

    def _push_rels(
        self,
        out: _Writes,
        p: Predicate,
        ab: tuple[NodeType, NodeType],
        handles: tuple[Mapping[str, str], Mapping[str, str]],
        rows: list[Row],
        batch_size: int,
        done: int,
        say: Callable[[int], None],
    ) -> int:
        """Write one relationship table; returns ``done`` plus its rows.

        Rows of a source that already has ``p`` relationships from ``a`` to
        ``b`` are MERGEd; the others are CREATEd, except a row whose statement
        key repeats one already sent (impossible in a built bundle), which is
        MERGEd once the table's other batches have committed. Rows are sorted
        by subject and sent in subject groups (:func:`_groups`), their
        endpoints as element ids (``handles``: those of the ``a`` and ``b``
        nodes written by this push, by ``id``).
        """
        a, b = ab
        create, merge = nq.create_rels_query(p, a, b), nq.merge_rels_query(p, a, b)
        rows = sorted(rows, key=lambda r: r[0])  # one group per subject (see _groups)
        present = {
            source: bool(self._read_value(nq.source_has_rels_query(p, a, b), {"source": source}))
            for source in dict.fromkeys(r[_SOURCE] for r in rows)
        }
        seen: set[int] = set()
        fresh: list[Row] = []
        known: list[Row] = []
        repeats: list[Row] = []
        tally = _Tally(done, say)

        def flush(batch: list[Row], query: str) -> None:
            out.submit(query, {"g": _groups(batch, handles)}, merge, tally.batch(len(batch)))
            batch.clear()

        for row in rows:
            source = row[_SOURCE]
            if present[source]:
                known.append(row)
                if len(known) >= batch_size:
                    flush(known, merge)
                continue
            key = hash((row[0], row[1], source, row[_NEGATED]))
            if key in seen:  # (or a hash collision: MERGE is right either way)
                repeats.append(row)
                continue
            seen.add(key)
            fresh.append(row)
            if len(fresh) >= batch_size:
                flush(fresh, create)
        for batch, query in ((fresh, create), (known, merge)):
            if batch:
                flush(batch, query)
        out.drain()  # a repeat is MERGEd only after the CREATE of its first occurrence
        for batch in _batches(repeats, batch_size):
            flush(batch, merge)
        out.drain()
        return tally.done

    def load_graph(
        self,
        graph: KnowledgeGraph,
        workdir: str | None = None,
        *,
        batch_size: int = DEFAULT_BATCH,
        progress: Progress | None = None,
        writers: int = DEFAULT_WRITERS,
    ) -> dict[str, int]:
        """Push an assembled graph (idempotent MERGE; see the module docstring).

        ``writers``: write transactions in flight at once (see :data:`DEFAULT_WRITERS`).

        Returns:
            rows pushed per node label, ``Source`` and relationship type.
        """
        sources = _source_rows(
            ((s.name, s.version, s.license) for s in graph.sources),
            ((source, relation, n) for (source, relation), n in graph.statement_counts().items()),
        )
        by_type: dict[NodeType, list[Row]] = {t: [] for t in NodeType}
        for n in graph.nodes.values():
            by_type[n.type].append(
                (*(getattr(n, p) for p in NODE_TEXT_PROPERTIES), *(list(getattr(n, p)) for p in NODE_LIST_PROPERTIES))
            )
        types = {i: n.type for i, n in graph.nodes.items()}
        tables: dict[tuple[Predicate, NodeType, NodeType], list[Row]] = {
            (p, a, b): [] for p in Predicate for a, b in ENDPOINTS[p]
        }
        for e in graph.edges:
            a, b = types[e.subject], types[e.object]
            if (a, b) not in ENDPOINTS[e.predicate]:
                raise QueryError(f"{e.predicate.value} cannot join {a.value} to {b.value}")
            row = (e.subject, e.object, *(getattr(e, k) for k in EDGE_PROPERTIES))
            tables[(e.predicate, a, b)].append(row)
        return self._push(
            sources,
            {t: (len(r), _given(r)) for t, r in by_type.items()},
            {
                p: [(a, b, len(tables[(p, a, b)]), _given(tables[(p, a, b)])) for a, b in ENDPOINTS[p]]
                for p in Predicate
            },
            batch_size,
            progress,
            writers,
        )

    def push_bundle(
        self,
        bundle_dir: str | Path,
        batch_size: int = DEFAULT_BATCH,
        progress: Progress | None = None,
        writers: int = DEFAULT_WRITERS,
    ) -> dict[str, int]:
        """Push a built bundle, read back from its LadybugDB database.

        ``writers``: write transactions in flight at once (see :data:`DEFAULT_WRITERS`).

        Each node table and relationship table is read in one scan (paging by
        internal offsets re-scanned the whole table for every page: 12 s of
        the 301k-relationship push went there).

        Idempotent: pushing the same bundle again changes nothing; pushing a
        bundle of other sources adds them without reloading what is there.

        Raises:
            BundleError: ``bundle_dir`` is not a bundle.
            ReadOnlyError: the store is open read-only.
        """
        from kg.bundle import Bundle
        from kg.stores.base import open_store

        self._check_writable()
        bundle = Bundle(bundle_dir)
        bundle.manifest()  # raises BundleError when there is no bundle
        with open_store(bundle.selector("ladybug"), read_only=True) as lb:
            scan = lb.scan  # type: ignore[attr-defined]
            sources = _source_rows(lb.query(nq.LB_SOURCES).rows, lb.query(nq.LB_SOURCE_STATEMENTS).rows)
            nodes: dict[NodeType, tuple[int, Reader]] = {
                t: (
                    int(lb.query(nq.lb_node_count_query(t)).rows[0][0]),
                    partial(scan, nq.lb_nodes_query(t)),
                )
                for t in NodeType
            }
            rels: dict[Predicate, list[RelGroup]] = {
                p: [
                    (
                        a,
                        b,
                        int(lb.query(nq.lb_rel_count_query(p, a, b)).rows[0][0]),
                        partial(scan, nq.lb_rels_query(p, a, b)),
                    )
                    for a, b in ENDPOINTS[p]
                ]
                for p in Predicate
            }
            return self._push(sources, nodes, rels, batch_size, progress, writers)

    # -- node vectors ------------------------------------------------------------

    def push_vectors(
        self,
        vectors: Mapping[NodeType, tuple[list[str], Any]],
        *,
        dimension: int,
        model: str,
        batch_size: int = 2_000,
        progress: Progress | None = None,
    ) -> dict[str, int]:
        """Store node vectors as the ``embedding`` property, with a cosine vector index per label.

        Everything is checked before anything is written: every id must be a
        node of its label in the database (push the graph first), an existing
        vector index must have the same dimension and cosine similarity, and
        nodes that already hold vectors must hold them from the same model.
        Re-pushing the same vectors changes nothing.

        Args:
            vectors: per node label, ``(ids, rows)``: node ids and their vectors
                (a float32 array or lists of floats, ``dimension`` long).
            dimension: the vector length.
            model: the model tag stored in ``embedding_model`` (``SELECTOR#FINGERPRINT``).
            batch_size: nodes per write transaction.
            progress: ``progress(task, done, total)`` per label (task ``Disease vectors`` ...).

        Returns:
            vectors written per node label.

        Raises:
            StoreError: a node missing, or an index or stored vectors that do not match.
            ReadOnlyError: the store is open read-only.
        """
        self._check_writable()
        if batch_size < 1:
            raise StoreError(f"batch size must be at least 1, got {batch_size}")
        say: Progress = progress or (lambda _t, _d, _n: None)
        self.check_vectors(vectors, dimension=dimension, model=model)
        out: dict[str, int] = {}
        for t, (ids, rows) in vectors.items():
            task = f"{t.value} vectors"
            say(task, 0, len(ids))
            done = 0
            for start in range(0, len(ids), batch_size):
                part = rows[start:start + batch_size]
                params = {"ids": list(ids[start:start + batch_size]), "model": model,
                          "vectors": part.tolist() if hasattr(part, "tolist") else [list(r) for r in part]}
                self._write(nq.set_vectors_query(t), params)
                done += len(params["ids"])
                say(task, done, len(ids))
            out[t.value] = done
        for t in vectors:
            self._autocommit(nq.vector_index_statement(t), {"dimension": dimension})
        self._autocommit(nq.AWAIT_INDEXES, {"seconds": 300})
        return out

    def check_vectors(
        self,
        vectors: Mapping[NodeType, tuple[list[str], Any]],
        *,
        dimension: int,
        model: str,
        require_nodes: bool = True,
    ) -> None:
        """Refuse vectors the database cannot take as they are (see :meth:`push_vectors`).

        Args:
            require_nodes: also require every node to be there (False before
                the graph itself is pushed).

        Raises:
            StoreError: what does not match, and how to clear it.
        """
        for t, (ids, rows) in vectors.items():
            if len(ids) != len(rows) or any(len(r) != dimension for r in rows):
                raise StoreError(f"{t.value}: {len(ids)} ids for {len(rows)} vectors of dimension {dimension}")
            self._check_vector_target(t, ids, dimension, model, require_nodes)

    def _check_vector_target(self, t: NodeType, ids: list[str], dimension: int, model: str,
                             require_nodes: bool) -> None:
        name = nq.vector_index_name(t)
        found = self.query(nq.VECTOR_INDEX_CONFIG, {"name": name}).rows
        if found:
            labels, props, config = found[0]
            dims = (config or {}).get("vector.dimensions")
            sim = str((config or {}).get("vector.similarity_function", "")).lower()
            if labels != [t.value] or props != [nq.VECTOR_PROPERTY] or dims != dimension or sim != "cosine":
                raise StoreError(
                    f"Neo4j at {self.selector} already has a vector index {name} on {labels} {props} with "
                    f"{dims} dimensions and {sim or 'unknown'} similarity; these vectors have {dimension} "
                    f"dimensions (cosine). Drop it first: DROP INDEX {name}"
                )
        other = [m for (m,) in self.query(nq.vector_models_query(t), {"limit": 5}).rows if m != model]
        if other:
            raise StoreError(
                f"{t.value} nodes in Neo4j at {self.selector} hold vectors of another model ({', '.join(other)}); "
                f"these are from {model}. Remove them first: MATCH (n:{t.value}) REMOVE "
                f"n.{nq.VECTOR_PROPERTY}, n.{nq.VECTOR_MODEL_PROPERTY} (and DROP INDEX {name})"
            )
        if not require_nodes:
            return
        missing, example = self.query(nq.missing_nodes_query(t), {"ids": list(ids)}).rows[0]
        if missing:
            raise StoreError(
                f"{missing} of the {len(ids)} {t.value} nodes with vectors are not in Neo4j at {self.selector} "
                f"(e.g. {example}); push the graph first (medkg push without --only-vectors)"
            )

    def nearest(self, t: NodeType, vector: Any, k: int = 10) -> list[tuple[str, str | None, float]]:
        """The ``k`` ``t`` nodes whose ``embedding`` is nearest ``vector``: ``(id, label, score)``.

        The score is Neo4j's cosine similarity, ``(1 + cosine) / 2``.
        """
        values = vector.tolist() if hasattr(vector, "tolist") else list(vector)
        rows = self.query(nq.VECTOR_NEAREST, {"index": nq.vector_index_name(t), "k": k, "vector": values}).rows
        return [(i, lab, float(sc)) for i, lab, sc in rows]

    # -- dropping a source -----------------------------------------------------

    def drop_source(self, name: str, batch_size: int = DEFAULT_BATCH) -> dict[str, int]:
        """Remove exactly one source's contribution.

        Deletes the relationships whose ``source`` is ``name``, removes ``name``
        from every node's ``sources``, deletes the nodes no source asserts any
        more (unless another source's statement still uses them) and the
        ``Source`` node. Node labels, synonyms and other merged node values
        that came from ``name`` are not tracked per source and stay.

        Returns:
            ``relationships_deleted``, ``nodes_updated``, ``nodes_deleted``,
            ``nodes_kept_unsourced`` (nodes without a source that other
            sources' statements still use) and ``source_deleted`` (0 or 1).

        Raises:
            StoreError: no source of that name in the database.
        """
        self._check_writable()
        if not int(self._read_value(nq.SOURCE_EXISTS, {"name": name})):
            raise StoreError(f"no source {name!r} in Neo4j at {self.selector}")
        params = {"name": name, "batch": batch_size}
        out = dict.fromkeys(("relationships_deleted", "nodes_updated", "nodes_deleted"), 0)
        for p in Predicate:
            out["relationships_deleted"] += self._autocommit(
                nq.drop_source_rels_query(p), params
            ).relationships_deleted
        for t in NodeType:
            out["nodes_updated"] += self._autocommit(
                nq.drop_source_from_nodes_query(t), params
            ).properties_set
            out["nodes_deleted"] += self._autocommit(
                nq.delete_unsourced_nodes_query(t), {"batch": batch_size}
            ).nodes_deleted
        out["nodes_kept_unsourced"] = sum(
            int(self._read_value(nq.count_unsourced_nodes_query(t))) for t in NodeType
        )
        out["source_deleted"] = self._write(nq.DELETE_SOURCE_NODE, {"name": name}).nodes_deleted
        return out

    def close(self) -> None:
        drv = getattr(self, "_driver", None)
        if drv is not None:
            drv.close()
            self._driver = None


def _given(rows: list[Row]) -> Reader:
    return lambda: rows


@register_store("neo4j", language="cypher", description="Neo4j server over Bolt (neo4j://, bolt://)")
def _open(selector: str, location: str, read_only: bool, options: Mapping[str, Any]) -> GraphStore:
    """Open a Neo4j store.

    Options:
        user: the user (default: ``$NEO4J_USER``, else ``neo4j``).
        password: the password (default: ``$NEO4J_PASSWORD``; none means no auth).
        connect_timeout: seconds to wait for the server (default 5).
    """
    user = options.get("user") or os.environ.get("NEO4J_USER") or "neo4j"
    password = options.get("password")
    if password is None:
        password = os.environ.get("NEO4J_PASSWORD")
    return Neo4jStore(
        location,
        user=user,
        password=password,
        read_only=read_only,
        connect_timeout=float(options.get("connect_timeout", CONNECT_TIMEOUT)),
    )


__all__ = ["DEFAULT_BATCH", "DEFAULT_WRITERS", "Neo4jStore", "Progress", "public_uri", "split_selector"]
