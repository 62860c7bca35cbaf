"""GeoJSON export (RFC 7946): WGS 84 lon/lat, no ``crs`` member, claim lines cut at the antimeridian."""

from __future__ import annotations

import json
from collections.abc import Sequence
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


def to_geojson(data: ExportData) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946): one point per place, then one line per claim."""
    features: list[dict[str, Any]] = []
    for s in data.places:
        features.append(
            {
                "type": "Feature",
                "id": s.place.id,
                "geometry": {"type": "Point", "coordinates": lonlat(s.place.lat, s.place.lon)},
                "properties": place_properties(s, data.articles),
            }
        )
    for i, c in enumerate(data.claims):
        features.append(
            {
                "type": "Feature",
                "id": f"claim-{i + 1}",
                "geometry": _geojson_line(c.line),
                "properties": c.properties(data.articles),
            }
        )
    doc = {
        "type": "FeatureCollection",
        "features": features,
        "properties": {"title": data.title, "generated_at": data.generated_at},  # foreign member, allowed
    }
    if SURROGATE.search(json.dumps(doc, ensure_ascii=False)):  # rare: the walk costs more than the check
        doc = cleaned(doc, utf8_text)  # JSON text written as UTF-8 cannot hold a lone surrogate
    return doc


def geojson_bytes(data: ExportData) -> bytes:
    """The GeoJSON file: UTF-8, indented one space per level."""
    return json.dumps(to_geojson(data), ensure_ascii=False, indent=1).encode("utf-8")


FORMAT = ExportFormat("geojson", ".geojson", "application/geo+json", to_bytes=geojson_bytes)

__all__ = ["FORMAT", "geojson_bytes", "to_geojson"]
