"""Claim checking: find the distances and lengths an article states, and measure them.

Three kinds of statement are found and checked:

``distance``
    "Ain al-Asad, which is 150 kilometres away" (from a place named earlier), "lies 240 km north
    of Baghdad", "some 90 km up the road". Linked to two places of the same sentence (or the one
    before), measured as the straight-line geodesic on WGS84; a stated direction is checked against
    the bearing.
``border_distance``
    "just 2 km from the Syrian border": measured from the place to the nearest point of that border.
``length``
    "the border is about 600 kilometres long", "a 600-km frontier": linked to the land border between
    the countries the passage names, measured along the whole Natural Earth 1:10m border line.

Every claim carries the assumptions used: the hedge and the tolerance it earns, which places or
border it was linked to and how sure that link is (``high``/``medium``/``low``), the other candidate
readings, and a one-paragraph explanation. A claim whose link is unsure or impossible is reported
as ``unchecked`` with its candidates rather than measured against a guess.

The input is a :class:`~conflict_map.models.ParseResult` (the geoparser's output): claims are
linked through its resolved mentions, so the checker never resolves names itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from conflict_map.geo.geodesy import DIRECTION_AZIMUTH, UNIT_KM, angle_difference, compass_name, distance
from conflict_map.models import Mention, ParseResult, Place
from conflict_map.text.sentences import sentences

# ------------------------------------------------------------------------------------ tolerances

#: Relative tolerance and floor (km) by hedge kind: a bare figure must be closer than a hedged one.
TOLERANCE: dict[str, tuple[float, float]] = {
    "exact": (0.05, 1.0),
    "approx": (0.10, 2.0),
    "range": (0.05, 1.0),
    "more_than": (0.05, 1.0),
    "less_than": (0.05, 1.0),
    "nearly": (0.05, 1.0),
}
#: "nearly 100 km" accepts 85-105 km.
NEARLY_FLOOR = 0.85
#: Direction words are consistent with a bearing within this many degrees.
DIRECTION_TOLERANCE_DEG = 45.0
#: A claimed distance up to this multiple of the straight line may be a road distance.
ROAD_FACTOR_MAX = 1.6

Verdict = str  # "consistent" | "differs" | "unchecked"

# --------------------------------------------------------------------------------------- lexicon

_HEDGES: dict[str, str] = {
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

_UNITS: dict[str, str] = {
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


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_WORD = _alt([*_SMALL, *_SCALE])
_WORDNUM = rf"(?:(?:a|an)\s+)?(?:{_WORD})(?:(?:\s+and\s+|\s+|-)(?:{_WORD}))*"
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|(?<![\w-]){_WORDNUM})"
_HEDGE_RE = _alt(list(_HEDGES))
_UNIT_RE = _alt(list(_UNITS))

CLAIM_RE = re.compile(
    rf"""
    (?:(?<![\w-])(?P<hedge>{_HEDGE_RE})\s*)?
    (?:(?P<between>between|from)\s+)?
    (?P<num>{_NUM})
    (?:\s*(?:-|–|—|\bto\b|\band\b|\bor\b)\s*(?P<num2>{_NUM}))?
    (?P<sep>\s*-\s*|\s*)
    (?P<unit>{_UNIT_RE})
    (?![\w²³/])
    (?!\s*(?:per\b|an?\s+hour\b|a\s+day\b|squared?\b))
    (?P<post>\s+or\s+so\b|-odd\b)?
    """,
    re.IGNORECASE | re.VERBOSE,
)

_DIR_WORD = r"(?:north|south)(?:[\s-]?(?:east|west))?|east|west"
_DIRECTION_TAIL = re.compile(
    rf"^(?:\s+(?:away|further|farther|due|directly))*(?:\s+to\s+the)?\s+(?P<dir>{_DIR_WORD})(?:wards?|erly)?\s+(?:of|from)\b",
    re.I,
)
_FROM_TAIL = re.compile(
    r"^(?:\s+(?:away|further|farther|distant|inland|out|up|down|along))*\s+(?P<prep>from|of|outside|off|beyond|past|short\s+of|before)\b",
    re.I,
)
_BORDER_WORDS = r"border|borders|frontier|frontiers|boundary|border\s+line"
_BORDER_AFTER = re.compile(
    rf"^\s+(?:the\s+|its\s+|their\s+)?(?P<adj>(?:[A-Z][\w’'-]*[\s/–-]+){{0,3}}?)(?:{_BORDER_WORDS})\b",
)
_LONG_TAIL = re.compile(r"^(?:\s+|-)(?:long\b|in\s+length\b)", re.I)
_LENGTH_BEFORE = re.compile(
    r"(?:\bstretch\w*|\bruns?\b|\brunning\b|\bextend\w*|\blength\s+of|\bspans?\b|\bspanning|\blong\s+by)"
    r"(?:\s+(?:for|over|across|some|about|almost|nearly|roughly|around))*\s*$",
    re.I,
)
_COMPOUND_NOUN = re.compile(
    r"^\s*(?:-?\s*long\s+)?(?:[a-z]+\s+){0,2}?(?P<noun>border|frontier|boundary|front\s*line|frontline|front|line|road|"
    r"highway|motorway|pipeline|wall|fence|trench|berm|river|coastline|coast|corridor|stretch|journey|drive|trip|"
    r"march|route|walk|flight|detour|convoy|trek|ride|radius|zone|buffer\s+zone|perimeter|range|section|segment|"
    r"portion|part)\b",
    re.I,
)
_ROAD_WORDS = re.compile(
    r"\b(road|roads|highway|motorway|drive|driving|journey|trip|route|by car|convoy|trek|march)\b", re.I
)
_UNMEASURABLE_LENGTH = re.compile(
    r"\b(road|roads|highway|motorway|pipeline|wall|fence|trench|berm|river|coast|coastline|front|frontline|"
    r"front\s+line|corridor|canal|tunnel|railway|valley|lake|convoy|queue|runway)\b",
    re.I,
)
_OTHER_BEFORE = re.compile(
    r"\b(?:range|radius|altitude|height|depth|width|visibility|diameter|elevation|speed|wingspan)\s+"
    r"(?:of\s+)?(?:(?:up\s+to|about|some|around|nearly|almost|over|more\s+than)\s+)?$",
    re.I,
)
_OTHER_TAIL = re.compile(
    r"^(?:\s+|-)(?:high|deep|wide|tall|thick|in\s+diameter|radius|altitude|above|below|underground)\b", re.I
)
#: Words by which a sentence refers back to a place of the previous one ("The town is 20 km from ...").
_ANAPHOR = re.compile(
    r"\b(?:it|its|it's|which|where|here|there|this|that|the\s+(?:[\w-]+\s+){0,2}?(?:town|city|village|base|camp|"
    r"airbase|area|place|site|capital|settlement|stronghold|outpost|crossing|dam|airport|airfield|garrison|"
    r"headquarters|hospital|market|checkpoint|refinery))\b",
    re.I,
)
_OTHER_NOUNS = frozenset({"radius", "zone", "buffer zone", "perimeter", "range"})
_PART_NOUNS = frozenset({"stretch", "section", "segment", "portion", "part"})
_BORDER_RE = re.compile(rf"\b(?:{_BORDER_WORDS})\b", re.I)

#: Place kinds that are points (a distance to them is meaningful); others are areas.
POINT_KINDS = frozenset({"city", "town", "village", "base", "airport", "crossing", "dam", "landmark"})
AREA_KINDS = frozenset({"continent", "country", "province", "district", "region", "water"})


# ------------------------------------------------------------------------------------ data class


@dataclass(slots=True)
class Claim:
    """One distance or length statement of an article, with what it links to and its check."""

    start: int
    end: int
    text: str
    sentence: str
    kind: str  # "distance" | "border_distance" | "length"
    value: float
    unit: str  # "km" | "mi" | "nmi" | "m"
    value_km: float
    value_high: float | None = None  # upper end of a range ("100-150 km")
    value_high_km: float | None = None
    hedge: str = ""
    hedge_kind: str = "exact"  # exact | approx | range | more_than | less_than | nearly
    direction: str = ""  # "north", "southwest", ... when the text states one
    subject: str = ""  # what is measured, in words ("Al Qa'im – Ain al-Asad", "Iraq–Syria border")
    places: list[Place] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    border: tuple[str, str] | None = None  # ISO2 pair of a border (length or border distance)
    border_names: tuple[str, str] | None = None
    link: str = "none"  # high | medium | low | none
    link_note: str = ""
    measured_km: float | None = None
    tolerance_km: float | None = None
    diff_km: float | None = None  # claimed - measured
    diff_pct: float | None = None  # of the measured figure
    bearing: float | None = None  # measured bearing from the reference place to the other one
    direction_ok: bool | None = None
    verdict: Verdict = "unchecked"
    explanation: str = ""
    notes: list[str] = field(default_factory=list)
    candidates: list[dict[str, Any]] = field(default_factory=list)
    nearest_point: tuple[float, float] | None = None  # border_distance: (lat, lon) on the border

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (the ``conflict-map claims --format json`` object)."""

        def r(x: float | None, n: int = 1) -> float | None:
            return None if x is None else round(x, n)

        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "sentence": self.sentence,
            "kind": self.kind,
            "value": self.value,
            "value_high": self.value_high,
            "unit": self.unit,
            "value_km": r(self.value_km, 3),
            "hedge": self.hedge,
            "hedge_kind": self.hedge_kind,
            "direction": self.direction or None,
            "subject": self.subject,
            "places": [p.to_dict() for p in self.places],
            "mentions": [{"start": m.start, "end": m.end, "text": m.text} for m in self.mentions],
            "border": (
                {
                    "a": {"iso2": self.border[0], "name": self.border_names[0] if self.border_names else ""},
                    "b": {"iso2": self.border[1], "name": self.border_names[1] if self.border_names else ""},
                }
                if self.border
                else None
            ),
            "link": self.link,
            "link_note": self.link_note,
            "measured_km": r(self.measured_km),
            "tolerance_km": r(self.tolerance_km),
            "diff_km": r(self.diff_km),
            "diff_pct": r(self.diff_pct),
            "bearing_deg": r(self.bearing),
            "direction_ok": self.direction_ok,
            "nearest_point": (
                {"lat": round(self.nearest_point[0], 5), "lon": round(self.nearest_point[1], 5)}
                if self.nearest_point
                else None
            ),
            "stated": _fmt_value(self),
            "measured": (
                f"{self.measured_km:.1f} km" + (f" ({self.subject})" if self.subject else "")
                if self.measured_km is not None
                else "not measured"
            ),
            "verdict": self.verdict,
            "explanation": self.explanation,
            "notes": list(self.notes),
            "candidates": self.candidates,
        }


