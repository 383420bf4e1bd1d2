"""The on-disk diagnosis-index cache: a hit gives the same differential, anything that changes
the index (the bundle, the parameters, the code) or makes the file untrustworthy rebuilds it."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from kg.bundle import Bundle
from kg.bundle_cache import fingerprint as bundle_fingerprint
from reasoning import ScoringParams, case_from_hpo, diagnose, load_index
from reasoning import index_cache as cache
from reasoning.index import DiagnosisIndex

CASE = ["HP:0001166", "HP:0001083"]


@pytest.fixture()
def bundle(tmp_path: Path, fixture_kg: Path) -> Path:
    """A private copy of the fixture bundle (tests change it)."""
    return Path(shutil.copytree(fixture_kg, tmp_path / "kg"))


def _ranking(ix: DiagnosisIndex) -> list[tuple[str, float, list[str]]]:
    d = diagnose(case_from_hpo(CASE), ix, top_k=5)
    return [(c.id, c.probability, [(e.kind, e.case_term, e.disease_term, e.log10_lr) for e in c.evidence]) for c in d.candidates]


def test_a_hit_gives_the_same_differential(bundle: Path, tmp_path: Path) -> None:
    built = DiagnosisIndex.from_bundle(bundle, cache_dir=tmp_path / "c")
    hit = DiagnosisIndex.from_bundle(bundle, cache_dir=tmp_path / "c")
    fresh = DiagnosisIndex.from_bundle(bundle, cache_dir=False)
    assert (built.cache_status, hit.cache_status, fresh.cache_status) == ("written", "hit", "off")
    assert _ranking(hit) == _ranking(fresh) == _ranking(built)
    assert hit.info == fresh.info
    assert hit.annotations == fresh.annotations and hit.flat == fresh.flat
    shared = [a for anns in hit.annotations for a in anns if a.stated_for]
    assert shared and shared == [a for anns in fresh.annotations for a in anns if a.stated_for]
    assert list((tmp_path / "c").iterdir()) == [cache.cache_file(tmp_path / "c", Bundle(bundle))]


def test_the_file_is_private_to_its_owner(bundle: Path, tmp_path: Path) -> None:
    DiagnosisIndex.from_bundle(bundle, cache_dir=tmp_path / "c")
    (file,) = (tmp_path / "c").iterdir()
    assert file.stat().st_mode & 0o777 == 0o600


def test_a_rebuilt_bundle_is_not_read_from_the_old_file(tmp_path: Path, make_fixture_bundle) -> None:
    kg = make_fixture_bundle(tmp_path / "kg")
    DiagnosisIndex.from_bundle(kg, cache_dir=tmp_path / "c")
    # the same folder rebuilt with one more disease annotated with the case's terms
    more = {"nodes": [{"id": "OMIM:999999", "type": "Disease", "label": "New syndrome", "synonyms": []}],
            "edges": [{"subject": "OMIM:999999", "predicate": "HAS_PHENOTYPE", "object": t, "frequency": 0.5,
                       "negated": False} for t in CASE]}
    make_fixture_bundle(tmp_path / "kg", more)
    ix = DiagnosisIndex.from_bundle(kg, cache_dir=tmp_path / "c")
    assert ix.cache_status == "written (stale)"
    assert "OMIM:999999" in ix.disease_ids


def test_other_parameters_are_another_index(bundle: Path, tmp_path: Path) -> None:
    DiagnosisIndex.from_bundle(bundle, cache_dir=tmp_path / "c")
    other = DiagnosisIndex.from_bundle(bundle, ScoringParams(noise=0.1), cache_dir=tmp_path / "c")
    assert other.cache_status == "written (stale)"
    assert other.params.noise == 0.1


def test_changed_code_changes_the_fingerprint(bundle: Path, tmp_path: Path) -> None:
    code = tmp_path / "scoring.py"
    code.write_text("W = 1\n")
    before = bundle_fingerprint(Bundle(bundle), 1, "", [code])
    code.write_text("W = 2\n")
    assert bundle_fingerprint(Bundle(bundle), 1, "", [code]) != before
    assert cache.fingerprint(Bundle(bundle), ScoringParams()) == cache.fingerprint(Bundle(bundle), ScoringParams())


def test_a_damaged_file_is_rebuilt(bundle: Path, tmp_path: Path) -> None:
    DiagnosisIndex.from_bundle(bundle, cache_dir=tmp_path / "c")
    (file,) = (tmp_path / "c").iterdir()
    data = file.read_bytes()
    file.write_bytes(data[: len(data) // 2])  # cut short, header intact
    ix = DiagnosisIndex.from_bundle(bundle, cache_dir=tmp_path / "c")
    assert ix.cache_status.startswith("written (unreadable (")
    assert _ranking(ix) == _ranking(DiagnosisIndex.from_bundle(bundle, cache_dir=False))
    assert DiagnosisIndex.from_bundle(bundle, cache_dir=tmp_path / "c").cache_status == "hit"


def test_a_file_holding_something_else_is_not_used(bundle: Path, tmp_path: Path) -> None:
    DiagnosisIndex.from_bundle(bundle, cache_dir=tmp_path / "c")
    (file,) = (tmp_path / "c").iterdir()
    header = file.read_bytes().split(b"\n", 1)[0] + b"\n"
    file.write_bytes(header + pickle.dumps({"not": "an index"}))
    assert DiagnosisIndex.from_bundle(bundle, cache_dir=tmp_path / "c").cache_status == \
        "written (unreadable (holds a dict))"


def test_a_file_others_may_write_is_not_unpickled(bundle: Path, tmp_path: Path) -> None:
    DiagnosisIndex.from_bundle(bundle, cache_dir=tmp_path / "c")
    (file,) = (tmp_path / "c").iterdir()
    fp = file.read_bytes().split(b"\n", 1)[0]
    # a planted pickle that would create a marker file when unpickled
    marker = tmp_path / "ran"

    class Plant:
        def __reduce__(self) -> tuple[object, ...]:
            return (Path.touch, (marker,))

    file.write_bytes(fp + b"\n" + pickle.dumps(Plant()))
    os.chmod(file, 0o666)
    ix = DiagnosisIndex.from_bundle(bundle, cache_dir=tmp_path / "c")
    assert ix.cache_status == f"written ({file} is writable by other users)"
    assert not marker.exists()
    assert file.stat().st_mode & 0o777 == 0o600  # replaced by a private file


def test_an_unwritable_cache_folder_is_reported_not_fatal(bundle: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    ix = DiagnosisIndex.from_bundle(bundle, cache_dir=blocked / "c")
    assert ix.cache_status.startswith("not written: ")
    assert _ranking(ix) == _ranking(DiagnosisIndex.from_bundle(bundle, cache_dir=False))


def test_only_the_most_recently_used_files_are_kept(tmp_path: Path, make_fixture_bundle) -> None:
    folder = tmp_path / "c"
    kgs = [make_fixture_bundle(tmp_path / f"kg{i}") for i in range(cache.KEEP + 1)]
    for kg in kgs:
        DiagnosisIndex.from_bundle(kg, cache_dir=folder)
    kept = {p.name for p in folder.iterdir()}
    assert kept == {cache.cache_file(folder, Bundle(kg)).name for kg in kgs[1:]}
    # reading an index marks it used: the oldest of the rest goes next
    first_kept = kgs[1]
    os.utime(cache.cache_file(folder, Bundle(first_kept)), ns=(1, 1))
    assert DiagnosisIndex.from_bundle(first_kept, cache_dir=folder).cache_status == "hit"
    DiagnosisIndex.from_bundle(kgs[0], cache_dir=folder)
    assert cache.cache_file(folder, Bundle(first_kept)).exists()
    assert not cache.cache_file(folder, Bundle(kgs[2])).exists()


def test_load_index_uses_the_cache_folder_it_is_given(bundle: Path, tmp_path: Path) -> None:
    ix = load_index(bundle, cache_dir=tmp_path / "mine")
    assert ix.cache_status == "written"
    assert cache.cache_file(tmp_path / "mine", Bundle(bundle)).exists()


def test_the_default_cache_folder_follows_xdg_cache_home(bundle: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert DiagnosisIndex.from_bundle(bundle).cache_status == "written"
    assert cache.cache_file(tmp_path / "xdg" / "medkg" / "index", Bundle(bundle)).exists()
