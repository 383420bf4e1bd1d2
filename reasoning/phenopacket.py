"""The part of a GA4GH Phenopacket v2 (JSON) that a case needs, validated.

Fields medkg does not read are kept (phenopackets carry much more; one that is no
phenopacket v2 field is a warning: :mod:`reasoning.phenopacket_fields`). A field may
be given by its JSON name or its protobuf name (``timeAtLastEncounter`` or
``time_at_last_encounter``, as protobuf's JSON parsers accept), not both. The fields
medkg reads must have the right shape, and a malformed file is an error naming the
JSON path of the problem: ``excluded`` is a JSON boolean, an age an ISO 8601
duration of at most 150 years, ``sex`` one of the v2 ``Sex`` values
(``UNKNOWN_SEX``, ``FEMALE``, ``MALE``, ``OTHER_SEX``, in any case, or their
numbers 0-3). A feature with the phenopacket v1 field ``negated: true`` is read
as excluded, with a warning (:func:`reasoning.cases.parse_phenopacket`).

A time element holds at most one of its forms (``age``, ``ageRange``, ``gestationalAge``,
``ontologyClass``, ``timestamp``, ``interval``); an ``ageRange`` starts no later than it ends.
A medical action's treatment names its ``agent``. An interpretation's ``progressStatus`` is
read by name in any case, or by number (0-4 of the v2 ``ProgressStatus``); a name outside
that enum (such as ``CANDIDATE``, an ``InterpretationStatus``) is kept, for
:func:`reasoning.cases.parse_phenopacket` to count as not solved.

Example:
    >>> p = Phenopacket.model_validate({"id": "p1", "phenotypicFeatures": [
    ...     {"type": {"id": "HP:0001166", "label": "Arachnodactyly"}},
    ...     {"type": {"id": "HP:0000545"}, "excluded": True}]})
    >>> [(f.type.id, f.excluded) for f in p.phenotypicFeatures]
    [('HP:0001166', False), ('HP:0000545', True)]
    >>> Individual.model_validate({"sex": "other_sex"}).sex
    'OTHER_SEX'
    >>> Interpretation.model_validate({"progressStatus": 3}).progressStatus
    'SOLVED'
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import (AliasChoices, AliasGenerator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool,
                      field_validator, model_validator)
from pydantic_core import PydanticCustomError

MAX_AGE_YEARS = 150
"""The oldest age a phenopacket may give."""
SEX_VALUES = ("UNKNOWN_SEX", "FEMALE", "MALE", "OTHER_SEX")
"""The phenopacket v2 ``Sex`` enum, in number order."""
PROGRESS_VALUES = ("UNKNOWN_PROGRESS", "IN_PROGRESS", "COMPLETED", "SOLVED", "UNSOLVED")
"""The phenopacket v2 ``ProgressStatus`` enum, in number order."""
VITAL_VALUES = ("UNKNOWN_STATUS", "ALIVE", "DECEASED")
"""The phenopacket v2 ``VitalStatus.Status`` enum, in number order."""
TIME_FORMS = ("age", "ageRange", "gestationalAge", "ontologyClass", "timestamp", "interval")
"""The forms of a phenopacket v2 ``TimeElement`` (a protobuf ``oneof``: one at a time)."""
ACTION_FORMS = ("procedure", "treatment", "radiationTherapy", "therapeuticRegimen")
"""The forms of a phenopacket v2 ``MedicalAction`` (a protobuf ``oneof``: one at a time)."""


_M = TypeVar("_M", bound=BaseModel)


def proto_name(name: str) -> str:
    """A field's protobuf name (``timeAtLastEncounter`` → ``time_at_last_encounter``).

    Protobuf's JSON parsers accept it as well as the JSON name, and ``MessageToJson(...,
    preserving_proto_field_name=True)`` writes it.

    Example:
        >>> proto_name("timeAtLastEncounter"), proto_name("iso8601duration"), proto_name("id")
        ('time_at_last_encounter', 'iso8601duration', 'id')
    """
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


class _Open(BaseModel):
    """A phenopacket message: its fields by JSON or protobuf name (not both), other fields kept.

    ``OTHER_FIELDS`` are the message's phenopacket v2 fields that medkg does not read (by JSON
    name); ``V1_FIELDS`` its phenopacket v1 fields, each with what v2 calls it. Any other field is
    reported by :func:`reasoning.phenopacket_fields.unknown_fields`.
    """

    model_config = ConfigDict(extra="allow", alias_generator=AliasGenerator(
        validation_alias=lambda name: AliasChoices(name, proto_name(name))))
    OTHER_FIELDS: ClassVar[tuple[str, ...]] = ()
    V1_FIELDS: ClassVar[dict[str, str]] = {}

    @model_validator(mode="before")
    @classmethod
    def _one_name(cls, data: Any) -> Any:
        """A field given by both its JSON and its protobuf name is an error (protobuf's too)."""
        if isinstance(data, dict) and any("_" in k for k in data):
            for name, proto in _two_names(cls):
                if name in data and proto in data:
                    raise PydanticCustomError("field_twice", "{a} and {b} name the same field (its JSON and "
                                              "protobuf names): give it once", {"a": name, "b": proto})
        return data


def v2_fields(model: type[BaseModel]) -> list[str]:
    """A message's phenopacket v2 fields by JSON name: those medkg reads and its ``OTHER_FIELDS``.

    Example:
        >>> v2_fields(DoseInterval)
        ['interval', 'quantity', 'scheduleFrequency']
    """
    return [*model.model_fields, *getattr(model, "OTHER_FIELDS", ())]


@cache
def _two_names(cls: type[_Open]) -> list[tuple[str, str]]:
    """The message's fields whose protobuf name differs from their JSON name, with both names."""
    return [(name, proto_name(name)) for name in v2_fields(cls) if proto_name(name) != name]


def _one_of(model: _M, forms: tuple[str, ...], what: str) -> _M:
    """``model`` if it sets at most one of ``forms`` (a protobuf ``oneof``), else a validation error."""
    given = [f for f in forms if getattr(model, f) is not None]
    if len(given) > 1:
        raise PydanticCustomError(what.replace(" ", "_"), "a {what} holds one of {forms}; got {given}",
                                  {"what": what, "forms": ", ".join(forms), "given": " and ".join(given)})
    return model


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


class AgeRange(_Open):
    """``{"start": {"iso8601duration": "P30Y"}, "end": {"iso8601duration": "P35Y"}}``."""

    start: Age | None = None
    end: Age | None = None

    @model_validator(mode="after")
    def _ordered(self) -> AgeRange:
        start, end = (duration_years(a.iso8601duration) if a else None for a in (self.start, self.end))
        if self.start and self.end and start is not None and end is not None and start > end:
            raise PydanticCustomError("age_range", "starts ({s}) after it ends ({e})",
                                      {"s": self.start.iso8601duration, "e": self.end.iso8601duration})
        return self


class GestationalAge(_Open):
    """``{"weeks": 22, "days": 2}``: before birth. More than 45 weeks is no pregnancy (the longest
    recorded are about 44 weeks): a slip, such as days or an age in weeks written as weeks."""

    weeks: int = Field(ge=0, le=45)
    days: int | None = Field(default=None, ge=0)


def _timestamp_text(value: Any) -> Any:
    """A protobuf ``Timestamp`` is RFC 3339 text (``2020-01-01T00:00:00Z``); a number, or digits
    only, would be read as seconds since 1970 (``20200101`` as 1970-08-22)."""
    if isinstance(value, int | float) and not isinstance(value, bool) or (
            isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+(?:\.\d*)?\s*", value)):
        raise PydanticCustomError("timestamp", "a timestamp is RFC 3339 text such as 2020-01-01T00:00:00Z, "
                                  "not a number: {v}", {"v": value})
    return value


Timestamp = Annotated[datetime, BeforeValidator(_timestamp_text)]
"""A phenopacket timestamp: RFC 3339 text (a date alone is midnight), never a number."""


class TimeInterval(_Open):
    """``{"start": timestamp, "end": timestamp}``."""

    start: Timestamp | None = None
    end: Timestamp | None = None


class TimeElement(_Open):
    """A phenopacket time element: one of :data:`TIME_FORMS` (or none)."""

    age: Age | None = None
    ageRange: AgeRange | None = None
    gestationalAge: GestationalAge | None = None
    ontologyClass: OntologyClass | None = None
    timestamp: Timestamp | None = None
    interval: TimeInterval | None = None

    @model_validator(mode="after")
    def _one_form(self) -> TimeElement:
        return _one_of(self, TIME_FORMS, "time element")


def _enum_name(values: tuple[str, ...]) -> Any:
    """A validator reading a protobuf enum value by name in any case, or by number, as its name."""
    def name(v: Any) -> Any:
        if isinstance(v, int) and not isinstance(v, bool) and 0 <= v < len(values):
            return values[v]
        return v.upper() if isinstance(v, str) and v.upper() in values else v
    return BeforeValidator(name)


class VitalStatus(_Open):
    """``{"status": "DECEASED", "timeOfDeath": ..., "causeOfDeath": {...}, "survivalTimeInDays": 120}``."""

    status: Annotated[Literal["UNKNOWN_STATUS", "ALIVE", "DECEASED"] | None, _enum_name(VITAL_VALUES)] = None
    timeOfDeath: TimeElement | None = None
    causeOfDeath: OntologyClass | None = None
    survivalTimeInDays: int | None = Field(default=None, ge=0)


class Individual(_Open):
    """The subject."""

    OTHER_FIELDS = ("alternateIds", "karyotypicSex", "gender", "taxonomy")
    V1_FIELDS = {"ageAtCollection": "timeAtLastEncounter", "ageRangeAtCollection": "timeAtLastEncounter"}

    id: str | None = None
    sex: Annotated[Literal["UNKNOWN_SEX", "FEMALE", "MALE", "OTHER_SEX"] | None, _enum_name(SEX_VALUES)] = None
    dateOfBirth: Timestamp | None = None
    timeAtLastEncounter: TimeElement | None = None
    vitalStatus: VitalStatus | None = None


def _null_is_false(value: object) -> object:
    """``null`` for a boolean field is its default, ``false`` (protobuf's JSON mapping)."""
    return False if value is None else value


Flag = Annotated[StrictBool, BeforeValidator(_null_is_false)]
"""A phenopacket boolean: ``true``, ``false`` or ``null`` (false); a string such as ``"yes"`` is invalid."""


class PhenotypicFeature(_Open):
    """One observed (or, with ``excluded``, explicitly absent) feature; ``negated`` is the
    phenopacket v1 name of ``excluded``. Its ``onset`` and ``resolution`` are time elements,
    its ``severity`` and ``modifiers`` ontology classes."""

    OTHER_FIELDS = ("description", "evidence")
    V1_FIELDS = {"ageOfOnset": "onset", "ageRangeOfOnset": "onset", "classOfOnset": "onset"}

    type: OntologyClass
    excluded: Flag = False
    negated: StrictBool | None = None
    onset: TimeElement | None = None
    resolution: TimeElement | None = None
    severity: OntologyClass | None = None
    modifiers: list[OntologyClass] = Field(default_factory=list)


class Disease(_Open):
    """A disease entry (``diseases``)."""

    OTHER_FIELDS = ("onset", "resolution", "diseaseStage", "clinicalTnmFinding", "primarySite", "laterality")
    V1_FIELDS = {"ageOfOnset": "onset", "ageRangeOfOnset": "onset", "classOfOnset": "onset",
                 "tumorStage": "diseaseStage", "tnmFinding": "clinicalTnmFinding"}

    term: OntologyClass
    excluded: Flag = False


class Diagnosis(_Open):
    """An interpretation's diagnosis."""

    OTHER_FIELDS = ("genomicInterpretations",)

    disease: OntologyClass | None = None


def _progress_name(v: Any) -> Any:
    """A ``ProgressStatus`` by number as its name; a name upper-cased."""
    if isinstance(v, int) and not isinstance(v, bool) and 0 <= v < len(PROGRESS_VALUES):
        return PROGRESS_VALUES[v]
    return v.strip().upper() if isinstance(v, str) else v


class Interpretation(_Open):
    """An interpretation; its diagnosis names the disease, its ``progressStatus`` whether it is solved."""

    OTHER_FIELDS = ("id", "summary")

    progressStatus: Annotated[str | None, BeforeValidator(_progress_name)] = None
    diagnosis: Diagnosis | None = None


class DoseInterval(_Open):
    """When a treatment was given."""

    OTHER_FIELDS = ("quantity", "scheduleFrequency")

    interval: TimeInterval | None = None


class Treatment(_Open):
    """A drug treatment: its ``agent`` is the drug."""

    OTHER_FIELDS = ("routeOfAdministration", "drugType", "cumulativeDose")

    agent: OntologyClass
    doseIntervals: list[DoseInterval] = Field(default_factory=list)


class MedicalAction(_Open):
    """One medical action: a ``treatment`` (a drug), or a ``procedure``, ``radiationTherapy`` or
    ``therapeuticRegimen`` (not drugs)."""

    OTHER_FIELDS = ("treatmentTarget", "treatmentIntent", "responseToTreatment")

    treatment: Treatment | None = None
    procedure: dict[str, Any] | None = None
    radiationTherapy: dict[str, Any] | None = None
    therapeuticRegimen: dict[str, Any] | None = None
    adverseEvents: list[OntologyClass] = Field(default_factory=list)
    treatmentTerminationReason: OntologyClass | None = None

    @model_validator(mode="after")
    def _one_action(self) -> MedicalAction:
        return _one_of(self, ACTION_FORMS, "medical action")


class Phenopacket(_Open):
    """The validated subset of a phenopacket."""

    OTHER_FIELDS = ("measurements", "biosamples", "files", "metaData")
    V1_FIELDS = {"genes": "interpretations", "variants": "interpretations", "htsFiles": "files"}

    id: str | None = None
    subject: Individual | None = None
    phenotypicFeatures: list[PhenotypicFeature] = Field(default_factory=list)
    interpretations: list[Interpretation] = Field(default_factory=list)
    diseases: list[Disease] = Field(default_factory=list)
    medicalActions: list[MedicalAction] = Field(default_factory=list)


_NUM = r"\d+(?:\.\d+)?"
_DURATION = re.compile(
    rf"^P(?:(?P<y>{_NUM})Y)?(?:(?P<m>{_NUM})M)?(?:(?P<w>{_NUM})W)?(?:(?P<d>{_NUM})D)?"
    rf"(?:T(?=\d)(?:(?P<h>{_NUM})H)?(?:(?P<min>{_NUM})M)?(?:(?P<s>{_NUM})S)?)?$"
)


def duration_years(text: str) -> float | None:
    """Years in an ISO 8601 duration (``P2Y6M`` → 2.5), its time part too (``PT36H``); None if it
    is not one (no amount at all, ``PT``, or text after its last unit: ``P3YTxyz``).

    Example:
        >>> duration_years("P2Y6M"), duration_years("P14D") < 0.04, duration_years("soon"), duration_years("PT")
        (2.5, True, None, None)
        >>> round(duration_years("PT8766H"), 6), duration_years("P3YTxyz"), duration_years("P1YT")
        (1.0, None, None)
    """
    m = _DURATION.match(text.strip())
    if not m or not any(m.groupdict().values()):  # "P" or "PT": no amount at all
        return None
    n = {k: float(v) if v else 0.0 for k, v in m.groupdict().items()}
    hours = n["h"] + n["min"] / 60 + n["s"] / 3600
    return n["y"] + n["m"] / 12 + n["w"] * 7 / 365.25 + (n["d"] + hours / 24) / 365.25
