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


OBSOLETE_OBO = OBO + """
[Term]
id: HP:0001505
name: obsolete Spider fingers
is_obsolete: true
replaced_by: HP:0001166

[Term]
id: HP:0004175
name: obsolete Periosteal new bone of middle phalanx of middle-finger
is_obsolete: true
consider: HP:0001166 ! Arachnodactyly

[Term]
id: HP:0031070
name: obsolete Femoral retroversion
is_obsolete: true

[Term]
id: HP:0008209
name: Premature ovarian insufficiency
alt_id: HP:0001587

[Term]
id: HP:0001587
name: obsolete Primary ovarian failure
is_obsolete: true
"""


def test_obsolete_terms_without_a_replacement_are_kept_with_their_consider_ids(tmp_path: Path) -> None:
    """An obsolete term with a replacement (its replaced_by, or a current term listing it as an
    alt_id) is an alt id of it; one without is an ObsoleteTerm node (HPO's name, the ids it
    suggests considering), which no annotation may name."""
    folder = _folder(tmp_path, "OMIM:154700")
    (folder / "hp.obo").write_text(OBSOLETE_OBO, encoding="utf-8")
    with (folder / "phenotype.hpoa").open("a", encoding="utf-8") as f:
        f.write("OMIM:154700\tSome disease\t\tHP:0031070\tPMID:1\tPCS\t\t1/2\t\t\tP\tHPO:x\n")
    data = hpo.load(folder=folder)
    nodes = {n.id: n for n in data.nodes}
    assert nodes["HP:0001166"].type.value == "PhenotypicFeature" and nodes["HP:0001166"].alt_ids == ("HP:0001505",)
    assert "HP:0001505" not in nodes and "HP:0001587" not in nodes
    assert nodes["HP:0008209"].alt_ids == ("HP:0001587",)
    gone = {i: (n.type.value, n.label, n.consider) for i, n in nodes.items() if n.type.value == "ObsoleteTerm"}
    assert gone == {
        "HP:0004175": ("ObsoleteTerm", "obsolete Periosteal new bone of middle phalanx of middle-finger",
                       ("HP:0001166",)),
        "HP:0031070": ("ObsoleteTerm", "obsolete Femoral retroversion", ()),
    }
    assert [e.object for e in data.edges if e.predicate.value == "HAS_PHENOTYPE"] == ["HP:0001166"]
    assert "skipped 1 annotations to HPO ids not current terms of hp.obo" in data.notes
    assert ("2 obsolete terms without a replacement (1 with ids to consider instead), kept as ObsoleteTerm nodes"
            in data.notes)
    assert "2 terms, 0 is_a edges" in data.notes
