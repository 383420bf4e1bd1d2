"""Parse a model's text as JSON and validate it against a JSON Schema.

Models wrap JSON in prose or Markdown code fences; :func:`extract_json` finds
the first complete JSON object or array in the text. :func:`parse_and_validate`
raises :class:`InvalidOutput` with a short, human-readable problem, which the
caller turns into a repair request or an :class:`kg.errors.LLMOutputError`.

Example:
    >>> extract_json('Sure!\\n```json\\n{"a": [1, 2]}\\n```')
    {'a': [1, 2]}
    >>> schema = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}
    >>> parse_and_validate('{"a": 3} trailing words', schema)
    {'a': 3}
    >>> for text in ('{"a": "x"}', 'no json here', '{"a": [1, 2]'):
    ...     try:
    ...         parse_and_validate(text, schema)
    ...     except InvalidOutput as e:
    ...         print(e)
    does not match the schema at a: 'x' is not of type 'integer'
    no JSON object or array found
    the JSON is cut off (Expecting ',' delimiter); was max_tokens too small?
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from kg.errors import LLMDependencyError


class InvalidOutput(ValueError):
    """The text is not JSON matching the schema; the message says why."""


def extract_json(text: str) -> Any:
    """The first complete JSON object or array in ``text`` (code fences and prose ignored).

    Raises:
        InvalidOutput: there is none.
    """
    decoder = json.JSONDecoder()
    last_error = "no JSON object or array found"
    for i, ch in enumerate(text):
        if ch not in "{[":
            continue
        try:
            value, _ = decoder.raw_decode(text, i)
        except json.JSONDecodeError as e:
            if e.pos >= len(text.rstrip()) - 1:
                # runs to the end of the text: cut off (an inner value must not pass for the answer)
                raise InvalidOutput(f"the JSON is cut off ({e.msg}); was max_tokens too small?") from e
            if last_error.startswith("no JSON"):
                last_error = f"not valid JSON: {e.msg} (line {e.lineno}, column {e.colno})"
            continue
        return value
    raise InvalidOutput(last_error)


def validate(value: Any, schema: Mapping[str, Any]) -> None:
    """Raise :class:`InvalidOutput` naming the first violation of ``schema``."""
    try:
        import jsonschema
    except ImportError as e:  # pragma: no cover - jsonschema is part of the llm extra
        raise LLMDependencyError("schema validation needs jsonschema: pip install 'medkg[llm]'") from e
    validator_cls = jsonschema.validators.validator_for(schema)
    error = jsonschema.exceptions.best_match(validator_cls(schema).iter_errors(value))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the top level"
        raise InvalidOutput(f"does not match the schema at {where}: {error.message}")


def parse_and_validate(text: str, schema: Mapping[str, Any]) -> Any:
    """Extract the JSON value from ``text`` and validate it against ``schema``."""
    value = extract_json(text)
    validate(value, schema)
    return value
