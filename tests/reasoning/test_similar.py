"""Similar cases: a phenopacket library embedded with the fixture graph's phenotype vectors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from reasoning.cases import case_from_hpo, load_phenopacket
from reasoning.errors import CaseError
from reasoning.similar import CaseLibrary

LIBRARY = {
    "marfan_a": (["HP:0001166", "HP:0001083", "HP:0002616"], ["HP:0001382"], "OMIM:154700"),
    "marfan_b": (["HP:0001166", "HP:0000545", "HP:0001519"], [], "OMIM:154700"),
    "eds_c": (["HP:0001382", "HP:0000974"], ["HP:0001166"], "OMIM:130000"),
    "migraine_d": (["HP:0002315", "HP:0002321"], [], "DOID:6364"),
}


def write_phenopacket(path: Path, pid: str, present: list[str], excluded: list[str], dx: str) -> Path:
    feats = [{"type": {"id": t}} for t in present] + [{"type": {"id": t}, "excluded": True} for t in excluded]
    path.write_text(json.dumps({
        "id": pid, "phenotypicFeatures": feats,
        "interpretations": [{"id": "i", "diagnosis": {"disease": {"id": dx, "label": dx}}}],
    }))
    return path


@pytest.fixture(scope="module")
def library_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("library")
    (folder / "sub").mkdir()
    for i, (pid, (present, excluded, dx)) in enumerate(LIBRARY.items()):
        write_phenopacket(folder / ("sub" if i % 2 else "") / f"{pid}.json", pid, present, excluded, dx)
    return folder


@pytest.fixture(scope="module")
def library(library_dir: Path, embedded_kg: Path, embed_settings, embedder) -> CaseLibrary:
    return CaseLibrary.from_folder(library_dir, kg=embedded_kg, settings=embed_settings, embedder=embedder)


def test_marfan_like_case_finds_marfan_cases_with_shared_phenotypes(library: CaseLibrary) -> None:
    assert len(library.cases) == 4
    hits = library.search(case_from_hpo(["HP:0001166", "HP:0001083"], excluded=["HP:0000974"], case_id="q"), k=4)
    assert [h.id for h in hits[:2]] == ["marfan_a", "marfan_b"]
    assert hits[0].shared == ["HP:0001166", "HP:0001083"] and hits[0].labels["HP:0001083"] == "Ectopia lentis"
    assert hits[0].diagnoses == ["OMIM:154700"]
    assert hits[0].score > hits[-1].score
    eds = next(h for h in hits if h.id == "eds_c")
    assert set(eds.conflicts) == {"HP:0001166", "HP:0000974"}  # present here, excluded there and vice versa


def test_a_library_case_does_not_find_itself(library: CaseLibrary, library_dir: Path) -> None:
    case = load_phenopacket(library_dir / "marfan_a.json")
    hits = library.search(case, k=3)
    assert "marfan_a" not in [h.id for h in hits] and hits[0].id == "marfan_b"


def test_leave_one_out(library: CaseLibrary) -> None:
    # Each Marfan case finds the other; the EDS and migraine cases have no partner.
    assert library.leave_one_out(k=1) == 0.5


def test_vectors_are_those_of_the_stored_text_index(library: CaseLibrary, embedded_kg: Path) -> None:
    from kg.bundle import Bundle
    from kg.embeddings import load_stored_index

    stored = load_stored_index(Bundle(embedded_kg), "text", graph_fingerprint=None)
    row = stored.ids.index("HP:0001166")
    assert np.allclose(stored.index.reconstruct(np.array([row]))[0], library.vectors["HP:0001166"], atol=1e-5)


def test_bad_queries_and_libraries(library: CaseLibrary, tmp_path: Path, embedded_kg: Path) -> None:
    with pytest.raises(CaseError, match="none of its phenotypes is in the graph"):
        library.search(case_from_hpo(["HP:9999999"], case_id="x"))
    with pytest.raises(CaseError, match="k must be"):
        library.search(case_from_hpo(["HP:0001166"]), k=0)
    with pytest.raises(CaseError, match="no phenopacket"):
        CaseLibrary.from_folder(tmp_path, kg=embedded_kg)


def test_a_library_with_a_foreign_feature_id_reads_with_lenient(
    library_dir: Path, tmp_path: Path, embedded_kg: Path, embed_settings, embedder,
) -> None:
    """A library case with a mouse (MP) term fails the library, naming the file and JSON path,
    unless ``lenient``: then the term is skipped with a warning on that case."""
    import shutil

    folder = tmp_path / "lib"
    shutil.copytree(library_dir, folder)
    write_phenopacket(folder / "mouse.json", "mouse_e", ["HP:0001166", "MP:0000001"], [], "OMIM:154700")
    with pytest.raises(CaseError, match=r"mouse\.json.*phenotypicFeatures\[1\]\.type\.id.*'MP'"):
        CaseLibrary.from_folder(folder, kg=embedded_kg, settings=embed_settings, embedder=embedder)
    lib = CaseLibrary.from_folder(folder, kg=embedded_kg, settings=embed_settings, embedder=embedder, lenient=True)
    mouse = next(c for c in lib.cases if c.id == "mouse_e")
    assert mouse.present == ["HP:0001166"] and any("MP:0000001" in w for w in mouse.warnings)


def test_a_file_that_is_no_phenopacket_is_left_out_with_lenient(
    library_dir: Path, tmp_path: Path, embedded_kg: Path, embed_settings, embedder,
) -> None:
    """One unreadable library file is an error naming it; with ``lenient`` it is left out and
    listed (a 2,401-case library still answers), and an id the graph lacks is reported."""
    import shutil

    folder = tmp_path / "lib"
    shutil.copytree(library_dir, folder)
    (folder / "broken.json").write_text("{not json")
    with pytest.raises(CaseError, match=r"broken\.json.*not JSON"):
        CaseLibrary.from_folder(folder, kg=embedded_kg, settings=embed_settings, embedder=embedder)
    lib = CaseLibrary.from_folder(folder, kg=embedded_kg, settings=embed_settings, embedder=embedder, lenient=True)
    assert len(lib.cases) == len(LIBRARY) and len(lib.skipped) == 1 and "broken.json" in lib.skipped[0]
    assert lib.unknown_terms(case_from_hpo(["HP:0001166", "HP:9999999"])) == ["HP:9999999"]


def test_an_obsolete_id_is_reported_as_hpo_says_it(library: CaseLibrary) -> None:
    """An id with no vector: an obsolete HPO term is named as such, with what HPO suggests (never
    used in its place); an id the graph never had is "not in the graph"."""
    case = case_from_hpo(["HP:0001166", "HP:0004175", "HP:9999999"])
    assert library.unknown_terms(case) == ["HP:0004175", "HP:9999999"]
    error = library.unknown_error(case)
    assert error is not None and str(error).startswith(
        "not in the graph: HP:9999999; HP:0004175 is obsolete in the graph's HPO release (Periosteal new bone of "
        "middle phalanx of middle-finger); HPO suggests HP:0001167 (Abnormality of finger) instead (")
    assert library.unknown_error(case_from_hpo(["HP:0001166"])) is None
    assert str(library.unknown_error(case_from_hpo(["HP:0001505"]))).startswith(  # an alt id of Arachnodactyly
        "HP:0001505 is an obsolete or alternative id of HP:0001166 (Arachnodactyly), which medkg similar does "
        "not put in its place: give that id (")
