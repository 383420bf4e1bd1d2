"""Extracted statements into a bundle, as a source of their own, and out again.

The statements of a source (``text_extraction`` by default) are kept in the
bundle at ``extraction/<source>.jsonl`` (one relation with its evidence per
line); that file is what makes the source text-mined, not curated
(:meth:`kg.bundle.Bundle.text_sources`), for every reader of the bundle
(``reasoning.treat`` lists its drugs apart, as ``text_mined``). Merging adds new statements to that file and rebuilds the bundle's
stores from its graph (read back from LadybugDB) plus those statements,
atomically, as ``medkg build`` does:

* a statement whose subject, predicate and object a curated source already
  states (not negated) becomes no new edge: that edge gets the text evidence
  appended to its own, after the marker :data:`MARK`, so it carries both
  provenances;
* any other statement becomes an edge of the extraction source;
* a statement whose endpoints do not fit the predicate in the graph schema
  (e.g. an adverse effect that is a disease node), or that names an id the
  bundle does not have (text read with another bundle's names, ``--kg``), is
  dropped and counted, and not stored: the file holds the statements that are
  in the graph (as an edge or as evidence on a curated one), so what it lists
  is what ``--remove`` takes out. A dropped statement has nothing to fall back
  on later either: the schema is fixed, and a rebuilt bundle starts afresh.

A merge whose statements are all stored already, or all dropped, changes
nothing: the bundle is not rebuilt, and the report says ``unchanged``.

Removing the source rebuilds the stores without it: its edges go, and the
evidence it appended is cut from the curated edges (what other text-mined
sources appended stays), which leaves the graph as it was before its first
merge. Another text-mined source's edge is no curated one: text repeating it
becomes an edge of its own, so that removing either source leaves the other's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from kg.bundle import Bundle
from kg.errors import BundleError, ConfigError
from kg.extraction.types import ExtractedDocument
from kg.graph import AssemblyReport, GraphNode, KnowledgeGraph, SourceInfo, identity_report
from kg.model import ENDPOINTS, NODE_CLASS_PROPERTIES, NODE_LIST_PROPERTIES, Edge, NodeType, Predicate

DEFAULT_SOURCE = "text_extraction"
MARK = " || "
"""Separates a curated edge's own evidence from the text evidence merged into it."""
TEXT_LICENSE = "derived from the input texts"
"""The licence of every source a merge adds: on its ``Source`` node in every store, it tells a
text-mined source from a curated one where the bundle's ``extraction/`` files are not at hand
(a graph read from Neo4j or Oxigraph alone; see :func:`reasoning.store_reads.provenance`, and
the ``text_mined`` column of :mod:`kg.queries.analyst`). In a bundle the ``extraction/`` file
tells it (:meth:`kg.bundle.Bundle.text_sources`)."""
PREDICATES = {
    "treats": Predicate.TREATS,
    "has_adverse_effect": Predicate.HAS_ADVERSE_EFFECT,
    "has_phenotype": Predicate.HAS_PHENOTYPE,
}
_MAX_EVIDENCE = 3

Step = Callable[[str], None]


SOURCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
"""An extraction source's name: a file name inside the bundle, never a path."""


def statements_path(kg_dir: Path, source: str) -> Path:
    """Where a bundle keeps the statements of an extraction source.

    Raises:
        ConfigError: ``source`` is not a plain name (letters, digits, ``_ . -``).

    Example:
        >>> statements_path(Path("kg"), "notes").as_posix()
        'kg/extraction/notes.jsonl'
        >>> statements_path(Path("kg"), "../../escape")
        Traceback (most recent call last):
        ...
        kg.errors.ConfigError: extraction source name '../../escape': use letters, digits, '_', '.' and '-' (starting with a letter or digit, at most 64)
    """
    if not SOURCE_NAME.match(source):
        raise ConfigError(f"extraction source name {source!r}: use letters, digits, '_', '.' and '-' "
                          "(starting with a letter or digit, at most 64)")
    return Path(kg_dir) / "extraction" / f"{source}.jsonl"


