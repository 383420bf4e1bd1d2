"""``openai://HOST:PORT/v1?model=NAME`` and ``https://HOST/v1?model=NAME``.

Any server speaking OpenAI's ``/chat/completions`` (vLLM, Ollama, llama.cpp's
server, ``medkg llm serve``, hosted APIs). Uses only the standard library.

* Privacy: only ``localhost``/loopback hosts are allowed unless
  ``LLMSettings.allow_remote`` (CLI ``--allow-remote``); redirects are never
  followed and proxies are bypassed for local endpoints, so text cannot leave
  the machine by a detour.
* With a schema the request carries ``response_format`` (``json_schema``); a
  server that rejects that field (HTTP 400 naming it) is asked again without
  it, with the schema spelled out in the system message instead. The answer
  is validated here in any case (one repair attempt).
* Timeouts (``timeout_s`` per request) and transient failures (HTTP 5xx and
  429, refused or reset connections) are retried ``retries`` times with
  exponential back-off from ``backoff_s``.

Example:
    >>> parse_endpoint("openai://127.0.0.1:8000/v1?model=smol")
    ('http://127.0.0.1:8000/v1', 'smol')
    >>> parse_endpoint("https://api.example.org/v1?model=big")
    ('https://api.example.org/v1', 'big')
    >>> is_local("http://localhost:8000/v1"), is_local("https://api.example.org/v1")
    (True, False)
    >>> open_openai("openai://api.example.org/v1?model=x")
    Traceback (most recent call last):
    ...
    kg.errors.RemoteLLMRefused: refusing to send text to the remote endpoint api.example.org: ...
"""

from __future__ import annotations

import ipaddress
import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

from kg.errors import ConfigError, LLMConnectionError, LLMRequestError, LLMTimeoutError, RemoteLLMRefused
from kg.llm import ChatMessage
from kg.settings import LLMSettings
from reasoning.llm.base import LLM, Reply, register_llm, with_schema_instruction

LOCAL_NAMES = {"localhost", "localhost.localdomain"}


def parse_endpoint(selector: str) -> tuple[str, str]:
    """``(base URL, model name)`` from a selector; ``openai://`` means plain HTTP."""
    parts = urlsplit(selector)
    scheme = "http" if parts.scheme == "openai" else parts.scheme
    if scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"bad endpoint selector {selector!r}: use openai://HOST:PORT/v1?model=NAME or https://...")
    models = parse_qs(parts.query).get("model")
    if not models or not models[0]:
        raise ConfigError(f"endpoint selector {selector!r} names no model: add ?model=NAME")
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/"), "", "")), models[0]


def is_local(url: str) -> bool:
    """Whether the URL's host is this machine (``localhost`` or a loopback address)."""
    host = urlsplit(url).hostname or ""
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class OpenAICompatLLM(LLM):
    """A model served over OpenAI's chat-completions API."""

    @property
    def constrains_schema(self) -> bool:  # type: ignore[override]
        """True until the server rejects ``response_format``; then the schema goes into the prompt."""
        return self.schema_supported

    def __init__(self, selector: str, settings: LLMSettings) -> None:
        super().__init__(selector, settings)
        self.base_url, self.model = parse_endpoint(selector)
        self.local = is_local(self.base_url)
        if not self.local and not settings.allow_remote:
            raise RemoteLLMRefused(
                f"refusing to send text to the remote endpoint {urlsplit(self.base_url).hostname}: "
                "patient text stays on this machine unless you allow it with the setting "
                "LLMSettings.allow_remote (CLI --allow-remote, environment MEDKG_LLM_ALLOW_REMOTE=1)"
            )
        handlers: list[Any] = [_NoRedirect()]
        if self.local:
            handlers.append(urllib.request.ProxyHandler({}))
        self._opener = urllib.request.build_opener(*handlers)
        self.schema_supported = True

    @property
    def identity(self) -> str:
        """Endpoint and model name."""
        return f"openai:{self.base_url}:{self.model}"

    def _generate(
        self, messages: list[ChatMessage], schema: Mapping[str, Any] | None, max_tokens: int, temperature: float
    ) -> Reply:
        body: dict[str, Any] = {
            "model": self.model, "messages": messages, "max_tokens": max_tokens, "temperature": temperature,
        }
        if schema is not None and self.schema_supported:
            body["response_format"] = {
                "type": "json_schema", "json_schema": {"name": "answer", "schema": dict(schema)},
            }
        try:
            answer = self._post("/chat/completions", body)
        except LLMRequestError as e:
            if "response_format" in body and "response_format" in str(e):
                self.schema_supported = False
                return self._generate(with_schema_instruction(messages, schema or {}), schema, max_tokens, temperature)
            raise
        try:
            text = answer["choices"][0]["message"]["content"] or ""
            usage = answer.get("usage") or {}
            return Reply(str(text), int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0)))
        except (KeyError, IndexError, TypeError, ValueError) as e:
            raise LLMRequestError(
                f"{self.name}: malformed chat-completions answer ({e!r}): {json.dumps(answer)[:500]}"
            ) from e

    def _post(self, path: str, body: Mapping[str, Any]) -> Any:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.settings.api_key is not None:
            headers["Authorization"] = f"Bearer {self.settings.api_key.get_secret_value()}"
        url = self.base_url + path
        attempts = self.settings.retries + 1
        delay = self.settings.backoff_s
        last = ""
        timed_out = False
        for attempt in range(1, attempts + 1):
            request = urllib.request.Request(url, data=data, headers=headers, method="POST")
            try:
                with self._opener.open(request, timeout=self.settings.timeout_s) as resp:
                    payload = resp.read()
                try:
                    return json.loads(payload)
                except ValueError as e:
                    raise LLMRequestError(f"{self.name}: the endpoint's answer is not JSON: {payload[:300]!r}") from e
            except urllib.error.HTTPError as e:
                detail = e.read()[:500].decode("utf-8", "replace")
                if e.code < 500 and e.code != 429:
                    raise LLMRequestError(f"{self.name}: {url} answered HTTP {e.code}: {detail}") from e
                last, timed_out = f"HTTP {e.code}: {detail}", False
            except (TimeoutError, socket.timeout) as e:
                last, timed_out = f"no answer within timeout_s={self.settings.timeout_s} ({e})", True
            except urllib.error.URLError as e:
                if isinstance(e.reason, TimeoutError | socket.timeout):
                    last, timed_out = f"no answer within timeout_s={self.settings.timeout_s}", True
                elif isinstance(e.reason, ConnectionError | OSError):
                    last, timed_out = f"cannot connect: {e.reason}", False
                else:
                    raise LLMConnectionError(f"{self.name}: {url}: {e.reason}") from e
            except ConnectionError as e:
                last, timed_out = f"connection failed: {e}", False
            if attempt < attempts:
                time.sleep(delay)
                delay *= 2
        cls = LLMTimeoutError if timed_out else LLMConnectionError
        raise cls(f"{self.name}: {url} failed after {attempts} attempt(s): {last}")


@register_llm("openai", "http", "https", description="OpenAI-compatible chat-completions endpoint")
def open_openai(selector: str, location: str = "", settings: LLMSettings | None = None) -> LLM:
    """Open an endpoint (the registry's factory)."""
    return OpenAICompatLLM(selector, settings or LLMSettings())
