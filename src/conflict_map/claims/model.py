"""The claim record: one distance or length statement, what it was linked to, and its check.

Also the words a claim is labelled with (kinds, link levels, verdicts) and the place kinds that
count as points or areas when a distance is measured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conflict_map.models import Mention, Place

#: A claim's verdict: one of :data:`VERDICTS`.
Verdict = str
CONSISTENT: Verdict = "consistent"
DIFFERS: Verdict = "differs"
UNCHECKED: Verdict = "unchecked"
VERDICTS: tuple[Verdict, ...] = (CONSISTENT, DIFFERS, UNCHECKED)

#: What a claim measures: a distance between two places, from a place to a border, the length of
#: something (a border), or another figure that is not checked (a range, radius, height...).
KINDS: tuple[str, ...] = ("distance", "border_distance", "length", "other")
#: How sure the link to places or a border is; ``low`` and ``none`` are left unchecked.
LINK_LEVELS: tuple[str, ...] = ("high", "medium", "low", "none")

#: Place kinds that are points (a distance to them is meaningful); others are areas.
POINT_KINDS = frozenset({"city", "town", "village", "base", "airport", "crossing", "dam", "landmark"})
AREA_KINDS = frozenset({"continent", "country", "province", "district", "region", "water"})

_UNIT_WORDS = {"km": "km", "mi": "miles", "nmi": "nautical miles", "m": "m"}


@dataclass(slots=True)
class Claim:
    """One distance or length statement of an article, with what it links to and its check."""

    start: int
    end: int
    text: str
    sentence: str
    kind: str  # "distance" | "border_distance" | "length" | "other"
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
    verdict: Verdict = UNCHECKED
    explanation: str = ""
    notes: list[str] = field(default_factory=list)
    candidates: list[dict[str, Any]] = field(default_factory=list)
    nearest_point: tuple[float, float] | None = None  # border_distance: (lat, lon) on the border

    def stated(self) -> str:
        """The stated figure in words: ``"about 600 km"``, ``"90-95 miles = 152.9 km"``."""
        unit = _UNIT_WORDS[self.unit]
        val = f"{self.value:g}" if self.value_high is None else f"{self.value:g}-{self.value_high:g}"
        conv = "" if self.unit == "km" else f" = {self.value_km:.1f} km"
        hedge = f"{self.hedge} " if self.hedge else ""
        return f"{hedge}{val} {unit}{conv}"

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
            "stated": self.stated(),
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
