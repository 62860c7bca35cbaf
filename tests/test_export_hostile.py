"""Every export format with every hostile payload of tests/hostile.py.

Text is data. Each payload reaches the output as text: a JSON string, a CSV cell (a leading ``'`` at
most), an XML text node, a GeoPackage field, HTML text. It is never a formula, markup or a template, and no
writer crashes or writes a file its reader cannot open (characters XML forbids, lone surrogates).

Where the output is markup (KML, the KML descriptions' HTML, the HTML map) :func:`hostile.breaches` must
find nothing. Where it is data (GeoJSON, CSV, GeoPackage) the payloads are *meant* to be there as written
("<b data-cm-pwn>" is a fine CSV cell): there the markup tells do not apply, the evaluation tells (a
template run, a path leaked) do, in every text value; and each payload is found back exactly.

Paths: the CLI (``conflict-map export``), the dashboard's corpus downloads (:func:`export_bytes`), the
dashboard's current article (:func:`result_bytes`, the only one that can carry lone surrogates: the corpus
stores UTF-8) and each writer on its own (defence in depth: text is cleaned where it enters too).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import types
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hostile
import pytest
from fake_geoparse import fake_geoparse
from lxml import etree

from conflict_map.cli.main import main
from conflict_map.export import (
    KML_NS,
    ClaimRecord,
    ExportData,
    csv_writer,
    export_bytes,
    geojson,
    gpkg,
    html_map,
    kml,
    registry,
    result_bytes,
)
from conflict_map.models import Place
from conflict_map.store.corrections import add_alias, choose_place
from conflict_map.store.queries import Excerpt, PlaceSummary
from conflict_map.store.sqlite import Article, ArticleInput, Corpus

STORABLE = [p for p in hostile.PAYLOADS if p not in hostile.SURROGATE]  # SQLite text is UTF-8
FIJI = Place("fj", "Suva", "city", -18.14, 178.44, "FJ", "", 0, "user")
SAMOA = Place("ws", "Apia", "city", -13.83, -171.76, "WS", "", 0, "user")
NS = {"k": KML_NS}


def _html_ready() -> bool:
    from conflict_map.view import offline

    return not offline.missing_assets()


HTML_READY = pytest.mark.skipif(not _html_ready(), reason="static/ browser assets not installed")
_HTML = pytest.param("html", marks=HTML_READY)
FORMATS = ["geojson", "csv", "kml", "gpkg", _HTML]


# --------------------------------------------------------------------------- what each payload becomes


def as_utf8(p: str) -> str:
    """A payload as UTF-8 can hold it: lone surrogates become U+FFFD."""
    return re.sub("[\ud800-\udfff]", "\ufffd", p)


def as_xml(p: str) -> str:
    """A payload as XML 1.0 can hold it: forbidden characters become U+FFFD."""
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]", "\ufffd", p)


FORMULA_SIGNS = "=+-@\uff1d\uff0b\uff0d\uff20"  # and their full-width forms


def read_as_formula(cell: str) -> bool:
    """Would a spreadsheet read this CSV cell as a formula? OWASP's rule (a cell starting with = + - @, a tab
    or a CR), with LF, leading spaces and the full-width signs too; a plain number is a number."""
    if cell[:1] in ("\t", "\r", "\n"):
        return True
    first = cell.lstrip()[:1]
    if not first or first not in FORMULA_SIGNS:
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False


def as_cell(p: str) -> str:
    """A payload as a CSV cell: a leading apostrophe when a spreadsheet would read it as a formula."""
    p = as_utf8(p)
    return "'" + p if read_as_formula(p) else p


def flat(p: str) -> str:
    """Whitespace runs as one space (excerpts are quoted on one line)."""
    return " ".join(p.split())


#: Tells of markup left as markup: they mean nothing in a data value ("<b data-cm-pwn>" is a fine CSV cell).
MARKUP_TELLS = [repr(t) for t in hostile.TELLS if "<" in t]


def data_breaches(values: list[str]) -> list[str]:
    """Signs that a payload was evaluated (a template run, a path leaked) in data values."""
    found = [f"{b} in {v!r}" for v in values for b in hostile.breaches(v)]
    return [b for b in found if not any(t in b.split(" in ", 1)[0] for t in MARKUP_TELLS)]


def strings(obj: Any) -> Iterator[str]:
    """Every string in a parsed JSON document."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            yield from strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from strings(v)


# --------------------------------------------------------------------------- reading each format back


