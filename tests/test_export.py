"""Exports: GeoJSON (RFC 7946 structure), CSV, KML (parsed, namespace), GeoPackage (read back), HTML."""

from __future__ import annotations

import csv
import io
import json
import math
import types
import xml.etree.ElementTree as ET

import pytest
from fake_geoparse import ASAD, EVIL, HADITHA, QAIM, RAWA, RAWA_OTHER, fake_geoparse

from conflict_map.cli.main import main
from conflict_map.errors import UserError
from conflict_map.export import (
    CSV_COLUMNS,
    KML_NS,
    ClaimRecord,
    ExportData,
    collect,
    export,
    export_bytes,
    to_csv,
    to_geojson,
    to_kml,
)
from conflict_map.store.corrections import add_alias, choose_place, mark_not_place
from conflict_map.store.sqlite import ArticleInput, Corpus

A1 = "Troops left Qaim for Ain al-Asad on Monday. Later they returned to Qaim. Shelling hit Rawa."
A2 = '=HYPERLINK("x") Engineers checked the dam at Haditha. Evilton <b>was</b> quiet. Qaim stayed calm.'


@pytest.fixture
def corpus(tmp_path):
    with Corpus(tmp_path / "c.sqlite") as c:
        c.add_article(
            ArticleInput(text=A1, title="First <story>", date="2024-01-02", url="https://e.org/1"),
            fake_geoparse(A1),
        )
        c.add_article(
            ArticleInput(text=A2, title="=cmd|' /C calc'!A0", date="2024-02-03", publisher="P&Q"),
            fake_geoparse(A2),
        )
        yield c


@pytest.fixture
def fake_claims(monkeypatch, request):
    mod = types.ModuleType("conflict_map.claims.check")

    def check_claims(result):
        if "Ain al-Asad" not in result.text:
            return []
        return [
            {
                "sentence": "Troops left Qaim for Ain al-Asad on Monday.",
                "stated": "150 km",
                "measured": "149.9 km",
                "verdict": "consistent",
                "stated_km": 150,
                "measured_km": 149.9,
                "a": QAIM,
                "b": ASAD,
            }
        ]

    mod.check_claims = check_claims
    monkeypatch.setattr("conflict_map.claims.record.check_claims", check_claims)
    if "corpus" in request.fixturenames:  # claims are checked when articles are stored: check them again
        request.getfixturevalue("corpus").refresh_derived()
    return mod


def _check_position(pos):
    assert isinstance(pos, list) and len(pos) in (2, 3)
    lon, lat = pos[0], pos[1]
    assert all(isinstance(v, int | float) and math.isfinite(v) for v in pos)
    assert -180 <= lon <= 180 and -90 <= lat <= 90


def validate_rfc7946(doc: dict) -> None:
    """Structural checks of RFC 7946 for the geometry types we write."""
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc
    assert isinstance(doc["features"], list)
    for f in doc["features"]:
        assert f["type"] == "Feature"
        assert "geometry" in f and "properties" in f
        assert f["properties"] is None or isinstance(f["properties"], dict)
        if "id" in f:
            assert isinstance(f["id"], str | int)
        g = f["geometry"]
        if g is None:
            continue
        assert "crs" not in g
        if g["type"] == "Point":
            _check_position(g["coordinates"])
        elif g["type"] == "LineString":
            assert len(g["coordinates"]) >= 2
            for p in g["coordinates"]:
                _check_position(p)
        elif g["type"] == "MultiLineString":
            for line in g["coordinates"]:
                assert len(line) >= 2
                for p in line:
                    _check_position(p)
        else:
            raise AssertionError(f"unexpected geometry {g['type']}")
    json.dumps(doc, allow_nan=False)  # no NaN / Infinity: not JSON


def test_collect_counts(corpus):
    data = collect(corpus)
    by = {s.place.id: s for s in data.places}
    assert by[QAIM.id].n_mentions == 3 and by[QAIM.id].n_articles == 2
    assert by[QAIM.id].article_ids == [1, 2]
    assert data.places[0].place == QAIM  # most articles first
    assert len(by[QAIM.id].excerpts) == 3
    assert by[RAWA.id].n_articles == 1
    assert set(data.articles) == {1, 2}


