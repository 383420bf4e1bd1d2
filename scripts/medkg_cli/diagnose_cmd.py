"""``medkg diagnose``: a ranked differential (and treatments) for a case, or a folder of cases."""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kg.errors import ConfigError, MedKGError
from kg.llm import ChatModel
from kg.stores import open_store
from medkg_cli.common import (kg_option, kg_or_store, llm_checked, not_utf8, out_option, settings, split_ids,
                              split_values, store_checked, usage_errors)
from medkg_cli.diagnose_output import TSV_COLUMNS, all_warnings, payload, print_table, tsv_error_row, tsv_rows
from medkg_cli.output import (FORMATS, emit_json, emit_json_line, err_console, open_output, print_warnings,
                              write_tsv)
from reasoning import Case, case_from_hpo, diagnose, load_index, load_phenopacket, treat
from reasoning.cases import MAX_AGE_YEARS, iter_phenopackets, with_medication
from reasoning.index import DiagnosisIndex
from reasoning.models import Differential
from reasoning.ranking import NAMESPACES
from reasoning.text_case import case_from_text
from reasoning.treatments import TreatmentPlan, graph_warnings


def _age(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and not (math.isfinite(value) and 0 <= value <= MAX_AGE_YEARS):
        raise click.BadParameter(f"{value:g} is not an age in years (0 to {MAX_AGE_YEARS:g})", ctx, param)
    return value


def _wrote(out: Path | None) -> None:
    if out is not None:
        err_console.print(f"wrote {out}", markup=False, highlight=False, soft_wrap=True)


def _text_reader(kg: Path | None, store: str | None) -> Any:
    """What reads --text: the bundle, or a recogniser over the names in --store."""
    if store is None:
        return kg
    from kg.extraction import Recognizer
    from kg.extraction.dictionary import Dictionary

    with open_store(store) as st:
        return Recognizer(Dictionary.from_store(st))


def _one_case(hpo: tuple[str, ...], phenopacket: Path | None, text: str | None, kg: Path | None,
              store: str | None, lenient: bool) -> Case:
    """The case --hpo, --phenopacket (one file) or --text describes, before the other options
    (a malformed --hpo is a usage error)."""
    if phenopacket is not None:
        return load_phenopacket(phenopacket, lenient=lenient)
    if text is not None:
        with err_console.status("reading the text"):
            case = case_from_text(text, _text_reader(kg, store))
        for note in case.notes:
            err_console.print(f"[dim]{escape(note)}[/dim]")
        return case
    with usage_errors("--hpo"):
        return case_from_hpo(split_ids(hpo), lenient=lenient)


_PROBE = ["HP:0000118"]
"""A present phenotype to check the other options on (Phenotypic abnormality)."""


def _check_case_options(exclude: tuple[str, ...], drugs: tuple[str, ...], allergies: tuple[str, ...],
                        conditions: tuple[str, ...], lenient: bool) -> None:
    """Read --exclude, --drug, --allergy and --condition as the case will, before anything is
    loaded: a malformed value (not an id, an unknown prefix) is a usage error naming its option.
    What only the graph can tell (an id it lacks, a drug name) is checked by the diagnosis."""
    with usage_errors("--exclude"):
        case_from_hpo(_PROBE, split_ids(exclude), lenient=lenient)
    probe = case_from_hpo(_PROBE)
    for option, values in (("--drug", {"drugs": drugs}), ("--allergy", {"allergies": allergies}),
                           ("--condition", {"conditions": conditions})):
        with usage_errors(option):
            with_medication(probe, **{k: (split_ids if k == "conditions" else split_values)(v)
                                      for k, v in values.items()})


MAX_NOTE_BYTES = 8 << 20
"""The largest note --text-file reads (a clinical note is kilobytes; this is a runaway file)."""


def _read_note(stream: BinaryIO) -> str:
    """The text of --text-file, strictly UTF-8."""
    name = getattr(stream, "name", "<stdin>")
    data = stream.read(MAX_NOTE_BYTES + 1)
    if len(data) > MAX_NOTE_BYTES:
        raise click.BadParameter(f"{name} is over {MAX_NOTE_BYTES >> 20} MiB; a case note is expected",
                                 param_hint="'--text-file'")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise click.BadParameter(not_utf8(name, e), param_hint="'--text-file'") from e


def _with_options(case: Case, exclude: list[str], age: float | None, sex: str | None,
                  drugs: tuple[str, ...], allergies: tuple[str, ...], conditions: tuple[str, ...],
                  lenient: bool) -> Case:
    """``case`` with --exclude, --drug, --allergy and --condition added to its own, and --age and
    --sex set."""
    if exclude:  # built again, so that what it says about the added terms (e.g. contradictions) is kept
        merged = case_from_hpo(case.present, [*case.excluded, *exclude], lenient=lenient)
        case = case.model_copy(update={
            "excluded": merged.excluded, "warnings": [*case.warnings, *(w for w in merged.warnings if w not in case.warnings)]})
    case = with_medication(case, drugs=split_values(drugs), allergies=split_values(allergies),
                           conditions=split_ids(conditions))
    return case.model_copy(update={k: v for k, v in {"age_years": age, "sex": sex}.items() if v is not None})


@contextmanager
def _model(selector: str | None, allow_remote: bool) -> Iterator[ChatModel | None]:
    """The --llm model (None without one); its token use goes to stderr at the end."""
    if selector is None:
        yield None
        return
    from medkg_cli.llm_cmd import llm_settings_from_cli
    from reasoning.llm import open_llm

    with open_llm(selector, llm_settings_from_cli(allow_remote, False, None)) as model:
        yield model
        err_console.print(f"[dim]LLM: {escape(model.usage.summary())}[/dim]")


def _write(d: Differential, plan: TreatmentPlan | None, fmt: str, stream: TextIO, file: str) -> None:
    if fmt == "json":
        emit_json(payload(d, plan), stream)
    elif fmt == "tsv":
        write_tsv(TSV_COLUMNS, tsv_rows(d, plan, file), stream)
    else:
        print_table(d, plan, Console(file=stream))


def _folder_row(f: Path, folder: Path, ix: DiagnosisIndex, opts: dict[str, Any], with_treatments: bool,
                fmt: str, stream: TextIO, said: set[str]) -> bool:
    """Diagnose one file of a folder and write its JSON line or TSV rows; False if it failed.

    Its warnings go to stderr, each naming the file once; a warning about the graph rather
    than the case is said once per run (``said`` holds those already said).
    """
    name = str(f.relative_to(folder))
    try:
        case = load_phenopacket(f, lenient=opts["lenient"])
        d = diagnose(case, ix, **opts)
        plan = treat(d, kg=ix, top_n=len(d.candidates)) if with_treatments else None
    except MedKGError as e:
        message = str(e) if str(f) in str(e) else f"{name}: {e}"
        err_console.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True, highlight=False)
        if fmt == "tsv":
            write_tsv(None, [tsv_error_row(name, str(e))], stream)
        else:
            emit_json_line({"file": name, "error": str(e)}, stream)
        return False
    for w in all_warnings(d, plan):
        if w in graph_warnings(ix):  # about the graph, not the case: once per run
            if w not in said:
                said.add(w)
                print_warnings([w])
        else:
            print_warnings([w], "" if str(f) in w else f"{name}: ")
    if fmt == "tsv":
        write_tsv(None, tsv_rows(d, plan, name), stream)
    else:
        emit_json_line({"file": name, **payload(d, plan)}, stream)
    return True