# ------------------------------------------------------------------------------------ extraction


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


@dataclass(slots=True)
class _Raw:
    m: re.Match[str]
    sent: int  # index into sentence spans


def _unit_key(unit: str) -> str:
    return _UNITS[re.sub(r"\s+", " ", unit.lower())]


def _hedge_kind(hedge: str, post: str) -> str:
    if hedge:
        return _HEDGES.get(re.sub(r"\s+", " ", hedge.lower()), "approx")
    if post:
        return "approx"
    return "exact"


def find_statements(text: str) -> list[tuple[int, int, dict[str, Any]]]:
    """Distance/length statements in ``text`` without linking: ``(start, end, fields)``.

    Fields: value, value_high, unit, value_km, hedge, hedge_kind. Speeds ("km/h", "km per hour"),
    areas ("square kilometres", "km²") and bare numbers ("150 fighters", "in 2014") are not statements.
    """
    out = []
    for m in CLAIM_RE.finditer(text):
        value = parse_number(m.group("num"))
        if value is None:
            continue
        value_high = parse_number(m.group("num2")) if m.group("num2") else None
        if m.group("between") and value_high is None:
            # "from 150 km" is fine, "between 150 km" is not a range: keep the single value
            pass
        start = m.start("hedge") if m.group("hedge") else (m.start("between") if m.group("between") else m.start("num"))
        # "sq km", "square km" written before the number are areas; "km" right after an en-dash range too
        before = text[max(0, start - 12) : start].lower()
        if re.search(r"(sq\.?|square)\s*$", before):
            continue
        unit = _unit_key(m.group("unit"))
        hedge = re.sub(r"\s+", " ", m.group("hedge") or "").strip()
        kind = _hedge_kind(hedge, m.group("post") or "")
        if value_high is not None:
            if value_high <= value:
                value_high = None
            else:
                kind = "range"
        k = UNIT_KM[unit]
        out.append(
            (
                start,
                m.end(),
                {
                    "value": value,
                    "value_high": value_high,
                    "unit": unit,
                    "value_km": value * k,
                    "value_high_km": value_high * k if value_high is not None else None,
                    "hedge": hedge or (m.group("post") or "").strip(" -"),
                    "hedge_kind": kind,
                    "sep": m.group("sep"),
                    "match_start": m.start(),
                },
            )
        )
    return out


