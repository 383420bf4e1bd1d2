"""``medkg llm``: ask a language model, or serve one over an OpenAI-compatible API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from kg.errors import ConfigError
from medkg_cli.common import FiniteRange, checked, llm_checked, query_text, settings
from medkg_cli.output import emit_json, err_console
from reasoning.llm.serve import check_loopback


def llm_settings_from_cli(allow_remote: bool, no_cache: bool, timeout: float | None) -> Any:
    """The LLM settings from the environment, with the command line's overrides."""
    base = settings().llm
    changes: dict[str, Any] = {}
    if allow_remote:
        changes["allow_remote"] = True
    if no_cache:
        changes["cache"] = False
    if timeout is not None:
        changes["timeout_s"] = timeout
    return base.model_copy(update=changes)


def _read_schema(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise ConfigError(f"cannot read the JSON schema {path}: {e}") from e
    if not isinstance(schema, dict):
        raise ConfigError(f"{path}: a JSON schema must be an object")
    return schema


@click.group("llm")
def llm_group() -> None:
    """Language models: transformers:PATH|smollm2, openai://HOST:PORT/v1?model=NAME, llamacpp:PATH."""


@llm_group.command("ask")
@click.option("--llm", "selector", required=True, callback=llm_checked,
              help="Model selector, e.g. transformers:smollm2.")
@click.argument("prompt", callback=query_text)
@click.option("--system", default=None, help="A system message.")
@click.option("--schema", "schema_file", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="JSON Schema file: the answer is validated JSON, printed as JSON.")
@click.option("--max-tokens", type=click.IntRange(1), default=256, show_default=True)
@click.option("--temperature", type=FiniteRange(0), default=0.0, show_default=True)
@click.option("--timeout", type=FiniteRange(0, min_open=True), default=None, help="Seconds per call.")
@click.option("--allow-remote", is_flag=True, help="Allow sending text to a non-local endpoint.")
@click.option("--no-cache", is_flag=True, help="Do not use the on-disk response cache.")
def ask_cmd(
    selector: str, prompt: str, system: str | None, schema_file: Path | None, max_tokens: int,
    temperature: float, timeout: float | None, allow_remote: bool, no_cache: bool,
) -> None:
    """Send PROMPT (inline, @FILE or - for stdin); print the answer, and the usage on stderr."""
    from reasoning.llm import open_llm

    schema = _read_schema(schema_file)
    messages = ([{"role": "system", "content": system}] if system else []) + [
        {"role": "user", "content": prompt}
    ]
    with open_llm(selector, llm_settings_from_cli(allow_remote, no_cache, timeout)) as model:
        done = model.complete(messages, schema=schema, max_tokens=max_tokens, temperature=temperature)
        if schema is not None:
            emit_json(done.data)
        else:
            click.echo(done.text)
        err_console.print(f"[dim]{model.usage.summary()}[/dim]")


@llm_group.command("serve")
@click.option("--llm", "selector", required=True, callback=llm_checked,
              help="Model selector to serve, e.g. transformers:smollm2.")
@click.option("--host", default="127.0.0.1", show_default=True, callback=checked(check_loopback),
              help="Loopback address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--no-cache", is_flag=True, help="Do not use the on-disk response cache.")
def serve_cmd(selector: str, host: str, port: int, no_cache: bool) -> None:
    """Serve a model over an OpenAI-compatible API on this machine (Ctrl-C stops)."""
    from reasoning.llm import open_llm
    from reasoning.llm.serve import LLMServer
    model = open_llm(selector, llm_settings_from_cli(False, no_cache, None))
    server = LLMServer(model, host, port)
    err_console.print(f"serving {selector} at {server.base_url}; clients: --llm '{server.selector('NAME')}'")
    try:
        server.serve_forever()
    finally:
        server.stop()
        err_console.print(f"[dim]{model.usage.summary()}[/dim]")
