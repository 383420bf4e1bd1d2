"""``medkg build``: sources → assembled graph → bundle, atomically.

The bundle is written into a temporary sibling folder and swapped in only
when every step succeeded, so a failed or interrupted build leaves the
previous bundle as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from kg.bundle import FORMAT_VERSION, STORE_PATHS, Bundle
from kg.errors import BuildError, ConfigError, MedKGError, NotWritableError
from kg.graph import KnowledgeGraph, SourceInfo, assemble
from kg.model import SourceData
from kg.ontology_files import schema_path
from kg.rdf import write_ntriples
from kg.sources import all_sources, get_source
from kg.sources.base import SourceSpec
from kg.writable import check_writable

Step = Callable[[str], None]


@dataclass(slots=True)
class SourcePlan:
    """Which sources a build will use, and which it skips and why."""

    use: list[SourceSpec] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def plan_sources(names: Sequence[str] | None, data_dir: Path | None) -> SourcePlan:
    """Decide the sources of a build.

    With explicit ``names`` every one must be usable (unknown names and a
    missing data folder are errors). Without, every default source is used
    whose data is present, and the others are listed as skipped with a reason.

    Raises:
        UnknownSourceError: a name not in the registry.
        ConfigError: an explicitly requested source cannot be read.
    """
    plan = SourcePlan()
    explicit = names is not None
    specs = [get_source(n) for n in names] if names is not None else all_sources()
    if data_dir is not None and not data_dir.is_dir():
        raise ConfigError(f"data folder not found: {data_dir}")
    for spec in specs:
        if not explicit and not spec.default:
            plan.skipped.append((spec.name, "off by default (ask for it with --sources)"))
            continue
        reason = spec.missing()
        if reason is None and spec.needs_data_dir:
            if data_dir is None:
                reason = "no data folder (give --data-dir or set MEDKG_DATA_DIR)"
            elif spec.subdir and not (data_dir / spec.subdir).is_dir():
                reason = f"folder {data_dir / spec.subdir} not found"
        if reason and explicit:
            raise ConfigError(f"source {spec.name!r} cannot be loaded: {reason}")
        if reason:
            plan.skipped.append((spec.name, reason))
        else:
            plan.use.append(spec)
    return plan


def load_sources(plan: SourcePlan, data_dir: Path | None, step: Step,
                 folders: Mapping[str, Path] | None = None,
                 extra: Sequence[SourceData] = ()) -> list[SourceData]:
    """Run every planned loader, in order; a source named in ``folders`` reads that folder.

    Returns every contribution in the order the graph assembles them: the plain sources, then
    ``extra``, then the enriching sources (drug synonyms), which run last, given every other
    contribution, the ``extra`` ones included.

    Raises:
        ConfigError: ``folders`` names a source that is not in the plan.
    """
    folders = dict(folders or {})
    if stray := sorted(set(folders) - {spec.name for spec in plan.use}):
        raise ConfigError(f"a folder is given for {', '.join(stray)}, which this build does not load "
                          f"(sources: {', '.join(spec.name for spec in plan.use) or 'none'})")
    for spec in plan.use:  # before any source loads
        if spec.name in folders:
            spec.check_folder(folders[spec.name])
    parts: list[SourceData] = []
    for enriching in (False, True):
        if enriching:
            parts.extend(extra)
        for spec in (spec for spec in plan.use if spec.enriches == enriching):
            where = folders.get(spec.name)
            step(f"loading source {spec.name}" + (f" from {where}" if where else ""))
            parts.append(spec.load(data_dir, where, list(parts) if enriching else ()))
    return parts


def _version() -> str:
    try:
        return metadata.version("medkg")
    except metadata.PackageNotFoundError:
        return "unknown"


def write_bundle(graph: KnowledgeGraph, root: Path, step: Step) -> dict[str, Any]:
    """Write every store and the export of ``graph`` into an empty folder ``root``."""
    from kg.stores import open_store

    bundle = Bundle(root)
    export = bundle.export_path
    export.parent.mkdir(parents=True)
    step("writing N-Triples export")
    with export.open("w", encoding="utf-8") as fh:
        triples = write_ntriples(graph, fh)
    shutil.copyfile(schema_path("medkg.ttl"), export.parent / "medkg.ttl")
    step("loading Oxigraph (SPARQL)")
    with open_store(bundle.selector("oxigraph"), read_only=False) as ox:
        stored = ox.load_ntriples(export)  # type: ignore[attr-defined]
    if stored != triples:
        # Duplicate lines collapse in a set of triples; more would be a bug.
        if stored > triples:
            raise BuildError(f"Oxigraph holds {stored} triples, more than the {triples} written")
    step("loading LadybugDB (Cypher)")
    with open_store(bundle.selector("ladybug"), read_only=False) as lb:
        lb_counts = lb.load_graph(graph, workdir=str(root))
    return {"triples": stored, "ladybug": lb_counts}


def build(
    out: Path,
    *,
    sources: Sequence[str] | None = None,
    data_dir: Path | None = None,
    extra: Sequence[SourceData] = (),
    step: Step | None = None,
    replace: bool = False,
    source_folders: Mapping[str, Path] | None = None,
) -> dict[str, Any]:
    """Build a bundle at ``out`` and return its manifest.

    Args:
        out: the bundle folder (replaced atomically).
        sources: registry names; ``None`` means every default source whose
            data is present.
        data_dir: the data folder for sources that need one.
        extra: contributions read elsewhere (e.g. graph JSON files).
        step: called with a message at the start of each step (progress).
        replace: also replace a bundle holding what a rebuild cannot make again (merged
            text-extraction statements, embeddings); without it that is refused.
        source_folders: source name -> a folder holding that source's files to read
            instead of its usual ones (``{"hpo": DIR}``: another HPO release).

    Raises:
        BuildError: ``out`` exists and is not a bundle, or holds merged text-extraction
            statements or embeddings (and not ``replace``), or a step failed; the previous
            bundle at ``out`` is left intact.
        MedKGError: a source error (missing or malformed file) — also leaves
            the previous bundle intact.
    """
    say: Step = step or (lambda _m: None)
    t0 = time.perf_counter()
    out = out.resolve()
    if out.exists() and any(out.iterdir()) and not Bundle(out).exists():
        raise BuildError(f"{out} exists and is not a medkg bundle; refusing to replace it")
    check_writable(out.parent)  # before the sources load (half a minute), not after
    if not replace and (kept := held_by(out)):
        raise BuildError(f"{out} holds {' and '.join(kept)}, which a rebuild would discard: build into "
                         "another folder, or replace them (CLI --replace)")
    plan = plan_sources(sources, data_dir)
    if not plan.use and not extra:
        raise BuildError("no source to build from: " + "; ".join(f"{n}: {r}" for n, r in plan.skipped))
    if not extra and all(spec.enriches for spec in plan.use):
        raise BuildError(f"{', '.join(spec.name for spec in plan.use)} only add to the nodes of other sources: "
                         "name one of those too (e.g. --sources hetionet,drugstandards)")
    names = [spec.name for spec in plan.use] + [p.name for p in extra]
    if twice := sorted({n for n in names if names.count(n) > 1}):  # before the sources load
        raise BuildError(f"two contributions share a source name: {', '.join(twice)} (in {', '.join(names)})")
    parts = load_sources(plan, data_dir, say, source_folders, extra)
    say("assembling the graph")
    graph = assemble(parts)
    out.parent.mkdir(parents=True, exist_ok=True)
    with replacing_bundle(out, "build", "building", say) as tmp:
        written = write_bundle(graph, tmp, say)
        manifest = {
            "format_version": FORMAT_VERSION,
            "medkg_version": _version(),
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "build_seconds": None,
            "data_dir": str(data_dir) if data_dir else None,
            "hpo_release": next((p.version for p in parts if p.name == "hpo"), None),
            "sources": [source_entry(s) for s in graph.sources],
            "skipped_sources": [{"name": n, "reason": r} for n, r in plan.skipped],
            "counts": graph.counts(),
            "triples": written["triples"],
            "stores": dict(STORE_PATHS),
            "identity_mapping": graph.report.identity,
            "assembly": {
                "dropped_edges": graph.report.dropped_edges,
                "dropped_examples": graph.report.dropped_examples,
                "merged_duplicate_edges": graph.report.merged_duplicate_edges,
                "type_conflicts": graph.report.type_conflicts[:50],
            },
        }
        manifest["build_seconds"] = round(time.perf_counter() - t0, 2)
        Bundle(tmp).write_manifest(manifest)
    return manifest


def source_entry(s: SourceInfo) -> dict[str, Any]:
    """A source's entry in the manifest."""
    return {"name": s.name, "version": s.version, "license": s.license, "files": s.files,
            "nodes": s.nodes, "edges": s.edges, "notes": s.notes}


