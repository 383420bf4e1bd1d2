"""Tokens, their normal forms and sentences, with offsets into the original text.

A token is a run of letters and digits (an ``'s`` is kept with its word and
removed by normalisation) or one of the punctuation marks that separate
phrases (``, ; : ( ) [ ]``). Hyphens, slashes, apostrophes and other marks
only separate words, so ``Ehlers-Danlos`` and ``Ehlers Danlos`` tokenise alike.

Example:
    >>> [(t.start, t.end, t.norm) for t in tokenize("Spider-fingers, BCCs.")]
    [(0, 6, 'spider'), (7, 14, 'finger'), (14, 15, ','), (16, 20, 'bcc')]
    >>> norm_word("abnormalities"), norm_word("Paget's"), norm_word("diagnosis")
    ('abnormality', 'paget', 'diagnosis')
    >>> norm_word("Tumours"), norm_word("oedema"), norm_word("haemorrhages"), norm_word("four")
    ('tumor', 'edema', 'hemorrhage', 'four')
    >>> norm_word("meningiomas"), norm_word("kidneys"), norm_word("pancreas"), norm_word("lenses")
    ('meningioma', 'kidney', 'pancreas', 'lens')
    >>> norm_word("fistulae"), norm_word("carcinomata"), norm_word("Café")
    ('fistula', 'carcinoma', 'cafe')
    >>> [s for s in sentences("No fever. Dr. Smith saw him.\\nCough")]
    [(0, 9), (10, 28), (29, 34)]
    >>> [s for s in sentences("She has Marfan\\nsyndrome.\\n\\nnew paragraph")]
    [(0, 14), (15, 24), (26, 39)]
    >>> [s for s in sentences("Ataxia? Possibly. Ataxia? Possibly a side effect.")]
    [(0, 17), (18, 25), (26, 49)]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any

TOKEN_RE = re.compile(r"[^\W_]+(?:['\u2019][sS]\b)?|[,;:()\[\]]")
_TOKEN_ASCII = re.compile(r"[A-Za-z0-9]+(?:'[sS]\b)?|[,;:()\[\]]")
""":data:`TOKEN_RE` for ASCII text (the same tokens; a plain character class is quicker)."""


_TOKEN_SPLIT_ASCII = re.compile(f"({_TOKEN_ASCII.pattern})")
_TOKEN_SPLIT_PLAIN = re.compile(r"([A-Za-z0-9]+|[,;:()\[\]])")
"""The same without the possessive ``'s`` (quicker): for ASCII text with no apostrophe."""


def token_spans(text: str) -> tuple[list[str], list[int], list[int]]:
    """The tokens of ``text`` (as :data:`TOKEN_RE` finds them) and their start
    and end offsets, as three lists. ASCII text is split at the tokens and the
    offsets summed from the pieces' lengths, with no match object per token.

    Example:
        >>> token_spans("Paget's (x)")
        (["Paget's", '(', 'x', ')'], [0, 8, 9, 10], [7, 9, 10, 11])
        >>> token_spans("naïve, x") == ([m.group() for m in token_matches("naïve, x")], [0, 5, 7], [5, 6, 8])
        True
    """
    if text.isascii():
        split = _TOKEN_SPLIT_ASCII if "'" in text else _TOKEN_SPLIT_PLAIN
        pieces = split.split(text)  # separator, token, separator, ..., separator
        offsets = list(accumulate(map(len, pieces)))
        return pieces[1::2], offsets[0:-1:2], offsets[1::2]
    toks = list(TOKEN_RE.finditer(text))
    return list(map(re.Match.group, toks)), list(map(re.Match.start, toks)), list(map(re.Match.end, toks))


