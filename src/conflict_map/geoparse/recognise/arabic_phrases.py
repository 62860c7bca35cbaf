"""Arabic noun phrases that a place's name cannot head: evidence that a word read as a place is a common noun.

A place's name is definite by itself, takes no Arabic article unless the name has one, and is feminine (a
town) whatever its form. So an indefinite adjective after it ("عمارة سكنية"), the article on a foreign name
("السيول"), a definite noun in construct with it after a preposition ("عند مفرق الطريق") or a definite common
noun coordinated with it ("الخضر والفاكهة") say the word is a common noun. Used by
:mod:`.arabic_features` (``ar_noun_phrase``, ``ar_foreign_noun``).
"""

from __future__ import annotations

from conflict_map.geoparse.recognise.arabic import kind_of_word, readings
from conflict_map.geoparse.recognise.arabic_lexicon import (
    AGREEING_ADJECTIVES,
    CHAIN_HEADS,
    COPULAS,
    DIRECTIONS,
    GIVEN_NAMES,
    KUNYA,
    LOCATIVE_BEFORE,
    NEVER,
    PLACE_ADJECTIVES,
    TIME_WORDS,
    TITLES,
    TRIBE_WORDS,
)
from conflict_map.geoparse.recognise.features import Context
from conflict_map.text.arabic import fold
from conflict_map.text.names import skeleton
from conflict_map.text.tokens import Token

#: Adjectives of direction: after a place's name they describe the place ("القدس الشرقية").
_DIRECTION_ADJECTIVES = frozenset(
    fold(w) for w in "الشرقي الشرقية الغربي الغربية الشمالي الشمالية الجنوبي الجنوبية الأوسط الوسطى".split()
)


def _stems_before(x: Context) -> set[str]:
    """The folded stems of the word right before the name (only a space between, no و/ف on the name)."""
    prev = x.prev
    if prev is None or not prev.arabic or x.gap_prev != " " or any(ch in x.c.clitic for ch in "وف"):
        return set()
    return {w.stem for w in readings(prev)}


#: Prepositions: they go before common nouns as often as before names ("في سيول" in floods).
PREPOSITIONS = frozenset(fold(w) for w in "في من إلى الى عن عند على مع بعد قبل".split())


def article_noun(x: Context) -> bool:
    """The word is an Arabic common noun: it takes the Arabic article, which a foreign name never does
    ("السيول" the floods, while Seoul is "سيول"; "اللوم"), or its form with the article is about as frequent
    as the bare one ("سيول" and "السيول"; but "موسكو", "واشنطن" never take it)."""
    key = x.c.key
    if key.startswith("ال"):
        return x.c.match == "skeleton"  # the article is the writer's, not the name's
    with_article = x.gaz.arabic_zipf("ال" + key)
    return with_article >= 3.0 and with_article >= x.gaz.arabic_zipf(key) - 1.0


def _next_word(x: Context) -> Token | None:
    """The Arabic word right after the name (one space between), or None."""
    nxt = x.nxt
    return nxt if nxt is not None and nxt.arabic and x.gap_next == " " else None


