"""Assemble the sources' nodes and edges into one consistent knowledge graph.

Nodes asserted by several sources are merged (first label wins in source
order, synonyms, xrefs, alt ids and consider ids are unioned, every asserting source is
kept). A node a source only refers to (:attr:`Node.reference`) is created for
its edges but does not list that source, unless no loaded source defines it (then it
exists only through that source's statements, and lists it). Statements repeated within one source are merged into one edge.
Edges whose endpoints are missing or of the wrong type are dropped and counted.

Example:
    >>> from kg.model import Node, Edge, NodeType, Predicate, SourceData
    >>> a = SourceData("a", "1", [Node("DOID:1", NodeType.DISEASE, "flu", "a"),
    ...                           Node("HP:1", NodeType.PHENOTYPE, None, "a")],
    ...                [Edge("DOID:1", Predicate.HAS_PHENOTYPE, "HP:1", "a")])
    >>> b = SourceData("b", "2", [Node("HP:1", NodeType.PHENOTYPE, "fever", "b")],
    ...                [Edge("DOID:1", Predicate.HAS_PHENOTYPE, "HP:9", "b")])
    >>> g = assemble([a, b])
    >>> g.nodes["HP:1"].label, g.nodes["HP:1"].sources, len(g.edges), g.report.dropped_edges
    ('fever', ['a', 'b'], 1, {'b': 1})
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from kg.model import DRUG_DISEASE_PREDICATES, ENDPOINTS, Edge, NodeType, Predicate, SourceData


@dataclass(slots=True)
class GraphNode:
    """A node after merging every source's assertion of it."""

    id: str
    type: NodeType
    label: str | None
    synonyms: list[str] = field(default_factory=list)
    definition: str | None = None
    xrefs: list[str] = field(default_factory=list)
    alt_ids: list[str] = field(default_factory=list)
    consider: list[str] = field(default_factory=list)
    class_source: str | None = None
    class_type: str | None = None
    sources: list[str] = field(default_factory=list)


@dataclass(slots=True)
class SourceInfo:
    """Provenance of one source in a build."""

    name: str
    version: str
    license: str
    files: list[str]
    notes: list[str]
    nodes: int = 0
    edges: int = 0


@dataclass(slots=True)
class AssemblyReport:
    """What the assembly did besides copying: merges, drops, mappings."""

    dropped_edges: dict[str, int] = field(default_factory=dict)
    dropped_examples: list[str] = field(default_factory=list)
    merged_duplicate_edges: int = 0
    type_conflicts: list[str] = field(default_factory=list)
    identity: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class KnowledgeGraph:
    """The assembled graph, ready to be written to stores."""

    nodes: dict[str, GraphNode]
    edges: list[Edge]
    sources: list[SourceInfo]
    report: AssemblyReport

    def counts(self) -> dict[str, dict[str, int]]:
        """Node counts by type and edge counts by predicate."""
        return {
            "nodes": dict(Counter(n.type.value for n in self.nodes.values())),
            "edges": dict(Counter(e.predicate.value for e in self.edges)),
        }

    def statement_counts(self) -> Counter[tuple[str, str]]:
        """Statements (negated ones included) by (source, relation), the
        relation as its RDF name (``has_phenotype``); the build writes them to
        every store so that "statements per source" needs no scan."""
        return Counter((e.source, e.predicate.rdf_name) for e in self.edges)


def _merge_edge(into: Edge, e: Edge) -> None:
    if e.evidence and e.evidence not in (into.evidence or ""):
        into.evidence = f"{into.evidence}; {e.evidence}" if into.evidence else e.evidence
    a, b = into.frequency_label or "", e.frequency_label or ""
    if "/" in a and "/" in b:
        (n1, m1), (n2, m2) = (map(int, a.split("/")), map(int, b.split("/")))
        into.frequency_label = f"{n1 + n2}/{m1 + m2}"
        into.frequency = (n1 + n2) / (m1 + m2) if m1 + m2 else into.frequency
    elif into.frequency is None and e.frequency is not None:
        into.frequency, into.frequency_label = e.frequency, e.frequency_label
    into.onset = into.onset or e.onset
    if e.score is not None:
        into.score = max(into.score or e.score, e.score)