def token_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of :data:`TOKEN_RE` in ``text``.

    Example:
        >>> [m.group() for m in token_matches("Paget's (naïve) x_y")]
        ["Paget's", '(', 'naïve', ')', 'x', 'y']
    """
    return (_TOKEN_ASCII if text.isascii() else TOKEN_RE).finditer(text)
_KEEP_S = ("ss", "us", "is", "os")
_SINGULAR_S = frozenset(
    "pancreas atlas bias alias canvas vas gas lens pons biceps triceps herpes rabies scabies "
    "measles mumps rickets series species facies virus fetus foetus sinus".split()
)
"""Words whose final ``s`` is not a plural; their plurals in ``-es`` map to them."""
PUNCT = frozenset(",;:()[]")
STOPWORDS = frozenset(
    "an the of in on at to for with and or by from as is are was were be been "
    "this that these those it its their his her".split()
)
"""Function words, ignored by order-free (bag-of-words) matching. Not ``a``:
a single letter in a term is a designator (``Type A brachydactyly``)."""


@dataclass(frozen=True, slots=True)
class Token:
    """A token: its offsets in the original text and its normal form."""

    start: int
    end: int
    norm: str


_BRITISH = [
    (re.compile(r"(?<=[a-z][a-z])our(?=s?$)"), "or"),  # tumour, colour
    (re.compile(r"(?<=[a-z])ae(?=[a-z])"), "e"),  # anaemia, haemorrhage, paediatric
    (re.compile(r"(?<=[a-z])oe(?=[a-z])|^oe(?=[a-z])"), "e"),  # oedema, diarrhoea
    (re.compile(r"isation"), "ization"),
]


def _british(w: str) -> str:
    """British spellings mapped to American (``tumour`` → ``tumor``)."""
    if "our" in w or "ae" in w or "oe" in w or "isation" in w:
        for pat, rep in _BRITISH:
            w = pat.sub(rep, w)
    return w


_IRREGULAR = {
    "teeth": "tooth", "feet": "foot", "children": "child", "women": "woman", "men": "man",
    "mice": "mouse", "lice": "louse", "phalanges": "phalanx", "diagnoses": "diagnosis",
}
"""Irregular plurals."""
_ORGAN_ADJECTIVES = {
    # relational adjectives → the organ they name (``renal cyst`` ~ ``kidney cyst``)
    "renal": "kidney", "hepatic": "liver", "cardiac": "heart", "pulmonary": "lung",
    "ocular": "eye", "ophthalmic": "eye", "ophthalmologic": "eye", "ophthalmological": "eye",
    "oral": "mouth", "retinal": "retina", "cerebellar": "cerebellum", "nasal": "nose",
    "facial": "face", "dental": "tooth", "gastric": "stomach", "cutaneous": "skin",
    "dermal": "skin", "vertebral": "vertebra", "spinal": "spine", "thoracic": "thorax",
    "abdominal": "abdomen", "palatal": "palate", "labial": "lip", "lingual": "tongue",
    "mandibular": "mandible", "maxillary": "maxilla", "femoral": "femur", "tibial": "tibia",
    "ulnar": "ulna", "humeral": "humerus", "pelvic": "pelvis", "cerebral": "cerebrum",
    "cranial": "cranium", "skeletal": "skeleton", "muscular": "muscle", "hepatosplenic": "hepatosplenic",
    "splenic": "spleen", "ovarian": "ovary", "testicular": "testis", "uterine": "uterus",
    "laryngeal": "larynx", "tracheal": "trachea", "esophageal": "esophagus", "intestinal": "intestine",
    "colonic": "colon", "rectal": "rectum", "anal": "anus", "umbilical": "umbilicus",
    "digital": "digit", "carpal": "carpus", "tarsal": "tarsus", "pectoral": "pectoralis",
    "palmar": "palm", "plantar": "sole",
}
RELATIONAL_ADJECTIVES = frozenset(_ORGAN_ADJECTIVES)
"""Adjectives that name a part of the body (``renal``), folded into its noun."""
_LEXICAL = {
    **_ORGAN_ADJECTIVES,
    # ``absence of X`` ~ ``absent X`` ~ ``lack of X``
    "absence": "absent", "lack": "absent", "lacking": "absent",
    # ``reduced sweating`` ~ ``decreased sweating`` (HPO words it either way; a bare ``sweating`` is
    # *Hyperhidrosis*, so a missed variant reads as its opposite)
    "reduced": "decreased", "diminished": "decreased",
    # the heads HPO uses interchangeably for ``abnormality of X``
    "anomaly": "abnormality", "malformation": "abnormality", "abnormal": "abnormality",
}
"""Word-level lexical variants, applied after plural removal."""
ABSENCE_SEIZURE_HEADS = frozenset({"seizure", "epilepsy", "status", "episode", "attack", "spell"})
"""Nouns the seizure noun *absence* qualifies (``absence seizures``, ``absence
epilepsy``, ``absence status``). Before one of them ``absence`` names a type of
seizure, not the lack of something, so it keeps its own normal form
``absence`` there, unlike ``absence of X`` ~ ``absent X`` (see :func:`in_context`):
``seizures were absent`` or ``absent seizures`` (no seizures) never reads as
``Absence seizures``."""


_IC_NOUNS = (("plastic", "plasia"), ("trophic", "trophy"), ("pathic", "pathy"), ("cephalic", "cephaly"),
             ("myoclonic", "myoclonus"), ("leptic", "lepsy"), ("lytic", "lysis"), ("otic", "osis"))
"""The ``-ic`` adjectives whose noun does not end in ``-ia``: ``hypoplastic`` → ``hypoplasia``,
``atrophic`` → ``atrophy``, ``myopathic`` → ``myopathy``, ``microcephalic`` → ``microcephaly``,
``myoclonic`` → ``myoclonus``, ``epileptic`` → ``epilepsy``, ``hemolytic`` → ``hemolysis``,
``scoliotic`` → ``scoliosis``. Not a bare ``clonic``: it names a kind of seizure (``tonic-clonic``),
not the reflex sign *Clonus*."""


def _derived(w: str) -> str:
    """Adjective → noun derivations: ``ataxic`` → ``ataxia``, ``scoliotic`` → ``scoliosis``,
    ``hypoplastic`` → ``hypoplasia`` (see :data:`_IC_NOUNS`).

    Example:
        >>> [_derived(w) for w in ("ataxic", "scoliotic", "dysplastic", "atrophic", "myoclonic", "epileptic")]
        ['ataxia', 'scoliosis', 'dysplasia', 'atrophy', 'myoclonus', 'epilepsy']
    """
    if len(w) > 5 and w.endswith("ic"):
        for adj, noun in _IC_NOUNS:
            if w.endswith(adj):
                return w[: -len(adj)] + noun
        return w[:-2] + "ia"
    return w


@lru_cache(maxsize=200_000)
def norm_word(word: str) -> str:
    """The normal form of one word: lower case, possessive and plural removed.

    Simple suffix rules (``-ae`` → ``-a``, ``-omata`` → ``-oma``, ``-thoraces`` → ``-thorax``,
    ``-ies`` → ``-y``, ``-ches/-shes/-xes/-sses`` → drop ``-es``, final ``-s`` dropped unless the
    word ends in ``ss/us/is/os`` or is short, and a few words like ``lens`` or ``pancreas``) are
    applied identically to the dictionary and to the text, so they need only be consistent, not
    linguistically exact.
    """
    w = _singular(word)
    w = _LEXICAL.get(w, w)
    return _derived(w) if w.isalpha() else w


def _singular(word: str) -> str:
    w = word.lower()
    if not w.isascii():  # café → cafe, Sjögren → sjogren
        w = "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c))
    if w.endswith(("'s", "\u2019s")):
        w = w[:-2]
    w = _british(w)
    n = len(w)
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if n <= 3 or not w.isalpha() or w in _SINGULAR_S:
        return w
    if w.endswith("es") and w[:-2] in _SINGULAR_S:
        return w[:-2]
    if w.endswith("ae") and n > 5:  # Latin plurals: fistulae, vertebrae
        return w[:-1]
    if w.endswith("omata"):  # carcinomata
        return w[:-2]
    if w.endswith("thoraces"):  # pneumothoraces, haemothoraces
        return w[:-3] + "x"
    if w.endswith("ies") and n > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "ches", "shes", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(_KEEP_S):
        return w[:-1]
    return w


class Memo(dict[str, Any]):
    """``word → fn(word)``, computed on first use and kept (a plain dict look-up
    is several times cheaper per word than an ``lru_cache`` call); cleared
    when it reaches ``limit`` entries, so a huge text of distinct words cannot
    grow it without end.

    Example:
        >>> m = Memo(str.upper, limit=2)
        >>> m["a"], m["b"], len(m), m["c"], len(m)
        ('A', 'B', 2, 'C', 1)
    """

    def __init__(self, fn: Callable[[str], Any], limit: int = 500_000) -> None:
        super().__init__()
        self.fn = fn
        self.limit = limit

    def __missing__(self, word: str) -> Any:
        if len(self) >= self.limit:
            self.clear()
        v = self[word] = self.fn(word)
        return v


_NORMS = Memo(norm_word)


def in_context(words: Sequence[str], norms: list[str]) -> list[str]:
    """``norms`` (the :func:`norm_word` of each of ``words``) with the normal
    forms that depend on the next word: the seizure noun ``absence`` before a
    noun of :data:`ABSENCE_SEIZURE_HEADS` is ``absence``, not ``absent``.
    Changed in place; returned.

    Example:
        >>> w = "absence seizures , absent seizures , absences , absence of seizures".split()
        >>> in_context(w, [norm_word(x) for x in w])  # doctest: +NORMALIZE_WHITESPACE
        ['absence', 'seizure', ',', 'absent', 'seizure', ',', 'absent', ',', 'absent', 'of', 'seizure']
    """
    if "absent" not in norms:
        return norms
    last = len(norms) - 1
    k = -1
    for _ in range(norms.count("absent")):
        k = norms.index("absent", k + 1)
        if k < last and norms[k + 1] in ABSENCE_SEIZURE_HEADS and _singular(words[k]) == "absence":
            norms[k] = "absence"
    return norms


def norm_words(words: Sequence[str]) -> list[str]:
    """The normal forms of the words of a text, in order: what :func:`norm_word`
    gives each, in the context of the next word (:func:`in_context`).

    Example:
        >>> norm_words(["Kidneys", "of", "Tumours"]), norm_words(["Absence", "seizures"])
        (['kidney', 'of', 'tumor'], ['absence', 'seizure'])
    """
    return in_context(words, list(map(_NORMS.__getitem__, words)))


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """The tokens of ``text`` (normal forms as :func:`norm_words` gives them);
    offsets are shifted by ``offset``."""
    ms = list(token_matches(text))
    norms = norm_words([m.group() for m in ms])
    return [Token(m.start() + offset, m.end() + offset, w) for m, w in zip(ms, norms, strict=True)]


def norm_phrase(text: str) -> tuple[str, ...]:
    """The normal token sequence of a phrase (how dictionary terms are keyed),
    as :func:`norm_words` gives it.

    Example:
        >>> norm_phrase("Long, slender fingers"), norm_phrase("Absence seizures")
        (('long', ',', 'slender', 'finger'), ('absence', 'seizure'))
    """
    return tuple(norm_words([m.group() for m in token_matches(text)]))


_ABBREV_BEFORE_DOT = frozenset(
    "dr mr mrs ms prof st vs fig figs eg ie al approx no nos ca resp dept e.g i.e".split()
)
_SENT_END = re.compile(r"[.!?\n](?:(?<=[.!?])[.!?]*[\"')\]]*(?=\s+[\"'(\[]?(?:[^\W_]|\+))|(?<=\n)\s*)")
"""``.``, ``!`` or ``?`` (more of them, closing quotes or brackets) before space and
a letter, a digit or a ``+`` (``Denies fever. + cough``), or a line break and the
space after it. Written to start with one character class, which the regex engine
scans for quickly. Before a lower-case letter or a ``+``, a full stop ends a
sentence only after a word that is no abbreviation (see :func:`_lower_start_abbrev`)."""
_ABBREV_BEFORE_LOWER = frozenset(
    "etc cf viz resp approx appr ca esp incl excl abbr vs et ibid op cit sp spp ssp subsp var "
    "pt pts yr yrs mo mos wk wks hr hrs min mins sec secs mg mcg ug ng gm kg ml dl mm cm km mmol mol meq "
    "iu bpm ref refs vol vols ed eds pp ch chap sect tab num nr dept univ inst co corp inc ltd jr sr "
    "ave rd mt dx hx tx rx sx fx px bx temp wt ht bp rr sat pos neg abn avg max bilat lat ant post "
    "sup inf est def micrograms milligrams iv im sc po ip bid tid qid qd prn".split()
)
"""Words a full stop abbreviates before a word in lower case or a ``+`` (``approx. 3 mg``,
``pt. denies``, ``2 yrs. later``), besides :data:`_ABBREV_BEFORE_DOT`."""


def _lower_start_abbrev(w: str) -> bool:
    """Whether ``w`` (the lower-cased word before a full stop) is an abbreviation
    before a word in lower case or a ``+``: one of :data:`_ABBREV_BEFORE_LOWER` or
    :data:`_ABBREV_BEFORE_DOT`, a single letter or mark, a word with a full stop in
    it (``e.g``, ``a.m``), a unit with a slash or a digit (``beats/min``,
    ``kg-1``; not a number: ``since age 2. no fever``). A sentence ends before a
    capital or a digit after more of them (see :func:`sentence_spans`).

    Example:
        >>> [_lower_start_abbrev(w) for w in ("rash", "approx", "e.g", "x", "beats/min", "kg-1", "2")]
        [False, True, True, True, True, True, False]
    """
    w = w.lstrip("\"'([")
    if len(w) <= 1:
        return not w.isdigit()
    return (w in _ABBREV_BEFORE_LOWER or w in _ABBREV_BEFORE_DOT or "." in w or "/" in w
            or (not w.isdigit() and any(c.isdigit() for c in w)))


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each sentence, whitespace trimmed.

    A sentence ends at ``.``, ``!`` or ``?`` followed by space and a capital or
    digit (but not after a title or ``e.g.``-style abbreviation or a single
    initial), at ``.`` followed by space and a word in lower case or a ``+``
    (``No rash. hypotonia noted``, ``Denies fever. + cough``; not after an
    abbreviation of :data:`_ABBREV_BEFORE_LOWER`, ``e.g.``, ``approx.``, ``pt.``,
    ``yrs.``, ``mg.``, a single letter, an item's number or a word with a full
    stop in it), and at every line break: a line may be one item of a list
    (``ROS:\\nno fever\\ncough``), so a negation does not run on into the next
    line, unless the list goes on there (``Denies headache,\\nfever``, ``There
    was no\\nhepatomegaly``: see :func:`list_continues`) or the line is a
    negating heading's (``Denies:\\n- fever``: see :func:`heading_continues`).
    (A term hard-wrapped over a line break, ``Marfan\\nsyndrome``, is still found:
    see :func:`wrap_joins`.) A reply stays with its question (``Ataxia?
    Possibly.`` and ``Seizures? Yes, twice.`` are one sentence: see :data:`_REPLY`).
    """
    return iter(sentence_spans(text))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """What :func:`sentences` yields, as a list (built in one loop, no generator).

    Example:
        >>> sentence_spans("No fever. Dr. Smith saw him.\\n Cough ")
        [(0, 9), (10, 28), (30, 35)]
    """
    out: list[tuple[int, int]] = []
    start = 0
    for m in _sentence_ends(text):
        e = m.start()
        c = text[e]
        if c == ".":
            w = text[max(text.rfind(" ", start, e), text.rfind("(", start, e), start - 1) + 1 : e].lower()
            if w in _ABBREV_BEFORE_DOT or (len(w) == 1 and w.isalpha()):
                continue
            if ((_lower_start_abbrev(w) or (w.isdigit() and not text[start : e - len(w)].strip()))
                    and _lower_next(text, m.end())):
                continue  # ``e.g. fever``, ``approx. 3``, an item's number: ``2. fever``
        elif c != "\n" and _lower_next(text, m.end()):
            continue  # ``!``/``?`` before a lower-case word or ``+`` ends no sentence (as before)
        elif c == "?" and _REPLY.match(text, m.end()):
            continue
        end = m.end() if c != "\n" else e
        # whitespace trimmed: most sentences have none at either end (a quick test first)
        if start < end and not text[start].isspace() and text[start] != "\ufeff" and not text[end - 1].isspace():
            out.append((start, end))
        else:
            out.extend(_trimmed(text, start, end))
        start = m.end()
    out.extend(_trimmed(text, start, len(text)))
    return out


