"""The typed graph model shared by sources, the builder and every store.

A node is a concept (disease, phenotypic feature, drug) named by a CURIE; an
edge is one statement made by one source, with its provenance. The same
statement made by two sources is two edges, each with its own provenance.

Example:
    >>> e = Edge("OMIM:154700", Predicate.HAS_PHENOTYPE, "HP:0001166", "hpo",
    ...          frequency=0.8, frequency_label="HP:0040281")
    >>> e.key
    ('OMIM:154700', 'HAS_PHENOTYPE', 'HP:0001166', 'hpo')
    >>> Predicate.HAS_PHENOTYPE.rdf_name
    'has_phenotype'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class NodeType(StrEnum):
    """The node labels of the graph (RDF classes ``medkg:<value>``)."""

    DISEASE = "Disease"
    PHENOTYPE = "PhenotypicFeature"
    DRUG = "Drug"
    OBSOLETE = "ObsoleteTerm"
    """An ontology id its source made obsolete without naming a replacement (an obsolete id
    with a replacement is an ``alt_ids`` entry of the replacement). Kept so that the id can be
    explained (its old label, the ids its source suggests to consider instead); it is no
    concept of the graph: no statement names it, and no phenotype, disease or drug query
    (nor the text dictionary, the embeddings or the diagnosis index) reads it."""
    DRUG_CLASS = "DrugClass"
    """A class of drugs (DrugCentral's: an FDA Established Pharmacologic Class, mechanism of
    action, chemical/ingredient or physiologic effect, a MeSH pharmacological action, a ChEBI
    application), with the vocabulary and kind of class it is (``class_source``, ``class_type``);
    drugs are joined to it by :attr:`Predicate.IN_CLASS`. Not a concept that text or embeddings
    are matched against (:data:`CONCEPT_TYPES`): a class name in a note ("steroid-induced") is
    read by the reaction reader's own table, not by the dictionary."""


class Predicate(StrEnum):
    """The relationship types (Cypher) / predicates (RDF ``medkg:<rdf_name>``).

    A drug and a disease are joined by one of four: ``TREATS`` (a curator
    classed the drug disease-modifying), ``PALLIATES`` (classed symptomatic),
    ``INDICATED_FOR`` (a drug label lists the disease as an indication; no
    curator classed it disease-modifying or symptomatic) and
    ``NOT_INDICATED_FOR`` (a curated non-indication).

    Those meanings hold for curated sources. An edge of a text-mined source
    (statements merged by ``medkg extract --into``; a bundle tells them by
    :meth:`kg.bundle.Bundle.text_sources`) says only that a sentence was read to
    state the relation: a ``TREATS`` edge of ``text_extraction`` is no curator's
    word, and readers must tell it apart by its ``source`` (``reasoning.treat``
    lists such a drug as ``text_mined``). Text repeating a curated statement is
    no edge of its own: it is appended to the curated edge's evidence.
    """

    HAS_PHENOTYPE = "HAS_PHENOTYPE"
    TREATS = "TREATS"
    PALLIATES = "PALLIATES"
    INDICATED_FOR = "INDICATED_FOR"
    NOT_INDICATED_FOR = "NOT_INDICATED_FOR"
    HAS_ADVERSE_EFFECT = "HAS_ADVERSE_EFFECT"
    SUBCLASS_OF = "SUBCLASS_OF"
    XREF = "XREF"
    IN_CLASS = "IN_CLASS"
    """A drug is a member of a drug class (:attr:`NodeType.DRUG_CLASS`)."""

    @property
    def rdf_name(self) -> str:
        """The local name of the RDF property, e.g. ``has_phenotype``."""
        return self.value.lower()


D, P, R, C = NodeType.DISEASE, NodeType.PHENOTYPE, NodeType.DRUG, NodeType.DRUG_CLASS

CONCEPT_TYPES: tuple[NodeType, ...] = (D, P, R)
"""The node labels of concepts: what statements join, what text and embeddings are matched
against, what a picture or a name search shows (every label but :attr:`NodeType.OBSOLETE` and
:attr:`NodeType.DRUG_CLASS`).

Example:
    >>> [t.value for t in CONCEPT_TYPES]
    ['Disease', 'PhenotypicFeature', 'Drug']
"""

ENDPOINTS: dict[Predicate, tuple[tuple[NodeType, NodeType], ...]] = {
    Predicate.HAS_PHENOTYPE: ((D, P),),
    Predicate.TREATS: ((R, D),),
    Predicate.PALLIATES: ((R, D),),
    Predicate.INDICATED_FOR: ((R, D),),
    Predicate.NOT_INDICATED_FOR: ((R, D),),
    Predicate.HAS_ADVERSE_EFFECT: ((R, P),),
    Predicate.SUBCLASS_OF: ((D, D), (P, P)),
    Predicate.XREF: ((D, D), (P, P)),
    Predicate.IN_CLASS: ((R, C),),
}
"""The (subject type, object type) pairs each predicate allows."""

