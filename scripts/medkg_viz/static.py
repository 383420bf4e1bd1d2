"""Static pictures (PNG, SVG) for reports: networkx lays out, matplotlib draws.

Both come with the ``viz`` extra and are imported only here. The figure is made
with matplotlib's object API (no pyplot, no global backend), so drawing is
safe from any thread and needs no display.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from medkg_viz.errors import VizExtraMissing
from medkg_viz.model import ROLE_COLOURS, Subgraph, colour_of

STATIC_FORMATS = ("png", "svg")


def _imports() -> tuple[Any, Any, Any, Any]:
    try:
        import networkx as nx
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.patches import Patch
    except ImportError as e:
        raise VizExtraMissing(e.name or "matplotlib/networkx") from e
    return nx, Figure, FigureCanvasAgg, Patch


def _layout(nx: Any, sub: Subgraph) -> dict[str, tuple[float, float]]:
    g = nx.DiGraph()
    for n in sub.nodes.values():
        g.add_node(n.id, level=n.level if n.level is not None else 0)
    for e in sub.edges:
        g.add_edge(e.subject, e.object)
    centres = [n.id for n in sub.nodes.values() if n.emphasis]
    if sub.layered:
        # matplotlib's y grows upwards: the first row goes on top
        pos = {nid: (x, -y) for nid, (x, y) in sub.columns().items()}
    elif len(centres) == 1:
        # Rings by distance from the centre: hop 1 on the inner ring, hop 2 outside.
        dist = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), centres[0])
        far = max(dist.values()) + 1
        rings: dict[int, list[str]] = {}
        for node in g:
            rings.setdefault(dist.get(node, far), []).append(node)
        pos = nx.shell_layout(g, nlist=[rings[d] for d in sorted(rings)])
    else:
        k = 1.6 / max(len(g), 1) ** 0.5
        pos = nx.spring_layout(g, seed=7, k=k, iterations=200)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def render_static(sub: Subgraph, out: Path, fmt: str, dpi: int = 110) -> None:
    """Draw a subgraph to ``out`` in ``fmt`` (``png`` or ``svg``).

    Raises:
        VizExtraMissing: matplotlib or networkx is not installed.
    """
    nx, Figure, FigureCanvasAgg, Patch = _imports()
    n = len(sub.nodes)
    side = min(6 + 0.35 * n, 26)
    fig = Figure(figsize=(side * 1.25, side), dpi=dpi)
    FigureCanvasAgg(fig)
    legend_rows = -(-(len(sub.types()) + len(sub.legend)) // 3)
    bottom = 0.02 + 0.022 * legend_rows
    ax = fig.add_axes((0.02, bottom, 0.96, 0.88 - bottom - 0.025 * len(sub.notes)))
    ax.set_axis_off()
    pos = _layout(nx, sub)
    g = nx.DiGraph()
    g.add_nodes_from(sub.nodes)
    for e in sub.edges:
        g.add_edge(e.subject, e.object)
    ids = list(sub.nodes)
    nx.draw_networkx_nodes(
        g, pos, ax=ax, nodelist=ids,
        node_color=[colour_of(sub.nodes[i].type) for i in ids],
        node_size=[700 if sub.nodes[i].emphasis else 260 for i in ids],
        edgecolors="#333333", linewidths=0.6,
    )
    for dashed in (False, True):  # one call per line style: per-edge calls are slow
        batch = [e for e in sub.edges if e.dashed == dashed]
        if not batch:
            continue
        nx.draw_networkx_edges(
            g, pos, ax=ax, edgelist=[(e.subject, e.object) for e in batch],
            width=[0.8 * e.line_width for e in batch],
            edge_color=[ROLE_COLOURS.get(e.kind, "#c0392b" if e.negated else "#8a8a8a") for e in batch],
            style="dashed" if dashed else "solid",
            arrows=True, arrowsize=10, alpha=0.85, node_size=300,
            connectionstyle="arc3,rad=0.06",
        )
    if len(sub.edges) <= 80:
        labels = {(e.subject, e.object): e.label for e in sub.edges if e.label}
        nx.draw_networkx_edge_labels(g, pos, ax=ax, edge_labels=labels, font_size=6.5,
                                     font_color="#555555", rotate=False,
                                     connectionstyle="arc3,rad=0.06",
                                     bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7})
    captions = {i: "\n".join(textwrap.wrap(sub.nodes[i].caption, 22)[:3]) for i in ids}
    span = (max(p[1] for p in pos.values()) - min(p[1] for p in pos.values())) or 1.0
    below = {i: (x, y - 0.025 * span) for i, (x, y) in pos.items()}
    nx.draw_networkx_labels(g, below, ax=ax, labels=captions, font_size=8,
                            verticalalignment="top")
    fig.suptitle(sub.title, fontsize=14, y=0.985)
    for k, note in enumerate(sub.notes):
        fig.text(0.02, 0.935 - 0.025 * k, textwrap.shorten(note, 220), fontsize=9, color="#7a5a00")
    handles = [Patch(color=colour_of(t), label=t) for t in sub.types()]
    handles += [Patch(color=c, label=text) for c, text in sub.legend]
    fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 3), fontsize=8, frameon=False)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    pad_x = 0.15 * (max(xs) - min(xs) or 1)
    pad_y = 0.12 * (max(ys) - min(ys) or 1)
    ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
    ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
    import matplotlib

    # SVG keeps its text as text (searchable, selectable), not as outlines.
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(out, format=fmt, facecolor="white")