_NEXT_START = re.compile(r"\s+[\"'(\[]?(\+|[^\W\d_])")
"""Space and the first letter of a word (or a ``+``) after a sentence end: a word
in lower case or a ``+`` may follow an abbreviation's full stop in the same sentence
(see :func:`_lower_next`)."""


def _lower_next(text: str, i: int) -> bool:
    """Whether a word in lower case or a ``+`` (no capital, no digit) follows the space at ``text[i]``."""
    m = _NEXT_START.match(text, i)
    return m is not None and (m.group(1) == "+" or m.group(1).islower())


_REPLY = re.compile(
    r"[ \t]+(?:[^\W\d_]+(?:[.!]|[ \t]*(?:\n|$))"
    r"|(?i:yes|yeah|yep|no|nope|never|none|possibly|probably|maybe|perhaps|unsure|unclear)[ \t]*[,;\u2013\u2014-])")
"""A reply after a question that stays in the question's sentence, where its assertion applies:
one word (``Ataxia? Possibly.``), or an answer word before more words (``Has he had seizures?
Yes, twice.``, ``No - never``)."""


def one_line_break(text: str, b: int, a: int) -> bool:
    """Whether ``text[b:a]`` (between two sentences) is white space with one line break: no
    blank line, the next sentence on the next line. A byte-order mark counts as white space
    there, as it does where :func:`sentence_spans` trims a sentence.

    Example:
        >>> [one_line_break(t, 1, len(t) - 1) for t in ("a\\nb", "a \\n b", "a\\n\\nb", "a b", "a\\n-b", "a\\n\\ufeffb")]
        [True, True, False, False, False, True]
    """
    return text.count("\n", b, a) == 1 and not text[b:a].replace("\ufeff", "").strip()


