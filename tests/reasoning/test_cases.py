"""Cases from HPO ids and phenopackets: validation and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from kg.errors import InvalidCurieError
from reasoning import Case, case_from_hpo, load_phenopacket, parse_phenopacket
from reasoning.errors import EmptyCaseError, PhenopacketError

PACKET = {
    "id": "P1",
    "subject": {"id": "s", "sex": "FEMALE", "timeAtLastEncounter": {"age": {"iso8601duration": "P4Y6M"}}},
    "phenotypicFeatures": [
        {"type": {"id": "HP:0001166", "label": "Arachnodactyly"}},
        {"type": {"id": "HP:0001083"}},
        {"type": {"id": "HP:0001249"}, "excluded": True},
    ],
    "interpretations": [{"id": "i", "diagnosis": {"disease": {"id": "OMIM:154700", "label": "Marfan"}}}],
}


def test_phenopacket_fields() -> None:
    c = parse_phenopacket(PACKET, "p.json")
    assert c.present == ["HP:0001166", "HP:0001083"] and c.excluded == ["HP:0001249"]
    assert (c.sex, c.age_years, c.diagnoses, c.id) == ("female", 4.5, ["OMIM:154700"], "P1")


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda p: p["phenotypicFeatures"][1].pop("type"), "phenotypicFeatures[1].type"),
        (lambda p: p["phenotypicFeatures"][2].__setitem__("excluded", "maybe"), "phenotypicFeatures[2].excluded"),
        (lambda p: p.__setitem__("phenotypicFeatures", {"a": 1}), "phenotypicFeatures"),
        (lambda p: p["phenotypicFeatures"][0]["type"].__setitem__("id", "Arachnodactyly"),
         "phenotypicFeatures[0].type.id"),
    ],
)
def test_malformed_phenopacket_names_the_json_path(mutate, path: str) -> None:
    bad = json.loads(json.dumps(PACKET))
    mutate(bad)
    with pytest.raises(PhenopacketError) as e:
        parse_phenopacket(bad, "bad.json")
    assert str(e.value).startswith(f"bad.json: {path}")


def test_phenopacket_files(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(PACKET))
    assert load_phenopacket(good).present[0] == "HP:0001166"
    for name, content, msg in (
        ("latin1.json", b'{"id": "\xe9"}', "not UTF-8"),
        ("broken.json", b'{"id": ', "not JSON"),
        ("list.json", b"[1, 2]", "expected a JSON object"),
    ):
        f = tmp_path / name
        f.write_bytes(content)
        with pytest.raises(PhenopacketError, match=msg) as e:
            load_phenopacket(f)
        assert str(f) in str(e.value)
    with pytest.raises(PhenopacketError, match="cannot read"):
        load_phenopacket(tmp_path / "absent.json")


def test_empty_and_invalid_cases() -> None:
    with pytest.raises(EmptyCaseError):
        case_from_hpo([" ", ""], excluded=["HP:0001249"])
    with pytest.raises(EmptyCaseError, match="no observed"):
        parse_phenopacket({"phenotypicFeatures": [{"type": {"id": "HP:0001249"}, "excluded": True}]})
    with pytest.raises(InvalidCurieError, match="present phenotypes"):
        case_from_hpo(["HP:0001166", "'); DROP TABLE x; --"])
    c = case_from_hpo(["HP:0001166", "HP:0001166"], excluded=["HP:0001166", "HP:0001249"])
    assert c.present == ["HP:0001166"] and c.excluded == ["HP:0001249"]  # present wins


@pytest.mark.parametrize("age", [float("nan"), float("inf"), -5.0, 151.0])
def test_a_case_rejects_impossible_ages(age: float) -> None:
    with pytest.raises(ValidationError, match="age_years"):
        case_from_hpo(["HP:0001166"], age_years=age)
    with pytest.raises(ValidationError, match="age_years"):
        Case.model_validate({"present": ["HP:0001166"], "age_years": age})
    assert case_from_hpo(["HP:0001166"], age_years=150).age_years == 150


def test_a_phenopacket_age_over_the_limit_names_its_json_path() -> None:
    bad = json.loads(json.dumps(PACKET))
    bad["subject"]["timeAtLastEncounter"]["age"]["iso8601duration"] = "P200Y"
    with pytest.raises(PhenopacketError, match="bad.json: subject.timeAtLastEncounter.age.iso8601duration: .* 200 "):
        parse_phenopacket(bad, "bad.json")
