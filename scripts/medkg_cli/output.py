"""Rendering results as a table, JSON or TSV, and errors to stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

FORMATS = ("table", "json", "tsv")

err_console = Console(stderr=True)
"""Progress, status and errors go to stderr so stdout stays machine-readable."""


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, list | dict):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def _tsv_cell(v: Any) -> str:
    s = "" if v is None else json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else str(v)
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def emit_rows(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, title: str | None = None
) -> None:
    """Write rows to stdout in ``fmt`` (table, json or tsv)."""
    if fmt == "json":
        payload = [dict(zip(columns, r, strict=True)) for r in rows]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "tsv":
        sys.stdout.write("\t".join(columns) + "\n")
        for r in rows:
            sys.stdout.write("\t".join(_tsv_cell(v) for v in r) + "\n")
    else:
        table = Table(title=title, show_lines=False)
        for c in columns:
            table.add_column(c)
        for r in rows:
            table.add_row(*(_cell(v) for v in r))
        Console().print(table)
        err_console.print(f"[dim]{len(rows)} row(s)[/dim]")


def emit_json(obj: Any) -> None:
    """Write one JSON document to stdout."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