def statements_of(docs: Iterable[ExtractedDocument]) -> list[dict[str, Any]]:
    """The relations of documents as statement records (JSON-ready)."""
    return [r.as_json() for d in docs for r in d.relations]


def _key(st: dict[str, Any]) -> tuple:
    ev = st["evidence"]
    return (st["subject"], st["predicate"], st["object"], ev.get("doc_id"),
            tuple(ev.get("subject_span", ())), tuple(ev.get("object_span", ())))


_JSONL_LINE = re.compile(r"(?P<name>.+\.[^./:]+):(?P<line>[0-9]+)")
"""The id of a JSON line without one: ``FILE:LINE`` (``notes.jsonl:3``)."""


def legacy_doc_id(doc_id: str) -> str:
    """The id an earlier medkg (before document ids named files) gave the same
    document: a text file's stem (``a`` for ``x/a.txt``), ``STEM:LINE`` for a
    JSON line without an id (``notes:3`` for ``notes.jsonl:3``); any other id is
    its own (a PMID, ``stdin``).

    Example:
        >>> [legacy_doc_id(d) for d in ("x/a.txt", "case-7.txt", "notes.jsonl:3", "12345", "stdin")]
        ['a', 'case-7', 'notes:3', '12345', 'stdin']
    """
    m = _JSONL_LINE.fullmatch(doc_id)
    if m is not None:
        return f"{PurePosixPath(m['name']).stem}:{m['line']}"
    return PurePosixPath(doc_id).stem if PurePosixPath(doc_id).suffix else doc_id


def same_document(a: str, b: str) -> bool:
    """Whether two document ids can name one file: equal, or one's path is the end of the
    other's (a file's id is its path below the inputs' common folder, so ``x/a.txt`` read with
    ``y/a.txt`` is ``a.txt`` read alone).

    Example:
        >>> same_document("x/a.txt", "a.txt"), same_document("m/x/a.txt", "x/a.txt"), same_document("xa.txt", "a.txt")
        (True, True, False)
    """
    pa, pb = a.split("/"), b.split("/")
    short, long = sorted((pa, pb), key=len)
    return long[len(long) - len(short):] == short


def _content(st: dict[str, Any], shift: int = 0) -> tuple:
    """A statement's key without its document (spans ``shift`` less)."""
    ev = st["evidence"]
    (a, b), (c, d) = ev.get("subject_span", (0, 0)), ev.get("object_span", (0, 0))
    return (st["subject"], st["predicate"], st["object"], (a - shift, b - shift), (c - shift, d - shift))


def _by_content(stored: dict[tuple, dict[str, Any]]) -> dict[tuple, list[tuple[str, Any]]]:
    """The stored statements' documents and sentences, by :func:`_content`."""
    out: dict[tuple, list[tuple[str, Any]]] = {}
    for st in stored.values():
        ev = st["evidence"]
        if ev.get("doc_id") is not None:
            out.setdefault(_content(st), []).append((ev["doc_id"], ev.get("sentence")))
    return out


def _stored_already(st: dict[str, Any], stored: dict[tuple, dict[str, Any]],
                    content: dict[tuple, list[tuple[str, Any]]]) -> bool:
    """Whether the statement is among the stored ones (``content``: theirs by
    :func:`_by_content`): by its key, or with the same sentence and spans (or spans one more:
    an earlier medkg did not count a byte-order mark) from a document id that names the same
    file (:func:`same_document`) or that an earlier medkg gave it (:func:`legacy_doc_id`)."""
    if _key(st) in stored:
        return True
    ev = st["evidence"]
    doc, sentence = ev.get("doc_id"), ev.get("sentence")
    if doc is None:
        return False
    old = legacy_doc_id(doc)
    return any(sent == sentence and (d == old or same_document(d, doc))
               for shift in (0, 1) for d, sent in content.get(_content(st, shift), ()))


