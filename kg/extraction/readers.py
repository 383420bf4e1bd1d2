"""Input documents for extraction: plain text files, PubTator files and JSON
lines, from files, folders or standard input.

Every reader yields :class:`Document` objects and, for inputs it cannot use,
:class:`Problem` objects (the caller reports them and goes on): empty
documents, binary or non-UTF-8 files (named with the byte offset), broken
PubTator or JSON lines (named with the line), documents over the size limit.
Text files larger than ``chunk_bytes`` are read and decoded in chunks cut at
line or sentence ends, so a large file is processed in bounded memory.

Example:
    >>> import io
    >>> src = io.BytesIO(b"1|t|Fever.\\n1|a|No cough.\\n1\\t0\\t5\\tFever\\tDisease\\tD005334\\n\\n")
    >>> [(d.doc_id, d.text) for d in read_pubtator(src, "x.txt")]
    [('1', 'Fever. No cough.')]
"""

from __future__ import annotations

import hashlib
import codecs
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

InputFormat = Literal["text", "pubtator", "jsonl"]
INPUT_FORMATS: tuple[InputFormat, ...] = ("text", "pubtator", "jsonl")
CHUNK_BYTES = 1 << 20
MAX_DOCUMENT_BYTES = 64 << 20
BOM = "\ufeff"
"""The byte-order mark as a character: kept in a text document (offsets count
it), dropped from the first line of a PubTator or JSON-lines file (their
offsets are into the title and abstract, or the ``text`` field)."""


