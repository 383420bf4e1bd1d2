"""The RDF form of the graph: vocabulary and a fast N-Triples writer.

Every node is an IRI (its CURIE expanded by the prefix map) typed with its
class and carrying ``medkg:id`` (the CURIE as a literal), ``rdfs:label``,
``medkg:synonym``, ``medkg:definition``, ``medkg:xref_id``, ``medkg:alt_id``,
``medkg:consider`` (on a ``medkg:ObsoleteTerm`` only), ``medkg:class_source`` and
``medkg:class_type`` (on a ``medkg:DrugClass`` only) and
``medkg:asserted_by`` (one per source), and ``medkg:name_word`` for each
distinct word of its label (see :func:`name_words`): SPARQL has no text index,
so a whole-word name search is an index lookup instead of a scan that reads
every label back (seconds on Oxigraph).

Every edge is an ``medkg:Association`` (an n-ary statement node, as in OBAN /
Biolink) with ``medkg:subject``, ``medkg:predicate``, ``medkg:object``,
``medkg:source`` (a ``medkg:Source`` node with ``medkg:version`` and
``medkg:license``), ``medkg:evidence``, ``medkg:negated true`` for negated
statements only, and, where known, ``medkg:frequency``,
``medkg:frequency_label``, ``medkg:onset``, ``medkg:score``. A statement that
is not negated is also asserted directly (``<s> medkg:has_phenotype <o>``) so
that property paths work; a negated one never is.

The build also writes a summary of what each source contributes, counted
once when the graph is written (counting 300,000 associations live takes
Oxigraph seconds): a ``medkg:NodeCount`` per (source, node class) and a
``medkg:StatementCount`` per (source, relation), each with
``medkg:counted_source``, ``medkg:counted`` (the class or the relation) and
``medkg:count`` (an ``xsd:integer``).

Example:
    >>> ntriples_literal('say "hi"\\n')
    '"say \\\\"hi\\\\"\\\\n"'
    >>> iri("HP:0001166")
    '<http://purl.obolibrary.org/obo/HP_0001166>'
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from typing import TextIO

from kg.curie import MEDKG_NS, expand
from kg.graph import GraphNode, KnowledgeGraph, SourceInfo
from kg.model import NODE_CLASS_PROPERTIES, Edge

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
XSD = "http://www.w3.org/2001/XMLSchema#"

def term(local: str) -> str:
    """The IRI (in angle brackets) of a medkg vocabulary term."""
    return f"<{MEDKG_NS}{local}>"


def source_iri(name: str) -> str:
    """The IRI of a source, e.g. ``<https://w3id.org/medkg/source/hpo>``."""
    return term(f"source/{name}")


_WORD = re.compile(r"[^\W_]+")


def name_words(label: str | None) -> list[str]:
    """The distinct lower-case words of a name, in order of first appearance.

    A word is a maximal run of letters and digits (Unicode categories L and N,
    the ``[\\p{L}\\p{N}]`` of Cypher regular expressions); everything else
    separates words.

    Example:
        >>> name_words("Ehlers-Danlos syndrome, type 1 (EDS1); Sjögren's")
        ['ehlers', 'danlos', 'syndrome', 'type', '1', 'eds1', 'sjögren', 's']
        >>> name_words(None)
        []
    """
    return list(dict.fromkeys(_WORD.findall(label.lower()))) if label else []


_ESC = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def ntriples_literal(text: str) -> str:
    """An N-Triples string literal."""
    return '"' + text.translate(_ESC) + '"'


def _typed(value: float | bool) -> str:
    if isinstance(value, bool):
        return f'"{str(value).lower()}"^^<{XSD}boolean>'
    return f'"{float(value)!r}"^^<{XSD}double>'


def iri(curie: str) -> str:
    """The N-Triples IRI of a node, with unsafe characters percent-encoded."""
    full = expand(curie)
    if _IRI_BAD.search(full):
        full = _IRI_BAD.sub(lambda m: f"%{ord(m.group()):02X}", full)
    return f"<{full}>"


def association_iri(edge: Edge) -> str:
    """A stable IRI for one statement (same statement → same IRI)."""
    key = "\x1f".join((*edge.key, "NOT" if edge.negated else ""))
    return term("assoc/" + hashlib.sha1(key.encode()).hexdigest()[:20])


