"""GeoParquet export (GeoParquet 1.1): the format analysts use for big point data.

Two layers, one per file (``conflict-map export -o corpus.parquet [--layer places|mentions]``):

``places``
    one row per place: id, name, kind, country, province, source, lat, lon, mentions, articles, first and
    last date, the article ids (a list) and the quoted excerpts (a list);
``mentions``
    one row per resolved mention, corrections applied: article id and external id, date, offsets, the
    mention's text, the place (id, name, kind, country, province), confidence, lat, lon.

Geometry is a WKB point (x = longitude, y = latitude) in EPSG:4326, described by the file's ``geo``
metadata (version 1.1.0: encoding, geometry type, the CRS as PROJJSON, the bounding box). Rows are written
with :class:`pyarrow.parquet.ParquetWriter` in row groups of :data:`ROWS_PER_GROUP` as they are read from
the corpus, so memory holds one row group, whatever the corpus size. ``geopandas.read_parquet`` and DuckDB
read it; lat/lon are also plain columns for tools without spatial support.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from conflict_map.export.data import ExportData, ExportFormat
from conflict_map.export.safetext import utf8_text
from conflict_map.export.stream import MENTION_FIELDS
from conflict_map.store.queries import PlaceSummary

#: Rows per Parquet row group (and per write).
ROWS_PER_GROUP = 50_000
GEOPARQUET_VERSION = "1.1.0"
LAYERS = ("places", "mentions")

_STRING = "string"
_PLACE_TYPES = {
    "id": _STRING, "name": _STRING, "kind": _STRING, "country": _STRING, "province": _STRING, "source": _STRING,
    "lat": "float64", "lon": "float64", "mentions": "int64", "articles": "int64", "first_date": _STRING,
    "last_date": _STRING, "article_ids": "list<int64>", "excerpts": "list<string>",
}  # fmt: skip
_MENTION_TYPES = {
    "article_id": "int64", "ext_id": _STRING, "date": _STRING, "start": "int64", "end": "int64",
    "mention": _STRING, "place_id": _STRING, "name": _STRING, "kind": _STRING, "country": _STRING,
    "province": _STRING, "confidence": "float64", "lat": "float64", "lon": "float64",
}  # fmt: skip


def wkb_point(lon: float, lat: float) -> bytes:
    """A little-endian WKB point."""
    return struct.pack("<BIdd", 1, 1, float(lon), float(lat))


def geo_metadata(bbox: Sequence[float] | None) -> dict[str, Any]:
    """The GeoParquet 1.1 ``geo`` file metadata of a ``geometry`` column of points in EPSG:4326."""
    from pyproj import CRS

    column: dict[str, Any] = {
        "encoding": "WKB",
        "geometry_types": ["Point"],
        "crs": CRS.from_epsg(4326).to_json_dict(),
        "edges": "planar",
    }
    if bbox is not None:
        column["bbox"] = [float(v) for v in bbox]
    return {"version": GEOPARQUET_VERSION, "primary_column": "geometry", "columns": {"geometry": column}}


def _arrow_type(name: str) -> Any:
    import pyarrow as pa

    return {
        "string": pa.string(),
        "float64": pa.float64(),
        "int64": pa.int64(),
        "list<int64>": pa.list_(pa.int64()),
        "list<string>": pa.list_(pa.string()),
    }[name]


def _schema(types: dict[str, str], bbox: Sequence[float] | None) -> Any:
    import pyarrow as pa

    fields = [pa.field(k, _arrow_type(t)) for k, t in types.items()] + [pa.field("geometry", pa.binary())]
    return pa.schema(fields, metadata={b"geo": json.dumps(geo_metadata(bbox)).encode("utf-8")})


def _text(v: Any) -> Any:
    return utf8_text(v) if isinstance(v, str) else v


def _place_records(places: Iterable[PlaceSummary]) -> Iterator[dict[str, Any]]:
    for s in places:
        p = s.place
        yield {
            "id": p.id, "name": p.name, "kind": p.kind, "country": p.country, "province": p.province,
            "source": p.source, "lat": p.lat, "lon": p.lon, "mentions": s.n_mentions, "articles": s.n_articles,
            "first_date": s.first_date, "last_date": s.last_date, "article_ids": list(s.article_ids),
            "excerpts": [utf8_text(e.sentence) for e in s.excerpts], "geometry": wkb_point(p.lon, p.lat),
        }  # fmt: skip


def _mention_records(rows: Iterable[Sequence[Any]]) -> Iterator[dict[str, Any]]:
    for r in rows:
        d = dict(zip(MENTION_FIELDS, r, strict=True))
        d["geometry"] = wkb_point(d["lon"], d["lat"])
        yield d


def _bbox(places: Sequence[PlaceSummary]) -> tuple[float, float, float, float] | None:
    box = getattr(places, "bbox", None)
    if callable(box):
        return box()
    if not places:
        return None
    lons, lats = [s.place.lon for s in places], [s.place.lat for s in places]
    return (min(lons), min(lats), max(lons), max(lats))


def write_geoparquet(data: ExportData, path: str | Path) -> Path:
    """Write ``data.layer`` (``places`` or ``mentions``) of ``data`` as GeoParquet to ``path``."""
    import pyarrow.parquet as pq

    path = Path(path)
    if data.layer == "mentions":
        types, records = _MENTION_TYPES, _mention_records(data.mentions)
    else:
        types, records = _PLACE_TYPES, _place_records(data.places)
    schema = _schema(types, _bbox(data.places))
    names = [*types, "geometry"]
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for rec in records:
            batch.append(rec)
            if len(batch) >= ROWS_PER_GROUP:
                writer.write_table(_table(batch, names, schema))
                batch = []
        if batch:
            writer.write_table(_table(batch, names, schema))
    return path


def _table(batch: list[dict[str, Any]], names: list[str], schema: Any) -> Any:
    import pyarrow as pa

    cols = {n: [_text(r[n]) for r in batch] for n in names}
    return pa.Table.from_pydict(cols, schema=schema)


FORMAT = ExportFormat("parquet", ".parquet", "application/vnd.apache.parquet", to_file=write_geoparquet)

__all__ = ["FORMAT", "GEOPARQUET_VERSION", "LAYERS", "ROWS_PER_GROUP", "geo_metadata", "wkb_point", "write_geoparquet"]
