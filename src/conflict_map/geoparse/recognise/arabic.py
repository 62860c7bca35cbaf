"""Candidates in Arabic script: names without their proclitics, kind words, facilities, nisba adjectives.

Arabic has no capitals, so every word may start a name. For a word, each reading of its proclitics
(:func:`conflict_map.text.arabic.proclitic_splits`) is looked up with the words after it, longest name first,
by folded key and then by skeleton (with or without the article, a compound written together); the best
reading wins (more words, an exact key, a more important place, fewer proclitics). The mention's span starts
after the proclitics, in the text as given.

A kind word before the name ("مدينة", "محافظة", "مطار", "معبر") is not part of it: the candidate also gets
the readings of the whole phrase ("مطار بغداد" is the airport, "قطاع غزة" the Strip) and, after a facility
word, the facilities of that kind near the town it names (:data:`FACILITY_KM`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from conflict_map.gazetteer.index import Gazetteer
from conflict_map.geoparse.recognise.arabic_lexicon import (
    DUAL_KIND_WORDS,
    FACILITY_KINDS,
    KIND_WORDS,
    LOCATIVE_BEFORE,
    NEVER,
    PLURAL_KIND_WORDS,
    VOCALISED,
    never_as_written,
    vowel_marks,
)
from conflict_map.text.arabic import fold, proclitic_splits, sorani_stem
from conflict_map.text.doc import Doc
from conflict_map.text.names import arabic_consonants, norm_key, skeleton
from conflict_map.text.tokens import Token

#: Letters only Sorani Kurdish writes: a word with one may carry a Sorani suffix.
_SORANI_RE = re.compile("[ەێۆڵڕ]")
#: Longest Arabic name tried, in words.
MAX_WORDS = 4
#: How far from the town a facility named after it may lie ("مطار أربيل", "سد حديثة"), in km.
FACILITY_KM = 40.0


@dataclass(frozen=True, slots=True)
class Word:
    """One reading of an Arabic token: its proclitics, and its stem as looked up (folded)."""

    clitic: str  # the proclitics as written ("", "و", "ب", "وب", "بـ")
    stem: str  # folded stem; for the contraction لل, with the article restored
    offset: int  # where the stem starts in the token


def readings(token: Token) -> tuple[Word, ...]:
    """The proclitic readings of an Arabic token, fewest proclitics first."""
    return _readings(token.text)


@lru_cache(maxsize=100_000)
def _readings(word: str) -> tuple[Word, ...]:
    return tuple(Word(word[:p], fold(stem), p) for p, stem in proclitic_splits(word))


def kind_of_word(token: Token) -> str | None:
    """The hint of a kind word ("مدينة" -> populated, "بمحافظة" -> admin), read through its proclitics."""
    return _kind_of_word(token.text)


@lru_cache(maxsize=100_000)
def _kind_of_word(word: str) -> str | None:
    for w in _readings(word):
        stem = w.stem[2:] if w.stem.startswith("ال") and len(w.stem) > 3 else w.stem
        kind = KIND_WORDS.get(stem) or KIND_WORDS.get(w.stem)
        if kind:
            return kind
    return None


def _joinable(doc: Doc, a: Token, b: Token) -> bool:
    return b.arabic and doc.text[a.end : b.start] == " "


@lru_cache(maxsize=200_000)
def _lookup(gaz: Gazetteer, key: str, exact: bool) -> tuple[int, ...]:
    """Rows of a folded name (exact key or skeleton); cached, as the same words recur from article to article.

    A spelling variant may leave out the hamza a name ends with after alef ("بهلا" for "بهلاء", "المعلا" for
    "المعلاء": the final hamza is often not written, as in speech): looked up as a skeleton (a variant)."""
    if exact:
        return gaz.rows_for_key(key)
    rows = gaz.rows_for_skeleton(skeleton(key))
    if not rows and key.endswith("ا") and len(key) >= 3:
        rows = gaz.rows_for_skeleton(skeleton(key + "ء"))
    return rows


@dataclass(slots=True)
class _Option:
    word: Word
    last: int
    key: str
    rows: tuple[int, ...]
    exact: bool
    end: int
    loose: bool = False  # matched by its consonants only (:func:`_consonant_window`)

    def rank(self, gaz: Gazetteer) -> float:
        """Longer names first, then exact keys, important places, fewer proclitics."""
        best = max(gaz.importance(r) for r in self.rows)
        return 10.0 * self.last + 5.0 * self.exact + 0.3 * best - 1.5 * len(self.word.clitic.rstrip("ـ"))


def _options(doc: Doc, i: int, sent: tuple[int, int], gaz: Gazetteer, *, exact: bool) -> list[_Option]:
    """Every reading of the name starting at token ``i`` that the gazetteer knows, longest per reading."""
    tokens = doc.tokens
    t = tokens[i]
    heads = gaz.arabic_heads
    last = i
    if heads is None or any(w.stem in heads for w in readings(t)):  # else no longer name starts here
        while last + 1 < len(tokens) and last + 1 - i < MAX_WORDS and tokens[last + 1].end <= sent[1]:
            if not _joinable(doc, tokens[last], tokens[last + 1]):
                break
            last += 1
    words = tuple(tokens[k].text for k in range(i, last + 1))  # one space apart (joinable)
    found = _window_options(words, exact, gaz)
    if not found and not exact:  # nothing else: a place known only by its Latin name ("الدلنج", Dilling)
        return [
            _Option(w, i + dj, key, rows, False, tokens[i + dj].end, loose=True)
            for w, dj, key, rows in _consonant_window(words[0], words[1] if len(words) > 1 else "", gaz)
        ]
    return [
        _Option(w, i + dj, key, rows, exact, t.start + end if end is not None else tokens[i + dj].end)
        for w, dj, key, rows, end in found
    ]


@lru_cache(maxsize=200_000)
def _window_options(
    words: tuple[str, ...], exact: bool, gaz: Gazetteer
) -> tuple[tuple[Word, int, str, tuple[int, ...], int | None], ...]:
    """The readings of the name starting with ``words[0]`` (the next words one space apart): (reading, index of
    its last word, key, rows, where it ends in the first word when shorter than it, else None). Cached: the same
    phrases recur from article to article."""
    heads = gaz.arabic_heads
    first = words[0]
    out: list[tuple[Word, int, str, tuple[int, ...], int | None]] = []
    sorani = _SORANI_RE.search(first) is not None
    for w in _readings(first):
        stem = w.stem
        never = stem in NEVER and never_as_written(first[w.offset :], stem)  # "إب" (Ibb) is no "آب" (August)
        if (never or len(stem) < 2) and (len(words) == 1 or (never and not exact)):
            continue
        top = len(words) - 1 if heads is None or stem in heads else 0  # a longer name only from a known first word
        for dj in range(top, -1, -1):
            if dj == 0 and (never or len(stem) < 2):
                break
            key = stem if dj == 0 else norm_key(stem + " " + " ".join(words[1 : dj + 1]))
            rows = _lookup(gaz, key, exact)
            if rows:
                out.append((w, dj, key, rows, None))
                break
        else:
            suffixless = sorani_stem(first[w.offset :]) if sorani else None
            if suffixless and not out:
                key = norm_key(suffixless)
                rows = _lookup(gaz, key, exact)
                if rows:
                    out.append((w, 0, key, rows, w.offset + len(suffixless)))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Match:
    """An Arabic name found at a token: its span (after the proclitics), folded key and readings."""

    start: int
    end: int
    key: str
    rows: tuple[int, ...]
    exact: bool
    first: int
    last: int
    clitic: str
    loose: bool = False  # matched by its consonants only (:func:`_consonant_window`)


#: A word at least this frequent in Arabic is that word, not the name of a place known only by its Latin name.
_CONSONANT_MAX_ZIPF = 3.5


@lru_cache(maxsize=200_000)
def _consonant_window(first: str, second: str, gaz: Gazetteer) -> tuple[tuple[Word, int, str, tuple[int, ...]], ...]:
    """A place the gazetteer knows only by Latin names whose consonants ``first`` has, alone or with ``second``
    ("الدلنج" for Dilling, "كوم أمبو" for Kawm Umbu: :func:`conflict_map.text.names.arabic_consonants`), when
    nothing else matches: (reading, 0 or 1 more word, key, rows), a loose variant the recogniser weighs as
    ``ar_consonant_match``. Cached."""
    out: list[tuple[Word, int, str, tuple[int, ...]]] = []
    two = bool(second) and _free_word(second, gaz)
    readings = _readings(first)
    if any(_common_form(w.stem, gaz) for w in readings[1:]):
        return ()  # "بطائرة": ب + "طائرة" (a plane), a word through its proclitic
    for w in readings:
        if w.stem in NEVER or gaz.arabic_zipf(w.stem) >= _CONSONANT_MAX_ZIPF or _common_form(w.stem, gaz):
            continue
        for dj, name in ((1, f"{w.stem} {second}"), (0, w.stem)):
            if dj and not two:
                continue
            key = norm_key(name)
            rows = gaz.rows_for_consonants(arabic_consonants(key))
            if rows:
                out.append((w, dj, key, rows))
                break
    return tuple(out)


#: Endings of inflected words (accusative alef, construct plural waw, nisba or oblique ya, dual, plural,
#: possessives), with what the word is without them ("حقلي" -> "حقل", "عبوتين" -> "عبوه") and how frequent that
#: must be to read the word as its inflection (a plural's base more: "سنكات", Sinkat, is no plural of "سنك").
_INFLECTIONS = (
    ("تين", "ه", 3.0), ("ين", "", 3.5), ("ات", "", 3.5), ("ها", "", 3.0), ("هم", "", 3.0), ("يه", "ي", 3.0),
    ("ا", "", 3.0), ("و", "", 3.0), ("ي", "", 3.0), ("ه", "", 3.0),
)  # fmt: skip
#: A word this frequent is a word of the language ("قطعان" herds, in "القطعان").
_WORD_ZIPF = 3.0


def _common_form(stem: str, gaz: Gazetteer) -> bool:
    """A frequent word or an inflected form of one ("تجارا" of "تجار" traders, "القطعان" of "قطعان" herds): Arabic
    uses it, so it is no spelling of a place known only by its Latin name."""
    if gaz.arabic_zipf(stem) >= _CONSONANT_MAX_ZIPF:
        return True
    bare = stem[2:] if stem.startswith("ال") and len(stem) > 4 else stem
    if bare != stem and gaz.arabic_zipf(bare) >= _WORD_ZIPF:
        return True
    return any(
        bare.endswith(end) and len(bare) - len(end) >= 3 and gaz.arabic_zipf(bare[: -len(end)] + base) >= zipf
        for end, base, zipf in _INFLECTIONS
    )


#: Letters that are no consonants of a consonant key (vowels, ain, hamza; ه may be a ta marbuta).
_WEAK_LETTERS = frozenset("اأإآٱءعوؤيئىه")


def _free_word(word: str, gaz: Gazetteer) -> bool:
    """A word that may end a name matched by consonants ("أمبو" of "كوم أمبو"): no function word, no name the
    gazetteer knows ("فرع دمياط" is the Damietta branch), and consonants of its own ("سنكات التي" is no name)."""
    folded = fold(word)
    stem = folded[2:] if folded.startswith("ال") and len(folded) > 3 else folded
    if folded in NEVER or sum(ch not in _WEAK_LETTERS for ch in stem) < 2:
        return False
    return not any(gaz.has_key(w.stem) or gaz.has_skeleton(skeleton(w.stem)) for w in _readings(word))


def _kind_stems(doc: Doc, i: int) -> tuple[str, list[str]]:
    """The hint of the kind word right before token ``i`` and its folded stems (with and without the article)."""
    if i == 0:
        return "", []
    prev = doc.tokens[i - 1]
    if doc.text[prev.end : doc.tokens[i].start] != " ":
        return "", []
    kind = kind_of_word(prev)
    if kind is None:
        return "", []
    stems = {w.stem for w in readings(prev)}
    stems |= {s[2:] for s in stems if s.startswith("ال")}
    return kind, sorted(stems)


def _phrase_option(doc: Doc, i: int, sent: tuple[int, int], gaz: Gazetteer) -> _Option | None:
    """A name known only with its kind word ("منفذ الوليد", "سد تشرين"): the whole phrase's readings."""
    kind, stems = _kind_stems(doc, i)
    if not kind:
        return None
    tokens = doc.tokens
    t = tokens[i]
    last = i
    while last + 1 < len(tokens) and last + 1 - i < MAX_WORDS and tokens[last + 1].end <= sent[1]:
        if not _joinable(doc, tokens[last], tokens[last + 1]):
            break
        last += 1
    for j in range(last, i - 1, -1):
        name = norm_key(doc.text[t.start : tokens[j].end])
        for stem in stems:
            rows = _lookup(gaz, norm_key(stem + " " + name), True)
            if rows:
                return _Option(Word("", fold(t.text), 0), j, name, rows, True, tokens[j].end)
    return None


