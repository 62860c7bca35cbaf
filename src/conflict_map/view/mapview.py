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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import folium

from conflict_map.models import Mention, Place
from conflict_map.view import layers, offline
from conflict_map.view.areas import AreaShape, area_shape, is_area
from conflict_map.view.controls import MapBehaviour, TownLabels
from conflict_map.view.elements import (
    AreaLayer,
    FitBounds,
    PlaceMarker,
    UrlGeoJson,
    VectorMiniMap,
)
from conflict_map.view.extent import Point, bounds_of, lone_far_places, union_bounds
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
    """One place on the map: the place, the mentions that name it, how sure the resolver is, and whether it is a
    lone far reading."""

    place: Place
    mentions: list[Mention] = field(default_factory=list)
    far_km: float | None = None  # a lone far reading: km from the centre of the article's places

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


def popup_html(mp: MapPlace, max_excerpts: int = 3, extra: str = "", area_note: str = "") -> str:
    """Popup content: name, kind, where, mention count, quoted sentences (autoescaped template).

    ``extra`` is HTML this package rendered itself (never user text); ``area_note`` says how an area is drawn.
    """
    import markupsafe

    p = mp.place
    _family, _, _, label = kind_style(p.kind)
    where = ", ".join(x for x in (p.province, p.country) if x and x != p.name)
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
        mp.far_km,
        area_note,
    )


def icon_html(mp: MapPlace, selected: bool = False) -> tuple[str, str, int]:
    """(inner html, css class, size px) of a place's DivIcon (``data-place`` and ``data-kind`` on it)."""
    family, colour, glyph, _ = kind_style(mp.place.kind)
    size = {"country": 24, "province": 22, "base": 22}.get(family, 18)
    cls = (
        f"cm-marker cm-{family}"
        + (" cm-uncertain" if mp.uncertain else "")
        + (" cm-far" if mp.far_km else "")
        + (" cm-selected" if selected else "")
    )
    return render_macro("map.html", "icon", mp.place.id, mp.place.kind, colour, glyph), cls, size


# --- what the map shows --------------------------------------------------------------------------


@dataclass(slots=True)
class MapPlan:
    """The article's places as the map draws them.

    ``places`` in first-mention order, lone far readings flagged (``far_km``); ``pins`` the point places,
    ``areas`` each area with its :class:`~conflict_map.view.areas.AreaShape`; ``bounds`` the view (the pins of
    the main cluster, else the areas); ``detail`` the countries shown in detail (provinces, rivers, towns).
    """

    places: list[MapPlace]
    pins: list[MapPlace]
    areas: list[tuple[MapPlace, AreaShape]]
    bounds: list[list[float]] | None
    detail: list[str]

    @property
    def far(self) -> dict[str, float]:
        """``{place id: km from the centre}`` of the lone far readings."""
        return {mp.place.id: mp.far_km for mp in self.places if mp.far_km}


def plan_map(places: Sequence[MapPlace], pad_deg: float = 0.6) -> MapPlan:
    """Split the places into pins and areas, flag lone far readings and choose the view (see :mod:`extent`)."""
    pins_in = [mp for mp in places if not is_area(mp.place)]
    cluster = lone_far_places([Point(mp.place.id, mp.place.lat, mp.place.lon, len(mp.mentions)) for mp in pins_in])
    out = [replace(mp, far_km=cluster.far.get(mp.place.id)) for mp in places]
    pins = [mp for mp in out if not is_area(mp.place)]
    shapes = [(mp, area_shape(mp.place)) for mp in out if is_area(mp.place)]
    area_list = [(mp, s) for mp, s in shapes if s is not None]
    near = [mp for mp in pins if not mp.far_km]
    bounds = bounds_of([(mp.place.lat, mp.place.lon) for mp in near], pad_deg)
    if bounds is None:
        drawn = [s.bounds for _mp, s in area_list if s.bounds and s.kind != "river"]
        bounds = union_bounds(drawn) or bounds_of([s.label for _mp, s in area_list], pad_deg=2.0)
    detail = [mp.place.country for mp in near if mp.place.country]
    if not detail:
        detail = [mp.place.country for mp, s in area_list if mp.place.country and s.kind in ("country", "province")]
    return MapPlan(out, pins, area_list, bounds, list(dict.fromkeys(detail)))


