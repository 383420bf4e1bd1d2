"""Allergy statements in clinical text: what they cover, and whether they say there is none.

An allergy statement starts at an allergy cue (``allergic to``, ``allergy to``,
``allergies:``) and covers the allergens listed right after it: the drugs, and what
stands in parentheses (the reaction: ``Allergies: penicillin (rash)``). It ends at the
first other mention outside parentheses (``allergic to atenolol and has arachnodactyly``:
the arachnodactyly is the patient's), or at the end of the clause. ``Hypersensitivity to``
and ``intolerance to`` start none: ``hypersensitivity to light`` and ``intolerance to cold``
are findings (a drug after them is still an allergy, see
:func:`reasoning.text_case.drug_context`).

Example:
    >>> t = "Allergies: penicillin (rash). Allergic to atenolol and has arachnodactyly."
    >>> mentions = [(t.index("rash"), t.index("rash") + 4, "phenotype"),
    ...             (t.index("atenolol"), t.index("atenolol") + 8, "drug"),
    ...             (t.index("arachno"), t.index("arachno") + 14, "phenotype")]
    >>> [t[a:b] for a, b in allergy_statements(t, mentions)]
    ['Allergies: penicillin (rash)', 'Allergic to atenolol']
    >>> says_none("Allergies: NKA", 0), says_none("Allergies: penicillin", 0)
    (True, False)
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from kg.extraction.context import NEGATIVE_ANSWERS
from kg.extraction.text import sentence_spans, wrap_joins

ALLERGY_CUE_WORDS = r"allergic\s+to|allerg(?:y|ies)\s+to|allerg(?:y|ies)\s*:"
"""The words of a cue that starts an allergy statement (also cues of a drug allergy in
:func:`reasoning.text_case.drug_context`)."""
ALLERGY_CUE = re.compile(rf"\b(?:{ALLERGY_CUE_WORDS})", re.IGNORECASE)
"""A cue that starts an allergy statement."""
CLAUSE_END_WORDS = r";|\b(?:but|however|now|currently|presently|started|starting|switched\s+to|takes|taking)\b"
"""Where a clause ends (besides the sentence end): ``;`` or a word that starts a new statement."""
_STATEMENT_END = re.compile(CLAUSE_END_WORDS, re.IGNORECASE)
"""Where a statement's clause ends (besides the sentence end)."""
_NONE = re.compile(
    r"\s*(?:(?:" + "|".join(sorted(map(re.escape, NEGATIVE_ANSWERS), key=len, reverse=True)) + r")\b"
    r"|nkda|nkfa|nkma|nka\b|n/?a\b|not\s+(?:known|documented|recorded)|unknown|[-–—]+\s*(?:[.;,\n]|$))",
    re.IGNORECASE)
"""What an allergy statement that says there is none starts with: a negative answer of a
template field (:data:`kg.extraction.context.NEGATIVE_ANSWERS`: ``Allergies: none``, ``nil``,
``denies``), or an allergy-list form (``NKA``, ``not documented``, ``-``)."""
_CUE_ENDS_LINE = re.compile(r"(?:allergic\s+to|allerg(?:y|ies)(?:\s+to)?\s*:)\s*$", re.IGNORECASE)
"""An allergy cue that ends its line (``Allergies:``): the allergens are on the next line."""

_JOIN = re.compile(r",|\b(?:and|with|who|which|but|or)\b", re.IGNORECASE)
"""What joins a statement's allergens to the next part of the sentence."""

Mention = tuple[int, int, str]
"""A mention's start, end and entity type (``drug``, ``phenotype``, ``disease``)."""


def _in_parentheses(text: str, start: int, end: int) -> bool:
    between = text[start:end]
    return between.count("(") > between.count(")")


_ALLERGY_WORD = re.compile(r"\b(?:allerg|hypersensitiv|intoleran)", re.IGNORECASE)
"""A word of an allergy (``allergic``, ``allergies``, ``hypersensitivity``, ``intolerant``)."""


def allergy_sentences(text: str) -> list[tuple[int, int]]:
    """The text's sentences (:func:`~kg.extraction.text.sentence_spans`: every line
    break ends one), except that a sentence that speaks of an allergy goes on
    over the line breaks where it goes on: always after a cue that ends the line
    (``Allergies:\\nPenicillin``), and where the next line only wraps the sentence
    (:func:`~kg.extraction.text.wrap_joins`: ``allergic to penicillin and\\nsulfa``,
    ``penicillin\\nallergy``); not after a statement that says there is none.

    Example:
        >>> t = "Allergies:\\nPenicillin,\\nsulfa\\nSeizures.\\nno fever\\ncough\\nallergy"
        >>> [t[a:b] for a, b in allergy_sentences(t)]
        ['Allergies:\\nPenicillin,\\nsulfa', 'Seizures.', 'no fever', 'cough\\nallergy']
        >>> [t[a:b] for t in ["Allergies: none\\nmetformin"] for a, b in allergy_sentences(t)]
        ['Allergies: none', 'metformin']
    """
    spans = sentence_spans(text)
    joins = wrap_joins(text, spans)
    out: list[tuple[int, int]] = []
    k, n = 0, len(spans)
    while k < n:
        a, b = spans[k]
        cue = ALLERGY_CUE.search(text, a, b)
        if cue is not None and says_none(text, cue.start()):  # ``Allergies: none\nmetformin``
            out.append((a, b))
            k += 1
            continue
        if k + 1 < n and cue is not None and _CUE_ENDS_LINE.search(text, a, b) and (
                text.count("\n", b, spans[k + 1][0]) == 1):
            k += 1
        while k + 1 < n and joins[k] and (_ALLERGY_WORD.search(text, a, spans[k][1])
                                          or _ALLERGY_WORD.match(text, spans[k + 1][0])):
            k += 1
        out.append((a, spans[k][1]))
        k += 1
    return out


def allergy_statements(text: str, mentions: Sequence[Mention] = (),
                       sentences: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """The spans of the text's allergy statements (see the module's rules), given the text's
    mentions (without them a statement runs to its clause end) and, when the caller has them,
    its :func:`allergy_sentences`."""
    out: list[tuple[int, int]] = []
    ordered = sorted(mentions)
    for s0, s1 in allergy_sentences(text) if sentences is None else sentences:
        sentence = text[s0:s1]
        for m in ALLERGY_CUE.finditer(sentence):
            stop = _STATEMENT_END.search(sentence, m.end())
            end = s0 + (stop.start() if stop else len(sentence.rstrip(" .!?\n")))
            cue_end = s0 + m.end()
            covered = cue_end  # the end of the statement's last allergen or reaction mention
            for i in range(bisect_left(ordered, (cue_end,)), len(ordered)):
                start, stop_at, kind = ordered[i]
                if start >= end:
                    break
                if kind == "drug" or _in_parentheses(text, cue_end, start):
                    covered = max(covered, stop_at)
                    continue
                join = _JOIN.search(text, covered, start)  # "allergic to X and presents with <finding>"
                end = join.start() if join else start
                break
            out.append((s0 + m.start(), s0 + len(text[s0:end].rstrip(" ,;:\n"))))
    return out


def says_none(text: str, start: int) -> bool:
    """Whether the allergy statement at ``start`` says there is no allergy (``Allergies: none``)."""
    m = ALLERGY_CUE.match(text, start)
    return bool(_NONE.match(text, m.end() if m else start))
