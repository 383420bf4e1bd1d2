"""A recogniser over the shipped fixture graph, read from its bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extraction import Dictionary, Recognizer


@pytest.fixture(scope="session")
def fixture_dictionary(fixture_kg: Path) -> Dictionary:
    """The fixture bundle's names (read through the store, like the CLI does)."""
    return Dictionary.from_bundle(fixture_kg, cache_dir=False)


@pytest.fixture()
def recognizer(fixture_dictionary: Dictionary) -> Recognizer:
    """A recogniser with the default settings over the fixture graph."""
    return Recognizer(fixture_dictionary)
