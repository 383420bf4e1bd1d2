"""Adverse drug reactions said in prose: ``She had a rash with sulfasalazine``, ``lamotrigine caused a rash``.

A reaction statement ties one or more findings (phenotypes or diseases) to a drug mention right
next to them, in one of these frames (nothing but the words shown may stand between them):

* **a finding, then what caused it**: ``rash caused by X``, ``induced by``, ``triggered by``,
  ``due to``, ``secondary to``, ``attributed to``, ``from``, ``as a side effect of``,
  ``as an adverse reaction to`` (``was``, ``is`` or ``thought to be`` may come first);
* **a drug, then what it caused**: ``X caused a rash``, ``induced``, ``triggered``,
  ``provoked``, ``precipitated``, ``led to``, ``resulted in``, ``gave her``, and ``X-induced
  pancreatitis`` (``-related``, ``-associated``);
* **a finding, then the exposure**: ``rash with X``, ``hives after X``, ``following X``,
  ``on starting X``, ``after starting`` / ``taking`` / ``being given X``. Not when the clause
  before the finding says it went or lessened (``no further seizures after starting X``,
  ``seizures improved``), nor when the drug's stop or withdrawal follows (``seizures after
  valproate withdrawal``), nor before a dose or schedule (``Asthma with salbutamol 100 mcg PRN``:
  a prescription);
* **an onset verb, a finding, then on the drug**: ``developed`` / ``experienced`` /
  ``suffered`` / ``broke out in`` / ``came out in`` ... ``on X``, ``while on X``, ``while
  taking X``, ``when on X``. A bare ``on`` (``Seizures on valproate``, ``AF on warfarin``) is
  the finding the drug treats or one it did not prevent, not its reaction, and is not read;
* **a finding that is a drug reaction by definition or in most cases**
  (:func:`reasoning.reaction_tables.reaction_findings`: Stevens-Johnson syndrome, DRESS, drug
  allergy, ...) with ``on X`` or any frame above, even before a dose (``Stevens-Johnson syndrome
  on carbamazepine``): no drug treats it, so the drug next to it is its cause.

A drug class in the first two frames (``steroid-induced hyperglycaemia``, ``constipation due to
opioids``; :func:`class_reactions`) makes a class reaction: the graph holds no class membership,
so it names the class, not a drug.

Findings listed together share the frame (``developed a rash and fever after X``). A statement
followed by a question mark asks, and is not read (``Rash with lamotrigine?``).

The rule for the case (:func:`reasoning.text_case.case_from_text`): such a finding is the
patient's reaction to the drug (``Case.drug_reactions``, keyed by the drug's id, the text span
as its origin, so ``--treatments`` flags the drug ``adverse_event_in_case``), and no finding of
the case: it is left out of the present findings and the conditions, with a note. A drug rash
is evidence about the drug, not for a disease with rash; the allergy statements' rule is the
same (``Allergies: penicillin (rash)``: the rash is left out). The drug of a reaction statement
is no current drug from that mention (the statement tells of a past exposure; noted), unless
the sentence makes it an allergy (``allergic to X``).

Example:
    >>> t = "She had a rash with sulfasalazine in the past. Lamotrigine caused hives."
    >>> ms = [(t.index(w), t.index(w) + len(w), k) for w, k in [
    ...     ("rash", "phenotype"), ("sulfasalazine", "drug"), ("Lamotrigine", "drug"), ("hives", "phenotype")]]
    >>> [(t[ms[r.drug][0]:ms[r.drug][1]], [t[ms[f][0]:ms[f][1]] for f in r.findings], t[r.start:r.end])
    ...  for r in drug_reactions(t, ms)]
    [('sulfasalazine', ['rash'], 'rash with sulfasalazine'), ('Lamotrigine', ['hives'], 'Lamotrigine caused hives')]
    >>> t = "Seizures on valproate. No further seizures after starting valproate."
    >>> drug_reactions(t, [(0, 8, "phenotype"), (12, 21, "drug"), (34, 42, "phenotype"), (58, 67, "drug")])
    []
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from reasoning.reaction_tables import DrugClass, drug_class_words, key

Mention = tuple[int, int, str]
"""A mention's start, end and entity type (``drug``, ``phenotype``, ``disease``)."""

FINDING_TYPES = frozenset({"phenotype", "disease"})
"""The entity types a reaction may be."""

_ARTICLES = r"(?:(?:the|his|her|their|a|an|oral|iv|intravenous|topical|a\s+(?:dose|course|trial)\s+of)\s+)*"
_CAUSED_BY = re.compile(
    r"[ \t]*,?[ \t]*(?:(?:was|were|is|are|thought\s+to\s+be|felt\s+to\s+be)[ \t]+)?"
    r"(?:caused\s+by|induced\s+by|triggered\s+by|provoked\s+by|precipitated\s+by|due\s+to|secondary\s+to|"
    r"attributed\s+to|attributable\s+to|from|as\s+an?\s+(?:side[\s-]+effects?|adverse\s+(?:effects?|reactions?))"
    r"\s+(?:of|to))\s+" + _ARTICLES, re.IGNORECASE)
