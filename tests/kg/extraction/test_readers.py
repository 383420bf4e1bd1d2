"""Input documents: formats, bad input (reported with file, line or byte offset), big files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.extraction import Recognizer
from kg.extraction.readers import Document, Problem, read_documents, read_pubtator, text_chunks
from kg.extraction.text import sentences


def docs(items: list) -> list[Document]:
    return [d for d in items if isinstance(d, Document)]


def problems(items: list) -> list[str]:
    return [str(p) for p in items if isinstance(p, Problem)]


def test_text_files_and_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "case-1.txt").write_text("Fever.", encoding="utf-8")
    (tmp_path / "a" / "case-2.md").write_text("Cough.", encoding="utf-8")
    (tmp_path / "a" / ".hidden").write_text("x", encoding="utf-8")
    got = list(read_documents([str(tmp_path / "a")]))
    assert [(d.doc_id, d.text) for d in docs(got)] == [("case-1.txt", "Fever."), ("case-2.md", "Cough.")]


def test_doc_ids_are_paths_below_the_folder_given_and_never_shared(tmp_path: Path) -> None:
    # the old ids were file stems: all three of these were "a"
    for rel in ("x/a.txt", "y/a.txt", "a.md"):
        (tmp_path / "in" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "in" / rel).write_text(f"Text of {rel}.", encoding="utf-8")
    got = list(read_documents([str(tmp_path / "in")]))
    assert [(d.doc_id, d.text) for d in docs(got)] == [
        ("a.md", "Text of a.md."), ("x/a.txt", "Text of x/a.txt."), ("y/a.txt", "Text of y/a.txt.")]
    # files given by themselves: their paths below their common folder, so two of one name stay two
    x, y = tmp_path / "in" / "x" / "a.txt", tmp_path / "in" / "y" / "a.txt"
    got = list(read_documents([str(x), str(y)]))
    assert [(d.doc_id, d.source) for d in docs(got)] == [("x/a.txt", str(x)), ("y/a.txt", str(y))]
    assert problems(got) == []
    assert [d.doc_id for d in docs(list(read_documents([str(x)])))] == ["a.txt"]  # one file: its name
    # ... and so do two folders with a file of one name
    got = list(read_documents([str(tmp_path / "in" / "x"), str(tmp_path / "in" / "y")]))
    assert [d.doc_id for d in docs(got)] == ["x/a.txt", "y/a.txt"]
    # one file given twice: read once, with a note (not an error)
    got = list(read_documents([str(x), str(tmp_path / "in" / "x" / ".." / "x" / "a.txt")]))
    assert [d.doc_id for d in docs(got)] == ["a.txt"]
    assert problems(got) == [f"{tmp_path / 'in' / 'x' / '..' / 'x' / 'a.txt'}: doc_id 'a.txt' repeats the document "
                             f"read from {x} (same text): read once"]
    assert [p.repeat for p in got if isinstance(p, Problem)] == [True]
    # a PMID repeated in PubTator input: the same record is read once (the NCBI-disease training
    # set repeats one), another record with a taken id is an error
    (tmp_path / "p.txt").write_bytes(b"1|t|One.\n\n1|t|One.\n\n1|t|Again.\n")
    got = list(read_documents([str(tmp_path / "p.txt")], "pubtator"))
    assert [d.text for d in docs(got)] == ["One."]
    assert problems(got) == [f"{tmp_path / 'p.txt'}: doc_id '1' repeats the document read from {tmp_path / 'p.txt'} "
                             "(same text): read once",
                             f"{tmp_path / 'p.txt'}: doc_id '1' is already the id of another document (read from "
                             f"{tmp_path / 'p.txt'}): this one was skipped"]
    assert [p.repeat for p in got if isinstance(p, Problem)] == [True, False]


def test_bad_text_inputs_are_reported_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n ")
    (tmp_path / "latin1.txt").write_bytes("Fièvre".encode("latin-1"))
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "ok.txt").write_text("Fever.", encoding="utf-8")
    got = list(read_documents([str(tmp_path / n) for n in
                               ("empty.txt", "blank.txt", "latin1.txt", "image.png", "ok.txt", "missing.txt")]))
    assert [d.doc_id for d in docs(got)] == ["ok.txt"]
    msgs = problems(got)
    assert f"{tmp_path / 'empty.txt'}: empty document (0 bytes)" in msgs
    assert f"{tmp_path / 'blank.txt'}: empty document (only whitespace)" in msgs
    assert f"{tmp_path / 'latin1.txt'}: not UTF-8 text (byte 0xe8 at offset 2)" in msgs
    assert f"{tmp_path / 'image.png'}: binary file (NUL byte at offset 8)" in msgs
    assert f"{tmp_path / 'missing.txt'}: no such file or folder" in msgs


def test_size_limit(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("Fever. " * 100, encoding="utf-8")
    (msg,) = problems(list(read_documents([str(tmp_path / "big.txt")], max_bytes=500)))
    assert "700 bytes is over the limit of 500 bytes" in msg


def test_decode_error_offset_in_a_later_chunk() -> None:
    data = b"Fever. " * 50 + b"caf\xe9 " + b"ok. " * 10
    with pytest.raises(InputError, match=r"byte 0xe9 at offset 353"):
        list(text_chunks(io.BytesIO(data), "x.txt", chunk_bytes=64))
    # a multi-byte character split across two reads is fine
    text = "Fièvre. " * 40
    assert "".join(text_chunks(io.BytesIO(text.encode()), "y", chunk_bytes=7)) == text


def test_pubtator_reader_and_broken_line() -> None:
    data = (
        b"1|t|Lithium toxicity.\n1|a|Tremor was seen.\n1\t0\t7\tLithium\tChemical\tD008094\n"
        b"1\tCID\tD008094\tD014202\n\n"
        b"2|t|Second.\n2|a|Broken.\n2\tthis is not a mention line\n\n"
        b"3|t|Third.\n3|a|\n"
    )
    got = list(read_pubtator(io.BytesIO(data), "c.txt"))
    d = docs(got)
    assert [(x.doc_id, x.text) for x in d] == [("1", "Lithium toxicity. Tremor was seen."), ("3", "Third.")]
    assert d[0].annotations == [(0, 7, "Lithium", "Chemical", "D008094")]
    assert d[0].gold_relations == [("CID", "D008094", "D014202")]
    assert problems(got) == ["c.txt, line 8: not a PubTator mention or relation line: '2\\tthis is not a mention line'"]


def test_jsonl_reader(tmp_path: Path) -> None:
    p = tmp_path / "in.jsonl"
    p.write_bytes(b'{"doc_id": "a", "text": "Fever."}\n{"id": 7, "text": "Cough."}\n'
                  b'{"text": "No id."}\nnot json\n{"doc_id": "e", "text": ""}\n[1]\n')
    got = list(read_documents([str(p)], "jsonl"))
    assert [(d.doc_id, d.text) for d in docs(got)] == [("a", "Fever."), ("7", "Cough."), ("in.jsonl:3", "No id.")]
    msgs = problems(got)
    assert len(msgs) == 3 and msgs[0].startswith(f"{p}, line 4: invalid JSON")
    assert msgs[1] == f"{p}, line 5: document e: empty text"


@pytest.mark.slow
def test_five_megabyte_document_in_bounded_memory(tmp_path: Path) -> None:
    rec = Recognizer.from_concepts([("HP:0002321", "phenotype", "Vertigo", []),
                                    ("HP:0001945", "phenotype", "Fever", [])], relations=None)
    para = "The patient reported vertigo and no fever. " * 20 + "\n"
    path = tmp_path / "big.txt"
    n = (5 << 20) // len(para)
    path.write_text(para * n, encoding="utf-8")
    (doc,) = docs(list(read_documents([str(path)])))
    sizes: list[int] = []
    seen_before: list[int] = []

    def watched():
        for c in doc.chunks:
            seen_before.append(len(sizes))
            sizes.append(len(c))
            yield c

    out = rec.extract_chunks(watched(), doc.doc_id)
    assert len(out.entities) == 40 * n
    assert out.entities[-1].end == len(para) * n - len(". \n") and out.entities[-1].assertion == "absent"
    # the text is read and processed one chunk (about 1 MB) at a time, never joined
    assert len(sizes) >= 5 and max(sizes) <= (2 << 20)
    assert sum(sizes) == len(para) * n


def test_a_byte_order_mark_is_kept_and_offsets_count_it(tmp_path: Path) -> None:
    rec = Recognizer.from_concepts([("HP:0002321", "phenotype", "Vertigo", [])], relations=None)
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfVertigo. No vertigo.")
    (doc,) = docs(list(read_documents([str(path)])))
    text = path.read_text(encoding="utf-8")  # what Python reads: the BOM is the first character
    assert doc.text == text and text[0] == "\ufeff"
    out = rec.extract_chunks(doc.chunks, doc.doc_id)
    assert [(m.start, m.end, text[m.start : m.end], m.assertion) for m in out.entities] == [
        (1, 8, "Vertigo", "present"), (13, 20, "vertigo", "absent")]
    assert [text[a:b] for a, b in sentences(text)] == ["Vertigo.", "No vertigo."]  # no sentence starts with it
    # in pieces (a big file) too
    assert "".join(text_chunks(io.BytesIO(path.read_bytes()), "x", chunk_bytes=5)) == text
    # a BOM alone is an empty document; PubTator and JSON lines drop it from their first line
    (tmp_path / "only.txt").write_bytes(b"\xef\xbb\xbf \n")
    assert problems(list(read_documents([str(tmp_path / "only.txt")]))) == [
        f"{tmp_path / 'only.txt'}: empty document (only whitespace)"]
    (tmp_path / "p.txt").write_bytes(b"\xef\xbb\xbf7|t|Vertigo.\n7\t0\t7\tVertigo\tDisease\tD1\n")
    assert [(d.doc_id, d.annotations) for d in docs(list(read_documents([str(tmp_path / "p.txt")], "pubtator")))] == [
        ("7", [(0, 7, "Vertigo", "Disease", "D1")])]
    (tmp_path / "j.jsonl").write_bytes(b'\xef\xbb\xbf{"doc_id": "j", "text": "Vertigo."}\n')
    assert [d.doc_id for d in docs(list(read_documents([str(tmp_path / "j.jsonl")], "jsonl")))] == ["j"]


def test_hidden_folders_backups_and_empty_folders(tmp_path: Path) -> None:
    root = tmp_path / "notes"
    for rel in ("a.txt", ".git/HEAD", ".git/objects/x", "sub/.cache/b.txt", "a.txt~", "#a.txt#", ".a.txt.swp",
                "a.swp", "sub/c.md"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("Fever.", encoding="utf-8")
    got = list(read_documents([str(root)]))
    assert [d.doc_id for d in docs(got)] == ["a.txt", "sub/c.md"] and problems(got) == []
    # a backup named by itself is read: it was asked for
    assert [d.doc_id for d in docs(list(read_documents([str(root / "a.txt~")])))] == ["a.txt~"]
    # a folder with nothing to read is an error naming it
    (tmp_path / "empty" / ".git").mkdir(parents=True)
    (tmp_path / "empty" / ".git" / "HEAD").write_text("x", encoding="utf-8")
    assert problems(list(read_documents([str(tmp_path / "empty")]))) == [
        f"{tmp_path / 'empty'}: no documents in this folder (hidden files and folders and editor backups are skipped)"]


def test_limits_must_be_positive(tmp_path: Path) -> None:
    from kg.errors import ConfigError

    with pytest.raises(ConfigError, match="must be positive, not -5"):
        list(read_documents([str(tmp_path)], max_bytes=-5))


def test_a_text_file_read_as_pubtator_names_the_file_line_and_problem() -> None:
    got = list(read_pubtator(io.BytesIO(b"Hello world.\nSecond line.\n"), "notes.txt"))
    assert problems(got) == ["notes.txt, line 1: not PubTator: expected a title line 'PMID|t|title', got 'Hello world.'"]
    got = list(read_pubtator(io.BytesIO(b"1|t|T.\n2\t0\t1\tT\tDisease\tD1\n"), "c.txt"))
    assert problems(got) == ["c.txt, line 2: expected a line of document '1' (or a blank line before the next "
                             "document), got '2\\t0\\t1\\tT\\tDisease\\tD1'"]