#: Kind words a place's name may follow in construct even when the name is itself a kind word with the article.
_NAMING_KINDS = frozenset({"populated", "district", "admin"})


def _kind_named_after_kind(doc: Doc, i: int) -> bool:
    """ "قضاء الحي" (the district of al-Hayy), "مدينة الميناء": a kind word with the article right after an
    administrative kind word without it is the name of the district or town, not a second kind word (a kind
    word heads a name in construct and never takes the article itself: "الحي" alone is the quarter)."""
    t = doc.tokens[i]
    if not t.text.startswith("ال") or fold(t.text) in NEVER:
        return False
    kind, _stems = _kind_stems(doc, i)
    return kind in _NAMING_KINDS and not doc.tokens[i - 1].text.startswith(("ال", "وال", "بال"))


def arabic_match(doc: Doc, i: int, sent: tuple[int, int], gaz: Gazetteer) -> Match | None:
    """The best place name starting in token ``i`` (after its proclitics), or None."""
    t = doc.tokens[i]
    if kind_of_word(t) is not None and not _kind_named_after_kind(doc, i):
        return None  # kind words are never places themselves
    options = _options(doc, i, sent, gaz, exact=True)
    if not options:
        phrase = _phrase_option(doc, i, sent, gaz)
        options = [phrase] if phrase else _options(doc, i, sent, gaz, exact=False)
    if not options:
        return None
    best = max(options, key=lambda o: o.rank(gaz))
    start = t.start + best.word.offset
    rows = best.rows
    if best.last == i and (pid := VOCALISED.get(vowel_marks(t.text[best.word.offset :]))) is not None:
        row = gaz.row_of(pid)  # "عمّان": the writer's vowel marks say which place
        rows = (row,) if row is not None and row in rows else rows
    return Match(start, best.end, best.key, rows, best.exact, i, best.last, best.word.clitic, best.loose)


