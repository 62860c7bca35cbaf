"""What the map draws on top and changes on clicks: measured lines, the selected place, the editing mode.

:func:`overlay_group` builds the ``folium.FeatureGroup`` that ``st_folium(feature_group_to_add=...)`` swaps in
the browser without rebuilding the map. A line's label goes where it covers no pin (:func:`label_point`):
the distance label at the point of the line farthest from every pin, a border's label at the part of the
border nearest the middle of the view, so it is never cut off at the map's edge.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import folium

from conflict_map.geo import geodesy
from conflict_map.models import Place
from conflict_map.view import areas
from conflict_map.view.controls import EditState, LegendExtra
from conflict_map.view.elements import LineLabel, SafeTooltip, SelectPlace

LatLon = tuple[float, float]


@dataclass(slots=True)
class LineOverlay:
    """A measured line: geometry (one or more lat/lon parts), colour and a label.

    Used for a geodesic distance, a highlighted shared border or a claim's geometry. ``legend`` is its key in
    :data:`conflict_map.view.controls.LEGEND`; ``label_at`` where the label goes (None: on the line).
    """

    parts: list[list[LatLon]]
    label: str
    colour: str = "#c0392b"
    weight: float = 3.0
    dash: str = ""
    endpoints: bool = False
    legend: str = ""
    label_at: LatLon | None = None


def format_km(km: float) -> str:
    """``149.9 km (93.2 mi)``; whole numbers above 1000 km."""
    mi = km / 1.609344
    if km >= 1000:
        return f"{km:,.0f} km ({mi:,.0f} mi)"
    return f"{km:.1f} km ({mi:.1f} mi)"


def label_point(
    parts: Sequence[Sequence[LatLon]],
    avoid: Sequence[LatLon] = (),
    view: Sequence[Sequence[float]] | None = None,
    label: str = "",
    map_px: int = 600,
) -> LatLon | None:
    """Where a line's label goes: a vertex inside ``view`` ([[s, w], [n, e]]) whose label box (``label`` drawn
    above the point, the view ``map_px`` pixels wide) covers the fewest ``avoid`` points (the pins), nearest the
    middle of the view among those; None for no line."""
    pts = [p for part in parts for p in part]
    if not pts:
        return None
    if view is None:
        lats, lons = [p[0] for p in pts], [p[1] for p in pts]
        view = [[min(lats), min(lons)], [max(lats), max(lons)]]
    (s, w), (n, e) = view
    inside = [p for p in pts if s <= p[0] <= n and w <= p[1] <= e] or pts
    mid = ((s + n) / 2, (w + e) / 2)
    # degrees of longitude per pixel at the zoom Leaflet's fitBounds picks (whole zoom levels, 256-pixel tiles)
    span = max(e - w, (n - s) / max(math.cos(math.radians(mid[0])), 0.2), 1e-6)
    dpp = 360.0 / (256 * 2 ** max(0, math.floor(math.log2(360.0 * map_px / (256 * span)))))
    half_w = (7 * len(label) + 24) / 2 * dpp
    up = 30 * dpp * math.cos(math.radians(mid[0]))

    def covered(p: LatLon) -> int:
        pad = 10 * dpp
        return sum(1 for a in avoid if abs(a[1] - p[1]) <= half_w + pad and p[0] - pad <= a[0] <= p[0] + up + pad)

    return min(inside, key=lambda p: (covered(p), abs(p[0] - mid[0]) + abs(p[1] - mid[1])))


def place_labels(
    lines: Sequence[LineOverlay], avoid: Sequence[LatLon], view: Sequence[Sequence[float]] | None
) -> list[LineOverlay]:
    """The lines with their labels placed clear of the pins and of each other (one label per line geometry).

    A line drawn twice (a claim about the border the article discusses, and the border itself) keeps only its
    last drawing: the claim, whose label says what was measured.
    """
    out: list[LineOverlay] = []
    for ov in lines:
        out = [o for o in out if o.parts is not ov.parts and o.parts != ov.parts]
        out.append(ov)
    taken = list(avoid)
    placed = []
    for ov in out:
        at = ov.label_at or label_point(ov.parts, taken, view, ov.label)
        if at is not None:
            taken.append(at)
        placed.append(replace(ov, label_at=at))
    return placed


def _add_line(fg: folium.FeatureGroup, ov: LineOverlay) -> None:
    longest = max(ov.parts, key=len) if ov.parts else []
    for part in ov.parts:
        if len(part) < 2:
            continue
        line = folium.PolyLine(
            [list(p) for p in geodesy.unwrap_longitudes(part)],  # across 180° the short way
            color=ov.colour,
            weight=ov.weight,
            opacity=0.95,
            dash_array=ov.dash or None,
        )
        line.options["interactive"] = False  # a click on a line must not cost a Streamlit rerun
        if part is longest and ov.label_at is None:
            line.add_child(SafeTooltip(ov.label, permanent=True, direction="top", offset=[0, -6]))
        line.add_to(fg)
    if ov.label_at is not None and longest:
        fg.add_child(LineLabel(ov.label, ov.label_at))
    if ov.endpoints and longest:
        for lat, lon in (longest[0], longest[-1]):
            dot = folium.CircleMarker([lat, lon], radius=4, color=ov.colour, fill=True, fill_opacity=1)
            dot.options["interactive"] = False
            dot.add_to(fg)


def overlay_group(
    *,
    lines: Iterable[LineOverlay] = (),
    select: str | None = None,
    pan: bool = True,
    nonce: int = 0,
    edit: tuple[str, str] = ("off", ""),
) -> folium.FeatureGroup:
    """The feature group ``st_folium`` swaps in without rebuilding the map.

    ``edit`` is the editing mode and the hint shown on the map (:class:`~conflict_map.view.controls.EditState`).
    """
    fg = folium.FeatureGroup(name="Selection", control=False)
    keys = []
    for ov in lines:
        _add_line(fg, ov)
        keys.append(ov.legend)
    fg.add_child(LegendExtra(k for k in keys if k))
    fg.add_child(EditState(*edit))
    if select:
        fg.add_child(SelectPlace(select, pan=pan, nonce=nonce))
    return fg


def pair_overlay(
    a: Place,
    b: Place,
    km: float,
    bearing: float,
    compass: str,
    line: Sequence[LatLon],
    *,
    avoid: Sequence[LatLon] = (),
    view: Sequence[Sequence[float]] | None = None,
) -> LineOverlay:
    """A distance line between two places with its km/mi and bearing label, the label clear of the pins."""
    label = f"{format_km(km)} \u00b7 {bearing:.0f}\u00b0 {compass}"
    inner = list(line)[len(line) // 5 : len(line) - len(line) // 5] or list(line)
    at = label_point([inner], avoid, view, label) if avoid else None
    return LineOverlay(
        [list(line)], label, colour="#c0392b", weight=3, dash="8 6", endpoints=True, legend="distance", label_at=at
    )


def measure_pair(a: Place, b: Place) -> tuple[float, float, str, list[LatLon]]:
    """(km, initial bearing 0-360, 16-point compass, line points) between two places.

    An area end (country, province, river) is the nearest point of its outline: :func:`measure_places` says so.
    """
    m = areas.measure(a, b)
    return m.km, m.bearing, m.compass, m.line


def measure_places(a: Place, b: Place) -> areas.Measured:
    """The measurement between two places with a note on what was measured (see :func:`areas.measure`)."""
    return areas.measure(a, b)