def _run_folder(folder: Path, ix: DiagnosisIndex, opts: dict[str, Any], with_treatments: bool, fmt: str,
                out: Path | None) -> int:
    files = iter_phenopackets(folder)
    if not files:
        raise ConfigError(f"no *.json phenopackets under {folder} (the suffix in any case)")
    failed = 0
    with open_output(out) as stream, Progress(TextColumn("diagnosing"), BarColumn(), MofNCompleteColumn(),
                                              TimeElapsedColumn(), console=err_console) as progress:
        if fmt == "tsv":
            write_tsv(TSV_COLUMNS, [], stream)
        task = progress.add_task("cases", total=len(files))
        said: set[str] = set()
        for f in files:
            failed += not _folder_row(f, folder, ix, opts, with_treatments, fmt, stream, said)
            progress.advance(task)
    _wrote(out)
    if failed:
        err_console.print(f"{failed} of {len(files)} case(s) failed")
    return 1 if failed else 0


def _check_folder_options(fmt: str | None, **per_case: object) -> None:
    """Refuse what a folder of phenopackets cannot use (each file states its own case)."""
    given = [f"--{name.replace('_', '-')}" for name, value in per_case.items() if value]
    if given:
        raise click.UsageError(f"{', '.join(given)}: only for one case; a folder's phenopackets state their own "
                               "(give one phenopacket file to set them)")
    if fmt == "table":
        raise click.UsageError("--format table shows one case; a folder writes JSON lines (--format json, "
                               "the default) or TSV (--format tsv)")


@click.command("diagnose")
@kg_option
@click.option("--store", default=None, callback=store_checked,
              help="Read the graph from a store instead of a bundle: neo4j://HOST:PORT (user and password "
                   "from $NEO4J_USER, $NEO4J_PASSWORD), ladybug:PATH or oxigraph:PATH.")
@click.option("--hpo", multiple=True,
              help="Present phenotypes: HPO ids, separated by commas, semicolons or spaces, or repeated.")
@click.option("--exclude", multiple=True,
              help="Excluded phenotypes (explicitly absent); added to a --phenopacket or --text case's own.")
@click.option("--phenopacket", type=click.Path(path_type=Path, exists=True),
              help="A GA4GH phenopacket v2 JSON file, or a folder of them (one JSON line or TSV rows per case).")
