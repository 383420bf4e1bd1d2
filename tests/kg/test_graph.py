"""Assembly: a node lists the sources that define it, not those that only refer to it."""

from __future__ import annotations

from kg.graph import assemble
from kg.model import Edge, Node, NodeType, Predicate, SourceData


def test_a_referred_node_does_not_list_the_source_that_only_refers_to_it() -> None:
    hpo = SourceData("hpo", "1", [Node("OMIM:154700", NodeType.DISEASE, "Marfan syndrome", "hpo"),
                                  Node("HP:0001166", NodeType.PHENOTYPE, "Arachnodactyly", "hpo")],
                     [Edge("OMIM:154700", Predicate.HAS_PHENOTYPE, "HP:0001166", "hpo")])
    do = SourceData("do", "1", [
        Node("DOID:14323", NodeType.DISEASE, "Marfan syndrome", "do"),
        Node("OMIM:154700", NodeType.DISEASE, None, "do", reference=True),
        Node("OMIM:300756", NodeType.DISEASE, None, "do", reference=True),
    ], [Edge("DOID:14323", Predicate.XREF, "OMIM:154700", "do"), Edge("DOID:14323", Predicate.XREF, "OMIM:300756", "do")])
    g = assemble([hpo, do])
    assert g.nodes["OMIM:154700"].sources == ["hpo"] and g.nodes["OMIM:154700"].label == "Marfan syndrome"
    assert g.nodes["OMIM:300756"].sources == ["do"]  # defined by no source: it exists through DO's statement
    assert g.nodes["DOID:14323"].sources == ["do"]
    assert len(g.edges) == 3 and not g.report.dropped_edges  # the cross-references stay
    do_info = g.sources[1]
    assert do_info.nodes == 2
    assert ("refers to 2 nodes it does not define; 1 of them no loaded source defines: kept without a name, "
            "with this source as the one that asserts them") in do_info.notes
    # the order of the sources does not matter
    g2 = assemble([do, hpo])
    assert g2.nodes["OMIM:154700"].sources == ["hpo"] and g2.nodes["OMIM:154700"].label == "Marfan syndrome"
