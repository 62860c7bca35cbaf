"""The folium elements of the dashboard's maps: markers, GeoJSON layers fetched by URL, tooltips, view fitting.

Every element that carries user text derives from :class:`~conflict_map.view.render.SafeMacroElement` and puts
that text into its script as :func:`~conflict_map.view.render.script_json` (or as HTML rendered by an autoescaped
template, itself passed through ``script_json``): article text never becomes markup, script or template source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
from folium.elements import JSCSSMixin
from folium.template import Template

from conflict_map.view import offline
from conflict_map.view.render import SafeMacroElement, html_text, script_json

LatLon = tuple[float, float]

SEA_COLOUR = "#cfe1ec"
LAND_COLOUR = "#f4f1e8"


class PlaceMarker(SafeMacroElement):
    """A DivIcon marker with an escaped tooltip and popup, registered in ``window.cmMarkers[id]``.

    Unlike ``folium.Marker`` + ``folium.Popup`` it needs neither jQuery nor JS template literals. With a
    ``pane`` it is an area's name (a label in its own pane below the pins, never a pin).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.marker({{ this.js_location }}, {
            icon: L.divIcon({html: {{ this.js_icon }}, className: {{ this.js_class }},
                             iconSize: [{{ this.size }}, {{ this.size }}],
                             iconAnchor: [{{ this.size // 2 }}, {{ this.size // 2 }}],
                             popupAnchor: [0, {{ -(this.size // 2) }}],
                             tooltipAnchor: [0, {{ -(this.size // 2) }}]}),
            title: {{ this.js_title }}, alt: {{ this.js_title }}, riseOnHover: true,
            {% if this.pane %}pane: {{ this.js_pane }}, cmArea: true,{% endif %}
            zIndexOffset: {{ this.z }}
        }).addTo({{ this._parent.get_name() }});
        {{ this.get_name() }}.bindTooltip({{ this.js_tooltip }}, {direction: "top"});
        {{ this.get_name() }}.bindPopup({{ this.js_popup }},
                                        {maxWidth: 340, minWidth: 220, autoPanPadding: [20, 20]});
        window.cmMarkers = window.cmMarkers || {};
        window.cmMarkers[{{ this.js_id }}] = {{ this.get_name() }};
        {% endmacro %}
        """
    )

    def __init__(
        self,
        place_id: str,
        location: LatLon,
        tooltip: str,
        popup: str,
        icon: str,
        css_class: str,
        size: int,
        title: str,
        z: int = 0,
        pane: str = "",
    ) -> None:
        super().__init__()
        self._name = "PlaceMarker"
        self.pane = pane
        self.js_pane = script_json(pane)
        self.location = [float(location[0]), float(location[1])]
        self.js_location = script_json(self.location)
        self.js_tooltip = script_json(str(html_text(tooltip)))
        self.js_popup = script_json(popup)
        self.js_icon = script_json(icon)
        self.js_class = script_json(css_class)
        self.js_title = script_json(title)
        self.js_id = script_json(place_id)
        self.size = int(size)
        self.z = int(z)
        self.tooltip_text = tooltip

    def _get_self_bounds(self) -> list[list[float]]:
        return [self.location, self.location]


class UrlGeoJson(folium.map.Layer, SafeMacroElement):
    """A GeoJSON layer fetched by URL (``fetch``, no jQuery) and styled by fixed options.

    ``label_property`` binds each feature's property as a tooltip (a text node: never markup), except for the
    features whose ``skip_labels[0]`` property is one of ``skip_labels[1]`` (named by the map already).
    ``canvas`` draws the layer on a canvas instead of as SVG paths: much cheaper for large, static,
    non-interactive layers such as the world's countries (ten readers' browsers on one small machine).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON(null, {
            style: function (f) { return {{ this.js_style }}; },
            interactive: {{ this.js_interactive }},
            {% if this.pane %}pane: {{ this.js_pane }},{% endif %}
            {% if this.canvas %}
            renderer: L.canvas({padding: 0.5{% if this.pane %}, pane: {{ this.js_pane }}{% endif %}}),
            {% endif %}
            onEachFeature: function (f, layer) {
                var p = f.properties || {};
                {% if this.label_property %}
                var v = p[{{ this.js_label }}], skip = {{ this.js_skip }};
                if (v && !(skip[0] && skip[1].indexOf(String(p[skip[0]])) >= 0)) {
                    var d = document.createElement("span"); d.textContent = String(v);
                    layer.bindTooltip(d, {{ this.js_label_options }});
                }
                {% endif %}
            }
        });
        fetch({{ this.js_url }}).then(function (r) { return r.ok ? r.json() : null; })
            .then(function (d) { if (d) { {{ this.get_name() }}.addData(d); } })
            .catch(function (e) { console.warn("conflict-map: layer not loaded", e); });
        {% endmacro %}
        """
    )

    def __init__(
        self,
        url: str,
        name: str,
        style: Mapping[str, Any],
        *,
        interactive: bool = False,
        label_property: str = "",
        label_options: Mapping[str, Any] | None = None,
        overlay: bool = True,
        show: bool = True,
        control: bool = True,
        pane: str = "",
        canvas: bool = False,
        skip_labels: tuple[str, Sequence[str]] = ("", ()),
    ) -> None:
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self._name = "UrlGeoJson"
        self.js_skip = script_json([skip_labels[0], [str(v) for v in skip_labels[1]]])
        self.canvas = canvas
        self.url = url
        self.js_url = script_json(url)
        self.js_style = script_json(dict(style))
        self.js_interactive = "true" if interactive else "false"
        self.label_property = label_property
        self.js_label = script_json(label_property)
        self.js_label_options = script_json(dict(label_options or {"sticky": True}))
        self.pane = pane
        self.js_pane = script_json(pane)


class VectorMiniMap(JSCSSMixin, SafeMacroElement):
    """leaflet-minimap showing the offline country polygons (no tiles)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }}_layer = L.geoJSON(null, {style: function () { return {{ this.js_style }}; },
                                                             interactive: false, renderer: L.canvas()});
        fetch({{ this.js_url }}).then(function (r) { return r.ok ? r.json() : null; })
            .then(function (d) { if (d) { {{ this.get_name() }}_layer.addData(d); } })
            .catch(function () {});
        var {{ this.get_name() }} = new L.Control.MiniMap({{ this.get_name() }}_layer, {
            toggleDisplay: true, position: "bottomright", width: 130, height: 110,
            zoomLevelOffset: -5, minimized: false, aimingRectOptions: {color: "#c0392b", weight: 1}
        });
        {{ this._parent.get_name() }}.addControl({{ this.get_name() }});
        {{ this.get_name() }}._miniMap.getContainer().style.background = {{ this.js_sea }};
        {% endmacro %}
        """
    )
    default_js: list[tuple[str, str]] = []  # in offline.BundledMap's script
    default_css = offline.MINIMAP_CSS

    def __init__(self, url: str = offline.COUNTRIES_LITE_URL) -> None:
        super().__init__()
        self._name = "VectorMiniMap"
        self.js_url = script_json(url)
        self.js_style = script_json({"color": "#999", "weight": 0.5, "fillColor": LAND_COLOUR, "fillOpacity": 1})
        self.js_sea = script_json(SEA_COLOUR)


class SafeTooltip(SafeMacroElement):
    """``bindTooltip`` with text (escaped, JSON-embedded) on the parent layer."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindTooltip({{ this.js_text }}, {{ this.js_options }});
        {% if this.open %}{{ this._parent.get_name() }}.openTooltip();{% endif %}
        {% endmacro %}
        """
    )

    def __init__(self, text: str, permanent: bool = False, **options: Any) -> None:
        super().__init__()
        self._name = "SafeTooltip"
        self.js_text = script_json(str(html_text(text)))
        opts = {"permanent": permanent, "className": "cm-label", "direction": "center", **options}
        self.js_options = script_json(opts)
        self.open = permanent


class FitBounds(SafeMacroElement):
    """Fit the map to the places (or show a shared ``view``), again when the frame is resized before the user moves it.

    streamlit-folium sizes its iframe after the map is created (``use_container_width``), so a
    one-off ``fitBounds`` would be computed for the wrong size. ``window.cmTouched`` records that the reader
    moved the map (then nothing refits it).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var b = {{ this.js_bounds }}, v = {{ this.js_view }}, opts = {maxZoom: {{ this.max_zoom }}};
            window.cmTouched = false;
            var touch = function () { window.cmTouched = true; };
            map.on("dragstart", touch);
            ["wheel", "touchstart", "dblclick"].forEach(function (ev) {
                map.getContainer().addEventListener(ev, touch, {passive: true});
            });
            var fit = function () {
                if (v) { map.setView([v[0], v[1]], v[2]); } else if (b) { map.fitBounds(b, opts); }
            };
            fit();
            var refit = function () { if (!window.cmTouched) { map.invalidateSize(); fit(); } };
            window.addEventListener("resize", refit);
            setTimeout(refit, 60);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        bounds: Sequence[Sequence[float]] | None,
        max_zoom: int = 9,
        view: tuple[float, float, int] | None = None,
    ) -> None:
        super().__init__()
        self._name = "FitBounds"
        self.js_bounds = script_json([[float(x) for x in corner] for corner in bounds] if bounds else None)
        self.js_view = script_json([float(view[0]), float(view[1]), int(view[2])] if view else None)
        self.max_zoom = int(max_zoom)


class SelectPlace(SafeMacroElement):
    """Opens the popup of ``window.cmMarkers[place_id]`` and optionally brings it into view.

    An area (its outline in ``window.cmAreas[place_id]``) is highlighted and, with ``pan``, fitted.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var id = {{ this.js_id }}, mk = (window.cmMarkers || {})[{{ this.js_id }}];
            var map = window.map || null, areas = window.cmAreas || {};
            if (!mk) { return; }
            Object.values(window.cmMarkers).forEach(function (o) {
                var el = o.getElement && o.getElement(); if (el) { el.classList.remove("cm-selected"); }
            });
            Object.keys(areas).forEach(function (k) { areas[k].cmSelect(k === id); });
            var el = mk.getElement && mk.getElement(); if (el) { el.classList.add("cm-selected"); }
            {% if this.pan %}
            var area = areas[id], b = area && area.getLayers().length ? area.getBounds() : null;
            if (map && b && b.isValid()) { map.fitBounds(b, {maxZoom: {{ this.zoom }}, padding: [20, 20]}); }
            else if (map) { map.setView(mk.getLatLng(), Math.max(map.getZoom(), {{ this.zoom }})); }
            {% endif %}
            mk.openPopup();
            /* nonce {{ this.nonce }} */
        })();
        {% endmacro %}
        """
    )

    def __init__(self, place_id: str, pan: bool = True, zoom: int = 7, nonce: int = 0) -> None:
        super().__init__()
        self._name = "SelectPlace"
        self.js_id = script_json(place_id)
        self.pan = pan
        self.zoom = int(zoom)
        self.nonce = int(nonce)


class AreaLayer(SafeMacroElement):
    """An area named in the article: the features of a static GeoJSON file whose ``key`` property is ``value``.

    A country or province is drawn as a shaded outline, a river as a wide line; the layer is registered in
    ``window.cmAreas[place_id]`` with ``cmSelect(on)`` to strengthen it while its place is selected.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        cmMap.area({{ this._parent.get_name() }}, {{ this.js_id }}, fetch({{ this.js_url }}), {{ this.js_key }},
                   {{ this.js_value }}, {{ this.js_style }}, {{ this.js_strong }});
        {% endmacro %}
        """
    )

    def __init__(
        self, place_id: str, url: str, key: str, value: str, style: Mapping[str, Any], strong: Mapping[str, Any]
    ) -> None:
        super().__init__()
        self._name = "AreaLayer"
        self.js_id = script_json(place_id)
        self.js_url = script_json(url)
        self.js_key = script_json(key)
        self.js_value = script_json(value)
        self.js_style = script_json(dict(style))
        self.js_strong = script_json(dict(strong))


class LineLabel(SafeMacroElement):
    """A permanent label at a chosen point (a measured line's, kept clear of the pins), text escaped."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.circleMarker({{ this.js_at }}, {radius: 1, stroke: false, fill: false, interactive: false})
            .bindTooltip({{ this.js_text }}, {permanent: true, direction: "top", className: "cm-label",
                                              offset: [0, -4], interactive: false})
            .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, text: str, at: LatLon) -> None:
        super().__init__()
        self._name = "LineLabel"
        self.js_text = script_json(str(html_text(text)))
        self.js_at = script_json([float(at[0]), float(at[1])])
