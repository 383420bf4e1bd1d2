"""Check a case's ids against the graph: replace obsolete ids, report unknown ones."""

from __future__ import annotations

from kg.curie import prefix_of
from reasoning.cases import Case
from reasoning.errors import EmptyCaseError, UnknownTermError
from reasoning.index import DiagnosisIndex
from reasoning.scoring import CaseTerms


def _not_a_phenotype(ix: DiagnosisIndex, curie: str) -> str | None:
    """Why ``curie`` cannot be a case's phenotype when it is more than "not in the graph"."""
    label = ix.disease_labels.get(curie)
    if label is not None:
        return f"the disease {label!r}, not an HPO phenotype term"
    if prefix_of(curie) != "HP":
        return "not an HPO phenotype term"
    return None


def resolve_case(ix: DiagnosisIndex, case: Case, *, lenient: bool = False) -> tuple[Case, CaseTerms, list[str]]:
    """The case with current ids, its term indices, and warnings.

    Args:
        ix: the diagnosis index.
        case: the case as given.
        lenient: skip unknown ids with a warning instead of failing.

    Raises:
        UnknownTermError: an id is not in the graph's phenotype ontology (and not ``lenient``); the
            message says when the id is a disease or not an HPO id at all.
        EmptyCaseError: no present phenotype is left (the message names the ids skipped).
    """
    o = ix.ontology
    warnings: list[str] = []
    notes = list(case.notes)
    unknown: list[str] = []

    def fix(ids: list[str]) -> list[str]:
        out: list[str] = []
        for x in ids:
            cur = o.current(x)
            if cur is None:
                unknown.append(x)
            else:
                if cur != x:
                    notes.append(f"{x} is obsolete or an alternative id: replaced by {cur} ({o.labels[o.index[cur]]})")
                if cur not in out:
                    out.append(cur)
        return out

    present, excluded = fix(case.present), fix(case.excluded)
    if unknown:
        reasons = {x: why for x in unknown if (why := _not_a_phenotype(ix, x)) is not None}
        error = UnknownTermError(unknown, reasons)
        if not lenient:
            raise error
        warnings.append(error.skipped)
    excluded = [x for x in excluded if x not in present]
    if not present:
        raise EmptyCaseError("the case has no present phenotype that the graph knows"
                             + (f"; {warnings[0]}" if unknown else ""))
    resolved = case.model_copy(update={"present": present, "excluded": excluded, "notes": notes})
    terms = CaseTerms([o.index[x] for x in present], [o.index[x] for x in excluded])
    return resolved, terms, warnings + [n for n in notes if n not in case.notes]
