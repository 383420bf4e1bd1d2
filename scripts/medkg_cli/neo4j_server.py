"""Start and stop the Neo4j test server of ``scripts/neo4j/`` from Python.

Used by the tests and the benchmarks (one place that knows how the launcher
is called). The launcher lives in the source checkout; an installed wheel has
no launcher and gets a clear error.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import StoreConnectionError

LAUNCHER = Path(__file__).resolve().parents[1] / "neo4j" / "neo4j-server.sh"
TOOLS = ("java", "javac", "mvn")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def missing_tools() -> list[str]:
    """The tools the launcher needs that are not on PATH."""
    return [t for t in TOOLS if shutil.which(t) is None]


def run_launcher(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run ``neo4j-server.sh ARGS`` and return the finished process."""
    if not LAUNCHER.is_file():
        raise StoreConnectionError(f"Neo4j launcher not found at {LAUNCHER} (a source checkout is needed)")
    return subprocess.run(
        ["bash", str(LAUNCHER), *args], capture_output=True, text=True, timeout=timeout, check=False
    )


@contextmanager
def running_server(data: Path, password: str, start_timeout: float = 900) -> Iterator[str]:
    """Start a server with its data in ``data``; yield its bolt URI; stop it on exit.

    Raises:
        StoreConnectionError: the server did not start (the log tail is in the message).
    """
    # The first start may download Neo4j's jars from Maven Central: allow for it.
    res = run_launcher(
        "start", "--port", str(free_port()), "--data", str(data), "--password", password,
        timeout=start_timeout,
    )
    if res.returncode != 0:
        raise StoreConnectionError(f"neo4j-server.sh start failed ({res.returncode}):\n{res.stderr[-4000:]}")
    try:
        yield res.stdout.strip()
    finally:
        run_launcher("stop", "--data", str(data), timeout=120)
