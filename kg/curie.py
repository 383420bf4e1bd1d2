"""CURIEs and the prefix map used everywhere in medkg.

The prefix map is read from ``ontologies/prefixes.json`` semantics but kept here
as data so that ``kg`` works from an installed wheel; ``ontologies/prefixes.json``
is generated from it and checked equal in the tests.

Example:
    >>> expand("HP:0001166")
    'http://purl.obolibrary.org/obo/HP_0001166'
    >>> contract("http://purl.obolibrary.org/obo/HP_0001166")
    'HP:0001166'
    >>> normalize_curie("omim:154700"), normalize_curie("drugbank:db01235")
    ('OMIM:154700', 'DRUGBANK:DB01235')
    >>> drug_curie("DB01235"), drug_curie("L-DOPA")
    ('DRUGBANK:DB01235', None)
"""

from __future__ import annotations

import re
from typing import NewType

from kg.errors import InvalidCurieError

CURIE = NewType("CURIE", str)
"""A compact URI such as ``OMIM:154700`` or ``HP:0001166``."""

MEDKG_NS = "https://w3id.org/medkg/"

PREFIXES: dict[str, str] = {
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "OMIM": "https://omim.org/entry/",
    "ORPHA": "https://www.orpha.net/ORDO/Orphanet_",
    "DECIPHER": "https://www.deciphergenomics.org/syndrome/",
    "DOID": "http://purl.obolibrary.org/obo/DOID_",
    "MESH": "http://id.nlm.nih.gov/mesh/",
    "DRUGBANK": "https://go.drugbank.com/drugs/",
    "ICD10CM": "http://purl.bioontology.org/ontology/ICD10CM/",
    "ICD10": "http://purl.bioontology.org/ontology/ICD10/",
    "ICD9CM": "http://purl.bioontology.org/ontology/ICD9CM/",
    "UMLS": "http://linkedlifedata.com/resource/umls/id/",
    "NCIT": "http://purl.obolibrary.org/obo/NCIT_",
    "SNOMEDCT": "http://snomed.info/id/",
    "EFO": "http://www.ebi.ac.uk/efo/EFO_",
    "KEGG": "https://www.kegg.jp/entry/",
    "MEDDRA": "http://identifiers.org/meddra/",
    "PUBCHEM": "http://identifiers.org/pubchem.compound/",
    "DDXPLUS": MEDKG_NS + "ddxplus/",
    "PMID": "https://pubmed.ncbi.nlm.nih.gov/",
    "medkg": MEDKG_NS,
}

# Longest namespace first so that contraction picks the most specific prefix.
_BY_NAMESPACE = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
_CASE_FOLD = {p.upper(): p for p in PREFIXES}
_CURIE_RE = re.compile(r"^([A-Za-z][A-Za-z0-9_.]*):(\S+)$")
_UPPER_LOCAL = frozenset({"DRUGBANK"})
"""Prefixes whose local ids are upper case by definition (DrugBank: ``DB`` and five digits)."""
_DRUGBANK_ACCESSION = re.compile(r"^DB\d{5}$", re.IGNORECASE)


def is_curie(text: str) -> bool:
    """Whether ``text`` is a CURIE with a prefix in the prefix map.

    Example:
        >>> is_curie("HP:0001166"), is_curie("XX:1"), is_curie("HP 1")
        (True, False, False)
    """
    m = _CURIE_RE.match(text)
    return bool(m) and m.group(1).upper() in _CASE_FOLD


def normalize_curie(text: str) -> CURIE:
    """Return ``text`` as a CURIE with the canonical prefix spelling (and, for
    DrugBank, the canonical upper-case local id).

    Raises:
        InvalidCurieError: not a CURIE, or its prefix is unknown.
    """
    m = _CURIE_RE.match(text.strip())
    if not m:
        raise InvalidCurieError(f"not a CURIE (PREFIX:LOCAL expected): {text!r}")
    prefix = _CASE_FOLD.get(m.group(1).upper())
    if prefix is None:
        raise InvalidCurieError(
            f"unknown CURIE prefix {m.group(1)!r} in {text!r}; known: {', '.join(PREFIXES)}"
        )
    local = m.group(2).upper() if prefix in _UPPER_LOCAL else m.group(2)
    return CURIE(f"{prefix}:{local}")


def drug_curie(text: str) -> CURIE | None:
    """``text`` as a drug CURIE: a CURIE (normalised) or a bare DrugBank accession
    (``DB01235`` → ``DRUGBANK:DB01235``); None when it is neither (a drug name, say).

    Raises:
        InvalidCurieError: it has the shape of a CURIE but its prefix is unknown.

    Example:
        >>> drug_curie(" db00268 "), drug_curie("drugbank:DB00268"), drug_curie("levodopa")
        ('DRUGBANK:DB00268', 'DRUGBANK:DB00268', None)
    """
    text = text.strip()
    if _DRUGBANK_ACCESSION.match(text):
        return CURIE(f"DRUGBANK:{text.upper()}")
    return normalize_curie(text) if _CURIE_RE.match(text) else None


def expand(curie: str) -> str:
    """Expand a CURIE to its IRI.

    Raises:
        InvalidCurieError: not a CURIE with a known prefix.
    """
    c = normalize_curie(curie)
    prefix, local = c.split(":", 1)
    return PREFIXES[prefix] + local


def contract(iri: str) -> CURIE:
    """Contract an IRI to a CURIE.

    Raises:
        InvalidCurieError: no prefix in the map covers the IRI.
    """
    for prefix, ns in _BY_NAMESPACE:
        if iri.startswith(ns) and len(iri) > len(ns):
            return CURIE(f"{prefix}:{iri[len(ns):]}")
    raise InvalidCurieError(f"no prefix covers IRI {iri!r}")


def prefix_of(curie: str) -> str:
    """The prefix of a CURIE (``'OMIM'`` for ``'OMIM:154700'``)."""
    return curie.split(":", 1)[0]
