"""DrugCentral indications mapped to the Disease Ontology (dhimmel/drugcentral).

Reads ``<data_dir>/drugcentral/indications.tsv`` (columns ``doid_id
drugbank_id disease drug category``). Every row is an indication listed by
DrugCentral, mapped to DO and DrugBank; the ``category`` column is not
DrugCentral's own: it is copied from PharmacotherapyDB for the pairs that
PharmacotherapyDB's physicians reviewed, and empty for the others (210 of 671
rows in the 2016 file). Rows map to edges ``DRUGBANK:<id> -> DOID:<n>``:

* ``DM`` -> :attr:`Predicate.TREATS` (the physicians judged the drug
  disease-modifying for this disease);
* ``SYM`` -> :attr:`Predicate.PALLIATES` (the physicians judged the drug
  symptomatic for this disease);
* empty -> :attr:`Predicate.INDICATED_FOR`: the label lists the indication
  but no physician classed it, so it is neither claimed disease-modifying nor
  symptomatic (it includes e.g. morphine and dopamine for Parkinson disease);
* ``NOT`` -> skipped, counted in the notes: the physicians rejected the pair
  (typically a mapping too coarse, e.g. bosentan for pulmonary hypertension
  mapped to "hypertension"). PharmacotherapyDB itself states those
  non-indications, so asserting them here would credit DrugCentral with a
  curators' judgement.

The evidence is ``"DrugCentral indication"`` plus ``"; PharmacotherapyDB
category=DM"`` where a category is given. Any other category is a
:class:`~kg.errors.SourceFormatError` naming the line.

``classes.tsv`` and ``drug-to-class.tsv`` (drug classes from CHEBI, FDA EPC/MoA/PE
and MeSH pharmacological actions) are read by the sibling source
:mod:`kg.sources.drugcentral_classes` (``DrugClass`` nodes, ``IN_CLASS`` edges).

Example:
    >>> from kg.sources.base import get_source
    >>> get_source("drugcentral").subdir
    'drugcentral'
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from kg.errors import SourceFormatError
from kg.model import Edge, Node, NodeType, Predicate, SourceData
from kg.sources._io import read_tsv
from kg.sources.base import register_source
from kg.sources.pharmacotherapydb import add_node, row_curies, source_dir

NAME = "drugcentral"
SUBDIR = "drugcentral"
FILE = "indications.tsv"
VERSION = "DrugCentral (dhimmel/drugcentral)"
LICENSE = "CC BY-SA 4.0"
COLUMNS = ("doid_id", "drugbank_id", "disease", "drug", "category")

CATEGORY_PREDICATES: dict[str, Predicate | None] = {
    "DM": Predicate.TREATS,
    "SYM": Predicate.PALLIATES,
    "": Predicate.INDICATED_FOR,
    "NOT": None,
}
"""Category column -> predicate (``None``: the row is skipped)."""

PREDICATES = tuple(dict.fromkeys(p for p in CATEGORY_PREDICATES.values() if p is not None))
"""The predicates the source states, in the order its notes count them.

Example:
    >>> [p.value for p in PREDICATES]
    ['TREATS', 'PALLIATES', 'INDICATED_FOR']
"""


def predicate_for(category: str, path: Path, line: int) -> Predicate | None:
    """The predicate for a row's category, ``None`` for a rejected (``NOT``) pair.

    Raises:
        SourceFormatError: an unknown category, naming the file and line.

    Example:
        >>> predicate_for("", Path("i.tsv"), 2), predicate_for("NOT", Path("i.tsv"), 2)
        (<Predicate.INDICATED_FOR: 'INDICATED_FOR'>, None)
    """
    key = category.strip()
    if key not in CATEGORY_PREDICATES:
        raise SourceFormatError(
            path, line, f"unknown category {category!r} (expected empty, DM, SYM or NOT)"
        )
    return CATEGORY_PREDICATES[key]


def evidence_for(category: str) -> str:
    """The evidence text of a row.

    Example:
        >>> evidence_for("DM")
        'DrugCentral indication; PharmacotherapyDB category=DM'
    """
    category = category.strip()
    base = "DrugCentral indication"
    return f"{base}; PharmacotherapyDB category={category}" if category else base


@register_source(
    NAME,
    description="DrugCentral drug indications mapped to Disease Ontology and DrugBank",
    license=LICENSE,
    subdir=SUBDIR,
)
def load(data_dir: Path | None) -> SourceData:
    """Read DrugCentral's ``indications.tsv`` into Drug/Disease nodes and
    TREATS/PALLIATES/INDICATED_FOR edges.

    Args:
        data_dir: the data folder root (the file is ``drugcentral/indications.tsv``).

    Raises:
        ConfigError: no data folder.
        SourceFileMissing: the file is not there.
        SourceFormatError: a malformed row or an unknown category.
    """
    path = source_dir(data_dir, NAME, SUBDIR) / FILE
    nodes: dict[str, Node] = {}
    edges: dict[tuple[str, str, str], Edge] = {}
    skipped_not = duplicates = 0
    for line, row in read_tsv(path, NAME, required=COLUMNS):
        predicate = predicate_for(row["category"], path, line)
        drug, disease = row_curies(row, path, line)
        if predicate is None:
            skipped_not += 1
            continue
        key = (drug, predicate.value, disease)
        if key in edges:
            duplicates += 1
            continue
        add_node(nodes, Node(drug, NodeType.DRUG, row["drug"].strip() or None, NAME))
        add_node(nodes, Node(disease, NodeType.DISEASE, row["disease"].strip() or None, NAME))
        edges[key] = Edge(drug, predicate, disease, NAME, evidence=evidence_for(row["category"]))
    by_predicate = Counter(e.predicate for e in edges.values())
    notes = [
        ", ".join(f"{by_predicate[p]} {p.value}" for p in PREDICATES) + " edges "
        "(INDICATED_FOR: listed on the label, not classed by PharmacotherapyDB's physicians)",
        f"skipped {skipped_not} rows that PharmacotherapyDB's physicians classed NOT "
        "(non-indications)",
    ]
    if duplicates:
        notes.append(f"skipped {duplicates} duplicate rows")
    return SourceData(
        name=NAME,
        version=VERSION,
        nodes=list(nodes.values()),
        edges=list(edges.values()),
        license=LICENSE,
        files=[str(path)],
        notes=notes,
    )
