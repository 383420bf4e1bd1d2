"""Cases from free clinical text, through ``kg.extraction``.

Present HPO phenotype mentions become present features, negated ones excluded
features; uncertain and family-history mentions are left out (and noted).
Diseases asserted present become known conditions. A drug asserted present is
read in its sentence (:func:`~reasoning.text_drugs.drug_context`): after an allergy cue it
is an allergy, near a past-use cue it is a drug taken before (``Case.drugs_stopped``, which
``--treatments`` flags "took ... (stopped)", as a phenopacket's finished treatment), near a cue
to avoid it (``Avoid allopurinol``) it is left out (and noted), otherwise it is a current drug. Only drug mentions become drugs: a finding of another vocabulary (a MeSH
symptom, a UMLS concept such as *Pregnancy*) is no HPO term, so it cannot be scored, and is
left out with a note. Other mentions inside an allergy statement (``Allergies: penicillin
(rash)``, ``Codeine -> hives``: the allergy itself, its reaction), and the allergy word after a
drug with a reaction in parentheses after it (``codeine allergy (rash)``), are no findings of
the case and are left out (noted); a statement that names no drug of the graph, or an allergen
of a statement that names none (``Penicillin (anaphylaxis), codeine - nausea`` in a graph without
penicillin), is a warning. The patient's age and sex are read where the text states them
(:mod:`reasoning.text_demographics`). A growth measurement beyond two SD (``OFC 44 cm (<0.4th
centile)``, ``Height -2.8 SD``) is the phenotype it defines (:mod:`reasoning.text_measurements`),
unless the text excludes that phenotype. A finding the text says a drug caused (``She had a rash
with sulfasalazine``, ``lamotrigine caused a rash``; :mod:`reasoning.text_reactions`) is the
patient's reaction to that drug (``Case.drug_reactions``, which ``--treatments`` flags), not a
finding of the case: a drug rash is no evidence for a disease with rash, as an allergy statement's
reaction is none; the statement's drug mention is no current drug. A finding the text says a drug
class caused (``steroid-induced hyperglycaemia``) is left out the same way, with a note naming the
class; the graph holds no class membership, so no drug is flagged for it. Every id keeps the text span it
came from (``Case.spans``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from itertools import accumulate
from pathlib import Path
from typing import Any

from kg.errors import ConfigError
from kg.extraction.text import STOPWORDS, sentence_lines
from reasoning.cases import Case, DrugReaction, present_wins
from reasoning.errors import EmptyCaseError
from reasoning.text_allergies import allergy_sentences, allergy_statements, says_none, unnamed_allergens
from reasoning.text_demographics import demographics
from reasoning.text_drugs import DrugContext, allergy_word_after, drug_context, wrapped_sentences
from reasoning.text_measurements import measured_findings
from reasoning.reaction_tables import DrugClass, reaction_findings
from reasoning.text_reactions import class_reactions, drug_reactions

__all__ = ["DrugContext", "case_from_text", "drug_context", "looks_english"]


_ENGLISH = STOPWORDS | frozenset(
    "a an no not nor has have had having he she they we i you him them our my your who whom which whose after before "
    "without also there than then did does do because while both all some any if so into over under about will would "
    "can could should may might since but yet very now patient history presents presented presenting reports reported "
    "denies denied noted normal exam examination left right mild severe".split())
"""English words that most notes have, typos or not (function words and a few clinical ones)."""
_FOREIGN = frozenset(
    "le la les des du et est une pas avec sans depuis dans pour sur aux chez qui elle ont "  # French
    "el los las con sin que por para una es desde "  # Spanish
    "und der das mit nicht ist ein eine seit bei keine kein auf zu dem den "  # German
    "della sono nel alla degli dal gli "  # Italian
    "não com em um uma sem ao "  # Portuguese
    "het een niet en met zijn bij".split())  # Dutch
"""Function words of other languages that English notes do not use on their own (not *de*
of *de novo*, *von* of *von Willebrand*, *il* of *IL-6*, *del* of *del(22q11)*)."""
_ENGLISH_PHRASES = re.compile(r"\b(?:de\s+novo|et\s+al|in\s+situ|in\s+utero|en\s+bloc|la\s+belle|le\s+fort)\b",
                              re.IGNORECASE)
"""Latin and French phrases of English medical writing."""


def looks_english(text: str) -> bool:
    """Whether a text may be English: its letters are mostly Latin ones without accents (at
    least four in five, in a text of ten letters or more), and, in a text of five words or more,
    other languages' function words (``de``, ``und``, ``los``) are not more than English ones
    (``the``, ``has``, ``since``, ``denies``; :data:`kg.extraction.text.STOPWORDS` and others)
    while being two or more and one word in twenty. Typos do not matter: a note is taken for
    English unless something says it is not (a short text is given the benefit of the doubt).

    Example:
        >>> looks_english("Pas de fièvre, hypotonie et convulsions depuis la naissance."), looks_english("Seizures.")
        (False, True)
        >>> looks_english("Seizues since age 2, hypotonai, devlopmental delay, microcephally.")
        True
        >>> looks_english("Судороги с рождения, мышечная гипотония.")
        False
    """
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 10 and sum(c.isascii() for c in letters) * 5 < len(letters) * 4:
        return False
    words = re.findall(r"[^\W\d_]+", _ENGLISH_PHRASES.sub(" ", text).lower())
    if len(words) < 5:
        return True
    foreign = sum(w in _FOREIGN for w in words)
    return not (foreign >= 2 and foreign > sum(w in _ENGLISH for w in words) and foreign * 20 >= len(words))


class _Enclosing:
    """Spans sorted by start (allergy statements, which may nest), and the first of them, in that
    order, that holds a given span: found by bisection, so a long note's many statements cost
    little per mention.

    Example:
        >>> spans = _Enclosing([(0, 89), (23, 40), (55, 74)])  # a statement holding two others
        >>> spans.holding(80, 85), spans.holding(60, 65), spans.holding(90, 95)
        ((0, 89), (0, 89), None)
    """

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.reach = list(accumulate((b for _a, b in spans), max))
        """Per span, the furthest end of it and the spans before it (never decreasing)."""

    def holding(self, start: int, end: int) -> tuple[int, int] | None:
        """The first span that holds ``[start, end)``, if one does."""
        last = bisect_right(self.spans, (start, float("inf"))) - 1  # the last span starting at or before start
        first = bisect_left(self.reach, end)  # the first span that ends at or after end
        return self.spans[first] if first <= last else None


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


def _allergy_warnings(text: str, statements: list[tuple[int, int]], with_drug: set[tuple[int, int]],
                      mentions: list[tuple[int, int, str]]) -> list[str]:
    """A warning for each allergy statement (``with_drug``: those that gave a drug allergy) that
    names no drug of the graph, or else for each of its allergens that names none; none for a
    statement that says there is no allergy."""
    out: list[str] = []
    tip = "(for a drug the graph has under another name, give it with --allergy)"
    mentions = sorted(mentions)
    starts = [x for x, _y, _k in mentions]
    longest = max((y - x for x, y, _k in mentions), default=0)
    for a, b in statements:
        if says_none(text, a):
            continue
        if (a, b) not in with_drug:
            out.append(f"the allergy statement text[{a}:{b}] {text[a:b]!r} names no drug of the graph: no drug "
                       f"allergy recorded from it {tip}")
            continue
        out += [f"the allergen text[{x}:{y}] {text[x:y]!r} of the allergy statement text[{a}:{b}] names no drug of "
                f"the graph: no drug allergy recorded for it {tip}"
                for x, y in unnamed_allergens(text, (a, b),  # the mentions that may overlap it
                                              mentions[bisect_left(starts, a - longest):bisect_left(starts, b)])]
    return out


_Span = tuple[int, int]

_SCAN_AFTER = re.compile(r"[ \t]*-?[ \t]*(?:scans?|scanning|scintigraphy)\b", re.IGNORECASE)
"""A scan that a drug mention names (``DEXA scan``, DEXA being also a brand of dexamethasone;
``MIBG scan``, ``thallium scan``): the test or its tracer, not a drug the patient takes."""


def _reactions(text: str, entities: list[Any], in_allergy: list[bool]
               ) -> tuple[dict[int, tuple[str, _Span]], set[int], dict[int, tuple[DrugClass, _Span]]]:
    """The reaction statements (:mod:`reasoning.text_reactions`) among the present mentions
    outside allergy statements: per finding (index in ``entities``), its drug's id and the
    statement's span; the indexes of the statements' drug mentions; and per finding of a
    statement that names a drug class instead (``steroid-induced hyperglycaemia``), the class and
    the statement's span."""
    kept = [k for k, m in enumerate(entities) if m.assertion == "present" and not in_allergy[k]]
    mentions = [(entities[k].start, entities[k].end, entities[k].type) for k in kept]
    defined = reaction_findings()
    found = drug_reactions(text, mentions, [n for n, k in enumerate(kept) if entities[k].id in defined])
    of = {kept[f]: (entities[kept[r.drug]].id, (r.start, r.end)) for r in found for f in r.findings}
    of_class = {kept[f]: (r.drug_class, (r.start, r.end)) for r in class_reactions(text, mentions)
                for f in r.findings if kept[f] not in of}
    return of, {kept[r.drug] for r in found}, of_class


