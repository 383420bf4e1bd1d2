"""The concept recogniser: dictionary matching, abbreviations, assertion
status and relations, over one document at a time.

Example:
    >>> r = Recognizer.from_concepts([
    ...     ("HP:0001166", "phenotype", "Arachnodactyly", ["Spider fingers"]),
    ...     ("HP:0000545", "phenotype", "Myopia", []),
    ...     ("OMIM:154700", "disease", "Marfan syndrome", [])])
    >>> doc = r.extract("Marfan syndrome (MFS) presents with arachnodactyly. "
    ...                 "No myopia. MFS was suspected in her sister.", doc_id="d1")
    >>> [(m.text, m.id, m.assertion, m.method) for m in doc.entities]  # doctest: +NORMALIZE_WHITESPACE
    [('Marfan syndrome', 'OMIM:154700', 'present', 'dictionary'),
     ('arachnodactyly', 'HP:0001166', 'present', 'dictionary'),
     ('myopia', 'HP:0000545', 'absent', 'dictionary'),
     ('MFS', 'OMIM:154700', 'family', 'abbreviation')]
    >>> [(x.subject, x.predicate, x.object) for x in doc.relations]
    [('OMIM:154700', 'has_phenotype', 'HP:0001166')]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import compress, filterfalse, islice
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from kg.drug_forms import SALT_WORDS
from kg.errors import InputError
from kg.extraction.abbreviations import find_definitions, long_form_matches, uses
from kg.extraction.context import ConText
from kg.extraction.dictionary import END, INHERITANCE_SYNONYMS, Concept, Dictionary, Entry
from kg.extraction.names import drop_person_names, drop_service_names
from kg.extraction.relations import PatternRelations, RelationExtractor
from kg.extraction.text import (
    RELATIONAL_ADJECTIVES,
    STOPWORDS,
    Memo,
    norm_word,
    norm_phrase,
    norm_words,
    sentence_spans,
    heading_continues,
    list_continues,
    token_spans,
    wrap_joins,
)
from kg.extraction.types import ExtractedDocument, Mention

if TYPE_CHECKING:
    from kg.extraction.embedding_candidates import EmbeddingCandidates

Overlap = Literal["longest", "all"]

SCORES = {
    "dictionary": 1.0,
    "dictionary-synonym": 0.95,
    "abbreviation": 0.9,
    "dictionary-reordered": 0.8,
    "dictionary-coordination": 0.75,
    "embedding": 0.5,  # nominal (for overlap resolution); the mention's score is its cosine
}
"""The score of a mention by the way it was found."""

COORDINATION = "dictionary-coordination"
"""The method of a match of coordinated words (``axillary and inguinal freckling``)."""
_Candidate = tuple[int, int, Entry, str]
"""``(start, end, entry, method)`` in document offsets."""
_QUALIFIED_MODE = re.compile(r"(?:\b[xy][- ]?linked|pseudoautosomal)\s*$", re.IGNORECASE)
"""What, right before ``dominant ...``/``recessive ...``, makes it part of
another mode (``X-linked dominant inheritance``), not the autosomal one."""


_SALT_NORMS = frozenset(norm_words(sorted(SALT_WORDS)))
"""The normal forms of the salt and ester words (:data:`kg.drug_forms.SALT_WORDS`)."""
_SPACES = re.compile(r"[ \t]+")

_ABBREVIATION_TEXT = re.compile(r"[A-Z][A-Z0-9]{1,5}s?")
"""A mention written as an abbreviation (``ASD``, ``VSDs``)."""


def _senses_from_context(mentions: list[Mention], words: set[str], dictionary: Dictionary) -> None:
    """Give an ambiguous abbreviation (``ASD``: *Autistic behavior* or *Atrial septal defect*)
    the sense, among those of its own vocabulary and type, whose name's words the document uses
    most (``Secundum ASD ... secundum atrial septal defect``); on a tie it keeps the dictionary's
    ranked first sense (a sense of another vocabulary, a disease for a phenotype, stays ranked
    below).

    Example:
        >>> from kg.extraction.types import Mention
        >>> d = Dictionary.from_concepts([("HP:0000729", "phenotype", "Autistic behavior", ["ASD"]),
        ...                               ("HP:0001631", "phenotype", "Atrial septal defect", ["ASD"])])
        >>> ms = [Mention(0, 3, "ASD", "HP:0000729", "phenotype", alternatives=("HP:0001631",))]
        >>> _senses_from_context(ms, {"asd", "septal", "defect", "echo"}, d)
        >>> ms[0].id, ms[0].alternatives
        ('HP:0001631', ('HP:0000729',))
    """
    for m in mentions:
        if not m.alternatives or not _ABBREVIATION_TEXT.fullmatch(m.text):
            continue
        prefix = m.id.split(":", 1)[0]
        senses = [m.id, *(c for c in m.alternatives if c.startswith(prefix + ":") and dictionary.types[c] == m.type)]
        if len(senses) == 1:
            continue
        used = [sum(w in words for w in set(norm_phrase(dictionary.labels.get(c, ""))) - STOPWORDS) for c in senses]
        best = max(range(len(senses)), key=lambda k: (used[k], -k))
        if best:
            m.alternatives = tuple(c for c in (m.id, *m.alternatives) if c != senses[best])
            m.id = senses[best]


class Recognizer:
    """Finds phenotypes, diseases and drugs in text; see the module docstring.

    Args:
        dictionary: the terms to find.
        overlap: ``longest`` keeps the longest of overlapping mentions (a
            clinical reading: one concept per stretch of text); ``all`` keeps
            every dictionary match, nested ones included (as corpora like
            GSC annotate).
        reorder: also match multi-word terms whose words appear in another order.
        coordination: also match terms whose words are shared by coordinated
            words (``spine and rib anomalies``, ``axillary and inguinal freckling``,
            ``cleft lip and palate``), over the whole coordinated phrase (on by
            default); with ``longest``, such a match is kept beside the longest
            matches it holds, not in their place (see :meth:`_resolve`).
        abbreviations: resolve abbreviations defined in the text.
        context: the assertion classifier; ``None`` marks everything present.
        relations: the relation extractor; ``None`` extracts no relations.
        embedding: adds embedding-linked mentions where the dictionary found
            none (:class:`~kg.extraction.embedding_candidates.EmbeddingCandidates`);
            ``None`` (the default): the dictionary alone.
    """

    def __init__(
        self,
        dictionary: Dictionary,
        *,
        overlap: Overlap = "longest",
        reorder: bool = True,
        coordination: bool | None = None,
        abbreviations: bool = True,
        context: ConText | None = None,
        relations: RelationExtractor | None | Literal["default"] = "default",
        embedding: EmbeddingCandidates | None = None,
    ) -> None:
        if overlap not in ("longest", "all"):
            raise ValueError(f"overlap must be 'longest' or 'all', not {overlap!r}")
        self.dictionary = dictionary
        self.overlap = overlap
        self.reorder = reorder
        self.coordination = True if coordination is None else coordination
        self.abbreviations = abbreviations
        self.context = context if context is not None else ConText()
        self._flag_memo = Memo(partial(_word_flags, dictionary))
        """A word's :func:`_word_flags` (bounded memo)."""
        self._bag_words = frozenset(a for a, _b in dictionary.bag_pairs)
        """The words of some order-free term (see :meth:`_reordered`)."""
        self._nominal = Memo(partial(nominalisations, vocabulary=self._bag_words))
        """A participle's nouns among the words of order-free terms (:func:`nominalisations`)."""
        self.relations: RelationExtractor | None = (
            PatternRelations() if relations == "default" else relations  # type: ignore[assignment]
        )
        self.embedding = embedding

    @classmethod
    def from_bundle(
        cls, kg_dir: str | Path, *, cache_dir: str | Path | Literal[False] | None = None, **kw: object
    ) -> Recognizer:
        """A recogniser over a bundle's phenotypes, diseases and drugs.

        Args:
            kg_dir: the bundle.
            cache_dir: the compiled-dictionary cache (see :meth:`Dictionary.from_bundle`).
            **kw: options of the recogniser.

        Raises:
            BundleError: no bundle at ``kg_dir``.
        """
        return cls(Dictionary.from_bundle(kg_dir, cache_dir=cache_dir), **kw)  # type: ignore[arg-type]

    @classmethod
    def from_concepts(cls, concepts: Iterable[Concept], **kw: object) -> Recognizer:
        """A recogniser over in-memory ``(id, type, label, synonyms)`` tuples."""
        return cls(Dictionary.from_concepts(concepts), **kw)  # type: ignore[arg-type]

    # -- matching -----------------------------------------------------------

    def _match_document(
        self, text: str, starts: list[int], ends: list[int], norms: list[str], bounds: list[int],
        joins: list[bool],
    ) -> tuple[list[list[_Candidate]], bool, bool]:
        """Dictionary matches of each sentence (tokens ``bounds[k]:bounds[k + 1]``),
        whether an order-free match may span a negated copula, and whether a
        match goes on into the next sentence.

        C-level scans over the whole document find the one-word terms and head
        nouns (a memo of each word's :func:`_word_flags`) and the word pairs
        that start longer terms; a hit is then placed in its sentence. No
        match crosses a sentence end, except that a term in the order of its
        words may go on over a line break into the next sentence where
        ``joins[k]`` (:func:`~kg.extraction.text.wrap_joins`: ``Marfan\\nsyndrome``);
        it belongs to the sentence it starts in."""
        d = self.dictionary
        entries = d.entries
        methods = d.methods
        n = len(norms)
        per: list[list[_Candidate]] = [[] for _ in range(len(bounds) - 1)]
        multi: list[list[tuple[int, int]]] = [[] for _ in per]
        # one scan finds the words that are a one-word term or a head noun;
        # the hits come in text order, so the sentence index only moves forward
        singles = d.singles
        flags = self._flag_memo
        ones: list[list[tuple[int, int]]] = [[] for _ in per]  # one-word terms, for coordination
        heads: set[int] = set()
        generic: set[int] = set()
        k = 0
        i1 = bounds[1]
        for i in compress(range(n), map(flags.__getitem__, norms)):
            while i >= i1:
                k += 1
                i1 = bounds[k + 1]
            w = norms[i]
            f = flags[w]
            if f & _SINGLE:
                x = singles[w]
                e = entries[x]
                s, t = starts[i], ends[i]
                # an adjective before a noun (``myotonic dystrophy``) modifies it; it does not name
                # ``Myotonia``; said of the patient (``was hypotonic at birth``) it names the finding,
                # and so it does before a noun that adds nothing to it (``ataxic movements``)
                modifier = (text[t - 1] in "cC" and text[t - 2] in "iI" and w not in d.adjective_names
                            and i + 1 < i1 and _CONTENT_WORD[norms[i + 1]])
                light = modifier and norms[i + 1] in LIGHT_HEADS
                if (not modifier or light) and (not e.case_sensitive or _upper(text[s:t])):
                    per[k].append((s, t, e, methods[x]))
                    ones[k].append((i, i + 1))
                    if light:
                        per[k].append((s, ends[i + 1], e, methods[x]))
            if f & _HEAD:
                (heads if f & _MANIFESTATION else generic).add(k)
        # longer terms: walk the trie only from word pairs that start one (a C-level scan finds them)
        trie = d.trie
        k = 0
        i1 = bounds[1]
        lim = bounds[2] if joins[0] else i1  # the tokens a term starting in sentence k may take
        wrapped = False
        for i in compress(range(n - 1), map(d.first_pairs.__contains__, zip(norms, islice(norms, 1, None)))):
            while i >= i1:
                k += 1
                i1 = bounds[k + 1]
                lim = bounds[k + 2] if joins[k] else i1
            j = i + 2
            if j > lim:
                continue
            node = trie[norms[i]][norms[i + 1]]
            while True:
                x = node.get(END)
                if x is not None:
                    e = entries[x]
                    s, t = starts[i], ends[j - 1]
                    if (not e.case_sensitive or _upper(text[s:t])) and (
                            norms[j - 1] not in _ORGAN_NORMS
                            or not _cut_noun_phrase(text, starts, ends, norms, j, lim)):
                        per[k].append((s, t, e, methods[x]))
                        multi[k].append((i, j))
                        if j > i1:
                            wrapped = True
                if j >= lim:
                    break
                node = node.get(norms[j])
                if node is None:
                    break
                j += 1
        copular = False
        if self.reorder:
            copular = bool(self._reordered(text, starts, ends, norms, bounds, per, multi))
            self._predicated(text, starts, ends, norms, bounds, per)
        if self.overlap != "all":
            generic.clear()
        todo = heads | generic
        if self.coordination:
            todo.update(k for k, m in enumerate(multi) if m)
            todo.update(k for k, m in enumerate(ones) if m)
        for k in sorted(todo):
            out = per[k]
            i0, i1 = bounds[k], bounds[k + 1]
            if self.coordination and (multi[k] or ones[k]):
                out.extend(self._coordinated(text, starts, ends, norms, i0, i1, multi[k], ones[k]))
            if k in heads:
                out.extend(self._manifestations(text, starts, ends, norms, i0, i1, out))
            if k in generic:
                out.extend(_with_generic_heads(starts, ends, norms, i0, i1, out))
        _with_salt_words(text, starts, ends, norms, bounds, per)
        return per, copular, wrapped

    def _manifestations(
        self, text: str, starts: list[int], ends: list[int], norms: list[str], i0: int, i1: int, found: list[_Candidate]
    ) -> list[_Candidate]:
        """``renal findings``, ``ocular manifestations``, ``skeletal alterations``: a
        part of the body and a head that only says something is wrong with it
        name the part's ``Abnormality of ...`` term (as ``renal anomalies``
        does), where no other term covers the phrase; with coordination, for
        each coordinated part (``ear, radial, and anal findings``)."""
        out: list[_Candidate] = []
        have = {(c[0], c[1]) for c in found}
        slashed = text if "/" in text[starts[i0] : ends[i1 - 1]] else None
        for k in range(i0 + 1, i1):
            if norms[k] not in MANIFESTATION_HEADS:
                continue
            t = ends[k]
            m: int | None = k - 1
            for _ in range(5):
                if m is None or norms[m] in STOPWORDS or not norms[m].isalpha():
                    break
                s = starts[m]
                e = self.dictionary.bag_entry(tuple(sorted(("abnormality", norms[m]))))
                if e is not None and e.type == "phenotype" and (s, t) not in have:
                    out.append((s, t, e, "dictionary-reordered" if m == k - 1 else COORDINATION))
                if not self.coordination:
                    break
                m = _conjunct(slashed, starts, ends, norms, m, -1, i0, i1)
        return out

    def _lookup(self, key: tuple[str, ...]) -> list[Entry]:
        """The entries of a term in its order and, if another, in any order."""
        e = self.dictionary.entry(key)
        out = [e] if e is not None and not e.case_sensitive else []
        if self.reorder:
            b = self.dictionary.bag_entry(tuple(sorted(filterfalse(STOPWORDS.__contains__, key))))
            if b is not None and (e is None or b.id != e.id):
                out.append(b)
        return out

    def _coordinated(
        self, text: str, starts: list[int], ends: list[int], norms: list[str], i0: int, i1: int,
        multi: list[tuple[int, int]], ones: list[tuple[int, int]],
    ) -> list[_Candidate]:
        """Terms shared by coordinated words, over the whole coordinated phrase: for a match
        ``rib anomalies`` in ``spine and rib anomalies``, ``spine anomalies``; for ``inguinal
        freckling`` in ``axillary and inguinal freckling``, ``axillary freckling``; for
        ``cysts`` in ``periventricular and subcortical cysts`` (where ``subcortical cysts`` is
        no term), ``periventricular cysts``; for ``cleft lip`` in ``cleft lip and palate``,
        ``cleft palate``. Conjuncts are single words joined by ``,``, ``and``, ``or`` or ``/``
        (up to four), each with the rest of the term a term itself (:meth:`_lookup`); a conjunct
        that starts a term of its own (``seizures and severe hypotonia``) or ends a longer one,
        its head noun (``malformed pinna, and renal anomalies``; ``rib anomalies and
        calcification of the falx``), is an item of a list of findings, no modifier, and ends
        the conjuncts. ``multi``: the sentence's terms of two words or more, ``ones``: its
        one-word terms (token spans)."""
        out: list[_Candidate] = []
        slashed = text if text.find("/", starts[i0], ends[i1 - 1]) >= 0 else None
        firsts = {i for i, _j in multi} | {i for i, _j in ones}
        longer = {i for i, j in multi if j - i > 1}  # the first words of terms of two words or more
        heads = {j - 1 for i, j in multi if j - i > 1}  # and their last words, their head nouns
        for i, j in (*multi, *ones):  # the term is tokens i..j-1
            # (the first checks of _conjunct, inline: most terms are coordinated with nothing)
            if j - i > 1 and i > i0 and (slashed is not None or norms[i - 1] in _CONJ):
                k = i  # [A, B and] C rest: the term's first word is the last modifier
                rests = [tuple(norms[i + 1 : j])]
                if j - i > 2:  # [A and] external ear anomalies: A anomalies too
                    rests.append((norms[j - 1],))
            elif i - 1 > i0 and _CONTENT_WORD[norms[i - 1]] and (slashed is not None or norms[i - 2] in _CONJ):
                k = i - 1  # [A and] B term, where ``B term`` is no term: A term
                rests = [tuple(norms[i:j])]
            else:
                k = -1
            for _ in range(4 if k >= 0 else 0):
                m = _conjunct(slashed, starts, ends, norms, k, -1, i0, i1)
                if m is None or m in firsts or m in heads:
                    break
                for rest in rests:
                    for e in self._lookup((norms[m], *rest)):
                        out.append((starts[m], ends[j - 1], e, COORDINATION))
                k = m
            if j - i > 1 and j < i1 and (slashed is not None or norms[j] in _CONJ):
                self._coordinated_heads(slashed, starts, ends, norms, i, j, i0, i1, out, firsts, longer)
        return out

    def _coordinated_heads(
        self, slashed: str | None, starts: list[int], ends: list[int], norms: list[str], i: int, j: int, i0: int, i1: int,
        out: list[_Candidate], firsts: set[int], longer: set[int],
    ) -> None:
        """``head C [and D, E]`` for the words ``i..j-1`` (head and C): ``head D``, ``head E``;
        the conjunct after ``and``/``or`` is the last (``renal hypoplasia/dysplasia or
        agenesis``, but not ``vestibular schwannomas and meningiomas, loss``), and one after a
        comma alone that starts a term of its own (``firsts``), or one that starts a term of two
        words or more (``longer``), is the next item of a list of findings, none (``apraxia of
        speech, drooling and ...``; ``rib anomalies and calcification of the falx``)."""
        head = tuple(norms[i : j - 1])
        k = j - 1
        for _ in range(4):
            m = _conjunct(slashed, starts, ends, norms, k, 1, i0, i1)
            if m is None or m in firsts and (set(norms[k + 1 : m]) == {","} or m in longer):
                break
            for e in self._lookup((*head, norms[m])):
                out.append((starts[i], ends[m], e, COORDINATION))
            if not _AND_OR.isdisjoint(norms[k + 1 : m]):
                break
            k = m

    def _reordered(
        self, text: str, starts: list[int], ends: list[int], norms: list[str], bounds: list[int],
        per: list[list[_Candidate]], multi: list[list[tuple[int, int]]],
    ) -> frozenset[int]:
        """Matches of 2-4 content words in any order (function words skipped),
        within 7 tokens of one sentence, added to ``per``; their token ranges
        are added to ``multi``. A match that is also an exact one (same span
        and concept) is left out. A match does not cross an *and*/*or* (nor a
        comma) between its words, which joins the words of two findings
        (*absent reflexes and seizures* is no *Reflex seizure*), unless a term
        of the dictionary coordinates the two words either side (*Lip and palate
        cleft* for *cleft lip and palate*, *Breast-ovarian cancer* for
        *hereditary breast and ovarian cancer*; see
        :attr:`Dictionary.coordinated_pairs`) and they are not each a finding of
        their own (*seizures and hypotonia* is two findings). A negated copula may stand between
        two of the words (*skin is not hyperextensible*, as *skin is
        hyperextensible*): the match spans it, and the assertion rules read it
        (:meth:`ConText.scopes`). Returns the tokens of the negated copulas
        (:func:`_copulas`)."""
        d = self.dictionary
        pairs = d.bag_pairs
        # only words of some bag can take part: the search runs over them, and two of them
        # are neighbours when only function words (no conjunction before another one) separate them
        at = list(compress(range(len(norms)), map(self._bag_words.__contains__, norms)))
        words = list(map(norms.__getitem__, at))
        cops = _copulas(norms)
        if cops:  # the ``not`` of ``is not`` (``t`` of ``isn't``) is no word of a term
            at = [i for i in at if i - 1 not in cops]
            words = list(map(norms.__getitem__, at))
        n = len(words)
        seen: set[tuple[int, int, str]] | None = None
        spans: set[tuple[int, int]] | None = None
        found: list[tuple[int, _Candidate, tuple[int, int]]] = []
        bag_id = d.bag_ids.get
        coordinated = d.coordinated_pairs
        k = 0
        i1 = bounds[1]
        for p in compress(range(n - 1), map(pairs.__contains__, zip(words, islice(words, 1, None)))):
            i = at[p]
            while i >= i1:  # the hits come in text order: the sentence moves forward only
                k += 1
                i1 = bounds[k + 1]
            j = at[p + 1]
            if j >= i1 or j - i > 6:
                continue
            if j > i + 1 and not _only_function_words(norms, i, j):
                if not cops:
                    continue
                # the token of a negated copula the match spans (``skin is not hyperextensible``)
                cop = _negated_copula(norms, i, j) if not cops.isdisjoint(range(i + 1, j)) else None
                if cop is None:
                    continue
            else:
                cop = None
            first = words[p]
            second = words[p + 1]
            crossed: tuple[tuple[str, str], ...] = ()  # the word pairs either side of an ``and``/``or``
            if not _AND_OR.isdisjoint(norms[i + 1 : j]):
                # "seizures and hypotonia": two findings, not one
                if spans is None:
                    spans = {(c[0], c[1]) for cs in per for c in cs}
                if (starts[i], ends[i]) in spans and (starts[j], ends[j]) in spans:
                    continue
                crossed = ((first, second) if first <= second else (second, first),)
            # the first pair is known to be in ``pairs``; a two-word bag is sorted by one comparison
            key = (first, second) if first <= second else (second, first)
            cid = bag_id(key)
            q = p + 1
            while True:
                # across an ``and``/``or`` only a term whose own words are coordinated
                # (``absent reflexes and seizures`` is no ``Reflex seizure``)
                if cid is not None and (not crossed or coordinated.issuperset(crossed)) and (
                        words[q] not in _ORGAN_NORMS or not _cut_noun_phrase(text, starts, ends, norms, j + 1, i1)) and (
                        cop is None or _copula_clause(starts, ends, norms, i, cop, j, i1, per[k])):
                    s, t = starts[i], ends[j]
                    if seen is None:
                        seen = {(c[0], c[1], c[2].id) for cs in per for c in cs}
                    if (s, t, cid) not in seen:
                        found.append((k, (s, t, d.bag_entry_of(cid), "dictionary-reordered"), (i, j + 1)))
                q += 1
                if q >= n or q > p + 3:
                    break
                j0 = j
                j = at[q]
                w = words[q]
                if j >= i1 or j - i > 6 or (first, w) not in pairs:
                    break
                if j > j0 + 1:
                    if not _only_function_words(norms, j0, j):
                        if not cops or cop is not None or cops.isdisjoint(range(j0 + 1, j)):
                            break
                        cop = _negated_copula(norms, j0, j)
                        if cop is None:
                            break
                    elif not _AND_OR.isdisjoint(norms[j0 + 1 : j]):
                        v = words[q - 1]
                        crossed = (*crossed, (v, w) if v <= w else (w, v))
                key = tuple(sorted((*key, w)))
                cid = bag_id(key)
        for k, c, ij in found:
            per[k].append(c)
            multi[k].append(ij)
        return cops

    def _predicated(
        self, text: str, starts: list[int], ends: list[int], norms: list[str], bounds: list[int],
        per: list[list[_Candidate]],
    ) -> None:
        """Terms said of a subject by a participle after a copula, where the term
        names the finding with the participle's noun: ``lenses were (not)
        dislocated`` for *Lens dislocation*, ``the kidneys were enlarged`` for
        *Kidney enlargement* (:func:`nominalisations`). The subject is the one to
        three words of some order-free term right before the copula, no finding
        of its own; the match spans subject to participle, added to ``per`` (as
        an order-free match, so a negated copula in it makes it absent, and the
        same checks apply: see :func:`_copula_clause`). Where the participle
        itself makes the term, :meth:`_reordered` has found it already."""
        n = len(norms)
        if n < 3:
            return
        d = self.dictionary
        bag_words = self._bag_words
        nominal = self._nominal
        seen: set[tuple[int, int]] | None = None
        for c in compress(range(1, n - 1), map(_COPULA_TOKENS.__contains__, islice(norms, 1, n - 1))):
            w = norms[c + 1]
            neg = w in ("not", "t")
            if neg:
                if (norms[c], w) not in _NEGATED_COPULAS or c + 2 >= n:
                    continue
                w = norms[c + 2]
            elif w == "t" or norms[c][-1] == "n":
                continue
            nouns = nominal[w]
            if not nouns or norms[c - 1] not in bag_words:
                continue
            p = c + 2 if neg else c + 1
            k = bisect_right(bounds, c) - 1
            i0, i1 = bounds[k], bounds[k + 1]
            if p >= i1 or c - 1 < i0:
                continue
            m = c - 1  # the subject: tokens m..c-1, each a word of some order-free term
            while m > i0 and c - m < 3 and norms[m - 1] in bag_words:
                m -= 1
            for a in range(m, c):  # the longest subject first
                cid = None
                for noun in nouns:
                    cid = d.bag_ids.get(tuple(sorted((*norms[a:c], noun))))
                    if cid is not None:
                        break
                if cid is None:
                    continue
                if neg and not _copula_clause(starts, ends, norms, a, c, p, i1, per[k]):
                    break
                s, t = starts[a], ends[p]
                if any(x[0] < ends[c - 1] and x[1] > s for x in per[k]):
                    break  # the subject is a finding of its own (``seizures were not controlled``)
                if seen is None:
                    seen = {(x[0], x[1]) for xs in per for x in xs}
                if (s, t) not in seen:
                    per[k].append((s, t, d.bag_entry_of(cid), "dictionary-reordered"))
                break

    def _abbreviations(self, text: str, found: list[_Candidate]) -> list[_Candidate]:
        by_end: dict[int, list[_Candidate]] = {}  # the longest matches ending at each offset
        for c in found:
            have = by_end.get(c[1])
            if have is None or c[1] - c[0] > have[0][1] - have[0][0]:
                by_end[c[1]] = [c]
            elif c[0] == have[0][0] and all(h[2].id != c[2].id for h in have):
                have.append(c)
        out: list[_Candidate] = []
        for d in find_definitions(text):
            end = d.definition_start
            while end > 0 and text[end - 1] == " ":
                end -= 1
            cs = by_end.get(end)
            if cs is None or not long_form_matches(d.short, text[cs[0][0] : cs[0][1]]):
                continue
            for m in uses(text, d.short, d.definition_end):
                out.extend((m.start(), m.end(), c[2], "abbreviation") for c in cs)
        return out

    def _resolve(self, cands: list[_Candidate]) -> list[_Candidate]:
        """The candidates kept: with ``all``, per span and concept the best-scored; with
        ``longest``, the longest of overlapping ones, and then each match of coordinated words
        (``axillary and inguinal freckling`` for *Axillary freckling*) that holds kept matches
        and is longer than each (``inguinal freckling``), crossing none and naming another
        concept than those it overlaps: the phrase names its parts' concepts as well as its own.
        """
        if self.overlap == "all":  # per span and concept, the first of the best-scored
            seen: dict[tuple[int, int, str], _Candidate] = {}
            for c in cands:
                key = (c[0], c[1], c[2].id)
                have = seen.get(key)
                if have is None or SCORES[c[3]] > SCORES[have[3]]:
                    seen[key] = c
            return [seen[k] for k in sorted(seen)]
        ranked = sorted(cands, key=lambda c: (-(c[1] - c[0]), -SCORES[c[3]], c[0]))
        kept = []
        taken: list[tuple[int, int]] = []
        coordinated = []
        for c in ranked:  # the longest first; nothing overlapping a kept one
            if c[3] == COORDINATION:
                coordinated.append(c)
            elif all(c[1] <= a or c[0] >= b for a, b in taken):
                kept.append(c)
                taken.append((c[0], c[1]))
        if coordinated:
            plain = list(kept)
            for c in coordinated:
                s, t = c[0], c[1]
                held = [k for k in plain if k[0] < t and k[1] > s]
                if held and all(s <= k[0] and k[1] <= t and k[1] - k[0] < t - s for k in held) and all(
                        k[2].id != c[2].id and (s <= k[0] and k[1] <= t or k[0] <= s and t <= k[1])
                        for k in kept if k[0] < t and k[1] > s):
                    kept.append(c)
        return sorted(kept, key=lambda c: (c[0], c[1], c[2].id))

    # -- documents ------------------------------------------------------------

    def extract(self, text: str, doc_id: str | None = None) -> ExtractedDocument:
        """Find the concepts and relations of one document.

        Raises:
            InputError: the text is empty or only whitespace.
        """
        if not text.lstrip("\ufeff").strip():  # a byte-order mark alone is no text
            raise InputError(doc_id or "<text>", "empty document (no text to extract from)")
        spans = sentence_spans(text)
        words, starts, ends = token_spans(text)
        norms = norm_words(words)
        bounds = [bisect_left(starts, a) for a, _b in spans]
        bounds.append(len(words))
        joins = wrap_joins(text, spans)
        per_sentence, copular, wrapped = self._match_document(text, starts, ends, norms, bounds, joins)
        if self.abbreviations and any(per_sentence):
            abbrev = self._abbreviations(text, [c for cs in per_sentence for c in cs])
            if abbrev:
                starts = [a for a, _b in spans]
                taken = {(c[0], c[1]) for c in abbrev}
                per_sentence = [[c for c in cs if (c[0], c[1]) not in taken] for cs in per_sentence]
                for c in abbrev:
                    per_sentence[bisect_right(starts, c[0]) - 1].append(c)
        embedded = self.embedding.add(text, spans, per_sentence) if self.embedding is not None else None
        mentions: list[Mention] = []
        resolved = _joined_resolve(self._resolve, per_sentence, spans) if wrapped else None
        # the lines whose assertions are read together: a list that goes on over a line
        # break (``Denies headache,\nfever or chills``), a term wrapped over one
        cont = list_continues(text, spans)
        heading = getattr(self.context, "heading", None)
        if heading is not None and ":" in text:  # a negating heading over the lines of its list
            cont = [x or y for x, y in zip(cont, heading_continues(text, spans, heading), strict=True)]
        if resolved is not None:
            for k, kept in enumerate(resolved):
                if not cont[k] and any(c[1] > spans[k][1] for c in kept):
                    cont[k] = True
        units = None
        if any(cont):
            if resolved is None:
                resolved = [self._resolve(cs) if cs else [] for cs in per_sentence]
            units = _list_units(spans, bounds, resolved, cont)
        scoped: dict[int, list[tuple[int, int, str, str]]] = {}  # with ``units``: each unit's scopes
        for k, cands in enumerate(per_sentence):
            if units is None:
                if not cands:
                    continue
                kept = self._resolve(cands) if resolved is None else resolved[k]
                scopes = self._scopes(text, spans[k], norms[bounds[k] : bounds[k + 1]], kept, copular)
                a = spans[k][0]
            else:
                kept = resolved[k]  # type: ignore[index]
                if not kept:
                    continue
                uspans, ubounds, ukept, unit_of = units
                u = unit_of[k]
                got = scoped.get(u)
                if got is None:
                    got = scoped[u] = self._scopes(text, uspans[u], norms[ubounds[u] : ubounds[u + 1]], ukept[u],
                                                   copular)
                scopes = got
                a = uspans[u][0]
            for s, t, e, method in kept:
                if e.id in INHERITANCE_SYNONYMS and _QUALIFIED_MODE.search(text, max(0, s - 20), s):
                    continue
                assertion = ConText.assign(scopes, s - a, t - a) if scopes else "present"
                mentions.append(
                    Mention(s, t, text[s:t], e.id, e.type, assertion, SCORES[method], method, k,
                            e.alternatives)
                )
        if embedded:
            for m in mentions:
                if m.method == "embedding":
                    m.score = embedded[(m.start, m.end)]
        if mentions:  # a given name or a service the dictionary took for a finding (``Dear Dr Amelia Hart``)
            mentions = drop_service_names(text, drop_person_names(text, mentions))
        if any(m.alternatives and _ABBREVIATION_TEXT.fullmatch(m.text) for m in mentions):
            _senses_from_context(mentions, set(norms), self.dictionary)
        doc = ExtractedDocument(doc_id, mentions)
        if self.relations is not None and mentions:
            dropped: Counter[str] = Counter()
            doc.relations = self.relations.extract(doc_id, text, spans, mentions, dropped)
            doc.dropped = dict(dropped)
        doc.sentences = len(spans)
        return doc

    def _scopes(
        self, text: str, span: tuple[int, int], words: list[str], kept: list[_Candidate], copular: bool,
    ) -> list[tuple[int, int, str, str]]:
        """The assertion scopes of the text ``text[span]`` (a sentence, or lines read
        together) with the findings ``kept`` (offsets from the span's start)."""
        a, b = span
        findings = [(s - a, min(t, b) - a) for s, t, _e, _m in kept]
        return self.context.scopes(
            text[a:b], words, findings,
            [(s - a, min(t, b) - a) for s, t, _e, m in kept if m == "dictionary-reordered"] if copular else (),
        )

    def extract_chunks(self, chunks: Iterable[str], doc_id: str | None = None) -> ExtractedDocument:
        """Extract from a document given in pieces cut at sentence or line ends
        (see :func:`kg.extraction.readers.text_chunks`), in memory bounded by
        the piece size and the results. Offsets are into the whole text;
        abbreviations are resolved within a piece.

        Raises:
            InputError: the document is empty, or a piece cannot be decoded.
        """
        out = ExtractedDocument(doc_id)
        offset = 0
        dropped: Counter[str] = Counter()
        for chunk in chunks:
            if chunk.lstrip("\ufeff").strip():
                part = self.extract(chunk, doc_id)
                for m in part.entities:
                    m.start += offset
                    m.end += offset
                    m.sentence += out.sentences
                for r in part.relations:
                    ev = r.evidence
                    ev.subject_span = (ev.subject_span[0] + offset, ev.subject_span[1] + offset)
                    ev.object_span = (ev.object_span[0] + offset, ev.object_span[1] + offset)
                    ev.sentence_index += out.sentences
                out.entities.extend(part.entities)
                out.relations.extend(part.relations)
                dropped.update(part.dropped)
                out.sentences += part.sentences
            offset += len(chunk)
        if offset == 0 or not out.sentences:
            raise InputError(doc_id or "<text>", "empty document (no text to extract from)")
        out.dropped = dict(dropped)
        return out


