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
from collections.abc import Sequence

from kg.extraction.text import sentence_spans

ALLERGY_CUE = re.compile(r"\b(?:allergic\s+to|allerg(?:y|ies)\s+to|allerg(?:y|ies)\s*:)", re.IGNORECASE)
"""A cue that starts an allergy statement."""
_STATEMENT_END = re.compile(
    r";|\b(?:but|however|now|currently|presently|started|starting|switched\s+to|takes|taking)\b", re.IGNORECASE)
"""Where a statement's clause ends (besides the sentence end)."""
_NONE = re.compile(
    r"\s*(?:none|nil|no\b|nkda|nkfa|nkma|nka\b|n/?a\b|not\s+(?:known|documented|recorded)|unknown|denie|[-–—]+\s*(?:[.;,\n]|$))",
    re.IGNORECASE)
"""What an allergy statement that says there is none starts with (``Allergies: none``, ``NKA``, ``-``)."""

_JOIN = re.compile(r",|\b(?:and|with|who|which|but|or)\b", re.IGNORECASE)
"""What joins a statement's allergens to the next part of the sentence."""

Mention = tuple[int, int, str]
"""A mention's start, end and entity type (``drug``, ``phenotype``, ``disease``)."""


def _in_parentheses(text: str, start: int, end: int) -> bool:
    between = text[start:end]
    return between.count("(") > between.count(")")


def allergy_statements(text: str, mentions: Sequence[Mention] = ()) -> list[tuple[int, int]]:
    """The spans of the text's allergy statements (see the module's rules), given the text's
    mentions (without them a statement runs to its clause end)."""
    out: list[tuple[int, int]] = []
    ordered = sorted(mentions)
    for s0, s1 in sentence_spans(text):
        sentence = text[s0:s1]
        for m in ALLERGY_CUE.finditer(sentence):
            stop = _STATEMENT_END.search(sentence, m.end())
            end = s0 + (stop.start() if stop else len(sentence.rstrip(" .!?\n")))
            cue_end = s0 + m.end()
            covered = cue_end  # the end of the statement's last allergen or reaction mention
            for start, stop_at, kind in ordered:
                if not cue_end <= start < end:
                    continue
                if kind == "drug" or _in_parentheses(text, cue_end, start):
                    covered = max(covered, stop_at)
                    continue
                join = _JOIN.search(text, covered, start)  # "allergic to X and presents with <finding>"
                end = join.start() if join else start
                break
            out.append((s0 + m.start(), len(text[:end].rstrip(" ,;:\n"))))
    return out


def says_none(text: str, start: int) -> bool:
    """Whether the allergy statement at ``start`` says there is no allergy (``Allergies: none``)."""
    m = ALLERGY_CUE.match(text, start)
    return bool(_NONE.match(text, m.end() if m else start))
