"""What of a phenopacket v2 becomes the case: treatments, lenient ids, ages, diagnoses, file names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasoning import diagnose, load_index, load_phenopacket, parse_phenopacket, treat
from reasoning.cases import iter_phenopackets
from reasoning.errors import EmptyCaseError, PhenopacketError, UnknownDrugError

FEATURES = [{"type": {"id": "HP:0001166"}}, {"type": {"id": "HP:0002321"}}, {"type": {"id": "HP:0001083"}}]


def _packet(**extra: Any) -> dict[str, Any]:
    return {"id": "p", "phenotypicFeatures": json.loads(json.dumps(FEATURES)), **extra}


def _agent(drug_id: str, label: str | None = None, **action: Any) -> dict[str, Any]:
    agent = {"id": drug_id, **({"label": label} if label else {})}
    return {"treatment": {"agent": agent}, **action}


# 1. medicalActions


def test_treatment_agents_are_the_case_drugs_and_flagged_already_taking(fixture_kg: Path) -> None:
    c = parse_phenopacket(_packet(medicalActions=[_agent("DrugBank:DB00678", "Losartan")]), "p.json")
    assert c.drugs == ["DRUGBANK:DB00678"]
    assert c.origins["DRUGBANK:DB00678"] == "p.json: medicalActions[0].treatment.agent.id"
    ix = load_index(fixture_kg)
    d = diagnose(c, ix, namespace="OMIM")
    marfan = next(p for p in treat(d, kg=ix).diseases if p.disease == "OMIM:154700")
    losartan = next(t for t in marfan.treatments if t.drug == "DRUGBANK:DB00678")
    assert [f.detail for f in losartan.flags if f.kind == "already_taking"] == ["the case already takes Losartan (DRUGBANK:DB00678)"]


def test_a_treatments_adverse_events_flag_its_drug(fixture_kg: Path) -> None:
    """The patient's own reactions to a drug are the drug's flags, by the drug's graph id (an RxNorm
    agent read by its label too); those of an action that is no drug are only noted."""
    headache = [{"id": "HP:0002315", "label": "Headache"}, {"id": "MEDDRA:10019211"}]
    acts = [_agent("RxNorm:52175", "Losartan", adverseEvents=headache,
                   treatmentTerminationReason={"id": "NCIT:C41331", "label": "Adverse Event"}),
            {"procedure": {"code": {"id": "NCIT:C51585"}}, "adverseEvents": [{"id": "HP:0001945"}]}]
    c = parse_phenopacket(_packet(medicalActions=acts), "p.json")
    assert [(e.id, e.origin) for e in c.drug_reactions["Losartan"]] == [
        ("HP:0002315", "p.json: medicalActions[0].adverseEvents[0]"),
        ("MEDDRA:10019211", "p.json: medicalActions[0].adverseEvents[1]")]
    assert "p.json: medicalActions[1].adverseEvents: HP:0001945: not a drug's: noted, not used" in c.notes
    ix = load_index(fixture_kg)
    marfan = next(p for p in treat(diagnose(c, ix, namespace="OMIM"), kg=ix).diseases if p.disease == "OMIM:154700")
    losartan = next(t for t in marfan.treatments if t.drug == "DRUGBANK:DB00678")
    assert [f.detail for f in losartan.flags if f.kind == "adverse_event_in_case"] == [
        "the case had HP:0002315 Headache on Losartan (DRUGBANK:DB00678) (p.json: medicalActions[0].adverseEvents[0])",
        "the case had MEDDRA:10019211 on Losartan (DRUGBANK:DB00678) (p.json: medicalActions[0].adverseEvents[1])"]
    others = [f.kind for t in marfan.treatments if t.drug != "DRUGBANK:DB00678" for f in t.flags]
    assert "adverse_event_in_case" not in others
    # the case round-trips through JSON with its reactions
    assert type(c).model_validate_json(c.model_dump_json()) == c


def test_a_stopped_treatment_counts_as_taken(fixture_kg: Path) -> None:
    ended = {"doseIntervals": [{"interval": {"start": "2019-01-01T00:00:00Z", "end": "2020-01-01T00:00:00Z"}}]}
    acts = [_agent("DrugBank:DB00678", treatmentTerminationReason={"id": "NCIT:C41331", "label": "Adverse Event"}),
            {"treatment": {"agent": {"id": "DB00571"}, **ended}}]
    c = parse_phenopacket(_packet(medicalActions=acts), "p.json")
    assert c.drugs == c.drugs_stopped == ["DRUGBANK:DB00678", "DRUGBANK:DB00571"]
    assert any("medicalActions[1]: DRUGBANK:DB00571 was stopped (its dose intervals ended by 2020-01-01)" in n
               for n in c.notes)
    ix = load_index(fixture_kg)
    marfan = next(p for p in treat(diagnose(c, ix, namespace="OMIM"), kg=ix).diseases if p.disease == "OMIM:154700")
    flags = {t.drug: [f.detail for f in t.flags if f.kind == "already_taking"] for t in marfan.treatments}
    assert flags["DRUGBANK:DB00678"] == ["the case took Losartan (DRUGBANK:DB00678) (stopped)"]
    # the same drug in a treatment still going on is taken, not stopped
    acts.append(_agent("drugbank:db00678"))
    assert parse_phenopacket(_packet(medicalActions=acts)).drugs_stopped == ["DRUGBANK:DB00571"]


def test_an_unknown_drugbank_agent_is_an_error_naming_its_json_path_unless_lenient(fixture_kg: Path) -> None:
    c = parse_phenopacket(_packet(medicalActions=[_agent("DrugBank:DB00678"), _agent("DrugBank:DB99999")]), "p.json")
    with pytest.raises(UnknownDrugError, match=r"drugs \(p\.json: medicalActions\[1\]\.treatment\.agent\.id\): "
                                               "DRUGBANK:DB99999 is not a drug in the graph"):
        diagnose(c, fixture_kg)
    d = diagnose(c, fixture_kg, lenient=True)
    assert d.case.drugs == ["DRUGBANK:DB00678"]
    assert any("p.json: medicalActions[1].treatment.agent.id" in w and "DB99999" in w for w in d.warnings)


def test_an_agent_of_another_vocabulary_is_looked_up_by_label_and_else_a_warning(fixture_kg: Path) -> None:
    acts = [_agent("RxNorm:8787", "Propranolol"), _agent("CHEBI:12345", "Nodrugname"), _agent("RxNorm:1"),
            {"procedure": {"code": {"id": "NCIT:C51585", "label": "Biopsy"}}}]
    c = parse_phenopacket(_packet(medicalActions=acts), "p.json")
    assert c.drugs == ["Propranolol", "Nodrugname"]
    assert c.warnings == ["p.json: medicalActions[2].treatment.agent.id: 'RxNorm:1' is not a DrugBank id and the "
                          "agent has no label: not read as a drug"]
    assert "p.json: medicalActions[3] is a procedure, not a drug: not read" in c.notes
    d = diagnose(c, fixture_kg)  # no error without --lenient: only a warning naming the JSON path
    assert d.case.drugs == ["DRUGBANK:DB00571"]
    assert any(w.startswith("skipped drugs (p.json: medicalActions[1].treatment.agent.label) Nodrugname")
               for w in d.warnings)


def test_a_treatment_without_an_agent_is_malformed() -> None:
    with pytest.raises(PhenopacketError, match=r"p\.json: medicalActions\[0\]\.treatment\.agent: Field required"):
        parse_phenopacket(_packet(medicalActions=[{"treatment": {}}]), "p.json")


# 2. --lenient


def test_feature_ids_with_an_unknown_prefix_are_skipped_when_lenient(tmp_path: Path) -> None:
    packet = _packet()
    packet["phenotypicFeatures"].insert(1, {"type": {"id": "MP:0000001"}})
    packet["phenotypicFeatures"].append({"type": {"id": "Arachnodactyly"}, "excluded": True})
    with pytest.raises(PhenopacketError, match=r"^p\.json: phenotypicFeatures\[1\]\.type\.id: unknown CURIE prefix"):
        parse_phenopacket(packet, "p.json")
    c = parse_phenopacket(packet, "p.json", lenient=True)
    assert c.present == ["HP:0001166", "HP:0002321", "HP:0001083"] and c.excluded == []
    assert [w.split(": ", 2)[1] for w in c.warnings] == ["phenotypicFeatures[1].type.id",
                                                         "phenotypicFeatures[4].type.id"]
    f = tmp_path / "p.json"
    f.write_text(json.dumps(packet))
    assert load_phenopacket(f, lenient=True).present == c.present
    # nothing left: empty, saying what was skipped; malformed: an error even when lenient
    with pytest.raises(EmptyCaseError, match="MP:0000001"):
        parse_phenopacket({"phenotypicFeatures": [{"type": {"id": "MP:0000001"}}]}, lenient=True)
    with pytest.raises(PhenopacketError, match=r"phenotypicFeatures\[0\]\.type\.id: Field required"):
        parse_phenopacket({"phenotypicFeatures": [{"type": {"label": "x"}}]}, lenient=True)


def test_unknown_phenotypes_name_their_json_path(fixture_kg: Path) -> None:
    packet = _packet()
    packet["phenotypicFeatures"].append({"type": {"id": "HP:9999999"}})
    c = parse_phenopacket(packet, "p.json")
    with pytest.raises(Exception, match=r"HP:9999999 at p\.json: phenotypicFeatures\[3\]\.type\.id"):
        diagnose(c, fixture_kg)
    assert any("HP:9999999 at p.json: phenotypicFeatures[3].type.id" in w
               for w in diagnose(c, fixture_kg, lenient=True).warnings)


# 3. ages


@pytest.mark.parametrize(("time", "age", "message"), [
    ({"age": {"iso8601duration": "P4Y6M"}}, 4.5, None),
    ({"ageRange": {"start": {"iso8601duration": "P30Y"}, "end": {"iso8601duration": "P35Y"}}}, 32.5,
     "ageRange: P30Y to P35Y: age 32.5 years, the midpoint"),
    ({"ageRange": {"start": {"iso8601duration": "P30Y"}}}, None, "ageRange: an age range needs a start and an end"),
    ({"gestationalAge": {"weeks": 22, "days": 2}}, 0.0, "gestationalAge: 22 weeks 2 days of gestation"),
    ({"ontologyClass": {"id": "HP:0003577", "label": "Congenital onset"}}, 0.0, "ontologyClass: HP:0003577"),
    ({"ontologyClass": {"id": "HP:0011463"}}, 3.0, "ontologyClass: HP:0011463 is 1 to 5 years"),
    ({"ontologyClass": {"id": "HP:0003581", "label": "Adult onset"}}, None, "16 years or later"),
    ({"ontologyClass": {"id": "NCIT:C1234"}}, None, "not an HPO onset term with a closed age range"),
    ({"timestamp": "2020-01-01T00:00:00Z"}, None, "timestamp: a timestamp gives no age without subject.dateOfBirth"),
    ({"interval": {"start": "2020-01-01T00:00:00Z"}}, None, "interval.end: an interval without an end"),
    ({}, None, "an empty time element"),
])
def test_every_time_element_form_gives_an_age_or_a_warning(time: dict, age: float | None, message: str | None) -> None:
    c = parse_phenopacket(_packet(subject={"timeAtLastEncounter": time}), "p.json")
    assert c.age_years == age
    said = c.notes if age is not None else c.warnings
    if message is None:
        assert not said
    else:
        assert len(said) == 1 and said[0].startswith("p.json: subject.timeAtLastEncounter") and message in said[0]


def test_a_timestamp_with_a_date_of_birth_is_an_age() -> None:
    subject = {"dateOfBirth": "2000-01-01T00:00:00Z", "timeAtLastEncounter": {"timestamp": "2010-01-01T12:00:00Z"}}
    assert parse_phenopacket(_packet(subject=subject)).age_years == pytest.approx(10, abs=0.01)
    subject["timeAtLastEncounter"] = {"timestamp": "1990-01-01T00:00:00Z"}  # before birth
    c = parse_phenopacket(_packet(subject=subject), "p.json")
    assert c.age_years is None and "after subject.dateOfBirth" in c.warnings[0]


@pytest.mark.parametrize(("time", "message"), [
    ({"age": {"iso8601duration": "P3Y"}, "gestationalAge": {"weeks": 3}}, "holds one of"),
    ({"ageRange": {"start": {"iso8601duration": "P35Y"}, "end": {"iso8601duration": "P30Y"}}}, "starts (P35Y)"),
    ({"ageRange": {"start": {"iso8601duration": "P3Y"}, "end": {"iso8601duration": "3 years"}}}, "ISO 8601"),
    ({"gestationalAge": {"weeks": -1}}, "greater than or equal to 0"),
    ({"gestationalAge": {"weeks": 500}}, "less than or equal to 45"),  # was read as age 0
])
def test_a_malformed_time_element_is_an_error(time: dict, message: str) -> None:
    with pytest.raises(PhenopacketError, match=r"^p\.json: subject\.timeAtLastEncounter") as e:
        parse_phenopacket(_packet(subject={"timeAtLastEncounter": time}), "p.json")
    assert message in str(e.value)


def test_a_medical_action_of_two_forms_is_an_error() -> None:
    """A medical action is one of procedure, treatment, radiation therapy, regimen (a protobuf
    ``oneof``): one holding two is malformed, not read as its treatment with the rest ignored."""
    action = {**_agent("DrugBank:DB00678"), "procedure": {"code": {"id": "NCIT:C15189", "label": "Biopsy"}}}
    with pytest.raises(PhenopacketError, match=r"^p\.json: medicalActions\[0\].*holds one of .*procedure and treatment"):
        parse_phenopacket(_packet(medicalActions=[action]), "p.json")


# 4. progressStatus


@pytest.mark.parametrize(("status", "diagnosis"), [
    ("SOLVED", True), ("COMPLETED", True), (None, True), ("UNKNOWN_PROGRESS", True), (3, True), ("solved", True),
    ("IN_PROGRESS", False), ("UNSOLVED", False), ("CANDIDATE", False), (1, False),
])
def test_only_a_solved_interpretation_is_a_known_diagnosis(status: str | int | None, diagnosis: bool) -> None:
    interp = {"id": "i", "diagnosis": {"disease": {"id": "OMIM:609192"}}}
    if status is not None:
        interp["progressStatus"] = status
    c = parse_phenopacket(_packet(interpretations=[interp]), "p.json")
    assert (c.diagnoses, c.candidate_diagnoses) == ((["OMIM:609192"], []) if diagnosis else ([], ["OMIM:609192"]))
    if status == "CANDIDATE":  # not a ProgressStatus: said
        assert c.warnings and c.warnings[0].startswith("p.json: interpretations[0].progressStatus is CANDIDATE")


def test_a_disease_stated_elsewhere_stays_a_diagnosis() -> None:
    interps = [{"progressStatus": "SOLVED", "diagnosis": {"disease": {"id": "OMIM:154700"}}},
               {"progressStatus": "IN_PROGRESS", "diagnosis": {"disease": {"id": "OMIM:609192"}}},
               {"progressStatus": "UNSOLVED", "diagnosis": {"disease": {"id": "OMIM:121050"}}}]
    c = parse_phenopacket(_packet(interpretations=interps, diseases=[{"term": {"id": "OMIM:121050"}}]))
    assert (c.diagnoses, c.candidate_diagnoses) == (["OMIM:154700", "OMIM:121050"], ["OMIM:609192"])
    # the notes say what became of each: no note calls a diagnosis a candidate
    assert c.notes == [
        "<phenopacket>: interpretations[1].progressStatus is IN_PROGRESS: OMIM:609192 is a candidate, not a known "
        "diagnosis",
        "<phenopacket>: interpretations[2].progressStatus is UNSOLVED: OMIM:121050 is a diagnosis elsewhere in the file"]


# 5. file names


def test_a_folder_lists_json_files_whatever_the_suffix_case(tmp_path: Path) -> None:
    for name in ("a.json", "B.JSON", "sub/c.Json", "notes.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("{}")
    assert [p.relative_to(tmp_path).as_posix() for p in iter_phenopackets(tmp_path)] == [
        "B.JSON", "a.json", "sub/c.Json"]


def test_an_agent_label_shaped_as_an_id_is_read_in_the_spelling_of_the_case_drugs() -> None:
    """A label that is an id of an unknown vocabulary is a warning naming its JSON path (it was an
    InvalidCurieError naming neither file nor path), and one that is a DrugBank accession is spelt
    as the case's drugs spell it, so that it is still stopped and looked up leniently."""
    acts = [_agent("RxNorm:1", "ATC:C07AA05"), _agent("MESH:D011433", "ATC:C07AA05"),
            _agent("RxNorm:2", "DB00571", treatmentTerminationReason={"id": "NCIT:C41331"})]
    c = parse_phenopacket(_packet(medicalActions=acts), "p.json")
    assert c.drugs == ["MESH:D011433", "DRUGBANK:DB00571"]
    assert c.drugs_stopped == ["DRUGBANK:DB00571"] and c.drugs_if_known == c.drugs
    assert c.origins["DRUGBANK:DB00571"] == "p.json: medicalActions[2].treatment.agent.label"
    assert c.origins["MESH:D011433"] == "p.json: medicalActions[1].treatment.agent.id"
    assert [w.split(" is ")[0] for w in c.warnings] == [
        "p.json: medicalActions[0].treatment.agent.label: 'ATC:C07AA05'",
        "p.json: medicalActions[0].treatment.agent.id: 'RxNorm:1'",
        "p.json: medicalActions[1].treatment.agent.label: 'ATC:C07AA05'"]


