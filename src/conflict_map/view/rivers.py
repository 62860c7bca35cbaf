"""River lines for the map's context layer: the GSHHG/WDBII decoder and the naming of major rivers.

The WDBII river lines of GSHHG 2.3.7 (intermediate resolution, ``binned_river_i.nc`` from the Debian package
``gmt-gshhg-low``) have a class (:data:`RIVER_LEVELS`) but no name: the major rivers listed in
``view/data/river_courses.csv`` are named by following the river network from one riverside town to the next
(:class:`RiverNetwork`). :mod:`conflict_map.view.layers` builds the display files from the result.
"""

from __future__ import annotations

import csv
import heapq
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from conflict_map.errors import UserError

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

Say = Callable[[str], Any]


class ContextLayersMissing(UserError):
    """The river source file is not available (run ``make setup`` or ``scripts/fetch-context-layers.sh``)."""


@dataclass(frozen=True, slots=True)
class RiverLine:
    """One WDBII river line: its class (:data:`RIVER_LEVELS`) and ``(n, 2)`` lon/lat vertices."""

    level: int
    coords: np.ndarray


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
                say_to(say, f"rivers: {river}: {town} is not near a major river; skipped")
            else:
                nodes.append((town, node))
        for (ta, a), (tb, b) in zip(nodes, nodes[1:], strict=False):
            edges = network.path_edges(a, b)
            if edges is None:
                say_to(say, f"rivers: {river}: no river route from {ta} to {tb}")
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


def say_to(say: Say | None, msg: str) -> None:
    """Report ``msg`` through ``say`` when one is given."""
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
