"""The dashboard as users get it: real geoparser and gazetteer, the built-in sample, fully offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from conflict_map.geoparse.pipeline import geoparse
from conflict_map.view.areas import is_area

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test-output"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SAMPLE = ROOT / "src" / "conflict_map" / "data" / "sample_briefing.txt"


def test_real_sample_maps_every_resolved_place_offline(page: Page, real_app_url: str, outside_requests) -> None:
    expected = geoparse(SAMPLE.read_text(encoding="utf-8")).resolved_places()
    pins = [p for p, _ in expected.values() if not is_area(p)]  # countries, provinces, rivers: areas, not pins
    page.goto(real_app_url)
    page.locator(MAP_FRAME).wait_for(state="attached", timeout=60_000)
    fr = page.frame_locator(MAP_FRAME)
    markers = fr.locator(".leaflet-marker-pane > *")
    expect(markers).to_have_count(len(pins), timeout=60_000)
    expect(fr.locator(".cm-area-label")).to_have_count(len(expected) - len(pins))
    # the Al Qa'im marker quotes the article's sentences about it
    qaim = next(p for p, _ in expected.values() if p.id == "92138")
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=30_000)
    page.wait_for_timeout(500)  # the map has its final size and view
    fr.locator(f'.leaflet-marker-icon[title="{qaim.name}"]').click(force=True)
    popup = fr.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Al Qaim", timeout=15_000)
    expect(popup).to_contain_text("mentions")
    page.wait_for_timeout(500)
    page.screenshot(path=str(OUT / "dashboard-real-sample.png"))
    assert outside_requests == []