# 6. feature onsets, severity and modifiers; the subject's vital status


def _feature(**fields: Any) -> dict[str, Any]:
    p = _packet()
    p["phenotypicFeatures"][1].update(fields)
    return p


@pytest.mark.parametrize(("fields", "path", "message"), [
    ({"onset": "nonsense"}, r"phenotypicFeatures\[1\]\.onset", "valid dictionary"),
    ({"onset": {"age": {"iso8601duration": "three years"}}}, r"phenotypicFeatures\[1\]\.onset\.age\.iso8601duration",
     "ISO 8601"),
    ({"resolution": {"age": {"iso8601duration": "P3Y"}, "ontologyClass": {"id": "HP:0003577"}}},
     r"phenotypicFeatures\[1\]\.resolution", "holds one of"),
    ({"severity": {"label": "Severe"}}, r"phenotypicFeatures\[1\]\.severity\.id", "Field required"),
    ({"modifiers": {"id": "HP:0012832"}}, r"phenotypicFeatures\[1\]\.modifiers", "valid list"),
])
def test_a_malformed_feature_onset_severity_or_modifier_is_an_error(fields: dict, path: str, message: str) -> None:
    with pytest.raises(PhenopacketError, match=rf"^p\.json: {path}: ") as e:
        parse_phenopacket(_feature(**fields), "p.json")
    assert message in str(e.value)


