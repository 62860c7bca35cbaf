"""Arabic lists of names joined by و: what the words around a list say of each of its members.

A preposition or a kind word before a list governs every member ("في سنجار وتلعفر والحضر", "بين شبعا والخيام"),
and a list whose other members are words no place bears is a list of common nouns ("دبس وملبن وزبيب"). Used by
:mod:`.arabic_features` (``ar_locative_before``, ``ar_noun_list``); the kind words of a list are read in
:func:`.arabic.list_kind`.
"""

from __future__ import annotations

from conflict_map.geoparse.recognise.arabic import kind_of_word, readings
from conflict_map.geoparse.recognise.arabic_lexicon import LOCATIVE_BEFORE, NEVER
from conflict_map.geoparse.recognise.features import Context
from conflict_map.text.arabic import fold
from conflict_map.text.names import norm_key, skeleton
from conflict_map.text.tokens import Token

_BETWEEN = frozenset({fold("بين")})


def between_second(x: Context) -> bool:
    """ "بين شبعا والخيام": the second member of "بين X وY" is governed by the preposition as the first is."""
    if x.c.clitic != "و":
        return False
    k = x.c.first
    for _ in range(3):  # the first member may have up to two words ("بين دير الزور والرقة")
        if k == 0 or x.text[x.tokens[k - 1].end : x.tokens[k].start] != " " or not x.tokens[k - 1].arabic:
            return False
        k -= 1
        if {w.stem for w in readings(x.tokens[k])} & _BETWEEN:
            return k < x.c.first - 1
        if x.tokens[k].text.startswith("و"):
            return False
    return False


#: How many words back from a name joined by و the preposition governing its list may stand.
_LIST_REACH = 8
_LIST_GAPS = frozenset({" ", "، ", "،"})


def coordinated_locative(x: Context) -> bool:
    """ "في سنجار وتلعفر والحضر": a preposition of place governs every member of the list after it, as "بين" does
    (:func:`between_second`), when its first member is a name the gazetteer knows, whole (a list of places, not
    "في المدارس والمستشفيات" nor "إلى سلوك طرق جبلية وعرة"). A function word or other punctuation between ends
    the search."""
    if x.c.clitic != "و":
        return False
    tokens, text = x.tokens, x.text
    member_end = x.c.first  # where the member being walked through ends (exclusive)
    for k in range(x.c.first - 1, max(0, x.c.first - 1 - _LIST_REACH), -1):
        t = tokens[k]
        if not t.arabic or text[t.end : tokens[k + 1].start] not in _LIST_GAPS:
            return False
        if not tokens[k - 1].arabic or text[tokens[k - 1].end : t.start] != " ":
            return False
        stems = {w.stem for w in readings(tokens[k - 1])}
        if stems & LOCATIVE_BEFORE and not stems & _BETWEEN:
            return _known_name(x, k, member_end)
        if {w.stem for w in readings(t)} & NEVER:
            return False
        if t.text.startswith("و"):
            member_end = k
    return False


def _known_name(x: Context, k: int, end: int) -> bool:
    """Tokens ``k`` to ``end`` (exclusive) are a name the gazetteer knows, read through the first word's proclitics
    and after a kind word ("ناحية الزاب")."""
    tokens = x.tokens
    if kind_of_word(tokens[k]) is not None:
        k += 1
    if not 0 < end - k <= 3:
        return False
    rest = " ".join(tokens[j].text for j in range(k + 1, end))
    return any(x.gaz.has_key(norm_key(f"{w.stem} {rest}" if rest else w.stem)) for w in readings(tokens[k]))


def _unknown_conjunct(x: Context, t: Token) -> bool:
    """A word coordinated with the name that the gazetteer knows under no reading (and no kind word)."""
    if not t.arabic or kind_of_word(t) is not None:
        return False
    return not any(x.gaz.has_key(w.stem) or x.gaz.has_skeleton(skeleton(w.stem)) for w in readings(t))


def noun_list(x: Context) -> bool:
    """ "إلى دبس وملبن وزبيب" (into date syrup, sweets and raisins): a minor place's one-word name in a list of
    three or more words joined by و whose other members the gazetteer knows under no reading is a common noun
    listed with common nouns (a list of places names at least one other known place)."""
    if x.c.first != x.c.last or x.best >= 5.5:
        return False
    tokens, text = x.tokens, x.text
    members: list[Token] = []
    k = x.c.first
    while k + 1 < len(tokens) and text[tokens[k].end : tokens[k + 1].start] == " " and tokens[k + 1].text[:1] == "و":
        k += 1
        members.append(tokens[k])
    k = x.c.first
    while k > 0 and tokens[k].text[:1] == "و" and text[tokens[k - 1].end : tokens[k].start] == " ":
        k -= 1
        if k > 0 and text[tokens[k - 1].end : tokens[k].start] == " " and _ends_known_name(x, k):
            return False  # "على بني ملال وخنيفرة": the member before is a known name of two words
        members.append(tokens[k])
    return len(members) >= 2 and all(_unknown_conjunct(x, t) for t in members)


def _ends_known_name(x: Context, k: int) -> bool:
    """Tokens ``k - 1`` and ``k`` are together a name the gazetteer knows ("بني ملال"), read through proclitics."""
    last = x.tokens[k].text
    return any(x.gaz.has_key(norm_key(w.stem + " " + last)) for w in readings(x.tokens[k - 1]))


__all__ = ["between_second", "coordinated_locative", "noun_list"]
