"""Finding distance and length statements in text, and reading the words around each one.

:func:`find_statements` finds the figures with a unit ("about 600 kilometres", "a 600-km",
"100-150 km", "a hundred miles or so") and their hedge; :func:`read_statement` reads the words
around one figure: a stated direction, a compound noun ("a 600-km *border*"), whether it is a
length, a distance from a place, a distance from a border, or another kind of figure.

Both work from one language's :class:`~conflict_map.claims.patterns.Patterns`: a language is
added by writing its patterns and registering them in :data:`PATTERNS`; linking and judging only
see the canonical keys those patterns produce.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from conflict_map.claims.arabic import ARABIC
from conflict_map.claims.english import CLAIM_RE, ENGLISH, parse_number
from conflict_map.claims.patterns import Patterns
from conflict_map.errors import UserError
from conflict_map.geo.geodesy import UNIT_KM

__all__ = [
    "CLAIM_RE",
    "PATTERNS",
    "Reading",
    "claim_languages",
    "find_statements",
    "parse_number",
    "patterns_for",
    "read_statement",
]

#: Claim patterns by language code.
PATTERNS: dict[str, Patterns] = {"en": ENGLISH, "ar": ARABIC}

#: Canonical nouns (see ``Patterns.noun_key``) that decide how a figure is read.
BORDER_NOUNS = frozenset({"border", "frontier", "boundary"})
TRAVEL_NOUNS = frozenset({"journey", "drive", "trip", "march", "walk", "trek", "ride", "detour", "convoy", "flight"})
OTHER_NOUNS = frozenset({"radius", "zone", "buffer zone", "perimeter", "range"})
PART_NOUNS = frozenset({"stretch", "section", "segment", "portion", "part"})

#: How many characters after a figure and before it are read.
TAIL_CHARS = 120
HEAD_CHARS = 60


_ARABIC_LETTER_RE = re.compile(r"[\u0621-\u064A\u0671-\u06D3]")
_LATIN_LETTER_RE = re.compile(r"[A-Za-z]")


def claim_languages(text: str) -> list[str]:
    """The languages whose claim patterns to read ``text`` with, the main one first: Arabic when Arabic script
    is written in it, English when Latin letters are (an Arabic article quoting an English statement has both).
    """
    arabic = len(_ARABIC_LETTER_RE.findall(text))
    latin = len(_LATIN_LETTER_RE.findall(text))
    if not arabic:
        return ["en"]
    if not latin:
        return ["ar"]
    return ["ar", "en"] if arabic >= latin else ["en", "ar"]


def patterns_for(lang: str) -> Patterns:
    """The claim patterns of language ``lang`` (``"en"``)."""
    try:
        return PATTERNS[lang]
    except KeyError:
        known = ", ".join(sorted(PATTERNS))
        raise UserError(f"distance claims cannot be read in language {lang!r} (known: {known})") from None


def find_statements(text: str, patterns: Patterns = ENGLISH) -> list[tuple[int, int, dict[str, Any]]]:
    """Distance/length statements in ``text`` without linking: ``(start, end, fields)``.

    Fields: value, value_high, unit, value_km, hedge, hedge_kind. Speeds ("km/h", "km per hour"),
    areas ("square kilometres", "km²") and bare numbers ("150 fighters", "in 2014") are not statements.
    """
    out = []
    for m in patterns.claim.finditer(text):
        value = patterns.parse_number(m.group("num"))
        if value is None:
            continue
        # "from 150 km" is fine, and "between 150 km" without a second figure keeps the single value
        value_high = patterns.parse_number(m.group("num2")) if m.group("num2") else None
        start = m.start("hedge") if m.group("hedge") else (m.start("between") if m.group("between") else m.start("num"))
        # "sq km", "square km" written before the number are areas
        if patterns.area_before.search(text[max(0, start - 12) : start].lower()):
            continue
        unit = patterns.unit_key(m.group("unit"))
        hedge = re.sub(r"\s+", " ", m.group("hedge") or "").strip()
        kind = patterns.hedge_kind(hedge, m.group("post") or "")
        if value_high is not None:
            if value_high <= value:
                value_high = None
            else:
                kind = "range"
        k = UNIT_KM[unit]
        fields = {
            "value": value,
            "value_high": value_high,
            "unit": unit,
            "value_km": value * k,
            "value_high_km": value_high * k if value_high is not None else None,
            "hedge": hedge or (m.group("post") or "").strip(" -"),
            "hedge_kind": kind,
            "sep": m.group("sep"),
            "match_start": m.start(),
        }
        out.append((start, m.end(), fields))
    return out


@dataclass(slots=True)
class Reading:
    """What the words around a figure say it is.

    ``kind`` is ``distance``, ``border_distance``, ``length``, ``part`` (the length of a section of
    something longer) or ``other`` (a range, radius, height...). ``anchor_from`` is where the
    reference place of a distance may follow ("150 km from *Baghdad*"), ``border`` the border a
    ``border_distance`` is measured to (group ``adj``: the country adjectives written before it).
    """

    kind: str
    tail: str
    direction: str = ""
    noun: str = ""
    travel: bool = False
    anchor_from: int | None = None
    border: re.Match[str] | None = None


def read_statement(text: str, sentence_start: int, start: int, end: int, sep: str, patterns: Patterns) -> Reading:
    """Read the words around the figure ``text[start:end]`` (``sep``: what joins its number and unit)."""
    p = patterns
    tail = text[end : min(len(text), end + TAIL_CHARS)]
    head = text[max(sentence_start, start - HEAD_CHARS) : start]
    dm = p.direction_tail.match(tail)
    direction = p.direction_key(dm.group("dir")) if dm else ""
    compound = sep.strip() == "-" or p.compound_head.search(head)
    noun_m = p.compound_noun.match(tail) if compound else None
    noun = p.noun_key(noun_m.group("noun")) if noun_m else ""
    is_length = bool(p.long_tail.match(tail) or p.length_before.search(head))
    if noun in BORDER_NOUNS and not p.from_tail.match(tail):
        is_length = True
    travel = noun in TRAVEL_NOUNS
    if travel:
        is_length = False
    r = Reading(kind="distance", tail=tail, direction=direction, noun=noun, travel=travel)
    if noun in OTHER_NOUNS or p.other_before.search(head) or p.other_tail.match(tail):
        r.kind = "other"
    elif noun in PART_NOUNS:
        r.kind = "part"
    elif is_length:
        r.kind = "length"
    else:
        fm = dm if dm else p.from_tail.match(tail)
        bm = p.border_after.match(tail[fm.end() :]) if fm else None
        if fm is not None:
            r.anchor_from = end + fm.end()
        if bm:
            r.kind = "border_distance"
            r.border = bm
    return r
