"""English claim patterns: hedges, units, number words, and the words around a figure.

"Ain al-Asad, which is 150 kilometres away", "about 600 kilometres long", "a 600-km frontier",
"some 90 km up the road", "just 2 km from the Syrian border". :data:`ENGLISH` is the
:class:`~conflict_map.claims.patterns.Patterns` value the claim checker uses for English text.
"""

from __future__ import annotations

import re

from conflict_map.claims.patterns import Patterns, alternation, collapse

# --------------------------------------------------------------------------------------- lexicon

HEDGES: dict[str, str] = {
    "a little more than": "more_than",
    "a little over": "more_than",
    "slightly more than": "more_than",
    "a little less than": "nearly",
    "slightly less than": "nearly",
    "just over": "more_than",
    "just under": "nearly",
    "more than": "more_than",
    "over": "more_than",
    "at least": "more_than",
    "upwards of": "more_than",
    "less than": "less_than",
    "under": "less_than",
    "fewer than": "less_than",
    "at most": "less_than",
    "up to": "less_than",
    "as much as": "less_than",
    "within": "less_than",
    "no more than": "less_than",
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "about": "approx",
    "around": "approx",
    "round about": "approx",
    "some": "approx",
    "roughly": "approx",
    "approximately": "approx",
    "approx.": "approx",
    "an estimated": "approx",
    "estimated": "approx",
    "circa": "approx",
    "ca.": "approx",
    "~": "approx",
    "only": "exact",
    "just": "exact",
    "barely": "less_than",
    "a mere": "exact",
}

UNITS: dict[str, str] = {
    "kilometres": "km",
    "kilometers": "km",
    "kilometre": "km",
    "kilometer": "km",
    "kilo-metres": "km",
    "kms": "km",
    "km": "km",
    "nautical miles": "nmi",
    "nautical mile": "nmi",
    "nmi": "nmi",
    "miles": "mi",
    "mile": "mi",
    "mi": "mi",
    "metres": "m",
    "meters": "m",
    "metre": "m",
    "meter": "m",
}

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALE = {"hundred": 100, "thousand": 1000, "dozen": 12}


def parse_number(s: str) -> float | None:
    """``"1,500"`` -> 1500, ``"2.5"`` -> 2.5, ``"a hundred"`` -> 100, ``"one hundred and fifty"`` -> 150."""
    s = s.strip().lower()
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", s):
        return float(s.replace(",", ""))
    total, current, seen = 0, 0, False
    for tok in re.split(r"[\s-]+", s):
        if tok in ("a", "an"):
            current = current or 1
        elif tok == "and":
            continue
        elif tok in _SMALL:
            current += _SMALL[tok]
            seen = True
        elif tok in ("hundred", "dozen"):
            current = (current or 1) * _SCALE[tok]
            seen = True
        elif tok == "thousand":
            total += (current or 1) * 1000
            current = 0
            seen = True
        else:
            return None
    return float(total + current) if seen else None


def direction_key(word: str) -> str:
    """``"North-West"`` -> ``"northwest"`` (a key of :data:`conflict_map.geo.geodesy.DIRECTION_AZIMUTH`)."""
    return re.sub(r"[\s-]+", "", word.lower())


# -------------------------------------------------------------------------------- finding figures

_WORD = alternation([*_SMALL, *_SCALE])
_WORDNUM = rf"(?:(?:a|an)\s+)?(?:{_WORD})(?:(?:\s+and\s+|\s+|-)(?:{_WORD}))*"
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|(?<![\w-]){_WORDNUM})"

CLAIM_RE = re.compile(
    rf"""
    (?:(?<![\w-])(?P<hedge>{alternation(list(HEDGES))})\s*)?
    (?:(?P<between>between|from)\s+)?
    (?P<num>{_NUM})
    (?:\s*(?:-|–|—|\bto\b|\band\b|\bor\b)\s*(?P<num2>{_NUM}))?
    (?P<sep>\s*-\s*|\s*)
    (?P<unit>{alternation(list(UNITS))})
    (?![\w²³/])
    (?!\s*(?:per\b|an?\s+hour\b|a\s+day\b|squared?\b))
    (?P<post>\s+or\s+so\b|-odd\b)?
    """,
    re.IGNORECASE | re.VERBOSE,
)

# ------------------------------------------------------------------------ the words around a figure

