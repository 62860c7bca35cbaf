"""The export formats by name, and the entry points that collect, write and serve an export.

``conflict-map export --db DB --format geojson|csv|kml|gpkg|html|parquet [--layer places|mentions] [--article ID]
-o FILE``

Each format module declares an :class:`~conflict_map.export.data.ExportFormat` (name, extension, MIME type,
writer); :data:`REGISTRY` lists them in the order the user sees them. :func:`write` writes any of them to a
file atomically (:mod:`conflict_map.export.files`); :func:`export_bytes` and :func:`result_bytes` give the
dashboard's download buttons their content.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from conflict_map.errors import UserError
from conflict_map.export.csv_writer import FORMAT as CSV
from conflict_map.export.data import ExportData, ExportFormat, collect, data_from_result
from conflict_map.export.files import write_atomic
from conflict_map.export.geojson import FORMAT as GEOJSON
from conflict_map.export.geoparquet import FORMAT as PARQUET
from conflict_map.export.geoparquet import LAYERS
from conflict_map.export.gpkg import FORMAT as GPKG
from conflict_map.export.html_map import FORMAT as HTML
from conflict_map.export.kml import FORMAT as KML
from conflict_map.models import ParseResult
from conflict_map.store.base import Store
from conflict_map.store.queries import CorpusFilter

#: Every export format by name, in the order they are offered.
REGISTRY: dict[str, ExportFormat] = {f.name: f for f in (GEOJSON, CSV, KML, GPKG, HTML, PARQUET)}
FORMATS: tuple[str, ...] = tuple(REGISTRY)
EXTENSIONS: dict[str, str] = {name: f.extension for name, f in REGISTRY.items()}
MIME_TYPES: dict[str, str] = {name: f.mime_type for name, f in REGISTRY.items()}


def get_format(name: str) -> ExportFormat:
    """The format called ``name`` (any case); :class:`UserError` naming the choices for an unknown one."""
    fmt = REGISTRY.get(name.lower())
    if fmt is None:
        raise UserError(f"unknown export format {name!r}; choose one of {', '.join(FORMATS)}")
    return fmt


def write(data: ExportData, fmt: str, out: str | Path) -> Path:
    """Write ``data`` as ``fmt`` to ``out`` (a temporary file in its folder first, then renamed: no half files).

    :class:`UserError` (one line) for an unknown format, a target that is not a regular file (a folder,
    a device, a FIFO), a folder that does not exist (none is created) and any write error.
    """
    f = get_format(fmt)
    return write_atomic(out, lambda tmp: f.write_file(data, tmp))


def export(
    corpus: Store,
    fmt: str,
    out: str | Path,
    *,
    article_ids: Sequence[int] = (),
    flt: CorpusFilter | None = None,
    max_excerpts: int = 5,
    layer: str = "places",
) -> tuple[Path, ExportData]:
    """Collect from ``corpus`` and write ``fmt`` to ``out`` (``layer``: ``places``, or ``mentions`` for
    GeoParquet: one row per mention)."""
    f = get_format(fmt)  # an unknown format fails before the (slow) collection
    if layer not in LAYERS or (layer != "places" and f.name != PARQUET.name):
        raise UserError(f"--layer {layer} is for the parquet format only (layers: {', '.join(LAYERS)})")
    data = collect(corpus, article_ids=article_ids, flt=flt, max_excerpts=max_excerpts)
    data.layer = layer
    return write(data, fmt, out), data


def _content(data: ExportData, f: ExportFormat, name: str) -> bytes:
    """The file ``f`` writes for ``data``, as bytes (a file writer writes into a private folder)."""
    if f.to_bytes is not None:
        return f.to_bytes(data)
    with tempfile.TemporaryDirectory(prefix="conflict-map-export-") as d:
        return write(data, f.name, Path(d) / name).read_bytes()


def export_bytes(
    corpus: Store, fmt: str, *, article_ids: Sequence[int] = (), max_excerpts: int = 5
) -> tuple[bytes, str, str]:
    """(content, file name, MIME type) for a dashboard download button."""
    f = get_format(fmt)
    name = ("article-" + "-".join(str(i) for i in article_ids) if article_ids else "corpus") + f.extension
    data = collect(corpus, article_ids=article_ids, max_excerpts=max_excerpts)
    return _content(data, f, name), name, f.mime_type


def result_bytes(
    result: ParseResult, fmt: str, *, title: str = "", url: str = "", max_excerpts: int = 5
) -> tuple[bytes, str, str]:
    """(content, file name, MIME type) of one geoparsed text (corrections already applied by the caller)."""
    f = get_format(fmt)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")[:50].lower() or "article"
    data = data_from_result(result, title=title, url=url, max_excerpts=max_excerpts)
    return _content(data, f, slug + f.extension), slug + f.extension, f.mime_type


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "MIME_TYPES",
    "REGISTRY",
    "export",
    "export_bytes",
    "get_format",
    "result_bytes",
    "write",
]
