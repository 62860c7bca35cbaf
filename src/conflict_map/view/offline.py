"""Serve every browser asset of the dashboard from the app itself (no CDN, no tiles by default).

folium's templates load Leaflet, jQuery, Bootstrap and each plugin from public CDNs; offline the
first failed script stops the rest and the map never appears. This module

* names the local copies of the libraries (installed from the npm registry by
  ``scripts/install-web-assets.sh`` into the git-ignored ``static/`` folder, which Streamlit serves
  at ``/app/static/`` when ``server.enableStaticServing`` is on),
* provides folium subclasses (:class:`OfflineMap`, :class:`OfflineMeasureControl`, ...) whose
  ``default_js`` / ``default_css`` point at those copies, and
* builds the offline vector basemap (``static/geo/countries.geojson`` and
  ``static/geo/borders.geojson``) from the Natural Earth TopoJSON of the npm package
  ``world-atlas``: ``python -m conflict_map.view.offline build``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import folium
from folium import plugins

#: Where Streamlit serves the ``static/`` folder next to ``app.py``.
STATIC_URL = "/app/static"
#: The ``static/`` folder itself (repo root, beside ``app.py``).
STATIC_DIR = Path(__file__).resolve().parents[3] / "static"

VENDOR = f"{STATIC_URL}/vendor"

#: Every file the map needs, relative to ``static/``; :func:`missing_assets` checks them.
REQUIRED_FILES: tuple[str, ...] = (
    "vendor/leaflet/leaflet.js",
    "vendor/conflict-map-leaflet-bundle.js",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet-measure/leaflet-measure.js",
    "vendor/leaflet-measure/leaflet-measure.css",
    "vendor/leaflet-minimap/Control.MiniMap.min.js",
    "vendor/leaflet-minimap/Control.MiniMap.min.css",
    "vendor/leaflet.fullscreen/Control.FullScreen.js",
    "vendor/leaflet.fullscreen/Control.FullScreen.css",
    "geo/countries.geojson",
    "geo/countries-110m.geojson",
    "geo/borders.geojson",
    "vendor/conflict-map/map.js",
    "vendor/conflict-map/map.css",
)
#: The package's own browser files (``view/templates``), copied into ``static/vendor/conflict-map/``: the map's
#: behaviour and styles, cached by the browser instead of sent again with every Streamlit rerun.
APP_FILES: tuple[str, ...] = ("map.js", "map.css")
APP_DIR = "vendor/conflict-map"


def _app_file_url(name: str) -> str:
    """URL of one of :data:`APP_FILES`, with a version from its content (a changed file is fetched anew)."""
    import hashlib
    from importlib import resources

    data = resources.files("conflict_map.view").joinpath("templates", name).read_bytes()
    return f"{VENDOR}/conflict-map/{name}?v={hashlib.sha256(data).hexdigest()[:10]}"


MAP_JS = [("conflict_map_js", _app_file_url("map.js"))]
MAP_CSS = [("conflict_map_css", _app_file_url("map.css"))]

COUNTRIES_URL = f"{STATIC_URL}/geo/countries.geojson"
BORDERS_URL = f"{STATIC_URL}/geo/borders.geojson"
#: A light world layer (Natural Earth 1:110m) for the overview mini-map.
COUNTRIES_LITE_URL = f"{STATIC_URL}/geo/countries-110m.geojson"

INSTALL_HINT = "run `make setup` (or `bash scripts/install-web-assets.sh`) to install the map's browser files"


class OfflineMap(folium.Map):
    """A ``folium.Map`` that loads only Leaflet, from the app's own static folder.

    jQuery, Bootstrap and awesome-markers are dropped: the dashboard's markers are ``DivIcon``s
    styled by its own CSS and GeoJSON layers are fetched with ``fetch``.
    """

    default_js = [("leaflet", f"{VENDOR}/leaflet/leaflet.js"), *MAP_JS]
    default_css = [("leaflet_css", f"{VENDOR}/leaflet/leaflet.css"), *MAP_CSS]


class OfflineMeasureControl(plugins.MeasureControl):
    """leaflet-measure served locally."""

    default_js = [("leaflet_measure_js", f"{VENDOR}/leaflet-measure/leaflet-measure.js")]
    default_css = [("leaflet_measure_css", f"{VENDOR}/leaflet-measure/leaflet-measure.css")]


class OfflineFullscreen(plugins.Fullscreen):
    """leaflet.fullscreen served locally."""

    default_js = [("Control.Fullscreen.js", f"{VENDOR}/leaflet.fullscreen/Control.FullScreen.js")]
    default_css = [("Control.FullScreen.css", f"{VENDOR}/leaflet.fullscreen/Control.FullScreen.css")]


#: Leaflet + leaflet-measure + leaflet.fullscreen + leaflet-minimap in one file (built by the install
#: script): streamlit-folium loads scripts one after the other, so one file opens the map sooner.
BUNDLE_JS = [("conflict_map_leaflet_bundle", f"{VENDOR}/conflict-map-leaflet-bundle.js")]


class BundledMap(OfflineMap):
    """:class:`OfflineMap` whose one script also holds the measure, fullscreen and mini-map plugins.

    Use it with :class:`BundledMeasureControl`, :class:`BundledFullscreen` and
    :class:`conflict_map.view.elements.VectorMiniMap`, which then load no script of their own.
    """

    default_js = [*BUNDLE_JS, *MAP_JS]


class BundledMeasureControl(OfflineMeasureControl):
    """Measure control whose script comes with :class:`BundledMap`."""

    default_js: list[tuple[str, str]] = []


class BundledFullscreen(OfflineFullscreen):
    """Fullscreen control whose script comes with :class:`BundledMap`."""

    default_js: list[tuple[str, str]] = []


#: leaflet-minimap files, used by :class:`conflict_map.view.elements.VectorMiniMap`.
MINIMAP_JS = [("Control_MiniMap_js", f"{VENDOR}/leaflet-minimap/Control.MiniMap.min.js")]
MINIMAP_CSS = [("Control_MiniMap_css", f"{VENDOR}/leaflet-minimap/Control.MiniMap.min.css")]


def install_app_files(static_dir: Path | None = None) -> list[Path]:
    """Copy the package's own browser files (:data:`APP_FILES`) into ``static/`` when absent or changed.

    They are part of the code (``view/templates``), not downloaded; a checkout that changed them refreshes
    the served copy on the next start. Returns the files written (none when up to date or not writable).
    """
    from importlib import resources

    out = (static_dir or STATIC_DIR) / APP_DIR
    written = []
    for name in APP_FILES:
        data = resources.files("conflict_map.view").joinpath("templates", name).read_bytes()
        dst = out / name
        try:
            if not dst.is_file() or dst.read_bytes() != data:
                out.mkdir(parents=True, exist_ok=True)
                tmp = dst.with_name(f".{name}.tmp")
                tmp.write_bytes(data)
                tmp.replace(dst)
                written.append(dst)
        except OSError:
            continue  # a read-only static/: reported by missing_assets
    return written


def missing_assets(static_dir: Path | None = None) -> list[str]:
    """Files of :data:`REQUIRED_FILES` that are absent from ``static_dir`` (empty when ready).

    The package's own files are put in place first (:func:`install_app_files`).
    """
    root = static_dir or STATIC_DIR
    if root.is_dir():
        install_app_files(root)
    return [f for f in REQUIRED_FILES if not (root / f).is_file()]


def asset_links(m: folium.Map) -> list[str]:
    """Every js/css link streamlit-folium would load for ``m`` (walks the element tree)."""
    links: list[str] = []

    def walk(el: Any) -> None:
        for _, href in getattr(el, "default_js", []) or []:
            links.append(href)
        for _, href in getattr(el, "default_css", []) or []:
            links.append(href)
        for child in getattr(el, "_children", {}).values():
            walk(child)

    walk(m)
    return list(dict.fromkeys(links))


def is_local(url: str) -> bool:
    """True for a same-origin path (``/app/static/...``), false for anything with a scheme or host."""
    return url.startswith("/") and not url.startswith("//")


# --- basemap build -------------------------------------------------------------------------------


def _decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs -> absolute lon/lat coordinates (handles quantised, delta-encoded arcs)."""
    tr = topo.get("transform")
    arcs: list[list[tuple[float, float]]] = []
    for arc in topo["arcs"]:
        pts: list[tuple[float, float]] = []
        if tr:
            (sx, sy), (tx, ty) = tr["scale"], tr["translate"]
            x = y = 0
            for dx, dy in arc:
                x += dx
                y += dy
                pts.append((x * sx + tx, y * sy + ty))
        else:
            pts = [(float(a), float(b)) for a, b in arc]
        arcs.append(pts)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], idxs: Sequence[int]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for i in idxs:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(pts if not out else pts[1:])
    return out


