"""Hetionet v1.0 nodes: names for drugs, diseases, symptoms and side effects.

Reads ``<data_dir>/hetionet/hetionet-v1.0-nodes.tsv`` (columns ``id name kind``;
ids like ``Compound::DB00843``). Only nodes are yielded (the file holds no
edges):

* ``Compound::DB…`` -> Drug ``DRUGBANK:DB…``
* ``Disease::DOID:…`` -> Disease ``DOID:…``
* ``Symptom::D…`` -> PhenotypicFeature ``MESH:D…``
* ``Side Effect::C…`` -> PhenotypicFeature ``UMLS:C…``

Other kinds (Gene, Anatomy, Pathway, ...) are skipped and counted in the notes.
A row whose id does not have the form ``<kind>::<local id>`` is a
:class:`~kg.errors.SourceFormatError` naming the line.

Example:
    >>> node_curie("Symptom::D000006", "Symptom", Path("n.tsv"), 2)
    'MESH:D000006'
    >>> node_curie("Disease::DOID:10652", "Disease", Path("n.tsv"), 2)
    'DOID:10652'
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from kg.curie import normalize_curie
from kg.errors import InvalidCurieError, SourceFormatError
from kg.model import Node, NodeType, SourceData
from kg.sources._io import read_tsv
from kg.sources.base import register_source
from kg.sources.pharmacotherapydb import source_dir

NAME = "hetionet"
SUBDIR = "hetionet"
FILE = "hetionet-v1.0-nodes.tsv"
VERSION = "Hetionet v1.0"
LICENSE = "CC0 1.0"

KINDS: dict[str, tuple[NodeType, str | None]] = {
    "Compound": (NodeType.DRUG, "DRUGBANK"),
    "Disease": (NodeType.DISEASE, None),
    "Symptom": (NodeType.PHENOTYPE, "MESH"),
    "Side Effect": (NodeType.PHENOTYPE, "UMLS"),
}
"""Hetionet kind -> (node type, CURIE prefix to add; ``None``: the id is a CURIE)."""


def node_curie(hetio_id: str, kind: str, path: Path, line: int) -> str:
    """The CURIE of a Hetionet node id of a kept kind.

    Raises:
        SourceFormatError: the id is not ``<kind>::<local>`` or gives no valid CURIE.
    """
    head, sep, local = hetio_id.partition("::")
    if not sep or head != kind or not local:
        raise SourceFormatError(path, line, f"expected id '{kind}::<id>', got {hetio_id!r}")
    prefix = KINDS[kind][1]
    try:
        return normalize_curie(local if prefix is None else f"{prefix}:{local}")
    except InvalidCurieError as e:
        raise SourceFormatError(path, line, f"bad {kind} id: {e}") from e


@register_source(
    NAME,
    description="Hetionet v1.0 node names: compounds (DrugBank), diseases (DO), "
    "symptoms (MeSH), side effects (UMLS)",
    license=LICENSE,
    subdir=SUBDIR,
)
def load(data_dir: Path | None) -> SourceData:
    """Read the Hetionet node table into Drug, Disease and PhenotypicFeature nodes.

    Args:
        data_dir: the data folder root (the file is ``hetionet/hetionet-v1.0-nodes.tsv``).

    Raises:
        ConfigError: no data folder.
        SourceFileMissing: the file is not there.
        SourceFormatError: a malformed row.
    """
    path = source_dir(data_dir, NAME, SUBDIR) / FILE
    nodes: dict[str, Node] = {}
    kept: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    for line, row in read_tsv(path, NAME, required=("id", "name", "kind")):
        kind = row["kind"].strip()
        if kind not in KINDS:
            skipped[kind] += 1
            continue
        curie = node_curie(row["id"].strip(), kind, path, line)
        if curie in nodes:
            continue
        nodes[curie] = Node(curie, KINDS[kind][0], row["name"].strip() or None, NAME)
        kept[kind] += 1
    notes = [
        "nodes by kind: " + ", ".join(f"{k} {kept[k]}" for k in KINDS),
        f"skipped {sum(skipped.values())} nodes of other kinds: "
        + ", ".join(f"{k} {n}" for k, n in skipped.most_common()),
        "no edges (the node table only)",
    ]
    return SourceData(
        name=NAME,
        version=VERSION,
        nodes=list(nodes.values()),
        edges=[],
        license=LICENSE,
        files=[str(path)],
        notes=notes,
    )
