"""The map's behaviour beyond drawing: legend, label decluttering, town labels, editing hooks, the shared view.

* :class:`MapBehaviour` (once per map): a legend control listing only the symbols drawn (:func:`legend_html`),
  labels that keep clear of the pins (town and province labels hide, area names shift, when they would
  cover a pin or a measured line's label), the editing hooks (drag a pin, click the map) and, on a shareable
  page, the map's view kept in the page address (``view=lat,lon,zoom``) without a rerun.
* :class:`TownLabels`: names of the larger towns (the context layer of :mod:`conflict_map.view.layers`),
  by rank as the reader zooms in, never over a place of the article.
* :class:`LegendExtra` and :class:`EditState` go into the overlay group that changes on clicks.

Editing events reach Python through streamlit-folium's ``last_active_drawing`` value: a GeoJSON point whose
properties are ``{"cm": "move" | "click", "place": id, "n": unique}`` (see :func:`edit_event`). Every string in
the scripts is :func:`~conflict_map.view.render.script_json`; the legend is an autoescaped template.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from folium.template import Template

from conflict_map.view.render import SafeMacroElement, render_macro, script_json

LatLon = tuple[float, float]

#: Legend entries: key -> (swatch class, colour, text). Only the entries of symbols actually drawn are shown.
LEGEND: dict[str, tuple[str, str, str]] = {
    "town": ("pin", "#c0392b", "town, village"),
    "base": ("square", "#1f4e9c", "air base, airfield"),
    "crossing": ("diamond", "#7b3fa0", "border crossing"),
    "landmark": ("square", "#0f7b6c", "dam, landmark"),
    "uncertain": ("uncertain", "#222", "uncertain reading"),
    "far": ("far", "#b3261e", "far from the others: check it"),
    "country": ("area", "#2d6a2d", "country named"),
    "province": ("area-dashed", "#b36b00", "province named"),
    "river": ("line", "#1f6fb5", "river named"),
    "label": ("text", "#1f5f9e", "sea or region (name only)"),
    "rivers": ("thin", "#7fb3de", "rivers"),
    "towns": ("dot", "#555", "larger towns"),
    "provinces": ("dashed", "#c9a25e", "province borders"),
    "borders": ("dashdot", "#6b5b73", "international borders"),
    "distance": ("dashed", "#c0392b", "distance measured"),
    "border": ("line", "#ff7b00", "border the article discusses"),
    "claim_ok": ("line", "#1e7b34", "claim measured: consistent"),
    "claim_bad": ("line", "#b3261e", "claim measured: differs"),
    "claim": ("line", "#555", "claim measured"),
}
#: Town label rank -> the zoom from which it shows.
TOWN_MIN_ZOOM = {1: 0, 2: 6, 3: 7, 4: 8}


def legend_items(keys: Iterable[str]) -> list[tuple[str, str, str]]:
    """(swatch, colour, text) of the known legend keys, in :data:`LEGEND` order, each once."""
    wanted = set(keys)
    return [LEGEND[k] for k in LEGEND if k in wanted]


def legend_html(keys: Iterable[str]) -> str:
    """The legend control's HTML (autoescaped template): the drawn symbols and an empty list for overlays."""
    return render_macro("map.html", "legend", legend_items(keys))


def legend_extra_html(keys: Iterable[str]) -> str:
    """Legend lines for what the overlay group draws (a measured distance, a border, a claim)."""
    return render_macro("map.html", "legend_lines", legend_items(keys))


def edit_event(value: Any) -> dict[str, Any] | None:
    """The editing event in a streamlit-folium value, or None.

    ``{"cm": "move" | "click", "place": str, "n": str, "lat": float, "lon": float}``: a pin dragged to a new
    place, or a click on the map while editing. Anything malformed is None.
    """
    if not isinstance(value, Mapping):
        return None
    feat = value.get("last_active_drawing")
    if not isinstance(feat, Mapping):
        return None
    props, geom = feat.get("properties"), feat.get("geometry")
    if not isinstance(props, Mapping) or not isinstance(geom, Mapping) or props.get("cm") not in ("move", "click"):
        return None
    coords = geom.get("coordinates")
    try:
        lon, lat = float(coords[0]), float(coords[1])  # type: ignore[index]
    except (TypeError, ValueError, IndexError, KeyError):
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    return {
        "cm": str(props["cm"]),
        "place": str(props.get("place") or "")[:200],
        "n": str(props.get("n") or "")[:64],
        "lat": lat,
        "lon": lon,
    }


