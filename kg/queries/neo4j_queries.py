"""Every Cypher text medkg runs against Neo4j, plus the LadybugDB reads that
take a built bundle apart for a push.

No value is ever formatted into these texts: rows, names and batch sizes are
bound parameters (``$rows``, ``$name``, ``$batch``). The only identifiers
formatted in are node labels and relationship types from the
:class:`~kg.model.NodeType` / :class:`~kg.model.Predicate` enums and property
names from :mod:`kg.model`.

Identity in Neo4j:

* a node is ``(:Label {id})`` (unique per label, enforced by a constraint);
* a relationship is ``(subject)-[:TYPE {source, negated}]->(object)`` — the
  same key as the builder's dedupe key in :mod:`kg.graph`, so ``MERGE`` makes
  every push idempotent (pushing twice, or re-running a killed push, gives the
  same graph) and a second source adds its own statements next to the first.
  Where nothing can be there yet (an empty label, a source without
  relationships of that type and endpoint pair) the push uses the cheaper
  ``CREATE`` texts (:func:`create_nodes_query`, :func:`create_rels_query`),
  which give the same graph; see :mod:`kg.stores.neo4j`.

Example:
    >>> print(merge_nodes_query(NodeType.DRUG).splitlines()[2])
    MERGE (n:Drug {id: c.id[i]})
    >>> "MATCH (a:Drug) WHERE elementId(a) = g[0]" in merge_rels_query(Predicate.TREATS, NodeType.DRUG, NodeType.DISEASE)
    True
    >>> [s.split(" IF")[0] for s in schema_statements()][:2]
    ['CREATE CONSTRAINT medkg_disease_id', 'CREATE CONSTRAINT medkg_phenotypic_feature_id']
"""

from __future__ import annotations

import re

from kg.model import (
    CONCEPT_TYPES,
    EDGE_PROPERTIES,
    ENDPOINTS,
    NODE_LIST_PROPERTIES,
    NODE_TEXT_PROPERTIES,
    NodeType,
    Predicate,
)

NODE_SCALAR_PROPERTIES = tuple(p for p in NODE_TEXT_PROPERTIES if p != "id")
"""Node properties besides ``id`` and the lists; first non-null value wins."""

REL_KEY_PROPERTIES = ("source", "negated")
"""Relationship properties that, with (subject, type, object), identify a statement."""

REL_SET_PROPERTIES = tuple(p for p in EDGE_PROPERTIES if p not in REL_KEY_PROPERTIES)
"""Relationship properties that are (re)set on every push."""

FULLTEXT_INDEX = "medkg_names"
"""The full-text index over every concept's label and synonyms."""


def _snake(t: NodeType) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in t.value).lstrip("_")


# ---------------------------------------------------------------------------
# schema
# ---------------------------------------------------------------------------


def constraint_statements() -> list[str]:
    """The uniqueness constraints, all ``IF NOT EXISTS``: on ``id`` per node label
    (also the index that MERGE and MATCH seek) and on ``Source.name``.

    A push creates these first: every write statement of the push relies on them.

    There is deliberately no index on relationship properties: with one on
    ``source``, the planner — whose statistics say "no relationships yet" at
    the start of a push — seeks ``MERGE (a)-[x:T {source: ...}]->(b)`` through
    that index instead of expanding from ``a`` into ``b``, and every row then
    scans all the relationships of its source (quadratic; a 300k-edge push
    took minutes per batch).
    """
    out = [
        f"CREATE CONSTRAINT medkg_{_snake(t)}_id IF NOT EXISTS "
        f"FOR (n:{t.value}) REQUIRE n.id IS UNIQUE"
        for t in NodeType
    ]
    out.append(
        "CREATE CONSTRAINT medkg_source_name IF NOT EXISTS FOR (s:Source) REQUIRE s.name IS UNIQUE"
    )
    return out


