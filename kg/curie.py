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
import unicodedata
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
    "CHEBI": "http://purl.obolibrary.org/obo/CHEBI_",
    "NDFRT": "http://purl.bioontology.org/ontology/NDFRT/",
    "DDXPLUS": MEDKG_NS + "ddxplus/",
    "PMID": "https://pubmed.ncbi.nlm.nih.gov/",
    "medkg": MEDKG_NS,
}

# Longest namespace first so that contraction picks the most specific prefix.
_BY_NAMESPACE = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
_CASE_FOLD = {p.upper(): p for p in PREFIXES}
_CURIE_RE = re.compile(r"^([A-Za-z][A-Za-z0-9_.]*):(\S+)$")
_UPPER_LOCAL = frozenset({"DRUGBANK", "MESH", "NDFRT", "UMLS", "NCIT", "ICD10", "ICD10CM", "ICD9CM"})
"""Prefixes whose local ids are upper case by definition (DrugBank: ``DB`` and five digits)."""
_DRUGBANK_ACCESSION = re.compile(r"^DB(?:\d{5}|SALT\d{6})$", re.IGNORECASE | re.ASCII)
_ICD9 = r"(?:\d{3}|V\d{2}|E\d{3})(?:\.\d{1,2})?"
_ICD10_CODE = r"[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?"

LOCAL_IDS: dict[str, tuple[str, str]] = {
    "HP": (r"\d{7}", "7 digits"),
    "OMIM": (r"(?:PS)?\d{6}", "6 digits (a MIM number) or PS and 6 digits (a phenotypic series)"),
    "ORPHA": (r"\d+", "digits"),
    "DECIPHER": (r"\d+", "digits"),
    "DOID": (r"\d+", "digits"),
    "MESH": (r"[A-Z]\d{6}(?:\d{3})?", "a letter and 6 or 9 digits, e.g. D000544 or C000657245"),
    "DRUGBANK": (r"DB\d{5}|DBSALT\d{6}", "DB and 5 digits, or DBSALT and 6 digits (a salt)"),
    "ICD10CM": (f"{_ICD10_CODE}(?:-{_ICD10_CODE})?", "a code like E11 or K50.911, or a range E08-E13"),
    "ICD10": (f"{_ICD10_CODE}(?:-{_ICD10_CODE})?", "a code like Q87 or Q87.4, or a range A00-A09"),
    "ICD9CM": (f"{_ICD9}(?:-{_ICD9})?", "a code like 277.9, V12 or a range 614-616.99"),
    "UMLS": (r"C\d{7}", "C and 7 digits"),
    "NCIT": (r"C\d+", "C and digits"),
    "SNOMEDCT": (r"\d{6,18}", "6 to 18 digits"),
    "EFO": (r"\d{7}", "7 digits"),
    "KEGG": (r"[A-Za-z]{0,4}\d{5}", "up to 4 letters and 5 digits, e.g. H00583 or 04950"),
    "MEDDRA": (r"\d{8}", "8 digits"),
    "PUBCHEM": (r"\d+", "digits"),
    "CHEBI": (r"\d+", "digits"),
    "NDFRT": (r"N\d{10}", "N and 10 digits (an FDA MED-RT/NDF-RT class, e.g. N0000175722)"),
    "DDXPLUS": (r"[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*", "letters, digits and single underscores"),
    "PMID": (r"\d+", "digits"),
}
"""Per prefix, the pattern its local ids follow (checked by :func:`normalize_curie`) and how it
is described in an error; a prefix not listed takes any local id without spaces. The patterns
fit every id of the reference data (``medkg build`` on the full data folder) except the typos
the Disease Ontology's xrefs hold (``OMIM:6111107``, ``MSH:563466``, ...), which it skips and counts.
They also take ids that are real but not in that data: OMIM phenotypic series (``OMIM:PS154700``,
which later Disease Ontology releases cite and users type), DrugBank salts (``DBSALT000001``) and
ICD-10 block ranges (``ICD10:A00-A09``); such ids expand under the prefix's namespace like any other.
The patterns are ASCII only: a look-alike digit (fullwidth ``１``, Arabic-Indic ``١``) is refused,
naming the character, not normalised, so that an id is stored exactly as its source wrote it."""
_LOCAL_RE = {p: re.compile(f"^(?:{rx})$", re.ASCII) for p, (rx, _) in LOCAL_IDS.items()}


def _non_ascii(local: str) -> str:
    """The first non-ASCII character of ``local``, described for an error message."""
    ch = next(c for c in local if not c.isascii())
    return f"{ch!r} (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')})"


def curie_shaped(text: str) -> bool:
    """Whether ``text`` has the shape ``PREFIX:LOCAL``, whatever the prefix.

    Example:
        >>> curie_shaped("MONDO:0007947"), curie_shaped("Marfan"), curie_shaped("HP: 1")
        (True, False, False)
    """
    return bool(_CURIE_RE.match(text))


