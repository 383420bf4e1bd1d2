"""SIDER 4.1 drug side effects (dhimmel/SIDER4 copy); non-commercial, off by default.

Reads two headerless gzip TSVs under ``<data_dir>/sider4/`` (layout from the
folder's ``README.txt``):

* ``meddra_all_se.tsv.gz``: ``stitch_flat stitch_stereo label_cui meddra_type
  meddra_cui se_name``;
* ``meddra_freq.tsv.gz``: ``stitch_flat stitch_stereo label_cui placebo
  frequency_text lower upper meddra_type meddra_cui se_name``.

Only MedDRA preferred-term rows (``meddra_type == "PT"``) are used. Each
distinct (compound, PT) pair gives one edge ``PUBCHEM:<cid> HAS_ADVERSE_EFFECT
UMLS:<meddra_cui>``, where ``<cid>`` is the PubChem compound id inside the flat
STITCH id (``CID100000085`` -> ``PUBCHEM:85``). The side effect is a
PhenotypicFeature node labelled with the MedDRA PT name; the drug a Drug node
labelled with its flat STITCH id (SIDER 4 as copied here has no drug names).

Frequencies come from the non-placebo ``meddra_freq`` PT rows of the pair:
``frequency_label`` is the distinct frequency texts joined by ``"; "`` (e.g.
``"21%; 5%"`` or ``"rare; postmarketing"``); ``frequency`` is the mean of
``(lower + upper) / 2`` over the rows whose text is numeric (a percentage or a
numeric range such as ``1-2%``), clamped to 0..1. Qualitative texts
(``common``: 0.01–1, ``postmarketing``: 0–0.001, ...) carry bounds too wide to
give a meaningful point value, so a pair with only such texts has
``frequency=None`` and its text in ``frequency_label``. Placebo-arm rows are
ignored (counted in the notes). Label indications (``meddra_all_indications``)
are not read.

Example:
    >>> pubchem_curie("CID100000085", Path("se.tsv.gz"), 1)
    'PUBCHEM:85'
    >>> is_numeric_frequency("21%"), is_numeric_frequency("1 to 2%"), is_numeric_frequency("rare")
    (True, True, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import SourceFormatError
from kg.model import Edge, Node, NodeType, Predicate, SourceData
from kg.sources._io import iter_lines, require_file
from kg.sources.base import register_source
from kg.sources.pharmacotherapydb import source_dir

NAME = "sider"
SUBDIR = "sider4"
SE_FILE = "meddra_all_se.tsv.gz"
FREQ_FILE = "meddra_freq.tsv.gz"
VERSION = "SIDER 4.1"
LICENSE = "CC BY-NC-SA 4.0 (non-commercial)"

SE_FIELDS = 6
FREQ_FIELDS = 10
_STITCH = re.compile(r"^CID[01](\d{8})$")
_NUMERIC = re.compile(r"\d")


@dataclass(slots=True)
class _Freq:
    """Frequency facts gathered for one (drug, side effect) pair."""

    labels: dict[str, None] = field(default_factory=dict)
    points: list[float] = field(default_factory=list)


def pubchem_curie(stitch_id: str, path: Path, line: int) -> str:
    """The ``PUBCHEM:`` CURIE of a STITCH compound id (flat ``CID1…`` or stereo ``CID0…``).

    Raises:
        SourceFormatError: not a STITCH compound id, naming the file and line.
    """
    m = _STITCH.match(stitch_id)
    if not m:
        raise SourceFormatError(
            path, line, f"expected a STITCH id like CID100000085, got {stitch_id!r}"
        )
    return f"PUBCHEM:{int(m.group(1))}"


def umls_curie(cui: str, path: Path, line: int) -> str:
    """The ``UMLS:`` CURIE of a concept id ``C0000737``.

    Raises:
        SourceFormatError: not a UMLS CUI, naming the file and line.

    Example:
        >>> umls_curie("C0000737", Path("se.tsv.gz"), 1)
        'UMLS:C0000737'
    """
    if not (len(cui) == 8 and cui[0] == "C" and cui[1:].isdigit()):
        raise SourceFormatError(path, line, f"expected a UMLS CUI like C0000737, got {cui!r}")
    return f"UMLS:{cui}"


def is_numeric_frequency(text: str) -> bool:
    """Whether a SIDER frequency text gives numbers (``21%``, ``1-2%``) rather than a word."""
    return bool(_NUMERIC.search(text))


def midpoint(lower: str, upper: str, path: Path, line: int) -> float:
    """The midpoint of a frequency range, clamped to 0..1.

    Raises:
        SourceFormatError: a bound that is not a number, naming the file and line.

    Example:
        >>> midpoint("0.01", "0.02", Path("f.tsv.gz"), 1)
        0.015
    """
    try:
        lo, hi = float(lower), float(upper)
    except ValueError:
        raise SourceFormatError(path, line, f"bad frequency bounds {lower!r}, {upper!r}") from None
    return min(1.0, max(0.0, (lo + hi) / 2))


def _bad_row(parts: list[str], expected: int, path: Path, line: int) -> SourceFormatError:
    return SourceFormatError(
        path, line, f"expected {expected} tab-separated fields, got {len(parts)}"
    )


def read_side_effects(
    path: Path,
) -> tuple[dict[str, str], dict[str, str], dict[tuple[str, str], None]]:
    """PT rows of ``meddra_all_se``: drug labels, side-effect labels and distinct pairs.

    Raises:
        SourceFileMissing: no such file.
        SourceFormatError: a row with the wrong number of fields or a bad id.
    """
    drugs: dict[str, str] = {}
    effects: dict[str, str] = {}
    pairs: dict[tuple[str, str], None] = {}
    cuis: dict[str, str] = {}
    for n, line in iter_lines(path, NAME):
        parts = line.split("\t")
        if len(parts) != SE_FIELDS:
            if not line:
                continue
            raise _bad_row(parts, SE_FIELDS, path, n)
        if parts[3] != "PT":
            continue
        drug = drugs.get(parts[0])
        if drug is None:
            drug = drugs[parts[0]] = pubchem_curie(parts[0], path, n)
        effect = cuis.get(parts[4])
        if effect is None:
            effect = cuis[parts[4]] = umls_curie(parts[4], path, n)
            effects[effect] = parts[5].strip()
        pairs[(drug, effect)] = None
    if not pairs:
        raise SourceFormatError(path, None, "no MedDRA preferred-term (PT) rows")
    return drugs, effects, pairs


def read_frequencies(path: Path) -> tuple[dict[tuple[str, str], _Freq], int]:
    """Non-placebo PT frequency facts of ``meddra_freq`` by pair, and the placebo row count.

    Raises:
        SourceFileMissing: no such file.
        SourceFormatError: a row with the wrong number of fields, a bad id or bad bounds.
    """
    out: dict[tuple[str, str], _Freq] = {}
    placebo = 0
    cids: dict[str, str] = {}
    cuis: dict[str, str] = {}
    for n, line in iter_lines(path, NAME):
        parts = line.split("\t")
        if len(parts) != FREQ_FIELDS:
            if not line:
                continue
            raise _bad_row(parts, FREQ_FIELDS, path, n)
        if parts[7] != "PT":
            continue
        if parts[3]:
            placebo += 1
            continue
        drug = cids.get(parts[0])
        if drug is None:
            drug = cids[parts[0]] = pubchem_curie(parts[0], path, n)
        effect = cuis.get(parts[8])
        if effect is None:
            effect = cuis[parts[8]] = umls_curie(parts[8], path, n)
        key = (drug, effect)
        facts = out.get(key)
        if facts is None:
            facts = out[key] = _Freq()
        text = parts[4].strip()
        facts.labels[text] = None
        if is_numeric_frequency(text):
            facts.points.append(midpoint(parts[5], parts[6], path, n))
    return out, placebo


def _edge(drug: str, effect: str, facts: _Freq | None) -> Edge:
    if facts is None:
        return Edge(drug, Predicate.HAS_ADVERSE_EFFECT, effect, NAME, evidence="SIDER label")
    freq = sum(facts.points) / len(facts.points) if facts.points else None
    return Edge(
        drug,
        Predicate.HAS_ADVERSE_EFFECT,
        effect,
        NAME,
        evidence="SIDER label",
        frequency=round(freq, 6) if freq is not None else None,
        frequency_label="; ".join(t for t in facts.labels if t) or None,
    )


@register_source(
    NAME,
    description="SIDER 4.1 drug side effects from drug labels (NON-COMMERCIAL licence; "
    "off unless asked for with --sources)",
    license=LICENSE,
    default=False,
    subdir=SUBDIR,
)
def load(data_dir: Path | None) -> SourceData:
    """Read SIDER 4.1 side effects and frequencies into HAS_ADVERSE_EFFECT edges.

    Args:
        data_dir: the data folder root (the files are under ``sider4/``).

    Raises:
        ConfigError: no data folder.
        SourceFileMissing: a file is not there.
        SourceFormatError: a malformed row.
    """
    folder = source_dir(data_dir, NAME, SUBDIR)
    se_path, freq_path = folder / SE_FILE, folder / FREQ_FILE
    require_file(freq_path, NAME)
    drugs, effects, pairs = read_side_effects(se_path)
    freqs, placebo = read_frequencies(freq_path)
    edges = [_edge(d, e, freqs.get((d, e))) for d, e in pairs]
    nodes = [Node(c, NodeType.DRUG, flat, NAME) for flat, c in drugs.items()]
    nodes += [Node(c, NodeType.PHENOTYPE, label or None, NAME) for c, label in effects.items()]
    freq_only = sum(1 for k in freqs if k not in pairs)
    with_freq = sum(1 for e in edges if e.frequency is not None)
    with_label = sum(1 for e in edges if e.frequency_label is not None)
    notes = [
        f"{len(edges)} distinct (drug, MedDRA PT) pairs; {with_label} with a frequency "
        f"text, {with_freq} with a numeric frequency",
        f"ignored {placebo} placebo-arm frequency rows (PT)",
        "drug nodes are labelled with their flat STITCH id (no drug names in SIDER 4)",
        "label indications (meddra_all_indications) not read",
    ]
    if freq_only:
        notes.append(f"{freq_only} frequency pairs not in meddra_all_se were ignored")
    return SourceData(
        name=NAME,
        version=VERSION,
        nodes=nodes,
        edges=edges,
        license=LICENSE,
        files=[str(se_path), str(freq_path)],
        notes=notes,
    )
