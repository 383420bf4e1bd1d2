"""Drug names written with more than the drug: salt and ester forms (``sodium valproate``) and
combinations (``levodopa/carbidopa``), by name (``--drug``, phenopacket agent labels) and in text."""

from __future__ import annotations

from pathlib import Path

import pytest

from reasoning import case_from_text, load_index, parse_phenopacket
from reasoning.cases import Case
from reasoning.errors import UnknownDrugError
from reasoning.index import DiagnosisIndex
from reasoning.resolve import resolve_medication

DRUGS = {"nodes": [
    {"id": "DRUGBANK:DB00313", "type": "Drug", "label": "Valproic Acid", "synonyms": ["Valproate", "Epilim"]},
    {"id": "DRUGBANK:DB00295", "type": "Drug", "label": "Morphine"},
    {"id": "DRUGBANK:DB01235", "type": "Drug", "label": "L-DOPA", "synonyms": ["Levodopa"]},
    {"id": "DRUGBANK:DB00190", "type": "Drug", "label": "Carbidopa"},
    # two drugs that share a name: its salt form names both
    {"id": "DRUGBANK:DB09001", "type": "Drug", "label": "Exemplol", "synonyms": ["Twinol"]},
    {"id": "DRUGBANK:DB09002", "type": "Drug", "label": "Exemplane", "synonyms": ["Twinol"]},
    # a drug whose own name holds salt words: matched as it is
    {"id": "DRUGBANK:DB09003", "type": "Drug", "label": "Potassium chloride"},
]}


@pytest.fixture(scope="module")
def kg(tmp_path_factory: pytest.TempPathFactory, make_fixture_bundle) -> Path:
    return make_fixture_bundle(tmp_path_factory.mktemp("drug-names") / "kg", DRUGS)


@pytest.fixture(scope="module")
def ix(kg: Path) -> DiagnosisIndex:
    return load_index(kg)


def _resolved(ix: DiagnosisIndex, *drugs: str) -> tuple[list[str], list[str]]:
    case, warnings = resolve_medication(ix, Case(present=["HP:0001166"], drugs=list(drugs)))
    return case.drugs, warnings


@pytest.mark.parametrize("name", ["sodium valproate", "Valproate Sodium", "valproate semisodium",
                                  "Valproic acid sodium"])
def test_a_salt_form_names_the_base_drug(ix: DiagnosisIndex, name: str) -> None:
    assert ix.drugs_named(name) == ["DRUGBANK:DB00313"]
    drugs, warnings = _resolved(ix, name)
    assert drugs == ["DRUGBANK:DB00313"]
    assert any(w.startswith(f"drugs: {name!r} is the drug DRUGBANK:DB00313 (Valproic Acid), as a salt or ester "
                            "form of ") for w in warnings)


def test_salt_and_ester_words_either_side_and_several(ix: DiagnosisIndex) -> None:
    assert ix.drugs_named("morphine sulfate pentahydrate") == ["DRUGBANK:DB00295"]
    assert ix.drugs_named("L-DOPA HCl") == ["DRUGBANK:DB01235"]
    assert ix.drugs_named("potassium chloride") == ["DRUGBANK:DB09003"]  # a drug of its own, not a salt form
    assert ix.drugs_named("sodium chloride") == []  # salt words only: no base


def test_a_salt_form_of_a_shared_name_is_an_error_naming_both(ix: DiagnosisIndex) -> None:
    with pytest.raises(UnknownDrugError, match=r"Twinol sodium is the name of 2 drugs "
                                               r"\(DRUGBANK:DB09001, DRUGBANK:DB09002\): give the id"):
        _resolved(ix, "Twinol sodium")


def test_a_salt_form_of_no_drug_says_what_was_tried(ix: DiagnosisIndex) -> None:
    with pytest.raises(UnknownDrugError, match=r"lamotrigine sodium is not the name of a drug in the graph "
                                               r"\(nor is 'lamotrigine', without its salt or ester words\)"):
        _resolved(ix, "lamotrigine sodium")