def wrap_joins(text: str, spans: Sequence[tuple[int, int]]) -> list[bool]:
    """For each sentence (``spans``, as :func:`sentence_spans` gives them), whether
    a term may go on into the next one because the line may only be hard-wrapped
    there: one line break (no blank line) separates them, the next line starts
    with a lower-case letter, and the sentence does not end in ``.``, ``!``,
    ``?``, ``:`` or ``;``. The sentences stay apart (a negation does not run on
    into the next line, which may be the next item of a list); only a
    dictionary term may cross such a break (``Marfan\\nsyndrome``; the
    recogniser then reads the assertions of both lines together).

    Example:
        >>> t = "Marfan\\nsyndrome\\n\\nsplit.\\nno\\nFever:\\ncough"
        >>> wrap_joins(t, sentence_spans(t))
        [True, False, False, False, False, False]
    """
    out = [False] * len(spans)
    if "\n" not in text:
        return out
    for k in range(len(spans) - 1):
        b, a = spans[k][1], spans[k + 1][0]
        if text[a].islower() and text[b - 1] not in ".!?:;" and one_line_break(text, b, a):
            out[k] = True
    return out


SentenceLines = tuple[list[tuple[int, int]], list[bool]]
"""A text's sentences (:func:`sentence_spans`) and, for each, whether a hard wrap joins it to the
next (:func:`wrap_joins`)."""


