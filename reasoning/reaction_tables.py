"""The two curated tables the prose reaction reader (:mod:`reasoning.text_reactions`) uses.

* :data:`REACTION_FINDINGS_FILE`: findings that are drug reactions by definition or in most cases
  (Stevens-Johnson syndrome, DRESS, drug allergy), each with the source that says a drug causes it.
* :data:`DRUG_CLASS_WORDS_FILE`: words for drug classes (``steroid``, ``NSAID``, ``opioid``), each
  with the DrugCentral class it names and the source that uses the word for it.

Both are tab-separated with ``#`` comments, beside this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.curie import normalize_curie
from kg.errors import ExtractionError, InvalidCurieError
from kg.extraction.tables import table_lines

REACTION_FINDINGS_FILE = Path(__file__).with_name("reaction_findings.tsv")
DRUG_CLASS_WORDS_FILE = Path(__file__).with_name("drug_class_words.tsv")


@dataclass(frozen=True)
class DrugClass:
    """A drug class a word names: DrugCentral's class id (the graph's CURIE) and name."""

    id: str
    name: str


def _rows(path: Path, width: int) -> list[list[str]]:
    """The table's rows: ``width`` non-empty tab-separated fields each, stripped."""
    out = []
    for n, line in table_lines(path, "table"):
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) != width or not all(fields):
            raise ExtractionError(f"{path}:{n}: expected {width} non-empty tab-separated fields; got {line!r}")
        out.append(fields)
    return out


@cache
def reaction_findings(path: Path = REACTION_FINDINGS_FILE) -> frozenset[str]:
    """The ids of the findings that are drug reactions by definition or in most cases.

    Raises:
        ExtractionError: the table cannot be read, or a line has not three fields (id, label,
            source) or an id that is no CURIE.

    Example:
        >>> "DOID:0050426" in reaction_findings()  # Stevens-Johnson syndrome
        True
    """
    rows = _rows(path, 3)
    for cid, _label, _source in rows:
        if not re.fullmatch(r"[A-Za-z]+:\w+", cid):
            raise ExtractionError(f"{path}: {cid!r} is no CURIE")
    return frozenset(r[0] for r in rows)


@cache
def drug_class_words(path: Path = DRUG_CLASS_WORDS_FILE) -> tuple[re.Pattern[str], dict[str, DrugClass]]:
    """A pattern that finds the table's class words in text (in any case, a space or hyphen
    for a space or hyphen, a plural ``s`` allowed), and the class of each word, by the word
    as :func:`key` spells it.

    Raises:
        ExtractionError: the table cannot be read, or a line has not four fields (word, class
            id, class name, source), or a class id that is no CURIE of the graph (``NDFRT:N0000175722``).

    Example:
        >>> rx, of = drug_class_words()
        >>> [of[key(m.group("word"))].name for m in rx.finditer("NSAIDs, Steroid-induced, ACE-inhibitor")]
        ['Nonsteroidal Anti-inflammatory Drug', 'Corticosteroid', 'Angiotensin-Converting Enzyme Inhibitors']
    """
    rows = _rows(path, 4)
    for _w, cid, _name, _source in rows:
        try:
            if normalize_curie(cid) != cid:
                raise InvalidCurieError(f"{cid!r} is not spelt as its CURIE {normalize_curie(cid)!r}")
        except InvalidCurieError as e:
            raise ExtractionError(f"{path}: class id {cid!r} is no CURIE of the graph: {e}") from e
    of = {key(w): DrugClass(cid, name) for w, cid, name, _source in rows}
    words = sorted((w for w, *_ in rows), key=len, reverse=True)
    spelt = [r"[\s-]+".join(map(re.escape, re.split(r"[\s-]+", w))) for w in words]
    rx = re.compile(r"(?<![\w-])(?P<word>" + "|".join(spelt) + r")s?(?![\w])", re.IGNORECASE)
    return rx, of


def key(word: str) -> str:
    """A class word as :func:`drug_class_words` keys it (lower case, one space for spaces and hyphens)."""
    return " ".join(re.split(r"[\s-]+", word.lower()))