def read_geojson(raw: bytes) -> tuple[dict[str, Any], list[str]]:
    doc = json.loads(raw.decode("utf-8"))  # strict: a surrogate escaped into the JSON would not decode
    assert doc["type"] == "FeatureCollection"
    return doc, list(strings(doc))


def read_csv(raw: bytes) -> list[dict[str, str]]:
    text = raw.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert all(None not in r and None not in r.values() for r in rows)  # every row has exactly the columns
    for r in rows:
        for v in r.values():
            assert not read_as_formula(v), v
    return rows


def read_kml(raw: bytes) -> ET.Element:
    etree.fromstring(raw)  # lxml is as strict as any reader (Google Earth, QGIS/GDAL)
    root = ET.fromstring(raw)
    assert root.tag == f"{{{KML_NS}}}kml"
    assert hostile.breaches(raw) == []
    for d in root.iter(f"{{{KML_NS}}}description"):
        assert hostile.breaches(d.text or "") == []  # the description is HTML for the viewer's balloon
    return root


def read_gpkg(raw: bytes, tmp_path: Path) -> dict[str, Any]:
    import geopandas as gpd
    import pyogrio

    path = tmp_path / "read.gpkg"
    path.write_bytes(raw)
    return {name: gpd.read_file(path, layer=name) for name, _ in pyogrio.list_layers(path)}


def gpkg_strings(layers: dict[str, Any]) -> list[str]:
    return [v for g in layers.values() for col in g.columns if col != "geometry" for v in g[col] if isinstance(v, str)]


# --------------------------------------------------------------------------- a hostile corpus


def _payload_of(text: str) -> str:
    return text.split("Fighting near Qaim ", 1)[1].rsplit(" on Monday.", 1)[0]


def _article_text(p: str) -> str:
    return f"Fighting near Qaim {p} on Monday. Patrols reached Rawa at dawn. Evilton was quiet."


@pytest.fixture
def hostile_claims(monkeypatch):
    """A claims module whose one claim per article carries the article's payload (a line Fiji-Samoa)."""
    mod = types.ModuleType("conflict_map.claims.check")

    def check_claims(result):
        p = _payload_of(result.text) if "Fighting near Qaim " in result.text else "".join(hostile.PAYLOADS)
        return [
            {
                "sentence": f"Suva is 1,150 km from Apia {p}.",
                "stated": p,
                "measured": p,
                "verdict": p,
                "explanation": p,
                "stated_km": 1150.0,
                "measured_km": 1153.2,
                "a": FIJI,
                "b": SAMOA,
            }
        ]

    mod.check_claims = check_claims
    monkeypatch.setattr("conflict_map.claims.record.check_claims", check_claims)
    return mod


def _user_place(i: int, p: str) -> Place:
    """The place a correction puts payload ``i`` at: in Chile, so both coordinates are negative."""
    return Place(f"user:{i}", p, p, -33.9, round(-70.6 - i / 100, 2), "CL", p, 0, "user")


@pytest.fixture
def corpus(tmp_path, hostile_claims):
    """One article per payload: title, publisher, URL and text carry it; a correction names a place with it."""
    with Corpus(tmp_path / "hostile.sqlite") as c:
        for i, p in enumerate(STORABLE):
            text = _article_text(p)
            aid, _ = c.add_article(
                ArticleInput(text=text, title=p, publisher=p, url=f"https://e.example/{i}?q={p}", date="2024-01-02"),
                fake_geoparse(text),
            )
            s = text.index("Patrols reached Rawa") + len("Patrols reached ")
            choose_place(c, aid, s, s + 4, _user_place(i, p))
        add_alias(c, "Evilton", Place("user:alias", "Alias " + " ".join(STORABLE), "town", -34.0, -71.0, "CL"))
        yield c


def _export(corpus: Corpus, fmt: str, how: str, tmp_path: Path) -> bytes:
    if how == "dashboard":
        return export_bytes(corpus, fmt)[0]
    out = tmp_path / f"cli{registry.EXTENSIONS[fmt]}"
    assert main(["export", "--db", str(corpus.path), "--format", fmt, "-o", str(out)]) == 0
    return out.read_bytes()


