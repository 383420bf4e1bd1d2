"""The DDXPlus knowledge base (Mila, 2022): 49 conditions and their evidences.

Reads ``<data_dir>/ddxplus/release_conditions.json`` (condition name ->
``cond-name-eng``, ``icd10-id``, ``symptoms``, ``antecedents``, ``severity``) and
``release_evidences.json`` (evidence code ``E_<n>`` -> ``question_en``, ...).

* each condition -> a Disease node ``DDXPLUS:<slug>`` (slug of
  ``condition_name``: accents removed, lower case, runs of non-alphanumerics ->
  ``_``), labelled ``cond-name-eng``, with xrefs ``ICD10:<code>`` (``icd10-id``
  upper-cased; ``"j17, j18"`` gives two xrefs);
* each evidence -> a PhenotypicFeature node ``DDXPLUS:E_<n>`` labelled with its
  English question (it is a question, e.g. "Do you have a fever ...?");
* each condition symptom -> ``HAS_PHENOTYPE`` with evidence ``"DDXPlus symptom"``;
  each antecedent (risk factor or history) -> ``HAS_PHENOTYPE`` with evidence
  ``"DDXPlus antecedent"``.

Condition severity (1 = most severe .. 5) has no place in the model; its
distribution is reported in the notes.

Example:
    >>> slug("Guillain-Barré syndrome"), slug("Bronchospasm / acute asthma exacerbation")
    ('guillain_barre_syndrome', 'bronchospasm_acute_asthma_exacerbation')
    >>> icd10_xrefs("j17, j18"), icd10_xrefs("g44.009")
    (('ICD10:J17', 'ICD10:J18'), ('ICD10:G44.009',))
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from kg.curie import normalize_curie
from kg.errors import InvalidCurieError, SourceFormatError
from kg.model import Edge, Node, NodeType, Predicate, SourceData
from kg.sources._io import read_json
from kg.sources.base import register_source
from kg.sources.pharmacotherapydb import source_dir

NAME = "ddxplus"
SUBDIR = "ddxplus"
CONDITIONS_FILE = "release_conditions.json"
EVIDENCES_FILE = "release_evidences.json"
VERSION = "DDXPlus release (release_conditions.json / release_evidences.json)"
LICENSE = "CC BY 4.0"

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ICD10 = re.compile(r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$")


def slug(name: str) -> str:
    """Lower-case ASCII slug of a condition name (non-alphanumerics -> ``_``)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _NON_ALNUM.sub("_", ascii_name.lower()).strip("_")


def icd10_xrefs(text: str) -> tuple[str, ...]:
    """``ICD10:`` CURIEs of an ``icd10-id`` field (comma-separated, upper-cased).

    Codes that do not look like ICD-10 (letter, two digits, optional ``.xxx``)
    are left out.
    """
    codes = (c.strip().upper() for c in text.split(","))
    return tuple(normalize_curie(f"ICD10:{c}") for c in codes if _ICD10.match(c))