def read_graph(kg_dir: Path) -> KnowledgeGraph:
    """The graph of a bundle, read back from its LadybugDB store."""
    from kg.queries import extraction as q
    from kg.stores import open_store

    bundle = Bundle(kg_dir)
    manifest = bundle.manifest()
    nodes: dict[str, GraphNode] = {}
    edges: list[Edge] = []
    with open_store(bundle.selector("ladybug")) as store:
        for t in NodeType:
            for r in store.query(q.nodes_cypher(t)).as_dicts():
                nodes[r["id"]] = GraphNode(
                    r["id"], t, r["label"] or None,
                    definition=r["definition"] or None,
                    **{p: r[p] or None for p in NODE_CLASS_PROPERTIES},
                    **{p: list(r[p] or []) for p in NODE_LIST_PROPERTIES},
                )
        for p in Predicate:
            for r in store.query(q.edges_cypher(p)).as_dicts():
                edges.append(Edge(
                    r["subject"], p, r["object"], r["source"],
                    evidence=r["evidence"] or None, frequency=r["frequency"],
                    frequency_label=r["frequency_label"] or None, onset=r["onset"] or None,
                    negated=bool(r["negated"]), score=r["score"],
                    source_version=r["source_version"] or None,
                ))
    infos = [
        SourceInfo(s["name"], s["version"], s["license"], list(s["files"]), list(s["notes"]),
                   s["nodes"], s["edges"])
        for s in manifest["sources"]
    ]
    return KnowledgeGraph(nodes, edges, infos, AssemblyReport())


def _evidence_text(items: list[dict[str, Any]]) -> str:
    parts = []
    for ev in items[:_MAX_EVIDENCE]:
        s = ev["sentence"]
        s = s if len(s) <= 160 else s[:157] + "..."
        parts.append(f"{ev.get('doc_id')}: \"{s}\" ({ev['method']}, {ev['score']})")
    more = f" (+{len(items) - _MAX_EVIDENCE} more)" if len(items) > _MAX_EVIDENCE else ""
    return "; ".join(parts) + more


def _cut(evidence: str, source: str) -> str | None:
    """An edge's evidence without the text ``source`` merged into it; what other sources merged stays.

    Example:
        >>> _cut("category=DM || s1: a.txt: 'x' || s2: b.txt: 'y'", "s1")
        "category=DM || s2: b.txt: 'y'"
        >>> _cut(" || s1: a.txt: 'x'", "s1") is None
        True
    """
    head, *parts = evidence.split(MARK)
    kept = [head, *(part for part in parts if not part.startswith(f"{source}: "))]
    return MARK.join(kept) if kept != [""] else None


def _strip(graph: KnowledgeGraph, source: str) -> KnowledgeGraph:
    """The graph without a source's edges and its evidence merged into others."""
    tag = f"{MARK}{source}: "
    kept = []
    for e in graph.edges:
        if e.source == source:
            continue
        if e.evidence and tag in e.evidence:
            e.evidence = _cut(e.evidence, source)
        kept.append(e)
    graph.edges = kept
    graph.sources = [s for s in graph.sources if s.name != source]
    return graph


def _usable(graph: KnowledgeGraph, statements: Iterable[dict[str, Any]]) -> tuple[list[dict[str, Any]], Counter[str]]:
    """The statements the graph can take, and the others counted by why not
    (``dropped_unknown_id_or_predicate``, ``dropped_endpoint_types``)."""
    ok: list[dict[str, Any]] = []
    dropped: Counter[str] = Counter()
    for st in statements:
        pred = PREDICATES.get(st["predicate"])
        s, o = graph.nodes.get(st["subject"]), graph.nodes.get(st["object"])
        if pred is None or s is None or o is None:
            dropped["dropped_unknown_id_or_predicate"] += 1
        elif (s.type, o.type) not in ENDPOINTS[pred]:
            dropped["dropped_endpoint_types"] += 1
        else:
            ok.append(st)
    return ok, dropped


