/* conflict-map: the dashboard map's behaviour (conflict_map.view.controls, conflict_map.view.elements).
   Served from static/ (copied there from the package by conflict_map.view.offline), cached by the browser:
   every Streamlit rerun sends only the data each map needs, never this code again.
   No user text is ever put in as markup here: names go in with textContent; the legend's HTML comes from
   an autoescaped template. */
(function (W) {
  "use strict";
  var cm = W.cmMap = W.cmMap || {};

  /* Static GeoJSON is fetched once per page: the parsed layers are kept on the page that holds the map's
     frame (same origin only), so a new map frame (another article, a correction) reuses them. */
  (function () {
    var P = null;
    try { P = W.parent !== W && W.parent.location.origin === W.location.origin ? W.parent : null; }
    catch (e) { P = null; }
    if (!P || !W.fetch || W.cmGeoCached) { return; }
    W.cmGeoCached = true;
    var cache = P.cmGeoCache = P.cmGeoCache || {}, get = W.fetch.bind(W);
    W.fetch = function (u, o) {
      if (typeof u !== "string" || u.indexOf("/app/static/geo/") !== 0) { return get(u, o); }
      if (!cache[u]) {
        cache[u] = get(u, o).then(function (r) { return r.ok ? r.json() : null; });
        cache[u].then(function (d) { if (d === null) { delete cache[u]; } }, function () { delete cache[u]; });
      }
      return cache[u].then(function (d) {
        return {ok: d !== null, status: d === null ? 404 : 200, json: function () { return Promise.resolve(d); }};
      });
    };
  })();

  function json(request) {
    return request.then(function (r) { return r.ok ? r.json() : null; });
  }

  /* An area named in the article: the features of a static file whose `key` property is `value`. */
  cm.area = function (parent, id, request, key, value, base, strong) {
    var lay = L.geoJSON(null, {
      filter: function (f) { return String((f.properties || {})[key]) === value; },
      style: function () { return base; }, interactive: false, pane: "cm-areas"
    }).addTo(parent);
    lay.cmSelect = function (on) { lay.setStyle(on ? strong : base); };
    W.cmAreas = W.cmAreas || {};
    W.cmAreas[id] = lay;
    json(request).then(function (d) { if (d) { lay.addData(d); } })
      .catch(function (e) { console.warn("conflict-map: area not loaded", e); });
    return lay;
  };

  /* Names of the larger towns, by rank as the reader zooms in, never over a place of the article. */
  cm.towns = function (map, request, skip, pins, minz) {
    var grp = L.layerGroup().addTo(map), ids = new Set(skip);
    json(request).then(function (d) {
      if (!d) { return; }
      (d.features || []).forEach(function (f) {
        var p = f.properties || {}, c = f.geometry && f.geometry.coordinates;
        if (!c || ids.has(String(p.id))) { return; }
        if (pins.some(function (q) { return Math.abs(q[0] - c[1]) < 0.03 && Math.abs(q[1] - c[0]) < 0.03; })) {
          return;
        }
        var el = document.createElement("div"), b = document.createElement("b"), rank = +p.rank || 4;
        el.className = "cm-town-label cm-rank-" + rank;
        el.dataset.rank = String(rank); el.dataset.minz = String(minz[rank] || 9);
        b.textContent = String(p.name || "");
        el.appendChild(document.createElement("i")); el.appendChild(b);
        L.marker([c[1], c[0]], {icon: L.divIcon({html: el, className: "", iconSize: [0, 0]}),
                                pane: "cm-towns", interactive: false, keyboard: false}).addTo(grp);
      });
      if (W.cmDeclutter) { W.cmDeclutter(); }
    }).catch(function (e) { console.warn("conflict-map: towns not loaded", e); });
  };

  function box(el, pad) {
    var r = el.getBoundingClientRect();
    return {l: r.left - pad, t: r.top - pad, r: r.right + pad, b: r.bottom + pad, w: r.width};
  }
  function hit(a, list) {
    return list.some(function (b) { return a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b; });
  }
  var SHIFTS = [[0, 0], [0, -20], [0, 20], [-50, 0], [50, 0], [0, -40], [0, 40]];

  /* Labels keep clear of the pins: line labels stay inside the map, area names shift, town and province
     names hide where they would cover a pin, a line's label, a control or a name placed before them; the open
     legend folds away when it would hide a pin (until the reader opens it). */
  function declutterer(map, cfg, det, chosen) {
    var cont = map.getContainer();
    return function () {
      var taken = [], z = map.getZoom(), edge = cont.getBoundingClientRect();
      if (det && det.open && !chosen()) {
        var lb = box(det, 0);
        var pins = Array.prototype.map.call(
          cont.querySelectorAll(".leaflet-marker-pane .leaflet-marker-icon"), function (el) { return box(el, 0); });
        if (cont.clientWidth < cfg.collapse || hit(lb, pins)) { det.open = false; }
      }
      map.eachLayer(function (l) {  /* placed while the page's styles were (re)loading: place them again */
        var t = l.getTooltip && l.getTooltip();
        if (t && t.options.permanent && t.isOpen && t.isOpen()) { t.update(); }
      });
      cont.querySelectorAll(".leaflet-tooltip.cm-label").forEach(function (el) {
        el.style.marginLeft = "0px";
        var r = el.getBoundingClientRect();
        var dx = Math.max(0, edge.left + 4 - r.left) - Math.max(0, r.right - edge.right + 4);
        if (dx) { el.style.marginLeft = dx + "px"; }
      });
      cont.querySelectorAll(".leaflet-marker-pane .leaflet-marker-icon, .leaflet-tooltip.cm-label, .leaflet-control")
        .forEach(function (el) { var b = box(el, 2); if (b.w) { taken.push(b); } });
      cont.querySelectorAll(".cm-area-label span").forEach(function (el) {
        for (var i = 0; i < SHIFTS.length; i++) {
          el.style.marginLeft = SHIFTS[i][0] + "px"; el.style.marginTop = SHIFTS[i][1] + "px";
          if (!hit(box(el, 1), taken)) { break; }
          if (i === SHIFTS.length - 1) { el.style.marginLeft = "0px"; el.style.marginTop = "0px"; }
        }
        taken.push(box(el, 2));
      });
      var labels = Array.prototype.slice.call(cont.querySelectorAll(".cm-town-label, .leaflet-tooltip.cm-prov-label"));
      labels.sort(function (a, b) { return (+a.dataset.rank || 9) - (+b.dataset.rank || 9); });
      labels.forEach(function (el) {
        el.classList.remove("cm-hidden");
        if (el.dataset.minz && z < +el.dataset.minz) { el.classList.add("cm-hidden"); return; }
        var b = box(el.querySelector("b") || el, 2);
        if (!b.w || hit(b, taken)) { el.classList.add("cm-hidden"); } else { taken.push(b); }
      });
    };
  }

  /* Editing events reach Python through streamlit-folium's `last_active_drawing` value: a GeoJSON point with
     properties {cm: "move" | "click", place, n}. */
  function send(props, ll) {
    var g = W.__GLOBAL_DATA__;
    if (!g || !W.Streamlit) { return; }
    W.cmSeq = (W.cmSeq || 0) + 1;
    props.n = Date.now() + "-" + W.cmSeq;
    var ev = {type: "Feature", properties: props, geometry: {type: "Point", coordinates: [ll.lng, ll.lat]}};
    g.last_active_drawing = ev;
    var d = {}, prev = g.previous_data || {};
    (g.returned_objects || []).forEach(function (k) { d[k] = k === "last_active_drawing" ? ev : (k in g ? g[k] : prev[k]); });
    g.previous_data = d;
    W.Streamlit.setComponentValue(d);
  }

  function editing(map) {
    var cont = map.getContainer();
    W.cmEdit = {mode: "off"};
    map.on("click", function (e) { if (W.cmEdit.mode !== "off") { send({cm: "click"}, map.wrapLatLng(e.latlng)); } });
    Object.keys(W.cmMarkers || {}).forEach(function (id) {
      var mk = W.cmMarkers[id];
      if (mk.options.cmArea) { return; }
      mk.on("dragend", function () { send({cm: "move", place: id}, map.wrapLatLng(mk.getLatLng())); });
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
  }

  /* On a shareable page the map keeps its view in the page's address (view=lat,lon,zoom): no rerun. */
  function shareView(map, restored) {
    var cont = map.getContainer(), user = restored;
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

  cm.behaviour = function (map, cfg) {
    var cont = map.getContainer();
    if (map.attributionControl) {  /* the data's credits (GeoNames is CC BY 4.0); Leaflet without its flag */
      map.attributionControl.setPrefix('<a href="https://leafletjs.com" target="_blank" rel="noopener">Leaflet</a>');
      map.attributionControl.addAttribution("Natural Earth \u00b7 GeoNames (CC BY 4.0) \u00b7 GSHHG");
    }
    var lg = L.control({position: "bottomleft"});
    lg.onAdd = function () {
      var d = L.DomUtil.create("div", "cm-legend-wrap");
      d.innerHTML = cfg.legend;  /* autoescaped template (conflict_map.view.render) */
      L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d);
      return d;
    };
    lg.addTo(map);
    W.cmLegendExtra = function (html) {
      var ul = cont.querySelector(".cm-legend-extra"); if (ul) { ul.innerHTML = html; }
    };
    var det = cont.querySelector("details.cm-legend"), chosen = false, pending = 0;
    var declutter = declutterer(map, cfg, det, function () { return chosen; });
    W.cmDeclutter = function () {
      if (!pending) { pending = setTimeout(function () { pending = 0; declutter(); }, 120); }
    };
    if (det) {
      det.querySelector("summary").addEventListener("click", function () { chosen = true; });
      det.addEventListener("toggle", W.cmDeclutter);
    }
    map.on("zoomend moveend layeradd popupopen", W.cmDeclutter);
    [0, 700, 1600].forEach(function (ms) { setTimeout(W.cmDeclutter, ms); });
    editing(map);
    if (cfg.share) { shareView(map, cfg.restored); }
    if (cfg.preview) { preview(map); }
  };

  /* A click on a place shows it selected at once: the pin here, and on the page (same origin only) a
     "cm:select" event that the text panel and the place list answer by marking its mentions. The page's run
     that the click starts draws the same selection (and has the last word). */
  function preview(map) {
    var P = null;
    try { P = W.parent !== W && W.parent.location.origin === W.location.origin ? W.parent : null; }
    catch (e) { P = null; }
    var marks = W.cmMarkers || {}, areas = W.cmAreas || {};
    function show(id) {
      Object.keys(marks).forEach(function (k) {
        var el = marks[k].getElement && marks[k].getElement();
        if (el) { el.classList.toggle("cm-selected", k === id); }
      });
      Object.keys(areas).forEach(function (k) { areas[k].cmSelect(k === id); });
    }
    Object.keys(marks).forEach(function (id) {
      marks[id].on("click", function () {
        show(id);
        if (P && P.CustomEvent) {
          P.dispatchEvent(new P.CustomEvent("cm:select", {detail: {place: String(id), from: "map"}}));
        }
      });
    });
    if (!P) { return; }
    /* a place picked in the text or the place list: its popup opens here at once */
    var onSelect = function (e) {
      if (!W.frameElement || !W.frameElement.isConnected) { P.removeEventListener("cm:select", onSelect); return; }
      var d = e.detail || {}, mk = marks[d.place];
      if (d.from === "map" || typeof d.place !== "string" || !mk) { return; }
      show(d.place);
      map.eachLayer(function (l) { if (l instanceof L.Popup) { map.closePopup(l); } });
      mk.openPopup();
    };
    P.addEventListener("cm:select", onSelect);
  }
})(window);
