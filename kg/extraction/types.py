"""The results of extraction: mentions, relations and their provenance.

Example:
    >>> m = Mention(0, 6, "Myopia", "HP:0000545", "phenotype", "absent", 1.0, "dictionary")
    >>> m.as_json()["assertion"]
    'absent'
    >>> ExtractedDocument("d1", [m]).as_json()["entities"][0]["id"]
    'HP:0000545'
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, Literal, TypeVar

EntityType = Literal["phenotype", "disease", "drug"]
Assertion = Literal["present", "absent", "possible", "hypothetical", "family"]
RelationPredicate = Literal["treats", "has_adverse_effect", "has_phenotype"]

RELATION_TYPES: dict[RelationPredicate, tuple[tuple[EntityType, ...], tuple[EntityType, ...]]] = {
    "treats": (("drug",), ("disease", "phenotype")),
    "has_adverse_effect": (("drug",), ("phenotype", "disease")),
    "has_phenotype": (("disease",), ("phenotype",)),
}
"""Allowed (subject types, object types) of each extracted relation."""

_T = TypeVar("_T", bound=type)


def _pickled_by_fields(cls: _T) -> _T:
    """Pickle instances as the class and a tuple of the field values: about twice
    as fast as the generic form of a slotted dataclass, which matters when
    worker processes send back every mention (:mod:`kg.extraction.parallel`).

    Example:
        >>> import pickle
        >>> m = Mention(0, 6, "Myopia", "HP:0000545", "phenotype")
        >>> pickle.loads(pickle.dumps(m)) == m
        True
    """
    values = attrgetter(*(f.name for f in fields(cls)))

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign, assignment]
    return cls


@_pickled_by_fields
@dataclass(slots=True)
class Mention:
    """A concept found in a text.

    Attributes:
        start: offset of the first character in the original text.
        end: offset one past the last character (``text[start:end] == mention.text``).
        text: the surface text.
        id: the CURIE of the graph node it names.
        type: ``phenotype``, ``disease`` or ``drug``.
        assertion: ``present``, ``absent`` (negated), ``possible`` (uncertain),
            ``hypothetical`` (a finding that may come: ``return if fever develops``,
            ``monitor for scoliosis``) or ``family`` (family history).
        score: confidence in 0..1 (1.0 for an exact label match).
        method: what found it (``dictionary``, ``dictionary-synonym``,
            ``dictionary-reordered``, ``abbreviation``, ``exact-string``).
        sentence: index of the sentence the mention is in.
        alternatives: other concepts with the same name (not in the JSON output).
    """

    start: int
    end: int
    text: str
    id: str
    type: EntityType
    assertion: Assertion = "present"
    score: float = 1.0
    method: str = "dictionary"
    sentence: int = 0
    alternatives: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The mention as the ``entities`` item of ``medkg extract`` output."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "id": self.id,
            "type": self.type,
            "assertion": self.assertion,
            "score": round(self.score, 4),
            "method": self.method,
        }


@_pickled_by_fields
@dataclass(slots=True)
class Evidence:
    """Where a relation was read: the provenance of one extracted statement.

    Attributes:
        doc_id: the document.
        sentence: the sentence text.
        sentence_index: its position in the document.
        subject_span: ``(start, end)`` of the subject mention in the document.
        object_span: ``(start, end)`` of the object mention in the document.
        method: ``pattern`` or ``llm:<model>``.
        score: confidence in 0..1.
        cue: the pattern cue (or the model's quoted evidence) that licensed it.
    """

    doc_id: str | None
    sentence: str
    sentence_index: int
    subject_span: tuple[int, int]
    object_span: tuple[int, int]
    method: str
    score: float
    cue: str = ""

    def as_json(self) -> dict[str, Any]:
        """Plain JSON form."""
        return {
            "doc_id": self.doc_id,
            "sentence": self.sentence,
            "sentence_index": self.sentence_index,
            "subject_span": list(self.subject_span),
            "object_span": list(self.object_span),
            "method": self.method,
            "score": round(self.score, 4),
            "cue": self.cue,
        }


@_pickled_by_fields
@dataclass(slots=True)
class Relation:
    """A statement read from a text: ``subject predicate object`` with evidence.

    Attributes:
        subject: CURIE of the subject (a drug or a disease).
        predicate: ``treats``, ``has_adverse_effect`` or ``has_phenotype``.
        object: CURIE of the object.
        evidence: the provenance.
    """

    subject: str
    predicate: RelationPredicate
    object: str
    evidence: Evidence

    def as_json(self) -> dict[str, Any]:
        """The relation as the ``relations`` item of ``medkg extract`` output."""
        return {
            "subject": self.subject,
            "predicate": self.predicate,
            "object": self.object,
            "evidence": self.evidence.as_json(),
        }


@_pickled_by_fields
@dataclass(slots=True)
class ExtractedDocument:
    """Everything extracted from one document.

    Attributes:
        doc_id: the document's id.
        entities: mentions, in text order.
        relations: relations between mentions.
        dropped: counts of candidates dropped and why (e.g. ``llm_span_not_in_text``).
        sentences: the number of sentences read.
    """

    doc_id: str | None
    entities: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)
    sentences: int = 0

    def as_json(self) -> dict[str, Any]:
        """The JSON object ``medkg extract`` writes for this document."""
        out: dict[str, Any] = {
            "doc_id": self.doc_id,
            "entities": [m.as_json() for m in self.entities],
            "relations": [r.as_json() for r in self.relations],
        }
        if self.dropped:
            out["dropped"] = dict(self.dropped)
        return out