def sentence_lines(text: str) -> SentenceLines:
    """The text's :data:`SentenceLines`, for readers that walk its sentences over hard wraps.

    Example:
        >>> sentence_lines("Marfan\\nsyndrome. Fever.")
        ([(0, 6), (7, 16), (17, 23)], [True, False, False])
    """
    spans = sentence_spans(text)
    return spans, wrap_joins(text, spans)


_LINE_ENDS_LIST = re.compile(r"(?:,|(?<![\w-])(?:and|or|nor))$", re.IGNORECASE)
"""A line that leaves its list open: it ends in a comma or a coordinating word."""
_LINE_GOES_ON = re.compile(r"(?:and|or|nor)\b|,")
"""A line that continues the list before it: it starts with ``and``, ``or``, ``nor`` (lower case) or a comma."""
BULLET_MARKS = r"-*+\u2022\u2023\u25e6\u2043\u2013\u2014"
"""The marks of a bulleted item (``-``, ``*``, ``+``, ``\u2022``, ``\u2023``, ``\u25e6``, ``\u2043``, an en
or em dash), as the inside of a regex character class."""
ITEM_NUMBER = r"\(?\d{1,3}[.)]"
"""An item's number (``1.``, ``2)``, ``(3)``), as a regex."""
_ITEM_MARK = rf"[{BULLET_MARKS}>]|{ITEM_NUMBER}\s"
"""What starts a bullet or numbered item: a bullet mark (or a quote's ``>``), or a number and a space."""
HEADING_LABEL = r"[^\W\d_][^\n:,;.]{0,40}:"
"""A field's or section's label and its colon (``Neuro:``, ``Positives:``), as a regex."""
_HEADING = re.compile(HEADING_LABEL)
"""A line that starts a section of its own (``Neuro:``, ``Positives:``)."""
NEW_ITEM = re.compile(f"{_ITEM_MARK}|{HEADING_LABEL}")
"""A line that starts an item or a section of its own: a bullet, a number
(``1.``, ``2)``) or a heading (``Neuro:``, ``Review of systems:``)."""


