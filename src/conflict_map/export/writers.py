"""Export the corpus (or one article) to the formats other tools open.

``conflict-map export --db DB --format geojson|csv|kml|gpkg|html [--article ID] -o FILE``

What is exported, with the user's corrections applied:

* one point per place: id, name, kind, country, province, coordinates, number of mentions and articles,
  article references (id, title, date, url) and up to ``max_excerpts`` quoted sentences;
* one line per checked distance/length claim (from :mod:`conflict_map.claims.check` when it is installed):
  the sentence, what was stated, what was measured and the verdict.

Formats: GeoJSON (RFC 7946: WGS 84 lon/lat, no ``crs`` member, lines cut at the antimeridian), CSV
(RFC 4180, header row, one row per feature, text a spreadsheet would read as a formula prefixed with ``'``),
KML 2.2 (built as an XML tree, so all text is escaped; descriptions are HTML-escaped before that),
GeoPackage (layers ``places`` and ``claims``, EPSG:4326) and a standalone HTML map (the dashboard's map with
every script, style and basemap inlined: it opens from a file with no server and no network).

Every writer is safe for any text on its own, whatever was cleaned where the text came in: lone surrogates
become U+FFFD (UTF-8 cannot hold them), characters XML 1.0 forbids become U+FFFD in KML, NUL becomes U+FFFD
in the GeoPackage (GDAL would cut the string there) and CSV.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import html
import io
import json
import math
import mimetypes
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from conflict_map.claims.check import check_claims
from conflict_map.errors import UserError
from conflict_map.geo import geodesy
from conflict_map.models import Candidate, Mention, ParseResult, Place
from conflict_map.store.queries import CorpusFilter, Excerpt, PlaceSummary, place_summaries
from conflict_map.store.sqlite import Article, Corpus
from conflict_map.view.render import clean_surrogates

FORMATS = ("geojson", "csv", "kml", "gpkg", "html")
EXTENSIONS = {"geojson": ".geojson", "csv": ".csv", "kml": ".kml", "gpkg": ".gpkg", "html": ".html"}
KML_NS = "http://www.opengis.net/kml/2.2"
#: Above this many places the standalone HTML map clusters circles instead of drawing full markers.
MAX_HTML_MARKERS = 300
#: Above this many articles claims are not re-checked for a corpus export (it would take minutes).
MAX_CLAIM_ARTICLES = 2000

LatLon = tuple[float, float]


@dataclass(slots=True)
class ClaimRecord:
    """A checked distance/length claim, flattened for export."""

    article_id: int
    sentence: str
    stated: str
    measured: str
    verdict: str
    line: list[LatLon] = field(default_factory=list)
    stated_km: float | None = None
    measured_km: float | None = None
    places: list[str] = field(default_factory=list)
    explanation: str = ""
    parts: list[list[LatLon]] = field(default_factory=list)  # a border length claim: the border, in pieces

    def properties(self, articles: dict[int, Article]) -> dict[str, Any]:
        art = articles.get(self.article_id)
        return {
            "type": "claim",
            "article_id": self.article_id,
            "article_title": art.title if art else "",
            "sentence": self.sentence,
            "stated": self.stated,
            "measured": self.measured,
            "verdict": self.verdict,
            "explanation": self.explanation,
            "stated_km": self.stated_km,
            "measured_km": self.measured_km,
            "places": list(self.places),
        }


@dataclass(slots=True)
class ExportData:
    """Everything an export writes: places (with excerpts), claims and the articles they refer to."""

    places: list[PlaceSummary]
    claims: list[ClaimRecord]
    articles: dict[int, Article]
    title: str = "conflict-map export"
    generated_at: str = ""
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- text safety

_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: Characters XML 1.0 forbids besides surrogates: C0 controls other than tab, LF and CR, and U+FFFE/U+FFFF.
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _utf8_text(text: str) -> str:
    """``text`` encodable as UTF-8: lone surrogates become U+FFFD (a quick search first: exports are big)."""
    return clean_surrogates(text) if _SURROGATE.search(text) else text


def _xml_text(text: str) -> str:
    """``text`` as XML 1.0 can hold it: forbidden characters and lone surrogates become U+FFFD.

    One character for one, so offsets into the text (excerpt highlights) stay valid.
    """
    return _XML_FORBIDDEN.sub("\ufffd", _utf8_text(text))


def _nul_free_text(text: str) -> str:
    """``text`` encodable as UTF-8 and without NUL (C libraries such as GDAL end a string there)."""
    return _utf8_text(text).replace("\x00", "\ufffd")


def _cleaned(value: Any, fix: Callable[[str], str]) -> Any:
    """A copy of ``value`` (dataclasses, lists, tuples, dicts, nested) with every string passed through ``fix``."""
    if isinstance(value, str):
        return fix(value)
    if isinstance(value, list):
        return [_cleaned(v, fix) for v in value]
    if isinstance(value, tuple):
        return tuple(_cleaned(v, fix) for v in value)
    if isinstance(value, dict):
        return {_cleaned(k, fix): _cleaned(v, fix) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _cleaned(getattr(value, f.name), fix) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


# --------------------------------------------------------------------------- collecting


def collect(
    corpus: Corpus,
    *,
    article_ids: Sequence[int] = (),
    flt: CorpusFilter | None = None,
    max_excerpts: int = 5,
    claims: bool = True,
) -> ExportData:
    """Gather the export data from ``corpus`` (all articles, or ``article_ids``)."""
    flt = flt or CorpusFilter()
    if article_ids:
        for aid in article_ids:
            corpus.get_article(aid)  # raises a clear error for an unknown id
        flt = CorpusFilter(
            date_from=flt.date_from,
            date_to=flt.date_to,
            publishers=flt.publishers,
            kinds=flt.kinds,
            article_ids=list(article_ids),
            include_undated=flt.include_undated,
        )
    places = place_summaries(corpus, flt, max_excerpts=max_excerpts)
    ids = sorted({a for s in places for a in s.article_ids} | set(article_ids))
    articles = {a.id: a for a in corpus.list_articles() if a.id in set(ids)} if ids else {}
    warnings: list[str] = []
    claim_list: list[ClaimRecord] = []
    if claims:
        claim_ids = list(article_ids) or [
            a.id for a in corpus.list_articles(date_from=flt.date_from, date_to=flt.date_to)
        ]
        if len(claim_ids) > MAX_CLAIM_ARTICLES:
            warnings.append(
                f"claims not re-checked: {len(claim_ids)} articles (limit {MAX_CLAIM_ARTICLES});"
                " export fewer articles with --article to include them"
            )
        else:
            for aid in claim_ids:
                claim_list += claims_for(aid, corpus.load_result(aid))
            for c in claim_list:
                if c.article_id not in articles:
                    articles[c.article_id] = corpus.get_article(c.article_id)
    if len(article_ids) == 1:
        title = articles[article_ids[0]].label() if article_ids[0] in articles else f"article {article_ids[0]}"
    else:
        title = f"conflict-map corpus: {len(articles)} article(s), {len(places)} place(s)"
    return ExportData(
        places=places,
        claims=claim_list,
        articles=articles,
        title=title,
        generated_at=datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        warnings=warnings,
    )


def claims_for(article_id: int, result: ParseResult) -> list[ClaimRecord]:
    """The checked distance and length claims of one article (:func:`conflict_map.claims.check.check_claims`)."""
    return [claim_record(article_id, c) for c in check_claims(result)]


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _latlon(v: Any) -> LatLon | None:
    """A (lat, lon) from a Place, a dict with lat/lon or a (lat, lon) pair."""
    if v is None:
        return None
    if isinstance(v, Place):
        return (v.lat, v.lon)
    if isinstance(v, dict) and "lat" in v and "lon" in v:
        lat, lon = _num(v["lat"]), _num(v["lon"])
        return (lat, lon) if lat is not None and lon is not None else None
    if hasattr(v, "lat") and hasattr(v, "lon"):
        return (float(v.lat), float(v.lon))
    if isinstance(v, list | tuple) and len(v) == 2:
        lat, lon = _num(v[0]), _num(v[1])
        return (lat, lon) if lat is not None and lon is not None else None
    return None


def claim_record(article_id: int, c: Any) -> ClaimRecord:
    """Adapter from a :class:`conflict_map.claims.check.Claim` (or a dict with similar keys) to a record.

    Geometry: an explicit ``line``; else the two places of a distance claim (geodesic); else a place and
    the ``nearest_point`` of a distance-to-border claim; else none (e.g. a border length claim).
    """
    d: dict[str, Any] = c.to_dict() if hasattr(c, "to_dict") else dict(c)
    line: list[LatLon] = []
    for key in ("line", "geometry", "coords", "path"):
        raw = d.get(key) if key in d else getattr(c, key, None)
        if isinstance(raw, list | tuple) and raw:
            pts = [_latlon(p) for p in raw]
            line = [p for p in pts if p is not None]
            if line:
                break
    ends: list[Any] = []
    for a_key, b_key in (("a", "b"), ("from", "to"), ("place_a", "place_b")):
        a = d.get(a_key, getattr(c, a_key, None))
        b = d.get(b_key, getattr(c, b_key, None))
        if a is not None and b is not None:
            ends = [a, b]
            break
    places = list(getattr(c, "places", None) or d.get("places") or [])
    if not ends and places:
        ends = places[:2]
    names = [e.name if isinstance(e, Place) else (e.get("name", "") if isinstance(e, dict) else str(e)) for e in ends]
    nearest = _latlon(d.get("nearest_point"))
    if not line:
        pts = [_latlon(e) for e in ends]
        if len(pts) == 2 and pts[0] is not None and pts[1] is not None:
            line = _geodesic(pts[0], pts[1])
        elif len(pts) == 1 and pts[0] is not None and nearest is not None:
            line = _geodesic(pts[0], nearest)
    parts = _border_parts(d.get("border")) if not line else []
    measured_km = _num(d.get("measured_km"))
    measured = str(d.get("measured", "") or "")
    if not measured and measured_km is not None:
        measured = f"{measured_km:.1f} km"
    stated = str(d.get("stated", "") or d.get("claim", "") or d.get("text", "") or "")
    subject = str(d.get("subject", "") or "")
    return ClaimRecord(
        article_id=article_id,
        sentence=str(d.get("sentence", "") or ""),
        stated=stated,
        measured=measured,
        verdict=str(d.get("verdict", "") or ""),
        line=line,
        stated_km=_num(d.get("stated_km", d.get("value_km"))),
        measured_km=measured_km,
        places=[n for n in names if n] or ([subject] if subject else []),
        explanation=str(d.get("explanation", "") or ""),
        parts=parts,
    )


def _border_parts(border: Any) -> list[list[LatLon]]:
    """The shared border of a border claim (``{"a": {"iso2"}, "b": {"iso2"}}``) as (lat, lon) lines; [] if unknown."""
    try:
        from conflict_map.geo import borders

        bl = borders.shared_border(border["a"]["iso2"], border["b"]["iso2"])
        import shapely

        geom = shapely.simplify(bl.geometry, 0.002, preserve_topology=False)
        return [[(float(y), float(x)) for x, y in g.coords] for g in shapely.get_parts(geom)]
    except Exception:  # noqa: BLE001 - no border data or no border: the claim is exported without geometry
        return []


def _geodesic(a: LatLon, b: LatLon) -> list[LatLon]:
    """Points along the geodesic a-b (a straight segment when the coordinates are out of range)."""
    try:
        pts = geodesy.geodesic_line(a[0], a[1], b[0], b[1], spacing_km=10.0)
        return [(float(p[0]), float(p[1])) for p in pts]
    except Exception:  # noqa: BLE001 - geometry is a nicety; the claim is exported either way
        return [a, b]


# --------------------------------------------------------------------------- GeoJSON


def _article_refs(ids: Iterable[int], articles: dict[int, Article]) -> list[dict[str, Any]]:
    out = []
    for i in ids:
        a = articles.get(i)
        out.append({"id": i, "title": a.title if a else "", "date": a.date if a else "", "url": a.url if a else ""})
    return out


def _place_properties(s: PlaceSummary, articles: dict[int, Article]) -> dict[str, Any]:
    p = s.place
    return {
        "type": "place",
        "id": p.id,
        "name": p.name,
        "kind": p.kind,
        "country": p.country,
        "province": p.province,
        "lat": round(p.lat, 6),
        "lon": round(p.lon, 6),
        "source": p.source,
        "mentions": s.n_mentions,
        "articles": s.n_articles,
        "first_date": s.first_date,
        "last_date": s.last_date,
        "article_refs": _article_refs(s.article_ids, articles),
        "excerpts": [e.to_dict() for e in s.excerpts],
    }


def _lonlat(lat: float, lon: float) -> list[float]:
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
            out += _geodesic(out[-1], pt)[1:]
        else:
            out.append(pt)
    return out


def unwrapped_line(line: Sequence[LatLon]) -> list[LatLon]:
    """``line`` with continuous longitudes (178° then -172° becomes 178° then 188°), for a web map."""
    return geodesy.unwrap_longitudes(_densified(line))


def _world(lon: float) -> int:
    """Which copy of the world an unwrapped longitude is in (0 for [-180, 180))."""
    return math.floor((lon + 180.0) / 360.0)


def _line_parts(line: Sequence[LatLon]) -> list[list[list[float]]]:
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
                parts[-1].append(_lonlat(lat_e, edge - 360.0 * w))
                parts.append([_lonlat(lat_e, edge - 360.0 * (w + step))])
        parts[-1].append(_lonlat(lat, lon - 360.0 * _world(lon)))
        prev = (lat, lon)
    lines = [p for p in parts if len(p) >= 2]
    # a line touching 180° without crossing leaves a one-point stub (e.g. [-180, -180]) on the other side
    real = [p for p in lines if any(q != p[0] for q in p)]
    return real or lines[:1]


def _geojson_line(line: Sequence[LatLon]) -> dict[str, Any] | None:
    """A GeoJSON LineString, or a MultiLineString when the line crosses the antimeridian; None if no line."""
    parts = _line_parts(line)
    if not parts:
        return None
    if len(parts) == 1:
        return {"type": "LineString", "coordinates": parts[0]}
    return {"type": "MultiLineString", "coordinates": parts}


def _geojson_parts(parts: Sequence[Sequence[LatLon]]) -> dict[str, Any] | None:
    """A MultiLineString of several lines (a border in pieces); None without any."""
    lines = [p for part in parts for p in _line_parts(part)]
    return {"type": "MultiLineString", "coordinates": lines} if lines else None


def to_geojson(data: ExportData) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946)."""
    features: list[dict[str, Any]] = []
    for s in data.places:
        features.append(
            {
                "type": "Feature",
                "id": s.place.id,
                "geometry": {"type": "Point", "coordinates": _lonlat(s.place.lat, s.place.lon)},
                "properties": _place_properties(s, data.articles),
            }
        )
    for i, c in enumerate(data.claims):
        features.append(
            {
                "type": "Feature",
                "id": f"claim-{i + 1}",
                "geometry": _geojson_line(c.line) or _geojson_parts(c.parts),
                "properties": c.properties(data.articles),
            }
        )
    doc = {
        "type": "FeatureCollection",
        "features": features,
        "properties": {"title": data.title, "generated_at": data.generated_at},  # foreign member, allowed
    }
    if _SURROGATE.search(json.dumps(doc, ensure_ascii=False)):  # rare: the walk costs more than the check
        doc = _cleaned(doc, _utf8_text)  # JSON text written as UTF-8 cannot hold a lone surrogate
    return doc


