"""Issue 14, the map reads like a map: areas, lone far readings, labels and legend, the text panel's offsets.

Invented places and sentences; the parts that need the built boundary layers or the rivers layer skip when
they are not built.
"""

from __future__ import annotations

import json
import re

import pytest
from hostile import PAYLOADS, breaches

from conflict_map.models import Mention, Place
from conflict_map.view import areas, controls, extent, mapview, offline, overlays, textview
from conflict_map.view.mapview import MapPlace

QAIM = Place("92138", "Al Qa'im", "town", 34.3925, 40.9894, "IQ", "Anbar")
HADITHA = Place("96309", "Haditha", "town", 34.1366, 42.3773, "IQ", "Anbar")
RAMADI = Place("98717", "Ramadi", "city", 33.4206, 43.3078, "IQ", "Anbar")
BAGHDAD = Place("98182", "Baghdad", "city", 33.3406, 44.4009, "IQ", "Baghdad")
ANBAR = Place("99592", "Al Anbār", "province", 32.97, 41.62, "IQ", "Al Anbār")
IRAQ = Place("99237", "Iraq", "country", 33.0, 44.0, "IQ")
SYRIA = Place("163843", "Syria", "country", 35.0, 38.0, "SY")
EUPHRATES = Place("cm:euphrates", "Euphrates", "water", 35.0, 40.5)
GULF = Place("cm:gulf", "Persian Gulf", "water", 27.0, 51.0)
HAWF = Place("cm:hawf", "Hawf", "village", 16.65, 53.05, "YE")  # a lone far reading in an Anbar article

try:
    from conflict_map.geo import boundaries

    boundaries.load_countries()
    boundaries.load_provinces()
    BOUNDARIES = offline.country_url("IQ") is not None
except Exception:  # noqa: BLE001 - layers not built on this machine
    BOUNDARIES = False
needs_boundaries = pytest.mark.skipif(not BOUNDARIES, reason="boundary layers or country outlines not built")
needs_rivers = pytest.mark.skipif(
    not (offline.STATIC_DIR / "geo" / "rivers.geojson").is_file(), reason="rivers layer not built (make setup)"
)


def mention(p: Place, sentence: str, word: str, conf: float = 0.95, offset: int = 0) -> Mention:
    i = sentence.index(word)
    return Mention(offset + i, offset + i + len(word), word, sentence, offset, "place", word.lower(), [], p, conf)


def mp(p: Place, n: int = 1) -> MapPlace:
    s = f"Fighting near {p.name} went on."
    return MapPlace(p, [mention(p, s, p.name, offset=100 * k) for k in range(n)])


# --- item 1: areas are areas ------------------------------------------------------------------------


def test_area_kinds_are_never_pins() -> None:
    for p in (
        ANBAR,
        IRAQ,
        EUPHRATES,
        GULF,
        Place("x", "Levant", "region", 34, 37),
        Place("y", "Asia", "continent", 30, 90),
    ):
        assert areas.is_area(p)
    for p in (QAIM, RAMADI, Place("b", "Al Asad", "base", 33.8, 42.4), Place("c", "Al-Tanf", "crossing", 33.5, 38.6)):
        assert not areas.is_area(p)
    plan = mapview.plan_map([mp(QAIM), mp(IRAQ), mp(ANBAR), mp(HADITHA), mp(GULF)])
    assert [m.place.id for m in plan.pins] == [QAIM.id, HADITHA.id]
    assert {m.place.id for m, _s in plan.areas} == {IRAQ.id, ANBAR.id, GULF.id}
    out = mapview.build_map([mp(QAIM), mp(IRAQ), mp(ANBAR), mp(HADITHA), mp(GULF)]).get_root().render()
    assert out.count("cmArea: true") == 3  # the names of the three areas, in their own pane
    assert out.count("window.cmMarkers[") == 5
    assert 'data-kind=\\"country\\"' in out and 'data-kind=\\"town\\"' in out


