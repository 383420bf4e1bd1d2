"""Pictures of the knowledge graph: neighbourhoods, query results, diagnoses.

Builders make a :class:`~medkg_viz.model.Subgraph`; :func:`~medkg_viz.render.write`
draws it as interactive offline HTML (vis-network, inlined) or as PNG/SVG
(matplotlib + networkx, the ``viz`` extra).
"""

from medkg_viz.model import Statement, Subgraph, VizEdge, VizNode

__all__ = ["Statement", "Subgraph", "VizEdge", "VizNode"]