def _list_units(
    spans: list[tuple[int, int]], bounds: list[int], resolved: list[list[_Candidate]], cont: list[bool],
) -> tuple[list[tuple[int, int]], list[int], list[list[_Candidate]], list[int]]:
    """The sentences joined where ``cont[k]`` says sentence ``k`` goes on into the
    next (a list continued over a line break, :func:`~kg.extraction.text.list_continues`,
    or a term wrapped over it), as units whose assertions are read together: each
    unit's span, first token (and the end), kept candidates; and each sentence's unit.

    Example:
        >>> _list_units([(0, 5), (6, 9), (10, 12)], [0, 2, 3, 4], [[], [], []], [True, False, False])
        ([(0, 9), (10, 12)], [0, 3, 4], [[], []], [0, 0, 1])
    """
    uspans: list[tuple[int, int]] = []
    ubounds: list[int] = []
    ukept: list[list[_Candidate]] = []
    unit_of: list[int] = []
    for k, (a, b) in enumerate(spans):
        if k and cont[k - 1]:
            uspans[-1] = (uspans[-1][0], b)
            ukept[-1].extend(resolved[k])
        else:
            uspans.append((a, b))
            ubounds.append(bounds[k])
            ukept.append(list(resolved[k]))
        unit_of.append(len(uspans) - 1)
    ubounds.append(bounds[-1])
    return uspans, ubounds, ukept, unit_of