def kind_phrase(
    doc: Doc, first: int, key: str, rows: tuple[int, ...], gaz: Gazetteer
) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """The kind word before a name, the readings of the whole phrase ("مطار بغداد" is the airport, "قطاع غزة"
    the Strip) and, after a facility word, the facilities of that kind near the town it names: ``("", (), ())``
    when no kind word comes right before."""
    kind, stems = _kind_stems(doc, first)
    if not kind:
        return "", (), ()
    phrase: set[int] = set()
    for stem in stems:
        phrase.update(_lookup(gaz, norm_key(stem + " " + key), True))
    if not phrase and _definite(doc.tokens[first - 1]):
        return "", (), ()  # "النائب عن المحافظة سالم": the province, then a person's name
    kinds = FACILITY_KINDS.get(kind)
    near = set(gaz.rows_near(rows, kinds, FACILITY_KM)) - phrase if kinds else set()
    return kind, tuple(sorted(phrase)), tuple(sorted(near))


#: How many words back from a name joined by و a dual or plural kind word heading its list may stand.
_LIST_REACH = 8
#: What may separate the members of a list: a space, or a comma before the و.
_LIST_GAPS = frozenset({" ", "، ", "،", ", "})
_LIST_KIND_WORDS = DUAL_KIND_WORDS | PLURAL_KIND_WORDS
_LIST_BREAKS = NEVER | LOCATIVE_BEFORE


