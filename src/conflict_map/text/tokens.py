"""Tokens, sentences and lines of an article, with exact code-point offsets into the text as given.

Nothing here changes the text: every span is ``(start, end)`` into the original string.

>>> toks = tokenize("Fighting near Al-Qa'im, Iraq's border town.")
>>> [t.text for t in toks]
['Fighting', 'near', 'Al', "Qa'im", 'Iraq', 'border', 'town']
>>> sentences("He left Mosul. Then he went to Raqqa!")
[(0, 14), (15, 37)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Letters (any script) with inner apostrophes/ayin marks; dotted acronyms (U.S., U.K.); St./Mt. abbreviations.
_TOKEN_RE = re.compile(
    r"(?:[A-Z][a-z]?\.){2,}(?![A-Za-z])"
    r"|(?:St|Ste|Ft|Mt|Pt)\.(?=\s+[A-Z])"
    r"|[^\W\d_](?:[^\W\d_]|['’‘ʿʾʼ`](?=[^\W\d_]))*",
)
_POSSESSIVE = ("'s", "’s")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st mt ft gen lt col capt sgt maj cpl pvt adm rev prof sen rep gov jr sr no vs etc inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k e.g i.e a.m p.m approx est dept univ ave rd blvd".split()
)
_SENT_END_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9\u0600-\u06FF])|\n\s*\n|\n|\r")


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the text. ``end`` excludes a trailing possessive ``'s``."""

    start: int
    end: int
    text: str
    cap: bool  # starts with an upper-case letter, or is Arabic script (no case)
    arabic: bool

    @property
    def lower(self) -> str:
        return self.text.lower()


def _is_arabic(s: str) -> bool:
    return "\u0600" <= s[0] <= "\u06ff"


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word tokens of ``text[start:end]`` with offsets into ``text``."""
    out: list[Token] = []
    for m in _TOKEN_RE.finditer(text, start, len(text) if end is None else end):
        s, e = m.span()
        word = m.group()
        if word.endswith(_POSSESSIVE) and len(word) > 3:
            e -= 2
            word = word[:-2]
        arabic = _is_arabic(word)
        out.append(Token(s, e, word, arabic or word[0].isupper(), arabic))
    return out


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
