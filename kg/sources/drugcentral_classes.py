"""DrugCentral's drug classes and the drugs in them (dhimmel/drugcentral).

Reads ``<data_dir>/drugcentral/classes.tsv`` (columns ``class_id class_name class_source
class_type url``) and ``drug-to-class.tsv`` (``drugbank_id drugbank_name class_id
class_name``). Every class becomes a ``DrugClass`` node with its name, vocabulary
(``class_source``) and kind (``class_type``); every membership row an edge
``DRUGBANK:<id> IN_CLASS <class>``. Class ids become CURIEs by their vocabulary:

* ``FDA`` (NDF-RT/MED-RT ``N`` ids: Established Pharmacologic Class, Mechanism of Action,
  Chemical/Ingredient, Physiologic Effect) -> ``NDFRT:N0000175722``;
* ``MeSH`` (Pharmacological Action descriptors) -> ``MESH:D000894``;
* ``CHEBI`` (Application roles) -> ``CHEBI:35475``.

An id whose form does not fit its vocabulary, a class named twice, a membership row naming
a class ``classes.tsv`` does not list, or an unknown vocabulary is a
:class:`~kg.errors.SourceFormatError` naming the file and line.

The source defines the classes, not the drugs: a drug is a reference node (it exists for the
membership edges; its name and the source that asserts it come from the drug sources, e.g.
Hetionet's DrugBank compounds). Every class is loaded, broad ones too (MeSH *Anti-Bacterial
Agents*, ChEBI *antibacterial drug*): which classes a reader may compare drugs by is the
reader's rule (:mod:`reasoning.drug_classes`).

Example:
    >>> class_curie("N0000175722", "FDA"), class_curie("D000894", "MeSH"), class_curie("CHEBI:35475", "CHEBI")
    ('NDFRT:N0000175722', 'MESH:D000894', 'CHEBI:35475')
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from kg.curie import drug_curie
from kg.errors import InvalidCurieError, SourceFormatError
from kg.model import Edge, Node, NodeType, Predicate, SourceData
from kg.sources._io import read_tsv
from kg.sources.base import register_source
from kg.sources.drugcentral import LICENSE, SUBDIR, VERSION
from kg.sources.pharmacotherapydb import source_dir

NAME = "drugcentral_classes"
CLASSES_FILE = "classes.tsv"
MEMBERS_FILE = "drug-to-class.tsv"
CLASS_COLUMNS = ("class_id", "class_name", "class_source", "class_type")
MEMBER_COLUMNS = ("drugbank_id", "drugbank_name", "class_id")
EVIDENCE = "DrugCentral drug class"

VOCABULARIES: dict[str, tuple[str, re.Pattern[str]]] = {
    "FDA": ("NDFRT", re.compile(r"N\d{10}")),
    "MeSH": ("MESH", re.compile(r"D\d{6}(?:\d{3})?")),
    "CHEBI": ("CHEBI", re.compile(r"CHEBI:\d+")),
}
"""``class_source`` -> the CURIE prefix of its ids and the form DrugCentral writes them in."""


def class_curie(raw: str, vocabulary: str) -> str | None:
    """The CURIE of a DrugCentral class id of ``vocabulary``, or ``None`` when it does not have
    that vocabulary's form (or the vocabulary is unknown).

    Example:
        >>> class_curie("N0000175722", "MeSH") is None, class_curie("D000894", "X") is None
        (True, True)
    """
    known = VOCABULARIES.get(vocabulary)
    if known is None or not known[1].fullmatch(raw):
        return None
    prefix, _ = known
    return raw if raw.startswith(f"{prefix}:") else f"{prefix}:{raw}"


def read_classes(path: Path) -> dict[str, Node]:
    """The classes of ``classes.tsv``, by DrugCentral's raw id.

    Raises:
        SourceFileMissing: no such file.
        SourceFormatError: a missing column or field, an unknown vocabulary, an id not of its
            vocabulary's form, or a class listed twice.
    """
    out: dict[str, Node] = {}
    for line, row in read_tsv(path, NAME, required=CLASS_COLUMNS):
        raw, name, vocab, kind = (row[c].strip() for c in CLASS_COLUMNS)
        if not (raw and name and vocab and kind):
            raise SourceFormatError(path, line, "a class needs an id, a name, a class_source and a class_type")
        if vocab not in VOCABULARIES:
            raise SourceFormatError(path, line, f"unknown class_source {vocab!r} (expected {', '.join(VOCABULARIES)})")
        curie = class_curie(raw, vocab)
        if curie is None:
            raise SourceFormatError(path, line, f"class id {raw!r} is not a {vocab} id")
        if raw in out:
            raise SourceFormatError(path, line, f"class {raw} is listed twice")
        out[raw] = Node(curie, NodeType.DRUG_CLASS, name, NAME, class_source=vocab, class_type=kind)
    return out


@register_source(
    NAME,
    description="DrugCentral drug classes (FDA EPC/MoA/PE/chemical, MeSH pharmacological actions, "
    "ChEBI applications) and their DrugBank member drugs",
    license=LICENSE,
    subdir=SUBDIR,
)
def load(data_dir: Path | None) -> SourceData:
    """Read DrugCentral's ``classes.tsv`` and ``drug-to-class.tsv`` into DrugClass nodes and
    IN_CLASS edges (the drugs as reference nodes).

    Args:
        data_dir: the data folder root (the files are under ``drugcentral/``).

    Raises:
        ConfigError: no data folder.
        SourceFileMissing: a file is not there.
        SourceFormatError: a malformed row (see :func:`read_classes`), a bad DrugBank id, or a
            membership naming a class ``classes.tsv`` does not list.
    """
    folder = source_dir(data_dir, NAME, SUBDIR)
    classes_path, members_path = folder / CLASSES_FILE, folder / MEMBERS_FILE
    classes = read_classes(classes_path)
    drugs: dict[str, Node] = {}
    edges: dict[tuple[str, str], Edge] = {}
    duplicates = 0
    for line, row in read_tsv(members_path, NAME, required=MEMBER_COLUMNS):
        raw = row["class_id"].strip()
        if raw not in classes:
            raise SourceFormatError(members_path, line, f"class {raw!r} is not listed in {CLASSES_FILE}")
        try:
            drug = drug_curie(row["drugbank_id"]) if row["drugbank_id"].strip() else None
        except InvalidCurieError as e:
            raise SourceFormatError(members_path, line, f"bad DrugBank id: {e}") from e
        if drug is None or not drug.startswith("DRUGBANK:"):
            raise SourceFormatError(members_path, line, f"bad DrugBank id {row['drugbank_id']!r}")
        cls = classes[raw].id
        if (drug, cls) in edges:
            duplicates += 1
            continue
        drugs.setdefault(drug, Node(drug, NodeType.DRUG, None, NAME, reference=True))
        edges[(drug, cls)] = Edge(drug, Predicate.IN_CLASS, cls, NAME,
                                  evidence=f"{EVIDENCE} ({classes[raw].class_type})")
    kinds = Counter(f"{n.class_type} ({n.class_source})" for n in classes.values())
    notes = [
        f"{len(classes)} drug classes: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())),
        f"{len(edges)} IN_CLASS edges of {len(drugs)} drugs",
    ]
    if duplicates:
        notes.append(f"skipped {duplicates} duplicate membership rows")
    return SourceData(
        name=NAME,
        version=VERSION,
        nodes=[*classes.values(), *drugs.values()],
        edges=list(edges.values()),
        license=LICENSE,
        files=[str(classes_path), str(members_path)],
        notes=notes,
    )