def list_kind(doc: Doc, first: int) -> str:
    """The kind of a dual or plural kind word heading the list whose member starts at token ``first`` (written
    with و): "ناحيتي الزاب والعباسي" (the subdistricts of al-Zab and al-Abbasi), "واحات ودان وهون وسوكنة": every
    member of the list is of that kind. A dual heads two members only; a function word, a preposition, another
    kind word or punctuation other than a comma between ends the search. "" when no such word heads the list."""
    tokens, text = doc.tokens, doc.text
    if not tokens[first].text.startswith("و"):
        return ""
    members = 1
    for k in range(first - 1, max(-1, first - 1 - _LIST_REACH), -1):
        t = tokens[k]
        if not t.arabic or text[t.end : tokens[k + 1].start] not in _LIST_GAPS:
            return ""
        stems = {w.stem for w in readings(t)}
        if stems & _LIST_KIND_WORDS:
            if t.text.startswith(("ال", "وال")) or (members > 1 and not stems & PLURAL_KIND_WORDS):
                return ""
            return kind_of_word(t) or ""
        if stems & _LIST_BREAKS or kind_of_word(t) is not None:
            return ""
        if t.text.startswith("و") and _conjunction(t.text):
            members += 1
    return ""


@lru_cache(maxsize=50_000)
def _conjunction(word: str) -> bool:
    """A word written with the conjunction و ("وحلب"), not one that starts with waw ("وادي")."""
    stems = [w.stem for w in _readings(word)]
    return any(w.clitic == "و" for w in _readings(word)) and not (len(stems) > 1 and stems[0] in _WAW_WORDS)


