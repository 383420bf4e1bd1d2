"""How clinical text speaks of a drug it names: taken now, an allergy, or past use.

A drug mention is read in its sentence (:func:`drug_context`). Allergy cues are read in the
text's :func:`~reasoning.text_allergies.allergy_sentences`; past-use cues in
:func:`wrapped_sentences`, where a hard-wrapped line goes on into the next one
(``She stopped taking\\natenolol``, ``Carbamazepine was\\ndiscontinued``).

Example:
    >>> t = "Seizures. Previously treated with\\ncarbamazepine."
    >>> drug_context(t, t.index("carb"), t.index("carb") + 13)
    'past'
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Literal

from kg.extraction.text import NEW_ITEM, SentenceLines, one_line_break, sentence_lines
from reasoning.text_allergies import ALLERGY_CUE_WORDS, CLAUSE_END_WORDS, allergy_sentences

_ALLERGY_BEFORE = re.compile(
    rf"\b(?:{ALLERGY_CUE_WORDS}|hypersensitiv(?:e|ity)\s+to|intoleran(?:t|ce)\s+(?:of|to))", re.IGNORECASE)
"""An allergy cue: it makes the drugs after it, in its clause, allergies."""
_PAST_BEFORE = re.compile(
    r"\b(?:previously|previous|formerly|in\s+the\s+past|discontinued|stopped|(?:was\s+)?taken\s+off|history\s+of|"
    r"overdosed?\s+(?:of|on|with)|"
    r"(?:closed|aborted|terminated|reversed|cured)\s+(?:\w+\s+)?with)\b",
    re.IGNORECASE)
"""A past-use cue before a drug (``previously treated with X``, ``history of X use``, ``previous
trial of X``, ``overdose of X``: an event, no drug the patient takes), or an
outcome the drug brought about (``PDA closed with ibuprofen``, ``seizure aborted with
midazolam``: a treatment given and done). Not ``resolved with``: ``seizures resolved with
levetiracetam`` is a drug the patient goes on taking."""
_PAST_AFTER = re.compile(
    r"\b(?:stopped|discontinued|withdrawn|ceased|(?:was|were)\s+(?:given|administered)|"
    r"in\s+the\s+neonatal\s+period|as\s+an?\s+(?:neonate|newborn|baby|infant)|in\s+infancy|at\s+birth|"
    r"(?:previously|formerly|in\s+the\s+past)(?=\s*(?:[.;,)]|$)))\b",
    re.IGNORECASE)
"""A past-use cue after a drug, before the next comma (``X was discontinued``, ``X was given``,
``treated with X in the neonatal period``, ``tried X previously``: at the clause's end, so that
``levetiracetam (previously valproate)`` keeps levetiracetam current)."""
_CLAUSE_END = re.compile(CLAUSE_END_WORDS + r"|,\s*(?:on|using|receiving)\b", re.IGNORECASE)
"""Where a cue's reach ends (besides the sentence end; a past-use cue's also at a comma)."""
_PAST_AFTER_END = re.compile(r",|" + _CLAUSE_END.pattern, re.IGNORECASE)
"""Where a past-use cue after a drug reaches (the next comma or clause end)."""
_STOPS_ANOTHER = re.compile(
    r"\b(?:and|then)\s+(?:(?:he|she|they|we|has|have|had|then)\s+)*(?:stopped|discontinued|ceased|withdrew)\s+"
    r"(?!(?:it|them|this|that|these|those|both|all|the|his|her|their|because|due|after|before|in|at|on|for|"
    r"when|as|last|recently|abruptly|yesterday|since|over|following|owing|with|within|from|by|two|three|\d)\b)"
    r"(?=[A-Za-z])", re.IGNORECASE)
"""The patient stopping something else, after a drug (``takes modafinil daily and stopped
methylphenidate``): an active verb with an object of its own, where a past-use cue after the drug
stops reaching back to it (``tried and stopped because of mood``, ``… and stopped it``: the
drug's own past use)."""
_COMMA_OR_SEMICOLON = re.compile(r"[,;]")
"""Where a started-after cue's reach ends (``X stopped and Y started, Z``)."""
_ALLERGY_AFTER = re.compile(r"\s*(?:allerg(?:y|ies|ic)|hypersensitivity|intolerance)\b", re.IGNORECASE)
"""An allergy cue right after a drug (``penicillin allergy``)."""
_USED_BEFORE = re.compile(
    r"\b(?:carries|carrying|carry|uses|using|use|prescribed|takes|taking|needs|keeps)\s+"
    r"(?:(?:an?|his|her|their|own)\s+)*$", re.IGNORECASE)
"""A verb of having a drug right before it (``Allergies: nuts (anaphylaxis) - carries EpiPen``):
the drug the patient has, no allergen, even inside an allergy statement."""
_PAST_HEADING = re.compile(
    r"\s*(?:[-*\u2022][ \t]*)?(?:stopped|discontinued|withdrawn|ceased|previous(?:ly)?|past|prior|former)"
    r"(?:[ \t]+(?:medications?|meds|drugs|treatments?|therapies|therapy|aeds?|anti-?epileptics?|antiepileptics?))?"
    r"[ \t]*:", re.IGNORECASE)
"""A heading of past drugs at its clause's start (``Stopped: aspirin (duplicate), amitriptyline
(falls)``, ``Previous AEDs: valproate, carbamazepine``): its whole list is past use."""
_PAST_USE_BEFORE = re.compile(
    r"\b(?:no\s+longer|stopped|discontinued|quit|ceased)\s+(?:taking|using|receiving|on)\s+$", re.IGNORECASE)
"""Past use said by the words just before a drug (``no longer taking X``, ``stopped taking X``)."""
_STARTED_AFTER = re.compile(r"\b(?:started|starting|begun|initiated|introduced|added)\b", re.IGNORECASE)
"""A drug started after it, before the next comma (``X stopped and Y started``): current."""
_OPEN_LINE_END = re.compile(
    r"\b(?:with|on|of|to|and|or|was|were|been|is|are|had|has|the|a|an|from|off|taking|using|receiving|"
    r"stopped|discontinued|ceased|quit|previously|formerly|longer)$", re.IGNORECASE)
"""A line that ends in a word no sentence ends with: the next line goes on with it, whatever its case."""

_AVOID_BEFORE = re.compile(
    r"\b(?:avoid|avoiding|do\s+not\s+(?:give|prescribe|use|restart|re-?challenge)|never\s+(?:give|prescribe))"
    r"[ \t]+(?:(?:any|all|further|the|use[ \t]+of)[ \t]+)*"
    r"(?:[\w-]+(?:[ \t]+[\w-]+)?[ \t]*(?:,|/|\band\b|\bor\b)[ \t]*)*$", re.IGNORECASE)
"""A cue that the patient must not have the drug right after it, or after the other items of a
list it heads (``Avoid allopurinol``, ``Do not prescribe carbamazepine or phenytoin``; not
``Avoid ibuprofen, continue paracetamol``, nor ``To avoid seizures, continue X``)."""
_AVOID_AFTER = re.compile(
    r"[ \t]*(?:\([^()\n]*\)[ \t]*)?(?:[-\u2013:(][ \t]*)?(?:(?:is|are)[ \t]+)?(?:avoid|to[ \t]+be[ \t]+avoided|"
    r"contraindicated)\b", re.IGNORECASE)
"""The same cue right after a drug (``co-trimoxazole (2019) - avoid``, ``X is contraindicated``)."""

DrugContext = Literal["current", "allergy", "past", "avoid"]


def wrapped_sentences(text: str, lines: SentenceLines | None = None) -> list[tuple[int, int]]:
    """The text's sentences (:func:`~kg.extraction.text.sentence_spans`: every line break ends
    one), joined over a hard wrap: one line break (no blank line) where the line does not end
    a sentence and the next starts in lower case (:func:`~kg.extraction.text.wrap_joins`), or
    the line ends in a word no sentence ends with (``with``, ``was``, ``taking``) and the next
    starts no item or section of its own (a bullet, a number, ``Meds:``:
    :data:`~kg.extraction.text.NEW_ITEM`). ``lines``: the text's
    :func:`~kg.extraction.text.sentence_lines`, if they are known already.

    Example:
        >>> t = "She stopped taking\\nAtenolol last year.\\nPrevious:\\nlithium\\nSeizures."
        >>> [t[a:b] for a, b in wrapped_sentences(t)]
        ['She stopped taking\\nAtenolol last year.', 'Previous:', 'lithium', 'Seizures.']
    """
    spans, joins = lines if lines is not None else sentence_lines(text)
    out: list[tuple[int, int]] = []
    for k, (a, b) in enumerate(spans):
        if out and k > 0 and _joined(text, spans[k - 1][1], a, joins[k - 1]):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _joined(text: str, prev_end: int, start: int, wrap: bool) -> bool:
    """Whether the sentence at ``start`` goes on from the one that ends at ``prev_end``."""
    if wrap:
        return True
    return (one_line_break(text, prev_end, start) and not NEW_ITEM.match(text, start)
            and _OPEN_LINE_END.search(text, max(prev_end - 30, 0), prev_end) is not None)


def _around(spans: list[tuple[int, int]], start: int, size: int) -> tuple[int, int]:
    """The span of ``spans`` (sorted) that starts last at or before ``start``."""
    k = max(bisect_right(spans, (start, size + 1)) - 1, 0)
    return spans[k] if spans else (0, size)


_CLAUSE_END_LOOKAHEAD = 400
"""How far past a drug a clause end before it may look (a ``;`` before one more allergen with its
reaction: an item of a few words); the search stops there, not at the end of a long text."""


def _clause(text: str, a: int, start: int) -> str:
    """``text[a:start]`` since its last clause end (found in the text around it, so that a clause
    end may depend on what follows it: a ``;`` before one more allergen)."""
    last = a
    for m in _CLAUSE_END.finditer(text, a, start + _CLAUSE_END_LOOKAHEAD):
        if m.end() > start:
            break
        last = m.end()
    return text[last:start]


_REACTION_IN_PARENTHESES = re.compile(r"[ \t]*\([^()\n]*\)")
"""A reaction in parentheses right after an allergy word (``codeine allergy (rash)``)."""


def allergy_word_after(text: str, end: int) -> tuple[int, int] | None:
    """The span of the allergy cue right after a drug that ends at ``end`` (``allergy`` in
    ``penicillin allergy``), with the reaction in parentheses right after it, or None: they
    name the drug's allergy, no finding of the patient.

    Example:
        >>> t = "Codeine allergy (rash), ataxia."
        >>> allergy_word_after(t, 7), allergy_word_after("Codeine, ataxia.", 7)
        ((8, 22), None)
    """
    m = _ALLERGY_AFTER.match(text, end)
    if m is None:
        return None
    reaction = _REACTION_IN_PARENTHESES.match(text, m.end())
    return m.end() - len(m.group().lstrip()), reaction.end() if reaction else m.end()


def drug_context(text: str, start: int, end: int, sentences: list[tuple[int, int]] | None = None,
                 wrapped: list[tuple[int, int]] | None = None) -> DrugContext:
    """How the sentence around the drug mention ``text[start:end]`` speaks of it.

    ``allergy``: an allergy cue (allergic to, allergy to, allergies:, allergies -,
    hypersensitivity to, intolerant of) comes before it in its clause, or allergy /
    hypersensitivity / intolerance right after it, unless a verb of having it stands right before
    it (``Allergies: nuts - carries EpiPen``: current). ``past``: it follows no longer / stopped /
    discontinued taking (or on, using); or a past-use cue (previously, formerly, in the past,
    discontinued, stopped, was taken off, history of, previous, overdose of) comes before it in
    its clause with no comma between and no started / begun / added follows it before the next
    comma (``X stopped and Y started``); or stopped / discontinued / withdrawn / ceased comes after it before the
    next comma, and not as the patient stopping something else (``takes X daily and stopped Y``:
    X is current); or its clause starts with a heading of past drugs (``Stopped: X (...), Y``,
    ``Previous AEDs: X, Y``: all past). A clause ends at the sentence end, ``;``, a word that starts a new statement
    (but, however, now, currently, started, switched to, takes, ...) or a comma before on /
    using / receiving. ``avoid``: a cue that the patient must not have it comes right before it
    or before the list it is in (avoid, do not give / prescribe / use / restart) or right after
    it (``X - avoid``, ``X to be avoided``, ``X is contraindicated``). Otherwise ``current``.
    (So a list after an allergy cue is all allergies, but only the first drug of a comma list
    after a past-use cue is past: a wrong guess keeps a drug current, as it was before these
    rules.) Past-use cues reach over a hard-wrapped line (:func:`wrapped_sentences`), allergy
    cues over the lines of an allergy list (:func:`~reasoning.text_allergies.allergy_sentences`).

    Example:
        >>> t = ("Allergic to penicillin; now on metformin. Valproate was stopped, lamotrigine started. "
        ...      "Avoid allopurinol.")
        >>> [drug_context(t, t.index(w), t.index(w) + len(w)) for w in ("penicillin", "metformin",
        ...  "Valproate", "lamotrigine", "allopurinol")]
        ['allergy', 'current', 'past', 'current', 'avoid']
        >>> t = "He takes modafinil 200 mg daily and stopped methylphenidate last year."
        >>> [drug_context(t, t.index(w), t.index(w) + len(w)) for w in ("modafinil", "methylphenidate")]
        ['current', 'past']

    ``sentences`` and ``wrapped``: the text's :func:`~reasoning.text_allergies.allergy_sentences`
    and :func:`wrapped_sentences`, when the caller asks about many mentions of one text (they
    are found once).
    """
    s0, s1 = _around(allergy_sentences(text) if sentences is None else sentences, start, len(text))
    if (_ALLERGY_AFTER.match(text, end, max(s1, end)) or _ALLERGY_BEFORE.search(_clause(text, s0, start))) and (
            not _USED_BEFORE.search(text, max(s0, start - 40), start)):
        return "allergy"
    if _AVOID_AFTER.match(text, end, max(s1, end)) or _AVOID_BEFORE.search(text, max(s0, start - 80), start):
        return "avoid"
    w0, w1 = _around(wrapped_sentences(text) if wrapped is None else wrapped, start, len(text))
    before, after = text[min(s0, w0):start], text[end:max(s1, w1, end)]
    clause = _clause(text, min(s0, w0), start)
    stop = min((m.start() for m in (_PAST_AFTER_END.search(after), _STOPS_ANOTHER.search(after)) if m),
               default=len(after))
    if _PAST_USE_BEFORE.search(before) or _PAST_AFTER.search(after[:stop]):
        return "past"
    upto_comma = after[:m.start() if (m := _COMMA_OR_SEMICOLON.search(after)) else len(after)]
    if _STARTED_AFTER.search(upto_comma):
        return "current"
    return "past" if _PAST_BEFORE.search(clause.rsplit(",", 1)[-1]) or _PAST_HEADING.match(clause) else "current"
