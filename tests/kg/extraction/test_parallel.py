"""Parallel extraction: the same results as one process, in input order, with
bad inputs reported in their place, bounded reading ahead, and a clear error
when a worker dies."""

from __future__ import annotations

import io
import itertools
import os
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from kg.errors import ConfigError, ExtractionWorkerError
from kg.extraction import Recognizer
from kg.extraction.parallel import ExtractionPool, extract_many, resolve_workers
from kg.extraction.readers import Document, Problem, read_documents, text_chunks

SENTENCES = [
    "Marfan syndrome presents with arachnodactyly.",
    "She denies vertigo.",
    "Losartan is used to treat Marfan syndrome.",
    "Metformin-induced vertigo was seen.",
    "No myopia. Her mother had myopia.",
    "Nothing of note today.",
]


def corpus(n: int) -> list[Document]:
    """``n`` small documents, each a different mix of the sentences."""
    return [Document(f"d{i}", [" ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(1 + i % 4))], "mem")
            for i in range(n)]


def as_output(results: Iterable[Any]) -> list[Any]:
    """What the CLI would write or report for each result."""
    return [str(x) if isinstance(x, Problem) else x.as_json() for x in results]


def test_two_workers_give_the_one_worker_output_in_order(recognizer: Recognizer) -> None:
    docs = corpus(300)
    one = as_output(extract_many(docs, recognizer, workers=1))
    with ExtractionPool(recognizer, 2, batch_documents=7) as pool:  # many batches, so order is tested
        two = as_output(pool.map(docs))
    assert two == one
    assert [d["doc_id"] for d in two] == [f"d{i}" for i in range(300)]
    assert sum(len(d["entities"]) for d in one) > 300 and any(d["relations"] for d in one)


def test_bad_inputs_in_the_middle_are_reported_in_their_place(recognizer: Recognizer, tmp_path: Path) -> None:
    (tmp_path / "latin1.txt").write_bytes("Myopie très forte. ".encode("latin-1") * 10)
    (tmp_path / "nul.txt").write_bytes(b"Myopia.\x00\x01")
    (tmp_path / "big.txt").write_text("Marfan syndrome. " * 100, encoding="utf-8")
    files = [str(tmp_path / n) for n in ("latin1.txt", "nul.txt", "big.txt")]
    good = corpus(40)
    inputs: list[Document | Problem] = [
        *good[:10],
        Problem("gone.txt", "no such file or folder"),
        *good[10:20],
        Document("blank", ["   \n  "], "blank.txt"),
        *good[20:30],
        # chunk_bytes=64: the worker reads the files itself (FileChunks), as for big files
        *read_documents(files, chunk_bytes=64),
        *good[30:],
    ]
    one = as_output(extract_many(inputs, recognizer, workers=1))
    two = as_output(extract_many(inputs, recognizer, workers=2))
    assert two == one
    problems = [x for x in two if isinstance(x, str)]
    assert problems == [
        "gone.txt: no such file or folder",
        "blank.txt: empty document (no text to extract from)",
        f"{files[0]}: not UTF-8 text (byte 0xe8 at offset 9)",
        f"{files[1]}: binary file (NUL byte at offset 7)",
    ]
    assert [x["doc_id"] for x in two if isinstance(x, dict)] == [d.doc_id for d in good[:30]] + ["big.txt"] + [
        d.doc_id for d in good[30:]]
    big = next(x for x in two if isinstance(x, dict) and x["doc_id"] == "big.txt")
    assert len(big["entities"]) == 100 and big["entities"][-1]["start"] == 99 * 17


def test_a_stream_document_is_extracted_here_in_its_place(recognizer: Recognizer) -> None:
    stream = Document("stdin", text_chunks(io.BytesIO(b"No myopia. Marfan syndrome."), "<stdin>"), "<stdin>")
    docs = corpus(20)
    got = as_output(extract_many([*docs[:10], stream, *docs[10:]], recognizer, workers=2))
    assert [d["doc_id"] for d in got] == [d.doc_id for d in docs[:10]] + ["stdin"] + [d.doc_id for d in docs[10:]]
    assert [(e["id"], e["assertion"]) for e in got[10]["entities"]] == [("HP:0000545", "absent"), ("DOID:14323", "present")]


def test_an_endless_stream_is_read_only_a_little_ahead(recognizer: Recognizer) -> None:
    read = itertools.count()

    def endless() -> Iterator[Document]:
        for i in read:
            yield Document(f"d{i}", [SENTENCES[i % len(SENTENCES)]], "mem")

    results = extract_many(endless(), recognizer, workers=2)
    first = [x.doc_id for x in itertools.islice(results, 50)]  # type: ignore[union-attr]
    results.close()  # stops the workers
    assert first == [f"d{i}" for i in range(50)]
    assert next(read) <= 64 * (3 * 2 + 2)  # the batches in flight, not the stream


class _Crashing(Recognizer):
    def extract_chunks(self, chunks: Iterable[str], doc_id: str | None = None) -> Any:
        if doc_id == "d25":
            os._exit(3)  # a worker dying as if killed
        return super().extract_chunks(chunks, doc_id)


def test_a_dead_worker_is_a_clear_error_not_a_hang(recognizer: Recognizer) -> None:
    crashing = _Crashing(recognizer.dictionary)
    with pytest.raises(ExtractionWorkerError, match="worker process stopped unexpectedly"):
        list(extract_many(corpus(100), crashing, workers=2))


def test_workers_built_in_each_process_without_fork(recognizer: Recognizer, fixture_kg: Path) -> None:
    docs = corpus(30)
    build = partial(Recognizer.from_bundle, fixture_kg, cache_dir=False)
    got = as_output(extract_many(docs, recognizer, workers=2, build=build, start_method="spawn"))
    assert got == as_output(extract_many(docs, recognizer, workers=1))


def test_worker_settings_are_checked(recognizer: Recognizer) -> None:
    assert resolve_workers(0) >= 1
    with pytest.raises(ConfigError, match="0 \\(all CPUs\\) or more"):
        ExtractionPool(recognizer, -1)
    with pytest.raises(ConfigError, match="need build="):
        ExtractionPool(recognizer, 2, start_method="spawn")


def _ended(pid: int, wait: float = 5.0) -> bool:
    """Whether a process is gone or a zombie (the pool's thread may reap it any moment), within ``wait`` s."""
    import time

    deadline = time.monotonic() + wait
    while True:
        try:
            if ") Z " in Path(f"/proc/{pid}/stat").read_text():
                return True
        except (FileNotFoundError, ProcessLookupError):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


class _Slow:
    """A recogniser that takes far longer than the stop grace period."""

    def extract_chunks(self, chunks: Any, doc_id: str | None = None) -> Any:
        import time

        time.sleep(60)


def test_terminate_stops_busy_workers_and_the_pool_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from kg.extraction import parallel

    monkeypatch.setattr(parallel, "STOP_GRACE_SECONDS", 0.3)
    pool = ExtractionPool(_Slow(), 2)  # type: ignore[arg-type]
    ex = pool._executor
    assert ex is not None
    processes = list(ex._processes.values())  # type: ignore[union-attr]
    futures = [ex.submit(parallel._extract_batch, [Document(f"d{i}", ["text"], "mem")]) for i in range(4)]
    time.sleep(0.5)  # both workers are in the middle of a batch
    thread = ex._executor_manager_thread  # joined at interpreter exit: it must end, not wait for ever
    assert thread is not None
    t0 = time.monotonic()
    pool.terminate()
    assert time.monotonic() - t0 < 10
    assert all(_ended(p.pid) for p in processes)
    thread.join(10)
    assert not thread.is_alive()
    assert all(f.done() for f in futures)
