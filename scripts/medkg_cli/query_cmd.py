"""``medkg query`` and ``medkg stats``."""

from __future__ import annotations

from pathlib import Path

import click

from kg.errors import ConfigError
from kg.queries.analyst import QUESTIONS
from kg.queries.stats import STATS
from kg.stores import open_store
from kg.stores.base import parse_selector
from medkg_cli.common import kg_option, parse_params, read_query_arg, store_selector
from medkg_cli.output import FORMATS, emit_json, emit_rows


@click.command("query")
@kg_option
@click.option("--store", default=None, help="Store selector, e.g. ladybug:PATH, oxigraph:PATH, neo4j://HOST:PORT.")
@click.option("--sparql", default=None, help="SPARQL query (inline, @FILE or - for stdin).")
@click.option("--cypher", default=None, help="Cypher query (inline, @FILE or - for stdin).")
@click.option("--question", default=None, type=click.Choice(sorted(QUESTIONS)),
              help="Run a named analyst question (Cypher on Cypher stores, SPARQL on RDF stores).")
@click.option("--param", "params", multiple=True, help="NAME=VALUE, bound as $NAME (JSON values allowed).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@click.option("--write", is_flag=True, help="Allow updates (the store is opened for writing).")
def query_cmd(
    kg_dir: Path | None, store: str | None, sparql: str | None, cypher: str | None,
    question: str | None, params: tuple[str, ...], fmt: str, write: bool,
) -> None:
    """Run a read-only query (updates are refused unless --write)."""
    given = [x for x in (sparql, cypher, question) if x is not None]
    if len(given) != 1:
        raise ConfigError("give exactly one of --sparql, --cypher or --question")
    values = parse_params(params)
    if question is not None:
        q = QUESTIONS[question]
        language = "sparql" if store and _is_rdf(store) else "cypher"
        selector = store_selector(kg_dir, store, language)
        engine = parse_selector(selector)[0]
        text = q.sparql if language == "sparql" else q.cypher_for(engine)
        values = q.bind(values, examples=False)
    else:
        language = "sparql" if sparql is not None else "cypher"
        text = read_query_arg(sparql if sparql is not None else cypher or "")
        selector = store_selector(kg_dir, store, language)
    with open_store(selector, read_only=not write) as st:
        if st.language != language:
            raise ConfigError(f"store {selector} speaks {st.language}, not {language}")
        result = st.query(text, values, write=write)
    emit_rows(result.columns, result.rows, fmt)


def _is_rdf(selector: str) -> bool:
    return parse_selector(selector)[0] in ("oxigraph", "rdflib")


@click.command("stats")
@kg_option
@click.option("--store", default=None, help="Store selector [default: the bundle's LadybugDB].")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
def stats_cmd(kg_dir: Path | None, store: str | None, fmt: str) -> None:
    """Node and statement counts by type and by source, counted in the store."""
    language = "sparql" if store and _is_rdf(store) else "cypher"
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
