"""Geodesy against published WGS84 figures and independent pyproj calls with fixed coordinates."""

from __future__ import annotations

import math

import pyproj
import pytest
import shapely

from conflict_map.geo import geodesy as g

AL_QAIM = (34.39251, 40.98945)  # GeoNames 92138 Al Qā’im
AIN_AL_ASAD = (33.7856, 42.4412)  # airportsdata ORAA
BAGHDAD = (33.34058, 44.40088)  # GeoNames Baghdad


def test_published_wgs84_constants() -> None:
    # one degree of latitude at the equator and of longitude along it (WGS84 textbook values)
    assert g.distance_km(0, 0, 1, 0) == pytest.approx(110.574, abs=0.001)
    assert g.distance_km(0, 0, 0, 1) == pytest.approx(111.319, abs=0.001)
    # meridian quadrant, equator to pole: 10,001.966 km
    assert g.distance_km(0, 0, 90, 0) == pytest.approx(10001.966, abs=0.001)


def test_al_qaim_to_ain_al_asad_matches_independent_pyproj() -> None:
    ref = pyproj.Geod(ellps="WGS84")
    az, baz, m = ref.inv(AL_QAIM[1], AL_QAIM[0], AIN_AL_ASAD[1], AIN_AL_ASAD[0])
    d = g.distance(*AL_QAIM, *AIN_AL_ASAD)
    assert d.km == pytest.approx(m / 1000, rel=1e-12)
    assert d.km == pytest.approx(149.9, abs=0.3)
    assert d.azimuth == pytest.approx(az % 360)
    assert d.back_azimuth == pytest.approx(baz % 360)
    assert d.miles == pytest.approx(d.km / 1.609344)
    assert d.nmi == pytest.approx(d.km / 1.852)
    assert d.compass == "ESE"  # about 118 degrees
    out = d.to_dict()
    assert set(out) >= {"km", "miles", "nautical_miles", "bearing_deg", "compass"}


def test_zero_distance_and_symmetry() -> None:
    assert g.distance_km(*BAGHDAD, *BAGHDAD) == 0.0
    assert g.distance_km(*AL_QAIM, *BAGHDAD) == pytest.approx(g.distance_km(*BAGHDAD, *AL_QAIM))


def test_antimeridian() -> None:
    # across the date line the short way, not around the world
    assert g.distance_km(0, 179.5, 0, -179.5) == pytest.approx(111.319, abs=0.001)


@pytest.mark.parametrize(
    ("az", "p16", "p8", "name"),
    [
        (0, "N", "N", "north"),
        (359, "N", "N", "north"),
        (11.24, "N", "N", "north"),
        (11.26, "NNE", "N", "north"),
        (45, "NE", "NE", "northeast"),
        (118, "ESE", "SE", "southeast"),
        (180, "S", "S", "south"),
        (-90, "W", "W", "west"),
        (720 + 315, "NW", "NW", "northwest"),
    ],
)
def test_compass(az: float, p16: str, p8: str, name: str) -> None:
    assert g.compass_point(az) == p16
    assert g.compass_point(az, 8) == p8
    assert g.compass_name(az) == name


def test_angle_difference() -> None:
    assert g.angle_difference(350, 10) == pytest.approx(20)
    assert g.angle_difference(0, 180) == pytest.approx(180)
    assert g.angle_difference(-45, 45) == pytest.approx(90)


def test_bearing_north() -> None:
    assert g.initial_bearing(33.0, 44.0, 35.0, 44.0) == pytest.approx(0.0, abs=1e-9)
    assert g.compass_name(g.initial_bearing(*BAGHDAD, *AL_QAIM)) == "west"


def test_geodesic_line_endpoints_and_spacing() -> None:
    pts = g.geodesic_line(*AL_QAIM, *BAGHDAD, spacing_km=10)
    assert pts[0] == pytest.approx(AL_QAIM)
    assert pts[-1] == pytest.approx(BAGHDAD)
    total = g.distance_km(*AL_QAIM, *BAGHDAD)
    assert len(pts) == int(total // 10) + 2
    # consecutive points are equally spaced and their sum is the total
    steps = [g.distance_km(*a, *b) for a, b in zip(pts, pts[1:], strict=False)]
    assert sum(steps) == pytest.approx(total, rel=1e-9)
    assert max(steps) - min(steps) < 1e-6
    assert g.geodesic_line(*AL_QAIM, *BAGHDAD, npts=0) == [AL_QAIM, BAGHDAD]
    line = g.geodesic_linestring(*AL_QAIM, *BAGHDAD, npts=3)
    assert len(line.coords) == 5
    assert line.coords[0] == pytest.approx((AL_QAIM[1], AL_QAIM[0]))


def test_line_length_and_area() -> None:
    line = shapely.LineString([(0, 0), (1, 0), (1, 1)])
    assert g.line_length_km(line) == pytest.approx(g.distance_km(0, 0, 0, 1) + g.distance_km(0, 1, 1, 1), rel=1e-9)
    multi = shapely.MultiLineString([[(0, 0), (1, 0)], [(0, 0), (0, 1)]])
    assert g.line_length_km(multi) == pytest.approx(111.319 + 110.574, abs=0.002)
    assert g.line_length_km(shapely.LineString()) == 0.0
    # a 1x1 degree cell at the equator: about 12,308 km2 on WGS84
    cell = shapely.box(0, 0, 1, 1)
    assert g.polygon_area_km2(cell) == pytest.approx(12308.8, rel=1e-3)


def test_destination_roundtrip() -> None:
    lat, lon = g.destination(*BAGHDAD, 0.0, 240.0)
    d = g.distance(*BAGHDAD, lat, lon)
    assert d.km == pytest.approx(240.0, abs=1e-6)
    assert d.azimuth == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize(
    "coords",
    [(91, 0, 0, 0), (0, 0, -91, 0), (math.nan, 0, 0, 0), (0, math.inf, 0, 0), (0, 400, 0, 0)],
)
def test_bad_coordinates(coords: tuple[float, float, float, float]) -> None:
    with pytest.raises(ValueError):
        g.distance(*coords)


def test_bad_line_arguments() -> None:
    with pytest.raises(ValueError):
        g.geodesic_line(0, 0, 1, 1, spacing_km=0)
    with pytest.raises(ValueError):
        g.geodesic_line(0, 0, 1, 1, npts=-1)
    with pytest.raises(ValueError):
        g.compass_point(10, points=5)
