"""Write a subgraph to a file, the format chosen by its suffix.

The file is written beside its destination and renamed into place, so a
failure never leaves a half-written picture; an empty subgraph is an error,
never a blank page.

Example:
    >>> from pathlib import Path
    >>> from medkg_viz.model import Subgraph
    >>> write(Subgraph("empty"), Path("x.html"))
    Traceback (most recent call last):
    ...
    medkg_viz.errors.NothingToDrawError: nothing to draw for 'empty': the subgraph has no nodes
    >>> output_format(Path("a.PNG")), output_format(Path("b.html"))
    ('png', 'html')
"""

from __future__ import annotations

import os
from pathlib import Path

from medkg_viz.errors import NothingToDrawError, VisualisationError
from medkg_viz.model import Subgraph

FORMATS = ("html", "png", "svg")


def output_format(path: Path) -> str:
    """``html``, ``png`` or ``svg`` from the file name.

    Raises:
        VisualisationError: another suffix.
    """
    fmt = path.suffix.lstrip(".").lower()
    if fmt == "htm":
        fmt = "html"
    if fmt not in FORMATS:
        raise VisualisationError(f"cannot write {path}: use a .html, .png or .svg file name")
    return fmt


def write(sub: Subgraph, path: Path) -> Path:
    """Draw ``sub`` into ``path`` (HTML, PNG or SVG by suffix); return the path.

    Raises:
        NothingToDrawError: the subgraph has no nodes.
        VisualisationError: an unknown suffix, a folder that does not exist or cannot be written.
        VizExtraMissing: PNG/SVG without the ``viz`` extra.
    """
    if not sub.nodes:
        raise NothingToDrawError(f"nothing to draw for {sub.title!r}: the subgraph has no nodes")
    fmt = output_format(path)
    if not path.parent.is_dir():
        raise VisualisationError(f"cannot write {path}: folder {path.parent} does not exist")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if fmt == "html":
            from medkg_viz.html import html_page

            tmp.write_text(html_page(sub), encoding="utf-8")
        else:
            from medkg_viz.static import render_static

            render_static(sub, tmp, fmt)
        tmp.replace(path)
    except OSError as e:
        raise VisualisationError(f"cannot write {path}: {e.strerror or e}") from e
    finally:
        tmp.unlink(missing_ok=True)
    return path
