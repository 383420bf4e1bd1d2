"""Allergy statements in clinical text: what they cover, and whether they say there is none.

An allergy statement starts at an allergy cue (``allergic to``, ``allergy to``,
``allergies:``, ``Allergies -``) and covers the allergens listed right after it: the drugs,
what stands in parentheses (the reaction: ``Allergies: penicillin (rash)``) and a reaction
after ``->``, ``-`` or ``:`` (``codeine -> hives``, ``codeine - nausea, vomiting``). It ends at
the first other mention (``allergic to atenolol and has arachnodactyly``: the arachnodactyly
is the patient's), or at the end of the clause. An allergy heading (the cue starts its line, ends
it or is in capitals) covers its block: the rest of its line as far as it goes on in items (``ALLERGIES:
Codeine -> hives. Lamotrigine -> rash.``), the next line after a heading that ends its line,
and the bullet or numbered lines that follow, up to a blank line or a line of another kind.
``Hypersensitivity to`` and ``intolerance to`` start none: ``hypersensitivity to light`` and
``intolerance to cold`` are findings (a drug after them is still an allergy, see
:func:`reasoning.text_drugs.drug_context`).

Example:
    >>> t = "Allergies: penicillin (rash). Allergic to atenolol and has arachnodactyly."
    >>> mentions = [(t.index("rash"), t.index("rash") + 4, "phenotype"),
    ...             (t.index("atenolol"), t.index("atenolol") + 8, "drug"),
    ...             (t.index("arachno"), t.index("arachno") + 14, "phenotype")]
    >>> [t[a:b] for a, b in allergy_statements(t, mentions)]
    ['Allergies: penicillin (rash)', 'Allergic to atenolol']
    >>> says_none("Allergies: NKA", 0), says_none("Allergies: penicillin", 0), says_none("Allergies - none", 0)
    (True, False, True)
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from kg.extraction.context import NEGATIVE_ANSWERS
from kg.extraction.text import BULLET_MARKS, ITEM_NUMBER, SentenceLines, one_line_break, sentence_lines

ALLERGY_CUE_WORDS = (r"allergic\s+to|allerg(?:y|ies)\s+to|allerg(?:y|ies)\s*:"
                     r"|allerg(?:y|ies)[ \t]+[-\u2013\u2014]+(?=\s|$)")
"""The words of a cue that starts an allergy statement (also cues of a drug allergy in
:func:`reasoning.text_drugs.drug_context`): ``allergic to``, ``allergy to``, ``allergies:`` and
the dash heading ``Allergies -``."""
_NO_KNOWN = r"no\s+known\s+(?:drug\s+|food\s+|medication\s+)?allerg(?:y|ies)\b"
"""A statement that there is no allergy (``He has no known drug allergies``)."""
ALLERGY_CUE = re.compile(rf"\b(?:{ALLERGY_CUE_WORDS}|{_NO_KNOWN})", re.IGNORECASE)
"""A cue that starts an allergy statement (also ``no known drug allergies``, which says there is none)."""
_ITEM_BULLET = rf"[{BULLET_MARKS}]"
"""The bullet marks the allergy patterns read before an item (``- None``, ``* Codeine -> hives``,
``\u2013 latex \u2013 rash``): :data:`~kg.extraction.text.BULLET_MARKS`."""
_ARROW = r"-+>|\u2192|=>"
"""The arrow between an allergen and its reaction (``codeine -> hives``, ``->``, ``\u2192``, ``=>``)."""
ITEM_WITH_REACTION = (
    r"(?:" + _ITEM_BULLET + r"[ \t]+)?(?!(?:on|off|he|she|they|takes?|taking|currently|now|no|not|denies|the|patient|"
    r"his|her|started|stopped|was|is|has|had)\b)[^\W\d_][\w'/-]*?(?:[ \t]+[\w'/-]+){0,2}?[ \t]*"
    rf"(?:{_ARROW}|[-\u2013\u2014][ \t]|\()")
"""An allergen and its reaction, the start of an item of an allergy list (``Lamotrigine ->
rash``, ``Codeine - nausea``, ``ACE inhibitors (angioedema)``)."""
CLAUSE_END_WORDS = (r";(?![ \t]*" + ITEM_WITH_REACTION + r")"
                    r"|\b(?:but|however|now|currently|presently|started|starting|switched\s+to|takes|taking)\b")
"""Where a clause ends (besides the sentence end): ``;`` or a word that starts a new statement;
not a ``;`` before one more allergen with its reaction (``Allergies: sulfa (rash); codeine
(vomiting)``: one list)."""
_STATEMENT_END = re.compile(CLAUSE_END_WORDS, re.IGNORECASE)
"""Where a statement's clause ends (besides the sentence end)."""
_NONE = re.compile(
    r"\s*(?:" + _ITEM_BULLET + r"[ \t]+(?=\w))?"  # a bullet: ``Allergies:\n- None``
    r"(?:(?:" + "|".join(sorted(map(re.escape, NEGATIVE_ANSWERS), key=len, reverse=True)) + r")\b"
    r"|nkda|nkfa|nkma|nka\b|n/?a\b|not\s+(?:known|documented|recorded)|unknown|[-–—]+\s*(?:[.;,\n]|$))",
    re.IGNORECASE)
