"""The recogniser's dictionary: every label and synonym of the graph's
phenotypes, diseases and drugs, keyed by normalised token sequence.

Terms are stored in a token trie for longest-match lookup, and (for terms of
two to four content words whose bag of words names one concept only) in an
order-free index, so that ``cysts of the jaw`` can find ``Jaw cyst`` (and
``thumbs were absent`` ``Absent thumb``). The names of a concept named with
the seizure noun *absence* (``Absence seizure``, ``Typical absence``) are
left out of that index where their normal form has ``absent``: the seizure
is not the lack of something (``seizures were absent`` is no ``Absence seizure``).

When several concepts share a normal form, the dictionary picks one by a
fixed order and keeps the others as alternatives: a concept of a vocabulary
made for its kind comes first (HPO phenotypes, then diseases, then drugs),
phenotypes of other vocabularies (MeSH symptoms, UMLS side effects, DDXPLUS
evidences: lists that also name diseases, ``Type 2 diabetes mellitus`` as a
side effect) last; within each of these, by prefix (HP > DOID > OMIM > ORPHA >
DRUGBANK > MESH > UMLS > others), then preferred label over synonym, then id.
See :func:`_rank`.

Read from a bundle, the Disease Ontology's root (``disease``) and its direct
children (``syndrome``, ``genetic disease``, ``disease of metabolism``) are
left out: they are categories of diseases, not diagnoses, and a bare
``syndrome`` (``a rare syndrome``) names none. Likewise, HPO terms outside
the phenotypic-abnormality and mode-of-inheritance branches (the root
``All``, clinical modifiers such as ``Severe`` or ``Bilateral``, frequencies,
onsets) are left out: they qualify findings rather than name them. So are the inheritance qualifiers
(``Imprinted``, ``Uniparental disomy``, ``Typified by incomplete penetrance``):
they qualify a mode of inheritance or name a genetic mechanism.

Example:
    >>> d = Dictionary.from_concepts([
    ...     ("HP:0001166", "phenotype", "Arachnodactyly", ["Spider fingers"]),
    ...     ("HP:0010603", "phenotype", "Odontogenic keratocysts of the jaw", ["Jaw cysts"]),
    ...     ("OMIM:154700", "disease", "Marfan syndrome", ["MFS"])])
    >>> len(d), d.entry(("spider", "finger")).id
    (6, 'HP:0001166')
    >>> d.bag_entry(("cyst", "jaw")).id
    'HP:0010603'
    >>> d.entry(("mfs",)).case_sensitive
    True
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from kg.errors import ExtractionError
from kg.extraction.tables import table_lines
from kg.extraction.text import ABSENCE_SEIZURE_HEADS, PUNCT, STOPWORDS, norm_phrase, norm_word, token_matches
from kg.extraction.types import EntityType

if TYPE_CHECKING:
    from kg.stores.base import GraphStore

NODE_TYPES: dict[str, EntityType] = {
    "PhenotypicFeature": "phenotype",
    "Disease": "disease",
    "Drug": "drug",
}
_TYPE_RANK = {"phenotype": 0, "disease": 1, "drug": 2}
_OTHER_PHENOTYPE_RANK = 3
"""Where a phenotype outside HPO ranks: after every disease and drug."""
_PREFIX_RANK = {p: i for i, p in enumerate(("HP", "DOID", "OMIM", "ORPHA", "DRUGBANK", "MESH", "UMLS"))}
PHENOTYPE_ROOTS = ("HP:0000118", "HP:0000005")
"""Phenotypic abnormality and Mode of inheritance: the HPO branches recognised."""
INHERITANCE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "HP:0000006": ("Dominant inheritance", "Dominantly inherited", "Dominant trait", "Dominant form",
                   "Dominant transmission"),
    "HP:0000007": ("Recessive inheritance", "Recessively inherited", "Recessive trait", "Recessive form",
                   "Recessive transmission"),
}
"""How genetics text names the autosomal modes without the word *autosomal*
(HPO lists ``Autosomal dominant form``, not ``dominant form``). Added to the
two terms' synonyms; a match right after ``X-linked``, ``Y-linked`` or
``pseudoautosomal`` is left to the longer term it is part of."""
LAY_SYNONYMS_FILE = Path(__file__).with_name("lay_synonyms.tsv")
"""The table of everyday names of HPO terms (see :func:`lay_synonyms`), beside this module."""


def lay_synonyms(path: str | Path | None = None) -> dict[str, tuple[str, ...]]:
    """Everyday and shorthand names of HPO terms that HPO does not list (``jaundiced``,
    ``breathlessness``, ``faltering growth``, ``bedwetting``, ``SOB``), by term id: the curated
    table :data:`LAY_SYNONYMS_FILE` (id, label, name, source a line; ``#`` comments; each name
    with a public page that uses it for the finding), or the table at ``path``. The recogniser adds them to the terms' synonyms
    (:func:`recognised_concepts`).

    Raises:
        ExtractionError: the table cannot be read, or a line has not four tab-separated fields,
            an id that is no HPO id, or no name or source.

    Example:
        >>> lay_synonyms()["HP:0010677"]
        ('bedwetting', 'bed wetting')
    """
    path = LAY_SYNONYMS_FILE if path is None else path
    out: dict[str, tuple[str, ...]] = {}
    for n, line in table_lines(path, "lay synonyms table"):
        fields = line.split("\t")
        if len(fields) != 4 or not re.fullmatch(r"HP:[0-9]{7}", fields[0]) or not fields[2].strip() \
                or not fields[3].strip():
            raise ExtractionError(f"{path}:{n}: expected an HPO id, its label, a name and a source, tab-separated; "
                                  f"got {line!r}")
        out[fields[0]] = (*out.get(fields[0], ()), fields[2].strip())
    return out


DISEASE_ROOTS = ("DOID:4",)
"""Disease Ontology's root: it and its direct children are categories, not recognised."""
EXCLUDED_BRANCHES = ("HP:0034335",)
"""Inheritance qualifier: a branch below the recognised roots that is left out."""
_SKIP = STOPWORDS | PUNCT
_DISCIPLINE_ENDINGS = ("ology", "iatry", "iatrics")
"""How the one-word names of medical disciplines end (``Oncology``, ``Psychiatry``,
``Paediatrics``): such a synonym names the field, no finding (``Ocular Oncology Center``)."""
END = ""
"""The trie key marking the end of a term (no token is empty); its value is
the term's index in :attr:`Dictionary.entries`."""