def _joined_resolve(
    resolve: Callable[[list[_Candidate]], list[_Candidate]], per: list[list[_Candidate]],
    spans: Sequence[tuple[int, int]],
) -> list[list[_Candidate]]:
    """``resolve`` applied to each sentence's candidates, except that sentences
    joined by a term wrapped over their line break (a candidate ending after its
    sentence) are resolved together (the wrapped ``Marfan\\nsyndrome`` against
    ``syndrome`` in the next line); each kept candidate goes back to the
    sentence it starts in."""
    out: list[list[_Candidate]] = []
    k, n = 0, len(per)
    while k < n:
        g = k
        while g + 1 < n and any(c[1] > spans[g][1] for c in per[g]):
            g += 1
        if g == k:
            out.append(resolve(per[k]) if per[k] else [])
        else:
            firsts = [spans[x][0] for x in range(k, g + 1)]
            parts: list[list[_Candidate]] = [[] for _ in firsts]
            for c in resolve([c for cs in per[k : g + 1] for c in cs]):
                parts[bisect_right(firsts, c[0]) - 1].append(c)
            out.extend(parts)
        k = g + 1
    return out


GENERIC_HEADS = frozenset("disorder trait form inheritance case condition pattern transmission".split())
"""Nouns that add nothing to the finding before them (``autosomal dominant
*trait*``, ``sporadic *cases*``)."""


