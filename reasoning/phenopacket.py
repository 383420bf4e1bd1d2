"""The part of a GA4GH Phenopacket v2 (JSON) that a case needs, validated.

Unknown fields are allowed (phenopackets carry much more); the fields medkg
reads must have the right shape, and a malformed file is an error naming the
JSON path of the problem: ``excluded`` is a JSON boolean, an age an ISO 8601
duration of at most 150 years, ``sex`` one of the v2 ``Sex`` values
(``UNKNOWN_SEX``, ``FEMALE``, ``MALE``, ``OTHER_SEX``, in any case, or their
numbers 0-3). A feature with the phenopacket v1 field ``negated: true`` is read
as excluded, with a warning (:func:`reasoning.cases.parse_phenopacket`).

Example:
    >>> p = Phenopacket.model_validate({"id": "p1", "phenotypicFeatures": [
    ...     {"type": {"id": "HP:0001166", "label": "Arachnodactyly"}},
    ...     {"type": {"id": "HP:0000545"}, "excluded": True}]})
    >>> [(f.type.id, f.excluded) for f in p.phenotypicFeatures]
    [('HP:0001166', False), ('HP:0000545', True)]
    >>> Individual.model_validate({"sex": "other_sex"}).sex
    'OTHER_SEX'
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, field_validator
from pydantic_core import PydanticCustomError

MAX_AGE_YEARS = 150
"""The oldest age a phenopacket may give."""
SEX_VALUES = ("UNKNOWN_SEX", "FEMALE", "MALE", "OTHER_SEX")
"""The phenopacket v2 ``Sex`` enum, in number order."""


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class OntologyClass(_Open):
    """An ontology term: ``{"id": "HP:0001166", "label": "..."}``."""

    id: str = Field(min_length=1)
    label: str | None = None


class Age(_Open):
    """``{"iso8601duration": "P33Y6M"}``."""

    iso8601duration: str

    @field_validator("iso8601duration")
    @classmethod
    def _duration(cls, v: str) -> str:
        years = duration_years(v)
        if years is None:
            raise PydanticCustomError("iso8601duration", "not an ISO 8601 duration such as P33Y6M: '{v}'", {"v": v})
        if years > MAX_AGE_YEARS:
            raise PydanticCustomError("iso8601duration", "'{v}' is more than {m} years", {"v": v, "m": MAX_AGE_YEARS})
        return v


class TimeElement(_Open):
    """A phenopacket time element; only ``age`` is read."""

    age: Age | None = None


def _sex_name(v: Any) -> Any:
    """A ``Sex`` value by name in any case, or by number, as its name."""
    if isinstance(v, int) and not isinstance(v, bool) and 0 <= v < len(SEX_VALUES):
        return SEX_VALUES[v]
    return v.upper() if isinstance(v, str) and v.upper() in SEX_VALUES else v


class Individual(_Open):
    """The subject."""

    id: str | None = None
    sex: Annotated[Literal["UNKNOWN_SEX", "FEMALE", "MALE", "OTHER_SEX"] | None, BeforeValidator(_sex_name)] = None
    timeAtLastEncounter: TimeElement | None = None


def _null_is_false(value: object) -> object:
    """``null`` for a boolean field is its default, ``false`` (protobuf's JSON mapping)."""
    return False if value is None else value


Flag = Annotated[StrictBool, BeforeValidator(_null_is_false)]
"""A phenopacket boolean: ``true``, ``false`` or ``null`` (false); a string such as ``"yes"`` is invalid."""


class PhenotypicFeature(_Open):
    """One observed (or, with ``excluded``, explicitly absent) feature; ``negated`` is the
    phenopacket v1 name of ``excluded``."""

    type: OntologyClass
    excluded: Flag = False
    negated: StrictBool | None = None


class Disease(_Open):
    """A disease entry (``diseases``)."""

    term: OntologyClass
    excluded: Flag = False


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
        >>> duration_years("P2Y6M"), duration_years("P14D") < 0.04, duration_years("soon"), duration_years("PT")
        (2.5, True, None, None)
        >>> duration_years("PT5H")  # hours after birth
        0.0
    """
    m = _DURATION.match(text.strip())
    if not m or not (any(m.groupdict().values()) or re.search(r"T\d", text)):  # "P" or "PT": no amount at all
        return None
    parts = {k: float(v) if v else 0.0 for k, v in m.groupdict().items()}
    return parts["y"] + parts["m"] / 12 + parts["w"] * 7 / 365.25 + parts["d"] / 365.25
