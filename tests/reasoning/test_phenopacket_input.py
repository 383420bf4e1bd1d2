"""Phenopacket JSON as protobuf reads it: strict JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasoning import load_phenopacket
from reasoning.errors import PhenopacketError

PACKET: dict[str, Any] = {
    "id": "p",
    "subject": {"sex": "FEMALE", "timeAtLastEncounter": {"age": {"iso8601duration": "P30Y"}}},
    "phenotypicFeatures": [{"type": {"id": "HP:0001166"}}, {"type": {"id": "HP:0001083"}},
                           {"type": {"id": "HP:0001249"}, "excluded": True}],
    "interpretations": [{"progressStatus": "IN_PROGRESS", "diagnosis": {"disease": {"id": "OMIM:154700"}}}],
    "medicalActions": [{"treatment": {"agent": {"id": "DrugBank:DB00678"}},
                        "adverseEvents": [{"id": "HP:0002315"}]}],
}


# 1. strict JSON


@pytest.mark.parametrize(("text", "path", "key"), [
    ('{"id": "p", "phenotypicFeatures": [], "phenotypicFeatures": [{"type": {"id": "HP:0001166"}}]}',
     "", "phenotypicFeatures"),
    ('{"phenotypicFeatures": [{"type": {"id": "HP:0001166"}}, {"type": {"id": "HP:0001083"}, "excluded": true, '
     '"excluded": false}]}', "phenotypicFeatures[1]", "excluded"),
])
def test_a_key_given_twice_is_an_error_naming_its_json_path(tmp_path: Path, text: str, path: str, key: str) -> None:
    """``json.loads`` keeps the last value of a repeated key silently: an excluded feature became
    present, an empty feature list replaced the real one. Protobuf's parsers refuse such input."""
    f = tmp_path / "p.json"
    f.write_text(text)
    where = f"{f}: {path}: " if path else f"{f}: "
    with pytest.raises(PhenopacketError) as e:
        load_phenopacket(f)
    assert str(e.value) == f"{where}the key {key!r} is given twice (a JSON object names each field once)"


def test_a_number_too_long_to_read_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    """Python refuses integers of over 4,300 digits with a ValueError, which stopped a whole
    folder run with a traceback."""
    f = tmp_path / "p.json"
    f.write_text(json.dumps(PACKET).replace('"sex": "FEMALE"', '"sex": ' + "9" * 5000))
    with pytest.raises(PhenopacketError, match=r"^.*p\.json: not JSON medkg can read: Exceeds the limit \(4300 digits\)"):
        load_phenopacket(f)
