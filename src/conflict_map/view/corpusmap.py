"""The corpus map: every place across the corpus, sized by the number of articles naming it, clustered.

Thousands of places would make thousands of folium elements (and a slow page); instead the places are
embedded once as a compact JSON array and one script builds circle markers inside a
``L.markerClusterGroup`` (leaflet.markercluster, served locally from ``static/`` like the other libraries).
Popups come from the autoescaped template ``templates/map.html`` and every value is embedded with
:func:`conflict_map.view.render.script_json` (see :mod:`conflict_map.view.render`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import folium
from folium.elements import JSCSSMixin
from folium.template import Template

from conflict_map.store.queries import PlaceSummary
from conflict_map.view import offline
from conflict_map.view.render import SafeMacroElement, html_text, render_macro, script_json

CLUSTER_JS = [("leaflet_markercluster_js", f"{offline.VENDOR}/leaflet.markercluster/leaflet.markercluster.js")]
CLUSTER_CSS = [
    ("leaflet_markercluster_css", f"{offline.VENDOR}/leaflet.markercluster/MarkerCluster.css"),
    (
        "leaflet_markercluster_default_css",
        f"{offline.VENDOR}/leaflet.markercluster/MarkerCluster.Default.css",
    ),
]

KIND_COLOURS = {
    "base": "#1f4e9c",
    "airport": "#1f4e9c",
    "crossing": "#7b3fa0",
    "dam": "#0f7b6c",
    "landmark": "#0f7b6c",
    "province": "#b36b00",
    "region": "#b36b00",
    "country": "#2d6a2d",
    "continent": "#2d6a2d",
    "water": "#2176ae",
}
DEFAULT_COLOUR = "#c0392b"


def marker_radius(n_articles: int, max_articles: int) -> float:
    """Circle radius in pixels: area grows with the article count, 4..22 px."""
    if max_articles <= 1:
        return 6.0
    return round(4 + 18 * math.sqrt(max(n_articles, 1) / max_articles), 1)


def place_label(s: PlaceSummary) -> str:
    """Unique, human label used as the tooltip (and to identify a clicked marker)."""
    p = s.place
    extra = ", ".join(x for x in (p.kind, p.country) if x)
    return f"{p.name} ({extra})" if extra else p.name


def popup_html(s: PlaceSummary) -> str:
    """Popup of a corpus place: name, kind, country, article and mention counts, dates (autoescaped)."""
    p = s.place
    dates = ""
    if s.first_date:
        dates = s.first_date if s.first_date == s.last_date else f"{s.first_date} \u2013 {s.last_date}"
    return render_macro("map.html", "corpus_popup", p.name, p.kind, p.country, s.n_articles, s.n_mentions, dates)


class PlaceCluster(JSCSSMixin, SafeMacroElement):
    """All corpus places as clustered, size-scaled circle markers from one embedded array."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.markerClusterGroup({
            maxClusterRadius: 45, chunkedLoading: true, showCoverageOnHover: false,
            spiderfyOnMaxZoom: true, disableClusteringAtZoom: 11
        });
        (function () {
            var rows = {{ this.js_rows }};
            var layers = [];
            for (var i = 0; i < rows.length; i++) {
                var r = rows[i];
                var m = L.circleMarker([r[0], r[1]], {radius: r[2], color: "#fff", weight: 1.5,
                                                       fillColor: r[3], fillOpacity: 0.85});
                m.bindTooltip(r[4], {direction: "top"});
                m.bindPopup(r[5]);
                m.options.placeId = r[6];
                layers.push(m);
            }
            {{ this.get_name() }}.addLayers(layers);
        })();
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )
    default_js = CLUSTER_JS
    default_css = CLUSTER_CSS

    def __init__(self, places: Sequence[PlaceSummary]) -> None:
        super().__init__()
        self._name = "PlaceCluster"
        top = max((s.n_articles for s in places), default=1)
        rows = [
            [
                round(s.place.lat, 5),
                round(s.place.lon, 5),
                marker_radius(s.n_articles, top),
                KIND_COLOURS.get(s.place.kind, DEFAULT_COLOUR),
                str(html_text(place_label(s))),
                popup_html(s),
                s.place.id,
            ]
            for s in places
        ]
        self.js_rows = script_json(rows)
        self.n = len(rows)


def build_corpus_map(places: Sequence[PlaceSummary], *, height: int = 560) -> folium.Map:
    """The offline corpus map (vector basemap, borders, clustered places)."""
    from conflict_map.view import layers

    pts = [(s.place.lat, s.place.lon) for s in places if s.place.kind not in ("country", "continent")]
    pts = pts or [(s.place.lat, s.place.lon) for s in places]
    m = offline.OfflineMap(
        location=[33.5, 42.0],
        zoom_start=5,
        tiles=None,
        control_scale=True,
        min_zoom=2,
        max_zoom=14,
        world_copy_jump=True,
        height=height,
    )
    # with tiles=None folium does not pass the zoom limits to the map, and markercluster needs maxZoom
    m.options["maxZoom"] = 14
    m.options["minZoom"] = 2
    # the basemap loads by URL after the circles: its own low panes keep the land below them (as on the main map)
    folium.map.CustomPane("cm-land", z_index=250, pointer_events=False).add_to(m)
    folium.map.CustomPane("cm-lines", z_index=350, pointer_events=False).add_to(m)
    layers.countries_layer().add_to(m)
    layers.borders_layer().add_to(m)
    PlaceCluster(places).add_to(m)
    if pts:
        lats = [p[0] for p in pts]
        lons = [p[1] for p in pts]
        m.fit_bounds([[min(lats) - 0.5, min(lons) - 0.5], [max(lats) + 0.5, max(lons) + 0.5]], max_zoom=8)
    return m


def nearest_place(places: Sequence[PlaceSummary], lat: float, lon: float, max_deg: float = 0.05) -> str | None:
    """Id of the place nearest to a clicked point (``None`` when none is within ``max_deg``)."""
    best, best_d = None, max_deg * max_deg
    for s in places:
        d = (s.place.lat - lat) ** 2 + (s.place.lon - lon) ** 2
        if d <= best_d:
            best, best_d = s.place.id, d
    return best
