"""Areas are areas: countries, provinces, rivers, seas and regions are drawn and measured as what they are.

Only point places (towns, bases, crossings, camps, landmarks) get a pin on the map. A country or a province
is its outline from the offline boundary layers (:mod:`conflict_map.geo.boundaries`, Natural Earth), a named
river is its line from the rivers layer (:mod:`conflict_map.view.layers`), and a sea or a region without an
outline is a label at the gazetteer's point. :func:`area_shape` says which: the static GeoJSON file the
browser fetches (``url``), the feature of that file (``key`` = ``value``), where the name goes and the full
geometry for measuring. :func:`measure` measures between two places; to an area it measures to the nearest
point of its outline (0 km from inside it) and says so.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape as geojson_shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points, polylabel

from conflict_map.geo import geodesy
from conflict_map.memo import locked_cache
from conflict_map.models import Place
from conflict_map.view import offline

LatLon = tuple[float, float]

#: Place kinds that are areas (never a pin).
AREA_KINDS = frozenset({"continent", "country", "province", "region", "water"})
#: Simplification (degrees) of the copy used to place labels.
LABEL_TOLERANCE = 0.02

_FILLER = frozenset(
    "al el an as ad ar at ash az ath the of muhafazat province governorate governorat wilayah wilayat vilayet "
    "oblast region state river nahr sea gulf".split()
)


def is_area(p: Place) -> bool:
    """True for a country, province, region, continent, sea or river (drawn as an area, never a pin)."""
    return p.kind in AREA_KINDS


def norm_name(name: str) -> str:
    """A name for matching across spellings: no accents, no articles or words like "province", lower case.

    >>> norm_name("Al Anbār") == norm_name("Muhafazat al Anbar") == norm_name("Al-Anbar")
    True
    """
    s = unicodedata.normalize("NFKD", name or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = re.sub(r"['\u2018\u2019\u02bc\u02be\u02bf`]", "", s)
    words = [w for w in re.split(r"[^0-9a-z]+", s) if w and w not in _FILLER]
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class AreaShape:
    """How an area is drawn and measured.

    ``kind`` is ``country``, ``province`` or ``river`` (an outline or line the browser fetches from ``url`` and
    picks by ``key == value``) or ``label`` (only a name at ``label``). ``geometry`` is the full-detail lon/lat
    geometry used for measuring (None for a label); ``outline`` a light copy for placing labels.
    """

    place_id: str
    kind: str
    url: str | None
    key: str
    value: str
    label: LatLon
    bounds: list[list[float]] | None = None
    geometry: BaseGeometry | None = field(default=None, compare=False, repr=False)
    outline: BaseGeometry | None = field(default=None, compare=False, repr=False)

    @property
    def drawn(self) -> bool:
        """True when the area has an outline or a line on the map (not just a label)."""
        return self.url is not None and self.geometry is not None

    def label_near(self, box: list[list[float]] | None) -> LatLon:
        """Where the name goes: inside the part of the area within ``box`` ([[s, w], [n, e]]) when it shows there."""
        geom = self.outline
        if geom is None or box is None:
            return self.label
        view = shapely.box(box[0][1], box[0][0], box[1][1], box[1][0])
        if shapely.get_dimensions(geom) == 1:
            near = nearest_points(geom, shapely.centroid(view))[0] if geom.intersects(view) else None
            return (near.y, near.x) if near is not None else self.label
        part = shapely.intersection(geom, view)
        if part.is_empty or shapely.area(part) < 0.02 * shapely.area(view):
            return self.label
        return _polylabel(part)


def _bounds(geom: BaseGeometry) -> list[list[float]]:
    w, s, e, n = shapely.bounds(geom).tolist()
    return [[s, w], [n, e]]


def _polylabel(geom: BaseGeometry) -> LatLon:
    """A point well inside the largest part of a polygon (pole of inaccessibility)."""
    parts = [g for g in shapely.get_parts(geom) if shapely.get_dimensions(g) == 2]
    if not parts:
        c = shapely.point_on_surface(geom)
        return (c.y, c.x)
    big = max(parts, key=shapely.area)
    tol = max(shapely.length(big) / 400.0, 1e-4)
    p = polylabel(big, tolerance=tol)
    return (p.y, p.x)


def _label_only(p: Place) -> AreaShape:
    return AreaShape(p.id, "label", None, "", "", (p.lat, p.lon))


@locked_cache(maxsize=512)
def area_shape(p: Place) -> AreaShape | None:
    """The drawing of an area place (None for a point place); a label at its point when no outline is known."""
    if not is_area(p):
        return None
    try:
        if p.kind == "country":
            shape = _country_shape(p)
        elif p.kind == "province":
            shape = _province_shape(p)
        elif p.kind == "water":
            shape = _river_shape(p)
        else:
            shape = None
    except Exception:  # noqa: BLE001 - boundary layers not built: the area is still named on the map
        shape = None
    return shape or _label_only(p)


def _country_shape(p: Place) -> AreaShape | None:
    from conflict_map.geo import boundaries

    if not re.fullmatch(r"[A-Z]{2}", p.country or ""):
        return None
    df = boundaries.load_countries()
    rows = df[df["iso2"] == p.country]
    if rows.empty:
        return None
    geom = shapely.union_all(rows.geometry.values)
    return _polygon_shape(p, offline.country_url(p.country), "iso2", p.country, geom)


def _polygon_shape(p: Place, url: str | None, key: str, value: str, geom: BaseGeometry) -> AreaShape:
    outline = shapely.simplify(geom, LABEL_TOLERANCE)
    return AreaShape(p.id, p.kind, url, key, value, _polylabel(outline), _bounds(geom), geom, outline)


def _province_shape(p: Place) -> AreaShape | None:
    from conflict_map.geo import boundaries

    df = boundaries.load_provinces()
    rows = df[df["iso2"] == p.country] if p.country else df
    if rows.empty:
        return None
    wanted = {norm_name(p.name)} | ({norm_name(p.province)} if p.province else set())
    wanted.discard("")
    hit = None
    for i, names in enumerate(zip(rows["name"], rows["gn_name"], rows["woe_name"], strict=True)):
        if wanted & {norm_name(n) for n in names}:
            hit = i
            break
    if hit is None:  # the polygon that holds the gazetteer's point, in the same country
        inside = shapely.contains_xy(rows.geometry.values, p.lon, p.lat)
        if not inside.any():
            return None
        hit = int(inside.argmax())
    row = rows.iloc[hit]
    fips = str(row["fips"] or "")
    key, value = ("fips", fips) if fips else ("name", str(row["name"]))
    return _polygon_shape(p, offline.provinces_url(str(row["iso2"])), key, value, row.geometry)


@locked_cache(maxsize=2)
def _named_rivers(path: str) -> dict[str, tuple[str, BaseGeometry]]:
    """``{normalised name: (layer name, lines)}`` of the named rivers in the world rivers file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    lines: dict[str, list[Any]] = {}
    for f in data.get("features", []):
        name = str((f.get("properties") or {}).get("name") or "")
        if name and f.get("geometry"):
            lines.setdefault(name, []).append(geojson_shape(f["geometry"]))
    return {norm_name(n): (n, shapely.union_all(gs)) for n, gs in lines.items() if norm_name(n)}


