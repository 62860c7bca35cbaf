"""Word tokens of an article, with exact code-point offsets into the text as given.

>>> toks = tokenize("Fighting near Al-Qa'im, Iraq's border town.")
>>> [t.text for t in toks]
['Fighting', 'near', 'Al', "Qa'im", 'Iraq', 'border', 'town']
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Letters (any script; a run of plain letters is taken at once) with inner apostrophes/ayin marks; dotted
# acronyms (U.S., U.K.); St./Mt. abbreviations.
# Arabic diacritics (shadda, harakat, superscript alef) and tatweel belong to their word ("عمّان", "بـموصل").
_TOKEN_RE = re.compile(
    r"(?:[A-Z][a-z]?\.){2,}(?![A-Za-z])"
    r"|(?:St|Ste|Ft|Mt|Pt)\.(?=\s+[A-Z])"
    r"|[^\W\d_](?:[^\W\d_]+|[\u064B-\u065F\u0670\u0640]+(?=[^\W\d_]|[\u064B-\u065F\u0670])|[\u064B-\u065F\u0670]"
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


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word tokens of ``text[start:end]`` with offsets into ``text``."""
    out: list[Token] = []
    # one loop over hundreds of words: the Arabic-script test inlined, tuples made without Token._make's checks
    append, new = out.append, tuple.__new__
    for m in _TOKEN_RE.finditer(text, start, len(text) if end is None else end):
        word = m.group()
        s = m.start()
        if word.endswith(_POSSESSIVE) and len(word) > 3:
            word = word[:-2]
        first = word[0]
        arabic = "\u0600" <= first <= "\u06ff"
        append(new(Token, (s, s + len(word), word, arabic or first.isupper(), arabic, word.lower())))
    return out
