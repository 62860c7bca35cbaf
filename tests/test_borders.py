"""Boundary layers and border measurements against independently computed figures."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely

from conflict_map.errors import UnknownPlaceError, UserError
from conflict_map.geo import borders as B
from conflict_map.geo import boundaries

GEOD = pyproj.Geod(ellps="WGS84")
AL_QAIM = (34.39251, 40.98945)  # GeoNames 92138
BAGHDAD = (33.34058, 44.40088)
RAMADI = (33.42056, 43.30778)
MOSUL = (36.335, 43.11889)
RAQQA = (35.95283, 39.00788)

needs_provinces = pytest.mark.skipif(
    not boundaries.provinces_available(), reason="province data not built: run `make boundaries`"
)


def test_iraq_syria_border_length() -> None:
    b = B.shared_border("IQ", "SY")
    assert 590 <= b.length_km <= 610
    # independently: intersect the two country polygons' boundaries and measure with pyproj
    c = boundaries.load_countries()
    iq = c[c.iso2 == "IQ"].geometry.iloc[0]
    sy = c[c.iso2 == "SY"].geometry.iloc[0]
    line = shapely.intersection(iq.boundary, sy.boundary)
    assert GEOD.geometry_length(line) / 1000 == pytest.approx(b.length_km, rel=1e-6)
    assert b.length_km == pytest.approx(598.9, abs=0.5)
    d = b.to_dict()
    assert d["border"] == "Iraq–Syria" and d["length_km"] == pytest.approx(598.9, abs=0.5)


@pytest.mark.parametrize(("a", "b"), [("IQ", "SY"), ("IRQ", "SYR"), ("Iraq", "Syria"), ("iraqi", "Syrian")])
def test_border_accepts_codes_names_adjectives(a: str, b: str) -> None:
    assert B.shared_border(a, b).length_km == pytest.approx(598.9, abs=0.5)


def test_iraq_neighbours() -> None:
    names = {iso for iso, _n in B.neighbours_of("IQ")}
    assert names == {"IR", "JO", "KW", "SA", "SY", "TR"}
    assert B.shares_border("IQ", "JO") and not B.shares_border("IQ", "EG")
    lengths = {b.b_iso2 if b.a_iso2 == "IQ" else b.a_iso2: b.length_km for b in B.borders_of("Iraq")}
    assert 150 < lengths["JO"] < 210
    assert lengths["IR"] > lengths["SA"] > lengths["SY"]


def test_border_errors() -> None:
    with pytest.raises(UserError, match="share no land border"):
        B.shared_border("IQ", "FR")
    with pytest.raises(UserError, match="same country"):
        B.shared_border("IQ", "Iraq")
    with pytest.raises(UnknownPlaceError) as exc:
        B.shared_border("IQ", "Narnia")
    assert exc.value.name == "Narnia"
    with pytest.raises(UnknownPlaceError):
        B.resolve_country("   ")


def test_resolve_country() -> None:
    assert B.resolve_country("SY") == ("SY", "Syria")
    assert B.resolve_country("syrian arab republic") == ("SY", "Syria")
    assert B.resolve_country("United States of America")[0] == "US"
    assert B.resolve_country("France")[0] == "FR"  # NE gives France ISO_A2 -99; the EH code is used
    with pytest.raises(UnknownPlaceError) as exc:
        B.resolve_country("Syrai")
    assert "Syria" in exc.value.suggestions


def test_country_areas_match_known_figures() -> None:
    c = boundaries.load_countries()
    # official areas: Iraq 438,317 km2, Syria 185,180 km2 (land and water); NE polygons within 3%
    for iso, area in (("IQ", 438_317), ("SY", 185_180)):
        geom = c[c.iso2 == iso].geometry.iloc[0]
        measured = abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6
        assert measured == pytest.approx(area, rel=0.03)


def test_point_in_country() -> None:
    assert B.country_at(*AL_QAIM).iso2 == "IQ"
    assert B.country_at(*RAQQA).name == "Syria"
    assert B.country_at(0.0, -30.0) is None  # Atlantic
    hits = B.countries_at([BAGHDAD[0], RAQQA[0], 0.0], [BAGHDAD[1], RAQQA[1], -30.0])
    assert [h.iso2 if h else None for h in hits] == ["IQ", "SY", None]
    assert B.countries_at([], []) == []
    with pytest.raises(ValueError):
        B.countries_at([1.0, 2.0], [1.0])


@needs_provinces
def test_point_in_province() -> None:
    assert B.province_at(*AL_QAIM).code == "IZ01"  # Anbar
    assert B.province_at(*RAMADI).name == "Al-Anbar"
    assert B.province_at(*MOSUL).code == "IZ15"  # Ninawa
    assert B.province_at(*RAQQA).code == "SY04"  # Ar Raqqah
    lats, lons = np.array([BAGHDAD[0], 0.0]), np.array([BAGHDAD[1], -30.0])
    hits = B.provinces_at(lats, lons)
    assert hits[0].name == "Baghdad" and hits[0].country == "Iraq" and hits[1] is None


@needs_provinces
def test_province_counts() -> None:
    p = boundaries.load_provinces()
    assert (p[(p.iso2 == "IQ")].fips != "").sum() == 18
    assert (p[(p.iso2 == "SY")].fips != "").sum() == 14  # plus the UNDOF zone without a code


def _brute_force_nearest(lat: float, lon: float, line: shapely.Geometry) -> float:
    """Independent check: densify every segment along the geodesic every ~20 m, take the minimum."""
    best = np.inf
    for part in shapely.get_parts(line):
        xy = shapely.get_coordinates(part)
        for (x1, y1), (x2, y2) in zip(xy[:-1], xy[1:], strict=True):
            seg = GEOD.inv(x1, y1, x2, y2)[2]
            pts = GEOD.npts(x1, y1, x2, y2, max(int(seg / 20), 1))
            los = np.array([x1, x2] + [p[0] for p in pts])
            las = np.array([y1, y2] + [p[1] for p in pts])
            d = GEOD.inv(np.full(len(los), lon), np.full(len(los), lat), los, las)[2]
            best = min(best, d.min())
    return best / 1000


def test_nearest_border_from_al_qaim() -> None:
    nb = B.nearest_border(*AL_QAIM)
    assert {nb.a_iso2, nb.b_iso2} == {"IQ", "SY"}
    assert 1.0 < nb.distance_km < 4.0  # Al Qaim sits about 2 km from the border line
    ref = _brute_force_nearest(*AL_QAIM, B.shared_border("IQ", "SY").geometry)
    assert nb.distance_km == pytest.approx(ref, abs=0.05)
    # the reported nearest point is on the border and at the reported distance
    assert GEOD.inv(AL_QAIM[1], AL_QAIM[0], nb.lon, nb.lat)[2] / 1000 == pytest.approx(nb.distance_km, abs=1e-6)
    line = B.shared_border("IQ", "SY").geometry
    assert shapely.distance(shapely.Point(nb.lon, nb.lat), line) < 1e-3
    assert nb.to_dict()["compass"] in {"NW", "WNW", "NNW", "N", "W"}


def test_nearest_border_restricted() -> None:
    nb = B.nearest_border(*BAGHDAD)
    assert {nb.a_iso2, nb.b_iso2} == {"IQ", "IR"}
    sy = B.nearest_border(*BAGHDAD, country="Iraq", other="Syria")
    assert {sy.a_iso2, sy.b_iso2} == {"IQ", "SY"}
    ref = _brute_force_nearest(*BAGHDAD, B.shared_border("IQ", "SY").geometry)
    assert sy.distance_km == pytest.approx(ref, abs=0.05)
    with pytest.raises(UserError):
        B.nearest_border(*BAGHDAD, country="Iraq", other="France")
    with pytest.raises(ValueError):
        B.nearest_border(*BAGHDAD, other="Syria")


def test_compute_shared_borders_synthetic() -> None:
    # two 1x1 degree cells sharing the meridian 1E from 0 to 1N: the border is that meridian arc
    df = gpd.GeoDataFrame(
        {
            "code": ["AAA", "BBB", "CCC"],
            "iso2": ["AA", "BB", "CC"],
            "name": ["A", "B", "C"],
        },
        geometry=[
            shapely.box(0, 0, 1, 1),
            shapely.box(1, 0, 2, 1),
            shapely.box(2, 1, 3, 2),
        ],  # C touches B at a point
        crs="EPSG:4326",
    )
    out = boundaries.compute_shared_borders(df)
    assert len(out) == 1
    row = out.iloc[0]
    assert (row.a_iso2, row.b_iso2) == ("AA", "BB")
    assert row.length_km == pytest.approx(110.574, abs=0.001)


def test_display_copies_are_light() -> None:
    boundaries.load_countries()  # builds on first use
    full = boundaries.load_borders()
    path = boundaries.display_path("borders")
    assert path.exists()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(data["features"]) == len(full)
    n_display = sum(
        len(shapely.get_coordinates(shapely.from_geojson(json.dumps(f["geometry"])))) for f in data["features"]
    )
    assert n_display < shapely.get_num_coordinates(full.geometry.values).sum()
    assert boundaries.display_path("countries").stat().st_size < 5_000_000
    with pytest.raises(ValueError):
        boundaries.display_path("rivers")


def test_layers_reload_after_clearing_the_caches() -> None:
    """Loading speed is measured in bench/, not asserted here; the layers come back the same."""
    n = len(boundaries.load_countries())
    B.clear_caches()
    assert len(boundaries.load_countries()) == n and len(boundaries.load_borders()) > 0
    assert B.country_at(*AL_QAIM) is not None


def test_countries_build_on_first_use_in_empty_cache(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty cache is filled from the installed PyPI package; provinces need `make boundaries`."""
    monkeypatch.setenv("CONFLICT_MAP_CACHE", str(tmp_path))
    monkeypatch.setattr(boundaries, "QGIS_GPKG_SYSTEM", tmp_path / "absent.gpkg")
    B.clear_caches()
    try:
        assert B.shared_border("IQ", "SY").length_km == pytest.approx(598.9, abs=0.5)
        assert (tmp_path / "boundaries" / "countries.parquet").exists()
        assert boundaries.read_manifest()["format"] == boundaries.FORMAT_VERSION
        assert not boundaries.provinces_available()
        with pytest.raises(boundaries.BoundaryDataMissing, match="make boundaries"):
            boundaries.load_provinces()
    finally:
        monkeypatch.undo()
        B.clear_caches()
