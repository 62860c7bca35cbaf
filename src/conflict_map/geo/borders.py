"""Countries, provinces and international borders: which area a point lies in, how far the nearest
border is, and how long the border between two countries is.

Measurements use the full-detail Natural Earth 1:10m layers from :mod:`conflict_map.geo.boundaries`
and geodesics on WGS84 (:mod:`conflict_map.geo.geodesy`); the display copies are never measured.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from conflict_map.errors import UnknownPlaceError, UserError
from conflict_map.geo import boundaries
from conflict_map.geo.geodesy import GEOD, compass_point, line_length_km, normalize_azimuth
from conflict_map.memo import locked_cache

# ----------------------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class AreaHit:
    """A country or province that contains a point."""

    level: str  # "country" or "province"
    name: str
    iso2: str  # the country's ISO 3166-1 alpha-2 ("" for areas without one)
    code: str  # NE ADM0_A3 for countries, FIPS code for provinces ("IZ01" = Anbar)
    country: str = ""  # the country's name (provinces)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "name": self.name,
            "iso2": self.iso2,
            "code": self.code,
            "country": self.country,
        }


@dataclass(frozen=True, slots=True)
class BorderLine:
    """The land border shared by two countries (possibly in several pieces)."""

    a_iso2: str
    a_name: str
    b_iso2: str
    b_name: str
    geometry: BaseGeometry  # (Multi)LineString, lon/lat
    length_km: float

    @property
    def label(self) -> str:
        return f"{self.a_name}–{self.b_name}"

    @property
    def n_vertices(self) -> int:
        return int(shapely.get_num_coordinates(self.geometry))

    def to_dict(self, geometry: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "border": self.label,
            "a": {"iso2": self.a_iso2, "name": self.a_name},
            "b": {"iso2": self.b_iso2, "name": self.b_name},
            "length_km": round(self.length_km, 1),
            "length_miles": round(self.length_km / 1.609344, 1),
            "pieces": len(shapely.get_parts(self.geometry)),
            "vertices": self.n_vertices,
            "source": "Natural Earth 1:10m countries v5.1.1, geodesic length on WGS84",
        }
        if geometry:
            d["geometry"] = shapely.geometry.mapping(self.geometry)
        return d


@dataclass(frozen=True, slots=True)
class NearestBorder:
    """The point of an international land border nearest to a given point."""

    a_iso2: str
    a_name: str
    b_iso2: str
    b_name: str
    distance_km: float
    lat: float  # the nearest point of the border
    lon: float
    bearing: float  # from the given point towards the nearest border point, [0, 360)

    @property
    def label(self) -> str:
        return f"{self.a_name}–{self.b_name}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "border": self.label,
            "a": {"iso2": self.a_iso2, "name": self.a_name},
            "b": {"iso2": self.b_iso2, "name": self.b_name},
            "distance_km": round(self.distance_km, 2),
            "distance_miles": round(self.distance_km / 1.609344, 2),
            "nearest_point": {"lat": round(self.lat, 5), "lon": round(self.lon, 5)},
            "bearing_deg": round(self.bearing, 1),
            "compass": compass_point(self.bearing),
        }


# ------------------------------------------------------------------------------ point in polygon


@locked_cache(maxsize=1)
def _country_index() -> tuple[shapely.STRtree, Any]:
    df = boundaries.load_countries()
    geoms = df.geometry.values
    shapely.prepare(geoms)
    return shapely.STRtree(geoms), df


@locked_cache(maxsize=1)
def _province_index() -> tuple[shapely.STRtree, Any]:
    df = boundaries.load_provinces()
    geoms = df.geometry.values
    shapely.prepare(geoms)
    return shapely.STRtree(geoms), df


def _locate(tree: shapely.STRtree, lats: Any, lons: Any) -> np.ndarray:
    """Index of the polygon containing each point (first hit), -1 where none."""
    lats = np.atleast_1d(np.asarray(lats, dtype=float))
    lons = np.atleast_1d(np.asarray(lons, dtype=float))
    if lats.shape != lons.shape:
        raise ValueError("lats and lons must have the same shape")
    pts = shapely.points(lons, lats)
    out = np.full(len(pts), -1, dtype=np.int64)
    pi, gi = tree.query(pts, predicate="intersects")
    # keep the first polygon per point (order of the query result is by point, then tree order)
    first = np.unique(pi, return_index=True)[1]
    out[pi[first]] = gi[first]
    return out


def countries_at(lats: Any, lons: Any) -> list[AreaHit | None]:
    """Vectorised point-in-country: the country containing each ``(lat, lon)``, None at sea."""
    tree, df = _country_index()
    idx = _locate(tree, lats, lons)
    return [
        None
        if i < 0
        else AreaHit("country", df["name"].iat[i], df["iso2"].iat[i], df["code"].iat[i], df["name"].iat[i])
        for i in idx
    ]


def country_at(lat: float, lon: float) -> AreaHit | None:
    """The country containing the point, or None (at sea / outside every polygon)."""
    return countries_at([lat], [lon])[0]


def provinces_at(lats: Any, lons: Any) -> list[AreaHit | None]:
    """Vectorised point-in-province (first-level division), None where no province polygon holds it."""
    tree, df = _province_index()
    idx = _locate(tree, lats, lons)
    return [
        None
        if i < 0
        else AreaHit("province", df["name"].iat[i], df["iso2"].iat[i], df["fips"].iat[i], df["country"].iat[i])
        for i in idx
    ]


def province_at(lat: float, lon: float) -> AreaHit | None:
    """The first-level division (province, governorate, state) containing the point, or None."""
    return provinces_at([lat], [lon])[0]


# ------------------------------------------------------------------------------- country names


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = re.sub(r"[’'`ʻ]", "", s)
    return re.sub(r"[^\w]+", " ", s).strip()


@locked_cache(maxsize=1)
def country_names() -> dict[str, tuple[str, str]]:
    """Normalised country name / code / demonym -> ``(iso2, display name)``.

    From the Natural Earth table (codes, short, long, formal and admin names) and, for alternative
    spellings and adjectives ("Iraqi", "Syrian"), the ``countryinfo`` package.
    """
    df = boundaries.load_countries()
    names: dict[str, tuple[str, str]] = {}
    display: dict[str, str] = {}
    for row in df.itertuples(index=False):
        if not row.iso2:
            continue
        # the main feature of a code gives its display name (France, not Clipperton Island)
        if row.iso2 not in display or row.type in ("Sovereign country", "Country"):
            display.setdefault(row.iso2, row.name)
            if row.type in ("Sovereign country", "Country"):
                display[row.iso2] = row.name
    for row in df.itertuples(index=False):
        if not row.iso2:
            continue
        item = (row.iso2, display[row.iso2])
        for key in (row.iso2, row.iso3, row.code):
            if key:
                names.setdefault(key.casefold(), item)
        for nm in (row.name, row.admin, row.name_long, row.formal_name):
            if nm:
                names.setdefault(_norm(nm), item)
    try:
        import countryinfo

        for ci in countryinfo.all_countries():
            info = ci.info()
            iso2 = (info.get("ISO") or {}).get("alpha2", "")
            if iso2 not in display:
                continue
            item = (iso2, display[iso2])
            for nm in [info.get("name") or "", info.get("demonym") or "", *(info.get("altSpellings") or [])]:
                if nm and len(nm) > 3:
                    names.setdefault(_norm(nm), item)
    except Exception:  # pragma: no cover - optional enrichment only
        pass
    return names


def resolve_country(text: str) -> tuple[str, str]:
    """``(iso2, name)`` of a country given as ISO2/ISO3 code, name or adjective ("IQ", "SYR", "Syrian").

    Raises :class:`UnknownPlaceError` with the closest names when nothing matches.
    """
    raw = (text or "").strip()
    if not raw:
        raise UnknownPlaceError(text, [])
    names = country_names()
    for key in (raw.casefold(), _norm(raw), _norm(re.sub(r"^(the|al)\s+", "", raw, flags=re.I))):
        if key in names:
            return names[key]
    from rapidfuzz import fuzz, process, utils

    choices = {k: v for k, v in names.items() if len(k) > 3}
    hits = process.extract(_norm(raw), list(choices), scorer=fuzz.WRatio, processor=utils.default_process, limit=8)
    if hits and hits[0][1] >= 92 and len(_norm(raw)) >= 5:
        return choices[hits[0][0]]
    suggestions: list[str] = []
    for key, _score, _i in hits:
        nm = choices[key][1]
        if nm not in suggestions:
            suggestions.append(nm)
    raise UnknownPlaceError(raw, suggestions[:5])


# --------------------------------------------------------------------------------------- borders


def _border_from_rows(rows: Any, a: tuple[str, str], b: tuple[str, str]) -> BorderLine:
    parts = [p for g in rows.geometry.values for p in shapely.get_parts(g)]
    geom = shapely.line_merge(shapely.union_all(parts)) if len(parts) > 1 else parts[0]
    return BorderLine(a[0], a[1], b[0], b[1], geom, line_length_km(geom))


def shared_border(a: str, b: str) -> BorderLine:
    """The land border between two countries (codes, names or adjectives), with its geodesic length.

    Raises :class:`UserError` when the two do not share a land border.
    """
    ca, cb = resolve_country(a), resolve_country(b)
    if ca[0] == cb[0]:
        raise UserError(f"{ca[1]} and {cb[1]} are the same country")
    df = boundaries.load_borders()
    mask = ((df["a_iso2"] == ca[0]) & (df["b_iso2"] == cb[0])) | ((df["a_iso2"] == cb[0]) & (df["b_iso2"] == ca[0]))
    rows = df[mask]
    if rows.empty:
        neighbours = ", ".join(n for _iso, n in sorted(set(neighbours_of(ca[0]))))
        raise UserError(f"{ca[1]} and {cb[1]} share no land border (neighbours of {ca[1]}: {neighbours or 'none'})")
    return _border_from_rows(rows, ca, cb)


def shares_border(a_iso2: str, b_iso2: str) -> bool:
    """True when the two ISO2 codes share a land border in the data."""
    return any(iso == b_iso2 for iso, _n in neighbours_of(a_iso2))


def neighbours_of(iso2: str) -> list[tuple[str, str]]:
    """``(iso2, name)`` of each country sharing a land border with ``iso2`` (sorted by border length)."""
    df = boundaries.load_borders()
    rows = df[(df["a_iso2"] == iso2) | (df["b_iso2"] == iso2)].sort_values("length_km", ascending=False)
    out: list[tuple[str, str]] = []
    for r in rows.itertuples(index=False):
        other = (r.b_iso2, r.b_name) if r.a_iso2 == iso2 else (r.a_iso2, r.a_name)
        if other[0] and other not in out:
            out.append(other)
    return out


def borders_of(country: str) -> list[BorderLine]:
    """Every land border of a country, longest first."""
    iso2, _name = resolve_country(country)
    return sorted((shared_border(iso2, other) for other, _n in neighbours_of(iso2)), key=lambda b: -b.length_km)


@locked_cache(maxsize=1)
def _border_index() -> tuple[shapely.STRtree, Any]:
    df = boundaries.load_borders()
    return shapely.STRtree(df.geometry.values), df


def _aeqd(lat: float, lon: float) -> pyproj.Transformer:
    """lon/lat -> azimuthal equidistant metres centred on the point (distance from the centre is geodesic)."""
    crs = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs")
    return pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def _refine(lat: float, lon: float, line: BaseGeometry, approx_km: float) -> tuple[float, float, float]:
    """Exact geodesic nearest point of ``line``: densify the segments near the best one along geodesics."""
    best = (np.inf, lon, lat)
    tr = _aeqd(lat, lon)
    for part in shapely.get_parts(line):
        xy = shapely.get_coordinates(part)
        if len(xy) < 2:
            continue
        lo1, la1, lo2, la2 = xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1]
        # distances to segment ends bound the distance to the segment from above; keep the segments
        # whose planar (AEQD) distance is close to the best approximate distance
        px, py = tr.transform(xy[:, 0], xy[:, 1])
        segs = shapely.linestrings(np.stack([np.c_[px[:-1], py[:-1]], np.c_[px[1:], py[1:]]], axis=1))
        dseg = shapely.distance(shapely.Point(0, 0), segs) / 1000.0
        near = np.nonzero(dseg <= approx_km * 1.02 + 1.0)[0]
        for k in near:
            seg_km = GEOD.inv(lo1[k], la1[k], lo2[k], la2[k])[2] / 1000.0
            n = int(min(max(seg_km / 0.05, 1), 20000))
            if n > 1:
                r = GEOD.inv_intermediate(
                    lo1[k],
                    la1[k],
                    lo2[k],
                    la2[k],
                    npts=n + 1,
                    initial_idx=0,
                    terminus_idx=0,
                    return_back_azimuth=True,
                )
                los, las = np.asarray(r.lons), np.asarray(r.lats)
            else:
                los, las = np.array([lo1[k], lo2[k]]), np.array([la1[k], la2[k]])
            d = GEOD.inv(np.full(len(los), lon), np.full(len(los), lat), los, las)[2] / 1000.0
            j = int(np.argmin(d))
            if d[j] < best[0]:
                best = (float(d[j]), float(los[j]), float(las[j]))
    return best


def nearest_border(lat: float, lon: float, *, country: str | None = None, other: str | None = None) -> NearestBorder:
    """The nearest point of an international land border to ``(lat, lon)``, geodesic to ~50 m.

    ``country`` restricts the search to that country's borders, ``other`` additionally to its border
    with ``other`` (e.g. the Iraq–Syria border from a town in Iraq).
    """
    tree, df = _border_index()
    mask = np.ones(len(df), dtype=bool)
    if country:
        iso = resolve_country(country)[0]
        mask &= ((df["a_iso2"] == iso) | (df["b_iso2"] == iso)).to_numpy()
        if other:
            iso_o = resolve_country(other)[0]
            mask &= ((df["a_iso2"] == iso_o) | (df["b_iso2"] == iso_o)).to_numpy()
    elif other:
        raise ValueError("other needs country")
    idx = np.nonzero(mask)[0]
    if len(idx) == 0:
        raise UserError("no land border matches" + (f" {country}" if country else "") + (f"–{other}" if other else ""))
    geoms = df.geometry.values
    pt = shapely.Point(lon, lat)
    tr = _aeqd(lat, lon)

    def approx(ids: np.ndarray) -> np.ndarray:
        proj = shapely.transform(geoms[ids], lambda xy: np.c_[tr.transform(xy[:, 0], xy[:, 1])])
        return shapely.distance(shapely.Point(0, 0), proj) / 1000.0

    # a first candidate by planar nearest, then every line whose box is within that distance
    first = idx[np.argmin(shapely.distance(pt, geoms[idx]))]
    d0 = float(approx(np.array([first]))[0])
    dlat = d0 / 110.0 + 0.05
    coslat = max(np.cos(np.radians(min(abs(lat) + dlat, 89.9))), 1e-3)
    dlon = min(d0 / (111.0 * coslat) + 0.05, 180.0)
    box = shapely.box(lon - dlon, lat - dlat, lon + dlon, lat + dlat)
    cand = np.intersect1d(tree.query(box), idx)
    if first not in cand:
        cand = np.append(cand, first)
    dist = approx(cand)
    order = np.argsort(dist)
    best: tuple[float, float, float, int] = (np.inf, lon, lat, -1)
    for k in order:
        if dist[k] > dist[order[0]] * 1.02 + 1.0:
            break
        d, blon, blat = _refine(lat, lon, geoms[cand[k]], float(dist[k]))
        if d < best[0]:
            best = (d, blon, blat, int(cand[k]))
    d, blon, blat, i = best
    row = df.iloc[i]
    az = GEOD.inv(lon, lat, blon, blat)[0] if d > 0 else 0.0
    return NearestBorder(
        row["a_iso2"], row["a_name"], row["b_iso2"], row["b_name"], d, blat, blon, normalize_azimuth(az)
    )


@dataclass(frozen=True, slots=True)
class NearestPoint:
    """The point of a line or an area's outline nearest to a given point, and the geodesic distance to it."""

    distance_km: float
    lat: float
    lon: float
    inside: bool = False  # the given point lies inside the area (the distance is then 0)


def nearest_point(lat: float, lon: float, geom: BaseGeometry) -> NearestPoint:
    """Nearest point of ``geom`` (lon/lat lines or polygons) to ``(lat, lon)``, geodesic to ~50 m.

    For a polygon the outline is searched; a point inside the polygon is 0 km from it (``inside``).
    """
    if geom is None or geom.is_empty:
        raise UserError("no geometry to measure to")
    if shapely.get_dimensions(geom) == 2 and shapely.contains_xy(geom, lon, lat):
        return NearestPoint(0.0, lat, lon, inside=True)
    line = shapely.boundary(geom) if shapely.get_dimensions(geom) == 2 else geom
    tr = _aeqd(lat, lon)
    proj = shapely.transform(line, lambda xy: np.c_[tr.transform(xy[:, 0], xy[:, 1])])
    approx_km = float(shapely.distance(shapely.Point(0, 0), proj)) / 1000.0
    d, blon, blat = _refine(lat, lon, line, approx_km)
    return NearestPoint(float(d), float(blat), float(blon))


def clear_caches() -> None:
    """Forget the indexes built in this process, and the boundary layers they were built from."""
    for fn in (_country_index, _province_index, _border_index, country_names):
        fn.cache_clear()
    boundaries.clear_caches()