"""Between a finding and the drug that caused it (``rash caused by``, ``hypoglycaemia from``)."""
_CAUSES = re.compile(
    r"(?:[ \t]+(?:(?:has|had|have)[ \t]+)?(?:caused|induced|triggered|provoked|precipitated|led\s+to|resulted\s+in|"
    r"gave\s+(?:him|her|them|the\s+(?:patient|child|baby))|gives\s+(?:him|her|them))"
    r"|[-\u2010\u2011 ](?:induced|related|associated|provoked|triggered))\s+"
    r"(?:(?:a|an|some|his|her|their|severe|mild|marked|significant|widespread|generali[sz]ed|florid|troublesome)\s+){0,3}",
    re.IGNORECASE)
"""Between a drug and what it caused (``lamotrigine caused a``, ``valproate-induced``)."""
_EXPOSED = re.compile(
    r"\s+(?:with|after|following|on\s+starting|after\s+(?:starting|taking|being\s+given|receiving)|"
    r"within\s+\w+\s+(?:hours?|days?|weeks?)\s+of\s+(?:starting\s+)?)\s+" + _ARTICLES, re.IGNORECASE)
"""Between a finding and the drug it came with (``rash with``, ``hives after``)."""
_ON = re.compile(r"\s+(?:(?:while|when)\s+)?(?:on|taking|receiving|given)\s+" + _ARTICLES, re.IGNORECASE)
"""Between a finding and the drug it came on (``rash on``, ``rash while taking``): read only
after an onset verb (:data:`_ONSET_BEFORE`)."""
_ONSET_BEFORE = re.compile(
    r"\b(?:developed|develops|experienced|suffered|broke\s+out\s+in|came\s+out\s+in|reacted\s+with)\s+"
    r"(?:[^\W\d_]+\s+){0,2}$", re.IGNORECASE)
"""An onset verb before a finding (``developed a``, ``came out in``): the finding began on the drug."""
_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:(?:and|or)\s+)?|\s(?:and|or)\s+|/\s*)(?:(?:a|an|some)\s+)?", re.IGNORECASE)
"""Between findings listed together (``rash, fever and``)."""
_WENT = re.compile(r"\b(?:no|not|never|without|den(?:y|ies|ied)|further|resolved|resolution|stopped|improved|"
                   r"improvement|settled|controlled|control|better|fewer|less|reduced|reduction|free|remission|"
                   r"responded|response)\b", re.IGNORECASE)
"""Words before a finding that say it went or lessened (``no further seizures after starting X``,
``denies any further seizures after starting X``)."""
_CLAUSE_START = re.compile(r"[.!?;:\n]")
_STOPPED_AFTER = re.compile(
    r"\s*(?:(?:was|were|had\s+been|being)\s+)?(?:withdrawal|withdrawn|stopped|stopping|discontinued|discontinuation|"
    r"cessation|ceased|reduction|reduced|weaned|weaning|wean|taper|tapered|tapering|levels?|toxicity\s+was\s+excluded)\b",
    re.IGNORECASE)
"""Words right after a drug that make it the drug's stop, not its use (``after valproate withdrawal``)."""
_ASKED = re.compile(r"[ \t]*\?")
"""A question mark right after a statement: it asks, it does not tell (``Rash with lamotrigine?``)."""
_DOSE_AFTER = re.compile(r"\s*(?:[0-9]|(?:prn|od|bd|tds|qds|nocte|daily|inhalers?|mane)\b)", re.IGNORECASE)
"""A dose or schedule right after a drug: a prescription (``Asthma with salbutamol PRN``), the
drug given for the finding, not its reaction."""


@dataclass(frozen=True)
class Reaction:
    """A reaction statement: its drug and findings (indexes into the mentions given) and span."""

    drug: int
    findings: tuple[int, ...]
    start: int
    end: int


def _clause_before(text: str, start: int) -> str:
    window = text[max(0, start - 120):start]
    cut = [m.end() for m in _CLAUSE_START.finditer(window)]
    return window[cut[-1] if cut else 0:]


def _listed(text: str, ms: Sequence[Mention], k: int, step: int) -> list[int]:
    """Finding ``k`` and the findings listed with it (``rash and fever``) before it (``step``
    -1) or after it (1), in text order."""
    run = [k]
    while 0 <= (n := run[-1] + step) < len(ms) and ms[n][2] in FINDING_TYPES:
        first, second = sorted((n, run[-1]))
        if not _LIST_JOIN.fullmatch(text, ms[first][1], ms[second][0]):
            break
        run.append(n)
    return sorted(run)