def test_names_match_across_spellings() -> None:
    assert areas.norm_name("Al Anbār") == areas.norm_name("Muhafazat al Anbar") == areas.norm_name("Al-Anbar")
    assert areas.norm_name("Dayr az Zawr") == areas.norm_name("Dayr Az-Zawr")
    assert areas.norm_name("Euphrates River") == areas.norm_name("Euphrates")
    assert areas.norm_name("Homs") != areas.norm_name("Hama")


@needs_boundaries
def test_country_and_province_outlines() -> None:
    iraq = areas.area_shape(IRAQ)
    assert iraq is not None and iraq.drawn and iraq.kind == "country"
    assert (iraq.key, iraq.value) == ("iso2", "IQ") and iraq.url == offline.country_url("IQ")
    (s, w), (n, e) = iraq.bounds or [[0, 0], [0, 0]]
    assert 28.5 < s < 29.5 and 37 < n < 38 and 38 < w < 39 and 48 < e < 49
    assert iraq.label != (IRAQ.lat, IRAQ.lon)  # not the gazetteer's point next to Baghdad
    anbar = areas.area_shape(ANBAR)
    assert anbar is not None and anbar.kind == "province" and (anbar.key, anbar.value) == ("fips", "IZ01")
    # a province named unlike any Natural Earth name is the polygon that holds the gazetteer's point
    odd = areas.area_shape(Place("p1", "Governorate of the West", "province", 33.0, 42.0, "IQ"))
    assert odd is not None and odd.value == "IZ01"
    # the file the browser fetches holds exactly that feature
    data = json.loads((offline.STATIC_DIR / "geo" / "countries" / "IQ.geojson").read_text(encoding="utf-8"))
    assert [f["properties"]["iso2"] for f in data["features"]] == ["IQ"]


@needs_rivers
def test_a_river_is_its_line_and_a_sea_without_outline_a_name() -> None:
    river = areas.area_shape(EUPHRATES)
    assert river is not None and river.kind == "river" and river.value == "Euphrates" and river.drawn
    gulf = areas.area_shape(GULF)
    assert gulf is not None and gulf.kind == "label" and not gulf.drawn and gulf.label == (27.0, 51.0)


@needs_boundaries
def test_measuring_to_an_area_measures_to_its_nearest_edge_and_says_so() -> None:
    inside = areas.measure(QAIM, IRAQ)
    assert inside.km == 0 and "inside Iraq" in inside.note
    to_syria = areas.measure(BAGHDAD, SYRIA)
    assert 300 < to_syria.km < 380 and "nearest edge of Syria" in to_syria.note
    assert to_syria.km < areas.measure(BAGHDAD, Place("pt", "Syria point", "town", 35.0, 38.0)).km - 100
    assert "touch or overlap" in areas.measure(IRAQ, SYRIA).note
    sea = areas.measure(QAIM, GULF)
    assert "no outline" in sea.note and sea.km > 1000
    towns = areas.measure(QAIM, HADITHA)
    assert towns.note == "" and 125 < towns.km < 140


# --- item 3: lone far readings ------------------------------------------------------------------------


def pts(*places: Place) -> list[extent.Point]:
    return [extent.Point(p.id, p.lat, p.lon) for p in places]


def test_a_lone_far_reading_is_flagged_and_left_out_of_the_view() -> None:
    c = extent.lone_far_places(pts(QAIM, HADITHA, RAMADI, BAGHDAD, HAWF))
    assert set(c.far) == {HAWF.id} and c.far[HAWF.id] > 2000
    plan = mapview.plan_map([mp(QAIM), mp(HADITHA), mp(RAMADI), mp(BAGHDAD), mp(HAWF)])
    (s, _w), (n, _e) = plan.bounds or [[0, 0], [0, 0]]
    assert s > 30 and n < 36  # Anbar and Baghdad, not Yemen
    assert plan.far == {HAWF.id: c.far[HAWF.id]}
    assert [m.place.id for m in plan.pins] == [QAIM.id, HADITHA.id, RAMADI.id, BAGHDAD.id, HAWF.id]  # still drawn
    popup = mapview.popup_html(next(m for m in plan.places if m.place.id == HAWF.id))
    assert "Far from the article" in popup and "Check it" in popup


