"""Resolved places -> an offline folium map (markers, popups, borders, distance and claim overlays).

The map is built in two parts so Streamlit can keep it alive between reruns:

* :func:`build_map` - the static part (basemap, borders, provinces, one marker per place). It only
  changes when the article, the corrections or the basemap change.
* :func:`overlay_group` - a ``folium.FeatureGroup`` with what changes on clicks (selected place,
  measured distance, highlighted border, claim geometry). ``st_folium(feature_group_to_add=...)``
  swaps it in the browser without rebuilding the map (which would reset zoom and cost a reload).

Every string that reaches the browser goes through :mod:`conflict_map.view.render`: HTML fragments (popups,
icons) come from autoescaped templates, and every value in the generated JavaScript is
:func:`~conflict_map.view.render.script_json` (no ``<``, ``&``, quote, template brace or line separator survives
inside a string), so article text can not become markup, script or template code. Large GeoJSON
(countries, borders, provinces) is fetched by URL from the app's static folder, not embedded, so it is not
re-sent on every rerun.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import folium
from branca.element import Element

from conflict_map.geo import geodesy
from conflict_map.models import Mention, Place
from conflict_map.view import offline
from conflict_map.view.elements import (
    LAND_COLOUR,
    MAP_CSS,
    FitBounds,
    PlaceMarker,
    SafeTooltip,
    SelectPlace,
    UrlGeoJson,
    VectorMiniMap,
)
from conflict_map.view.render import html_text, render_macro

LatLon = tuple[float, float]

#: Marker families: kind -> (family, colour, glyph, label). Families drive the CSS class.
KIND_STYLE: dict[str, tuple[str, str, str, str]] = {
    "city": ("town", "#c0392b", "", "town"),
    "town": ("town", "#c0392b", "", "town"),
    "village": ("town", "#c0392b", "", "village"),
    "district": ("town", "#c0392b", "", "district"),
    "base": ("base", "#1f4e9c", "\u2708", "air base"),
    "airport": ("base", "#1f4e9c", "\u2708", "airfield"),
    "crossing": ("crossing", "#7b3fa0", "\u2194", "border crossing"),
    "dam": ("landmark", "#0f7b6c", "\u25b2", "dam"),
    "landmark": ("landmark", "#0f7b6c", "\u25b2", "landmark"),
    "province": ("province", "#b36b00", "P", "province"),
    "region": ("province", "#b36b00", "R", "region"),
    "country": ("country", "#2d6a2d", "C", "country"),
    "continent": ("country", "#2d6a2d", "C", "continent"),
    "water": ("water", "#2176ae", "~", "water"),
}
DEFAULT_STYLE = ("town", "#c0392b", "", "place")

#: Below this resolver confidence a place is drawn as uncertain (dashed ring, "?" in the popup).
LOW_CONFIDENCE = 0.5

#: Web tile layers the user may turn on (they need the internet; the vector basemap stays below).
WEB_TILES: dict[str, tuple[str, str]] = {
    "OpenStreetMap": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors",
    ),
    "Satellite": (
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "Tiles &copy; Esri",
    ),
}


def kind_style(kind: str) -> tuple[str, str, str, str]:
    """(family, colour, glyph, label) for a place kind."""
    return KIND_STYLE.get(kind, DEFAULT_STYLE)


@dataclass(slots=True)
class MapPlace:
    """One marker: a place, the mentions that name it, and how sure the resolver is."""

    place: Place
    mentions: list[Mention] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        return max((m.confidence for m in self.mentions), default=1.0)

    @property
    def uncertain(self) -> bool:
        return bool(self.mentions) and self.confidence < LOW_CONFIDENCE


def map_places(resolved: Mapping[str, tuple[Place, list[Mention]]]) -> list[MapPlace]:
    """``ParseResult.resolved_places()`` -> list of :class:`MapPlace` in first-mention order."""
    return [MapPlace(p, list(ms)) for p, ms in resolved.values()]


def tooltip_keys(places: Sequence[MapPlace]) -> dict[str, str]:
    """Unique tooltip text per place id (the key a marker click is identified by).

    Two places with the same name get the kind / country appended.
    """
    counts: dict[str, int] = {}
    for mp in places:
        counts[mp.place.name] = counts.get(mp.place.name, 0) + 1
    out: dict[str, str] = {}
    seen: set[str] = set()
    for mp in places:
        p = mp.place
        key = p.name
        if counts[p.name] > 1:
            key = f"{p.name} ({kind_style(p.kind)[3]}, {p.country or '?'})"
        n = 2
        base = key
        while key in seen:
            key = f"{base} #{n}"
            n += 1
        seen.add(key)
        out[p.id] = key
    return out


def excerpt_parts(m: Mention, width: int = 170) -> tuple[str, str, str]:
    """(before, mention, after) of a mention's sentence, whitespace folded, trimmed around the mention."""
    sent = m.sentence or m.text
    rel = m.start - m.sentence_start if m.sentence else 0
    if not (0 <= rel <= len(sent) and sent[rel : rel + len(m.text)] == m.text):
        rel = sent.find(m.text)
    if rel < 0:
        return re.sub(r"\s+", " ", sent), "", ""
    pre, mid, post = sent[:rel], sent[rel : rel + len(m.text)], sent[rel + len(m.text) :]
    half = max(40, (width - len(mid)) // 2)
    if len(pre) > half:
        pre = "\u2026" + pre[-half:].lstrip()
    if len(post) > half:
        post = post[:half].rstrip() + "\u2026"
    return re.sub(r"\s+", " ", pre), mid, re.sub(r"\s+", " ", post)


def excerpt_html(m: Mention, width: int = 170) -> str:
    """The sentence of a mention as HTML text with the mention itself in ``<mark>``; trimmed around it."""
    pre, mid, post = excerpt_parts(m, width)
    if not mid:
        return str(html_text(pre))
    return render_macro("map.html", "excerpt", pre, mid, post)


def popup_html(mp: MapPlace, max_excerpts: int = 3, extra: str = "") -> str:
    """Popup content: name, kind, where, mention count, quoted sentences (autoescaped template).

    ``extra`` is HTML this package rendered itself (never user text).
    """
    import markupsafe

    p = mp.place
    _family, _, _, label = kind_style(p.kind)
    where = ", ".join(x for x in (p.province, p.country) if x)
    first_of: dict[str, Mention] = {}
    for m in mp.mentions:
        first_of.setdefault(m.sentence or m.text, m)
    excerpts = [excerpt_parts(m) for m in list(first_of.values())[:max_excerpts]]
    return render_macro(
        "map.html",
        "popup",
        p,
        label,
        where,
        len(mp.mentions),
        mp.uncertain,
        mp.confidence,
        excerpts,
        len(first_of) - max_excerpts,
        markupsafe.Markup(extra),
    )


def icon_html(mp: MapPlace, selected: bool = False) -> tuple[str, str, int]:
    """(inner html, css class, size px) of a place's DivIcon."""
    family, colour, glyph, _ = kind_style(mp.place.kind)
    size = {"country": 24, "province": 22, "base": 22}.get(family, 18)
    cls = f"cm-marker cm-{family}" + (" cm-uncertain" if mp.uncertain else "") + (" cm-selected" if selected else "")
    return render_macro("map.html", "icon", mp.place.id, colour, glyph), cls, size


# --- overlays ------------------------------------------------------------------------------------


@dataclass(slots=True)
class LineOverlay:
    """A measured line: geometry (one or more lat/lon parts), colour and a label.

    Used for a geodesic distance, a highlighted shared border or a claim's geometry.
    """

    parts: list[list[LatLon]]
    label: str
    colour: str = "#c0392b"
    weight: float = 3.0
    dash: str = ""
    endpoints: bool = False


def format_km(km: float) -> str:
    """``149.9 km (93.2 mi)``; whole numbers above 1000 km."""
    mi = km / 1.609344
    if km >= 1000:
        return f"{km:,.0f} km ({mi:,.0f} mi)"
    return f"{km:.1f} km ({mi:.1f} mi)"


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
        if part is longest:
            line.add_child(SafeTooltip(ov.label, permanent=True, direction="top", offset=[0, -6]))
        line.add_to(fg)
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
) -> folium.FeatureGroup:
    """The feature group ``st_folium`` swaps in without rebuilding the map."""
    fg = folium.FeatureGroup(name="Selection", control=False)
    for ov in lines:
        _add_line(fg, ov)
    if select:
        fg.add_child(SelectPlace(select, pan=pan, nonce=nonce))
    return fg


