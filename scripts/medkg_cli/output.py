"""Rendering results as a table, JSON or TSV, and errors to stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kg.errors import ConfigError

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
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_tsv(columns: Sequence[str] | None, rows: Sequence[Sequence[Any]], stream: TextIO) -> None:
    r"""Write rows as TSV (tabs, line breaks and backslashes escaped), after a header unless ``columns`` is None.

    Example:
        >>> import io; buf = io.StringIO()
        >>> write_tsv(["a", "b"], [("x\ty", "line\r\nbreak")], buf)
        >>> buf.getvalue().splitlines()
        ['a\tb', 'x\\ty\tline\\r\\nbreak']
    """
    if columns is not None:
        stream.write("\t".join(columns) + "\n")
    for r in rows:
        stream.write("\t".join(_tsv_cell(v) for v in r) + "\n")


def emit_rows(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, title: str | None = None,
    stream: TextIO | None = None,
) -> None:
    """Write rows to ``stream`` (default stdout) in ``fmt`` (table, json or tsv)."""
    out = stream or sys.stdout
    if fmt == "json":
        payload = [dict(zip(columns, r, strict=True)) for r in rows]
        out.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "tsv":
        write_tsv(columns, rows, out)
    else:
        table = Table(title=title, show_lines=False)
        for c in columns:
            table.add_column(c)
        for r in rows:
            table.add_row(*(escape(_cell(v)) for v in r))  # data, not Rich markup ("[typhoid]", "[/]")
        Console(file=out).print(table)
        err_console.print(f"[dim]{len(rows)} row(s)[/dim]")


def print_warnings(warnings: Sequence[str], where: str = "") -> None:
    """Each warning on stderr (``where`` before it, e.g. a file name); the text is not markup."""
    for w in warnings:
        err_console.print(f"[yellow]warning:[/yellow] {escape(where + w)}", soft_wrap=True, highlight=False)


def emit_json(obj: Any, stream: TextIO | None = None) -> None:
    """Write one JSON document to ``stream`` (default stdout)."""
    (stream or sys.stdout).write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def emit_json_line(obj: Any, stream: TextIO) -> None:
    """Write one JSON object on one line (JSON lines)."""
    stream.write(json.dumps(obj, ensure_ascii=False) + "\n")


@contextmanager
def open_output(path: Path | None) -> Iterator[TextIO]:
    """``path`` opened for writing (UTF-8), or stdout when ``path`` is None.

    Raises:
        ConfigError: the file cannot be written.
    """
    if path is None:
        yield sys.stdout
        return
    try:
        f = path.open("w", encoding="utf-8", newline="")
    except OSError as e:
        raise ConfigError(f"cannot write {path}: {e.strerror or e}") from e
    with f:
        yield f
