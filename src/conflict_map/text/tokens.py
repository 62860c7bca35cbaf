"""Word tokens of an article, with exact code-point offsets into the text as given.

>>> toks = tokenize("Fighting near Al-Qa'im, Iraq's border town.")
>>> [t.text for t in toks]
['Fighting', 'near', 'Al', "Qa'im", 'Iraq', 'border', 'town']
"""

from __future__ import annotations

import re
from itertools import accumulate, repeat
from operator import add, and_, or_, sub
from typing import NamedTuple

# Letters (any script) with inner apostrophes/ayin marks; dotted acronyms (U.S., U.K.); St./Mt. abbreviations.
# Arabic diacritics (shadda, harakat, superscript alef) and tatweel belong to their word ("عمّان", "بـموصل").
# Every token starts with a letter, matched first (so the regex engine skips other characters fast); then, in
# this order: the rest of a dotted acronym, of an abbreviation before a capital, or of a word (runs of letters
# taken at once).
_TOKEN_RE = re.compile(
    r"[^\W\d_]"
    r"(?:(?<=[A-Z])[a-z]?\.(?:[A-Z][a-z]?\.)+(?![A-Za-z])"  # U.S., U.K.
    r"|(?<=[SFMP])(?:t|(?<=S)te)\.(?=\s+[A-Z])"  # St., Ste., Ft., Mt., Pt. before a name
    r"|(?:[^\W\d_]+|[\u064B-\u065F\u0670\u0640]+(?=[^\W\d_]|[\u064B-\u065F\u0670])|[\u064B-\u065F\u0670]"
    r"|['’‘ʿʾʼ`](?=[^\W\d_]))*)",
)
#: The same, capturing the token: ``split`` then gives the gaps and tokens in turn, without a match object each.
_SPLIT_RE = re.compile(f"({_TOKEN_RE.pattern})")
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
    """Word tokens of ``text[start:end]`` with offsets into ``text``.

    Made in C-level passes over all the words (``split``, ``map``): a document has hundreds of tokens, and a
    Python loop over them cost as much as the rest of the tokenising.
    """
    parts = _SPLIT_RE.split(text if start == 0 and end is None else text[start:end])  # gap, token, gap, ...
    found = parts[1::2]
    ends = list(accumulate(map(len, parts), initial=start))[2::2]  # where each token as matched ends
    starts = list(map(sub, ends, map(len, found)))
    words = [w[:-2] if w.endswith(_POSSESSIVE) and len(w) > 3 else w for w in found]
    firsts = [w[0] for w in words]
    arabic = list(map(and_, map("\u0600".__le__, firsts), map("\u06ff".__ge__, firsts)))
    caps = map(or_, arabic, map(str.isupper, firsts))
    fields = zip(starts, map(add, starts, map(len, words)), words, caps, arabic, map(str.lower, words), strict=True)
    return list(map(tuple.__new__, repeat(Token), fields))
