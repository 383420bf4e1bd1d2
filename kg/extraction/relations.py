"""Relation extraction between recognised mentions, behind one interface
with two methods.

* :class:`PatternRelations` — deterministic: within a sentence, a pair of
  mentions of fitting types is related when the words between them carry a
  cue (``X treated with Y``, ``Y-induced X``, ``X presents with Y``, ...).
* :class:`LLMRelations` — a chat model (any :class:`kg.llm.ChatModel`) is
  asked, sentence by sentence, for schema-constrained JSON (the
  ``relation_extraction`` template of :mod:`kg.prompts`); its answer is
  grounded (:mod:`kg.grounding` and the checks here): a relation whose text is
  not in the sentence, whose ids are not in the graph or not among the
  sentence's mentions, or whose types do not fit the predicate is dropped and
  counted.

Negated (``absent``) and family-history mentions take part in no relation.

Example:
    >>> from kg.extraction.types import Mention
    >>> t = "Azithromycin-induced ototoxicity was treated with prednisone."
    >>> ms = [Mention(0, 12, "Azithromycin", "DB:1", "drug"),
    ...       Mention(21, 32, "ototoxicity", "HP:1", "phenotype"),
    ...       Mention(50, 60, "prednisone", "DB:2", "drug")]
    >>> rels = PatternRelations().extract("d", t, [(0, len(t))], ms, Counter())
    >>> [(r.subject, r.predicate, r.object, r.evidence.cue) for r in rels]
    [('DB:1', 'has_adverse_effect', 'HP:1', 'induced'), ('DB:2', 'treats', 'HP:1', 'treated with')]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kg.errors import ExtractionError, MedKGError
from kg.extraction.types import (
    RELATION_TYPES,
    Evidence,
    Mention,
    Relation,
    RelationPredicate,
)
from kg.llm import ChatModel


class RelationExtractor(Protocol):
    """Finds relations between the mentions of one document."""

    method: str

    def extract(
        self,
        doc_id: str | None,
        text: str,
        sentences: Sequence[tuple[int, int]],
        mentions: Sequence[Mention],
        dropped: Counter[str],
    ) -> list[Relation]:
        """Relations between ``mentions`` (sorted by offset), sentence by sentence.

        ``dropped`` counts candidates rejected, by reason.
        """
        ...


RELATED_ASSERTIONS = frozenset({"present", "possible", "hypothetical"})
"""The assertions of mentions that take part in relations (a hypothetical one still says what a
drug may do; a negated or family one does not)."""


def _by_sentence(mentions: Sequence[Mention]) -> dict[int, list[Mention]]:
    out: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.assertion in RELATED_ASSERTIONS:
            out.setdefault(m.sentence, []).append(m)
    return out


def _fits(pred: RelationPredicate, s: Mention, o: Mention) -> bool:
    subj, obj = RELATION_TYPES[pred]
    return s.type in subj and o.type in obj and s.id != o.id


@dataclass(frozen=True, slots=True)
class Cue:
    """A pattern: the predicate, whether the subject comes first, and the cue
    regex searched in the words between the two mentions."""

    predicate: RelationPredicate
    subject_first: bool
    pattern: re.Pattern[str]
    score: float


def _cue(pred: RelationPredicate, subject_first: bool, words: str, score: float = 0.7) -> Cue:
    return Cue(pred, subject_first, re.compile(rf"(?:^|[\s\-(,])(?:{words})(?=$|[\s,)])"), score)


CUES: tuple[Cue, ...] = (
    # adverse effects first: "X treated with Y developed Z" is about Z.
    _cue("has_adverse_effect", True,
         r"induced|associated|related|caused|causes|causing|produced|produces|"
         r"resulted in|results in|resulting in|led to|leads to|provoked|precipitated|triggered|"
         r"toxicity|intoxication|overdose|poisoning|developed|develops|development of|"
         r"experienced|suffered|complicated by|followed by|develop|developing|cause of|"
         r"causes of|a cause of"),
    _cue("has_adverse_effect", False,
         r"induced by|caused by|due to|secondary to|associated with|attributed to|"
         r"related to|after|following|during|after receiving|while on|while taking|"
         r"on treatment with|from|with the use of|after administration of|"
         r"after ingestion of|after treatment with|following treatment with|"
         r"in a patient treated with|in patients treated with|in a patient receiving|"
         r"in patients receiving|in a patient taking|in patients taking|in a patient on|"
         r"receiving|taking|exposure to|exposed to|use of|during treatment with|"
         r"during therapy with|administration of|ingestion of|because of|complication of|"
         r"complications of|side effect of|side effects of|adverse effect of|adverse effects of|"
         r"adverse reaction to|reaction to|reactions to|hypersensitivity to|attributable to|in association with|"
         r"after starting|after initiation of|after the administration of|after the use of|"
         r"in a patient on|in patients on"),
    _cue("has_adverse_effect", False, r"with", 0.5),
    _cue("treats", False,
         r"treated with|treated by|treatment with|therapy with|managed with|controlled with|"
         r"responded to|responds to|response to|improved with|resolved with|"
         r"was given|were given|received|receiving", 0.65),
    _cue("treats", True,
         r"for|in the treatment of|for the treatment of|in the management of|to treat|"
         r"treats|treated|treating|is indicated for|indicated for|therapy for|"
         r"improves|improved|relieves|relieved|reduces|reduced|ameliorates|"
         r"in patients with|prevents|prevented|in the prevention of", 0.6),
    _cue("has_phenotype", True,
         r"presents with|presenting with|presented with|present with|characterized by|"
         r"characterised by|manifests as|manifested as|manifested by|manifesting as|"
         r"features include|featuring|with|causes|caused|leads to|led to|including|"
         r"such as|complicated by|associated with|accompanied by", 0.6),
    _cue("has_phenotype", False,
         r"in patients with|in children with|in|is a feature of|are features of|"
         r"feature of|features of|of|due to|secondary to|caused by|associated with|"
         r"in a patient with|in individuals with|in subjects with", 0.55),
)
"""The deterministic patterns; of the cues found between a pair, the longest
(most specific) wins, and among equally long ones the first listed."""

_MAX_GAP_WORDS = 15
_MAX_GAP_CHARS = 600
"""No pair further apart than this is tried: 15 words, even with every other word a masked
mention, fit in far less; it keeps a long unpunctuated line (OCR, a table dump) from costing
time cubic in its mentions."""
_WORD = re.compile(r"\w+")


class PatternRelations:
    """Deterministic, sentence-level relation extraction by cue patterns."""

    method = "pattern"

    def __init__(self, cues: Sequence[Cue] = CUES) -> None:
        self.cues = tuple(cues)
        self._typed = frozenset(
            (s, o) if cue.subject_first else (o, s)
            for cue in self.cues
            for s in RELATION_TYPES[cue.predicate][0]
            for o in RELATION_TYPES[cue.predicate][1]
        )
        """``(type of the first mention, type of the second)`` that some cue can relate."""

    def extract(
        self,
        doc_id: str | None,
        text: str,
        sentences: Sequence[tuple[int, int]],
        mentions: Sequence[Mention],
        dropped: Counter[str],
    ) -> list[Relation]:
        """See :class:`RelationExtractor`."""
        out: dict[tuple[str, str, str], Relation] = {}
        for k, ms in _by_sentence(mentions).items():
            if len(ms) < 2:
                continue
            a, b = sentences[k]
            ms = sorted(ms, key=lambda m: m.start)  # stable: mentions come in text order already
            for i, first in enumerate(ms):
                for j in range(i + 1, len(ms)):
                    second = ms[j]
                    if second.start - first.end > _MAX_GAP_CHARS:
                        break
                    if second.start < first.end or (first.type, second.type) not in self._typed:
                        continue
                    # only mentions between the two (in start order) can lie in the gap
                    rel = self._pair(doc_id, text, (a, b), k, first, second, ms[i + 1 : j])
                    if rel is not None:
                        out.setdefault((rel.subject, rel.predicate, rel.object), rel)
        return list(out.values())

    def _pair(
        self,
        doc_id: str | None,
        text: str,
        sent: tuple[int, int],
        k: int,
        first: Mention,
        second: Mention,
        ms: Sequence[Mention],
    ) -> Relation | None:
        if (first.type, second.type) not in self._typed:  # no cue fits the pair (most pairs of phenotypes)
            return None
        gap = text[first.end : second.start]
        # mask mentions inside the gap (lists: "presents with A, B and C")
        inner = [m for m in ms if first.end <= m.start and m.end <= second.start]
        for m in reversed(inner):
            gap = gap[: m.start - first.end] + " X " + gap[m.end - first.end :]
        if len(_WORD.findall(gap)) > _MAX_GAP_WORDS:
            return None
        low = gap.lower()
        best: tuple[int, Cue, str] | None = None
        for cue in self.cues:
            s, o = (first, second) if cue.subject_first else (second, first)
            if not _fits(cue.predicate, s, o) or any(m.type == s.type for m in inner):
                continue
            for hit in cue.pattern.finditer(low):
                if not cue.subject_first and hit.start() > len(low) // 2 + 12 and inner:
                    continue
                words = hit.group().strip(" -(,")
                if best is None or len(words) > best[0]:
                    best = (len(words), cue, words)
        if best is None:
            return None
        _n, cue, words = best
        s, o = (first, second) if cue.subject_first else (second, first)
        score = cue.score * (0.8 if {"possible", "hypothetical"} & {s.assertion, o.assertion} else 1.0)
        ev = Evidence(
            doc_id, text[sent[0] : sent[1]], k, (s.start, s.end), (o.start, o.end),
            self.method, score, words,
        )
        return Relation(s.id, cue.predicate, o.id, ev)


class LLMRelations:
    """Relation extraction by a chat model, grounded in the text and the graph.

    Args:
        model: any :class:`kg.llm.ChatModel`.
        known_ids: the graph's concept ids (a dictionary works); answers naming
            other ids are dropped.
        max_tokens: the model's answer budget per sentence.
    """

    def __init__(self, model: ChatModel, known_ids: Container[str], *, max_tokens: int = 512) -> None:
        self.model = model
        self.known_ids = known_ids
        self.max_tokens = max_tokens
        self.method = f"llm:{getattr(model, 'name', type(model).__name__)}"

    def extract(
        self,
        doc_id: str | None,
        text: str,
        sentences: Sequence[tuple[int, int]],
        mentions: Sequence[Mention],
        dropped: Counter[str],
    ) -> list[Relation]:
        """See :class:`RelationExtractor`; grounding failures are counted in ``dropped``
        (``llm_unknown_id``, ``llm_span_not_in_text``, ``llm_id_not_mentioned``,
        ``llm_wrong_types``, ``llm_malformed_*``)."""
        from kg import grounding
        from kg.prompts import RELATION_EXTRACTION
        from kg.prompts import Mention as PromptMention

        out: dict[tuple[str, str, str], Relation] = {}
        for k, ms in _by_sentence(mentions).items():
            if len(ms) < 2 or len({m.type for m in ms}) < 2:
                continue
            a, b = sentences[k]
            sentence = text[a:b]
            msgs = RELATION_EXTRACTION.render(
                sentence=sentence, mentions=[PromptMention(m.id, m.text, m.type) for m in ms]
            )
            try:
                answer = self.model.complete(msgs, schema=RELATION_EXTRACTION.schema, max_tokens=self.max_tokens)
            except MedKGError as e:
                raise ExtractionError(
                    f"{doc_id or 'document'}, sentence {k}: the model gave no usable answer: {e}"
                ) from e
            items = answer.data.get("relations") if isinstance(answer.data, dict) else None
            if not isinstance(items, list):
                dropped["llm_malformed_answer"] += 1
                continue
            shaped = [it for it in items if isinstance(it, dict) and all(isinstance(it.get(x), str) for x in _KEYS)]
            if len(shaped) < len(items):
                dropped["llm_malformed_relation"] += len(items) - len(shaped)
            g = grounding.keep_known_ids(shaped, self.known_ids, keys=("subject_id", "object_id")).then(
                grounding.keep_spans_in_text, sentence, keys=("subject_text", "object_text")
            )
            for reason, n in g.dropped.items():
                dropped[f"llm_{reason}"] += n
            for item in g.kept:
                rel = self._ground(doc_id, sentence, k, ms, item, dropped)
                if rel is not None:
                    out.setdefault((rel.subject, rel.predicate, rel.object), rel)
        return list(out.values())

    def _ground(
        self,
        doc_id: str | None,
        sentence: str,
        k: int,
        ms: Sequence[Mention],
        item: Any,
        dropped: Counter[str],
    ) -> Relation | None:
        pred = item["predicate"]
        if pred not in RELATION_TYPES:
            dropped["llm_unknown_predicate"] += 1
            return None
        ends = []
        for span_key, id_key in (("subject_text", "subject_id"), ("object_text", "object_id")):
            span, cid = item[span_key].strip().lower(), item[id_key].strip()
            m = next((m for m in ms if m.id == cid and m.text.lower() == span), None)
            if m is None:
                m = next((m for m in ms if m.id == cid), None)
            if m is None:
                dropped["llm_id_not_mentioned"] += 1
                return None
            ends.append(m)
        s, o = ends
        if not _fits(pred, s, o):
            dropped["llm_wrong_types"] += 1
            return None
        ev = Evidence(
            doc_id, sentence, k, (s.start, s.end), (o.start, o.end), self.method, 0.5,
            f"{item['subject_text']} | {item['object_text']}",
        )
        return Relation(s.id, pred, o.id, ev)


_KEYS = ("subject_id", "predicate", "object_id", "subject_text", "object_text")
