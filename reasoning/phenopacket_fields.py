"""Fields of a phenopacket that are not phenopacket v2 fields, each a warning naming its JSON path.

medkg reads a subset of a phenopacket and keeps the rest without looking at it, so a field it
does not know would otherwise be lost silently: a typo of a field it reads (``exluded: true``
makes an excluded feature present), a phenopacket v1 field (``subject.ageAtCollection``, a
feature's ``classOfOnset``), or a field of another schema. The v2 fields medkg does not read
(``metaData``, a feature's ``evidence``, ...) are no warning; each message's fields are listed
on its model in :mod:`reasoning.phenopacket` (``OTHER_FIELDS``, ``V1_FIELDS``). Only the
messages medkg reads are checked (not, say, ``metaData``'s inside).

Example:
    >>> from reasoning.phenopacket import Phenopacket
    >>> p = Phenopacket.model_validate({"phenotypicFeatures": [{"type": {"id": "HP:0001166"}, "exluded": True,
    ...     "evidence": []}], "subject": {"ageAtCollection": {"age": "P3Y"}}})
    >>> for w in unknown_fields(p, "p.json"):
    ...     print(w)
    p.json: subject.ageAtCollection is phenopacket v1 (v2: subject.timeAtLastEncounter): not read
    p.json: phenotypicFeatures[0].exluded is no field of a phenopacket v2 PhenotypicFeature (did you mean excluded?): ignored
"""

from __future__ import annotations

import difflib
import re
from functools import cache

from pydantic import BaseModel

from reasoning.phenopacket import proto_name, v2_fields


def _camel(name: str) -> str:
    """A protobuf field name as its JSON name (``time_at_last_encounter`` → ``timeAtLastEncounter``)."""
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), name)


@cache
def _known(model: type[BaseModel]) -> frozenset[str]:
    """The message's v2 fields by JSON and by protobuf name."""
    return frozenset(n for f in v2_fields(model) for n in (f, proto_name(f)))


def _walk(m: BaseModel, path: str, origin: str, out: list[str]) -> None:
    cls = type(m)
    v1: dict[str, str] = getattr(cls, "V1_FIELDS", {})
    here = f"{path}." if path else ""
    known = _known(cls)
    for key in m.model_extra or {}:
        if key in known:
            continue
        if _camel(key) in v1:
            out.append(f"{origin}: {here}{key} is phenopacket v1 (v2: {here}{v1[_camel(key)]}): not read")
            continue
        close = difflib.get_close_matches(key, v2_fields(cls), n=1, cutoff=0.75)
        hint = f" (did you mean {close[0]}?)" if close else ""
        out.append(f"{origin}: {here}{key} is no field of a phenopacket v2 {cls.__name__}{hint}: ignored")
    for name in cls.model_fields:
        value = m.__dict__[name]
        if value is None or isinstance(value, str | bool | int | float):
            continue
        if isinstance(value, BaseModel):
            _walk(value, f"{here}{name}", origin, out)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    _walk(item, f"{here}{name}[{i}]", origin, out)


def unknown_fields(m: BaseModel, origin: str) -> list[str]:
    """A warning for each field of ``m`` (a validated phenopacket, or part of one) and of the
    messages in it that is no phenopacket v2 field of its message (see the module docstring).

    Args:
        m: the validated model.
        origin: the file name, for the warnings.
    """
    out: list[str] = []
    _walk(m, "", origin, out)
    return out
