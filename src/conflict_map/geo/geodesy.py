"""Distances, bearings and line lengths on the WGS84 ellipsoid.

Everything goes through :class:`pyproj.Geod` (Karney's geodesic algorithms, accurate to nanometres);
there is deliberately no hand-written haversine here. Coordinates are given as ``(lat, lon)`` in
degrees in the public functions, as people write them; pyproj itself takes ``lon, lat``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

#: The one ellipsoid used across the project.
GEOD = pyproj.Geod(ellps="WGS84")

KM_PER_MILE = 1.609344
KM_PER_NMI = 1.852

#: Kilometres per unit, for every unit spelling the claim checker understands (lower case).
UNIT_KM: dict[str, float] = {
    "km": 1.0,
    "mi": KM_PER_MILE,
    "nmi": KM_PER_NMI,
    "m": 0.001,
}

_COMPASS_16 = (
    "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
    "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW",
)  # fmt: skip

_COMPASS_NAMES = {
    "N": "north",
    "NE": "northeast",
    "E": "east",
    "SE": "southeast",
    "S": "south",
    "SW": "southwest",
    "W": "west",
    "NW": "northwest",
}

#: Direction words -> azimuth in degrees (clockwise from true north).
DIRECTION_AZIMUTH: dict[str, float] = {
    "north": 0.0,
    "northeast": 45.0,
    "east": 90.0,
    "southeast": 135.0,
    "south": 180.0,
    "southwest": 225.0,
    "west": 270.0,
    "northwest": 315.0,
}


def _check_coord(lat: float, lon: float) -> None:
    if not (np.isfinite(lat) and np.isfinite(lon)):
        raise ValueError(f"coordinates must be finite numbers, got ({lat}, {lon})")
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"latitude {lat} is outside -90..90")
    if not -180.0 <= lon <= 360.0:
        raise ValueError(f"longitude {lon} is outside -180..360")


def normalize_azimuth(az: float) -> float:
    """An azimuth folded into ``[0, 360)``."""
    return float(az) % 360.0


def compass_point(azimuth: float, points: int = 16) -> str:
    """The compass point of an azimuth: ``"N"``, ``"NNE"``, ... on 16 points, ``"N"``, ``"NE"``, ... on 8."""
    if points not in (4, 8, 16):
        raise ValueError("points must be 4, 8 or 16")
    az = normalize_azimuth(azimuth)
    step = 360.0 / points
    idx = int((az + step / 2) // step) % points
    return _COMPASS_16[idx * (16 // points)]


def compass_name(azimuth: float) -> str:
    """The 8-point direction word of an azimuth: ``"north"``, ``"northeast"``, ..."""
    return _COMPASS_NAMES[compass_point(azimuth, 8)]


def angle_difference(a: float, b: float) -> float:
    """The smallest absolute difference between two azimuths, in ``[0, 180]`` degrees."""
    d = abs(normalize_azimuth(a) - normalize_azimuth(b))
    return min(d, 360.0 - d)


@dataclass(frozen=True, slots=True)
class GeodesicDistance:
    """The geodesic between two points: length and the azimuths at each end."""

    km: float
    azimuth: float  # initial bearing at the start point, degrees clockwise from true north, [0, 360)
    back_azimuth: float  # bearing from the end point back to the start, [0, 360)

    @property
    def metres(self) -> float:
        return self.km * 1000.0

    @property
    def miles(self) -> float:
        return self.km / KM_PER_MILE

    @property
    def nmi(self) -> float:
        return self.km / KM_PER_NMI

    @property
    def compass(self) -> str:
        """16-point compass point of the initial bearing."""
        return compass_point(self.azimuth)

    def to_dict(self) -> dict[str, Any]:
        return {
            "km": round(self.km, 3),
            "miles": round(self.miles, 3),
            "nautical_miles": round(self.nmi, 3),
            "bearing_deg": round(self.azimuth, 1),
            "compass": self.compass,
            "back_bearing_deg": round(self.back_azimuth, 1),
        }


def distance(lat1: float, lon1: float, lat2: float, lon2: float) -> GeodesicDistance:
    """Geodesic distance and bearings from ``(lat1, lon1)`` to ``(lat2, lon2)`` on WGS84."""
    _check_coord(lat1, lon1)
    _check_coord(lat2, lon2)
    az, baz, metres = GEOD.inv(lon1, lat1, lon2, lat2)
    return GeodesicDistance(km=metres / 1000.0, azimuth=normalize_azimuth(az), back_azimuth=normalize_azimuth(baz))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance in kilometres."""
    return distance(lat1, lon1, lat2, lon2).km