# --------------------------------------------------------------------------------------- linking


@dataclass(slots=True)
class _Ctx:
    text: str
    spans: list[tuple[int, int]]
    mentions: list[Mention]  # resolved place mentions, text order

    def sent_index(self, pos: int) -> int:
        for i, (s, e) in enumerate(self.spans):
            if s <= pos < e or (i + 1 < len(self.spans) and pos < self.spans[i + 1][0]):
                return i
        return len(self.spans) - 1

    def in_sentence(self, i: int) -> list[Mention]:
        if i < 0 or i >= len(self.spans):
            return []
        s, e = self.spans[i]
        return [m for m in self.mentions if s <= m.start < e]


def _is_point(m: Mention) -> bool:
    return m.place is not None and m.place.kind not in AREA_KINDS


def _pid(m: Mention) -> str:
    return m.place.id if m.place else ""


def _pname(m: Mention) -> str:
    return m.place.name if m.place else m.text


def _pkind(m: Mention) -> str:
    return m.place.kind if m.place else ""


def _distinct(ms: list[Mention]) -> list[Mention]:
    seen: set[str] = set()
    out = []
    for m in ms:
        assert m.place is not None
        if m.place.id not in seen:
            seen.add(m.place.id)
            out.append(m)
    return out


def _pair_label(a: Place, b: Place) -> str:
    return f"{a.name} – {b.name}"


