"""mapview: markers, escaped popups/tooltips, local assets only, overlays (hand-made places, no geoparser)."""

from __future__ import annotations

import json
import re

import folium
import pytest

from conflict_map.models import Candidate, Mention, Place
from conflict_map.view import mapview, offline, overlays
from conflict_map.view.mapview import MapPlace

QAIM = Place("1", "Al Qa'im", "town", 34.3686, 41.0943, "IQ", "Anbar")
ASAD = Place("icao:ORAA", "Ain al-Asad Air Base", "base", 33.7856, 42.4412, "IQ", "Anbar")
ANBAR = Place("8", "Anbar", "province", 33.0, 42.0, "IQ")
IRAQ = Place("99237", "Iraq", "country", 33.0, 44.0, "IQ")
EVIL = Place("666", "<img src=x onerror=alert(1)>Evil`${x}`", "town", 34.0, 43.0, "IQ", "<b>p</b>")


def mention(p: Place, sentence: str, word: str, conf: float = 0.9, offset: int = 0) -> Mention:
    i = sentence.index(word)
    return Mention(
        offset + i,
        offset + i + len(word),
        word,
        sentence,
        offset,
        "place",
        word.lower(),
        [Candidate(p, conf)],
        p,
        conf,
    )


def sample_places() -> list[MapPlace]:
    s1 = "Convoys leave Al Qaim for Ain al-Asad."
    s2 = "Al Qaim lies in Anbar, in western Iraq."
    return [
        MapPlace(QAIM, [mention(QAIM, s1, "Al Qaim"), mention(QAIM, s2, "Al Qaim", offset=40)]),
        MapPlace(ASAD, [mention(ASAD, s1, "Ain al-Asad", 0.3)]),
        MapPlace(ANBAR, [mention(ANBAR, s2, "Anbar", offset=40)]),
        MapPlace(IRAQ, [mention(IRAQ, s2, "Iraq", offset=40)]),
    ]


def rendered(m: folium.Map) -> str:
    return m.get_root().render()


def test_one_marker_per_place_registered_by_id() -> None:
    out = rendered(mapview.build_map(sample_places()))
    assert out.count("window.cmMarkers[") == 4
    for pid in ("1", "icao:ORAA", "8", "99237"):
        assert f"window.cmMarkers[{json.dumps(pid)}]" in out
    # the town and the base are pins; the province and the country are areas (their name, never a pin)
    assert out.count("cmArea: true") == 2
    assert 'data-place=\\"1\\" data-kind=\\"town\\"' in out  # the stable hooks of the browser tests


def test_marker_style_by_kind_and_uncertainty() -> None:
    mps = sample_places()
    _, cls_town, _ = mapview.icon_html(mps[0])
    _, cls_base, size_base = mapview.icon_html(mps[1])
    _, cls_prov, _ = mapview.icon_html(mps[2])
    _, cls_country, _ = mapview.icon_html(mps[3])
    assert "cm-town" in cls_town and "cm-uncertain" not in cls_town
    assert "cm-base" in cls_base and "cm-uncertain" in cls_base  # confidence 0.3
    assert "cm-province" in cls_prov and "cm-country" in cls_country
    assert size_base > mapview.icon_html(mps[0])[2]


def test_popup_quotes_sentences_with_count() -> None:
    html_ = mapview.popup_html(sample_places()[0])
    assert "<b>2 mentions</b>" in html_
    assert "Convoys leave <mark>Al Qaim</mark> for Ain al-Asad." in html_
    assert "<mark>Al Qaim</mark> lies in Anbar" in html_
    assert "Uncertain" not in html_
    assert "Uncertain match" in mapview.popup_html(sample_places()[1])


def test_popup_tooltip_escape_hostile_text() -> None:
    s = 'He said <script>alert("x")</script> near Evilton <!-- c --> <a href="javascript:alert(1)">x</a>.'
    mp = MapPlace(EVIL, [mention(EVIL, s, "Evilton")])
    popup = mapview.popup_html(mp)
    assert "<script>" not in popup and "<img" not in popup and "<!--" not in popup and "<a " not in popup
    assert "&lt;script&gt;" in popup and "&lt;img src=x onerror=alert(1)&gt;Evil" in popup
    out = rendered(mapview.build_map([mp]))
    # nothing user-supplied appears raw in the generated script: no tag, no template-literal interpolation
    assert "onerror=alert(1)>" not in out
    assert "<script>alert" not in out
    assert "bindTooltip(`" not in out and "bindPopup(`" not in out  # no JS template literals
    # the tooltip (HTML for Leaflet) is escaped text inside script JSON with no markup character left
    assert 'bindTooltip("\\u0026lt;img src=x onerror=alert(1)\\u0026gt;Evil' in out
    assert 'title: "\\u003cimg src=x' in out  # plain-text attributes: no markup characters at all


def test_assets_are_all_local() -> None:
    m = mapview.build_map(sample_places(), basemap="vector")
    links = offline.asset_links(m)
    assert links, "no js/css links found"
    assert all(offline.is_local(u) for u in links), links
    out = rendered(m)
    head = out.split("<body>")[0].replace("http://www.w3.org", "")
    assert not re.search(r"https?://", head), "CDN link in header"
    assert "tile.openstreetmap" not in out and "L.tileLayer(" not in out