# --------------------------------------------------------------------------- CSV

CSV_COLUMNS = (
    "type", "id", "name", "kind", "lat", "lon", "country", "province", "mentions", "articles",
    "first_date", "last_date", "article_ids", "article_titles", "excerpt",
    "sentence", "stated", "measured", "verdict", "stated_km", "measured_km", "line_wkt",
)  # fmt: skip

#: A text cell a spreadsheet (Excel, LibreOffice, Google Sheets) would read as a formula: it starts with
#: = + - @ (or their full-width forms), also after spaces, controls or invisible characters, or it starts
#: with a tab, CR or LF. A formula after a line break inside a cell is harmless once the cell is quoted.
_FORMULA = re.compile(
    r"^(?:[\t\r\n]|[\s\x00-\x1f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20])"
)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _cell(v: Any) -> Any:
    """A CSV cell: numbers pass through (a negative longitude stays a number); text that a spreadsheet would
    read as a formula gets a leading ``'`` (CSV injection); lone surrogates and NUL become U+FFFD."""
    if not isinstance(v, str):
        return v
    v = _nul_free_text(v)
    if _FORMULA.match(v) and not _NUMBER.fullmatch(v):
        return "'" + v
    return v


def to_csv(data: ExportData) -> str:
    """CSV text (RFC 4180) with a header row; one row per place, then one per claim.

    Rows end in CRLF, so every cell holding a CR or LF is quoted: a line break in a title cannot start a
    new row (and a formula in it) in a spreadsheet.
    """
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    w.writeheader()
    for s in data.places:
        p = s.place
        w.writerow(
            {
                k: _cell(v)
                for k, v in {
                    "type": "place",
                    "id": p.id,
                    "name": p.name,
                    "kind": p.kind,
                    "lat": round(p.lat, 6),
                    "lon": round(p.lon, 6),
                    "country": p.country,
                    "province": p.province,
                    "mentions": s.n_mentions,
                    "articles": s.n_articles,
                    "first_date": s.first_date,
                    "last_date": s.last_date,
                    "article_ids": " ".join(str(i) for i in s.article_ids),
                    "article_titles": " | ".join(data.articles[i].title for i in s.article_ids if i in data.articles),
                    "excerpt": " | ".join(" ".join(e.sentence.split()) for e in s.excerpts),
                }.items()
            }
        )
    for c in data.claims:
        w.writerow(
            {
                k: _cell(v)
                for k, v in {
                    "type": "claim",
                    "id": f"claim-{c.article_id}",
                    "name": " - ".join(c.places),
                    "article_ids": str(c.article_id),
                    "article_titles": data.articles[c.article_id].title if c.article_id in data.articles else "",
                    "sentence": " ".join(c.sentence.split()),
                    "stated": c.stated,
                    "measured": c.measured,
                    "verdict": c.verdict,
                    "stated_km": "" if c.stated_km is None else c.stated_km,
                    "measured_km": "" if c.measured_km is None else c.measured_km,
                    "line_wkt": _wkt(c.line),
                }.items()
            }
        )
    return buf.getvalue()


