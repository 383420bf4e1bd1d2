"""Language models behind one seam, with structured, cached, accounted output.

Open a model with :func:`open_llm` (see :mod:`reasoning.llm.base` for the
selectors); every model satisfies :class:`kg.llm.ChatModel`. Importing this
package registers the backends; their heavy packages (torch, transformers,
llama_cpp) are imported only when a model is opened.
"""

from reasoning.llm import llamacpp_backend, openai_backend, transformers_backend  # noqa: F401  (registration)
from reasoning.llm.base import LLM, Reply, backends, llm_spec, open_llm, parse_llm_selector, register_llm
from reasoning.llm.usage import Usage

__all__ = ["LLM", "Reply", "Usage", "backends", "llm_spec", "open_llm", "parse_llm_selector", "register_llm"]
