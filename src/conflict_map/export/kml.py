"""KML 2.2 export (Google Earth): folders of place points and claim lines.

Built as an XML tree, so all text is escaped; descriptions are HTML, escaped before that; characters XML
1.0 forbids become U+FFFD. No icon is linked: the viewer's own pin, tinted, so nothing is fetched online.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any

from conflict_map.export.data import ClaimRecord, ExportData, ExportFormat, materialised
from conflict_map.export.lines import line_parts
from conflict_map.export.safetext import xml_text
from conflict_map.models import Article
from conflict_map.store.queries import Excerpt, PlaceSummary

KML_NS = "http://www.opengis.net/kml/2.2"
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


def _styles(doc: ET.Element, kinds: Iterable[str]) -> dict[str, str]:
    """One icon style per place kind and the claim line style; returns ``{kind: style id}``."""
    style_ids = _xml_ids("kind-", sorted(set(kinds)))
    for kind, style_id in style_ids.items():
        st = _sub(doc, "Style", id=style_id)
        icon = _sub(st, "IconStyle")
        _sub(icon, "color", KIND_COLOURS.get(kind, DEFAULT_KML_COLOUR))
        _sub(icon, "scale", "1.1")  # no <Icon href>: the viewer's own pin, tinted; nothing fetched online
    st = _sub(doc, "Style", id="claim")
    ls = _sub(st, "LineStyle")
    _sub(ls, "color", "ff2b39c0")
    _sub(ls, "width", "3")
    return style_ids


def _place_mark(folder: ET.Element, s: PlaceSummary, pm_id: str, style_id: str, data: ExportData) -> None:
    p = s.place
    pm = _sub(folder, "Placemark", id=pm_id)
    _sub(pm, "name", p.name)
    where = ", ".join(x for x in (p.province, p.country) if x)
    where_html = ", " + html.escape(where) if where else ""
    desc = [
        f"<p><b>{html.escape(p.name)}</b> ({html.escape(p.kind)}{where_html})<br/>"
        f"{p.lat:.5f}, {p.lon:.5f}<br/>{s.n_mentions} mention(s) in {s.n_articles} article(s)</p>"
    ]
    desc += [_excerpt_html(e, data.articles) for e in s.excerpts]
    _sub(pm, "description", "".join(desc))
    _sub(pm, "styleUrl", f"#{style_id}")
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


def _claim_mark(folder: ET.Element, i: int, c: ClaimRecord, data: ExportData) -> None:
    pm = _sub(folder, "Placemark", id=f"claim-{i + 1}")
    _sub(pm, "name", f"{c.stated or 'claim'}: {c.verdict}".strip(": "))
    _sub(
        pm,
        "description",
        f"<p>{html.escape(' '.join(c.sentence.split()))}</p><p>stated: {html.escape(c.stated)}<br/>"
        f"measured: {html.escape(c.measured)}<br/>verdict: <b>{html.escape(c.verdict)}</b></p>",
    )
    _sub(pm, "styleUrl", "#claim")
    _extended(pm, {k: v for k, v in c.properties(data.articles).items() if k != "places"})
    parts = line_parts(c.line)
    if parts:
        geom_parent = _sub(pm, "MultiGeometry") if len(parts) > 1 else pm
        for part in parts:
            ls_el = _sub(geom_parent, "LineString")
            _sub(ls_el, "tessellate", "1")
            _sub(ls_el, "coordinates", " ".join(f"{x:.6f},{y:.6f},0" for x, y in part))


def to_kml(data: ExportData) -> bytes:
    """KML 2.2 (Google Earth): folders of place points and claim lines; all text escaped."""
    data = materialised(data)
    ET.register_namespace("", KML_NS)
    root = ET.Element(f"{{{KML_NS}}}kml")
    doc = _sub(root, "Document")
    _sub(doc, "name", data.title)
    _sub(
        doc,
        "description",
        f"Exported by conflict-map at {data.generated_at}. Gazetteer data: GeoNames (CC BY 4.0).",
    )
    style_ids = _styles(doc, (s.place.kind for s in data.places))
    folder = _sub(doc, "Folder")
    _sub(folder, "name", "Places")
    place_ids = _xml_ids("place-", (s.place.id for s in data.places))
    for s in data.places:
        _place_mark(folder, s, place_ids[s.place.id], style_ids[s.place.kind], data)
    if data.claims:
        cf = _sub(doc, "Folder")
        _sub(cf, "name", "Distance claims")
        for i, c in enumerate(data.claims):
            _claim_mark(cf, i, c, data)
    _xml_safe(root)
    ET.indent(root)
    # a CR in text would reach a reader as LF (XML end-of-line handling); as a reference it stays a CR
    return ET.tostring(root, encoding="utf-8", xml_declaration=True).replace(b"\r", b"&#13;")


def _xml_safe(root: ET.Element) -> None:
    """Replace, in every text, tail and attribute of the tree, what XML 1.0 cannot hold (see :func:`xml_text`).

    ElementTree writes such characters as they are, and no XML reader would open the file.
    """
    for el in root.iter():
        if el.text:
            el.text = xml_text(el.text)
        if el.tail:
            el.tail = xml_text(el.tail)
        for k, v in el.attrib.items():
            el.set(k, xml_text(v))


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


FORMAT = ExportFormat("kml", ".kml", "application/vnd.google-earth.kml+xml", to_bytes=to_kml)

__all__ = ["DEFAULT_KML_COLOUR", "FORMAT", "KIND_COLOURS", "KML_NS", "to_kml"]
