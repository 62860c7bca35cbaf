(function(){
"use strict";
var S = JSON.parse(document.getElementById("cm-story-data").textContent);
var steps = S.steps;
var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
var map = L.map("cm-map", {zoomSnap: 0.25, zoomControl: true, worldCopyJump: false, keyboard: false,
  fadeAnimation: !reduce, zoomAnimation: !reduce, markerZoomAnimation: !reduce});
map.attributionControl.setPrefix(false);
map.attributionControl.addAttribution("Natural Earth \u00b7 GeoNames (CC BY 4.0) \u00b7 conflict-map");
map.createPane("cm-base"); map.getPane("cm-base").style.zIndex = 250;
map.createPane("cm-base-labels"); map.getPane("cm-base-labels").style.zIndex = 260;
map.getPane("cm-base-labels").style.pointerEvents = "none";
map.createPane("cm-lines"); map.getPane("cm-lines").style.zIndex = 450;
function addGeo(request, style) {
  /* literal fetch("/app/static/...") calls: export.inline_assets serves them from the page itself */
  request.then(function(r){ return r.ok ? r.json() : null; }).then(function(d){
    if (d) { L.geoJSON(d, {pane: "cm-base", interactive: false, style: style}).addTo(map); }
  }).catch(function(){});
}
addGeo(fetch("/app/static/geo/countries.geojson"), {color: "#7a7a7a", weight: 1, fillColor: "#f6f3ea", fillOpacity: 1});
addGeo(fetch("/app/static/geo/borders.geojson"), {color: "#202020", weight: 2.2, dashArray: "7 4", fill: false});

var markers = {};
var points = [];
steps.forEach(function(s){
  if (s.kind !== "place" || !s.place) { return; }
  var p = s.place, n = s.number || "";
  var m = L.marker([p.lat, p.lon], {icon: stepIcon(s, false), keyboard: false, riseOnHover: true});
  var tip = document.createElement("span"); tip.textContent = s.title;
  m.bindTooltip(tip, {direction: "right", offset: [18, 0], className: "cm-label", permanent: false});
  m.on("click", function(){ go(steps.indexOf(s)); });
  m.addTo(map);
  markers[s.id] = m;
  points.push([p.lat, p.lon]);
});
function stepIcon(s, cur) {  /* a numbered pin for a point place; an area (no number) is its name */
  if (s.number) { return pinIcon(s.number, cur); }
  var el = document.createElement("div"); el.className = "cm-area-name" + (cur ? " cm-cur" : "");
  el.textContent = s.title;
  return L.divIcon({className: "", html: el, iconSize: null});
}
function pinIcon(n, cur) {
  var size = cur ? 44 : 30;
  return L.divIcon({className: "", iconSize: [size, size], iconAnchor: [size / 2, size / 2],
    html: '<div class="cm-pin' + (cur ? ' cm-cur' : ' cm-dim') + '" style="width:' + size + 'px;height:' + size +
      'px">' + String(n).replace(/[^0-9]/g, "") + '</div>'});
}
var labelEls = [];
(S.labels || []).forEach(function(lb){  /* largest country first: it wins when labels collide */
  var el = document.createElement("div"); el.className = "cm-country"; el.textContent = lb.name;
  L.marker([lb.lat, lb.lon], {icon: L.divIcon({className: "", html: el, iconSize: null}), interactive: false,
    keyboard: false, pane: "cm-base-labels"}).addTo(map);
  labelEls.push(el);
});
function declutter() {  /* hide a country name that collides with a larger one's or is cut by the edge */
  var kept = [], box = map.getContainer().getBoundingClientRect();
  labelEls.forEach(function(el){
    el.style.visibility = "visible";
    var r = el.getBoundingClientRect();
    var cut = r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom;
    var hit = cut || kept.some(function(k){
      return r.left < k.right + 6 && r.right > k.left - 6 && r.top < k.bottom + 2 && r.bottom > k.top - 2;
    });
    if (hit) { el.style.visibility = "hidden"; } else { kept.push(r); }
  });
}
map.on("zoomend moveend", declutter);
var claimLayer = L.layerGroup().addTo(map);
var colours = {consistent: "#0d6b2f", differs: "#b3261e", unchecked: "#5f5f5f"};

var $ = function(id){ return document.getElementById(id); };
function setMarked(el, text, marks) {
  el.textContent = "";
  var pos = 0;
  (marks || []).forEach(function(m){
    if (m[0] < pos) { return; }
    el.appendChild(document.createTextNode(text.slice(pos, m[0])));
    var mk = document.createElement("mark"); mk.textContent = text.slice(m[0], m[1]); el.appendChild(mk);
    pos = m[1];
  });
  el.appendChild(document.createTextNode(text.slice(pos)));
}
var cur = -1, placeCount = 0;
steps.forEach(function(s){ if (s.kind === "place" && s.number) { placeCount++; } });
function fitText() {  /* a long step shrinks its text until it fits above the controls: nothing is cut off */
  var body = $("cm-body"), txt = $("cm-text"), note = $("cm-note");
  txt.style.fontSize = ""; note.style.fontSize = "";
  var size = parseFloat(getComputedStyle(txt).fontSize), nsize = parseFloat(getComputedStyle(note).fontSize);
  for (var k = 0; k < 14 && body.scrollHeight > body.clientHeight + 1 && size > 13; k++) {
    size *= 0.9; nsize = Math.max(12, nsize * 0.9);
    txt.style.fontSize = size + "px"; note.style.fontSize = nsize + "px";
  }
}
window.addEventListener("resize", function(){ fitText(); });

var shown = false;  /* the first view is set without animation: there is nothing to fly from */
function moveMap(s) {
  var v = s.view || {};
  var still = reduce || !shown;
  shown = true;
  var opt = {animate: !still, duration: 1.1};
  if (v.bounds) {
    var b = L.latLngBounds(v.bounds);
    if (b.getNorth() - b.getSouth() < 0.02 && b.getEast() - b.getWest() < 0.02) {
      map.setView(b.getCenter(), 11, opt); return;
    }
    var pad = {paddingTopLeft: [90, 90], paddingBottomRight: [300, 90], maxZoom: 11};
    if (still) { map.fitBounds(b, L.extend({animate: false}, pad)); }
    else { map.flyToBounds(b, L.extend({duration: 1.1}, pad)); }
  } else if (v.center) {
    if (still) { map.setView(v.center, v.zoom || 9, {animate: false}); }
    else { map.flyTo(v.center, v.zoom || 9, {duration: 1.1}); }
  }
}

function drawClaim(s) {  /* the measured line of a distance check, coloured by its verdict */
  claimLayer.clearLayers();
  if (s.kind !== "claim" || !s.claim) { return; }
  var c = s.claim, col = colours[c.verdict] || colours.unchecked;
  (c.lines || []).forEach(function(line){
    L.polyline(line, {pane: "cm-lines", color: "#000", weight: 10, opacity: 0.55, interactive: false})
      .addTo(claimLayer);
    L.polyline(line, {pane: "cm-lines", color: col, weight: 6, dashArray: c.kind === "length" ? null : "14 8",
      interactive: false}).addTo(claimLayer);
  });
  (c.ends || []).forEach(function(e){
    L.circleMarker([e.lat, e.lon], {pane: "cm-lines", radius: 9, color: "#000", weight: 3, fillColor: "#fff",
      fillOpacity: 1, interactive: false}).addTo(claimLayer);
  });
  var line = (c.lines || [])[0];
  if (line && c.kind === "length") {  /* label the longest piece of a border in its middle */
    (c.lines || []).forEach(function(l){ if (l.length > line.length) { line = l; } });
  }
  if (line && line.length) {
    var mid = line[Math.floor(line.length / 2)];
    var lab = document.createElement("span");
    lab.textContent = c.measured + " \u00b7 " + (c.verdict_label || c.verdict);
    L.tooltip({permanent: true, direction: "bottom", offset: [0, 14], className: "cm-claim-label " + c.verdict,
      interactive: false})
      .setLatLng(mid).setContent(lab).addTo(claimLayer);
  }
}

function go(i) {
  if (!steps.length) { return; }
  i = Math.max(0, Math.min(steps.length - 1, i));
  if (i === cur) { return; }
  cur = i;
  var s = steps[i];
  var area = s.kind === "place" && !s.number;
  var kick = s.kind === "title" ? "Map story" : area ? "Area" : s.kind === "place" ? ("Place " + s.number + " of " + placeCount)
    : (s.claim && s.claim.kind === "length" ? "Length check" : "Distance check");
  $("cm-kicker").textContent = kick;
  var t = $("cm-title"); t.textContent = "";
  if (s.kind === "place" && s.number) {
    var n = document.createElement("span"); n.id = "cm-num"; n.textContent = String(s.number); t.appendChild(n);
  }
  t.appendChild(document.createTextNode(s.title));
  $("cm-detail").textContent = s.kind === "claim" ? "" : (s.detail || "");
  setMarked($("cm-text"), s.text || "", s.marks);
  $("cm-text").className = (s.text || "").length + (s.note || "").length > 420 ? "cm-long" : "";
  var v = $("cm-verdict"), f = $("cm-figures"), ex = $("cm-explain");
  v.className = ""; f.style.display = "none"; ex.textContent = "";
  if (s.kind === "claim" && s.claim) {
    var mark = {consistent: "\u2714 ", differs: "\u2716 ", unchecked: "? "}[s.claim.verdict] || "";
    v.className = s.claim.verdict in colours ? s.claim.verdict : "unchecked";
    v.textContent = mark + (s.claim.verdict_label || s.claim.verdict);
    f.textContent = "";
    var subj = s.claim.subject ? " (" + s.claim.subject + ")" : "";
    [["The article says: ", s.claim.stated], ["Measured: ", s.claim.measured + subj]]
      .forEach(function(row){
        var d = document.createElement("div"); d.appendChild(document.createTextNode(row[0]));
        var b = document.createElement("b"); b.textContent = row[1]; d.appendChild(b); f.appendChild(d);
      });
    f.style.display = "block";
    ex.textContent = s.detail || "";
  }
  var note = $("cm-note");
  note.textContent = s.note || "";
  note.className = s.note ? "on" : "";
  var ends = (s.kind === "claim" && s.claim && s.claim.ends || []).map(function(e){ return e.step; });
  Object.keys(markers).forEach(function(id){
    var on = id === s.id || ends.indexOf(id) >= 0;
    var st = steps.filter(function(x){ return x.id === id; })[0];
    markers[id].setIcon(stepIcon(st, on));
    markers[id].setZIndexOffset(on ? 1000 : 0);
    if (on) { markers[id].openTooltip(); } else { markers[id].closeTooltip(); }
  });
  drawClaim(s);
  moveMap(s);
  $("cm-counter").textContent = (i + 1) + " / " + steps.length;
  $("cm-prev").disabled = i === 0;
  $("cm-next").disabled = i === steps.length - 1;
  document.body.setAttribute("data-step", String(i + 1));
  document.body.setAttribute("data-step-id", s.id);
  $("cm-body").scrollTop = 0;
  fitText();
  try { history.replaceState(null, "", "#" + (i + 1)); } catch (e) { /* file:// in some browsers */ }
}
function fullscreen() {
  var d = document, el = d.documentElement;
  if (d.fullscreenElement) { if (d.exitFullscreen) { d.exitFullscreen(); } }
  else if (el.requestFullscreen) { el.requestFullscreen().catch(function(){}); }
}
$("cm-prev").addEventListener("click", function(){ go(cur - 1); });
$("cm-next").addEventListener("click", function(){ go(cur + 1); });
$("cm-full").addEventListener("click", fullscreen);
document.addEventListener("fullscreenchange", function(){
  $("cm-full").textContent = document.fullscreenElement ? "Exit full screen" : "Full screen";
  setTimeout(function(){ map.invalidateSize(); }, 50);
});
document.addEventListener("keydown", function(e){
  if (e.altKey || e.ctrlKey || e.metaKey) { return; }
  var k = e.key, t = e.target;
  if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) { return; }
  if (k === "ArrowRight" || k === "ArrowDown" || k === "PageDown" || k === " " || k === "Enter" || k === "n") {
    if (k === "Enter" && t && t.tagName === "BUTTON") { return; }
    go(cur + 1);
  } else if (k === "ArrowLeft" || k === "ArrowUp" || k === "PageUp" || k === "Backspace" || k === "p") {
    go(cur - 1);
  } else if (k === "Home") { go(0); }
  else if (k === "End") { go(steps.length - 1); }
  else if (k === "f" || k === "F") { fullscreen(); }
  else if (k === "b" || k === "B" || k === ".") {  /* clickers' "blank screen" key, as in slide shows */
    var blk = $("cm-blank"); blk.style.display = blk.style.display === "block" ? "none" : "block";
  }
  else { return; }
  e.preventDefault();
});
window.addEventListener("resize", function(){ map.invalidateSize(); });
if (window.self !== window.top) {  /* embedded in the dashboard: keys reach the story once it has focus */
  var hint = document.createElement("div");
  hint.id = "cm-focus"; hint.textContent = "Click the story to step with the keyboard";
  document.body.appendChild(hint);
  var showHint = function(){ hint.style.display = document.hasFocus() ? "none" : "block"; };
  window.addEventListener("focus", showHint); window.addEventListener("blur", showHint);
  document.addEventListener("pointerdown", function(){ hint.style.display = "none"; });
  showHint();
}
window.cmStory = {map: map, go: go, count: steps.length, index: function(){ return cur; }, steps: steps};
map.setView([30, 30], 3, {animate: false});  /* replaced by the first step's view right away */
var start = parseInt((location.hash || "").slice(1), 10);
go(isFinite(start) && start >= 1 ? start - 1 : 0);
document.body.focus();
})();
