"""The compiled dictionary's on-disk cache: used when current, rebuilt when the
bundle changes, harmless when unreadable or unwritable."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from kg.bundle import Bundle
from kg.extraction import Dictionary, Recognizer
from kg.extraction import dictionary_cache as cache

TEXT = "Marfan syndrome (MFS) with spider-fingers and hypermobile joints; no myopia. Losartan was started."


def result(d: Dictionary) -> list[tuple]:
    return [(m.start, m.end, m.id, m.assertion, m.method) for m in Recognizer(d, overlap="all").extract(TEXT).entities]


@pytest.fixture()
def bundle(fixture_kg: Path, tmp_path: Path) -> Path:
    """A private copy of the fixture bundle (this test changes it)."""
    return Path(shutil.copytree(fixture_kg, tmp_path / "kg"))


def test_written_then_read_back_identical(bundle: Path, tmp_path: Path) -> None:
    first = Dictionary.from_bundle(bundle, cache_dir=tmp_path / "c")
    assert first.cache_status == "written"
    (f,) = (tmp_path / "c").iterdir()
    assert f.name.startswith("dictionary-") and f.suffix == ".marshal"
    again = Dictionary.from_bundle(bundle, cache_dir=tmp_path / "c")
    assert again.cache_status == "hit"
    assert len(again) == len(first) and again.types == first.types and again.labels == first.labels
    assert again.entries == first.entries and again.bag_pairs == first.bag_pairs
    assert result(again) == result(first) == result(Dictionary.from_bundle(bundle, cache_dir=False))


def test_off_reads_the_store(bundle: Path, tmp_path: Path) -> None:
    assert Dictionary.from_bundle(bundle, cache_dir=False).cache_status == "off"
    assert Recognizer.from_bundle(bundle, cache_dir=tmp_path / "c").dictionary.cache_status == "written"


def test_a_changed_bundle_invalidates_the_cache(bundle: Path, tmp_path: Path) -> None:
    c = tmp_path / "c"
    Dictionary.from_bundle(bundle, cache_dir=c)
    b = Bundle(bundle)
    m = b.manifest()
    m["built_at"] = "2099-01-01T00:00:00+00:00"  # what a rebuild or a merge (--into) does
    b.manifest_path.write_text(json.dumps(m), encoding="utf-8")
    assert Dictionary.from_bundle(bundle, cache_dir=c).cache_status == "written"
    assert Dictionary.from_bundle(bundle, cache_dir=c).cache_status == "hit"
    db = bundle / "ladybug.lbug"  # the database replaced with the manifest left alone
    st = db.stat()
    os.utime(db, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert Dictionary.from_bundle(bundle, cache_dir=c).cache_status == "written"
    assert len(list(c.iterdir())) == 1  # one file per bundle folder, replaced


def test_other_options_do_not_use_the_cached_dictionary(bundle: Path, tmp_path: Path) -> None:
    c = tmp_path / "c"
    Dictionary.from_bundle(bundle, cache_dir=c)
    everything = Dictionary.from_bundle(bundle, cache_dir=c, phenotype_roots=())
    assert everything.cache_status == "written"


def test_a_damaged_cache_file_is_rebuilt(bundle: Path, tmp_path: Path) -> None:
    c = tmp_path / "c"
    Dictionary.from_bundle(bundle, cache_dir=c)
    (f,) = c.iterdir()
    f.write_bytes(f.read_bytes()[:100])
    d = Dictionary.from_bundle(bundle, cache_dir=c)
    assert d.cache_status == "written" and result(d) == result(Dictionary.from_bundle(bundle, cache_dir=False))
    assert Dictionary.from_bundle(bundle, cache_dir=c).cache_status == "hit"


def test_an_unwritable_cache_folder_is_reported_not_fatal(bundle: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    d = Dictionary.from_bundle(bundle, cache_dir=blocker / "c")
    assert d.cache_status.startswith("not written: ")
    assert result(d) == result(Dictionary.from_bundle(bundle, cache_dir=False))


def test_fingerprint_needs_a_bundle(tmp_path: Path) -> None:
    from kg.errors import BundleError

    with pytest.raises(BundleError):
        cache.fingerprint(Bundle(tmp_path))
    with pytest.raises(BundleError):
        Dictionary.from_bundle(tmp_path, cache_dir=tmp_path / "c")
