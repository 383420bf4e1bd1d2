"""Rendering results as a table, JSON or TSV, and errors to stderr."""

from __future__ import annotations

import datetime
import json
import math
import sys
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kg.errors import ConfigError

FORMATS = ("table", "json", "tsv")

err_console = Console(stderr=True)
"""Progress, status and errors go to stderr so stdout stays machine-readable."""


def _finite(obj: Any, path: str, bad: list[str]) -> Any:
    """``obj`` with what JSON cannot hold replaced: a non-finite number by null (its path goes to
    ``bad``), a decimal by a number, a date, time or duration by its ISO text, a UUID by text."""
    if isinstance(obj, Decimal):
        obj = int(obj) if obj.is_finite() and obj == obj.to_integral_value() else float(obj)
    if isinstance(obj, float) and not math.isfinite(obj):
        bad.append(path)
        return None
    if isinstance(obj, dict):
        return {str(k): _finite(v, f"{path}.{k}", bad) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        return [_finite(v, f"{path}[{i}]", bad) for i, v in enumerate(obj)]
    if isinstance(obj, datetime.date | datetime.time):
        return obj.isoformat()
    if isinstance(obj, datetime.timedelta):
        return _iso_duration(obj)
    if isinstance(obj, uuid.UUID):
        return str(obj)
    return obj


def _iso_duration(d: datetime.timedelta) -> str:
    """An ISO 8601 duration: days and seconds (``P1DT30S``; ``-P1D`` when negative)."""
    sign = "-" if d < datetime.timedelta(0) else ""
    d = abs(d)
    seconds = d.seconds + d.microseconds / 1e6
    return f"{sign}P{d.days}D" + (f"T{seconds:g}S" if seconds else "")


def to_json(obj: Any, indent: int | None = None) -> str:
    """``obj`` as valid JSON text (UTF-8 characters kept): the one JSON writer of the CLI.

    JSON has no Infinity or NaN (``json.dumps`` would write them, and JSON parsers reject
    them), so a non-finite number is written as ``null`` with a warning on stderr naming where
    it was; a string such as ``"Infinity"`` would change the type of its column.

    Example:
        >>> to_json({"x": [1.5, float("inf")]})
        '{"x": [1.5, null]}'
        >>> to_json([Decimal("3"), Decimal("0.5"), datetime.date(2026, 1, 2), datetime.timedelta(days=1, seconds=30)])
        '[3, 0.5, "2026-01-02", "P1DT30S"]'
    """
    bad: list[str] = []
    clean = _finite(obj, "$", bad)
    if bad:
        shown = ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
        print_warnings([f"{len(bad)} number(s) not finite (Infinity or NaN, which JSON cannot hold) "
                        f"written as null: {shown}"])
    return json.dumps(clean, ensure_ascii=False, indent=indent, allow_nan=False)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, list | dict):
        return to_json(v)
    return str(v)


def _tsv_cell(v: Any) -> str:
    s = "" if v is None else to_json(v) if isinstance(v, list | dict) else str(v)
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


PIPED_TABLE_WIDTH = 10_000
"""The width a query table may take when its output is not a terminal (a file, a pipe): wide
enough for any row, so that ids are never cut (``DOID:10…``); a terminal keeps its own width."""


def emit_rows(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, title: str | None = None,
    stream: TextIO | None = None,
) -> None:
    """Write rows to ``stream`` (default stdout) in ``fmt`` (table, json or tsv)."""
    out = stream or sys.stdout
    if fmt == "json":
        payload = [dict(zip(columns, r, strict=True)) for r in rows]
        out.write(to_json(payload, indent=1) + "\n")
    elif fmt == "tsv":
        write_tsv(columns, rows, out)
    else:
        table = Table(title=title, show_lines=False)
        for c in columns:
            table.add_column(c)
        for r in rows:
            table.add_row(*(escape(_cell(v)) for v in r))  # data, not Rich markup ("[typhoid]", "[/]")
        console = Console(file=out)
        if not console.is_terminal:  # piped: the table's own width, not 80 columns that cut ids short
            console = Console(file=out, width=PIPED_TABLE_WIDTH)
        console.print(table)
        err_console.print(f"[dim]{len(rows)} row(s)[/dim]")


def print_warnings(warnings: Sequence[str], where: str = "") -> None:
    """Each warning on stderr (``where`` before it, e.g. a file name); the text is not markup."""
    for w in warnings:
        err_console.print(f"[yellow]warning:[/yellow] {escape(where + w)}", soft_wrap=True, highlight=False)


def emit_json(obj: Any, stream: TextIO | None = None) -> None:
    """Write one JSON document to ``stream`` (default stdout)."""
    (stream or sys.stdout).write(to_json(obj, indent=2) + "\n")


def emit_json_line(obj: Any, stream: TextIO) -> None:
    """Write one JSON object on one line (JSON lines)."""
    stream.write(to_json(obj) + "\n")


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