def _apply(graph: KnowledgeGraph, statements: list[dict[str, Any]], source: str, version: str,
           files: list[str], text_sources: Collection[str] = ()) -> dict[str, int]:
    """Add usable statements (see :func:`_usable`) to the graph as edges of
    ``source`` or as evidence on the curated edges they repeat; an edge of a
    text-mined source (``text_sources``) is no curated one (text repeating it
    is an edge of ``source``, which removing the other source leaves alone)."""
    grouped: dict[tuple[str, Predicate, str], list[dict[str, Any]]] = {}
    stats: Counter[str] = Counter()
    for st in statements:
        grouped.setdefault((st["subject"], PREDICATES[st["predicate"]], st["object"]), []).append(st["evidence"])
    curated: dict[tuple[str, Predicate, str], Edge] = {}
    for e in graph.edges:
        if not e.negated and e.source not in text_sources:
            curated.setdefault((e.subject, e.predicate, e.object), e)
    new = 0
    for (s, pred, o), evs in grouped.items():
        evs.sort(key=lambda ev: -ev["score"])
        text = _evidence_text(evs)
        e = curated.get((s, pred, o))
        if e is not None:
            e.evidence = f"{e.evidence or ''}{MARK}{source}: {text}"
            stats["merged_into_curated_edges"] += 1
        else:
            graph.edges.append(Edge(s, pred, o, source, evidence=text, score=evs[0]["score"],
                                    source_version=version))
            new += 1
    stats["new_edges"] = new
    notes = [f"{len(statements)} extracted statements; {new} new edges; "
             f"{stats['merged_into_curated_edges']} merged into curated edges (same ids and predicate)"]
    graph.sources.append(SourceInfo(source, version, TEXT_LICENSE, files, notes, 0, new))
    return dict(stats)


def _link_tree(src: Path, dst: Path) -> None:
    """Copy a folder of files written once by hard links (a copy where links are impossible)."""

    def link(a: str, b: str) -> None:
        try:
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)

    shutil.copytree(src, dst, copy_function=link)