@pytest.mark.parametrize("name", ["levodopa/carbidopa", "Levodopa + carbidopa", "L-DOPA / carbidopa"])
def test_a_combination_names_each_of_its_components(ix: DiagnosisIndex, name: str) -> None:
    drugs, warnings = _resolved(ix, name)
    assert drugs == ["DRUGBANK:DB01235", "DRUGBANK:DB00190"]
    assert (f"drugs: {name!r} is the combination of DRUGBANK:DB01235 (L-DOPA) + DRUGBANK:DB00190 (Carbidopa)"
            in warnings)


def test_a_combination_component_may_be_a_salt_form(ix: DiagnosisIndex) -> None:
    drugs, warnings = _resolved(ix, "levodopa/carbidopa monohydrate")
    assert drugs == ["DRUGBANK:DB01235", "DRUGBANK:DB00190"]
    assert ("drugs: 'levodopa/carbidopa monohydrate' is the combination of DRUGBANK:DB01235 (L-DOPA) + "
            "DRUGBANK:DB00190 (Carbidopa), as a salt or ester form of 'carbidopa'") in warnings


def test_a_combination_with_a_component_that_names_no_one_drug_is_an_error(ix: DiagnosisIndex) -> None:
    with pytest.raises(UnknownDrugError, match=r"sacubitril/levodopa is a combination whose component 'sacubitril' "
                                               r"is not the name of a drug in the graph"):
        _resolved(ix, "sacubitril/levodopa")
    with pytest.raises(UnknownDrugError, match=r"Twinol \+ levodopa is a combination whose component 'Twinol' is "
                                               r"the name of 2 drugs \(DRUGBANK:DB09001, DRUGBANK:DB09002\)"):
        _resolved(ix, "Twinol + levodopa")


def test_a_combination_stopped_or_with_reactions_applies_to_each_component(ix: DiagnosisIndex) -> None:
    packet = {"id": "p", "phenotypicFeatures": [{"type": {"id": "HP:0001166"}}], "medicalActions": [
        {"treatment": {"agent": {"id": "RxNorm:103990", "label": "Carbidopa / Levodopa"}},
         "adverseEvents": [{"id": "HP:0002315"}]}]}
    case = parse_phenopacket(packet, "p.json")
    resolved, warnings = resolve_medication(ix, case)
    assert resolved.drugs == ["DRUGBANK:DB00190", "DRUGBANK:DB01235"]
    assert {d: [e.id for e in es] for d, es in resolved.drug_reactions.items()} == {
        "DRUGBANK:DB00190": ["HP:0002315"], "DRUGBANK:DB01235": ["HP:0002315"]}
    assert resolved.origins["DRUGBANK:DB01235"] == resolved.origins["DRUGBANK:DB00190"]
    assert any("is the combination of DRUGBANK:DB00190 (Carbidopa) + DRUGBANK:DB01235 (L-DOPA)" in w
               for w in warnings)


def test_text_reads_a_salt_form_as_one_mention_of_the_drug(kg: Path) -> None:
    text = "Spider fingers. Medication: sodium valproate 500 mg, morphine sulfate, levodopa/carbidopa."
    case = case_from_text(text, kg)
    assert case.drugs == ["DRUGBANK:DB00313", "DRUGBANK:DB00295", "DRUGBANK:DB01235", "DRUGBANK:DB00190"]
    assert case.spans["DRUGBANK:DB00313"] == ["text[28:44] 'sodium valproate' (present, dictionary-synonym)"]
    assert case.spans["DRUGBANK:DB00295"] == ["text[53:69] 'morphine sulfate' (present, dictionary)"]
    serum = case_from_text("Spider fingers. Serum sodium, valproate level normal.", kg)
    assert serum.spans["DRUGBANK:DB00313"] == ["text[30:39] 'valproate' (present, dictionary-synonym)"]