_ALLERGY_WORDS = re.compile(
    r"\b(?:allerg(?:y|ies|ic)|hypersensitivit(?:y|ies)|intoleran(?:ce|t))(?:[ \t]+(?:to|of))?\b", re.IGNORECASE)
"""The allergy words of a finding that names a drug's allergy (``Penicillin allergy``, ``Allergy to
penicillin``: one concept of another vocabulary)."""


def _drugs_in_allergies(rec: Any, text: str, entities: list[Any]) -> list[Any]:
    """``entities`` with the drugs that findings naming a drug's allergy hold (``Penicillin
    allergy``, ``Allergy to penicillin``: a concept of its own, whose drug the recogniser then does
    not give): each found in the finding's text without its allergy words, with the finding's
    assertion, in text order. The finding stays; its drug is then read as any drug is (an
    allergy, by the allergy word next to it)."""
    inner = []
    for m in entities:
        if m.type == "drug" or not _ALLERGY_WORDS.search(m.text):
            continue
        rest = _ALLERGY_WORDS.sub(lambda w: " " * len(w.group()), m.text)
        if rest.strip():
            inner += [replace(d, start=m.start + d.start, end=m.start + d.end, assertion=m.assertion,
                              sentence=m.sentence) for d in rec.extract(rest).entities if d.type == "drug"]
    return sorted([*entities, *inner], key=lambda e: (e.start, e.end)) if inner else entities


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
    rec = _recognizer(kg)
    doc = rec.extract(text, doc_id=case_id)
    doc.entities = _drugs_in_allergies(rec, text, doc.entities)
    present: list[str] = []
    excluded: list[str] = []
    conditions: list[str] = []
    drugs: list[str] = []
    stopped: list[str] = []
    allergies: list[str] = []
    notes: list[str] = []
    spans: dict[str, list[str]] = {}
    more: dict[str, int] = {}

    def keep_span(cid: str, where: str) -> None:  # the first SPANS_PER_ID spans of an id; the rest counted
        seen = spans.setdefault(cid, [])
        if len(seen) < SPANS_PER_ID:
            seen.append(where)
        else:
            more[cid] = more.get(cid, 0) + 1

    lines = sentence_lines(text)  # split once for both readers
    sentences, wrapped = allergy_sentences(text, lines), wrapped_sentences(text, lines)
    mentions = [(m.start, m.end, m.type) for m in doc.entities]
    statements = _Enclosing(allergy_statements(text, mentions, sentences))
    cue_words = [w for m in doc.entities if m.type == "drug" and (w := allergy_word_after(text, m.end))]
    holding = [statements.holding(m.start, m.end) for m in doc.entities]
    in_allergy = [inside is not None or m.type != "drug" and any(a <= m.start < b for a, b in cue_words)
                  for m, inside in zip(doc.entities, holding)]
    reaction_of, reaction_drugs, class_reaction_of = _reactions(text, doc.entities, in_allergy)
    reactions: dict[str, list[DrugReaction]] = {}
    class_reactions: dict[str, list[DrugReaction]] = {}
    with_drug: set[tuple[int, int]] = set()
    for k, m in enumerate(doc.entities):
        where = f"text[{m.start}:{m.end}] {m.text!r} ({m.assertion}, {m.method})"
        if m.assertion in ("possible", "hypothetical", "family"):
            notes.append(f"left out {m.id} from {where}")
            continue
        inside = holding[k]
        if m.type != "drug" and in_allergy[k]:
            notes.append(f"left out {m.id}, part of an allergy statement (the allergy or its reaction, "
                         f"not a finding of the case), from {where}")
            continue
        if k in reaction_of:
            drug, (a, b) = reaction_of[k]
            had = reactions.setdefault(drug, [])
            if all(r.id != m.id for r in had):
                had.append(DrugReaction(id=m.id, label=m.text, origin=f"text[{a}:{b}] {text[a:b]!r}"))
            notes.append(f"left out {m.id}, the patient's reaction to the drug {drug} (a drug reaction, not a "
                         f"finding of the case), from {where}")
            continue
        if k in class_reaction_of:
            cls, (a, b) = class_reaction_of[k]
            had = class_reactions.setdefault(cls.id, [])
            if all(r.id != m.id for r in had):
                had.append(DrugReaction(id=m.id, label=m.text, origin=f"text[{a}:{b}] {text[a:b]!r}"))
            notes.append(f"left out {m.id}, the patient's reaction to the drug class {cls.name} (DrugCentral class "
                         f"{cls.id}; a drug reaction, not a finding of the case) in text[{a}:{b}] {text[a:b]!r}; "
                         f"--treatments flags the graph's drugs of that class; from {where}")
            continue
        if m.type == "phenotype" and m.id.startswith("HP:"):
            target = present if m.assertion == "present" else excluded
        elif m.type not in ("disease", "drug"):  # a MeSH symptom, a UMLS concept (Pregnancy)
            notes.append(f"left out {m.id}, not an HPO phenotype (a finding of another vocabulary: "
                         f"it cannot be scored), from {where}")
            continue
        elif m.assertion != "present":
            notes.append(f"left out negated {m.type} {m.id} from {where}")
            continue
        elif m.type == "disease":
            target = conditions
        elif _SCAN_AFTER.match(text, m.end):
            notes.append(f"left out {m.id}, which names a scan (a test or its tracer, not a drug taken), from {where}")
            continue
        else:
            how = drug_context(text, m.start, m.end, sentences, wrapped)
            if k in reaction_drugs and how != "allergy":
                notes.append(f"left out {m.id}, the drug of an adverse reaction (a past exposure, not a current "
                             f"drug), from {where}")
                continue
            if how == "past":
                notes.append(f"{m.id}, a drug taken before (past use): listed as stopped, not as a current drug, "
                             f"from {where}")
            elif how == "avoid":
                notes.append(f"left out {m.id}, a drug the patient must not have (to avoid), not a current drug, "
                             f"from {where}")
                continue
            target = stopped if how == "past" else allergies if how == "allergy" else drugs
            if inside is not None and how == "allergy":
                with_drug.add(inside)
        if m.id not in target:
            target.append(m.id)
        keep_span(m.id, where)
    known = getattr(rec, "dictionary", None)
    for cid, a, b in measured_findings(text):  # ``OFC 44 cm (<0.4th centile)``: Microcephaly
        if known is not None and cid not in known or cid in excluded:
            continue
        if cid not in present:
            present.append(cid)
        keep_span(cid, f"text[{a}:{b}] {text[a:b]!r} (present, measurement)")
    for cid, n in more.items():
        spans[cid].append(f"and {n} more mention(s)")
    excluded, warnings = present_wins(present, excluded)
    warnings += _allergy_warnings(text, statements.spans, with_drug, mentions)
    if not present:
        raise EmptyCaseError(_why_empty(text, notes))
    stated = demographics(text)
    stopped = [d for d in stopped if d not in drugs]  # "X was stopped ... X restarted": taken now
    return Case(id=case_id, present=present, excluded=excluded, conditions=conditions, drugs=drugs + stopped,
                drugs_stopped=stopped,
                allergies=allergies, drug_reactions=reactions, class_reactions=class_reactions,
                age_years=stated.age_years, sex=stated.sex,
                notes=stated.notes + notes, warnings=warnings + stated.warnings, spans=spans)