"""What an allergy statement that says there is none starts with: a negative answer of a
template field (:data:`kg.extraction.context.NEGATIVE_ANSWERS`: ``Allergies: none``, ``nil``,
``denies``), or an allergy-list form (``NKA``, ``not documented``, ``-``)."""
_CUE_ENDS_LINE = re.compile(rf"(?:{ALLERGY_CUE_WORDS})[ \t]*:?\s*$", re.IGNORECASE)
"""An allergy cue (:data:`ALLERGY_CUE_WORDS`, with a colon or not: ``Allergies:``, ``Allergy to``,
``Allergic to:``) that ends its line: the allergens are on the next line."""

_JOIN = re.compile(r",|\b(?:and|with|who|which|but|or)\b", re.IGNORECASE)
"""What joins a statement's allergens to the next part of the sentence."""

Mention = tuple[int, int, str]
"""A mention's start, end and entity type (``drug``, ``phenotype``, ``disease``)."""


def _in_parentheses(text: str, start: int, end: int) -> bool:
    between = text[start:end]
    return between.count("(") > between.count(")")


_ALLERGY_WORD = re.compile(r"\b(?:allerg|hypersensitiv|intoleran)", re.IGNORECASE)
"""A word of an allergy (``allergic``, ``allergies``, ``hypersensitivity``, ``intolerant``)."""


_BULLET_LINE = re.compile(rf"[ \t]*(?:[{BULLET_MARKS}]|{ITEM_NUMBER})[ \t]")
"""A bullet or numbered line (``- Codeine (vomiting)``, ``2. Morphine``)."""
_NUMBER_ONLY = re.compile(ITEM_NUMBER)
"""An item's number, which the sentence splitter leaves as a sentence of its own (``2.``)."""
_ITEM_START = re.compile(ITEM_WITH_REACTION, re.IGNORECASE)
"""A sentence that is one more item of an allergy line: an allergen and its reaction
(``Lamotrigine -> rash.``, ``Codeine - nausea.``, ``Morphine (itching).``)."""


def _is_heading(text: str, cue: re.Match[str], ends_line: bool) -> bool:
    """Whether the allergy cue is a heading: it starts its line (after a bullet at most), ends
    it (``ends_line``), or is written in capitals (``ALLERGIES:``)."""
    line_start = text.rfind("\n", 0, cue.start()) + 1
    return not text[line_start:cue.start()].strip(" \t-*+\u2022") or cue.group().isupper() or ends_line


def _one_line_apart(text: str, spans: list[tuple[int, int]], k: int) -> bool:
    """Whether sentence ``k`` has a next one, on the next line (:func:`one_line_break`)."""
    return k + 1 < len(spans) and one_line_break(text, spans[k][1], spans[k + 1][0])


def _line_items(text: str, spans: list[tuple[int, int]], k: int) -> int:
    """The last sentence of the items that go on after sentence ``k`` on its line."""
    while k + 1 < len(spans) and "\n" not in text[spans[k][1]:spans[k + 1][0]] and (
            _ITEM_START.match(text, spans[k + 1][0]) or _NUMBER_ONLY.fullmatch(text, *spans[k])):
        k += 1
    return k


def _heading_block(text: str, spans: list[tuple[int, int]], k: int, ends_line: bool) -> int:
    """The last sentence of the block of the allergy heading in sentence ``k``: its line's
    items, the next line when the heading ends its line, and the bullet lines that follow."""
    k = _line_items(text, spans, k)
    if ends_line and _one_line_apart(text, spans, k):
        k = _line_items(text, spans, k + 1)
    while _one_line_apart(text, spans, k) and _BULLET_LINE.match(text, text.rfind("\n", 0, spans[k + 1][0]) + 1):
        k = _line_items(text, spans, k + 1)
    return k