def test_web_tiles_only_when_asked() -> None:
    out = rendered(mapview.build_map(sample_places(), basemap="OpenStreetMap"))
    assert "tile.openstreetmap.org" in out
    assert offline.COUNTRIES_URL in out  # the vector basemap stays below the tiles
    assert "zIndex = 150" in out  # land pane under the tile pane: visible again if tiles fail


def test_geojson_loaded_by_url_not_embedded() -> None:
    out = rendered(mapview.build_map(sample_places()))
    assert f"fetch({json.dumps(offline.COUNTRIES_URL)})" in out
    assert f"fetch({json.dumps(offline.BORDERS_URL)})" in out
    assert '"FeatureCollection"' not in out
    assert len(out) < 60_000


def test_fit_bounds_ignores_areas() -> None:
    b = mapview.fit_bounds(sample_places(), pad_deg=0)
    assert b == [[33.7856, 41.0943], [34.3686, 42.4412]]  # the town and the base; not Anbar, not Iraq
    assert mapview.fit_bounds([]) is None


def test_tooltip_keys_unique() -> None:
    other = Place("2", "Al Qa'im", "village", 10.0, 10.0, "NG")
    keys = mapview.tooltip_keys([MapPlace(QAIM), MapPlace(other), MapPlace(ASAD)])
    assert len(set(keys.values())) == 3
    assert keys["icao:ORAA"] == "Ain al-Asad Air Base"


def test_measure_pair_qaim_asad() -> None:
    km, az, compass, line = overlays.measure_pair(QAIM, ASAD)
    assert km == pytest.approx(140.1, abs=0.5)
    assert 100 < az < 130 and compass in ("ESE", "SE")
    assert line[0] == pytest.approx((QAIM.lat, QAIM.lon)) and line[-1] == pytest.approx((ASAD.lat, ASAD.lon))
    ov = overlays.pair_overlay(QAIM, ASAD, km, az, compass, line)
    assert "140.1 km (87.1 mi)" in ov.label


def test_overlay_group_lines_and_selection() -> None:
    ov = overlays.LineOverlay([[(34.0, 41.0), (33.0, 42.0)]], "A <b>label</b>", endpoints=True)
    fg = overlays.overlay_group(lines=[ov], select="icao:ORAA", pan=True, nonce=3)
    m = mapview.build_map(sample_places())
    fg.add_to(m)
    out = rendered(m)
    assert "L.polyline(" in out
    assert "A \\u0026lt;b\\u0026gt;label" in out
    assert 'window.cmMarkers || {})["icao:ORAA"]' in out
    assert "openPopup()" in out and "setView" in out


def test_format_km() -> None:
    assert overlays.format_km(149.93) == "149.9 km (93.2 mi)"
    assert overlays.format_km(1234.0) == "1,234 km (767 mi)"


def test_excerpt_trims_long_sentences() -> None:
    s = "word " * 100 + "Al Qaim" + " tail" * 100
    m = mention(QAIM, s, "Al Qaim")
    ex = mapview.excerpt_html(m)
    assert "<mark>Al Qaim</mark>" in ex and ex.startswith("\u2026") and ex.endswith("\u2026")
    assert len(ex) < 320


def test_popup_caps_excerpts() -> None:
    sents = [f"Sentence {i} names Al Qaim here." for i in range(5)]
    mp = MapPlace(QAIM, [mention(QAIM, s, "Al Qaim", offset=100 * i) for i, s in enumerate(sents)])
    out = mapview.popup_html(mp, max_excerpts=3)
    assert out.count("<blockquote") == 3 and "+2 more sentences" in out and "<b>5 mentions</b>" in out


def test_basemap_layers_sit_in_low_panes() -> None:
    out = rendered(mapview.build_map(sample_places()))
    assert 'createPane("cm-land")' in out.replace("\n", "").replace(" ", "")
    assert out.count('pane: "cm-land"') == 2 and out.count('pane: "cm-lines"') >= 1  # the layer and its canvas
    assert 'renderer: L.canvas({padding: 0.5, pane: "cm-land"})' in out  # the world drawn on a canvas


def test_overlay_lines_are_not_clickable() -> None:
    fg = overlays.overlay_group(lines=[overlays.LineOverlay([[(34.0, 41.0), (33.0, 42.0)]], "x", endpoints=True)])
    m = mapview.build_map(sample_places())
    fg.add_to(m)
    assert rendered(m).count('"interactive": false') == 3  # line + two end dots: a click costs no rerun


def test_lines_across_the_antimeridian_are_drawn_the_short_way() -> None:
    fiji_samoa = overlays.LineOverlay([[(-17.7, 178.0), (-13.8, -172.0)]], "Fiji - Samoa")
    m = mapview.build_map(sample_places())
    overlays.overlay_group(lines=[fiji_samoa]).add_to(m)
    out = rendered(m)
    assert "[-13.8, 188.0]" in out and "-172.0" not in out