def check_corpus_geojson(raw: bytes, tmp_path: Path) -> None:
    doc, values = read_geojson(raw)
    assert data_breaches(values) == []
    props = [f["properties"] for f in doc["features"]]
    places = {q["id"]: q for q in props if q["type"] == "place"}
    for i, p in enumerate(STORABLE):
        q = places[f"user:{i}"]
        assert q["name"] == p and q["province"] == p and q["lon"] < 0  # exact; a negative number
        assert q["article_refs"][0]["title"] == p and q["article_refs"][0]["url"].endswith(p)
        assert q["excerpts"][0]["publisher"] == p
    assert places["user:alias"]["name"] == "Alias " + " ".join(STORABLE)
    assert {q["stated"] for q in props if q["type"] == "claim"} == set(STORABLE)
    lines = [f["geometry"] for f in doc["features"] if f["properties"]["type"] == "claim"]
    assert len(lines) == len(STORABLE) and all(g["type"] == "MultiLineString" for g in lines)  # cut at 180°


def check_corpus_csv(raw: bytes, tmp_path: Path) -> None:
    rows = read_csv(raw)
    assert data_breaches([v for r in rows for v in r.values()]) == []
    assert len(rows) == 2 * len(STORABLE) + 2  # places (payload places, Qaim, the alias), claims: none split
    by_id = {r["id"]: r for r in rows if r["type"] == "place"}
    for i, p in enumerate(STORABLE):
        r = by_id[f"user:{i}"]
        assert r["name"] == as_cell(p) and r["article_titles"] == as_cell(p), repr(p)
        assert float(r["lat"]) == -33.9 and float(r["lon"]) == round(-70.6 - i / 100, 2)
        assert r["lon"].startswith("-7")  # a number, not neutralised
    assert {r["stated"] for r in rows if r["type"] == "claim"} == {as_cell(p) for p in STORABLE}
    assert all(r["line_wkt"].startswith("MULTILINESTRING ((") for r in rows if r["type"] == "claim")
    text = raw.decode("utf-8-sig")
    assert "\"x\r=CMD|' /C calc'!A0\"" in text and '"\'\r=1+1"' in text  # a CR inside a cell is quoted


def check_corpus_kml(raw: bytes, tmp_path: Path) -> None:
    root = read_kml(raw)
    names = [m.findtext("k:name", namespaces=NS) for m in root.iter(f"{{{KML_NS}}}Placemark")]
    descs = "".join(d.text or "" for d in root.iter(f"{{{KML_NS}}}description"))
    for p in STORABLE:
        assert as_xml(p) in names, repr(p)  # exactly, CR included
        assert f"<b>{html.escape(as_xml(p))}</b>" in descs  # HTML-escaped inside the description
    assert len(root.findall(".//k:MultiGeometry", NS)) == len(STORABLE)


def check_corpus_gpkg(raw: bytes, tmp_path: Path) -> None:
    layers = read_gpkg(raw, tmp_path)
    assert data_breaches(gpkg_strings(layers)) == []
    places = layers["places"].set_index("id")
    for i, p in enumerate(STORABLE):
        assert places.loc[f"user:{i}", "name"] == p and places.loc[f"user:{i}", "province"] == p
        assert places.loc[f"user:{i}", "geometry"].x < 0
    assert set(layers["claims"]["stated"]) == set(STORABLE)
    assert set(layers["claims"].geometry.geom_type) == {"MultiLineString"}


def check_corpus_html(raw: bytes, tmp_path: Path) -> None:
    page = raw.decode("utf-8")
    assert hostile.breaches(page) == []
    assert "data-cm-pwn" in page  # the payload's text is on the page, as text


CORPUS_CHECKS = {
    "geojson": check_corpus_geojson,
    "csv": check_corpus_csv,
    "kml": check_corpus_kml,
    "gpkg": check_corpus_gpkg,
    "html": check_corpus_html,
}


