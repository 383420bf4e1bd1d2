"""Cases from HPO ids and phenopackets: validation and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from kg.errors import InvalidCurieError
from reasoning import Case, case_from_hpo, diagnose, load_phenopacket, parse_phenopacket
from reasoning.cases import with_medication
from reasoning.errors import CaseError, EmptyCaseError, PhenopacketError

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
    assert c.present == ["HP:0001166"] and c.excluded == ["HP:0001249"]  # present wins, and says so
    assert c.warnings == ["HP:0001166 is both present and excluded: counted as present"]


def test_ids_given_as_one_string_or_not_as_text_are_a_clear_error() -> None:
    """A caller passing one id as a string used to get "not a CURIE: 'H'" (the string was read
    letter by letter), and a number or None an AttributeError or TypeError."""
    with pytest.raises(CaseError, match=r"^present phenotypes: give a list of ids, not one string \('HP:0001166'\)"):
        case_from_hpo("HP:0001166")
    with pytest.raises(CaseError, match=r"^excluded phenotypes: give a list of ids, not one string"):
        case_from_hpo(["HP:0001166"], excluded="HP:0001083")
    with pytest.raises(CaseError, match=r"^present phenotypes: 1166 is not an id \(ids are text"):
        case_from_hpo(["HP:0001166", 1166])
    with pytest.raises(CaseError, match=r"^present phenotypes: give a list of ids, got NoneType"):
        case_from_hpo(None)
    with pytest.raises(CaseError, match=r"^allergies: give a list of ids, not one string \('DB00335'\)"):
        with_medication(case_from_hpo(["HP:0001166"]), allergies="DB00335")
    with pytest.raises(CaseError, match=r"^sex: Input should be .* \(got 'M'\)"):
        case_from_hpo(["HP:0001166"], sex="M")
    assert case_from_hpo(("HP:0001166",), excluded=iter(["HP:0001083"])).excluded == ["HP:0001083"]


def test_drug_ids_are_normalised_and_names_kept() -> None:
    c = case_from_hpo(["HP:0001166"], drugs=["db00678", "DRUGBANK:DB00678"],
                      allergies=["drugbank:db01235", "DB00268", "L-DOPA"])
    assert c.drugs == ["DRUGBANK:DB00678"]
    assert c.allergies == ["DRUGBANK:DB01235", "DRUGBANK:DB00268", "L-DOPA"]
    with pytest.raises(InvalidCurieError, match="allergies: unknown CURIE prefix 'RXNORM'"):
        case_from_hpo(["HP:0001166"], allergies=["RXNORM:123"])
    more = with_medication(c, drugs=["Metformin"], allergies=["db01235"])
    assert more.drugs == ["DRUGBANK:DB00678", "Metformin"] and more.allergies == c.allergies


def _packet(**changes) -> dict:
    bad = json.loads(json.dumps(PACKET))
    for path, value in changes.items():
        *where, last = path.split(".")
        d = bad
        for k in where:
            d = d[int(k)] if k.isdigit() else d[k]
        if value is None:
            del d[last]
        else:
            d[last] = value
    return bad


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    [
        ({"phenotypicFeatures.2.excluded": "yes"}, "phenotypicFeatures[2].excluded", "valid boolean"),
        ({"phenotypicFeatures.0.excluded": 1}, "phenotypicFeatures[0].excluded", "valid boolean"),
        ({"subject.timeAtLastEncounter.age.iso8601duration": "33 years"},
         "subject.timeAtLastEncounter.age.iso8601duration", "not an ISO 8601 duration such as P33Y6M: '33 years'"),
        ({"subject.timeAtLastEncounter.age.iso8601duration": "P999Y"},
         "subject.timeAtLastEncounter.age.iso8601duration", "'P999Y' is more than 150 years"),
        ({"subject.sex": "M"}, "subject.sex", "'UNKNOWN_SEX', 'FEMALE', 'MALE' or 'OTHER_SEX'"),
        ({"subject.sex": 7}, "subject.sex", "'UNKNOWN_SEX', 'FEMALE', 'MALE' or 'OTHER_SEX'"),
        ({"phenotypicFeatures.2.negated": False}, "phenotypicFeatures[2].negated", "false contradicts excluded: true"),
        ({"phenotypicFeatures.0.negated": "true"}, "phenotypicFeatures[0].negated", "valid boolean"),
    ],
)
def test_phenopacket_values_are_checked(changes: dict, path: str, message: str) -> None:
    with pytest.raises(PhenopacketError) as e:
        parse_phenopacket(_packet(**changes), "bad.json")
    assert str(e.value).startswith(f"bad.json: {path}: ") and message in str(e.value)


@pytest.mark.parametrize(("sex", "expected"), [("OTHER_SEX", "other"), ("UNKNOWN_SEX", "unknown"), ("male", "male"),
                                               (2, "male"), (None, None)])
def test_phenopacket_sex(sex, expected) -> None:
    assert parse_phenopacket(_packet(**{"subject.sex": sex})).sex == expected


def test_v1_negated_feature_counts_as_excluded_with_a_warning(fixture_kg: Path) -> None:
    c = parse_phenopacket(_packet(**{"phenotypicFeatures.1.negated": True}), "v1.json")
    assert (c.present, c.excluded) == (["HP:0001166"], ["HP:0001083", "HP:0001249"])
    warning = ("v1.json: phenotypicFeatures[1].negated is phenopacket v1: HP:0001083 counted as excluded "
               "(v2 says excluded: true)")
    assert c.warnings == [warning]
    assert warning in diagnose(c, fixture_kg).warnings
    # negated with the same value as excluded is no contradiction (and no warning)
    c = parse_phenopacket(_packet(**{"phenotypicFeatures.2.negated": True, "phenotypicFeatures.0.negated": False}))
    assert (c.present, c.excluded, c.warnings) == (["HP:0001166", "HP:0001083"], ["HP:0001249"], [])


@pytest.mark.parametrize("age", [float("nan"), float("inf"), -5.0, 151.0])
def test_a_case_rejects_impossible_ages(age: float) -> None:
    with pytest.raises(CaseError, match=r"^age_years: .* \(got "):  # a MedKGError, naming the field and value
        case_from_hpo(["HP:0001166"], age_years=age)
    with pytest.raises(ValidationError, match="age_years"):
        Case.model_validate({"present": ["HP:0001166"], "age_years": age})
    assert case_from_hpo(["HP:0001166"], age_years=150).age_years == 150


def test_a_byte_order_mark_is_read_and_deep_nesting_is_a_clear_error(tmp_path: Path) -> None:
    f = tmp_path / "bom.json"
    f.write_bytes(b"\xef\xbb\xbf" + json.dumps(PACKET).encode())
    assert load_phenopacket(f).present == ["HP:0001166", "HP:0001083"]
    f.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(PhenopacketError, match="nested too deeply"):
        load_phenopacket(f)


def test_null_excluded_is_false_and_a_diagnosis_of_another_vocabulary_is_kept_with_a_warning() -> None:
    """Diagnoses only score benchmarks: one in a vocabulary medkg does not know (MONDO, which
    GA4GH recommends) is kept as written with a warning naming its JSON path, and one that is
    no id at all is left out with a warning; either way the case is still ranked."""
    packet = json.loads(json.dumps(PACKET))
    packet["phenotypicFeatures"][1]["excluded"] = None
    assert parse_phenopacket(packet).present == ["HP:0001166", "HP:0001083"]
    packet["interpretations"][0]["diagnosis"]["disease"]["id"] = "MONDO:0007947"
    case = parse_phenopacket(packet, "p.json")
    assert case.diagnoses == ["MONDO:0007947"] and case.present == ["HP:0001166", "HP:0001083"]
    assert any(w.startswith("p.json: interpretations[0].diagnosis.disease.id: unknown CURIE prefix 'MONDO'")
               and w.endswith("kept as written (diagnoses are not used for ranking)") for w in case.warnings)
    packet["interpretations"][0]["diagnosis"]["disease"]["id"] = "Marfan"
    case = parse_phenopacket(packet, "p.json")
    assert case.diagnoses == [] and any(w.endswith("left out") and "Marfan" in w for w in case.warnings)


def test_a_case_built_directly_has_canonical_ids() -> None:
    """``Case(...)`` spells ids as ``case_from_hpo`` does, so a lower-case HPO id is not
    reported as 'not an HPO term'; what is no known CURIE is kept for diagnose to report."""
    from reasoning import Case

    c = Case(present=["hp:0001166", "HP:0001166", "foo"], drugs=["db00678", "Losartan"], conditions=["omim:154700"])
    assert c.present == ["HP:0001166", "foo"] and c.drugs == ["DRUGBANK:DB00678", "Losartan"]
    assert c.conditions == ["OMIM:154700"]