def _with_generic_heads(
    starts: list[int], ends: list[int], norms: list[str], i0: int, i1: int, found: list[_Candidate]
) -> list[_Candidate]:
    """With ``overlap="all"``: each phenotype match followed by a generic head
    noun again, over the longer phrase (as nested-mention corpora annotate)."""
    heads = {ends[h - 1]: ends[h]  # the end of the word before a head: the head's end
             for h in compress(range(i0 + 1, i1), map(GENERIC_HEADS.__contains__, islice(norms, i0 + 1, i1)))}
    out = []
    for s, t, e, method in found:
        if e.type == "phenotype" and t in heads:
            out.append((s, heads[t], e, method))
    return out


LIGHT_HEADS = frozenset("movement feature sign symptom finding manifestation episode behavior".split())
"""Nouns that add nothing to the finding an adjective before them names: ``ataxic
movements`` are ataxia, ``psychotic symptoms`` psychosis, ``hypoxic episodes`` hypoxia
(the normal forms: ``behaviour`` is ``behavior``). Before another noun such an
adjective only modifies it (``myotonic dystrophy`` names no *Myotonia*)."""


MANIFESTATION_HEADS = frozenset(
    "finding manifestation sign symptom involvement alteration change defect problem lesion".split()
)
"""Nouns that say no more than that something is wrong with the part named before them."""