Concept = tuple[str, EntityType, str | None, Sequence[str]]
"""``(id, type, label, synonyms)``."""


class Entry(NamedTuple):
    """What a dictionary term names.

    Attributes:
        id: the chosen concept.
        type: its entity type.
        is_label: the term is the concept's preferred label (else a synonym).
        case_sensitive: the term is an upper-case abbreviation, matched only
            in upper case in the text.
        alternatives: other concepts with the same normal form.
    """

    id: str
    type: EntityType
    is_label: bool
    case_sensitive: bool = False
    alternatives: tuple[str, ...] = ()


def _is_abbreviation(term: str) -> bool:
    return len(term) <= 6 and term.isupper()


def _rank(c: tuple[str, EntityType, bool]) -> tuple[int, int, int, str]:
    """The sort key of a concept ``(id, type, is_label)`` among those sharing a
    name: HPO phenotypes, then diseases, then drugs, then phenotypes of other
    vocabularies; then the prefix order; label before synonym; id.

    Hetionet's side effects (UMLS) and symptoms (MeSH) name many diseases
    (``Parkinson's disease``, ``Breast cancer``): as phenotypes they would turn
    a drug that treats the disease into a drug that treats a side effect.

    Example:
        >>> sorted([("UMLS:C0011860", "phenotype", True), ("DOID:9352", "disease", True),
        ...         ("HP:0005978", "phenotype", False), ("DRUGBANK:DB1", "drug", True)], key=_rank)[:3]
        [('HP:0005978', 'phenotype', False), ('DOID:9352', 'disease', True), ('DRUGBANK:DB1', 'drug', True)]
    """
    cid, typ, is_label = c
    prefix = cid.split(":", 1)[0]
    kind = _OTHER_PHENOTYPE_RANK if typ == "phenotype" and prefix != "HP" else _TYPE_RANK[typ]
    return (kind, _PREFIX_RANK.get(prefix, 99), 0 if is_label else 1, cid)


