"""The OpenAI-compatible client against a real HTTP server on 127.0.0.1 serving the tiny model.

The server (:mod:`reasoning.llm.serve`) runs in a thread of the test process
around the already loaded model; it can answer with an HTTP error or sleep,
which is how retries and timeouts are exercised. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import socket

import pytest

from kg.errors import ConfigError, LLMConnectionError, LLMRequestError, LLMTimeoutError, RemoteLLMRefused
from kg.grounding import keep_known_ids
from kg.settings import LLMSettings
from medkg_cli.main import main
from reasoning.llm import open_llm
from reasoning.llm.rerank import Candidate, CaseSummary, rerank
from tests.reasoning.llm.conftest import settings_in

HELLO = [{"role": "user", "content": "Say hello."}]
IDS_SCHEMA = {
    "type": "object",
    "properties": {"ids": {"type": "array", "items": {"type": "string", "maxLength": 12}, "maxItems": 3}},
    "required": ["ids"],
    "additionalProperties": False,
}


def client(server, tmp_path, **changes):  # noqa: ANN001, ANN003, ANN201
    return open_llm(server.selector("smollm2"), settings_in(tmp_path, cache=False, **changes))


# --- privacy: no network needed, nothing is sent ----------------------------------


@pytest.mark.parametrize(
    "selector",
    ["openai://example.org:8000/v1?model=m", "https://api.example.org/v1?model=m", "openai://10.0.0.5:80/v1?model=m"],
)
def test_remote_endpoints_are_refused_without_allow_remote(selector: str) -> None:
    with pytest.raises(RemoteLLMRefused, match="allow_remote") as e:
        open_llm(selector)
    assert "--allow-remote" in str(e.value)
    assert open_llm(selector, LLMSettings(allow_remote=True)).local is False  # allowed: opened, nothing sent


@pytest.mark.parametrize("selector", ["openai://localhost:1/v1?model=m", "openai://[::1]:1/v1?model=m"])
def test_loopback_endpoints_are_local(selector: str) -> None:
    assert open_llm(selector).local


def test_cli_refusal_names_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["llm", "ask", "--llm", "https://api.example.org/v1?model=m", "hi"]) == 1
    assert "--allow-remote" in capsys.readouterr().err


def test_serve_refuses_a_non_loopback_address(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["llm", "serve", "--llm", "transformers:smollm2", "--host", "0.0.0.0"]) == 2
    assert "reachable from other machines" in capsys.readouterr().err


def test_selector_without_model_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"\?model=NAME"):
        open_llm("openai://127.0.0.1:8000/v1")


def test_unreachable_endpoint_fails_after_retries(tmp_path) -> None:  # noqa: ANN001
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    m = open_llm(f"openai://127.0.0.1:{port}/v1?model=m", settings_in(tmp_path, retries=1))
    with pytest.raises(LLMConnectionError, match="failed after 2 attempt"):
        m.complete(HELLO)


# --- against the real server and model ----------------------------------------------


@pytest.mark.slow
def test_a_completion_comes_back_over_http(smol_server, tmp_path) -> None:  # noqa: ANN001
    m = client(smol_server, tmp_path)
    done = m.complete(HELLO, max_tokens=3)
    assert done.text.strip() and 1 <= done.completion_tokens <= 3 and done.prompt_tokens > 5
    assert smol_server.requests == 1


@pytest.mark.slow
def test_schema_output_over_http_parses_and_grounding_drops_an_invented_id(smol_server, tmp_path) -> None:  # noqa: ANN001
    m = client(smol_server, tmp_path)
    ask = 'Copy this JSON exactly: {"ids": ["HP:0001166", "HP:9999999"]}'
    done = m.complete([{"role": "user", "content": ask}], schema=IDS_SCHEMA, max_tokens=40)
    assert m.constrains_schema  # the server accepted response_format
    grounded = keep_known_ids([{"id": i} for i in done.data["ids"]], {"HP:0001166", "HP:0001083"})
    assert all(it["id"] in {"HP:0001166", "HP:0001083"} for it in grounded.kept)
    assert grounded.dropped.get("unknown_id", 0) >= 1, f"the model answered {done.text!r}"
    assert done.completion_tokens > 0 and m.usage.failures == 0


@pytest.mark.slow
def test_rerank_over_http_returns_the_same_ids(smol_server, tmp_path) -> None:  # noqa: ANN001
    """rerank() through the server: the narrowed schema travels in response_format."""
    m = client(smol_server, tmp_path)
    case = CaseSummary(present=[("HP:0001166", "Arachnodactyly")], excluded=[("HP:0001250", "Seizure")])
    cands = [Candidate("OMIM:154700", "Marfan syndrome", 3.2, "matches: Arachnodactyly (exact)"),
             Candidate("OMIM:121050", "Contractural arachnodactyly", 2.9, "matches: Arachnodactyly (exact)")]
    r = rerank(case, cands, m, max_tokens=200)
    assert sorted(r.order) == sorted(c.id for c in cands)  # the same ids, never one more
    assert set(r.explanations) <= {c.id for c in cands} and r.ranked_by_model == len(r.explanations)
    assert r.usage.completion_tokens > 0 and r.prompt == "differential_rerank@1" and r.total_dropped == 0


@pytest.mark.slow
def test_a_500_is_retried(smol_server, tmp_path) -> None:  # noqa: ANN001
    smol_server.fail_next(1, status=500)
    done = client(smol_server, tmp_path, retries=2).complete(HELLO, max_tokens=2)
    assert done.text and smol_server.requests == 2


@pytest.mark.slow  # loads the model (session fixture)
def test_persistent_500s_end_in_a_clear_error(smol_server, tmp_path) -> None:  # noqa: ANN001
    smol_server.fail_next(3, status=503)
    with pytest.raises(LLMConnectionError, match=r"failed after 3 attempt\(s\): HTTP 503"):
        client(smol_server, tmp_path, retries=2).complete(HELLO, max_tokens=2)
    assert smol_server.requests == 3


@pytest.mark.slow  # loads the model (session fixture)
def test_a_4xx_is_not_retried(smol_server, tmp_path) -> None:  # noqa: ANN001
    smol_server.fail_next(1, status=401)
    with pytest.raises(LLMRequestError, match="HTTP 401"):
        client(smol_server, tmp_path, retries=2).complete(HELLO, max_tokens=2)
    assert smol_server.requests == 1


@pytest.mark.slow  # loads the model (session fixture)
def test_a_slow_server_times_out(smol_server, tmp_path) -> None:  # noqa: ANN001
    smol_server.delay_s = 1.0
    smol_server.fail_next(2, status=503)  # what it answers after the client gave up; the model is not run
    with pytest.raises(LLMTimeoutError, match="timeout_s=0.2"):
        client(smol_server, tmp_path, retries=1, timeout_s=0.2).complete(HELLO, max_tokens=2)


@pytest.mark.slow
def test_cli_ask_prints_answer_and_usage(smol_server, capsys: pytest.CaptureFixture[str], tmp_path) -> None:  # noqa: ANN001
    schema = tmp_path / "schema.json"
    schema.write_text('{"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"], '
                      '"additionalProperties": false}')
    argv = ["llm", "ask", "--llm", smol_server.selector("smollm2"), "--no-cache", "--max-tokens", "12",
            "--schema", str(schema), "Is the sky blue? Answer in JSON."]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    import json

    assert isinstance(json.loads(out)["ok"], bool)
    assert "1 LLM call (0 from cache)" in err and "completion tokens" in err


class _LooseServer:
    """An OpenAI-compatible endpoint on 127.0.0.1 that takes ``response_format`` but answers a fixed
    text whatever the schema says (as servers without grammar support do): the client must not
    rely on the schema being enforced."""

    def __init__(self, answer: str) -> None:
        import http.server
        import json
        import threading

        requests: list[dict] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                requests.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                body = json.dumps({"choices": [{"message": {"content": answer}}],
                                   "usage": {"prompt_tokens": 10, "completion_tokens": 5}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.requests = requests
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.selector = f"openai://127.0.0.1:{self.httpd.server_address[1]}/v1?model=loose"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_rerank_survives_a_server_that_does_not_enforce_the_schema(tmp_path) -> None:  # noqa: ANN001
    """An invented id (and a stray space) from a server that ignores the schema is dropped by
    grounding; it does not fail the whole differential."""
    import json

    answer = {"ranking": [{"id": "OMIM:121050 ", "explanation": "fits"}, {"id": "OMIM:999999", "explanation": "?"},
                          {"id": "OMIM:154700", "explanation": "also"}]}
    server = _LooseServer(json.dumps(answer))
    try:
        m = open_llm(server.selector, settings_in(tmp_path, cache=False))
        case = CaseSummary(present=[("HP:0001166", "Arachnodactyly")])
        cands = [Candidate("OMIM:154700", "Marfan syndrome", 3.2), Candidate("OMIM:121050", "CCA", 2.9)]
        r = rerank(case, cands, m, max_tokens=100)
    finally:
        server.close()
    assert m.constrains_schema and len(server.requests) == 1  # no repair round: the answer was valid
    assert r.order == ["OMIM:121050", "OMIM:154700"] and r.dropped == {"not_a_candidate": 1}
    sent = server.requests[0]["response_format"]["json_schema"]["schema"]
    assert sent["properties"]["ranking"]["items"]["properties"]["id"]["enum"] == ["OMIM:154700", "OMIM:121050"]