def index_statements() -> list[str]:
    """The search indexes, all ``IF NOT EXISTS``: a range index on ``label`` per
    node label and one full-text index over ``label`` and ``synonyms`` across
    the concept labels (not the obsolete terms).

    No write of a push uses them, so a push creates them after loading: one
    bulk population instead of an update per node (the full-text index made
    loading 47k nodes 4x slower).
    """
    out = [
        f"CREATE INDEX medkg_{_snake(t)}_label IF NOT EXISTS FOR (n:{t.value}) ON (n.label)"
        for t in NodeType
    ]
    labels = "|".join(t.value for t in CONCEPT_TYPES)  # a name search finds no obsolete term, no drug class
    out.append(
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS "
        f"FOR (n:{labels}) ON EACH [n.label, n.synonyms]"
    )
    return out


def schema_statements() -> list[str]:
    """Every constraint and index (:func:`constraint_statements`, then
    :func:`index_statements`); safe to run on every push."""
    return constraint_statements() + index_statements()


def drop_schema_statements() -> list[str]:
    """Drop every constraint and index of :func:`schema_statements` (``IF EXISTS``).

    For benchmarks and tests that start from a truly empty database.
    """
    out = []
    for stmt in schema_statements():
        m = re.match(r"CREATE (?:FULLTEXT )?(CONSTRAINT|INDEX) (\w+) ", stmt)
        assert m is not None, stmt
        out.append(f"DROP {m[1]} {m[2]} IF EXISTS")
    return out


AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"
"""Wait until every index is online (a fresh uniqueness index is built in the background)."""

SEARCH_NAMES = """
CALL db.index.fulltext.queryNodes($index, $text) YIELD node, score
RETURN node.id AS id, node.label AS label, labels(node)[0] AS type, score
ORDER BY score DESC, id LIMIT $limit"""
"""Full-text search over labels and synonyms (``$index`` = :data:`FULLTEXT_INDEX`)."""


# ---------------------------------------------------------------------------
# pushing (batched UNWIND ... MERGE; $rows is a list of maps)
# ---------------------------------------------------------------------------

MERGE_SOURCES = """
UNWIND $rows AS r
MERGE (s:Source {name: r.name})
SET s.version = r.version, s.license = r.license"""
"""``$rows``: ``{name, version, license}`` maps."""

EXISTING_SOURCES = "MATCH (s:Source) WHERE s.name IN $names RETURN collect(s.name) AS names"
"""Which of ``$names`` have a ``Source`` node already."""

SET_SOURCE_STATEMENTS = """
UNWIND $rows AS r
MATCH (s:Source {name: r.name})
SET s.statement_relations = r.relations, s.statement_counts = r.counts"""
"""``$rows``: ``{name, relations, counts}`` maps: what each source states, counted
by relation (its RDF name, as in LadybugDB's ``Source.statements``), stored on
the ``Source`` node as two parallel lists (Neo4j has no list-of-map property)
so that the analyst question ``statements_per_source`` reads the ``Source``
nodes instead of every relationship (:mod:`kg.queries.analyst`)."""

COUNT_SOURCE_STATEMENTS = """
MATCH ()-[x]->() WHERE x.source = $name
RETURN type(x) AS type, count(*) AS n"""
"""``$name``'s relationships by type (a scan of every relationship: used only for
a source that was in the database before the push)."""

NODE_COLUMNS = ("id", *NODE_SCALAR_PROPERTIES, *NODE_LIST_PROPERTIES)
"""The columns of a node batch (``$c``)."""

REL_COLUMNS = ("s", "o", *EDGE_PROPERTIES)
"""The fields of a relationship row as read from a bundle: subject id, object id, properties."""

REL_GROUP_ROW = REL_COLUMNS[1:]
"""The fields of one relationship in a batch (``$g``), by position: object id, properties
(a bundle row without its subject: one slice for the client).

A relationship batch is ``$g``: a list of ``[subject id, [row, ...]]`` groups,
the rows of one subject together, so the server looks the subject up once per
group instead of once per row (about 25% less server CPU per relationship for
HAS_PHENOTYPE, ~20 rows per disease; measured with scripts/bench/neo4j_push.py).
"""

