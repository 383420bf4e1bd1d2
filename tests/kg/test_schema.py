"""The schema files: prefix map in sync, SHACL shapes pass on built graphs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.bundle import Bundle
from kg.curie import PREFIXES
from kg.ontology_files import schema_path
from kg.stores import open_store


def test_prefix_file_matches_code() -> None:
    assert json.loads(schema_path("prefixes.json").read_text()) == PREFIXES


def _validate(nt: str) -> tuple[bool, str]:
    import pyshacl
    import rdflib

    data = rdflib.Graph().parse(data=nt, format="nt")
    data.parse(str(schema_path("medkg.ttl")), format="turtle")
    shapes = rdflib.Graph().parse(str(schema_path("shapes.ttl")), format="turtle")
    conforms, _g, text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    return conforms, text


def test_every_predicate_is_declared_and_shaped() -> None:
    """medkg.ttl declares each relation of the model (label and definition), shapes.ttl
    allows it, and each drug -> disease relation is checked to join a Drug to a Disease."""
    import rdflib
    from rdflib.collection import Collection
    from rdflib.namespace import OWL, RDF, RDFS, SH

    from kg.model import DRUG_DISEASE_PREDICATES, Predicate

    medkg = rdflib.Namespace("https://w3id.org/medkg/")
    schema = rdflib.Graph().parse(str(schema_path("medkg.ttl")), format="turtle")
    shapes = rdflib.Graph().parse(str(schema_path("shapes.ttl")), format="turtle")
    relations = {medkg[p.rdf_name] for p in Predicate}
    assert relations <= set(schema.subjects(RDF.type, OWL.ObjectProperty))
    assert all(schema.value(r, RDFS.label) for r in relations)
    assert schema.value(medkg.indicated_for, RDFS.label) == rdflib.Literal("indicated for")
    for p in DRUG_DISEASE_PREDICATES:
        assert (medkg[p.rdf_name], RDFS.range, medkg.Disease) in schema, p
        assert schema.value(medkg[p.rdf_name], RDFS.comment), p
    allowed = {
        v for lst in shapes.objects(None, SH["in"]) for v in Collection(shapes, lst)
        if isinstance(v, rdflib.URIRef)
    }
    assert relations <= allowed
    indication = medkg.DrugIndicationShape
    assert set(shapes.objects(indication, SH.targetSubjectsOf)) == {medkg[p.rdf_name] for p in DRUG_DISEASE_PREDICATES}
    paths = {shapes.value(b, SH.path) for b in shapes.objects(indication, SH.property)}
    assert paths == {medkg[p.rdf_name] for p in DRUG_DISEASE_PREDICATES}


def test_fixture_graph_conforms(fixture_kg: Path) -> None:
    conforms, text = _validate(Bundle(fixture_kg).export_path.read_text())
    assert conforms, text


def test_shapes_catch_a_broken_statement(fixture_kg: Path) -> None:
    nt = Bundle(fixture_kg).export_path.read_text()
    broken = nt + (
        '<https://w3id.org/medkg/assoc/x> <https://w3id.org/medkg/frequency> '
        '"7.0"^^<http://www.w3.org/2001/XMLSchema#double> .\n'
        '<https://w3id.org/medkg/assoc/x> <https://w3id.org/medkg/subject> <https://omim.org/entry/154700> .\n'
    )
    conforms, text = _validate(broken)
    assert not conforms and "frequency" in text


@pytest.mark.slow
def test_real_build_sample_conforms(real_kg: Path) -> None:
    """SHACL on a sample of the real build: 300 statements of every (source, relation),
    with both endpoints and their sources, taken from Oxigraph."""
    lines: list[str] = []
    with open_store(Bundle(real_kg).selector("oxigraph")) as st:
        groups = st.query(
            "SELECT DISTINCT ?src ?pred WHERE { ?a medkg:source ?src ; medkg:predicate ?pred }"
        ).rows
        assert len(groups) >= 8
        raw = st.raw  # type: ignore[attr-defined]
        import pyoxigraph as ox

        from kg.curie import expand

        seen: set[str] = set()
        medkg_ns = "https://w3id.org/medkg/"
        from kg.model import Predicate

        relations = {medkg_ns + p.rdf_name for p in Predicate}

        def dump(node: object) -> None:
            key = str(node)
            if key in seen:
                return
            seen.add(key)
            for q in raw.quads_for_pattern(node, None, None):
                lines.append(f"{q.subject} {q.predicate} {q.object} .\n")
                if isinstance(q.object, ox.NamedNode) and q.predicate.value.startswith(medkg_ns):
                    # the attributes (not the relations) of the nodes it points to
                    for t in raw.quads_for_pattern(q.object, None, None):
                        if t.predicate.value not in relations:
                            lines.append(f"{t.subject} {t.predicate} {t.object} .\n")

        pick = (
            "SELECT $src $pred ?a WHERE { ?a medkg:source $src . ?a medkg:predicate $pred } LIMIT 300"
        )
        for src, pred in groups:
            subs = {ox.Variable("src"): ox.NamedNode(expand(src)), ox.Variable("pred"): ox.NamedNode(expand(pred))}
            for sol in raw.query(pick, prefixes={"medkg": "https://w3id.org/medkg/"}, substitutions=subs):
                a = sol["a"]
                dump(a)
                for q in raw.quads_for_pattern(a, None, None):
                    if isinstance(q.object, ox.NamedNode):
                        dump(q.object)  # subject, object and source nodes
            src_node = ox.NamedNode(expand(src))
            dump(src_node)
    conforms, text = _validate("".join(lines))
    assert conforms, text[:3000]
