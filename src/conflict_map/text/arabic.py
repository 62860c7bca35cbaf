"""Arabic script: letter folding for lookup, proclitics, and the spelling variants of place names.

Arabic writes the conjunctions و and ف, the prepositions ب, ل and ك, and the article ال on the word that
follows them ("ببغداد" is "in Baghdad", "والقائم" is "and al-Qaim"). A place name is looked up without its
proclitics, and its mention is reported without them, at offsets into the text as given. :func:`proclitic_splits`
lists the readings of one written word, fewest proclitics first; which one is a place the gazetteer decides.
Sorani Kurdish shares the script; its letters fold to their Arabic counterparts.

>>> proclitic_splits("والقائم")
[(0, 'والقائم'), (1, 'القائم')]
>>> proclitic_splits("للموصل")  # the contraction ل + ال: the mention is "لموصل", looked up as "الموصل"
[(0, 'للموصل'), (1, 'الموصل')]
>>> fold("أَرْبِيل") == fold("اربيل")
True
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Conjunctions written on the next word, then prepositions.
CONJUNCTIONS = "وف"
PREPOSITIONS = "بلك"
TATWEEL = "\u0640"
#: Diacritics (harakat, shadda, sukun, superscript alef, Quranic marks) and tatweel: dropped for lookup.
DIACRITICS_RE = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")
#: Alef and hamza forms, ta marbuta, alef maqsura, Persian/Sorani letters (written with the Arabic letter
#: nearest them in Arabic text: پ ب, گ ك), folded for lookup.
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        "ک": "ك",
        "ی": "ي",
        "ێ": "ي",
        "ۆ": "و",
        "ڵ": "ل",
        "ڕ": "ر",
        "ھ": "ه",
        "ە": "ه",
        "پ": "ب",
        "چ": "ج",
        "ژ": "ز",
        "ڤ": "ف",
        "گ": "ك",
        "ﻻ": "لا",
    }
)
#: Sorani ە is a vowel: inside a word it has no Arabic letter ("کەرکووک" ~ "كركوك").
_SORANI_E_RE = re.compile(r"ە(?=[\u0620-\u06FF])")
_SORANI_OO_RE = re.compile(r"وو")
#: A word-initial ئ carries a vowel (Sorani "ئێران"): it reads as alef.
_INITIAL_YEH_HAMZA_RE = re.compile(r"(?<![\u0620-\u06FF])ئ")
_LETTERS_RE = re.compile(r"[\u0620-\u064A\u0671-\u06D3\u06D5]")
#: Sorani suffixes on a name ("لە کەرکووکەوە" "from Kirkuk"): stripped, longest first.
SORANI_SUFFIXES = ("ەوە", "دا", "ەوه")


def is_arabic_letter(ch: str) -> bool:
    """True for an Arabic-script letter (not a diacritic, digit or punctuation)."""
    return bool(_LETTERS_RE.match(ch))


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """``text`` as looked up: no diacritics or tatweel, one alef, ha for ta marbuta, ya for alef maqsura.

    Sorani letters fold to their Arabic counterparts (ێ ي, ۆ و, ڵ ل, ڕ ر), an inner ە and a doubled و go.
    Not offset-preserving: only for keys, never for spans.
    """
    s = DIACRITICS_RE.sub("", text)
    if "ە" in s or "وو" in s:
        s = _SORANI_OO_RE.sub("و", _SORANI_E_RE.sub("", s))
    if "ئ" in s:
        s = _INITIAL_YEH_HAMZA_RE.sub("ا", s)
    return s.translate(_FOLD)


def letters(word: str) -> int:
    """How many Arabic letters ``word`` has (diacritics and tatweel not counted)."""
    return len(_LETTERS_RE.findall(word))


@lru_cache(maxsize=100_000)
def proclitic_splits(word: str) -> list[tuple[int, str]]:
    """The readings of ``word`` as proclitics + stem: ``(offset of the stem in word, stem as looked up)``.

    The word itself comes first, then the readings with one proclitic (و ف ب ل ك), then with two (و/ف then
    ب/ل/ك). A tatweel after a proclitic ("بـموصل") belongs to it. After ل, a stem that starts with ل is the
    contraction لل (ل + ال with the alef dropped): its stem starts at the second ل and is looked up with
    the article restored. Stems keep at least two letters.
    """
    out = [(0, word)]
    for conj in (False, True):
        for prep in (False, True):
            if not (conj or prep):
                continue
            i = 0
            ok = True
            for take, chars in ((conj, CONJUNCTIONS), (prep, PREPOSITIONS)):
                if not take:
                    continue
                if i < len(word) and word[i] in chars:
                    i += 1
                    while i < len(word) and word[i] == TATWEEL:
                        i += 1
                else:
                    ok = False
            if not ok or letters(word[i:]) < 2:
                continue
            stem = word[i:]
            if prep and word[i - 1] == "ل" and stem.startswith("ل") and not stem.startswith("ال"):
                stem = "ا" + stem  # للموصل: ل + (ا)لموصل
            out.append((i, stem))
    return out


def sorani_stem(word: str) -> str | None:
    """``word`` without a Sorani case suffix ("کەرکووکەوە" -> "کەرکووک"), or None when it has none."""
    for suf in SORANI_SUFFIXES:
        if word.endswith(suf) and letters(word) - len(suf) >= 3:
            return word[: -len(suf)]
    return None


__all__ = [
    "CONJUNCTIONS",
    "PREPOSITIONS",
    "TATWEEL",
    "fold",
    "is_arabic_letter",
    "letters",
    "proclitic_splits",
    "sorani_stem",
]
