"""Errors of the reasoning package, all under :class:`kg.errors.MedKGError`."""

from __future__ import annotations

from kg.errors import MedKGError


class CaseError(MedKGError):
    """A patient case is unusable (empty, or names terms the graph lacks)."""


class EmptyCaseError(CaseError):
    """A case has no present phenotype."""


class UnknownTermError(CaseError):
    """A case names ids that are not in the graph.

    Example:
        >>> str(UnknownTermError(["HP:9999999"]))
        'not in the graph: HP:9999999 (use --lenient to skip unknown ids with a warning)'
    """

    def __init__(self, ids: list[str]) -> None:
        self.ids = ids
        super().__init__(
            f"not in the graph: {', '.join(ids)} (use --lenient to skip unknown ids with a warning)"
        )


class UnknownDrugError(CaseError):
    """A case's drugs or allergies name something that is not a drug in the graph.

    Example:
        >>> str(UnknownDrugError([("allergies", "OMIM:154700", "a disease, not a drug")]))
        'allergies: OMIM:154700 is a disease, not a drug (use --lenient to skip them with a warning)'
    """

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        self.problems = problems
        self.ids = [given for _what, given, _why in problems]
        listed = "; ".join(f"{what}: {given} is {why}" for what, given, why in problems)
        super().__init__(f"{listed} (use --lenient to skip them with a warning)")


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