# Node batches are sent column-wise: ``$c`` maps each column name to a list
# with one value per row. The Python driver packs one list of strings much
# faster than a list of maps with the same values (about 2x fewer CPU seconds
# per row), and on a small machine the client shares the CPUs with the server.
# Relationship batches are grouped by subject (``$g``), their rows sent as
# lists (not maps) for the same reason.


_NODE_HANDLES = "RETURN collect([c.id[i], elementId(n)]) AS handles"
"""What every node-writing statement returns: one record, ``handles``: an
``[id, elementId]`` pair per node written, so that the push can address the
relationship endpoints by element id (see :func:`create_rels_query`)."""


def merge_nodes_query(t: NodeType) -> str:
    """Batched node upsert for one label; returns the nodes' element ids
    (``handles``, see :data:`_NODE_HANDLES`).

    ``$c``: the columns :data:`NODE_COLUMNS`. A node already there keeps its
    label/definition when it has one and gains the list values it did not
    have (so a second source adds itself to ``sources`` rather than replacing
    the first, and re-running is a no-op).
    """
    scalars = ", ".join(f"n.{p} = coalesce(n.{p}, c.{p}[i])" for p in NODE_SCALAR_PROPERTIES)
    lists = ",\n    ".join(
        f"n.{p} = coalesce(n.{p}, []) + "
        f"[v IN coalesce(c.{p}[i], []) WHERE NOT v IN coalesce(n.{p}, [])]"
        for p in NODE_LIST_PROPERTIES
    )
    return (
        "WITH $c AS c\n"
        "UNWIND range(0, size(c.id) - 1) AS i\n"
        f"MERGE (n:{t.value} {{id: c.id[i]}})\n"
        f"SET {scalars},\n    {lists}\n"
        f"{_NODE_HANDLES}"
    )


def merge_rels_query(p: Predicate, a: NodeType, b: NodeType) -> str:
    """Batched relationship upsert for one type and endpoint pair.

    ``$g``: subject groups of :data:`REL_GROUP_ROW` rows. Rows whose endpoints
    are missing are skipped (the MATCH finds nothing), which cannot happen for
    a graph assembled by :mod:`kg.graph`. The key properties (``source``,
    ``negated``) are in the MERGE pattern; the others are (re)set. The
    endpoints are given by element id (see :func:`create_rels_query`).
    """
    key = ", ".join(f"{k}: {_row_field(k)}" for k in REL_KEY_PROPERTIES)
    sets = ", ".join(f"x.{k} = {_row_field(k)}" for k in REL_SET_PROPERTIES)
    return _rel_groups_endpoints(p, a, b) + f"MERGE (a)-[x:{p.value} {{{key}}}]->(b)\nSET {sets}"


def _row_field(name: str) -> str:
    """The Cypher expression of field ``name`` of a batched relationship row ``r``.

    Example:
        >>> _row_field("source")
        'r[1]'
    """
    return f"r[{REL_GROUP_ROW.index(name)}]"


def _rel_groups_endpoints(p: Predicate, a: NodeType, b: NodeType) -> str:
    """The batched rows of ``$g``, one per ``r``, with their endpoints ``a``, ``b``
    (the subject ``a`` looked up once per group) found by element id
    (``NodeByElementIdSeek``; the label is still checked).

    Example:
        >>> print(_rel_groups_endpoints(Predicate.TREATS, NodeType.DRUG, NodeType.DISEASE))
        UNWIND $g AS g
        MATCH (a:Drug) WHERE elementId(a) = g[0]
        UNWIND g[1] AS r
        MATCH (b:Disease) WHERE elementId(b) = r[0]
        <BLANKLINE>

    Raises:
        ValueError: ``p`` cannot join ``a`` to ``b``.
    """
    if (a, b) not in ENDPOINTS[p]:
        raise ValueError(f"{p.value} cannot join {a.value} to {b.value}")
    return (
        "UNWIND $g AS g\n"
        f"MATCH (a:{a.value}) WHERE elementId(a) = g[0]\n"
        "UNWIND g[1] AS r\n"
        f"MATCH (b:{b.value}) WHERE elementId(b) = {_row_field('o')}\n"
    )


