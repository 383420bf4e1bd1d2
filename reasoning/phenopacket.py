"""The part of a GA4GH Phenopacket v2 (JSON) that a case needs, validated.

Unknown fields are allowed (phenopackets carry much more); the fields medkg
reads must have the right shape, and a malformed file is an error naming the
JSON path of the problem.

Example:
    >>> p = Phenopacket.model_validate({"id": "p1", "phenotypicFeatures": [
    ...     {"type": {"id": "HP:0001166", "label": "Arachnodactyly"}},
    ...     {"type": {"id": "HP:0000545"}, "excluded": True}]})
    >>> [(f.type.id, f.excluded) for f in p.phenotypicFeatures]
    [('HP:0001166', False), ('HP:0000545', True)]
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class OntologyClass(_Open):
    """An ontology term: ``{"id": "HP:0001166", "label": "..."}``."""

    id: str = Field(min_length=1)
    label: str | None = None


class Age(_Open):
    """``{"iso8601duration": "P33Y6M"}``."""

    iso8601duration: str


class TimeElement(_Open):
    """A phenopacket time element; only ``age`` is read."""

    age: Age | None = None


class Individual(_Open):
    """The subject."""

    id: str | None = None
    sex: str | None = None
    timeAtLastEncounter: TimeElement | None = None


class PhenotypicFeature(_Open):
    """One observed (or, with ``excluded``, explicitly absent) feature."""

    type: OntologyClass
    excluded: bool = False


class Disease(_Open):
    """A disease entry (``diseases``)."""

    term: OntologyClass
    excluded: bool = False


class Diagnosis(_Open):
    """An interpretation's diagnosis."""

    disease: OntologyClass | None = None


class Interpretation(_Open):
    """An interpretation; its diagnosis names the disease."""

    diagnosis: Diagnosis | None = None


class Phenopacket(_Open):
    """The validated subset of a phenopacket."""

    id: str | None = None
    subject: Individual | None = None
    phenotypicFeatures: list[PhenotypicFeature] = Field(default_factory=list)
    interpretations: list[Interpretation] = Field(default_factory=list)
    diseases: list[Disease] = Field(default_factory=list)


_DURATION = re.compile(
    r"^P(?:(?P<y>\d+(?:\.\d+)?)Y)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<w>\d+(?:\.\d+)?)W)?"
    r"(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T.*)?$"
)


def duration_years(text: str) -> float | None:
    """Years in an ISO 8601 duration (``P2Y6M`` → 2.5); None if it is not one.

    Example:
        >>> duration_years("P2Y6M"), duration_years("P14D") < 0.04, duration_years("soon")
        (2.5, True, None)
    """
    m = _DURATION.match(text.strip())
    if not m or text.strip() == "P":
        return None
    parts = {k: float(v) if v else 0.0 for k, v in m.groupdict().items()}
    return parts["y"] + parts["m"] / 12 + parts["w"] * 7 / 365.25 + parts["d"] / 365.25
