"""GeoPackage export: layers ``places`` (points) and, when there are claims, ``claims`` (lines), EPSG:4326.

Written by GDAL (through geopandas and pyogrio); NUL in text becomes U+FFFD, since GDAL would end the
string there. GDAL's own write errors (a full disk) come out as :class:`OSError`, like any other file's.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

from conflict_map.export.data import ExportData, ExportFormat, place_properties
from conflict_map.export.lines import line_parts
from conflict_map.export.safetext import cleaned, nul_free_text

PLACE_COLUMNS = [
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


def _place_rows(data: ExportData) -> list[dict[str, Any]]:
    from shapely.geometry import Point

    rows = []
    for s in data.places:
        props = place_properties(s, data.articles)
        props["article_ids"] = " ".join(str(i) for i in s.article_ids)
        props["article_titles"] = " | ".join(r["title"] for r in props.pop("article_refs"))
        props["excerpts"] = " | ".join(" ".join(e.sentence.split()) for e in s.excerpts)
        props["place_type"] = props.pop("type")
        props["geometry"] = Point(s.place.lon, s.place.lat)
        rows.append(props)
    return rows


def _claim_rows(data: ExportData) -> list[dict[str, Any]]:
    from shapely.geometry import LineString, MultiLineString

    rows = []
    for c in data.claims:
        props = c.properties(data.articles)
        props["places"] = " - ".join(props["places"])
        props["claim_type"] = props.pop("type")
        parts = [[tuple(xy) for xy in part] for part in line_parts(c.line)]
        props["geometry"] = None if not parts else LineString(parts[0]) if len(parts) == 1 else MultiLineString(parts)
        rows.append(props)
    return rows


def to_gpkg(data: ExportData, path: str | Path) -> Path:
    """A GeoPackage with layers ``places`` (points) and, when present, ``claims`` (lines), EPSG:4326."""
    import geopandas as gpd
    from pyogrio.errors import DataLayerError, DataSourceError

    path = Path(path)
    if path.exists():
        path.unlink()  # a fresh file: stale layers from an older export must not linger
    rows = _place_rows(data)
    gdf = gpd.GeoDataFrame(cleaned(rows, nul_free_text), columns=PLACE_COLUMNS, geometry="geometry", crs="EPSG:4326")
    try:
        gdf.to_file(path, layer="places", driver="GPKG", engine="pyogrio")
        if data.claims:
            crow = _claim_rows(data)
            cgdf = gpd.GeoDataFrame(cleaned(crow, nul_free_text), geometry="geometry", crs="EPSG:4326")
            cgdf.to_file(path, layer="claims", driver="GPKG", engine="pyogrio")
    except (DataSourceError, DataLayerError) as exc:
        first = (str(exc).strip().splitlines() or ["GDAL could not write the GeoPackage"])[0]
        raise OSError(errno.EIO, first) from exc
    return path


FORMAT = ExportFormat("gpkg", ".gpkg", "application/geopackage+sqlite3", to_file=to_gpkg)

__all__ = ["FORMAT", "to_gpkg"]
