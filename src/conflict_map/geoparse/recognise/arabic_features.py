"""The recogniser's evidence for names written in Arabic script: small named functions, like :mod:`.features`.

Arabic has no capitals, so what makes a word a place name is its context: a kind word before it ("مدينة",
"محافظة"), a preposition or direction ("في", "قرب", "شمالي"), a proclitic ب ("ببغداد", in Baghdad); and what
makes it no place: a common word ("مدينة", "بأنه" are far more frequent than Medina or Baneh are named), a
person's name (a kunya "أبو بكر البغدادي", a given name "محمد الخليل", a title "الشيخ"), a tribe ("عشيرة
العبيد"), an organisation ("فيلق القدس"), a fixed expression ("حماة الديار"), an adjective agreeing with the
noun before it ("الضفة الشرقية"). Each function returns the name of the feature that fires, or None; the
weights are the ``ar_*`` entries of ``geoparse/weights.json`` (hand-set on the Arabic dev texts).
"""

from __future__ import annotations

import re

from conflict_map.gazetteer.scoring import TRANSLITERATED
from conflict_map.geoparse.recognise.arabic import kind_of_word, nisba_country, readings
from conflict_map.geoparse.recognise.arabic_lexicon import (
    ADVERBS,
    AGREEING_ADJECTIVES,
    ARAB_COUNTRIES,
    COLLOCATIONS,
    COUNCIL_HEADS,
    DIRECTIONS,
    GIVEN_NAMES,
    KUNYA,
    LOCATIVE_BEFORE,
    NEVER,
    NEVER_HEADS,
    OFFICE_OF,
    ORG_HEADS,
    ORGANISATIONS,
    PLACE_ADJECTIVES,
    TITLES,
    TRIBE_WORDS,
    never_as_written,
)
from conflict_map.geoparse.recognise.arabic_lists import between_second, coordinated_locative, noun_list
from conflict_map.geoparse.recognise.arabic_phrases import (
    IN_OR_DIRECTION,
    PREPOSITIONS,
    article_noun,
    border_adjective,
    common_noun_phrase,
    container_rows,
    dual_noun,
    elative,
    given_name_word,
    initials_agree,
    jordan_liwa,
    organisation_chain,
    region_phrase,
    self_plural_construct,
    sports_team,
    three_part_name,
    time_of_day,
)
from conflict_map.geoparse.recognise.features import Context
from conflict_map.text.arabic import fold
from conflict_map.text.names import norm_key
from conflict_map.text.tokens import Token

#: Hints the Arabic features leave (merged into :data:`.features.FEATURE_HINTS`).
ARABIC_HINTS: dict[str, frozenset[str]] = {
    "ar_kind_populated": frozenset({"populated", "typed"}),
    "ar_kind_district": frozenset({"populated", "typed"}),
    "ar_kind_admin": frozenset({"admin", "typed"}),
    "ar_kind_facility": frozenset({"typed"}),
    "ar_kind_water": frozenset({"water", "typed"}),
    "ar_kind_area": frozenset({"typed"}),
    "ar_office_admin": frozenset({"admin"}),
    "ar_office_town": frozenset({"populated"}),
    "ar_title_before": frozenset({"veto", "person"}),
    "ar_kunya_chain": frozenset({"veto", "person"}),
    "ar_given_name_before": frozenset({"veto", "person"}),
    "ar_given_name_surname": frozenset({"veto", "person"}),
    "ar_given_name_father": frozenset({"veto", "person"}),
    "ar_elative": frozenset({"veto"}),
    "ar_tribe": frozenset({"veto"}),
    "ar_organisation": frozenset({"veto"}),
    "ar_org_head": frozenset({"veto"}),
    "ar_collocation": frozenset({"veto"}),
    "ar_adjective_agreeing": frozenset({"veto"}),
    "ar_adjective_accusative": frozenset({"veto"}),
    "ar_clitic_word": frozenset({"veto"}),
    "ar_plural_alias": frozenset({"veto"}),
    "ar_dual_noun": frozenset({"veto"}),
    "ar_liwa_district": frozenset({"populated", "typed"}),
    "ar_noun_phrase": frozenset({"veto"}),
    "ar_region_phrase": frozenset({"veto"}),
    "ar_time_of_day": frozenset({"veto"}),
    "ar_sports_team": frozenset({"veto"}),
    "ar_border_post": frozenset({"typed"}),
}
_KIND_FEATURE = {
    "populated": "ar_kind_populated",
    "district": "ar_kind_district",
    "admin": "ar_kind_admin",
    "water": "ar_kind_water",
    "area": "ar_kind_area",
    "quarter": "ar_kind_area",
}
#: Words that end a person's, tribe's or organisation's name chain read backwards: prepositions, function words.
_CHAIN_BREAKS = LOCATIVE_BEFORE | NEVER
#: Punctuation that ends a person's or an organisation's name chain.
_BREAKS = frozenset(',،.؛:;!?؟()"«»“”\n')


