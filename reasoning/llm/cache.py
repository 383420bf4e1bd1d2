"""The on-disk response cache: identical calls are answered without the model.

The key is a SHA-256 over the model's identity, the messages, the schema and
the generation parameters; each answer is one small JSON file written
atomically (temporary file, then rename), so an interrupted run never leaves
a half-written entry.

Example:
    >>> import tempfile
    >>> cache = ResponseCache(Path(tempfile.mkdtemp()))
    >>> k = cache_key("m", [{"role": "user", "content": "hi"}], None, max_tokens=8, temperature=0.0)
    >>> cache.get(k) is None
    True
    >>> cache.put(k, {"text": "hello"})
    >>> cache.get(k)
    {'text': 'hello'}
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def cache_key(
    model: str, messages: Sequence[Mapping[str, str]], schema: Mapping[str, Any] | None, **params: Any
) -> str:
    """A stable hex digest of everything that determines a model's answer."""
    blob = json.dumps(
        {"model": model, "messages": list(messages), "schema": schema, "params": params},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ResponseCache:
    """JSON answers in ``root/<2 hex>/<key>.json``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored answer, or None (a missing or unreadable entry is a miss)."""
        try:
            value = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    def put(self, key: str, value: Mapping[str, Any]) -> None:
        """Store an answer atomically."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(dict(value), f, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
