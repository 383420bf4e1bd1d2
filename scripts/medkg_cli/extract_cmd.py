"""``medkg extract``: concepts and relations from text, as JSON lines or into a bundle."""

from __future__ import annotations

import sys
import time
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.status import Status

from kg.errors import ConfigError, MedKGError
from kg.extraction.embedding_candidates import DEFAULT_THRESHOLD
from kg.extraction.readers import INPUT_FORMATS, MAX_DOCUMENT_BYTES, Problem, read_documents
from kg.extraction.types import ExtractedDocument
from kg.writable import check_writable
from kg.bundle import Bundle
from medkg_cli.common import FiniteRange, bundle_folder, llm_checked, parsed, settings, usage_errors
from medkg_cli.output import emit_json_line, err_console

if TYPE_CHECKING:
    from kg.extraction import Recognizer


@click.command("extract")
@click.argument("inputs", nargs=-1)
@click.option("--input-format", "input_format", type=click.Choice(INPUT_FORMATS), default="text",
              show_default=True, help="text: one document per file; pubtator / jsonl: many per file.")
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True,
              help="Output: one JSON object per document on stdout.")
@click.option("--kg", "kg_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              callback=parsed(bundle_folder),
              help="Bundle whose names are recognised [default: --into, else $MEDKG_KG_DIR].")
@click.option("--into", "into", type=click.Path(path_type=Path, file_okay=False), default=None,
              callback=parsed(bundle_folder),
              help="Merge the extracted relations into this bundle as a source of their own.")
@click.option("--source-name", default="text_extraction", show_default=True,
              help="Source name of the merged statements (with --into / --remove).")
@click.option("--remove", is_flag=True, help="Remove the extraction source from the --into bundle and exit.")
@click.option("--overlap", type=click.Choice(["longest", "all"]), default="longest", show_default=True,
              help="longest: one concept per stretch of text; all: nested matches too.")
@click.option("--relations", "relations", type=click.Choice(["pattern", "llm", "none"]), default="pattern",
              show_default=True, help="Relation method: cue patterns, a language model (--llm), or none.")
@click.option("--llm", "llm", default=None, callback=llm_checked,
              help="Model selector for --relations llm (see 'medkg llm').")
@click.option("--embedding-candidates", "embedding", is_flag=True,
              help="Also link phrases the dictionary missed to phenotypes by sentence embeddings "
                   "(needs 'medkg embed' on the bundle and the extra embed).")
@click.option("--embedding-threshold", type=FiniteRange(0.0, 1.0), default=None,
              help=f"Lowest cosine for --embedding-candidates [default: {DEFAULT_THRESHOLD}].")
@click.option("--max-bytes", type=click.IntRange(min=1), default=MAX_DOCUMENT_BYTES, show_default=True,
              help="Skip documents larger than this.")