def _wkt(line: Sequence[LatLon]) -> str:
    """WKT of the line, a MULTILINESTRING when it crosses the antimeridian (the GeoJSON parts)."""
    parts = [", ".join(f"{x:.6f} {y:.6f}" for x, y in part) for part in _line_parts(line)]
    if not parts:
        return ""
    if len(parts) == 1:
        return f"LINESTRING ({parts[0]})"
    return "MULTILINESTRING (" + ", ".join(f"({p})" for p in parts) + ")"


# --------------------------------------------------------------------------- KML

KIND_COLOURS = {  # KML colours are aabbggrr
    "base": "ff9c4e1f",
    "airport": "ff9c4e1f",
    "crossing": "ffa03f7b",
    "province": "ff006bb3",
    "region": "ff006bb3",
    "country": "ff2d6a2d",
    "water": "ffae7621",
}
DEFAULT_KML_COLOUR = "ff2b39c0"


def _excerpt_html(e: Excerpt, articles: dict[int, Article]) -> str:
    sent = e.sentence
    a = articles.get(e.article_id)
    src = html.escape(a.label() if a else f"article {e.article_id}") + (f", {html.escape(e.date)}" if e.date else "")
    body = (
        html.escape(" ".join(sent[: e.start].split()))
        + " <b>"
        + html.escape(sent[e.start : e.end])
        + "</b> "
        + html.escape(" ".join(sent[e.end :].split()))
    )
    return f"<blockquote>{body}<br/><i>{src}</i></blockquote>"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{KML_NS}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def _extended(pm: ET.Element, values: dict[str, Any]) -> None:
    ext = _sub(pm, "ExtendedData")
    for k, v in values.items():
        d = _sub(ext, "Data", name=k)
        _sub(d, "value", "" if v is None else str(v))


