"""Every loader fails clearly on broken input (copies/derivations of the real files)."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from kg.errors import ConfigError, SourceFileMissing, SourceFormatError
from kg.sources import (  # noqa: F401  (imported for registration)
    ddxplus,
    disease_ontology,
    drugcentral,
    hetionet,
    hsdn,
    pharmacotherapydb,
    sider,
)
from kg.sources.base import get_source

MINE = (
    "pharmacotherapydb",
    "drugcentral",
    "disease_ontology",
    "hsdn",
    "ddxplus",
    "hetionet",
    "sider",
)

TSV_FILES = {
    "pharmacotherapydb": "indications.tsv",
    "drugcentral": "indications.tsv",
    "hsdn": "symptoms-DO.tsv",
    "hetionet": "hetionet-v1.0-nodes.tsv",
}


def copy_source(name: str, data_dir: Path, dest: Path) -> Path:
    """Copy a source's folder into ``dest`` (writable) and return the copy."""
    subdir = get_source(name).subdir
    assert subdir
    out = dest / subdir
    out.mkdir(parents=True)
    for f in (data_dir / subdir).iterdir():
        shutil.copyfile(f, out / f.name)
    return out


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


@pytest.mark.parametrize("name", MINE)
def test_no_data_dir_is_a_config_error(name: str) -> None:
    with pytest.raises(ConfigError, match=rf"{name}.*data folder.*(--data-dir|MEDKG_DATA_DIR)"):
        get_source(name).load(None)


@pytest.mark.parametrize("name", MINE)
def test_missing_file_names_the_path(name: str, tmp_path: Path) -> None:
    (tmp_path / str(get_source(name).subdir)).mkdir()
    with pytest.raises(SourceFileMissing) as err:
        get_source(name).load(tmp_path)
    assert err.value.source == name
    assert str(tmp_path / str(get_source(name).subdir)) in str(err.value)


@pytest.mark.parametrize("name", sorted(TSV_FILES))
def test_truncated_tsv_names_file_and_line(name: str, data_dir: Path, tmp_path: Path) -> None:
    folder = copy_source(name, data_dir, tmp_path)
    path = folder / TSV_FILES[name]
    lines = lines_of(path)
    last = lines[-1]
    lines[-1] = last[: last.index(b"\t") + 3]  # cut mid-row, in the second field
    path.write_bytes(b"".join(lines))
    with pytest.raises(SourceFormatError) as err:
        get_source(name).load(tmp_path)
    msg = str(err.value)
    assert TSV_FILES[name] in msg
    assert f"line {len(lines)}" in msg
    assert err.value.line == len(lines)


@pytest.mark.parametrize("name", sorted(TSV_FILES))
def test_non_utf8_names_the_line(name: str, data_dir: Path, tmp_path: Path) -> None:
    folder = copy_source(name, data_dir, tmp_path)
    path = folder / TSV_FILES[name]
    lines = lines_of(path)
    lines[9] = lines[9].replace(b"\t", b"\xff\t", 1)  # line 10
    path.write_bytes(b"".join(lines))
    with pytest.raises(SourceFormatError, match=rf"{TSV_FILES[name]}, line 10: not UTF-8"):
        get_source(name).load(tmp_path)


def test_unknown_pharmacotherapydb_category(data_dir: Path, tmp_path: Path) -> None:
    folder = copy_source("pharmacotherapydb", data_dir, tmp_path)
    path = folder / "indications.tsv"
    lines = lines_of(path)
    assert b"\tNOT\t" in lines[41]
    lines[41] = lines[41].replace(b"\tNOT\t", b"\tMAYBE\t")  # line 42
    path.write_bytes(b"".join(lines))
    with pytest.raises(SourceFormatError) as err:
        pharmacotherapydb.load(tmp_path)
    assert err.value.line == 42
    assert "indications.tsv, line 42: unknown category 'MAYBE'" in str(err.value)


def test_missing_column(data_dir: Path, tmp_path: Path) -> None:
    folder = copy_source("hsdn", data_dir, tmp_path)
    path = folder / "symptoms-DO.tsv"
    lines = lines_of(path)
    lines[0] = lines[0].replace(b"tfidf_score", b"score")
    path.write_bytes(b"".join(lines))
    with pytest.raises(SourceFormatError, match=r"symptoms-DO\.tsv, line 1: missing column"):
        hsdn.load(tmp_path)


def test_bad_hsdn_score_names_the_line(data_dir: Path, tmp_path: Path) -> None:
    folder = copy_source("hsdn", data_dir, tmp_path)
    path = folder / "symptoms-DO.tsv"
    lines = lines_of(path)
    f = lines[4].split(b"\t")
    f[3] = b"n/a"
    lines[4] = b"\t".join(f)
    path.write_bytes(b"".join(lines))
    with pytest.raises(SourceFormatError, match=r"line 5: expected a number, got 'n/a'"):
        hsdn.load(tmp_path)


