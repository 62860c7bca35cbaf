"""The exported map story in Debian chromium, opened from a file: keys step it, the map moves, no requests.

Uses pytest-playwright's ``page`` fixture (chromium launch args from ``conftest.py``). Screenshots of
every step go to ``test-output/story-step-NN.png``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from dashboard_fake import geoparse as fake_geoparse  # noqa: E402

from conflict_map.present import page as storypage  # noqa: E402
from conflict_map.present import story as st  # noqa: E402

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(storypage.missing_story_assets()), reason="browser assets not installed (make setup)"),
]
OUT = Path(__file__).resolve().parents[2] / "test-output"
TEXT = (
    "A river road under watch\n\n"
    "Trucks left Ramadi at dawn on the road west. "
    "By noon they had reached Al Qaim, close to the frontier with Syria. "
    "Pilots flying from Ain al-Asad, about 150 kilometres from Al Qaim, watched the road. "
    "In Ramadi, roughly 110 kilometres west of Baghdad, the council met in the evening."
)


@pytest.fixture(scope="module")
def story_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    s = st.build_story(fake_geoparse(TEXT), source="Browser test desk")
    s.set_note("place:1", "Ask the class: why here?")
    path = tmp_path_factory.mktemp("story") / "story.html"
    path.write_text(storypage.render_story_html(s), encoding="utf-8")
    return path


def _open(page: Any, path: Path, *, reduce: bool = True) -> list[str]:
    """Open the story; returns the list that fills with every URL the page requests."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    if reduce:
        page.emulate_media(reduced_motion="reduce")
    page.goto(path.as_uri())
    page.wait_for_function("window.cmStory && document.body.dataset.step === '1'")
    page.wait_for_function("document.querySelectorAll('.leaflet-cm-base-pane path').length > 0")  # basemap drawn
    assert errors == []
    return seen


def _state(page: Any) -> dict[str, Any]:
    return page.evaluate(
        "() => { const c = cmStory.map.getCenter(); return {step: +document.body.dataset.step, "
        "id: document.body.dataset.stepId, lat: c.lat, lon: c.lng, zoom: cmStory.map.getZoom(), "
        "title: document.getElementById('cm-title').textContent, text: document.getElementById('cm-text').textContent,"
        "counter: document.getElementById('cm-counter').textContent}; }"
    )


def _press(page: Any, key: str, step: int) -> dict[str, Any]:
    page.keyboard.press(key)
    page.wait_for_function(f"document.body.dataset.step === '{step}'")
    return _state(page)