def assemble(parts: list[SourceData]) -> KnowledgeGraph:
    """Merge the sources' contributions into one graph (see module docstring)."""
    nodes: dict[str, GraphNode] = {}
    report = AssemblyReport()
    infos: list[SourceInfo] = []
    referenced: dict[str, set[str]] = {}
    for part in parts:
        info = SourceInfo(part.name, part.version, part.license, part.files, list(part.notes))
        infos.append(info)
        seen: set[str] = set()
        for n in part.nodes:
            g = nodes.get(n.id)
            if g is None:
                g = nodes[n.id] = GraphNode(n.id, n.type, n.label, definition=n.definition)
            elif g.type is not n.type:
                report.type_conflicts.append(
                    f"{n.id}: {part.name} says {n.type.value}, kept {g.type.value}"
                )
                continue
            if n.reference:  # the node exists for the source's edges; the source does not define it
                referenced.setdefault(part.name, set()).add(n.id)
                continue
            g.label = g.label or n.label
            g.definition = g.definition or n.definition
            g.class_source = g.class_source or n.class_source
            g.class_type = g.class_type or n.class_type
            for attr in ("synonyms", "xrefs", "alt_ids", "consider"):
                have: list[str] = getattr(g, attr)
                have.extend(v for v in getattr(n, attr) if v not in have)
            if part.name not in g.sources:
                g.sources.append(part.name)
            seen.add(n.id)
        info.nodes = len(seen)
    for g in nodes.values():
        if g.label in g.synonyms:
            g.synonyms.remove(g.label)
    # a node no loaded source defines exists only through its references: they assert it
    undefined_anywhere = {i for refs in referenced.values() for i in refs if not nodes[i].sources}
    for info in infos:
        if refs := referenced.get(info.name):
            undefined = sorted(refs & undefined_anywhere)
            for i in undefined:
                nodes[i].sources.append(info.name)
            info.nodes += len(undefined)
            info.notes.append(f"refers to {len(refs)} nodes it does not define; {len(undefined)} of them no loaded "
                              "source defines: kept without a name, with this source as the one that asserts them")

    edges: dict[tuple[str, str, str, str, bool], Edge] = {}
    for part, info in zip(parts, infos, strict=True):
        dropped = 0
        for e in part.edges:
            s, o = nodes.get(e.subject), nodes.get(e.object)
            if s is None or o is None or (s.type, o.type) not in ENDPOINTS[e.predicate]:
                dropped += 1
                if len(report.dropped_examples) < 20:
                    report.dropped_examples.append(
                        f"{part.name}: {e.subject} {e.predicate.value} {e.object}"
                    )
                continue
            e.source_version = part.version
            key = (*e.key, e.negated)
            if key in edges:
                _merge_edge(edges[key], e)
                report.merged_duplicate_edges += 1
            else:
                edges[key] = e
                info.edges += 1
        if dropped:
            report.dropped_edges[part.name] = dropped
            info.notes.append(f"dropped {dropped} edges with a missing or mistyped endpoint")
    graph = KnowledgeGraph(nodes, list(edges.values()), infos, report)
    report.identity = identity_report(graph)
    return graph


def identity_report(graph: KnowledgeGraph) -> dict[str, int]:
    """How many DOID diseases with drug statements reach an OMIM/ORPHA disease.

    A DOID disease is *mapped* when an ``XREF`` edge ties it to an OMIM or
    ORPHA disease node that has phenotype annotations, so that drug edges on
    the DOID id reach the rare-disease ids through an explicit, sourced edge.
    """
    drug_diseases = {e.object for e in graph.edges if e.predicate in DRUG_DISEASE_PREDICATES}
    annotated = {e.subject for e in graph.edges if e.predicate is Predicate.HAS_PHENOTYPE}
    xref: defaultdict[str, set[str]] = defaultdict(set)
    for e in graph.edges:
        if e.predicate is Predicate.XREF and e.object.split(":")[0] in ("OMIM", "ORPHA"):
            xref[e.subject].add(e.object)
    doid = {d for d in drug_diseases if d.startswith("DOID:")}
    mapped = {d for d in doid if xref.get(d, set()) & annotated}
    targets = set().union(*(xref[d] & annotated for d in mapped)) if mapped else set()
    return {
        "drug_diseases_doid": len(doid),
        "mapped_to_omim_or_orpha": len(mapped),
        "not_mapped": len(doid) - len(mapped),
        "omim_orpha_targets": len(targets),
        "xref_edges_to_omim_orpha": sum(len(v) for v in xref.values()),
    }