@dataclass(slots=True)
class Document:
    """One document to extract from.

    Attributes:
        doc_id: its id: a text file's path below the folder given (``x/a.txt``;
            files given by themselves: below their common folder, so one file is
            its name), ``stdin``, a PMID, a JSON line's ``doc_id``, ...
        chunks: its text in pieces cut at sentence or line ends; offsets of
            later pieces continue those of earlier ones.
        source: where it was read (a path, ``-`` for stdin).
        annotations: gold mentions ``(start, end, text, type, id)`` from a
            PubTator file (used by benchmarks).
        gold_relations: gold relations ``(type, id1, id2)`` from a PubTator file.
    """

    doc_id: str
    chunks: Iterable[str]
    source: str
    annotations: list[tuple[int, int, str, str, str]] = field(default_factory=list)
    gold_relations: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The whole text (joins the chunks: use :attr:`chunks` for big files)."""
        if not isinstance(self.chunks, list):
            self.chunks = list(self.chunks)
        return "".join(self.chunks)


@dataclass(frozen=True, slots=True)
class Problem:
    """An input that was skipped, and why."""

    source: str
    message: str
    line: int | None = None
    repeat: bool = False
    """An identical repeat of a document already read (read once): a note, not an error."""

    def __str__(self) -> str:
        where = f"{self.source}, line {self.line}" if self.line is not None else self.source
        return f"{where}: {self.message}"


def _decode_error(e: UnicodeDecodeError, consumed: int) -> str:
    bad = e.object[e.start : e.start + 1]
    return f"not UTF-8 text (byte 0x{bad.hex()} at offset {consumed + e.start})"


_CUTS = ("\n\n", ".\n", ". ", "? ", "! ", "\n")
"""Where a chunk is best cut, best first: a paragraph break, a line that ends
a sentence, a sentence end, any line break (last: a hard-wrapped line may go
on, ``Marfan\\nsyndrome``)."""


def _cut(text: str) -> int:
    """Where to cut a chunk: after the best separator of :data:`_CUTS` in the
    second half of the text (so what is carried over stays shorter than what
    was read), else after the last one anywhere, else at the end.

    Example:
        >>> t = "One.\\n\\nTwo has Marfan\\nsyndrome. Three"
        >>> t[:_cut(t)], t[:_cut(t[:20])]
        ('One.\\n\\nTwo has Marfan\\nsyndrome. ', 'One.\\n\\n')
    """
    half = len(text) // 2
    for sep in _CUTS:
        i = text.rfind(sep, half)
        if i >= 0:
            return i + len(sep)
    for sep in _CUTS:
        i = text.rfind(sep)
        if i > 0:
            return i + len(sep)
    return len(text)


def text_chunks(fh: BinaryIO, source: str, chunk_bytes: int = CHUNK_BYTES) -> Iterator[str]:
    """Decode a UTF-8 byte stream chunk by chunk, each cut at a line or sentence end.

    A byte-order mark is kept, as the character U+FEFF: offsets count it, as
    in the text Python reads with ``open(path, encoding="utf-8")``.

    Raises:
        InputError: a byte sequence that is not UTF-8, or a NUL byte (binary file),
            naming the byte offset.
    """
    from kg.errors import InputError

    dec = codecs.getincrementaldecoder("utf-8")()
    consumed = 0
    carry = ""
    while True:
        raw = fh.read(chunk_bytes)
        nul = raw.find(b"\x00")
        if nul >= 0:
            raise InputError(source, f"binary file (NUL byte at offset {consumed + nul})")
        try:
            text = dec.decode(raw, final=not raw)
        except UnicodeDecodeError as e:
            pending = len(dec.getstate()[0]) if raw else 0
            raise InputError(source, _decode_error(e, consumed - pending)) from None
        consumed += len(raw)
        if not raw:
            if carry:
                yield carry
            return
        text = carry + text
        cut = _cut(text)
        carry = text[cut:]
        if cut:
            yield text[:cut]


@dataclass(frozen=True, slots=True)
class FileChunks:
    """A text file's :func:`text_chunks`, read afresh on each iteration.

    Unlike an open stream it can be pickled, so a worker process reads a big
    file itself (see :mod:`kg.extraction.parallel`).

    Example:
        >>> import pickle, tempfile
        >>> with tempfile.NamedTemporaryFile("wb", suffix=".txt", delete=False) as f:
        ...     _ = f.write(b"One. Two.")
        >>> chunks = pickle.loads(pickle.dumps(FileChunks(Path(f.name), f.name, chunk_bytes=5)))
        >>> list(chunks)
        ['One. ', 'Two.']
        >>> Path(f.name).unlink()
    """

    path: Path
    source: str
    chunk_bytes: int = CHUNK_BYTES

    def __iter__(self) -> Iterator[str]:
        with self.path.open("rb") as fh:
            yield from text_chunks(fh, self.source, self.chunk_bytes)


def read_text(
    path: Path, *, chunk_bytes: int = CHUNK_BYTES, max_bytes: int = MAX_DOCUMENT_BYTES, doc_id: str | None = None
) -> Document | Problem:
    """A text file as one document (``doc_id``: the file's name unless given)."""
    src = str(path)
    doc_id = path.name if doc_id is None else doc_id
    try:
        size = path.stat().st_size
    except OSError as e:
        return Problem(src, f"cannot read: {e.strerror or e}")
    if size == 0:
        return Problem(src, "empty document (0 bytes)")
    if size > max_bytes:
        return Problem(src, f"document of {size:,} bytes is over the limit of {max_bytes:,} bytes (--max-bytes)")

    chunks = FileChunks(path, src, chunk_bytes)
    if size <= chunk_bytes:
        from kg.errors import InputError

        try:
            text = "".join(chunks)
        except InputError as e:
            return Problem(src, str(e).removeprefix(f"{src}: "))
        if not text.lstrip(BOM).strip():
            return Problem(src, "empty document (only whitespace)")
        return Document(doc_id, [text], src)
    return Document(doc_id, chunks, src)


def read_pubtator(fh: BinaryIO | Iterable[bytes], source: str) -> Iterator[Document | Problem]:
    """Documents of a PubTator file: ``PMID|t|title``, ``PMID|a|abstract``, then
    tab-separated mention (``PMID start end text type id``) and relation
    (``PMID type id1 id2``) lines; documents are separated by blank lines.
    The text is the title, a space and the abstract (PubTator offsets).

    A line that fits none of these forms is reported with its number and its
    document skipped.
    """
    doc: dict | None = None
    broken = False

    def flush() -> Iterator[Document | Problem]:
        if doc is not None and not broken:
            text = doc["title"] + (" " + doc["abstract"] if doc["abstract"] else "")
            if not text.strip():
                yield Problem(source, f"document {doc['id']}: empty title and abstract", doc["line"])
            else:
                yield Document(doc["id"], [text], source, doc["ann"], doc["rel"])

    for n, raw in enumerate(fh, 1):
        try:
            line = raw.decode("utf-8").rstrip("\r\n") if isinstance(raw, bytes) else raw.rstrip("\r\n")
            if n == 1:
                line = line.removeprefix(BOM)
        except UnicodeDecodeError as e:
            yield Problem(source, _decode_error(e, 0).replace("offset", "column"), n)
            broken = True
            continue
        if not line.strip():
            yield from flush()
            doc, broken = None, False
            continue
        if broken:
            continue
        head = line.split("|", 2)
        if len(head) == 3 and head[1] in ("t", "a") and "\t" not in head[0]:
            pmid, kind, text = head
            if doc is None:
                doc = {"id": pmid, "title": "", "abstract": "", "ann": [], "rel": [], "line": n}
            elif doc["id"] != pmid:
                yield Problem(source, f"id {pmid!r} inside document {doc['id']!r} (missing blank line?)", n)
                broken = True
                continue
            doc["title" if kind == "t" else "abstract"] = text
            continue
        cols = line.split("\t")
        if doc is None:
            yield Problem(source, f"not PubTator: expected a title line 'PMID|t|title', got {line[:60]!r}", n)
            broken = True
            continue
        if cols[0] != doc["id"]:
            yield Problem(source, f"expected a line of document {doc['id']!r} (or a blank line before the next "
                                  f"document), got {line[:60]!r}", n)
            broken = True
            continue
        if len(cols) >= 6 and cols[1].isdigit() and cols[2].isdigit():
            doc["ann"].append((int(cols[1]), int(cols[2]), cols[3], cols[4], cols[5]))
        elif len(cols) == 4:
            doc["rel"].append((cols[1], cols[2], cols[3]))
        else:
            yield Problem(source, f"not a PubTator mention or relation line: {line[:60]!r}", n)
            broken = True
    yield from flush()


def read_jsonl(fh: Iterable[bytes], source: str, name: str | None = None) -> Iterator[Document | Problem]:
    """Documents of a JSON-lines file: ``{"doc_id": ..., "text": ...}`` per line
    (``id`` is accepted for ``doc_id``; a missing id becomes ``NAME:LINE``,
    ``NAME`` by default the file's name)."""
    name = Path(source).name if name is None else name
    for n, raw in enumerate(fh, 1):
        try:
            line = raw.decode("utf-8")
            if n == 1:
                line = line.removeprefix(BOM)
        except UnicodeDecodeError as e:
            yield Problem(source, _decode_error(e, 0).replace("offset", "column"), n)
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as e:
            yield Problem(source, f"invalid JSON: {e}", n)
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            yield Problem(source, "expected an object with a string 'text'", n)
            continue
        doc_id = obj.get("doc_id", obj.get("id"))
        doc_id = str(doc_id) if doc_id is not None else f"{name}:{n}"
        if not obj["text"].strip():
            yield Problem(source, f"document {doc_id}: empty text", n)
            continue
        yield Document(doc_id, [obj["text"]], source)


def limited(chunks: Iterable[str], max_chars: int, source: str) -> Iterator[str]:
    """Pass chunks through until ``max_chars`` characters, then raise InputError."""
    from kg.errors import InputError

    total = 0
    for c in chunks:
        total += len(c)
        if total > max_chars:
            raise InputError(source, f"document over the limit of {max_chars:,} characters (--max-bytes)")
        yield c


def skipped_in_folder(rel: Path) -> bool:
    """Whether a file found in a folder (``rel``: its path below it) is left
    out: hidden (``.x``, or inside a hidden folder such as ``.git/``) or an
    editor's backup or swap file (``x~``, ``#x#``, ``x.swp``).

    Example:
        >>> [skipped_in_folder(Path(p)) for p in ("a.txt", ".a", ".git/HEAD", "x/a.txt~", "#a.txt#", "a.swp")]
        [False, True, True, True, True, True]
    """
    name = rel.name
    return (any(part.startswith(".") for part in rel.parts) or name.endswith("~")
            or (name.startswith("#") and name.endswith("#")) or rel.suffix in _SWAP_SUFFIXES)


_SWAP_SUFFIXES = frozenset((".swp", ".swo", ".swx"))
"""Vim's swap files."""


def _base(paths: Sequence[str]) -> Path | None:
    """The folder the inputs' document names are relative to: the common folder
    of the folders given and of the folders of the files given (``-`` and paths
    that do not exist left out); ``None`` when there are none.

    Example:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> for f in ("x/a.txt", "x/b.txt", "y/a.txt"):
        ...     (d / f).parent.mkdir(exist_ok=True)
        ...     _ = (d / f).write_text("A.")
        >>> [_base([str(d / f) for f in fs]) == d / "x" for fs in (["x/a.txt"], ["x/a.txt", "x/b.txt"], ["x"])]
        [True, True, True]
        >>> _base([str(d / "x"), str(d / "y/a.txt")]) == d, _base(["-", str(d / "nothing.txt")])
        (True, None)
        >>> import shutil; shutil.rmtree(d)
    """
    bases = [os.path.abspath(p if Path(p).is_dir() else os.path.dirname(os.path.abspath(p)))
             for p in paths if p != "-" and Path(p).exists()]
    return Path(os.path.commonpath(bases)) if bases else None


def _files(paths: Iterable[str]) -> Iterator[tuple[Path | str, str] | Problem]:
    """Each input file and its document name: its path below the common folder of
    the inputs (:func:`_base`; ``/``-separated): for one folder, the path below it;
    for one file, or files of one folder, the name; ``x/a.txt`` and ``y/a.txt``
    stay apart. ``stdin`` for ``-``. A folder without a document to read is a
    :class:`Problem`."""
    paths = list(paths)
    base = _base(paths)
    for p in paths:
        if p == "-":
            yield p, "stdin"
            continue
        path = Path(p)
        if path.is_dir():
            found = sorted((f, r) for f in path.rglob("*")
                           if not skipped_in_folder(r := f.relative_to(path)) and f.is_file())
            if not found:
                yield Problem(str(path), "no documents in this folder (hidden files and folders and editor "
                                         "backups are skipped)")
            above = _below(path, base)
            for f, r in found:
                yield f, (Path(above) / r).as_posix() if above else r.as_posix()
        else:
            yield path, _below(path, base) or path.name


def _below(path: Path, base: Path | None) -> str:
    """``path`` below ``base`` (``/``-separated; ``""`` for ``base`` itself or
    where it is not below ``base``: a path that does not exist)."""
    if base is None:
        return ""
    try:
        rel = Path(os.path.abspath(path)).relative_to(base).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." else rel


def read_documents(
    paths: Iterable[str],
    fmt: InputFormat = "text",
    *,
    chunk_bytes: int = CHUNK_BYTES,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> Iterator[Document | Problem]:
    """Every document of the given files, folders (recursively) or ``-`` (stdin).

    A text file's ``doc_id`` is its path below the folder given (``x/a.txt``);
    for files given by themselves, their path below the common folder of those
    files (one file: its name; ``x/a.txt`` and ``y/a.txt``: those); text on
    stdin is ``stdin``. Two documents never share an id: a later one with the id
    of an earlier one (a PMID twice, a file given twice) is reported and
    skipped, so that evidence always leads back to one document.

    Raises:
        ConfigError: ``max_bytes`` or ``chunk_bytes`` is not positive.
    """
    from kg.errors import ConfigError

    if max_bytes < 1 or chunk_bytes < 1:
        raise ConfigError(f"max_bytes and chunk_bytes must be positive, not {max_bytes} and {chunk_bytes}")
    return _unique(_read(paths, fmt, chunk_bytes, max_bytes), fmt)


def _fingerprint(doc: Document) -> str | None:
    """What tells an identical repeat: a file's resolved path, or the text of a document read
    whole (a PubTator or JSON-lines record); None for standard input."""
    if isinstance(doc.chunks, list):
        return "text:" + hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    if doc.source in ("-", "<stdin>"):
        return None
    return "file:" + str(Path(doc.source).resolve())


def _unique(items: Iterable[Document | Problem], fmt: InputFormat) -> Iterator[Document | Problem]:
    """The items, each document id once: a repeat of a document already read (the same file
    given twice, a record repeated in a corpus) is read once, with a note (:attr:`Problem.repeat`);
    another document with a taken id is a :class:`Problem`."""
    seen: dict[str, tuple[str, str | None]] = {}
    for item in items:
        if isinstance(item, Document):
            first = seen.get(item.doc_id)
            if first is not None:
                mark = _fingerprint(item)
                if mark is not None and mark == first[1]:
                    yield Problem(item.source, f"doc_id {item.doc_id!r} repeats the document read from {first[0]} "
                                               "(same text): read once", repeat=True)
                else:
                    yield Problem(item.source, f"doc_id {item.doc_id!r} is already the id of another document "
                                               f"(read from {first[0]}): this one was skipped")
                continue
            seen[item.doc_id] = (item.source, _fingerprint(item))
        yield item


def _read(paths: Iterable[str], fmt: InputFormat, chunk_bytes: int, max_bytes: int) -> Iterator[Document | Problem]:
    for item in _files(paths):
        if isinstance(item, Problem):
            yield item
            continue
        f, name = item
        if f == "-":
            stdin = sys.stdin.buffer
            if fmt == "text":
                yield Document("stdin", limited(text_chunks(stdin, "<stdin>", chunk_bytes), max_bytes, "<stdin>"), "<stdin>")
            elif fmt == "pubtator":
                yield from read_pubtator(stdin, "<stdin>")
            else:
                yield from read_jsonl(stdin, "<stdin>")
            continue
        assert isinstance(f, Path)
        if not f.exists():
            yield Problem(str(f), "no such file or folder")
            continue
        if fmt == "text":
            yield read_text(f, chunk_bytes=chunk_bytes, max_bytes=max_bytes, doc_id=name)
            continue
        try:
            with f.open("rb") as fh:
                yield from (read_pubtator(fh, str(f)) if fmt == "pubtator" else read_jsonl(fh, str(f), name))
        except OSError as e:
            yield Problem(str(f), f"cannot read: {e.strerror or e}")