def test_observed_features_keep_their_onsets_as_given() -> None:
    p = _packet()
    p["phenotypicFeatures"][0]["onset"] = {"ontologyClass": {"id": "HP:0003577", "label": "Congenital onset"}}
    p["phenotypicFeatures"][2]["onset"] = {"age": {"iso8601duration": "P3Y"}}
    p["phenotypicFeatures"].append({"type": {"id": "HP:0000545"}, "excluded": True,
                                    "onset": {"age": {"iso8601duration": "P1Y"}}})
    c = parse_phenopacket(p, "p.json")
    assert c.onsets == {"HP:0001166": "HP:0003577 (Congenital onset)", "HP:0001083": "P3Y"}
    assert c.age_years is None and not c.warnings  # a feature's onset is not the case's age


@pytest.mark.parametrize(("status", "message"), [
    ({"status": "DEAD"}, r"subject\.vitalStatus\.status: Input should be 'UNKNOWN_STATUS', 'ALIVE' or 'DECEASED'"),
    ({"status": "DECEASED", "survivalTimeInDays": -3}, r"subject\.vitalStatus\.survivalTimeInDays: .*greater than"),
    ({"status": "DECEASED", "causeOfDeath": "heart"}, r"subject\.vitalStatus\.causeOfDeath: "),
    ({"status": "DECEASED", "timeOfDeath": {"age": {"iso8601duration": "P200Y"}}},
     r"subject\.vitalStatus\.timeOfDeath\.age\.iso8601duration: .*more than 150 years"),
])
def test_a_malformed_vital_status_is_an_error(status: dict, message: str) -> None:
    with pytest.raises(PhenopacketError, match=rf"^p\.json: {message}"):
        parse_phenopacket(_packet(subject={"vitalStatus": status}), "p.json")


