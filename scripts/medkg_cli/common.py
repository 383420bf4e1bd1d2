"""Options and helpers shared by the command modules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kg.bundle import Bundle
from kg.errors import ConfigError
from kg.settings import Settings
from kg.stores._values import parse_param
from kg.writable import check_writable

F = TypeVar("F", bound=Callable[..., Any])


def kg_option(fn: F) -> F:
    """``--kg DIR``: the bundle (default ``MEDKG_KG_DIR`` or the user data folder)."""
    return click.option(
        "--kg",
        "kg_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Knowledge-graph bundle folder [default: $MEDKG_KG_DIR or ~/.local/share/medkg/kg].",
    )(fn)


def writable_file(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Click callback of an output file option: its folder must exist (usage error) and take a
    new file (:class:`NotWritableError`, exit 1), checked before the command does its work.
    ``-`` means standard output (None)."""
    if value is None or str(value) == "-":
        return None  # standard output, as without --out
    if not value.parent.is_dir():
        raise click.BadParameter(f"{value}: the folder {value.parent} does not exist", ctx, param)
    check_writable(value.parent, must_exist=True)
    return value


def out_option(fn: F) -> F:
    """``--out FILE``: write the result to FILE instead of stdout (its folder must exist)."""
    return click.option(
        "--out", "out", type=click.Path(path_type=Path, dir_okay=False), default=None, callback=writable_file,
        help="Write the result to FILE instead of stdout ('-': stdout).",
    )(fn)


def settings(kg_dir: Path | None = None, data_dir: Path | None = None) -> Settings:
    """Settings from the environment with command-line overrides."""
    return Settings.from_env(kg_dir=kg_dir, data_dir=data_dir)


def store_selector(kg_dir: Path | None, store: str | None, language: str) -> str:
    """The selector to open: ``--store`` as given, else the bundle's store for ``language``."""
    if store:
        if kg_dir:
            raise ConfigError("give either --kg or --store, not both")
        return store
    bundle = Bundle(settings(kg_dir=kg_dir).kg_dir)
    bundle.manifest()  # a clear error if there is no bundle
    return bundle.selector("oxigraph" if language == "sparql" else "ladybug")


def parse_params(texts: tuple[str, ...]) -> dict[str, Any]:
    """The ``--param NAME=VALUE`` options as a dict; a name given twice is a usage error
    (the last one must not quietly win).

    Example:
        >>> parse_params(("id=OMIM:1", "k=3"))
        {'id': 'OMIM:1', 'k': 3}
        >>> parse_params(("id=1", "id=2"))
        Traceback (most recent call last):
        ...
        click.exceptions.UsageError: --param id is given twice (id=1, id=2)
    """
    out: dict[str, Any] = {}
    seen: dict[str, str] = {}
    for text in texts:
        name, value = parse_param(text)
        if name in out:
            raise click.UsageError(f"--param {name} is given twice ({seen[name]}, {text})")
        out[name], seen[name] = value, text
    return out


def read_query_arg(text: str) -> str:
    """A query given inline, as ``@FILE``, or ``-`` for stdin."""
    if text == "-":
        return click.get_text_stream("stdin").read()
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"cannot read query file {path}: {e}") from e
    return text
