"""GeoPackage export: layers ``places`` (points) and, when there are claims, ``claims`` (lines), EPSG:4326.

Written by GDAL (through geopandas and pyogrio) :data:`ROWS_PER_WRITE` rows at a time (appended to the
layer), so a large corpus never sits in memory whole; NUL in text becomes U+FFFD, since GDAL would end the
string there. GDAL's own write errors (a full disk) come out as :class:`OSError`, like any other file's.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from conflict_map.export.data import ExportData, ExportFormat, place_properties
from conflict_map.export.lines import line_parts
from conflict_map.export.safetext import cleaned, nul_free_text

#: Rows handed to GDAL per write.
ROWS_PER_WRITE = 5000

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


def _place_rows(data: ExportData) -> Iterator[dict[str, Any]]:
    from shapely.geometry import Point

    for s in data.places:
        props = place_properties(s, data.articles)
        props["article_ids"] = " ".join(str(i) for i in s.article_ids)
        props["article_titles"] = " | ".join(r["title"] for r in props.pop("article_refs"))
        props["excerpts"] = " | ".join(" ".join(e.sentence.split()) for e in s.excerpts)
        props["place_type"] = props.pop("type")
        props["geometry"] = Point(s.place.lon, s.place.lat)
        yield props


def _claim_rows(data: ExportData) -> Iterator[dict[str, Any]]:
    from shapely.geometry import LineString, MultiLineString

    for c in data.claims:
        props = c.properties(data.articles)
        props["places"] = " - ".join(props["places"])
        props["claim_type"] = props.pop("type")
        parts = [[tuple(xy) for xy in part] for part in line_parts(c.line)]
        props["geometry"] = None if not parts else LineString(parts[0]) if len(parts) == 1 else MultiLineString(parts)
        yield props


def _write_layer(path: Path, layer: str, rows: Iterable[dict[str, Any]], columns: list[str] | None) -> int:
    """Write ``rows`` to ``layer`` in chunks; the number of rows (a ``places`` layer is written even empty)."""
    import geopandas as gpd

    def flush(chunk: list[dict[str, Any]], first: bool) -> None:
        gdf = gpd.GeoDataFrame(cleaned(chunk, nul_free_text), columns=columns, geometry="geometry", crs="EPSG:4326")
        for col in ("stated_km", "measured_km"):
            if col in gdf:
                gdf[col] = gdf[col].astype("float64")  # None and numbers alike in every chunk
        gdf.to_file(path, layer=layer, driver="GPKG", engine="pyogrio", mode="w" if first else "a")

    n = 0
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= ROWS_PER_WRITE:
            flush(chunk, n == 0)
            n, chunk = n + len(chunk), []
    if chunk or (n == 0 and columns is not None):
        flush(chunk, n == 0)
        n += len(chunk)
    return n


def to_gpkg(data: ExportData, path: str | Path) -> Path:
    """A GeoPackage with layers ``places`` (points) and, when present, ``claims`` (lines), EPSG:4326."""
    from pyogrio.errors import DataLayerError, DataSourceError

    path = Path(path)
    if path.exists():
        path.unlink()  # a fresh file: stale layers from an older export must not linger
    try:
        _write_layer(path, "places", _place_rows(data), PLACE_COLUMNS)
        _write_layer(path, "claims", _claim_rows(data), None)
    except (DataSourceError, DataLayerError) as exc:
        first = (str(exc).strip().splitlines() or ["GDAL could not write the GeoPackage"])[0]
        raise OSError(errno.EIO, first) from exc
    return path


FORMAT = ExportFormat("gpkg", ".gpkg", "application/geopackage+sqlite3", to_file=to_gpkg)

__all__ = ["FORMAT", "to_gpkg"]
