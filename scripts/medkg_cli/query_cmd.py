"""``medkg query`` and ``medkg stats``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kg.queries.analyst import QUESTIONS
from kg.queries.stats import STATS
from kg.stores import open_store
from kg.stores.base import parse_selector
from medkg_cli.common import (kg_option, kg_or_store, params_option, query_text, store_checked, store_language,
                              store_selector, store_speaks, usage_errors)
from medkg_cli.output import FORMATS, emit_json, emit_rows


@click.command("query")
@kg_option
@click.option("--store", default=None, callback=store_checked,
              help="Store selector, e.g. ladybug:PATH, oxigraph:PATH, neo4j://HOST:PORT.")
@click.option("--sparql", default=None, callback=query_text, help="SPARQL query (inline, @FILE or - for stdin).")
@click.option("--cypher", default=None, callback=query_text, help="Cypher query (inline, @FILE or - for stdin).")
@click.option("--question", default=None, type=click.Choice(sorted(QUESTIONS)),
              help="Run a named analyst question (Cypher on Cypher stores, SPARQL on RDF stores).")
@params_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@click.option("--write", is_flag=True, help="Allow updates (the store is opened for writing).")
def query_cmd(
    kg_dir: Path | None, store: str | None, sparql: str | None, cypher: str | None,
    question: str | None, params: dict[str, Any], fmt: str, write: bool,
) -> None:
    """Run a read-only query (updates are refused unless --write)."""
    given = [x for x in (sparql, cypher, question) if x is not None]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --sparql, --cypher or --question")
    kg_or_store(kg_dir, store)
    if question is not None:
        q = QUESTIONS[question]
        with usage_errors("--param"):
            values = q.bind(params, examples=False)
        language = store_language(store) if store else "cypher"
        selector = store_selector(kg_dir, store, language)
        engine = parse_selector(selector)[0]
        text = q.sparql if language == "sparql" else q.cypher_for(engine)
    else:
        language = "sparql" if sparql is not None else "cypher"
        store_speaks(store, language)
        text, values = sparql if sparql is not None else cypher or "", params
        selector = store_selector(kg_dir, store, language)
    with open_store(selector, read_only=not write) as st:
        result = st.query(text, values, write=write)
    emit_rows(result.columns, result.rows, fmt)


@click.command("stats")
@kg_option
@click.option("--store", default=None, callback=store_checked,
              help="Store selector [default: the bundle's LadybugDB].")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
def stats_cmd(kg_dir: Path | None, store: str | None, fmt: str) -> None:
    """Node and statement counts by type and by source, counted in the store."""
    language = store_language(store) if store else "cypher"
    selector = store_selector(kg_dir, store, language)
    engine = parse_selector(selector)[0]
    out = {}
    with open_store(selector) as st:
        for name, q in STATS.items():
            text = q.sparql if language == "sparql" else q.cypher_for(engine)
            out[name] = st.query(text)
    if fmt == "json":
        emit_json({k: r.as_dicts() for k, r in out.items()})
        return
    for name, r in out.items():
        emit_rows(r.columns, r.rows, fmt, title=STATS[name].title)
