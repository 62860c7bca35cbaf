"""Name normalisation: the keys under which the gazetteer indexes names and the recogniser looks them up.

Two levels of key:

* :func:`norm_key` folds case, accents, apostrophes/ayin/hamza marks, hyphens and dots, so
  ``"Al-Qa'im"``, ``"Al Qā’im"`` and ``"AL QAIM"`` all give ``"al qaim"``.
* :func:`skeleton` goes further for transliteration variants of Arabic/Persian/Kurdish names:
  it drops the article (al-, el-, ad-, ash- ...), maps q->k, e->i, o->u, collapses doubled letters
  and -ah/-a endings, so ``"Al Qaem"``, ``"Qaim"`` and ``"Al-Qa'im"`` share the skeleton ``"kaim"``;
  ``"Heet"`` and ``"Hit"`` share ``"hit"``; ``"Falluja"`` and ``"Fallujah"`` share ``"faluj"``.

Arabic-script names are normalised too (diacritics, tatweel, alef/hamza forms, ta marbuta, alef maqsura, Sorani
letters: :func:`conflict_map.text.arabic.fold`); their skeleton drops the article and the spaces, so
``"الموصل"`` ~ ``"موصل"``, ``"دير الزور"`` ~ ``"ديرالزور"`` and ``"البوكمال"`` ~ ``"أبو كمال"``.

>>> norm_key("Al-Qa'im")
'al qaim'
>>> skeleton("Al Qaem") == skeleton("Al-Qā'im") == skeleton("Qaim")
True
>>> skeleton("Heet") == skeleton("Hit")
True
>>> norm_key("القائم") == norm_key("القائِم")
True
>>> skeleton("دير الزور") == skeleton("ديرالزور") and skeleton("البوكمال") == skeleton("أبو كمال")
True
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from conflict_map.text.arabic import fold

_APOSTROPHES = "'’‘ʿʾʼʻ`´ˈ′"
_APOS_RE = re.compile(f"[{re.escape(_APOSTROPHES)}]")
_ACRONYM_RE = re.compile(r"(?:[a-z]\.){2,}[a-z]?\.?")
_SEP_RE = re.compile(r"[\s\-‐‑‒–—_/.,()]+")
_ARABIC_RE = re.compile(r"[\u0600-\u06FF]")
#: Inside a folded Arabic name, an article after a first part written together ("ديرالزور" ~ "دير الزور").
_INNER_ARTICLE_RE = re.compile(r"(?<=^[\u0620-\u06FF]{3})ال(?=[\u0620-\u06FF]{3})")
_ARTICLES = frozenset(
    {
        "al",
        "el",
        "ad",
        "adh",
        "an",
        "ar",
        "as",
        "ash",
        "at",
        "ath",
        "az",
        "ed",
        "es",
        "et",
        "ez",
        "er",
        "en",
        "ul",
        "il",
        "l",
    }
)
_SPECIAL_LATIN = str.maketrans(
    {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss", "ə": "a"}
)


def is_arabic(text: str) -> bool:
    """True when ``text`` contains Arabic-script letters."""
    return bool(_ARABIC_RE.search(text))


@lru_cache(maxsize=200_000)
def norm_key(name: str) -> str:
    """Case-, accent- and punctuation-folded key of a name (see module docstring)."""
    if is_arabic(name):
        s = fold(unicodedata.normalize("NFKC", name))
        return " ".join(_SEP_RE.sub(" ", s).split())
    s = unicodedata.normalize("NFKD", name.casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).translate(_SPECIAL_LATIN)
    s = _APOS_RE.sub("", s)
    if _ACRONYM_RE.fullmatch(s):  # "U.S." -> "us", "U.K." -> "uk"
        s = s.replace(".", "")
    s = _SEP_RE.sub(" ", s)
    return s.strip()


_VOWEL_MAP = str.maketrans({"q": "k", "e": "i", "o": "u", "y": "i", "c": "k"})
_DOUBLE_RE = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def skeleton(name: str) -> str:
    """Transliteration-tolerant key (see module docstring); "" for names too short to trust."""
    key = norm_key(name)
    if not key:
        return ""
    if is_arabic(key):
        return _arabic_skeleton(key)
    words = key.split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]  # leading article: "Al Qaem" ~ "Qaim"; inner ones are kept ("Salah ad Din")
    out = []
    for i, w in enumerate(words):
        w = w.replace("ph", "f").replace("ou", "u").replace("oo", "u").replace("ee", "i").replace("dh", "d")
        w = w.translate(_VOWEL_MAP)
        if i == len(words) - 1:  # endings: -ah/-eh/-a ("Rawah" ~ "Rawa" ~ "Raw")
            if len(w) > 3 and w.endswith("h") and w[-2] in "aiu":
                w = w[:-1]
            if len(w) > 3 and w[-1] == "a":
                w = w[:-1]
        out.append(w)
    s = _DOUBLE_RE.sub(r"\1", "".join(out))
    return s if len(s) >= 3 else ""


def _arabic_skeleton(key: str) -> str:
    """Skeleton of a folded Arabic-script name: no article ("ال" at a word start, "البو" ~ "ابو "), no spaces."""
    words = key.split()
    if words[0] == "ابو" and len(words) > 1:
        words = ["بو" + words[1], *words[2:]]
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words]
    s = _INNER_ARTICLE_RE.sub("", "".join(words))
    return s if len(s) >= 3 else ""


# -- consonant keys: an Arabic-script word against a place known only by its Latin name ---------------------------
#
# Arabic writes consonants and long vowels, a Latin transliteration consonants and every vowel, in one of several
# systems. Their consonant classes meet: letters one transliteration writes alike fall in one class (ت ط ث "t",
# د ض ذ "d", س ص "s", ح ه "h", ق ك "k"; ش and خ, "sh" and "kh", are "C" and "X"), vowels, و, ي, ع and hamza are left
# out, the article and doubled letters too. "الدلنج" and "Dilling" share "dlnj", "لوسيل" and "Lusail" share "lsl".

_AR_CLASSES = str.maketrans(
    {
        **dict.fromkeys("بپ", "b"), **dict.fromkeys("تطث", "t"), **dict.fromkeys("جچ", "j"), **dict.fromkeys("حه", "h"),
        "خ": "X", **dict.fromkeys("دضذ", "d"), "ر": "r", **dict.fromkeys("زظژ", "z"), **dict.fromkeys("سص", "s"),
        "ش": "C", "غ": "g", **dict.fromkeys("فڤ", "f"), **dict.fromkeys("قكگ", "k"), "ل": "l", "م": "m", "ن": "n",
        **dict.fromkeys("اأإآٱءعوؤيئى", None),
    }
)  # fmt: skip
#: Latin digraphs of one Arabic letter, in the order they are read ("kh" خ before "h").
_LATIN_DIGRAPHS = (("tch", "C"), ("kh", "X"), ("sh", "C"), ("ch", "C"), ("gh", "g"), ("th", "t"), ("dh", "d"),
                   ("dj", "j"), ("ph", "f"), ("ck", "k"), ("ou", "u"))  # fmt: skip
#: Latin letters to classes (ش and خ are "C" and "X", never a Latin letter's class).
_LATIN_CLASSES = str.maketrans({"p": "b", "v": "f", "q": "k", "c": "k", "x": "ks", **dict.fromkeys("aeiouyw", None)})
#: Latin "g" writes ج (Egypt, Sudan), ق (the Gulf, Sudan) or غ: each is tried.
_LATIN_G = ("j", "k", "g")
_LATIN_WORD_RE = re.compile(r"[a-z]+")
#: Shortest consonant key trusted (three consonants, a root's length).
MIN_CONSONANTS = 3
#: Consonant keys share the skeleton index under this prefix (no skeleton starts with it).
CONSONANT_PREFIX = "#"


def arabic_consonants(key: str) -> str:
    """The consonant key of a folded Arabic-script name (:func:`norm_key`): "الدلنج" -> "dlnj"; "" when short."""
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in key.split()]
    s = "".join(words)
    s = s[:-1] if s.endswith("ه") else s  # ta marbuta ("بابنوسة")
    out = _DOUBLE_RE.sub(r"\1", s.translate(_AR_CLASSES))
    return out if len(out) >= MIN_CONSONANTS and out.isascii() and out.isalpha() else ""


def latin_consonants(name: str) -> tuple[str, ...]:
    """The consonant keys of a Latin-script name ("Dilling" -> "dlnj", "dlnk", "dlng"; one per reading of "g"),
    without its article; () when it has letters outside a-z or fewer than :data:`MIN_CONSONANTS` consonants."""
    words = norm_key(name).split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    s = "".join(w for w in words if w not in _ARTICLES)
    if not _LATIN_WORD_RE.fullmatch(s):
        return ()
    if len(s) > 2 and s.endswith("h") and s[-2] in "aeiou":
        s = s[:-1]  # "-ah", "-eh": ta marbuta
    for digraph, letter in _LATIN_DIGRAPHS:
        s = s.replace(digraph, letter)
    s = s.translate(_LATIN_CLASSES)
    keys = [""]
    for ch in s:
        keys = [k + o for k in keys for o in (_LATIN_G if ch == "g" else (ch,))][:9]
    out = {_DOUBLE_RE.sub(r"\1", k) for k in keys}
    return tuple(sorted(k for k in out if len(k) >= MIN_CONSONANTS))