def held_by(bundle: Path) -> list[str]:
    """What a bundle holds beyond its sources, which rebuilding it would discard: merged
    text-extraction statements (the only copy) and embeddings (minutes to compute again).

    Example:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp()); (d / "extraction").mkdir(); _ = (d / "extraction" / "notes.jsonl").write_text("")
        >>> held_by(d)
        ['merged text-extraction statements (notes)']
    """
    names = Bundle(bundle).text_sources()
    kept = [f"merged text-extraction statements ({', '.join(names)})"] if names else []
    return kept + (["embeddings"] if (bundle / "embeddings").is_dir() else [])


@contextmanager
def replacing_bundle(out: Path, what: str, doing: str, step: Step) -> Iterator[Path]:
    """A temporary sibling of ``out`` (``.NAME.{doing}-…``) to write a new bundle into, swapped
    in at ``out`` when the block succeeds; on failure it is removed, the previous bundle stays,
    and an unexpected error becomes a :class:`BuildError` saying ``what`` failed.

    Raises:
        NotWritableError: the temporary folder cannot be created beside ``out``.
    """
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.{doing}-", dir=out.parent))
    except OSError as e:
        raise NotWritableError(f"cannot write {out.parent}: {e.strerror or e}") from e
    try:
        yield tmp
        step("replacing the previous bundle" if out.exists() else f"moving the new bundle to {out}")
        _swap(tmp, out)
    except BaseException as e:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(e, MedKGError) or not isinstance(e, Exception):
            raise
        raise BuildError(f"{what} failed, previous bundle kept: {e}") from e


def _swap(new: Path, out: Path) -> None:
    """Put ``new`` at ``out``; the old bundle is removed only after the rename."""
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        if old.exists():
            shutil.rmtree(old)
        out.rename(old)
    try:
        new.rename(out)
    except OSError:
        if old is not None:
            old.rename(out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
