"""Rivers are long: a river mention is placed on the river where the article's other places are.

A river's gazetteer point is one point along thousands of kilometres (the Euphrates' lies in Syria); an article
about al-Qaim or Nasiriyah means the river there. For rivers whose course the curated data gives
(``gazetteer/data/rivers.csv``, points from source to mouth), the mention's point becomes the point of the
course nearest the article's place named closest to it in the text (a town, base, dam...) that lies near the
river. Without such a place the gazetteer's point stays.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import replace
from functools import lru_cache

from conflict_map.gazetteer.sources.curated import read_csv
from conflict_map.models import Mention

#: Kinds of place that can say where on a river an article is.
ANCHOR_KINDS = frozenset({"city", "town", "village", "district", "base", "airport", "crossing", "dam", "landmark"})
#: How far from the river an anchoring place may lie (km).
ANCHOR_KM = 100.0

Point = tuple[float, float]


@lru_cache(maxsize=1)
def river_courses() -> dict[str, tuple[Point, ...]]:
    """The curated river courses: gazetteer id -> points (lat, lon) from source to mouth."""
    out: dict[str, list[Point]] = defaultdict(list)
    for r in read_csv("rivers.csv"):
        out[r["id"]].append((float(r["lat"]), float(r["lon"])))
    return {k: tuple(v) for k, v in out.items()}


def nearest_on_course(course: tuple[Point, ...], p: Point) -> tuple[Point, float]:
    """The point of the polyline ``course`` nearest ``p`` and its distance in km (local equirectangular plane,
    accurate to well under 1 % over the few hundred kilometres that matter)."""
    kx = 111.32 * math.cos(math.radians(p[0]))
    ky = 110.57

    def xy(q: Point) -> tuple[float, float]:
        return ((q[1] - p[1]) * kx, (q[0] - p[0]) * ky)

    best: tuple[float, Point] = (math.inf, course[0])
    for a, b in zip(course, course[1:], strict=False):
        (ax, ay), (bx, by) = xy(a), xy(b)
        dx, dy = bx - ax, by - ay
        seg = dx * dx + dy * dy
        t = 0.0 if seg == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / seg))
        x, y = ax + t * dx, ay + t * dy
        d = math.hypot(x, y)
        if d < best[0]:
            best = (d, (p[0] + y / ky, p[1] + x / kx))
    return best[1], best[0]


@lru_cache(maxsize=20_000)
def _nearest(river: str, course: tuple[Point, ...], p: Point) -> tuple[Point, float]:
    return nearest_on_course(course, p)


def place_rivers(mentions: list[Mention]) -> list[Mention]:
    """``mentions`` with each river that has a curated course placed near the article's place named closest to
    it in the text (see the module docstring); other mentions are returned unchanged."""
    courses = river_courses()
    anchors = [m for m in mentions if m.place is not None and m.place.kind in ANCHOR_KINDS]
    out = []
    for m in mentions:
        course = courses.get(m.place.id) if m.place is not None else None
        if not course or not anchors:
            out.append(m)
            continue
        best: Point | None = None
        for a in sorted(anchors, key=lambda a: abs(a.start - m.start)):  # the place named nearest in the text
            on, km = _nearest(m.place.id, course, (a.place.lat, a.place.lon))
            if km <= ANCHOR_KM:
                best = on
                break
        if best is None:
            out.append(m)
            continue
        lat, lon = round(best[0], 5), round(best[1], 5)
        place = replace(m.place, lat=lat, lon=lon, source=f"{m.place.source}; point on the river near the article")
        ranked = [replace(c, place=place) if c.place.id == place.id else c for c in m.candidates]
        out.append(replace(m, place=place, candidates=ranked))
    return out


__all__ = ["ANCHOR_KINDS", "ANCHOR_KM", "nearest_on_course", "place_rivers", "river_courses"]