_OPEN_WORDS = (
    "a an the any some no not nor neither either his her their its this that these those "
    "of with without w/o for in on at to from by into about than as "
    "is are was were be been being has have had having do does did "
    "deny denies denied denying report reports reported show shows showed shown noted notes "
    "reveal reveals revealed demonstrate demonstrates demonstrated exhibit exhibits exhibited "
    "develop develops developed endorse endorses endorsed admit admits admitted complains complained "
    "possible possibly probable probably suspected suspect suspicious questionable likely "
    "negative positive concerning worrisome known further other obvious significant evident overt"
)
_LINE_ENDS_OPEN = re.compile(
    r"(?<![\w/-])(?<![:?=][ \t])(?<![:?=])(?<!\s[-\u2013\u2014][ \t])(?:"
    + "|".join(map(re.escape, sorted(_OPEN_WORDS.split(), key=len, reverse=True))) + r")$",
    re.IGNORECASE,
)
"""A line that ends in the middle of a clause: in an article, a preposition, a verb or a
cue that a finding must follow (``There was no``, ``he does not have``, ``She denies any``,
``his maternal uncle had``, ``a possible``); not an answer (``Smoker: no``, ``Alcohol - no``)."""


_SHORT_ANSWER = re.compile(r"(?:[:?=]|\s[-\u2013\u2014])[ \t]*(?:[^\W\d_]+[ \t]*){1,2}$")
"""The end of a line that is a field's short answer (``Allergies: nil known``, ``Smoker - no``)."""


