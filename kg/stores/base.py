"""The one seam for graph stores: :class:`GraphStore`, its registry and
:func:`open_store`.

A store is chosen by a selector string, as in oaklib's ``get_adapter``:

* ``oxigraph:PATH`` — RDF/SPARQL (pyoxigraph); ``oxigraph:`` alone is in memory;
* ``ladybug:PATH`` — embedded Cypher (LadybugDB);
* ``rdflib:FILE`` — rdflib's in-memory SPARQL over an RDF file (a baseline);
* ``neo4j://HOST:PORT[/DATABASE]`` (also ``neo4j+s``, ``bolt``, ``bolt+s``) — a Neo4j server.

Stores open read-only unless ``read_only=False``. Queries take parameters that
are bound by the engine (``$name`` in Cypher and in SPARQL), never pasted
into the query text.

Example:
    >>> parse_selector("ladybug:/tmp/kg/ladybug.lbug")
    ('ladybug', '/tmp/kg/ladybug.lbug')
    >>> parse_selector("neo4j://127.0.0.1:7687/neo4j")
    ('neo4j', 'neo4j://127.0.0.1:7687/neo4j')
    >>> from kg.stores import open_store
    >>> open_store("nosuch:x")
    Traceback (most recent call last):
    ...
    kg.errors.UnknownStoreError: unknown store 'nosuch' in selector 'nosuch:x'; known: ...
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from kg.errors import UnknownStoreError

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

QueryLanguage = Literal["cypher", "sparql"]


@dataclass(slots=True)
class QueryResult:
    """Rows of plain Python values (str, int, float, bool, None, lists).

    Node ids come back as CURIEs in every store, so the same question gives the
    same rows on every engine.
    """

    columns: list[str]
    rows: list[tuple[Any, ...]]

    def as_dicts(self) -> list[dict[str, Any]]:
        """The rows as ``{column: value}`` dicts."""
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]


class GraphStore(ABC):
    """A graph store: query it, load a graph into it, close it.

    Attributes:
        language: the query language it speaks.
        selector: the selector it was opened with.
        read_only: whether writes are refused.
    """

    language: ClassVar[QueryLanguage]

    def __init__(self, selector: str, read_only: bool) -> None:
        self.selector = selector
        self.read_only = read_only

    @property
    def engine(self) -> str:
        """The adapter the selector names (``ladybug``, ``neo4j``, ``oxigraph``, ``rdflib``): which
        dialect of :attr:`language` to speak."""
        return parse_selector(self.selector)[0]

    @abstractmethod
    def query(
        self, text: str, params: Mapping[str, Any] | None = None, *, write: bool = False
    ) -> QueryResult:
        """Run a query with bound parameters.

        Args:
            text: Cypher or SPARQL, per :attr:`language`.
            params: values for ``$name`` placeholders.
            write: allow an update; refused on a read-only store.

        Raises:
            ReadOnlyError: an update without ``write`` or on a read-only store.
            QueryError: the engine rejected the query (its message is kept).
        """

    @abstractmethod
    def load_graph(self, graph: KnowledgeGraph, workdir: str | None = None) -> dict[str, int]:
        """Write a whole assembled graph into this (empty, writable) store.

        Returns:
            counts of what was written.
        """

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the store's resources."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


StoreFactory = Callable[[str, str, bool, Mapping[str, Any]], GraphStore]
"""``factory(selector, location, read_only, options) -> GraphStore``."""


@dataclass(frozen=True, slots=True)
class StoreSpec:
    """A registered store adapter."""

    schemes: tuple[str, ...]
    language: QueryLanguage
    factory: StoreFactory
    description: str


_REGISTRY: dict[str, StoreSpec] = {}
URL_SCHEMES = {"neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"}


def register_store(
    *schemes: str, language: QueryLanguage, description: str
) -> Callable[[StoreFactory], StoreFactory]:
    """Decorator registering a store factory under one or more schemes."""

    def deco(factory: StoreFactory) -> StoreFactory:
        spec = StoreSpec(schemes, language, factory, description)
        for s in schemes:
            _REGISTRY[s] = spec
        return factory

    return deco


def parse_selector(selector: str) -> tuple[str, str]:
    """Split a selector into (adapter name, location).

    URL-style Neo4j selectors keep the whole URL as the location.
    """
    scheme, sep, rest = selector.partition(":")
    if not sep:
        raise UnknownStoreError(
            f"store selector {selector!r} has no scheme; use e.g. 'ladybug:PATH', "
            "'oxigraph:PATH' or 'neo4j://HOST:PORT'"
        )
    if scheme in URL_SCHEMES:
        return "neo4j", selector
    return scheme, rest


def store_spec(name: str, selector: str = "") -> StoreSpec:
    """The adapter registered for ``name``.

    Adapter modules register themselves when :mod:`kg.stores` is imported;
    their engines (pyoxigraph, ladybug, neo4j) are imported only when a store
    is opened.
    """
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise UnknownStoreError(
            f"unknown store {name!r} in selector {selector!r}; known: {known}"
        ) from None


def open_store(selector: str, *, read_only: bool = True, **options: Any) -> GraphStore:
    """Open the store a selector names.

    Args:
        selector: e.g. ``"ladybug:KG/ladybug.lbug"``, ``"oxigraph:KG/oxigraph"``,
            ``"neo4j://127.0.0.1:7687"``.
        read_only: refuse writes (the default).
        **options: adapter options (e.g. ``user``, ``password`` for Neo4j).

    Raises:
        UnknownStoreError: no adapter for the selector's scheme.
        StoreConnectionError: the store cannot be opened or reached.
    """
    name, location = parse_selector(selector)
    return store_spec(name, selector).factory(selector, location, read_only, options)