def create_nodes_query(t: NodeType) -> str:
    """Batched node creation for a label that had no nodes when the push began;
    returns the nodes' element ids (``handles``, see :data:`_NODE_HANDLES`).

    ``$c``: the columns :data:`NODE_COLUMNS`. Gives the same nodes as
    :func:`merge_nodes_query` on an empty label (a missing list is stored as
    ``[]``) without MERGE's look-up and property merging; a duplicate ``id``
    fails on the uniqueness constraint instead of being merged.
    """
    props = ", ".join(
        [f"{p}: c.{p}[i]" for p in ("id", *NODE_SCALAR_PROPERTIES)]
        + [f"{p}: coalesce(c.{p}[i], [])" for p in NODE_LIST_PROPERTIES]
    )
    return (
        "WITH $c AS c\n"
        "UNWIND range(0, size(c.id) - 1) AS i\n"
        f"CREATE (n:{t.value} {{{props}}})\n"
        f"{_NODE_HANDLES}"
    )


def create_rels_query(p: Predicate, a: NodeType, b: NodeType) -> str:
    """Batched relationship creation for rows whose source has no ``p``
    relationship from ``a`` to ``b`` yet.

    ``$g``: subject groups of :data:`REL_GROUP_ROW` rows, no two rows with the
    same statement key (the push sends repeats through :func:`merge_rels_query`).
    Gives the same relationships as :func:`merge_rels_query` would there
    (a ``null`` property is not stored either way) without MERGE's expansion
    over the existing relationships of both endpoints.

    The subject (``g[0]``) and object (``r[0]``) are element ids, as returned
    by the node statements of the same push, not ``id`` values: the server
    seeks each endpoint by its internal reference instead of the uniqueness
    index (with the properties written, about 25% less server CPU per
    relationship; measured with scripts/bench/neo4j_push.py).
    """
    props = ", ".join(f"{k}: {_row_field(k)}" for k in EDGE_PROPERTIES)
    return _rel_groups_endpoints(p, a, b) + f"CREATE (a)-[x:{p.value} {{{props}}}]->(b)"


def source_has_rels_query(p: Predicate, a: NodeType, b: NodeType) -> str:
    """``n``: whether any ``p`` relationship from ``a`` to ``b`` has ``source = $source``.

    Stops at the first one; scans the type's relationships when there is none.
    """
    return (
        f"RETURN EXISTS {{ MATCH (:{a.value})-[x:{p.value}]->(:{b.value}) "
        "WHERE x.source = $source } AS n"
    )


def create_rel_single_query(p: Predicate, a: NodeType, b: NodeType) -> str:
    """One relationship per statement (the naive baseline of the benchmark).

    Parameters are the row's fields (``$s``, ``$o``, ``$source``, ...).
    """
    sets = ", ".join(f"x.{k} = ${k}" for k in REL_SET_PROPERTIES)
    return (
        f"MATCH (a:{a.value} {{id: $s}}) MATCH (b:{b.value} {{id: $o}}) "
        f"MERGE (a)-[x:{p.value} {{source: $source, negated: $negated}}]->(b) SET {sets}"
    )


# ---------------------------------------------------------------------------
# dropping one source (CALL { ... } IN TRANSACTIONS: run in auto-commit)
# ---------------------------------------------------------------------------


def drop_source_rels_query(p: Predicate) -> str:
    """Delete every ``p`` relationship whose ``source`` is ``$name`` (one scan of the type)."""
    return (
        f"MATCH ()-[x:{p.value}]->() WHERE x.source = $name\n"
        "CALL { WITH x DELETE x } IN TRANSACTIONS OF $batch ROWS"
    )


