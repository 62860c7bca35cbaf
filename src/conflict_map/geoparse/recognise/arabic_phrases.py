"""Arabic noun phrases that a place's name cannot head: evidence that a word read as a place is a common noun.

A place's name is definite by itself, takes no Arabic article unless the name has one, and is feminine (a
town) whatever its form. So an indefinite adjective after it ("عمارة سكنية"), the article on a foreign name
("السيول"), a definite noun in construct with it after a preposition ("عند مفرق الطريق") or a definite common
noun coordinated with it ("الخضر والفاكهة") say the word is a common noun. Used by
:mod:`.arabic_features` (``ar_noun_phrase``, ``ar_foreign_noun``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from conflict_map.gazetteer.index import Gazetteer
from conflict_map.geoparse.recognise.arabic import kind_of_word, nisba_country, readings
from conflict_map.geoparse.recognise.arabic_lexicon import (
    ADVERBS,
    AGREEING_ADJECTIVES,
    CHAIN_HEADS,
    COPULAS,
    DIRECTIONS,
    GIVEN_NAMES,
    KUNYA,
    LOCATIVE_BEFORE,
    NEVER,
    PLACE_ADJECTIVES,
    PRAYER_WORDS,
    REGION_ADJECTIVES,
    SPORTS_ROLES,
    SPORTS_WORDS,
    TIME_HEADS,
    TIME_ONLY_HEADS,
    TIME_WORDS,
    TIMES_OF_DAY,
    TITLES,
    TOWN_PART_NOUNS,
    TRIBE_WORDS,
)
from conflict_map.geoparse.recognise.features import Context
from conflict_map.text.arabic import fold
from conflict_map.text.names import norm_key, skeleton
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


#: Definite words after a name that are no common noun in construct with it (times, adjectives, "البلد").
_NOT_CONSTRUCT_NOUNS = TIME_WORDS | PLACE_ADJECTIVES | AGREEING_ADJECTIVES | NEVER | TOWN_PART_NOUNS


def common_noun_phrase(x: Context, excess: float) -> bool:
    """The name heads a common noun phrase, which a place's name cannot (a name is definite by itself):

    * an indefinite feminine adjective agrees with it ("عمارة سكنية" a residential building, not Amarah;
      after a copula the adjective is the name's predicate instead: "كانت حلب سورية");
    * a definite adjective of size, number or position agrees with it while the word is at least as frequent as
      such a place is named ("هي العقبة الكبرى" the biggest obstacle; "القاهرة الكبرى", a capital, is Greater
      Cairo);
    * it is in construct with a frequent definite common noun, being a frequent word itself ("مفرق الطريق" the
      road junction; not a time word: "حلب اليوم"; not "البلد" naming a town's old centre: "درعا البلد");
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
        if excess >= 0.5 and x.best < 5.5 and _indefinite_genitive(x, nxt):
            return True
        return (
            bool(before & PREPOSITIONS)  # "عند مفرق الطريق"; not a subject before its object: "دانت بغداد الهجوم"
            and not any(r in x.gaz.capitals for r in x.rows)
            and x.gaz.arabic_zipf(key) >= 3.0
            and after.startswith("ال")
            and not after.startswith("الم")  # a participle ("المحاصرة") may be an adjective of the place
            and not after.endswith(("ي", "يه"))
            and after not in _NOT_CONSTRUCT_NOUNS
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


#: How frequent the indefinite noun after a word must be to read the two as a construct phrase.
_GENITIVE_ZIPF = 3.0
#: Words after a name that are no genitive of it: function words, words of time ("جنين صباح اليوم", Jenin this
#: morning) and place, adverbs.
_NOT_GENITIVES = (
    NEVER
    | LOCATIVE_BEFORE
    | DIRECTIONS
    | ADVERBS
    | COPULAS
    | {w[2:] if w.startswith("ال") else w for w in TIME_WORDS | TIMES_OF_DAY}
    | frozenset(fold(w) for w in "يوم ليلة ليل نهار ساعة ساعات أيام أسابيع أشهر شهور سنوات أعوام عشية".split())
)


def _indefinite_genitive(x: Context, nxt: Token) -> bool:
    """ "في بستان نخيل" (in a palm orchard), "إلى سلوك طريق ترابي" (to taking a dirt road): a frequent word read
    as a minor place, followed by a frequent indefinite common noun that names no place, is the head of a
    construct phrase (or a verbal noun with its object); a place's name is definite and takes no indefinite
    genitive. Not a name joined by و to another ("في الرفاع وسترة طوابير": after a list of places a noun may be
    the subject of the verb before them), nor before a preposition written on a word ("في سوق حديثة بأسعار")."""
    if "و" in x.c.clitic:
        return False
    after = fold(nxt.text)
    if any(w.clitic and x.gaz.arabic_zipf(w.stem) >= _GENITIVE_ZIPF for w in readings(nxt)):
        return False  # "بأسعار": ب + a frequent word, a prepositional phrase
    return (
        len(after) >= 3
        and after not in _NOT_GENITIVES
        and x.gaz.arabic_zipf(after) >= _GENITIVE_ZIPF
        and not x.gaz.has_key(after)
        and _bare_word(x, nxt)
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
    is an indefinite common noun of its field; the field may be two nouns joined by و ("مفتشية آثار وتراث ذي قار",
    the inspectorate of antiquities and heritage). ``chain``: the words before the name, nearest first."""
    if len(chain) < 2 or x.c.clitic:
        return False
    if {w.stem for w in readings(chain[1])} & CHAIN_HEADS:
        return _field_noun(x, chain[0])
    return (
        len(chain) >= 3
        and chain[0].text.startswith("و")
        and bool({w.stem for w in readings(chain[2])} & CHAIN_HEADS)
        and _field_noun(x, chain[1])
        and _field_noun(x, chain[0], clitic=1)
    )


#: Words that are no field of a body: what else may stand between a head and a place.
_NOT_FIELDS = LOCATIVE_BEFORE | NEVER | DIRECTIONS | TITLES | KUNYA | TRIBE_WORDS | GIVEN_NAMES | CHAIN_HEADS


def _field_noun(x: Context, t: Token, clitic: int = 0) -> bool:
    """An indefinite common noun as written, without the article or a proclitic ("تجارة", "عمليات", "شرطة"):
    a frequent word that is no kind word, no place's name (unless far more frequent: "أمن") and no name.
    ``clitic``: how many letters of a conjunction to skip first ("وتراث")."""
    written = t.text[clitic:]
    if not t.arabic or written.startswith("ال") or kind_of_word(t) is not None:
        return False
    word = fold(written)
    zipf = x.gaz.arabic_zipf(word)
    return word not in _NOT_FIELDS and zipf >= 3.0 and (zipf >= 4.5 or not x.gaz.has_key(word))


_LIWA = frozenset({fold("لواء")})
_TOWN_KINDS = frozenset({"city", "town", "village", "district"})
#: How frequent a dual's singular must be ("بئر" a well), and how rare the dual as written, to read it as a noun.
_SINGULAR_ZIPF = 4.0
_DUAL_ZIPF = 3.0


#: The preposition "على" (on) folds to the given name "علي" (Ali): as written with alef maqsura it is no name.
_ALA = "على"


def given_name_word(t: Token) -> bool:
    """A common given name, read through its proclitics ("وحسن"); not the preposition "على" ("على الرمادي")."""
    return any(w.stem in GIVEN_NAMES and t.text[w.offset :] != _ALA for w in readings(t))


#: How frequent the middle word of a person's three-part name may be (a father's name is rarer than a common noun).
_FATHER_ZIPF = 4.0


_NOT_FATHERS = NEVER | LOCATIVE_BEFORE | TIME_WORDS


def three_part_name(x: Context) -> bool:
    """ "سالم مفلح الخالدي": a name without the article, then a bare word that names no place, then a definite
    masculine nisba (ending in ya, not alef maqsura: "جثامين القتلى" is a noun and its genitive) is a person's
    given name, father's name and family name. An indefinite word cannot take a
    definite adjective, so the nisba is no adjective of the middle word, and a place's name is followed by no
    such chain (an adjective of place, "الشرقي", or a country's nisba, "العراقي", after it says nothing)."""
    key = x.c.key
    if x.c.first != x.c.last or key.startswith("ال") or x.c.kind_word or x.c.clitic.strip("وف"):
        return False
    father = _next_word(x)
    k = x.c.last + 2
    if father is None or k >= len(x.tokens) or x.text[father.end : x.tokens[k].start] != " ":
        return False
    family = x.tokens[k]
    surname = fold(family.text)
    if not (family.arabic and family.text.startswith("ال") and family.text.endswith("ي") and len(surname) >= 5):
        return False
    if surname in PLACE_ADJECTIVES | _DIRECTION_ADJECTIVES or nisba_country(family, x.gaz) is not None:
        return False
    name = fold(father.text)
    if father.text.startswith("ال") or name in _NOT_FATHERS or kind_of_word(father):
        return False
    if any(x.gaz.has_key(w.stem) for w in readings(father)):
        return False
    return name in GIVEN_NAMES or x.gaz.arabic_zipf(name) < _FATHER_ZIPF


#: The adjective "of the border", masculine and feminine.
_BORDER_ADJECTIVES = frozenset(fold(w) for w in "الحدودي الحدودية".split())


def border_adjective(x: Context) -> bool:
    """ "مركز جابر الحدودي" (the Jaber border post), "بلدة كفركلا الحدودية": a name in construct after a bare noun
    and followed by the adjective "of the border", which agrees with that noun, is a border post's or town's name
    (after a definite noun the adjective is that noun's: "القرى الحدودية", "الشريط الحدودي")."""
    nxt, prev = _next_word(x), x.prev
    if nxt is None or fold(nxt.text) not in _BORDER_ADJECTIVES or x.c.clitic or x.c.key.startswith("ال"):
        return False
    if prev is None or not prev.arabic or x.gap_prev != " " or prev.text.startswith(("ال", "وال", "بال", "لل")):
        return False
    return not {w.stem for w in readings(prev)} & _NOT_POST_HEADS


#: Words before a name that head no border post's name: function words, prepositions, titles.
_NOT_POST_HEADS = NEVER | LOCATIVE_BEFORE | TITLES


def jordan_liwa(x: Context, stems_before: set[str]) -> bool:
    """ "لواء ذيبان": in Jordan a liwa is a district, so "لواء" before a Jordanian town names the district, not a
    brigade (:data:`.arabic_lexicon.ORG_HEADS`)."""
    return bool(stems_before & _LIWA) and any(
        x.gaz.country_of(r) == "JO" and x.gaz.kind_of(r) in _TOWN_KINDS for r in x.rows
    )


def dual_noun(x: Context) -> bool:
    """ "على بئرين" (on two wells), "في مدرستين": the dual (or oblique plural) of a frequent common noun, written
    without the article, is the noun and not a minor place it happens to spell; a place named so is frequent as
    written ("جنين", "حطين") or its singular names a place too ("نصيبين" Nusaybin, "نصيب")."""
    key = x.c.key
    if x.c.kind_word or key.startswith("ال") or not key.endswith("ين") or x.best >= 5.5:
        return False
    if x.gaz.arabic_zipf(key) >= _DUAL_ZIPF:
        return False
    singulars = [key[:-2]] + ([key[:-3] + "ه"] if key.endswith("تين") else [])
    return any(
        len(s) >= 3 and x.gaz.arabic_zipf(s) >= _SINGULAR_ZIPF and not x.gaz.has_key(s) for s in singulars
    )  # a singular that names a place itself makes a related name ("نصيب", "نصيبين" Nusaybin)


def region_phrase(x: Context) -> bool:
    """ "أمريكا اللاتينية" (Latin America), "آسيا الوسطى" (Central Asia), "أوروبا الشرقية": a continent's name, or
    a name that heads one ("أمريكا الجنوبية" is South America), followed by an adjective of region names a region
    the gazetteer does not know, not the place its first word names ("أمريكا" alone is the United States)."""
    if x.c.first != x.c.last or x.c.whole:
        return False
    nxt = _next_word(x)
    return nxt is not None and fold(nxt.text) in REGION_ADJECTIVES and _heads_continent(x.gaz, x.c.key)


@lru_cache(maxsize=10_000)
def _heads_continent(gaz: Gazetteer, key: str) -> bool:
    """The name is a continent's, or the first word of one with an adjective of region ("أمريكا الشمالية")."""
    keys = [key] + [norm_key(key + " " + adj) for adj in REGION_ADJECTIVES]
    return any(gaz.kind_of(r) == "continent" for k in keys for r in gaz.rows_for_key(k))


#: How frequent the positive adjective of an elative must be ("قصير" short, of "أقصر" shorter).
_POSITIVE_ZIPF = 3.5


def elative(x: Context) -> bool:
    """ "أقصر بثلاث ساعات" (shorter by three hours), "أكبر من": a word of the elative pattern أفعل (alef and three
    sound root letters, no article) in a comparison (than "من", by "ب...", or after a copula) whose positive
    adjective of the pattern فعيل is a frequent word ("قصير", "كبير") is the comparative adjective, not the
    place it spells ("أقصر" is an alias of Luxor, whose name has the article: "الأقصر"). Places of that shape
    have no such adjective ("أبين", "إدلب", "إربد")."""
    key = x.c.key
    if x.c.first != x.c.last or x.c.clitic or len(key) != 4 or key[0] != "ا" or x.c.kind_word:
        return False
    if any(ch in "اوي" for ch in key[1:]) or x.gaz.arabic_zipf(key[1:3] + "ي" + key[3]) < _POSITIVE_ZIPF:
        return False  # a weak root letter: "أمان", "إطار", "أيدن" (Aydın) read as elatives of "أمين", "طيار"
    nxt = _next_word(x)
    if nxt is not None and fold(nxt.text) == "من":
        return True  # "أقصر من"
    if nxt is not None and nxt.text.startswith("ب") and kind_of_word(nxt) is None:
        return not x.gaz.has_key(fold(nxt.text[1:]))  # "أقصر بساعتين" (by two hours), not "في أسلم بحجة"
    return bool(_stems_before(x) & COPULAS)  # "صارت أقصر"


def self_plural_construct(x: Context) -> bool:
    """ "قدس الأقداس" (the holy of holies), "ملك الملوك", "سر الأسرار": a noun in construct with the definite
    plural of its own root (patterns أفعال and فعول) is an idiom of the superlative, not the place the noun
    spells ("قدس" is also an alias of Jerusalem, "القدس")."""
    key = x.c.key
    nxt = _next_word(x)
    if x.c.first != x.c.last or len(key) != 3 or nxt is None:
        return False
    after = fold(nxt.text)
    return after in ("الا" + key[:2] + "ا" + key[2], "ال" + key[:2] + "و" + key[2])


#: How many words either side of a time of day are searched for a word of prayer.
_PRAYER_REACH = 12


def time_of_day(x: Context) -> str | None:
    """ "حتى الضحى" (until mid-morning), "بعد صلاة المغرب", "صلاتي العصر والمغرب": a time of day or prayer after a
    word of time ("حتى", "بعد", "عند", "صلاة", "أذان") or coordinated with another time is the time, not the place it
    spells: ``"time"``. A country's name (المغرب, Morocco) is the time with a word of prayer in its sentence; after
    a preposition of time alone ("بعد المغرب" after the sunset prayer, "قبل المغرب") it is ``"doubtful"``: the
    time unless the article's places are near the country (the discourse rule ``foreign_common_word``), as "after
    Morocco" in a ranking is rare beside "after sunset". Never when it is coordinated with a place ("بعد المغرب
    والجزائر") or carries a preposition ("بالمغرب"). None for other words."""
    if x.c.first != x.c.last or x.c.key not in TIMES_OF_DAY or x.c.clitic.strip("وف"):
        return None
    prev, nxt = x.prev, _next_word(x)
    if prev is None or not prev.arabic or x.gap_prev != " ":
        return None
    if nxt is not None and nxt.text.startswith("و") and _names_place(x, nxt):
        return None  # "المغرب والجزائر"
    stems = {w.stem for w in readings(prev)}
    heads = TIMES_OF_DAY if "و" in x.c.clitic else TIME_HEADS  # "العصر والمغرب": coordinated with a time
    if not stems & heads:
        return None
    if not any(x.gaz.kind_of(r) == "country" for r in x.rows) or stems & PRAYER_WORDS or _prayer_near(x):
        return "time"
    return "doubtful" if stems & TIME_ONLY_HEADS else None


def _names_place(x: Context, t: Token) -> bool:
    """The word (after its و) is a place's name and no time of day."""
    stem = fold(t.text[1:])
    return stem not in TIMES_OF_DAY and x.gaz.has_key(stem)


def _prayer_near(x: Context) -> bool:
    """A word of prayer or fasting in the name's sentence, within :data:`_PRAYER_REACH` words."""
    tokens, k = x.tokens, x.c.first
    lo, hi = max(0, k - _PRAYER_REACH), min(len(tokens), k + _PRAYER_REACH + 1)
    for m in range(k - 1, lo - 1, -1):
        if {w.stem for w in readings(tokens[m])} & PRAYER_WORDS:
            return True
        if m in x.sent_first:
            break
    for m in range(k + 1, hi):
        if m in x.sent_first:
            break
        if {w.stem for w in readings(tokens[m])} & PRAYER_WORDS:
            return True
    return False


#: Distinct words of a match report that make an article a sports article.
_SPORTS_MIN = 2


def sports_team(x: Context) -> bool:
    """ "وقال مدرب زاخو" (Zakho's coach), "فاز فريق دهوك على ضيفه زاخو" (its guest, Zakho): in a match report (two
    or more words such as "مباراة", "الدوري", "بهدفين"), a town named right after a team's role is the club, an
    organisation. A country's name stays (a national team is named after the country it stands for)."""
    prev = x.prev
    if x.c.clitic or prev is None or not prev.arabic or x.gap_prev != " ":
        return False
    if not {w.stem for w in readings(prev)} & SPORTS_ROLES:
        return False
    if any(x.gaz.kind_of(r) == "country" for r in x.rows):
        return False
    seen: set[str] = set()
    for t in x.tokens:
        if t.arabic:
            seen |= {w.stem for w in readings(t)} & SPORTS_WORDS
            if len(seen) >= _SPORTS_MIN:
                return True
    return False


#: Latin initials an Arabic-script initial may be written with (a place's Latin name against its alias).
_LATIN_INITIALS = {
    "ب": "bp", "ت": "t", "ث": "tsh", "ج": "jgdz", "ح": "h", "خ": "khx", "د": "d", "ذ": "dzt", "ر": "r",
    "ز": "zs", "س": "sc", "ش": "scš", "ص": "s", "ض": "dz", "ط": "t", "ظ": "zd", "غ": "gr", "ف": "fpv",
    "ق": "qkg", "ك": "kcgq", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "wvou", "ي": "yije",
    "پ": "p", "چ": "c", "ژ": "zj", "گ": "g",
}  # fmt: skip
_LATIN_ARTICLE_RE = re.compile(r"^(?:a[ln]|el|[ae][dnrstz]|ash)[-\s’'‘]+")


def initials_agree(arabic: str, latin: str) -> bool:
    """Whether a name's Arabic-script and Latin spellings may start with the same consonant ("ماردين",
    "Mardin"); a vowel, alef, ain or hamza agrees with anything."""
    ar = arabic[2:] if arabic.startswith("ال") and len(arabic) > 4 else arabic
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", latin.lower()) if not unicodedata.combining(ch))
    plain = _LATIN_ARTICLE_RE.sub("", plain)
    letters = _LATIN_INITIALS.get(ar[:1])
    return letters is None or not plain or plain[0] in letters or not plain[0].isalpha()


_IN = frozenset({"في"})
#: "في" and directions between a name and its container ("طرابلس في شمال لبنان").
IN_OR_DIRECTION = _IN | DIRECTIONS
_CONTAINER_KINDS = frozenset({"country", "province", "region"})


def container_rows(x: Context, k: int) -> tuple[int, ...]:
    """Rows of a country, province or region named from token ``k`` (up to three words, longest first)."""
    tokens = x.tokens
    for j in range(min(len(tokens), k + 3) - 1, k - 1, -1):
        if any(tokens[m].start - tokens[m - 1].end != 1 for m in range(k + 1, j + 1)):
            continue
        key = " ".join(fold(tokens[m].text) for m in range(k, j + 1))
        if key in NEVER:
            return ()
        rows = _container_of(x.gaz, key)
        if rows:
            return rows
    return ()


@lru_cache(maxsize=50_000)
def _container_of(gaz: Gazetteer, key: str) -> tuple[int, ...]:
    return tuple(r for r in gaz.rows_for_key(key) if gaz.kind_of(r) in _CONTAINER_KINDS)


__all__ = [
    "IN_OR_DIRECTION",
    "PREPOSITIONS",
    "article_noun",
    "border_adjective",
    "common_noun_phrase",
    "container_rows",
    "dual_noun",
    "elative",
    "given_name_word",
    "initials_agree",
    "jordan_liwa",
    "organisation_chain",
    "region_phrase",
    "self_plural_construct",
    "sports_team",
    "three_part_name",
    "time_of_day",
]
