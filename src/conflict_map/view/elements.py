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


MAP_CSS = f"""
<style>
.leaflet-container {{ background: {SEA_COLOUR}; font: 13px/1.4 system-ui, sans-serif; }}
.cm-marker {{ display:flex; align-items:center; justify-content:center; border-radius:50%;
  border:2px solid #fff; box-shadow:0 1px 3px rgba(0,0,0,.5); color:#fff; font-weight:700;
  font-size:11px; box-sizing:border-box; }}
.cm-marker span {{ display:block; width:100%; height:100%; border-radius:inherit; text-align:center;
  line-height:14px; }}
.cm-marker.cm-base span, .cm-marker.cm-province span {{ line-height:18px; }}
.cm-marker.cm-country span {{ line-height:20px; }}
.cm-marker.cm-town {{ border-radius:50%; }}
.cm-marker.cm-base {{ border-radius:4px; }}
.cm-marker.cm-crossing {{ border-radius:3px; transform:rotate(45deg); }}
.cm-marker.cm-crossing span {{ transform:rotate(-45deg); }}
.cm-marker.cm-province {{ border-radius:3px; opacity:.9; }}
.cm-marker.cm-country {{ border-radius:3px; }}
.cm-marker.cm-uncertain {{ border:2px dashed #222; opacity:.75; }}
.cm-marker.cm-selected {{ outline:3px solid #ffd400; outline-offset:1px; }}
.cm-popup h4 {{ margin:0 0 2px; font-size:14px; }}
.cm-popup .cm-meta {{ color:#555; font-size:12px; margin-bottom:4px; }}
.cm-popup blockquote {{ margin:4px 0; padding:1px 6px; border-left:3px solid #bbb; color:#222;
  font-size:12.5px; line-height:1.35; max-height:7em; overflow:auto; }}
.cm-popup mark {{ background:#ffe680; padding:0 1px; }}
.cm-popup .cm-warn {{ color:#a33; font-size:12px; }}
.leaflet-control-layers, .leaflet-control-measure {{ font-size:12px; }}
.leaflet-control-measure h3 {{ font-size:13px; margin:0 0 4px; }}
.cm-label {{ background:rgba(255,255,255,.9); border:1px solid #666; font-weight:600; font-size:12px;
  padding:1px 5px; }}
.cm-country-label {{ background:none; border:none; box-shadow:none; color:#666;
  font-size:11px; letter-spacing:.08em; text-transform:uppercase; }}
.cm-country-label::before {{ display:none; }}
.leaflet-tooltip.cm-prov-label {{ background:none; border:none; box-shadow:none; padding:0; color:#8a5a12;
  font-size:10px; font-style:italic; opacity:.85 !important; }}
.leaflet-tooltip.cm-prov-label::before {{ display:none; }}
</style>
"""


class PlaceMarker(SafeMacroElement):
    """A DivIcon marker with an escaped tooltip and popup, registered in ``window.cmMarkers[id]``.

    Unlike ``folium.Marker`` + ``folium.Popup`` it needs neither jQuery nor JS template literals.
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
    ) -> None:
        super().__init__()
        self._name = "PlaceMarker"
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

    ``label_property`` binds each feature's property as a tooltip (a text node: never markup).
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
                var v = p[{{ this.js_label }}];
                if (v) {
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
    ) -> None:
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self._name = "UrlGeoJson"
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
    """Fit the map to the places, and again when the frame is resized before the user moves the map.

    streamlit-folium sizes its iframe after the map is created (``use_container_width``), so a
    one-off ``fitBounds`` would be computed for the wrong size.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var b = {{ this.js_bounds }}, opts = {maxZoom: {{ this.max_zoom }}};
            var touched = false;
            map.on("dragstart", function () { touched = true; });
            map.getContainer().addEventListener("wheel", function () { touched = true; }, {passive: true});
            map.fitBounds(b, opts);
            var refit = function () { if (!touched) { map.invalidateSize(); map.fitBounds(b, opts); } };
            window.addEventListener("resize", refit);
            setTimeout(refit, 60);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: Sequence[Sequence[float]], max_zoom: int = 9) -> None:
        super().__init__()
        self._name = "FitBounds"
        self.js_bounds = script_json([[float(x) for x in corner] for corner in bounds])
        self.max_zoom = int(max_zoom)


class SelectPlace(SafeMacroElement):
    """Opens the popup of ``window.cmMarkers[place_id]`` and optionally centres the map on it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var mk = (window.cmMarkers || {})[{{ this.js_id }}];
            var map = window.map || null;
            if (!mk) { return; }
            Object.values(window.cmMarkers).forEach(function (o) {
                var el = o.getElement && o.getElement(); if (el) { el.classList.remove("cm-selected"); }
            });
            var el = mk.getElement && mk.getElement(); if (el) { el.classList.add("cm-selected"); }
            {% if this.pan %}
            if (map) { map.setView(mk.getLatLng(), Math.max(map.getZoom(), {{ this.zoom }})); }
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