class MapBehaviour(SafeMacroElement):
    """Legend, decluttered labels, editing hooks and the view in the page address (see the module docstring)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, cfg) {
          var W = window, cont = map.getContainer();
          var lg = L.control({position: "bottomleft"});
          lg.onAdd = function () {
            var d = L.DomUtil.create("div", "cm-legend-wrap");
            d.innerHTML = cfg.legend; /* autoescaped template (conflict_map.view.render) */
            L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d);
            return d;
          };
          lg.addTo(map);
          var det = cont.querySelector("details.cm-legend"), chosen = false;
          if (det) {
            det.querySelector("summary").addEventListener("click", function () { chosen = true; });
            det.addEventListener("toggle", function () { W.cmDeclutter(); });
          }
          W.cmLegendExtra = function (html) {
            var ul = cont.querySelector(".cm-legend-extra"); if (ul) { ul.innerHTML = html; }
          };
          var pending = 0;
          var box = function (el, pad) {
            var r = el.getBoundingClientRect();
            return {l: r.left - pad, t: r.top - pad, r: r.right + pad, b: r.bottom + pad, w: r.width};
          };
          var hit = function (a, list) {
            return list.some(function (b) { return a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b; });
          };
          var shifts = [[0, 0], [0, -20], [0, 20], [-50, 0], [50, 0], [0, -40], [0, 40]];
          var declutter = function () {
            pending = 0;
            if (det && det.open && !chosen) {  /* the open legend steps aside when it would hide a pin */
              var lb = box(det, 0), small = cont.clientWidth < cfg.collapse;
              var pins = Array.prototype.map.call(
                cont.querySelectorAll(".leaflet-marker-pane .leaflet-marker-icon"),
                function (el) { return box(el, 0); });
              if (small || hit(lb, pins)) { det.open = false; }
            }
            var taken = [], z = map.getZoom(), edge = cont.getBoundingClientRect();
            map.eachLayer(function (l) {  /* placed while the page's styles were (re)loading: place them again */
              var t = l.getTooltip && l.getTooltip();
              if (t && t.options.permanent && t.isOpen && t.isOpen()) { t.update(); }
            });
            cont.querySelectorAll(".leaflet-tooltip.cm-label").forEach(function (el) {
              el.style.marginLeft = "0px";  /* a line's label stays inside the map, never cut at its edge */
              var r = el.getBoundingClientRect();
              var dx = Math.max(0, edge.left + 4 - r.left) - Math.max(0, r.right - edge.right + 4);
              if (dx) { el.style.marginLeft = dx + "px"; }
            });
            cont.querySelectorAll(".leaflet-marker-pane .leaflet-marker-icon, .leaflet-tooltip.cm-label, " +
                                  ".leaflet-control")
              .forEach(function (el) { var b = box(el, 2); if (b.w) { taken.push(b); } });
            cont.querySelectorAll(".cm-area-label span").forEach(function (el) {
              for (var i = 0; i < shifts.length; i++) {
                el.style.marginLeft = shifts[i][0] + "px"; el.style.marginTop = shifts[i][1] + "px";
                if (!hit(box(el, 1), taken)) { break; }
                if (i === shifts.length - 1) { el.style.marginLeft = "0px"; el.style.marginTop = "0px"; }
              }
              taken.push(box(el, 2));
            });
            var labels = Array.prototype.slice.call(
              cont.querySelectorAll(".cm-town-label, .leaflet-tooltip.cm-prov-label"));
            labels.sort(function (a, b) { return (+a.dataset.rank || 9) - (+b.dataset.rank || 9); });
            labels.forEach(function (el) {
              el.classList.remove("cm-hidden");
              if (el.dataset.minz && z < +el.dataset.minz) { el.classList.add("cm-hidden"); return; }
              var b = box(el.querySelector("b") || el, 2);
              if (!b.w || hit(b, taken)) { el.classList.add("cm-hidden"); } else { taken.push(b); }
            });
          };
          W.cmDeclutter = function () { if (!pending) { pending = setTimeout(declutter, 120); } };
          map.on("zoomend moveend layeradd popupopen", W.cmDeclutter);
          [0, 700, 1600].forEach(function (ms) { setTimeout(W.cmDeclutter, ms); });
          W.cmEdit = {mode: "off"};
          W.cmSend = function (props, ll) {
            var g = W.__GLOBAL_DATA__; if (!g || !W.Streamlit) { return; }
            W.cmSeq = (W.cmSeq || 0) + 1;
            props.n = Date.now() + "-" + W.cmSeq;
            var ev = {type: "Feature", properties: props, geometry: {type: "Point", coordinates: [ll.lng, ll.lat]}};
            g.last_active_drawing = ev;
            var d = {}, prev = g.previous_data || {};
            (g.returned_objects || []).forEach(function (k) {
              d[k] = k === "last_active_drawing" ? ev : (k in g ? g[k] : prev[k]);
            });
            g.previous_data = d; W.Streamlit.setComponentValue(d);
          };
          map.on("click", function (e) {
            if (W.cmEdit.mode !== "off") { W.cmSend({cm: "click"}, map.wrapLatLng(e.latlng)); }
          });
          Object.keys(W.cmMarkers || {}).forEach(function (id) {
            var mk = W.cmMarkers[id];
            if (mk.options.cmArea) { return; }
            mk.on("dragend", function () { W.cmSend({cm: "move", place: id}, map.wrapLatLng(mk.getLatLng())); });
          });
          var hint = L.control({position: "topright"});
          hint.onAdd = function () { var d = L.DomUtil.create("div", "cm-edit-hint"); d.hidden = true; return d; };
          hint.addTo(map);
          W.cmSetEdit = function (state) {
            W.cmEdit = state;
            cont.classList.toggle("cm-editing", state.mode !== "off");
            Object.keys(W.cmMarkers || {}).forEach(function (id) {
              var mk = W.cmMarkers[id];
              if (mk.options.cmArea || !mk.dragging) { return; }
              if (state.mode === "move") { mk.dragging.enable(); } else { mk.dragging.disable(); }
            });
            var h = hint.getContainer(); h.textContent = state.hint || ""; h.hidden = !state.hint;
          };
          if (cfg.share) {
            var user = cfg.restored;
            ["mousedown", "touchstart", "wheel", "keydown"].forEach(function (ev) {
              cont.addEventListener(ev, function () { user = true; }, {passive: true});
            });
            var write = function () {
              if (!user) { return; }
              try {
                var w = W.parent, u = new URL(w.location.href), c = map.wrapLatLng(map.getCenter());
                var v = c.lat.toFixed(4) + "," + c.lng.toFixed(4) + "," + map.getZoom();
                if (u.searchParams.get("view") !== v) {
                  u.searchParams.set("view", v); w.history.replaceState(w.history.state, "", u.toString());
                }
              } catch (e) { /* not the same origin: no shareable view */ }
            };
            map.on("moveend", write);
            setInterval(write, 1000);
          }
        })({{ this._parent.get_name() }}, {{ this.js_cfg }});
        {% endmacro %}
        """
    )

    def __init__(
        self, legend: Iterable[str], *, share: bool = False, restored: bool = False, collapse_below: int = 480
    ) -> None:
        super().__init__()
        self._name = "MapBehaviour"
        cfg = {"legend": legend_html(legend), "share": share, "restored": restored, "collapse": collapse_below}
        self.js_cfg = script_json(cfg)