def _round_line(pts: Iterable[tuple[float, float]], nd: int) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in pts:
        p = [round(x, nd), round(y, nd)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def topojson_to_basemap(topo: dict[str, Any], ndigits: int = 2) -> tuple[dict[str, Any], dict[str, Any]]:
    """World-atlas countries TopoJSON -> (countries polygons, international border lines) GeoJSON.

    A border line is an arc shared by two countries; each carries ``a`` and ``b`` (country names).
    Coordinates are rounded to ``ndigits`` decimals (2 = about 1 km, plenty at 1:50m) to keep the files small.
    """
    arcs = _decode_arcs(topo)
    geoms = topo["objects"]["countries"]["geometries"]
    features: list[dict[str, Any]] = []
    arc_users: dict[int, list[str]] = {}
    for g in geoms:
        name = (g.get("properties") or {}).get("name", "")
        if g["type"] == "Polygon":
            polys = [g["arcs"]]
        elif g["type"] == "MultiPolygon":
            polys = g["arcs"]
        else:
            continue
        coords = []
        for poly in polys:
            rings = []
            for ring in poly:
                r = _round_line(_ring(arcs, ring), ndigits)
                if len(r) >= 4:
                    rings.append(r)
                for i in ring:
                    arc_users.setdefault(i if i >= 0 else ~i, []).append(name)
            if rings:
                coords.append(rings)
        if coords:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": name, "id": g.get("id", "")},
                    "geometry": {"type": "MultiPolygon", "coordinates": coords},
                }
            )
    borders = []
    for i, users in sorted(arc_users.items()):
        names = sorted(set(users))
        if len(names) == 2:
            borders.append(
                {
                    "type": "Feature",
                    "properties": {"a": names[0], "b": names[1]},
                    "geometry": {"type": "LineString", "coordinates": _round_line(arcs[i], ndigits)},
                }
            )
    return (
        {"type": "FeatureCollection", "features": features},
        {"type": "FeatureCollection", "features": borders},
    )


