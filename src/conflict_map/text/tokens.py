"""Word tokens of an article, with exact code-point offsets into the text as given.

>>> toks = tokenize("Fighting near Al-Qa'im, Iraq's border town.")
>>> [t.text for t in toks]
['Fighting', 'near', 'Al', "Qa'im", 'Iraq', 'border', 'town']
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Letters (any script) with inner apostrophes/ayin marks; dotted acronyms (U.S., U.K.); St./Mt. abbreviations.
# Arabic diacritics (shadda, harakat, superscript alef) and tatweel belong to their word ("عمّان", "بـموصل").
_TOKEN_RE = re.compile(
    r"(?:[A-Z][a-z]?\.){2,}(?![A-Za-z])"
    r"|(?:St|Ste|Ft|Mt|Pt)\.(?=\s+[A-Z])"
    r"|[^\W\d_](?:[^\W\d_]|[\u064B-\u065F\u0670\u0640]+(?=[^\W\d_]|[\u064B-\u065F\u0670])|[\u064B-\u065F\u0670]"
    r"|['’‘ʿʾʼ`](?=[^\W\d_]))*",
)
_POSSESSIVE = ("'s", "’s")


class Token(NamedTuple):
    """A word of the text. ``end`` excludes a trailing possessive ``'s``.

    A named tuple (immutable, compared and hashed by value): a document has hundreds and they are made in one
    loop, where a tuple is several times cheaper to build than a frozen dataclass.
    """

    start: int
    end: int
    text: str
    cap: bool  # starts with an upper-case letter, or is Arabic script (no case)
    arabic: bool
    lower: str  # ``text.lower()``, kept: the recogniser asks for it ~1,500 times a document


def _is_arabic(s: str) -> bool:
    return "\u0600" <= s[0] <= "\u06ff"


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word tokens of ``text[start:end]`` with offsets into ``text``."""
    out: list[Token] = []
    append, new = out.append, Token._make
    for m in _TOKEN_RE.finditer(text, start, len(text) if end is None else end):
        word = m.group()
        s = m.start()
        if word.endswith(_POSSESSIVE) and len(word) > 3:
            word = word[:-2]
        arabic = _is_arabic(word)
        append(new((s, s + len(word), word, arabic or word[0].isupper(), arabic, word.lower())))
    return out
