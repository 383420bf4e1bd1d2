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


@pytest.mark.parametrize("writers", [1, 2, 3, 5])
@pytest.mark.parametrize("same_nodes", [False, True])
def test_the_schedule_covers_every_block_once_and_lanes_of_a_round_share_no_part(
    writers: int, same_nodes: bool
) -> None:
    from kg.stores.neo4j import _schedule

    parts, rounds = _schedule(writers, same_nodes)
    blocks = [b for r in rounds for b in r]
    assert sorted(blocks) == [(i, j) for i in range(parts) for j in range(parts)]
    for lanes in rounds:
        assert set(lanes.values()) == set(range(writers))  # every lane has work in every round
        for lane in range(writers):
            mine = [b for b, k in lanes.items() if k == lane]
            theirs = [b for b, k in lanes.items() if k != lane]
            if same_nodes:  # one label: a part is a set of nodes at either end
                assert not {p for b in mine for p in b} & {p for b in theirs for p in b}
            else:  # subjects and objects are different nodes
                assert not {s for s, _ in mine} & {s for s, _ in theirs}
                assert not {o for _, o in mine} & {o for _, o in theirs}


@pytest.mark.parametrize("same_nodes", [False, True])
def test_batches_in_flight_at_once_never_share_an_endpoint(same_nodes: bool) -> None:
    """The relationship push's batches, written by three lanes, each touching
    dense nodes: no node is in two batches at the same time, and every row is
    written once."""
    from kg.stores.neo4j import _Tally, _write_scheduled

    subjects = [f"s{i}" for i in range(40)]
    objects = subjects if same_nodes else [f"o{i}" for i in range(12)]  # few objects: dense nodes
    rows = sorted(((s, o, *range(8)) for s in subjects for o in objects[:9]), key=lambda r: r[0])
    handles = ({s: f"h:{s}" for s in subjects}, {o: f"h:{o}" for o in objects})
    busy: set[str] = set()
    lock = threading.Lock()
    clashes: list[set[str]] = []
    written: list[tuple[str, str]] = []

    def write(query: str, params: dict[str, Any], retry: str | None) -> None:
        nodes = {n for s, group in params["g"] for n in (s, *(r[0] for r in group))}
        with lock:
            if nodes & busy:
                clashes.append(nodes & busy)
            busy.update(nodes)
        time.sleep(0.002)
        with lock:
            busy.difference_update(nodes)
            written.extend((s, r[0]) for s, group in params["g"] for r in group)

    out = _Writes(write, 3)
    tally = _Tally(0, lambda _n: None)
    try:
        _write_scheduled(out, rows, "create", "merge", handles=handles, batch_size=7, tally=tally,
                         same_nodes=same_nodes)
    finally:
        out.close()
    assert clashes == []
    assert sorted(written) == sorted((f"h:{r[0]}", f"h:{r[1]}") for r in rows)
    assert tally.done == len(rows)
