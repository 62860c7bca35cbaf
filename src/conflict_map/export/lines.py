"""Claim lines as the export formats want them: cut at the antimeridian, unwrapped for a web map, WKT.

A line is a list of ``(lat, lon)`` points. A segment that jumps more than 180° of longitude goes the
short way round, across the antimeridian (Fiji 178° to Samoa -172°): it is followed along its geodesic,
then either cut at 180° into parts (GeoJSON, RFC 7946 section 3.1.9; KML; WKT; GeoPackage) or given
continuous longitudes (178° then 188°) for Leaflet.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from conflict_map.geo import geodesy
from conflict_map.geo.geodesy import geodesic_points

LatLon = tuple[float, float]


def lonlat(lat: float, lon: float) -> list[float]:
    """A GeoJSON position ``[lon, lat]``, rounded to 6 decimals (about 0.1 m)."""
    return [round(lon, 6), round(lat, 6)]


def _normal_lon(lon: float) -> float:
    return lon if -180.0 <= lon <= 180.0 else (lon + 180.0) % 360.0 - 180.0


def _densified(line: Sequence[LatLon]) -> list[LatLon]:
    """``line`` with each segment that jumps more than 180° of longitude followed along its geodesic.

    Such a segment goes the short way round, across the antimeridian (Fiji 178° to Samoa -172°); its
    intermediate points put the cut at 180° where the geodesic really crosses it.
    """
    out: list[LatLon] = []
    for lat, lon in line:
        pt = (float(lat), _normal_lon(float(lon)))
        if out and abs(pt[1] - out[-1][1]) > 180.0:
            out += geodesic_points(out[-1], pt)[1:]
        else:
            out.append(pt)
    return out


def unwrapped_line(line: Sequence[LatLon]) -> list[LatLon]:
    """``line`` with continuous longitudes (178° then -172° becomes 178° then 188°), for a web map."""
    return geodesy.unwrap_longitudes(_densified(line))


def _world(lon: float) -> int:
    """Which copy of the world an unwrapped longitude is in (0 for [-180, 180))."""
    return math.floor((lon + 180.0) / 360.0)


def line_parts(line: Sequence[LatLon]) -> list[list[list[float]]]:
    """GeoJSON ``[lon, lat]`` parts of a lat/lon line, cut at the antimeridian (RFC 7946 section 3.1.9).

    A segment jumping more than 180° of longitude crosses 180° (see :func:`_densified`); the line is cut
    there, the part before ending exactly on 180° (or -180°) and the next starting on the opposite side
    at the same latitude.
    """
    parts: list[list[list[float]]] = [[]]
    prev: LatLon | None = None
    for lat, lon in unwrapped_line(line):
        if prev is not None:
            w0, w1 = _world(prev[1]), _world(lon)
            step = 1 if w1 > w0 else -1
            for w in range(w0, w1, step):
                edge = 180.0 + 360.0 * (w if step == 1 else w - 1)  # the unwrapped meridian crossed
                t = (edge - prev[1]) / (lon - prev[1])
                lat_e = prev[0] + t * (lat - prev[0])
                parts[-1].append(lonlat(lat_e, edge - 360.0 * w))
                parts.append([lonlat(lat_e, edge - 360.0 * (w + step))])
        parts[-1].append(lonlat(lat, lon - 360.0 * _world(lon)))
        prev = (lat, lon)
    lines = [p for p in parts if len(p) >= 2]
    # a line touching 180° without crossing leaves a one-point stub (e.g. [-180, -180]) on the other side
    real = [p for p in lines if any(q != p[0] for q in p)]
    return real or lines[:1]


def wkt(line: Sequence[LatLon]) -> str:
    """WKT of the line, a MULTILINESTRING when it crosses the antimeridian (the GeoJSON parts)."""
    parts = [", ".join(f"{x:.6f} {y:.6f}" for x, y in part) for part in line_parts(line)]
    if not parts:
        return ""
    if len(parts) == 1:
        return f"LINESTRING ({parts[0]})"
    return "MULTILINESTRING (" + ", ".join(f"({p})" for p in parts) + ")"


__all__ = ["LatLon", "geodesic_points", "line_parts", "lonlat", "unwrapped_line", "wkt"]