_SINGLE, _MANIFESTATION, _GENERIC = 1, 4, 8
_HEAD = _MANIFESTATION | _GENERIC


def _with_salt_words(text: str, starts: list[int], ends: list[int], norms: list[str], bounds: list[int],
                     per: list[list[_Candidate]]) -> None:
    """Each drug match of ``per`` goes on over the salt and ester words right before and after
    it in its sentence, with only spaces between (``sodium valproate``, ``morphine sulfate``,
    ``prednisolone sodium phosphate``: :data:`kg.drug_forms.SALT_WORDS`): they name the drug's
    form, no concept of their own (a name that holds them, ``Potassium chloride``, is matched as it is).

    Example:
        >>> d = Dictionary.from_concepts([("DB1", "drug", "Valproate", [])])
        >>> t = "On sodium valproate sodium. Sodium, valproate"
        >>> words, starts, ends = token_spans(t)
        >>> per = [[(10, 19, d.entry(("valproate",)), "dictionary")], [(36, 45, d.entry(("valproate",)), "dictionary")]]
        >>> _with_salt_words(t, starts, ends, norm_words(words), [0, 5, len(words)], per)
        >>> [t[c[0]:c[1]] for cs in per for c in cs]
        ['sodium valproate sodium', 'valproate']
    """
    for k, cands in enumerate(per):
        i0, i1 = bounds[k], bounds[k + 1]
        for x, (s, t, e, method) in enumerate(cands):
            if e.type != "drug":
                continue
            a = i = bisect_left(starts, s)
            b = j = bisect_left(ends, t)
            if i >= len(starts) or j >= len(ends) or starts[i] != s or ends[j] != t:  # not on token bounds
                continue
            while a > i0 and norms[a - 1] in _SALT_NORMS and _SPACES.fullmatch(text, ends[a - 1], starts[a]):
                a -= 1
            while b + 1 < i1 and norms[b + 1] in _SALT_NORMS and _SPACES.fullmatch(text, ends[b], starts[b + 1]):
                b += 1
            if (a, b) != (i, j):
                cands[x] = (starts[a], ends[b], e, method)


