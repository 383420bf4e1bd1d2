"""Age and sex stated in clinical text (``a 14-year-old girl``, ``aged 3 months``, ``Sex: F``).

A heuristic that reads only explicit statements, and is used for the case's record (age and
sex do not change the ranking):

* **Age**: a number with its unit (years, months, weeks, days; ``yo``, ``y/o``): ``N-year-old``,
  ``aged N years``, ``Age: N years``, ``N y/o``. Not an age of something else: bone,
  gestational, maternal, paternal, mental, developmental, chronological, skeletal or corrected
  age, an event's age (``at age 2 years``, ``onset at 2 years``), or a relative's (``his
  40-year-old mother``, ``mother, 45-year-old``). An age next to a patient word (``3-year-old
  boy``, ``the proband, aged 3 years``) is preferred; otherwise the first one is taken.
* **Sex**: a sex word right after the patient's age (``14-year-old girl``, ``62 y/o F``), a sex
  word before patient / infant / child / neonate, or a ``Sex:`` / ``Gender:`` field. Pronouns
  are not read (``his mother`` says nothing about the patient). Two different sexes stated are
  a conflict: the sex is left unset, with a warning.

Example:
    >>> d = demographics("A 14-year-old girl with arachnodactyly; her brother is 9 years old.")
    >>> d.age_years, d.sex, d.notes[0]
    (14.0, 'female', "age 14 years from text[2:13] '14-year-old'")
    >>> demographics("Infant, aged 6 months. Sex: M.").age_years, demographics("62 y/o F").sex
    (0.5, 'female')
    >>> demographics("His 40-year-old mother is tall. Bone age 10 years. The proband is a 3-year-old boy.").age_years
    3.0
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reasoning.phenopacket import MAX_AGE_YEARS

_UNIT_YEARS = {"year": 1.0, "yr": 1.0, "y": 1.0, "month": 1 / 12, "mo": 1 / 12, "week": 7 / 365.25,
               "wk": 7 / 365.25, "day": 1 / 365.25}
_DASH = "[-\u2010-\u2015 ]"
_NUMBER = r"(?<![0-9.,/])[0-9]{1,3}(?:\.[0-9]+)?"
_UNIT = "year|yr|month|mo|week|wk|day"
_AGE = re.compile(
    rf"(?P<n>{_NUMBER}){_DASH}?(?P<unit>{_UNIT})s?{_DASH}old\b"
    rf"|\bage(?:d|\s*:)?\s+(?P<n2>{_NUMBER})\s*(?P<unit2>{_UNIT})s?\b"
    rf"|(?P<n3>{_NUMBER})\s*(?:yo|y/o|y\.o\.)(?!\w)",
    re.IGNORECASE)
_NOT_THE_PATIENTS = re.compile(
    r"\b(?:bone|gestational|maternal|paternal|mental|developmental|chronological|skeletal|corrected|"
    r"onset|diagnosis|death|at|by|from|since|until|before|after)\s*$", re.IGNORECASE)
"""Words right before an age that make it another age than the patient's (``bone age 10 years``,
``onset at 2 years``)."""
_RELATIVE = (r"mother|father|brother|sister|sibling|parent|son|daughter|aunt|uncle|cousin|"
             r"grandmother|grandfather|grandparent|twin|husband|wife|partner")
_RELATIVE_BEFORE = re.compile(rf"\b(?:{_RELATIVE})(?:'s)?\W+(?:\w+\W+){{0,2}}$", re.IGNORECASE)
_RELATIVE_AFTER = re.compile(rf"\s*(?:{_RELATIVE})\b", re.IGNORECASE)
_FEMALE = r"girl|woman|female|lady|f"
_MALE = r"boy|man|male|gentleman|m"
_PATIENT_AFTER = re.compile(rf"\s*(?:{_FEMALE}|{_MALE}|patient|proband|infant|child|neonate|newborn|toddler|"
                            r"adolescent|adult)\b", re.IGNORECASE)
_PATIENT_BEFORE = re.compile(r"\b(?:patient|proband|index case)\W+(?:\w+\W+){0,2}$", re.IGNORECASE)
_SEX_AFTER_AGE = re.compile(rf"\s*(?P<w>{_FEMALE}|{_MALE})\b(?!\s*/)", re.IGNORECASE)
_SEX_NOUN = re.compile(r"\b(?P<w>female|male)\s+(?:patient|infant|child|neonate|newborn|toddler|adult)\b",
                       re.IGNORECASE)
_SEX_FIELD = re.compile(r"\b(?:sex|gender)\s*:\s*(?P<w>female|male|f|m)\b(?!\s*/)", re.IGNORECASE)


@dataclass
class Demographics:
    """What a text states about the patient's age and sex, and where."""

    age_years: float | None = None
    sex: str | None = None
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _sex_of(word: str) -> str:
    return "female" if re.fullmatch(_FEMALE, word, re.IGNORECASE) else "male"


def _patients_age(text: str) -> re.Match[str] | None:
    """The age statement that is the patient's: not another kind of age nor a relative's;
    one next to a patient word first, else the first."""
    kept: list[re.Match[str]] = []
    for m in _AGE.finditer(text):
        before = text[max(0, m.start() - 60):m.start()]
        if _NOT_THE_PATIENTS.search(before) or _RELATIVE_BEFORE.search(before) or _RELATIVE_AFTER.match(text, m.end()):
            continue
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

    def saw(m: re.Match[str]) -> None:
        sexes.setdefault(_sex_of(m.group("w")), []).append(f"text[{m.start('w')}:{m.end('w')}] {m.group('w')!r}")

    m = _patients_age(text)
    if m:
        n = float(m.group("n") or m.group("n2") or m.group("n3"))
        years = round(n * _UNIT_YEARS[(m.group("unit") or m.group("unit2") or "y").lower()], 4)
        where = f"text[{m.start()}:{m.end()}] {m.group(0)!r}"
        if years > MAX_AGE_YEARS:
            out.warnings.append(f"age {years:g} years from {where} is over {MAX_AGE_YEARS:g}: left unset")
        else:
            out.age_years = years
            out.notes.append(f"age {years:g} years from {where}")
        if s := _SEX_AFTER_AGE.match(text, m.end()):
            saw(s)
    for pattern in (_SEX_NOUN, _SEX_FIELD):
        for x in pattern.finditer(text):
            saw(x)
    sex = _one_sex(sexes, out)
    if sex is not None:
        out.sex = sex
        out.notes.append(f"sex {sex} from {sexes[sex][0]}")
    return out
