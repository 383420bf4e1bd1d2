"""The diagnosis picture: built from reasoning.diagnose's evidence, drawn in HTML and PNG."""

from __future__ import annotations

from pathlib import Path

import pytest

from medkg_viz.diagnosis import CASE, EXCLUDED, diagnosis_subgraph
from medkg_viz.model import ROLE_COLOURS, TYPE_COLOURS
from medkg_viz.render import write
from reasoning import case_from_hpo, diagnose


@pytest.fixture(scope="module")
def picture(fixture_kg: Path):  # type: ignore[no-untyped-def]
    case = case_from_hpo(["HP:0001166", "HP:0001083", "HP:0002321"], excluded=["HP:0000545"])
    d = diagnose(case, kg=fixture_kg, top_k=3)
    return d, diagnosis_subgraph(d)


def test_columns_case_terms_then_matched_terms_then_candidates(picture) -> None:  # type: ignore[no-untyped-def]
    d, g = picture
    assert g.layered
    assert [n.id for n in g.nodes.values() if n.level == 0] == ["HP:0001166", "HP:0001083", "HP:0002321", "HP:0000545"]
    assert g.nodes["HP:0001166"].type == CASE and g.nodes["HP:0000545"].type == EXCLUDED
    cands = [n for n in g.nodes.values() if n.level == 2]
    assert [n.id for n in cands] == [c.id for c in d.candidates]
    assert cands[0].emphasis and cands[0].label.startswith("#1 Marfan syndrome (p=")
    assert any("same disease: " in line and "OMIM:154700" in line for line in cands[0].detail)
    assert g.title.startswith("Differential for the case: top 3 of ")


def test_every_evidence_item_is_an_arrow_with_provenance(picture) -> None:  # type: ignore[no-untyped-def]
    d, g = picture
    edges = {(e.subject, e.kind, e.object): e for e in g.edges}
    for c in d.candidates:
        for ev in c.evidence:
            if ev.kind == "unexplained" or (ev.kind == "excluded_consistent" and not ev.disease_term):
                continue  # nothing in the graph between them to draw
            start = ev.disease_term if ev.kind in ("missing", "ancestor", "descendant") else ev.case_term
            e = edges[(start, ev.kind, c.id)]
            assert any(s.source == ev.source and s.version == ev.source_version for s in e.statements)
            assert f"log10 LR {ev.log10_lr:+.3f}" in e.tooltip()
    marfan = d.candidates[0].id
    exact = edges[("HP:0001166", "exact", marfan)]
    assert exact.label.startswith("exact +") and exact.statements[0].frequency == pytest.approx(0.895)
    assert "path: HP:0001166 → phenotype_of → " in exact.tooltip()
    # the case excludes myopia, which Loeys-Dietz has
    assert edges[("HP:0000545", "excluded", "OMIM:609192")].dashed
    kinds = {text.split(":")[0] for _, text in g.legend}
    assert {"exact", "related", "excluded", "missing"} <= kinds


def test_diagnosis_html_in_browser_and_png(picture, tmp_path, open_page, assert_drawn) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    _, g = picture
    page = open_page(write(g, tmp_path / "dx.html"))
    assert page.ready and page.errors == []
    assert page.labels is not None
    assert "Arachnodactyly" in page.labels and any(label.startswith("#1 Marfan syndrome") for label in page.labels)
    assert "exact: the disease has this feature" in page.text  # the legend
    colours = [TYPE_COLOURS[CASE], TYPE_COLOURS["Disease"], ROLE_COLOURS["exact"]]
    assert_drawn(page.graph, colours)
    png = Image.open(write(g, tmp_path / "dx.png"))
    assert_drawn(png, colours)


def test_missing_features_are_capped_and_counted(picture) -> None:  # type: ignore[no-untyped-def]
    d, full = picture
    n_missing = sum(1 for c in d.candidates for e in c.evidence if e.kind == "missing")
    assert n_missing > 0
    g = diagnosis_subgraph(d, labels={"HP:0000545": "Myopia (from the graph)"}, max_missing=0)
    assert not any(e.kind == "missing" for e in g.edges)
    assert f"{n_missing} more typical-but-absent features" in " ".join(g.notes)
    assert not any(n.level == 1 and n.group == "typical of a candidate" for n in g.nodes.values())
    # a label the evidence gives wins; the lookup fills only what it lacks
    assert g.nodes["HP:0000545"].label == "Myopia"
    unnamed = d.candidates[2].model_copy(update={"evidence": [e for e in d.candidates[2].evidence
                                                              if e.case_term != "HP:0000545"]})
    g = diagnosis_subgraph(d.model_copy(update={"candidates": [unnamed]}),
                           labels={"HP:0000545": "Myopia (from the graph)"})
    assert g.nodes["HP:0000545"].label == "Myopia (from the graph)"
