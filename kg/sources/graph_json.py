"""A graph written as JSON: the format of the test fixture and of user-made
sources (``medkg build --graph-json FILE``).

Format::

    {"source": {"name": "my_source", "version": "1", "license": "CC0"},
     "nodes": [{"id": "OMIM:154700", "type": "Disease", "label": "Marfan syndrome",
                "synonyms": [], "definition": null, "xrefs": [], "alt_ids": []},
               {"id": "HP:0004175", "type": "ObsoleteTerm", "label": "obsolete ...",
                "consider": ["HP:0004172"]},
               {"id": "NDFRT:N0000175556", "type": "DrugClass", "label": "beta-Adrenergic Blocker",
                "class_source": "FDA", "class_type": "FDA Established Pharmacologic Class"}],
     "edges": [{"subject": "OMIM:154700", "predicate": "HAS_PHENOTYPE",
                "object": "HP:0001166", "frequency": 0.9, "evidence": "PMID:1"}]}

Example:
    >>> import json, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.json"
    >>> _ = p.write_text(json.dumps({"source": {"name": "x", "version": "1"},
    ...     "nodes": [{"id": "HP:1", "type": "Phenotype"}], "edges": []}))
    >>> load_graph_json(p)
    Traceback (most recent call last):
    ...
    kg.errors.SourceFormatError: ...g.json: $.nodes[0].type: 'Phenotype' is not one of Disease, PhenotypicFeature, Drug, ObsoleteTerm, DrugClass
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.curie import normalize_curie
from kg.errors import InvalidCurieError, SourceFormatError
from kg.model import NODE_CLASS_PROPERTIES, Edge, Node, NodeType, Predicate, SourceData
from kg.sources._io import read_json

_NODE_KEYS = {"id", "type", "label", "synonyms", "definition", "xrefs", "alt_ids", "consider", *NODE_CLASS_PROPERTIES}
_EDGE_KEYS = {
    "subject", "predicate", "object", "evidence", "frequency", "frequency_label",
    "onset", "negated", "score",
}


def _fail(path: Path, where: str, msg: str) -> SourceFormatError:
    return SourceFormatError(path, None, f"{where}: {msg}")


def _str(path: Path, where: str, v: Any, optional: bool = True) -> str | None:
    if v is None and optional:
        return None
    if not isinstance(v, str) or not v.strip():
        raise _fail(path, where, f"expected a non-empty string, got {v!r}")
    return v


def _strs(path: Path, where: str, v: Any) -> tuple[str, ...]:
    if v is None:
        return ()
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise _fail(path, where, "expected a list of strings")
    return tuple(v)


def _curie(path: Path, where: str, v: Any) -> str:
    """``v`` as a normalised CURIE, its local id checked against its prefix's pattern here, at
    load, so that a malformed id names the file and the node or edge (not the export, later)."""
    s = _str(path, where, v, optional=False)
    assert s is not None
    try:
        return normalize_curie(s)
    except InvalidCurieError as e:
        raise _fail(path, where, str(e)) from e


def _node(path: Path, i: int, d: Any, source: str) -> Node:
    where = f"$.nodes[{i}]"
    if not isinstance(d, dict):
        raise _fail(path, where, "expected an object")
    extra = set(d) - _NODE_KEYS
    if extra:
        raise _fail(path, where, f"unknown key(s) {sorted(extra)}")
    types = ", ".join(t.value for t in NodeType)
    try:
        t = NodeType(d.get("type"))
    except ValueError:
        raise _fail(path, f"{where}.type", f"{d.get('type')!r} is not one of {types}") from None
    consider = tuple(_curie(path, f"{where}.consider[{k}]", c)
                     for k, c in enumerate(_strs(path, f"{where}.consider", d.get("consider"))))
    if consider and t is not NodeType.OBSOLETE:
        raise _fail(path, f"{where}.consider", f"only an {NodeType.OBSOLETE.value} node has ids to consider instead")
    kinds = {p: _str(path, f"{where}.{p}", d.get(p)) for p in NODE_CLASS_PROPERTIES}
    for p, v in kinds.items():
        if v is not None and t is not NodeType.DRUG_CLASS:
            raise _fail(path, f"{where}.{p}", f"only a {NodeType.DRUG_CLASS.value} node has a {p}")
    return Node(
        id=_curie(path, f"{where}.id", d.get("id")),
        type=t,
        label=_str(path, f"{where}.label", d.get("label")),
        source=source,
        synonyms=_strs(path, f"{where}.synonyms", d.get("synonyms")),
        definition=_str(path, f"{where}.definition", d.get("definition")),
        xrefs=_strs(path, f"{where}.xrefs", d.get("xrefs")),
        alt_ids=_strs(path, f"{where}.alt_ids", d.get("alt_ids")),
        consider=consider,
        **kinds,
    )


def _num(path: Path, where: str, v: Any, lo: float | None = None, hi: float | None = None) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise _fail(path, where, f"expected a number, got {v!r}")
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise _fail(path, where, f"{v} is outside [{lo}, {hi}]")
    return float(v)


def _edge(path: Path, i: int, d: Any, source: str) -> Edge:
    where = f"$.edges[{i}]"
    if not isinstance(d, dict):
        raise _fail(path, where, "expected an object")
    extra = set(d) - _EDGE_KEYS
    if extra:
        raise _fail(path, where, f"unknown key(s) {sorted(extra)}")
    try:
        pred = Predicate(d.get("predicate"))
    except ValueError:
        names = ", ".join(p.value for p in Predicate)
        raise _fail(path, f"{where}.predicate", f"{d.get('predicate')!r} is not one of {names}") from None
    negated = d.get("negated", False)
    if not isinstance(negated, bool):
        raise _fail(path, f"{where}.negated", "expected true or false")
    return Edge(
        subject=_curie(path, f"{where}.subject", d.get("subject")),
        predicate=pred,
        object=_curie(path, f"{where}.object", d.get("object")),
        source=source,
        evidence=_str(path, f"{where}.evidence", d.get("evidence")),
        frequency=_num(path, f"{where}.frequency", d.get("frequency"), 0.0, 1.0),
        frequency_label=_str(path, f"{where}.frequency_label", d.get("frequency_label")),
        onset=_str(path, f"{where}.onset", d.get("onset")),
        negated=negated,
        score=_num(path, f"{where}.score", d.get("score")),
    )


def load_graph_json(path: Path) -> SourceData:
    """Read a graph JSON file into a source's contribution.

    Raises:
        SourceFileMissing: no such file.
        SourceFormatError: invalid JSON or a value that breaks the format,
            naming its JSON path (e.g. ``$.edges[3].frequency``).
    """
    path = Path(path)
    data = read_json(path, "graph-json")
    if not isinstance(data, dict):
        raise _fail(path, "$", "expected an object with 'source', 'nodes', 'edges'")
    src = data.get("source")
    if not isinstance(src, dict):
        raise _fail(path, "$.source", "expected an object with 'name' and 'version'")
    name = _str(path, "$.source.name", src.get("name"), optional=False)
    version = _str(path, "$.source.version", src.get("version"), optional=False)
    assert name is not None and version is not None
    nodes_raw, edges_raw = data.get("nodes", []), data.get("edges", [])
    if not isinstance(nodes_raw, list) or not isinstance(edges_raw, list):
        raise _fail(path, "$", "'nodes' and 'edges' must be lists")
    return SourceData(
        name=name,
        version=version,
        nodes=[_node(path, i, d, name) for i, d in enumerate(nodes_raw)],
        edges=[_edge(path, i, d, name) for i, d in enumerate(edges_raw)],
        license=str(src.get("license", "")),
        files=[str(path)],
    )
