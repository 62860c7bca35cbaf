"""Arabic claim patterns: "على بعد 150 كيلومترا"، "نحو 600 كم"، "مسافة 20 كلم شمال الموصل".

The figure may be written in Western or Arabic-Indic digits ("١٥٠") or in words ("مئة"); the hedge comes
before it ("نحو", "حوالي", "أكثر من") or after the unit ("تقريبا"); a direction follows the unit without
"of" ("جنوب تكريت"); a distance is "من" or "عن" a place ("18 كيلومترا عن وسط بغداد") or a border
("عن الحدود السورية", the country adjectives after the word). :data:`ARABIC` is the
:class:`~conflict_map.claims.patterns.Patterns` value the claim checker uses for Arabic text.
"""

from __future__ import annotations

import re

from conflict_map.claims.patterns import Patterns, alternation, collapse

# --------------------------------------------------------------------------------------- lexicon

HEDGES: dict[str, str] = {
    "نحو": "approx",
    "حوالي": "approx",
    "حوالى": "approx",
    "قرابة": "approx",
    "زهاء": "approx",
    "تقريبا": "approx",
    "ما يقارب": "approx",
    "ما يقرب من": "approx",
    "ما يناهز": "approx",
    "يقارب": "approx",
    "أكثر من": "more_than",
    "اكثر من": "more_than",
    "أزيد من": "more_than",
    "ما يزيد على": "more_than",
    "ما يزيد عن": "more_than",
    "ما لا يقل عن": "more_than",
    "أقل من": "less_than",
    "اقل من": "less_than",
    "ما لا يزيد على": "less_than",
    "ما لا يزيد عن": "less_than",
    "حتى": "less_than",
    "لا يتجاوز": "less_than",
    "قرابة الـ": "approx",
    "فقط": "exact",
}

_KM = ["كيلومتر", "كيلومترا", "كيلومترًا", "كيلومتراً", "كيلومترات", "كيلو متر", "كيلو مترا", "كلم", "كم", "km"]
_NMI = ["ميلا بحريا", "ميلًا بحريًا", "ميلاً بحرياً", "ميل بحري", "أميال بحرية", "اميال بحرية"]
_MI = ["ميل", "ميلا", "ميلًا", "ميلاً", "أميال", "اميال"]
_M = ["متر", "مترا", "مترًا", "متراً", "أمتار", "امتار"]
UNITS: dict[str, str] = {
    **{collapse(u): "km" for u in _KM},
    **{collapse(u): "nmi" for u in _NMI},
    **{collapse(u): "mi" for u in _MI},
    **{collapse(u): "m" for u in _M},
}

_ONES = {
    "واحد": 1, "واحدة": 1, "اثنين": 2, "اثنان": 2, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5,
    "خمس": 5, "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8, "تسعة": 9, "تسع": 9,
    "عشرة": 10, "عشر": 10,
}  # fmt: skip
_TENS = {
    "عشرين": 20, "عشرون": 20, "ثلاثين": 30, "ثلاثون": 30, "أربعين": 40, "أربعون": 40, "خمسين": 50,
    "خمسون": 50, "ستين": 60, "ستون": 60, "سبعين": 70, "سبعون": 70, "ثمانين": 80, "ثمانون": 80,
    "تسعين": 90, "تسعون": 90,
}  # fmt: skip
_HUNDREDS = {
    "مئة": 100, "مائة": 100, "مئتي": 200, "مئتين": 200, "مائتي": 200, "مائتين": 200, "ثلاثمئة": 300,
    "ثلاثمائة": 300, "أربعمئة": 400, "أربعمائة": 400, "خمسمئة": 500, "خمسمائة": 500, "ستمئة": 600,
    "ستمائة": 600, "سبعمئة": 700, "سبعمائة": 700, "ثمانمئة": 800, "ثمانمائة": 800, "تسعمئة": 900,
    "تسعمائة": 900,
}  # fmt: skip
_THOUSANDS = {"ألف": 1000, "ألفي": 2000, "ألفين": 2000, "آلاف": 1000}
_WORDS = {**_ONES, **_TENS, **_HUNDREDS, **_THOUSANDS}
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")


