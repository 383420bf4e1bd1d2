"""Output folders are checked before long work: a clear error naming the folder, nothing left behind."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from kg.errors import ConfigError, NotWritableError
from kg.writable import check_writable


def _refuse(**_kw: object) -> str:
    raise PermissionError(1, "Operation not permitted")


def test_a_writable_folder_passes_and_keeps_nothing(tmp_path: Path) -> None:
    check_writable(tmp_path)
    check_writable(tmp_path / "new" / "deeper")  # created later by the writer
    assert list(tmp_path.iterdir()) == []


def test_a_file_in_the_way_is_named(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("")
    with pytest.raises(NotWritableError, match=r"cannot write .*blocker/kg: .*blocker is not a folder"):
        check_writable(tmp_path / "blocker" / "kg")


def test_a_refused_folder_gives_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kg.writable.tempfile", SimpleNamespace(mkdtemp=_refuse))
    with pytest.raises(NotWritableError, match=rf"cannot write {tmp_path}: Operation not permitted$"):
        check_writable(tmp_path)
    with pytest.raises(ConfigError, match=rf"cannot write {tmp_path}/a/b: Operation not permitted "
                                          rf"\(creating folders in {tmp_path}\)"):
        check_writable(tmp_path / "a" / "b")


def test_must_exist(tmp_path: Path) -> None:
    with pytest.raises(NotWritableError, match="no such folder"):
        check_writable(tmp_path / "gone", must_exist=True)