def to_kml(data: ExportData) -> bytes:
    """KML 2.2 (Google Earth): folders of place points and claim lines; all text escaped."""
    ET.register_namespace("", KML_NS)
    root = ET.Element(f"{{{KML_NS}}}kml")
    doc = _sub(root, "Document")
    _sub(doc, "name", data.title)
    _sub(
        doc,
        "description",
        f"Exported by conflict-map at {data.generated_at}. Gazetteer data: GeoNames (CC BY 4.0).",
    )
    style_ids = _xml_ids("kind-", sorted({s.place.kind for s in data.places}))
    for kind, style_id in style_ids.items():
        st = _sub(doc, "Style", id=style_id)
        icon = _sub(st, "IconStyle")
        _sub(icon, "color", KIND_COLOURS.get(kind, DEFAULT_KML_COLOUR))
        _sub(icon, "scale", "1.1")  # no <Icon href>: the viewer's own pin, tinted; nothing fetched online
    st = _sub(doc, "Style", id="claim")
    ls = _sub(st, "LineStyle")
    _sub(ls, "color", "ff2b39c0")
    _sub(ls, "width", "3")

    folder = _sub(doc, "Folder")
    _sub(folder, "name", "Places")
    place_ids = _xml_ids("place-", (s.place.id for s in data.places))
    for s in data.places:
        p = s.place
        pm = _sub(folder, "Placemark", id=place_ids[p.id])
        _sub(pm, "name", p.name)
        where = ", ".join(x for x in (p.province, p.country) if x)
        where_html = ", " + html.escape(where) if where else ""
        desc = [
            f"<p><b>{html.escape(p.name)}</b> ({html.escape(p.kind)}{where_html})<br/>"
            f"{p.lat:.5f}, {p.lon:.5f}<br/>{s.n_mentions} mention(s) in {s.n_articles} article(s)</p>"
        ]
        desc += [_excerpt_html(e, data.articles) for e in s.excerpts]
        _sub(pm, "description", "".join(desc))
        _sub(pm, "styleUrl", f"#{style_ids[p.kind]}")
        _extended(
            pm,
            {
                "id": p.id,
                "kind": p.kind,
                "country": p.country,
                "province": p.province,
                "mentions": s.n_mentions,
                "articles": s.n_articles,
                "article_ids": " ".join(str(i) for i in s.article_ids),
            },
        )
        pt = _sub(pm, "Point")
        _sub(pt, "coordinates", f"{p.lon:.6f},{p.lat:.6f},0")
    if data.claims:
        cf = _sub(doc, "Folder")
        _sub(cf, "name", "Distance claims")
        for i, c in enumerate(data.claims):
            pm = _sub(cf, "Placemark", id=f"claim-{i + 1}")
            _sub(pm, "name", f"{c.stated or 'claim'}: {c.verdict}".strip(": "))
            _sub(
                pm,
                "description",
                f"<p>{html.escape(' '.join(c.sentence.split()))}</p><p>stated: {html.escape(c.stated)}<br/>"
                f"measured: {html.escape(c.measured)}<br/>verdict: <b>{html.escape(c.verdict)}</b></p>",
            )
            _sub(pm, "styleUrl", "#claim")
            _extended(pm, {k: v for k, v in c.properties(data.articles).items() if k != "places"})
            parts = _line_parts(c.line)
            if parts:
                geom_parent = _sub(pm, "MultiGeometry") if len(parts) > 1 else pm
                for part in parts:
                    ls_el = _sub(geom_parent, "LineString")
                    _sub(ls_el, "tessellate", "1")
                    _sub(ls_el, "coordinates", " ".join(f"{x:.6f},{y:.6f},0" for x, y in part))
    _xml_safe(root)
    ET.indent(root)
    # a CR in text would reach a reader as LF (XML end-of-line handling); as a reference it stays a CR
    return ET.tostring(root, encoding="utf-8", xml_declaration=True).replace(b"\r", b"&#13;")