def allergy_sentences(text: str, lines: SentenceLines | None = None) -> list[tuple[int, int]]:
    """The text's sentences (:func:`~kg.extraction.text.sentence_spans`: every line
    break ends one), except that a sentence that speaks of an allergy goes on
    where it goes on: over an allergy heading's block (the heading's line as far as it
    lists items, the next line after a heading that ends its line, ``Allergies:\\nPenicillin``,
    and the bullet or numbered lines after them), and where the next line only wraps the
    sentence (:func:`~kg.extraction.text.wrap_joins`: ``allergic to penicillin and\\nsulfa``,
    ``penicillin\\nallergy``); not after a statement that says there is none.

    Example:
        >>> t = "Allergies:\\nPenicillin,\\nsulfa\\nSeizures.\\nno fever\\ncough\\nallergy"
        >>> [t[a:b] for a, b in allergy_sentences(t)]
        ['Allergies:\\nPenicillin,\\nsulfa', 'Seizures.', 'no fever', 'cough\\nallergy']
        >>> [t[a:b] for t in ["Allergies: none\\nmetformin"] for a, b in allergy_sentences(t)]
        ['Allergies: none', 'metformin']
        >>> t = "Allergies:\\n- Codeine (vomiting)\\n- Morphine (itching)\\nAtaxia. Allergies: X -> hives. Y -> rash."
        >>> [t[a:b] for a, b in allergy_sentences(t)]
        ['Allergies:\\n- Codeine (vomiting)\\n- Morphine (itching)', 'Ataxia.', 'Allergies: X -> hives.', 'Y -> rash.']

    ``lines``: the text's :func:`sentence_lines`, if they are known already.
    """
    spans, joins = lines if lines is not None else sentence_lines(text)
    out: list[tuple[int, int]] = []
    k, n = 0, len(spans)
    while k < n:
        a, b = spans[k]
        cue = ALLERGY_CUE.search(text, a, b)
        if cue is not None and says_none(text, cue.start()):  # ``Allergies: none\nmetformin``
            out.append((a, b))
            k += 1
            continue
        ends_line = cue is not None and bool(_CUE_ENDS_LINE.search(text, a, b))
        if cue is not None and _is_heading(text, cue, ends_line):
            k = _heading_block(text, spans, k, ends_line)
        while k + 1 < n and joins[k] and (_ALLERGY_WORD.search(text, a, spans[k][1])
                                          or _ALLERGY_WORD.match(text, spans[k + 1][0])):
            k += 1
        out.append((a, spans[k][1]))
        k += 1
    return out


_SEPARATOR = rf"(?:[ \t]*(?:{_ARROW}|:)|[ \t]+[-\u2013\u2014]+)[ \t]*(?:[^\W\d_]+[ \t]+){{0,2}}"
"""A reaction separator before a reaction (``-> ``, `` - severe ``, ``: ``; not the hyphen of a word)."""
_REACTION_GAP = re.compile(rf"[ \t]*(?:,[ \t]*|(?:and|or)[ \t]+)?(?:{_ITEM_BULLET}[ \t]+|{ITEM_NUMBER}[ \t]+)?"
                           r"(?:[^\W\d_][^\n.;,()]*?)?" + _SEPARATOR, re.IGNORECASE)
"""What stands before a reaction on its line: an allergen the graph need not name, after the
last one, and a separator (``codeine - nausea``, ``, latex -> hives``, ``- Eggs: rash``)."""
_MORE_REACTIONS = re.compile(r"\s*(?:,|/|&|\band\b|\bor\b)\s*(?:(?:and|or)\s+)?", re.IGNORECASE)
"""What joins a reaction to the next (``nausea, vomiting``, ``nausea and vomiting``)."""


def _is_reaction(text: str, covered: int, start: int, after_reaction: bool) -> bool:
    """Whether the mention at ``start`` is a reaction: after a separator on its line, or listed
    right after a reaction."""
    gap = text[covered:start]
    if "\n" in gap:
        return bool(_REACTION_GAP.fullmatch(gap.rsplit("\n", 1)[1]))
    return bool(_REACTION_GAP.fullmatch(gap) or (after_reaction and _MORE_REACTIONS.fullmatch(gap)))