def initial_bearing(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial bearing (forward azimuth) from the first point towards the second, in ``[0, 360)``."""
    return distance(lat1, lon1, lat2, lon2).azimuth


def distances_km(lats1: Any, lons1: Any, lats2: Any, lons2: Any) -> np.ndarray:
    """Vectorised geodesic distances (km) between paired arrays of points."""
    _az, _baz, metres = GEOD.inv(
        np.asarray(lons1, dtype=float),
        np.asarray(lats1, dtype=float),
        np.asarray(lons2, dtype=float),
        np.asarray(lats2, dtype=float),
    )
    return np.asarray(metres, dtype=float) / 1000.0


def geodesic_line(
    lat1: float,
    lon1: float,
    lat2: float,
    lon2: float,
    *,
    npts: int | None = None,
    spacing_km: float = 10.0,
) -> list[tuple[float, float]]:
    """Points ``(lat, lon)`` along the geodesic, both ends included, for drawing a true great-ellipse path.

    ``npts`` intermediate points when given, else one every ``spacing_km`` (at least none for short lines).
    """
    _check_coord(lat1, lon1)
    _check_coord(lat2, lon2)
    if npts is None:
        if spacing_km <= 0:
            raise ValueError("spacing_km must be positive")
        total = distance_km(lat1, lon1, lat2, lon2)
        npts = max(int(total // spacing_km), 0)
    if npts < 0:
        raise ValueError("npts must be >= 0")
    if npts == 0:
        return [(float(lat1), float(lon1)), (float(lat2), float(lon2))]
    r = GEOD.inv_intermediate(
        lon1, lat1, lon2, lat2, npts=npts + 2, initial_idx=0, terminus_idx=0, return_back_azimuth=True
    )
    return [(float(la), float(lo)) for lo, la in zip(r.lons, r.lats, strict=True)]


def geodesic_points(a: tuple[float, float], b: tuple[float, float]) -> list[tuple[float, float]]:
    """Points along the geodesic a-b, one every 10 km (a straight segment when the coordinates are out of range)."""
    try:
        pts = geodesic_line(a[0], a[1], b[0], b[1], spacing_km=10.0)
        return [(float(p[0]), float(p[1])) for p in pts]
    except Exception:  # noqa: BLE001 - geometry is a nicety; the claim is exported either way
        return [a, b]


def geodesic_linestring(lat1: float, lon1: float, lat2: float, lon2: float, **kw: Any) -> shapely.LineString:
    """:func:`geodesic_line` as a shapely LineString in ``(lon, lat)`` order (GeoJSON order)."""
    return shapely.LineString([(lo, la) for la, lo in geodesic_line(lat1, lon1, lat2, lon2, **kw)])


def line_length_km(geom: BaseGeometry) -> float:
    """Geodesic length (km) of a (Multi)LineString in lon/lat degrees; polygons give their perimeter.

    Each segment between consecutive vertices is taken as a geodesic.
    """
    if geom is None or geom.is_empty:
        return 0.0
    return float(GEOD.geometry_length(geom)) / 1000.0


def polygon_area_km2(geom: BaseGeometry) -> float:
    """Geodesic area (km², absolute) of a (Multi)Polygon in lon/lat degrees."""
    if geom is None or geom.is_empty:
        return 0.0
    area, _perimeter = GEOD.geometry_area_perimeter(geom)
    return abs(float(area)) / 1e6


def destination(lat: float, lon: float, azimuth: float, km: float) -> tuple[float, float]:
    """The point ``km`` kilometres from ``(lat, lon)`` along ``azimuth``: ``(lat, lon)``."""
    _check_coord(lat, lon)
    lon2, lat2, _ = GEOD.fwd(lon, lat, azimuth, km * 1000.0)
    return float(lat2), float(lon2)


def unwrap_longitudes(line: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """``(lat, lon)`` points with continuous longitudes: 178° then -172° becomes 178° then 188°.

    A web map then draws a line across the antimeridian the short way instead of across the world.

    >>> unwrap_longitudes([(-17.7, 178.0), (-13.8, -172.0)])
    [(-17.7, 178.0), (-13.8, 188.0)]
    """
    out: list[tuple[float, float]] = []
    for lat, lon in line:
        if out:
            lon += 360.0 * round((out[-1][1] - lon) / 360.0)
        out.append((lat, lon))
    return out