class TownLabels(SafeMacroElement):
    """Names of the larger towns from a towns GeoJSON (``name``, ``rank``, ``id``), none over an article's place.

    Towns whose id is in ``skip`` or that lie within ~3 km of a pin are left out (the article's own places
    have pins); the others show by rank as the reader zooms in (:data:`TOWN_MIN_ZOOM`) and hide where they
    would cover a pin or a label (``window.cmDeclutter``).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, skip, pins, minz) {
          var grp = L.layerGroup().addTo(map), ids = new Set(skip);
          fetch({{ this.js_url }}).then(function (r) { return r.ok ? r.json() : null; }).then(function (d) {
            if (!d) { return; }
            (d.features || []).forEach(function (f) {
              var p = f.properties || {}, c = f.geometry && f.geometry.coordinates;
              if (!c || ids.has(String(p.id))) { return; }
              if (pins.some(function (q) { return Math.abs(q[0] - c[1]) < 0.03 && Math.abs(q[1] - c[0]) < 0.03; })) {
                return;
              }
              var el = document.createElement("div"), b = document.createElement("b");
              el.className = "cm-town-label cm-rank-" + (+p.rank || 4);
              el.dataset.rank = String(+p.rank || 4); el.dataset.minz = String(minz[p.rank] || 9);
              b.textContent = String(p.name || "");
              el.appendChild(document.createElement("i")); el.appendChild(b);
              L.marker([c[1], c[0]], {icon: L.divIcon({html: el, className: "", iconSize: [0, 0]}),
                                      pane: "cm-towns", interactive: false, keyboard: false}).addTo(grp);
            });
            if (window.cmDeclutter) { window.cmDeclutter(); }
          }).catch(function (e) { console.warn("conflict-map: towns not loaded", e); });
        })({{ this._parent.get_name() }}, {{ this.js_skip }}, {{ this.js_pins }}, {{ this.js_minz }});
        {% endmacro %}
        """
    )

    def __init__(self, url: str, skip: Iterable[str] = (), pins: Sequence[LatLon] = ()) -> None:
        super().__init__()
        self._name = "TownLabels"
        self.js_url = script_json(url)
        self.js_skip = script_json(sorted({str(s) for s in skip}))
        self.js_pins = script_json([[round(float(a), 4), round(float(b), 4)] for a, b in pins])
        self.js_minz = script_json({str(k): v for k, v in TOWN_MIN_ZOOM.items()})