def _pair_candidate(a: Mention, b: Mention) -> dict[str, Any]:
    assert a.place is not None and b.place is not None
    d = distance(a.place.lat, a.place.lon, b.place.lat, b.place.lon)
    return {
        "places": [a.place.name, b.place.name],
        "ids": [a.place.id, b.place.id],
        "mentions": [a.text, b.text],
        "measured_km": round(d.km, 1),
    }


def _country_terms() -> dict[str, tuple[str, str]]:
    from conflict_map.geo.borders import country_names

    # only words and names (no 2-3 letter codes, which collide with English words)
    return {k: v for k, v in country_names().items() if len(k) > 3 and not k.isupper()}


_TOKEN = re.compile(r"[A-Za-z][^\W_]*")


def _countries_in(text: str, offset: int = 0) -> list[tuple[int, str, str]]:
    """``(position, iso2, name)`` of country names/adjectives written in ``text`` (capitalised words only)."""
    from conflict_map.geo.borders import _norm

    terms = _country_terms()
    toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    out: list[tuple[int, str, str]] = []
    i = 0
    while i < len(toks):
        hit = None
        for n in (4, 3, 2, 1):
            if i + n > len(toks):
                continue
            words = toks[i : i + n]
            if not words[0][2][0].isupper():
                continue
            key = _norm(text[words[0][0] : words[-1][1]])
            if key in terms:
                hit = (n, terms[key])
                break
        if hit:
            out.append((offset + toks[i][0], hit[1][0], hit[1][1]))
            i += hit[0]
        else:
            i += 1
    return out


def _claim_countries(ctx: _Ctx, si: int, mentions: list[Mention]) -> list[tuple[int, str, str, int]]:
    """Countries named in sentence ``si`` and the two before: ``(position, iso2, name, sentences back)``."""
    out: list[tuple[int, str, str, int]] = []
    for back in (0, 1, 2):
        j = si - back
        if j < 0:
            break
        s, e = ctx.spans[j]
        found = {(pos, iso) for pos, iso, _n in _countries_in(ctx.text[s:e], s)}
        for pos, iso, name in _countries_in(ctx.text[s:e], s):
            out.append((pos, iso, name, back))
        # country / demonym mentions from the geoparser that the name table does not know
        for m in mentions:
            p = m.place
            if s <= m.start < e and p is not None and p.kind == "country" and (m.start, p.country) not in found:
                out.append((m.start, p.country, p.name, back))
    return out


# -------------------------------------------------------------------------------------- checking


def _tolerance(c: Claim) -> float:
    rel, floor = TOLERANCE[c.hedge_kind]
    return max(rel * c.value_km, floor)


def _judge(c: Claim, measured: float, *, road_possible: bool) -> None:
    """Set measured/diff/verdict/explanation from a measured figure."""
    c.measured_km = measured
    tol = _tolerance(c)
    c.tolerance_km = tol
    v = c.value_km
    c.diff_km = v - measured
    c.diff_pct = (v - measured) / measured * 100.0 if measured > 0 else None
    kind = c.hedge_kind
    if kind == "range" and c.value_high_km is not None:
        ok = v - tol <= measured <= c.value_high_km + tol
        rule = f"the stated range {v:.0f}-{c.value_high_km:.0f} km ± {tol:.1f} km"
        c.diff_km = 0.0 if v <= measured <= c.value_high_km else min(v - measured, c.value_high_km - measured, key=abs)
        c.diff_pct = c.diff_km / measured * 100.0 if measured > 0 else None
    elif kind == "more_than":
        ok = measured >= v - tol
        rule = f"'{c.hedge}': at least {v - tol:.1f} km (5% margin)"
    elif kind == "less_than":
        ok = measured <= v + tol
        rule = f"'{c.hedge}': at most {v + tol:.1f} km (5% margin)"
    elif kind == "nearly":
        ok = NEARLY_FLOOR * v <= measured <= v + tol
        rule = f"'{c.hedge}': between {NEARLY_FLOOR * v:.1f} and {v + tol:.1f} km"
    else:
        ok = abs(v - measured) <= tol
        why = f"hedged with '{c.hedge}'" if kind == "approx" else "a bare figure"
        pct = int(TOLERANCE[kind][0] * 100)
        rule = f"within ±{tol:.1f} km ({pct}% for {why})"
    c.verdict = "consistent" if ok else "differs"
    diff = f"{c.diff_km:+.1f} km" + (f" ({c.diff_pct:+.1f}%)" if c.diff_pct is not None else "")
    head = f"Claimed {_fmt_value(c)}; measured {measured:.1f} km"
    c.explanation = f"{head}; difference {diff}. Tolerance: {rule}: {c.verdict}."
    if road_possible and not ok and measured > 0 and v > measured and v / measured <= ROAD_FACTOR_MAX:
        c.notes.append(
            f"The claimed figure is {v / measured:.2f} times the straight line: it may be a road distance "
            "(roads are typically 20-40% longer than the straight line)."
        )


