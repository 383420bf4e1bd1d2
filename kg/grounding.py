"""Grounding filters applied to every language-model answer.

A model may invent an id, suggest a candidate it was not given, or quote text
that is not in the source. Each filter keeps the items that are grounded and
counts what it dropped, by reason; filters chain through :meth:`Grounded.then`,
so the counts of a whole check travel with the result.

Example:
    >>> rels = [
    ...     {"subject_id": "DRUGBANK:DB00945", "object_id": "HP:0002315",
    ...      "subject_text": "Aspirin", "object_text": "headache"},
    ...     {"subject_id": "DRUGBANK:DB00945", "object_id": "HP:9999999",
    ...      "subject_text": "Aspirin", "object_text": "fever"},
    ... ]
    >>> g = keep_known_ids(rels, {"DRUGBANK:DB00945", "HP:0002315"}, keys=("subject_id", "object_id"))
    >>> len(g.kept), g.dropped
    (1, {'unknown_id': 1})
    >>> g = g.then(keep_spans_in_text, "Aspirin treats headache.", keys=("subject_text", "object_text"))
    >>> len(g.kept), g.dropped, g.total_dropped
    (1, {'unknown_id': 1}, 1)
    >>> keep_listed([{"id": "A"}, {"id": "Z"}, {"id": "A"}], ["A", "B"]).dropped
    {'not_a_candidate': 1, 'duplicate': 1}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Concatenate, ParamSpec

Item = Mapping[str, Any]
P = ParamSpec("P")


@dataclass(frozen=True)
class Grounded:
    """Items that passed a grounding check, and how many were dropped per reason.

    Attributes:
        kept: the grounded items, in their original order.
        dropped: reason -> number of items dropped for it (reasons with zero are absent).
    """

    kept: list[Item]
    dropped: dict[str, int] = field(default_factory=dict)

    @property
    def total_dropped(self) -> int:
        """All items dropped, over every reason."""
        return sum(self.dropped.values())

    def then(
        self, check: Callable[Concatenate[Iterable[Item], P], Grounded], *args: P.args, **kwargs: P.kwargs
    ) -> Grounded:
        """Apply another filter to the kept items; the drop counts add up."""
        nxt = check(self.kept, *args, **kwargs)
        total = Counter(self.dropped)
        total.update(nxt.dropped)
        return Grounded(nxt.kept, {k: v for k, v in total.items() if v})


def _split(items: Iterable[Item], ok: Callable[[Item], str | None]) -> Grounded:
    kept: list[Item] = []
    dropped: Counter[str] = Counter()
    for it in items:
        reason = ok(it)
        if reason is None:
            kept.append(it)
        else:
            dropped[reason] += 1
    return Grounded(kept, dict(dropped))


def keep_known_ids(items: Iterable[Item], known: Collection[str], keys: Sequence[str] = ("id",)) -> Grounded:
    """Keep items whose every id field (``keys``) is in ``known`` (e.g. the graph's node ids).

    Dropped items are counted as ``unknown_id``.
    """
    return _split(items, lambda it: None if all(it.get(k) in known for k in keys) else "unknown_id")


def keep_listed(items: Iterable[Item], allowed: Iterable[str], key: str = "id") -> Grounded:
    """Keep items whose ``key`` is one of ``allowed`` (the candidates given), each once.

    Dropped items are counted as ``not_a_candidate`` or ``duplicate``.
    """
    allowed_set = set(allowed)
    seen: set[str] = set()

    def ok(it: Item) -> str | None:
        v = it.get(key)
        if v not in allowed_set:
            return "not_a_candidate"
        if v in seen:
            return "duplicate"
        seen.add(v)
        return None

    return _split(items, ok)


def keep_spans_in_text(items: Iterable[Item], text: str, keys: Sequence[str] = ("text",)) -> Grounded:
    """Keep items whose every span field (``keys``) occurs in ``text`` (case-insensitive).

    Empty spans are not grounded. Dropped items are counted as ``span_not_in_text``.
    """
    folded = text.casefold()

    def ok(it: Item) -> str | None:
        for k in keys:
            span = it.get(k)
            if not isinstance(span, str) or not span.strip() or span.casefold() not in folded:
                return "span_not_in_text"
        return None

    return _split(items, ok)