def _mapping(value: Any, path: Path, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        kind = type(value).__name__
        raise SourceFormatError(path, None, f"{what}: expected a JSON object, got {kind}")
    return value


def _text(record: dict[str, Any], key: str, path: Path, what: str) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SourceFormatError(path, None, f"{what}: missing or empty {key!r}")
    return value.strip()


def _curie(local: str, path: Path, where: str) -> str:
    try:
        return normalize_curie(f"DDXPLUS:{local}")
    except InvalidCurieError as e:
        raise SourceFormatError(path, None, f"{where}: {e}") from e


def evidence_nodes(evidences: dict[str, Any], path: Path) -> dict[str, Node]:
    """PhenotypicFeature nodes keyed by evidence code.

    Raises:
        SourceFormatError: an evidence that is not an object or has no English question.
    """
    out: dict[str, Node] = {}
    for code, record in evidences.items():
        rec = _mapping(record, path, f"evidence {code!r}")
        question = _text(rec, "question_en", path, f"evidence {code!r}")
        curie = _curie(code.strip(), path, f"evidence {code!r}")
        out[code] = Node(curie, NodeType.PHENOTYPE, question, NAME)
    return out


def condition_edges(
    disease: str,
    record: dict[str, Any],
    phenotypes: dict[str, Node],
    path: Path,
) -> list[Edge]:
    """The HAS_PHENOTYPE edges of one condition (symptoms, then antecedents).

    Raises:
        SourceFormatError: a condition that cites an evidence code not in the evidence file.
    """
    edges: list[Edge] = []
    seen: set[str] = set()
    for key, evidence in (("symptoms", "DDXPlus symptom"), ("antecedents", "DDXPlus antecedent")):
        for code in _mapping(record.get(key, {}), path, f"{disease} {key}"):
            node = phenotypes.get(code)
            if node is None:
                raise SourceFormatError(
                    path, None, f"condition {disease}: unknown evidence code {code!r} in {key}"
                )
            if node.id in seen:
                continue
            seen.add(node.id)
            edges.append(Edge(disease, Predicate.HAS_PHENOTYPE, node.id, NAME, evidence=evidence))
    return edges


@register_source(
    NAME,
    description="DDXPlus: 49 common conditions (ICD-10) with symptom and antecedent evidences",
    license=LICENSE,
    subdir=SUBDIR,
)
def load(data_dir: Path | None) -> SourceData:
    """Read the DDXPlus conditions and evidences into nodes and HAS_PHENOTYPE edges.

    Args:
        data_dir: the data folder root (the files are under ``ddxplus/``).

    Raises:
        ConfigError: no data folder.
        SourceFileMissing: a file is not there.
        SourceFormatError: invalid JSON, an unexpected structure, no conditions or evidences at
            all, a malformed id or an unknown evidence code.
    """
    folder = source_dir(data_dir, NAME, SUBDIR)
    cpath, epath = folder / CONDITIONS_FILE, folder / EVIDENCES_FILE
    conditions = _mapping(read_json(cpath, NAME), cpath, "top level")
    phenotypes = evidence_nodes(_mapping(read_json(epath, NAME), epath, "top level"), epath)
    for path, what, got in ((cpath, "conditions", conditions), (epath, "evidences", phenotypes)):
        if not got:  # asked for, DDXPlus must give something; an empty object is a broken download
            raise SourceFormatError(path, None, f"no {what} (an empty JSON object)")
    diseases: dict[str, Node] = {}
    edges: list[Edge] = []
    severity: Counter[str] = Counter()
    for key, record in conditions.items():
        rec = _mapping(record, cpath, f"condition {key!r}")
        curie = _curie(slug(_text(rec, 'condition_name', cpath, key)), cpath, f"condition {key!r}")
        if curie in diseases:
            raise SourceFormatError(cpath, None, f"two conditions give the id {curie}")
        label = rec.get("cond-name-eng") or rec["condition_name"]
        xrefs = icd10_xrefs(str(rec.get("icd10-id") or ""))
        diseases[curie] = Node(curie, NodeType.DISEASE, str(label).strip(), NAME, xrefs=xrefs)
        edges.extend(condition_edges(curie, rec, phenotypes, cpath))
        severity[str(rec.get("severity"))] += 1
    n_sym = sum(1 for e in edges if e.evidence == "DDXPlus symptom")
    notes = [
        f"{len(diseases)} conditions, {len(phenotypes)} evidences; "
        f"{n_sym} symptom and {len(edges) - n_sym} antecedent edges",
        "condition severity (not in the graph): "
        + ", ".join(f"{k}: {v}" for k, v in sorted(severity.items())),
    ]
    return SourceData(
        name=NAME,
        version=VERSION,
        nodes=[*diseases.values(), *phenotypes.values()],
        edges=edges,
        license=LICENSE,
        files=[str(cpath), str(epath)],
        notes=notes,
    )
