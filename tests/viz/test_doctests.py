"""The docstring examples of medkg_viz (pytest's --doctest-modules covers kg/ and reasoning/ only)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import medkg_viz


def test_medkg_viz_doctests(fixture_kg: Path) -> None:
    attempted = 0
    for info in pkgutil.iter_modules(medkg_viz.__path__, "medkg_viz."):
        result = doctest.testmod(importlib.import_module(info.name), optionflags=doctest.ELLIPSIS,
                                 extraglobs={"FIXTURE_KG": fixture_kg})
        assert result.failed == 0, info.name
        attempted += result.attempted
    assert attempted >= 15