CONCEPT_PREDICATES: tuple[Predicate, ...] = tuple(
    p for p, pairs in ENDPOINTS.items() if all(a in CONCEPT_TYPES and b in CONCEPT_TYPES for a, b in pairs)
)
"""The relations between concepts (what a picture of the graph shows): every one but a drug's class.

Example:
    >>> Predicate.IN_CLASS in CONCEPT_PREDICATES, Predicate.TREATS in CONCEPT_PREDICATES
    (False, True)
"""

DRUG_DISEASE_PREDICATES: tuple[Predicate, ...] = tuple(
    p for p, pairs in ENDPOINTS.items() if pairs == ((R, D),)
)
"""The drug -> disease statements (indications, curated or not, and non-indications).

Example:
    >>> [p.value for p in DRUG_DISEASE_PREDICATES]
    ['TREATS', 'PALLIATES', 'INDICATED_FOR', 'NOT_INDICATED_FOR']
"""

NODE_CLASS_PROPERTIES = ("class_source", "class_type")
"""Text properties every node carries, filled on :attr:`NodeType.DRUG_CLASS` nodes only (``None``
elsewhere): the vocabulary that defines the class (``FDA``, ``MeSH``, ``CHEBI``) and its kind
(``FDA Established Pharmacologic Class``, ``Mechanism of Action``, ``Pharmacological Action``, ...)."""
NODE_TEXT_PROPERTIES = ("id", "label", "definition", *NODE_CLASS_PROPERTIES)
NODE_LIST_PROPERTIES = ("synonyms", "xrefs", "alt_ids", "consider", "sources")
"""List properties every node carries (empty where they do not apply: ``consider`` is
filled on :attr:`NodeType.OBSOLETE` nodes only)."""
EDGE_PROPERTIES = (
    "source",
    "source_version",
    "evidence",
    "frequency",
    "frequency_label",
    "onset",
    "negated",
    "score",
)
"""Properties every relationship carries (``None`` where unknown)."""


@dataclass(slots=True)
class Node:
    """A concept asserted by one source.

    Attributes:
        id: the CURIE, e.g. ``HP:0001166``.
        type: the node label.
        label: the preferred name.
        source: the name of the source that asserts the node.
        synonyms: other names.
        definition: a textual definition, if the source has one.
        xrefs: CURIEs of the same concept in vocabularies that are not nodes.
        alt_ids: obsolete or secondary ids that now mean this node.
        consider: for an obsolete term (:attr:`NodeType.OBSOLETE`), the ids its source suggests
            considering instead (OBO ``consider``): a suggestion, not a replacement.
        class_source: for a drug class (:attr:`NodeType.DRUG_CLASS`), the vocabulary that defines it.
        class_type: for a drug class, its kind within that vocabulary.
        reference: the source only refers to the node (the target of its cross-reference)
            and does not define it: the node exists for the source's edges, but the source
            is not one of the node's sources (the Disease Ontology's OMIM/ORPHA xref targets).
    """

    id: str
    type: NodeType
    label: str | None
    source: str
    synonyms: tuple[str, ...] = ()
    definition: str | None = None
    xrefs: tuple[str, ...] = ()
    alt_ids: tuple[str, ...] = ()
    consider: tuple[str, ...] = ()
    class_source: str | None = None
    class_type: str | None = None
    reference: bool = False


@dataclass(slots=True)
class Edge:
    """One statement ``subject predicate object`` made by one source.

    Attributes:
        subject: CURIE of the subject node.
        predicate: the relation.
        object: CURIE of the object node.
        source: name of the source that makes the statement.
        evidence: what the source cites (e.g. ``PMID:123``, ``TAS``, a count).
        frequency: how often (0..1) the disease shows the phenotype, if known.
        frequency_label: the source's own frequency text (``HP:0040281``, ``3/7``, ``25%``).
        onset: CURIE of the onset term, where the source gives one.
        negated: the source states that the relation does NOT hold.
        score: a source-specific strength (e.g. HSDN TF-IDF).
        source_version: filled in by the builder from the source's version.
    """

    subject: str
    predicate: Predicate
    object: str
    source: str
    evidence: str | None = None
    frequency: float | None = None
    frequency_label: str | None = None
    onset: str | None = None
    negated: bool = False
    score: float | None = None
    source_version: str | None = None

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Identity of the statement: (subject, predicate, object, source)."""
        return (self.subject, self.predicate.value, self.object, self.source)


@dataclass(slots=True)
class SourceData:
    """What one source contributed to a build.

    Attributes:
        name: registry name of the source.
        version: the source's release or file date.
        nodes: the nodes it asserts.
        edges: the statements it makes.
        license: the licence of the data.
        files: the files it read.
        notes: human-readable remarks (rows skipped and why, ...).
    """

    name: str
    version: str
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    license: str = ""
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
