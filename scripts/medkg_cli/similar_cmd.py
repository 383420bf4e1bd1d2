"""``medkg similar``: the cases of a phenopacket library most similar to a case."""

from __future__ import annotations

from pathlib import Path

import click

from medkg_cli.common import kg_option, settings
from medkg_cli.output import FORMATS, emit_json, emit_rows, err_console, print_warnings
from reasoning.cases import load_phenopacket
from reasoning.similar import CaseLibrary


@click.command("similar")
@click.option("--phenopacket", "phenopacket", required=True,
              type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="The case (GA4GH phenopacket v2 JSON).")
@click.option("--library", required=True, type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Folder of phenopackets to search (recursive).")
@kg_option
@click.option("--k", default=10, show_default=True, type=click.IntRange(1, 1000), help="How many cases.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@click.option("--lenient", is_flag=True,
              help="Skip ids the graph lacks and library files that are no phenopacket (warning) instead of failing.")
def similar_cmd(phenopacket: Path, library: Path, kg_dir: Path | None, k: int, fmt: str, lenient: bool) -> None:
    """Cases of a phenopacket library most similar to a case, with shared phenotypes as evidence."""
    s = settings(kg_dir=kg_dir)
    case = load_phenopacket(phenopacket, lenient=lenient)
    print_warnings(case.warnings)
    with err_console.status(f"embedding the cases under {library}"):
        lib = CaseLibrary.from_folder(library, kg=s.kg_dir, settings=s, lenient=lenient)
    if (unknown := lib.unknown_error(case)) is not None:
        if not lenient:
            raise unknown
        print_warnings([unknown.skipped])
    if lib.skipped:
        print_warnings([f"left out of the library: {why}" for why in lib.skipped])
    if warned := [f"library case {c.id}: {w}" for c in lib.cases for w in c.warnings]:
        print_warnings(warned[:5] + ([f"... and {len(warned) - 5} more warnings about library cases"]
                                     if len(warned) > 5 else []))
    if lib.unknown:
        err_console.print(f"[dim]{sum(lib.unknown.values())} phenotype mention(s) of the library are not "
                          f"in the graph ({len(lib.unknown)} distinct ids) and were left out[/dim]")
    hits = lib.search(case, k)
    if fmt == "json":
        emit_json({"case": case.id, "library": str(library), "cases": len(lib.cases),
                   "hits": [h.as_dict() for h in hits]})
        return
    rows = [(i, h.id, round(h.score, 4), ", ".join(h.diagnoses), len(h.shared),
             "; ".join(f"{t} {h.labels.get(t, '')}" for t in h.shared), len(h.conflicts))
            for i, h in enumerate(hits, 1)]
    emit_rows(["rank", "case", "score", "diagnoses", "n_shared", "shared phenotypes", "conflicts"], rows, fmt,
              title=f"cases similar to {case.id}")
