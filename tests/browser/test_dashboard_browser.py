"""The dashboard in a real browser (Debian chromium): map, popups, clicks, distance, hostile input, offline.

Screenshots go to ``test-output/`` (git-ignored); look at them.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import FrameLocator, Page, expect

from .conftest import OUT

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
N_SAMPLE_PLACES = 14  # tests/dashboard_fake.py finds 14 places in the sample briefing...
N_SAMPLE_PINS = 10  # ...10 of them point places (pins); Anbar, Iraq, Syria and Jordan are areas


def open_app(page: Page, url: str) -> FrameLocator:
    page.goto(url)
    page.locator(MAP_FRAME).wait_for(state="attached", timeout=30_000)
    fr = page.frame_locator(MAP_FRAME)
    fr.locator(".leaflet-marker-pane > *").first.wait_for(timeout=30_000)
    # a browser's first page draws the article and its map; the rest (place list, claims, downloads) comes with
    # the run the map's first report starts: wait for the whole page
    page.get_by_role("button", name="GeoJSON").wait_for(timeout=30_000)
    return fr


def choose(page: Page, label: str, typed: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label, exact=True)  # not "Open from corpus" (once the corpus has some)
    box.click()
    box.press("ArrowDown")
    box.fill(typed)
    page.get_by_role("option", name=option).click()
    expect(page.get_by_role("combobox", name=label, exact=True)).to_have_value(option)


def settle(page: Page) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_timeout(300)
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=15_000)


def test_sample_map_markers_offline(page: Page, app_url: str, outside_requests: list[str]) -> None:
    fr = open_app(page, app_url)
    expect(fr.locator(".leaflet-marker-pane > *")).to_have_count(N_SAMPLE_PINS)
    expect(fr.locator(".cm-area-label")).to_have_count(N_SAMPLE_PLACES - N_SAMPLE_PINS)
    # the vector basemap arrived by URL from the app itself
    expect(fr.locator("path.leaflet-interactive, .leaflet-overlay-pane path").first).to_be_attached()
    expect(page.locator("mark[data-place]").first).to_be_visible()
    settle(page)
    page.wait_for_timeout(800)
    page.screenshot(path=str(OUT / "dashboard-sample.png"))
    assert outside_requests == []


def test_marker_popup_quotes_excerpt(page: Page, app_url: str, outside_requests: list[str]) -> None:
    fr = open_app(page, app_url)
    settle(page)
    page.wait_for_timeout(300)  # the map has its final size and view
    fr.locator('.leaflet-marker-icon[title="Ramadi"]').click()  # a real pointer click (Ramadi stands alone)
    popup = fr.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("2 mentions")
    expect(popup).to_contain_text("has become the main concern")
    expect(popup.locator("mark").first).to_have_text("Ramadi")
    # the click reaches Python: the place's mentions are highlighted in the text
    expect(page.locator('mark.cm-sel[data-place="3"]')).to_have_count(2, timeout=10_000)
    # a marker among close neighbours, clicked through Leaflet's DOM event
    fr.locator('.leaflet-marker-icon:has([data-place="1"])').dispatch_event("click")
    expect(fr.locator(".leaflet-popup-content", has_text="4 mentions")).to_be_visible()
    expect(fr.locator(".leaflet-popup-content", has_text="Convoys leaving Al Qaim")).to_be_visible()
    expect(page.locator('mark.cm-sel[data-place="1"]')).to_have_count(4, timeout=10_000)
    settle(page)
    page.screenshot(path=str(OUT / "dashboard-popup.png"))
    assert outside_requests == []


def test_a_marker_click_shows_its_place_before_the_server_answers(page: Page, app_url: str) -> None:
    """Issue 10 (ten readers): a click on a pin marks the place in the text and the place list at once, in the
    browser; the page run the click starts only confirms it. Here the page's messages are held back from the
    server after the page has opened, so no run answers the click."""
    hold = {"on": False}

    def route(ws: Any) -> None:
        server = ws.connect_to_server()
        ws.on_message(lambda m: None if hold["on"] else server.send(m))
        server.on_message(lambda m: ws.send(m))

    page.route_web_socket(re.compile(r".*/_stcore/stream"), route)
    fr = open_app(page, app_url)
    settle(page)
    hold["on"] = True
    fr.locator('.leaflet-marker-icon:has([data-place="3"])').dispatch_event("click")  # Ramadi
    expect(page.locator('mark.cm-sel[data-place="3"]')).to_have_count(2)
    expect(page.locator('button.cm-sel[data-place="3"]')).to_be_visible()
    expect(page.locator("mark.cm-sel:not([data-place='3'])")).to_have_count(0)
    expect(fr.locator('.leaflet-marker-icon.cm-selected:has([data-place="3"])')).to_have_count(1)
    # and the other way: a name in the text opens its popup on the map and is marked in the place list
    page.locator('mark[data-place="7"]').first.click()  # Deir ez-Zor
    expect(fr.locator(".leaflet-popup-content", has_text="Deir ez-Zor")).to_be_visible()
    expect(fr.locator(".leaflet-popup-content", has_text="Ramadi")).to_have_count(0)  # one popup at a time
    expect(page.locator('button.cm-sel[data-place="7"]')).to_be_visible()
    expect(page.locator('mark.cm-sel[data-place="3"]')).to_have_count(0)
    hold["on"] = False


def test_text_click_opens_popup(page: Page, app_url: str, outside_requests: list[str]) -> None:
    fr = open_app(page, app_url)
    page.locator('mark[data-place="7"]').first.click()  # Deir ez-Zor in the text
    popup = fr.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Deir ez-Zor", timeout=10_000)
    expect(popup).to_contain_text("remains the largest")
    expect(page.locator('button.cm-sel[data-place="7"]')).to_be_visible()
    # and from the place list
    page.locator('button[data-place="cm:al-tanf"]').click()
    expect(fr.locator(".leaflet-popup-content", has_text="Al-Tanf")).to_be_visible(timeout=10_000)
    expect(fr.locator(".leaflet-popup-content")).to_have_count(1)
    assert outside_requests == []


def test_distance_between_two_places(page: Page, app_url: str, outside_requests: list[str]) -> None:
    fr = open_app(page, app_url)
    choose(page, "From", "Qa", "Al Qa'im (town, Anbar, IQ)")
    settle(page)
    choose(page, "To", "Asad", "Ain al-Asad Air Base (base, Anbar, IQ)")
    expect(page.get_by_text(re.compile(r"140\.1 km \(87\.1 mi\)")).first).to_be_visible(timeout=10_000)
    label = fr.locator(".leaflet-tooltip.cm-label", has_text="140.1 km")
    expect(label).to_be_visible(timeout=10_000)
    expect(page.get_by_text(re.compile(r"from the .* border")).first).to_be_visible()
    settle(page)
    expect(page).to_have_url(re.compile(r"from=1&to=icao%3AORAA|from=1&to=icao:ORAA"))
    page.screenshot(path=str(OUT / "dashboard-distance.png"))
    assert outside_requests == []


def test_shared_link_reopens_measured_pair(page: Page, app_url: str, outside_requests: list[str]) -> None:
    fr = open_app(page, f"{app_url}/?article=sample&from=5&to=7")
    pair = page.get_by_text(re.compile(r"Baghdad \u2192 Deir ez-Zor: \d+")).first
    expect(pair).to_be_visible(timeout=10_000)
    label = fr.locator(".leaflet-tooltip.cm-label", has_text=re.compile(r"\d+\.\d km.*\u00b0"))
    expect(label).to_have_count(1)
    assert outside_requests == []


def test_hostile_article_runs_no_script(page: Page, app_url: str, outside_requests: list[str]) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    fr = open_app(page, app_url)
    hostile = (
        "<script>window.__pwned = 1; alert('script')</script> Fighting near Al Qaim. "
        "<img src=x onerror=\"window.__pwned = 2; alert('img')\"> Shelling in Evilton. "
        '<a href="javascript:alert(3)">link</a> <!-- comment --> Haditha.'
    )
    page.get_by_label("Article text").fill(hostile)
    page.get_by_role("button", name="Map article").click()
    expect(fr.locator(".leaflet-marker-pane > *")).to_have_count(3, timeout=15_000)
    settle(page)  # the new article's runs are over (streamlit-folium's first report starts a second one)
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=30_000)  # and its map has replaced the old one
    panel = page.locator(".cm-text").last
    expect(panel).to_contain_text("<script>window.__pwned = 1; alert('script')</script>")
    expect(panel).to_contain_text("<img src=x onerror=")
    expect(page.locator(".cm-text img, .cm-text script, .cm-text a")).to_have_count(0)
    # the place whose name is markup shows it as text in tooltip and popup
    fr.locator(".leaflet-marker-icon[title^='<img']").click()
    expect(fr.locator(".leaflet-popup-content h4")).to_have_text("<img src=x onerror=alert(1)>Evil")
    expect(fr.locator(".leaflet-popup-content img")).to_have_count(0)
    settle(page)
    page.wait_for_timeout(500)
    pwned: Any = page.evaluate("window.__pwned")
    frame_pwned: Any = page.frame_locator(MAP_FRAME).locator("body").evaluate("() => window.__pwned")
    assert pwned is None and frame_pwned is None
    assert dialogs == []
    page.screenshot(path=str(OUT / "dashboard-hostile.png"))
    assert outside_requests == []


def test_upload_with_hostile_file_name(page: Page, app_url: str, outside_requests: list[str]) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    fr = open_app(page, app_url)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[
            {
                "name": "<img src=x onerror=alert(1)>.txt",
                "mimeType": "text/plain",
                "buffer": b"Patrols left Ramadi for Haditha at dawn.\n\nThe road to Haditha was quiet.",
            }
        ]
    )
    expect(fr.locator(".leaflet-marker-pane > *")).to_have_count(2, timeout=15_000)
    expect(page.locator("mark[data-place]")).to_have_count(3)
    settle(page)  # the new article's runs are over (streamlit-folium's first report starts a second one)
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=30_000)  # and its map has replaced the old one

    assert dialogs == []
    assert outside_requests == []


def test_bad_upload_gets_clear_message(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": "broken.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 not really"}]
    )
    expect(page.get_by_text(re.compile(r"broken\.pdf: .+")).first).to_be_visible(timeout=15_000)


def test_measure_by_clicking_two_markers(page: Page, app_url: str, outside_requests: list[str]) -> None:
    fr = open_app(page, app_url)
    page.get_by_text("Measure by clicking two markers").click()
    settle(page)
    fr.locator('.leaflet-marker-icon:has([data-place="5"])').dispatch_event("click")  # Baghdad
    expect(page.get_by_role("combobox", name="From", exact=True)).to_have_value(re.compile("^Baghdad"), timeout=10_000)
    settle(page)
    fr.locator('.leaflet-marker-icon:has([data-place="3"])').dispatch_event("click")  # Ramadi
    expect(page.get_by_role("combobox", name="To", exact=True)).to_have_value(re.compile("^Ramadi"), timeout=10_000)
    expect(fr.locator(".leaflet-tooltip.cm-label", has_text=re.compile(r"km.*\u00b0"))).to_have_count(1)
    assert outside_requests == []


def test_keyboard_on_a_mention_opens_popup(page: Page, app_url: str) -> None:
    fr = open_app(page, app_url)
    settle(page)
    mark = page.locator('mark[data-place="icao:ORAA"]').first
    mark.focus()
    page.keyboard.press("Enter")
    expect(fr.locator(".leaflet-popup-content", has_text="Ain al-Asad Air Base")).to_be_visible(timeout=10_000)


def test_download_geojson_of_the_article(page: Page, app_url: str, outside_requests: list[str]) -> None:
    open_app(page, app_url)
    settle(page)
    with page.expect_download(timeout=15_000) as dl:
        page.get_by_role("button", name="GeoJSON").click()
    path = dl.value.path()
    data = json.loads(open(path, encoding="utf-8").read())  # noqa: SIM115 - small file
    names = {f["properties"].get("name") for f in data["features"]}
    assert "Al Qa'im" in names and dl.value.suggested_filename.endswith(".geojson")
    assert outside_requests == []