def _xml_safe(root: ET.Element) -> None:
    """Replace, in every text, tail and attribute of the tree, what XML 1.0 cannot hold (see :func:`_xml_text`).

    ElementTree writes such characters as they are, and no XML reader would open the file.
    """
    for el in root.iter():
        if el.text:
            el.text = _xml_text(el.text)
        if el.tail:
            el.tail = _xml_text(el.tail)
        for k, v in el.attrib.items():
            el.set(k, _xml_text(v))


def _xml_ids(prefix: str, keys: Iterable[str]) -> dict[str, str]:
    """A distinct XML id for each key: ``prefix`` + the key's letters, digits, ``_ . -`` (+ a number if taken)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for key in keys:
        base = prefix + (re.sub(r"[^A-Za-z0-9_.-]", "_", key) or "x")
        xml_id, n = base, 1
        while xml_id in taken:
            n += 1
            xml_id = f"{base}-{n}"
        taken.add(xml_id)
        out.setdefault(key, xml_id)
    return out


# --------------------------------------------------------------------------- GeoPackage


def to_gpkg(data: ExportData, path: str | Path) -> Path:
    """A GeoPackage with layers ``places`` (points) and, when present, ``claims`` (lines), EPSG:4326."""
    import geopandas as gpd
    from shapely.geometry import LineString, MultiLineString, Point

    path = Path(path)
    if path.exists():
        path.unlink()  # a fresh file: stale layers from an older export must not linger
    rows = []
    for s in data.places:
        props = _place_properties(s, data.articles)
        props["article_ids"] = " ".join(str(i) for i in s.article_ids)
        props["article_titles"] = " | ".join(r["title"] for r in props.pop("article_refs"))
        props["excerpts"] = " | ".join(" ".join(e.sentence.split()) for e in s.excerpts)
        props["place_type"] = props.pop("type")
        props["geometry"] = Point(s.place.lon, s.place.lat)
        rows.append(props)
    cols = [
        "place_type",
        "id",
        "name",
        "kind",
        "country",
        "province",
        "lat",
        "lon",
        "source",
        "mentions",
        "articles",
        "first_date",
        "last_date",
        "article_ids",
        "article_titles",
        "excerpts",
        "geometry",
    ]
    gdf = gpd.GeoDataFrame(_cleaned(rows, _nul_free_text), columns=cols, geometry="geometry", crs="EPSG:4326")
    gdf.to_file(path, layer="places", driver="GPKG", engine="pyogrio")
    if data.claims:
        crow = []
        for c in data.claims:
            props = c.properties(data.articles)
            props["places"] = " - ".join(props["places"])
            props["claim_type"] = props.pop("type")
            parts = [[tuple(xy) for xy in part] for part in _line_parts(c.line)]
            props["geometry"] = (
                None if not parts else LineString(parts[0]) if len(parts) == 1 else MultiLineString(parts)
            )
            crow.append(props)
        cgdf = gpd.GeoDataFrame(_cleaned(crow, _nul_free_text), geometry="geometry", crs="EPSG:4326")
        cgdf.to_file(path, layer="claims", driver="GPKG", engine="pyogrio")
    return path


# --------------------------------------------------------------------------- standalone HTML


def _map_mentions(s: PlaceSummary) -> list[Mention]:
    """Mentions for the dashboard's popup: the excerpts, padded so the popup counts every mention."""
    ms = [
        Mention(
            start=e.start,
            end=e.end,
            text=e.text,
            sentence=e.sentence,
            sentence_start=0,
            candidates=[Candidate(s.place, 1.0)],
            place=s.place,
            confidence=s.min_confidence,
        )
        for e in s.excerpts
    ]
    if ms and len(ms) < s.n_mentions:
        ms += [ms[-1]] * (s.n_mentions - len(ms))
    return ms


