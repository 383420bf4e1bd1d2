"""Writing pictures: PNG and SVG checked by their pixels and text, HTML's safety, atomic writes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kg.stores import open_store
from medkg_viz.errors import NothingToDrawError, VisualisationError
from medkg_viz.html import html_page
from medkg_viz.model import TYPE_COLOURS, Statement, Subgraph, VizNode
from medkg_viz.neighbourhood import neighbourhood
from medkg_viz.render import write

DISEASE, PHENOTYPE = TYPE_COLOURS["Disease"], TYPE_COLOURS["PhenotypicFeature"]


@pytest.fixture(scope="module")
def marfan(fixture_kg: Path) -> Subgraph:
    with open_store(f"ladybug:{fixture_kg / 'ladybug.lbug'}") as st:
        return neighbourhood(st, "HP:0001166", hops=2, max_nodes=8)


def test_png_is_drawn(marfan: Subgraph, tmp_path: Path, assert_drawn) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    out = write(marfan, tmp_path / "a.png")
    img = Image.open(out)
    assert img.format == "PNG" and img.size[0] > 600 and img.size[1] > 400
    assert_drawn(img, [DISEASE, PHENOTYPE])


def test_svg_has_labels_and_notes_as_text(marfan: Subgraph, tmp_path: Path) -> None:
    out = write(marfan, tmp_path / "a.svg")
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    text = out.read_text(encoding="utf-8")
    for label in ("Arachnodactyly", "Marfan syndrome", "showing 4 of 8 neighbours"):
        assert label in text
    assert DISEASE in text.lower() and PHENOTYPE in text.lower()


def test_html_is_self_contained_and_escapes_labels(tmp_path: Path) -> None:
    g = Subgraph("x")
    g.add_node(VizNode("HP:1", "PhenotypicFeature", "</script><script>alert(1)</script>"))
    g.add_node(VizNode("OMIM:1", "Disease", "<img src=x onerror=alert(2)>"))
    g.add_statement("OMIM:1", "HAS_PHENOTYPE", "HP:1", Statement("s", "1"))
    page = html_page(g)
    assert "</script><script>alert(1)" not in page
    assert "<img src=x" not in page
    assert "vis-network" in page and "@license" in page  # inlined with its licence header
    # no external resource: nothing is fetched, and the page's policy forbids fetching
    for marker in ("<script src", "<link ", "<img ", "<iframe"):
        assert marker not in page.lower()
    assert "default-src 'none'" in page


def test_empty_subgraph_and_bad_suffix_write_nothing(tmp_path: Path, marfan: Subgraph) -> None:
    with pytest.raises(NothingToDrawError):
        write(Subgraph("nothing"), tmp_path / "e.html")
    with pytest.raises(VisualisationError, match=r"\.html, \.png or \.svg"):
        write(marfan, tmp_path / "e.pdf")
    with pytest.raises(VisualisationError, match="does not exist"):
        write(marfan, tmp_path / "no" / "e.html")
    assert list(tmp_path.iterdir()) == []


def test_failed_render_keeps_previous_file(tmp_path: Path, marfan: Subgraph, monkeypatch: pytest.MonkeyPatch) -> None:
    out = write(marfan, tmp_path / "keep.html")
    before = out.read_bytes()

    def boom(sub: Subgraph) -> str:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr("medkg_viz.html.html_page", boom)
    with pytest.raises(RuntimeError):
        write(marfan, out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.html"]


def test_static_pictures_without_the_extra_name_it(marfan: Subgraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from medkg_viz.errors import VizExtraMissing

    monkeypatch.setitem(sys.modules, "networkx", None)  # as if not installed
    with pytest.raises(VizExtraMissing, match=r"pip install 'medkg\[viz\]'") as err:
        write(marfan, tmp_path / "a.png")
    assert isinstance(err.value, ImportError)
    assert list(tmp_path.iterdir()) == []
    write(marfan, tmp_path / "a.html")  # HTML needs no extra