def parse_number(s: str) -> float | None:
    """``"150"``, ``"١٥٠"``, ``"1,500"`` -> 150/1500; ``"مئة"`` -> 100, ``"مئة وخمسين"`` -> 150."""
    s = s.strip().translate(_DIGITS)
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", s):
        return float(s.replace(",", ""))
    total, current, seen = 0, 0, False
    for tok in s.split():
        tok = tok[1:] if tok.startswith("و") and tok[1:] in _WORDS else tok
        if tok in _THOUSANDS:
            total += (current or 1) * _THOUSANDS[tok] if tok != "آلاف" else current * 1000
            current, seen = 0, True
        elif tok in _WORDS:
            current += _WORDS[tok]
            seen = True
        else:
            return None
    return float(total + current) if seen else None


_DIRECTIONS = {"شمال": "north", "جنوب": "south", "شرق": "east", "غرب": "west"}


def direction_key(word: str) -> str:
    """``"شمال غربي"`` -> ``"northwest"``, ``"الشرق"`` -> ``"east"``."""
    parts = []
    for w in word.split():
        w = w.removeprefix("ال")
        for stem, key in _DIRECTIONS.items():
            if w.startswith(stem):
                parts.append(key)
                break
    return "".join(parts)


def arabic_countries(text: str, offset: int = 0) -> list[tuple[int, str, str]]:
    """``(position, iso2, name)`` of the countries ``text`` names in Arabic script, by name ("سوريا") or by
    nisba adjective ("السورية"), read through proclitics ("وسوريا")."""
    from conflict_map.gazetteer.index import get_gazetteer
    from conflict_map.geoparse.recognise.arabic import nisba_country, readings
    from conflict_map.text.tokens import tokenize

    gaz = get_gazetteer()
    out: list[tuple[int, str, str]] = []
    for t in tokenize(text):
        if not t.arabic:
            continue
        pid = next(
            (gaz.place(r).id for w in readings(t) for r in gaz.rows_for_key(w.stem) if gaz.kind_of(r) == "country"),
            None,
        ) or nisba_country(t, gaz)
        place = gaz.get(pid) if pid else None
        if place is not None:
            out.append((offset + t.start, place.country, place.name))
    return out


# -------------------------------------------------------------------------------- finding figures

_D = r"[0-9٠-٩۰-۹]"
_WORD = alternation([*_WORDS, *(f"و{w}" for w in _WORDS)])
_WORDNUM = rf"(?<![\w])(?:{_WORD})(?:\s+(?:{_WORD}))*"
_NUM = rf"(?:{_D}{{1,3}}(?:[,٬]{_D}{{3}})+(?:[.٫]{_D}+)?|{_D}+(?:[.٫]{_D}+)?|{_WORDNUM})"
_UNIT = alternation([*_NMI, *_KM, *_MI, *_M])

CLAIM_RE = re.compile(
    rf"""
    (?:(?<![\w])(?P<hedge>{alternation([h for h in HEDGES if h != "تقريبا"])})\s*)?
    (?:(?P<between>بين|من)\s+)?
    (?P<num>{_NUM})
    (?:\s*(?:-|–|—|إلى|و|أو)\s*(?P<num2>{_NUM}))?
    (?P<sep>\s*-\s*|\s*)
    (?P<unit>{_UNIT})
    (?![\w²³/])
    (?!\s*(?:مربع|مربعا|مربعة|في\s+الساعة|بالساعة))
    (?P<post>\s+تقريبا\b)?
    """,
    re.VERBOSE,
)

# ------------------------------------------------------------------------ the words around a figure

_DIR = r"(?:ال)?(?:شمال|جنوب)(?:ي|ا)?(?:\s+(?:ال)?(?:شرق|غرب)(?:ي|ا)?)?|(?:ال)?(?:شرق|غرب)(?:ي|ا)?"
_BORDER = r"(?:ال)?حدود|(?:ال)?شريط\s+الحدودي"
_AR = r"[\u0621-\u064A\u0671-\u06D3]"