def fit_bounds(places: Sequence[MapPlace], pad_deg: float = 0.6) -> list[list[float]] | None:
    """South-west / north-east corners of the map's view: the main cluster of point places (see :func:`plan_map`)."""
    return plan_map(places, pad_deg).bounds


# --- the map -------------------------------------------------------------------------------------

_COUNTRY = {"color": "#2d6a2d", "weight": 2, "opacity": 0.8, "fillColor": "#2d6a2d", "fillOpacity": 0.07}
_PROVINCE = {"color": "#b36b00", "weight": 2, "opacity": 0.85, "dashArray": "6 4", "fillColor": "#e0a040"}
#: Area kind -> (style, fill opacity while selected; None for lines).
AREA_STYLE: dict[str, tuple[dict[str, object], float | None]] = {
    "country": (_COUNTRY, 0.16),
    "province": ({**_PROVINCE, "fillOpacity": 0.1}, 0.22),
    "river": ({"color": "#1f6fb5", "weight": 5, "opacity": 0.55, "lineCap": "round"}, None),
}


def _base_map(bounds: list[list[float]] | None, basemap: str, height: int) -> folium.Map:
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
    m.options["attributionControl"] = True
    if basemap in WEB_TILES:
        url, attr = WEB_TILES[basemap]
        folium.TileLayer(url, attr=attr, name=basemap, max_zoom=18, overlay=False, control=False).add_to(m)
    # basemap layers load asynchronously: their own panes keep them below the overlays whatever the order
    # with web tiles the land sits *below* the tile pane (200): if the tiles fail offline, the vector map shows
    land_z = 150 if basemap in WEB_TILES else 250
    for pane, z in (("cm-land", land_z), ("cm-lines", 350), ("cm-areas", 360), ("cm-towns", 450)):
        folium.map.CustomPane(pane, z_index=z, pointer_events=False).add_to(m)
    folium.map.CustomPane("cm-area-labels", z_index=560, pointer_events=True).add_to(m)
    layers.countries_layer().add_to(m)
    return m


def _context_layers(m: folium.Map, plan: MapPlan, *, provinces: bool, context: bool) -> list[str]:
    """Provinces, rivers and town labels of the countries shown in detail, and the borders; the legend keys."""
    keys = ["borders"]
    named = [s for _mp, s in plan.areas if s.kind == "province" and s.drawn]
    for iso in plan.detail if provinces else []:
        url = offline.provinces_url(iso)
        if url is None:
            continue
        keys.append("provinces")
        UrlGeoJson(
            url,
            f"Provinces ({iso})",
            {"color": "#b36b00", "weight": 0.8, "opacity": 0.5, "fill": False, "dashArray": "3 3"},
            interactive=False,
            label_property="name",
            label_options={"permanent": True, "direction": "center", "className": "cm-prov-label"},
            pane="cm-lines",
            skip_labels=(named[0].key, [s.value for s in named if s.key == named[0].key]) if named else ("", ()),
        ).add_to(m)
    if context:
        river_urls = [u for u in (layers.rivers_url(iso) for iso in plan.detail) if u] or [layers.rivers_url()]
        for url in (u for u in river_urls if u):
            keys.append("rivers")
            UrlGeoJson(url, "Rivers", {"color": "#7fb3de", "weight": 1.3, "opacity": 0.9}, pane="cm-lines").add_to(m)
        pins = [(mp.place.lat, mp.place.lon) for mp in plan.pins]
        ids = [mp.place.id for mp in plan.places]
        town_urls = [u for u in (layers.towns_url(iso) for iso in plan.detail) if u] or [layers.towns_url()]
        for url in (u for u in town_urls if u):
            keys.append("towns")
            TownLabels(url, skip=ids, pins=pins).add_to(m)
    layers.borders_layer().add_to(m)
    return keys


