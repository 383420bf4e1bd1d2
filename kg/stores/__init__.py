"""Graph stores behind one seam; see :mod:`kg.stores.base`.

Importing this package registers every adapter. The engines themselves are
imported only when a store is opened, so a missing optional engine (the
``neo4j`` driver) matters only to the user of that store.
"""

from kg.stores import ladybug, oxigraph, rdflib_store  # noqa: F401  (registration)
from kg.stores import neo4j as neo4j_store  # noqa: F401
from kg.stores.base import GraphStore, QueryResult, open_store, parse_selector, register_store

__all__ = ["GraphStore", "QueryResult", "open_store", "parse_selector", "register_store"]