def drop_source_from_nodes_query(t: NodeType) -> str:
    """Remove ``$name`` from the ``sources`` list of every ``t`` node."""
    return (
        f"MATCH (n:{t.value}) WHERE $name IN n.sources\n"
        "CALL { WITH n SET n.sources = [s IN n.sources WHERE s <> $name] } "
        "IN TRANSACTIONS OF $batch ROWS"
    )


def delete_unsourced_nodes_query(t: NodeType) -> str:
    """Delete ``t`` nodes no source asserts any more and that no relationship uses.

    A node whose ``sources`` became empty but that another source's statement
    still uses is kept (deleting it would delete that statement); see
    :func:`count_unsourced_nodes_query`.
    """
    return (
        f"MATCH (n:{t.value}) WHERE size(n.sources) = 0 AND NOT (n)--()\n"
        "CALL { WITH n DELETE n } IN TRANSACTIONS OF $batch ROWS"
    )


def count_unsourced_nodes_query(t: NodeType) -> str:
    """How many ``t`` nodes have no asserting source left."""
    return f"MATCH (n:{t.value}) WHERE size(n.sources) = 0 RETURN count(n) AS n"


DELETE_SOURCE_NODE = "MATCH (s:Source {name: $name}) DELETE s"

SOURCE_EXISTS = "MATCH (s:Source {name: $name}) RETURN count(s) AS n"


# ---------------------------------------------------------------------------
# counts
# ---------------------------------------------------------------------------


def count_nodes_query(t: NodeType) -> str:
    """``n``: the number of ``t`` nodes."""
    return f"MATCH (n:{t.value}) RETURN count(n) AS n"


def count_rels_query(p: Predicate) -> str:
    """``n``: the number of ``p`` relationships."""
    return f"MATCH ()-[x:{p.value}]->() RETURN count(x) AS n"


COUNT_SOURCES = "MATCH (s:Source) RETURN count(s) AS n"

COUNT_ALL_NODES = "MATCH (n) RETURN count(n) AS n"

COUNT_ALL_RELS = "MATCH ()-[x]->() RETURN count(x) AS n"

STATEMENTS_PER_SOURCE = """
MATCH ()-[x]->() RETURN x.source AS source, type(x) AS type, count(*) AS n
ORDER BY source, type"""

DUPLICATE_NODES = """
MATCH (n) WHERE n.id IS NOT NULL
WITH labels(n) AS labels, n.id AS id, count(*) AS c WHERE c > 1
RETURN count(*) AS n"""
"""How many (labels, id) keys occur on more than one node (0 in a sound graph)."""

DUPLICATE_RELS = """
MATCH (a)-[x]->(b)
WITH a, type(x) AS t, b, x.source AS s, x.negated AS neg, count(*) AS c WHERE c > 1
RETURN count(*) AS n"""
"""How many statement keys occur on more than one relationship (0 in a sound graph)."""

WIPE_BATCHED = "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF $batch ROWS"
"""Delete everything (tests and benchmarks on a database they own)."""


# ---------------------------------------------------------------------------
# reading a bundle (LadybugDB Cypher)
# ---------------------------------------------------------------------------
# The push reads each node table and each relationship table of a bundle's
# LadybugDB database in one scan (no sort, no paging: a filter on internal
# offsets re-scans the whole table for every page).

LB_SOURCES = "MATCH (s:Source) RETURN s.name, s.version, s.license ORDER BY s.name"

LB_SOURCE_STATEMENTS = "MATCH (s:Source) UNWIND s.statements AS c RETURN s.name, c.relation, c.n"
"""What each source states, by relation (counted by the build)."""


def lb_node_count_query(t: NodeType) -> str:
    """The number of ``t`` nodes."""
    return f"MATCH (n:{t.value}) RETURN count(*)"


def lb_rel_count_query(p: Predicate, a: NodeType, b: NodeType) -> str:
    """The number of ``p`` relationships from ``a`` to ``b``."""
    return f"MATCH (:{a.value})-[x:{p.value}]->(:{b.value}) RETURN count(*)"