def _fmt_value(c: Claim) -> str:
    unit = {"km": "km", "mi": "miles", "nmi": "nautical miles", "m": "m"}[c.unit]
    val = f"{c.value:g}" if c.value_high is None else f"{c.value:g}-{c.value_high:g}"
    conv = "" if c.unit == "km" else f" = {c.value_km:.1f} km"
    hedge = f"{c.hedge} " if c.hedge else ""
    return f"{hedge}{val} {unit}{conv}"


def _check_direction(c: Claim, ref: Place, other: Place) -> None:
    """``other`` lies ``c.direction`` of ``ref``: compare with the bearing from ``ref`` to ``other``."""
    d = distance(ref.lat, ref.lon, other.lat, other.lon)
    c.bearing = d.azimuth
    want = DIRECTION_AZIMUTH[c.direction]
    off = angle_difference(d.azimuth, want)
    c.direction_ok = off <= DIRECTION_TOLERANCE_DEG
    word = compass_name(d.azimuth)
    state = "consistent" if c.direction_ok else "inconsistent"
    c.notes.append(
        f"Direction: the text says {other.name} lies {c.direction} of {ref.name}; the bearing from "
        f"{ref.name} is {d.azimuth:.0f}° ({word}), {off:.0f}° off {c.direction}: {state} "
        f"(tolerance ±{DIRECTION_TOLERANCE_DEG:.0f}°)."
    )
    if not c.direction_ok and c.verdict == "consistent":
        c.verdict = "differs"
        c.explanation += " The stated direction does not match the bearing."


def _norm_direction(word: str) -> str:
    w = re.sub(r"[\s-]+", "", word.lower())
    return w


# -------------------------------------------------------------------------------------- main API


def check_claims(result: ParseResult) -> list[Claim]:
    """Find, link and check every distance/length statement of a geoparsed document."""
    text = result.text
    body = result.body if result.body and result.body[1] > result.body[0] else (0, len(text))
    ctx = _Ctx(
        text=text,
        spans=sentences(text),
        mentions=sorted((m for m in result.mentions if m.place is not None), key=lambda m: m.start),
    )
    claims: list[Claim] = []
    for start, end, f in find_statements(text):
        if not (body[0] <= start < body[1]):
            continue
        si = ctx.sent_index(start)
        s0, s1 = ctx.spans[si] if ctx.spans else (0, len(text))
        c = Claim(
            start=start,
            end=end,
            text=text[start:end],
            sentence=text[s0:s1],
            kind="distance",
            value=f["value"],
            unit=f["unit"],
            value_km=f["value_km"],
            value_high=f["value_high"],
            value_high_km=f["value_high_km"],
            hedge=f["hedge"],
            hedge_kind=f["hedge_kind"],
        )
        tail = text[end : min(len(text), end + 120)]
        head = text[max(s0, start - 60) : start]
        dm = _DIRECTION_TAIL.match(tail)
        if dm:
            c.direction = _norm_direction(dm.group("dir"))
        compound = f["sep"].strip() == "-" or re.search(r"\b(an?|the|its|this|that)\s*$", head, re.I)
        noun_m = _COMPOUND_NOUN.match(tail) if compound else None
        noun = re.sub(r"\s+", " ", noun_m.group("noun").lower()) if noun_m else ""
        is_length = bool(_LONG_TAIL.match(tail) or _LENGTH_BEFORE.search(head))
        if noun in ("border", "frontier", "boundary") and not _FROM_TAIL.match(tail):
            is_length = True
        if noun in (
            "journey",
            "drive",
            "trip",
            "march",
            "walk",
            "trek",
            "ride",
            "detour",
            "convoy",
            "flight",
        ):
            is_length = False
            c.notes.append(f"The text speaks of a {noun}; the figure checked is the straight line between the places.")
        if noun in _OTHER_NOUNS or _OTHER_BEFORE.search(head) or _OTHER_TAIL.match(tail):
            c.kind = "other"
            c.subject = noun or "a figure that is not a distance between places"
            c.explanation = (
                "A range, radius, height or similar figure, not a distance between two places or a border "
                "length: unchecked."
            )
        elif noun in _PART_NOUNS:
            c.kind = "length"
            c.subject = f"a {noun}"
            c.explanation = f"Length of a {noun} (part of something longer), which the data cannot locate: unchecked."
        elif is_length:
            c.kind = "length"
            _link_length(c, ctx, si, noun, tail)
        else:
            fm = dm if dm else _FROM_TAIL.match(tail)
            after = tail[fm.end() :] if fm else ""
            bm = _BORDER_AFTER.match(after) if fm else None
            if bm:
                c.kind = "border_distance"
                _link_border_distance(c, ctx, si, bm, end + fm.end())
            else:
                _link_distance(c, ctx, si, end + fm.end() if fm else None, tail)
        claims.append(c)
    return claims


