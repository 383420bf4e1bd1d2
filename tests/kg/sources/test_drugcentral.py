"""DrugCentral loader on the real ``drugcentral/indications.tsv``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kg.model import NodeType, Predicate, SourceData
from kg.sources import drugcentral
from kg.sources.base import get_source


@pytest.fixture(scope="module")
def data(data_dir: Path) -> SourceData:
    """The source loaded from the real data folder."""
    return get_source("drugcentral").load(data_dir)


def test_registered() -> None:
    spec = get_source("drugcentral")
    assert spec.loader is drugcentral.load
    assert spec.default and spec.subdir == "drugcentral"


def test_counts(data: SourceData, check) -> None:
    nodes, edges = check(data)
    # 671 rows: 359 DM -> TREATS, 77 SYM -> PALLIATES, 210 uncategorised (no physician
    # reviewed them) -> INDICATED_FOR, 25 NOT skipped.
    by_pred = Counter(e.predicate for e in edges)
    assert by_pred == {Predicate.TREATS: 359, Predicate.PALLIATES: 77, Predicate.INDICATED_FOR: 210}
    assert all(e.evidence == "DrugCentral indication" for e in edges if e.predicate is Predicate.INDICATED_FOR)
    assert all("category=DM" in (e.evidence or "") for e in edges if e.predicate is Predicate.TREATS)
    assert data.notes[0].startswith("359 TREATS, 77 PALLIATES, 210 INDICATED_FOR edges")
    assert any("skipped 25 rows" in n for n in data.notes)
    assert 400 < sum(1 for n in nodes.values() if n.type is NodeType.DRUG) < 500
    assert 50 < sum(1 for n in nodes.values() if n.type is NodeType.DISEASE) < 100


def test_known_edges(data: SourceData, check, index) -> None:
    nodes, edges = check(data)
    idx = index(edges)
    donepezil = idx[("DRUGBANK:DB00843", "TREATS", "DOID:10652")]
    assert donepezil.evidence == "DrugCentral indication; PharmacotherapyDB category=DM"
    assert donepezil.source == "drugcentral"
    # unreviewed row (empty category): Carbimazole for Graves' disease is a label
    # indication, not a claim that it is disease-modifying
    carbimazole = idx[("DRUGBANK:DB00389", "INDICATED_FOR", "DOID:12361")]
    assert carbimazole.evidence == "DrugCentral indication"
    assert ("DRUGBANK:DB00389", "TREATS", "DOID:12361") not in idx
    assert nodes["DRUGBANK:DB00389"].label == "Carbimazole"
    # the audit's case: morphine, dopamine and norepinephrine are label indications for
    # Parkinson disease, L-DOPA is symptomatic (SYM); none of them is TREATS
    parkinson = {k[0]: k[1] for k in idx if k[2] == "DOID:14330"}
    assert {parkinson[d] for d in ("DRUGBANK:DB00295", "DRUGBANK:DB00988", "DRUGBANK:DB00368")} == {"INDICATED_FOR"}
    assert parkinson["DRUGBANK:DB01235"] == "PALLIATES"
    assert "TREATS" not in parkinson.values()
    # SYM row: Haloperidol for Tourette syndrome
    assert ("DRUGBANK:DB00502", "PALLIATES", "DOID:11119") in idx
    # NOT row (Bosentan for hypertension) is not asserted at all
    assert not any(k[0] == "DRUGBANK:DB00559" and k[2] == "DOID:10763" for k in idx)


def test_unknown_category_names_line(tmp_path: Path, data_dir: Path) -> None:
    from kg.errors import SourceFormatError

    src = (data_dir / "drugcentral" / "indications.tsv").read_text().splitlines()
    src[3] = src[3].rsplit("\t", 1)[0] + "\tMAYBE"
    (tmp_path / "drugcentral").mkdir()
    (tmp_path / "drugcentral" / "indications.tsv").write_text("\n".join(src) + "\n")
    with pytest.raises(SourceFormatError, match=r"indications\.tsv, line 4: unknown category"):
        drugcentral.load(tmp_path)
