"""``medkg diagnose``: a ranked differential (and treatments) for a case, or a folder of cases."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.errors import ConfigError, MedKGError
from medkg_cli.common import kg_option, settings
from medkg_cli.output import emit_json, err_console
from reasoning import case_from_hpo, diagnose, load_index, load_phenopacket, treat
from reasoning.cases import iter_phenopackets
from reasoning.index import DiagnosisIndex
from reasoning.models import Differential, Evidence
from reasoning.text_case import case_from_text
from reasoning.treatments import UNREVIEWED

_MARK = {"exact": "+", "descendant": "+", "ancestor": "+", "related": "~", "unexplained": "?",
         "contradicted": "x", "excluded": "x", "excluded_consistent": "+", "missing": "-"}


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for raw in values for v in raw.split(",") if v.strip()]


def _evidence_line(e: Evidence) -> str:
    freq = f" {e.frequency_label or ''}".rstrip() if e.frequency_label else ""
    if e.kind == "missing":
        return f"- lacks {e.disease_term} {e.disease_term_label}{freq}"
    what = f"{e.case_term} {e.case_label}"
    if e.kind in ("unexplained",):
        return f"? {what}: not a feature of this disease"
    target = f"{e.disease_term} {e.disease_term_label}" if e.disease_term else ""
    via = f" via {e.via}" if e.via else ""
    src = f" [{e.source}]" if e.source else ""
    return f"{_MARK[e.kind]} {what} → {e.kind} {target}{via}{freq}{src}"


def _table(d: Differential, plan: Any | None) -> None:
    out = Console()
    t = Table(title=f"Differential for {d.case.id or 'case'} ({d.ranked:,} diseases ranked)", show_lines=True)
    for col in ("rank", "disease", "probability", "score\n(log10 LR, similarities)", "evidence (strongest first)"):
        t.add_column(col, overflow="fold")
    for c in d.candidates:
        ev = sorted(c.evidence, key=lambda e: -abs(e.log10_lr))[:5]
        ids = ", ".join(i for i in c.ids if i != c.id)
        name = f"{c.id}\n{c.label}" + (f"\n[dim]= {ids}[/dim]" if ids else "")
        if c.scored_as and c.scored_as != c.id:
            name += f"\n[dim]evidence from {c.scored_as}[/dim]"
        parts = (f"\n[dim]LR {c.log10_lr:+.2f}; Resnik {c.similarity:.2f} nats; GraphIC {c.graph_ic:.3f}[/dim]"
                 if c.log10_lr is not None and c.similarity is not None and c.graph_ic is not None else "")
        t.add_row(str(c.rank), name, f"{c.probability:.3f}", f"{c.score:.2f}{parts}",
                  "\n".join(_evidence_line(e) for e in ev))
    out.print(t)
    if plan is not None:
        tt = Table(title="Treatments (curated first, then unreviewed label indications; flags are warnings)",
                   show_lines=True)
        for col in ("rank", "disease", "drug", "relation", "source", "flags"):
            tt.add_column(col, overflow="fold")
        for dt in plan.diseases:
            if not dt.treatments:
                tt.add_row(str(dt.rank), f"{dt.disease} {dt.label}", "—", "", "", dt.note or "")
            for tr in dt.treatments:
                srcs = ", ".join(sorted({e.source or "" for e in tr.evidence}))
                relation = tr.relation + (f"\n[dim]({UNREVIEWED})[/dim]" if tr.relation == "indicated" else "")
                tt.add_row(str(dt.rank), f"{dt.disease} {dt.label}", f"{tr.drug} {tr.label}", relation,
                           srcs, "; ".join(f.detail for f in tr.flags))
        out.print(tt)
    for w in d.warnings:
        err_console.print(f"[yellow]warning:[/yellow] {w}")


def _payload(d: Differential, plan: Any | None) -> dict[str, Any]:
    data = d.model_dump(mode="json")
    data["treatments"] = plan.model_dump(mode="json")["diseases"] if plan is not None else []
    return data


def _run_folder(folder: Path, ix: DiagnosisIndex, opts: dict[str, Any], with_treatments: bool) -> int:
    files = iter_phenopackets(folder)
    if not files:
        raise ConfigError(f"no *.json phenopackets under {folder}")
    failed = 0
    with Progress(TextColumn("diagnosing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console) as progress:
        task = progress.add_task("cases", total=len(files))
        for f in files:
            try:
                case = load_phenopacket(f)
                d = diagnose(case, ix, **opts)
                row = {"file": str(f.relative_to(folder)), **_payload(d, treat(d, case, kg=ix) if with_treatments else None)}
            except MedKGError as e:
                failed += 1
                row = {"file": str(f.relative_to(folder)), "error": str(e)}
                err_console.print(f"error: {e}")
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            progress.advance(task)
    if failed:
        err_console.print(f"{failed} of {len(files)} case(s) failed")
    return 1 if failed else 0


@click.command("diagnose")
@kg_option
@click.option("--hpo", multiple=True, help="Present phenotypes: HPO ids, comma-separated or repeated.")
@click.option("--exclude", multiple=True, help="Excluded phenotypes (explicitly absent).")
@click.option("--phenopacket", type=click.Path(path_type=Path, exists=True),
              help="A GA4GH phenopacket v2 JSON file, or a folder of them (one JSON line per case).")
@click.option("--text", help="Free clinical text (negated findings become excluded).")
@click.option("--age", type=float, help="Age in years.")
@click.option("--sex", type=click.Choice(["male", "female", "other", "unknown"]))
@click.option("--drug", "drugs", multiple=True, help="Current drugs (CURIEs).")
@click.option("--allergy", "allergies", multiple=True, help="Drug allergies (CURIEs).")
@click.option("--top-k", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option("--namespace", type=click.Choice(["OMIM", "ORPHA", "DECIPHER"], case_sensitive=False),
              help="Rank one vocabulary only.")
@click.option("--lenient", is_flag=True, help="Skip ids the graph lacks (warning) instead of failing.")
@click.option("--treatments", is_flag=True, help="Add the drugs for the top candidates.")
@click.option("--llm", "llm_selector", help="Re-rank and explain the top-k with a language model (selector).")
@click.option("--allow-remote", is_flag=True, help="Allow sending the case to a non-local LLM endpoint.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def diagnose_cmd(kg_dir: Path | None, hpo: tuple[str, ...], exclude: tuple[str, ...], phenopacket: Path | None,
                 text: str | None, age: float | None, sex: str | None, drugs: tuple[str, ...],
                 allergies: tuple[str, ...], top_k: int, namespace: str | None, lenient: bool, treatments: bool,
                 llm_selector: str | None, allow_remote: bool, fmt: str) -> None:
    """Rank the diseases that could explain a case, with the evidence for each."""
    given = [x for x in (bool(hpo), phenopacket is not None, text is not None) if x]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --hpo, --phenopacket or --text")
    kg = settings(kg_dir=kg_dir).kg_dir
    with err_console.status("loading the graph"):
        ix = load_index(kg)
    opts: dict[str, Any] = {"top_k": top_k, "namespace": namespace, "lenient": lenient}
    if phenopacket is not None and phenopacket.is_dir():
        sys.exit(_run_folder(phenopacket, ix, opts, treatments))
    if phenopacket is not None:
        case = load_phenopacket(phenopacket)
    elif text is not None:
        with err_console.status("reading the text"):
            case = case_from_text(text, kg)
        for note in case.notes:
            err_console.print(f"[dim]{note}[/dim]")
    else:
        case = case_from_hpo(_split(hpo), _split(exclude))
    case = case.model_copy(update={k: v for k, v in {
        "age_years": age, "sex": sex, "drugs": _split(drugs) or case.drugs,
        "allergies": _split(allergies) or case.allergies}.items() if v is not None})
    if llm_selector:
        from medkg_cli.llm_cmd import llm_settings_from_cli
        from reasoning.llm import open_llm

        with open_llm(llm_selector, llm_settings_from_cli(allow_remote, False, None)) as model:
            d = diagnose(case, ix, llm=model, **opts)
            err_console.print(f"[dim]LLM: {model.usage.summary()}[/dim]")
    else:
        d = diagnose(case, ix, **opts)
    plan = treat(d, case, kg=ix) if treatments else None
    if fmt == "json":
        emit_json(_payload(d, plan))
    else:
        _table(d, plan)