def test_geojson_rfc7946(corpus, fake_claims, tmp_path):
    out, data = export(corpus, "geojson", tmp_path / "x.geojson")
    doc = json.loads(out.read_text(encoding="utf-8"))
    validate_rfc7946(doc)
    pts = {f["properties"]["id"]: f for f in doc["features"] if f["geometry"]["type"] == "Point"}
    assert pts[QAIM.id]["geometry"]["coordinates"] == [41.09, 34.37]  # lon, lat
    q = pts[QAIM.id]["properties"]
    assert q["kind"] == "town" and q["mentions"] == 3 and q["articles"] == 2
    assert [r["id"] for r in q["article_refs"]] == [1, 2] and q["article_refs"][0]["url"] == "https://e.org/1"
    assert q["excerpts"][0]["sentence"].startswith("Troops left Qaim")
    lines = [f for f in doc["features"] if f["geometry"] and f["geometry"]["type"] == "LineString"]
    assert len(lines) == 1
    assert lines[0]["properties"]["verdict"] == "consistent"
    coords = lines[0]["geometry"]["coordinates"]
    assert coords[0] == [41.09, 34.37] and coords[-1] == [42.4412, 33.7856]  # geodesic from Qaim to the base


FIJI = (-17.7, 178.0)  # lat, lon: a claim line from Fiji to Samoa crosses 180
SAMOA = (-13.8, -172.0)


def _one_claim(line) -> ExportData:
    return ExportData(places=[], claims=[ClaimRecord(1, "s", "", "", "", line=list(line))], articles={})


def _geodesic_km(parts) -> float:
    from shapely.geometry import MultiLineString

    from conflict_map.geo import geodesy

    return geodesy.line_length_km(MultiLineString(parts))


def test_antimeridian_split():
    doc = to_geojson(_one_claim([(0, 179.5), (0, -179.5)]))
    validate_rfc7946(doc)
    g = doc["features"][0]["geometry"]
    assert g["type"] == "MultiLineString" and len(g["coordinates"]) == 2
    west, east = g["coordinates"]
    assert west[0] == [179.5, 0.0] and west[-1] == [180.0, 0.0]
    assert east[0] == [-180.0, 0.0] and east[-1] == [-179.5, 0.0]
    assert all(p[1] == 0.0 for part in (west, east) for p in part)  # the equator is a geodesic


def test_antimeridian_split_of_a_densified_geodesic():
    from conflict_map.geo import geodesy

    line = geodesy.geodesic_line(*FIJI, *SAMOA, spacing_km=10.0)
    g = to_geojson(_one_claim(line))["features"][0]["geometry"]
    assert g["type"] == "MultiLineString" and len(g["coordinates"]) == 2
    west, east = g["coordinates"]
    assert west[0] == [178.0, -17.7] and east[-1] == [-172.0, -13.8]
    assert west[-1][0] == 180.0 and east[0][0] == -180.0 and west[-1][1] == east[0][1]  # cut exactly at 180
    assert abs(_geodesic_km(g["coordinates"]) - geodesy.distance_km(*FIJI, *SAMOA)) < 0.5


