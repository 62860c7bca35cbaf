"""Context layers: the GSHHG decoder, river naming, town labels, the display files and the built layers.

The first part runs on small invented data and always runs; the last part checks the layers that
``make setup`` built (the cache and ``static/geo``) and skips cleanly when they are not built.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely
from hostile import PAYLOADS, breaches
from shapely.ops import nearest_points

from conflict_map.models import Place
from conflict_map.view import layers as CL
from conflict_map.view import rivers as RV

GEOD = pyproj.Geod(ellps="WGS84")
HADITHA = (34.137, 42.377)  # lat, lon (GeoNames 96309)
AL_QAIM = (34.393, 40.989)  # GeoNames 92138
BAGHDAD = (33.341, 44.401)


def km_to(geom: shapely.Geometry, lat: float, lon: float) -> float:
    """Geodesic km from a point to the nearest point of a geometry."""
    p = shapely.Point(lon, lat)
    q = nearest_points(geom, p)[0]
    return GEOD.inv(lon, lat, q.x, q.y)[2] / 1000


# ------------------------------------------------------------------------------ decoder (invented file)


def binned(segments: list[tuple[int, int, list[tuple[int, int]]]], size_min: int = 300) -> dict[str, np.ndarray]:
    """Arrays of a GSHHG binned file holding ``(bin, level, [(dx, dy), ...])`` segments, bins in order."""
    nx, ny = 21600 // size_min, 10800 // size_min
    n_seg = np.zeros(nx * ny, dtype=np.int16)
    first_pt, n_pt, level, dx, dy = [], [], [], [], []
    for b, lev, pts in sorted(segments, key=lambda s: s[0]):
        n_seg[b] += 1
        first_pt.append(len(dx))
        n_pt.append(len(pts))
        level.append(lev)
        dx += [p[0] for p in pts]
        dy += [p[1] for p in pts]
    first_seg = np.concatenate([[0], np.cumsum(n_seg)[:-1]]).astype(np.int32)
    return {
        "Bin_size_in_minutes": np.array([size_min], dtype=np.int32),
        "N_bins_in_360_longitude_range": np.array([nx], dtype=np.int32),
        "N_bins_in_180_degree_latitude_range": np.array([ny], dtype=np.int32),
        "Id_of_first_segment_in_a_bin": first_seg,
        "N_segments_in_a_bin": n_seg,
        "Id_of_first_point_in_a_segment": np.array(first_pt, dtype=np.int32),
        "N_points_for_a_segment": np.array(n_pt, dtype=np.int16),
        "Hierarchial_level_of_a_segment": np.array(level, dtype=np.int16),
        # stored as signed 16-bit in the file: offsets above 32767 come back negative
        "Relative_longitude_from_SW_corner_of_bin": np.array(dx, dtype=np.uint16).view(np.int16),
        "Relative_latitude_from_SW_corner_of_bin": np.array(dy, dtype=np.uint16).view(np.int16),
    }


def test_decode_bins_from_the_north_west_with_unsigned_offsets() -> None:
    # 5-degree bins, 72 per row. Bin 0: 85..90 N, 0..5 E. Row 11, column 8: 30..35 N, 40..45 E (Haditha's bin).
    b = 11 * 72 + 8
    arrays = binned([(0, 1, [(0, 0), (65535, 65535)]), (b, 1, [(32768, 52428), (65535, 13107)])])
    lines = RV.decode_binned_lines(arrays)
    assert [ln.level for ln in lines] == [1, 1]
    np.testing.assert_allclose(lines[0].coords, [[0, 85], [5, 90]])
    np.testing.assert_allclose(lines[1].coords, [[42.5000381, 34.0], [45.0, 31.0]], atol=1e-6)


def test_decode_east_of_180_wraps_and_skips_single_points() -> None:
    b = 1 * 72 + 71  # row 1: 80..85 N; column 71: 355..360 E = -5..0
    arrays = binned([(b, 3, [(0, 0), (65535, 0)]), (b, 3, [(5, 5)])])
    (line,) = RV.decode_binned_lines(arrays)
    np.testing.assert_allclose(line.coords, [[-5, 80], [0, 80]])


def test_read_gshhg_rivers_reads_netcdf4(tmp_path: Path) -> None:
    h5py = pytest.importorskip("h5py")
    arrays = binned([(11 * 72 + 8, 1, [(0, 0), (100, 100)])])
    path = tmp_path / "binned_river_x.nc"
    with h5py.File(path, "w") as fh:
        for name, value in arrays.items():
            fh[name] = value
    (line,) = RV.read_gshhg_rivers(path)
    assert line.level == 1 and line.coords.shape == (2, 2)


# ------------------------------------------------------------------------------ naming (invented rivers)


def line(level: int, *pts: tuple[float, float]) -> RV.RiverLine:
    return RV.RiverLine(level, np.array(pts, dtype=float))


def invented_rivers() -> list[RV.RiverLine]:
    """A main river cut in two pieces with a 1 km gap, a tributary ending near (not on) it, a creek by a town,
    a double-lined stretch drawn as two banks, and a canal."""
    return [
        line(1, (40.0, 35.0), (40.5, 34.9), (41.0, 34.8)),
        line(1, (41.0095, 34.8), (41.5, 34.7), (42.0, 34.6)),  # 0.9 km gap at the cut
        line(2, (41.5, 35.5), (41.5, 35.0), (41.501, 34.705)),  # tributary: ends 0.6 km from a main vertex
        line(4, (41.9, 34.63), (41.95, 34.7), (41.9, 34.75)),  # creek passing close to the downstream town
        line(0, (42.0, 34.6), (42.3, 34.55), (42.6, 34.5)),  # double-lined: left bank
        line(0, (42.0, 34.6), (42.3, 34.53), (42.6, 34.5)),  # right bank
        line(9, (40.5, 34.9), (40.5, 34.5)),  # minor canal: never in the network
    ]


COURSES = {"Main": [("Up", 40.02, 35.02), ("Mid", 41.48, 34.72), ("Down", 41.96, 34.64), ("Sea", 42.6, 34.49)]}


def test_names_follow_the_main_river_across_gaps_not_the_tributary() -> None:
    df = RV.named_river_lines(invented_rivers(), COURSES)
    main = df[df["name"] == "Main"]
    assert set(main["level"]) == {0, 1}
    merged = shapely.union_all(main.geometry.values)
    for lon, lat in [(40.0, 35.0), (40.5, 34.9), (41.5, 34.7), (42.0, 34.6), (42.6, 34.5)]:
        assert merged.distance(shapely.Point(lon, lat)) < 1e-9
    # both banks of the double-lined stretch carry the name
    assert merged.distance(shapely.Point(42.3, 34.55)) < 1e-9 and merged.distance(shapely.Point(42.3, 34.53)) < 1e-9
    tributary = df[df["level"] == 2]
    assert set(tributary["name"]) == {""}
    creek = df[df["level"] == 4]
    assert set(creek["name"]) == {""}, "the town snaps to the main river, not the closer creek"
    assert df[df["level"] == 9]["kind"].tolist() == ["minor canal"]


def test_unreachable_towns_are_reported_and_skipped() -> None:
    said: list[str] = []
    courses = {"Main": [("Up", 40.02, 35.02), ("Nowhere", 10.0, 10.0), ("Mid", 41.48, 34.72)]}
    df = RV.named_river_lines(invented_rivers(), courses, said.append)
    assert said == ["rivers: Main: Nowhere is not near a major river; skipped"]
    assert (df["name"] == "Main").any()
    net = RV.RiverNetwork([line(1, (0.0, 0.0), (0.1, 0.0)), line(1, (5.0, 5.0), (5.1, 5.0))])
    assert net.path_edges(0, 3) is None


def test_river_courses_csv_lists_the_euphrates_and_tigris_downstream() -> None:
    courses = RV.read_courses()
    assert {"Euphrates", "Tigris", "Shatt al-Arab"} <= set(courses)
    euphrates = courses["Euphrates"]
    towns = [t for t, _lon, _lat in euphrates]
    assert towns.index("Al Qa'im") < towns.index("Haditha") < towns.index("Ramadi")
    assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for river in courses.values() for _t, lon, lat in river)


# --------------------------------------------------------------------------------------- town labels


class FakeGazetteer:
    """The few gazetteer methods :func:`town_rows` uses, over invented places."""

    def __init__(self, places: list[Place], capitals: set[int]) -> None:
        self.places = places
        self.capitals = frozenset(capitals)

    def __len__(self) -> int:
        return len(self.places)

    def kind_of(self, row: int) -> str:
        return self.places[row].kind

    def population_of(self, row: int) -> int:
        return self.places[row].population

    def place(self, row: int) -> Place:
        return self.places[row]


def place(pid: str, name: str, kind: str, pop: int, country: str = "IQ", lat: float = 34.0, lon: float = 42.0) -> Place:
    return Place(
        id=pid, name=name, kind=kind, lat=lat, lon=lon, country=country, province="", population=pop, source="t"
    )


def test_town_rows_keep_towns_of_10000_and_capitals_ranked() -> None:
    gaz = FakeGazetteer(
        [
            place("1", "Big", "city", 2_000_000),
            place("2", "Small", "village", 9_999),
            place("3", "Town", "town", 12_000),
            place("4", "Capital", "town", 5_000),
            place("5", "Iraq", "country", 40_000_000),
            place("6", "Mid", "city", 300_000, country="SY"),
        ],
        capitals={3},
    )
    df = CL.town_rows(gaz)
    assert df["name"].tolist() == ["Big", "Capital", "Mid", "Town"]
    assert df["rank"].tolist() == [1, 1, 2, 4]
    assert df["capital"].tolist() == [False, True, False, False]
    assert CL.town_rank(50_000) == 3 and CL.town_rank(9_000) == 5


# ---------------------------------------------------------------------------------------- display text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_display_text_keeps_names_as_inert_data(payload: str) -> None:
    text = CL.feature_collection_text([({"name": payload, "pop": np.int64(5)}, shapely.Point(42.1234567, 34.5))], 3)
    assert breaches(text) == []
    assert "<" not in text and ">" not in text and "\u2028" not in text and "\u2029" not in text
    data = json.loads(text)
    (feat,) = data["features"]
    expected = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in payload)
    assert feat["properties"] == {"name": expected, "pop": 5}
    assert feat["geometry"] == {"type": "Point", "coordinates": [42.123, 34.5]}
    text.encode("utf-8")


def test_display_text_drops_empty_geometries() -> None:
    text = CL.feature_collection_text([({"a": 1}, shapely.LineString()), ({"a": 2}, None)], 3)
    assert json.loads(text) == {"type": "FeatureCollection", "features": []}


# ------------------------------------------------------------------------------------- build (invented)


def write_river_file(path: Path) -> None:
    h5py = pytest.importorskip("h5py")
    b = 11 * 72 + 8  # 30..35 N, 40..45 E
    arrays = binned([(b, 1, [(0, 52428), (32768, 45875), (65535, 39321)])])  # 40,34 -> 42.5,33.5 -> 45,33
    with h5py.File(path, "w") as fh:
        for name, value in arrays.items():
            fh[name] = value


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    monkeypatch.setenv("CONFLICT_MAP_CACHE", str(tmp_path / "cache"))
    src = tmp_path / "binned_river_i.nc"
    write_river_file(src)
    courses = tmp_path / "courses.csv"
    courses.write_text("river,seq,place,lat,lon\nTest River,1,A,34.0,40.1\nTest River,2,B,33.0,44.9\n")
    area = gpd.GeoDataFrame({"iso2": ["IQ"]}, geometry=[shapely.box(38, 29, 49, 38)], crs="EPSG:4326")
    monkeypatch.setattr(CL, "_country_areas", lambda: area)
    gaz = FakeGazetteer([place("1", "<b data-cm-pwn>Town</b>", "town", 20_000)], capitals=set())
    static = tmp_path / "static"
    said: list[str] = []
    manifest = CL.build(src, static, courses=courses, gazetteer=gaz, say=said.append)
    return SimpleNamespace(src=src, static=static, courses=courses, gaz=gaz, said=said, manifest=manifest)


def test_build_writes_cache_and_static_copies(built: SimpleNamespace) -> None:
    geo = built.static / "geo"
    files = built.manifest["display_files"]
    assert sorted(files) == ["rivers.geojson", "rivers/IQ.geojson", "towns-world.geojson", "towns/IQ.geojson"]
    assert all((geo / f).is_file() for f in files)
    rivers = json.loads((geo / "rivers/IQ.geojson").read_text(encoding="utf-8"))
    assert {f["properties"]["name"] for f in rivers["features"]} == {"Test River"}
    towns = json.loads((geo / "towns/IQ.geojson").read_text(encoding="utf-8"))
    assert towns["features"][0]["properties"]["name"] == "<b data-cm-pwn>Town</b>"
    assert breaches((geo / "towns/IQ.geojson").read_text(encoding="utf-8")) == []
    assert gpd.read_parquet(CL.context_dir() / "rivers.parquet")["name"].tolist() == ["Test River"]
    assert built.manifest["roads"]["built"] is False
    assert CL.rivers_url("IQ", built.static) == "/app/static/geo/rivers/IQ.geojson"
    assert CL.towns_url(None, built.static) == "/app/static/geo/towns-world.geojson"
    assert CL.rivers_url("FR", built.static) is None and CL.towns_url("../x", built.static) is None


def test_second_build_only_checks_and_restores_missing_static_copies(built: SimpleNamespace) -> None:
    said: list[str] = []
    CL.build(built.src, built.static, courses=built.courses, gazetteer=built.gaz, say=said.append)
    assert said == ["context layers: up to date"]
    (built.static / "geo" / "rivers" / "IQ.geojson").unlink()
    said.clear()
    CL.build(built.src, built.static, courses=built.courses, gazetteer=built.gaz, say=said.append)
    assert said == ["context layers: copied 4 display files to " + str(built.static / "geo")]
    assert (built.static / "geo" / "rivers" / "IQ.geojson").is_file()


def test_cli_without_source_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONFLICT_MAP_CACHE", str(tmp_path))
    monkeypatch.setattr(CL, "RIVER_FILE_SYSTEM", tmp_path / "none.nc")
    assert CL.main(["build", "--static", str(tmp_path / "static")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("conflict-map: error: the river file binned_river_i.nc is missing")


def test_a_missing_river_courses_file_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFLICT_MAP_CACHE", str(tmp_path))
    source = tmp_path / "rivers.nc"
    source.write_bytes(b"any")
    with pytest.raises(CL.UserError, match="river courses file .* is missing"):
        CL.build(source, tmp_path / "static", courses=tmp_path / "none.csv")


# ------------------------------------------------------------------------------- the layers as built

BUILT = CL.read_manifest().get("format") == CL.FORMAT_VERSION and (CL.context_dir() / "rivers.parquet").is_file()
needs_built = pytest.mark.skipif(not BUILT, reason="context layers not built: run `make setup` (context-layers)")
STATIC_GEO = Path(CL.__file__).resolve().parents[3] / "static" / "geo"
needs_static = pytest.mark.skipif(
    not (STATIC_GEO / "rivers.geojson").is_file(), reason="display layers not in static/geo: run `make setup`"
)


@needs_built
def test_built_euphrates_passes_haditha_and_al_qaim() -> None:
    rivers = gpd.read_parquet(CL.context_dir() / "rivers.parquet")
    euphrates = shapely.union_all(rivers[rivers["name"] == "Euphrates"].geometry.values)
    assert km_to(euphrates, *HADITHA) < 5
    assert km_to(euphrates, *AL_QAIM) < 10
    tigris = shapely.union_all(rivers[rivers["name"] == "Tigris"].geometry.values)
    assert km_to(tigris, *BAGHDAD) < 5
    assert km_to(tigris, *HADITHA) > 100
    # the line nearest Haditha, whatever its name, is the Euphrates
    nearest = int(np.argmin(shapely.distance(rivers.geometry.values, shapely.Point(HADITHA[1], HADITHA[0]))))
    assert rivers["name"].iloc[nearest] == "Euphrates"


@needs_built
def test_built_towns_hold_the_region_and_its_labels() -> None:
    towns = gpd.read_parquet(CL.context_dir() / "towns.parquet")
    iq = towns[towns["iso2"] == "IQ"]
    assert {"96309", "92138", "98182"} <= set(iq["id"])  # Haditha, Al Qa'im, Baghdad
    assert iq[iq["id"] == "98182"]["rank"].item() == 1
    assert (towns["population"] >= CL.MIN_TOWN_POPULATION).sum() > 20_000


@needs_static
def test_static_files_are_valid_bounded_geojson() -> None:
    files = [STATIC_GEO / "rivers.geojson", STATIC_GEO / "towns-world.geojson"]
    files += sorted((STATIC_GEO / "rivers").glob("*.geojson")) + sorted((STATIC_GEO / "towns").glob("*.geojson"))
    assert len(files) > 200
    total = 0
    for path in files:
        size = path.stat().st_size
        total += size
        assert size < 1_000_000, f"{path.name}: {size} bytes"
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["type"] == "FeatureCollection"
        for feat in data["features"]:
            geom = feat["geometry"]
            assert geom["type"] in {"LineString", "MultiLineString", "Point"}
            coords = np.array(shapely.get_coordinates(shapely.from_geojson(json.dumps(geom))))
            assert (np.abs(coords[:, 0]) <= 180).all() and (np.abs(coords[:, 1]) <= 90).all()
    assert total < 15_000_000


@needs_static
def test_static_iraq_layers_show_the_euphrates_at_haditha() -> None:
    rivers = gpd.read_file(STATIC_GEO / "rivers" / "IQ.geojson")
    euphrates = shapely.union_all(rivers[rivers["name"] == "Euphrates"].geometry.values)
    assert km_to(euphrates, *HADITHA) < 5
    towns = json.loads((STATIC_GEO / "towns" / "IQ.geojson").read_text(encoding="utf-8"))
    ids = {f["properties"]["id"] for f in towns["features"]}
    assert {"96309", "92138"} <= ids