def _river_shape(p: Place) -> AreaShape | None:
    from conflict_map.view import layers

    url = layers.rivers_url()
    if url is None:
        return None
    found = _named_rivers(str(offline.STATIC_DIR / "geo" / "rivers.geojson")).get(norm_name(p.name))
    if found is None:
        return None
    name, geom = found
    near = nearest_points(geom, shapely.Point(p.lon, p.lat))[0]
    return AreaShape(p.id, "river", url, "name", name, (near.y, near.x), _bounds(geom), geom, geom)


# --- measuring -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Measured:
    """A measured distance: km, initial bearing, compass point, the line drawn and what was measured."""

    km: float
    bearing: float
    compass: str
    line: list[LatLon]
    note: str = ""


def _what(p: Place) -> str:
    return {"province": f"{p.name} province", "water": f"the {p.name}"}.get(p.kind, p.name)


def _end(p: Place, towards: LatLon) -> tuple[LatLon, str]:
    """The point of ``p`` to measure from when measuring towards ``towards``, and a note when it is not ``p``."""
    shape = area_shape(p)
    if shape is None:
        return (p.lat, p.lon), ""
    if shape.geometry is None:
        return (p.lat, p.lon), f"{_what(p)} has no outline here: measured to the gazetteer's point for it"
    from conflict_map.geo.borders import nearest_point

    hit = nearest_point(towards[0], towards[1], shape.geometry)
    if hit.inside:
        return (hit.lat, hit.lon), f"inside {_what(p)}"
    edge = "nearest point" if shape.kind == "river" else "nearest edge"
    return (hit.lat, hit.lon), f"measured to the {edge} of {_what(p)}"


def measure(a: Place, b: Place) -> Measured:
    """Distance from ``a`` to ``b``; an area end is its outline's nearest point (0 km when the other is inside)."""
    pa, pb = (a.lat, a.lon), (b.lat, b.lon)
    notes: list[str] = []
    if is_area(a) and is_area(b):
        pb, nb = _end(b, _end(a, pb)[0])
        pa, na = _end(a, pb)
        notes = [n for n in (na, nb) if n]
    elif is_area(b):
        pb, nb = _end(b, pa)
        notes = [f"{a.name} is {nb}" if nb.startswith("inside") else nb] if nb else []
    elif is_area(a):
        pa, na = _end(a, pb)
        notes = [f"{b.name} is {na}" if na.startswith("inside") else na] if na else []
    d = geodesy.distance(pa[0], pa[1], pb[0], pb[1])
    if is_area(a) and is_area(b) and d.km < 0.05:
        notes = [f"{_what(a)} and {_what(b)} touch or overlap"]
    line = geodesy.geodesic_line(pa[0], pa[1], pb[0], pb[1], spacing_km=5.0) if d.km > 0 else [pa, pb]
    return Measured(d.km, d.azimuth, d.compass, line, "; ".join(notes))