def check_text(text: str) -> list[Claim]:
    """Geoparse ``text`` with the project's pipeline and check its claims."""
    from conflict_map.geoparse.pipeline import geoparse

    return check_claims(geoparse(text))


def _link_length(c: Claim, ctx: _Ctx, si: int, noun: str, tail: str) -> None:
    """Link a length statement to a border between two countries, when it is about a border."""
    s0, _s1 = ctx.spans[si]
    sentence = ctx.text[s0 : ctx.spans[si][1]]
    rel = c.start - s0
    about_border = noun in ("border", "frontier", "boundary") or bool(_BORDER_RE.search(sentence[:rel]))
    if not about_border:
        what = noun or (m.group(1).lower() if (m := _UNMEASURABLE_LENGTH.search(sentence)) else "")
        c.subject = what or "unknown"
        c.link = "none"
        c.explanation = (
            f"Length of {('a ' + what) if what else 'something'} the boundary data cannot measure"
            " (only land borders between countries are measured): unchecked."
        )
        return
    found = _claim_countries(ctx, si, ctx.mentions)
    from conflict_map.geo.borders import shared_border, shares_border

    # pairs that share a land border, scored by proximity to the claim
    score: dict[str, float] = {}
    names: dict[str, str] = {}
    for pos, iso, name, back in found:
        w = 3.0 if back == 0 else (1.5 if back == 1 else 0.75)
        # an explicit "Iraqi-Syrian border" right before the border word scores highest
        if back == 0 and abs(pos - c.start) < 200:
            w += 0.5
        score[iso] = score.get(iso, 0.0) + w
        names.setdefault(iso, name)
    pairs = []
    isos = sorted(score, key=lambda k: -score[k])
    for i, a in enumerate(isos):
        for b in isos[i + 1 :]:
            if shares_border(a, b):
                pairs.append((score[a] + score[b], a, b))
    # a single country named: pair it with the country the article's places lie in
    if not pairs and len(isos) >= 1:
        home = _home_countries(ctx)
        for a in isos:
            for b in home:
                if b != a and shares_border(a, b):
                    pairs.append((score[a] + 0.5, a, b))
    pairs.sort(key=lambda p: -p[0])
    if not pairs:
        c.subject = "a border"
        c.link = "none"
        c.explanation = "Length of a border, but the passage names no two neighbouring countries: unchecked."
        return
    best = pairs[0]
    border = shared_border(*sorted(best[1:]))
    c.border = (border.a_iso2, border.b_iso2)
    c.border_names = (border.a_name, border.b_name)
    c.subject = f"{border.label} border"
    others = [p for p in pairs[1:] if p[0] >= best[0] * 0.6]
    c.candidates = [
        {
            "border": f"{shared_border(a, b).label}",
            "iso2": [a, b],
            "measured_km": round(shared_border(a, b).length_km, 1),
        }
        for _s, a, b in pairs[1:4]
    ]
    if others:
        c.link = "low" if others[0][0] >= best[0] * 0.9 else "medium"
    else:
        c.link = "high" if best[0] >= 5.0 else "medium"
    c.link_note = f"Countries named near the statement: {', '.join(names[i] for i in isos)}."
    if c.link == "low":
        c.explanation = (
            f"Length of a border; the passage could mean the {border.label} border or "
            f"{', '.join(x['border'] for x in c.candidates)}: unchecked (see candidates)."
        )
        return
    _judge(c, border.length_km, road_possible=False)
    c.notes.append(
        f"Compared with the whole {border.label} land border ({border.length_km:.1f} km along the "
        "Natural Earth 1:10m line, geodesic). If the text means only a section of it "
        "('the border area here'), the section is shorter."
    )
    if c.verdict == "differs" and c.value_km > border.length_km:
        c.notes.append(
            "Border lengths depend on the map scale: figures measured on detailed maps (e.g. official ones) "
            "are often 5-20% longer than on 1:10m data where the border follows a river or mountain ridge."
        )


def _home_countries(ctx: _Ctx) -> list[str]:
    counts: dict[str, int] = {}
    for m in ctx.mentions:
        if m.place is not None and m.place.country:
            counts[m.place.country] = counts.get(m.place.country, 0) + 1
    return sorted(counts, key=lambda k: -counts[k])[:2]


