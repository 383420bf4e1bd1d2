"""Drug classes as the treatments read them: which classes two drugs may be compared by.

The graph classes drugs in DrugCentral's classes (``IN_CLASS``; :mod:`kg.sources.drugcentral_classes`),
many of them broad: MeSH *Anti-Bacterial Agents* and ChEBI *antibacterial drug* hold vancomycin
and amoxicillin alike, MeSH *Anti-Inflammatory Agents, Non-Steroidal* holds sulfasalazine. An
allergy or a current drug is therefore compared with a listed drug by the narrow classes only
(:data:`CLASH_KINDS`): FDA Established Pharmacologic Classes (*Penicillin-class Antibacterial*,
*Nonsteroidal Anti-inflammatory Drug*, *Corticosteroid*) and FDA Chemical/Ingredient classes
(*Penicillins*, *Nonsteroidal Anti-inflammatory Compounds*). A reaction that a text names by a
class word (``steroid-induced``) names one class id itself (:mod:`reasoning.reaction_tables`),
and every drug of that class is its suspect.

Example:
    >>> penicillins = DrugClassRef("NDFRT:N0000175497", "Penicillin-class Antibacterial", "FDA",
    ...                            "FDA Established Pharmacologic Class", "drugcentral_classes", "v")
    >>> penicillins.narrow, penicillins.described
    (True, 'FDA Established Pharmacologic Class Penicillin-class Antibacterial (NDFRT:N0000175497)')
    >>> DrugClassRef("MESH:D000900", "Anti-Bacterial Agents", "MeSH", "Pharmacological Action", "s", None).narrow
    False
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

CLASH_KINDS: frozenset[tuple[str, str]] = frozenset({
    ("FDA", "FDA Established Pharmacologic Class"),
    ("FDA", "Chemical/Ingredient"),
})
"""The (vocabulary, kind) of the classes by which an allergy or a current drug flags another
drug. Not FDA mechanisms of action or physiologic effects (*Cyclooxygenase Inhibitors* holds
no more than the NSAIDs; *Decreased Blood Pressure* holds every antihypertensive), nor MeSH
pharmacological actions or ChEBI applications (*Anti-Bacterial Agents*, *antibacterial drug*:
a penicillin allergy would flag vancomycin)."""


@dataclass(frozen=True, slots=True)
class DrugClassRef:
    """A drug's class as the graph states it.

    Attributes:
        id: the class's CURIE (``NDFRT:N0000175497``, ``MESH:D000900``, ``CHEBI:36047``).
        label: its name.
        vocabulary: the vocabulary that defines it (``FDA``, ``MeSH``, ``CHEBI``).
        kind: its kind there (``FDA Established Pharmacologic Class``, ...).
        source: the graph source that states the membership.
        version: that source's version.
    """

    id: str
    label: str
    vocabulary: str
    kind: str
    source: str
    version: str | None

    @property
    def narrow(self) -> bool:
        """Whether an allergy or a current drug is compared by this class (:data:`CLASH_KINDS`)."""
        return (self.vocabulary, self.kind) in CLASH_KINDS

    @property
    def described(self) -> str:
        """The class for a flag: its kind, name and id."""
        return f"{self.kind} {self.label} ({self.id})"


def class_refs(rows: Iterable[Sequence[Any]]) -> dict[str, list[DrugClassRef]]:
    """The rows of the ``drug_classes`` read as each drug's classes, in id order (one per class:
    a class stated by two sources keeps the first source in name order).

    Example:
        >>> refs = class_refs([("D:2", "C:1", "B", "FDA", "k", "s2", None), ("D:2", "C:1", "B", "FDA", "k", "s1", "1"),
        ...                    ("D:2", "C:0", None, None, None, None, None)])
        >>> [(r.id, r.label, r.source) for r in refs["D:2"]]
        [('C:0', 'C:0', ''), ('C:1', 'B', 's1')]
    """
    out: dict[str, dict[str, DrugClassRef]] = {}
    for drug, cid, label, vocab, kind, src, ver in sorted(rows, key=lambda r: tuple(str(v or "") for v in r)):
        out.setdefault(drug, {}).setdefault(cid, DrugClassRef(cid, label or cid, vocab or "", kind or "", src or "", ver))
    return {d: sorted(by_id.values(), key=lambda r: r.id) for d, by_id in out.items()}


def shared_narrow(a: Sequence[DrugClassRef], b: Sequence[DrugClassRef]) -> list[DrugClassRef]:
    """The narrow classes (:attr:`DrugClassRef.narrow`) that both class lists hold, from ``a``.

    Example:
        >>> nsaid = DrugClassRef("NDFRT:N0000175722", "Nonsteroidal Anti-inflammatory Drug", "FDA",
        ...                      "FDA Established Pharmacologic Class", "s", None)
        >>> broad = DrugClassRef("MESH:D000894", "Anti-Inflammatory Agents, Non-Steroidal", "MeSH",
        ...                      "Pharmacological Action", "s", None)
        >>> [c.label for c in shared_narrow([nsaid, broad], [broad, nsaid])], shared_narrow([broad], [broad])
        (['Nonsteroidal Anti-inflammatory Drug'], [])
    """
    theirs = {c.id for c in b if c.narrow}
    return [c for c in a if c.narrow and c.id in theirs]
