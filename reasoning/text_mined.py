"""Drug statements read from text, told apart from curated ones.

``medkg extract --into`` merges statements read from documents into a bundle as a
source of their own; the bundle keeps them in ``extraction/<source>.jsonl``, and
that file makes a source text-mined (:meth:`kg.bundle.Bundle.text_sources`; in a store,
which has no files, the licence the merge gives the source: see :func:`reasoning.store_reads.provenance`).
A text-mined statement is either an edge of
that source, or, when a curated source states the same, text appended to the curated
edge's evidence after :data:`kg.extraction.merge.MARK`. :class:`TextMined` finds both
and gives each statement's document, sentence and spans as :class:`TextEvidence`.

Example:
    >>> tm = TextMined(["text_extraction"], {("DB:1", "treats", "D:1"): {"text_extraction": [
    ...     {"doc_id": "n1", "sentence": "X treats Y.", "subject_span": [0, 1], "object_span": [9, 10],
    ...      "method": "pattern", "score": 0.9}]}})
    >>> tm.is_text("text_extraction"), tm.is_text("pharmacotherapydb")
    (True, False)
    >>> tm.split('category=DM || text_extraction: n1: "X treats Y." (pattern, 0.9)')
    ('category=DM', [('text_extraction', 'n1: "X treats Y." (pattern, 0.9)')])
    >>> [(e.doc_id, e.drug_span, e.disease_span) for e in tm.evidence("text_extraction", "DB:1", "treats", "D:1", [])]
    [('n1', (0, 1), (9, 10))]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from kg.bundle import Bundle
from kg.extraction.merge import MARK
from kg.model import DRUG_DISEASE_PREDICATES

_DRUG_DISEASE = {p.rdf_name for p in DRUG_DISEASE_PREDICATES}

Statements = Mapping[tuple[str, str, str], Mapping[str, list[dict[str, Any]]]]
"""(drug, predicate, disease) -> text-mined source -> the statements' evidence records."""


class TextEvidence(BaseModel):
    """One text-mined statement behind a listed drug: where it was read, not a curator's word."""

    source: str
    """The text-mined source (``text_extraction`` unless ``--source-name`` said otherwise)."""
    predicate: str
    """What the text was read to say (``treats``)."""
    disease: str
    path: list[str]
    doc_id: str | None
    """The document (a file path below the inputs' folder, a PMID, ...)."""
    sentence: str | None
    """The sentence read (the edge's evidence text where the statements file lacks it)."""
    drug_span: tuple[int, int] | None = None
    """Character offsets of the drug's mention in the document."""
    disease_span: tuple[int, int] | None = None
    """Character offsets of the disease's mention in the document."""
    method: str | None = None
    """``pattern`` or ``llm:<model>``."""
    score: float | None = None


def _span(value: Any) -> tuple[int, int] | None:
    return (int(value[0]), int(value[1])) if isinstance(value, list | tuple) and len(value) == 2 else None


def _read(bundle: Bundle, sources: Iterable[str]) -> Statements:
    """The drug → disease statements of a bundle's text-mined ``sources``."""
    table: dict[tuple[str, str, str], dict[str, list[dict[str, Any]]]] = {}
    for source in sorted(sources):
        for st in bundle.text_statements(source):
            if st.get("predicate") in _DRUG_DISEASE and isinstance(st.get("evidence"), dict):
                key = (str(st.get("subject")), st["predicate"], str(st.get("object")))
                table.setdefault(key, {}).setdefault(source, []).append(st["evidence"])
    return table


class TextMined:
    """A bundle's text-mined sources and their drug → disease statements.

    Args:
        sources: the text-mined sources' names.
        statements: their drug → disease statements (see :data:`Statements`); read from
            ``bundle`` on first use when ``None``.
        bundle: the bundle folder to read them from.
    """

    def __init__(self, sources: Iterable[str] = (), statements: Statements | None = None,
                 bundle: Path | None = None) -> None:
        self.sources = frozenset(sources)
        self._statements = statements
        self._bundle = bundle

    @classmethod
    def from_bundle(cls, bundle: Bundle) -> TextMined:
        """The text-mined sources of ``bundle`` (their statements are read when first needed)."""
        return cls(bundle.text_sources(), bundle=bundle.root)

    def is_text(self, source: str | None) -> bool:
        """Whether ``source`` is text-mined."""
        return source in self.sources

    def split(self, reference: str | None) -> tuple[str | None, list[tuple[str, str]]]:
        """A curated edge's evidence without the text merged into it, and what was merged:
        ``(text-mined source, its evidence text)`` for each source that repeated the statement."""
        if not reference or MARK not in reference:
            return reference, []
        head, *parts = reference.split(MARK)
        merged = [(name, text) for name, _, text in (p.partition(": ") for p in parts) if self.is_text(name)]
        return head or None, merged

    def _loaded(self) -> Statements:
        if self._statements is None:
            self._statements = _read(Bundle(self._bundle), self.sources) if self._bundle is not None else {}
        return self._statements

    def evidence(self, source: str, drug: str, predicate: str, disease: str, path: list[str],
                 fallback: str | None = None) -> list[TextEvidence]:
        """The documents that ``source`` read ``drug predicate disease`` in, best score first;
        one item with ``fallback`` (the edge's evidence text) as its sentence if it has none."""
        found = self._loaded().get((drug, predicate, disease), {}).get(source, [])
        items = [TextEvidence(source=source, predicate=predicate, disease=disease, path=path,
                              doc_id=ev.get("doc_id"), sentence=ev.get("sentence"),
                              drug_span=_span(ev.get("subject_span")), disease_span=_span(ev.get("object_span")),
                              method=ev.get("method"), score=ev.get("score"))
                 for ev in found]
        items.sort(key=lambda e: (-(e.score or 0.0), e.doc_id or "", e.drug_span or (0, 0)))
        return items or [TextEvidence(source=source, predicate=predicate, disease=disease, path=path,
                                      doc_id=None, sentence=fallback)]