def test_far_readings_never_empty_the_view() -> None:
    assert extent.lone_far_places([]).far == {}
    assert extent.lone_far_places(pts(QAIM, HAWF)).far == {}  # two places: nothing to compare with
    # two far places near each other are a second cluster, not lone readings
    sanaa = Place("s", "Sanaa", "city", 15.35, 44.2, "YE")
    aden = Place("a", "Aden", "city", 12.8, 45.0, "YE")
    taiz = Place("t", "Taiz", "city", 13.6, 44.0, "YE")
    assert extent.lone_far_places(pts(QAIM, HADITHA, RAMADI, sanaa, taiz)).far == {}
    # places spread evenly over a continent: none is lone
    spread = [extent.Point(str(i), 10.0 + 5 * i, 20.0 + 5 * i) for i in range(8)]
    assert extent.lone_far_places(spread).far == {}
    # at most a third of the places (by mentions) is left out
    many_far = [extent.Point("c", 34.0, 42.0, 1)] + [
        extent.Point(f"f{i}", -40.0 + 30 * i, -120.0 + 70 * i, 1) for i in range(4)
    ]
    assert len(extent.lone_far_places(many_far).far) <= len(many_far) // 3
    assert extent.lone_far_places(pts(QAIM, HADITHA, aden)).far == {}  # three places: the far one is a third


def test_far_readings_marked_in_the_text_and_the_place_list() -> None:
    text = "Convoys left Al Qa'im for Haditha. A report put them in Hawf."
    ms = [mention(QAIM, text, "Al Qa'im"), mention(HADITHA, text, "Haditha"), mention(HAWF, text, "Hawf")]
    html = textview.render_text(text, ms, far={HAWF.id})
    assert 'class="cm-town cm-far" data-place="cm:hawf"' in html and "check it" in html
    plan = mapview.plan_map([MapPlace(m.place, [m]) for m in ms] + [mp(RAMADI), mp(BAGHDAD)])  # type: ignore[arg-type]
    listed = textview.place_list_html(plan.places)
    assert 'class="cm-place cm-far" data-place="cm:hawf"' in listed and "Hawf \u26a0" in listed


# --- item 4 and 2: legend, labels, context layers ------------------------------------------------------


def test_legend_lists_only_what_is_drawn() -> None:
    out = mapview.build_map([mp(QAIM), mp(IRAQ)]).get_root().render()
    legend = json.loads(re.search(r"\{\"legend\":(\"(?:[^\"\\]|\\.)*\")", out).group(1))  # type: ignore[union-attr]
    assert "town, village" in legend and "country named" in legend
    assert "air base" not in legend and "border crossing" not in legend and "province named" not in legend
    assert controls.legend_items(["distance", "nope", "town"]) == [controls.LEGEND["town"], controls.LEGEND["distance"]]
    fg = overlays.overlay_group(lines=[overlays.LineOverlay([[(34, 41), (33, 42)]], "x", legend="distance")])
    m = mapview.build_map([mp(QAIM)])
    fg.add_to(m)
    assert "distance measured" in m.get_root().render()


def test_line_labels_keep_clear_of_the_pins() -> None:
    line = [(34.0, 40.0 + i / 10) for i in range(41)]  # west to east along 34N
    pins = [(34.0, 42.0), (34.1, 41.8), (33.9, 42.2)]  # crowded in the middle
    at = overlays.label_point([line], pins, [[33.0, 39.5], [35.0, 44.5]], label="150.0 km (93.2 mi) \u00b7 90\u00b0 E")
    assert at is not None and min(abs(at[1] - p[1]) for p in pins) > 0.5
    assert overlays.label_point([], pins) is None
    # with the view given, the label is inside it (a border running out of the view keeps its label in)
    far_line = [(34.0, 30.0 + i) for i in range(20)]
    at = overlays.label_point([far_line], [], [[33.0, 39.0], [35.0, 45.0]], label="Iraq\u2013Syria border")
    assert at is not None and 39 <= at[1] <= 45