_DIR_WORD = r"(?:north|south)(?:[\s-]?(?:east|west))?|east|west"
_BORDER_WORDS = r"border|borders|frontier|frontiers|boundary|border\s+line"

ENGLISH = Patterns(
    lang="en",
    claim=CLAIM_RE,
    parse_number=parse_number,
    hedges=HEDGES,
    units=UNITS,
    area_before=re.compile(r"(sq\.?|square)\s*$"),
    direction_tail=re.compile(
        rf"^(?:\s+(?:away|further|farther|due|directly))*(?:\s+to\s+the)?\s+(?P<dir>{_DIR_WORD})(?:wards?|erly)?\s+(?:of|from)\b",
        re.I,
    ),
    direction_key=direction_key,
    from_tail=re.compile(
        r"^(?:\s+(?:away|further|farther|distant|inland|out|up|down|along))*\s+(?P<prep>from|of|outside|off|beyond|past|short\s+of|before)\b",
        re.I,
    ),
    border_after=re.compile(
        rf"^\s+(?:the\s+|its\s+|their\s+)?(?P<adj>(?:[A-Z][\w’'-]*[\s/–-]+){{0,3}}?)(?:{_BORDER_WORDS})\b",
    ),
    long_tail=re.compile(r"^(?:\s+|-)(?:long\b|in\s+length\b)", re.I),
    length_before=re.compile(
        r"(?:\bstretch\w*|\bruns?\b|\brunning\b|\bextend\w*|\blength\s+of|\bspans?\b|\bspanning|\blong\s+by)"
        r"(?:\s+(?:for|over|across|some|about|almost|nearly|roughly|around))*\s*$",
        re.I,
    ),
    compound_head=re.compile(r"\b(an?|the|its|this|that)\s*$", re.I),
    compound_noun=re.compile(
        r"^\s*(?:-?\s*long\s+)?(?:[a-z]+\s+){0,2}?(?P<noun>border|frontier|boundary|front\s*line|frontline|front|line|"
        r"road|highway|motorway|pipeline|wall|fence|trench|berm|river|coastline|coast|corridor|stretch|journey|drive|"
        r"trip|march|route|walk|flight|detour|convoy|trek|ride|radius|zone|buffer\s+zone|perimeter|range|section|"
        r"segment|portion|part)\b",
        re.I,
    ),
    noun_key=collapse,
    other_before=re.compile(
        r"\b(?:range|radius|altitude|height|depth|width|visibility|diameter|elevation|speed|wingspan)\s+"
        r"(?:of\s+)?(?:(?:up\s+to|about|some|around|nearly|almost|over|more\s+than)\s+)?$",
        re.I,
    ),
    other_tail=re.compile(
        r"^(?:\s+|-)(?:high|deep|wide|tall|thick|in\s+diameter|radius|altitude|above|below|underground)\b", re.I
    ),
    anaphor=re.compile(
        r"\b(?:it|its|it's|which|where|here|there|this|that|the\s+(?:[\w-]+\s+){0,2}?(?:town|city|village|base|"
        r"camp|airbase|area|place|site|capital|settlement|stronghold|outpost|crossing|dam|airport|airfield|garrison|"
        r"headquarters|hospital|market|checkpoint|refinery))\b",
        re.I,
    ),
    away_tail=re.compile(r"\s+away\b"),
    anchor_gap=re.compile(
        r"[\s,]*(?:(?:the|a|an|town|city|village|base|air\s+base|camp|capital|provincial|of|border|"
        r"crossing|centre|center|outskirts|heart|[a-z-]+)\s+){0,4}",
        re.I,
    ),
    pair_opener=re.compile(r"\b(between|from)\s+(the\s+)?$"),
    border_word=re.compile(rf"\b(?:{_BORDER_WORDS})\b", re.I),
    unmeasurable_length=re.compile(
        r"\b(road|roads|highway|motorway|pipeline|wall|fence|trench|berm|river|coast|coastline|front|frontline|"
        r"front\s+line|corridor|canal|tunnel|railway|valley|lake|convoy|queue|runway)\b",
        re.I,
    ),
    road_words=re.compile(
        r"\b(road|roads|highway|motorway|drive|driving|journey|trip|route|by car|convoy|trek|march)\b", re.I
    ),
    name_token=re.compile(r"[A-Za-z][^\W_]*"),
    capitalised_names=True,
)
