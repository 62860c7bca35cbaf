"""Issue 14, items 1 and 7 in the outputs: the hand-out numbers towns not areas and quotes around the name; the
HTML download counts sentences as the app; a border claim has a geometry in GeoJSON; claim wording."""

from __future__ import annotations

import json
import re

import pytest
from dashboard_fake import geoparse as fake_parse

from conflict_map.models import Mention, ParseResult, Place
from conflict_map.present import handout
from conflict_map.present import story as st
from conflict_map.view import mapview, offline
from conflict_map.web import page as dash

try:
    from conflict_map.geo import borders

    borders.shared_border("IQ", "SY")
    BORDERS = True
except Exception:  # noqa: BLE001 - boundary layers not built here
    BORDERS = False


def test_the_handout_numbers_point_places_and_names_the_areas() -> None:
    story = st.build_story(fake_parse(dash.sample_text()), "Sample")
    places = handout._handout_places(story)
    numbered = [p["number"] for p in places if p["number"] is not None]
    assert numbered == list(range(1, len(numbered) + 1))  # 1, 2, 3... with no gap
    areas = {p["title"] for p in places if p["number"] is None}
    assert areas == {"Anbar", "Syria", "Iraq", "Jordan"}
    html = handout.render_handout(story, png=b"\x89PNG").html
    assert html.count('class="n n-area"') == 4 and '<span class="n">3</span>' in html


def test_a_handout_context_line_is_cut_around_the_place_name() -> None:
    text = ("Word " * 60) + "then the convoy reached Rawa at dusk" + (" and more" * 30) + "."
    m = Mention(text.index("Rawa"), text.index("Rawa") + 4, "Rawa", text, 0, "place", "rawa", [], None, 0.9)
    m.place = Place("2", "Rawah", "town", 34.48, 41.92, "IQ")
    story = st.build_story(ParseResult(text=text, mentions=[m], body=(0, len(text))), "T")
    (line,) = [p["context"] for p in handout._handout_places(story)]
    assert "Rawa" in line and line.startswith("\u2026") and len(line) <= 175


def test_claim_labels_never_say_measured_not_measured() -> None:
    cv = dash.ClaimView("600 km", "They share a border of 600 km.", "600 km", "not measured", "unchecked")
    assert "measured not measured" not in cv.label.replace("\\", "")
    assert "not measured" in cv.label.replace("\\", "")
    ok = dash.ClaimView("150 km", "s", "150 km", "140.1 km", "consistent")
    assert "measured 140" in ok.label.replace("\\", "")


@pytest.mark.skipif(not BORDERS, reason="boundary layers not built")
def test_the_geojson_border_claim_has_the_border_as_geometry() -> None:
    doc = json.loads(dash.export_article(fake_parse(dash.sample_text()), "geojson", "Sample"))
    claims = [f for f in doc["features"] if f["properties"].get("type") == "claim"]
    border = [f for f in claims if "600" in f["properties"]["stated"]]
    assert border and border[0]["geometry"]["type"] == "MultiLineString"
    assert all(f["geometry"] is not None for f in claims if f["properties"]["measured_km"] is not None)


@pytest.mark.skipif(bool(offline.missing_assets()), reason="browser assets not installed")
def test_the_html_download_counts_sentences_as_the_app_does() -> None:
    p = Place("1", "Al Qa'im", "town", 34.39, 40.99, "IQ")
    sentences = [f"Story {i} names Al Qaim here." for i in range(9)]
    text = " ".join(sentences)
    ms = []
    for s in sentences:
        i = text.index(s)
        ms.append(Mention(i + 14, i + 21, "Al Qaim", s, i, "place", "al qaim", [], p, 0.9))
    result = ParseResult(text=text, mentions=ms, body=(0, len(text)))
    app = mapview.popup_html(mapview.map_places(result.resolved_places())[0])
    assert "+6 more sentences" in app
    page = dash.export_article(result, "html", "T").decode("utf-8")
    assert re.search(r"\+6 more sentences", page) and "+2 more" not in page