def _publish(graph: KnowledgeGraph, kg_dir: Path, manifest: dict[str, Any], statements: list[dict[str, Any]] | None,
             source: str, step: Step) -> dict[str, Any]:
    from kg.build import replacing_bundle, source_entry, write_bundle

    kg_dir = kg_dir.resolve()
    graph.report.identity = identity_report(graph)
    with replacing_bundle(kg_dir, "merge", "merging", step) as tmp:
        written = write_bundle(graph, tmp, step)
        old_extraction = kg_dir / "extraction"
        if old_extraction.is_dir():
            shutil.copytree(old_extraction, tmp / "extraction")
        if (kg_dir / "embeddings").is_dir():  # kept, so that the next use refuses them as stale (not a silent loss)
            _link_tree(kg_dir / "embeddings", tmp / "embeddings")
        target = statements_path(tmp, source)
        if statements is None:
            target.unlink(missing_ok=True)
            if not any(target.parent.iterdir()):
                target.parent.rmdir()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("w", encoding="utf-8") as fh:
                for st in statements:
                    fh.write(json.dumps(st, ensure_ascii=False) + "\n")
        by_name = {s["name"]: s for s in manifest["sources"]}
        manifest["sources"] = [by_name.get(s.name) or source_entry(s) for s in graph.sources]
        manifest["counts"] = graph.counts()
        manifest["triples"] = written["triples"]
        manifest["identity_mapping"] = graph.report.identity
        manifest["modified_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        Bundle(tmp).write_manifest(manifest)
    return manifest


def merge_target(kg_dir: str | Path, source: str) -> Path:
    """The file that keeps ``source``'s statements in the bundle at ``kg_dir``, checked as
    :func:`merge_statements` checks it (a command line does so before extracting anything).

    Raises:
        BundleError: no bundle at ``kg_dir``, or ``source`` names a curated source.
        ConfigError: ``source`` is not a plain name.
    """
    bundle = Bundle(kg_dir)
    manifest = bundle.manifest()
    spath = statements_path(Path(kg_dir), source)
    if any(s["name"] == source for s in manifest["sources"]) and source not in bundle.text_sources():
        raise BundleError(f"{source!r} is a curated source of {kg_dir}; choose another --source-name")
    return spath


def merge_statements(
    kg_dir: str | Path,
    docs: Iterable[ExtractedDocument],
    *,
    source: str = DEFAULT_SOURCE,
    files: Iterable[str] = (),
    step: Step | None = None,
) -> dict[str, Any]:
    """Merge the relations of ``docs`` into the bundle at ``kg_dir`` as ``source``.

    Statements merged earlier are kept (the same statement from the same
    document spans is stored once, also when an earlier medkg stored it with
    the document's old id, a file stem, and without a byte-order mark in its
    offsets: :func:`_stored_already`). Statements the graph cannot take are
    dropped and counted, not stored (see the module docstring); so are stored
    statements that no longer fit (a file written before such statements were
    left out). When no new statement can be merged, the bundle is left as it
    is (not rebuilt).

    Returns:
        a report: ``statements`` stored in the source, ``added_statements``
        (new ones merged now), ``new_edges`` and ``merged_into_curated_edges``
        (of the whole source), ``stored_already`` (this run's statements the source
        held before), this run's ``dropped_unknown_id_or_predicate``
        and ``dropped_endpoint_types`` (where any), ``dropped_stored`` (stored
        statements left out now, where any), ``unchanged`` (nothing new was
        merged: the bundle was not rebuilt).

    Raises:
        BundleError: no bundle at ``kg_dir``, or ``source`` names a curated source.
        BuildError: writing failed; the previous bundle is left intact.
    """
    say: Step = step or (lambda _m: None)
    t0 = time.perf_counter()
    kg_dir = Path(kg_dir)
    bundle = Bundle(kg_dir)
    manifest = bundle.manifest()
    text_sources = bundle.text_sources()  # before this merge writes anything
    spath = merge_target(kg_dir, source)
    stored: dict[tuple, dict[str, Any]] = {}
    if spath.is_file():
        for st in bundle.text_statements(source):
            stored.setdefault(_key(st), st)
    new: dict[tuple, dict[str, Any]] = {}
    content = _by_content(stored)
    again = 0
    for st in statements_of(docs):
        if _stored_already(st, stored, content):
            again += 1
        else:
            new.setdefault(_key(st), st)
    report: dict[str, Any] = {"source": source, "statements": len(stored), "added_statements": 0,
                              "stored_already": again}
    if not new:
        return {**report, "unchanged": True, "seconds": round(time.perf_counter() - t0, 2)}
    say("reading the graph back from LadybugDB")
    graph = _strip(read_graph(kg_dir), source)
    added, dropped = _usable(graph, new.values())
    if not added:
        return {**report, **dropped, "unchanged": True, "seconds": round(time.perf_counter() - t0, 2)}
    kept, gone = _usable(graph, stored.values())  # a file written before dropped statements were left out
    statements = [*kept, *added]
    old_files = next((s["files"] for s in manifest["sources"] if s["name"] == source), [])
    all_files = list(dict.fromkeys([*old_files, *files]))
    version = datetime.now(UTC).strftime("%Y-%m-%d")
    stats = _apply(graph, statements, source, version, all_files, text_sources)
    manifest["sources"] = [s for s in manifest["sources"] if s["name"] != source]
    _publish(graph, kg_dir, manifest, statements, source, say)
    if gone:
        stats["dropped_stored"] = sum(gone.values())
    return {"source": source, "statements": len(statements), "added_statements": len(added),
            "stored_already": again, **stats, **dropped, "unchanged": False,
            "seconds": round(time.perf_counter() - t0, 2)}


def remove_source(kg_dir: str | Path, *, source: str = DEFAULT_SOURCE, step: Step | None = None) -> dict[str, Any]:
    """Remove an extraction source from a bundle (its edges and merged evidence).

    Raises:
        BundleError: the bundle has no such extraction source.
    """
    say: Step = step or (lambda _m: None)
    kg_dir = Path(kg_dir)
    manifest = Bundle(kg_dir).manifest()
    statements_path(kg_dir, source)  # a plain name
    if source not in Bundle(kg_dir).text_sources():
        raise BundleError(f"{kg_dir} has no extraction source {source!r} to remove")
    say("reading the graph back from LadybugDB")
    graph = _strip(read_graph(kg_dir), source)
    manifest["sources"] = [s for s in manifest["sources"] if s["name"] != source]
    _publish(graph, kg_dir, manifest, None, source, say)
    return {"source": source, "removed": True}
