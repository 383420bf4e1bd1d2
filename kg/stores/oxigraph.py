"""Oxigraph (pyoxigraph): the RDF/SPARQL store.

Selector ``oxigraph:PATH`` (a folder; ``oxigraph:`` alone is an in-memory store).
Parameters are bound with SPARQL substitutions (SEP-0007): ``$id`` in the
query is replaced by the value as an RDF literal, never by text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.curie import MEDKG_NS, contract
from kg.errors import InvalidCurieError, QueryError, ReadOnlyError, StoreConnectionError
from kg.stores._values import check_bound, check_params, strip_literals
from kg.stores.base import GraphStore, QueryResult, register_store
from kg.stores.sparql_tsv import XSD, read_tsv, typed_value

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

SPARQL_PREFIXES: dict[str, str] = {
    "medkg": MEDKG_NS,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": XSD,
    "owl": "http://www.w3.org/2002/07/owl#",
}
"""Prefixes every SPARQL query may use without declaring them."""

_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.I,
)


def is_sparql_update(text: str) -> bool:
    """Whether SPARQL text is an update (INSERT, DELETE, LOAD, CLEAR, ...).

    Example:
        >>> is_sparql_update("PREFIX a: <x:> INSERT DATA { a:b a:c a:d }")
        True
        >>> is_sparql_update("SELECT * WHERE { ?s ?p 'INSERT' }")
        False
    """
    return bool(_UPDATE.match(strip_literals(text, "sparql")))


def to_python(term: Any) -> Any:
    """An Oxigraph term as a plain value: IRIs as CURIEs where the prefix map
    covers them, typed literals as int/float/bool, other literals as str."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        try:
            return contract(term.value)
        except InvalidCurieError:
            return term.value
    if isinstance(term, ox.Literal):
        return typed_value(term.value, term.datatype.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def to_term(value: Any) -> Any:
    """A parameter value as an Oxigraph literal."""
    import pyoxigraph as ox

    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int | float | str):
        return ox.Literal(value)
    raise QueryError(f"SPARQL parameters must be strings, numbers or booleans, got {value!r}")


class OxigraphStore(GraphStore):
    """A pyoxigraph store on disk or in memory."""

    language = "sparql"

    def __init__(self, selector: str, location: str, read_only: bool) -> None:
        super().__init__(selector, read_only)
        import pyoxigraph as ox

        self.path = Path(location) if location else None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                if not (self.path / "CURRENT").exists():
                    raise StoreConnectionError(f"no Oxigraph store at {self.path}")
                self._store = ox.Store.read_only(str(self.path))
            else:
                self._store = ox.Store(str(self.path))
        except OSError as e:
            raise StoreConnectionError(f"cannot open Oxigraph store at {self.path}: {e}") from e

    @property
    def raw(self) -> Any:
        """The underlying ``pyoxigraph.Store``."""
        return self._store

    def query(
        self, text: str, params: Mapping[str, Any] | None = None, *, write: bool = False
    ) -> QueryResult:
        import pyoxigraph as ox

        values = check_params(dict(params or {}))
        if is_sparql_update(text):
            if not write or self.read_only:
                raise ReadOnlyError(
                    "this SPARQL is an update; updates are refused in read-only mode "
                    "(use --write / write=True on a store opened for writing)"
                )
            if values:
                raise QueryError("SPARQL updates take no parameters")
            try:
                self._store.update(text, prefixes=SPARQL_PREFIXES)
            except (SyntaxError, OSError) as e:
                raise QueryError(f"SPARQL update failed: {e}") from e
            return QueryResult(["status"], [("ok",)])
        check_bound(text, values, "sparql")
        subs = {ox.Variable(k): to_term(v) for k, v in values.items()}
        try:
            res = self._store.query(text, prefixes=SPARQL_PREFIXES, substitutions=subs)
            # Solutions: Oxigraph writes them all as TSV (in Rust), read below in bulk, several
            # times faster than reaching each solution's values from Python.
            tsv = res.serialize(format=ox.QueryResultsFormat.TSV) if isinstance(res, ox.QuerySolutions) else None
        except SyntaxError as e:
            raise QueryError(f"SPARQL syntax error: {e}") from e
        except (OSError, ValueError, RuntimeError) as e:
            hint = ""
            if "projection" in str(e):
                hint = (
                    " (Oxigraph binds a parameter only when its variable is in the "
                    "top-level SELECT, e.g. 'SELECT $disease_id ?label WHERE ...')"
                )
            raise QueryError(f"SPARQL evaluation failed: {e}{hint}") from e
        if isinstance(res, ox.QueryBoolean):
            return QueryResult(["result"], [(bool(res),)])
        if tsv is not None:
            # Parameter variables are projected only so that they can be bound;
            # their values are the caller's own, so they are not returned.
            names, rows = read_tsv(tsv)
            keep = [i for i, name in enumerate(names) if name not in values]
            if len(keep) < len(names):
                rows = [tuple(r[i] for i in keep) for r in rows]
            return QueryResult([names[i] for i in keep], rows)
        rows = [(to_python(t.subject), to_python(t.predicate), to_python(t.object)) for t in res]
        return QueryResult(["subject", "predicate", "object"], rows)

    def load_ntriples(self, path: Path) -> int:
        """Bulk-load an N-Triples file; return the store's triple count."""
        import pyoxigraph as ox

        if self.read_only:
            raise ReadOnlyError(f"Oxigraph store {self.path} is open read-only")
        self._store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
        self._store.flush()
        return len(self._store)

    def load_graph(self, graph: KnowledgeGraph, workdir: str | None = None) -> dict[str, int]:
        import tempfile

        from kg.rdf import write_ntriples

        with tempfile.TemporaryDirectory(dir=workdir) as d:
            nt = Path(d) / "graph.nt"
            with nt.open("w", encoding="utf-8") as fh:
                write_ntriples(graph, fh)
            return {"triples": self.load_ntriples(nt)}

    def close(self) -> None:
        if self.path is not None and not self.read_only:
            self._store.flush()
        del self._store


@register_store(
    "oxigraph", language="sparql", description="Oxigraph RDF store (SPARQL 1.1), on disk or in memory"
)
def _open(selector: str, location: str, read_only: bool, options: Mapping[str, Any]) -> GraphStore:
    if location == "" and read_only:
        read_only = False  # an in-memory store starts empty; reading it alone is pointless
    return OxigraphStore(selector, location, read_only)
