"""The likelihood-ratio model's details, on the fixture graph."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from reasoning import case_from_hpo, diagnose, load_index
from reasoning.index import Annotation, DiagnosisIndex


@pytest.fixture(scope="module")
def ix(fixture_kg: Path) -> DiagnosisIndex:
    return load_index(fixture_kg)


def test_effective_frequency(ix: DiagnosisIndex) -> None:
    def ann(freq: float | None, label: str | None) -> Annotation:
        return Annotation(0, freq, label, False, None, "s", None, None)

    assert ix.effective_frequency(ann(1.0, "1/1")) == pytest.approx(2 / 3)  # one patient is not "always"
    assert ix.effective_frequency(ann(0.0, "0/3")) == pytest.approx(1 / 5)
    assert ix.effective_frequency(ann(0.895, "HP:0040281")) == 0.895  # frequency terms as given
    assert ix.effective_frequency(ann(None, None)) == ix.params.default_frequency
    assert ix.effective_frequency(ann(0.0, "0%")) == ix.params.min_frequency


def test_only_typical_features_count_when_absent(ix: DiagnosisIndex) -> None:
    d = diagnose(case_from_hpo(["HP:0001166"]), ix, namespace="OMIM")
    marfan = next(c for c in d.candidates if c.id == "OMIM:154700")
    missing = {e.disease_term for e in marfan.evidence if e.kind == "missing"}
    assert "HP:0002616" in missing  # 0.895 ≥ typical_frequency
    assert "HP:0000545" not in missing and "HP:0001083" not in missing  # 0.545: not typical


def test_exclusion_floor(ix: DiagnosisIndex) -> None:
    d = diagnose(case_from_hpo(["HP:0001166"], excluded=["HP:0001083"]), ix, namespace="OMIM")
    marfan = next(c for c in d.candidates if c.id == "OMIM:154700")
    ev = next(e for e in marfan.evidence if e.kind == "excluded")
    bg = ix.background[ix.ontology.index["HP:0001083"]]
    # 1 - 0.545 = 0.455 is below the floor: an excluded feature never counts more than the floor
    expected = math.log10(max(1 - 0.545, ix.params.exclusion_floor) / (1 - bg))
    assert ev.log10_lr == pytest.approx(expected, abs=1e-4)