def test_two_point_line_across_the_antimeridian_follows_the_geodesic(tmp_path):
    """A 2-point claim line (Fiji to Samoa) was exported with ``geometry: null``."""
    import geopandas as gpd
    import shapely

    from conflict_map.export import write
    from conflict_map.geo import geodesy

    data = _one_claim([FIJI, SAMOA])
    doc = to_geojson(data)
    validate_rfc7946(doc)
    g = doc["features"][0]["geometry"]
    assert g is not None and g["type"] == "MultiLineString" and len(g["coordinates"]) == 2
    west, east = g["coordinates"]
    assert west[0] == [178.0, -17.7] and east[-1] == [-172.0, -13.8]
    assert west[-1][0] == 180.0 and east[0][0] == -180.0 and west[-1][1] == east[0][1]
    assert all(0 < p[0] <= 180 for p in west) and all(-180 <= p[0] < 0 for p in east)
    # the short way round, along the geodesic (a straight lon/lat chord would be longer; the long way 39,000 km)
    assert abs(_geodesic_km(g["coordinates"]) - geodesy.distance_km(*FIJI, *SAMOA)) < 0.5
    # the same parts in KML, CSV (WKT) and GeoPackage
    ns = {"k": KML_NS}
    kml = ET.fromstring(to_kml(data))
    strings = kml.findall(".//k:Placemark/k:MultiGeometry/k:LineString/k:coordinates", ns)
    kml_parts = [[[float(v) for v in xyz.split(",")[:2]] for xyz in s.text.split()] for s in strings]
    assert kml_parts == g["coordinates"]
    wkt = next(csv.DictReader(io.StringIO(to_csv(data))))["line_wkt"]
    assert wkt.startswith("MULTILINESTRING ((178.000000 -17.700000")
    assert shapely.from_wkt(wkt).equals(shapely.geometry.shape(g))
    out = write(data, "gpkg", tmp_path / "x.gpkg")
    geom = gpd.read_file(out, layer="claims").geometry.iloc[0]
    assert geom.geom_type == "MultiLineString" and geom.equals(shapely.geometry.shape(g))


def test_line_crossing_the_antimeridian_twice():
    doc = to_geojson(_one_claim([(0.0, 179.0), (1.0, -179.0), (2.0, 179.0)]))
    validate_rfc7946(doc)
    parts = doc["features"][0]["geometry"]["coordinates"]
    assert [(part[0][0], part[-1][0]) for part in parts] == [(179.0, 180.0), (-180.0, -180.0), (180.0, 179.0)]
    assert parts[0][-1][1] == parts[1][0][1] and parts[1][-1][1] == parts[2][0][1]


def test_lines_that_do_not_cross_stay_one_linestring():
    g = to_geojson(_one_claim([(0.0, 170.0), (1.0, 180.0)]))["features"][0]["geometry"]
    assert g == {"type": "LineString", "coordinates": [[170.0, 0.0], [180.0, 1.0]]}
    g = to_geojson(_one_claim([(0.0, -33.9), (1.0, -70.6)]))["features"][0]["geometry"]
    assert g == {"type": "LineString", "coordinates": [[-33.9, 0.0], [-70.6, 1.0]]}


def test_html_map_draws_an_antimeridian_line_the_short_way(monkeypatch):
    from conflict_map.export import html_map as export_mod
    from conflict_map.view import overlays

    drawn = []
    real = overlays.overlay_group

    def spy(*, lines, **kw):
        drawn.extend(lines)
        return real(lines=lines, **kw)

    monkeypatch.setattr(overlays, "overlay_group", spy)
    export_mod.build_standalone_map(_one_claim([FIJI, SAMOA]))
    (part,) = drawn[0].parts
    lons = [lon for _lat, lon in part]
    assert lons[0] == 178.0 and lons[-1] == 188.0  # -172 + 360: continuous, so Leaflet goes east across 180
    assert all(b > a for a, b in zip(lons, lons[1:], strict=False))


def test_csv_header_and_injection(corpus, fake_claims):
    text = to_csv(collect(corpus))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    places = [r for r in rows if r["type"] == "place"]
    claims = [r for r in rows if r["type"] == "claim"]
    assert {r["id"] for r in places} == {QAIM.id, ASAD.id, RAWA.id, HADITHA.id, EVIL.id}
    assert claims[0]["verdict"] == "consistent" and claims[0]["line_wkt"].startswith("LINESTRING (41.09")
    qaim = next(r for r in places if r["id"] == QAIM.id)
    assert float(qaim["lat"]) == 34.37 and qaim["article_ids"] == "1 2"
    for r in rows:
        for v in r.values():
            assert not v.startswith(("=", "+", "@")), v
    hadi = next(r for r in places if r["id"] == HADITHA.id)
    assert hadi["excerpt"].startswith("'=HYPERLINK")