def _word_flags(d: Dictionary, w: str) -> int:
    """What a normalised word can do in a match, as bits: a one-word term
    (``_SINGLE``), a manifestation or generic head noun; 0 for none of these.

    Example:
        >>> d = Dictionary.from_concepts([("HP:1", "phenotype", "Ataxia", []), ("HP:2", "phenotype", "Ataxia gait", [])])
        >>> _word_flags(d, "ataxia") == _SINGLE, _word_flags(d, "finding") == _MANIFESTATION, _word_flags(d, "x")
        (True, True, 0)
    """
    f = _SINGLE if w in d.singles else 0
    if w in MANIFESTATION_HEADS:
        f |= _MANIFESTATION
    elif w in GENERIC_HEADS:
        f |= _GENERIC
    return f




def _only_function_words(norms: list[str], i: int, j: int) -> bool:
    """Whether only function words lie between tokens ``i`` and ``j``, none of
    them a conjunction before another function word (``A and the B``: such a
    conjunction ends an order-free match)."""
    between = norms[i + 1 : j]
    return STOPWORDS.issuperset(between) and _AND_OR.isdisjoint(between[:-1])


_COPULA = frozenset("is are was were".split())
_NEGATED_COPULAS = frozenset({*((c, "not") for c in _COPULA), *((c + "n", "t") for c in _COPULA)})
"""``is not``, ``was not``, ``isn't`` (tokens ``isn`` and ``t``) as normalised token pairs."""


