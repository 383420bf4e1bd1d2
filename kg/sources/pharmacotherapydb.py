"""PharmacotherapyDB v1.0: physician-curated drug–disease indications.

Reads ``<data_dir>/pharmacotherapydb/indications.tsv`` (columns ``doid_id
drugbank_id disease drug category n_curators n_resources``). Each row becomes
one edge ``DRUGBANK:<drugbank_id> -> DOID:<n>`` whose predicate comes from the
curators' category:

* ``DM`` (disease modifying) -> :attr:`Predicate.TREATS`
* ``SYM`` (symptomatic) -> :attr:`Predicate.PALLIATES`
* ``NOT`` (non-indication) -> :attr:`Predicate.NOT_INDICATED_FOR`

Any other category is a :class:`~kg.errors.SourceFormatError` naming the line.
The evidence is ``"category=DM; n_curators=2; n_resources=1"``. The Drug and
Disease nodes are labelled with the ``drug`` and ``disease`` columns.

Example:
    >>> predicate_for("SYM", Path("x.tsv"), 3)
    <Predicate.PALLIATES: 'PALLIATES'>
    >>> drug_curie("DB00843"), disease_curie("DOID:10652")
    ('DRUGBANK:DB00843', 'DOID:10652')
"""

from __future__ import annotations

from pathlib import Path

from kg.curie import normalize_curie
from kg.errors import ConfigError, InvalidCurieError, SourceFormatError
from kg.model import Edge, Node, NodeType, Predicate, SourceData
from kg.sources._io import read_tsv
from kg.sources.base import register_source

NAME = "pharmacotherapydb"
SUBDIR = "pharmacotherapydb"
FILE = "indications.tsv"
VERSION = "PharmacotherapyDB v1.0"
COLUMNS = ("doid_id", "drugbank_id", "disease", "drug", "category")

CATEGORY_PREDICATES: dict[str, Predicate] = {
    "DM": Predicate.TREATS,
    "SYM": Predicate.PALLIATES,
    "NOT": Predicate.NOT_INDICATED_FOR,
}
"""PharmacotherapyDB category -> predicate."""


def source_dir(data_dir: Path | None, name: str, subdir: str) -> Path:
    """The folder a source reads: ``data_dir / subdir``.

    Args:
        data_dir: the data folder root, or ``None`` if none was configured.
        name: the source name, for the error message.
        subdir: the source's folder under the data folder.

    Raises:
        ConfigError: ``data_dir`` is ``None``.

    Example:
        >>> source_dir(Path("/d"), "hsdn", "hsdn").as_posix()
        '/d/hsdn'
        >>> source_dir(None, "hsdn", "hsdn")
        Traceback (most recent call last):
        ...
        kg.errors.ConfigError: source 'hsdn' needs a data folder: pass --data-dir or set MEDKG_DATA_DIR
    """
    if data_dir is None:
        raise ConfigError(
            f"source {name!r} needs a data folder: pass --data-dir or set MEDKG_DATA_DIR"
        )
    return Path(data_dir) / subdir


def drug_curie(drugbank_id: str) -> str:
    """``DB00843`` -> ``DRUGBANK:DB00843`` (an existing prefix is normalised)."""
    value = drugbank_id.strip()
    return normalize_curie(value if ":" in value else f"DRUGBANK:{value}")


def disease_curie(doid: str) -> str:
    """``DOID:10652`` (or ``10652``) -> ``DOID:10652``."""
    value = doid.strip()
    return normalize_curie(value if ":" in value else f"DOID:{value}")


def predicate_for(category: str, path: Path, line: int) -> Predicate:
    """The predicate for a PharmacotherapyDB category.

    Raises:
        SourceFormatError: an unknown category, naming the file and line.
    """
    try:
        return CATEGORY_PREDICATES[category.strip()]
    except KeyError:
        known = ", ".join(CATEGORY_PREDICATES)
        raise SourceFormatError(
            path, line, f"unknown category {category!r} (expected one of {known})"
        ) from None


def row_curies(row: dict[str, str], path: Path, line: int) -> tuple[str, str]:
    """The (drug, disease) CURIEs of an indication row.

    Raises:
        SourceFormatError: an empty or malformed id, naming the file and line.
    """
    try:
        if not row["drugbank_id"].strip() or not row["doid_id"].strip():
            raise InvalidCurieError("empty id")
        return drug_curie(row["drugbank_id"]), disease_curie(row["doid_id"])
    except InvalidCurieError as e:
        raise SourceFormatError(path, line, f"bad drug or disease id: {e}") from e


def add_node(nodes: dict[str, Node], node: Node) -> None:
    """Add ``node`` to ``nodes`` unless its id is there; fill a missing label."""
    old = nodes.get(node.id)
    if old is None:
        nodes[node.id] = node
    elif old.label is None and node.label:
        old.label = node.label


def _label(text: str) -> str | None:
    return text.strip() or None


@register_source(
    NAME,
    description="PharmacotherapyDB v1.0: physician-curated drug-disease indications "
    "(treats / palliates / not indicated)",
    license="CC0 1.0",
    subdir=SUBDIR,
)
def load(data_dir: Path | None) -> SourceData:
    """Read PharmacotherapyDB's ``indications.tsv`` into Drug/Disease nodes and edges.

    Args:
        data_dir: the data folder root (the file is ``pharmacotherapydb/indications.tsv``).

    Raises:
        ConfigError: no data folder.
        SourceFileMissing: the file is not there.
        SourceFormatError: a malformed row or an unknown category.
    """
    path = source_dir(data_dir, NAME, SUBDIR) / FILE
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    for line, row in read_tsv(path, NAME, required=(*COLUMNS, "n_curators", "n_resources")):
        predicate = predicate_for(row["category"], path, line)
        drug, disease = row_curies(row, path, line)
        add_node(nodes, Node(drug, NodeType.DRUG, _label(row["drug"]), NAME))
        add_node(nodes, Node(disease, NodeType.DISEASE, _label(row["disease"]), NAME))
        evidence = (
            f"category={row['category'].strip()}; n_curators={row['n_curators'].strip()}; "
            f"n_resources={row['n_resources'].strip()}"
        )
        edges.append(Edge(drug, predicate, disease, NAME, evidence=evidence))
    counts = {p: sum(1 for e in edges if e.predicate is p) for p in CATEGORY_PREDICATES.values()}
    notes = [", ".join(f"{n} {p.value}" for p, n in counts.items()) + " edges"]
    return SourceData(
        name=NAME,
        version=VERSION,
        nodes=list(nodes.values()),
        edges=edges,
        license="CC0 1.0",
        files=[str(path)],
        notes=notes,
    )