def test_malformed_ddxplus_json(data_dir: Path, tmp_path: Path) -> None:
    folder = copy_source("ddxplus", data_dir, tmp_path)
    path = folder / "release_conditions.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")  # truncated JSON
    with pytest.raises(SourceFormatError, match=r"conditions\.json, line \d+: invalid JSON"):
        ddxplus.load(tmp_path)


def test_ddxplus_unknown_evidence_code(data_dir: Path, tmp_path: Path) -> None:
    folder = copy_source("ddxplus", data_dir, tmp_path)
    path = folder / "release_conditions.json"
    conditions = json.loads(path.read_text(encoding="utf-8"))
    conditions["Pneumonia"]["symptoms"]["E_9999"] = {}
    path.write_text(json.dumps(conditions), encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"unknown evidence code 'E_9999'"):
        ddxplus.load(tmp_path)


def test_ddxplus_wrong_structure(data_dir: Path, tmp_path: Path) -> None:
    folder = copy_source("ddxplus", data_dir, tmp_path)
    (folder / "release_evidences.json").write_text("[1, 2, 3]", encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"evidences\.json: top level: expected a JSON obj"):
        ddxplus.load(tmp_path)


def test_malformed_obo_names_the_line(data_dir: Path, tmp_path: Path) -> None:
    folder = copy_source("disease_ontology", data_dir, tmp_path)
    path = folder / "HumanDO.obo"
    lines = lines_of(path)
    n = next(i for i, line in enumerate(lines) if line.startswith(b"name: Alzheimer's disease"))
    lines[n] = b"this line has no tag\n"
    path.write_bytes(b"".join(lines))
    with pytest.raises(SourceFormatError) as err:
        disease_ontology.load(tmp_path)
    assert err.value.line == n + 1
    assert f"HumanDO.obo, line {n + 1}" in str(err.value)


def test_sider_truncated_row_in_gzip(data_dir: Path, tmp_path: Path) -> None:
    folder = copy_source("sider", data_dir, tmp_path)
    path = folder / "meddra_freq.tsv.gz"
    with gzip.open(data_dir / "sider4" / "meddra_freq.tsv.gz", "rb") as fh:
        lines = fh.read().splitlines(keepends=True)[:200]
    lines[-1] = lines[-1][:30]
    with gzip.open(path, "wb") as fh:
        fh.write(b"".join(lines))
    with pytest.raises(SourceFormatError) as err:
        sider.load(tmp_path)
    assert "meddra_freq.tsv.gz, line 200: expected 10 tab-separated fields" in str(err.value)


def test_sider_cut_gzip_stream(data_dir: Path, tmp_path: Path) -> None:
    folder = copy_source("sider", data_dir, tmp_path)
    path = folder / "meddra_all_se.tsv.gz"
    path.write_bytes(path.read_bytes()[:50_000])  # compressed stream ends early
    with pytest.raises(SourceFormatError, match=r"meddra_all_se\.tsv\.gz: cannot read file"):
        sider.load(tmp_path)


def test_sider_bad_stitch_id(data_dir: Path, tmp_path: Path) -> None:
    folder = copy_source("sider", data_dir, tmp_path)
    path = folder / "meddra_all_se.tsv.gz"
    with gzip.open(data_dir / "sider4" / "meddra_all_se.tsv.gz", "rb") as fh:
        lines = fh.read().splitlines(keepends=True)[:100]
    lines[1] = lines[1].replace(b"CID100000085", b"aspirin", 1)
    with gzip.open(path, "wb") as fh:
        fh.write(b"".join(lines))
    with pytest.raises(SourceFormatError, match=r"all_se\.tsv\.gz, line 2: expected a STITCH id"):
        sider.load(tmp_path)


@pytest.mark.parametrize(("drug", "disease", "bad"), [("BAR", "DOID:10652", "DRUGBANK:BAR"),
                                                      ("DB00843", "FOO", "DOID:FOO")])
def test_malformed_pharmacotherapydb_id_names_file_and_line(data_dir: Path, tmp_path: Path, drug: str,
                                                            disease: str, bad: str) -> None:
    folder = copy_source("pharmacotherapydb", data_dir, tmp_path)
    path = folder / "indications.tsv"
    lines = lines_of(path)
    header = lines[0].decode().rstrip("\n").split("\t")
    f = lines[6].decode().rstrip("\n").split("\t")
    f[header.index("doid_id")], f[header.index("drugbank_id")] = disease, drug
    lines[6] = ("\t".join(f) + "\n").encode()  # line 7
    path.write_bytes(b"".join(lines))
    with pytest.raises(SourceFormatError, match=rf"indications\.tsv, line 7: bad drug or disease id: "
                                                rf"malformed \w+ id '{bad}'"):
        pharmacotherapydb.load(tmp_path)


def test_ddxplus_empty_files_are_errors(data_dir: Path, tmp_path: Path) -> None:
    folder = copy_source("ddxplus", data_dir, tmp_path)
    (folder / "release_conditions.json").write_text("{}", encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"release_conditions\.json: no conditions \(an empty JSON object\)"):
        ddxplus.load(tmp_path)
    (folder / "release_evidences.json").write_text("{}", encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"no conditions"):
        ddxplus.load(tmp_path)