def _line_ends_open(text: str, sa: int, b: int, a: int) -> bool:
    """Whether the line ``text[sa:b]`` ends in the middle of a clause
    (:data:`_LINE_ENDS_OPEN`; not a short answer, :data:`_SHORT_ANSWER`) that the next
    line, at ``a``, may go on: it starts with a letter or a digit, and a capital
    starts no clause of its own there (``He has ataxia``: see :data:`_SUBJECT_START`).

    Example:
        >>> t = "There was no\\nhepatomegaly. Allergies: none known\\nhe has ataxia"
        >>> _line_ends_open(t, 0, 12, 13), _line_ends_open(t, 27, 49, 50)
        (True, False)
    """
    if not text[a].isalnum() or not _LINE_ENDS_OPEN.search(text, max(sa, b - 12), b):
        return False
    if _SHORT_ANSWER.search(text, max(sa, b - 40), b):
        return False
    return not (text[a].isupper() and _SUBJECT_START.match(text, a))


def list_continues(text: str, spans: Sequence[tuple[int, int]]) -> list[bool]:
    """For each sentence (``spans``, as :func:`sentence_spans` gives them), whether
    the next one continues its list over a line break, so that an assertion said
    at the list's start covers it (``Denies headache,\\nfever or chills``): one
    line break (no blank line) separates them; the line ends in a comma, ``and``,
    ``or`` or ``nor``, or the next one starts with one of these words in lower
    case (``fever\\nor chills``), or the line ends in the middle of a clause (an
    article, a preposition, a verb or a cue: ``There was no\\nhepatomegaly``,
    ``his uncle had\\ndeafness``; not a short answer, ``Smoker: no``, nor before a
    capital that starts a clause, ``He has``: see :func:`_line_ends_open`; a line
    that ends in a finding stays an item, ``denies headache\\nseizures``); and
    the next line starts no item or section
    of its own (a bullet, a number, a heading ``Neuro:``). Otherwise a line break
    ends the list (``ROS:\\nno fever\\ncough``: each line an item; see :func:`sentences`).

    Example:
        >>> t = "Denies fever,\\nchills\\nor cough\\nno rash,\\n- cough and\\nNeuro: normal.\\nNo rash,\\n\\nfever"
        >>> [t[a:b] for (a, b), c in zip(sentence_spans(t), list_continues(t, sentence_spans(t))) if c]
        ['Denies fever,', 'chills']
    """
    out = [False] * len(spans)
    if "\n" not in text:
        return out
    for k in range(len(spans) - 1):
        b, a = spans[k][1], spans[k + 1][0]
        c = text[b - 1]
        if c in ".!?:;" or not one_line_break(text, b, a):
            continue
        if ((c == "," or (c in "dDrR" and _LINE_ENDS_LIST.search(text, max(spans[k][0], b - 4), b)))
                or _LINE_GOES_ON.match(text, a)
                or (c.isalpha() and _line_ends_open(text, spans[k][0], b, a))
                ) and not NEW_ITEM.match(text, a):
            out[k] = True
    return out