def _add_areas(m: folium.Map, plan: MapPlan, keys: Mapping[str, str], selected: str | None) -> list[str]:
    """Each area as its outline or line (when known) and its name as a label; the legend keys."""
    legend = []
    group = folium.FeatureGroup(name="Areas named", overlay=True, control=True)
    for mp, shape in plan.areas:
        note = AREA_NOTE.get(shape.kind if shape.drawn else "label", "")
        if shape.drawn and shape.url:
            style, strong_fill = AREA_STYLE.get(shape.kind, AREA_STYLE["country"])
            strong = {**style, "weight": style["weight"] + 2, "opacity": 1.0}
            if strong_fill is not None:
                strong["fillOpacity"] = strong_fill
            AreaLayer(mp.place.id, shape.url, shape.key, shape.value, style, strong).add_to(group)
        kind = shape.kind if shape.drawn else "label"
        legend.append(kind)
        css = f"cm-area-label cm-area-{kind}" + (" cm-area-label-only" if not shape.drawn else "")
        PlaceMarker(
            mp.place.id,
            shape.label_near(plan.bounds),
            tooltip=keys[mp.place.id],
            popup=popup_html(mp, area_note=note),
            icon=render_macro("map.html", "area_label", mp.place.id, mp.place.kind, mp.place.name),
            css_class=css + (" cm-selected" if mp.place.id == selected else ""),
            size=0,
            title=mp.place.name,
            pane="cm-area-labels",
        ).add_to(group)
    group.add_to(m)
    return legend


AREA_NOTE = {
    "country": "Drawn as the country's outline.",
    "province": "Drawn as the province's outline.",
    "river": "Drawn as the river's course.",
    "label": "No outline on this map: the name marks the gazetteer's point.",
}


def _add_pins(m: folium.Map, plan: MapPlan, keys: Mapping[str, str], selected: str | None) -> list[str]:
    """One pin per point place (``data-place``, ``data-kind``); the legend keys."""
    legend: list[str] = []
    markers = folium.FeatureGroup(name="Places", overlay=True, control=True)
    for i, mp in enumerate(plan.pins):
        inner, cls, size = icon_html(mp, selected=mp.place.id == selected)
        legend += [kind_style(mp.place.kind)[0]] + ["uncertain"] * mp.uncertain + ["far"] * bool(mp.far_km)
        PlaceMarker(
            mp.place.id,
            (mp.place.lat, mp.place.lon),
            tooltip=keys[mp.place.id],
            popup=popup_html(mp),
            icon=inner,
            css_class=cls,
            size=size,
            title=mp.place.name,
            z=len(plan.pins) - i,
        ).add_to(markers)
    markers.add_to(m)
    return legend


def build_map(
    places: Sequence[MapPlace],
    *,
    basemap: str = "vector",
    selected: str | None = None,
    provinces: bool = True,
    height: int = 600,
    plan: MapPlan | None = None,
    view: tuple[float, float, int] | None = None,
    share: bool = False,
    context: bool = True,
    preview: bool = False,
) -> folium.Map:
    """The static map: vector basemap (+ optional web tiles), borders, context layers, areas and pins.

    ``basemap`` is ``"vector"`` (offline, default) or a key of :data:`WEB_TILES`; with web tiles
    the vector layers stay below them, so the map still shows land and borders when tiles fail.
    Countries, provinces, rivers, seas and regions are areas (outlines, lines or names), never pins;
    ``view`` (lat, lon, zoom) replaces the fitted view (a shared link); ``share`` keeps the reader's view
    in the page address; ``context`` adds rivers and town labels; ``preview`` shows a clicked place selected in
    the page at once (see :class:`~conflict_map.view.controls.MapBehaviour`).
    """
    plan = plan or plan_map(places)
    m = _base_map(plan.bounds, basemap, height)
    legend = _context_layers(m, plan, provinces=provinces, context=context)
    keys = tooltip_keys(plan.places)
    legend += _add_areas(m, plan, keys, selected)
    legend += _add_pins(m, plan, keys, selected)
    offline.BundledMeasureControl(
        position="topleft", primary_length_unit="kilometers", secondary_length_unit="miles"
    ).add_to(m)
    offline.BundledFullscreen(position="topleft").add_to(m)
    VectorMiniMap().add_to(m)
    folium.LayerControl(position="topright", collapsed=True).add_to(m)
    if plan.bounds is not None or view is not None:
        FitBounds(plan.bounds, max_zoom=9, view=view).add_to(m)
    MapBehaviour(legend, share=share, restored=view is not None, preview=preview).add_to(m)
    return m