#: Frequent words that begin with waw: no conjunction is written on them.
_WAW_WORDS = frozenset(fold(w) for w in "وادي واحة وسط وزارة ولاية وحدة وحدات وكالة وفد".split())


def _definite(token: Token) -> bool:
    """A kind word written with the article ("المحافظة", "بالمدينة"): it heads no name in construct (a name's kind
    word never takes the article: "محافظة بابل"), unless the two are a known name together ("المنطقة الخضراء")."""
    stems = [w.stem for w in readings(token)]
    return not any(s in KIND_WORDS for s in stems) and any(s.startswith("ال") and s[2:] in KIND_WORDS for s in stems)


_NISBA_ENDINGS = ("يين", "يون", "يه", "ي")


def nisba_country(token: Token, gaz: Gazetteer) -> str | None:
    """The country an Arabic nisba adjective names ("العراقية" -> Iraq, "السوري" -> Syria, "الأردني" ->
    Jordan), as its place id; None for other words. Adjectives are not places, but they say which country an
    article is about."""
    return _nisba_country(token.text, gaz)


@lru_cache(maxsize=100_000)
def _nisba_country(word: str, gaz: Gazetteer) -> str | None:
    if not word.endswith(("ي", "ية", "يه", "يون", "يين", "ىة")):
        return None
    for w in _readings(word):
        stem = w.stem
        if not stem.startswith("ال"):
            continue
        base = stem[2:]
        for ending in _NISBA_ENDINGS:
            if base.endswith(ending) and len(base) - len(ending) >= 2:
                base = base[: -len(ending)]
                break
        else:
            continue
        for key in (base, "ال" + base, base + "ا", base + "يا", "ال" + base + "يه", base + "يه"):
            for r in _lookup(gaz, key, True):
                if gaz.kind_of(r) == "country":
                    return gaz.place(r).id
    return None


__all__ = [
    "FACILITY_KM",
    "MAX_WORDS",
    "Match",
    "Word",
    "arabic_match",
    "kind_of_word",
    "kind_phrase",
    "list_kind",
    "nisba_country",
    "readings",
]
