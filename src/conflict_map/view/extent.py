"""Which part of the world the map shows: the article's main cluster of places, and lone far readings.

One far, lone match (a village in Yemen read as a town in Iran) must not zoom the map out to two countries.
:func:`lone_far_places` finds the place (by mention weight) whose summed geodesic distance to all others is
smallest, the *centre*; a place more than :data:`FAR_FACTOR` times the median distance from the centre (and at
least :data:`MIN_FAR_KM`) with no other place within :data:`MIN_FAR_KM` is a lone far reading. The view is fitted
to the others (never to nothing: the centre always stays) and the lone far readings are flagged for checking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from conflict_map.geo.geodesy import GEOD

LatLon = tuple[float, float]

#: A reading this many times the median distance from the centre is far...
FAR_FACTOR = 4.0
#: ...and at least this far (km) from the centre and from every other place.
MIN_FAR_KM = 300.0
#: At most this share of the places (by weight) is left out of the view.
MAX_DROPPED_SHARE = 0.34
#: Above this many places the distances are not computed (quadratic); nothing is flagged.
MAX_PLACES = 600


@dataclass(frozen=True, slots=True)
class Point:
    """A point place for fitting the view: its id, where it is, and how many mentions it has (its weight)."""

    id: str
    lat: float
    lon: float
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Cluster:
    """The result of :func:`lone_far_places`: the centre place, the far ones and their distance from the centre."""

    centre: str | None
    far: dict[str, float]
    median_km: float


def distance_matrix(points: Sequence[Point]) -> np.ndarray:
    """Pairwise geodesic distances (km) between the points, an ``(n, n)`` array."""
    n = len(points)
    lat = np.array([p.lat for p in points], dtype=float)
    lon = np.array([p.lon for p in points], dtype=float)
    i, j = np.triu_indices(n, k=1)
    out = np.zeros((n, n))
    if len(i):
        _a, _b, m = GEOD.inv(lon[i], lat[i], lon[j], lat[j])
        out[i, j] = out[j, i] = np.asarray(m) / 1000.0
    return out


def lone_far_places(points: Sequence[Point], *, factor: float = FAR_FACTOR, min_km: float = MIN_FAR_KM) -> Cluster:
    """The centre of the points and the lone far readings among them (see the module docstring)."""
    n = len(points)
    if n == 0:
        return Cluster(None, {}, 0.0)
    if n < 3 or n > MAX_PLACES:
        return Cluster(points[0].id, {}, 0.0)
    d = distance_matrix(points)
    w = np.array([max(p.weight, 0.0) for p in points], dtype=float)
    centre = int(np.argmin(d @ w))
    from_centre = d[centre]
    median = float(np.median(np.delete(from_centre, centre)))
    limit = max(factor * median, min_km)
    nearest = np.where(np.eye(n, dtype=bool), np.inf, d).min(axis=1)
    far = [k for k in range(n) if from_centre[k] > limit and nearest[k] > min_km]
    far.sort(key=lambda k: -from_centre[k])
    kept: list[int] = []
    dropped = 0.0
    for k in far:  # the farthest first, while the view keeps most of the article
        if dropped + w[k] <= MAX_DROPPED_SHARE * w.sum():
            kept.append(k)
            dropped += w[k]
    return Cluster(points[centre].id, {points[k].id: float(from_centre[k]) for k in kept}, median)


def bounds_of(points: Sequence[LatLon], pad_deg: float = 0.6) -> list[list[float]] | None:
    """South-west / north-east corners around points, padded; None without points."""
    if not points:
        return None
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return [[min(lats) - pad_deg, min(lons) - pad_deg], [max(lats) + pad_deg, max(lons) + pad_deg]]


def union_bounds(boxes: Sequence[list[list[float]]]) -> list[list[float]] | None:
    """The box around several ``[[s, w], [n, e]]`` boxes; None without boxes."""
    if not boxes:
        return None
    return [
        [min(b[0][0] for b in boxes), min(b[0][1] for b in boxes)],
        [max(b[1][0] for b in boxes), max(b[1][1] for b in boxes)],
    ]
