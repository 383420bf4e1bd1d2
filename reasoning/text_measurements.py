"""Growth measurements stated in clinical text, read as the phenotypes they define.

A genetics letter often gives a finding only as a measurement: ``OFC 44 cm (<0.4th centile)``,
``Height 98.2 cm (-2.8 SD)``, ``OFC < 3rd centile``. A head circumference (``OFC``, ``HC``,
``head circumference``) or a height (``height``, ``length``, ``stature``) with a centile or a
standard-deviation score is read as HPO's definition of the finding (two SD from the mean, about
the 2nd or 98th centile):

* at or below -2 SD, below the 3rd centile (``<3rd``, ``2nd``, ``0.4th``): *Microcephaly*
  (HP:0000252) or *Short stature* (HP:0004322);
* at or above +2 SD, above the 97th centile (``>97th``, ``98th``, ``>99.6th``): *Macrocephaly*
  (HP:0000256) or *Tall stature* (HP:0000098).

An SD score without a sign is read by the words after it (``2.5 SD below the mean``); with
none, it is not read. A comparison before a score bounds it (``> -2 SD`` is no short stature).
A measurement of someone else (``mid-parental height``, ``mother's OFC``, ``Father: height
-2.5 SD``), a length of something else than the body (``palpebral fissure length``, ``femur
length``), and a range (``within \u00b12 SD``, ``between -1 and -2 SD``) are not read; nor is a
value between those bounds (``3rd centile``, ``-1.5 SD``).

Example:
    >>> text = "OFC 44 cm (<0.4th centile), height -2.8 SD."
    >>> [(t, text[a:b]) for t, a, b in measured_findings(text)]
    [('HP:0000252', 'OFC 44 cm (<0.4th centile'), ('HP:0004322', 'height -2.8 SD')]
"""

from __future__ import annotations

import re

from kg.extraction.context import KIN_FAMILIAR, KIN_NUCLEAR

FINDINGS = {("head", "low"): "HP:0000252", ("head", "high"): "HP:0000256",
            ("height", "low"): "HP:0004322", ("height", "high"): "HP:0000098"}
"""The phenotype of each measure below or above its bounds."""
_MEASURE = re.compile(
    r"\b(?:(?P<head>OFC|HC|FOC|head\s+circumference|head\s+circ\.?)|(?P<height>height|length|stature|Ht))\b"
    r"(?P<between>(?:[^.;\n]|\.(?=[0-9])){0,40}?)"
    r"(?:(?P<cmp>[<>\u2264\u2265]|below|above|under|over|less\s+than|greater\s+than)\s*(?:the\s+)?)?"
    r"(?:(?P<centile>[0-9]{1,2}(?:\.[0-9]+)?)(?:st|nd|rd|th)?\s*(?:centile|percentile|%ile|pctl|cent)\b"
    r"|(?<![0-9.])(?P<sd>[-+\u2212\u2013]?\s?[0-9](?:\.[0-9]+)?)\s*(?:SDS?|SD\s+score|z)\b)",
    re.IGNORECASE)
"""A head circumference or a height, up to 40 characters (no sentence end) before its centile or
SD score, with its comparison."""
_SOMEONE_ELSE = re.compile(
    rf"\b(?:mid-?parental|parental|target|maternal|paternal|(?:{KIN_NUCLEAR}|{'|'.join(KIN_FAMILIAR)})s?)\b"
    r"[^.;\n]{0,25}$", re.IGNORECASE)
"""Words before a measure that make it someone else's (``Mid-parental height``, ``Father: height``,
``Mom's OFC``): a parent, child or sibling (:data:`~kg.extraction.context.KIN_NUCLEAR`, in everyday
words too, :data:`~kg.extraction.context.KIN_FAMILIAR`)."""
_LOW = frozenset({"<", "\u2264", "below", "under", "less than"})
"""The comparisons that bound a value from above (``< 3rd centile``, ``less than -2 SD``)."""
_SIGNS = "+-\u2212\u2013"
_SPACE = re.compile(r"\s")
_DIRECTION_AFTER = re.compile(
    r"\s*(?:(?P<below>below|under|beneath|less\s+than)|above|over|greater\s+than|more\s+than)\b", re.IGNORECASE)
"""The words after an SD score without a sign that give its direction (``2.5 SD below the mean``)."""
_RANGE = re.compile(r"\b(?:within|between)\b|\u00b1|\+/-", re.IGNORECASE)
"""Words before a score that make it a range's bound (``within \u00b12 SD``, ``between -1 and -2 SD``)."""
_LATER_MEASURE = re.compile(r"\b(?:OFC|HC|head|height|length|weight|BMI)\b", re.IGNORECASE)
"""A measure between a measure and its value: the value is the later one's."""
_WORD_BEFORE = re.compile(r"(?<![\w-])(?P<w>[^\W\d_][\w-]*)[ \t]+$")
_BODY_LENGTH = frozenset("birth body supine recumbent crown-heel standing current his her their the and a with".split())
"""The words that may stand right before ``length`` when it is the body's (``birth length``); any
other word names another length (``palpebral fissure length``, ``femur length``)."""


def _side(text: str, m: re.Match[str]) -> str | None:
    """``low``, ``high`` or ``None`` for a measure's value.

    Example:
        >>> [_side(t, _MEASURE.search(t)) for t in ("OFC 3 SD below mean", "Height > -2 SD", "Height 2.5 SD")]
        ['low', None, None]
    """
    cmp = " ".join((m.group("cmp") or "").lower().split())
    if _RANGE.search(m.group("between")):
        return None
    if (raw := m.group("sd")) is not None:
        z = float(_SPACE.sub("", raw).replace("\u2212", "-").replace("\u2013", "-"))
        if raw[0] not in _SIGNS:  # ``2.5 SD below the mean``
            d = _DIRECTION_AFTER.match(text, m.end())
            if d is None:
                return None
            z = -z if d.group("below") else z
        low_cmp = cmp in _LOW
        return "low" if z <= -2 and (low_cmp or not cmp) else "high" if z >= 2 and not low_cmp else None
    c = float(m.group("centile"))
    if cmp in _LOW:
        return "low" if c <= 3 else None
    if cmp:
        return "high" if c >= 97 else None
    return "low" if c < 3 else "high" if c > 97 else None


def measured_findings(text: str) -> list[tuple[str, int, int]]:
    """The phenotypes the text's growth measurements define (see the module's rules): ``(id,
    start, end)`` of each, in text order."""
    out: list[tuple[str, int, int]] = []
    for m in _MEASURE.finditer(text):
        if _SOMEONE_ELSE.search(text, max(0, m.start() - 40), m.start()):
            continue
        if _LATER_MEASURE.search(m.group("between")):
            continue  # the value belongs to a later measure (``OFC 47 cm, height 2nd centile``)
        if m.group("height") and m.group("height").lower() == "length" and (
                w := _WORD_BEFORE.search(text, max(0, m.start() - 30), m.start())) and (
                w.group("w").lower() not in _BODY_LENGTH):
            continue  # ``palpebral fissure length``: not the body's
        side = _side(text, m)
        if side is not None:
            out.append((FINDINGS[("head" if m.group("head") else "height", side)], m.start(), m.end()))
    return out
