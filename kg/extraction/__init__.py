"""Extraction from clinical and biomedical text: concepts (phenotypes,
diseases, drugs) normalised to graph ids with their assertion status, and the
relations between them with their evidence.

Example:
    >>> from kg.extraction import Recognizer
    >>> r = Recognizer.from_concepts([("HP:0002321", "phenotype", "Vertigo", ["Dizziness"])])
    >>> [(m.id, m.assertion) for m in r.extract("Denies dizziness.").entities]
    [('HP:0002321', 'absent')]
"""

from kg.extraction.context import ConText
from kg.extraction.dictionary import Dictionary
from kg.extraction.recognizer import Recognizer
from kg.extraction.relations import LLMRelations, PatternRelations, RelationExtractor
from kg.extraction.types import Evidence, ExtractedDocument, Mention, Relation

__all__ = [
    "ConText",
    "Dictionary",
    "Evidence",
    "ExtractedDocument",
    "LLMRelations",
    "Mention",
    "PatternRelations",
    "Recognizer",
    "Relation",
    "RelationExtractor",
]
