"""GeoJSON export (RFC 7946): WGS 84 lon/lat, no ``crs`` member, claim lines cut at the antimeridian.

:func:`write_geojson` streams the FeatureCollection to a file, one feature per line, so a corpus of any size
is written in bounded memory (and fast: compact JSON goes through the C encoder).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from conflict_map.export.data import ExportData, ExportFormat, place_properties
from conflict_map.export.lines import LatLon, line_parts, lonlat
from conflict_map.export.safetext import SURROGATE, cleaned, utf8_text


def _geojson_line(line: Sequence[LatLon]) -> dict[str, Any] | None:
    """A GeoJSON LineString, or a MultiLineString when the line crosses the antimeridian; None if no line."""
    parts = line_parts(line)
    if not parts:
        return None
    if len(parts) == 1:
        return {"type": "LineString", "coordinates": parts[0]}
    return {"type": "MultiLineString", "coordinates": parts}


def _geojson_parts(parts: Sequence[Sequence[LatLon]]) -> dict[str, Any] | None:
    """A MultiLineString of several lines (a border in pieces); None without any."""
    lines = [p for part in parts for p in line_parts(part)]
    return {"type": "MultiLineString", "coordinates": lines} if lines else None


def _features(data: ExportData) -> Iterator[dict[str, Any]]:
    """One point feature per place, then one line feature per claim."""
    for s in data.places:
        yield {
            "type": "Feature",
            "id": s.place.id,
            "geometry": {"type": "Point", "coordinates": lonlat(s.place.lat, s.place.lon)},
            "properties": place_properties(s, data.articles),
        }
    for i, c in enumerate(data.claims):
        yield {
            "type": "Feature",
            "id": f"claim-{i + 1}",
            "geometry": _geojson_line(c.line) or _geojson_parts(c.parts),
            "properties": c.properties(data.articles),
        }


def _collection_properties(data: ExportData) -> dict[str, Any]:
    return {"title": data.title, "generated_at": data.generated_at}  # a foreign member, allowed


def _dumps(value: Any) -> str:
    """``value`` as compact JSON text that UTF-8 can hold (lone surrogates become U+FFFD)."""
    text = json.dumps(value, ensure_ascii=False)
    if SURROGATE.search(text):  # rare: the walk costs more than the check
        text = json.dumps(cleaned(value, utf8_text), ensure_ascii=False)
    return text


def write_geojson(data: ExportData, path: str | Path) -> Path:
    """Write the FeatureCollection to ``path`` feature by feature, one per line (UTF-8)."""
    path = Path(path)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write('{"type": "FeatureCollection", "features": [')
        sep = "\n"
        for feature in _features(data):
            fh.write(sep + _dumps(feature))
            sep = ",\n"
        fh.write('\n], "properties": ' + _dumps(_collection_properties(data)) + "}\n")
    return path


def to_geojson(data: ExportData) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946): one point per place, then one line per claim."""
    doc = {
        "type": "FeatureCollection",
        "features": list(_features(data)),
        "properties": _collection_properties(data),
    }
    if SURROGATE.search(json.dumps(doc, ensure_ascii=False)):  # rare: the walk costs more than the check
        doc = cleaned(doc, utf8_text)  # JSON text written as UTF-8 cannot hold a lone surrogate
    return doc


def geojson_bytes(data: ExportData) -> bytes:
    """The GeoJSON file: UTF-8, indented one space per level."""
    return json.dumps(to_geojson(data), ensure_ascii=False, indent=1).encode("utf-8")


FORMAT = ExportFormat("geojson", ".geojson", "application/geo+json", to_file=write_geojson)

__all__ = ["FORMAT", "geojson_bytes", "to_geojson", "write_geojson"]