@pytest.mark.parametrize("how", ["cli", "dashboard"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_corpus_export_keeps_hostile_text_as_data(corpus, fmt, how, tmp_path):
    CORPUS_CHECKS[fmt](_export(corpus, fmt, how, tmp_path), tmp_path)


# --------------------------------------------------------------------------- one article with surrogates


@pytest.mark.parametrize("fmt", FORMATS)
def test_dashboard_article_export_with_every_payload(hostile_claims, fmt, tmp_path):
    """The dashboard's current article is not stored: lone surrogates can reach the writers."""
    text = f"Shelling hit Anbar {' '.join(hostile.SURROGATE)} at night.\n" + hostile.hostile_text(("Qaim", "Rawa"))
    title = "Desk " + " ".join(hostile.PAYLOADS)
    raw, name, _ = result_bytes(fake_geoparse(text), fmt, title=title, url="https://e.example/?q=\ud800")
    assert name.startswith("desk-")
    if fmt == "geojson":
        doc, values = read_geojson(raw)
        assert data_breaches(values) == []
        assert as_utf8(title) in values and doc["properties"]["title"] == as_utf8(title)
        assert "Shelling hit Anbar \ufffd \ufffd at night." in values  # the excerpt, surrogates replaced
    elif fmt == "csv":
        rows = read_csv(raw)
        assert data_breaches([v for r in rows for v in r.values()]) == []
        assert rows[0]["article_titles"] == as_utf8(title)
    elif fmt == "kml":
        root = read_kml(raw)
        assert root.findtext("k:Document/k:name", namespaces=NS) == as_xml(title)
    elif fmt == "gpkg":
        layers = read_gpkg(raw, tmp_path)
        assert data_breaches(gpkg_strings(layers)) == []
        assert as_utf8(title) in set(layers["places"]["article_titles"])
    else:
        page = raw.decode("utf-8")
        assert hostile.breaches(page) == [] and "\ufffd" in page


# --------------------------------------------------------------------------- each writer on its own


def hostile_data() -> ExportData:
    """Export data whose every text field of place ``i``, its article and its claim is payload ``i``."""
    places, claims, articles = [], [], {}
    for i, p in enumerate(hostile.PAYLOADS):
        lon = round(-70.6 - i / 100, 2)
        sentence = f"Fighting near Camp {p} on Monday."
        place = Place(f"p{i} {p}", p, p, -33.9, lon, p, p, 0, p)
        ex = Excerpt(i, p, "2024-01-02", p, sentence, 14, 18, "Camp", 0)
        places.append(PlaceSummary(place, 1, 1, [i], "2024-01-02", "2024-01-02", 0.9, [ex]))
        articles[i] = Article(i, "", p, f"https://e.example/?q={p}", p, "2024-01-02", p, p, "txt", 1, "")
        line = [(FIJI.lat, FIJI.lon), (SAMOA.lat, SAMOA.lon)]
        claims.append(ClaimRecord(i, sentence, p, p, p, line, 1150.0, 1153.2, [p, p], p))
    return ExportData(places, claims, articles, title="All " + "".join(hostile.PAYLOADS), generated_at="2024")


def test_csv_writer_alone():
    data = hostile_data()
    raw = csv_writer.to_csv(data).encode("utf-8")
    rows = read_csv(raw)
    assert data_breaches([v for r in rows for v in r.values()]) == []
    n = len(hostile.PAYLOADS)
    assert len(rows) == 2 * n
    for i, p in enumerate(hostile.PAYLOADS):
        r, c = rows[i], rows[n + i]
        for col in ("name", "kind", "country", "province", "article_titles"):
            assert r[col] == as_cell(p), (col, p)
        assert r["excerpt"] == flat(as_utf8(f"Fighting near Camp {p} on Monday."))
        assert r["lon"] == str(round(-70.6 - i / 100, 2)) and r["lat"] == "-33.9"  # numbers stay numbers
        for col in ("stated", "measured", "verdict"):
            assert c[col] == as_cell(p), (col, p)
        assert c["line_wkt"].startswith("MULTILINESTRING ((178.440000 -18.140000")


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(1,1)", "'@SUM(1,1)"),
        ("\t=1+2", "'\t=1+2"),
        ("\r=1+1", "'\r=1+1"),
        ("\n=1+1", "'\n=1+1"),
        ("\tplain", "'\tplain"),  # OWASP: a leading tab or CR is neutralised whatever follows
        ("  =1+1", "'  =1+1"),
        ("\u200b=1+1", "'\u200b=1+1"),
        ("\uff1d1+1", "'\uff1d1+1"),  # full-width equals sign
        ("\uff0b1", "'\uff0b1"),
        ("\uff201", "'\uff201"),
        ("x\r=CMD|' /C calc'!A0", "x\r=CMD|' /C calc'!A0"),  # quoted: the formula stays inside the cell
        ("Mosul", "Mosul"),
        ("-33.9", "-33.9"),  # a number written as text is not a formula
        ("a\x00b", "a\ufffdb"),
        ("\ud800", "\ufffd"),
    ],
)
def test_csv_cell(value, cell):
    assert csv_writer._cell(value) == cell


def test_csv_numbers_stay_numbers():
    assert csv_writer._cell(-33.9) == -33.9 and csv_writer._cell(-7) == -7 and csv_writer._cell(None) is None
    text = csv_writer.to_csv(hostile_data())
    first = next(csv.DictReader(io.StringIO(text, newline="")))
    assert first["lat"] == "-33.9" and first["lon"] == "-70.6" and first["mentions"] == "1"
    assert ",-33.9,-70.6," in text  # unquoted, no apostrophe: a spreadsheet reads numbers