def _arabic(x: Context) -> bool:
    return x.tokens[x.c.first].arabic


def _stems(t: Token | None) -> set[str]:
    """The folded stems of a token's proclitic readings (an Arabic token), or its lower case."""
    if t is None:
        return set()
    if not t.arabic:
        return {t.lower}
    return {w.stem for w in readings(t)}


def _adjacent_before(x: Context) -> Token | None:
    """The word right before the name, when only a space separates them and the name has no و/ف proclitic."""
    if x.prev is None or x.gap_prev != " " or any(ch in x.c.clitic for ch in "وف"):
        return None
    return x.prev


def _chain_back(x: Context, limit: int) -> list[Token]:
    """Up to ``limit`` words before the name, nearest first, stopping at punctuation or a line break."""
    chain = x.memo.get("chain")
    if chain is None:
        chain = x.memo["chain"] = _words_back(x, 4)
    return chain[:limit]  # type: ignore[index]


def _words_back(x: Context, limit: int) -> list[Token]:
    out: list[Token] = []
    k = x.c.first
    while k > 0 and len(out) < limit:
        gap = x.text[x.tokens[k - 1].end : x.tokens[k].start]
        if any(ch in _BREAKS for ch in gap) or any(ch.isdigit() for ch in gap):
            break
        out.append(x.tokens[k - 1])
        k -= 1
    return out


def kind_word_before(x: Context) -> str | None:
    """ "مدينة الموصل", "محافظة الأنبار", "مطار بغداد": a kind word says what the name is (not a kind word with
    the article that an adjective agrees with: "الأحياء الشرقية", see :func:`adjective_arabic`)."""
    if not x.c.kind_word or adjective_arabic(x):
        return None
    return _KIND_FEATURE.get(x.c.kind_word, "ar_kind_facility")


def named_with_kind(x: Context) -> str | None:
    """ "منفذ الوليد", "سد تشرين", "قطاع غزة": the kind word and the name together are a known name."""
    return "ar_named_with_kind" if x.c.whole and not adjective_arabic(x) else None


def proclitic_preposition(x: Context) -> str | None:
    """ "ببغداد" (in Baghdad), "لبيروت" (of Beirut): a preposition written on the name."""
    clitic = x.c.clitic
    if "ب" in clitic:
        return "ar_clitic_bi"
    if "ل" in clitic or "ك" in clitic:
        return "ar_clitic_li"
    return None


def word_before_arabic(x: Context) -> str | None:
    """ "في", "قرب", "شمالي", "استهدفت" before the name; "محافظ نينوى" (an office of the place); a title."""
    if not _arabic(x) and (x.prev is None or not x.prev.arabic):
        return None
    if between_second(x) or coordinated_locative(x):
        return "ar_locative_before"  # "بين X وY", "في X وY"
    prev = _adjacent_before(x)
    if prev is None or not prev.arabic:
        return None
    stems = _stems(prev)
    if jordan_liwa(x, stems):
        return "ar_liwa_district"
    if stems & TITLES:
        return "ar_title_before"
    for s in stems:
        office = OFFICE_OF.get(s)
        if office:
            return "ar_office_admin" if office == "admin" else "ar_office_town"
    if stems & LOCATIVE_BEFORE:
        return "ar_locative_before"
    return None