def node_triples(n: GraphNode) -> Iterator[str]:
    """N-Triples lines for one node."""
    s = iri(n.id)
    yield f"{s} {RDF_TYPE} {term(n.type.value)} .\n"
    yield f"{s} {term('id')} {ntriples_literal(n.id)} .\n"
    if n.label:
        yield f"{s} {RDFS_LABEL} {ntriples_literal(n.label)} .\n"
        word = term("name_word")
        for w in name_words(n.label):
            yield f"{s} {word} {ntriples_literal(w)} .\n"
    if n.definition:
        yield f"{s} {term('definition')} {ntriples_literal(n.definition)} .\n"
    for attr in NODE_CLASS_PROPERTIES:
        if value := getattr(n, attr):
            yield f"{s} {term(attr)} {ntriples_literal(value)} .\n"
    for attr, pred in (("synonyms", "synonym"), ("xrefs", "xref_id"), ("alt_ids", "alt_id"), ("consider", "consider")):
        p = term(pred)
        for v in getattr(n, attr):
            yield f"{s} {p} {ntriples_literal(v)} .\n"
    for src in n.sources:
        yield f"{s} {term('asserted_by')} {source_iri(src)} .\n"


_T = {
    k: term(k)
    for k in (
        "Association", "subject", "predicate", "object", "source", "negated",
        "evidence", "frequency", "frequency_label", "onset", "score",
    )
}


def edge_triples(e: Edge, iris: dict[str, str] | None = None) -> Iterator[str]:
    """N-Triples lines for one statement: the direct triple and the association.

    ``medkg:negated true`` is written only for negated statements (absent means
    false); the source's version is a property of the source node.
    """
    s = iris[e.subject] if iris else iri(e.subject)
    o = iris[e.object] if iris else iri(e.object)
    p = term(e.predicate.rdf_name)
    a = association_iri(e)
    t = _T
    if e.negated:
        yield f"{a} {t['negated']} {_typed(True)} .\n"
    else:
        yield f"{s} {p} {o} .\n"
    yield (
        f"{a} {t['subject']} {s} .\n{a} {t['predicate']} {p} .\n"
        f"{a} {t['object']} {o} .\n{a} {t['source']} {source_iri(e.source)} .\n"
    )
    if e.evidence:
        yield f"{a} {t['evidence']} {ntriples_literal(e.evidence)} .\n"
    if e.frequency is not None:
        yield f"{a} {t['frequency']} {_typed(e.frequency)} .\n"
    if e.frequency_label:
        yield f"{a} {t['frequency_label']} {ntriples_literal(e.frequency_label)} .\n"
    if e.onset:
        yield f"{a} {t['onset']} {ntriples_literal(e.onset)} .\n"
    if e.score is not None:
        yield f"{a} {t['score']} {_typed(e.score)} .\n"


def source_triples(info: SourceInfo) -> Iterator[str]:
    """N-Triples lines describing a source (name, version, licence)."""
    s = source_iri(info.name)
    yield f"{s} {RDF_TYPE} {term('Source')} .\n"
    yield f"{s} {RDFS_LABEL} {ntriples_literal(info.name)} .\n"
    yield f"{s} {term('version')} {ntriples_literal(info.version)} .\n"
    yield f"{s} {term('license')} {ntriples_literal(info.license)} .\n"


def _count_triples(kind: str, source: str, counted: str, n: int) -> str:
    c = term(f"count/{source}/{counted}")
    return (
        f"{c} {RDF_TYPE} {term(kind)} .\n{c} {term('counted_source')} {source_iri(source)} .\n"
        f"{c} {term('counted')} {term(counted)} .\n"
        f'{c} {term("count")} "{n}"^^<{XSD}integer> .\n'
    )


def summary_triples(graph: KnowledgeGraph) -> Iterator[str]:
    """N-Triples lines counting each source's nodes by class and statements by relation.

    Example:
        >>> from kg.graph import AssemblyReport
        >>> from kg.model import NodeType
        >>> hp = GraphNode("HP:1", NodeType("PhenotypicFeature"), "x", sources=["hpo"])
        >>> lines = "".join(summary_triples(KnowledgeGraph({"HP:1": hp}, [], [], AssemblyReport())))
        >>> print(lines.splitlines()[-1])
        <https://w3id.org/medkg/count/hpo/PhenotypicFeature> <https://w3id.org/medkg/count> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
    """
    nodes = Counter((src, n.type.value) for n in graph.nodes.values() for src in n.sources)
    for (src, cls), n in sorted(nodes.items()):
        yield _count_triples("NodeCount", src, cls, n)
    for (src, pred), n in sorted(graph.statement_counts().items()):
        yield _count_triples("StatementCount", src, pred, n)


def write_ntriples(graph: KnowledgeGraph, out: TextIO) -> int:
    """Write the whole graph as N-Triples; return the number of triples."""
    count = 0
    buf: list[str] = []

    def flush() -> None:
        nonlocal count
        chunk = "".join(buf)
        count += chunk.count("\n")
        out.write(chunk)
        buf.clear()

    for info in graph.sources:
        buf.extend(source_triples(info))
    for n in graph.nodes.values():
        buf.extend(node_triples(n))
        if len(buf) > 20_000:
            flush()
    iris = {n: iri(n) for n in graph.nodes}
    for e in graph.edges:
        buf.extend(edge_triples(e, iris))
        if len(buf) > 20_000:
            flush()
    buf.extend(summary_triples(graph))
    flush()
    return count
