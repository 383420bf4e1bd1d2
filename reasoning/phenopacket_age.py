"""A case's age from a phenopacket v2 time element (``subject.timeAtLastEncounter``).

Every form of the ``TimeElement`` is read, and one that cannot become an age is a warning
naming its JSON path, never silence:

* ``age``: the ISO 8601 duration.
* ``ageRange``: the midpoint of start and end (a note says so); a range missing an end is a warning.
* ``gestationalAge``: before birth, so age 0 (a note says so).
* ``ontologyClass``: an HPO onset term with a closed age range (:data:`ONSET_YEARS`, e.g.
  ``HP:0003593`` Infantile onset, 28 days to 1 year) is the midpoint of that range, an antenatal or
  congenital one 0; an open-ended term (``HP:0003581`` Adult onset: 16 years or later) or any
  other class is a warning.
* ``timestamp``: the years since ``subject.dateOfBirth``; without a date of birth, a warning.
* ``interval``: as ``timestamp``, at its end.

Example:
    >>> from reasoning.phenopacket import TimeElement
    >>> t = TimeElement.model_validate({"ontologyClass": {"id": "HP:0011463", "label": "Childhood onset"}})
    >>> time_age(t, "p.json: subject.timeAtLastEncounter")
    TimeAge(years=3.0, note='p.json: subject.timeAtLastEncounter.ontologyClass: HP:0011463 (Childhood onset) is 1 to 5 years: age 3 years, the midpoint', warning=None)
    >>> time_age(TimeElement.model_validate({"timestamp": "2020-01-01T00:00:00Z"}), "p.json: t").warning
    'p.json: t.timestamp: a timestamp gives no age without subject.dateOfBirth: age left unknown'
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import NamedTuple

from reasoning.phenopacket import MAX_AGE_YEARS, AgeRange, GestationalAge, OntologyClass, TimeElement, duration_years

_DAYS_28 = 28 / 365.25
ONSET_YEARS: dict[str, tuple[float, float]] = {
    "HP:0030674": (0, 0),  # Antenatal onset
    "HP:0011460": (0, 0),  # Embryonal onset
    "HP:0011461": (0, 0),  # Fetal onset
    "HP:0034199": (0, 0),  # Late first trimester onset
    "HP:0034198": (0, 0),  # Second trimester onset
    "HP:0034197": (0, 0),  # Third trimester onset
    "HP:0003577": (0, 0),  # Congenital onset (at birth)
    "HP:0003623": (0, _DAYS_28),  # Neonatal onset: the first 28 days
    "HP:0003593": (_DAYS_28, 1),  # Infantile onset
    "HP:0011463": (1, 5),  # Childhood onset
    "HP:0003621": (5, 15),  # Juvenile onset
    "HP:0410280": (_DAYS_28, 16),  # Pediatric onset
    "HP:0011462": (16, 40),  # Young adult onset
    "HP:0025708": (16, 19),  # Early young adult onset
    "HP:0025709": (19, 25),  # Intermediate young adult onset
    "HP:0025710": (25, 40),  # Late young adult onset
    "HP:0003596": (40, 60),  # Middle age onset
}
"""HPO onset terms with a closed age range, in years (antenatal ones: 0)."""
OPEN_ONSETS: dict[str, str] = {"HP:0003581": "16 years or later", "HP:0003584": "after 60 years",
                               "HP:0003674": "any age"}
"""HPO onset terms that are no age: open-ended (Adult onset, Late onset), or ``HP:0003674`` Onset itself."""


class TimeAge(NamedTuple):
    """An age in years (None: unknown) with a note on how it was read, or a warning why it was not."""

    years: float | None
    note: str | None = None
    warning: str | None = None


def fmt_years(y: float) -> str:
    """``y`` to three significant digits (``0.0767``, ``32.5``; ``123.46`` → ``123``)."""
    return f"{y:.3g}" if y < 100 else f"{y:.0f}"


def _range(r: AgeRange, where: str) -> TimeAge:
    if r.start is None or r.end is None:
        return TimeAge(None, warning=f"{where}: an age range needs a start and an end: age left unknown")
    a, b = duration_years(r.start.iso8601duration), duration_years(r.end.iso8601duration)
    assert a is not None and b is not None  # checked by Age
    mid = round((a + b) / 2, 4)
    return TimeAge(mid, note=f"{where}: {r.start.iso8601duration} to {r.end.iso8601duration}: "
                             f"age {fmt_years(mid)} years, the midpoint")


def _gestational(g: GestationalAge, where: str) -> TimeAge:
    days = f" {g.days} days" if g.days else ""
    return TimeAge(0.0, note=f"{where}: {g.weeks} weeks{days} of gestation, before birth: age 0")


def _onset(c: OntologyClass, where: str) -> TimeAge:
    named = f"{c.id} ({c.label})" if c.label else c.id
    key = c.id.strip().upper()
    if key in OPEN_ONSETS:
        return TimeAge(None, warning=f"{where}: {named} is {OPEN_ONSETS[key]}, no one age: age left unknown")
    span = ONSET_YEARS.get(key)
    if span is None:
        return TimeAge(None, warning=f"{where}: {named} is not an HPO onset term with a closed age range: "
                                     "age left unknown")
    a, b = span
    if b == 0:
        return TimeAge(0.0, note=f"{where}: {named} is before or at birth: age 0")
    mid = round((a + b) / 2, 4)
    return TimeAge(mid, note=f"{where}: {named} is {fmt_years(a)} to {fmt_years(b)} years: age {fmt_years(mid)} years, "
                             "the midpoint")


def as_utc(t: datetime) -> datetime:
    """A phenopacket time, naive ones read as UTC (protobuf timestamps are UTC)."""
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def _since_birth(t: datetime | None, birth: datetime | None, where: str) -> TimeAge:
    if t is None:
        return TimeAge(None, warning=f"{where}: an interval without an end gives no age: age left unknown")
    if birth is None:
        return TimeAge(None, warning=f"{where}: a timestamp gives no age without subject.dateOfBirth: "
                                     "age left unknown")
    years = round((as_utc(t) - as_utc(birth)).total_seconds() / (365.25 * 86400), 4)
    if not 0 <= years <= MAX_AGE_YEARS:
        return TimeAge(None, warning=f"{where}: {t.date()} is {years:g} years after subject.dateOfBirth "
                                     f"({birth.date()}), not an age: age left unknown")
    return TimeAge(years, note=f"{where}: {t.date()} is {fmt_years(years)} years after subject.dateOfBirth")


def time_age(t: TimeElement, where: str, birth: datetime | None = None) -> TimeAge:
    """The age a time element gives.

    Args:
        t: the time element.
        where: its file and JSON path, for the note or warning.
        birth: the subject's date of birth, for a ``timestamp`` or ``interval``.

    Returns:
        The age, with a note when it was derived (a range's midpoint, a prenatal age, an onset
        term, a date), or None with a warning naming the JSON path.
    """
    if t.age is not None:
        return TimeAge(duration_years(t.age.iso8601duration))
    if t.ageRange is not None:
        return _range(t.ageRange, f"{where}.ageRange")
    if t.gestationalAge is not None:
        return _gestational(t.gestationalAge, f"{where}.gestationalAge")
    if t.ontologyClass is not None:
        return _onset(t.ontologyClass, f"{where}.ontologyClass")
    if t.timestamp is not None:
        return _since_birth(t.timestamp, birth, f"{where}.timestamp")
    if t.interval is not None:
        return _since_birth(t.interval.end, birth, f"{where}.interval.end")
    return TimeAge(None, warning=f"{where}: an empty time element: age left unknown")


def describe(t: TimeElement) -> str:
    """A time element in words, as the input gives it (for a feature's onset).

    Example:
        >>> describe(TimeElement.model_validate({"ontologyClass": {"id": "HP:0003593", "label": "Infantile onset"}}))
        'HP:0003593 (Infantile onset)'
        >>> describe(TimeElement.model_validate({"ageRange": {"start": {"iso8601duration": "P1Y"},
        ...                                                   "end": {"iso8601duration": "P2Y"}}}))
        'P1Y to P2Y'
        >>> describe(TimeElement.model_validate({"gestationalAge": {"weeks": 30}}))
        '30 weeks of gestation'
    """
    if t.age is not None:
        return t.age.iso8601duration
    if t.ageRange is not None:
        ends = [a.iso8601duration if a else "?" for a in (t.ageRange.start, t.ageRange.end)]
        return " to ".join(ends)
    if t.gestationalAge is not None:
        days = f" {t.gestationalAge.days} days" if t.gestationalAge.days else ""
        return f"{t.gestationalAge.weeks} weeks{days} of gestation"
    if t.ontologyClass is not None:
        c = t.ontologyClass
        return f"{c.id} ({c.label})" if c.label else c.id
    if t.timestamp is not None:
        return as_utc(t.timestamp).isoformat()
    if t.interval is not None:
        ends = [as_utc(x).isoformat() if x else "?" for x in (t.interval.start, t.interval.end)]
        return " to ".join(ends)
    return "unknown"
