"""The matcher's quick paths give what the plain algorithms they replace give:
sentence ends found by ``str.find`` (as the pattern's own search finds them),
and the order-free search over bag words only (as over all content words)."""

from __future__ import annotations

import random
from bisect import bisect_right
from itertools import compress, islice

from kg.extraction import Recognizer
from kg.extraction.recognizer import _ORGAN_NORMS, _cut_noun_phrase
from kg.extraction.text import _SENT_END, STOPWORDS, _sentence_ends, sentence_spans, sentences


def test_sentence_ends_are_the_patterns_own_matches() -> None:
    rng = random.Random(7)
    alphabet = "aB1 .!?\n\"')]([e.g,;-/'s\t"
    for _ in range(20_000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert [m.span() for m in _sentence_ends(s)] == [m.span() for m in _SENT_END.finditer(s)], repr(s)
        assert sentence_spans(s) == list(sentences(s))


class _AllContentWords(Recognizer):
    """The order-free search as first written: over every content word, a
    conjunction before another function word kept as a stop; across a bare
    conjunction only a bag of a term with coordinated words."""

    def _reordered(self, text, starts, ends, norms, bounds, per, multi):  # type: ignore[no-untyped-def]
        d = self.dictionary
        keep = [w not in STOPWORDS for w in norms]
        for j in range(len(norms) - 1):
            if norms[j] in ("and", "or") and not keep[j + 1]:
                keep[j] = True
        content = list(compress(range(len(norms)), keep))
        words = list(compress(norms, keep))
        seen = {(c[0], c[1], c[2].id) for cs in per for c in cs}
        found = []
        n = len(words)
        for p in compress(range(n - 1), map(d.bag_pairs.__contains__, zip(words, islice(words, 1, None)))):
            i = content[p]
            k = bisect_right(bounds, i) - 1
            i1 = bounds[k + 1]
            bag = [words[p]]
            for q in range(p + 1, min(p + 4, n)):
                j = content[q]
                if j >= i1 or j - i > 6 or (words[p], words[q]) not in d.bag_pairs:
                    break
                bag.append(words[q])
                cid = d.bag_ids.get(tuple(sorted(bag)))
                gaps = [(words[r - 1], words[r]) for r in range(p + 1, q + 1)
                        if not {"and", "or"}.isdisjoint(norms[content[r - 1] : content[r]])]
                if not all(tuple(sorted(g)) in d.coordinated_pairs for g in gaps):
                    continue
                if cid is not None and (words[q] not in _ORGAN_NORMS or not _cut_noun_phrase(text, starts, ends, norms, j + 1, i1)):
                    if (starts[i], ends[j], cid) not in seen:
                        found.append((k, (starts[i], ends[j], d.bag_entry_of(cid), "dictionary-reordered"), (i, j + 1)))
        for k, c, ij in found:
            per[k].append(c)
            multi[k].append(ij)


CONCEPTS = [
    ("HP:1", "phenotype", "Jaw cyst", []),
    ("HP:2", "phenotype", "Cyst of the kidney", ["Renal cysts"]),
    ("HP:3", "phenotype", "Cleft lip and palate", []),
    ("HP:4", "phenotype", "Abnormality of the hand", []),
    ("DOID:5", "disease", "Endometrial cancer", []),
    ("HP:6", "phenotype", "Short distal phalanx of finger", []),
    ("HP:7", "phenotype", "Facial nerve palsy", []),
]
WORDS = ("jaw cysts cyst kidney renal cleft lip palate hand anomalies abnormal endometrial cancer short distal "
         "phalanx finger facial nerve palsy of the and or in a with , ; . ( ) no").split()


def test_order_free_search_over_bag_words_finds_what_the_search_over_content_words_found() -> None:
    rng = random.Random(3)
    for overlap in ("all", "longest"):
        new = Recognizer.from_concepts(CONCEPTS, overlap=overlap, relations=None)
        old = _AllContentWords(new.dictionary, overlap=overlap, relations=None)
        for _ in range(3_000):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 16)))
            if not text.strip(" ,;.()"):
                continue
            got = [(m.start, m.end, m.id, m.method) for m in new.extract(text).entities]
            want = [(m.start, m.end, m.id, m.method) for m in old.extract(text).entities]
            assert got == want, text


def test_order_free_neighbours_are_separated_by_function_words_only() -> None:
    rec = Recognizer.from_concepts(CONCEPTS, relations=None)

    def found(text: str) -> set[tuple[str, str]]:
        return {(m.text, m.id) for m in rec.extract(text).entities}

    assert ("cysts of the jaw", "HP:1") in found("Multiple cysts of the jaw.")
    assert found("Cysts, jaw.") == set()  # punctuation between
    assert found("Cysts in a large jaw.") == set()  # a content word between
    assert found("Cysts and the jaw.") == set()  # a conjunction before another function word
    # a bare conjunction joins two findings' words: skipped only by a term that coordinates the same words
    assert found("Cysts and jaw.") == set()
    assert ("cleft of lip and palate", "HP:3") in found("A cleft of lip and palate.")
    assert found("A palate and cleft lip.") == set()


def test_context_triggers_in_ascii_text_are_found_as_by_the_case_insensitive_pattern() -> None:
    from kg.extraction.context import ConText

    ctx = ConText()
    rng = random.Random(11)
    pieces = [*ctx.rules, "X", "fever", "-", "_", "'", " ", " ", ", ", "No", "DENIES", "Ruled Out", "r/O", "a1"]
    for _ in range(5_000):
        s = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        want = [(m.span(), m.group().lower()) for m in ctx._re.finditer(s)]
        assert [(m.span(), m.group()) for m in ctx._re_ascii.finditer(s.lower())] == want, s


def test_a_recognizer_with_its_word_memo_pickles() -> None:
    import pickle

    rec = Recognizer.from_concepts(CONCEPTS)
    text = "Cysts of the jaw and a facial nerve palsy."
    want = [m.as_json() for m in rec.extract(text).entities]
    assert [m.as_json() for m in pickle.loads(pickle.dumps(rec)).extract(text).entities] == want
