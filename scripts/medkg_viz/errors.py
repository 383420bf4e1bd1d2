"""Errors of the visualisation package, all under :class:`kg.errors.MedKGError`."""

from __future__ import annotations

from kg.errors import MedKGError


class VisualisationError(MedKGError):
    """A picture cannot be made (bad options, unsupported store or file type)."""


class NodeNotFoundError(VisualisationError):
    """The node to centre a picture on is not in the graph."""


class NothingToDrawError(VisualisationError):
    """The subgraph asked for is empty; nothing is written rather than a blank page."""


class VizExtraMissing(VisualisationError, ImportError):
    """A package of the ``viz`` extra is not installed; the message names the extra.

    Example:
        >>> str(VizExtraMissing("matplotlib"))
        "matplotlib is not installed: pip install 'medkg[viz]'"
    """

    def __init__(self, package: str) -> None:
        self.package = package
        super().__init__(f"{package} is not installed: pip install 'medkg[viz]'")
