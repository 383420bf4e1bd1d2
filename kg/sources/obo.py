"""A small, fast parser for OBO 1.2/1.4 ontology files (HPO, Disease Ontology).

Example:
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.obo"
    >>> _ = p.write_text('data-version: v1\\n\\n[Term]\\nid: HP:1\\nname: A\\n'
    ...                  'synonym: "a thing" EXACT []\\nis_a: HP:0 ! root\\n')
    >>> header, terms = parse_obo(p, "demo")
    >>> header["data-version"], terms[0].id, terms[0].synonyms, terms[0].is_a
    ('v1', 'HP:1', ['a thing'], ['HP:0'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import SourceFormatError
from kg.sources._io import iter_lines

_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"\s*(.*)$')


@dataclass(slots=True)
class OboTerm:
    """One ``[Term]`` stanza."""

    id: str
    line: int
    name: str | None = None
    definition: str | None = None
    synonyms: list[str] = field(default_factory=list)
    synonym_scopes: list[str] = field(default_factory=list)
    xrefs: list[str] = field(default_factory=list)
    is_a: list[str] = field(default_factory=list)
    alt_ids: list[str] = field(default_factory=list)
    replaced_by: list[str] = field(default_factory=list)
    consider: list[str] = field(default_factory=list)
    obsolete: bool = False


def _unquote(value: str) -> tuple[str, str]:
    m = _QUOTED.match(value)
    if not m:
        return value, ""
    return m.group(1).replace('\\"', '"').replace("\\\\", "\\"), m.group(2)


def parse_obo(path: Path, source: str) -> tuple[dict[str, str], list[OboTerm]]:
    """Parse an OBO file into its header tags and its ``[Term]`` stanzas.

    Raises:
        SourceFileMissing: no such file.
        SourceFormatError: a tag line without ``:``, a stanza without ``id``,
            a file with no terms, or bytes that are not UTF-8.
    """
    header: dict[str, str] = {}
    terms: list[OboTerm] = []
    cur: OboTerm | None = None
    in_term = False
    in_header = True
    stanza_line = 0
    for n, line in iter_lines(path, source):
        s = line.strip()
        if not s or s.startswith("!"):
            continue
        if s.startswith("["):
            in_header = False
            if in_term and cur is None:
                raise SourceFormatError(path, stanza_line, "[Term] stanza without an id")
            in_term = s == "[Term]"
            cur = None
            stanza_line = n
            continue
        tag, sep, value = s.partition(":")
        if not sep:
            raise SourceFormatError(path, n, f"expected 'tag: value', got {s[:60]!r}")
        value = value.strip()
        if in_header:
            header.setdefault(tag, value)
            continue
        if not in_term:
            continue
        if tag == "id":
            cur = OboTerm(id=value, line=n)
            terms.append(cur)
            continue
        if cur is None:
            raise SourceFormatError(path, n, f"tag {tag!r} before the stanza's id")
        if " !" in value and tag in ("is_a", "replaced_by", "consider", "alt_id"):
            value = value.split(" !", 1)[0].strip()
        if tag == "name":
            cur.name = value
        elif tag == "def":
            cur.definition = _unquote(value)[0]
        elif tag == "synonym":
            text, rest = _unquote(value)
            cur.synonyms.append(text.strip())
            cur.synonym_scopes.append(rest.split(" ", 1)[0] if rest else "")
        elif tag == "xref":
            cur.xrefs.append(value.split(" ", 1)[0])
        elif tag == "is_a":
            cur.is_a.append(value.split(" ", 1)[0])
        elif tag == "alt_id":
            cur.alt_ids.append(value)
        elif tag == "replaced_by":
            cur.replaced_by.append(value)
        elif tag == "consider":
            cur.consider.append(value)
        elif tag == "is_obsolete":
            cur.obsolete = value == "true"
    if in_term and cur is None:
        raise SourceFormatError(path, stanza_line, "[Term] stanza without an id")
    if not terms:
        raise SourceFormatError(path, None, "no [Term] stanzas: not an OBO ontology")
    return header, terms