def build_basemap(node_modules: Path, static_dir: Path, resolution: str = "50m") -> list[Path]:
    """Write ``geo/countries.geojson`` and ``geo/borders.geojson`` under ``static_dir``."""
    src = node_modules / "world-atlas" / f"countries-{resolution}.json"
    if not src.is_file():
        raise FileNotFoundError(f"{src} is missing: {INSTALL_HINT}")
    topo = json.loads(src.read_text(encoding="utf-8"))
    countries, borders = topojson_to_basemap(topo)
    out_dir = static_dir / "geo"
    out_dir.mkdir(parents=True, exist_ok=True)
    lite_src = node_modules / "world-atlas" / "countries-110m.json"
    lite = topojson_to_basemap(json.loads(lite_src.read_text(encoding="utf-8")), ndigits=1)[0]
    written = []
    for name, data in (
        ("countries.geojson", countries),
        ("borders.geojson", borders),
        ("countries-110m.geojson", lite),
    ):
        p = out_dir / name
        p.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        written.append(p)
    written.extend(_build_from_boundaries(out_dir))
    written.extend(install_app_files(static_dir))
    return list(dict.fromkeys(written))


def _build_from_boundaries(out_dir: Path) -> list[Path]:
    """Borders and per-country provinces from :mod:`conflict_map.geo.boundaries` display copies, when built.

    ``geo/borders.geojson`` is replaced by the Natural Earth 1:10m shared borders (so the drawn
    lines match the measured ones) and provinces are split per country into
    ``geo/provinces/<ISO2>.geojson``: the map loads only the countries an article is about.
    """
    try:
        from conflict_map.geo import boundaries
    except ImportError:
        return []
    written: list[Path] = []
    try:
        boundaries.load_borders()  # builds countries + borders from the installed package when missing
        src = boundaries.display_path("borders")
        if src.is_file():
            dst = out_dir / "borders.geojson"
            shutil.copyfile(src, dst)
            written.append(dst)
        prov = boundaries.display_path("provinces")
    except Exception as exc:  # noqa: BLE001 - optional layers; the world-atlas basemap still works
        print(f"boundary layers skipped: {exc}", file=sys.stderr)
        return written
    if prov.is_file():
        data = json.loads(prov.read_text(encoding="utf-8"))
        by_iso: dict[str, list[Any]] = {}
        for f in data.get("features", []):
            iso = str((f.get("properties") or {}).get("iso2") or "")
            if re.fullmatch(r"[A-Z]{2}", iso):
                by_iso.setdefault(iso, []).append(f)
        pdir = out_dir / "provinces"
        if pdir.exists():
            shutil.rmtree(pdir)
        pdir.mkdir(parents=True)
        for iso, feats in by_iso.items():
            p = pdir / f"{iso}.geojson"
            p.write_text(
                json.dumps({"type": "FeatureCollection", "features": feats}, separators=(",", ":")),
                encoding="utf-8",
            )
        written.append(pdir)
    cdir = build_country_files(out_dir)
    if cdir is not None:
        written.append(cdir)
    return written