def lb_nodes_query(t: NodeType) -> str:
    """Every ``t`` node, columns :data:`NODE_COLUMNS`."""
    cols = ", ".join(f"n.{p}" for p in NODE_COLUMNS)
    return f"MATCH (n:{t.value}) RETURN {cols}"


def lb_rels_query(p: Predicate, a: NodeType, b: NodeType) -> str:
    """Every ``p`` relationship from ``a`` to ``b``, columns :data:`REL_COLUMNS`."""
    cols = ", ".join(f"x.{k}" for k in EDGE_PROPERTIES)
    return f"MATCH (a:{a.value})-[x:{p.value}]->(b:{b.value}) RETURN a.id, b.id, {cols}"


# ---------------------------------------------------------------------------
# node vectors (``medkg push --vectors``)
# ---------------------------------------------------------------------------
# Each node's ``text`` embedding (kg.embeddings) as the float32 vector property
# ``embedding``, with the model that computed it in ``embedding_model``, and
# one cosine vector index per node label.

VECTOR_PROPERTY = "embedding"
"""The node property holding the vector."""

VECTOR_MODEL_PROPERTY = "embedding_model"
"""The node property naming the model (``SELECTOR#FINGERPRINT``) the vector came from."""


def vector_index_name(t: NodeType) -> str:
    """The vector index of one node label.

    Example:
        >>> vector_index_name(NodeType.PHENOTYPE)
        'medkg_phenotypic_feature_embedding'
    """
    return f"medkg_{_snake(t)}_{VECTOR_PROPERTY}"


def vector_index_statement(t: NodeType) -> str:
    """Create ``t``'s cosine vector index (``IF NOT EXISTS``); ``$dimension``: the vector length."""
    return (
        f"CREATE VECTOR INDEX {vector_index_name(t)} IF NOT EXISTS FOR (n:{t.value}) ON n.{VECTOR_PROPERTY} "
        "OPTIONS {indexConfig: {`vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine'}}"
    )


VECTOR_INDEX_CONFIG = """
SHOW VECTOR INDEXES YIELD name, labelsOrTypes, properties, options WHERE name = $name
RETURN labelsOrTypes AS labels, properties, options.indexConfig AS config"""
"""The label, property and config (``vector.dimensions``, ``vector.similarity_function``) of index ``$name``."""


def vector_models_query(t: NodeType) -> str:
    """``model``: the distinct ``embedding_model`` values on ``t`` nodes (at most ``$limit``)."""
    return (
        f"MATCH (n:{t.value}) WHERE n.{VECTOR_MODEL_PROPERTY} IS NOT NULL "
        f"RETURN DISTINCT n.{VECTOR_MODEL_PROPERTY} AS model LIMIT $limit"
    )


def missing_nodes_query(t: NodeType) -> str:
    """``missing``: how many of the ids ``$ids`` have no ``t`` node; ``example``: one of them."""
    return (
        f"UNWIND $ids AS id OPTIONAL MATCH (n:{t.value} {{id: id}}) WITH id, n WHERE n IS NULL "
        "RETURN count(id) AS missing, head(collect(id)) AS example"
    )


def set_vectors_query(t: NodeType) -> str:
    """Set the vectors of ``t`` nodes: ``$ids[i]`` gets ``$vectors[i]``; ``$model``: the model tag.

    ``db.create.setNodeVectorProperty`` checks the value is a valid vector and
    stores it as a float32 array.
    """
    return (
        f"UNWIND range(0, size($ids) - 1) AS i MATCH (n:{t.value} {{id: $ids[i]}}) "
        f"CALL db.create.setNodeVectorProperty(n, '{VECTOR_PROPERTY}', $vectors[i]) "
        f"SET n.{VECTOR_MODEL_PROPERTY} = $model RETURN count(n) AS n"
    )


VECTOR_NEAREST = """
CALL db.index.vector.queryNodes($index, $k, $vector) YIELD node, score
RETURN node.id AS id, node.label AS label, score
ORDER BY score DESC, id"""
"""The ``$k`` nodes nearest ``$vector`` in vector index ``$index`` (score: ``(1 + cosine) / 2``)."""
