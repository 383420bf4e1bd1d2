"""A phenopacket v2's known diagnoses, and its candidate ones.

Diagnoses only score benchmarks (they never change a ranking). What counts:

* ``diseases[]`` that are not ``excluded``: diagnoses.
* ``interpretations[].diagnosis.disease``, by the interpretation's ``progressStatus``:
  ``SOLVED`` and ``COMPLETED`` are diagnoses, and so are ``UNKNOWN_PROGRESS`` and an unset
  status (older files and many tools leave it out; such an interpretation names its diagnosis
  without saying it is open). ``IN_PROGRESS`` and ``UNSOLVED`` are candidates, kept apart with a
  note; any other value (``CANDIDATE`` is an ``InterpretationStatus`` of a genomic
  interpretation, not a ``ProgressStatus``) is a candidate too, with a warning naming its JSON path.
  A disease that is also a diagnosis elsewhere in the file is a diagnosis (the note says so).

An id medkg does not know the prefix of (``MONDO:``) is kept as written with a warning;
one that is no CURIE at all is left out with a warning.

Example:
    >>> from reasoning.phenopacket import Phenopacket
    >>> p = Phenopacket.model_validate({"interpretations": [
    ...     {"progressStatus": "SOLVED", "diagnosis": {"disease": {"id": "OMIM:154700"}}},
    ...     {"progressStatus": "IN_PROGRESS", "diagnosis": {"disease": {"id": "OMIM:609192"}}}]})
    >>> d = known_diagnoses(p, "p.json")
    >>> d.diagnoses, d.candidates, d.notes
    (['OMIM:154700'], ['OMIM:609192'], ['p.json: interpretations[1].progressStatus is IN_PROGRESS: OMIM:609192 is a candidate, not a known diagnosis'])
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.curie import curie_shaped, normalize_curie
from kg.errors import InvalidCurieError
from reasoning.phenopacket import PROGRESS_VALUES, Phenopacket

SOLVED_STATUSES = ("SOLVED", "COMPLETED", "UNKNOWN_PROGRESS", None)
"""The ``progressStatus`` values (None: unset) whose interpretation's disease is a known diagnosis."""


@dataclass
class KnownDiagnoses:
    """Diagnoses and candidates (disease CURIEs, once each), with notes and warnings."""

    diagnoses: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _curie(raw: str, where: str, warnings: list[str]) -> str | None:
    """``raw`` normalised; an unknown prefix kept as written, no CURIE left out (with a warning)."""
    try:
        return normalize_curie(raw)
    except InvalidCurieError as e:  # only benchmarks read the diagnoses: the case is still ranked
        c = raw.strip()
        kept = curie_shaped(c)
        warnings.append(f"{where}: {e}: " + ("kept as written (diagnoses are not used for ranking)"
                                             if kept else "left out"))
        return c if kept else None


def known_diagnoses(p: Phenopacket, origin: str) -> KnownDiagnoses:
    """The phenopacket's diagnoses and candidate diagnoses (see the module's rules)."""
    out = KnownDiagnoses()
    named: list[tuple[str, str, str | None]] = []  # (where, id, progressStatus; a disease's None)
    for k, i in enumerate(p.interpretations):
        if not (i.diagnosis and i.diagnosis.disease):
            continue
        where = f"{origin}: interpretations[{k}]"
        c = _curie(i.diagnosis.disease.id, f"{where}.diagnosis.disease.id", out.warnings)
        if c is None:
            continue
        named.append((where, c, i.progressStatus))
    for k, d in enumerate(p.diseases):
        if not d.excluded:
            c = _curie(d.term.id, f"{origin}: diseases[{k}].term.id", out.warnings)
            if c is not None:
                named.append(("", c, None))
    out.diagnoses = list(dict.fromkeys(c for _w, c, status in named if status in SOLVED_STATUSES))
    for where, c, status in named:
        if status in SOLVED_STATUSES:
            continue
        said = (out.notes if status in PROGRESS_VALUES else out.warnings)
        said.append(f"{where}.progressStatus is {status}" + ("" if status in PROGRESS_VALUES else
                    f" (not a v2 ProgressStatus: {', '.join(PROGRESS_VALUES)})")
                    + (f": {c} is a diagnosis elsewhere in the file" if c in out.diagnoses
                       else f": {c} is a candidate, not a known diagnosis"))
        if c not in out.diagnoses and c not in out.candidates:
            out.candidates.append(c)
    return out