_COPULA_TOKENS = frozenset({*_COPULA, *(c + "n" for c in _COPULA)})
"""The copulas as normalised tokens, ``isn`` (of ``isn't``) too."""

_NOMINAL_SUFFIXES = ("ion", "ation", "ment", "ement", "ing")


def nominalisations(word: str, vocabulary: frozenset[str] | set[str]) -> tuple[str, ...]:
    """The nouns of ``vocabulary`` that name what the participle ``word`` says
    (``dislocated`` → ``dislocation``, ``dilated`` → ``dilation``,
    ``dilatation``, ``enlarged`` → ``enlargement``, ``thickened`` →
    ``thickening``, ``calcified`` → ``calcification``, ``distended`` →
    ``distension``): regular English derivations only (``-ed`` to ``-ion``,
    ``-ation``, ``-(e)ment``, ``-ing``; ``-ified`` to ``-ification``; ``-ded``
    to ``-sion``/``-tion``), no noun that is the verb's own stem (``headed``
    names no ``head``).

    Example:
        >>> v = {"dislocation", "dilation", "dilatation", "enlargement", "thickening", "calcification", "head"}
        >>> [nominalisations(w, v) for w in ("dislocated", "dilated", "enlarged", "thickened", "calcified",
        ...  "headed", "red")]  # doctest: +NORMALIZE_WHITESPACE
        [('dislocation',), ('dilation', 'dilatation'), ('enlargement',), ('thickening',), ('calcification',),
         (), ()]
    """
    if len(word) < 6 or not word.endswith("ed") or not word.isalpha():
        return ()
    stem = word[:-2]
    forms = [stem + x for x in _NOMINAL_SUFFIXES]
    if word.endswith("ified"):
        forms.append(word[:-5] + "ification")
    if word.endswith("ded"):  # extended → extension, distended → distension
        forms += [word[:-3] + "sion", word[:-3] + "tion"]
    return tuple(f for f in forms if f in vocabulary)


