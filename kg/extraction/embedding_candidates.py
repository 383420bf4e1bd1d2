"""Embedding candidates: phrases the dictionary did not cover, linked to
phenotypes by sentence embeddings (opt-in: ``medkg extract
--embedding-candidates``).

After the dictionary (and abbreviations) ran over a document, each sentence
is cut into *windows*: runs of :data:`MIN_WINDOW` to :data:`MAX_WINDOW` tokens (2 to 4) that

* lie between punctuation marks (no window crosses ``, ; : ( )``),
* start and end with a word that occurs in some phenotype name (function
  words may sit inside: ``absence of vocalization``),
* hold a word that says what is wrong, not only where (``upper eyelid``,
  ``cranial nerve`` name parts of the body; see :func:`location_words`), and
* overlap no mention the dictionary found.

Each distinct window text is linked (:meth:`kg.linking.Linker.link`, the
bundle's ``names`` index) to its nearest phenotype names. A window is a
candidate when the best concept the dictionary recognises scores a cosine of
at least ``threshold`` and beats the next concept by ``margin``; of
overlapping candidates the best-scored is kept (then the longer). A mention
found this way has method ``embedding`` and its cosine as score; its
assertion comes from the same ConText rules as the dictionary's mentions.

The dictionary's own mentions are never changed: windows only fill text the
dictionary left uncovered.

Example (with a stand-in for the linker; a real one embeds the windows):
    >>> from kg.extraction.recognizer import Recognizer
    >>> r = Recognizer.from_concepts([("HP:0002019", "phenotype", "Constipation", []),
    ...                              ("HP:0001263", "phenotype", "Global developmental delay", [])])
    >>> near = {"developmental delay": [("HP:0001263", 0.91)]}
    >>> r.embedding = EmbeddingCandidates(lambda texts: [near.get(t, []) for t in texts], r.dictionary,
    ...                                   threshold=0.8, margin=0.0)
    >>> [(m.text, m.id, m.method, m.score) for m in r.extract("Constipation and developmental delay.").entities]
    [('Constipation', 'HP:0002019', 'dictionary', 1.0), ('developmental delay', 'HP:0001263', 'embedding', 0.91)]
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kg.extraction.dictionary import END, Dictionary, Entry
from kg.extraction.text import PUNCT, STOPWORDS, Memo, norm_words, token_spans
from kg.extraction.types import EntityType

if TYPE_CHECKING:
    from kg.bundle import Bundle
    from kg.linking import Linker
    from kg.settings import Settings

MAX_WINDOW = 4
"""Tokens in a window at most."""

DEFAULT_THRESHOLD = 0.92
"""The lowest cosine of a window to its concept's nearest name (tuned on one half of GSC-2024)."""

DEFAULT_MARGIN = 0.0
"""How much the best concept must beat the next one by."""

MIN_WINDOW = 2
"""Tokens in a window at least."""

METHOD = "embedding"
"""The ``method`` of a mention found this way."""

Nearest = Callable[[Sequence[str]], list[list[tuple[str, float]]]]
"""``nearest(texts)``: for each text, ``(concept id, cosine)`` pairs, best first, one per concept."""

_Candidate = tuple[int, int, Entry, str]