def allergy_statements(text: str, mentions: Sequence[Mention] = (),
                       sentences: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """The spans of the text's allergy statements (see the module's rules), given the text's
    mentions (without them a statement runs to its clause end) and, when the caller has them,
    its :func:`allergy_sentences`.

    Example:
        >>> t = "Allergies: Penicillin (anaphylaxis), codeine - nausea, vomiting and has ataxia"
        >>> ms = [(t.index(w), t.index(w) + len(w), k) for w, k in [("anaphylaxis", "phenotype"),
        ...       ("codeine", "drug"), ("nausea", "phenotype"), ("vomiting", "phenotype"), ("ataxia", "phenotype")]]
        >>> [t[a:b] for a, b in allergy_statements(t, ms)]
        ['Allergies: Penicillin (anaphylaxis), codeine - nausea, vomiting']
    """
    out: list[tuple[int, int]] = []
    ordered = sorted(mentions)
    for s0, s1 in allergy_sentences(text) if sentences is None else sentences:
        sentence = text[s0:s1]
        for m in ALLERGY_CUE.finditer(sentence):
            stop = _STATEMENT_END.search(sentence, m.end())
            end = s0 + (stop.start() if stop else len(sentence.rstrip(" .!?\n")))
            cue_end = s0 + m.end()
            covered = cue_end  # the end of the statement's last allergen or reaction mention
            after_reaction = False
            for i in range(bisect_left(ordered, (cue_end,)), len(ordered)):
                start, stop_at, kind = ordered[i]
                if start >= end:
                    break
                if kind == "drug" or _in_parentheses(text, cue_end, start):
                    covered, after_reaction = max(covered, stop_at), False
                    continue
                if _is_reaction(text, covered, start, after_reaction):
                    covered, after_reaction = max(covered, stop_at), True
                    continue
                join = _JOIN.search(text, covered, start)  # "allergic to X and presents with <finding>"
                end = join.start() if join else start
                break
            out.append((s0 + m.start(), s0 + len(text[s0:end].rstrip(" ,;:\n"))))
    return out


_ITEM_END = re.compile(r"[,;\n]|\.(?:\s|$)|\b(?:and|or)\b", re.IGNORECASE)
"""Where an allergy statement's item ends (outside parentheses)."""
_REACTION_START = re.compile(rf"\(|[ \t]*(?:{_ARROW}|:)|[ \t]+[-\u2013\u2014]+(?=[ \t])")
"""Where an item's allergen ends and its reaction starts."""
_FILLER = frozenset({"drug", "drugs", "allergy", "allergies", "allergic", "to", "of", "the", "with", "severe",
                     "mild", "moderate", "known", "oral", "iv", "topical", "all", "any"})
"""Words of an allergen that name nothing (``severe``, ``drugs``)."""


def _items(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """The items of ``text[a:b]``: split at commas, ``;``, line and sentence ends, ``and`` and
    ``or``, outside parentheses."""
    out: list[tuple[int, int]] = []
    start, depth = a, 0
    for m in re.finditer(r"[()]|" + _ITEM_END.pattern, text[a:b], re.IGNORECASE):
        c = m.group()
        depth = depth + 1 if c == "(" else max(depth - 1, 0) if c == ")" else depth
        if c not in "()" and depth == 0:
            out.append((start, a + m.start()))
            start = a + m.end()
    out.append((start, b))
    return out


def unnamed_allergens(text: str, statement: tuple[int, int], mentions: Sequence[Mention]) -> list[tuple[int, int]]:
    """The allergens of an allergy statement that name no drug: items (see :func:`_items`) whose
    allergen (the words before a reaction: parentheses, ``->``, `` - ``, ``:``) overlaps no
    drug mention and has a word outside every mention (so a reaction listed after another,
    ``nausea, vomiting``, is none).

    Example:
        >>> t = "Allergies: Penicillin (anaphylaxis), codeine - nausea, vomiting"
        >>> ms = [(t.index(w), t.index(w) + len(w), k) for w, k in [("anaphylaxis", "phenotype"),
        ...       ("codeine", "drug"), ("nausea", "phenotype"), ("vomiting", "phenotype")]]
        >>> [t[a:b] for a, b in unnamed_allergens(t, (0, len(t)), ms)]
        ['Penicillin']
    """
    cue = ALLERGY_CUE.match(text, statement[0])
    out: list[tuple[int, int]] = []
    for a, b in _items(text, cue.end() if cue else statement[0], statement[1]):
        r = _REACTION_START.search(text, a, b)
        b = r.start() if r else b
        inside = [(x, y, kind) for x, y, kind in mentions if x < b and y > a]
        if any(kind == "drug" for _x, _y, kind in inside):
            continue
        words = [w for w in re.finditer(r"[^\W\d_]+", text[a:b]) if w.group().lower() not in _FILLER]
        if any(not any(x <= a + w.start() < y for x, y, _k in inside) for w in words):
            x = a + words[0].start()
            out.append((x, a + len(text[a:b].rstrip(" \t.-"))))
    return out


def says_none(text: str, start: int) -> bool:
    """Whether the allergy statement at ``start`` says there is no allergy (``Allergies: none``)."""
    m = ALLERGY_CUE.match(text, start)
    return bool(m and re.fullmatch(_NO_KNOWN, m.group(), re.IGNORECASE)) or bool(
        _NONE.match(text, m.end() if m else start))