def _link_border_distance(c: Claim, ctx: _Ctx, si: int, bm: re.Match[str], after_pos: int) -> None:
    """'X km from the (Syrian) border': subject place -> nearest point of that border."""
    from conflict_map.geo.borders import country_at, nearest_border

    subject = _subject_before(ctx, si, c.start)
    if subject is None:
        c.subject = "a place and a border"
        c.link = "none"
        c.explanation = "Distance to a border, but no place is named before it: unchecked."
        return
    m, link, note, cands = subject
    p = m.place
    assert p is not None
    adj = bm.group("adj").strip()
    named = [iso for _pos, iso, _n in _countries_in(adj)] if adj else []
    home_hit = country_at(p.lat, p.lon)
    home = home_hit.iso2 if home_hit else p.country
    try:
        if named and home and named[0] != home:
            nb = nearest_border(p.lat, p.lon, country=home, other=named[0])
        elif len(named) >= 2:
            nb = nearest_border(p.lat, p.lon, country=named[0], other=named[1])
        elif home:
            nb = nearest_border(p.lat, p.lon, country=home)
        else:
            nb = nearest_border(p.lat, p.lon)
    except Exception as exc:  # no such border: say so, do not guess
        c.subject = f"{p.name} – border"
        c.link = "none"
        c.explanation = f"Distance from {p.name} to a border that the data cannot match ({exc}): unchecked."
        return
    c.places = [p]
    c.mentions = [m]
    c.border = (nb.a_iso2, nb.b_iso2)
    c.border_names = (nb.a_name, nb.b_name)
    c.subject = f"{p.name} – {nb.label} border"
    c.link, c.link_note, c.candidates = link, note, cands
    c.nearest_point = (nb.lat, nb.lon)
    if link == "low":
        c.explanation = f"Distance from a place to the {nb.label} border; the place is uncertain: unchecked."
        return
    _judge(c, nb.distance_km, road_possible=False)
    c.notes.append(f"Measured to the nearest point of the {nb.label} border ({nb.lat:.4f}, {nb.lon:.4f}).")


def _subject_before(ctx: _Ctx, si: int, pos: int) -> tuple[Mention, str, str, list[dict[str, Any]]] | None:
    """The place a statement is about: the last point place before it, in its sentence or the previous one."""
    here = [m for m in ctx.in_sentence(si) if m.start < pos and _is_point(m)]
    if here:
        d = _distinct(here)
        m = here[-1]
        cands = [{"place": _pname(x), "id": _pid(x)} for x in d if _pid(x) != _pid(m)]
        return (m, "high" if len(d) == 1 else "medium", "nearest place named before the figure", cands)
    prev = [m for m in ctx.in_sentence(si - 1) if _is_point(m)]
    if prev:
        d = _distinct(prev)
        m = prev[-1]
        cands = [{"place": _pname(x), "id": _pid(x)} for x in d if _pid(x) != _pid(m)]
        refers = bool(_ANAPHOR.search(ctx.text[ctx.spans[si][0] : pos]))
        link = "medium" if len(d) == 1 and refers else "low"
        return (m, link, "place taken from the previous sentence", cands)
    return None