@click.option("--workers", "-j", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes extracting documents (0: one per CPU); output in input order, as with one.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
@click.pass_context
def extract_cmd(
    ctx: click.Context, inputs: tuple[str, ...], input_format: str, fmt: str, kg_dir: Path | None,
    into: Path | None, source_name: str, remove: bool, overlap: str, relations: str, llm: str | None,
    max_bytes: int, quiet: bool, embedding: bool = False, embedding_threshold: float | None = None, workers: int = 1,
) -> None:
    """Find phenotypes, diseases and drugs (with assertion status) and their
    relations in text files, a folder, or - (stdin); write JSON lines or merge
    the relations into a bundle (--into)."""
    from kg.extraction.merge import merge_statements, merge_target, remove_source
    from kg.extraction.parallel import ExtractionPool

    workers = _check_options(ctx, inputs, into, remove, relations, llm, embedding, embedding_threshold, workers)
    if into is not None:
        Bundle(into).manifest()  # a bundle that cannot be read is no usage error
        with usage_errors("--source-name"):
            merge_target(into, source_name)
    if remove:
        assert into is not None
        report = remove_source(into, source=source_name, step=None if quiet else _say)
        err_console.print(f"removed source {source_name!r} from {into}")
        emit_json_line(report, sys.stdout)
        return
    if into is not None:  # the merged bundle is written beside it: fail now, not after the extraction
        check_writable(into.expanduser().absolute().parent, must_exist=True)
    model = _open_llm(llm) if relations == "llm" else None  # before the dictionary: both are slow
    bundle = kg_dir or into or settings().kg_dir
    t0 = time.perf_counter()
    if not quiet:
        err_console.print(f"[dim]loading the dictionary from {bundle}[/dim]")
    build = partial(_recognizer, bundle, overlap, relations)
    rec = build()
    if model is not None:
        from kg.extraction import LLMRelations

        rec.relations = LLMRelations(model, rec.dictionary)
    if embedding:
        from kg.extraction.embedding_candidates import EmbeddingCandidates

        extra = {} if embedding_threshold is None else {"threshold": embedding_threshold}
        rec.embedding = EmbeddingCandidates.from_bundle(bundle, rec.dictionary, settings=settings(), **extra)
    if not quiet:
        err_console.print(f"[dim]{len(rec.dictionary):,} terms in {time.perf_counter() - t0:.1f} s "
                          f"(dictionary cache: {rec.dictionary.cache_status})"
                          + (f"; {workers} worker processes" if workers > 1 else "") + "[/dim]")
    docs: list[ExtractedDocument] = []
    problems, entities, rels = 0, 0, 0
    t1 = time.perf_counter()
    # the workers start before the progress display's thread does
    with ExtractionPool(rec, workers, build=build) as pool, _status(quiet) as status:
        results = pool.map(read_documents(inputs, input_format, max_bytes=max_bytes))  # type: ignore[arg-type]
        for n, doc in enumerate(results, 1):
            if isinstance(doc, Problem):
                if doc.repeat:
                    click.echo(f"note: {doc}", err=True)
                    continue
                problems += 1
                click.echo(f"skipped: {doc}", err=True)
                continue
            entities += len(doc.entities)
            rels += len(doc.relations)
            if into is None:
                emit_json_line(doc.as_json(), sys.stdout)
            else:
                doc.entities = []  # only the relations are merged; keep memory small
                docs.append(doc)
            if status is not None:
                status.update(f"extracting: {n} inputs, {entities} mentions, {rels} relations")
    n_docs = len(docs)
    dt = time.perf_counter() - t1
    if not quiet:
        err_console.print(
            f"{entities:,} mentions, {rels:,} relations in {dt:.2f} s"
            + (f"; {problems} input(s) or document(s) skipped" if problems else "")
        )
    if into is not None:
        files = [str(Path(i).resolve()) if i != "-" else "<stdin>" for i in inputs]
        report = merge_statements(into, docs, source=source_name, files=files, step=None if quiet else _say)
        for line in merge_summary(report, into, rels):
            click.echo(line, err=True)
        emit_json_line({**report, "documents": n_docs}, sys.stdout)
    if problems:
        raise _Skipped(problems)


def _check_options(ctx: click.Context, inputs: tuple[str, ...], into: Path | None, remove: bool, relations: str,
                   llm: str | None, embedding: bool, embedding_threshold: float | None, workers: int) -> int:
    """Refuse what the options cannot do together, and inputs that do not exist, before anything
    is loaded (usage errors); return the number of worker processes."""
    from kg.extraction.parallel import resolve_workers

    def given(name: str) -> bool:
        return ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT

    if remove and into is None:
        raise click.UsageError("--remove needs --into KG_DIR")
    if remove and inputs:
        raise click.UsageError("--remove takes no input files (it removes the source and exits)")
    if not remove and not inputs:
        raise click.UsageError("give input files, a folder, or - for stdin")
    if given("source_name") and into is None:
        raise click.UsageError("--source-name goes with --into or --remove (it names the merged statements)")
    if relations == "llm" and not llm:
        raise click.UsageError("--relations llm needs --llm SELECTOR")
    if llm and relations != "llm":
        raise click.UsageError("--llm goes with --relations llm")
    if embedding_threshold is not None and not embedding:
        raise click.UsageError("--embedding-threshold needs --embedding-candidates")
    if missing := [i for i in inputs if i != "-" and not Path(i).exists()]:
        raise click.BadParameter(f"no such file or folder: {', '.join(missing)}", param_hint="'INPUTS'")
    n = resolve_workers(workers)
    if n > 1 and (relations == "llm" or embedding):
        raise click.UsageError("--workers above 1 works with the dictionary and pattern relations; "
                               "--relations llm and --embedding-candidates run in one process (--workers 1)")
    return n


def merge_summary(report: dict[str, Any], into: Path, extracted: int) -> list[str]:
    """The stderr lines of a merge report: what was merged and dropped, and a
    warning when nothing was.

    Args:
        report: what :func:`kg.extraction.merge.merge_statements` returned.
        into: the bundle.
        extracted: relations extracted from the input.

    Example:
        >>> print(*merge_summary({"source": "t", "statements": 0, "added_statements": 0,
        ...                       "dropped_unknown_id_or_predicate": 4, "unchanged": True}, Path("kg"), 4), sep="\\n")
        nothing merged into kg (unchanged): source 't' keeps its 0 statements; 4 dropped (ids not in the bundle)
        warning: none of the 4 extracted relations was merged into kg: 4 name ids not in kg (read with another bundle's names, --kg?)
        >>> print(*merge_summary({"source": "t", "statements": 3, "added_statements": 0, "unchanged": True},
        ...                      Path("kg"), 3))
        nothing new to merge into kg (unchanged): source 't' has these statements already (3 in all)
        >>> print(*merge_summary({"source": "t", "statements": 3, "added_statements": 0, "unchanged": True},
        ...                      Path("kg"), 0), sep="\\n")
        nothing merged into kg (unchanged): source 't' keeps its 3 statements
        warning: no relations were found in the input; nothing was merged into kg
        >>> print(*merge_summary({"source": "t", "statements": 3, "added_statements": 1, "new_edges": 1,
        ...                       "dropped_stored": 2, "unchanged": False}, Path("kg"), 1))
        merged into kg: 1 new statements, 3 in source 't': 1 new edges, 0 merged into curated edges; 2 statements stored earlier no longer fit the graph and were removed from the source
        >>> print(*merge_summary({"source": "t", "statements": 2, "added_statements": 0, "stored_already": 2,
        ...                       "dropped_endpoint_types": 1, "unchanged": True}, Path("kg"), 3), sep="\\n")
        nothing new to merge into kg (unchanged): source 't' has 2 of these statements already (2 in all); 1 dropped (endpoint types)
    """
    source = report["source"]
    unknown = report.get("dropped_unknown_id_or_predicate", 0)
    types = report.get("dropped_endpoint_types", 0)
    again = report.get("stored_already", 0)  # the same input again: no warning for what was stored before
    dropped = "; ".join(f"{n} dropped ({why})" for n, why in
                        ((unknown, "ids not in the bundle"), (types, "endpoint types")) if n)
    if not report.get("unchanged"):
        gone = report.get("dropped_stored", 0)
        lines = [f"merged into {into}: {report['added_statements']} new statements, {report['statements']} in "
                 f"source {source!r}: {report.get('new_edges', 0)} new edges, "
                 f"{report.get('merged_into_curated_edges', 0)} merged into curated edges"
                 + (f"; {dropped}" if dropped else "")
                 + (f"; {gone} statements stored earlier no longer fit the graph and were removed from the "
                    "source" if gone else "")]
    elif dropped and again:
        lines = [f"nothing new to merge into {into} (unchanged): source {source!r} has {again} of these statements "
                 f"already ({report['statements']} in all); {dropped}"]
    elif dropped:
        lines = [f"nothing merged into {into} (unchanged): source {source!r} keeps its {report['statements']} "
                 f"statements; {dropped}"]
    elif extracted == 0:
        lines = [f"nothing merged into {into} (unchanged): source {source!r} keeps its {report['statements']} "
                 "statements"]
    else:
        lines = [f"nothing new to merge into {into} (unchanged): source {source!r} has these statements already "
                 f"({report['statements']} in all)"]
    if extracted == 0:
        lines.append(f"warning: no relations were found in the input; nothing was merged into {into}")
    elif report["added_statements"] == 0 and (unknown or types) and not again:
        why = [f"{unknown} name ids not in {into} (read with another bundle's names, --kg?)"
               if unknown else "", f"{types} have endpoints of the wrong types" if types else ""]
        lines.append(f"warning: none of the {extracted} extracted relations was merged into {into}: "
                     + "; ".join(w for w in why if w))
    return lines


def _recognizer(bundle: Path, overlap: str, relations: str) -> Recognizer:
    """The recogniser of the options (also what each worker builds where workers are not forked)."""
    from kg.extraction import Recognizer

    return Recognizer.from_bundle(bundle, overlap=overlap, relations="default" if relations == "pattern" else None)  # type: ignore[arg-type]


class _Skipped(MedKGError):
    def __init__(self, n: int) -> None:
        super().__init__(f"{n} input(s) or document(s) were skipped (see the messages above); the others were "
                         "processed")


def _open_llm(selector: str | None) -> Any:
    try:
        from reasoning.llm import open_llm
    except ImportError as e:
        raise ConfigError(f"--relations llm needs medkg's language-model layer (reasoning.llm): {e}") from e
    return open_llm(selector)


def _status(quiet: bool) -> AbstractContextManager[Status | None]:
    return nullcontext() if quiet else err_console.status("extracting")


def _say(msg: str) -> None:
    err_console.print(f"[dim]{msg}[/dim]")
