"""Interactive HTML that works offline: vis-network is inlined, not fetched.

The page has the title, the notes (what was left out), a legend, the network
(drag, zoom, hover for provenance) and a list of every node (click one to
focus it). The graph travels as JSON inside a ``<script type="application/json">``
element (every ``<`` escaped), so no label can break out of it; vis-network shows
tooltips given as strings as text, never as HTML.

Example:
    >>> from medkg_viz.model import Subgraph, VizNode
    >>> g = Subgraph("A </script><b>title")
    >>> g.add_node(VizNode("HP:0001166", "PhenotypicFeature", "Arachnodactyly"))
    >>> page = html_page(g)
    >>> "<script src" in page, "</script><b>" in page, "Arachnodactyly" in page
    (False, False, True)
"""

from __future__ import annotations

import html
import json
from importlib.resources import files
from typing import Any

from medkg_viz.model import ROLE_COLOURS, Subgraph, colour_of

VIS_JS = "vis-network.min.js"
COLUMN_WIDTH, ROW_HEIGHT = 460, 90
"""Pixel spacing of layered pictures (diagnoses)."""


def vis_network_js() -> str:
    """The vendored vis-network standalone build (licence header included)."""
    return (files("medkg_viz") / "vendor" / VIS_JS).read_text(encoding="utf-8")


def graph_json(sub: Subgraph) -> dict[str, Any]:
    """The nodes and edges as vis-network data (plus notes and legend)."""
    nodes = []
    columns = sub.columns() if sub.layered else {}
    for n in sub.nodes.values():
        d: dict[str, Any] = {
            "id": n.id,
            "label": n.caption,
            "title": n.tooltip(),
            "color": colour_of(n.type),
            "size": 26 if n.emphasis else 14,
            "font": {"size": 18 if n.emphasis else 14, "bold": n.emphasis},
        }
        if n.id in columns:
            x, y = columns[n.id]
            d["x"], d["y"] = x * COLUMN_WIDTH, y * ROW_HEIGHT
        nodes.append(d)
    edges = []
    for i, e in enumerate(sub.edges):
        edges.append(
            {
                "id": i,
                "from": e.subject,
                "to": e.object,
                "label": e.label,
                "title": e.tooltip(),
                "width": e.line_width,
                "dashes": e.dashed,
                "color": ROLE_COLOURS.get(e.kind, "#c0392b" if e.negated else "#888888"),
            }
        )
    legend = [(colour_of(t), t) for t in sub.types()] + list(sub.legend)
    return {"title": sub.title, "notes": sub.notes, "legend": legend, "nodes": nodes,
            "edges": edges, "layered": sub.layered}


def _json_script(obj: Any) -> str:
    # No "<" at all inside the script element: it cannot close it or open a comment.
    return json.dumps(obj, ensure_ascii=False).replace("<", "\\u003c")


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<style>
html, body {{ margin: 0; height: 100%; font-family: sans-serif; color: #222; background: #fff; }}
body {{ display: flex; flex-direction: column; }}
header {{ padding: 8px 14px; border-bottom: 1px solid #ddd; }}
h1 {{ font-size: 18px; margin: 0 0 4px 0; }}
.note {{ background: #fff4d6; border: 1px solid #e6c36a; padding: 3px 8px; margin: 3px 0; font-size: 13px; }}
.legend span {{ display: inline-block; margin-right: 14px; font-size: 13px; }}
.legend i {{ display: inline-block; width: 12px; height: 12px; border-radius: 6px; margin-right: 4px; vertical-align: middle; }}
main {{ flex: 1; display: flex; min-height: 0; }}
#graph {{ flex: 1; min-width: 0; }}
aside {{ width: 260px; overflow: auto; border-left: 1px solid #ddd; font-size: 12px; padding: 6px; }}
aside li {{ cursor: pointer; list-style: none; margin: 2px 0; }}
aside li i {{ display: inline-block; width: 9px; height: 9px; border-radius: 5px; margin-right: 4px; }}
aside ul {{ padding: 0; margin: 0; }}
div.vis-tooltip {{ white-space: pre-wrap; max-width: 420px; font-size: 12px; }}
</style></head>
<body data-ready="no">
<header><h1 id="title"></h1><div id="notes"></div><div class="legend" id="legend"></div></header>
<main><div id="graph"></div><aside><b id="count"></b><ul id="node-list"></ul></aside></main>
<script type="application/json" id="medkg-data">{data}</script>
<script>
{vis}
</script>
<script>
(function () {{
  "use strict";
  var data = JSON.parse(document.getElementById("medkg-data").textContent);
  function el(tag, text) {{ var e = document.createElement(tag); if (text) e.textContent = text; return e; }}
  document.getElementById("title").textContent = data.title;
  data.notes.forEach(function (n) {{ var d = el("div", n); d.className = "note"; document.getElementById("notes").appendChild(d); }});
  data.legend.forEach(function (l) {{
    var s = el("span"), i = el("i"); i.style.background = l[0]; s.appendChild(i);
    s.appendChild(document.createTextNode(l[1])); document.getElementById("legend").appendChild(s);
  }});
  document.getElementById("count").textContent = data.nodes.length + " nodes, " + data.edges.length + " edges";
  var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
  var options = {{
    nodes: {{ shape: "dot", borderWidth: 1 }},
    edges: {{ arrows: {{ to: {{ enabled: true, scaleFactor: 0.6 }} }}, font: {{ size: 11, align: "middle" }},
              smooth: {{ type: "continuous" }} }},
    interaction: {{ hover: true, tooltipDelay: 120 }},
    physics: {{ solver: "barnesHut", barnesHut: {{ gravitationalConstant: -9000, springLength: 140 }},
                stabilization: {{ iterations: 400 }} }}
  }};
  if (data.layered) {{  // fixed columns computed by medkg; nodes can still be dragged
    options.physics = false;
    options.edges.smooth = {{ type: "curvedCW", roundness: 0.12 }};
  }}
  var network = new vis.Network(document.getElementById("graph"), {{ nodes: nodes, edges: edges }}, options);
  window.medkgNetwork = network;
  var list = document.getElementById("node-list");
  data.nodes.forEach(function (n) {{
    var li = el("li"), i = el("i"); i.style.background = n.color.background || n.color;
    li.appendChild(i); li.appendChild(document.createTextNode(n.label + " \u2014 " + n.id));
    li.title = n.title;
    li.addEventListener("click", function () {{ network.selectNodes([n.id]); network.focus(n.id, {{ scale: 1.2, animation: true }}); }});
    list.appendChild(li);
  }});
  function ready() {{ network.setOptions({{ physics: false }}); network.fit(); document.body.setAttribute("data-ready", "yes"); }}
  if (data.layered) {{ network.once("afterDrawing", ready); }}
  else {{ network.once("stabilizationIterationsDone", ready); }}
}})();
</script>
</body></html>
"""


def html_page(sub: Subgraph) -> str:
    """The whole self-contained HTML page for a subgraph."""
    return _PAGE.format(
        title=html.escape(sub.title),
        data=_json_script(graph_json(sub)),
        vis=vis_network_js(),
    )