def test_a_deceased_subject_is_a_note_and_without_a_last_encounter_as_old_as_at_death() -> None:
    vital = {"status": 2, "timeOfDeath": {"age": {"iso8601duration": "P4Y6M"}},
             "causeOfDeath": {"id": "MONDO:0005021", "label": "cardiomyopathy"}}
    c = parse_phenopacket(_packet(subject={"vitalStatus": vital}), "p.json")
    assert c.age_years == 4.5
    assert c.notes == ["p.json: subject.vitalStatus: the patient died at 4.5 years of MONDO:0005021 (cardiomyopathy)",
                       "p.json: the age is the age at death (subject.vitalStatus.timeOfDeath): the phenopacket gives "
                       "no subject.timeAtLastEncounter"]
    # with a last encounter, that is the age; one after death is a warning
    c = parse_phenopacket(_packet(subject={"vitalStatus": vital, "timeAtLastEncounter": {
        "age": {"iso8601duration": "P6Y"}}}), "p.json")
    assert c.age_years == 6.0
    assert c.warnings == ["p.json: subject.timeAtLastEncounter (6 years) is after subject.vitalStatus.timeOfDeath "
                          "(4.5 years)"]
    # a death without a time or cause is still a note
    c = parse_phenopacket(_packet(subject={"vitalStatus": {"status": "deceased"}}), "p.json")
    assert c.notes == ["p.json: subject.vitalStatus: the patient died"] and c.age_years is None


def test_a_cause_of_death_for_a_living_subject_is_a_warning() -> None:
    c = parse_phenopacket(_packet(subject={"vitalStatus": {"status": "ALIVE", "causeOfDeath": {"id": "MONDO:1"}}}),
                          "p.json")
    assert c.warnings == ["p.json: subject.vitalStatus: causeOfDeath given for a subject whose status is ALIVE, "
                          "not DECEASED: ignored"]
    assert not c.notes
