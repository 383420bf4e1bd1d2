"""``medkg viz``: pictures of the graph as offline HTML, PNG or SVG.

Examples::

    medkg viz neighbourhood OMIM:154700 --out marfan.html
    medkg viz neighbourhood HP:0001166 --hops 2 --types disease --max-nodes 30 --out a.png
    medkg viz diagnosis --hpo HP:0001166,HP:0001083 --exclude HP:0000545 --out dx.html
    medkg viz query --cypher 'MATCH (d:Disease {id: $id})-[r:HAS_PHENOTYPE]->(p)
        RETURN d.id AS subject, label(r) AS relation, p.id AS object, r.source AS source' \\
        --param id=OMIM:154700 --out q.html
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg.bundle import Bundle
from kg.curie import normalize_curie
from kg.stores import open_store
from medkg_cli.common import (F, Callback, kg_option, kg_or_store, params_option, parsed, query_text, settings,
                              split_ids, split_values, store_checked, store_selector, store_speaks, usage_errors,
                              writable_file)
from medkg_cli.output import err_console
from medkg_viz.from_rows import subgraph_from_result
from medkg_viz.model import Subgraph
from medkg_viz.neighbourhood import neighbourhood, node_cards, parse_relations, parse_types
from medkg_viz.render import output_format, write

MAX_DRAWN = 500
"""The most nodes any picture draws (beyond that a picture is unreadable)."""


def _picture_file(ctx: click.Context, param: click.Parameter, value: Path) -> Path | None:
    if str(value) == "-":
        raise click.BadParameter("a picture is written to a file (.html, .png or .svg), not to standard output",
                                 ctx, param)
    with usage_errors("--out"):
        output_format(value)
    return writable_file(ctx, param, value)


def _out_option(fn: F) -> F:
    return click.option(
        "--out", required=True, type=click.Path(path_type=Path, dir_okay=False), callback=_picture_file,
        help="File to write: .html (interactive, offline), .png or .svg.",
    )(fn)


def _store_option(kinds: str) -> Callable[[F], F]:
    def deco(fn: F) -> F:
        return click.option("--store", default=None, callback=store_checked,
                            help=f"Store selector instead of --kg: {kinds}.")(fn)

    return deco


def _words(parse: Callable[[tuple[str, ...]], list[str]]) -> Callback:
    """The click callback of a repeatable ``--types`` / ``--relations`` option: the words read
    by ``parse`` (a bad one is a usage error), all of them when none is given."""
    check = parsed(parse)
    return lambda ctx, param, value: check(ctx, param, value) or parse(())


def _report(sub: Subgraph, out: Path) -> None:
    write(sub, out)
    # Paths and notes are printed whole (no wrapping) and never read as markup.
    err_console.print(f"wrote {out}: {len(sub.nodes)} nodes, {len(sub.edges)} edges",
                      soft_wrap=True, markup=False, highlight=False)
    for note in sub.notes:
        err_console.print(f"note: {note}", soft_wrap=True, markup=False, highlight=False, style="yellow")


@click.group("viz")
def viz_group() -> None:
    """Draw pictures of the graph (HTML that works offline, PNG, SVG)."""


@viz_group.command("neighbourhood")
@click.argument("node_id", callback=parsed(normalize_curie))
@click.option("--hops", type=click.IntRange(1, 2), default=1, show_default=True, help="How far from the node.")
@click.option("--types", multiple=True, metavar="TYPES", callback=_words(parse_types),
              help="Neighbour types to keep: disease, phenotype, drug (comma-separated or repeated) [default: all].")
@click.option("--relations", multiple=True, metavar="RELS", callback=_words(parse_relations),
              help="Relations to follow, e.g. HAS_PHENOTYPE,TREATS [default: all].")
@click.option("--max-nodes", type=click.IntRange(2, MAX_DRAWN), default=40, show_default=True,
              help="Most nodes to draw (the centre included); the picture notes what was left out.")
@kg_option
@_store_option("ladybug:PATH or neo4j://HOST:PORT (a Cypher store)")
@_out_option
def neighbourhood_cmd(
    node_id: str, hops: int, types: list[str], relations: list[str], max_nodes: int,
    kg_dir: Path | None, store: str | None, out: Path,
) -> None:
    """The subgraph around NODE_ID (a disease, phenotype or drug CURIE)."""
    kg_or_store(kg_dir, store)
    store_speaks(store, "cypher")
    with open_store(store_selector(kg_dir, store, "cypher")) as st:
        sub = neighbourhood(st, node_id, hops=hops, types=types, relations=relations, max_nodes=max_nodes)
    _report(sub, out)


@viz_group.command("query")
@click.option("--cypher", default=None, callback=query_text, help="Cypher query (inline, @FILE or - for stdin).")
@click.option("--sparql", default=None, callback=query_text, help="SPARQL query (inline, @FILE or - for stdin).")
@params_option
@click.option("--max-nodes", type=click.IntRange(1, MAX_DRAWN), default=200, show_default=True,
              help="Most nodes to draw; the picture notes what was left out.")
@click.option("--title", default=None, help="Heading of the picture [default: the query's first line].")
@kg_option
@_store_option("ladybug:PATH, oxigraph:PATH, neo4j://HOST:PORT")
@_out_option
def query_cmd(
    cypher: str | None, sparql: str | None, params: dict[str, Any], max_nodes: int, title: str | None,
    kg_dir: Path | None, store: str | None, out: Path,
) -> None:
    """Draw the nodes and relations a read-only query returns.

    The query returns columns subject, relation, object (CURIEs; a SPARQL
    CONSTRUCT gives these), or whole nodes and relationships (RETURN a, r, b).
    """
    if (cypher is None) == (sparql is None):
        raise click.UsageError("give exactly one of --cypher or --sparql")
    kg_or_store(kg_dir, store)
    language = "sparql" if sparql is not None else "cypher"
    store_speaks(store, language)
    text = sparql if sparql is not None else cypher or ""
    selector = store_selector(kg_dir, store, language)
    with open_store(selector) as st:
        result = st.query(text, params)
        heading = title or " ".join(text.split())[:100]
        sub = subgraph_from_result(result, st, heading, max_nodes=max_nodes)
    _report(sub, out)


@viz_group.command("diagnosis")
@click.option("--hpo", multiple=True,
              help="Present phenotypes: HPO ids, separated by commas, semicolons or spaces, or repeated.")
@click.option("--exclude", multiple=True, help="Excluded phenotypes (explicitly absent), with --hpo.")
@click.option("--phenopacket", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="A GA4GH phenopacket v2 JSON file.")
@click.option("--top-k", type=click.IntRange(1, 20), default=5, show_default=True,
              help="How many candidates to draw.")
@click.option("--namespace", type=click.Choice(["OMIM", "ORPHA", "DECIPHER"], case_sensitive=False),
              help="Rank one vocabulary only.")
@click.option("--lenient", is_flag=True, help="Skip ids the graph lacks (warning) instead of failing.")
@click.option("--max-missing", type=click.IntRange(0, 5), default=3, show_default=True,
              help="Typical features absent from the case drawn per candidate.")
@kg_option
@_out_option
def diagnosis_cmd(
    hpo: tuple[str, ...], exclude: tuple[str, ...], phenopacket: Path | None, top_k: int,
    namespace: str | None, lenient: bool, max_missing: int, kg_dir: Path | None, out: Path,
) -> None:
    """Why the top candidates rank where they do: case phenotypes, matches, candidates."""
    from reasoning import case_from_hpo, diagnose, load_phenopacket

    from medkg_viz.diagnosis import diagnosis_subgraph

    if bool(hpo) == (phenopacket is not None):
        raise click.UsageError("give exactly one of --hpo or --phenopacket")
    if exclude and phenopacket is not None:
        raise click.UsageError("--exclude goes with --hpo (a phenopacket states its own excluded features)")
    if phenopacket is not None:
        case = load_phenopacket(phenopacket, lenient=lenient)
    else:
        with usage_errors("--hpo/--exclude"):
            case = case_from_hpo(split_ids(hpo), split_ids(exclude))
    kg = settings(kg_dir=kg_dir).kg_dir
    with err_console.status("ranking the diagnosis"):
        d = diagnose(case, kg, top_k=top_k, namespace=namespace, lenient=lenient)
    terms = [*d.case.present, *d.case.excluded]
    with open_store(Bundle(kg).selector("ladybug")) as st:
        labels = {i: n.label for i, n in node_cards(st, terms).items()}
    _report(diagnosis_subgraph(d, labels, max_missing=max_missing), out)
