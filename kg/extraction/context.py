"""Assertion status by ConText-style rules (Harkema et al., 2009).

A *trigger* phrase modifies the findings in its *scope*: forward triggers
(``no``, ``denies``, ``possible``, ``mother``) the words after them,
backward triggers (``was ruled out``, ``were negative``) the words before
them, bidirectional ones both. A scope ends at the sentence end, at a
terminating cue (``but``, ``however``, ``;``, ...) and at the next trigger
of another kind (family scopes: only at terminators; a family word does not end another scope). Pseudo-triggers (``no increase``, ``gram negative``) are
matched so that the shorter trigger inside them is not.

Where the caller knows the sentence's findings, a forward negation or
uncertainty scope crosses a comma or ``and``/``or`` only into a list of
findings: the next finding must start within two modifier words of the
separator (``no fever, cough or severe headache``), and not one whose own
predicate affirms it (``Denies fever, cough is present``). Otherwise the separator
ends the scope, so ``fewer or no seizures, a lower incidence of microcephaly``
and ``should not be confused, both can be associated with deafness`` leave the
later findings present.

A family word is no trigger where the relative is one of the people the text
reports on: coordinated with the patient (``this patient and his brother
had``) or named with another relative without a possessive (``a father and son
with``; ``her mother and sister had`` stays family history). A family word
that starts a new conjunct (``hypotonia and his mother has deafness``,
``oligohydramnios and maternal serum AFP``) has no backward scope: the finding
before the conjunction is not the relative's.

When several scopes cover a finding, ``hypothetical`` wins over ``absent``, which
wins over ``family``, which wins over ``possible``; except where the clause says the finding of a
relative (:data:`FAMILY_OF`): a finding in a family history (``No family
history of seizures``, ``family history negative for deafness``: the family's,
which says nothing about the patient; a list of findings after it is one list),
a relative named as the place of the finding
after it (``No lens dislocation in the father``, ``deafness was not found in
her sister``, ``no seizures in the family``), as the subject of the negation
(``Father has no seizures``, ``maternal uncle without seizures``; not an
informant's ``Mother denies fever``) or as its owner (``her father's skin is
not hyperextensible``). Such a negated finding is the relative's, so it is
``family``, not the patient's ``absent``. A relative in another clause
changes nothing (``The patient's father is healthy; no seizures``).

A finding matched in another word order across a negated copula (``Skin is
not hyperextensible`` for *Hyperextensible skin*; the caller says which
findings are such, see :meth:`ConText.scopes`) is absent: the clause denies
the finding's own predicate of its subject.

The adjective ``absent`` right next to a finding whose name does not hold it
denies that finding, and only it: ``Seizures absent``, ``absent seizures``
(read as *no seizures*: the seizure type is named with the noun, ``absence
seizures``; see :data:`kg.extraction.text.ABSENCE_SEIZURE_HEADS`), but not
``Fever, absent in the morning`` nor the next item of a list (``absent seizures
and fever``: the fever stays present). Where ``absent`` is the finding's own
word (``Absent thumb``, ``Reflexes were absent`` for *Areflexia*), the finding is
what is present.

A list-style answer after a colon or a question mark, ending its clause
(:data:`ANSWERS`), says something of its own label only: ``Seizures: none.``,
``Fever? No.`` mark the finding absent, ``Ataxia? Possibly.`` possible (the
sentence splitter keeps such an answer with its question, a one-word one or one that
more words follow: ``Has he had seizures? Yes, twice.`` is present, ``No, never.`` absent). The label
is what stands between the ``:``/``?`` and the last comma, ``and``/``or`` or
``/`` before it; it reaches further back over a list of findings only when the
whole list, back to the previous answer, colon, terminator or the sentence
start, is findings (``Fever, cough: negative``; not ``She has hypotonia,
seizures and ataxia, surgery: none``, nor ``Hypotonia with seizures,
developmental regression? Unlikely.``, where only the regression is negated).
Every answer, ``yes`` and ``present`` too, ends the scopes of the other
triggers: ``Seizures: yes, Fever: no, Cough: yes`` negates the fever only.

A relative as the subject of a clause (``His sister is 10 years old and has no
seizures``) owns the findings of its predicate, over a negation, over an
apposition with no finding in it (``His older brother, who is 12, has
ataxia``, ``The patient's mother, a 40-year-old teacher, has``: the few words of
the family scope count from its end) and to the end of a bracketed list that
opens in those words (``affected with the same condition (ataxia, nystagmus)``);
not a relative who speaks for the patient or is spoken to (``Mother reports``,
``Parents advised to``). The scope stays short: case reports name an affected
relative's findings at length, and those are the findings they report.

A relative's clause goes on over ``but`` before a negation with no verb of its own (``Her
mother has ptosis but no heart defect``: her mother's) and, after ``;`` or ``but``, over a
pronoun that names the relative again when the relative's clause named no finding (``Mother is
well; she has hypothyroidism``; not ``His mother is well; he has seizures``). A relative clause
about a relative named with a possessive is the relative's, to the end of its list of findings
however long (``She attends with her mother, who has epilepsy``, ``Her mother, who has bipolar
disorder, lives nearby``). Plurals of kin are family words too (``Her two daughters have
epilepsy``), but for ``mothers``, ``fathers`` and ``twins``.

A finding an assessment still to come is for is possible (``An ASD assessment is recommended``,
``referred for autism assessment``), and an item marked ``+`` in a negated list is present
(``Denies:\n+ cough\n- fever``).

*Hypothetical* findings (ConText's category) may come but are not had: ``if``
(not as *whether*: ``determine if``), ``return if``, ``in case of``, ``at risk
of``, ``increased risk of``, ``monitor for``, ``watch for``, ``screen
(annually) for``, and ``should`` right before a finding (``seek help should
seizures occur``). They rank over a negation and a family word (``Parents
advised to seek help should seizures occur``), below a relative's finding.

Uncertainty also comes as the shorthand of notes: ``query``, ``suggestive
of``, ``DDx``, a ``?`` right before a word (``?seizures``, ``Reason for
referral: ?Marfan syndrome``; it also ends the forward scopes before it, the
sentence splitter keeping ``. ?X`` in one sentence) and findings set against
each other with ``vs``/``versus`` (``Marfan syndrome vs Ehlers-Danlos
syndrome``: each possible). A negation may follow its list: ``short stature,
ptosis and hypertelorism, none of which are present here``.

Filled-in templates have more answers (:data:`TEMPLATE_ANSWERS`), after a
``:``, a ``?`` or a spaced dash: ``Heart murmur: none heard``, ``Hepatomegaly:
not palpable``, ``Nystagmus - no``, ``Ptosis: N`` are absent (``Y`` present);
``Scoliosis: n/a``, ``Ataxia: not assessed``, ``unknown`` are ``possible``: the
model has no "unknown" status and the closest one is ``possible``, which, like
"not known", is no finding the patient is known to have (``diagnose`` leaves it
out, with a note).

A negating heading (:data:`NEGATING_HEADING`: ``Pertinent negatives:``,
``Absent:``, ``Symptoms absent:``, ``The following were absent:``, ``Denies:``,
``ROS negative for:``) negates its whole list, to the sentence end, the next
field's label (``Positives:``), a terminator or an uncertainty trigger; the
recogniser reads the bullet and continuation lines below such a heading with it
(:func:`kg.extraction.text.heading_continues`), so ``Denies:\\n* fever\\n* chills``
negates both. Clinical shorthand negates too (:data:`NEGATION_ABBREVIATIONS`:
``W/o hypotonia``, ``Nil scoliosis``).

A finding that went away (``Seizures resolved``, ``resolution of fever``) is
no negation: the patient had it. The model has no separate historical status
(``history of seizures`` is present too), so it stays present. So does one a negation
says is over (:data:`HISTORY_WORDS` after a negation): ``No further seizures``, ``Denies any
further seizures``, ``no recurrence of seizures``. One that only may say so is possible, not
absent (``no new lesions``, and a span of time, :data:`_HISTORY_TIME`: ``No seizures for 2
years``, ``no seizures since March``, which a screening question also says: ``no weight loss in
the past 6 months``); not ``No seizures in the past`` (never) nor ``No further investigation for
seizures``, which stay absent. After a bare comma, a finding with a time of its own is a clause
of its own, out of the negation's list (``No seizures, fever for 2 days``: the fever is present).

Example:
    >>> ctx = ConText()
    >>> s = "Denies fever or chills but reports cough; possible pneumonia."
    >>> [ctx.assertion(s, s.index(w), s.index(w) + len(w))
    ...  for w in ("fever", "chills", "cough", "pneumonia")]
    ['absent', 'absent', 'present', 'possible']
    >>> s = "Tuberculosis was ruled out. Her mother had breast cancer."
    >>> ctx.assertion(s, 0, 12), ctx.assertion(s, 43, 56)
    ('absent', 'family')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kg.extraction.text import HEADING_LABEL, norm_phrase
from kg.extraction.types import Assertion

FORWARD, BACKWARD, BOTH = "forward", "backward", "both"

NEGATION_FORWARD = (
    "no", "not", "denies", "denied", "deny", "denying", "without", "negative for",
    "free of", "absence of", "no evidence of", "no evidence for", "no sign of",
    "no signs of", "no history of", "never had", "never developed", "did not have",
    "does not have", "do not have", "did not develop", "did not show", "does not show",
    "no complaints of", "fails to reveal", "failed to reveal", "not demonstrate",
    "unremarkable for", "rules out", "ruled out for", "excluded", "-ve for", "neg for",
    "nor", "lack of", "lacks", "lacked", "neither",
)
NEGATION_ABBREVIATIONS = ("w/o", "nil")
"""Negations of clinical shorthand: ``W/o hypotonia`` (*without*), ``Nil scoliosis``."""
NEGATION_BACKWARD = (
    "was ruled out", "were ruled out", "is ruled out", "has been ruled out",
    "have been ruled out", "was excluded", "were excluded", "is excluded",
    "has been excluded", "was negative", "were negative", "is negative", "are negative",
    "not seen", "not present", "not detected", "not observed", "not found", "is absent",
    "was absent", "were absent", "are absent", "free", "unlikely",
)
POSSIBLE_FORWARD = (
    "possible", "possibly", "probable", "probably", "suspected", "suspect", "suspicion of",
    "suspicious for", "rule out", "r/o", "questionable", "may have", "might have",
    "could have", "could be", "may be", "concern for", "concerning for", "worrisome for",
    "differential diagnosis", "differential diagnoses", "consider", "considered",
    "cannot rule out", "can not rule out", "cannot exclude", "whether", "wonder if", "wonders if", "wondered if",
    "presumed", "presumptive", "likely", "evaluate for", "evaluation for",
    "workup for", "work-up for", "assessment for",
)
POSSIBLE_BACKWARD = (
    "is suspected", "was suspected", "were suspected", "cannot be excluded",
    "could not be excluded", "cannot be ruled out", "could not be ruled out",
    "not excluded", "not ruled out", "is possible", "was possible", "is likely", "was likely",
    "is questionable", "was considered", "is considered", "has been considered", "have been considered",
    "be considered",
)
FAMILY_HISTORY = ("family history", "family history of", "family hx", "fhx")
"""The family-history triggers: what follows them is the family's, negated or not
(``No family history of seizures`` says nothing about the patient's seizures)."""
KIN_FAMILIAR = ("mum", "mom", "mummy", "mommy", "dad", "daddy", "mum's", "mom's", "dad's", "grandma", "grandpa")
"""What notes call a parent or grandparent in everyday words (``Mum has epilepsy``, ``Dad had
seizures as a child``): relatives as ``mother`` and ``father`` are (not ``MoM``, the multiple
of the median of prenatal screening, after a number: :data:`_MULTIPLE_OF_MEDIAN`)."""
KIN_NUCLEAR = "mother|father|sister|brother|son|daughter|sibling|parent"
"""A parent, child or sibling, as a regex alternation (singular nouns): the relatives that
``step-`` and ``half-`` qualify."""
KIN = KIN_NUCLEAR + "|twin|aunt|uncle|cousin|grandmother|grandfather|grandparent|niece|nephew|grandson|granddaughter"
"""The relatives of the family rules, as a regex alternation (singular nouns); the family
triggers (:data:`FAMILY_BOTH`) are these, their plurals (but :data:`_NO_FAMILY_PLURALS`) and
phrases of their own.
:mod:`reasoning.text_demographics` reads more people around an age (``mum``, ``wife``)."""
_NO_FAMILY_PLURALS = frozenset({"twins", "mothers", "fathers"})
"""Plurals of kin that name no relatives of one patient: a patient has one mother and one father
(``infants born to HBsAg-positive mothers``: the people a report describes), and ``twins`` are
often the patients (``One of the twins developed cardiomyopathy``)."""
KIN_EVERYDAY = ("auntie", "aunty", "aunties", "granny", "grandad", "granddad", "husband", "wife",
                "stepmother", "stepfather", "half-brother", "half-sister", "half-sibling")
"""More people a note names whose findings are not the patient's (``Her auntie has epilepsy``,
``Husband has diabetes``)."""
FAMILY_BOTH = (
    *FAMILY_HISTORY,
    *(w for kin in KIN.split("|") for w in (kin, kin + "s") if w not in _NO_FAMILY_PLURALS),
    "maternal", "paternal", "mother's", "father's", "relatives", "relative",
    "family members", "a family member", *KIN_FAMILIAR, *KIN_EVERYDAY,
)
_WATCH_VERBS = ("monitor", "monitored", "monitoring", "watch", "watched", "watching", "screen", "screened",
                "screening", "surveillance", "check", "checked", "look out", "observe")
_WATCH_ADVERBS = ("", "closely ", "carefully ", "regularly ", "annually ", "yearly ", "routinely ", "periodically ")
HYPOTHETICAL_FORWARD = (
    "if", "return if", "in case of", "in the event of", "increased risk of", "increased risk for", "at risk of",
    "at risk for", "at increased risk of", "at increased risk for",
    "should there be", "should any",
    *(f"{v} {adv}for" for v in _WATCH_VERBS for adv in _WATCH_ADVERBS),
    "safety netting", "safety-netting", "safety net", "safety-net", "safety-netted", "safety netted",
)
"""Hypothetical triggers (ConText's *hypothetical* category): a finding that may come, not one
the patient has (``Return to ED if fever develops``, ``Monitor for scoliosis``, ``Screen
annually for hearing loss``, ``increased risk of scoliosis``, ``safety-netting given re
non-blanching rash``: the advice of what to come back for; not a bare ``risk of``, which
abstracts use of the people they report on: ``a dominantly inherited risk of developing skin
cancer``). An inverted conditional
(``should seizures occur``) is found by :data:`_INVERTED_CONDITIONAL`."""
HYPOTHETICAL_PSEUDO = (
    "as if", "even if", "if any", "if so", "if ever", "only if", "determine if", "see if", "assess if",
    "test if", "tested if", "unclear if", "unknown if", "investigate if", "examine if", "evaluate if",
    "know if", "check if", "ask if", "asked if", "establish if", "clarify if", "decide if", "tell if",
)
"""``if`` that means *whether* or *even though*, and ``risk`` as a noun of its own."""
POSSIBLE_CUES = (
    "query", "queried", "suggestive of", "suggestive for", "ddx", "d/dx", "differentials",
    "differential dx",
)
"""Uncertainty cues of clinical notes (``Query hypotonia``, ``Findings suggestive of hearing
loss``, ``DDx: Marfan syndrome vs Ehlers-Danlos syndrome``); a ``?`` right before a word
(``?seizures``) is :data:`_QUERY_MARK`, findings set against each other (``Marfan syndrome vs
Ehlers-Danlos syndrome``) :data:`_VERSUS`."""
NEGATION_AFTER_LIST = tuple(
    f"{who} {verb} {seen}"
    for who in ("none of which", "none of these", "none of them", "neither of which", "neither of these")
    for verb in ("is", "are", "was", "were", "has been", "have been")
    for seen in ("present", "seen", "found", "observed", "detected", "noted", "evident")
)
"""A negation after its list (``short stature, ptosis and hypertelorism, none of which are
present here``): backward, over the list before it."""
PSEUDO = (
    "no increase", "no change", "no significant change", "not only", "not necessarily",
    "gram negative", "without difficulty", "not certain if", "not certain whether",
    "no longer", "not been ruled out", "not be ruled out", "no further evaluation",
    "not drain", "not extend", "if not", "whether or not", "no obvious cause",
    "no clear cause", "no known cause", "free text",
)
SAME_SUBJECT_BUT = ("but has", "but had", "but also", "but is", "but was")
"""``but`` that goes on with the same subject (``Her brother is well but has macrocephaly``): it
ends other scopes, as ``but`` does, but stays in a relative's clause."""
TERMINATE = (
    "but", "however", "although", "though", "yet", "except", "aside from", "apart from",
    "other than", "whereas", "while", "which", "who", "nevertheless", "since",
    "because", "due to", "secondary to", "presents with", "presented with", "complains of",
    "complain of", "complained of", "complaining of", "c/o", "concerned about", "worried about",
    "reports", "reported", "now has", "has developed", *SAME_SUBJECT_BUT, "+ve for", "pos for", "(+)", ";", " - ", " – ", " — ",
)


ANSWERS: dict[str, str | None] = {
    **dict.fromkeys(("none", "no", "nil", "negative", "absent", "denied", "denies", "not present", "unlikely",
                     "never", "nope"), "absent"),
    **dict.fromkeys(("possibly", "possible", "probably", "probable", "maybe", "perhaps", "likely",
                     "questionable", "uncertain", "unclear", "suspected"), "possible"),
    "yes": None, "yeah": None, "yep": None, "present": None,
}
"""One-word answers of a ``finding: answer`` or ``finding? answer`` template and
the assertion they give the findings before them (``None``: present)."""
NEGATIVE_ANSWERS: tuple[str, ...] = tuple(a for a, cat in ANSWERS.items() if cat == "absent")
"""The answers that say a field holds nothing (``none``, ``nil``, ``no``, ``denies``, ...)."""
TEMPLATE_ANSWERS: dict[str, str] = {
    **dict.fromkeys((
        "none known", "none noted", "none seen", "none heard", "none found", "none detected",
        "none observed", "none reported", "none identified", "none appreciated", "none elicited",
        "not palpable", "non-palpable", "nonpalpable", "not palpated", "not seen", "not noted", "not heard",
        "not found", "not detected", "not observed", "not appreciated", "not elicited", "not identified",
        "not visualized", "not visualised", "not felt", "not evident", "not reported", "n", "neg",
    ), "absent"),
    **dict.fromkeys((
        "n/a", "not applicable", "not assessed", "not tested", "not examined", "not evaluated",
        "not done", "not performed", "not checked", "not known", "unknown", "unk", "not available",
    ), "possible"),
}
"""Answers of a filled-in template besides :data:`ANSWERS`: a finding looked for and
not found (``Heart murmur: none heard``, ``Hepatomegaly: not palpable``, ``Ptosis: N``)
is absent; one not looked for or not known (``Scoliosis: n/a``, ``Ataxia: not
assessed``) is ``possible``: the model has no "unknown" status, and like a possible
finding it is no finding the patient is known to have (``diagnose`` leaves it out, with
a note). ``Y`` (:data:`_ANSWER_CATEGORY`) says present."""
_ANSWER_CATEGORY: dict[str, str | None] = {**ANSWERS, **TEMPLATE_ANSWERS, "y": None}
"""What each template answer (:data:`ANSWERS`, :data:`TEMPLATE_ANSWERS`) says of its label."""
_ANSWER = re.compile(
    r"(?:(?<=:)|(?<=\?)|(?<=\s[-\u2013\u2014])|(?<=\|))[ \t]*(?P<answer>"
    + "|".join(re.escape(a).replace(r"\ ", r"\s+")
               for a in sorted(_ANSWER_CATEGORY, key=len, reverse=True))
    + r")[ \t]*(?=[.!;,|]|\s*$|[\u2013\u2014-][ \t])",
    re.IGNORECASE,
)
"""An answer right after ``:``, ``?``, a spaced dash or a table's ``|`` that ends its clause or
cell (``: none.``, ``? Possibly.``, ``Nystagmus - no``, ``: none heard``, ``Seizures | No |``)."""


_SEPARATOR = re.compile(r"(?:\s*(?:,|/|\band\b|\bor\b|\bnor\b)\s*)+", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
LIST_MODIFIERS = 2
"""Words allowed between a list separator and the finding that continues the list."""
_CLAUSE_WORDS = frozenset(
    "a an the this that these those both all each every some any it its he she they we you i his "
    "her their our its one ones who which whose is are was were be been being am has have had do "
    "does did can could may might will would shall should must also then there here as than "
    "less more fewer lower higher positive endorses endorsed admits admitted reports reported "
    "complains notes noted shows showed".split()
)
"""Words that begin a clause or a comparison rather than a finding's modifiers."""


def _modifiers_only(sentence: str, a: int, b: int) -> bool:
    """Whether ``sentence[a:b]`` can stand before a finding in a list item: at most
    :data:`LIST_MODIFIERS` words, none of them a clause word (:data:`_CLAUSE_WORDS`).

    Example:
        >>> s = "no fever, severe cough, she has rash"
        >>> _modifiers_only(s, 9, 16), _modifiers_only(s, 23, 32)
        (True, False)
    """
    words = _WORD.findall(sentence, a, b)
    return len(words) <= LIST_MODIFIERS and not any(w.lower() in _CLAUSE_WORDS for w in words)

_WITH_PATIENT = re.compile(
    r"\b(?:patient|proband|propositus|proposita|index case|index patient)s?\s+and\s+"
    r"(?:his|her|their|the)?\s*(?:[^\W\d_]+\s+){0,2}$",
    re.IGNORECASE,
)
"""A family word coordinated with the patient (``this patient and his younger
brother``): what follows is said of the patient too, so it is no family trigger."""

_FAMILIAR = "|".join(w for w in KIN_FAMILIAR if not w.endswith("'s"))
_RELATIVE = (rf"(?:sib|{KIN}|{_FAMILIAR}|"
             rf"{'|'.join(w for w in KIN_EVERYDAY if '-' not in w)})s?")
"""A relative of the family rules, everyday words (:data:`KIN_FAMILIAR`, :data:`KIN_EVERYDAY`) too."""
_MULTIPLE_OF_MEDIAN = re.compile(r"\d\s*$")
"""A number right before ``MoM`` (``AFP 2.5 MoM``): a multiple of the median, not a mother."""
_ESCORT = re.compile(
    r"\b(?:(?:brought|accompanied|escorted|attends?|attended|came|comes|seen|presents?|presented)\s+"
    r"(?:(?:in|along|today)\s+)?(?:by|with)"
    r"|(?:e-?mail|message|letter|call|questionnaire|history|information|collateral|completed|written|given|"
    r"provided|obtained)\s+(?:from|by))\s+(?:(?:his|her|their|the|both)\s+)?(?:[^\W\d_]+\s+)?$",
    re.IGNORECASE)
"""A relative who brings the patient (``brought in by mum with fever``, ``attends with her
mother with 2 days of fever``) or tells the history (``Email from mum: ...``, ``History from
mother: fever for 3 days``, ``completed by father``): what follows is the patient's."""
_TOLD_BY = re.compile(r"[\s-]+(?:questionnaire|report|diary|concerns?)\b", re.IGNORECASE)
"""A relative word that names who tells (``Parent questionnaire``, ``parent report``): no owner."""
_COMPARED = re.compile(r"\b(?:like|unlike)\s+(?:(?:his|her|their|the)\s+)?(?:[^\W\d_]+\s+)?$", re.IGNORECASE)
"""A relative the patient is compared with (``Like his father, Jacob has brachydactyly``): what
follows is the patient's."""
_REPORTED_RELATIVES = re.compile(
    rf"(?<![\w'\u2019])(?P<pre>[\w'\u2019]+\s+)?{_RELATIVE}\s+and\s+(?:(?:his|her|their|one|two|an?|the)\s+)?"
    rf"(?:[^\W\d_]+\s+)?{_RELATIVE}\b",
    re.IGNORECASE,
)
_SIDE = re.compile(r"\b(?:maternal|paternal)\b", re.IGNORECASE)
"""A side of the family (``Mother and maternal aunt had``): relatives of the patient, not the
people a report describes."""
_POSSESSIVE = frozenset("his her their its our my your".split())
"""Relatives named as a pair without a possessive (``a father and son``, ``both
siblings and their mother``) are the people a report describes, not a
patient's family history (``her mother and sister``)."""


def _reported_relatives(sentence: str) -> list[tuple[int, int]]:
    """Spans of relatives named as the subjects of a report (see :data:`_POSSESSIVE`)."""
    out = []
    for m in _REPORTED_RELATIVES.finditer(sentence):
        pre = (m.group("pre") or "").strip().lower()
        if pre not in _POSSESSIVE and not pre.endswith(("'s", "\u2019s")) and not _SIDE.search(m.group()):
            out.append((m.start() + len(m.group("pre") or ""), m.end()))
    return out


_FAMILY_LOCUS = re.compile(
    r"(?<![\w-])(?:in|among|within)\s+"
    r"(?:(?!(?:and|or|nor|but|which|whom|whose|who|that|where|when|him|them|us|me|patients?|probands?|index)"
    r"\b(?!['\u2019]))[^\W\d_]+(?:['\u2019]s)?\s+){0,3}"
    rf"(?P<who>{_RELATIVE}|relatives?|family\s+members?|"
    r"(?:(?<=\bthe\s)|(?<=\bhis\s)|(?<=\bher\s)|(?<=\btheir\s)|(?<=['\u2019]s\s))family)(?![\w-])",
    re.IGNORECASE,
)
"""A relative as the place of a finding before it: ``in the father``, ``in one of
her sisters``, ``among relatives``, ``in the family`` (not ``in a family``: the
people a report describes). The words between are no conjunction or patient
(``in the patient and his father`` is said of the patient too)."""

_PERSON = re.compile(rf"{_RELATIVE}|relatives?|family members?|a family member", re.IGNORECASE)
"""Family triggers that name a person (who can be the subject of a negation)."""
_SUBJECT_GAP = re.compile(
    r"\s*:?\s*(?:(?:has|had|have|is|was|were|are|also|both|himself|herself|themselves|with)\s+){0,2}",
    re.IGNORECASE,
)
"""What may stand between a relative and a negation said of them: ``father
has no``, ``uncle with no``, ``mother was without``, ``Father: no``."""
DENIAL = frozenset({"denies", "denied", "deny", "denying"})
"""Negations an informant says of the patient (``Mother denies fever``): a
relative before them is no subject of the finding."""
_OWNER_GAP = re.compile(r"\s+")
"""Between a relative's possessive and the finding it owns (``father's skin``)."""

NEGATED_COPULA = re.compile(r"\b(?:is|are|was|were)(?:\s+not|n['\u2019]t)\b", re.IGNORECASE)
"""``is not``, ``aren't``: a copula that denies its predicate."""

ABSENT_WORD = re.compile(r"(?<![\w-])absent(?![\w-])", re.IGNORECASE)
"""The adjective ``absent`` on its own (see :func:`_absent_adjective`)."""
_CLAUSE_END = re.compile(r"[,;:.!?()\[\]]|\s(?:and|or|nor|but)\b", re.IGNORECASE)


def _absent_adjective(
    sentence: str, findings: Sequence[tuple[int, int]] | None, taken: Sequence[tuple[int, int]]
) -> list[tuple[int, int, str, str]]:
    """Scopes of the adjective ``absent`` next to a finding that does not name it
    (``absent seizures``, ``Seizures absent``): it denies that finding only, the
    one right after it (only space between) or else the one right before it.
    ``absent`` inside a finding's name (``Absent thumb``, ``thumbs were absent``
    for it), a trigger (``were absent``) or an answer (``Ataxia: absent``), the
    spans ``taken``, is left alone. With no findings known, the words up to the
    next separator after it and back to the clause start before it.

    Example:
        >>> s = "Absent seizures, fever absent and absent thumbs."
        >>> _absent_adjective(s, [(7, 15), (17, 22), (34, 47)], [(34, 47)])
        [(6, 15, 'absent', 'absent'), (17, 23, 'absent', 'absent')]
    """
    out: list[tuple[int, int, str, str]] = []
    for m in ABSENT_WORD.finditer(sentence):
        a, b = m.span()
        if any(s <= a and b <= e for s, e in taken):
            continue
        if findings is None:
            nxt = _CLAUSE_END.search(sentence, b)
            out.append((b, nxt.start() if nxt else len(sentence), "absent", "absent"))
            out.append((_clause_start(sentence, 0, a, None), a, "absent", "absent"))
            continue
        after = [e for s, e in findings if s >= b and not sentence[b:s].strip()]
        before = [s for s, e in findings if e <= a and not sentence[e:a].strip()]
        if after:
            out.append((b, max(after), "absent", "absent"))
        elif before:
            out.append((min(before), a, "absent", "absent"))
    return out

NEGATING_HEADING = re.compile(
    r"(?<![\w-])(?:(?:pertinent\s+)?negatives|negative(?:\s+for)?|absent|denies|denied|not\s+present|"
    r"ruled\s+out|excluded|none\s+of\s+(?:the\s+)?following)[ \t]*:",
    re.IGNORECASE,
)
"""A heading that negates its list (``Pertinent negatives:``, ``Absent:``, ``Symptoms
absent:``, ``The following were absent:``, ``Denies:``, ``ROS negative for:``): the
findings after it, on its line and on the bullet or continuation lines below it
(:func:`kg.extraction.text.heading_continues`), are absent."""
_NEXT_LABEL = re.compile(r"(?:^|(?<=[,\n]))[ \t]*(?:[-*+\u2022][ \t]*)?" + HEADING_LABEL, re.MULTILINE)
"""The label of the next field after a negating heading's list (``..., Positives:``)."""
_DASH_ANSWER_SIGN = re.compile(r"\s[-\u2013\u2014][ \t]*[^\W\d_]")
"""A spaced dash before a word: a sentence that may hold a ``Nystagmus - no`` answer."""


def _heading_scopes(sentence: str, found: Sequence[tuple[int, int, Rule, str]]) -> list[tuple[int, int, str, str]]:
    """``absent`` scopes of the negating headings of a sentence (:data:`NEGATING_HEADING`):
    from the colon to the end of its list: the sentence end (a sentence here may be
    lines read together), the next field's label (``Positives:``), a terminator
    (``but``, ``reports``) or an uncertainty trigger. The list is the heading's
    whole, whatever stands in it (``Negatives: recent travel, sick contacts, fever``), but for
    an item marked ``+`` (:func:`_without_plus_items`).

    Example:
        >>> s = "Pertinent negatives: fever, rash, Positives: cough"
        >>> _heading_scopes(s, [])
        [(20, 33, 'absent', 'pertinent negatives')]
    """
    out = []
    for m in NEGATING_HEADING.finditer(sentence):
        b = m.end()
        end = len(sentence)
        nxt = _NEXT_LABEL.search(sentence, b)
        if nxt is not None:
            end = nxt.start()
        for a2, _b2, r2, _t2 in found:
            if b <= a2 < end and r2.category in ("terminate", "possible"):
                end = a2
                break
        out.append((b, end, "absent", " ".join(m.group()[:-1].lower().split())))
    return out


_NEW_CONJUNCT = re.compile(r"(?<![\w-])(?:and|or|nor)\s+(?:[^\W\d_]+\s+){0,2}$", re.IGNORECASE)
"""A family word that starts a new conjunct (``seizures and his mother``,
``oligohydramnios and maternal serum AFP``): it says nothing of what comes
before the conjunction (its forward scope stays)."""

FAMILY_OF = "family-of"
"""The scope category of a finding said of a relative (see the module
docstring): ``family``, over a negation of the same clause."""

FAMILY_SCOPE_CHARS = 50
"""Family words (``mother``, ``family``) are common in case reports; their
scope is kept to a few words on each side."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One trigger: its category (an assertion, ``pseudo`` or ``terminate``),
    direction and, optionally, the longest scope in characters."""

    category: str
    direction: str
    max_chars: int | None = None


def _rules() -> dict[str, Rule]:
    table: list[tuple[Iterable[str], str, str, int | None]] = [
        (NEGATION_FORWARD, "absent", FORWARD, None),
        (NEGATION_ABBREVIATIONS, "absent", FORWARD, None),
        (NEGATION_BACKWARD, "absent", BACKWARD, None),
        (POSSIBLE_FORWARD, "possible", FORWARD, None),
        (POSSIBLE_BACKWARD, "possible", BACKWARD, None),
        (FAMILY_BOTH, "family", BOTH, FAMILY_SCOPE_CHARS),
        (NEGATION_AFTER_LIST, "absent", BACKWARD, None),
        (POSSIBLE_CUES, "possible", FORWARD, None),
        (HYPOTHETICAL_FORWARD, "hypothetical", FORWARD, None),
        (HYPOTHETICAL_PSEUDO, "pseudo", FORWARD, None),
        (PSEUDO, "pseudo", FORWARD, None),
        (TERMINATE, "terminate", FORWARD, None),
    ]
    rules: dict[str, Rule] = {}
    for phrases, cat, direction, limit in table:
        for p in phrases:
            rules.setdefault(p, Rule(cat, direction, limit))
    return rules


_PATIENT_CLAUSE = re.compile(
    r"(?:[,;]|\b(?:and|but|while|whereas)\b)\s+(?:(?:the|our|this)\s+)?"
    r"(?:patient|proband|propositus|proposita|index case|child|boy|girl|he|she)\b",
    re.IGNORECASE,
)
"""A new clause about the patient (``..., and the patient had``, ``but she has``): where a
family scope ends (``The family history was unremarkable and the patient had seizures``)."""
_NEW_CLAUSE_BEFORE = re.compile(r"(?:[,;]|\b(?:and|but)\b)\s*$", re.IGNORECASE)
"""A separator right before a trigger: the trigger opens a clause of its own."""


def _owner_clause_end(sentence: str, start: int, end: int, found: Sequence[tuple[int, int, Rule, str]],
                      patient: Sequence[re.Pattern[str]] = (), but_goes_on: bool = False) -> int:
    """Where a relative's (or a family history's) clause from ``start`` ends, at ``end`` at the
    latest: at a new clause about the patient (:data:`_PATIENT_CLAUSE`, and any of ``patient``),
    and at a negation or uncertainty among ``found`` that opens a clause of its own (``Family
    history of deafness, no seizures``); with ``but_goes_on``, not at a negation right after
    ``but`` (``Mother has ptosis but no heart defect``: the same subject, its verb elided).

    Example:
        >>> s = "Family history unremarkable and the patient had seizures."
        >>> s[14:_owner_clause_end(s, 14, len(s), [])]
        ' unremarkable '
    """
    for rx in (_PATIENT_CLAUSE, *patient):
        p = rx.search(sentence, start, end)
        if p is not None:
            end = p.start()
    for fa, _fb, r, _t in found:
        if start < fa < end and r.category in ("absent", "possible") and (
                sep := _NEW_CLAUSE_BEFORE.search(sentence, start, fa)) is not None and not (
                but_goes_on and r.category == "absent" and sep.group().strip().lower() == "but"):
            end = sep.start()
            break
    return end


def _family_history_end(sentence: str, b: int, end: int, found: Sequence[tuple[int, int, Rule, str]],
                        findings: Sequence[tuple[int, int]] | None) -> int:
    """Where the findings of a family history (its trigger ends at ``b``) end: at a clause
    about the patient, at a negation or uncertainty that opens a clause of its own (``Family
    history of deafness, no seizures``; not ``Family history: negative for deafness``), and,
    where the findings are known, where its list of findings ends.

    Example:
        >>> s = "Family history of deafness, no seizures."
        >>> _family_history_end(s, 14, len(s), [(28, 30, Rule("absent", FORWARD), "no")], None)
        26
    """
    end = _owner_clause_end(sentence, b, end, found)
    return _list_end(sentence, b, end, findings) if findings is not None else min(end, b + FAMILY_SCOPE_CHARS)


def _ends(rule: Rule, other: Rule) -> bool:
    """Whether ``other`` ends the scope of ``rule`` (family scopes end only at terminators)."""
    if other.category == "terminate":
        return True
    return rule.category != "family" and other.category not in (rule.category, "pseudo", "family")


def _list_end(sentence: str, start: int, end: int, findings: Sequence[tuple[int, int]]) -> int:
    """Where a forward scope ``sentence[start:end]`` ends once it may cross a
    separator only into a list of findings: not into an item with a predicate of its own
    that affirms it (:data:`_AFFIRMED`: ``Denies fever, cough is present``) nor, after a bare
    comma, into one with a time of its own (:data:`_OWN_TIME`: ``No seizures, fever for 2
    days``: a clause of its own), unless the list has already gone on over a bare comma into
    an item with no time: then the list is one of bare commas, and a time after its last item
    is the whole list's (``No seizures, fever, rash for 2 days``: none of the three), as it is
    after ``and``/``or`` (``No fever, cough or rash for the past week``). A list's time is read
    alike whatever its separators; only a single bare comma is taken for a clause break, the
    one place where a list cannot be told from two clauses.

    Example:
        >>> s, t = "No seizures, fever for 2 days.", "No seizures, rash or fever."
        >>> _list_end(s, 2, len(s), [(3, 11), (13, 18)]), _list_end(t, 2, len(t), [(3, 11), (13, 17), (21, 26)])
        (11, 27)
        >>> u = "No seizures, fever, rash for 2 days."
        >>> _list_end(u, 2, len(u), [(3, 11), (13, 18), (20, 24)])
        36
    """
    comma_list = False  # the list went on over a bare comma into an item with no time of its own
    for sep in _SEPARATOR.finditer(sentence, start, end):
        a, b = sep.span()
        if a == start or any(s < a and b <= e for s, e in findings):
            continue  # right after the trigger, or inside a finding's name (``cleft lip and palate``)
        nxt = min((s for s, _e in findings if s >= b), default=None)
        if nxt is None or nxt >= end:
            return a
        if not _modifiers_only(sentence, b, nxt):
            return a
        nxt_end = max(e for s, e in findings if s == nxt)
        if _AFFIRMED.match(sentence, nxt_end):
            return a  # ``Denies fever, cough is present``: a clause of its own that affirms the finding
        if sentence[a:b].strip() == ",":
            if not _OWN_TIME.match(sentence, nxt_end):
                comma_list = True
            elif not comma_list:
                return a  # ``No seizures, fever for 2 days``: a clause of its own, with its own time
            else:
                comma_list = False  # the list's time ends it: a timed item after it is a clause again
    return end


HISTORY_WORDS: dict[str, bool] = {"further": True, "more": True, "recurrence of": True, "recurrences of": True,
                                   "new": False}
"""Words right after a negation that say a finding the patient had is over (``No further
seizures``, ``Denies any further seizures``, ``has not had more seizures``, ``no recurrence of
seizures``): right before a list of findings, the negation is a history of them, which the model
reads as present (as ``history of seizures``), not their absence. ``True``: the patient had the
finding (present); ``False``: may have (``no new lesions``, as a span of time without a finding,
``No seizures for 2 years``, which the screening question's ``no weight loss in the past 6
months`` also says): possible, not absent."""
_HISTORY_WORD = re.compile(
    r"\s+(?:(?:had|have|has|experienced|reported|any)\s+){0,2}(?P<word>"
    + "|".join(w.replace(" ", r"\s+") for w in sorted(HISTORY_WORDS, key=len, reverse=True)) + r")(?![\w-])",
    re.IGNORECASE)
"""A :data:`HISTORY_WORDS` word after a negation, over the verb and ``any`` between (``Denies any
further``, ``not had further``)."""
_NUMBER = (r"(?:\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
           r"eighteen|twenty|several|(?:a\s+)?few|many)")
_TIME_UNIT = r"(?:hours?|hrs?|days?|weeks?|wks?|months?|mos?|years?|yrs?|fortnight)"
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_HISTORY_TIME = re.compile(
    rf"\s+(?:for\s+{_NUMBER}[\s-]+{_TIME_UNIT}"
    rf"|(?:for|in|over|during|within)\s+the\s+(?:last|past|previous|preceding)\s+(?:{_NUMBER}\s+)?{_TIME_UNIT}"
    rf"|in\s+(?:over\s+)?{_NUMBER}\s+{_TIME_UNIT}"
    rf"|since\s+(?:{_MONTH}(?:\s+(?:19|20)\d\d)?|(?:19|20)\d\d|\d{{1,2}}[/.]\d{{1,2}}(?:[/.]\d{{2,4}})?"
    rf"|(?:the\s+)?age\s+(?:of\s+)?\d+|{_NUMBER}\s+{_TIME_UNIT}\s+ago|last\s+(?:year|month|week)))(?![\w/-])",
    re.IGNORECASE,
)
"""A span of time without a finding after ``no`` and the finding (``No seizures for 2 years``,
``in the last 6 months``, ``since March``, ``since 2019``): the patient had it before, a
history (present). Not ``in the past`` alone (never), nor ``since birth``, nor ``since starting
lamotrigine`` (``No rash since starting lamotrigine``: the drug caused none; ``No further
seizures since starting levetiracetam`` is a history by its ``further``)."""
_OWN_TIME = re.compile(
    rf"{_HISTORY_TIME.pattern}"
    rf"|\s*(?:[x\u00d7]\s*{_NUMBER}[\s-]*{_TIME_UNIT}|(?:x|\u00d7)?\s*\d+/(?:7|52|12)"
    rf"|(?:for\s+)?{_NUMBER}[\s-]+{_TIME_UNIT}|since|today|yesterday|overnight|tonight"
    rf"|this\s+(?:morning|afternoon|evening)|last\s+night"
    rf"|started|starting|began|beginning|commenced|developed|appeared|came\s+on|onset)(?![\w/-])",
    re.IGNORECASE,
)
"""A time right after a finding, its own (``fever for 2 days``, ``x 3 days``, ``3/7``, ``since
Monday``, ``today``, ``started yesterday``): after a bare comma in a negation's list, the item
is a clause of its own (see :func:`_list_end`)."""
_AND_OR = re.compile(r"\s+(?:and|or)\s+", re.IGNORECASE)
_EPISODES_OF = re.compile(r"\s*(?:episodes?|attacks?|bouts?)\s+of\b", re.IGNORECASE)
"""``No further episodes of seizures``: the episodes are the finding's."""
_PREPOSITIONS = frozenset("of for to in on at with about from by regarding into".split())
"""Words that make what follows a negation no finding it qualifies (``No further investigation
for seizures``)."""


def _history_list_end(
    sentence: str, trig: str, start: int, end: int, findings: Sequence[tuple[int, int]]
) -> tuple[int, bool] | None:
    """Where the history a forward negation at ``sentence[:start]`` says ends, and whether it
    says the patient had the findings (or only may have), or ``None`` if it says none: the list
    of findings right after a :data:`HISTORY_WORDS` word after the negation (at most
    :data:`LIST_MODIFIERS` modifier words before each: ``No further seizures or fever``,
    ``Denies any further seizures``), or the list joined by *and*/*or* and a span of time after it
    after ``no`` (``No seizures or fever for 2 years``; ``No seizures, fever for 2 days`` is no
    such list).

    Example:
        >>> s = "No seizures for 2 years, no fever."
        >>> _history_list_end(s, "no", 2, len(s), [(3, 11), (28, 33)])
        (23, False)
        >>> s = "Denies any further seizures."
        >>> _history_list_end(s, "denies", 6, len(s), [(19, 27)])
        (27, True)
    """
    said = _HISTORY_WORD.match(sentence, start)
    if said is None and trig != "no":
        return None
    certain = said is not None and HISTORY_WORDS[" ".join(said.group("word").lower().split())]
    ends: list[int] = []
    pos = start if said is None else said.end()
    while True:
        nxt = min((s for s, e in findings if pos <= s and e <= end), default=None)
        if nxt is None:
            break
        lo = pos
        if ends:
            sep = (_SEPARATOR if said is not None else _AND_OR).match(sentence, pos)
            if sep is None or sep.end() > nxt:
                break
            lo = sep.end()
        episodes = _EPISODES_OF.match(sentence, lo)
        if episodes is not None and episodes.end() <= nxt:
            lo = episodes.end()
        if not _modifiers_only(sentence, lo, nxt) or any(
                w.lower() in _PREPOSITIONS for w in _WORD.findall(sentence, lo, nxt)):
            break  # ``No further investigation for seizures``: no history of them
        pos = max(e for s, e in findings if s == nxt)
        ends.append(pos)
        time = _HISTORY_TIME.match(sentence, pos)
        if time is not None:
            return time.end(), certain
    return (ends[-1], certain) if said is not None and ends else None


_AFFIRMED = re.compile(
    r"\s+(?:is|are|was|were|has been|have been)\s+(?:still\s+|also\s+)?"
    r"(?:present|noted|seen|observed|reported|found|evident|documented)\b",
    re.IGNORECASE,
)
"""A finding's own predicate that affirms it (``cough is present``): no list item of a negation."""


_CLAUSE_BREAK = re.compile(r"[,:]")


def _clause_start(sentence: str, lo: int, hi: int, findings: Sequence[tuple[int, int]] | None) -> int:
    """Where the clause that ends at ``hi`` starts, at or after ``lo``: after the
    last comma or colon that does not go on into a list of findings (the next
    finding within :data:`LIST_MODIFIERS` words; with no findings known, after
    the last comma or colon)."""
    for sep in reversed(list(_CLAUSE_BREAK.finditer(sentence, lo, hi))):
        a, b = sep.span()
        if findings:
            if any(s < a and b <= e for s, e in findings):
                continue  # inside a finding's name
            nxt = min((s for s, _e in findings if s >= b), default=None)
            if nxt is not None and nxt < hi and _modifiers_only(sentence, b, nxt):
                continue  # ``no seizures, ataxia or hypotonia in the father``: one list
        return b
    return lo


def _family_loci(
    sentence: str,
    found: Sequence[tuple[int, int, Rule, str]],
    findings: Sequence[tuple[int, int]] | None,
    reported: Sequence[tuple[int, int]],
) -> list[tuple[int, int, str, str]]:
    """:data:`FAMILY_OF` scopes of the relatives named as the place of the
    findings before them (:data:`_FAMILY_LOCUS`), back to their clause's start
    (no further than a family trigger's own scope: :data:`FAMILY_SCOPE_CHARS`
    before the relative, after the last terminator).

    Example:
        >>> _family_loci("No lens dislocation in the father.", [], None, [])
        [(0, 20, 'family-of', 'father')]
    """
    out = []
    for m in _FAMILY_LOCUS.finditer(sentence):
        p = m.start()
        a, b = m.span("who")
        if findings and any(s <= p < e or s < b <= e for s, e in findings):
            continue  # part of a finding's name
        if any(s <= a and b <= e for s, e in reported) or _WITH_PATIENT.search(sentence, max(0, a - 60), a):
            continue  # the people a report describes (see :func:`_reported_relatives`)
        ends = (hb for _ha, hb, r, _t in found if r.category == "terminate" and hb <= a)
        lo = max([a - FAMILY_SCOPE_CHARS, 0, *ends])
        if lo <= p:  # (no terminator in the phrase: ``in which three siblings``)
            out.append((_clause_start(sentence, lo, p, findings), p, FAMILY_OF, m.group("who").lower()))
    return out


_QUERY_MARK = re.compile(r"(?:^|(?<=[\s(\[:,;/]))\?(?=[^\W\d_])")
"""A ``?`` right before a word (``?seizures``, ``Reason for referral: ?Marfan syndrome``): the
note's shorthand for a query, an uncertainty over the findings after it (the ``?`` of a
question, ``Fever? No.``, follows its word)."""
_VERSUS = re.compile(r"\s+(?:vs\.?|versus)\s+", re.IGNORECASE)
"""Findings set against each other (``Marfan syndrome vs Ehlers-Danlos syndrome``): a
differential diagnosis, each alternative possible."""
_INVERTED_CONDITIONAL = re.compile(r"(?<![\w-])should\s+", re.IGNORECASE)
"""``should`` right before a finding opens an inverted conditional (``seek help should
seizures occur``): the findings after it are hypothetical."""


def _query_scopes(sentence: str, findings: Sequence[tuple[int, int]] | None,
                  marks: Sequence[re.Match[str]] | None = None) -> list[tuple[int, int, str, str]]:
    """Scopes of the uncertainty marks that hold no trigger word: a ``?`` right before a word
    (:data:`_QUERY_MARK`; up to the end of its list of findings, or with no findings known
    to the next separator) and findings on either side of ``vs``/``versus``
    (:data:`_VERSUS`; findings known only).

    Example:
        >>> _query_scopes("Referred with ?seizures, ataxia: well.", [(15, 23), (25, 31)])
        [(15, 31, 'possible', '?')]
        >>> _query_scopes("Marfan syndrome vs EDS", [(0, 15), (19, 22)])
        [(0, 15, 'possible', 'vs'), (19, 22, 'possible', 'vs')]
    """
    out: list[tuple[int, int, str, str]] = []
    if marks is None:  # (the sentence's query marks, when the caller found them already)
        marks = list(_QUERY_MARK.finditer(sentence)) if "?" in sentence else []
    for m in marks:
        b = m.end()
        if findings is None:
            nxt = _CLAUSE_END.search(sentence, b)
            out.append((b, nxt.start() if nxt else len(sentence), "possible", "?"))
        else:
            stop = _CLAUSE_STOP.search(sentence, b)
            out.append((b, _list_end(sentence, b, stop.start() if stop else len(sentence), findings),
                        "possible", "?"))
    if findings:
        for m in _VERSUS.finditer(sentence):
            a, b = m.span()
            before = [(s, e) for s, e in findings if e == a]
            after = [(s, e) for s, e in findings if s == b]
            if before and after:
                word = m.group().strip().lower()
                out.append((min(s for s, _e in before), a, "possible", word))
                out.append((b, max(e for _s, e in after), "possible", word))
    return out


_MINUS_MARK = re.compile(r"(?:\(\s*[-\u2212\u2013]\s*\)|\[\s*\]|\u2610)[ \t]*")
"""A review-of-systems mark that denies the finding right after it: ``(-) fever``, an unticked box
``[ ] Rash`` or ``\u2610 Rash``."""
_PLUS_MARK = re.compile(r"(?:^|(?<=[\s,:;(]))\+[ \t]*(?=[^\W\d_])")
"""A ``+`` right before a word (``+ headaches``, ``+PND``): the finding is present."""
_BARE_MINUS = re.compile(r"(?:^|(?<=[,:;]))[ \t]*[-\u2212\u2013][ \t]?(?=[^\W\d_])")
"""A ``-`` right before a word after a comma or colon (``Neuro: + headaches, - seizures``): the
mark of an absent finding in a sentence that marks others with ``+``."""
_PLUS_ITEM_END = re.compile(r"[\n,;]")
"""Where an item marked ``+`` ends."""


def _without_plus_items(sentence: str, scopes: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """The scopes, with the items marked ``+`` (:data:`_PLUS_MARK`, up to the item's line end,
    comma or ``;``) cut out of the ``absent`` ones: a ``+`` says the finding is present, in a
    negation's list too (``Denies:\\n+ cough\\n- fever``: the cough is present).

    Example:
        >>> s = "Denies:\\n+ cough\\n- fever"
        >>> [s[a:b] for a, b, _c, _t in _without_plus_items(s, [(7, len(s), "absent", "denies")])]
        ['\\n', '\\n- fever']
    """
    items = [(p.start(), stop.start() if (stop := _PLUS_ITEM_END.search(sentence, p.end())) else len(sentence))
             for p in _PLUS_MARK.finditer(sentence)]
    if not items:
        return scopes
    out = []
    for a, b, cat, trig in scopes:
        if cat != "absent":
            out.append((a, b, cat, trig))
            continue
        for pa, pb in items:
            if a <= pa < b:
                out.append((a, pa, cat, trig))
                a = pb
        if a < b:
            out.append((a, b, cat, trig))
    return out


def _mark_scopes(sentence: str, findings: Sequence[tuple[int, int]]) -> list[tuple[int, int, str, str]]:
    """``absent`` scopes of review-of-systems marks, each over the finding right after it: ``(-)``
    and unticked boxes (:data:`_MINUS_MARK`), and, in a sentence that marks findings with ``+``
    (:data:`_PLUS_MARK`), a ``-`` after a comma or colon (:data:`_BARE_MINUS`; not a bullet at
    the line start, nor a dash between words).

    Example:
        >>> s = "GI: (+) nausea (-) vomiting [ ] rash. Neuro: + headaches, - seizures"
        >>> [s[a:b] for a, b, _c, _t in _mark_scopes(s, [(8, 14), (19, 27), (32, 36), (47, 56), (60, 68)])]
        ['vomiting', 'rash', 'seizures']
    """
    starts = {s: e for s, e in findings}
    marks = list(_MINUS_MARK.finditer(sentence))
    if "+" in sentence and _PLUS_MARK.search(sentence):
        marks += _BARE_MINUS.finditer(sentence)
    return [(m.end(), starts[m.end()], "absent", m.group().strip()) for m in marks if m.end() in starts]


_QUESTION = re.compile(
    r"\s*(?:could|can|should|would|might|may|is|are|was|were|does|do|did|has|have|had)\b[^?]*\?"
    r"(?![^\W\d_(])",
    re.IGNORECASE)
"""A sentence that asks a question (``Could fragile X syndrome be considered?``); not a note's
sentence without a subject before a query mark (``Has seizures, ?ataxia``: the ``?`` queries
the ataxia only)."""
_QUERIED = re.compile(r"[ \t]*\?(?=[ \t]*(?:[,;)\]]|$))")
"""A ``?`` right after a finding that ends its clause (``mild neck stiffness?, no rash``); not one
before an answer (``Seizures? Possibly a febrile one``)."""
_WH_QUESTION = re.compile(r"\s*(?:why|how|when|what|where|which|who)\b", re.IGNORECASE)
"""A question that takes its findings for given (``Why did he have seizures?``)."""


def _question_scopes(sentence: str, findings: Sequence[tuple[int, int]]) -> list[tuple[int, int, str, str]]:
    """``possible`` scopes of questions: a finding with a ``?`` right after it that ends its
    clause (:data:`_QUERIED`: ``mild neck stiffness?``, ``Question: Prader-Willi syndrome?``;
    not in a question that takes it for given, :data:`_WH_QUESTION`, nor a template's label that
    starts its sentence, ``Seizures? Possibly a febrile one``), and a sentence that asks a
    question (:data:`_QUESTION`) that no answer follows. The recogniser reads an answered question with its answer
    (``Fever? No``), whose assertion ranks above ``possible``.

    Example:
        >>> s = "Exam: alert, neck stiffness?, no rash"
        >>> [s[a:b] for a, b, _c, _t in _question_scopes(s, [(13, 27), (33, 37)])]
        ['neck stiffness']
        >>> s = "Could Marfan syndrome be considered?"
        >>> [s[a:b] for a, b, _c, _t in _question_scopes(s, [(6, 21)])]
        ['Could Marfan syndrome be considered']
    """
    out: list[tuple[int, int, str, str]] = []
    if not _WH_QUESTION.match(sentence):
        for m in _QUERIED.finditer(sentence):
            out += [(s, e, "possible", "?") for s, e in findings if e == m.start() and sentence[:s].strip(" \t-*")]
    q = _QUESTION.match(sentence)
    if q is not None and not _ANSWER.match(sentence, q.end()):  # (an answered question: the answer's)
        out.append((0, q.end() - 1, "possible", "?"))
    return out


_ASSESSMENT_WORD = re.compile(r"(?<![\w-])(?:assessment|evaluation|work-?up|screen|screening)s?(?![\w-])",
                              re.IGNORECASE)
_ASSESSED = re.compile(r"[ \t-]*" + _ASSESSMENT_WORD.pattern, re.IGNORECASE)
"""A word right after a finding that makes it what is to be assessed (``autism assessment``,
``ASD evaluation``, ``scoliosis screen``)."""
_ASSESSMENT_PLANNED = re.compile(
    r"(?<![\w-])(?:recommend|refer|await|plan|book|pending|request|arrang|wait|need|suggest|offer|schedul)",
    re.IGNORECASE)
"""What says an assessment is still to come (``recommended``, ``referred for``, ``awaiting``,
``on the waiting list``): only then is its finding uncertain (not in ``Postoperative delirium
was assessed using the Confusion Assessment Method`` nor ``outcomes of raloxifene evaluation``)."""


def _assessed(sentence: str, findings: Sequence[tuple[int, int]]) -> list[tuple[int, int, str, str]]:
    """``possible`` scopes of the findings an assessment is for (:data:`_ASSESSED`: ``An ASD
    assessment is recommended``, ``referred for autism assessment``), in a sentence that says
    the assessment is still to come (:data:`_ASSESSMENT_PLANNED`; the caller checks): a finding
    the patient is to be assessed for is no finding the note says they have.

    Example:
        >>> s = "Referred for autism assessment; has ataxia."
        >>> [s[a:b] for a, b, _c, _t in _assessed(s, [(13, 19), (36, 42)])]
        ['autism']
    """
    out = []
    for s, e in findings:
        m = _ASSESSED.match(sentence, e)
        if m is not None:
            out.append((s, e, "possible", m.group().strip(" \t-").lower()))
    return out


_CLAUSE_STOP = re.compile(r"[;:.!?()]")
"""Where a scope without a trigger word (a ``?``, an inverted conditional) ends at the latest."""


def _inverted_conditionals(sentence: str, findings: Sequence[tuple[int, int]]) -> list[tuple[int, int, str, str]]:
    """Hypothetical scopes of ``should`` right before a finding (:data:`_INVERTED_CONDITIONAL`):
    over the finding and its list.

    Example:
        >>> _inverted_conditionals("Seek help should seizures or fever occur.", [(17, 25), (29, 34)])
        [(17, 40, 'hypothetical', 'should')]
    """
    out: list[tuple[int, int, str, str]] = []
    for m in _INVERTED_CONDITIONAL.finditer(sentence):
        b = m.end()
        if any(s == b for s, _e in findings):
            stop = _CLAUSE_STOP.search(sentence, b)
            out.append((b, _list_end(sentence, b, stop.start() if stop else len(sentence), findings),
                        "hypothetical", "should"))
    return out


_KIN_MODIFIERS = (
    r"(?:(?:older|younger|elder|eldest|oldest|youngest|twin|half|maternal|paternal|biological|big|little|"
    r"baby|full|first|second|third|other|only|\d+[- ](?:year|month)[- ]old)\s+){0,3}"
)
_SUBJECT_RELATIVE = re.compile(
    r"(?:^|(?<=;))[\s\-\u2022*]*(?:(?P<own>(?:his|her|their|our|my|your|the\s+(?:patient|proband|child|boy|girl)"
    r"['\u2019]s|(?:patient|proband)['\u2019]s)\s+)|the\s+)?" + _KIN_MODIFIERS
    + rf"(?P<who>{_RELATIVE}|half-(?:brother|sister)s?)(?![\w'\u2019-])"
    r"(?P<appo>\s*,\s*(?:who|a|an|aged|age|now|currently|also|then)\b[^,;()]*,|\s*\([^()]*\))?",
    re.IGNORECASE,
)
"""A relative as the subject of a clause (``His older brother, who is 12, has``, ``The
patient's mother, a 40-year-old teacher, has``, ``Older sister is``): at the sentence start or
after ``;``, with an apposition (``, who ...,``, ``, a ...,``, ``(...)``) after it. Without a
possessive, one relative only (``Brothers had``: the people a report describes)."""
_INFORMANT = re.compile(
    r"\s*(?:(?:is|was|are|were|has been|have been|had been|also)\s+)?"
    r"(?:denies|denied|deny|reports?|reported|says?|said|states?|stated|notes?|noted|noticed|describes?|"
    r"described|feels?|felt|thinks?|thought|believes?|believed|concerned|worried|worries|wonders?|wondered|"
    r"brings?|brought|"
    r"observes?|observed|mentions?|mentioned|recalls?|recalled|explains?|explained|confirms?|confirmed|"
    r"tells?|told|advised|counsell?ed|instructed|asked|informed|wants?|wanted|requests?|requested|agrees?|"
    r"agreed|consented|declined|gave|gives|provided|provides|understands?|understood|knows?|knew|"
    r"was present|is present|accompanied|accompanies)\b",
    re.IGNORECASE,
)
"""A relative who speaks for the patient or is spoken to (``Mother reports``, ``Parents advised
to``): the findings of the clause are not theirs."""
_PASSIVE = re.compile(r"\s+to\s+(?:have|be)\b", re.IGNORECASE)
"""What makes a verb of :data:`_INFORMANT` say something of the relative (``Her mother was noted
to have ptosis``)."""
_SUBJECT_GOES_ON = frozenset({*SAME_SUBJECT_BUT, "who", "which", "since", "because", "due to", "secondary to",
                              "now has", "has developed"})
"""Terminators that stay inside a relative's clause (``His brother, who is 12, has``, ``has
seizures due to ...``)."""
_PATIENT_SUBJECT = re.compile(
    r"\b(?:that|whether|if|when)\s+(?:(?:the|our|this)\s+)?"
    r"(?:patient|proband|child|boy|girl|he|she)\b",
    re.IGNORECASE,
)
"""A clause about the patient inside a relative's clause (``... says that he has``)."""


_SUBORDINATE_SUBJECT = re.compile(
    r"\b(?:since|because|as|after|before|until|till|when|whenever|while|though|although|ever\s+since)\s+"
    r"(?:(?:the|our|this)\s+)?(?P<subj>patient|proband|child|boy|girl|baby|infant|he|she)\b",
    re.IGNORECASE,
)
"""A subordinate clause whose subject is the patient (``since the patient developed``, ``because
he has``), or may be (a pronoun): inside a relative's clause, what it says is the patient's."""


def _patient_subordinate(sentence: str, start: int, end: int, who: str) -> int:
    """Where a relative's clause ``sentence[start:end]`` ends at a subordinate clause about the
    patient (:data:`_SUBORDINATE_SUBJECT`): ``Her mother has had depression since the patient
    developed seizures``, ``Lives with his mum, who has been anxious since he had seizures``; not
    at ``since childhood`` (a time of the relative's), nor at a pronoun that names the relative
    ``who`` again (``Her mother has taken sertraline since she had postnatal depression``).

    Example:
        >>> s = "Her mother has had depression since the patient developed seizures."
        >>> s[:_patient_subordinate(s, 10, len(s), "mother")]
        'Her mother has had depression '
        >>> s = "Her mother has had depression since she had seizures."
        >>> _patient_subordinate(s, 10, len(s), "mother") == len(s)
        True
    """
    for p in _SUBORDINATE_SUBJECT.finditer(sentence, start, end):
        if not _pronoun_of(who, p.group("subj")):
            return p.start()
    return end


def _label_dash(sentence: str, b: int, a: int, trigger: str) -> bool:
    """Whether the terminator ``trigger`` at ``a`` is a spaced dash right after a relative that
    ends at ``b``: the relative is then a label, as before a colon (``Mother - ptosis``, ``FH:
    father - epilepsy``), and the dash does not end the relative's scope."""
    return trigger.strip() in ("-", "\u2013", "\u2014") and not sentence[b:a].strip()


def _relative_subject(
    sentence: str, found: Sequence[tuple[int, int, Rule, str]], findings: Sequence[tuple[int, int]] | None
) -> list[tuple[int, int, str, str]]:
    """:data:`FAMILY_OF` scopes of a relative that is the subject of its clause
    (:data:`_SUBJECT_RELATIVE`): the findings of its predicate are the relative's, over a
    negation (``His sister is 10 years old and has no seizures``), over ``and`` and a verb, which
    go on with the relative's predicate (``Her father has had epilepsy since childhood and has
    hearing loss``: the few words of a family scope count again from the verb;
    :data:`_RELATIVE_VERB_GOES_ON`), over an apposition with no
    finding in it (``His older brother, who is 12, has ataxia``: the few words of a family
    scope, :data:`FAMILY_SCOPE_CHARS`, count from the apposition's end) and to the end of a
    bracketed list that opens in those words (``Older sister is affected with the same
    condition (ataxia, nystagmus)``); not over a longer list (``His mother had similar
    ophthalmological findings and milder facial anomalies``). The scope ends at a terminator, a clause about the
    patient (``, and the patient had``), a negation that opens a clause of its own (``The
    patient's father is healthy, no seizures``), a subordinate clause about the patient (``since the
    patient developed``, :func:`_patient_subordinate`) or the sentence end. No scope for a relative that
    speaks for the patient or is spoken to (:data:`_INFORMANT`) nor one the family triggers
    left out (a relative coordinated with the patient, a pair reported on). Case reports name
    an affected relative's findings at length; the scope is kept short so as not to take them
    (those in an apposition too: ``The mother, who had a repaired cleft palate, ...``).

    Example:
        >>> s = "His brother, who is 12, has ataxia."
        >>> found = [(4, 11, Rule("family", BOTH, 50), "brother"), (13, 16, Rule("terminate", FORWARD), "who")]
        >>> _relative_subject(s, found, [(28, 34)])
        [(11, 35, 'family-of', 'brother')]
    """
    out = []
    for m in _SUBJECT_RELATIVE.finditer(sentence):
        a, b = m.span("who")
        who = m.group("who").lower()
        if not any(fa == a and fb == b and r.category == "family" for fa, fb, r, _t in found):
            continue
        if who.endswith("s") and m.group("own") is None and who != "parents":
            continue
        tail = m.end()
        if findings and any(b <= s and e <= tail for s, e in findings):
            continue  # findings in the apposition: a case report's relative, named at length
        if _INFORMANT.match(sentence, tail):
            continue
        end = len(sentence)
        start = tail  # where the relative's clause goes on (after a pronoun that names them again)
        elided: list[int] = []  # the ends of negations that go on with the relative's clause
        for fa, fb, r, t in found:
            if fa >= tail and r.category == "terminate" and t not in _SUBJECT_GOES_ON and not _label_dash(
                    sentence, tail, fa, t):
                if t == "but" and (neg := _BUT_NEGATION.match(sentence, fb)) is not None:
                    elided.append(neg.end())  # ``Mother has ptosis but no heart defect``: hers
                    continue
                pro = _PRONOUN_AFTER.match(sentence, fb) if t in (";", "but") else None
                if pro is not None and _pronoun_of(who, pro.group("pro")) and not any(
                        tail <= fs < fa for fs, _fe in findings or ()):
                    start = pro.end()  # ``Mother is well; she has hypothyroidism``: hers
                    continue
                end = fa
                break
        end = _owner_clause_end(sentence, start, end, found, (_PATIENT_SUBJECT,), but_goes_on=bool(elided))
        end = _patient_subordinate(sentence, start, end, who)
        near = min(end, tail + FAMILY_SCOPE_CHARS)
        pos = tail
        while (more := _RELATIVE_VERB_GOES_ON.search(sentence, pos, near)) is not None and more.end() < end:
            # ``Her father has had epilepsy since childhood(,) and has hearing loss``: his too (the sentence has
            # no other subject, a comma or not)
            pos, near = more.end(), min(end, more.end() + FAMILY_SCOPE_CHARS)
        if findings is not None:
            for x in elided:  # over the list of findings of an elided negation
                if x < near:
                    near = max(near, _list_end(sentence, x, end, findings))
        opened = sentence.rfind("(", tail, near)
        if opened > sentence.rfind(")", tail, near):  # a bracketed list that opens in the scope: to its end
            closed = sentence.find(")", near, end)
            near = closed if closed != -1 else near
        if near > b:
            out.append((b, near, FAMILY_OF, who))
    return out


_BUT_NEGATION = re.compile(r"\s+(?:no|not|without|never)\b", re.IGNORECASE)
"""A negation right after ``but`` with no verb of its own (``Mother has ptosis but no heart
defect``): the subject of the clause before it goes on."""
_PRONOUN_AFTER = re.compile(r"\s*(?:and\s+)?(?P<pro>she|he|they)\b", re.IGNORECASE)
"""A pronoun that starts the clause after ``;`` or ``but``."""
KIN_WORDS = frozenset({"sib", *KIN.split("|"), *_FAMILIAR.split("|"), *KIN_EVERYDAY})
"""Every relative the family rules name (:data:`_RELATIVE`: :data:`KIN`, :data:`KIN_FAMILIAR`,
:data:`KIN_EVERYDAY`), as lower-case words."""
_FEMALE_KIN = frozenset(
    "mother sister daughter aunt grandmother niece granddaughter mum mom mummy mommy grandma auntie aunty "
    "granny wife stepmother half-sister".split())
_MALE_KIN = frozenset(
    "father brother son uncle grandfather nephew grandson dad daddy grandpa grandad granddad husband "
    "stepfather half-brother".split())
"""The female and the male words of :data:`KIN_WORDS`, which ``she`` and ``he`` name again. The
lists of the family rules do not say a relative's sex, so these two spell it out; every other
word of :data:`KIN_WORDS` names a relative of either sex (``sibling``, ``cousin``) or several
(``aunties``), and a test checks that the three groups are :data:`KIN_WORDS`."""


def _pronoun_of(who: str, pronoun: str) -> bool:
    """Whether ``pronoun`` names the relative ``who`` again (``she`` a mother, ``they`` parents)."""
    pronoun = pronoun.lower()
    if who.endswith("s") and who[:-1] in KIN_WORDS:
        return pronoun == "they"
    return (pronoun == "she" and who in _FEMALE_KIN) or (pronoun == "he" and who in _MALE_KIN)


_RELATIVE_CLAUSE = re.compile(
    r"(?<![\w'\u2019-])(?:(?:his|her|their|your|my|our|the\s+(?:patient|proband|child|baby|boy|girl)['\u2019]s|"
    r"(?:patient|proband|child|baby)['\u2019]s)\s+" + _KIN_MODIFIERS
    + rf"(?P<kin>{_RELATIVE}|half-(?:brother|sister)s?)|(?P<familiar>(?:{_FAMILIAR})s?))"
    r"[ \t]*,?[ \t]*(?P<who>who)\s+(?:(?:also|herself|himself|themselves)\s+)?"
    r"(?:has|have|had|is|are|was|were|suffers?|suffered|developed|carries|carried|takes|took)\b",
    re.IGNORECASE,
)
"""A relative clause about a relative of the patient's, named with a possessive (``She attends
with her mother, who has epilepsy``, ``lives with mum who has asthma``, ``Her mother, who has
bipolar disorder, lives nearby``): its findings are the relative's. (The predicate of a relative
that is the subject of its sentence is :func:`_relative_subject`'s; a case report's ``The
mother, who had a repaired cleft palate, ...`` has no possessive and stays the report's.)"""


_RELATIVE_VERB_GOES_ON = re.compile(
    r"[ \t]+and[ \t]+(?:also[ \t]+)?"
    r"(?:has|have|had|is|was|were|suffers?|suffered|developed|carries|carried|takes|took)\b",
    re.IGNORECASE)
"""``and`` and a verb with no comma before them, in a relative clause: the relative's verb phrase
goes on (``her father, who has had learning difficulties since school and had a brain tumour``);
with a comma the sentence's subject comes back (``her mother, who has epilepsy, and has fever``)."""


def _relative_clauses(
    sentence: str, found: Sequence[tuple[int, int, Rule, str]], findings: Sequence[tuple[int, int]] | None
) -> list[tuple[int, int, str, str]]:
    """:data:`FAMILY_OF` scopes of the relative clauses about a relative of the patient's
    (:data:`_RELATIVE_CLAUSE`): from ``who`` to the clause end (a terminator that
    does not go on with the relative, :data:`_SUBJECT_GOES_ON`, or a clause stop, ``;``,
    ``.``, a bracket), to the end of the first list of findings there (``who has had epilepsy
    since childhood``, ``who has type 2 diabetes, hypertension, asthma and migraine``: however
    long; a separator that no finding follows ends it, :func:`_list_end`), and on over ``and``
    and a verb with no comma before them (:data:`_RELATIVE_VERB_GOES_ON`); with no findings
    known, to the next comma, :data:`FAMILY_SCOPE_CHARS` at most.

    Example:
        >>> s = "She attends with her mother, who has epilepsy, and has fever."
        >>> [s[a:b] for a, b, _c, _t in _relative_clauses(s, [], [(37, 45), (55, 60)])]
        [' has epilepsy']
    """
    out = []
    for m in _RELATIVE_CLAUSE.finditer(sentence):
        b = m.end("who")
        stop = _CLAUSE_STOP.search(sentence, b)
        end = stop.start() if stop else len(sentence)
        for fa, _fb, r, t in found:
            if fa >= m.end() and r.category == "terminate" and t not in _SUBJECT_GOES_ON:
                end = min(end, fa)
                break
        end = _owner_clause_end(sentence, b, end, found)
        end = _patient_subordinate(sentence, b, end, (m.group("kin") or m.group("familiar")).lower())
        if findings is not None:
            limit, end = end, _list_end(sentence, m.end(), end, findings)
            while end < limit and (more := _RELATIVE_VERB_GOES_ON.match(sentence, end, limit)) is not None:
                end = _list_end(sentence, more.end(), limit, findings)  # ``who has X and had Y``: theirs too
        else:
            end = min(end, b + FAMILY_SCOPE_CHARS)
            comma = sentence.find(",", m.end(), end)
            end = comma if comma != -1 else end
        if end > b:
            out.append((b, end, FAMILY_OF, "who"))
    return out


def _owned_finding(sentence: str, b: int, findings: Sequence[tuple[int, int]]) -> int | None:
    """The end of the finding a relative's possessive ending at ``b`` owns
    (``father's skin``), if one follows it directly."""
    if sentence.startswith(("'s", "\u2019s"), b):
        b += 2
    elif not sentence.endswith(("'s", "\u2019s"), 0, b):
        return None
    for s, e in findings:
        if s > b and _OWNER_GAP.fullmatch(sentence, b, s):
            return e
    return None


@dataclass(frozen=True, slots=True)
class _Answer:
    """A template answer (:data:`_ANSWER`): the ``:``/``?`` at ``colon``, the
    answer's end, where its label starts, the assertion it gives its label
    (``None``: present) and the answer word."""

    colon: int
    end: int
    label: int
    category: str | None
    word: str


_LABEL_BOUND = re.compile(r"[:?;]")
"""What a label never reaches back over (besides the previous answer and a terminator)."""


def _label_start(
    sentence: str, lo: int, colon: int, findings: Sequence[tuple[int, int]] | None,
    triggers: Sequence[tuple[int, int]],
) -> int:
    """Where the label of an answer whose ``:``/``?`` is at ``colon`` starts, at
    or after ``lo`` (see the module docstring): after the last separator
    (``,``, ``and``, ``or``, ``/``; none inside a finding's name), or at ``lo``
    when everything from ``lo`` to ``colon`` is a list of findings. With no
    findings known, after the last separator.

    Example:
        >>> s = "Fever, cough: negative"
        >>> _label_start(s, 0, 12, [(0, 5), (7, 12)], []), _label_start(s, 0, 12, None, [])
        (0, 7)
        >>> s = "She has ataxia, surgery: none"
        >>> _label_start(s, 0, 23, [(8, 14)], [])
        16
    """
    lead = _SEPARATOR.match(sentence, lo, colon)  # the comma after the previous answer
    if lead is not None:
        lo = lead.end()
    seps = [m.span() for m in _SEPARATOR.finditer(sentence, lo, colon)
            if not findings or not any(s < m.start() and m.end() <= e for s, e in findings)]
    cuts = [(a, b) for a, b in seps if sentence[b:colon].strip() and sentence[lo:a].strip()]
    if not cuts:
        return lo
    if not findings:
        return cuts[-1][1]
    bounds = [lo, *(x for a, b in cuts for x in (a, b)), colon]
    items = list(zip(bounds[::2], bounds[1::2]))  # the stretches between the separators
    if all(_finding_item(sentence, a, b, findings, triggers) for a, b in items):
        return lo
    return items[-1][0]


def _finding_item(
    sentence: str, a: int, b: int, findings: Sequence[tuple[int, int]], triggers: Sequence[tuple[int, int]]
) -> bool:
    """Whether ``sentence[a:b]`` is one list item that names a finding: the
    finding at its end, after at most :data:`LIST_MODIFIERS` modifier words
    (no clause word, trigger or other finding among them)."""
    a += len(sentence[a:b]) - len(sentence[a:b].lstrip())
    b -= len(sentence[a:b]) - len(sentence[a:b].rstrip())
    head = min((s for s, e in findings if a <= s and e == b), default=None)
    if head is None:
        return False
    if any(s < head and e > a for s, e in findings) or any(s < head and e > a for s, e in triggers):
        return False
    return _modifiers_only(sentence, a, head)


def _answers(
    sentence: str, found: list[tuple[int, int, Rule, str]], findings: Sequence[tuple[int, int]] | None
) -> list[_Answer]:
    """The template answers of a sentence (:data:`_ANSWER`) with their labels, in text order.

    Example:
        >>> s = "Seizures: yes, Fever: no"
        >>> [(x.label, x.colon, x.category) for x in _answers(s, [], [(0, 8), (15, 20)])]
        [(0, 8, None), (15, 20, 'absent')]
    """
    matches = list(_ANSWER.finditer(sentence))
    if not matches:
        return []
    out: list[_Answer] = []
    lo = 0
    stops = [*(b for _a, b, r, _t in found if r.category == "terminate"),
             *(m.end() for m in _LABEL_BOUND.finditer(sentence))]
    for m in matches:
        colon = m.start() - 1
        asked = sentence[:colon].rstrip()
        if sentence[colon] in "-\u2013\u2014" and asked.endswith("?"):
            colon = len(asked) - 1  # ``Fever? - no``: the dash answers the question before it
        ans = " ".join(m.group("answer").lower().split())
        start = max([lo, *(x for x in stops if x <= colon)])
        triggers = [(a, b) for a, b, _r, _t in found if start <= a < colon]
        out.append(_Answer(colon, m.end(), _label_start(sentence, start, colon, findings, triggers),
                           _ANSWER_CATEGORY[ans], ans))
        lo = m.end()
    return out


_COMMON = frozenset("a an the of for to in on at is are was were be been has have had can do does did".split())
"""Words too common to tell that a sentence may hold a trigger."""

_PRIORITY: dict[str, int] = {FAMILY_OF: 5, "hypothetical": 4, "absent": 3, "family": 2, "possible": 1}


class ConText:
    """Assertion classifier over sentences; see the module docstring.

    Args:
        rules: ``{phrase: Rule}``; the default is the built-in English rule set.
    """

    def __init__(self, rules: dict[str, Rule] | None = None) -> None:
        self.rules = rules if rules is not None else _rules()
        self._builtin = rules is None
        """Whether the English structural rules apply too (a relative as the place
        or owner of a finding, a negated copula): with the built-in rule set only."""
        self.heading: re.Pattern[str] | None = NEGATING_HEADING if self._builtin else None
        """A heading whose list its lines below continue (:data:`NEGATING_HEADING`; the
        recogniser reads such lines together, see
        :func:`kg.extraction.text.heading_continues`): built-in rules only."""
        self._cue_words = frozenset(
            w
            for p, r in self.rules.items()
            if r.category not in ("pseudo", "terminate")
            for w in norm_phrase(p)
            if w not in _COMMON
        ) | {w for a in _ANSWER_CATEGORY for w in norm_phrase(a)}
        words = sorted((p for p in self.rules if p[0].isalnum()), key=len, reverse=True)
        marks = [p for p in self.rules if not p[0].isalnum()]
        alts = "|".join(re.escape(p) for p in words)
        signs = "|".join(re.escape(p) for p in marks)
        self._re = re.compile(
            rf"(?<![\w-])(?:{alts})(?![\w-])" + (f"|{signs}" if signs else ""), re.IGNORECASE
        )
        lower = "|".join(re.escape(p.lower()) for p in words)
        lower_signs = "|".join(re.escape(p.lower()) for p in marks)
        self._re_ascii = re.compile(rf"(?<![\w-])(?:{lower})(?![\w-])" + (f"|{lower_signs}" if lower_signs else ""))
        """:attr:`_re` for lower-cased ASCII text (the same matches; a case-sensitive
        pattern is far quicker: the regex engine rejects most alternatives by their
        first character)."""

    def scopes(
        self,
        sentence: str,
        words: Iterable[str] | None = None,
        findings: Sequence[tuple[int, int]] | None = None,
        reordered: Sequence[tuple[int, int]] = (),
    ) -> list[tuple[int, int, str, str]]:
        """``(start, end, category, trigger)`` of each assertion scope in a sentence.

        A category is an assertion or :data:`FAMILY_OF` (``family``, over a
        negation; see :meth:`assign`).

        Args:
            sentence: the sentence.
            words: its normalised tokens, if the caller has them (a sentence
                with no trigger word then skips the trigger search).
            findings: spans of the sentence's findings, if known: a trigger word
                inside one (``without`` in ``migraine without aura``) is part of its
                name, not a trigger, and forward negation and uncertainty scopes
                cross a separator only into a list of findings (see the module
                docstring).
            reordered: spans of findings matched with their words in another
                order, so that what lies between their words is not their name: a
                negated copula there (``Skin is not hyperextensible``) makes the
                finding absent (built-in rules only).

        Example:
            >>> ConText().scopes("Skin is not hyperextensible.", None, [(0, 27)], [(0, 27)])
            [(0, 27, 'absent', 'is not')]
        """
        out: list[tuple[int, int, str, str]] = []
        if self._builtin:
            for s, e in reordered:
                neg = NEGATED_COPULA.search(sentence, s, e)
                if neg is not None:
                    out.append((s, e, "absent", neg.group().lower()))
        if words is None:
            words = norm_phrase(sentence)
        marks = list(_QUERY_MARK.finditer(sentence)) if self._builtin and "?" in sentence else []
        if self._builtin:  # uncertainty and conditionals without a trigger word
            out.extend(_query_scopes(sentence, findings, marks))
            if findings and "?" in sentence:
                out.extend(_question_scopes(sentence, findings))
            if findings and "should" in words:
                out.extend(_inverted_conditionals(sentence, findings))
            if findings and _ASSESSMENT_WORD.search(sentence) and _ASSESSMENT_PLANNED.search(sentence):
                # ``An ASD assessment is recommended``
                out.extend(_assessed(sentence, findings))
            if findings and ("-" in sentence or "[" in sentence or "\u2610" in sentence or "\u2212" in sentence
                             or "\u2013" in sentence):
                out.extend(_mark_scopes(sentence, findings))
        if self._cue_words.isdisjoint(words):
            return out
        found = []
        reported: list[tuple[int, int]] | None = None
        # ASCII text keeps its length when lower-cased: its offsets are the sentence's
        hits = self._re_ascii.finditer(sentence.lower()) if sentence.isascii() else self._re.finditer(sentence)
        for m in hits:
            a, b = m.start(), m.end()
            if findings and any(s <= a and b <= e for s, e in findings):
                continue
            trig = m.group().lower()
            rule = self.rules[trig]
            if rule.category == "family":
                if trig == "mom" and _MULTIPLE_OF_MEDIAN.search(sentence, max(0, a - 12), a):
                    continue  # ``AFP 2.5 MoM``
                if (_ESCORT.search(sentence, max(0, a - 50), a) or _COMPARED.search(sentence, max(0, a - 30), a)
                        or _TOLD_BY.match(sentence, b)):
                    continue  # ``brought in by mum with fever``, ``Like his father, he has``: the patient's
                if _WITH_PATIENT.search(sentence, max(0, a - 60), a):
                    continue  # ``the patient and his brother had ...``: the patient has it too
                if reported is None:
                    reported = _reported_relatives(sentence)
                if any(s <= a and b <= e for s, e in reported):
                    continue  # ``a father and son with ...``: the people reported on
            found.append((a, b, rule, trig))
        answers = (_answers(sentence, found, findings)
                   if ":" in sentence or "?" in sentence or "|" in sentence or _DASH_ANSWER_SIGN.search(sentence)
                   else [])
        if answers:  # a trigger word inside an answer (``possibly``) is the answer
            found = [h for h in found if not any(x.colon <= h[0] and h[1] <= x.end for x in answers)]
            for x in answers:
                if x.category is not None:
                    out.append((x.label, x.colon, x.category, x.word))
        if self._builtin and ":" in sentence:
            out.extend(_heading_scopes(sentence, found))
        if self._builtin and "absent" in words:
            taken = [*(findings or ()), *((a, b) for a, b, _r, _t in found), *((x.colon, x.end) for x in answers)]
            out.extend(_absent_adjective(sentence, findings, taken))
        if self._builtin and (reported is not None or "family" in words):  # a family word: who has the findings
            if reported is None:
                reported = _reported_relatives(sentence)
            out.extend(_family_loci(sentence, found, findings, reported))
            out.extend(_relative_subject(sentence, found, findings))
        if self._builtin and "who" in words:
            out.extend(_relative_clauses(sentence, found, findings))
        n = len(sentence)
        queries = [m.start() for m in marks]
        for i, (a, b, rule, trig) in enumerate(found):
            if rule.category in ("pseudo", "terminate"):
                continue
            if rule.direction in (FORWARD, BOTH):
                end = n
                for a2, _b2, r2, t2 in found[i + 1 :]:
                    if rule.category == "family" and self._builtin and _label_dash(sentence, b, a2, t2):
                        continue  # ``Mother - ptosis``: the relative is the label of what follows
                    if _ends(rule, r2):
                        end = a2
                        break
                if trig in FAMILY_HISTORY and self._builtin and not _SEPARATOR.match(sentence, b):
                    # its findings are the family's, over a negation (not after ``a family history, and``)
                    out.append((b, _family_history_end(sentence, b, end, found, findings), FAMILY_OF, trig))
                if rule.max_chars is not None:
                    end = min(end, b + rule.max_chars)
                if rule.category == "family" and self._builtin:  # ``... and the patient had``: the patient's again
                    end = _owner_clause_end(sentence, b, end, ())
                    said = _INFORMANT.match(sentence, b)
                    if said is not None and not _PASSIVE.match(sentence, said.end()):
                        end = b  # ``Mother feels he has seizures``: the patient's (not ``noted to have``)
                if queries:  # a query mark opens a clause of its own (``Monitor for X. ?Y``)
                    end = min([end, *(q for q in queries if q >= b)])
                for x in answers:  # an answer's label is its own
                    if x.colon >= b:
                        end = min(end, x.label if x.label >= b else x.colon)
                        break
                if findings is not None and rule.category != "family":
                    end = _list_end(sentence, b, end, findings)
                history = (_history_list_end(sentence, trig, b, end, findings)
                           if findings and self._builtin and rule.category == "absent" else None)
                if history is None:
                    out.append((b, end, rule.category, trig))
                else:
                    past, certain = history
                    if not certain:  # ``No seizures for 2 years``: had them, or never?
                        out.append((b, past, "possible", trig))
                    if past < end and _SEPARATOR.match(sentence, past):
                        # ``No further seizures, no fever``: the negation goes on past a separator; not
                        # into the history's own circumstances (``No further seizures after starting
                        # lamotrigine``: the drug the patient takes, not one denied)
                        out.append((past, end, rule.category, trig))
                if i and rule.category == "absent" and trig not in DENIAL:
                    a1, b1, r1, t1 = found[i - 1]
                    if r1.category == "family" and _PERSON.fullmatch(t1) and _SUBJECT_GAP.fullmatch(sentence, b1, a):
                        # ``father has no seizures``: the relative's finding
                        out.append((b, min(end, b1 + FAMILY_SCOPE_CHARS), FAMILY_OF, t1))
                if rule.category == "family" and findings:
                    owned = _owned_finding(sentence, b, findings)
                    if owned is not None:  # ``her father's skin is not ...``
                        out.append((b, owned, FAMILY_OF, trig))
            if rule.direction in (BACKWARD, BOTH) and not (
                    rule.category == "family" and _NEW_CONJUNCT.search(sentence, max(0, a - 40), a)):
                start = 0
                for _a2, b2, r2, _t2 in reversed(found[:i]):
                    if _ends(rule, r2):
                        start = b2
                        break
                if rule.max_chars is not None:
                    start = max(start, a - rule.max_chars)
                start = max([start, *(x.end for x in answers if x.end <= a)])
                if trig == "free" and findings is not None and any(
                        e <= a and not sentence[e:a].strip(" \t-") for _s, e in findings):
                    continue  # ``now seizure free``: a history of the finding it qualifies, not its absence
                out.append((start, a, rule.category, trig))
        if self._builtin and "+" in sentence:
            out = _without_plus_items(sentence, out)
        return out

    def assertion(
        self, sentence: str, start: int, end: int, findings: Sequence[tuple[int, int]] | None = None
    ) -> Assertion:
        """The assertion of the finding at ``sentence[start:end]``.

        Args:
            sentence: the sentence.
            start: the finding's start in it.
            end: its end.
            findings: spans of all the sentence's findings, if known (see :meth:`scopes`).

        Example:
            >>> s = "No seizures, a lower rate of microcephaly."
            >>> ConText().assertion(s, 29, 41), ConText().assertion(s, 29, 41, [(3, 11), (29, 41)])
            ('absent', 'present')
        """
        return self.assign(self.scopes(sentence, None, findings), start, end)

    @staticmethod
    def assign(scopes: list[tuple[int, int, str, str]], start: int, end: int) -> Assertion:
        """The assertion of a span given a sentence's scopes (offsets in the sentence)."""
        best = "present"
        for a, b, cat, _t in scopes:
            if a <= start and end <= b and _PRIORITY[cat] > _PRIORITY.get(best, 0):
                best = cat
        return "family" if best == FAMILY_OF else best  # type: ignore[return-value]