def test_context_layers_only_for_the_countries_shown_in_detail(tmp_path) -> None:  # noqa: ANN001
    plan = mapview.plan_map([mp(QAIM), mp(HADITHA), mp(SYRIA), mp(Place("j", "Jordan", "country", 31, 36, "JO"))])
    assert plan.detail == ["IQ"]  # Syria and Jordan are only named: no provinces, rivers or towns for them
    out = mapview.build_map([], plan=plan).get_root().render()
    assert "provinces/JO" not in out and "provinces/SY" not in out
    if offline.provinces_url("IQ"):
        assert "provinces/IQ.geojson" in out


def test_map_scripts_stay_inert_for_every_hostile_payload() -> None:
    places = []
    for i, p in enumerate(PAYLOADS):
        kind = ("town", "province", "water", "country", "region")[i % 5]
        place = Place(f"id{i}{p}", f"Name {p}", kind, 33.0 + i / 50, 42.0, "IQ", f"Prov {p}")
        places.append(mp(place))
    m = mapview.build_map(places, share=True, view=(34.0, 42.0, 7))
    overlays.overlay_group(edit=("place", f"Click the map where \u201c{PAYLOADS[0]}\u201d is.")).add_to(m)
    out = m.get_root().render()
    assert breaches(out) == []


def test_edit_events_from_the_map_are_checked() -> None:
    good = {
        "last_active_drawing": {
            "type": "Feature",
            "properties": {"cm": "move", "place": "3", "n": "17-1"},
            "geometry": {"type": "Point", "coordinates": [43.1, 33.2]},
        }
    }
    assert controls.edit_event(good) == {"cm": "move", "place": "3", "n": "17-1", "lat": 33.2, "lon": 43.1}
    for bad in (
        None,
        {},
        {"last_active_drawing": {"type": "Feature", "properties": {}, "geometry": {"coordinates": [1, 2]}}},
        {"last_active_drawing": {"properties": {"cm": "drop"}, "geometry": {"coordinates": [1, 2]}}},
        {"last_active_drawing": {"properties": {"cm": "click"}, "geometry": {"coordinates": ["x", 2]}}},
        {"last_active_drawing": {"properties": {"cm": "click"}, "geometry": {"coordinates": [200, 2]}}},
        {"last_active_drawing": {"properties": {"cm": "click"}, "geometry": {}}},
    ):
        assert controls.edit_event(bad) is None


# --- item 6: the text panel maps a selection back to the text ----------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS[:12])
def test_every_piece_of_the_text_carries_its_offset(payload: str) -> None:
    import html as html_mod

    text = f"Convoys left Al Qa'im.\n\nThey {payload} reached\nHaditha at dawn. Iraqi officials waited."
    ms = [mention(QAIM, text, "Al Qa'im"), mention(HADITHA, text, "Haditha")]
    ms.append(Mention(text.index("Iraqi"), text.index("Iraqi") + 5, "Iraqi", text, 0, "demonym"))
    out = textview.render_text(text, ms)
    pieces = re.findall(r'data-o="(\d+)">([^<]*)<', out)
    assert pieces and breaches(out) == []
    for o, shown in pieces:
        raw = html_mod.unescape(shown)
        assert text[int(o) : int(o) + len(raw)] == raw


def test_places_in_the_list_show_areas_and_kinds() -> None:
    listed = textview.place_list_html([mp(QAIM), mp(IRAQ)])
    assert 'data-place="99237" data-kind="country"' in listed and "cm-area" in listed
    assert 'data-place="92138" data-kind="town"' in listed


def test_line_labels_do_not_pile_up_and_a_line_is_drawn_once() -> None:
    border = [[(34.0 + i / 10, 41.0) for i in range(20)]]
    claim = overlays.LineOverlay(border, "600 km measured", legend="claim_ok")
    placed = overlays.place_labels(
        [overlays.LineOverlay(border, "Iraq\u2013Syria border", legend="border"), claim], [], [[33, 39], [37, 44]]
    )
    assert [o.legend for o in placed] == ["claim_ok"]  # the border's own drawing gives way to the claim's
    pair = overlays.LineOverlay([[(34.0, 40.0 + i / 10) for i in range(30)]], "150 km \u00b7 90\u00b0 E")
    a, b = overlays.place_labels([claim, pair], [], [[33, 39], [37, 44]])
    assert a.label_at is not None and b.label_at is not None and a.label_at != b.label_at
