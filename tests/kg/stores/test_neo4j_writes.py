"""The concurrent batch writer of the Neo4j push (no server needed: the write is a plain function)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from kg.stores.neo4j import _Writes


@pytest.mark.parametrize("writers", [1, 3])
def test_every_batch_is_written_and_acknowledged_in_order(writers: int) -> None:
    written: list[str] = []
    lock = threading.Lock()

    def write(query: str, params: dict[str, Any], retry: str | None) -> None:
        time.sleep(0.001 * (params["i"] % 3))  # finish out of order
        with lock:
            written.append(query)

    acked: list[int] = []
    out = _Writes(write, writers)
    try:
        for i in range(20):
            out.submit(f"q{i}", {"i": i}, "merge", lambda _result, i=i: acked.append(i))
        out.drain()
    finally:
        out.close()
    assert sorted(written) == sorted(f"q{i}" for i in range(20))
    assert acked == list(range(20))


def test_a_failed_batch_is_raised_and_nothing_more_starts() -> None:
    started: list[int] = []

    def write(query: str, params: dict[str, Any], retry: str | None) -> None:
        started.append(params["i"])
        if params["i"] == 2:
            raise RuntimeError("batch 2 failed")
        time.sleep(0.01)

    out = _Writes(write, 2)
    with pytest.raises(RuntimeError, match="batch 2 failed"):
        try:
            for i in range(50):
                out.submit("q", {"i": i}, "merge", lambda _result: None)
            out.drain()
        finally:
            out.close()
    assert len(started) < 10  # at most writers + 1 batches pending when it surfaced


def test_a_relationship_endpoint_outside_the_push_is_an_error_naming_it() -> None:
    from kg.errors import StoreError
    from kg.stores.neo4j import _groups

    rows = [("A", "x", *range(8)), ("A", "gone", *range(8))]
    with pytest.raises(StoreError, match="'gone'"):
        _groups(rows, ({"A": "4:db:1"}, {"x": "4:db:7"}))
