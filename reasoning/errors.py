"""Errors of the reasoning package, all under :class:`kg.errors.MedKGError`."""

from __future__ import annotations

from collections.abc import Mapping

from kg.errors import MedKGError


class CaseError(MedKGError):
    """A patient case is unusable (empty, or names terms the graph lacks)."""


class EmptyCaseError(CaseError):
    """A case has no present phenotype."""


class UnknownTermError(CaseError):
    """A case names ids that are not phenotype terms of the graph.

    Attributes:
        ids: the ids, in the case's order.
        reasons: why an id is unusable when it is more than "not in the graph" (e.g. it names
            a disease), by id.
        where: where in the input an id was read (a phenopacket's file and JSON path), by id;
            the message names it after the id.
        unknown: why the ids without a reason are unusable (e.g. "not in the graph's HPO
            release 2025-01-16").

    Example:
        >>> str(UnknownTermError(["HP:9999999"]))
        'not in the graph: HP:9999999 (--lenient, or lenient=True in Python, skips unknown ids with a warning)'
        >>> e = UnknownTermError(["OMIM:154700", "HP:9999999"], {"OMIM:154700": "not an HPO phenotype term"})
        >>> str(e).split(" (--lenient")[0]
        'not in the graph: HP:9999999; OMIM:154700 is not an HPO phenotype term'
        >>> e.skipped
        'skipped OMIM:154700 (not an HPO phenotype term), HP:9999999 (not in the graph)'
        >>> UnknownTermError(["HP:9999999"], where={"HP:9999999": "p.json: phenotypicFeatures[2].type.id"}).skipped
        'skipped HP:9999999 at p.json: phenotypicFeatures[2].type.id (not in the graph)'
        >>> UnknownTermError(["HP:9999999"], unknown="not in the graph's HPO release 2025-01-16").skipped
        "skipped HP:9999999 (not in the graph's HPO release 2025-01-16)"
    """

    def __init__(self, ids: list[str], reasons: Mapping[str, str] | None = None,
                 where: Mapping[str, str] | None = None, unknown: str = "not in the graph") -> None:
        self.ids = ids
        self.reasons = dict(reasons or {})
        self.where = dict(where or {})
        self.unknown = unknown
        plain = [self._at(i) for i in ids if i not in self.reasons]
        parts = ([f"{unknown}: {', '.join(plain)}"] if plain else []) + [
            f"{self._at(i)} is {self.reasons[i]}" for i in ids if i in self.reasons]
        super().__init__(f"{'; '.join(parts)} (--lenient, or lenient=True in Python, skips unknown ids with a warning)")

    def _at(self, i: str) -> str:
        """The id, with where it was read when known."""
        return f"{i} at {self.where[i]}" if i in self.where else i

    @property
    def skipped(self) -> str:
        """The warning when the ids are skipped (``lenient``): each id with why."""
        return "skipped " + ", ".join(f"{self._at(i)} ({self.reasons.get(i, self.unknown)})" for i in self.ids)


class _ProblemsError(CaseError):
    """Case values that are not what the graph has: ``(what, given, why)`` each."""

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        self.problems = problems
        self.ids = [given for _what, given, _why in problems]
        listed = "; ".join(f"{what}: {given} is {why}" for what, given, why in problems)
        super().__init__(f"{listed} (--lenient, or lenient=True in Python, skips them with a warning)")


class UnknownDrugError(_ProblemsError):
    """A case's drugs or allergies name something that is not a drug in the graph.

    Example:
        >>> str(UnknownDrugError([("allergies", "OMIM:154700", "a disease, not a drug")]))
        'allergies: OMIM:154700 is a disease, not a drug (--lenient, or lenient=True in Python, skips them with a warning)'
    """


class UnknownConditionError(_ProblemsError):
    """A case's known conditions name something that is not a disease in the graph.

    Example:
        >>> str(UnknownConditionError([("conditions", "HP:0001166", "a phenotype, not a disease")]))
        'conditions: HP:0001166 is a phenotype, not a disease (--lenient, or lenient=True in Python, skips them with a warning)'
    """


class PhenopacketError(CaseError):
    """A phenopacket is malformed; names the file and the JSON path.

    Example:
        >>> str(PhenopacketError("p.json", "phenotypicFeatures[2].type.id", "field required"))
        'p.json: phenotypicFeatures[2].type.id: field required'
    """

    def __init__(self, origin: str, path: str, message: str) -> None:
        self.origin = origin
        self.path = path
        where = f"{origin}: {path}" if path else origin
        super().__init__(f"{where}: {message}")


class DiagnosisError(MedKGError):
    """The graph cannot support a diagnosis (e.g. it has no phenotype annotations)."""