_BULLET = re.compile(rf"(?!\+)(?:{_ITEM_MARK})")
"""A line that starts a bullet or numbered item (not a ``+``: a positive finding, ``+ cough``)."""
_SUBJECT_START = re.compile(
    r"(?:she|he|they|we|i|it|the|this|these|patient|pt|his|her|their|mother|father|family|"
    r"exam|examination|on|in|at|plan|assessment|impression|has|had|is|was|are|were)\b",
    re.IGNORECASE,
)
"""A line that starts a clause or section of prose (``She has cough``, ``On exam ...``, ``Has
ataxia``), no item of a list."""


def heading_continues(text: str, spans: Sequence[tuple[int, int]], heading: re.Pattern[str]) -> list[bool]:
    """For each sentence (``spans``, as :func:`sentence_spans` gives them), whether the
    next one is part of the list of a heading that ends its line and that ``heading``
    matches there (``Denies:``, ``ROS negative for:``; see
    :data:`kg.extraction.context.NEGATING_HEADING`), so that what the heading says covers
    it: the heading's line and each line below it, one line break apart (no blank line),
    while the next line starts no heading of its own (``Positives:``), and is a bullet or
    numbered item, a line marked ``+`` (a positive finding, ``+ cough``, which the heading's
    scope leaves out: see :func:`kg.extraction.context._heading_scopes`), or a line of list
    items that starts no clause of prose (``She has``, ``On exam``, ``Has``) after a line that ends no
    sentence (``.``, ``!``, ``?``, ``;``; one bullet item after another may end in them) and,
    after a bullet item, starts in lower case (``- fever⏎Ataxia is present``: prose).

    Example:
        >>> h = re.compile(r"(?:denies|negatives):", re.IGNORECASE)
        >>> t = "Denies:\\n- fever.\\n- chills\\nrash\\nShe has cough\\nNegatives:\\nfever\\n\\nrash"
        >>> [t[a:b] for (a, b), c in zip(sentence_spans(t), heading_continues(t, sentence_spans(t), h)) if c]
        ['Denies:', '- fever.', '- chills', 'Negatives:']
        >>> t = "Denies:\\n- fever\\nAtaxia is present.\\nDenies:\\nfever\\nHas ataxia"
        >>> [t[a:b] for (a, b), c in zip(sentence_spans(t), heading_continues(t, sentence_spans(t), h)) if c]
        ['Denies:', 'Denies:']
    """
    out = [False] * len(spans)
    if "\n" not in text or ":" not in text:
        return out
    open_list = False
    for k in range(len(spans) - 1):
        (sa, b), a = spans[k], spans[k + 1][0]
        if not one_line_break(text, b, a):
            open_list = False
            continue
        if text[b - 1] == ":":
            m = heading.search(text, max(sa, b - 60), b)
            open_list = m is not None and m.end() == b
            out[k] = open_list and not _HEADING.match(text, a)
            continue
        if not open_list or _HEADING.match(text, a):
            open_list = False
            continue
        if text[a] == "+":  # a positive finding (``+ cough``): in the list, which the heading does not negate
            out[k] = True
            continue
        if _BULLET.match(text, a):
            out[k] = text[b - 1] not in ".!?;" or _BULLET.match(text, sa) is not None
        else:  # after a bullet item, a line with a capital and no bullet is prose (``- fever⏎Ataxia is present``)
            out[k] = (text[b - 1] not in ".!?;" and not _SUBJECT_START.match(text, a)
                      and not (text[a].isupper() and _BULLET.match(text, sa)))
        open_list = out[k]
    return out


def _sentence_ends(text: str) -> list[re.Match[str]]:
    """The matches of :data:`_SENT_END` that ``finditer`` finds, found by
    trying the pattern only where one of its first characters is (``str.find``
    scans for them far quicker than the regex engine's search loop).

    Example:
        >>> t = "A. B!? C\\n\\nD. e.g. F"
        >>> [m.span() for m in _sentence_ends(t)] == [m.span() for m in _SENT_END.finditer(t)]
        True
    """
    at: list[int] = []
    for c in ".!?\n":
        p = text.find(c)
        while p >= 0:
            at.append(p)
            p = text.find(c, p + 1)
    if len(at) > 1:
        at.sort()
    out = []
    done = 0
    match = _SENT_END.match
    for p in at:
        if p >= done:  # not inside the previous match (finditer's matches do not overlap)
            m = match(text, p)
            if m is not None:
                out.append(m)
                done = m.end()
    return out


def _trimmed(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    while a < b and (text[a].isspace() or text[a] == "\ufeff"):  # a byte-order mark starts no sentence
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        yield (a, b)