def test_csv_file_has_bom_and_header(corpus, tmp_path):
    out, _ = export(corpus, "csv", tmp_path / "x.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 correctly
    assert raw[3:].split(b"\r\n")[0].decode() == ",".join(CSV_COLUMNS)  # RFC 4180 line ends


def test_kml_structure_and_escaping(corpus, fake_claims, tmp_path):
    out, _ = export(corpus, "kml", tmp_path / "x.kml")
    raw = out.read_bytes()
    assert raw.startswith(b"<?xml")
    assert b"<script>" not in raw  # the hostile place name is escaped
    assert b"http://" not in raw.replace(b"http://www.opengis.net/kml/2.2", b"")  # nothing to fetch
    root = ET.fromstring(raw)
    ns = {"k": KML_NS}
    assert root.tag == f"{{{KML_NS}}}kml"
    doc = root.find("k:Document", ns)
    assert doc is not None
    marks = doc.findall(".//k:Placemark", ns)
    points = [m for m in marks if m.find("k:Point", ns) is not None]
    lines = [m for m in marks if m.find("k:LineString", ns) is not None]
    assert len(points) == 5 and len(lines) == 1
    names = {m.findtext("k:name", namespaces=ns) for m in points}
    assert EVIL.name in names  # round-trips exactly
    q = next(m for m in points if m.findtext("k:name", namespaces=ns) == QAIM.name)
    assert q.findtext("k:Point/k:coordinates", namespaces=ns) == "41.090000,34.370000,0"
    desc = q.findtext("k:description", namespaces=ns)
    assert "&lt;story&gt;" in desc and "<story>" not in desc  # user text is HTML-escaped inside descriptions
    style_ids = {s.get("id") for s in doc.findall("k:Style", ns)}
    for m in marks:
        assert m.findtext("k:styleUrl", namespaces=ns)[1:] in style_ids
    data = {d.get("name"): d.findtext("k:value", namespaces=ns) for d in q.findall(".//k:Data", ns)}
    assert data["mentions"] == "3" and data["article_ids"] == "1 2"
    coords = lines[0].findtext("k:LineString/k:coordinates", namespaces=ns)
    assert coords.startswith("41.090000,34.370000,0 ") and coords.endswith(" 42.441200,33.785600,0")


def test_kml_every_element_in_namespace(corpus):
    root = ET.fromstring(to_kml(collect(corpus)))
    assert all(el.tag.startswith(f"{{{KML_NS}}}") for el in root.iter())


def test_gpkg_read_back(corpus, fake_claims, tmp_path):
    import geopandas as gpd
    import pyogrio

    out, _ = export(corpus, "gpkg", tmp_path / "x.gpkg")
    layers = {name for name, _ in pyogrio.list_layers(out)}
    assert layers == {"places", "claims"}
    g = gpd.read_file(out, layer="places")
    assert g.crs.to_epsg() == 4326 and len(g) == 5
    q = g[g["id"] == QAIM.id].iloc[0]
    assert (q.geometry.x, q.geometry.y) == (41.09, 34.37) and q["mentions"] == 3
    assert q["article_ids"] == "1 2"
    c = gpd.read_file(out, layer="claims")
    assert len(c) == 1 and c.iloc[0]["verdict"] == "consistent" and c.geometry.iloc[0].geom_type == "LineString"
    # exporting again replaces the file (no stale layer)
    export(corpus, "gpkg", out, article_ids=[2])
    assert {name for name, _ in pyogrio.list_layers(out)} == {"places"}


def test_corrections_are_exported(corpus):
    s = A1.index("Rawa")
    choose_place(corpus, 1, s, s + 4, RAWA_OTHER)
    h = A2.index("Haditha")
    mark_not_place(corpus, 2, h, h + 7)
    add_alias(corpus, "Monday", QAIM)
    doc = to_geojson(collect(corpus))
    ids = {f["properties"]["id"]: f["properties"] for f in doc["features"]}
    assert RAWA_OTHER.id in ids and RAWA.id not in ids
    assert HADITHA.id not in ids
    assert ids[QAIM.id]["mentions"] == 4


def test_single_article_and_unknown_article(corpus, tmp_path):
    data = collect(corpus, article_ids=[1])
    assert {s.place.id for s in data.places} == {QAIM.id, ASAD.id, RAWA.id}
    assert data.title == "First <story>"
    with pytest.raises(UserError, match="no article 42"):
        collect(corpus, article_ids=[42])


def test_date_filter(corpus):
    from conflict_map.store.queries import CorpusFilter

    data = collect(corpus, flt=CorpusFilter(date_from="2024-02-01"))
    assert {s.place.id for s in data.places} == {QAIM.id, HADITHA.id, EVIL.id}


def test_bad_format(corpus, tmp_path):
    with pytest.raises(UserError, match="unknown export format"):
        export(corpus, "shp", tmp_path / "x.shp")


def test_export_bytes(corpus):
    content, name, mime = export_bytes(corpus, "geojson", article_ids=[1])
    assert name == "article-1.geojson" and mime == "application/geo+json"
    validate_rfc7946(json.loads(content))


def test_cli_export(corpus, tmp_path, capsys):
    db = str(corpus.path)
    out = tmp_path / "cli.kml"
    assert main(["export", "--db", db, "-o", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    ET.parse(out)
    assert main(["export", "--db", db, "-o", str(tmp_path / "x.unknown")]) == 2
    assert main(["export", "--db", db, "--format", "csv", "--article", "2", "-o", str(tmp_path / "a.csv")]) == 0
    empty = tmp_path / "empty.sqlite"
    assert main(["export", "--db", str(empty), "-o", str(tmp_path / "e.geojson")]) == 2
    assert "empty" in capsys.readouterr().err


def _html_ready() -> bool:
    try:
        from conflict_map.view import mapview, offline  # noqa: F401
    except Exception:  # noqa: BLE001
        return False
    return not offline.missing_assets()


@pytest.mark.skipif(not _html_ready(), reason="dashboard map builder or static/ assets not installed")
def test_html_standalone_offline(corpus, fake_claims, tmp_path):
    import re

    out, _ = export(corpus, "html", tmp_path / "map.html")
    page = out.read_text(encoding="utf-8")
    # nothing is loaded from a server or the network
    assert not re.search(r"<script[^>]+src=", page, re.I)
    assert not re.search(r"<link[^>]+stylesheet", page, re.I)
    assert "/app/static/vendor" not in page
    assert "L.map(" in page or "L.map (" in page
    assert "Leaflet" in page  # the library itself is inline
    assert '"type":"FeatureCollection"' in page.replace(" ", "")  # basemap inlined
    # hostile text stays text
    assert "<script>alert('x')</script>" not in page
    assert "<title>First &lt;story&gt;" not in page  # corpus export: generic title
    assert "=cmd|" not in page or "&lt;" in page
    assert "149.9 km" in page or "consistent" in page


@pytest.mark.skipif(not _html_ready(), reason="dashboard map builder or static/ assets not installed")
def test_html_large_corpus_uses_clusters(corpus, tmp_path, monkeypatch):
    import re

    from conflict_map.export import html_map as export_mod

    monkeypatch.setattr(export_mod, "MAX_HTML_MARKERS", 2)
    out, data = export(corpus, "html", tmp_path / "big.html")
    page = out.read_text(encoding="utf-8")
    assert len(data.places) > 2
    assert "L.markerClusterGroup" in page and "MarkerClusterGroup" in page  # the library is inlined
    assert not re.search(r"<script[^>]+src=", page, re.I)
    assert "<script>alert('x')</script>" not in page


def test_export_a_result_outside_the_corpus(fake_claims):
    from conflict_map.export import result_bytes

    content, name, mime = result_bytes(fake_geoparse(A1), "geojson", title="Desk <draft>")
    assert name == "desk-draft.geojson" and mime == "application/geo+json"
    doc = json.loads(content)
    validate_rfc7946(doc)
    props = {f["properties"]["id"]: f["properties"] for f in doc["features"] if f["properties"]["type"] == "place"}
    assert props[QAIM.id]["mentions"] == 2 and props[QAIM.id]["article_refs"][0]["title"] == "Desk <draft>"
    assert any(f["properties"]["type"] == "claim" for f in doc["features"])
    kml, _, _ = result_bytes(fake_geoparse(A1), "kml", title="Desk <draft>")
    ET.fromstring(kml)