def test_csv_cr_and_lf_inside_cells_are_quoted():
    data = hostile_data()
    text = csv_writer.to_csv(data)
    # a reader that ends a row at every CR or LF outside quotes (every spreadsheet) sees 1 + 2n rows
    outside = re.sub(r'"(?:[^"]|"")*"', "", text)
    assert outside.count("\r\n") == 1 + 2 * len(hostile.PAYLOADS)
    assert outside.replace("\r\n", "").count("\r") == 0 and outside.replace("\r\n", "").count("\n") == 0


def test_geojson_writer_alone():
    doc = geojson.to_geojson(hostile_data())
    raw = json.dumps(doc, ensure_ascii=False).encode("utf-8")  # no lone surrogate left to fail here
    _, values = read_geojson(raw)
    assert data_breaches(values) == []
    for i, p in enumerate(hostile.PAYLOADS):
        f = doc["features"][i]
        assert f["id"] == as_utf8(f"p{i} {p}")
        assert f["properties"]["name"] == as_utf8(p) and f["properties"]["excerpts"][0]["publisher"] == as_utf8(p)
        assert f["geometry"]["coordinates"][0] < 0  # negative longitude, a number


def test_kml_writer_alone():
    root = read_kml(kml.to_kml(hostile_data()))
    marks = root.findall(".//k:Placemark", NS)
    n = len(hostile.PAYLOADS)
    assert len(marks) == 2 * n
    for i, p in enumerate(hostile.PAYLOADS):
        m = marks[i]
        assert m.findtext("k:name", namespaces=NS) == as_xml(p)
        data = {d.get("name"): d.findtext("k:value", namespaces=NS) for d in m.iter(f"{{{KML_NS}}}Data")}
        assert data["id"] == as_xml(f"p{i} {p}") and data["province"] == as_xml(p)
        desc = m.findtext("k:description", namespaces=NS)
        assert f"<b>{html.escape(as_xml(p))}</b>" in desc and "near <b>Camp</b> " in desc
    assert root.findtext("k:Document/k:name", namespaces=NS) == as_xml("All " + "".join(hostile.PAYLOADS))


def test_kml_ids_are_distinct():
    root = ET.fromstring(kml.to_kml(hostile_data()))
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))  # kinds "\x01" and "\x0b" (and ids alike) no longer share one
    styles = {el.get("id") for el in root.iter(f"{{{KML_NS}}}Style")}
    assert all(u.text[1:] in styles for u in root.iter(f"{{{KML_NS}}}styleUrl"))


def test_kml_forbidden_characters_become_replacement_characters():
    for bad in ("\x01", "\x0b", "\uffff", "\ufffe", "\ud800"):
        data = hostile_data()
        data.title = f"a{bad}b"
        root = read_kml(kml.to_kml(data))
        assert root.findtext("k:Document/k:name", namespaces=NS) == "a\ufffdb"


def test_gpkg_writer_alone(tmp_path):
    path = gpkg.to_gpkg(hostile_data(), tmp_path / "alone.gpkg")
    layers = read_gpkg(path.read_bytes(), tmp_path)
    assert data_breaches(gpkg_strings(layers)) == []
    places, claims = layers["places"], layers["claims"]
    for i, p in enumerate(hostile.PAYLOADS):
        assert places["name"][i] == as_utf8(p) and places["excerpts"][i] == flat(
            as_utf8(f"Fighting near Camp {p} on Monday.")
        )
        assert claims["verdict"][i] == as_utf8(p)
    assert set(claims.geometry.geom_type) == {"MultiLineString"}


def test_gpkg_text_keeps_what_follows_a_nul(tmp_path):
    data = hostile_data()
    data.places[0].place = Place("nul", "a\x00b", "town", 1.0, 2.0)
    layers = read_gpkg(gpkg.to_gpkg(data, tmp_path / "nul.gpkg").read_bytes(), tmp_path)
    assert layers["places"]["name"][0] == "a\ufffdb"  # GDAL would have cut the name at the NUL


@HTML_READY
@pytest.mark.parametrize("max_markers", [html_map.MAX_HTML_MARKERS, 2])  # markers; clustered circles
def test_html_writer_alone(max_markers, monkeypatch):
    monkeypatch.setattr(html_map, "MAX_HTML_MARKERS", max_markers)
    page = html_map.to_html(hostile_data())
    assert hostile.breaches(page) == []
    assert "data-cm-pwn" in page
    page.encode("utf-8")  # no lone surrogate left
