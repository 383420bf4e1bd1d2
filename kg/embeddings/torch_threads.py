"""PyTorch work spread over Python threads whose operations each run on one thread.

Short mentions make small matrices, and PyTorch's OpenMP threads meet at a
barrier after every operation: on a shared machine one descheduled thread
stalls the others at each of those barriers. Linking 1,000 HPO synonyms under
load ~4 took 2.4 s of wall time with two OpenMP threads and 0.52 s with two
Python threads that each ran their own share of the mentions with one-thread
operations (the work itself is the same). :func:`map_one_thread_ops` runs such
independent shares: PyTorch's thread count, which is process-wide, is set to 1
for the call and restored after it; calls are serialised by a lock, so two
callers never undo each other's setting.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_LOCK = threading.Lock()
_POOLS: dict[int, ThreadPoolExecutor] = {}
_PREFIX = "medkg-torch"


def map_one_thread_ops(fn: Callable[[T], R], items: Sequence[T], threads: int) -> list[R]:
    """``[fn(item) for item in items]`` in ``threads`` Python threads, with one-thread PyTorch operations.

    Each call of ``fn`` runs under ``torch.inference_mode()``. With ``threads`` < 2, a
    single item, or a call from inside ``fn`` (nested), everything runs in the calling thread.
    An exception raised by ``fn`` reaches the caller (the thread count is restored first).

    Example:
        >>> import torch
        >>> before = torch.get_num_threads()
        >>> map_one_thread_ops(lambda n: int(torch.ones(n).sum()), [3, 4, 5], 2)
        [3, 4, 5]
        >>> torch.get_num_threads() == before
        True
    """
    import torch

    def run(item: T) -> R:
        with torch.inference_mode():
            return fn(item)

    if threads < 2 or len(items) < 2 or threading.current_thread().name.startswith(_PREFIX):
        return [run(item) for item in items]  # (called from one of the pool's threads: inline, no deadlock)
    with _LOCK:
        pool = _POOLS.get(threads)
        if pool is None:
            pool = _POOLS[threads] = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=_PREFIX)
        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return list(pool.map(run, items))
        finally:
            torch.set_num_threads(before)


__all__ = ["map_one_thread_ops"]
