"""``medkg push``: copy a built bundle into a Neo4j server (or drop one source from it).

Example::

    medkg push --store neo4j://127.0.0.1:7687 --kg ~/.local/share/medkg/kg
    medkg push --store bolt://127.0.0.1:7687/medkg --drop-source hsdn
    medkg push --store neo4j://127.0.0.1:7687 --kg KG --vectors   # also the node embeddings

The password comes from ``--password`` or ``NEO4J_PASSWORD`` and is never printed.
Pushing is idempotent (MERGE on node ids and statement keys): re-running a
push, or a push that was interrupted, completes it without duplicates.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click

from kg.errors import MedKGError
from kg.model import NodeType, Predicate
from kg.queries.neo4j_queries import vector_index_name
from kg.settings import Settings
from kg.stores.base import URL_SCHEMES, open_store
from medkg_cli.common import bundle_folder, usage_errors


def _default_kg() -> Path:
    return Settings.from_env().kg_dir


@click.command("push")
@click.option(
    "--store",
    "selector",
    required=True,
    metavar="SELECTOR",
    help="The Neo4j server: neo4j://HOST:PORT[/DATABASE] (also neo4j+s://, bolt://, bolt+s://).",
)
@click.option(
    "--kg",
    "kg_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=_default_kg,
    show_default="$MEDKG_KG_DIR or ~/.local/share/medkg/kg",
    help="The built bundle to push.",
)
@click.option("--user", envvar="NEO4J_USER", default="neo4j", show_default=True, help="Neo4j user [env NEO4J_USER].")
@click.option(
    "--password",
    envvar="NEO4J_PASSWORD",
    default=None,
    show_default=False,
    help="Neo4j password [env NEO4J_PASSWORD]; never printed.",
)
@click.option(
    "--drop-source",
    "drop",
    metavar="NAME",
    default=None,
    help="Remove exactly this source's contribution from the database instead of pushing.",
)
@click.option("--batch-size", type=click.IntRange(min=1), default=10_000, show_default=True, help="Rows per write transaction.")
@click.option("--vectors", is_flag=True, help="Also store the bundle's node embeddings ('medkg embed') as the "
              "'embedding' property with a cosine vector index per label.")
@click.option("--only-vectors", is_flag=True, help="Store only the node embeddings (the graph was pushed before).")
@click.option(
    "--writers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Write transactions in flight at once (more for a server with more cores).",
)
@click.pass_context
def push(
    ctx: click.Context,
    selector: str,
    kg_dir: Path,
    user: str,
    password: str | None,
    drop: str | None,
    batch_size: int,
    vectors: bool,
    only_vectors: bool,
    writers: int,
) -> None:
    """Push the knowledge graph into Neo4j, or drop one source from it."""
    from rich.console import Console

    err = Console(stderr=True)
    out = Console()
    # A group-level --kg (ctx.obj["kg_dir"]) is used when this command's own --kg is not given.
    obj_kg = ctx.obj.get("kg_dir") if isinstance(ctx.obj, dict) else getattr(ctx.obj, "kg_dir", None)
    if obj_kg and ctx.get_parameter_source("kg_dir") is click.core.ParameterSource.DEFAULT:
        kg_dir = Path(obj_kg)
    if drop is not None and (vectors or only_vectors):
        raise click.UsageError("--drop-source cannot be combined with --vectors or --only-vectors")
    if selector.partition(":")[0] not in URL_SCHEMES:
        raise click.BadParameter(f"a Neo4j URL (neo4j://HOST:PORT or bolt://HOST:PORT) is needed, got {selector!r}",
                                 param_hint="'--store'")
    if drop is None:  # the bundle is read only to push it
        with usage_errors("--kg"):
            kg_dir = bundle_folder(kg_dir)
    try:
        node_vectors = _read_vectors(kg_dir) if vectors or only_vectors else None  # refused before connecting
        t0 = time.perf_counter()
        with open_store(selector, read_only=False, user=user, password=password) as store:
            if drop is not None:
                with err.status(f"dropping source {drop!r} from {store.selector}"):
                    res = store.drop_source(drop, batch_size=batch_size)  # type: ignore[attr-defined]
                out.print(
                    f"dropped source {drop!r}: {res['relationships_deleted']} relationships and "
                    f"{res['nodes_deleted']} nodes deleted, {res['nodes_updated']} nodes updated"
                    + (
                        f"; {res['nodes_kept_unsourced']} nodes without a source kept "
                        "(other sources' statements use them)"
                        if res["nodes_kept_unsourced"]
                        else ""
                    )
                )
                return
            if node_vectors is not None and not only_vectors:  # an index or vectors that cannot take these
                store.check_vectors(  # type: ignore[attr-defined]
                    node_vectors.by_type, dimension=node_vectors.dimension, model=node_vectors.model,
                    require_nodes=False,
                )
            if not only_vectors:
                counts = _push_with_progress(store, kg_dir, batch_size, err, writers=writers)
                nodes = sum(counts.get(t.value, 0) for t in NodeType)
                rels = sum(counts.get(p.value, 0) for p in Predicate)
                out.print(
                    f"pushed {kg_dir} to {store.selector}: {nodes} nodes, {rels} relationships, "
                    f"{counts.get('Source', 0)} sources in {time.perf_counter() - t0:.1f} s"
                )
            if node_vectors is not None:
                t1 = time.perf_counter()
                written = _push_with_progress(store, kg_dir, batch_size, err, node_vectors)
                out.print(
                    f"pushed {sum(written.values())} node vectors ({node_vectors.dimension} dimensions, "
                    f"{node_vectors.model.split('#')[0]}) to {store.selector} with vector indexes "
                    f"{', '.join(vector_index_name(NodeType(t)) for t in written)} in {time.perf_counter() - t1:.1f} s"
                )
    except MedKGError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)


def _read_vectors(kg_dir: Path) -> Any:
    """The bundle's node vectors (checked against its graph)."""
    from kg.embeddings.node_vectors import read_node_vectors

    return read_node_vectors(kg_dir)


def _push_with_progress(
    store: object, kg_dir: Path, batch_size: int, console: object, node_vectors: Any = None,
    writers: int = 1
) -> dict[str, int]:
    """Run ``push_bundle`` (or ``push_vectors``) with one rich progress bar per task."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    tasks: dict[str, object] = {}
    with Progress(
        TextColumn("{task.description:<20}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,  # type: ignore[arg-type]
        transient=False,
    ) as bars:

        def progress(task: str, done: int, total: int) -> None:
            if task not in tasks:
                tasks[task] = bars.add_task(task, total=max(total, 1) if total else 1)
                if not total:
                    bars.update(tasks[task], completed=1)  # type: ignore[arg-type]
                    return
            bars.update(tasks[task], completed=done)  # type: ignore[arg-type]

        if node_vectors is not None:
            return store.push_vectors(  # type: ignore[attr-defined, no-any-return]
                node_vectors.by_type, dimension=node_vectors.dimension, model=node_vectors.model,
                batch_size=min(batch_size, 2_000), progress=progress,
            )
        return store.push_bundle(  # type: ignore[attr-defined, no-any-return]
            kg_dir, batch_size=batch_size, progress=progress, writers=writers)