class EmbeddingCandidates:
    """Adds embedding-linked mentions for windows the dictionary left uncovered.

    Args:
        nearest: the nearest concepts of texts (see :data:`Nearest`), e.g.
            :func:`linker_nearest` over a bundle's :class:`~kg.linking.Linker`.
        dictionary: the recogniser's dictionary: its concepts of ``types``
            are the ones a window may name, and their names' words the ones
            a window may start and end with.
        threshold: the lowest cosine kept.
        margin: the lowest difference between the best and the second concept.
        types: entity types a window may be linked to.
        max_window: tokens in a window at most.
        min_window: tokens in a window at least (single words are the
            dictionary's business: one it does not know is rarely a finding).
        vocabulary: words a window may start and end with (normalised, see
            :func:`kg.extraction.text.norm_word`); by default the words of
            the names of the dictionary's concepts of ``types``.
        locations: words that only say where (``eyelid``, ``kidney``): a
            window needs a content word that is not one of them; by default
            :func:`location_words` of the dictionary.
    """

    def __init__(
        self,
        nearest: Nearest,
        dictionary: Dictionary,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        margin: float = DEFAULT_MARGIN,
        types: Iterable[EntityType] = ("phenotype",),
        max_window: int = MAX_WINDOW,
        min_window: int = MIN_WINDOW,
        vocabulary: Iterable[str] | None = None,
        locations: Iterable[str] | None = None,
    ) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be in 0..1, not {threshold!r}")
        if max_window < 1:
            raise ValueError(f"max_window must be at least 1, not {max_window!r}")
        self.nearest = nearest
        self.dictionary = dictionary
        self.threshold = threshold
        self.margin = margin
        self.types = frozenset(types)
        self.max_window = max_window
        if vocabulary is None:
            vocabulary = term_words(dictionary, self.types)
        self.vocabulary = frozenset(vocabulary) - _SKIP
        self.locations = frozenset(location_words(dictionary) if locations is None else locations)
        self.min_window = min_window
        self._memo: Memo = Memo(lambda _t: None, limit=100_000)  # window text -> (id, score) or None
        self.windows_linked = 0
        """Distinct window texts sent to the linker so far (a measure of the cost)."""

    @classmethod
    def from_bundle(
        cls, kg: str | Path | Bundle, dictionary: Dictionary, *, settings: Settings | None = None,
        linker: Linker | None = None, **kw: object,
    ) -> EmbeddingCandidates:
        """Embedding candidates over a bundle's ``names`` index (needs ``medkg embed``
        and the extra ``embed``).

        Raises:
            EmbeddingError: the bundle has no embeddings, or they were built from another graph or model.
            MissingExtraError: the extra ``embed`` is not installed.
        """
        from kg.linking import Linker

        lk = linker or Linker.from_bundle(kg, settings=settings, threshold=0.0)
        types = kw.get("types", ("phenotype",))
        return cls(linker_nearest(lk, dictionary, types), dictionary, **kw)  # type: ignore[arg-type]

    # -- windows ----------------------------------------------------------------

    def windows(self, norms: Sequence[str], free: Sequence[bool], i0: int, i1: int) -> list[tuple[int, int]]:
        """Token ranges ``(i, j)`` (``j`` exclusive) of tokens ``i0:i1`` that may name a concept.

        Example:
            >>> e = EmbeddingCandidates(lambda ts: [[] for _ in ts], Dictionary.from_concepts([]),
            ...                         vocabulary=["short", "finger", "toe"], locations=["finger", "toe"])
            >>> e.windows(["short", "finger", "and", "toe", ",", "toe", "finger"], [True] * 7, 0, 7)
            [(0, 2), (0, 4)]
        """
        vocab, places = self.vocabulary, self.locations
        out = []
        for i in range(i0, i1):
            if not free[i] or norms[i] not in vocab:
                continue
            finding = norms[i] not in places
            for j in range(i, min(i + self.max_window, i1)):
                w = norms[j]
                if not free[j] or w in PUNCT:
                    break
                finding = finding or (w not in places and w not in STOPWORDS)
                if w in vocab and finding and j - i + 1 >= self.min_window:
                    out.append((i, j + 1))
        return out

    # -- the hook -----------------------------------------------------------------

    def add(self, text: str, spans: Sequence[tuple[int, int]], per_sentence: list[list[_Candidate]]) -> dict[tuple[int, int], float]:
        """Add the candidates of each sentence (``spans``) to ``per_sentence``,
        in place, and return their scores by ``(start, end)``.

        Called by :meth:`kg.extraction.Recognizer.extract` after the
        dictionary; ``per_sentence`` holds its candidates."""
        words, starts, ends = token_spans(text)
        if not words:
            return {}
        norms = norm_words(words)
        bounds = [bisect_left(starts, a) for a, _b in spans]
        bounds.append(len(words))
        free = [True] * len(words)
        for cands in per_sentence:
            for s, t, _e, _m in cands:
                for k in range(bisect_left(ends, s + 1), bisect_left(starts, t)):
                    free[k] = False
        found: list[tuple[int, list[tuple[int, int]]]] = []
        todo: list[str] = []
        for k in range(len(spans)):
            ws = self.windows(norms, free, bounds[k], bounds[k + 1])
            if ws:
                found.append((k, ws))
                todo.extend(text[starts[i] : ends[j - 1]] for i, j in ws)
        self._link(todo)
        memo = self._memo
        scores: dict[tuple[int, int], float] = {}
        for k, ws in found:
            hits = []
            for i, j in ws:
                best = memo.get(text[starts[i] : ends[j - 1]])
                if best is not None:
                    hits.append((best[1], j - i, starts[i], ends[j - 1], best[0]))
            taken: list[tuple[int, int]] = []
            for score, _n, s, t, cid in sorted(hits, key=lambda h: (-h[0], -h[1], h[2])):
                if all(t <= a or s >= b for a, b in taken):
                    taken.append((s, t))
                    per_sentence[k].append((s, t, Entry(cid, self.dictionary.types[cid], False), METHOD))
                    scores[(s, t)] = score
        return scores

    def _link(self, texts: list[str]) -> None:
        """Link the texts not linked before; remember each one's concept (or None)."""
        memo = self._memo
        new = [t for t in dict.fromkeys(texts) if t not in memo]
        if not new:
            return
        self.windows_linked += len(new)
        for t, near in zip(new, self.nearest(new), strict=True):
            memo[t] = self._choose(near)

    def _choose(self, near: list[tuple[str, float]]) -> tuple[str, float] | None:
        """The concept a window names: the best allowed one, if it passes the threshold and the margin."""
        allowed = [(c, s) for c, s in near if self.dictionary.types.get(c) in self.types]
        if not allowed or allowed[0][1] < self.threshold:
            return None
        second = allowed[1][1] if len(allowed) > 1 else 0.0
        return allowed[0] if allowed[0][1] - second >= self.margin else None


