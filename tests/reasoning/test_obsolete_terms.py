"""Obsolete HPO terms without a replacement: kept by the graph, never a term of the ontology,
explained to the user with what HPO says about them (``--hpo``, ``--exclude``, conditions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reasoning import case_from_hpo, load_index
from reasoning.diagnose import diagnose
from reasoning.errors import UnknownConditionError, UnknownTermError
from reasoning.index import DiagnosisIndex
from reasoning.obsolete import ObsoleteTerm

PERIOSTEAL = "Periosteal new bone of middle phalanx of middle-finger"
CONSIDER = (f"HP:0004175 is obsolete in HPO 2025-01-16 ({PERIOSTEAL}); "
            "HPO suggests HP:0001167 (Abnormality of finger) instead")
NO_REPLACEMENT = "HP:0031070 is obsolete in HPO 2025-01-16 (Femoral retroversion), with no replacement"


@pytest.fixture(scope="module")
def ix(hpo_fixture_kg: Path) -> DiagnosisIndex:
    """The fixture graph as the real build names its HPO source (release HPO 2025-01-16)."""
    return load_index(hpo_fixture_kg)


def test_the_index_keeps_obsolete_terms_apart_from_the_ontology(ix: DiagnosisIndex) -> None:
    o = ix.ontology
    assert o.obsolete == {
        "HP:0031070": ObsoleteTerm("obsolete Femoral retroversion", ()),
        "HP:0004175": ObsoleteTerm(f"obsolete {PERIOSTEAL}", ("HP:0001167",)),
    }
    assert not set(o.obsolete) & (set(o.index) | set(o.replaced))  # no term, no alt id
    assert o.current("HP:0004175") is None and ix.info["hpo_release"] == "HPO 2025-01-16" and not ix.warnings
    assert len(o.ids) == 16  # the fixture's current HP terms, no more
    d = diagnose(case_from_hpo(["HP:0001166"]), ix, top_k=100)
    named = {i for c in d.candidates for i in c.ids} | {step for c in d.candidates for e in c.evidence
                                                        for step in (e.path or [])}
    assert named and not named & set(o.obsolete)  # no obsolete term is a candidate nor in any evidence


def test_an_obsolete_id_is_an_error_saying_what_hpo_suggests(ix: DiagnosisIndex) -> None:
    with pytest.raises(UnknownTermError) as e:
        diagnose(case_from_hpo(["HP:0004175", "HP:0001166"]), ix)
    assert str(e.value).startswith(f"{CONSIDER} (--lenient")
    with pytest.raises(UnknownTermError) as e:
        diagnose(case_from_hpo(["HP:0001166"], excluded=["HP:0031070", "HP:9999999"]), ix)
    assert str(e.value).startswith(f"not in the graph's HPO release 2025-01-16: HP:9999999; {NO_REPLACEMENT} (")


def test_lenient_skips_an_obsolete_id_with_that_warning_and_never_uses_the_suggestion(ix: DiagnosisIndex) -> None:
    d = diagnose(case_from_hpo(["HP:0004175", "HP:0001166"], excluded=["HP:0031070"]), ix, lenient=True)
    assert (d.case.present, d.case.excluded) == (["HP:0001166"], [])  # HP:0001167 is no replacement
    skipped = CONSIDER.replace("HP:0004175 is ", "")
    assert (f"skipped HP:0004175 ({skipped}), "
            f"HP:0031070 ({NO_REPLACEMENT.replace('HP:0031070 is ', '')})") in d.warnings


def test_an_obsolete_id_as_a_condition_or_drug_says_what_it_is(ix: DiagnosisIndex) -> None:
    with pytest.raises(UnknownConditionError, match="HP:0031070 is an obsolete HPO phenotype term, not a disease"):
        diagnose(case_from_hpo(["HP:0001166"], conditions=["HP:0031070"]), ix)


def test_without_an_hpo_source_the_release_is_not_named(fixture_kg: Path) -> None:
    """A graph whose phenotypes come from another source (the fixture's ``fixture_hpo``) records
    no HPO release: the messages say so rather than name one."""
    fix = load_index(fixture_kg)
    with pytest.raises(UnknownTermError) as e:
        diagnose(case_from_hpo(["HP:0004175", "HP:9999999", "HP:0001166"]), fix)
    assert str(e.value).startswith(
        f"not in the graph: HP:9999999; HP:0004175 is obsolete in the graph's HPO release ({PERIOSTEAL}); "
        "HPO suggests HP:0001167 (Abnormality of finger) instead (")


@pytest.fixture(scope="module")
def doid_ix(make_fixture_bundle, tmp_path_factory: pytest.TempPathFactory) -> DiagnosisIndex:
    """The fixture graph with a Disease Ontology term that took over an old id, and two obsolete
    DOIDs (one with an id to consider), as the Disease Ontology source writes them."""
    more = {"nodes": [
        {"id": "DOID:0001816", "type": "Disease", "label": "angiosarcoma", "alt_ids": ["DOID:267", "DOID:4508"]},
        {"id": "DOID:0050001", "type": "ObsoleteTerm", "label": "Actinomadura madurae infectious disease"},
        {"id": "DOID:9999", "type": "ObsoleteTerm", "label": "old Marfan", "consider": ["DOID:14323"]},
    ]}
    return load_index(make_fixture_bundle(tmp_path_factory.mktemp("doid") / "kg", more))


def test_an_alternative_disease_id_as_a_condition_is_replaced_with_a_note(doid_ix: DiagnosisIndex) -> None:
    d = diagnose(case_from_hpo(["HP:0001166"], conditions=["DOID:267"]), doid_ix)
    assert d.case.conditions == ["DOID:0001816"]
    assert "DOID:267 is an alternative id: replaced by DOID:0001816 (angiosarcoma)" in d.case.notes
    assert doid_ix.disease_alt_ids == {"DOID:267": "DOID:0001816", "DOID:4508": "DOID:0001816"}


def test_an_obsolete_disease_id_as_a_condition_says_so_and_what_to_consider(doid_ix: DiagnosisIndex) -> None:
    with pytest.raises(UnknownConditionError) as e:
        diagnose(case_from_hpo(["HP:0001166"], conditions=["DOID:0050001", "DOID:9999"]), doid_ix)
    assert str(e.value).startswith(
        "conditions: DOID:0050001 is obsolete (Actinomadura madurae infectious disease), with no replacement; "
        "conditions: DOID:9999 is obsolete (old Marfan); the ontology suggests DOID:14323 (Marfan syndrome) (")
    d = diagnose(case_from_hpo(["HP:0001166"], conditions=["DOID:9999"]), doid_ix, lenient=True)
    assert d.case.conditions == []
    assert ("skipped conditions DOID:9999: obsolete (old Marfan); the ontology suggests DOID:14323 (Marfan syndrome)"
            in d.warnings)
    assert "DOID:0050001" not in doid_ix.ontology.obsolete  # a disease id is no phenotype term