def _before(text: str, ms: Sequence[Mention], i: int, defined: Collection[int]) -> list[int]:
    """The findings before drug ``i`` that a frame makes its reactions (see the module's rules);
    ``defined``: the findings that are drug reactions by definition."""
    j = i - 1
    if j < 0 or ms[j][2] not in FINDING_TYPES:
        return []
    gap_start, start = ms[j][1], ms[i][0]
    if _CAUSED_BY.fullmatch(text, gap_start, start):
        return _listed(text, ms, j, -1)
    exposed, on = _EXPOSED.fullmatch(text, gap_start, start), _ON.fullmatch(text, gap_start, start)
    if not (exposed or on) or _STOPPED_AFTER.match(text, ms[i][1]):
        return []
    run = _listed(text, ms, j, -1)
    first = ms[run[0]][0]
    if _WENT.search(_clause_before(text, first)):
        return []
    if not _DOSE_AFTER.match(text, ms[i][1]) and (exposed or _ONSET_BEFORE.search(text, max(0, first - 60), first)):
        return run
    return [f for f in run if f in defined]  # ``SJS on carbamazepine (200 mg bd)``: no finding it treats


def drug_reactions(text: str, mentions: Sequence[Mention], defined: Collection[int] = ()) -> list[Reaction]:
    """The text's reaction statements (see the module's rules), given its mentions (those the
    case reads: present ones, outside allergy statements) and ``defined``, the indexes of those
    that are drug reactions by definition or in most cases (:func:`reasoning.reaction_tables.reaction_findings`)."""
    order = sorted(range(len(mentions)), key=lambda x: mentions[x][:2])
    ms = [mentions[x] for x in order]
    rank = {x: n for n, x in enumerate(order)}
    defined = {rank[x] for x in defined}
    out: list[Reaction] = []
    for i, (a, b, kind) in enumerate(ms):
        if kind != "drug":
            continue
        run = _before(text, ms, i, defined)
        if not run and i + 1 < len(ms) and ms[i + 1][2] in FINDING_TYPES and _CAUSES.fullmatch(text, b, ms[i + 1][0]):
            run = _listed(text, ms, i + 1, 1)
        if run and not _ASKED.match(text, end := max(b, ms[run[-1]][1])):
            out.append(Reaction(order[i], tuple(order[f] for f in run), min(a, ms[run[0]][0]), end))
    return out


@dataclass(frozen=True)
class ClassReaction:
    """A reaction statement that names a drug class, not a drug (``steroid-induced
    hyperglycaemia``): the class, its findings (indexes into the mentions given) and span."""

    drug_class: DrugClass
    findings: tuple[int, ...]
    start: int
    end: int


def class_reactions(text: str, mentions: Sequence[Mention]) -> list[ClassReaction]:
    """The text's reaction statements that name a drug class (:func:`reasoning.reaction_tables.drug_class_words`:
    ``steroid``, ``NSAID``, ``opioid``) where the other frames name a drug: ``steroid-induced
    hyperglycaemia``, ``NSAIDs caused gastritis``, ``constipation due to opioids``. A class word
    inside a mention (``steroid-induced glaucoma``, one finding) is part of its name.

    Example:
        >>> t = "Steroid-induced hyperglycaemia. Constipation due to opioids. Seizures on steroids."
        >>> ms = [(16, 30, "phenotype"), (32, 44, "phenotype"), (61, 69, "phenotype")]
        >>> [(r.drug_class.name, [t[ms[f][0]:ms[f][1]] for f in r.findings], t[r.start:r.end])
        ...  for r in class_reactions(t, ms)]
        [('Corticosteroid', ['hyperglycaemia'], 'Steroid-induced hyperglycaemia'), \
('Opioid Agonist', ['Constipation'], 'Constipation due to opioids')]
    """
    rx, of = drug_class_words()
    order = sorted(range(len(mentions)), key=lambda x: mentions[x][:2])
    ms = [mentions[x] for x in order]
    starts = [m[0] for m in ms]
    out: list[ClassReaction] = []
    for m in rx.finditer(text):
        a, b = m.span()
        nxt = bisect_left(starts, a)  # the first mention starting at or after the word
        if nxt and ms[nxt - 1][1] > a:
            continue  # inside a mention: part of its name
        run: list[int] = []
        if nxt < len(ms) and ms[nxt][2] in FINDING_TYPES and _CAUSES.fullmatch(text, b, ms[nxt][0]):
            run = _listed(text, ms, nxt, 1)
        elif nxt and ms[nxt - 1][2] in FINDING_TYPES and _CAUSED_BY.fullmatch(text, ms[nxt - 1][1], a):
            run = _listed(text, ms, nxt - 1, -1)
        if run and not _ASKED.match(text, end := max(b, ms[run[-1]][1])):
            out.append(ClassReaction(of[key(m.group("word"))], tuple(order[f] for f in run), min(a, ms[run[0]][0]),
                                     end))
    return out
