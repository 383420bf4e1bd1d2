"""kg.embeddings.torch_threads: shares of torch work in Python threads of one-thread operations."""

from __future__ import annotations

import threading

import pytest

torch = pytest.importorskip("torch")

from kg.embeddings.torch_threads import map_one_thread_ops  # noqa: E402


def test_results_in_order_ops_one_threaded_inside_and_the_count_restored() -> None:
    before = torch.get_num_threads()
    seen: list[tuple[int, bool]] = []

    def work(n: int) -> int:
        seen.append((torch.get_num_threads(), torch.is_inference_mode_enabled()))
        return int(torch.arange(n).sum())

    assert map_one_thread_ops(work, [3, 10, 100, 7], 2) == [3, 45, 4950, 21]
    assert torch.get_num_threads() == before
    assert set(seen) == {(1, True)}


def test_a_nested_call_runs_inline_instead_of_deadlocking() -> None:
    def outer(n: int) -> list[int]:
        return map_one_thread_ops(lambda m: m * n, [1, 2, 3], 2)

    done: list[object] = []
    t = threading.Thread(target=lambda: done.append(map_one_thread_ops(outer, [1, 2], 2)), daemon=True)
    t.start()
    t.join(timeout=30)
    assert done == [[[1, 2, 3], [2, 4, 6]]]


def test_an_exception_reaches_the_caller_and_the_thread_count_is_restored() -> None:
    before = torch.get_num_threads()

    def fail(n: int) -> int:
        if n == 2:
            raise ValueError("bad share 2")
        return n

    with pytest.raises(ValueError, match="bad share 2"):
        map_one_thread_ops(fail, [1, 2, 3], 2)
    assert torch.get_num_threads() == before