_PAREN = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")


def _variants(name: str, key: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Extra normal forms of a phenotype's name: without a parenthetical
    (``Cochlear malformation defect (Mondini dysplasia)``); a congenital or
    neonatal finding said to be there at birth (:func:`_at_birth`); with a
    word in its Latin or Greek plural (:func:`_classical_plurals`).

    Example:
        >>> _variants("Large (giant) ears", norm_phrase("Large (giant) ears"))
        [('large', 'ear')]
    """
    out = []
    if "(" in name or "[" in name:
        bare = norm_phrase(_PAREN.sub("", name))
        if bare and bare != key:
            out.append(bare)
    out.extend(_at_birth(key))
    out.extend(_classical_plurals(key))
    return out


_BIRTH_WORDS = frozenset({"congenital", "neonatal"})
"""The first words of the names of findings there at birth (see :func:`_at_birth`)."""


def _at_birth(key: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A congenital or neonatal finding (normal form ``key``) as text says it of a
    newborn: ``X at birth``, ``X from birth`` (``Hypotonia at birth``, ``hypotonic
    at birth`` for *Neonatal hypotonia*; ``cataract from birth`` for *Congenital
    cataract*). What is there at birth is congenital, and neonatal (first 28 days).

    Example:
        >>> _at_birth(("congenital", "cataract")), _at_birth(("cataract",))
        ([('cataract', 'at', 'birth'), ('cataract', 'from', 'birth')], [])
    """
    if key[0] not in _BIRTH_WORDS or len(key) < 2 or key[1] in _SKIP:
        return []
    return [(*key[1:], "at", "birth"), (*key[1:], "from", "birth")]


_CLASSICAL_PLURALS = (
    # (singular ending, plural ending, the shortest word): Latin and Greek nouns
    ("ion", "ia", 6),  # chalazion, ganglion (not the -tion/-sion nouns: see below)
    ("um", "a", 5),  # diverticulum, septum
    ("us", "i", 5),  # bronchus, embolus, thrombus, calculus
    ("ix", "ices", 5),  # varix, appendix
    ("ex", "ices", 5),  # cortex, apex
    ("edo", "edones", 5),  # comedo
    ("igo", "igines", 6),  # lentigo
    ("men", "mina", 5),  # foramen, lumen
)
"""How Latin and Greek nouns of a name form their plural where English adds no ``s``
(the ``-a``/``-ae``, ``-oma``/``-omata`` and ``-thorax`` plurals are normalised by
:func:`~kg.extraction.text.norm_word` itself)."""


def _classical_plurals(key: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The normal form ``key`` of a name with one of its words in its Latin or Greek
    plural (:data:`_CLASSICAL_PLURALS`), as text writes it: ``chalazia`` for
    *Chalazion*, ``colonic diverticula``, ``oesophageal varices``, ``multiple lentigines``.

    Example:
        >>> _classical_plurals(("chalazion",)), _classical_plurals(("colon", "diverticulum"))
        ([('chalazia',)], [('colon', 'diverticula')])
        >>> _classical_plurals(("malformation",)), _classical_plurals(("lentigo",))
        ([], [('lentigine',)])
    """
    out = []
    for i, w in enumerate(key):
        if w in _SKIP or not w.isalpha():
            continue
        for sing, plur, shortest in _CLASSICAL_PLURALS:
            if w.endswith(sing) and len(w) >= shortest:
                if (sing == "ion" and w[-4] in "ts") or (sing == "us" and w[-3] == "o"):
                    break  # malformation, lesion: English plurals; fibrous: an adjective
                p = norm_word(w[: -len(sing)] + plur)
                if p != w:
                    out.append((*key[:i], p, *key[i + 1 :]))
                break
    return out


BOUND_PREFIXES = tuple(sorted(
    "pre post non hypo hyper intra inter supra infra sub peri para pseudo poly oligo hemi micro macro "
    "neuro semi multi anti extra retro".split(), key=len, reverse=True))
"""Prefixes that text writes joined to their word, or apart with a hyphen or a space
(``preauricular``, ``pre-auricular``; ``nonprogressive``, ``non-progressive``)."""


def _prefix_variants(name: str, key: tuple[str, ...]) -> list[tuple[tuple[str, ...], str | None]]:
    """The normal forms of a name (normal form ``key``) with a word that starts with a
    bound prefix (:data:`BOUND_PREFIXES`) written apart, as text hyphenates it
    (``Preauricular pit`` as ``pre-auricular pits``), and with a prefix the name writes
    apart joined to its word (``Non-progressive X`` as ``nonprogressive X``); each with the
    rest of the split word (to be checked against the words names use: ``hypo`` and
    ``plasia`` are no hyphenation of ``hypoplasia``), or ``None`` for a joined one.

    Example:
        >>> _prefix_variants("Preauricular pit", norm_phrase("Preauricular pit"))
        [(('pre', 'auricular', 'pit'), 'auricular')]
        >>> _prefix_variants("Non-progressive encephalopathy", norm_phrase("Non-progressive encephalopathy"))
        [(('nonprogressive', 'encephalopathy'), None)]
    """
    words = [m.group().lower() for m in token_matches(name)]
    if len(words) != len(key):
        return []
    out: list[tuple[tuple[str, ...], str | None]] = []
    for i, w in enumerate(words):
        if not w.startswith(BOUND_PREFIXES) or not w.isalpha():
            continue
        if w in BOUND_PREFIXES:
            if i + 1 < len(words) and words[i + 1].isalpha():
                out.append(((*key[:i], norm_word(w + words[i + 1]), *key[i + 2 :]), None))
            continue
        p = next(p for p in BOUND_PREFIXES if w.startswith(p))
        if len(w) - len(p) >= 4:
            rest = norm_word(w[len(p) :])
            out.append(((*key[:i], norm_word(p), rest, *key[i + 1 :]), rest))
    return out


def _bag(key: tuple[str, ...]) -> tuple[str, ...]:
    """The sorted content words of a term.

    Example:
        >>> _bag(("cyst", "of", "the", "jaw")), _bag(("type", "a", "brachydactyly"))
        (('cyst', 'jaw'), ('a', 'brachydactyly', 'type'))
    """
    return tuple(sorted(t for t in key if t not in _SKIP))


_LINKS = re.compile(r"[-/]|\b(?:and|or)\b", re.IGNORECASE)
"""What may coordinate two words of a name."""


def coordinated_words(name: str, key: tuple[str, ...]) -> set[tuple[str, str]]:
    """The pairs of words (normal forms, sorted) that a name (normal form ``key``)
    coordinates: either side of ``and``/``or``, a slash or a hyphen
    (``Enlarged liver and spleen``, ``Cleft lip/palate``, ``Hereditary
    breast-ovarian cancer``). (A hyphenated name, ``Prader-Willi``, gives a pair
    too: its words are seldom coordinated in a text.)

    Example:
        >>> n = "Hyperparathyroidism-jaw tumor syndrome"
        >>> sorted(coordinated_words(n, norm_phrase(n)))
        [('hyperparathyroidism', 'jaw')]
        >>> [sorted(coordinated_words(n, norm_phrase(n))) for n in (
        ...  "Sparse or absent eyelashes", "Cleft lip/palate", "Breast and/or ovarian cancer")]
        [[('absent', 'sparse')], [('lip', 'palate')], [('breast', 'ovary')]]
    """
    toks = list(token_matches(name))
    if len(toks) != len(key):
        return set()
    out = set()
    for i in range(len(toks) - 1):
        a, j = key[i], i + 1
        while j < len(key) and key[j] in ("and", "or"):  # ``and``, ``or``, ``and/or``
            j += 1
        if j == i + 1 and name[toks[i].end() : toks[i + 1].start()].strip() not in ("-", "/"):
            continue
        if j == len(key):
            continue
        b = key[j]
        if a not in _SKIP and b not in _SKIP and a != b:
            out.add((a, b) if a < b else (b, a))
    return out


_ABSENCE_WORD = re.compile(r"\babsence(?P<plural>s)?\b(?!\s+of\b)", re.IGNORECASE)


def names_seizure_absence(name: str, key: tuple[str, ...]) -> bool:
    """Whether a name (normal form ``key``) uses the seizure noun *absence*, not
    the lack of something: before or with a seizure noun of
    :data:`~kg.extraction.text.ABSENCE_SEIZURE_HEADS` (``Absence seizure``,
    ``Epilepsy, juvenile absence``), or counted (``Myoclonic absences``,
    ``Perioral myoclonia with absences``); never ``absence of X``.

    The other names of such a concept use the word in that sense too (``Typical
    absence`` beside ``Typical absence seizure``); no adjective ``absent`` in a
    text stands for it (``seizures were absent``, ``juvenile epilepsy was
    absent``), so the concept's names with the normal form ``absent`` are left
    out of the order-free index, matched in the order of their words only.

    Example:
        >>> [names_seizure_absence(n, norm_phrase(n)) for n in ("Absence seizures", "Epilepsy, juvenile absence",
        ...  "Myoclonic absences", "Parathyroid absence", "Absence of the thumb", "Absent seizures")]
        [True, True, True, False, False, False]
    """
    m = _ABSENCE_WORD.search(name)
    return m is not None and (m.group("plural") is not None or not ABSENCE_SEIZURE_HEADS.isdisjoint(key))


def recognised_concepts(
    rows: Iterable[Sequence[Any]],
    isa: Iterable[Sequence[str]],
    roots: Sequence[str] = PHENOTYPE_ROOTS,
    excluded: Sequence[str] = EXCLUDED_BRANCHES,
    categories: Iterable[str] = (),
    extra_synonyms: Mapping[str, Sequence[str]] | None = None,
) -> Iterator[Concept]:
    """The concepts to recognise from ``(id, node label, label, synonyms)``
    rows: HPO terms only below ``roots`` (all if it is empty) and not below
    ``excluded``, and a root by its label alone (``Mode of inheritance`` names
    the branch; its synonym ``Inheritance`` names no finding); no concept of
    ``categories`` (see :func:`disease_categories`). ``extra_synonyms`` (by id:
    :func:`lay_synonyms`) are added to their concepts' synonyms.

    Example:
        >>> rows = [("HP:1", "PhenotypicFeature", "Root", ["R"]), ("HP:2", "PhenotypicFeature", "Kid", ["K"]),
        ...         ("HP:3", "PhenotypicFeature", "Other", []), ("HP:5", "PhenotypicFeature", "Qualifier", []),
        ...         ("DOID:4", "Disease", "D", [])]
        >>> isa = [("HP:2", "HP:1"), ("HP:5", "HP:1")]
        >>> [(c[0], c[3]) for c in recognised_concepts(rows, isa, ["HP:1"], ["HP:5"])]
        [('HP:1', []), ('HP:2', ['K']), ('DOID:4', [])]
    """
    if roots:
        isa = list(isa)
        keep: set[str] | None = descendants(isa, roots) - (descendants(isa, excluded) if excluded else set())
    else:
        keep = None
    top = set(roots)
    skip = set(categories)
    for i, t, lab, syn in rows:
        if i in skip:
            continue
        if keep is None or not i.startswith("HP:") or i in keep:
            extra = [*(INHERITANCE_SYNONYMS.get(i, ()) if keep is not None else ()),
                     *(extra_synonyms.get(i, ()) if extra_synonyms else ())]
            yield (i, NODE_TYPES[t], lab, [] if i in top else [*(syn or []), *extra])


def disease_categories(isa: Iterable[Sequence[str]], roots: Iterable[str] = DISEASE_ROOTS) -> set[str]:
    """The roots of a disease hierarchy and their direct children, from
    ``(child, parent)`` pairs: the categories (``disease``, ``syndrome``,
    ``disease of metabolism``) that name no diagnosis.

    Example:
        >>> sorted(disease_categories([("DOID:225", "DOID:4"), ("DOID:14323", "DOID:225")]))
        ['DOID:225', 'DOID:4']
    """
    top = set(roots)
    return top | {c for c, p in isa if p in top}


def descendants(isa: Iterable[Sequence[str]], roots: Iterable[str]) -> set[str]:
    """The roots and every term below them, from ``(child, parent)`` pairs.

    Example:
        >>> sorted(descendants([("b", "a"), ("c", "b"), ("d", "x")], ["a"]))
        ['a', 'b', 'c']
    """
    children: dict[str, list[str]] = {}
    for c, p in isa:
        children.setdefault(p, []).append(c)
    seen = set(roots)
    todo = list(seen)
    while todo:
        for c in children.get(todo.pop(), ()):
            if c not in seen:
                seen.add(c)
                todo.append(c)
    return seen


class Dictionary:
    """Normalised terms → concepts, with a trie for longest-match lookup."""

    def __init__(self, concepts: Iterable[Concept], *, min_chars: int = 3) -> None:
        enabled = gc.isenabled()
        gc.disable()  # ~10^6 small containers: the cyclic collector would rescan them again and again
        try:
            self._build(concepts, min_chars)
        finally:
            if enabled:
                gc.enable()

    cache_status = "off"
    """How :meth:`from_bundle` got this dictionary (``hit``, ``written``, ...)."""

    def _build(self, concepts: Iterable[Concept], min_chars: int) -> None:
        by_key: dict[tuple[str, ...], dict[str, tuple[EntityType, bool, bool]]] = {}
        self.types: dict[str, EntityType] = {}
        self.labels: dict[str, str] = {}
        variants: list[tuple[tuple[str, ...], str]] = []
        prefixed: list[tuple[tuple[str, ...], str, str | None]] = []  # see _prefix_variants
        adjectives: set[str] = set()
        seizure_absences: set[str] = set()  # named with the seizure noun *absence* (names_seizure_absence)
        linked: set[tuple[str, str]] = set()  # the pairs of words some name coordinates
        self.adjective_names = adjectives
        """One-word names that are adjectives ending in ``-ic`` (``Sporadic``):
        matched as such, unlike an adjective that only shares a normal form
        with a noun (``myotonic`` ~ ``Myotonia``)."""
        for cid, typ, label, synonyms in concepts:
            if typ not in _TYPE_RANK:
                raise ExtractionError(f"{cid}: unknown entity type {typ!r}")
            self.types[cid] = typ
            if label:
                self.labels[cid] = label
            names = [(label, True)] if label else []
            names += [(s, False) for s in synonyms if s]
            for name, is_label in names:
                key = norm_phrase(name)
                if len(key) == 1 and key[0].endswith(_DISCIPLINE_ENDINGS) and not is_label:
                    continue  # a discipline names no finding (HPO lists ``Oncology`` for *Neoplasm*)
                if "absence" in name.lower() and names_seizure_absence(name, key):
                    seizure_absences.add(cid)
                if len(key) == 1 and name[-2:].lower() == "ic":
                    adjectives.add(key[0])
                if _LINKS.search(name):
                    linked.update(coordinated_words(name, key))
                if typ == "phenotype":
                    variants.extend((v, cid) for v in _variants(name, key))
                    prefixed.extend((v, cid, rest) for v, rest in _prefix_variants(name, key))
                have = by_key.get(key)
                if have is None:
                    content = [t for t in key if t not in _SKIP]
                    if not content or sum(map(len, content)) < min_chars:
                        continue
                    have = by_key[key] = {}
                old = have.get(cid)
                if old is None or (is_label and not old[1]):
                    have[cid] = (typ, is_label, _is_abbreviation(name))
        if prefixed:  # a prefix written apart only before a word that names use (``pre-auricular``)
            vocabulary = {w for key in by_key for w in key}
            variants.extend((v, cid) for v, cid, rest in prefixed if rest is None or rest in vocabulary)
        for key, cid in variants:  # only where no name of any concept has that form
            if key not in by_key or set(by_key[key]) == {cid}:
                by_key.setdefault(key, {}).setdefault(cid, ("phenotype", False, False))
        self.trie: dict[str, dict] = {}
        self.entries: list[Entry] = []
        self._entries: dict[tuple[str, ...], Entry] = {}
        bags: dict[tuple[str, ...], set[str]] = {}
        for key, cands in by_key.items():
            ranked = [(c, t, lab) for c, (t, lab, _a) in cands.items()]
            if len(ranked) > 1:
                ranked.sort(key=_rank)
            best = ranked[0]
            entry = Entry(
                best[0],
                best[1],
                best[2],
                case_sensitive=all(a for _t, _l, a in cands.values()),
                alternatives=tuple(c for c, _t, _l in ranked[1:]),
            )
            self._entries[key] = entry
            node = self.trie
            for tok in key:
                node = node.setdefault(tok, {})
            node[END] = len(self.entries)  # type: ignore[assignment]
            self.entries.append(entry)
            if len(key) > 1 and not entry.case_sensitive:
                bag = _bag(key)
                if 2 <= len(bag) <= 4:
                    ids = cands.keys() - seizure_absences if "absent" in bag else cands.keys()
                    if ids:
                        bags.setdefault(bag, set()).update(ids)
        self._index_trie()
        self.bag_ids = {bag: best for bag, ids in bags.items() if (best := self._unambiguous(ids))}
        """Sorted bag of content words → the concept it names, where unambiguous."""
        words = {w for bag in self.bag_ids for w in bag}
        self.coordinated_pairs = frozenset(p for p in linked if p[0] in words and p[1] in words)
        """Pairs of words (sorted) that some name coordinates (:func:`coordinated_words`:
        ``Enlarged liver and spleen``, ``Breast-ovarian cancer``, ``Cleft
        lip/palate``), among the words of order-free terms: an order-free match
        crosses an ``and``/``or`` of the text only between such a pair (``liver and
        spleen were enlarged``, ``hereditary breast and ovarian cancer``;
        ``absent reflexes and seizures`` is no ``Reflex seizure``)."""
        self.bag_pairs = frozenset((a, b) for bag in self.bag_ids for a in bag for b in bag if a != b)
        """Ordered pairs of words that occur together in some bag (prunes the search)."""

    def _unambiguous(self, ids: set[str]) -> str | None:
        """The concept a bag of words names: the only one, or else the
        best-ranked (as for a shared normal form: ``Type C brachydactyly``
        beside the diseases ``Brachydactyly, type C``) unless two concepts of
        one type from one vocabulary share the bag (then it is ambiguous)."""
        if len(ids) == 1:
            return next(iter(ids))
        kinds = {(self.types[i], i.split(":")[0]) for i in ids}
        if len(kinds) < len(ids):
            return None
        return min(((i, self.types[i], False) for i in ids), key=_rank)[0]

    def _index_trie(self) -> None:
        """The trie's one-word terms and the word pairs longer terms start with."""
        self.singles = {w: node[END] for w, node in self.trie.items() if END in node}
        """One-word term → its index in :attr:`entries`."""
        self.first_pairs = frozenset((w, v) for w, node in self.trie.items() for v in node if v != END)
        """The first two words of every longer term."""
        self.methods = ["dictionary" if e.is_label else "dictionary-synonym" for e in self.entries]
        """The method of a match of each entry (parallel to :attr:`entries`)."""

    def to_state(self) -> dict[str, Any]:
        """The dictionary as plain dicts, lists, tuples and strings (what
        :mod:`kg.extraction.dictionary_cache` writes with ``marshal``)."""
        return {
            "types": self.types,
            "labels": self.labels,
            "keys": list(self._entries),
            "entries": [tuple(e) for e in self.entries],
            "trie": self.trie,
            "bags": self.bag_ids,
            "bag_pairs": self.bag_pairs,
            "coordinated_pairs": self.coordinated_pairs,
            "adjective_names": self.adjective_names,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Dictionary:
        """The dictionary back from :meth:`to_state`.

        Example:
            >>> d = Dictionary.from_concepts([("HP:0001166", "phenotype", "Arachnodactyly", ["Spider fingers"])])
            >>> e = Dictionary.from_state(d.to_state())
            >>> e.entry(("spider", "finger")) == d.entry(("spider", "finger")), len(e)
            (True, 2)
        """
        self = cls.__new__(cls)
        self.types = state["types"]
        self.labels = state["labels"]
        self.entries = list(map(Entry._make, state["entries"]))
        self._entries = dict(zip(state["keys"], self.entries, strict=True))
        self.trie = state["trie"]
        self.bag_ids = state["bags"]
        self._index_trie()
        self.bag_pairs = state["bag_pairs"]
        self.coordinated_pairs = state["coordinated_pairs"]
        self.adjective_names = state["adjective_names"]
        return self

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self.types

    def entry(self, key: tuple[str, ...]) -> Entry | None:
        """The entry of an exact normal form, if any."""
        return self._entries.get(key)

    def bag_entry(self, bag: tuple[str, ...]) -> Entry | None:
        """The entry of a sorted bag of content words, if it names a concept (see :attr:`bag_ids`)."""
        cid = self.bag_ids.get(bag)
        return None if cid is None else self.bag_entry_of(cid)

    def bag_entry_of(self, cid: str) -> Entry:
        """The entry of a concept found by its bag of words (a synonym-like match)."""
        return Entry(cid, self.types[cid], False)

    @classmethod
    def from_concepts(cls, concepts: Iterable[Concept], **kw: int) -> Dictionary:
        """A dictionary from ``(id, type, label, synonyms)`` tuples (tests, tools)."""
        return cls(concepts, **kw)

    @classmethod
    def from_store(
        cls,
        store: GraphStore,
        *,
        phenotype_roots: Sequence[str] = PHENOTYPE_ROOTS,
        disease_roots: Sequence[str] = DISEASE_ROOTS,
        **kw: int,
    ) -> Dictionary:
        """Read every phenotype, disease and drug name from a graph store.

        Args:
            store: an open store (Cypher or SPARQL).
            phenotype_roots: HPO terms whose descendants (and themselves) are
                kept; other ``HP:`` terms are left out. Empty keeps all.
            disease_roots: roots of the disease hierarchy; they and their
                direct children are left out (see :func:`disease_categories`).
                Empty keeps all.
        """
        from kg.queries import extraction as q
        from kg.queries.graph_reads import LIST_SEPARATOR

        sparql = store.language == "sparql"
        if sparql:
            rows = [
                (i, t, lab, syn.split(LIST_SEPARATOR) if syn else [])
                for i, t, lab, syn in store.query(q.DICTIONARY_SPARQL).rows
            ]
        else:
            rows = store.query(q.dictionary_cypher(store.engine)).rows
        isa = store.query(q.PHENOTYPE_ISA_SPARQL if sparql else q.PHENOTYPE_ISA_CYPHER).rows if phenotype_roots else []
        categories = disease_categories(
            store.query(q.DISEASE_ISA_SPARQL if sparql else q.DISEASE_ISA_CYPHER).rows, disease_roots
        ) if disease_roots else set()
        return cls(recognised_concepts(rows, isa, phenotype_roots, categories=categories,
                                       extra_synonyms=lay_synonyms()), **kw)

    @classmethod
    def from_bundle(
        cls, kg_dir: str | Path, *, cache_dir: str | Path | Literal[False] | None = None, **kw: Any
    ) -> Dictionary:
        """Read the dictionary from a bundle's LadybugDB store, through the
        on-disk cache (:mod:`kg.extraction.dictionary_cache`).

        Args:
            kg_dir: the bundle.
            cache_dir: where compiled dictionaries are kept; ``None`` is
                ``~/.cache/medkg/extraction`` (``$XDG_CACHE_HOME``), ``False``
                reads the store every time.
            **kw: options of :meth:`from_store`.

        The result's ``cache_status`` says what happened: ``hit``, ``written``,
        ``off`` or ``not written: <reason>`` (an unwritable cache folder is
        reported, not fatal).

        Raises:
            BundleError: no bundle at ``kg_dir``.
        """
        from kg.bundle import Bundle
        from kg.extraction import dictionary_cache as cache
        from kg.settings import default_cache_dir
        from kg.stores import open_store

        bundle = Bundle(kg_dir)
        bundle.manifest()
        path = fp = None
        if cache_dir is not False:
            fp = cache.fingerprint(bundle, repr(sorted(kw.items())))
            path = cache.cache_file(cache_dir if cache_dir is not None else default_cache_dir() / "extraction", bundle)
            hit = cache.read(path, fp)
            if hit is not None:
                hit.cache_status = "hit"
                return hit
        with open_store(bundle.selector("ladybug")) as store:
            d = cls.from_store(store, **kw)
        d.cache_status = "off"
        if path is not None and fp is not None:
            try:
                cache.write(path, fp, d)
                d.cache_status = "written"
            except OSError as e:
                d.cache_status = f"not written: {e}"
        return d