ARABIC = Patterns(
    lang="ar",
    claim=CLAIM_RE,
    parse_number=parse_number,
    hedges=HEDGES,
    units=UNITS,
    area_before=re.compile(r"(?!x)x"),  # Arabic writes "square" after the unit ("كيلومتر مربع"): see CLAIM_RE
    direction_tail=re.compile(rf"^(?:\s+(?:إلى|الى|باتجاه|نحو))?\s+(?P<dir>{_DIR})(?![\u0621-\u064A])"),
    direction_key=direction_key,
    from_tail=re.compile(r"^\s+(?P<prep>من|عن)(?![\u0621-\u064A])"),
    border_after=re.compile(rf"^\s+(?:{_BORDER})(?:ها|ه|هم)?(?P<adj>(?:\s+(?:مع\s+)?{_AR}+){{0,3}})"),
    long_tail=re.compile(r"^\s+(?:طولا|طولًا|طولاً|في\s+الطول)(?![\u0621-\u064A])"),
    length_before=re.compile(  # "بطول 600 كم", "يبلغ طولها", "تمتد الحدود بين البلدين على مسافة نحو 600 كم"
        r"(?:بطول|طولها|طوله|يبلغ\s+طول\w*|على\s+امتداد|(?:تمتد|يمتد|وتمتد|ويمتد)(?:\s+[^\s.،]+){0,6}?"
        r"(?:\s+على)?(?:\s+(?:مسافة|طول))?)"
        r"(?:\s+(?:نحو|حوالي|قرابة|زهاء|أكثر\s+من|أقل\s+من))*\s*$"
    ),
    compound_head=re.compile(r"(?!x)x"),  # the noun comes before the figure in Arabic ("حدود بطول 600 كم")
    compound_noun=re.compile(r"(?!x)x"),
    noun_key=collapse,
    other_before=re.compile(
        r"(?:مدى|مداه|مداها|نطاق|نصف\s+قطر|ارتفاع|عمق|عرض|قطر|سرعة|مساحة)\s*"
        r"(?:يصل\s+إلى\s+|يبلغ\s+|يتجاوز\s+)?(?:(?:نحو|حوالي|أكثر\s+من)\s+)?$"
    ),
    other_tail=re.compile(r"^\s*(?:ارتفاعا|عمقا|عرضا|في\s+الساعة|بالساعة|مربع)"),
    anaphor=re.compile(
        r"(?:التي|الذي|حيث|هناك|منها|عنها|منه|عنه|(?:ال)(?:مدينة|بلدة|قرية|قاعدة|مخيم|معبر|منفذ|مطار|سد|منطقة|"
        r"موقع|عاصمة|مستوطنة|ميناء))(?![\u0621-\u064A])"
    ),
    away_tail=re.compile(r"\s+(?:بعيدا|بعيدًا|بعيداً)"),
    anchor_gap=re.compile(rf"[\s،,]*(?:{_AR}+\s+){{0,3}}"),
    pair_opener=re.compile(r"(?:بين|من)\s+$"),
    border_word=re.compile(rf"(?:{_BORDER})"),
    unmeasurable_length=re.compile(
        r"(طريق|الطريق|نهر|النهر|خط|الخط|أنبوب|الأنبوب|جدار|الجدار|سياج|خندق|ساحل|الساحل|جبهة|الجبهة|ممر|"
        r"الممر|قناة|نفق|سكة|وادي|بحيرة|قافلة|طابور|مدرج)"
    ),
    road_words=re.compile(r"(?:طريق|الطريق|برا|بالسيارة|رحلة|قافلة|مسيرة)"),
    name_token=re.compile(rf"{_AR}+"),
    capitalised_names=False,
    find_countries=arabic_countries,
)

__all__ = ["ARABIC", "CLAIM_RE", "HEDGES", "UNITS", "arabic_countries", "direction_key", "parse_number"]
