"""The knowledge-graph bundle: one folder holding every form of a built graph.

Layout::

    KG/
      manifest.json        sources, versions, counts, build time
      oxigraph/            Oxigraph store (SPARQL)
      ladybug.lbug         LadybugDB database (Cypher)
      export/graph.nt      N-Triples export of the whole graph
      export/medkg.ttl     the OWL/RDFS schema the export follows
      extraction/S.jsonl   statements read from text and merged as source S
                           (``medkg extract --into``); such a file is what makes
                           S a text-mined source (:meth:`Bundle.text_sources`)

Example:
    >>> b = Bundle("/tmp/kg")
    >>> b.selector("ladybug"), b.selector("oxigraph")
    ('ladybug:/tmp/kg/ladybug.lbug', 'oxigraph:/tmp/kg/oxigraph')
    >>> Bundle("~/kg").root == Path.home() / "kg"  # ``~`` is the user's home folder
    True
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kg.errors import BundleError

MANIFEST = "manifest.json"
FORMAT_VERSION = 4
"""The bundle layout and graph schema version; a bundle of another version is refused
(rebuild it). 2: the ``INDICATED_FOR`` relation (DrugCentral label indications that no
curator classed, which version 1 stored as ``TREATS``). 3: ``ObsoleteTerm`` nodes (obsolete
HPO ids without a replacement, with their ``consider`` ids), a node table and a ``consider``
node property that version 2 lacks. 4: ``DrugClass`` nodes and ``IN_CLASS`` relations
(DrugCentral's drug classes), a node table, a relationship table and the ``class_source`` /
``class_type`` node properties that version 3 lacks."""
STORE_PATHS = {"oxigraph": "oxigraph", "ladybug": "ladybug.lbug"}
EXTRACTION = "extraction"
"""The folder of a bundle that keeps the statements of its text-mined sources."""


class Bundle:
    """A built knowledge-graph folder.

    Args:
        root: the folder; a leading ``~`` is expanded to the user's home folder.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).expanduser()

    @property
    def manifest_path(self) -> Path:
        """Where the manifest is."""
        return self.root / MANIFEST

    @property
    def export_path(self) -> Path:
        """The N-Triples export."""
        return self.root / "export" / "graph.nt"

    def selector(self, store: str) -> str:
        """The store selector for one of the bundle's stores (``oxigraph``, ``ladybug``)."""
        if store not in STORE_PATHS:
            raise BundleError(f"a bundle has no {store!r} store; it has {', '.join(STORE_PATHS)}")
        return f"{store}:{self.root / STORE_PATHS[store]}"

    def exists(self) -> bool:
        """Whether the folder holds a bundle (has a manifest)."""
        return self.manifest_path.is_file()

    def manifest(self) -> dict[str, Any]:
        """The parsed manifest.

        Raises:
            BundleError: no bundle there, or a manifest that cannot be read.
        """
        if not self.exists():
            raise BundleError(
                f"no knowledge graph at {self.root} (no {MANIFEST}); build one with "
                "'medkg build' or pass --kg DIR"
            )
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise BundleError(f"unreadable manifest {self.manifest_path}: {e}") from e
        if data.get("format_version") != FORMAT_VERSION:
            raise BundleError(
                f"{self.manifest_path}: bundle format {data.get('format_version')!r} is not "
                f"{FORMAT_VERSION}; rebuild it with 'medkg build'"
            )
        return data

    def write_manifest(self, data: dict[str, Any]) -> None:
        """Write the manifest (used by the builder)."""
        self.manifest_path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", "utf-8")

    def text_sources(self) -> list[str]:
        """The bundle's text-mined sources, sorted: those whose statements it keeps in
        ``extraction/<source>.jsonl`` (merged by ``medkg extract --into``); every other source
        is curated. A store has no such files: there the same merge marks these sources by their
        licence, :data:`kg.extraction.merge.TEXT_LICENSE`, which :func:`reasoning.store_reads.provenance`
        and the analyst questions' ``text_mined`` column read (the two rules must stay apart,
        one for each place the graph is read from; a test checks that they name the same sources).

        Example:
            >>> import tempfile
            >>> b = Bundle(tempfile.mkdtemp()); (b.root / "extraction").mkdir()
            >>> _ = (b.root / "extraction" / "notes.jsonl").write_text("")
            >>> b.text_sources()
            ['notes']
        """
        return sorted(p.stem for p in (self.root / EXTRACTION).glob("*.jsonl"))

    def text_statements(self, source: str) -> list[dict[str, Any]]:
        """The statements of a text-mined source (one JSON object per line of its file).

        Raises:
            BundleError: the file cannot be read, or a line is not a JSON object.
        """
        path = self.root / EXTRACTION / f"{source}.jsonl"
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, ValueError) as e:
            raise BundleError(f"unreadable text-mined statements {path}: {e}") from e
        out: list[dict[str, Any]] = []
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                st = json.loads(line)
            except ValueError as e:
                raise BundleError(f"{path}:{n}: not a JSON statement: {e}") from e
            if not isinstance(st, dict):
                raise BundleError(f"{path}:{n}: not a JSON statement (an object)")
            out.append(st)
        return out
