"""Sentences and lines of an article: the one splitter the geoparser, the claims and the views share.

Nothing here changes the text: every span is ``(start, end)`` into the original string.

>>> sentences("He left Mosul. Then he went to Raqqa!")
[(0, 14), (15, 37)]
>>> sentences("U.S. forces left. Gen. Smith stayed.")
[(0, 17), (18, 36)]
"""

from __future__ import annotations

import bisect
import re

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st mt ft gen lt col capt sgt maj cpl pvt adm rev prof sen rep gov jr sr no vs etc inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k e.g i.e a.m p.m approx est dept univ ave rd blvd".split()
)
_SENT_END_RE = re.compile(r"[.!?…؟]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9\u0600-\u06FF])|\n\s*\n|\n|\r")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: split at . ! ? before a capital (not after common abbreviations) and at line breaks.

    Line breaks may be LF, CRLF or a lone CR (text as given); spans never include the break.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENT_END_RE.finditer(text):
        cut = m.end()
        if m.group().startswith("."):
            before = text[pos : m.start()].rsplit(None, 1)
            last = before[-1].lower().rstrip(".") if before else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
        _push(text, pos, cut, spans)
        pos = cut
    _push(text, pos, len(text), spans)
    return spans


def _push(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


def lines(text: str) -> list[tuple[int, int]]:
    """Spans of the non-empty lines of ``text`` (without the line break)."""
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        if stripped.strip():
            out.append((pos, pos + len(stripped)))
        pos += len(line)
    return out


def sentence_index(spans: list[tuple[int, int]], pos: int) -> int:
    """Index of the sentence span holding ``pos`` (the one before it when ``pos`` falls between two); -1 if none."""
    return bisect.bisect_right(spans, (pos, float("inf"))) - 1
