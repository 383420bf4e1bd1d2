"""Age and sex stated in clinical text (``a 14-year-old girl``, ``aged 3 months``, ``Sex: F``).

A heuristic that reads only explicit statements, and is used for the case's record (age and
sex do not change the ranking):

* **Age**: a number with its unit (years, months, weeks, days; ``yo``, ``y/o``): ``N-year-old``,
  ``aged N years``, ``Age: N years``, ``N y/o``; a bare number after an ``Age:`` label or in
  ``(age N)`` is in years. Not an age of something else: bone, gestational, maternal,
  paternal, mental, developmental, chronological, skeletal or corrected age, an event's age
  (``at age 2 years``, ``onset at 2 years``), or a relative's: next to a relative word (``his
  40-year-old mother``, ``mother, 45-year-old``, ``mum is 35 years old``) or in a clause whose
  subject is a relative (``His older brother, who is now 12 years old``, ``FHx: father died
  aged 52 years``). An age next to a patient word (``3-year-old boy``, ``the proband, aged 3
  years``) is preferred; otherwise the first one is taken.
* **Sex**: a sex word right after the patient's age (``14-year-old girl``, ``62 y/o F``), a sex
  word before patient / infant / child / neonate, ``baby girl``, the patient's noun (``this
  boy``, ``our girl``, ``the woman`` or ``a boy`` that opens its clause or comes before
  with / who / presenting), a title (``Mr``, ``Ms``, ``Mrs``, ``Miss``; not after ``Dear``), or
  a ``Sex:`` / ``Gender:`` field, a sex word that is a header item of its own (``age 8. Female.``),
  ``your son`` / ``your daughter`` of a letter to a parent, obstetric shorthand (``G2P1``: female);
  none of these in a relative's clause or after a relative word in the same sentence (``His mother is a
  healthy woman``). Pronouns are not read (``his mother`` says nothing about the patient). Two
  different sexes stated are a conflict: the sex is left unset, with a warning.

Example:
    >>> d = demographics("A 14-year-old girl with arachnodactyly; her brother is 9 years old.")
    >>> d.age_years, d.sex, d.notes[0]
    (14.0, 'female', "age 14 years from text[2:13] '14-year-old'")
    >>> demographics("Infant, aged 6 months. Sex: M.").age_years, demographics("62 y/o F").sex
    (0.5, 'female')
    >>> demographics("His 40-year-old mother is tall. Bone age 10 years. The proband is a 3-year-old boy.").age_years
    3.0
    >>> d = demographics("This boy has ataxia. His older brother, who is now 12 years old, is well. Age: 9.")
    >>> d.age_years, d.sex
    (9.0, 'male')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extraction.context import KIN, KIN_EVERYDAY, KIN_FAMILIAR, KIN_NUCLEAR
from reasoning.phenopacket import MAX_AGE_YEARS

_UNIT_YEARS = {"year": 1.0, "yr": 1.0, "y": 1.0, "month": 1 / 12, "mo": 1 / 12, "week": 7 / 365.25,
               "wk": 7 / 365.25, "day": 1 / 365.25}
_DASH = "[-\u2010-\u2015 ]"
_NUMBER = r"(?<![0-9.,/])[0-9]{1,3}(?:\.[0-9]+)?"
_UNIT = "year|yr|month|mo|week|wk|day"
_NUMBER_WORDS = {w: float(i) for i, w in enumerate(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split(), start=1)}
"""Numbers written out (``Fourteen-year-old boy``)."""
_AGE = re.compile(
    rf"(?P<n>{_NUMBER}|\b(?:{'|'.join(_NUMBER_WORDS)})){_DASH}?(?P<unit>{_UNIT})s?{_DASH}old\b"
    rf"|\bage(?:d|\s*:)?\s+(?P<n2>{_NUMBER})\s*(?P<unit2>{_UNIT})s?\b"
    rf"|(?P<n3>{_NUMBER})\s*(?:yo|y/o|y\.o\.)(?!\w)"
    rf"|\bage\s*:\s*(?P<n4>{_NUMBER})(?![0-9.,]*[0-9]|\s*(?:[%/-]|(?:y|(?-i:m)|d|w|h|hrs?|cm|mm|kg|lbs?|g)\b))"
    rf"|\(\s*aged?\s*:?\s*(?P<n5>{_NUMBER})\s*\)"
    rf"|(?<![\w/])(?P<n6>{_NUMBER})\s?(?P<unit6>mo|m/o|wk|w/o|d/o)(?=\s*(?-i:[MF])\b|\s+old\b)"
    rf"|(?<![\w/])(?P<n7>[0-9]{{1,2}})/(?P<per7>12|52)(?=\s*(?-i:[MF])\b|\s+old\b)"
    rf"|(?:^|(?<=:))[ \t]*(?P<n8>[0-9]{{1,3}})(?=(?-i:[MF])(?:[\s,.;)]|$))"
    rf"|(?<=[.;!?][ \t])(?P<n12>[0-9]{{1,3}})(?=(?-i:[MF])(?:[.,;]|$))"
    rf"|(?:(?i:\b(?:saw|see|seen|reviewed|review|referring|referred|re|name|child|patient|pt|for|toddler|infant|"
    rf"baby|pupil|resident|client|your\s+(?:son|daughter|child))\b:?[ \t]+)"
    rf"|(?<![\w.])(?-i:Mr|Mrs|Ms|Miss|Master)\.?[ \t]+)(?-i:[A-Z][\w'-]+[ \t]*){{1,3}}[(,][ \t]*"
    rf"(?P<n9>{_NUMBER})(?:[ \t]*(?P<unit9>{_UNIT})s?\b|[ \t]*(?=[),]))"
    rf"|\b(?:day\s+of\s+life|(?-i:DOL))[ \t]*:?[ \t]*(?P<n10>[0-9]{{1,3}})\b"
    rf"|\baged?[ \t]+(?P<n11>{_NUMBER})(?=[ \t]*(?:[.,;)]|$))",
    re.IGNORECASE | re.MULTILINE)
"""An age: a number with its unit, or a bare number (years) after ``Age:`` or in ``(age N)``;
the shorthand of notes before a sex letter or ``old`` (``14mo F``, ``8/12 M``: months, ``N/52``
weeks) and a number glued to it at a line's or a label's start (``67M, s/p CABG``, ``Pt: 34F``);
or after a name that a letter gives
(``I saw Ethan (7 years)``, ``Re: Sophie Patel, 6 years``, ``Ms Ahmed (27)``, ``referring Noah,
15,``, ``Toddler: Oliver, 24 months``, a letter to a parent's ``your son Aryan (9 years)``); a
neonate's day of life (``Day of life 4``, ``DOL 2``); a number written out before ``-year-old``
(``Fourteen-year-old``), one glued to its sex letter that ends a sentence (``By ambulance. 34M.``)
and a bare one after ``age`` that ends its clause (``Year 4, age 8.``: years)."""
_PATIENT_LABEL = re.compile(r"\b(?:pt|patient|hpi|age|sex|age/sex|name|id|case|summary|presentation|cc|resident|client|"
                            r"pupil|child|toddler|infant|baby|pc|p/c|hpc|presenting\s+complaint)[ \t]*:$",
                            re.IGNORECASE)
"""A label that names the patient or their presenting complaint, before an age glued to its sex
letter (``Pt: 34F``, ``PC: 24M, collapse``); another
label's ``8F`` is a size (``NGT: 8F``, ``UVC: 5F``: French gauge)."""
_SHORT_UNIT = {"mo": "month", "m/o": "month", "wk": "week", "w/o": "week", "d/o": "day", "12": "month", "52": "week"}
"""The units of the shorthand ages."""
_NOT_THE_PATIENTS = re.compile(
    r"\b(?:bone|gestational|maternal|paternal|mental|developmental|chronological|skeletal|corrected|"
    r"onset|diagnosis|death|at|by|from|since|until|before|after)\s*$", re.IGNORECASE)
"""Words right before an age that make it another age than the patient's (``bone age 10 years``,
``onset at 2 years``)."""
_RELATIVE = (rf"(?:(?:step|half)-?)?(?:{KIN_NUCLEAR})|{KIN}|{'|'.join(KIN_FAMILIAR)}|{'|'.join(KIN_EVERYDAY)}|"
             r"gran|nan|nana|nanna|mam|mama|mamma|papa|partner|spouse")
"""The people whose age is not the patient's: the relatives of the family rules
(:data:`kg.extraction.context.KIN`, ``step-`` or ``half-`` ones too, :data:`~kg.extraction.context.KIN_FAMILIAR`,
:data:`~kg.extraction.context.KIN_EVERYDAY`), and more everyday words (``nan``, ``mama``, ``partner``),
which are no family triggers (``NaN``, ``partner`` of a gene)."""
_WORD_GAP = r"(?:[^\w.!?]|[.!?](?!\s)|(?<=\bMr)\.|(?<=\bMrs)\.|(?<=\bMs)\.|(?<=\bDr)\.)+"
"""What stands between two words of one sentence: no sentence end (a ``.``, ``!`` or ``?`` before a
space or line break), except the dot of a title (``Mr. Patel``)."""
_RELATIVE_BEFORE = re.compile(rf"\b(?:{_RELATIVE})s?(?:'s)?(?!\s+of\b){_WORD_GAP}(?:\w+{_WORD_GAP}){{0,2}}$",
                              re.IGNORECASE)
"""A relative word right before, in the same sentence (not ``father of``, which names the patient
after it: ``father of 18-month-old girl``; not ``Mother is G3P2. Baby boy``, where the next
sentence is the baby's)."""
_RELATIVE_AFTER = re.compile(rf"\s*(?:{_RELATIVE})s?\b", re.IGNORECASE)
_CLAUSE_START = re.compile(r"[.!?;:](?=\s)|\n|\bbut\b", re.IGNORECASE)
"""Where a clause starts (for its subject): after a sentence end, ``;``, a label's ``:``, a line break or *but*."""
_RELATIVE_SUBJECT = re.compile(
    rf"\W*(?:(?:his|her|their|the|our|my|a|an|[^\W\d_]+'s)\s+)?(?:(?:older|younger|elder|eldest|oldest|youngest|"
    rf"big|little|baby|twin|maternal|paternal|biological|identical|healthy|affected|unaffected|only|first|second|"
    rf"third)[\s-]+){{0,3}}(?:{_RELATIVE})s?\b(?!\s+of\b)", re.IGNORECASE)
"""A clause whose subject is a relative (``His older brother, who is now``, ``Mum is``; not
``Caller: father of 18-month-old girl``)."""
_FEMALE = r"girl|woman|female|lady|f"
_MALE = r"boy|man|male|gentleman|m"
_PATIENT_AFTER = re.compile(rf"\s*(?:{_FEMALE}|{_MALE}|patient|proband|infant|child|neonate|newborn|toddler|"
                            r"adolescent|adult)\b", re.IGNORECASE)
_PATIENT_BEFORE = re.compile(r"\b(?:patient|proband|index case)\W+(?:\w+\W+){0,2}$", re.IGNORECASE)
_SEX_AFTER_AGE = re.compile(rf"[ \t]*,?\s*(?P<w>{_FEMALE}|{_MALE})\b(?!\s*/)", re.IGNORECASE)
"""A sex word right after the patient's age, or after a comma (``Age: 67, male``)."""
_GLUED_SEX = re.compile(r"(?P<w>[MF])")
"""The sex letter glued to an age (``67M``)."""
_SEX_NOUN = re.compile(r"\b(?P<w>female|male)\s+(?:patient|infant|child|neonate|newborn|toddler|adult)\b",
                       re.IGNORECASE)
_SEX_FIELD = re.compile(r"\b(?:sex|gender)\s*:\s*(?P<w>female|male|f|m)\b(?!\s*/)", re.IGNORECASE)
_SEX_ALONE = re.compile(r"(?:^|(?<=[.,;:]))[ \t]*(?P<w>female|male)[ \t]*(?=[.;]|$)", re.IGNORECASE | re.MULTILINE)
"""A sex word that is a header's item or sentence of its own (``Pupil: Maisie, age 8. Female.``)."""
_GRAVIDA = re.compile(r"(?<![\w/])(?P<w>G\d{1,2}[ \t]*P\d{1,2}(?:[+-]\d{1,2})?)(?![\w/])")
"""Obstetric shorthand (``31-year-old G2P1``: gravida 2, para 1): the patient is a woman (not in
a clause of maternal data: ``Maternal age 36, G3P2``, a fetal medicine note's mother)."""
_MATERNAL = re.compile(r"\b(?:maternal|mother|mum|mom)\b", re.IGNORECASE)
_YOUR_CHILD = re.compile(r"\byour\s+(?P<w>son|daughter)\b", re.IGNORECASE)
"""The patient in a letter to a parent (``your son Aryan``)."""
_SEX_BABY = re.compile(r"\b(?:baby|infant|newborn|neonate)\s+(?P<w>girl|boy)\b", re.IGNORECASE)
"""``Baby girl``, ``newborn boy``."""
_PATIENT_NOUN = re.compile(
    r"\b(?P<det>this|our|the|an?)\s+(?:(?:young|little|small|tall|short|healthy|previously\s+healthy|[\w.-]+-old)"
    r"\s+){0,2}(?P<w>boy|girl|man|woman|gentleman|lady)\b(?!'s)", re.IGNORECASE)
"""A noun that may be the patient's (``this boy``, ``a girl with``; see :func:`_is_patients_noun`)."""
_NOUN_GOES_ON = re.compile(r"\s*(?:,\s*)?(?:with|who|presenting|presents|presented|born|aged|referred|seen|was|is)\b",
                           re.IGNORECASE)
"""Words after a noun that make it the one the note is about (``a boy with``, ``the girl was``)."""
_TITLE = re.compile(r"(?<![\w.])(?P<w>Mr|Mrs|Ms|Miss|Master)\.?[ \t]+(?=[A-Z])")
"""A title before a name (case-sensitive: ``MS`` is multiple sclerosis)."""
_NOT_THE_PATIENTS_TITLE = re.compile(r"\b(?:dear|cc|to|from|by|of|consultant|surgeon|registrar|dr|doctor)\W*$",
                                     re.IGNORECASE)
"""Words before a title that make it a colleague's (``Dear Mr Jones``, ``seen by Mr Smith``) or a
parent's (``Baby boy of Mrs Khan``)."""
_TITLE_SEX = {"mr": "male", "master": "male", "mrs": "female", "ms": "female", "miss": "female"}


@dataclass
class Demographics:
    """What a text states about the patient's age and sex, and where."""

    age_years: float | None = None
    sex: str | None = None
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _sex_of(word: str) -> str:
    if word.lower() in _TITLE_SEX:
        return _TITLE_SEX[word.lower()]
    return "female" if re.fullmatch(_FEMALE + r"|daughter|G\d.*", word, re.IGNORECASE) else "male"


def _clause_before(text: str, pos: int) -> str:
    """The words of ``pos``'s clause before it (since a sentence end, ``;``, ``:``, a line break, *but*)."""
    window = text[max(0, pos - 200):pos]
    starts = [m.end() for m in _CLAUSE_START.finditer(window)]
    return window[starts[-1] if starts else 0:]


def _relatives(text: str, pos: int, clause: str | None = None) -> bool:
    """Whether what stands at ``pos`` is said of a relative: in a clause whose subject is one, or
    right after a relative word (``mother, 45-year-old``, ``his father, Mr Patel``). ``clause``:
    :func:`_clause_before` of ``pos``, if the caller has it."""
    return bool(_RELATIVE_SUBJECT.match(_clause_before(text, pos) if clause is None else clause)
                or _RELATIVE_BEFORE.search(text, max(0, pos - 60), pos))


def _is_patients_noun(text: str, m: re.Match[str]) -> bool:
    """Whether the noun ``m`` (:data:`_PATIENT_NOUN`) is the patient's: not in a relative's clause,
    and after this / our, or opening its clause, or before with / who / presenting / was."""
    clause = _clause_before(text, m.start())
    if _relatives(text, m.start(), clause):
        return False
    return (m.group("det").lower() in ("this", "our") or not clause.strip(" \t\"'(-*")
            or bool(_NOUN_GOES_ON.match(text, m.end())))


def _patients_sexes(text: str) -> list[re.Match[str]]:
    """The sex words said of the patient, besides the one after the patient's age."""
    found = [*_SEX_NOUN.finditer(text), *_SEX_FIELD.finditer(text), *_YOUR_CHILD.finditer(text)]
    found += [x for x in _GRAVIDA.finditer(text) if not _relatives(text, x.start())
              and not _MATERNAL.search(_clause_before(text, x.start()))]
    found += [x for x in _SEX_ALONE.finditer(text) if not _relatives(text, x.start("w"))]
    found += [x for x in _SEX_BABY.finditer(text) if not _relatives(text, x.start())]
    found += [x for x in _PATIENT_NOUN.finditer(text) if _is_patients_noun(text, x)]
    found += [x for x in _TITLE.finditer(text) if not _relatives(text, x.start())
              and not _NOT_THE_PATIENTS_TITLE.search(text, max(0, x.start() - 30), x.start())]
    return found


def _patients_age(text: str) -> re.Match[str] | None:
    """The age statement that is the patient's: not another kind of age nor a relative's;
    one next to a patient word first, else the first."""
    kept: list[re.Match[str]] = []
    for m in _AGE.finditer(text):
        before = text[max(0, m.start() - 60):m.start()]
        if (_NOT_THE_PATIENTS.search(before) or _RELATIVE_AFTER.match(text, m.end())
                or _relatives(text, m.start()) or m.group("n8") and text[m.start() - 1:m.start()] == ":"
                and not _PATIENT_LABEL.search(text, max(0, m.start() - 30), m.start())):
            continue
        if _TITLE.match(m.group(0)) and _NOT_THE_PATIENTS_TITLE.search(text, max(0, m.start() - 30), m.start()):
            continue  # ``Dear Mr Jones (45)``: the letter's addressee, a colleague
        kept.append(m)
    for m in kept:
        if _PATIENT_AFTER.match(text, m.end()) or _PATIENT_BEFORE.search(text[max(0, m.start() - 40):m.start()]):
            return m
    return kept[0] if kept else None


def _one_sex(found: dict[str, list[str]], out: Demographics) -> str | None:
    """The one sex stated; two different ones are a warning and no sex."""
    if len(found) > 1:
        listed = "; ".join(w for spans in found.values() for w in spans)
        out.warnings.append(f"the text states different sexes ({listed}): sex left unset")
        return None
    return next(iter(found), None)


def demographics(text: str) -> Demographics:
    """The patient's age and sex as the text states them (see the module's rules)."""
    out = Demographics()
    sexes: dict[str, list[str]] = {}

    def saw(m: re.Match[str]) -> None:  # a word two rules find is listed once
        spans = sexes.setdefault(_sex_of(m.group("w")), [])
        if (span := f"text[{m.start('w')}:{m.end('w')}] {m.group('w')!r}") not in spans:
            spans.append(span)

    m = _patients_age(text)
    if m:
        got = next(g for g in (m.group(f"n{k}") for k in ("", 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)) if g)
        n = _NUMBER_WORDS.get(got.lower()) or float(got)
        unit = (m.group("unit") or m.group("unit2") or m.group("unit9") or (m.group("n10") and "day")
                or _SHORT_UNIT.get((m.group("unit6") or m.group("per7") or "").lower()) or "y")
        years = round(n * _UNIT_YEARS[unit.lower()], 4)
        where = f"text[{m.start()}:{m.end()}] {m.group(0)!r}"
        if years > MAX_AGE_YEARS:
            out.warnings.append(f"age {years:g} years from {where} is over {MAX_AGE_YEARS:g}: left unset")
        else:
            out.age_years = years
            out.notes.append(f"age {years:g} years from {where}")
        if m.group("n8") or m.group("n12"):
            saw(_GLUED_SEX.match(text, m.end()))  # ``67M``
        elif s := _SEX_AFTER_AGE.match(text, m.end()):
            saw(s)
    for x in _patients_sexes(text):
        saw(x)
    sex = _one_sex(sexes, out)
    if sex is not None:
        out.sex = sex
        out.notes.append(f"sex {sex} from {sexes[sex][0]}")
    return out
