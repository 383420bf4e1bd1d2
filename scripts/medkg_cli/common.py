"""Options and helpers shared by the command modules.

A mistake on the command line (a bad option combination, a malformed value, a missing file
given as an argument, an unknown selector scheme) is a usage error: click prints it on stderr
naming the option and exits with 2, before any slow work (loading a bundle, a store or a
model). The checks here are the one place each such check is made; a failure that only the
work itself can find (an unreachable database, a file that turns out malformed) is a
:class:`MedKGError` (exit 1).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from kg.bundle import Bundle
from kg.errors import ConfigError, MedKGError
from kg.settings import Settings
from kg.stores import parse_selector
from kg.stores.base import store_spec
from kg.stores._values import parse_param
from kg.writable import check_writable

F = TypeVar("F", bound=Callable[..., Any])
Callback = Callable[[click.Context, click.Parameter, Any], Any]


class FiniteRange(click.FloatRange):
    """A :class:`click.FloatRange` that also refuses ``nan`` and ``inf`` (NaN passes every
    comparison, so a plain range lets it through)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{number} is not a finite number", param, ctx)
        return number


@contextmanager
def usage_errors(param_hint: str) -> Iterator[None]:
    """Inside, a :class:`MedKGError` is the user's mistake on the command line: a usage error
    (exit 2) naming ``param_hint`` (e.g. ``--hpo``)."""
    try:
        yield
    except MedKGError as e:
        raise click.BadParameter(str(e), param_hint=f"'{param_hint}'") from e


def parsed(parse: Callable[[Any], Any]) -> Callback:
    """A click callback: the option's value is ``parse(value)``, and the :class:`MedKGError`
    ``parse`` raises is a usage error naming the option. It is not run on an option not given."""
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is None or value == ():
            return value
        try:
            return parse(value)
        except MedKGError as e:
            raise click.BadParameter(str(e), ctx, param) from e

    return callback


def checked(check: Callable[[Any], object]) -> Callback:
    """As :func:`parsed`, but the option keeps its value: ``check`` only validates it."""
    def keep(value: Any) -> Any:
        check(value)
        return value

    return parsed(keep)


def split_values(values: tuple[str, ...]) -> list[str]:
    """The values of a repeatable option whose values may also be comma-separated, stripped,
    empty ones left out.

    Example:
        >>> split_values(("HP:0001250, HP:0001263", " ", "HP:0000252,"))
        ['HP:0001250', 'HP:0001263', 'HP:0000252']
    """
    return [v.strip() for raw in values for v in raw.split(",") if v.strip()]


def split_ids(values: tuple[str, ...]) -> list[str]:
    """The ids of a repeatable id option (``--hpo``, ``--exclude``, ``--condition``): separated by
    commas, semicolons or white space, as ids are pasted from a spreadsheet or a phenotype list
    (an id holds none of them; drug names, which may, keep :func:`split_values`).

    Example:
        >>> split_ids(("HP:0001250 HP:0001263;HP:0000252", "HP:0001166,\tHP:0001083"))
        ['HP:0001250', 'HP:0001263', 'HP:0000252', 'HP:0001166', 'HP:0001083']
    """
    return [v for raw in values for v in re.split(r"[,;\s]+", raw) if v]


def bundle_folder(path: Path) -> Path:
    """``path`` (the user's ``~`` expanded) if it holds a bundle.

    Raises:
        BundleError: no folder there, or a folder without a bundle's manifest.
    """
    bundle = Bundle(path.expanduser())
    if not bundle.exists():
        bundle.manifest()  # the one message for "no knowledge graph at ..."
    return bundle.root


def kg_option(fn: F) -> F:
    """``--kg DIR``: the bundle (default ``MEDKG_KG_DIR`` or the user data folder); a folder
    given that holds no bundle is a usage error."""
    return click.option(
        "--kg",
        "kg_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        callback=parsed(bundle_folder),
        help="Knowledge-graph bundle folder [default: $MEDKG_KG_DIR or ~/.local/share/medkg/kg].",
    )(fn)


