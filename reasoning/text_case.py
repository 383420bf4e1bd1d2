"""Cases from free clinical text, through ``kg.extraction``.

Present phenotype mentions become present features, negated ones excluded
features; uncertain and family-history mentions are left out (and noted).
Diseases asserted present become known conditions. A drug asserted present is
read in its sentence (:func:`drug_context`): after an allergy cue it is an
allergy, near a past-use cue it is left out (and noted), otherwise it is a
current drug. Other mentions inside an allergy statement (``Allergies: penicillin
(rash)``: the allergy itself, its reaction) are no findings of the case and are left
out (noted); a statement that names no drug of the graph is a warning. The patient's age
and sex are read where the text states them (:mod:`reasoning.text_demographics`). Every id
keeps the text span it came from (``Case.spans``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path
from typing import Any, Literal

from kg.errors import ConfigError
from kg.extraction.text import STOPWORDS
from reasoning.cases import Case, present_wins
from reasoning.errors import EmptyCaseError
from reasoning.text_allergies import (ALLERGY_CUE_WORDS, CLAUSE_END_WORDS, allergy_sentences, allergy_statements,
                                      says_none)
from reasoning.text_demographics import demographics

_ALLERGY_BEFORE = re.compile(
    rf"\b(?:{ALLERGY_CUE_WORDS}|hypersensitiv(?:e|ity)\s+to|intoleran(?:t|ce)\s+(?:of|to))", re.IGNORECASE)
"""An allergy cue: it makes the drugs after it, in its clause, allergies."""
_PAST_BEFORE = re.compile(
    r"\b(?:previously|formerly|in\s+the\s+past|discontinued|stopped|(?:was\s+)?taken\s+off|history\s+of)\b",
    re.IGNORECASE)
"""A past-use cue before a drug (``previously treated with X``, ``history of X use``)."""
_PAST_AFTER = re.compile(r"\b(?:stopped|discontinued|withdrawn|ceased)\b", re.IGNORECASE)
"""A past-use cue after a drug, before the next comma (``X was discontinued``)."""
_CLAUSE_END = re.compile(CLAUSE_END_WORDS + r"|,\s*(?:on|using|receiving)\b", re.IGNORECASE)
"""Where a cue's reach ends (besides the sentence end; a past-use cue's also at a comma)."""
_ALLERGY_AFTER = re.compile(r"\s*(?:allerg(?:y|ies|ic)|hypersensitivity|intolerance)\b", re.IGNORECASE)
"""An allergy cue right after a drug (``penicillin allergy``)."""
_PAST_USE_BEFORE = re.compile(
    r"\b(?:no\s+longer|stopped|discontinued|quit|ceased)\s+(?:taking|using|receiving|on)\s+$", re.IGNORECASE)
"""Past use said by the words just before a drug (``no longer taking X``, ``stopped taking X``)."""
_STARTED_AFTER = re.compile(r"\b(?:started|starting|begun|initiated|introduced|added)\b", re.IGNORECASE)
"""A drug started after it, before the next comma (``X stopped and Y started``): current."""

DrugContext = Literal["current", "allergy", "past"]


def drug_context(text: str, start: int, end: int, sentences: list[tuple[int, int]] | None = None) -> DrugContext:
    """How the sentence around the drug mention ``text[start:end]`` speaks of it.

    ``allergy``: an allergy cue (allergic to, allergy to, allergies:, hypersensitivity to,
    intolerant of) comes before it in its clause, or allergy / hypersensitivity / intolerance
    right after it. ``past``: it follows no longer / stopped / discontinued taking (or on,
    using); or a past-use cue (previously, formerly, in the past, discontinued, stopped, was
    taken off, history of) comes before it in its clause with no comma between and no
    started / begun / added follows it before the next comma (``X stopped and Y started``);
    or stopped / discontinued / withdrawn / ceased comes after it before the next comma. A
    clause ends at the sentence end, ``;``, a word that starts a new statement (but, however,
    now, currently, started, switched to, takes, ...) or a comma before on / using /
    receiving. Otherwise ``current``. (So a list after an allergy cue is all allergies, but only the
    first drug of a comma list after a past-use cue is past: a wrong guess keeps a drug
    current, as it was before these rules.)

    Example:
        >>> t = "Allergic to penicillin; now on metformin. Valproate was stopped, lamotrigine started."
        >>> [drug_context(t, t.index(w), t.index(w) + len(w)) for w in ("penicillin", "metformin",
        ...  "Valproate", "lamotrigine")]
        ['allergy', 'current', 'past', 'current']

    ``sentences``: the text's :func:`~reasoning.text_allergies.allergy_sentences`, when the
    caller asks about many mentions of one text (they are found once).
    """
    spans = allergy_sentences(text) if sentences is None else sentences
    k = max(bisect_right(spans, (start, len(text) + 1)) - 1, 0)
    s0, s1 = spans[k] if spans else (0, len(text))
    before = text[s0:start]
    after = text[end:max(s1, end)]
    if _ALLERGY_AFTER.match(after):
        return "allergy"
    ends = [m.end() for m in _CLAUSE_END.finditer(before)]
    clause = before[ends[-1] if ends else 0:]
    if _ALLERGY_BEFORE.search(clause):
        return "allergy"
    stop = re.search(r",|" + _CLAUSE_END.pattern, after, re.IGNORECASE)
    if _PAST_USE_BEFORE.search(before) or _PAST_AFTER.search(after[:stop.start() if stop else len(after)]):
        return "past"
    upto_comma = after[:m.start() if (m := re.search(r"[,;]", after)) else len(after)]
    if _STARTED_AFTER.search(upto_comma):
        return "current"
    return "past" if _PAST_BEFORE.search(clause.rsplit(",", 1)[-1]) else "current"


def looks_english(text: str) -> bool:
    """Whether at least one word in twenty of a text of five words or more is an English function
    word (:data:`kg.extraction.text.STOPWORDS`; a short text is given the benefit of the doubt).

    Example:
        >>> looks_english("Pas de fièvre, hypotonie et convulsions depuis la naissance."), looks_english("Seizures.")
        (False, True)
    """
    words = re.findall(r"[^\W\d_]+", text.lower())
    return len(words) < 5 or sum(w in STOPWORDS for w in words) * 20 >= len(words)


def _containing(spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The span of ``spans`` (sorted by start) that holds ``[start, end)``, if one does."""
    k = bisect_right(spans, (start, float("inf"))) - 1
    while k >= 0 and spans[k][0] <= start:
        if end <= spans[k][1]:
            return spans[k]
        if k == 0 or spans[k - 1][1] < start:  # no earlier span reaches this far
            return None
        k -= 1
    return None