def common_noun_phrase(x: Context, excess: float) -> bool:
    """The name heads a common noun phrase, which a place's name cannot (a name is definite by itself):

    * an indefinite feminine adjective agrees with it ("عمارة سكنية" a residential building, not Amarah;
      after a copula the adjective is the name's predicate instead: "كانت حلب سورية");
    * a definite adjective of size, number or position agrees with it while the word is at least as frequent as
      such a place is named ("هي العقبة الكبرى" the biggest obstacle; "القاهرة الكبرى", a capital, is Greater
      Cairo);
    * it is in construct with a frequent definite common noun, being a frequent word itself ("مفرق الطريق" the
      road junction; not a time word: "حلب اليوم");
    * a frequent word read as a minor place is coordinated with a definite common noun ("الخضر والفاكهة").
    """
    nxt = _next_word(x)
    if nxt is None or x.c.clitic.strip("وف"):
        return False
    written = x.text[x.c.start : x.c.end]
    key, after = x.c.key, fold(nxt.text)
    if not key.startswith("ال"):
        before = _stems_before(x)
        if written.endswith("ة") and nxt.text.endswith("ية") and len(after) >= 4:
            return _bare_word(x, nxt) and not before & COPULAS
        return (
            bool(before & PREPOSITIONS)  # "عند مفرق الطريق"; not a subject before its object: "دانت بغداد الهجوم"
            and not any(r in x.gaz.capitals for r in x.rows)
            and x.gaz.arabic_zipf(key) >= 3.0
            and after.startswith("ال")
            and not after.startswith("الم")  # a participle ("المحاصرة") may be an adjective of the place
            and not after.endswith(("ي", "يه"))
            and after not in TIME_WORDS | PLACE_ADJECTIVES | AGREEING_ADJECTIVES | NEVER
            and x.gaz.arabic_zipf(after) >= 4.0
            and not x.gaz.has_key(after)
            and kind_of_word(nxt) is None
        )
    if excess >= 0.5 and x.best < 5.5 and _coordinated_noun(x, nxt):
        return True
    return (
        after in AGREEING_ADJECTIVES
        and after not in _DIRECTION_ADJECTIVES
        and excess >= 0.0
        and not any(r in x.gaz.capitals for r in x.rows)
    )


def _bare_word(x: Context, t: Token) -> bool:
    """A word without the article or a proclitic before another name ("سكنية"; not "والزاوية", "وحلب")."""
    if t.text.startswith(("ال", "وال", "فال", "بال", "لل")) or kind_of_word(t) is not None:
        return False
    return not any(w.clitic and x.gaz.has_key(w.stem) for w in readings(t))


def _coordinated_noun(x: Context, nxt: Token) -> bool:
    """ "الخضر والفاكهة" (vegetables and fruit): a frequent definite word coordinated with a definite common noun
    that is no place, no kind word and no participle ("الموصل والمناطق المحيطة" may still be Mosul)."""
    if not nxt.text.startswith("وال"):
        return False
    other = fold(nxt.text[1:])
    return (
        not other.startswith("الم")
        and other not in NEVER
        and x.gaz.arabic_zipf(other) >= 3.5
        and not x.gaz.has_key(other)
        and not x.gaz.has_skeleton(skeleton(other))
        and kind_of_word(nxt) is None
    )


def organisation_chain(x: Context, chain: list[Token]) -> bool:
    """ "غرفة تجارة البصرة" (Basra's chamber of commerce), "قيادة عمليات الأنبار", "مديرية شرطة كركوك": the name
    ends a construct chain whose head is a body (:data:`.arabic_lexicon.CHAIN_HEADS`) and whose middle word
    is an indefinite common noun of its field. ``chain``: the words before the name, nearest first."""
    if len(chain) < 2 or x.c.clitic or not {w.stem for w in readings(chain[1])} & CHAIN_HEADS:
        return False
    return _field_noun(x, chain[0])


#: Words that are no field of a body: what else may stand between a head and a place.
_NOT_FIELDS = LOCATIVE_BEFORE | NEVER | DIRECTIONS | TITLES | KUNYA | TRIBE_WORDS | GIVEN_NAMES | CHAIN_HEADS


def _field_noun(x: Context, t: Token) -> bool:
    """An indefinite common noun as written, without the article or a proclitic ("تجارة", "عمليات", "شرطة"):
    a frequent word that is no kind word, no place's name (unless far more frequent: "أمن") and no name."""
    if not t.arabic or t.text.startswith("ال") or kind_of_word(t) is not None:
        return False
    word = fold(t.text)
    zipf = x.gaz.arabic_zipf(word)
    return word not in _NOT_FIELDS and zipf >= 3.0 and (zipf >= 4.5 or not x.gaz.has_key(word))


__all__ = ["PREPOSITIONS", "article_noun", "common_noun_phrase", "organisation_chain"]
