"""Age and sex stated in clinical text (``a 14-year-old girl``, ``aged 3 months``, ``Sex: F``).

Only explicit statements count: an age with its unit (years, months, weeks, days; ``yo``,
``y/o``), and a sex word in the phrase that gives the age (``14-year-old girl``), a sex
word before patient / infant / child / neonate, or a ``Sex:`` / ``Gender:`` field. Pronouns
are not read (``his mother`` says nothing about the patient). The first stated age is the
patient's; two different sexes stated are a conflict, and the sex is left unset with a warning.

Example:
    >>> d = demographics("A 14-year-old girl with arachnodactyly; her brother is 9 years old.")
    >>> d.age_years, d.sex, d.notes[0]
    (14.0, 'female', "age 14 years from text[2:13] '14-year-old'")
    >>> demographics("Infant, aged 6 months. Sex: M.").age_years, demographics("Sex: M.").sex
    (0.5, 'male')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reasoning.phenopacket import MAX_AGE_YEARS

_UNIT_YEARS = {"year": 1.0, "yr": 1.0, "y": 1.0, "month": 1 / 12, "mo": 1 / 12, "week": 7 / 365.25,
               "wk": 7 / 365.25, "day": 1 / 365.25}
_AGE = re.compile(
    r"\b(?P<n>\d{1,3}(?:\.\d+)?)[- ]?(?P<unit>year|yr|month|mo|week|wk|day)s?[- ]old\b"
    r"|\baged?\s+(?P<n2>\d{1,3}(?:\.\d+)?)\s*(?P<unit2>year|yr|month|mo|week|wk|day)s?\b"
    r"|\b(?P<n3>\d{1,3})\s*(?:yo|y/o|y\.o\.)(?!\w)",
    re.IGNORECASE)
_FEMALE = r"girl|woman|female|lady|daughter"
_MALE = r"boy|man|male|gentleman|son"
_SEX_AFTER_AGE = re.compile(rf"\s*(?P<w>{_FEMALE}|{_MALE})\b", re.IGNORECASE)
_SEX_NOUN = re.compile(rf"\b(?P<w>female|male)\s+(?:patient|infant|child|neonate|newborn|toddler|adult)\b",
                       re.IGNORECASE)
_SEX_FIELD = re.compile(r"\b(?:sex|gender)\s*:\s*(?P<w>female|male|f|m)\b", re.IGNORECASE)


@dataclass
class Demographics:
    """What a text states about the patient's age and sex, and where."""

    age_years: float | None = None
    sex: str | None = None
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _sex_of(word: str) -> str:
    w = word.lower()
    return "female" if w == "f" or re.fullmatch(_FEMALE, w) else "male"


def _one_sex(found: dict[str, list[str]], out: Demographics) -> str | None:
    """The one sex stated; two different ones are a warning and no sex."""
    if len(found) > 1:
        listed = "; ".join(w for spans in found.values() for w in spans)
        out.warnings.append(f"the text states different sexes ({listed}): sex left unset")
        return None
    return next(iter(found), None)


def demographics(text: str) -> Demographics:
    """The patient's age and sex as the text states them (see the module's rules): the first
    stated age is the patient's (``her brother is 9 years old`` is not)."""
    out = Demographics()
    sexes: dict[str, list[str]] = {}

    def saw(m: re.Match[str]) -> None:
        sexes.setdefault(_sex_of(m.group("w")), []).append(f"text[{m.start('w')}:{m.end('w')}] {m.group('w')!r}")

    m = _AGE.search(text)
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
