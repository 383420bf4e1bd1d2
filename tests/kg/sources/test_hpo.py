"""The HPO source on a custom folder (``hp.obo`` + ``phenotype.hpoa``): ids checked at load."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import SourceFormatError
from kg.sources import hpo

OBO = """format-version: 1.2
data-version: hp/releases/2025-01-16

[Term]
id: HP:0001166
name: Arachnodactyly
"""
HEADER = "#version: 2025-01-16\n" + "\t".join(hpo._HPOA_COLUMNS) + "\n"


def _folder(tmp_path: Path, *db_ids: str) -> Path:
    (tmp_path / "hp.obo").write_text(OBO, encoding="utf-8")
    rows = "".join(f"{d}\tSome disease\t\tHP:0001166\tPMID:1\tPCS\t\t1/2\t\t\tP\tHPO:x\n" for d in db_ids)
    (tmp_path / "phenotype.hpoa").write_text(HEADER + rows, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("bad", "why"), [
    ("OMIM:15470", r"malformed OMIM id 'OMIM:15470': expected 6 digits"),
    ("ORPHA:５５８", r"malformed ORPHA id 'ORPHA:５５８': .* non-ASCII character '５'"),
    ("OMIM 154700", r"not a CURIE"),
])
def test_a_malformed_database_id_names_file_and_line_at_load(tmp_path: Path, bad: str, why: str) -> None:
    folder = _folder(tmp_path, "OMIM:154700", bad)
    with pytest.raises(SourceFormatError, match=rf"phenotype\.hpoa, line 4: database_id: {why}"):
        hpo.load(folder=folder)


def test_database_ids_are_normalised(tmp_path: Path) -> None:
    data = hpo.load(folder=_folder(tmp_path, "omim:154700", "OMIM:PS154700", "ORPHA:558"))
    assert [n.id for n in data.nodes if n.type.value == "Disease"] == ["OMIM:154700", "OMIM:PS154700", "ORPHA:558"]
    assert [e.subject for e in data.edges if e.predicate.value == "HAS_PHENOTYPE"] == [
        "OMIM:154700", "OMIM:PS154700", "ORPHA:558"]
