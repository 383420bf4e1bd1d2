"""HSDN, the Human Symptoms–Disease Network (Zhou et al. 2014), mapped to DO.

Reads ``<data_dir>/hsdn/symptoms-DO.tsv`` (columns ``symptom_name disease_name
cooccurs tfidf_score disease_id symptom_id doid_code doid_name``): PubMed
co-occurrences of MeSH symptoms with MeSH diseases, the diseases mapped to DO
by dhimmel/hsdn. Each row gives an edge ``DOID:x HAS_PHENOTYPE MESH:<symptom_id>``
with ``score`` = the TF-IDF score, evidence ``"co-occurrences=<n> (PubMed)"``
and no frequency. The symptom is a PhenotypicFeature node ``MESH:<symptom_id>``
labelled ``symptom_name``; the disease a Disease node labelled ``doid_name``.

Several MeSH diseases can map to one DO disease (e.g. Coronary Disease,
Coronary Artery Disease and Myocardial Ischemia all map to DOID:3393), so a
(DOID, symptom) pair can repeat: such rows are merged into one edge that keeps
the row with the highest TF-IDF score (its score and co-occurrence count);
the number of merged pairs is in the notes.

Example:
    >>> parse_float("3.46455148953797", Path("s.tsv"), 2)
    3.46455148953797
"""

from __future__ import annotations

import math
from pathlib import Path

from kg.curie import normalize_curie
from kg.errors import InvalidCurieError, SourceFormatError
from kg.model import Edge, Node, NodeType, Predicate, SourceData
from kg.sources._io import read_tsv
from kg.sources.base import register_source
from kg.sources.pharmacotherapydb import add_node, source_dir

NAME = "hsdn"
SUBDIR = "hsdn"
FILE = "symptoms-DO.tsv"
VERSION = "HSDN (Zhou et al. 2014; dhimmel/hsdn DO mapping)"
LICENSE = "as published (Zhou et al. 2014, Nat Commun, supplementary data)"
COLUMNS = ("symptom_name", "cooccurs", "tfidf_score", "symptom_id", "doid_code", "doid_name")


def parse_float(text: str, path: Path, line: int) -> float:
    """A finite float from a field.

    Raises:
        SourceFormatError: not a finite number, naming the file and line.
    """
    try:
        value = float(text)
    except ValueError:
        raise SourceFormatError(path, line, f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise SourceFormatError(path, line, f"expected a finite number, got {text!r}")
    return value


def parse_count(text: str, path: Path, line: int) -> int:
    """A non-negative integer count from a field.

    Raises:
        SourceFormatError: not a non-negative integer, naming the file and line.

    Example:
        >>> parse_count("3", Path("s.tsv"), 2)
        3
    """
    if not text.strip().isdigit():
        raise SourceFormatError(path, line, f"expected a count, got {text!r}")
    return int(text)


def row_curies(row: dict[str, str], path: Path, line: int) -> tuple[str, str]:
    """The (disease, symptom) CURIEs of a row.

    Raises:
        SourceFormatError: an empty or malformed id, naming the file and line.
    """
    doid, mesh = row["doid_code"].strip(), row["symptom_id"].strip()
    try:
        if not doid or not mesh:
            raise InvalidCurieError("empty id")
        disease = normalize_curie(doid if ":" in doid else f"DOID:{doid}")
        symptom = normalize_curie(mesh if ":" in mesh else f"MESH:{mesh}")
    except InvalidCurieError as e:
        raise SourceFormatError(path, line, f"bad disease or symptom id: {e}") from e
    return disease, symptom


def evidence_for(cooccurs: int) -> str:
    """The evidence text: ``co-occurrences=<n> (PubMed)``."""
    return f"co-occurrences={cooccurs} (PubMed)"


@register_source(
    NAME,
    description="HSDN: disease-symptom links mined from PubMed MeSH co-occurrence (TF-IDF scored)",
    license=LICENSE,
    subdir=SUBDIR,
)
def load(data_dir: Path | None) -> SourceData:
    """Read ``symptoms-DO.tsv`` into Disease/PhenotypicFeature nodes and HAS_PHENOTYPE edges.

    Args:
        data_dir: the data folder root (the file is ``hsdn/symptoms-DO.tsv``).

    Raises:
        ConfigError: no data folder.
        SourceFileMissing: the file is not there.
        SourceFormatError: a malformed row (bad id, count or score).
    """
    path = source_dir(data_dir, NAME, SUBDIR) / FILE
    nodes: dict[str, Node] = {}
    edges: dict[tuple[str, str], Edge] = {}
    rows = merged = 0
    for line, row in read_tsv(path, NAME, required=COLUMNS):
        rows += 1
        disease, symptom = row_curies(row, path, line)
        score = parse_float(row["tfidf_score"], path, line)
        cooccurs = parse_count(row["cooccurs"], path, line)
        add_node(nodes, Node(disease, NodeType.DISEASE, row["doid_name"].strip() or None, NAME))
        add_node(
            nodes, Node(symptom, NodeType.PHENOTYPE, row["symptom_name"].strip() or None, NAME)
        )
        old = edges.get((disease, symptom))
        if old is not None:
            merged += 1
            if old.score is not None and old.score >= score:
                continue
        edges[(disease, symptom)] = Edge(
            disease,
            Predicate.HAS_PHENOTYPE,
            symptom,
            NAME,
            evidence=evidence_for(cooccurs),
            score=score,
        )
    notes = [
        f"{rows} rows -> {len(edges)} edges; {merged} rows merged into an existing "
        "(disease, symptom) pair (several MeSH diseases map to one DOID; highest TF-IDF kept)",
        "score = HSDN TF-IDF (unbounded, not a frequency)",
    ]
    return SourceData(
        name=NAME,
        version=VERSION,
        nodes=list(nodes.values()),
        edges=list(edges.values()),
        license=LICENSE,
        files=[str(path)],
        notes=notes,
    )
