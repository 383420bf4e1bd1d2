"""Cases from free clinical text, through ``kg.extraction``.

Present phenotype mentions become present features, negated ones excluded
features; uncertain and family-history mentions are left out (and noted).
Diseases and drugs asserted present become known conditions and current drugs.
Every id keeps the text span it came from (``Case.spans``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reasoning.cases import Case
from reasoning.errors import EmptyCaseError


def _recognizer(kg: str | Path | Any) -> Any:
    if hasattr(kg, "extract"):
        return kg
    from kg.extraction import Recognizer

    return Recognizer.from_bundle(kg)


def case_from_text(text: str, kg: str | Path | Any, *, case_id: str | None = None) -> Case:
    """A case from clinical text.

    Args:
        text: the note.
        kg: a bundle folder, or a ready ``kg.extraction.Recognizer``.
        case_id: the case's name.

    Raises:
        EmptyCaseError: the text is empty or names no present phenotype the graph knows.
    """
    if not text.strip():
        raise EmptyCaseError("the text is empty")
    doc = _recognizer(kg).extract(text, doc_id=case_id)
    present: list[str] = []
    excluded: list[str] = []
    conditions: list[str] = []
    drugs: list[str] = []
    notes: list[str] = []
    spans: dict[str, list[str]] = {}
    for m in doc.entities:
        where = f"text[{m.start}:{m.end}] {m.text!r} ({m.assertion}, {m.method})"
        if m.assertion in ("possible", "family"):
            notes.append(f"left out {m.id} from {where}")
            continue
        if m.type == "phenotype" and m.id.startswith("HP:"):
            target = present if m.assertion == "present" else excluded
        elif m.assertion == "present":
            target = conditions if m.type == "disease" else drugs
        else:
            notes.append(f"left out negated {m.type} {m.id} from {where}")
            continue
        if m.id not in target:
            target.append(m.id)
        spans.setdefault(m.id, []).append(where)
    excluded = [x for x in excluded if x not in present]
    if not present:
        raise EmptyCaseError("the text names no present phenotype that the graph knows")
    return Case(id=case_id, present=present, excluded=excluded, conditions=conditions, drugs=drugs,
                notes=notes, spans=spans)
