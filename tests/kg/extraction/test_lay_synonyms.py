"""The curated everyday names of HPO terms (``kg/extraction/lay_synonyms.tsv``): each is recognised
as its term, through the graph's dictionary as well."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.errors import ExtractionError
from kg.extraction import Recognizer
from kg.extraction.dictionary import LAY_SYNONYMS_FILE, Dictionary, lay_synonyms, recognised_concepts


def _entries() -> list[tuple[str, str, str, str]]:
    rows = [line.split("\t") for line in LAY_SYNONYMS_FILE.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return [(i, label, name, source) for i, label, name, source in rows]


ENTRIES = _entries()


def test_the_table_is_read_whole() -> None:
    table = lay_synonyms()
    assert sorted((i, n) for i, names in table.items() for n in names) == sorted((i, n) for i, _l, n, _s in ENTRIES)
    assert len(ENTRIES) >= 10


@pytest.mark.parametrize("term,label,name,source", ENTRIES, ids=[e[2] for e in ENTRIES])
def test_each_lay_name_is_recognised_as_its_term(term: str, label: str, name: str, source: str) -> None:
    assert "https://" in source  # every name says where it is used
    rows = [(term, "PhenotypicFeature", label, []), ("HP:0000118", "PhenotypicFeature", "Phenotypic abnormality", [])]
    rec = Recognizer(Dictionary(recognised_concepts(rows, [(term, "HP:0000118")], ["HP:0000118"],
                                                    extra_synonyms=lay_synonyms())))
    text = f"Seen today. {name[:1].upper()}{name[1:]} for two weeks."
    got = [(m.text, m.id) for m in rec.extract(text).entities]
    assert got == [(f"{name[:1].upper()}{name[1:]}", term)]
    if name.isupper():  # an abbreviation is read in capitals only ("sob" is no finding)
        assert rec.extract(f"Seen today. {name.lower()} for two weeks.").entities == []


def test_the_graphs_dictionary_has_the_lay_names(make_fixture_bundle: Any, tmp_path: Path) -> None:
    more = {"nodes": [{"id": "HP:0000952", "type": "PhenotypicFeature", "label": "Jaundice", "synonyms": []}],
            "edges": [{"subject": "HP:0000952", "predicate": "SUBCLASS_OF", "object": "HP:0000118",
                       "evidence": "is_a"}]}
    kg = make_fixture_bundle(tmp_path / "kg", more=more)
    rec = Recognizer.from_bundle(kg, cache_dir=False)
    assert [(m.text, m.id) for m in rec.extract("Jaundiced and arachnodactyly.").entities] == [
        ("Jaundiced", "HP:0000952"), ("arachnodactyly", "HP:0001166")]


@pytest.mark.parametrize("line", ["HP:0000952\tJaundice\tjaundiced", "MONDO:0000001\tX\ty\thttps://a",
                                  "HP:0000952\tJaundice\t\thttps://a", "HP:0000952\tJaundice\tjaundiced\t "])
def test_a_malformed_table_line_is_an_error_naming_it(tmp_path: Path, line: str) -> None:
    table = tmp_path / "t.tsv"
    table.write_text(f"# comment\n{line}\n", encoding="utf-8")
    with pytest.raises(ExtractionError, match=rf"t\.tsv:2: expected an HPO id, its label, a name and a source"):
        lay_synonyms(table)


def test_an_unreadable_table_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError, match="cannot read the lay synonyms table"):
        lay_synonyms(tmp_path / "missing.tsv")
