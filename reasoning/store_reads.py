"""The diagnosis index's reads on any store, and the graph's provenance read from the store.

:func:`read` runs one of the named reads of :mod:`kg.queries.graph_reads` in the store's
language (Cypher on LadybugDB and Neo4j, SPARQL on Oxigraph) and gives the same rows on
every store, up to their order. :func:`provenance` is what a bundle's manifest says, read
from the store itself: the sources and their versions (``Source`` nodes), the HPO release
(the version of the source ``hpo``), and which sources are text-mined (the licence
:data:`kg.extraction.merge.TEXT_LICENSE` that a merge gives them).

Example (the fixture bundle's LadybugDB, opened as a store):
    >>> from kg.stores import open_store
    >>> with open_store(f"ladybug:{FIXTURE_KG}/ladybug.lbug") as st:
    ...     info, text_mined, warnings = provenance(st)
    >>> info["sources"], info["text_sources"], warnings
    ({'fixture_drugs': 'v1-fixture', 'fixture_hpo': '2025-01-16-fixture'}, [], [])
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kg.extraction.merge import TEXT_LICENSE
from kg.queries.graph_reads import LIST_COLUMNS, LIST_SEPARATOR, graph_read_packed, graph_read_text
from kg.stores.base import GraphStore
from reasoning.text_mined import TextMined


@contextmanager
def _quiet(engine: str) -> Iterator[None]:
    """No Neo4j notifications on stderr for medkg's own reads (a relationship type the graph
    lacks, e.g. ``HAS_ADVERSE_EFFECT`` without SIDER, is an empty answer, not a user's typo)."""
    if engine != "neo4j":
        yield
        return
    from kg.stores.neo4j import driver_log_at

    with driver_log_at(logging.ERROR, "neo4j.notifications"):
        yield


def _as_list(value: Any) -> list[str]:
    """A list column's value as a sorted list (a Cypher list, SPARQL's joined text, or none).

    SPARQL's text repeats a value once per value of the read's other list column (two
    ``OPTIONAL`` patterns multiply): it is taken once.

    Example:
        >>> _as_list("b\\x1fa\\x1fb"), _as_list(["b", "a"]), _as_list(None), _as_list("")
        (['a', 'b'], ['a', 'b'], [], [])
    """
    if not value:
        return []
    return sorted(set(value.split(LIST_SEPARATOR))) if isinstance(value, str) else sorted(value)


def read(store: GraphStore, name: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows of the named read (see :mod:`kg.queries.graph_reads`) on ``store``.

    Raises:
        QueryError: the store rejected the query.
        StoreConnectionError: the store cannot be reached.
    """
    engine = store.engine
    with _quiet(engine):
        rows = store.query(graph_read_text(name, engine), params).rows
    if graph_read_packed(name, engine):  # each record holds a list of rows
        rows = [tuple(row) for (packed,) in rows for row in packed]
    lists = LIST_COLUMNS.get(name, ())
    if not lists:
        return rows
    return [tuple(_as_list(v) if i in lists else v for i, v in enumerate(r)) for r in rows]


def provenance(store: GraphStore) -> tuple[dict[str, Any], TextMined, list[str]]:
    """The graph's provenance as the store records it: ``(info, text-mined sources, warnings)``.

    ``info`` has the keys of a bundle's (:meth:`reasoning.index.DiagnosisIndex.from_bundle`)
    with ``store`` (the selector, without a password) in place of ``bundle``, ``built`` unknown
    (``None``), and ``text_sources``. The text-mined sources' documents, sentences and spans are
    in the bundle's ``extraction/`` files, which a store does not hold: their evidence is the
    statement's own text (a warning says so). A store without ``Source`` nodes cannot tell
    text-mined from curated sources, nor their versions (a warning says so; each statement
    still carries its own source and, except on Oxigraph, version).
    """
    rows = read(store, "sources")
    warnings: list[str] = []
    if not rows:
        warnings.append(f"the graph at {store.selector} has no Source nodes: which of its sources are "
                        "text-mined, their versions and the HPO release are unknown, and every statement "
                        "is taken as curated")
    versions = {str(name): version for name, version, _lic in rows}
    text = sorted(str(name) for name, _v, lic in rows if lic == TEXT_LICENSE)
    if text:
        warnings.append(f"text-mined source(s) {', '.join(text)}: the store holds their statements but not "
                        "the documents and spans they were read from (in the bundle's extraction files); "
                        "their evidence is the statement's text (use --kg with the bundle for the documents)")
    info = {
        "store": store.selector,
        "hpo_release": versions.get("hpo"),
        "built": None,
        "sources": versions,
        "text_sources": text,
    }
    return info, TextMined(text, statements={}), warnings
