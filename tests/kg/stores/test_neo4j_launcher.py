"""The dev/CI launcher scripts/neo4j/neo4j-server.sh starts a real Neo4j 5.26 Community server.

Starts one server for the module on a free port in a temporary folder (the first run resolves
Neo4j from Maven Central into the local Maven repository, later runs reuse it), then talks to it
with the official ``neo4j`` Python driver.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from medkg_cli.neo4j_server import free_port, missing_tools, run_launcher

pytestmark = pytest.mark.neo4j

PASSWORD = "medkg-test-pw-1"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped) counts as gone.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _processes_mentioning(text: str) -> list[int]:
    """Live pids whose command line contains ``text``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if text in cmdline and _alive(int(entry.name)):
                found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    missing = missing_tools()
    if missing:
        pytest.skip(f"Neo4j launcher needs a JDK 17+ and Maven; not found on PATH: {', '.join(missing)}")
    pytest.importorskip("neo4j", reason="the neo4j Python driver is not installed (pip install neo4j)")

    data = tmp_path_factory.mktemp("neo4j")
    port = free_port()
    # First run may download Neo4j's jars from Maven Central: allow for it.
    res = run_launcher("start", "--port", str(port), "--data", str(data), "--password", PASSWORD, timeout=900)
    if res.returncode != 0:
        pytest.fail(f"neo4j-server.sh start failed ({res.returncode}):\n{res.stderr[-4000:]}")
    pid = int((data / "neo4j.pid").read_text())
    info = {"uri": res.stdout.strip(), "port": port, "data": data, "pid": pid}
    yield info
    run_launcher("stop", "--data", str(data), timeout=120)
    if _alive(pid):  # last resort, so a failed test never leaks a JVM
        os.kill(pid, 9)


@pytest.fixture(scope="module")
def driver(server):
    import neo4j

    drv = neo4j.GraphDatabase.driver(server["uri"], auth=("neo4j", PASSWORD))
    yield drv
    drv.close()


def test_start_prints_bolt_uri_and_status_running(server) -> None:
    assert server["uri"] == f"bolt://127.0.0.1:{server['port']}"
    assert (server["data"] / "neo4j.log").read_text().count("NEO4J_READY") == 1
    res = run_launcher("status", "--data", str(server["data"]), timeout=30)
    assert res.returncode == 0, res.stderr
    assert f"running pid {server['pid']}" in res.stdout


def test_return_1(driver) -> None:
    records, _, _ = driver.execute_query("RETURN 1 AS x")
    assert [r["x"] for r in records] == [1]


def test_write_and_read_node_in_transaction(driver) -> None:
    with driver.session(database="neo4j") as session:
        with session.begin_transaction() as tx:
            tx.run("CREATE (:LauncherTest {name: $name, n: $n})", name="aspirin", n=42).consume()
            # Visible inside the same transaction before commit.
            assert tx.run("MATCH (c:LauncherTest {name: 'aspirin'}) RETURN c.n AS n").single()["n"] == 42
            tx.commit()
        rec = session.execute_read(
            lambda tx: tx.run("MATCH (c:LauncherTest) RETURN c.name AS name, c.n AS n").single()
        )
    assert (rec["name"], rec["n"]) == ("aspirin", 42)


def test_wrong_password_raises_auth_error(server) -> None:
    import neo4j
    from neo4j.exceptions import AuthError

    for wrong in ("not-the-password", "neo4j"):  # nor the factory default
        with neo4j.GraphDatabase.driver(server["uri"], auth=("neo4j", wrong)) as bad:
            with pytest.raises(AuthError):
                bad.verify_connectivity()


def test_stop_leaves_no_process(server, driver) -> None:
    """Runs last (file order): stops the module's server and checks nothing is left."""
    driver.close()
    res = run_launcher("stop", "--data", str(server["data"]), timeout=120)
    assert res.returncode == 0, res.stderr
    deadline = time.monotonic() + 10
    while _alive(server["pid"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(server["pid"])
    assert not (server["data"] / "neo4j.pid").exists()
    assert _processes_mentioning(str(server["data"])) == []
    log = (server["data"] / "neo4j.log").read_text()
    assert "NEO4J_STOPPED" in log
    res = run_launcher("status", "--data", str(server["data"]), timeout=30)
    assert res.returncode != 0 and "not running" in res.stdout
