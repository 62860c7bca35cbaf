"""The standalone HTML export opened from file:// in Debian chromium: map, markers, popup, no network."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from test_export import _html_ready, corpus, fake_claims  # noqa: F401 - fixtures shared with the unit tests

from conflict_map.export import export

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not _html_ready(), reason="needs the static/ assets (make setup)"),
]


def test_html_opens_from_file_without_network(page: Page, corpus, fake_claims, tmp_path) -> None:  # noqa: F811
    out, _ = export(corpus, "html", tmp_path / "map.html")
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(out.as_uri())
    page.wait_for_selector(".leaflet-marker-pane > *", state="attached", timeout=15_000)
    # the world on a canvas in its own pane, the borders as SVG lines above it
    page.wait_for_function(
        "document.querySelector('.leaflet-cm-land-pane canvas') !== null"
        " && document.querySelectorAll('.leaflet-cm-lines-pane path').length > 10"
    )
    assert page.locator(".leaflet-marker-pane > *").count() == 5
    page.locator(".leaflet-marker-pane > *").first.click(force=True)
    page.wait_for_selector(".leaflet-popup-content", timeout=5_000)
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert page.evaluate("document.querySelectorAll('script').length") > 0
    assert page.evaluate("window.__xss === undefined")
