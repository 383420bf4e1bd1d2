"""Person names (and names of services) that a dictionary takes for findings.

A few concept names are given names too (*Amelia*, HP:0009827). In a note the
name is written as a name: one capitalised word right after a salutation or a
title (``Re:``, ``Dear``, ``Dr``, ``Mrs``, ``Patient:``, ``Name:``) or before a
capitalised surname (``Amelia Jones``, not ``Amelia With ...`` in a title-case
heading, nor inside a run of capitalised words). Once a word is a name in a
document, its other title-case occurrences there are the same person
(``Re: Amelia Jones. Amelia has seizures.``); the lower-case word (``amelia of
the upper limbs``) and an all-capitals one stay findings.

Example:
    >>> from kg.extraction.types import Mention
    >>> t = "Re: Amelia Jones. Amelia has seizures; amelia of the left arm."
    >>> ms = [Mention(4, 10, "Amelia", "HP:0009827", "phenotype"),
    ...       Mention(18, 24, "Amelia", "HP:0009827", "phenotype"),
    ...       Mention(29, 37, "seizures", "HP:0001250", "phenotype"),
    ...       Mention(39, 45, "amelia", "HP:0009827", "phenotype")]
    >>> [m.start for m in drop_person_names(t, ms)]
    [29, 39]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.extraction.types import Mention

_TITLE_CASE = re.compile(r"[A-Z][a-z]{2,}")
"""One capitalised word: what a given name looks like."""
_TITLE_BEFORE = re.compile(
    r"(?:(?<![\w-])(?:Re|RE|Dear|Dr|Mr|Mrs|Ms|Miss|Mx|Mstr|Master|Prof|Professor|Sister|Nurse)\.?"
    r"|(?<![\w-])(?:Re|Patient|Pt|Name|Child|Baby|Client|Subject|Patient name|Full name)\s*:)[ \t]*$",
    re.IGNORECASE,
)
"""A salutation or title right before a name (on the same line)."""
_SURNAME_AFTER = re.compile(
    r"[ \t]+(?P<surname>[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?)(?![\w-])(?![ \t]+[A-Z])(?![ \t]*[:=]?[ \t]*[<>]?[0-9])")
"""A capitalised word after the name that no other capitalised word follows (``Amelia Jones.``),
nor a number: a word before a number is a measurement's label (``Hyponatraemia Na 126``, ``Anaemia
Hb 85``), no surname."""
_FUNCTION = frozenset(
    "a an and as at by for from in into is of on or the to was were with without has had have are be "
    "syndrome type disease".split()
)
"""Capitalised words of a title-case heading, no surname (``Amelia With Ataxia``, ``Amelia Syndrome``)."""
_CAPITAL_BEFORE = re.compile(r"(?<![.!?:;])\b[A-Z][\w'-]*[ \t]+$")
"""A capitalised word before the name, not at a sentence start: a title-case run."""


def _is_name(text: str, m: Mention, starts: set[int]) -> bool:
    """Whether the one-word title-case mention ``m`` is a person's name where it stands."""
    before = text[max(0, m.start - 40) : m.start]
    if _TITLE_BEFORE.search(before):
        return True
    after = _SURNAME_AFTER.match(text, m.end)
    if after is None or after.group("surname").lower() in _FUNCTION or after.start("surname") in starts:
        return False
    return not _CAPITAL_BEFORE.search(before)


def drop_person_names(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """``mentions`` without those that are a person's name (see the module docstring)."""
    words = [m for m in mentions if _TITLE_CASE.fullmatch(m.text)]
    if not words:
        return list(mentions)
    starts = {m.start for m in mentions}
    names = {m.text for m in words if _is_name(text, m, starts)}
    if not names:
        return list(mentions)
    return [m for m in mentions if m.text not in names]


_SERVICE_AFTER = re.compile(
    r"[ \t]+(?:clinics?|services?|team|MDT|nurses?|unit|ward|scans?)\b",
    re.IGNORECASE)
"""A service or a test that a finding names (``Movement disorder clinic``, ``epilepsy nurse``,
``stroke unit``, ``Headache Clinic``, ``Fetal anomaly scan``: the scan that looks for anomalies;
not ``programs``, also a verb)."""


def drop_service_names(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """``mentions`` without the findings (phenotypes and diseases) that name a clinic, a team,
    another service or a scan: those right before :data:`_SERVICE_AFTER` (a heading ``Movement
    disorder clinic``, ``seen by the epilepsy nurse``, ``Fetal anomaly scan``). A drug stays
    (``lithium clinic``: the drug is named).

    Example:
        >>> from kg.extraction.types import Mention
        >>> t = "Movement disorder clinic. He has a movement disorder."
        >>> ms = [Mention(0, 17, "Movement disorder", "HP:0100022", "phenotype"),
        ...       Mention(34, 51, "movement disorder", "HP:0100022", "phenotype")]
        >>> [m.start for m in drop_service_names(t, ms)]
        [34]
    """
    return [m for m in mentions if m.type == "drug" or not _SERVICE_AFTER.match(text, m.end)]