#: Simplification (degrees) and decimals of the per-country outlines highlighted when an article names a country.
COUNTRY_TOLERANCE = 0.01
COUNTRY_DECIMALS = 3


def build_country_files(out_dir: Path) -> Path | None:
    """``geo/countries/<ISO2>.geojson`` under ``out_dir``: each country's outline (Natural Earth 1:10m, light copy).

    The map fetches only the file of a country an article names, to draw it as an area. None when the
    boundary layers are not built.
    """
    import numpy as np
    import shapely

    try:
        from conflict_map.geo import boundaries

        df = boundaries.load_countries()
    except Exception as exc:  # noqa: BLE001 - optional layer: without it countries are labels only
        print(f"country outlines skipped: {exc}", file=sys.stderr)
        return None
    cdir = out_dir / "countries"
    if cdir.exists():
        shutil.rmtree(cdir)
    cdir.mkdir(parents=True)
    geoms = shapely.simplify(df.geometry.values, COUNTRY_TOLERANCE, preserve_topology=True)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, COUNTRY_DECIMALS))
    for iso2, name, geom in zip(df["iso2"], df["name"], geoms, strict=True):
        if not re.fullmatch(r"[A-Z]{2}", str(iso2)) or geom is None or geom.is_empty:
            continue
        props = json.dumps({"iso2": str(iso2), "name": str(name)}, ensure_ascii=True, separators=(",", ":"))
        feature = f'{{"type":"Feature","properties":{props},"geometry":{shapely.to_geojson(geom)}}}'
        (cdir / f"{iso2}.geojson").write_text(
            f'{{"type":"FeatureCollection","features":[{feature}]}}', encoding="utf-8"
        )
    return cdir


def country_url(iso2: str) -> str | None:
    """URL of a country's outline (:func:`build_country_files`), or None when it was not built."""
    if not re.fullmatch(r"[A-Z]{2}", iso2 or ""):
        return None
    if not (STATIC_DIR / "geo" / "countries" / f"{iso2}.geojson").is_file():
        return None
    return f"{STATIC_URL}/geo/countries/{iso2}.geojson"


def provinces_url(iso2: str) -> str | None:
    """URL of a country's province layer, or None when it was not built."""
    if not re.fullmatch(r"[A-Z]{2}", iso2 or ""):
        return None
    if not (STATIC_DIR / "geo" / "provinces" / f"{iso2}.geojson").is_file():
        return None
    return f"{STATIC_URL}/geo/provinces/{iso2}.geojson"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m conflict_map.view.offline build|check``."""
    ap = argparse.ArgumentParser(prog="python -m conflict_map.view.offline", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="build the offline basemap GeoJSON into static/geo/")
    b.add_argument("--node-modules", type=Path, default=Path("node_modules"))
    b.add_argument("--static", type=Path, default=STATIC_DIR)
    b.add_argument("--resolution", default="50m", choices=["10m", "50m", "110m"])
    o = sub.add_parser("outlines", help="build only the per-country outlines into static/geo/countries/")
    o.add_argument("--static", type=Path, default=STATIC_DIR)
    c = sub.add_parser("check", help="list missing static files")
    c.add_argument("--static", type=Path, default=STATIC_DIR)
    args = ap.parse_args(argv)
    if args.cmd == "outlines":
        cdir = build_country_files(args.static / "geo")
        print(f"wrote {cdir}" if cdir else "country outlines not built (boundary layers missing)")
        return 0 if cdir else 1
    if args.cmd == "build":
        for p in build_basemap(args.node_modules, args.static, args.resolution):
            size = p.stat().st_size // 1024 if p.is_file() else len(list(p.iterdir()))
            print(f"wrote {p} ({size} {'KB' if p.is_file() else 'files'})")
        missing = missing_assets(args.static)
    else:
        missing = missing_assets(args.static)
    if missing:
        print("missing: " + ", ".join(missing), file=sys.stderr)
        return 1
    print("web assets ready")
    return 0


if __name__ == "__main__":
    sys.exit(main())