def build_standalone_map(data: ExportData) -> str:
    """The dashboard's folium map of ``data`` rendered to HTML (assets still linked, not inlined).

    Up to :data:`MAX_HTML_MARKERS` places get the dashboard's markers with excerpt popups; a larger corpus
    gets the corpus page's clustered, size-scaled circles (a few hundred KB instead of megabytes of markers).
    """
    from conflict_map.view import corpusmap, mapview, overlays

    data = _cleaned(data, _utf8_text)
    if len(data.places) > MAX_HTML_MARKERS:
        m = corpusmap.build_corpus_map(data.places, height=100)
    else:
        places = [mapview.MapPlace(s.place, _map_mentions(s)) for s in data.places]
        m = mapview.build_map(places, provinces=True, height=100)
    lines = [
        overlays.LineOverlay(
            [unwrapped_line(c.line)],  # continuous longitudes: the web map draws it the short way across 180°
            f"{c.stated or 'claim'} \u2192 {c.verdict}" if c.verdict else (c.stated or "claim"),
            colour="#7b3fa0",
            dash="6 4",
            endpoints=True,
        )
        for c in data.claims
        if len(c.line) >= 2
    ] + [
        overlays.LineOverlay(c.parts, c.stated or "border", colour="#ff7b00", weight=5)
        for c in data.claims
        if c.parts and len(c.line) < 2
    ]
    if lines:
        overlays.overlay_group(lines=lines, pan=False).add_to(m)
    return m.get_root().render()


_SCRIPT_SRC = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["'][^>]*>\s*</script>""", re.I)
_LINK_CSS = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']([^"']+)["'][^>]*>""", re.I)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_FETCH_URL = re.compile(r"""fetch\(("(?:[^"\\]|\\.)*")\)""")


def _static_file(url: str, static_url: str, static_dir: Path) -> Path | None:
    if not url.startswith(static_url + "/"):
        return None
    rel = url[len(static_url) + 1 :].split("?")[0].split("#")[0]
    p = (static_dir / rel).resolve()
    if static_dir.resolve() not in p.parents or not p.is_file():
        return None
    return p


