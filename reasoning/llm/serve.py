"""A small OpenAI-compatible HTTP server around any :class:`~reasoning.llm.base.LLM`.

It serves ``POST /v1/chat/completions`` (with ``response_format`` carrying a
JSON schema) and ``GET /v1/models`` on a loopback address, so that a model
loaded in one process can be used by others (``medkg llm serve``) and so that
the tests exercise the real HTTP client against a real server and model.

For tests it can inject faults: :meth:`LLMServer.fail_next` answers the next
requests with an HTTP error, and :attr:`LLMServer.delay_s` sleeps before
answering (to provoke client timeouts).

Example:
    >>> from kg.llm import Completion
    >>> from reasoning.llm.base import LLM, Reply
    >>> from kg.settings import LLMSettings
    >>> class Shout(LLM):
    ...     def _generate(self, messages, schema, max_tokens, temperature):
    ...         return Reply(messages[-1]["content"].upper(), 3, 1)
    >>> with LLMServer(Shout("shout", LLMSettings(cache=False))) as srv:
    ...     client = open_llm(srv.selector("shout"), LLMSettings(cache=False))
    ...     client.complete([{"role": "user", "content": "hi"}]).text
    'HI'
"""

from __future__ import annotations

import ipaddress
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from kg.errors import ConfigError, LLMOutputError, MedKGError
from reasoning.llm.base import LLM, open_llm  # noqa: F401  (open_llm: used in the example)


def check_loopback(host: str) -> None:
    """Refuse an address other machines could reach (the server has no authentication).

    Example:
        >>> check_loopback("127.0.0.1")
        >>> check_loopback("0.0.0.0")
        Traceback (most recent call last):
        ...
        kg.errors.ConfigError: refusing to serve the model on 0.0.0.0: it would be reachable from other machines
    """
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        raise ConfigError(f"refusing to serve the model on {host}: it would be reachable from other machines")


class LLMServer:
    """Serve ``llm`` on ``host:port`` (port 0 picks a free one) in a background thread.

    Attributes:
        requests: chat-completion requests received (including failed ones).
        delay_s: seconds to sleep before answering each request.
    """

    def __init__(self, llm: LLM, host: str = "127.0.0.1", port: int = 0, *, allow_non_loopback: bool = False) -> None:
        if not allow_non_loopback:
            check_loopback(host)
        self.llm = llm
        self.requests = 0
        self.delay_s = 0.0
        self._failures: list[int] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((host, port), _handler(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT/v1``."""
        return f"http://{self._httpd.server_address[0]}:{self.port}/v1"

    def selector(self, model: str) -> str:
        """The selector a client opens: ``openai://HOST:PORT/v1?model=MODEL``."""
        return f"openai://{self._httpd.server_address[0]}:{self.port}/v1?model={model}"

    def fail_next(self, count: int = 1, status: int = 500) -> None:
        """Answer the next ``count`` chat requests with HTTP ``status``."""
        with self._lock:
            self._failures.extend([status] * count)

    def _take_failure(self) -> int | None:
        with self._lock:
            self.requests += 1
            return self._failures.pop(0) if self._failures else None

    def start(self) -> LLMServer:
        """Start serving in a daemon thread."""
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="medkg-llm-serve", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted."""
        self._httpd.serve_forever()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> LLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _handler(server: LLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
            pass

        def _send(self, status: int, obj: Any) -> None:
            body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (e.g. its timeout); nothing to answer

        def _error(self, status: int, message: str) -> None:
            self._send(status, {"error": {"message": message, "type": "medkg_error", "code": status}})

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if self.path.rstrip("/") == "/v1/models":
                self._send(200, {"object": "list", "data": [{"id": server.llm.name, "object": "model"}]})
            else:
                self._error(404, f"no such path: {self.path}")

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._error(404, f"no such path: {self.path}")
                return
            failure = server._take_failure()
            if server.delay_s:
                time.sleep(server.delay_s)
            if failure is not None:
                self._error(failure, f"injected failure (HTTP {failure})")
                return
            try:
                req = json.loads(raw.decode("utf-8"))
                schema = _schema_of(req.get("response_format"))
                messages = req["messages"]
                max_tokens = int(req.get("max_tokens") or 256)
                temperature = float(req.get("temperature") or 0.0)
            except (ValueError, KeyError, TypeError, AttributeError) as e:
                self._error(400, f"bad request: {e!r}")
                return
            try:
                done = server.llm.complete(messages, schema=schema, max_tokens=max_tokens, temperature=temperature)
                text = done.text
                usage = (done.prompt_tokens, done.completion_tokens)
            except LLMOutputError as e:
                text, usage = e.text, (0, 0)  # like a server whose constraint failed: the client validates
            except ConfigError as e:
                self._error(400, str(e))
                return
            except MedKGError as e:
                self._error(500, str(e))
                return
            self._send(200, {
                "id": f"medkg-{server.requests}", "object": "chat.completion", "created": int(time.time()),
                "model": req.get("model", server.llm.name),
                "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}],
                "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)},
            })

    return Handler


def _schema_of(response_format: Any) -> dict[str, Any] | None:
    """The JSON schema in an OpenAI ``response_format`` (``json_schema`` or ``json_object``), or None."""
    if not response_format:
        return None
    kind = response_format.get("type")
    if kind == "json_schema":
        return dict(response_format["json_schema"]["schema"])
    if kind == "json_object":
        return dict(response_format.get("schema") or {"type": "object"})
    if kind == "text":
        return None
    raise ValueError(f"unsupported response_format type {kind!r}")