_NO_TOKENS: frozenset[int] = frozenset()


def _copulas(norms: list[str]) -> frozenset[int]:
    """The tokens of the negated copulas (``is`` of ``is not``, ``isn`` of
    ``isn't``) among ``norms``.

    Example:
        >>> sorted(_copulas(norm_words(token_spans("Skin isn't lax; it is not. Not now.")[0])))
        [1, 6]
    """
    out = []
    for x in ("not", "t"):
        i = -1
        for _ in range(norms.count(x)):  # the occurrences of ``x``, by C-level scans
            i = norms.index(x, i + 1)
            if i and (norms[i - 1], x) in _NEGATED_COPULAS:
                out.append(i - 1)
    return frozenset(out) if out else _NO_TOKENS


def _negated_copula(norms: list[str], i: int, j: int) -> int | None:
    """The token of the one negated copula between tokens ``i`` and ``j``, if
    only function words and it lie between them (``skin is not hyperextensible``).

    Example:
        >>> [_negated_copula(s.split(), 0, len(s.split()) - 1) for s in
        ...  ("skin is not hyperextensible", "skin isn t hyperextensible", "skin not hyperextensible",
        ...   "skin is not very hyperextensible", "skin is hyperextensible")]
        [1, 1, None, None, None]
    """
    for k in range(i + 1, j - 1):
        if (norms[k], norms[k + 1]) in _NEGATED_COPULAS:
            rest = norms[i + 1 : k] + norms[k + 2 : j]
            return k if STOPWORDS.issuperset(rest) and _AND_OR.isdisjoint(rest) else None
    return None


_AFTER_PREDICATE = frozenset({"but", "nor", "either"})
"""Words that may follow the predicate of a negated copula (``not brisk but
normal``); any other content word continues it (``not well defined``)."""


def _copula_clause(
    starts: list[int], ends: list[int], norms: list[str], i: int, cop: int, j: int, i1: int, found: list[_Candidate]
) -> bool:
    """Whether an order-free match of tokens ``i..j`` across the negated copula
    at ``cop`` is a clause that denies the term (``skin is not
    hyperextensible``): its last word ends the predicate (not ``syndrome is not
    *well* defined``), and the subject is no finding of its own (``mental
    retardation is not severe`` denies the severity, not the finding; the
    finding stays, unhidden by the longer match)."""
    if j + 1 < i1 and _CONTENT_WORD[norms[j + 1]] and norms[j + 1] not in _AFTER_PREDICATE:
        return False
    a, b = starts[i], ends[cop - 1]
    return not any(c[0] < b and c[1] > a for c in found)


_CONTENT_WORD = Memo(lambda w: w.isalpha() and w not in STOPWORDS and w not in ("or", "nor"))
"""Words that can be the noun an adjective before them modifies."""
_CONJ = frozenset({"and", "or", ","})
_AND_OR = frozenset({"and", "or"})


def _conjunct(
    text: str | None, starts: list[int], ends: list[int], norms: list[str], k: int, step: int, lo: int, hi: int
) -> int | None:
    """The word coordinated with token ``k``: just before it (``step`` -1:
    ``A and``, ``A,``, ``A/``) or just after it (``step`` 1: ``and B``,
    ``/B``), among tokens ``lo:hi``; ``text`` is None when it holds no ``/``."""
    m = k + step
    if not lo <= m < hi:
        return None
    if norms[m] not in _CONJ:
        if text is None or norms[m] in STOPWORDS:
            return None
        a, b = (m, k) if step < 0 else (k, m)
        return m if text[ends[a] : starts[b]] == "/" else None
    seps = 0
    while lo <= m < hi and norms[m] in _CONJ and seps < 3:
        m += step
        seps += 1
    if not lo <= m < hi or norms[m] in STOPWORDS or not norms[m].isalpha():
        return None
    return m


_ORGAN_NORMS = frozenset(map(norm_word, RELATIONAL_ADJECTIVES))
"""The normal forms of body-part adjectives (a quick first test for :func:`_cut_noun_phrase`)."""


def _cut_noun_phrase(text: str, starts: list[int], ends: list[int], norms: list[str], j: int, hi: int) -> bool:
    """Whether a match ending before token ``j`` ends in a body-part adjective
    whose noun follows (``anomalies of the facial | nerve``): the phrase
    names something about that noun, not the adjective's part."""
    return j < hi and text[starts[j - 1] : ends[j - 1]].lower() in RELATIONAL_ADJECTIVES and _CONTENT_WORD[norms[j]]


def _upper(surface: str) -> bool:
    s = surface[:-1] if surface.endswith("s") else surface
    return not any(c.islower() for c in s)