def _inline_css(css: str, css_path: Path) -> str:
    def repl(m: re.Match[str]) -> str:
        ref = m.group(2)
        if ref.startswith(("data:", "#")):
            return m.group(0)
        target = (css_path.parent / ref.split("?")[0]).resolve()
        if not target.is_file():
            return "url(data:,)"
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return f"url(data:{mime};base64,{base64.b64encode(target.read_bytes()).decode('ascii')})"

    return _CSS_URL.sub(repl, css)


def _script_safe(js: str) -> str:
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.I)


def inline_assets(page: str, static_dir: Path | None = None, static_url: str | None = None) -> str:
    """Inline every ``static/`` script, stylesheet (with its images) and fetched GeoJSON into ``page``.

    Raises :class:`UserError` when a local asset is missing or the page still loads something remote.
    """
    from conflict_map.view import offline

    static_dir = static_dir or offline.STATIC_DIR
    static_url = static_url or offline.STATIC_URL
    missing: list[str] = []

    def script(m: re.Match[str]) -> str:
        p = _static_file(m.group(1), static_url, static_dir)
        if p is None:
            missing.append(m.group(1))
            return m.group(0)
        return f"<script>/* {p.name} */\n{_script_safe(p.read_text(encoding='utf-8'))}\n</script>"

    def link(m: re.Match[str]) -> str:
        tag = m.group(0)
        if "stylesheet" not in tag.lower():
            return tag
        p = _static_file(m.group(1), static_url, static_dir)
        if p is None:
            missing.append(m.group(1))
            return tag
        css = _inline_css(p.read_text(encoding="utf-8"), p).replace("</", "<\\/")
        return f"<style>/* {p.name} */\n{css}\n</style>"

    page = _SCRIPT_SRC.sub(script, page)
    page = _LINK_CSS.sub(link, page)
    # GeoJSON layers are fetched by URL: serve them from an inline table (fetch of file:// is blocked)
    inline: dict[str, Any] = {}
    for m in _FETCH_URL.finditer(page):
        url = json.loads(m.group(1))
        if url in inline:
            continue
        p = _static_file(url, static_url, static_dir)
        if p is None:
            continue  # e.g. provinces not built: the layer stays empty, the map still works
        inline[url] = json.loads(p.read_text(encoding="utf-8"))
    shim = (
        "<script>(function(){var D="
        + json.dumps(inline, separators=(",", ":")).replace("</", "<\\/")
        + ";var F=window.fetch?window.fetch.bind(window):null;window.fetch=function(u,o){"
        "if(typeof u==='string'&&Object.prototype.hasOwnProperty.call(D,u)){"
        "return Promise.resolve({ok:true,status:200,json:function(){return Promise.resolve(D[u]);}});}"
        "if(typeof u==='string'&&u.indexOf('/app/static/')===0){return Promise.resolve({ok:false,status:404,"
        "json:function(){return Promise.resolve(null);}});}"
        "return F?F(u,o):Promise.reject(new Error('offline'));};})();</script>"
    )
    page = re.sub(r"<head>", lambda _m: '<head>\n<meta charset="utf-8">\n' + shim, page, count=1, flags=re.I)
    if missing:
        raise UserError(f"cannot inline map assets {', '.join(sorted(set(missing)))}: {offline.INSTALL_HINT}")
    remote = [u for u in _SCRIPT_SRC.findall(page) + _LINK_CSS.findall(page) if "://" in u or u.startswith("//")]
    if remote:
        raise UserError(f"the map still loads remote files: {', '.join(remote)}")
    return page


def _html_header(data: ExportData) -> str:
    n_art = len(data.articles)
    info = f"{len(data.places)} place(s) from {n_art} article(s)"
    claims = ""
    if data.claims:
        items = "".join(
            f"<li>{html.escape(c.stated or 'claim')}: <b>{html.escape(c.verdict)}</b>"
            f" <span>({html.escape(c.measured)})</span></li>"
            for c in data.claims
        )
        claims = f"<details><summary>{len(data.claims)} distance claim(s)</summary><ul>{items}</ul></details>"
    return (
        '<div id="cm-export-header" style="position:absolute;z-index:1000;left:60px;top:10px;max-width:46%;'
        "background:rgba(255,255,255,.93);padding:6px 10px;border-radius:6px;"
        "font:13px/1.4 system-ui,sans-serif;"
        'box-shadow:0 1px 4px rgba(0,0,0,.3)">'
        f"<b>{html.escape(data.title)}</b><br/><span>{html.escape(info)} &middot; exported "
        f"{html.escape(data.generated_at)} &middot; gazetteer &copy; GeoNames (CC BY 4.0)</span>"
        f"{claims}</div>"
    )