# --- the map -------------------------------------------------------------------------------------


def fit_bounds(places: Sequence[MapPlace], pad_deg: float = 0.6) -> list[list[float]] | None:
    """South-west / north-east corners around the non-country places (all places if none)."""
    pts = [(mp.place.lat, mp.place.lon) for mp in places if kind_style(mp.place.kind)[0] != "country"]
    if not pts:
        pts = [(mp.place.lat, mp.place.lon) for mp in places]
    if not pts:
        return None
    lats = [p[0] for p in pts]
    lons = [p[1] for p in pts]
    return [[min(lats) - pad_deg, min(lons) - pad_deg], [max(lats) + pad_deg, max(lons) + pad_deg]]


def build_map(
    places: Sequence[MapPlace],
    *,
    basemap: str = "vector",
    selected: str | None = None,
    provinces: bool = True,
    height: int = 600,
) -> folium.Map:
    """The static map: vector basemap (+ optional web tiles), borders, provinces and markers.

    ``basemap`` is ``"vector"`` (offline, default) or a key of :data:`WEB_TILES`; with web tiles
    the vector layers stay below them, so the map still shows land and borders when tiles fail.
    """
    bounds = fit_bounds(places)
    centre = [33.5, 42.0] if bounds is None else [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    m = offline.BundledMap(
        location=centre,
        zoom_start=6,
        tiles=None,
        control_scale=True,
        min_zoom=2,
        max_zoom=14,
        prefer_canvas=False,
        world_copy_jump=True,
        height=height,
    )
    m.get_root().header.add_child(Element(MAP_CSS), name="cm_css")
    m.options["attributionControl"] = True
    if basemap in WEB_TILES:
        url, attr = WEB_TILES[basemap]
        folium.TileLayer(url, attr=attr, name=basemap, max_zoom=18, overlay=False, control=False).add_to(m)
    # basemap layers load asynchronously: their own panes keep them below the overlays whatever the order
    # with web tiles the land sits *below* the tile pane (200): if the tiles fail offline, the vector map shows
    land_z = 150 if basemap in WEB_TILES else 250
    folium.map.CustomPane("cm-land", z_index=land_z, pointer_events=False).add_to(m)
    folium.map.CustomPane("cm-lines", z_index=350, pointer_events=False).add_to(m)
    UrlGeoJson(
        offline.COUNTRIES_URL,
        "Countries",
        {
            "color": "#b9b2a0",
            "weight": 0.4,
            "fillColor": LAND_COLOUR,
            "fillOpacity": 1.0,
        },
        interactive=False,
        control=False,
        pane="cm-land",
        canvas=True,
    ).add_to(m)
    countries = list(dict.fromkeys(mp.place.country for mp in places if mp.place.country))
    for iso in countries if provinces else []:
        url = offline.provinces_url(iso)
        if url is None:
            continue
        UrlGeoJson(
            url,
            f"Provinces ({iso})",
            {
                "color": "#b36b00",
                "weight": 0.8,
                "opacity": 0.55,
                "fillColor": "#e8c98f",
                "fillOpacity": 0.12,
                "dashArray": "3 3",
            },
            interactive=False,
            label_property="name",
            label_options={"permanent": True, "direction": "center", "className": "cm-prov-label"},
            pane="cm-lines",
        ).add_to(m)
    UrlGeoJson(
        offline.BORDERS_URL,
        "International borders",
        {"color": "#6b5b73", "weight": 1.4, "opacity": 0.9, "dashArray": "6 3 1 3"},
        interactive=False,
        pane="cm-lines",
    ).add_to(m)

    keys = tooltip_keys(places)
    markers = folium.FeatureGroup(name="Places", overlay=True, control=True)
    for i, mp in enumerate(places):
        inner, cls, size = icon_html(mp, selected=mp.place.id == selected)
        family = kind_style(mp.place.kind)[0]
        PlaceMarker(
            mp.place.id,
            (mp.place.lat, mp.place.lon),
            tooltip=keys[mp.place.id],
            popup=popup_html(mp),
            icon=inner,
            css_class=cls,
            size=size,
            title=mp.place.name,
            z={"country": -300, "province": -200}.get(family, 0) + (len(places) - i),
        ).add_to(markers)
    markers.add_to(m)

    offline.BundledMeasureControl(
        position="topleft", primary_length_unit="kilometers", secondary_length_unit="miles"
    ).add_to(m)
    offline.BundledFullscreen(position="topleft").add_to(m)
    VectorMiniMap().add_to(m)
    folium.LayerControl(position="topright", collapsed=True).add_to(m)
    if bounds is not None:
        FitBounds(bounds, max_zoom=9).add_to(m)
    return m


def pair_overlay(a: Place, b: Place, km: float, bearing: float, compass: str, line: Sequence[LatLon]) -> LineOverlay:
    """A distance line between two places with its km/mi and bearing label."""
    label = f"{format_km(km)} \u00b7 {bearing:.0f}\u00b0 {compass}"
    return LineOverlay([list(line)], label, colour="#c0392b", weight=3, dash="8 6", endpoints=True)


def measure_pair(a: Place, b: Place) -> tuple[float, float, str, list[LatLon]]:
    """(km, initial bearing 0-360, 16-point compass, geodesic line points) between two places."""
    d = geodesy.distance(a.lat, a.lon, b.lat, b.lon)
    line = geodesy.geodesic_line(a.lat, a.lon, b.lat, b.lon, spacing_km=5.0)
    return d.km, d.azimuth, d.compass, line
