"""What the map draws on top and changes on clicks: measured lines, the selected place, the editing mode.

:func:`overlay_group` builds the ``folium.FeatureGroup`` that ``st_folium(feature_group_to_add=...)`` swaps in
the browser without rebuilding the map. A line's label goes where it covers no pin (:func:`label_point`):
the distance label at the point of the line farthest from every pin, a border's label at the part of the
border nearest the middle of the view, so it is never cut off at the map's edge.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
) -> LatLon | None:
    """Where a line's label goes: a vertex inside ``view`` ([[s, w], [n, e]]) as far as possible from the
    ``avoid`` points (the pins), preferring the middle of the view; None for no line."""
    pts = [p for part in parts for p in part]
    if not pts:
        return None
    if view is not None:
        (s, w), (n, e) = view
        inside = [p for p in pts if s <= p[0] <= n and w <= p[1] <= e]
        pts = inside or pts
        mid = ((s + n) / 2, (w + e) / 2)
        span = max(n - s, e - w, 1e-6)
    else:
        mid, span = pts[len(pts) // 2], 1.0

    def score(p: LatLon) -> float:
        clear = min((abs(p[0] - a[0]) + abs(p[1] - a[1]) for a in avoid), default=span)
        centred = abs(p[0] - mid[0]) + abs(p[1] - mid[1])
        return min(clear, span * 0.08) - 0.25 * centred

    return max(pts, key=score)


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
    at = label_point([inner], avoid, view) if avoid else None
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