def _link_distance(c: Claim, ctx: _Ctx, si: int, anchor_from: int | None, tail: str) -> None:
    """Link a distance to two places: an anchor after 'from/of' and a subject before, or a sentence pair."""
    s0, _s1 = ctx.spans[si]
    text = ctx.text
    here = ctx.in_sentence(si)
    points_here = [m for m in here if _is_point(m)]
    anchor: Mention | None = None
    if anchor_from is not None:
        for m in here:
            if m.start >= anchor_from and re.fullmatch(
                r"[\s,]*(?:(?:the|a|an|town|city|village|base|air\s+base|camp|capital|provincial|of|border|"
                r"crossing|centre|center|outskirts|heart|[a-z-]+)\s+){0,4}",
                ctx.text[anchor_from : m.start],
                flags=re.I,
            ):
                anchor = m
                break
    if anchor is not None and not _is_point(anchor):
        c.mentions = [anchor]
        c.subject = f"a distance to {_pname(anchor)}"
        c.link = "none"
        c.explanation = (
            f"Distance to {_pname(anchor)}, a {_pkind(anchor)}: an area, not a point, "
            "so a single distance cannot be measured: unchecked."
        )
        return
    pair: tuple[Mention, Mention] | None = None
    link, note = "none", ""
    candidates: list[tuple[Mention, Mention]] = []
    if anchor is not None:
        before = _distinct([m for m in points_here if m.start < c.start and _pid(m) != _pid(anchor)])
        if before:
            subj = [m for m in points_here if m.start < c.start and _pid(m) != _pid(anchor)][-1]
            pair = (anchor, subj)
            link = "high" if len(before) == 1 else "medium"
            note = "reference place after the figure ('from/of ...'), subject: the place named before it"
            candidates = [(anchor, b) for b in before if _pid(b) != _pid(subj)]
        else:
            prev = _distinct([m for m in ctx.in_sentence(si - 1) if _is_point(m) and m.place.id != anchor.place.id])
            if prev:
                pair = (anchor, prev[-1])
                refers = bool(_ANAPHOR.search(text[s0 : c.start]))
                link = "medium" if len(prev) == 1 and refers else "low"
                note = "reference place after the figure; the other place taken from the previous sentence"
                candidates = [(anchor, b) for b in prev[:-1]]
    else:
        d_here = _distinct(points_here)
        if len(d_here) == 2:
            pair = (d_here[0], d_here[1])
            link = "high"
            note = "the two places named in the sentence"
        elif len(d_here) > 2:
            pair, link, note, candidates = _best_pair(ctx, s0, c, points_here)
        elif len(d_here) == 1:
            prev = _distinct([m for m in ctx.in_sentence(si - 1) if _is_point(m) and m.place.id != d_here[0].place.id])
            if prev:
                pair = (prev[-1], d_here[0])
                refers = bool(_ANAPHOR.search(text[s0 : c.start]) or re.match(r"\s+away\b", tail))
                link = "medium" if len(prev) == 1 and refers else "low"
                note = "one place named in the sentence, the other taken from the previous sentence"
                candidates = [(b, d_here[0]) for b in prev[:-1]]
        else:
            prev = _distinct([m for m in ctx.in_sentence(si - 1) if _is_point(m)])
            if len(prev) == 2:
                pair = (prev[0], prev[1])
                link = "low"
                note = "no place in the sentence; the two places of the previous sentence"
    c.candidates = [_pair_candidate(a, b) for a, b in candidates[:5]]
    if pair is None:
        c.subject = "unknown"
        c.link = "none"
        areas = _distinct([m for m in here if not _is_point(m)])
        if areas:
            what = "; ".join(f"'{m.text}' was resolved to {_pname(m)}, a {_pkind(m)}" for m in areas[:3])
            c.mentions = areas[:3]
            c.explanation = (
                f"A distance, but only one point place is named nearby ({what}: an area, not a point): unchecked."
            )
        else:
            c.explanation = "A distance, but the passage does not name two places it could join: unchecked."
        return
    ref, other = pair
    assert ref.place is not None and other.place is not None
    c.places = [ref.place, other.place]
    c.mentions = [ref, other]
    c.subject = _pair_label(other.place, ref.place) if anchor is not None else _pair_label(ref.place, other.place)
    c.link, c.link_note = link, note
    if link == "low":
        c.candidates.insert(0, _pair_candidate(ref, other))
        c.explanation = (
            "A distance between places, but which ones is uncertain: unchecked. Candidates are listed with "
            "their straight-line distances."
        )
        return
    d = distance(ref.place.lat, ref.place.lon, other.place.lat, other.place.lon)
    c.bearing = d.azimuth
    road = bool(_ROAD_WORDS.search(c.sentence))
    _judge(c, d.km, road_possible=True)
    c.notes.insert(0, "Straight-line (geodesic, WGS84) distance between the places' coordinates; a road is longer.")
    if road:
        c.notes.append("The sentence mentions a road or journey: a road distance is longer than the straight line.")
    if c.direction and c.direction in DIRECTION_AZIMUTH:
        if anchor is not None:
            _check_direction(c, ref.place, other.place)
        else:
            c.notes.append(f"Direction '{c.direction}' not checked: the reference place is not explicit.")


def _best_pair(
    ctx: _Ctx, s0: int, c: Claim, points: list[Mention]
) -> tuple[tuple[Mention, Mention] | None, str, str, list[tuple[Mention, Mention]]]:
    """Several places in the sentence: 'between A and B' / 'from A to B', else the two nearest the figure."""
    text = ctx.text
    d = _distinct(points)
    for m in d:
        pre = text[max(s0, m.start - 12) : m.start].lower()
        if re.search(r"\b(between|from)\s+(the\s+)?$", pre):
            rest = [x for x in d if x.start > m.end and _pid(x) != _pid(m)]
            if rest:
                cands = [(m, x) for x in rest[1:]]
                return (
                    (m, rest[0]),
                    "high" if len(rest) == 1 else "medium",
                    "'between/from A and/to B'",
                    cands,
                )
    # nearest two places before the figure (the one right before it is usually the subject)
    before = [m for m in d if m.start < c.start]
    after = [m for m in d if m.start > c.end]
    ordered = sorted(before, key=lambda m: c.start - m.start) + after
    pair = (ordered[1], ordered[0])
    cands = [
        (a, b)
        for i, a in enumerate(ordered)
        for b in ordered[i + 1 :]
        if {a.place.id, b.place.id} != {pair[0].place.id, pair[1].place.id}
    ]
    return pair, "low", "more than two places in the sentence", cands
