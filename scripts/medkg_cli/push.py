"""``medkg push``: copy a built bundle into a Neo4j server (or drop one source from it).

Example::

    medkg push --store neo4j://127.0.0.1:7687 --kg ~/.local/share/medkg/kg
    medkg push --store bolt://127.0.0.1:7687/medkg --drop-source hsdn

The password comes from ``--password`` or ``NEO4J_PASSWORD`` and is never printed.
Pushing is idempotent (MERGE on node ids and statement keys): re-running a
push, or a push that was interrupted, completes it without duplicates.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from kg.errors import MedKGError, StoreConnectionError
from kg.model import NodeType, Predicate
from kg.settings import Settings
from kg.stores.base import URL_SCHEMES, open_store


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
    try:
        if selector.partition(":")[0] not in URL_SCHEMES:
            raise StoreConnectionError(
                f"--store must be a Neo4j URL (neo4j://HOST:PORT or bolt://HOST:PORT), got {selector!r}"
            )
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
            counts = _push_with_progress(store, kg_dir, batch_size, writers, err)
        secs = time.perf_counter() - t0
        nodes = sum(counts.get(t.value, 0) for t in NodeType)
        rels = sum(counts.get(p.value, 0) for p in Predicate)
        out.print(
            f"pushed {kg_dir} to {store.selector}: {nodes} nodes, {rels} relationships, "
            f"{counts.get('Source', 0)} sources in {secs:.1f} s"
        )
    except MedKGError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)


def _push_with_progress(
    store: object, kg_dir: Path, batch_size: int, writers: int, console: object
) -> dict[str, int]:
    """Run ``push_bundle`` with one rich progress bar per node label / relationship type."""
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

        return store.push_bundle(kg_dir, batch_size=batch_size, progress=progress, writers=writers)  # type: ignore[attr-defined]