def kunya_chain_arabic(x: Context) -> str | None:
    """ "أبو بكر البغدادي", "خالد بن الوليد": a kunya or filiation up to three words before, names between. A name
    coordinated by و is no link of a person's chain ("من الزبير وأبي الخصيب والقرنة": a list of places)."""
    if not _arabic(x) or "و" in x.c.clitic:
        return None
    for k, t in enumerate(_chain_back(x, 3)):
        stems = _stems(t)
        if stems & KUNYA:
            return "ar_kunya_chain"
        if stems & _CHAIN_BREAKS or kind_of_word(t) or k == 2:
            return None
    return None


def given_name_arabic(x: Context) -> str | None:
    """ "محمد الخليل": a given name right before a name with the article; "حسن رياض": a given name right before
    a name without it is the father's name of a person's chain (given name, father's name), unless the name is
    a country's; "عمران العصيمي": the name is a given name followed by a surname (an article word that is no
    place and no adjective)."""
    if not _arabic(x) or x.c.first != x.c.last:
        return None
    prev = _adjacent_before(x)
    if prev is not None and prev.arabic and given_name_word(prev):
        if x.c.key.startswith("ال"):
            return "ar_given_name_before"
        if not x.c.clitic and not x.c.kind_word and not any(x.gaz.kind_of(r) == "country" for r in x.rows):
            return "ar_given_name_father"
    nxt = x.nxt
    if (
        x.c.key in GIVEN_NAMES
        and not x.c.clitic.strip("وف")
        and nxt is not None
        and nxt.arabic
        and x.gap_next == " "
        and nxt.text.startswith("ال")
    ):
        folded = fold(nxt.text)
        if folded not in PLACE_ADJECTIVES and not x.gaz.has_key(folded) and x.gaz.arabic_zipf(folded) < 4.0:
            return "ar_given_name_surname"
    return "ar_given_name_surname" if three_part_name(x) else None  # "سالم مفلح الخالدي"


def tribe_arabic(x: Context) -> str | None:
    """ "عشيرة العبيد", "قبيلتي أولاد سليمان والتبو", "البو نمر": a tribe word before, names between. A tribe word
    that begins a known place's name with the next word ("بني ملال", "بني نعيم") is part of that name, not a
    tribe: "على بني ملال وخنيفرة" lists two towns."""
    if not _arabic(x):
        return None
    chain = _chain_back(x, 4)
    for k, t in enumerate(chain):
        stems = _stems(t)
        if stems & TRIBE_WORDS:
            if k > 0 and any(x.gaz.has_key(norm_key(s + " " + chain[k - 1].text)) for s in stems & TRIBE_WORDS):
                continue
            return "ar_tribe"
        if stems & _CHAIN_BREAKS or kind_of_word(t) or k == 3:
            return None
    return None


def _phrase_around(x: Context, before: int, after: int) -> str:
    """The folded words around the name (``before`` words before it, ``after`` after it), one space apart."""
    lo = max(0, x.c.first - before)
    hi = min(len(x.tokens), x.c.last + 1 + after)
    return " ".join(fold(x.tokens[k].text) for k in range(lo, hi))


