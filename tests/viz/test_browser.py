"""The HTML pictures, opened in a real headless Chromium: loaded without
JavaScript errors, drawn (not blank, node colours present) and labelled."""

from __future__ import annotations

from medkg_viz.model import TYPE_COLOURS
from medkg_viz.neighbourhood import neighbourhood
from medkg_viz.render import write

DISEASE, PHENOTYPE, DRUG = (TYPE_COLOURS[t] for t in ("Disease", "PhenotypicFeature", "Drug"))


def test_neighbourhood_page_loads_draws_and_names_nodes(ladybug, tmp_path, open_page, assert_drawn, chrome) -> None:  # type: ignore[no-untyped-def]
    out = write(neighbourhood(ladybug, "OMIM:154700"), tmp_path / "marfan.html")
    page = open_page(out)
    assert page.ready, f"graph never finished drawing; errors: {page.errors}"
    assert page.errors == []
    assert page.labels is not None
    for label in ("Marfan syndrome", "Arachnodactyly", "Ectopia lentis", "Intellectual disability"):
        assert label in page.labels
        assert label in page.text  # the node list beside the graph
    assert "Neighbourhood of Marfan syndrome (OMIM:154700)" in page.text
    assert chrome.execute_script("return performance.getEntriesByType('resource').length") == 0  # offline
    assert_drawn(page.graph, [DISEASE, PHENOTYPE])


def test_capped_page_shows_what_was_left_out(ladybug, tmp_path, open_page, assert_drawn) -> None:  # type: ignore[no-untyped-def]
    sub = neighbourhood(ladybug, "HP:0001166", hops=2, max_nodes=8)
    page = open_page(write(sub, tmp_path / "capped.html"))
    assert page.ready and page.errors == []
    assert "hop 1: showing 3 of 5 neighbours; left out 1 Disease, 1 PhenotypicFeature" in page.text
    assert "hop 2: showing 4 of 8 neighbours; left out 3 PhenotypicFeature, 1 Disease" in page.text
    assert page.labels is not None and len(page.labels) == 8
    assert_drawn(page.graph, [DISEASE, PHENOTYPE])


def test_drug_neighbourhood_page(ladybug, tmp_path, open_page, assert_drawn) -> None:  # type: ignore[no-untyped-def]
    page = open_page(write(neighbourhood(ladybug, "DOID:14323"), tmp_path / "drugs.html"))
    assert page.ready and page.errors == []
    assert page.labels is not None and {"Losartan", "Atenolol", "Prednisone"} <= set(page.labels)
    assert_drawn(page.graph, [DISEASE, DRUG])


def test_harness_sees_js_errors_and_blank_pages(tmp_path, open_page, pixels) -> None:  # type: ignore[no-untyped-def]
    """The checks above can fail: a script error is reported, a blank page counts as blank."""
    broken = tmp_path / "broken.html"
    broken.write_text(
        "<!DOCTYPE html><html><body><div id='graph' style='width:600px;height:400px'></div>"
        "<script>throw new Error('medkg-test-boom');</script></body></html>",
        encoding="utf-8",
    )
    page = open_page(broken, timeout=1)
    assert not page.ready
    assert any("medkg-test-boom" in e for e in page.errors)
    assert pixels.ink(page.graph) == 0


def test_labels_are_text_not_markup(tmp_path, open_page, chrome) -> None:  # type: ignore[no-untyped-def]
    from medkg_viz.model import Statement, Subgraph, VizNode

    g = Subgraph("<b>title</b>")
    g.add_node(VizNode("HP:1", "PhenotypicFeature", "</script><script>window.pwned=1</script>"))
    g.add_node(VizNode("OMIM:1", "Disease", "<img src=x onerror=window.pwned=2>"))
    g.add_statement("OMIM:1", "HAS_PHENOTYPE", "HP:1", Statement("s", "1"))
    page = open_page(write(g, tmp_path / "evil.html"))
    assert page.ready and page.errors == []
    assert chrome.execute_script("return window.pwned === undefined && document.images.length === 0")
    assert "<img src=x onerror=window.pwned=2>" in page.text
    assert "<b>title</b>" in page.text
