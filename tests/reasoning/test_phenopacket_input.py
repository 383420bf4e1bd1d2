"""Phenopacket JSON as protobuf reads it: strict JSON, protobuf field names, and fields medkg does not know."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from reasoning import load_phenopacket, parse_phenopacket
from reasoning.cases import iter_phenopackets
from reasoning.errors import EmptyCaseError, PhenopacketError
from reasoning.phenopacket_json import MAX_PHENOPACKET_BYTES

PACKET: dict[str, Any] = {
    "id": "p",
    "subject": {"sex": "FEMALE", "timeAtLastEncounter": {"age": {"iso8601duration": "P30Y"}}},
    "phenotypicFeatures": [{"type": {"id": "HP:0001166"}}, {"type": {"id": "HP:0001083"}},
                           {"type": {"id": "HP:0001249"}, "excluded": True}],
    "interpretations": [{"progressStatus": "IN_PROGRESS", "diagnosis": {"disease": {"id": "OMIM:154700"}}}],
    "medicalActions": [{"treatment": {"agent": {"id": "DrugBank:DB00678"}},
                        "adverseEvents": [{"id": "HP:0002315"}]}],
}


def _proto_names(x: Any) -> Any:
    """``x`` with every key in its protobuf spelling (``time_at_last_encounter``)."""
    if isinstance(x, dict):
        return {re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", k).lower(): _proto_names(v) for k, v in x.items()}
    return [_proto_names(v) for v in x] if isinstance(x, list) else x


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


def test_a_lone_surrogate_is_an_error_naming_its_json_path(tmp_path: Path) -> None:
    """``"\\ud800"`` is half of a UTF-16 pair, no character: the case read, and writing it out
    (JSON, table or TSV) failed with a UnicodeEncodeError traceback. A pair is one character."""
    f = tmp_path / "p.json"
    f.write_text(json.dumps(PACKET).replace('"id": "p"', '"id": "p\\ud800"'))
    with pytest.raises(PhenopacketError) as e:
        load_phenopacket(f)
    assert str(e.value) == (f"{f}: id: 'p\\ud800' holds the lone surrogate \\ud800 (half of a UTF-16 pair, no "
                            "character): not Unicode text")
    f.write_text(json.dumps(PACKET).replace('"id": "p"', '"id": "p\\ud83d\\ude00"'))
    assert load_phenopacket(f).id == "p\U0001f600"


def test_a_file_over_16_mib_is_not_read(tmp_path: Path) -> None:
    """Reading JSON takes about 30 times the file's size in memory: a runaway file could take all
    of it and kill a folder run without a word. The limit is 250 times the largest dev file."""
    f = tmp_path / "p.json"
    text = json.dumps(PACKET)
    f.write_text(text + " " * (MAX_PHENOPACKET_BYTES - len(text)))
    assert load_phenopacket(f).present == ["HP:0001166", "HP:0001083"]
    f.write_text(text + " " * (MAX_PHENOPACKET_BYTES + 1 - len(text)))
    with pytest.raises(PhenopacketError, match=r"p\.json: over 16 MiB: not read \(a phenopacket is kilobytes\)$"):
        load_phenopacket(f)


# 2. protobuf field names


def test_protobuf_field_names_read_as_the_json_names() -> None:
    """Protobuf's JSON mapping accepts each field by its proto name too, and ``MessageToJson(...,
    preserving_proto_field_name=True)`` writes them; medkg used to drop them silently (the age,
    the drugs, an interpretation's status) or find no feature at all."""
    camel = parse_phenopacket(PACKET, "p.json")
    assert (camel.age_years, camel.drugs, camel.candidate_diagnoses) == (30.0, ["DRUGBANK:DB00678"], ["OMIM:154700"])
    assert parse_phenopacket(_proto_names(PACKET), "p.json") == camel
    mixed = json.loads(json.dumps(PACKET))
    mixed["subject"]["time_at_last_encounter"] = mixed["subject"].pop("timeAtLastEncounter")
    assert parse_phenopacket(mixed, "p.json").age_years == 30.0


def test_a_field_by_both_names_is_an_error() -> None:
    both = json.loads(json.dumps(PACKET))
    both["subject"]["time_at_last_encounter"] = {"age": {"iso8601duration": "P2Y"}}
    with pytest.raises(PhenopacketError, match=r"^p\.json: subject: timeAtLastEncounter and time_at_last_encounter "
                                               r"name the same field \(its JSON and protobuf names\): give it once$"):
        parse_phenopacket(both, "p.json")


def test_every_dev_phenopacket_reads_the_same_by_protobuf_names(data_dir: Path) -> None:
    files = sorted((data_dir / "phenopackets" / "dev").rglob("*.json"))[::40]
    assert len(files) > 50
    for f in files:
        packet = json.loads(f.read_text())
        assert parse_phenopacket(_proto_names(packet), "x") == parse_phenopacket(packet, "x"), f


# 3. fields that are no phenopacket v2 field


def test_a_misspelt_field_is_a_warning_naming_its_json_path_with_the_likely_field() -> None:
    """``exluded: true`` silently made an excluded feature present."""
    packet = json.loads(json.dumps(PACKET))
    packet["phenotypicFeatures"][1]["exluded"] = True
    c = parse_phenopacket(packet, "p.json")
    assert "HP:0001083" in c.present
    assert c.warnings == ["p.json: phenotypicFeatures[1].exluded is no field of a phenopacket v2 PhenotypicFeature "
                          "(did you mean excluded?): ignored"]


def test_phenopacket_v1_fields_are_a_warning_naming_the_v2_field() -> None:
    packet = json.loads(json.dumps(PACKET))
    packet["subject"] = {"ageAtCollection": {"age": "P3Y"}}
    packet["phenotypicFeatures"][0]["classOfOnset"] = {"id": "HP:0003577"}
    c = parse_phenopacket(packet, "p.json")
    assert c.age_years is None
    assert c.warnings[:2] == [
        "p.json: subject.ageAtCollection is phenopacket v1 (v2: subject.timeAtLastEncounter): not read",
        "p.json: phenotypicFeatures[0].classOfOnset is phenopacket v1 (v2: phenotypicFeatures[0].onset): not read"]


def test_no_dev_phenopacket_has_a_field_outside_phenopacket_v2(data_dir: Path) -> None:
    """The v2 fields medkg does not read (``metaData``, a feature's ``evidence``, ...) are no warning."""
    for f in sorted((data_dir / "phenopackets" / "dev").rglob("*.json"))[::10]:
        assert not [w for w in load_phenopacket(f).warnings if "field" in w or "v1" in w], f


def test_a_family_or_a_cohort_is_named_as_such() -> None:
    """Before: "the phenopacket has no observed phenotypic feature", for a proband with 3."""
    with pytest.raises(PhenopacketError, match=r"^f\.json: a GA4GH Family \(proband, relatives\), not a Phenopacket"):
        parse_phenopacket({"id": "f", "proband": PACKET, "relatives": []}, "f.json")
    with pytest.raises(PhenopacketError, match=r"^c\.json: a GA4GH Cohort \(members\), not a Phenopacket"):
        parse_phenopacket({"id": "c", "members": [PACKET]}, "c.json")
    with pytest.raises(EmptyCaseError, match=r"phenopacket is no field of a phenopacket v2 Phenopacket: ignored"):
        parse_phenopacket({"phenopacket": PACKET}, "w.json")


# 4. folders


def test_a_folder_follows_links_to_folders_once_and_lists_broken_links(tmp_path: Path) -> None:
    """A linked folder of cases was left out silently, and so was a link whose file is gone."""
    cases, other = tmp_path / "cases", tmp_path / "other"
    (cases / "sub").mkdir(parents=True)
    other.mkdir()
    for f in (cases / "a.json", cases / "sub" / "b.json", other / "c.json"):
        f.write_text(json.dumps(PACKET))
    (cases / "linked").symlink_to(other)
    (cases / "sub" / "loop").symlink_to(cases)  # read once, not forever
    (cases / "gone.json").symlink_to(tmp_path / "missing.json")
    (cases / "notes.txt").write_text("not a case")
    assert [p.relative_to(cases).as_posix() for p in iter_phenopackets(cases)] == [
        "a.json", "gone.json", "linked/c.json", "sub/b.json"]
    with pytest.raises(PhenopacketError, match=r"gone\.json: cannot read: No such file or directory"):
        load_phenopacket(cases / "gone.json")


def test_a_folder_leaves_out_hidden_files_and_folders(tmp_path: Path) -> None:
    """macOS's ``._a.json`` (AppleDouble metadata, not JSON) made a folder run fail with exit 1;
    hidden files and folders are left out, as ``medkg extract`` leaves them out."""
    cases = tmp_path / "cases"
    (cases / ".git").mkdir(parents=True)
    (cases / "sub").mkdir()
    for f in (cases / "a.json", cases / "sub" / "b.json", cases / ".draft.json", cases / ".git" / "c.json"):
        f.write_text(json.dumps(PACKET))
    (cases / "._a.json").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ")
    assert [p.relative_to(cases).as_posix() for p in iter_phenopackets(cases)] == ["a.json", "sub/b.json"]


# 5. ages


@pytest.mark.parametrize("duration", ["P3YTxyz", "P1YT", "P3Y5"])
def test_text_after_a_durations_last_unit_is_an_error(duration: str) -> None:
    """``P3YTxyz`` used to read as 3 years: anything after ``T`` was taken."""
    packet = {**PACKET, "subject": {"timeAtLastEncounter": {"age": {"iso8601duration": duration}}}}
    with pytest.raises(PhenopacketError, match=r"p\.json: subject\.timeAtLastEncounter\.age\.iso8601duration: not an "
                                               "ISO 8601 duration"):
        parse_phenopacket(packet, "p.json")


def test_a_durations_time_part_counts() -> None:
    """``PT36000H`` (4.1 years in hours) used to be age 0: the hours were ignored."""
    packet = {**PACKET, "subject": {"timeAtLastEncounter": {"age": {"iso8601duration": "PT36000H"}}}}
    assert parse_phenopacket(packet, "p.json").age_years == pytest.approx(36000 / 24 / 365.25)
    packet["subject"] = {"timeAtLastEncounter": {"age": {"iso8601duration": "P1Y2M3DT12H"}}}
    assert parse_phenopacket(packet, "p.json").age_years == pytest.approx(1 + 2 / 12 + 3.5 / 365.25)


@pytest.mark.parametrize(("subject", "path"), [
    ({"dateOfBirth": "2010-01-01T00:00:00Z", "timeAtLastEncounter": {"timestamp": 20200101}},
     "subject.timeAtLastEncounter.timestamp"),
    ({"dateOfBirth": 0, "timeAtLastEncounter": {"timestamp": "2020-01-01T00:00:00Z"}}, "subject.dateOfBirth"),
    ({"dateOfBirth": "2010-01-01T00:00:00Z", "timeAtLastEncounter": {"interval": {"end": "1600000000"}}},
     "subject.timeAtLastEncounter.interval.end"),
])
def test_a_timestamp_given_as_a_number_is_an_error(subject: dict, path: str) -> None:
    """A protobuf Timestamp is RFC 3339 text; a number was read as seconds since 1970, so
    ``20200101`` made a 10-year-old 0.64 years old (1970-08-22)."""
    with pytest.raises(PhenopacketError, match=rf"^p\.json: {re.escape(path)}: a timestamp is RFC 3339 text such as "
                                               r"2020-01-01T00:00:00Z, not a number: "):
        parse_phenopacket({**PACKET, "subject": subject}, "p.json")
    ok = {"dateOfBirth": "2010-01-01", "timeAtLastEncounter": {"timestamp": "2020-01-01T00:00:00Z"}}
    assert parse_phenopacket({**PACKET, "subject": ok}, "p.json").age_years == 9.9986

