"""The Human Disease Ontology (HumanDO.obo, dhimmel/disease-ontology copy).

Reads ``<data_dir>/disease-ontology/HumanDO.obo`` with :func:`kg.sources.obo.parse_obo`
(``term-names.tsv`` and ``xrefs-slim.tsv`` carry nothing the OBO file lacks and
are not read). Every non-obsolete ``[Term]`` becomes a Disease node
``DOID:<n>`` with its name, synonyms, definition, alt_ids and xrefs. An obsolete term
becomes an alt id of its ``replaced_by`` term, or, with no replacement, an ``ObsoleteTerm``
node with its name and ``consider`` ids (2,372 of the 2015 release's 2,374; none has a
replacement, 2 are alt ids of live terms), so that a user's obsolete DOID is reported as obsolete. Xref
prefixes are normalised (``MSH`` -> ``MESH``, ``UMLS_CUI`` -> ``UMLS``, ``NCI`` and
``NCI2009_04D`` -> ``NCIT``, ``SNOMEDCT_*`` -> ``SNOMEDCT``, ``ORDO`` and
``Orphanet:ORPHA<n>`` -> ``ORPHA:<n>``, ``ICD9`` -> ``ICD9CM``; ``OMIM``, ``EFO``,
``KEGG``, ``MEDDRA``, ``ICD10CM``, ``ICD10``, ``ICD9CM`` and ``HP`` are kept);
prefixes with no mapping (``CSP``, ``EFOpat_id``, ``CTV3``, ...) are dropped and
counted in the notes, and so are xrefs whose local id does not fit the prefix
(:data:`kg.curie.LOCAL_IDS`: the typos ``OMIM:6111107``, ``MSH:563466``, an empty
``ORPHA:``), which the notes list (the first 20, then a count). OMIM phenotypic-series xrefs
(``OMIM:PS168600``, in later DO releases) are well formed and kept.

Edges:

* ``is_a`` -> ``DOID:x SUBCLASS_OF DOID:parent`` (parents that are obsolete or
  absent are skipped and counted);
* every OMIM or ORPHA xref -> ``DOID:x XREF OMIM:y`` / ``ORPHA:z`` with evidence
  ``"DO xref"``, plus a reference to the target (a Disease node with
  ``reference=True`` and no label: DO does not define OMIM or Orphanet diseases, the
  HPO source does, so DO is not among the target's sources). These xrefs stay in the
  node's ``xrefs`` too.

Example:
    >>> normalize_xref("MSH:D000544"), normalize_xref("Orphanet:ORPHA2608")
    ('MESH:D000544', 'ORPHA:2608')
    >>> normalize_xref("SNOMEDCT_2010_1_31:33176006"), normalize_xref("CSP:1248-5305")
    ('SNOMEDCT:33176006', None)
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from kg.curie import normalize_curie, prefix_of
from kg.errors import InvalidCurieError, SourceFormatError
from kg.model import Edge, Node, NodeType, Predicate, SourceData
from kg.sources.base import register_source
from kg.sources.obo import OboTerm, parse_obo
from kg.sources.pharmacotherapydb import source_dir

NAME = "disease_ontology"
SUBDIR = "disease-ontology"
FILE = "HumanDO.obo"
LICENSE = "CC BY 3.0 (stated in this HumanDO.obo release; later DO releases are CC0)"

XREF_PREFIXES: dict[str, str] = {
    "MSH": "MESH",
    "MESH": "MESH",
    "ICD10CM": "ICD10CM",
    "ICD10": "ICD10",
    "ICD9CM": "ICD9CM",
    "ICD9": "ICD9CM",
    "UMLS_CUI": "UMLS",
    "UMLS": "UMLS",
    "NCI": "NCIT",
    "NCIT": "NCIT",
    "SNOMEDCT": "SNOMEDCT",
    "ORDO": "ORPHA",
    "ORPHANET": "ORPHA",
    "ORPHA": "ORPHA",
    "OMIM": "OMIM",
    "MIM": "OMIM",
    "EFO": "EFO",
    "KEGG": "KEGG",
    "MEDDRA": "MEDDRA",
    "HP": "HP",
}
"""OBO xref prefix (upper-cased) -> canonical CURIE prefix."""

XREF_EDGE_PREFIXES = ("OMIM", "ORPHA")
"""Xref targets that become XREF edges (they are Disease nodes of other sources)."""

_VERSIONED = re.compile(r"^(SNOMEDCT|NCI)_?\d[\w]*$", re.IGNORECASE)
_ORPHA_LOCAL = re.compile(r"^ORPHA_?", re.IGNORECASE)


def canonical_prefix(prefix: str) -> str | None:
    """The canonical prefix for an OBO xref prefix, or ``None`` if it has no mapping.

    Example:
        >>> canonical_prefix("NCI2009_04D"), canonical_prefix("umls_cui"), canonical_prefix("CTV3")
        ('NCIT', 'UMLS', None)
    """
    key = prefix.upper()
    m = _VERSIONED.match(key)
    if m:
        key = m.group(1).upper()
    return XREF_PREFIXES.get(key)


def normalize_xref(xref: str) -> str | None:
    """The canonical CURIE of an OBO xref, or ``None`` if its prefix has no mapping.

    Raises:
        InvalidCurieError: the prefix is mapped but the local id is malformed (empty, or not
            of the prefix's pattern, e.g. ``OMIM:foo``).

    Example:
        >>> normalize_xref("ORPHA:")
        Traceback (most recent call last):
        ...
        kg.errors.InvalidCurieError: malformed ORPHA id 'ORPHA:': the local id after 'ORPHA:' is empty
    """
    prefix, sep, local = xref.strip().partition(":")
    target = canonical_prefix(prefix) if sep else None
    if target is None:
        return None
    if target == "ORPHA":
        local = _ORPHA_LOCAL.sub("", local)
    return normalize_curie(f"{target}:{local}")


NOTE_EXAMPLES = 20
"""How many malformed xrefs a note lists by name; the rest are counted (``... and N more``)."""


def _examples(items: list[str]) -> str:
    """The first :data:`NOTE_EXAMPLES` of ``items``, and how many more there are.

    Example:
        >>> _examples([f"X:{i}" for i in range(22)]).endswith("X:18, X:19 and 2 more")
        True
    """
    shown = ", ".join(items[:NOTE_EXAMPLES])
    rest = len(items) - NOTE_EXAMPLES
    return f"{shown} and {rest} more" if rest > 0 else shown


def term_xrefs(term: OboTerm, dropped: Counter[str], malformed: list[str]) -> tuple[str, ...]:
    """The term's normalised xrefs (deduplicated, in file order); count the dropped prefixes
    and list the malformed xrefs (``"OMIM:6111107 (DOID:x)"``), which are left out."""
    out: dict[str, None] = {}
    for raw in term.xrefs:
        try:
            curie = normalize_xref(raw)
        except InvalidCurieError:
            malformed.append(f"{raw.strip()} ({term.id})")
            continue
        if curie is None:
            dropped[raw.partition(":")[0]] += 1
        else:
            out[curie] = None
    return tuple(out)


def version_of(header: dict[str, str]) -> str:
    """A version string from the OBO header (``data-version`` or else ``date``).

    Example:
        >>> version_of({"date": "14:05:2015 16:40"})
        'HumanDO.obo date 14:05:2015 16:40'
    """
    if header.get("data-version"):
        return f"HumanDO.obo {header['data-version']}"
    if header.get("date"):
        return f"HumanDO.obo date {header['date']}"
    return "HumanDO.obo (undated)"


def _obsolete_terms(terms: list[OboTerm], live: list[OboTerm], path: Path, nodes: dict[str, Node]
                    ) -> dict[str, list[str]]:
    """Obsolete terms: one with a replacement (``replaced_by``) is an alt id of it (returned, by
    replacement), one a live term lists as an ``alt_id`` is that term's already, and the rest
    become ``ObsoleteTerm`` nodes in ``nodes`` (with their ``consider`` ids), so that an obsolete
    id is reported as obsolete, not as unknown."""
    merged = {a for t in live for a in t.alt_ids}
    replaced: dict[str, list[str]] = {}
    for t in terms:
        if not t.obsolete:
            continue
        t.id = _check_id(t, path)
        if t.replaced_by:
            replaced.setdefault(normalize_curie(t.replaced_by[0]), []).append(t.id)
        elif t.id not in merged:
            nodes[t.id] = Node(id=t.id, type=NodeType.OBSOLETE, label=t.name or None, source=NAME,
                               consider=tuple(dict.fromkeys(normalize_curie(c) for c in t.consider)))
    return replaced


def term_node(term: OboTerm, xrefs: tuple[str, ...], replaced: list[str] | tuple[str, ...] = ()) -> Node:
    """The Disease node of a DO term (``replaced``: obsolete ids it replaces, kept as alt ids)."""
    synonyms = tuple(dict.fromkeys(s for s in term.synonyms if s and s != term.name))
    return Node(
        id=term.id,
        type=NodeType.DISEASE,
        label=term.name,
        source=NAME,
        synonyms=synonyms,
        definition=term.definition or None,
        xrefs=xrefs,
        alt_ids=tuple(dict.fromkeys((*term.alt_ids, *replaced))),
    )


def _check_id(term: OboTerm, path: Path) -> str:
    try:
        curie = normalize_curie(term.id)
    except InvalidCurieError as e:
        raise SourceFormatError(path, term.line, f"bad term id: {e}") from e
    if prefix_of(curie) != "DOID":
        raise SourceFormatError(path, term.line, f"expected a DOID term id, got {term.id!r}")
    return curie


@register_source(
    NAME,
    description="Human Disease Ontology: DOID diseases, hierarchy, "
    "xrefs to OMIM/Orphanet/MeSH/ICD/UMLS",
    license=LICENSE,
    subdir=SUBDIR,
)
def load(data_dir: Path | None) -> SourceData:
    """Read ``HumanDO.obo`` into Disease nodes, SUBCLASS_OF and XREF edges.

    Args:
        data_dir: the data folder root (the file is ``disease-ontology/HumanDO.obo``).

    Raises:
        ConfigError: no data folder.
        SourceFileMissing: the file is not there.
        SourceFormatError: a malformed OBO file or a term id that is not a DOID.
    """
    path = source_dir(data_dir, NAME, SUBDIR) / FILE
    header, terms = parse_obo(path, NAME)
    live = [t for t in terms if not t.obsolete]
    for t in live:
        t.id = _check_id(t, path)
    live_ids = {t.id for t in live}
    nodes: dict[str, Node] = {}
    replaced = _obsolete_terms(terms, live, path, nodes)
    edges: list[Edge] = []
    dropped: Counter[str] = Counter()
    malformed: list[str] = []
    xref_edges: Counter[str] = Counter()
    bad_parents = 0
    for t in live:
        xrefs = term_xrefs(t, dropped, malformed)
        nodes[t.id] = term_node(t, xrefs, replaced.get(t.id, ()))
        for parent in dict.fromkeys(t.is_a):
            if parent in live_ids:
                edges.append(Edge(t.id, Predicate.SUBCLASS_OF, parent, NAME))
            else:
                bad_parents += 1
        for x in xrefs:
            prefix = prefix_of(x)
            if prefix in XREF_EDGE_PREFIXES:
                edges.append(Edge(t.id, Predicate.XREF, x, NAME, evidence="DO xref"))
                xref_edges[prefix] += 1
    for e in edges:
        if e.object not in nodes:
            nodes[e.object] = Node(e.object, NodeType.DISEASE, None, NAME, reference=True)
    kept = sum(n.type is NodeType.OBSOLETE for n in nodes.values())
    notes = [
        f"{len(live)} terms; of {len(terms) - len(live)} obsolete terms, {kept} without a replacement kept as "
        f"ObsoleteTerm nodes, {sum(map(len, replaced.values()))} alt ids of their replacement",
        "XREF edges by target prefix: "
        + ", ".join(f"{p} {xref_edges[p]}" for p in XREF_EDGE_PREFIXES),
    ]
    if dropped:
        notes.append(
            f"dropped {sum(dropped.values())} xrefs with unmapped prefixes: "
            + ", ".join(f"{p} {n}" for p, n in dropped.most_common())
        )
    if malformed:
        # HumanDO.obo holds a few typos (OMIM:6111107, MSH:563466, ...): skipped and listed,
        # not an error, so that the published file builds
        notes.append(f"skipped {len(malformed)} malformed xrefs: {_examples(malformed)}")
    if bad_parents:
        notes.append(f"skipped {bad_parents} is_a links to obsolete or absent terms")
    return SourceData(
        name=NAME,
        version=version_of(header),
        nodes=list(nodes.values()),
        edges=edges,
        license=LICENSE,
        files=[str(path)],
        notes=notes,
    )