def is_curie(text: str) -> bool:
    """Whether ``text`` is a CURIE with a prefix in the prefix map.

    Example:
        >>> is_curie("HP:0001166"), is_curie("XX:1"), is_curie("HP 1")
        (True, False, False)
    """
    m = _CURIE_RE.match(text)
    return bool(m) and m.group(1).upper() in _CASE_FOLD


_OBO_IRI = re.compile(r"^(?:https?://purl\.obolibrary\.org/obo/|obo:)([A-Za-z]+)_(\w+)$")
_UNDERSCORE = re.compile(r"^([A-Za-z]+)_(\w+)$")


def _meant(text: str) -> str:
    """A hint naming the CURIE that ``text`` writes another way (an IRI such as
    ``http://purl.obolibrary.org/obo/HP_0001166``, or ``HP_0001166``), or ``""``. Never used in
    its place: an id is read as written or refused.

    Example:
        >>> _meant("http://purl.obolibrary.org/obo/HP_0001166"), _meant("hp_0001166"), _meant("Marfan")
        (': an IRI; its CURIE is HP:0001166', ': HP:0001166 is the CURIE', '')
    """
    for rx, what in ((_OBO_IRI, "an IRI; its CURIE is {}"), (_UNDERSCORE, "{} is the CURIE")):
        m = rx.match(text)
        if m is not None:
            prefix = _CASE_FOLD.get(m.group(1).upper())
            if prefix is not None:
                return ": " + what.format(f"{prefix}:{m.group(2)}")
    try:
        return f": an IRI; its CURIE is {contract(text)}" if text.startswith(("http://", "https://")) else ""
    except InvalidCurieError:
        return ""


def normalize_curie(text: str) -> CURIE:
    """Return ``text`` as a CURIE with the canonical prefix spelling (and, for
    vocabularies whose ids are upper case, such as DrugBank and MeSH, the upper-case local id),
    its local id checked against the prefix's pattern (:data:`LOCAL_IDS`).

    Raises:
        InvalidCurieError: not a CURIE, its prefix is unknown, or its local id is malformed
            (empty, not of the prefix's pattern, or holding a non-ASCII character).

    Example:
        >>> normalize_curie("OMIM:foo")
        Traceback (most recent call last):
        ...
        kg.errors.InvalidCurieError: malformed OMIM id 'OMIM:foo': expected 6 digits (a MIM number) or PS and 6 digits (a phenotypic series) after 'OMIM:'
        >>> normalize_curie("ORPHA:")
        Traceback (most recent call last):
        ...
        kg.errors.InvalidCurieError: malformed ORPHA id 'ORPHA:': the local id after 'ORPHA:' is empty
        >>> normalize_curie("HP:０００１１６６")
        Traceback (most recent call last):
        ...
        kg.errors.InvalidCurieError: malformed HP id 'HP:０００１１６６': expected 7 digits after 'HP:' in ASCII; it holds the non-ASCII character '０' (U+FF10 FULLWIDTH DIGIT ZERO)
        >>> normalize_curie("omim:PS154700"), normalize_curie("DrugBank:dbsalt000001")
        ('OMIM:PS154700', 'DRUGBANK:DBSALT000001')
    """
    text = text.strip()
    prefix_part, sep, local = text.partition(":")
    if sep and prefix_part and not local:
        prefix = _CASE_FOLD.get(prefix_part.upper())
        if prefix is not None:
            raise InvalidCurieError(f"malformed {prefix} id {text!r}: the local id after '{prefix}:' is empty")
    m = _CURIE_RE.match(text)
    if not m:
        raise InvalidCurieError(f"not a CURIE (PREFIX:LOCAL expected): {text!r}{_meant(text)}")
    prefix = _CASE_FOLD.get(m.group(1).upper())
    if prefix is None:
        meant = _meant(text)
        raise InvalidCurieError(
            f"unknown CURIE prefix {m.group(1)!r} in {text!r}"
            + (meant if meant else f"; known: {', '.join(PREFIXES)}")
        )
    pattern = _LOCAL_RE.get(prefix)
    if pattern is not None and not m.group(2).isascii():
        raise InvalidCurieError(
            f"malformed {prefix} id {text!r}: expected {LOCAL_IDS[prefix][1]} after '{prefix}:' in ASCII; "
            f"it holds the non-ASCII character {_non_ascii(m.group(2))}"
        )
    local = m.group(2).upper() if prefix in _UPPER_LOCAL else m.group(2)
    if pattern is not None and not pattern.match(local):
        raise InvalidCurieError(f"malformed {prefix} id {text!r}: expected {LOCAL_IDS[prefix][1]} after '{prefix}:'")
    return CURIE(f"{prefix}:{local}")


def drug_curie(text: str) -> CURIE | None:
    """``text`` as a drug CURIE: a CURIE (normalised) or a bare DrugBank accession
    (``DB01235`` → ``DRUGBANK:DB01235``, or a salt ``DBSALT000001``); None when it is neither (a drug name, say).

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
