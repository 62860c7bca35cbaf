"""A checked claim as the corpus stores it and the exports write it: flat fields and a line to draw.

:func:`claims_for` checks one geoparsed article (:func:`conflict_map.claims.check.check_claims`) and
flattens each claim into a :class:`ClaimRecord`; the corpus stores them when an article is added, loaded,
re-processed or corrected, so an export reads them back instead of checking every article again.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from conflict_map.claims.check import check_claims
from conflict_map.geo.geodesy import geodesic_points
from conflict_map.models import Article, ParseResult, Place

LatLon = tuple[float, float]


@dataclass(slots=True)
class ClaimRecord:
    """A checked distance/length claim, flattened for export."""

    article_id: int
    sentence: str
    stated: str
    measured: str
    verdict: str
    line: list[LatLon] = field(default_factory=list)
    stated_km: float | None = None
    measured_km: float | None = None
    places: list[str] = field(default_factory=list)
    explanation: str = ""
    parts: list[list[LatLon]] = field(default_factory=list)  # a border length claim: the border, in pieces

    def to_json(self) -> dict[str, Any]:
        """The record without its article id, JSON-ready (how the corpus stores it)."""
        d = asdict(self)
        del d["article_id"]
        d["line"] = [list(p) for p in self.line]
        d["parts"] = [[list(p) for p in part] for part in self.parts]
        return d

    @classmethod
    def from_json(cls, article_id: int, d: dict[str, Any]) -> ClaimRecord:
        """The record :meth:`to_json` wrote, for ``article_id``."""
        return cls(
            article_id=article_id,
            sentence=d.get("sentence", ""),
            stated=d.get("stated", ""),
            measured=d.get("measured", ""),
            verdict=d.get("verdict", ""),
            line=[(float(p[0]), float(p[1])) for p in d.get("line") or []],
            stated_km=d.get("stated_km"),
            measured_km=d.get("measured_km"),
            places=list(d.get("places") or []),
            explanation=d.get("explanation", ""),
            parts=[[(float(p[0]), float(p[1])) for p in part] for part in d.get("parts") or []],
        )

    def properties(self, articles: dict[int, Article]) -> dict[str, Any]:
        """The exported attributes of the claim (GeoJSON properties; KML extended data)."""
        art = articles.get(self.article_id)
        return {
            "type": "claim",
            "article_id": self.article_id,
            "article_title": art.title if art else "",
            "sentence": self.sentence,
            "stated": self.stated,
            "measured": self.measured,
            "verdict": self.verdict,
            "explanation": self.explanation,
            "stated_km": self.stated_km,
            "measured_km": self.measured_km,
            "places": list(self.places),
        }


def claims_for(article_id: int, result: ParseResult) -> list[ClaimRecord]:
    """The checked distance and length claims of one article (:func:`conflict_map.claims.check.check_claims`)."""
    return [claim_record(article_id, c) for c in check_claims(result)]


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _latlon(v: Any) -> LatLon | None:
    """A (lat, lon) from a Place, a dict with lat/lon or a (lat, lon) pair."""
    if v is None:
        return None
    if isinstance(v, Place):
        return (v.lat, v.lon)
    if isinstance(v, dict) and "lat" in v and "lon" in v:
        lat, lon = _num(v["lat"]), _num(v["lon"])
        return (lat, lon) if lat is not None and lon is not None else None
    if hasattr(v, "lat") and hasattr(v, "lon"):
        return (float(v.lat), float(v.lon))
    if isinstance(v, list | tuple) and len(v) == 2:
        lat, lon = _num(v[0]), _num(v[1])
        return (lat, lon) if lat is not None and lon is not None else None
    return None


def claim_record(article_id: int, c: Any) -> ClaimRecord:
    """Adapter from a :class:`conflict_map.claims.check.Claim` (or a dict with similar keys) to a record.

    Geometry: an explicit ``line``; else the two places of a distance claim (geodesic); else a place and
    the ``nearest_point`` of a distance-to-border claim; else none (e.g. a border length claim).
    """
    d: dict[str, Any] = c.to_dict() if hasattr(c, "to_dict") else dict(c)
    line: list[LatLon] = []
    for key in ("line", "geometry", "coords", "path"):
        raw = d.get(key) if key in d else getattr(c, key, None)
        if isinstance(raw, list | tuple) and raw:
            pts = [_latlon(p) for p in raw]
            line = [p for p in pts if p is not None]
            if line:
                break
    ends: list[Any] = []
    for a_key, b_key in (("a", "b"), ("from", "to"), ("place_a", "place_b")):
        a = d.get(a_key, getattr(c, a_key, None))
        b = d.get(b_key, getattr(c, b_key, None))
        if a is not None and b is not None:
            ends = [a, b]
            break
    places = list(getattr(c, "places", None) or d.get("places") or [])
    if not ends and places:
        ends = places[:2]
    names = [e.name if isinstance(e, Place) else (e.get("name", "") if isinstance(e, dict) else str(e)) for e in ends]
    nearest = _latlon(d.get("nearest_point"))
    if not line:
        pts = [_latlon(e) for e in ends]
        if len(pts) == 2 and pts[0] is not None and pts[1] is not None:
            line = geodesic_points(pts[0], pts[1])
        elif len(pts) == 1 and pts[0] is not None and nearest is not None:
            line = geodesic_points(pts[0], nearest)
    parts = _border_parts(d.get("border")) if not line else []
    measured_km = _num(d.get("measured_km"))
    measured = str(d.get("measured", "") or "")
    if not measured and measured_km is not None:
        measured = f"{measured_km:.1f} km"
    stated = str(d.get("stated", "") or d.get("claim", "") or d.get("text", "") or "")
    subject = str(d.get("subject", "") or "")
    return ClaimRecord(
        article_id=article_id,
        sentence=str(d.get("sentence", "") or ""),
        stated=stated,
        measured=measured,
        verdict=str(d.get("verdict", "") or ""),
        line=line,
        stated_km=_num(d.get("stated_km", d.get("value_km"))),
        measured_km=measured_km,
        places=[n for n in names if n] or ([subject] if subject else []),
        explanation=str(d.get("explanation", "") or ""),
        parts=parts,
    )


def _border_parts(border: Any) -> list[list[LatLon]]:
    """The shared border of a border claim (``{"a": {"iso2"}, "b": {"iso2"}}``) as (lat, lon) lines; [] if unknown."""
    try:
        import shapely

        from conflict_map.geo import borders

        bl = borders.shared_border(border["a"]["iso2"], border["b"]["iso2"])
        geom = shapely.simplify(bl.geometry, 0.002, preserve_topology=False)
        return [[(float(y), float(x)) for x, y in g.coords] for g in shapely.get_parts(geom)]
    except Exception:  # noqa: BLE001 - no border data or no border: the claim is exported without geometry
        return []


__all__ = ["ClaimRecord", "LatLon", "claim_record", "claims_for"]