def to_html(data: ExportData, static_dir: Path | None = None) -> str:
    """A standalone HTML map: opens from a file with no server and no network."""
    from conflict_map.view import offline

    missing = offline.missing_assets(static_dir)
    if missing:
        raise UserError(f"the map's browser files are missing ({', '.join(missing[:3])}...): {offline.INSTALL_HINT}")
    page = build_standalone_map(data)
    page = inline_assets(page, static_dir)
    page = re.sub(r"<title>.*?</title>", "", page, flags=re.S | re.I)
    page = re.sub(
        r"<head>",
        lambda _m: f"<head>\n<title>{html.escape(data.title)}</title>",
        page,
        count=1,
        flags=re.I,
    )
    page = re.sub(r"<body>", lambda _m: "<body>\n" + _html_header(data), page, count=1, flags=re.I)
    # make the map fill the window when opened as a file
    page = page.replace(
        "</head>",
        "<style>html,body{height:100%;margin:0}.folium-map{height:100vh!important}</style>\n</head>",
        1,
    )
    return _utf8_text(page)  # the header's text too: a lone surrogate cannot be written as UTF-8


# --------------------------------------------------------------------------- entry point


MIME_TYPES = {
    "geojson": "application/geo+json",
    "csv": "text/csv",
    "kml": "application/vnd.google-earth.kml+xml",
    "gpkg": "application/geopackage+sqlite3",
    "html": "text/html",
}


def write(data: ExportData, fmt: str, out: str | Path) -> Path:
    """Write ``data`` as ``fmt`` to ``out`` (to a temporary name first, then renamed: no half files)."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise UserError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out)
    if out.is_dir():
        raise UserError(f"{out} is a folder; give a file name")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.tmp{out.suffix}")
    try:
        if fmt == "geojson":
            tmp.write_text(json.dumps(to_geojson(data), ensure_ascii=False, indent=1), encoding="utf-8")
        elif fmt == "csv":
            tmp.write_text(to_csv(data), encoding="utf-8-sig", newline="")
        elif fmt == "kml":
            tmp.write_bytes(to_kml(data))
        elif fmt == "gpkg":
            to_gpkg(data, tmp)
        else:
            tmp.write_text(to_html(data), encoding="utf-8")
        tmp.replace(out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return out


def export(
    corpus: Corpus,
    fmt: str,
    out: str | Path,
    *,
    article_ids: Sequence[int] = (),
    flt: CorpusFilter | None = None,
    max_excerpts: int = 5,
) -> tuple[Path, ExportData]:
    """Collect from ``corpus`` and write ``fmt`` to ``out``."""
    if fmt.lower() not in FORMATS:
        raise UserError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    data = collect(corpus, article_ids=article_ids, flt=flt, max_excerpts=max_excerpts)
    return write(data, fmt, out), data


def _as_bytes(data: ExportData, fmt: str, name: str) -> tuple[bytes, str, str]:
    import tempfile

    if fmt not in FORMATS:
        raise UserError(f"unknown export format {fmt!r}")
    with tempfile.TemporaryDirectory() as d:
        return write(data, fmt, Path(d) / name).read_bytes(), name, MIME_TYPES[fmt]


def export_bytes(
    corpus: Corpus, fmt: str, *, article_ids: Sequence[int] = (), max_excerpts: int = 5
) -> tuple[bytes, str, str]:
    """(content, file name, MIME type) for a dashboard download button."""
    if fmt not in FORMATS:
        raise UserError(f"unknown export format {fmt!r}")
    name = ("article-" + "-".join(str(i) for i in article_ids) if article_ids else "corpus") + EXTENSIONS[fmt]
    data = collect(corpus, article_ids=article_ids, max_excerpts=max_excerpts)
    return _as_bytes(data, fmt, name)


def data_from_result(
    result: ParseResult, *, title: str = "", url: str = "", date: str = "", max_excerpts: int = 5
) -> ExportData:
    """Export data for one geoparsed text that is not in a corpus (the dashboard's current article)."""
    art = Article(
        id=0, hash="", title=title, url=url, publisher="", date=date, source_name="", ext_id="", format="txt",
        n_mentions=len(result.mentions), added_at="",
    )  # fmt: skip
    places = []
    for place, ms in result.resolved_places().values():
        seen: set[str] = set()
        excerpts = []
        for m in ms:
            sent = m.sentence or m.text
            if sent in seen or len(excerpts) >= max_excerpts:
                continue
            seen.add(sent)
            rel = m.start - m.sentence_start
            if not (rel >= 0 and sent[rel : rel + len(m.text)] == m.text):
                rel = max(sent.find(m.text), 0)
            excerpts.append(Excerpt(0, title, date, "", sent, rel, rel + len(m.text), m.text))
        places.append(
            PlaceSummary(
                place=place, n_mentions=len(ms), n_articles=1, article_ids=[0], first_date=date, last_date=date,
                min_confidence=min(m.confidence for m in ms), excerpts=excerpts,
            )
        )  # fmt: skip
    return ExportData(
        places=places,
        claims=claims_for(0, result),
        articles={0: art},
        title=title or "conflict-map article",
        generated_at=datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    )


def result_bytes(
    result: ParseResult, fmt: str, *, title: str = "", url: str = "", max_excerpts: int = 5
) -> tuple[bytes, str, str]:
    """(content, file name, MIME type) of one geoparsed text (corrections already applied by the caller)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")[:50].lower() or "article"
    data = data_from_result(result, title=title, url=url, max_excerpts=max_excerpts)
    return _as_bytes(data, fmt, slug + EXTENSIONS.get(fmt, ""))
