"""What the graph says about an HPO id that is no current term: obsolete (with the ids HPO
suggests instead, or none), or never in the graph's release.

The build keeps HPO's obsolete terms that have no replacement as ``ObsoleteTerm`` nodes (id,
old name, ``consider`` ids; see :data:`kg.model.NodeType.OBSOLETE`); an obsolete id with a
replacement is an alt id of it and is replaced, with a note. A ``consider`` id is HPO's
suggestion, not a replacement: a case naming an obsolete term is never changed to it.

Example:
    >>> term = ObsoleteTerm("obsolete Periosteal new bone of middle phalanx of middle-finger", ("HP:0004172",))
    >>> labels = {"HP:0004172": "Abnormality of the middle phalanx of the 3rd finger"}.get
    >>> obsolete_reason(term, "HPO 2025-01-16", labels)
    'obsolete in HPO 2025-01-16 (Periosteal new bone of middle phalanx of middle-finger); HPO suggests HP:0004172 (Abnormality of the middle phalanx of the 3rd finger) instead'
    >>> obsolete_reason(ObsoleteTerm("obsolete Primary ovarian failure", ()), "HPO 2025-01-16", labels)
    'obsolete in HPO 2025-01-16 (Primary ovarian failure), with no replacement'
    >>> not_in_graph("HPO 2025-01-16"), not_in_graph(None)
    ("not in the graph's HPO release 2025-01-16", 'not in the graph')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

_OBSOLETE_PREFIX = "obsolete "
"""How HPO starts the name of an obsolete term (``obsolete Primary ovarian failure``)."""


@dataclass(frozen=True, slots=True)
class ObsoleteTerm:
    """An obsolete term the graph keeps: its name in the release (HPO's, ``obsolete ...``) and
    the ids HPO suggests considering instead (none when it names none)."""

    label: str | None
    consider: tuple[str, ...] = ()

    @property
    def old_label(self) -> str | None:
        """The term's name without HPO's ``obsolete`` prefix.

        Example:
            >>> ObsoleteTerm("obsolete Bony spicule").old_label, ObsoleteTerm(None).old_label
            ('Bony spicule', None)
        """
        if self.label and self.label.lower().startswith(_OBSOLETE_PREFIX):
            return self.label[len(_OBSOLETE_PREFIX):].strip() or self.label
        return self.label


def _release(hpo_release: str | None) -> str:
    """The release as in "obsolete in HPO 2025-01-16" (a source version is ``HPO <date>``)."""
    if not hpo_release:
        return "the graph's HPO release"
    return hpo_release if hpo_release.startswith("HPO ") else f"HPO {hpo_release}"


def not_in_graph(hpo_release: str | None) -> str:
    """Why an HPO id that the graph's release never had is unusable, naming the release when
    the graph records it (a graph without an ``hpo`` source does not)."""
    if not hpo_release:
        return "not in the graph"
    return f"not in the graph's HPO release {hpo_release.removeprefix('HPO ')}"


def obsolete_reason(term: ObsoleteTerm, hpo_release: str | None,
                    label_of: Callable[[str], str | None]) -> str:
    """Why an obsolete id is unusable, after "HP:xxxx is": the release, its old name, and the
    ids HPO suggests instead (each with its current label; ``label_of`` gives the label of a
    current term, None for an id that is not one) or that it has no replacement."""
    named = f" ({term.old_label})" if term.old_label else ""
    head = f"obsolete in {_release(hpo_release)}{named}"
    if not term.consider:
        return f"{head}, with no replacement"
    alts = [f"{c} ({label})" if (label := label_of(c)) else f"{c} (not a current term of the graph)"
            for c in term.consider]
    return f"{head}; HPO suggests {' or '.join(alts)} instead"