def _why_empty(text: str, notes: list[str]) -> str:
    """Why a text gave no present phenotype: what was left out, and a hint when it is not English."""
    why = "the text names no present phenotype that the graph knows"
    if not looks_english(text):
        why += "; it does not look like English, the only language medkg reads"
    left = [n for n in notes if n.startswith("left out")]
    if left:
        why += f"; left out: {'; '.join(left[:3])}" + (f" (and {len(left) - 3} more)" if len(left) > 3 else "")
    return why


def _recognizer(kg: str | Path | Any) -> Any:
    """A recognizer: ``kg`` itself, or one for a bundle given by path or by its loaded index."""
    if hasattr(kg, "extract"):
        return kg
    from kg.extraction import Recognizer
    from reasoning.index import DiagnosisIndex

    if isinstance(kg, DiagnosisIndex):
        if not kg.info.get("bundle"):
            raise ConfigError("this diagnosis index was not loaded from a bundle: give the bundle's folder "
                              "or a kg.extraction.Recognizer")
        kg = kg.info["bundle"]
    return Recognizer.from_bundle(kg)


SPANS_PER_ID = 10
"""Text spans kept per id in ``Case.spans`` (the rest are counted): a long note can name a finding
thousands of times."""


def case_from_text(text: str, kg: str | Path | Any, *, case_id: str | None = None) -> Case:
    """A case from clinical text.

    Args:
        text: the note.
        kg: a bundle folder, its loaded index (:func:`reasoning.load_index`), or a ready
            ``kg.extraction.Recognizer``.
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
    allergies: list[str] = []
    notes: list[str] = []
    spans: dict[str, list[str]] = {}
    more: dict[str, int] = {}
    sentences = allergy_sentences(text)
    statements = allergy_statements(text, [(m.start, m.end, m.type) for m in doc.entities], sentences)
    with_drug: set[tuple[int, int]] = set()
    for m in doc.entities:
        where = f"text[{m.start}:{m.end}] {m.text!r} ({m.assertion}, {m.method})"
        if m.assertion in ("possible", "hypothetical", "family"):
            notes.append(f"left out {m.id} from {where}")
            continue
        inside = _containing(statements, m.start, m.end)
        if inside is not None and m.type != "drug":
            notes.append(f"left out {m.id}, part of an allergy statement (the allergy or its reaction, "
                         f"not a finding of the case), from {where}")
            continue
        if m.type == "phenotype" and m.id.startswith("HP:"):
            target = present if m.assertion == "present" else excluded
        elif m.assertion == "present" and m.type == "disease":
            target = conditions
        elif m.assertion == "present":
            how = drug_context(text, m.start, m.end, sentences)
            if how == "past":
                notes.append(f"left out {m.id}, not a current drug (past use), from {where}")
                continue
            target = allergies if how == "allergy" else drugs
            if inside is not None and how == "allergy":
                with_drug.add(inside)
        else:
            notes.append(f"left out negated {m.type} {m.id} from {where}")
            continue
        if m.id not in target:
            target.append(m.id)
        seen = spans.setdefault(m.id, [])
        if len(seen) < SPANS_PER_ID:
            seen.append(where)
        else:
            more[m.id] = more.get(m.id, 0) + 1
    for cid, n in more.items():
        spans[cid].append(f"and {n} more mention(s)")
    excluded, warnings = present_wins(present, excluded)
    warnings += [f"the allergy statement text[{a}:{b}] {text[a:b]!r} names no drug of the graph: no drug allergy "
                 "recorded from it (for a drug the graph has under another name, give it with --allergy)"
                 for a, b in statements if (a, b) not in with_drug and not says_none(text, a)]
    if not present:
        raise EmptyCaseError(_why_empty(text, notes))
    stated = demographics(text)
    return Case(id=case_id, present=present, excluded=excluded, conditions=conditions, drugs=drugs,
                allergies=allergies, age_years=stated.age_years, sex=stated.sex, notes=stated.notes + notes,
                warnings=warnings + stated.warnings, spans=spans)
