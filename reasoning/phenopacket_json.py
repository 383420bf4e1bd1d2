"""Reading a phenopacket file's JSON strictly, as protobuf's JSON parser does.

* UTF-8, a byte-order mark allowed; other bytes are an error naming the byte offset. A file over
  :data:`MAX_PHENOPACKET_BYTES` is not read.
* One JSON document: trailing text, a number too long to read (Python refuses integers of more
  than 4,300 digits) or nesting too deep to read are errors, never a traceback.
* A key given twice in one object is an error naming its JSON path: ``json.loads`` would keep
  the last value silently (``"excluded": true, ... "excluded": false``), and protobuf's parsers
  refuse such input.
* A string holding a lone surrogate escape (``"\\ud800"``: half of a UTF-16 pair, no character)
  is an error naming its JSON path: protobuf strings are Unicode text, and writing one out
  failed with a UnicodeEncodeError traceback.

Example:
    >>> read_json_text('{"phenotypicFeatures": [{"type": {"id": "HP:0001166", "id": "HP:0001250"}}]}', "p.json")
    Traceback (most recent call last):
    ...
    reasoning.errors.PhenopacketError: p.json: phenotypicFeatures[0].type: the key 'id' is given twice (a JSON object names each field once)
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from reasoning.errors import PhenopacketError


_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
"""A surrogate in a string, and its escape in JSON text (a pair that makes one character is fine)."""


class _Repeated(dict[str, Any]):
    """A JSON object one of whose keys was given more than once (the first such key in ``twice``)."""

    twice: str


def _marked(pairs: list[tuple[str, Any]], out: dict[str, Any]) -> _Repeated:
    """``out``, the object of ``pairs``, marked with the first key that ``pairs`` repeats."""
    marked = _Repeated(out)
    seen: set[str] = set()
    for key, _value in pairs:
        if key in seen:
            marked.twice = key
            break
        seen.add(key)
    return marked


def _problem(value: Any) -> str | None:
    """What is wrong with one JSON value itself: a key it repeats, or a lone surrogate it holds."""
    if isinstance(value, _Repeated):
        return f"the key {value.twice!r} is given twice (a JSON object names each field once)"
    texts = [value] if isinstance(value, str) else list(value) if isinstance(value, dict) else []
    for text in texts:
        bad = _SURROGATE.search(text)
        if bad is not None:
            return (f"{'the key ' if text is not value else ''}{text[:40]!r} holds the lone surrogate "
                    f"\\u{ord(bad.group()):04x} (half of a UTF-16 pair, no character): not Unicode text")
    return None


def _first_problem(data: Any, path: str = "") -> tuple[str, str] | None:
    """The JSON path of the first value (depth first) with a :func:`_problem`, and the problem."""
    problem = _problem(data)
    if problem is not None:
        return path, problem
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        if isinstance(value, dict | list | str):
            sub = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}" if path else key
            found = _first_problem(value, sub)
            if found is not None:
                return found
    return None


def read_json_text(text: str, origin: str) -> Any:
    """The parsed JSON of ``text`` (see the module docstring).

    Raises:
        PhenopacketError: not JSON, a number too long, nesting too deep, a key given twice, or
            a lone surrogate (names ``origin`` and the JSON path).
    """
    repeats = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal repeats
        out = dict(items)
        if len(out) == len(items):
            return out
        repeats = True
        return _marked(items, out)

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as e:
        raise PhenopacketError(origin, "", f"not JSON: {e.msg} at line {e.lineno}") from e
    except RecursionError as e:
        raise PhenopacketError(origin, "", "not a phenopacket: JSON nested too deeply to read") from e
    except ValueError as e:  # an integer of more than sys.get_int_max_str_digits() digits
        raise PhenopacketError(origin, "", f"not JSON medkg can read: {str(e).split(';')[0]}") from e
    if not repeats and not _SURROGATE_ESCAPE.search(text):
        return data
    try:
        found = _first_problem(data)
    except RecursionError as e:  # deep, but not too deep for the parser
        raise PhenopacketError(origin, "", "not a phenopacket: JSON nested too deeply to read") from e
    if found is not None:
        raise PhenopacketError(origin, *found)
    return data


MAX_PHENOPACKET_BYTES = 16 << 20
"""The largest phenopacket file read: 16 MiB. Phenopackets are kilobytes (the largest of the 2,401
dev files is 67 kB); reading JSON takes about 30 times its size in memory (a 21 MB file, 640 MB),
so a runaway file could take all of it and kill a folder run without a word."""


def read_json_file(path: Path) -> Any:
    """The parsed JSON of a phenopacket file (strict UTF-8, a byte-order mark allowed).

    Raises:
        PhenopacketError: unreadable, over :data:`MAX_PHENOPACKET_BYTES`, not UTF-8, or not JSON
            as :func:`read_json_text` reads it (names the file).
    """
    try:
        with path.open("rb") as f:
            data = f.read(MAX_PHENOPACKET_BYTES + 1)
        if len(data) > MAX_PHENOPACKET_BYTES:
            raise PhenopacketError(str(path), "", f"over {MAX_PHENOPACKET_BYTES >> 20} MiB: not read (a phenopacket "
                                                  "is kilobytes)")
        text = data.decode("utf-8-sig")
    except OSError as e:
        raise PhenopacketError(str(path), "", f"cannot read: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise PhenopacketError(str(path), "", f"not UTF-8 (byte {e.start})") from e
    return read_json_text(text, str(path))