def store_language(selector: str) -> str:
    """The query language of the store a selector names (``cypher`` or ``sparql``), found
    without opening it.

    Raises:
        UnknownStoreError: no scheme, or no store registered for it.
    """
    return store_spec(parse_selector(selector)[0], selector).language


store_checked = checked(store_language)
"""The callback of a ``--store SELECTOR`` option: a selector without a known scheme is a usage error."""


def store_speaks(store: str | None, language: str) -> None:
    """Refuse a ``--store`` of the other query language than the command's (``cypher`` or
    ``sparql``) before it is opened; without ``--store`` the bundle's store of that language is used."""
    if store is not None and (spoken := store_language(store)) != language:
        raise click.BadParameter(f"store {store} speaks {spoken}, not {language}", param_hint="'--store'")


def kg_or_store(kg_dir: Path | None, store: str | None) -> None:
    """Refuse ``--kg`` and ``--store`` together (the one check of every command taking both)."""
    if kg_dir is not None and store is not None:
        raise click.UsageError("give either --kg or --store, not both")


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
    kg_or_store(kg_dir, store)
    if store:
        return store
    bundle = Bundle(settings(kg_dir=kg_dir).kg_dir)
    bundle.manifest()  # a clear error if there is no bundle
    return bundle.selector("oxigraph" if language == "sparql" else "ladybug")


def parse_params(texts: tuple[str, ...]) -> dict[str, Any]:
    """The ``--param NAME=VALUE`` options as a dict.

    Raises:
        QueryError: a malformed one.
        ConfigError: a name given twice (the last one must not quietly win).

    Example:
        >>> parse_params(("id=OMIM:1", "k=3"))
        {'id': 'OMIM:1', 'k': 3}
        >>> parse_params(("id=1", "id=2"))
        Traceback (most recent call last):
        ...
        kg.errors.ConfigError: id is given twice (id=1, id=2)
    """
    out: dict[str, Any] = {}
    seen: dict[str, str] = {}
    for text in texts:
        name, value = parse_param(text)
        if name in out:
            raise ConfigError(f"{name} is given twice ({seen[name]}, {text})")
        out[name], seen[name] = value, text
    return out


def params_option(fn: F) -> F:
    """``--param NAME=VALUE`` (repeatable): the parameters of a query as a dict; a malformed one
    is a usage error."""
    parse = parsed(parse_params)
    return click.option(
        "--param", "params", multiple=True, callback=lambda ctx, param, value: parse(ctx, param, value) or {},
        help="NAME=VALUE, bound as $NAME (JSON values allowed).",
    )(fn)


def query_text(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Click callback of a query or prompt given inline, as ``@FILE`` (UTF-8), or ``-`` for
    stdin: the text; a file that cannot be read is a usage error naming the option."""
    if value is None:
        return None
    if value == "-":
        return click.get_text_stream("stdin").read()
    if not value.startswith("@"):
        return value
    path = Path(value[1:]).expanduser()
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        raise click.BadParameter(f"cannot read {path}: {e.strerror or e}", ctx, param) from e
    except UnicodeDecodeError as e:
        raise click.BadParameter(not_utf8(path, e), ctx, param) from e


def not_utf8(name: object, e: UnicodeDecodeError) -> str:
    r"""The usage error for an input file that is not UTF-8, naming the first bad byte.

    Example:
        >>> try:
        ...     b"ab\xff".decode("utf-8")
        ... except UnicodeDecodeError as e:
        ...     print(not_utf8("note.txt", e))
        note.txt is not UTF-8 text (byte 2: b'\xff')
    """
    return f"{name} is not UTF-8 text (byte {e.start}: {e.object[e.start:e.start + 1]!r})"


def _known_llm(selector: str) -> object:
    from reasoning.llm import llm_spec

    if not selector.strip():
        raise ConfigError("give a model selector, e.g. transformers:smollm2 (see 'medkg llm')")
    return llm_spec(selector)


llm_checked = checked(_known_llm)
"""The callback of an ``--llm SELECTOR`` option: an empty selector or one without a known
backend is a usage error (the model itself is opened by the command)."""