def organisation_arabic(x: Context) -> str | None:
    """ "فيلق القدس", "قوات سوريا الديمقراطية", "وزارة الداخلية": part of an organisation's name."""
    if not _arabic(x):
        return None
    orgs = _ORGS_BY_WORD.get(x.c.key.split()[0], ())
    if orgs:
        around = _phrase_around(x, 5, 5) + " "
        for org in orgs:  # "وقوات سوريا الديمقراطية": the organisation's name may carry a proclitic
            if f" {x.c.key} " in f" {org} " and f"{org} " in around:
                return "ar_organisation"
    if sports_team(x):
        return "ar_sports_team"  # "مدرب زاخو" in a match report: the club
    prev = _adjacent_before(x)
    if prev is not None and prev.arabic and _stems(prev) & COUNCIL_HEADS and _non_geographic_adjective_after(x):
        return "ar_org_head"  # "مجلس دير الزور العسكري": the Military Council
    if organisation_chain(x, _chain_back(x, 3)):
        return "ar_org_head"  # "غرفة تجارة البصرة": the chamber of commerce
    for k, t in enumerate(_chain_back(x, 2)):
        stems = _stems(t)
        if stems & ORG_HEADS and not (k == 0 and jordan_liwa(x, stems)):
            return "ar_org_head"
        if stems & _CHAIN_BREAKS or kind_of_word(t) or k == 1:
            return None
    return None


#: Adjectives of direction: after a place's name they describe the place ("ريف حلب الشرقي"), not a council.
_DIRECTION_ADJECTIVES = frozenset(
    fold(w) for w in "الشرقي الشرقية الغربي الغربية الشمالي الشمالية الجنوبي الجنوبية الأوسط الوسطى".split()
)


def _non_geographic_adjective_after(x: Context) -> bool:
    """A definite nisba right after the name that is no direction ("العسكري", "المحلي", "الثوري")."""
    nxt = x.nxt
    if nxt is None or not nxt.arabic or x.gap_next != " ":
        return False
    word = fold(nxt.text)
    return word.startswith("ال") and word.endswith(("ي", "يه")) and word not in _DIRECTION_ADJECTIVES


