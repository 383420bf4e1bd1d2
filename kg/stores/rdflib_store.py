"""rdflib's in-memory SPARQL over an RDF file: the baseline engine.

Selector ``rdflib:FILE`` (any format rdflib reads: ``.nt``, ``.ttl``, ...).
Always read-only: the graph lives in memory and is never written back.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.curie import contract
from kg.errors import InvalidCurieError, QueryError, ReadOnlyError, StoreConnectionError
from kg.stores._values import check_bound, check_params
from kg.stores.base import GraphStore, QueryResult, register_store
from kg.stores.oxigraph import SPARQL_PREFIXES, is_sparql_update

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


def _py(term: Any) -> Any:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        try:
            return contract(str(term))
        except InvalidCurieError:
            return str(term)
    if isinstance(term, Literal):
        v = term.toPython()
        return v if isinstance(v, bool | int | float) else str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


class RdflibStore(GraphStore):
    """An rdflib ``Graph`` loaded from a file."""

    language = "sparql"

    def __init__(self, selector: str, location: str, read_only: bool) -> None:
        super().__init__(selector, True)
        import rdflib

        path = Path(location)
        if not path.is_file():
            raise StoreConnectionError(f"no RDF file at {path}")
        self.graph = rdflib.Graph()
        for k, v in SPARQL_PREFIXES.items():
            self.graph.bind(k, v)
        fmt = "nt" if path.suffix == ".nt" else None
        try:
            self.graph.parse(str(path), format=fmt)
        except Exception as e:  # rdflib raises many parser-specific types
            raise StoreConnectionError(f"cannot parse RDF file {path}: {e}") from e

    def query(
        self, text: str, params: Mapping[str, Any] | None = None, *, write: bool = False
    ) -> QueryResult:
        from rdflib import Literal

        if is_sparql_update(text) or write:
            raise ReadOnlyError("the rdflib store is read-only; updates are refused")
        values = check_params(dict(params or {}))
        check_bound(text, values, "sparql")
        bindings = {k: Literal(v) for k, v in values.items()}
        try:
            res = self.graph.query(text, initNs=SPARQL_PREFIXES, initBindings=bindings)
        except Exception as e:  # pyparsing / evaluation errors
            raise QueryError(f"SPARQL error: {e}") from e
        if res.type == "ASK":
            return QueryResult(["result"], [(bool(res.askAnswer),)])
        if res.type == "SELECT":
            cols = [str(v) for v in res.vars if str(v) not in values]
            return QueryResult(cols, [tuple(_py(row[c]) for c in cols) for row in res])
        return QueryResult(["subject", "predicate", "object"], [tuple(map(_py, t)) for t in res])

    def load_graph(self, graph: KnowledgeGraph, workdir: str | None = None) -> dict[str, int]:
        raise ReadOnlyError("the rdflib store is read-only; load an RDF file with 'rdflib:FILE'")


@register_store("rdflib", language="sparql", description="rdflib in-memory SPARQL over an RDF file (read-only)")
def _open(selector: str, location: str, read_only: bool, options: Mapping[str, Any]) -> GraphStore:
    return RdflibStore(selector, location, read_only)