@click.option("--text", help="Free clinical text (negated findings become excluded).")
@click.option("--text-file", type=click.File("rb"),
              help="As --text, the note read from a UTF-8 file ('-': standard input).")
@click.option("--age", type=float, callback=_age, help=f"Age in years (0 to {MAX_AGE_YEARS:g}); overrides the case's.")
@click.option("--sex", type=click.Choice(["male", "female", "other", "unknown"], case_sensitive=False),
              help="Overrides the case's (any case: MALE, as a phenopacket writes it, is male).")
@click.option("--drug", "drugs", multiple=True,
              help="Current drugs (added to those --text names): ids (DRUGBANK:DB00678, DB00678) or drug names.")
@click.option("--allergy", "allergies", multiple=True, help="Drug allergies, as --drug.")
@click.option("--condition", "conditions", multiple=True,
              help="Known conditions (disease ids, e.g. DOID:14323; added to those --text names): "
                   "candidates that are one are marked.")
@click.option("--top-k", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option("--namespace", type=click.Choice(NAMESPACES, case_sensitive=False), help="Rank one vocabulary only.")
@click.option("--lenient", is_flag=True, help="Skip ids the graph lacks (warning) instead of failing.")
@click.option("--treatments", is_flag=True, help="Add the drugs for every listed candidate (--top-k).")
@click.option("--llm", "llm_selector", callback=llm_checked,
              help="Re-rank and explain the top-k with a language model (selector).")
@click.option("--allow-remote", is_flag=True, help="Allow sending the case to a non-local LLM endpoint (with --llm).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="table, json or tsv (one row per candidate) [default: table; a folder: json lines].")
@out_option
def diagnose_cmd(kg_dir: Path | None, store: str | None, hpo: tuple[str, ...], exclude: tuple[str, ...], phenopacket: Path | None,
                 text: str | None, text_file: BinaryIO | None, age: float | None, sex: str | None, drugs: tuple[str, ...],
                 allergies: tuple[str, ...], conditions: tuple[str, ...], top_k: int, namespace: str | None, lenient: bool, treatments: bool,
                 llm_selector: str | None, allow_remote: bool, fmt: str | None, out: Path | None) -> None:
    """Rank the diseases that could explain a case, with the evidence for each."""
    given = [x for x in (bool(hpo), phenopacket is not None, text is not None, text_file is not None) if x]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --hpo, --phenopacket, --text or --text-file")
    if allow_remote and llm_selector is None:
        raise click.UsageError("--allow-remote goes with --llm")
    kg_or_store(kg_dir, store)
    folder = phenopacket if phenopacket is not None and phenopacket.is_dir() else None
    if folder is not None:
        _check_folder_options(fmt, exclude=exclude, age=age is not None, sex=sex, drug=drugs, allergy=allergies,
                              condition=conditions)
        if out is not None and out.suffix.lower() == ".json" and out.resolve().is_relative_to(folder.resolve()):
            raise click.BadParameter(f"{out} is inside {folder}: the next run would read it as a phenopacket",
                                     param_hint="'--out'")
    else:
        _check_case_options(exclude, drugs, allergies, conditions, lenient)
    if text_file is not None:
        text = _read_note(text_file)
    if text is not None and not text.strip():
        raise click.BadParameter("the text is empty: give a clinical note",
                                 param_hint="'--text-file'" if text_file is not None else "'--text'")
    kg = None if store is not None else settings(kg_dir=kg_dir).kg_dir
    # Everything the command line says is checked by now; a case from --hpo or a phenopacket file
    # is read before the graph is loaded (a --text case needs the graph's names).
    case = None if folder is not None or text is not None else _one_case(hpo, phenopacket, None, kg, store, lenient)
    opts: dict[str, Any] = {"top_k": top_k, "namespace": namespace, "lenient": lenient}
    with _model(llm_selector, allow_remote) as model:  # a model that cannot be opened fails before the graph loads
        with err_console.status("loading the graph"):
            ix = load_index(kg, store=store)
        unwritten = [f"diagnosis index cache: {ix.cache_status}"] if ix.cache_status.startswith("not written") else []
        print_warnings(ix.warnings + unwritten)  # about the graph, not a case: once
        if folder is not None:
            status = _run_folder(folder, ix, {**opts, "llm": model}, treatments, fmt or "json", out)
        else:
            case = _with_options(case or _one_case(hpo, phenopacket, text, kg, store, lenient), split_ids(exclude),
                                 age, sex, drugs, allergies, conditions, lenient)
            d = diagnose(case, ix, llm=model, **opts)
    if folder is not None:
        sys.exit(status)
    plan = treat(d, kg=ix, top_n=len(d.candidates)) if treatments else None
    with open_output(out) as stream:
        _write(d, plan, fmt or "table", stream, str(phenopacket or ""))
    print_warnings(all_warnings(d, plan))
    _wrote(out)
