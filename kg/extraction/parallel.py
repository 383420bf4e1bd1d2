"""Extraction over a stream of documents by several worker processes, with
the results in input order.

:func:`extract_one` is what is done to each input (the
:class:`~kg.extraction.readers.Document` and
:class:`~kg.extraction.readers.Problem` objects of
:func:`~kg.extraction.readers.read_documents`): a document is extracted, an
input that cannot be read comes back as a ``Problem`` to report, and the
stream goes on. :class:`ExtractionPool` does it with ``workers`` processes;
:func:`extract_many` is the one-call form.

On Linux the workers are forked from the calling process, so they share the
loaded recogniser (copy-on-write) instead of building it again; elsewhere
each worker builds its own from ``build``, a picklable callable. Documents go
to the workers in batches, and only a few batches are in flight at a time, so
memory stays bounded however long the stream is. A text file too big to send
whole is read by the worker (:class:`~kg.extraction.readers.FileChunks`); a
document that only this process can read (text on standard input) is
extracted here, in its place in the order.

Example:
    >>> from kg.extraction import Recognizer
    >>> from kg.extraction.readers import Document, Problem
    >>> r = Recognizer.from_concepts([("HP:0000545", "phenotype", "Myopia", [])])
    >>> docs = [Document("a", ["Myopia."], "a.txt"), Problem("b.txt", "empty document (0 bytes)"),
    ...         Document("c", ["  "], "c.txt"), Document("d", ["No myopia."], "d.txt")]
    >>> for x in extract_many(docs, r, workers=2):
    ...     print(x if isinstance(x, Problem) else (x.doc_id, [(m.id, m.assertion) for m in x.entities]))
    ('a', [('HP:0000545', 'present')])
    b.txt: empty document (0 bytes)
    c.txt: empty document (no text to extract from)
    ('d', [('HP:0000545', 'absent')])
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import TYPE_CHECKING, Any, Union

from kg.errors import ConfigError, ExtractionWorkerError, InputError
from kg.extraction.readers import Document, FileChunks, Problem
from kg.extraction.types import ExtractedDocument

if TYPE_CHECKING:
    from kg.extraction.recognizer import Recognizer

Result = Union[ExtractedDocument, Problem]
"""What each input becomes: its extraction, or the reason it was skipped."""

BATCH_DOCUMENTS = 64
"""Documents sent to a worker at a time (a batch takes tens of milliseconds,
so the cost of passing it between processes is small)."""
BATCH_CHARACTERS = 1 << 20
"""A batch is also closed at this much text, so big documents go alone."""
BATCHES_IN_FLIGHT = 3
"""Batches per worker submitted ahead of the one being read back."""
STOP_GRACE_SECONDS = 3.0
"""How long :meth:`ExtractionPool.terminate` lets the workers finish the batches in hand."""


def extract_one(recognizer: Recognizer, item: Document | Problem) -> Result:
    """Extract one input of :func:`~kg.extraction.readers.read_documents`.

    Returns:
        The extracted document, or a :class:`Problem` naming the input and why
        it was skipped (a ``Problem`` given is returned as it is; a document
        that turns out empty, binary or not UTF-8 becomes one).
    """
    if isinstance(item, Problem):
        return item
    try:
        return recognizer.extract_chunks(item.chunks, item.doc_id)
    except InputError as e:
        return Problem(item.source, str(e).removeprefix(f"{e.path}: "))


def available_cpus() -> int:
    """The CPUs this process may run on.

    Example:
        >>> available_cpus() >= 1
        True
    """
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def resolve_workers(workers: int) -> int:
    """The number of worker processes for ``workers`` (0: one per available CPU).

    Example:
        >>> resolve_workers(3), resolve_workers(0) == available_cpus()
        (3, True)

    Raises:
        ConfigError: a negative number.
    """
    if workers < 0:
        raise ConfigError(f"the number of workers must be 0 (all CPUs) or more, not {workers}")
    return workers or available_cpus()


def default_start_method() -> str:
    """``fork`` on Linux (workers share the loaded recogniser), else ``spawn``."""
    return "fork" if sys.platform.startswith("linux") else "spawn"


class ExtractionPool:
    """Worker processes that extract documents, results in input order.

    Used as a context manager: the workers start on creation (start it before
    any thread of your own, such as a progress display), are shut down at the
    end of the ``with`` block, and are terminated at once if the block is left
    by an exception (Ctrl-C included). With ``workers=1`` everything runs in
    this process.

    Args:
        recognizer: the recogniser (the workers' copy, when forked).
        workers: worker processes; 0 for one per available CPU.
        build: a picklable callable returning the recogniser, which each
            worker calls when the start method is not ``fork``.
        start_method: a multiprocessing start method [default:
            :func:`default_start_method`].
        batch_documents: documents per batch sent to a worker.

    Raises:
        ConfigError: a negative ``workers``, or no ``build`` for a start method
            other than ``fork``.
        ExtractionWorkerError: a worker could not be started (its recogniser
            could not be built).
    """

    def __init__(
        self,
        recognizer: Recognizer,
        workers: int = 1,
        *,
        build: Callable[[], Recognizer] | None = None,
        start_method: str | None = None,
        batch_documents: int = BATCH_DOCUMENTS,
    ) -> None:
        self.recognizer = recognizer
        self.workers = resolve_workers(workers)
        self.batch_documents = max(1, batch_documents)
        self._executor: ProcessPoolExecutor | None = None
        if self.workers == 1:
            return
        method = start_method or default_start_method()
        if method == "fork":
            init, arg = _use, recognizer
        elif build is None:
            raise ConfigError(f"extraction workers started by {method!r} need build=, a callable that makes the recogniser")
        else:
            init, arg = _build, build
        gc.freeze()  # the loaded objects stay out of the workers' garbage collection: their pages stay shared
        try:
            self._executor = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context(method), initializer=init, initargs=(arg,)
            )
            for f in [self._executor.submit(os.getpid) for _ in range(self.workers)]:
                self._result(f)
        except BaseException:
            self.terminate()
            raise
        finally:
            gc.unfreeze()

    def map(self, items: Iterable[Document | Problem]) -> Iterator[Result]:
        """:func:`extract_one` of each input, in input order.

        Raises:
            ExtractionWorkerError: a worker process died (killed, out of memory, crashed).
        """
        if self._executor is None:
            for item in items:
                yield extract_one(self.recognizer, item)
            return
        pending: deque[Future[list[Result]]] = deque()
        ahead = BATCHES_IN_FLIGHT * self.workers
        for batch in _batches(items, self.batch_documents):
            if isinstance(batch, Document):  # read only here: in its place in the order
                while pending:
                    yield from self._result(pending.popleft())
                yield extract_one(self.recognizer, batch)
                continue
            pending.append(self._executor.submit(_extract_batch, batch))
            if len(pending) > ahead:
                yield from self._result(pending.popleft())
        while pending:
            yield from self._result(pending.popleft())

    def _result(self, future: Future[Any]) -> Any:
        try:
            return future.result()
        except BrokenProcessPool as e:
            raise ExtractionWorkerError(
                "an extraction worker process stopped unexpectedly (killed, out of memory or crashed); "
                "the output is incomplete"
            ) from e

    def close(self) -> None:
        """Let the workers finish and stop them."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    def terminate(self) -> None:
        """Stop the workers now, dropping the work not yet started.

        The batches already handed to a worker are let finish (for at most
        :data:`STOP_GRACE_SECONDS`): a worker killed while it writes a result
        would leave half a message, which the executor's thread, joined at
        interpreter exit, would wait on for ever. A worker still busy after
        that is killed, and the pool's own end of the result pipe is closed so
        that the thread reads the end of the stream instead.
        """
        ex, self._executor = self._executor, None
        if ex is None:
            return
        processes = list((getattr(ex, "_processes", None) or {}).values())
        results = getattr(ex, "_result_queue", None)
        ex.shutdown(wait=False, cancel_futures=True)
        busy = _running(processes, STOP_GRACE_SECONDS)
        for p in busy:
            p.terminate()
        writer = getattr(results, "_writer", None)
        if not _running(busy, 5) and writer is not None:
            writer.close()

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc_type is None:
            self.close()
        else:
            self.terminate()


def _running(processes: list[Any], timeout: float) -> list[Any]:
    """The processes still running after waiting up to ``timeout`` seconds for
    them to end (by their sentinels: the executor's thread may reap them first,
    and ``is_alive`` then reports a reaped process as running)."""
    deadline = time.monotonic() + timeout
    running = list(processes)
    while running and (left := deadline - time.monotonic()) > 0:
        ended = set(multiprocessing.connection.wait([p.sentinel for p in running], left))
        running = [p for p in running if p.sentinel not in ended]
    return running


def extract_many(
    items: Iterable[Document | Problem],
    recognizer: Recognizer,
    workers: int = 1,
    *,
    build: Callable[[], Recognizer] | None = None,
    start_method: str | None = None,
) -> Iterator[Result]:
    """:func:`extract_one` of each input by ``workers`` processes, in input order
    (see :class:`ExtractionPool`; the workers start at the first ``next``)."""
    with ExtractionPool(recognizer, workers, build=build, start_method=start_method) as pool:
        yield from pool.map(items)


def _batches(items: Iterable[Document | Problem], size: int) -> Iterator[list[Document | Problem] | Document]:
    """Lists of inputs to send to a worker; a document only this process can
    read (its chunks come from a stream) on its own."""
    batch: list[Document | Problem] = []
    chars = 0
    for item in items:
        if isinstance(item, Document) and not isinstance(item.chunks, (list, tuple, FileChunks)):
            if batch:
                yield batch
                batch, chars = [], 0
            yield item
            continue
        batch.append(item)
        if isinstance(item, Document) and not isinstance(item.chunks, FileChunks):
            chars += sum(map(len, item.chunks))
        if len(batch) >= size or chars >= BATCH_CHARACTERS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


_recognizer: Recognizer | None = None
"""A worker's recogniser."""


def _use(recognizer: Recognizer) -> None:
    """Worker start (fork): the recogniser inherited from the parent; Ctrl-C is the parent's to handle."""
    global _recognizer
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _recognizer = recognizer


def _build(build: Callable[[], Recognizer]) -> None:
    """Worker start (spawn): build the recogniser."""
    _use(build())


def _extract_batch(batch: list[Document | Problem]) -> list[Result]:
    assert _recognizer is not None, "extraction worker without a recogniser"
    return [extract_one(_recognizer, item) for item in batch]
