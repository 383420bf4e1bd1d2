"""What a phenopacket's ``subject`` tells a case: its age and its vital status.

* The age is ``subject.timeAtLastEncounter`` in any time-element form
  (:func:`reasoning.phenopacket_age.time_age`). A deceased subject without one is as old as at
  death (``vitalStatus.timeOfDeath``), with a note saying so.
* ``vitalStatus`` ``DECEASED`` is a note naming the age at death and the cause of death when
  given; the cause is never used for the ranking (it is often the diagnosis itself). A time or
  cause of death for a subject whose status is not ``DECEASED``, or a last encounter after
  death, is a warning naming the JSON path.

Example:
    >>> from reasoning.phenopacket import Individual
    >>> s = Individual.model_validate({"vitalStatus": {"status": "DECEASED",
    ...     "timeOfDeath": {"age": {"iso8601duration": "P2Y"}}, "causeOfDeath": {"id": "HP:0001644",
    ...     "label": "Dilated cardiomyopathy"}}})
    >>> facts = subject_facts(s, "p.json")
    >>> facts.age
    2.0
    >>> print("\\n".join(facts.notes))
    p.json: subject.vitalStatus: the patient died at 2 years of HP:0001644 (Dilated cardiomyopathy)
    p.json: the age is the age at death (subject.vitalStatus.timeOfDeath): the phenopacket gives no subject.timeAtLastEncounter
"""

from __future__ import annotations

from typing import NamedTuple

from reasoning.phenopacket import Individual
from reasoning.phenopacket_age import fmt_years, time_age


class SubjectFacts(NamedTuple):
    """The case's age (None: unknown), and notes and warnings about the subject."""

    age: float | None
    notes: list[str]
    warnings: list[str]


def subject_facts(subject: Individual | None, origin: str) -> SubjectFacts:
    """The age and vital status of a phenopacket's subject (see the module docstring).

    Args:
        subject: the validated ``subject``, if any.
        origin: the file name, for notes and warnings.
    """
    if subject is None:
        return SubjectFacts(None, [], [])
    notes: list[str] = []
    warnings: list[str] = []
    age = None
    if subject.timeAtLastEncounter:
        age, note, warning = time_age(subject.timeAtLastEncounter, f"{origin}: subject.timeAtLastEncounter",
                                      subject.dateOfBirth)
        notes += [note] if note else []
        warnings += [warning] if warning else []
    vital = subject.vitalStatus
    if vital is None:
        return SubjectFacts(age, notes, warnings)
    where = f"{origin}: subject.vitalStatus"
    if vital.status != "DECEASED":
        given = [f for f in ("timeOfDeath", "causeOfDeath") if getattr(vital, f) is not None]
        if given:
            warnings.append(f"{where}: {' and '.join(given)} given for a subject whose status is "
                            f"{vital.status or 'not given'}, not DECEASED: ignored")
        return SubjectFacts(age, notes, warnings)
    death = time_age(vital.timeOfDeath, f"{where}.timeOfDeath", subject.dateOfBirth) if vital.timeOfDeath else None
    if death is not None and death.warning:
        warnings.append(death.warning)
    at = f" at {fmt_years(death.years)} years" if death is not None and death.years is not None else ""
    cause = vital.causeOfDeath
    of = f" of {cause.id} ({cause.label})" if cause and cause.label else f" of {cause.id}" if cause else ""
    notes.append(f"{where}: the patient died{at}{of}")
    if death is None or death.years is None:
        return SubjectFacts(age, notes, warnings)
    if subject.timeAtLastEncounter is None:
        notes += [death.note] if death.note else []
        notes.append(f"{origin}: the age is the age at death (subject.vitalStatus.timeOfDeath): the phenopacket "
                     "gives no subject.timeAtLastEncounter")
        return SubjectFacts(death.years, notes, warnings)
    if age is not None and age > death.years + 1e-9:
        warnings.append(f"{origin}: subject.timeAtLastEncounter ({fmt_years(age)} years) is after "
                        f"subject.vitalStatus.timeOfDeath ({fmt_years(death.years)} years)")
    return SubjectFacts(age, notes, warnings)