def _by_word(phrases: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for p in phrases:
        for w in set(p.split()):
            out.setdefault(w, []).append(p)
    return {w: tuple(ps) for w, ps in out.items()}


_ORGS_BY_WORD = _by_word(ORGANISATIONS)
_COLLOCATIONS_BY_WORD = _by_word(COLLOCATIONS)


def collocation_arabic(x: Context) -> str | None:
    """ "حماة الديار", "جنات عدن", "القائم بالأعمال", "يفتح الباب": a fixed expression, no place."""
    if not _arabic(x):
        return None
    when = time_of_day(x)
    if when:  # "حتى الضحى": until mid-morning; "بعد المغرب": after the sunset prayer, unless near Morocco
        return "ar_time_of_day" if when == "time" else "ar_time_of_day_doubtful"
    if self_plural_construct(x):
        return "ar_collocation"  # "قدس الأقداس": the holy of holies
    phrases = _COLLOCATIONS_BY_WORD.get(x.c.key.split()[0], ())
    if phrases:
        around = _phrase_around(x, 2, 3) + " "
        for phrase in phrases:
            if f"{phrase} " in around and f" {x.c.key} " in f" {phrase} ":
                return "ar_collocation"
    return None


_NOT_NOUNS = LOCATIVE_BEFORE | NEVER - {"الحدود"}  # words after which a nisba is no adjective of a noun
#: Possessive suffixes: a noun carrying one is definite ("أحياؤها" its quarters), an adjective after it agrees.
_POSSESSIVE = ("هما", "هم", "هن", "ها", "نا", "كم")
#: Definite words that are no nouns an adjective may agree with.
_NOT_HEADS = frozenset(fold(w) for w in "التي الذي الذين اللذين اللتين اللواتي اليوم الله".split())
#: Tanwin (the indefinite ending written as a vowel mark): a name never carries it, an adjective may ("تركياً").
_TANWIN_RE = re.compile("[\u064b-\u064d]")
_NOT_DEFINITE = LOCATIVE_BEFORE | _NOT_HEADS
_NOT_ACCUSATIVE = LOCATIVE_BEFORE | NEVER | DIRECTIONS


def _definite_noun(t: Token, *, common: bool) -> bool:
    """A definite noun an adjective may agree with: with the article ("الرايات") or a possessive suffix
    ("أحيائها"). ``common``: a frequent noun such as "المنطقة" or "المدينة" counts too."""
    stems = _stems(t)
    if stems & _NOT_DEFINITE or (not common and stems & _NOT_NOUNS):
        return False
    if any(s.startswith("ال") for s in stems):
        return True
    bare = fold(t.text)
    for suffix in _POSSESSIVE:
        if bare.endswith(suffix) and len(bare) - len(suffix) >= 3:
            return bare[: -len(suffix)] not in _NOT_NOUNS and kind_of_word(t) is None  # not "منها", "عليها"
    return False


def _indefinite_accusative(t: Token) -> bool:
    """An indefinite noun or adjective in the accusative, ending in alef ("قصفا", "مدفعيا"): no article, no
    adverb ("خصوصا"), preposition, verb of a plural subject ("وصلوا") or kind word."""
    bare = fold(t.text)
    return (
        len(bare) >= 4
        and bare.endswith("ا")
        and not bare.endswith("وا")
        and not bare.startswith("ال")
        and bare not in ADVERBS
        and not _stems(t) & _NOT_ACCUSATIVE
        and kind_of_word(t) is None
    )


def adjective_arabic(x: Context) -> str | None:
    """An adjective agreeing with the noun before it, no place: see :func:`_adjective`."""
    if "adjective" not in x.memo:
        x.memo["adjective"] = _adjective(x)
    return x.memo["adjective"]  # type: ignore[return-value]


def _adjective(x: Context) -> str | None:
    """ "الضفة الشرقية", "الضواحي الشرقية", "الأحياء الشرقية", "أحياؤها الشرقية": a nisba adjective agreeing
    with the definite noun before it (with the article or a possessive suffix). A kind word with the article is
    such a noun too: the head of a name ("أحياء الرمادي", "مدينة الرمادي") never takes the article, so
    "الأحياء الشرقية" is the eastern quarters, not a place. Likewise a nisba without the article after a bare
    feminine or plural word that is no kind word ("قوات سعودية", "تعزيزات عسكرية سعودية"; but "ناحية سنجاري"
    names a place); a nisba in the indefinite accusative after a word in that case ("قصفا مدفعيا تركيا", Turkish
    shelling) or written with tanwin ("تركياً"); an adjective of colour, number or position after a definite
    noun ("الرايات البيضاء", "السنوات الخمس", "المنطقة الوسطى"); a definite nisba joined by و to such an adjective
    agrees with the same noun ("المناطق الشمالية والشرقية", the northern and eastern areas)."""
    if not _arabic(x) or x.c.first != x.c.last:
        return None
    if x.c.clitic:
        return "ar_adjective" if x.c.clitic == "و" and _coordinated_adjective(x) else None
    if elative(x):
        return "ar_elative"  # "أقصر بثلاث ساعات": shorter by three hours, not Luxor
    key = x.c.key
    accusative = key.endswith("يا") and not key.startswith("ال")
    if accusative and _TANWIN_RE.search(x.text[x.c.start : x.c.end]):
        return "ar_adjective_accusative"
    prev = _adjacent_before(x)
    if prev is None or not prev.arabic:
        return None
    if key in AGREEING_ADJECTIVES:
        return "ar_adjective_agreeing" if _definite_noun(prev, common=True) else None
    if accusative:
        return "ar_adjective_accusative" if _indefinite_accusative(prev) else None
    if not key.endswith(("يه", "ي")):
        return None
    if not key.startswith("ال"):  # "تعزيزات عسكرية سعودية", "قوات سعودية": agreeing with a bare feminine word
        bare = fold(prev.text)
        feminine = not bare.startswith("ال") and bare.endswith(("يه", "ات")) and kind_of_word(prev) is None
        return "ar_adjective" if feminine and not _stems(prev) & LOCATIVE_BEFORE else None
    return "ar_adjective" if _definite_noun(prev, common=False) else None


def _coordinated_adjective(x: Context) -> bool:
    """ "المناطق الشمالية والشرقية": a definite nisba joined by و to a definite nisba after a definite noun agrees
    with that noun, as the first does ("المنطقة الشرقية والقطيف" joins a name that is no nisba)."""
    key, prev, k = x.c.key, x.prev, x.c.first
    if not key.startswith("ال") or not key.endswith(("ي", "يه")) or prev is None or x.gap_prev != " " or k < 2:
        return False
    before = x.tokens[k - 2]
    adjective = fold(prev.text)
    return (
        prev.arabic
        and adjective.startswith("ال")
        and adjective.endswith(("ي", "يه"))
        and before.arabic
        and x.text[before.end : prev.start] == " "
        and _definite_noun(before, common=True)
    )


def common_word_arabic(x: Context) -> str | None:
    """A common Arabic word, far more frequent than a place of its importance is named ("مدينة", "بأنه",
    "صور" pictures); a name whose first word is a common noun ("الحدود الشمالية") without a kind word; a word
    that heads a common noun phrase (:func:`.arabic_phrases.common_noun_phrase`: "عمارة سكنية", "العقبة الكبرى", "مفرق
    الطريق")."""
    if not _arabic(x):
        return None
    if region_phrase(x):
        return "ar_region_phrase"  # "أمريكا اللاتينية": a region, not the United States
    if x.c.first != x.c.last:
        first = x.tokens[x.c.first].text[len(x.c.clitic) :]  # "علي الغربي" is no "على" + a word
        never = fold(first) in NEVER_HEADS and never_as_written(first)
        return "ar_common_phrase" if never and not x.c.kind_word else None
    excess = x.gaz.arabic_zipf(x.c.key) - (0.5 * x.best + 1.0)  # about how often such a place is named
    if not x.c.kind_word and not x.c.whole and common_noun_phrase(x, excess):
        return "ar_noun_phrase"
    if not x.c.kind_word and not x.c.whole and noun_list(x):
        return "ar_noun_list"
    if excess >= 1.5 or (excess >= 0.5 and _adjective_follows(x)):  # "الساحل الغربي": a noun and its adjective
        return "ar_very_common_word"
    if excess >= 0.5:
        return "ar_common_word"
    return None


def _adjective_follows(x: Context) -> bool:
    """A definite nisba adjective right after the name ("الساحل الغربي")."""
    nxt = x.nxt
    if nxt is None or not nxt.arabic or x.gap_next != " ":
        return False
    word = fold(nxt.text)
    return word.startswith("ال") and (word in PLACE_ADJECTIVES or word.endswith(("يه", "ي")))


def clitic_doubtful(x: Context) -> str | None:
    """ "كمينا" (an ambush) is no ك + "مينا", "وكرا" (a den) no و + "كرا": the word as written is a common word
    at least as frequent as the name found inside it."""
    if not (_arabic(x) and x.c.clitic):
        return None
    whole = x.gaz.arabic_zipf(fold(x.tokens[x.c.first].text))
    stem = x.gaz.arabic_zipf(x.c.key.split()[0])  # "وبيت لحم": "وبيت" is rarer than "بيت"
    if whole >= 3.5 and whole >= stem + 0.5:  # "كريم" (a given name) is far more frequent than "ريم" is
        return "ar_clitic_word"
    return "ar_clitic_doubtful" if whole >= 2.5 and whole >= stem - 0.3 else None


def plural_alias(x: Context) -> str | None:
    """ "مهربين" (smugglers) is no alias of Khomeyni Shahr: a name in Arabic script of a place outside the lands
    whose names are Arabic words, that reads as the sound plural of a frequent Arabic word ("مهرب") and whose
    consonants do not agree with the place's own name, is the Arabic word ("ماردين", Mardin, agrees)."""
    if not _arabic(x) or x.c.first != x.c.last or x.c.whole:
        return None
    if dual_noun(x):
        return "ar_dual_noun"
    key = x.c.key
    if not key.endswith(("ين", "ون", "ات")):
        return None
    base = key[:-2]
    base = base[2:] if base.startswith("ال") else base
    if len(base) < 3 or x.gaz.arabic_zipf(base) < 3.0:
        return None
    main = [r for r in x.rows if x.gaz.importance(r) >= x.best - 1.0]
    for r in main:
        if x.gaz.country_of(r) in ARAB_COUNTRIES or initials_agree(key, x.gaz.place(r).name):
            return None
    return "ar_plural_alias"


def foreign_minor(x: Context) -> str | None:
    """ "ليل" (night) is rarely Lille, "بوون" no Bonn: in Arabic script, a minor place far from the lands whose
    names are Arabic, Persian or Turkic is more likely an Arabic word. A major one ("سيول" floods, Seoul) is
    when its word is an Arabic common noun (:func:`.arabic_phrases.article_noun`) and only a preposition, if
    anything, comes before it: the discourse rule ``foreign_common_word`` drops it where the article names
    nothing near."""
    if not _arabic(x) or x.c.whole:
        return None
    main = [r for r in x.rows if x.gaz.importance(r) >= x.best - 1.0]  # the readings that count
    if any(x.gaz.country_of(r) in TRANSLITERATED or not x.gaz.country_of(r) for r in main):
        return None
    if x.best < 6.5 and not any(r in x.gaz.capitals for r in x.rows):
        return "ar_foreign_minor"
    if (
        x.c.kind_word
        or x.c.first != x.c.last
        or any(x.gaz.kind_of(r) == "country" for r in main)
        or not article_noun(x)
    ):
        return None
    prev = _adjacent_before(x)
    stems = _stems(prev) if prev is not None and prev.arabic else set()
    return None if stems & _PLACE_WORDS else "ar_foreign_noun"


#: Words of place before a name that are no mere prepositions ("قرب", "شمال", "استهدفت").
_PLACE_WORDS = LOCATIVE_BEFORE - PREPOSITIONS


def container_after_arabic(x: Context) -> str | None:
    """ "طرابلس شمالي لبنان", "طرابلس في شمال لبنان", "طرابلس الليبية", "أريحا في الضفة الغربية": the country,
    province or region the place lies in, named right after it (the resolver prefers readings inside it). Or
    "الحدودي" after it: "مركز جابر الحدودي", a name between a bare noun and the adjective is a border post's or
    town's (``ar_border_post``)."""
    if not _arabic(x):
        return None
    if border_adjective(x):
        return "ar_border_post"
    tokens, k = x.tokens, x.c.last + 1
    for step in range(3):  # at most "في" + a direction + the container
        if k >= len(tokens) or any(ch in _BREAKS for ch in x.text[tokens[k - 1].end : tokens[k].start]):
            return None
        t = tokens[k]
        if not t.arabic:
            return None
        if step == 0 and (pid := nisba_country(t, x.gaz)) is not None:  # "طرابلس الليبية"
            row = x.gaz.row_of(pid)
            x.c.container = (row,) if row is not None else ()
            return "ar_container_after" if x.c.container else None
        stems = _stems(t)
        if stems & IN_OR_DIRECTION:
            k += 1
            continue
        rows = container_rows(x, k)
        if rows:
            x.c.container = rows
            return "ar_container_after"
        return None
    return None


def variant_arabic(x: Context) -> str | None:
    """ "موصل" for "الموصل", "ديرالزور" for "دير الزور": the name without its article or run together; a
    common word is no such variant ("خيام" tents, not al-Khiam)."""
    if not (_arabic(x) and x.c.match == "skeleton"):
        return None
    if "consonants" in x.c.hints:
        return "ar_consonant_match"  # "الدلنج": a place known only by its Latin name, Dilling
    return "ar_variant_common" if x.gaz.arabic_zipf(x.c.key) >= 3.0 else "ar_variant"


__all__ = [
    "ARABIC_HINTS",
    "adjective_arabic",
    "clitic_doubtful",
    "foreign_minor",
    "named_with_kind",
    "collocation_arabic",
    "common_word_arabic",
    "container_after_arabic",
    "given_name_arabic",
    "kind_word_before",
    "kunya_chain_arabic",
    "organisation_arabic",
    "plural_alias",
    "proclitic_preposition",
    "tribe_arabic",
    "variant_arabic",
    "word_before_arabic",
]
