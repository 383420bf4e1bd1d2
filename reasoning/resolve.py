"""Check a case's ids against the graph: replace obsolete ids, report unknown ones."""

from __future__ import annotations

from reasoning.cases import Case
from reasoning.errors import EmptyCaseError, UnknownTermError
from reasoning.index import DiagnosisIndex
from reasoning.scoring import CaseTerms


def resolve_case(ix: DiagnosisIndex, case: Case, *, lenient: bool = False) -> tuple[Case, CaseTerms, list[str]]:
    """The case with current ids, its term indices, and warnings.

    Args:
        ix: the diagnosis index.
        case: the case as given.
        lenient: skip unknown ids with a warning instead of failing.

    Raises:
        UnknownTermError: an id is not in the graph's phenotype ontology (and not ``lenient``).
        EmptyCaseError: no present phenotype is left.
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
        if not lenient:
            raise UnknownTermError(unknown)
        warnings.append(f"skipped ids that are not in the graph: {', '.join(unknown)}")
    excluded = [x for x in excluded if x not in present]
    if not present:
        raise EmptyCaseError("the case has no present phenotype that the graph knows")
    resolved = case.model_copy(update={"present": present, "excluded": excluded, "notes": notes})
    terms = CaseTerms([o.index[x] for x in present], [o.index[x] for x in excluded])
    return resolved, terms, warnings + [n for n in notes if n not in case.notes]
