"""Exports of places and claims: GeoJSON, CSV, KML, GeoPackage and a standalone HTML map.

What is exported, with the user's corrections applied (:mod:`conflict_map.export.data`):

* one point per place: id, name, kind, country, province, coordinates, number of mentions and articles,
  article references (id, title, date, url) and up to ``max_excerpts`` quoted sentences;
* one line per checked distance/length claim (:mod:`conflict_map.claims.check`): the sentence, what was
  stated, what was measured and the verdict.

One module per format, each declaring its name, extension, MIME type and writer
(:mod:`~conflict_map.export.geojson`, :mod:`~conflict_map.export.csv_writer`, :mod:`~conflict_map.export.kml`,
:mod:`~conflict_map.export.gpkg`, :mod:`~conflict_map.export.html_map`); :mod:`conflict_map.export.registry`
lists them and writes files atomically; :mod:`conflict_map.export.lines` cuts claim lines at the
antimeridian; :mod:`conflict_map.export.safetext` makes any text safe for each format.

Every writer is safe for any text on its own, whatever was cleaned where the text came in: lone surrogates
become U+FFFD (UTF-8 cannot hold them), characters XML 1.0 forbids become U+FFFD in KML, NUL becomes U+FFFD
in the GeoPackage (GDAL would cut the string there) and CSV.

This module re-exports the public API for users; the package's own modules import the defining modules.
"""

from conflict_map.export.csv_writer import CSV_COLUMNS, to_csv
from conflict_map.export.data import ClaimRecord, ExportData, ExportFormat, collect, data_from_result
from conflict_map.export.geojson import to_geojson
from conflict_map.export.gpkg import to_gpkg
from conflict_map.export.html_map import build_standalone_map, inline_assets, to_html
from conflict_map.export.kml import KML_NS, to_kml
from conflict_map.export.registry import (
    EXTENSIONS,
    FORMATS,
    MIME_TYPES,
    REGISTRY,
    export,
    export_bytes,
    get_format,
    result_bytes,
    write,
)

__all__ = [
    "CSV_COLUMNS",
    "EXTENSIONS",
    "FORMATS",
    "KML_NS",
    "MIME_TYPES",
    "REGISTRY",
    "ClaimRecord",
    "ExportData",
    "ExportFormat",
    "build_standalone_map",
    "collect",
    "data_from_result",
    "export",
    "export_bytes",
    "get_format",
    "inline_assets",
    "result_bytes",
    "to_csv",
    "to_geojson",
    "to_gpkg",
    "to_html",
    "to_kml",
    "write",
]
