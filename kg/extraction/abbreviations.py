"""Abbreviations defined in the text: ``long form (ABBR)``.

A definition is accepted when the parenthesised short form is one word of 2
to 10 characters with at least one capital letter, and its first letter is
the first letter of the long form or of one of its words (a light version of
Schwartz & Hearst, 2003). A plural ``s`` on the short form is allowed
(``basal cell carcinomas (BCCs)``).

Example:
    >>> t = "Myocardial infarction (MI) is common. MI recurs."
    >>> [(a.short, a.definition_start) for a in find_definitions(t)]
    [('MI', 22)]
    >>> [m.start() for m in uses(t, "MI", after=26)]
    [38]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_DEF = re.compile(r"\(\s*([A-Za-z][\w\-]{1,9})\s*\)")


@dataclass(frozen=True, slots=True)
class Definition:
    """A short form defined in the text.

    Attributes:
        short: the short form (a plural ``s`` removed when the form ends in ``Xs``).
        definition_start: offset of the ``(``.
        definition_end: offset after the ``)``.
    """

    short: str
    definition_start: int
    definition_end: int


def find_definitions(text: str) -> Iterator[Definition]:
    """Every ``(SHORT)`` that looks like an abbreviation; the long form is
    checked by the caller against the mention that ends just before it."""
    for m in _DEF.finditer(text):
        short = m.group(1)
        if not any(c.isupper() for c in short) or short.isdigit():
            continue
        if len(short) > 2 and short.endswith("s") and short[:-1].isupper():
            short = short[:-1]
        yield Definition(short, m.start(), m.end())


def long_form_matches(short: str, long_form: str) -> bool:
    """Whether ``short``'s first letter starts the long form or one of its words.

    Example:
        >>> long_form_matches("NBCCS", "Nevoid basal cell carcinoma syndrome")
        True
        >>> long_form_matches("XY", "basal cell carcinoma")
        False
    """
    first = short[0].lower()
    return any(w[:1].lower() == first for w in re.split(r"[\s\-/]+", long_form))


def uses(text: str, short: str, after: int) -> Iterator[re.Match[str]]:
    """Whole-word, case-sensitive uses of ``short`` (or its plural) after ``after``."""
    pat = re.compile(rf"(?<![\w-]){re.escape(short)}s?(?![\w-])")
    return pat.finditer(text, after)