def linker_nearest(linker: Linker, dictionary: Dictionary, types: Iterable[str] = ("phenotype",), k: int = 8) -> Nearest:
    """:data:`Nearest` by a :class:`~kg.linking.Linker`: each text's best
    ``k`` concepts of ``types``, those the dictionary does not recognise
    (e.g. HPO terms outside the recognised branches) left out."""
    wanted = list(types)

    def nearest(texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        out = []
        for r in linker.link(list(texts), types=wanted, k=k):
            out.append([(c.id, c.score) for c in r.candidates if c.id in dictionary])
        return out

    return nearest


def _terms(dictionary: Dictionary, types: Iterable[str]) -> Iterator[tuple[str, ...]]:
    """The normal forms of the dictionary's terms for concepts of ``types``."""
    wanted = set(types)
    entries = dictionary.entries
    stack: list[tuple[dict, tuple[str, ...]]] = [(dictionary.trie, ())]
    while stack:
        node, path = stack.pop()
        for tok, child in node.items():
            if tok == END:
                if entries[child].type in wanted:  # type: ignore[index]
                    yield path
            else:
                stack.append((child, (*path, tok)))


def term_words(dictionary: Dictionary, types: Iterable[str]) -> set[str]:
    """The words of the dictionary's terms for concepts of ``types`` (normalised).

    Example:
        >>> d = Dictionary.from_concepts([("HP:1", "phenotype", "Short fingers", ["Brachydactyly"]),
        ...                               ("DB:2", "drug", "Aspirin", [])])
        >>> sorted(term_words(d, ["phenotype"]))
        ['brachydactyly', 'finger', 'short']
    """
    return {w for key in _terms(dictionary, types) for w in key}


def location_words(dictionary: Dictionary) -> set[str]:
    """Words that name where a phenotype is, not what is wrong: the content
    words of phenotype terms ``Abnormality of (the) X`` and ``Abnormal X
    morphology`` (normalised: ``abnormal``, ``anomaly`` read ``abnormality``).

    Example:
        >>> d = Dictionary.from_concepts([("HP:1", "phenotype", "Abnormality of the upper eyelid", []),
        ...                               ("HP:2", "phenotype", "Abnormal clavicle morphology", []),
        ...                               ("HP:3", "phenotype", "Eyelid coloboma", [])])
        >>> sorted(location_words(d))
        ['clavicle', 'eyelid', 'upper']
    """
    out: set[str] = set()
    for key in _terms(dictionary, ("phenotype",)):
        if len(key) > 2 and key[0] == "abnormality" and (key[1] == "of" or key[-1] == "morphology"):
            out.update(w for w in key[1:] if w not in _SKIP and w != "morphology")
    return out


_SKIP = STOPWORDS | PUNCT