def _moved(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return abs(a["lat"] - b["lat"]) > 1e-3 or abs(a["lon"] - b["lon"]) > 1e-3 or a["zoom"] != b["zoom"]


def test_keyboard_steps_move_map_and_text_offline(page: Any, story_file: Path) -> None:
    seen = _open(page, story_file)
    n = page.evaluate("cmStory.count")
    assert n == 8  # title, 5 places, 2 distance checks
    pins = page.locator(".leaflet-marker-pane .cm-pin")
    assert pins.count() == 4  # Syria is an area: its name on the map, not a numbered pin
    assert page.locator(".cm-area-name").count() == 1
    assert pins.first.is_visible()
    s1 = _state(page)
    assert s1["title"] == "A river road under watch" and s1["counter"] == "1 / 8"

    s2 = _press(page, "ArrowRight", 2)
    assert s2["id"] == "place:3" and s2["title"].endswith("Ramadi")
    assert _moved(s1, s2) and abs(s2["lat"] - 33.4206) < 0.01 and abs(s2["lon"] - 43.3078) < 0.01
    assert "Ramadi" in page.locator("#cm-text mark").first.inner_text()
    assert page.locator(".cm-pin.cm-cur").count() == 1

    s3 = _press(page, "PageDown", 3)  # presentation clickers send Page Down / Page Up
    assert s3["id"] == "place:1" and _moved(s2, s3) and s3["text"] != s2["text"]
    assert page.locator("#cm-note").inner_text() == "Ask the class: why here?"
    back = _press(page, "ArrowLeft", 2)
    assert (round(back["lat"], 4), round(back["lon"], 4)) == (round(s2["lat"], 4), round(s2["lon"], 4))
    assert back["text"] == s2["text"]
    _press(page, "PageUp", 1)

    last = _press(page, "End", n)
    assert last["id"].startswith("claim:") and _moved(s1, last)
    assert page.locator("#cm-verdict").is_visible()
    assert page.locator(".leaflet-cm-lines-pane path").count() >= 2  # the measured line (and its casing)
    assert "km" in page.locator(".cm-claim-label").inner_text()
    _press(page, "Home", 1)
    page.keyboard.press("b")  # a clicker's "blank screen" key hides everything, and brings it back
    assert page.locator("#cm-blank").is_visible()
    page.keyboard.press("b")
    assert not page.locator("#cm-blank").is_visible()
    page.locator("#cm-next").click()
    page.wait_for_function("document.body.dataset.step === '2'")
    _press(page, "ArrowLeft", 1)
    assert page.locator("#cm-prev").is_disabled()

    outside = [u for u in seen if u != story_file.as_uri() and not u.startswith("data:")]
    assert outside == [], outside
    assert not [u for u in seen if u.startswith("http")]


def test_every_step_screenshot(page: Any, story_file: Path) -> None:
    OUT.mkdir(exist_ok=True)
    seen = _open(page, story_file)
    n = page.evaluate("cmStory.count")
    centres = []
    for i in range(1, n + 1):
        if i > 1:
            _press(page, "ArrowRight", i)
        s = _state(page)
        assert s["counter"] == f"{i} / {n}"
        centres.append((round(s["lat"], 3), round(s["lon"], 3), s["zoom"]))
        page.screenshot(path=str(OUT / f"story-step-{i:02d}.png"))
    assert len(set(centres)) == n  # every step shows a different view
    assert [u for u in seen if u != story_file.as_uri() and not u.startswith("data:")] == []


def test_fly_animation_reaches_the_place(page: Any, story_file: Path) -> None:
    """Without reduced motion the map flies (animated) and ends at the place."""
    _open(page, story_file, reduce=False)
    s1 = _state(page)
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "(() => { const c = cmStory.map.getCenter(); return Math.abs(c.lat - 33.4206) < 0.01 "
        "&& Math.abs(c.lng - 43.3078) < 0.01 && cmStory.map.getZoom() === 8; })()",
        timeout=6000,
    )
    assert _moved(s1, _state(page))


def _story_frame(page: Any) -> Any:
    for f in page.frames:
        if f is not page.main_frame and f.evaluate("() => !!window.cmStory"):
            return f
    raise AssertionError("no story frame")


def test_present_page_in_the_dashboard(page: Any, app_url: str, outside_requests: list[str]) -> None:
    """Presentation mode in the app: build, click into the story, step with the keyboard, the map moves."""
    OUT.mkdir(exist_ok=True)
    page.goto(f"{app_url}/Present")
    page.get_by_role("button", name="Build story").click()
    page.wait_for_selector('iframe[title="st.iframe"]', state="attached", timeout=20000)
    frame_el = page.locator('iframe[title="st.iframe"]').first
    frame_el.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('iframe')].some(f => f.contentWindow && f.contentWindow.cmStory"
        " && f.contentDocument.querySelectorAll('.leaflet-cm-base-pane path').length > 0)",
        timeout=20000,
    )
    fr = _story_frame(page)
    assert fr.evaluate("document.body.dataset.step") == "1"
    assert fr.locator(".leaflet-marker-pane .cm-pin").count() >= 5
    before = _state(fr)
    page.screenshot(path=str(OUT / "present-page-1.png"))
    fr.locator("#cm-map").click(position={"x": 30, "y": 200})  # focus the story, as a teacher would
    page.keyboard.press("ArrowRight")
    fr.wait_for_function("document.body.dataset.step === '2'")
    fr.wait_for_function(
        f"(() => {{ const c = cmStory.map.getCenter(); return Math.abs(c.lat - {before['lat']}) > 0.01"
        f" || Math.abs(c.lng - {before['lon']}) > 0.01; }})()",
        timeout=6000,
    )
    page.wait_for_timeout(1300)  # let the fly animation end for the screenshot
    after = _state(fr)
    assert after["title"] != before["title"] and after["text"] != before["text"]
    page.screenshot(path=str(OUT / "present-page-2.png"))
    page.keyboard.press("PageDown")
    fr.wait_for_function("document.body.dataset.step === '3'")
    page.keyboard.press("PageUp")
    fr.wait_for_function("document.body.dataset.step === '2'")
    page.keyboard.press("ArrowLeft")
    fr.wait_for_function("document.body.dataset.step === '1'")
    assert outside_requests == []