class LegendExtra(SafeMacroElement):
    """Puts the legend lines of the overlay group's drawings into the legend (empty when nothing is drawn)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (window.cmLegendExtra) { window.cmLegendExtra({{ this.js_html }}); }
        {% endmacro %}
        """
    )

    def __init__(self, keys: Iterable[str]) -> None:
        super().__init__()
        self._name = "LegendExtra"
        self.js_html = script_json(legend_extra_html(keys))


class EditState(SafeMacroElement):
    """The editing mode of the map: ``off``, ``move`` (pins can be dragged, a map click moves the selected one)
    or ``place`` (a map click places a new place); ``hint`` is shown on the map as text."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (window.cmSetEdit) { window.cmSetEdit({{ this.js_state }}); }
        {% endmacro %}
        """
    )

    def __init__(self, mode: str = "off", hint: str = "") -> None:
        super().__init__()
        self._name = "EditState"
        self.js_state = script_json({"mode": mode if mode in ("off", "move", "place") else "off", "hint": hint})


class GeoCache(SafeMacroElement):
    """Static GeoJSON fetched once per page: the parsed layers are kept in the page that holds the map's frame.

    streamlit-folium builds a new frame whenever the map changes (another article, a correction): without this
    every new frame downloaded and parsed the world's countries again. Requests for ``/app/static/geo/`` go
    through one promise per URL kept on the parent page (same origin only; otherwise nothing changes).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (W) {
          var P = null;
          try { P = W.parent !== W && W.parent.location.origin === W.location.origin ? W.parent : null; }
          catch (e) { P = null; }
          if (!P || !W.fetch || W.cmGeoCached) { return; }
          W.cmGeoCached = true;
          var cache = P.cmGeoCache = P.cmGeoCache || {}, get = W.fetch.bind(W);
          W.fetch = function (u, o) {
            if (typeof u !== "string" || u.indexOf({{ this.js_prefix }}) !== 0) { return get(u, o); }
            if (!cache[u]) {
              cache[u] = get(u, o).then(function (r) { return r.ok ? r.json() : null; });
              cache[u].then(function (d) { if (d === null) { delete cache[u]; } }, function () { delete cache[u]; });
            }
            return cache[u].then(function (d) {
              return {ok: d !== null, status: d === null ? 404 : 200, json: function () { return Promise.resolve(d); }};
            });
          };
        })(window);
        {% endmacro %}
        """
    )

    def __init__(self, prefix: str = "/app/static/geo/") -> None:
        super().__init__()
        self._name = "GeoCache"
        self.js_prefix = script_json(prefix)
