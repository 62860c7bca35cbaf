"""A deterministic stand-in geoparser for the dashboard tests: the sample's places, fixed coordinates.

The dashboard tests check the page, not the geoparser, so they run against this regex matcher
(``CONFLICT_MAP_GEOPARSER=dashboard_fake:geoparse``). Coordinates are rounded public figures.
"""

from __future__ import annotations

import re

from conflict_map.models import Candidate, Mention, ParseResult, Place

P = {
    "qaim": Place("1", "Al Qa'im", "town", 34.3686, 41.0943, "IQ", "Anbar", 74000, "test"),
    "rawa": Place("2", "Rawah", "town", 34.4771, 41.9166, "IQ", "Anbar", 20000, "test"),
    "asad": Place("icao:ORAA", "Ain al-Asad Air Base", "base", 33.7856, 42.4412, "IQ", "Anbar", 0, "test"),
    "khan": Place("cm:khan-al-baghdadi", "Khan al-Baghdadi", "town", 33.85, 42.55, "IQ", "Anbar", 0, "test"),
    "ramadi": Place("3", "Ramadi", "city", 33.4206, 43.3078, "IQ", "Anbar", 274000, "test"),
    "haditha": Place("4", "Haditha", "town", 34.1396, 42.3784, "IQ", "Anbar", 30000, "test"),
    "baghdad": Place("5", "Baghdad", "city", 33.3406, 44.4009, "IQ", "Baghdad", 7000000, "test"),
    "abukamal": Place("6", "Abu Kamal", "town", 34.4506, 40.9186, "SY", "Deir ez-Zor", 50000, "test"),
    "deir": Place("7", "Deir ez-Zor", "city", 35.3359, 40.1408, "SY", "Deir ez-Zor", 240000, "test"),
    "tanf": Place("cm:al-tanf", "Al-Tanf", "base", 33.5069, 38.6181, "SY", "Homs", 0, "test"),
    "anbar": Place("8", "Anbar", "province", 33.0, 42.0, "IQ", "", 0, "test"),
    "iraq": Place("99237", "Iraq", "country", 33.0, 44.0, "IQ", "", 0, "test"),
    "syria": Place("163843", "Syria", "country", 35.0, 38.0, "SY", "", 0, "test"),
    "jordan": Place("248816", "Jordan", "country", 31.0, 36.0, "JO", "", 0, "test"),
    "rawa_ng": Place("9", "Rawa", "village", 10.0, 20.0, "NG", "", 500, "test"),
    "hawf": Place("cm:hawf", "Hawf", "village", 16.65, 53.05, "YE", "", 0, "test"),  # a lone far reading
}

NAMES: dict[str, list[tuple[str, float]]] = {
    "Al Qaim": [("qaim", 0.92)],
    "Rawa": [("rawa", 0.45), ("rawa_ng", 0.3)],
    "Ain al-Asad": [("asad", 0.95)],
    "Khan al-Baghdadi": [("khan", 0.9)],
    "Ramadi": [("ramadi", 0.97)],
    "Haditha": [("haditha", 0.9)],
    "Baghdad": [("baghdad", 0.99)],
    "Abu Kamal": [("abukamal", 0.9)],
    "Deir ez-Zor": [("deir", 0.9)],
    "Al-Tanf": [("tanf", 0.8)],
    "Anbar": [("anbar", 0.95)],
    "Iraq": [("iraq", 0.99)],
    "Syria": [("syria", 0.99)],
    "Jordan": [("jordan", 0.99)],
    "Evilton": [("evil", 0.9)],
    "Qaim": [("qaim", 0.8)],  # another spelling of Al Qa'im
    "Hawf": [("hawf", 0.6)],
}
P["evil"] = Place("666", "<img src=x onerror=alert(1)>Evil", "town", 34.0, 43.0, "IQ", "<b>x</b>", 0, "test")
DEMONYMS = ("Iraqi", "Syrian")
_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in sorted(NAMES, key=len, reverse=True)) + r")(?![\w-])")
_DEM = re.compile(r"\b(" + "|".join(DEMONYMS) + r")\b")
_SENT = re.compile(r"[^.!?\n]+[.!?]?")


def geoparse(text: str) -> ParseResult:
    """Regex matcher over :data:`NAMES`; the first candidate is chosen."""
    mentions: list[Mention] = []
    for sm in _SENT.finditer(text):
        s = sm.group()
        for m in _RE.finditer(s):
            cands = [Candidate(P[k], sc) for k, sc in NAMES[m.group()]]
            start = sm.start() + m.start()
            mentions.append(
                Mention(
                    start,
                    start + len(m.group()),
                    m.group(),
                    s,
                    sm.start(),
                    "place",
                    m.group().lower(),
                    cands,
                    cands[0].place,
                    cands[0].score,
                )
            )
        for m in _DEM.finditer(s):
            start = sm.start() + m.start()
            mentions.append(Mention(start, start + len(m.group()), m.group(), s, sm.start(), "demonym"))
    mentions.sort(key=lambda m: m.start)
    return ParseResult(text=text, mentions=mentions, body=(0, len(text)))
