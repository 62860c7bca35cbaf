"""Issue 14 in a real browser: one test (or more) per numbered item, each with a screenshot in test-output/.

1 areas are areas · 2 context layers · 3 outliers · 4 legend and labels · 5 phones and small screens ·
6 editing as in My Maps · 7 small things. The app runs with the fake geoparser (tests/dashboard_fake.py) unless
a test uses ``real_app_url``. Markers carry ``data-place`` and ``data-kind``: the hooks these tests use.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import FrameLocator, Page, expect

from .conftest import OUT
from .test_dashboard_browser import MAP_FRAME, choose, open_app, settle

pytestmark = pytest.mark.browser

AREA_KINDS = ("country", "province", "region", "water", "continent")
HAWF = "Convoys left Al Qaim for Haditha, then Ramadi and Baghdad. A report put the unit in Hawf."


def boxes_overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and (b["y"] < a["y"] + a["height"])
    )


def visible_boxes(fr: FrameLocator, selector: str) -> list[dict[str, float]]:
    return fr.locator("body").evaluate(
        """(b, sel) => [...document.querySelectorAll(sel)].filter(e => {
               const s = getComputedStyle(e); return s.visibility !== 'hidden' && s.display !== 'none';
           }).map(e => e.getBoundingClientRect())
           .map(r => ({x: r.x, y: r.y, width: r.width, height: r.height})).filter(r => r.width > 0)""",
        selector,
    )


def paste(page: Page, text: str) -> None:
    page.get_by_label("Article text").fill(text)
    page.get_by_role("button", name="Map article").click()
    page.wait_for_timeout(300)
    settle(page)  # the new article's runs are over (streamlit-folium's first report starts a second one)
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=30_000)  # and its map has replaced the old one


# --- 1. areas are areas ------------------------------------------------------------------------------


def test_1_areas_are_outlines_and_names_not_pins(page: Page, app_url: str, outside_requests: list[str]) -> None:
    fr = open_app(page, app_url)
    settle(page)
    for kind in AREA_KINDS:
        expect(fr.locator(f'.leaflet-marker-pane [data-kind="{kind}"]')).to_have_count(0)
    expect(fr.locator('.cm-area-label [data-kind="country"]')).to_have_count(3)
    expect(fr.locator('.cm-area-label [data-kind="province"]')).to_have_count(1)
    # the outlines arrived and are drawn (Iraq, Syria, Jordan, Anbar)
    page.wait_for_function(
        "() => { const w = document.querySelector('iframe[title=\"streamlit_folium.st_folium\"]').contentWindow;"
        " return w.cmAreas && Object.values(w.cmAreas).length === 4 &&"
        " Object.values(w.cmAreas).every(l => l.getLayers().length > 0); }",
        timeout=15_000,
    )
    # From/To: the point places first, then the areas, measured to their nearest edge
    choose(page, "From", "Bagh", "Baghdad (city, Baghdad, IQ)")
    settle(page)
    choose(page, "To", "Syr", "Syria (country, SY) \u2014 an area: to its nearest edge")
    expect(page.get_by_text(re.compile(r"measured to the nearest edge of Syria")).first).to_be_visible(timeout=10_000)
    settle(page)
    page.wait_for_timeout(800)
    page.screenshot(path=str(OUT / "issue14-1-areas.png"))
    assert outside_requests == []


def test_1_real_sample_draws_the_euphrates_and_no_area_pin(
    page: Page, real_app_url: str, outside_requests: list[str]
) -> None:
    page.goto(real_app_url)
    fr = page.frame_locator(MAP_FRAME)
    fr.locator(".leaflet-marker-pane > *").first.wait_for(timeout=60_000)
    settle(page)
    for kind in AREA_KINDS:
        expect(fr.locator(f'.leaflet-marker-pane [data-kind="{kind}"]')).to_have_count(0)
    expect(fr.locator('.cm-area-river [data-kind="water"]')).to_have_text("Euphrates")
    page.wait_for_function(
        "() => { const w = document.querySelector('iframe[title=\"streamlit_folium.st_folium\"]').contentWindow;"
        " const l = w.cmAreas && w.cmAreas['cm:euphrates']; return l && l.getLayers().length > 0; }",
        timeout=15_000,
    )
    page.wait_for_timeout(800)
    page.screenshot(path=str(OUT / "issue14-1-real-euphrates.png"))
    assert outside_requests == []


# --- 2. context layers --------------------------------------------------------------------------------


def test_2_rivers_and_town_names_offline(page: Page, app_url: str, outside_requests: list[str]) -> None:
    geo: list[str] = []
    page.on("request", lambda r: geo.append(r.url.split("/app/static/geo/")[-1]) if "/static/geo/" in r.url else None)
    fr = open_app(page, app_url)
    settle(page)
    assert any(u.startswith("rivers/IQ") for u in geo) and any(u.startswith("towns/IQ") for u in geo)
    expect(fr.locator(".cm-town-label").first).to_be_attached(timeout=10_000)
    page.wait_for_timeout(1000)
    shown = visible_boxes(fr, ".cm-town-label b")
    assert shown, "some town names are shown"
    assert fr.locator(".leaflet-overlay-pane path, .leaflet-pane path").count() > 20  # rivers, borders, areas
    page.screenshot(path=str(OUT / "issue14-2-context.png"))
    assert outside_requests == []


# --- 3. outliers ---------------------------------------------------------------------------------------


def test_3_a_lone_far_reading_does_not_wreck_the_view(page: Page, app_url: str, outside_requests: list[str]) -> None:
    fr = open_app(page, app_url)
    paste(page, HAWF)
    expect(fr.locator(".leaflet-marker-pane > *")).to_have_count(5, timeout=15_000)
    page.wait_for_timeout(800)
    view = fr.locator("body").evaluate(
        "() => { const b = window.map.getBounds(); return {hawf: b.contains([16.65, 53.05]),"
        " baghdad: b.contains([33.34, 44.40]), zoom: window.map.getZoom()}; }"
    )
    assert view["baghdad"] and not view["hawf"] and view["zoom"] >= 6
    expect(fr.locator('.leaflet-marker-icon.cm-far [data-place="cm:hawf"]')).to_have_count(1)
    expect(page.locator('mark.cm-far[data-place="cm:hawf"]')).to_have_count(1)
    expect(page.locator('button.cm-far[data-place="cm:hawf"]')).to_contain_text("\u26a0")
    expect(page.get_by_text(re.compile(r"Left out of the view: Hawf")).first).to_be_visible()
    page.screenshot(path=str(OUT / "issue14-3-outlier.png"))
    page.locator('button[data-place="cm:hawf"]').click()
    expect(fr.locator(".leaflet-popup-content .cm-far-warn")).to_contain_text("Check it", timeout=10_000)
    assert outside_requests == []


# --- 4. legend and labels -----------------------------------------------------------------------------


def test_4_legend_labels_and_the_page_name(page: Page, app_url: str, outside_requests: list[str]) -> None:
    fr = open_app(page, app_url)
    settle(page)
    page.wait_for_timeout(1500)
    legend = fr.locator(".cm-legend")
    if not fr.locator("details.cm-legend[open]").count():
        fr.locator(".cm-legend summary").click()
    for text in ("town, village", "air base, airfield", "uncertain reading", "country named", "province named",
                 "rivers", "international borders", "border the article discusses"):  # fmt: skip
        expect(legend).to_contain_text(text)
    expect(legend).not_to_contain_text("dam, landmark")  # nothing of those kinds is drawn
    expect(legend).not_to_contain_text("border crossing")
    # the discussed border's label is whole, inside the map, and covers no pin
    label = fr.locator(".leaflet-tooltip.cm-label")
    expect(label).to_contain_text("Iraq\u2013Syria border")
    box, frame = label.bounding_box(), fr.locator("#map_div").bounding_box()
    assert box and frame and box["x"] >= frame["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
    pins = visible_boxes(fr, ".leaflet-marker-pane .leaflet-marker-icon")
    lb = visible_boxes(fr, ".leaflet-tooltip.cm-label")[0]
    assert not [p for p in pins if boxes_overlap(lb, p)]
    # town names never sit on a pin
    for town in visible_boxes(fr, ".cm-town-label b"):
        assert not [p for p in pins if boxes_overlap(town, p)], town
    # measuring adds its line to the legend
    choose(page, "From", "Qa", "Al Qa'im (town, Anbar, IQ)")
    settle(page)
    choose(page, "To", "Asad", "Ain al-Asad Air Base (base, Anbar, IQ)")
    expect(legend).to_contain_text("distance measured", timeout=10_000)
    # the page is called Map
    nav = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"]')
    expect(nav).to_have_count(3)
    assert [t.strip() for t in nav.all_inner_texts()] == ["Map", "Corpus", "Present"]
    settle(page)
    page.screenshot(path=str(OUT / "issue14-4-legend.png"))
    assert outside_requests == []


# --- 5. phones and small screens ---------------------------------------------------------------------


@pytest.fixture()
def phone(browser: Any) -> Any:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield ctx.new_page()
    ctx.close()


def test_5_phone_input_title_and_a_tapped_marker_keeps_the_map(phone: Page, app_url: str) -> None:
    page = phone
    fr = open_app(page, app_url)
    settle(page)
    title = page.locator("h2.cm-title").bounding_box()
    header = page.locator('header[data-testid="stHeader"]').bounding_box()
    assert title and header and title["y"] >= header["y"] + header["height"] - 1  # not under the header
    expect(page.get_by_text("Article: paste your own, or the sample")).to_be_visible()
    page.screenshot(path=str(OUT / "issue14-5-phone-top.png"))
    frame = page.locator(MAP_FRAME)
    frame.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    scroller = "document.querySelector('[data-testid=\"stMain\"]')"
    before = page.evaluate(f"() => ({scroller} || document.scrollingElement).scrollTop")
    fr.locator('.leaflet-marker-icon:has([data-place="3"])').tap()
    expect(page.locator('mark.cm-sel[data-place="3"]').first).to_be_attached(timeout=10_000)
    settle(page)
    page.wait_for_timeout(800)
    after = page.evaluate(f"() => ({scroller} || document.scrollingElement).scrollTop")
    assert abs(after - before) < 40, (before, after)  # the page did not jump to the text
    box = frame.bounding_box()
    assert box and box["y"] < 844 and box["y"] + box["height"] > 0
    popup = fr.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Ramadi")
    pb = popup.bounding_box()
    assert pb and pb["x"] >= 0 and pb["x"] + pb["width"] <= 390 and 0 <= pb["y"] < 844
    page.screenshot(path=str(OUT / "issue14-5-phone-tap.png"))
    # the article typed on the page itself
    page.get_by_text("Article: paste your own, or the sample").click()
    page.get_by_label("Paste an article").fill("Patrols left Ramadi for Haditha.")
    page.get_by_role("button", name="Map this article").click()
    expect(fr.locator(".leaflet-marker-pane > *")).to_have_count(2, timeout=15_000)
    settle(page)
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=30_000)


def test_5_present_text_fits_its_step_at_1366x768(browser: Any, app_url: str) -> None:
    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    page = ctx.new_page()
    page.goto(f"{app_url}/Present")
    page.get_by_text("Sample briefing", exact=True).click()
    page.get_by_role("button", name="Build story").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('iframe')].some(f => f.contentWindow && f.contentWindow.cmStory)",
        timeout=20_000,
    )
    story = next(f for f in page.frames if f.evaluate("() => !!window.cmStory"))
    n = story.evaluate("cmStory.count")
    cut = []
    for i in range(n):
        story.evaluate(f"cmStory.go({i})")
        page.wait_for_timeout(150)
        m = story.evaluate(
            "() => { const b = document.getElementById('cm-body'), c = document.getElementById('cm-controls');"
            " return {over: b.scrollHeight - b.clientHeight, bottom: b.getBoundingClientRect().bottom,"
            " controls: c.getBoundingClientRect().top}; }"
        )
        if m["over"] > 1 or m["bottom"] > m["controls"] + 1:
            cut.append((i, m))
    assert cut == []
    story.evaluate(f"cmStory.go({n - 1})")
    page.wait_for_timeout(500)
    page.screenshot(path=str(OUT / "issue14-5-present-1366.png"))
    ctx.close()


# --- 6. editing as in My Maps -------------------------------------------------------------------------


def select_words(page: Page, words: str) -> None:
    span = page.locator(".cm-text span[data-o]", has_text=words).first
    span.evaluate(
        """(el, words) => {
          const t = el.firstChild, i = t.data.indexOf(words);
          const r = document.createRange(); r.setStart(t, i); r.setEnd(t, i + words.length);
          const root = el.getRootNode(), s = root.getSelection ? root.getSelection() : document.getSelection();
          s.removeAllRanges(); s.addRange(r);
          el.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        }""",
        words,
    )


def test_6_add_a_missed_place_by_selecting_its_words(page: Page, app_url: str, outside_requests: list[str]) -> None:
    fr = open_app(page, app_url)
    settle(page)
    select_words(page, "desert highway")
    add = page.get_by_role("button", name=re.compile("Add \u201cdesert highway\u201d as a place"))
    expect(add).to_be_visible()
    page.screenshot(path=str(OUT / "issue14-6-select.png"))
    add.click()
    page.get_by_role("button", name="Click the map to place it").click()
    expect(fr.locator(".cm-edit-hint")).to_contain_text("desert highway", timeout=10_000)
    fr.locator("#map_div").click(position={"x": 300, "y": 420})
    expect(fr.locator(".leaflet-marker-pane > *")).to_have_count(11, timeout=15_000)
    expect(page.locator(".cm-text mark", has_text="desert highway")).to_have_count(1)
    expect(page.get_by_text("Corrections (1 active)")).to_be_visible()
    settle(page)
    page.screenshot(path=str(OUT / "issue14-6-added.png"))
    page.get_by_role("button", name="Undo").click()
    expect(fr.locator(".leaflet-marker-pane > *")).to_have_count(10, timeout=15_000)
    assert outside_requests == []


def test_6_drag_a_pin_and_undo_it(page: Page, app_url: str, outside_requests: list[str]) -> None:
    fr = open_app(page, app_url)
    settle(page)
    page.get_by_text("Move places on the map").click()
    expect(fr.locator(".leaflet-marker-draggable")).to_have_count(10, timeout=10_000)
    box = fr.locator('.leaflet-marker-icon:has([data-place="7"])').bounding_box()
    assert box
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 30, y + 20, steps=6)
    page.mouse.move(x + 60, y + 40, steps=6)
    page.mouse.up()
    expect(fr.locator('.leaflet-marker-icon:has([data-place^="user:"])')).to_have_count(1, timeout=15_000)
    expect(page.get_by_text(re.compile(r"Deir ez-Zor moved to"))).to_be_visible()
    settle(page)
    page.screenshot(path=str(OUT / "issue14-6-moved.png"))
    page.get_by_role("button", name="Undo").click()
    expect(fr.locator('.leaflet-marker-icon:has([data-place="7"])')).to_have_count(1, timeout=15_000)
    assert outside_requests == []


def test_6_a_pasted_article_survives_a_reload(page: Page, app_url: str, outside_requests: list[str]) -> None:
    fr = open_app(page, app_url)
    paste(page, "Patrols from Haditha reached Rawa at dusk; <b>Ramadi</b> was quiet.")
    expect(fr.locator(".leaflet-marker-pane > *")).to_have_count(3, timeout=15_000)
    page.reload()
    fr.locator(".leaflet-marker-pane > *").first.wait_for(timeout=30_000)
    banner = page.locator(".cm-draft")
    expect(banner).to_contain_text("<b>Ramadi</b> was quiet", timeout=10_000)  # as text
    page.screenshot(path=str(OUT / "issue14-6-draft.png"))
    page.get_by_role("button", name="Open it again").click()
    expect(fr.locator(".leaflet-marker-pane > *")).to_have_count(3, timeout=15_000)
    expect(page.locator(".cm-text b")).to_have_count(0)
    assert outside_requests == []


def test_6_the_link_restores_zoom_place_and_claim(page: Page, app_url: str, outside_requests: list[str]) -> None:
    fr = open_app(page, f"{app_url}/?article=sample&place=3&claim=1&view=33.9000,42.6000,8")
    settle(page)
    expect(fr.locator(".leaflet-popup-content h4")).to_have_text("Ramadi", timeout=10_000)
    assert fr.locator("body").evaluate("() => window.map.getZoom()") == 8
    expect(page.locator('[data-testid="stRadio"] input:checked')).to_have_count(1)
    page.locator('mark[data-place="icao:ORAA"]').first.click()
    expect(page).to_have_url(re.compile(r"place=icao%3AORAA.*view=|view=.*place=icao%3AORAA"), timeout=10_000)
    fr.locator("#map_div").hover()
    fr.locator(".leaflet-control-zoom-out").click()
    expect(page).to_have_url(re.compile(r"view=[-0-9.]+%2C[-0-9.]+%2C7"), timeout=10_000)
    page.screenshot(path=str(OUT / "issue14-6-link.png"))
    assert outside_requests == []


# --- 7. small things ------------------------------------------------------------------------------------


def test_7_basemap_fetched_once_and_provinces_only_where_shown(
    page: Page, app_url: str, outside_requests: list[str]
) -> None:
    geo: list[str] = []
    page.on("response", lambda r: geo.append(r.url.split("/static/geo/")[-1]) if "/static/geo/" in r.url else None)
    fr = open_app(page, app_url)
    settle(page)
    assert geo.count("countries.geojson") == 1
    provinces = sorted(u for u in geo if u.startswith("provinces/"))
    assert provinces == ["provinces/IQ.geojson", "provinces/SY.geojson"]  # Jordan is only named
    geo.clear()
    paste(page, "Convoys left Al Qaim for Haditha, then Ramadi.")
    expect(fr.locator(".leaflet-marker-pane > *")).to_have_count(3, timeout=15_000)
    page.wait_for_timeout(1000)
    assert "countries.geojson" not in geo  # the new map reuses what the page already has
    page.screenshot(path=str(OUT / "issue14-7-second-map.png"))
    assert outside_requests == []


def test_7_downloads_claims_and_a_missing_article(page: Page, app_url: str, outside_requests: list[str]) -> None:
    open_app(page, f"{app_url}/?article=corpus:999")
    expect(page.get_by_text(re.compile(r"No corpus article")).first).to_be_visible(timeout=10_000)
    assert ".sqlite" not in page.locator('[data-testid="stAlert"]').first.inner_text()
    settle(page)
    radio = page.locator('[data-testid="stRadio"]').first.inner_text()
    assert "measured not measured" not in radio
    with page.expect_download(timeout=20_000) as dl:
        page.get_by_role("button", name="GeoJSON").click()
    data = json.loads(open(dl.value.path(), encoding="utf-8").read())  # noqa: SIM115 - small file
    claims = [f for f in data["features"] if f["properties"].get("type") == "claim"]
    assert any(f["geometry"] and f["geometry"]["type"] == "MultiLineString" for f in claims)
    with page.expect_download(timeout=30_000) as dl:
        page.get_by_role("button", name="HTML map").click()
    html = open(dl.value.path(), encoding="utf-8").read()  # noqa: SIM115
    assert "provinces/IQ.geojson" in html and "+1 more sentence" in html  # Al Qa'im: 4 sentences, as the app
    assert outside_requests == []
